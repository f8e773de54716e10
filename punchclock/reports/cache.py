"""Per-process memory of expensive report facts, exact because it is dropped on any write.

A fact is remembered with a version of the whole database and used only under the same version:
- SQLite: one connection per process sees every write as either its own (`total_changes()` grows) or
  another process's commit (`PRAGMA data_version` changes); the pair is the version.
- PostgreSQL: the current snapshot (`xmin:xmax:in-progress xids`). Two equal snapshots see the same
  committed transactions, hence the same rows; any write takes a transaction id and so changes it.
  Reads run statement by statement, so a report may see a commit made after its version was read; its
  facts are then filed under an older snapshot, which never comes back, so they are never served stale.

Remembered: a detailed report's totals (the same for every page), and page boundaries of the date-ordered
detailed report (the key of the last row before an offset), so paging on from a known page is a keyset
seek instead of an OFFSET walk over every earlier row.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from punchclock.kit.db import Unit

MAX_QUERIES = 256
MAX_BOUNDARIES = 20_000


Version = tuple[object, ...]


async def version(unit: Unit) -> Version | None:
    if unit.dialect == "postgres":
        return ("pg", str(await unit.fetch_val("SELECT pg_current_snapshot()::text")))
    if unit.dialect != "sqlite":
        return None
    own = await unit.fetch_val("SELECT total_changes()")
    others = await unit.fetch_val("PRAGMA data_version")
    return int(own), int(others)


def fingerprint(*parts: Any) -> tuple[Any, ...]:
    def freeze(value: Any) -> Any:
        if isinstance(value, dict):
            return tuple(sorted((k, freeze(v)) for k, v in value.items()))
        if isinstance(value, list | tuple):
            return tuple(freeze(v) for v in value)
        return value

    return tuple(freeze(p) for p in parts)


class Memory:
    """An LRU of facts per query fingerprint, each valid for one database version."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[Any, ...], tuple[Version, dict[Any, Any]]] = OrderedDict()

    def facts(self, key: tuple[Any, ...], at: Version | None) -> dict[Any, Any] | None:
        """The facts remembered for `key` at version `at` (a fresh, remembered dict if none)."""
        if at is None:
            return None
        found = self._entries.get(key)
        if found is None or found[0] != at:
            facts: dict[Any, Any] = {}
            self._entries[key] = (at, facts)
            while len(self._entries) > MAX_QUERIES:
                self._entries.popitem(last=False)
            return facts
        self._entries.move_to_end(key)
        return found[1]


TOTALS = Memory()
BOUNDARIES = Memory()
