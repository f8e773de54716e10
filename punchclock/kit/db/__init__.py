"""One async database interface with two drivers: embedded SQLite and PostgreSQL (asyncpg).

SQL is written once with named `:params`; a list value expands to a parenthesised list for `IN (:ids)`.
A `Unit` is one transaction: it begins on its first statement and is committed or rolled back once,
by whoever opened it (the request, a CLI command), never by a service.
"""

from __future__ import annotations

import functools
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, Protocol


class Row(Protocol):
    def __getitem__(self, key: str | int, /) -> Any: ...


Params = dict[str, Any]


class UniqueViolation(Exception):
    """A unique index refused a row (both drivers raise this, so services need not know the dialect)."""


class UnstorableText(ValueError):
    """A text parameter holds NUL (U+0000). PostgreSQL cannot store it, so neither driver accepts it (the
    backends must agree); it can only come from a client, so the request is refused (400), not a 500."""


_NUL_REFUSED = "Text must not contain the NUL character (\\u0000)"
# A write after a unit's `last` write (Unit.execute): a programming error, refused alike by both drivers.
LAST_WRITE_DONE = "a write after the unit's last write"


def refuse_nul(values: Iterable[Any]) -> None:
    for value in values:
        if isinstance(value, str) and "\x00" in value:
            raise UnstorableText(_NUL_REFUSED)
        if isinstance(value, list | tuple):
            refuse_nul(value)


class Unit(ABC):
    """One transaction's worth of statements (an ABC rather than a Protocol: Litestar checks injected
    dependencies with isinstance, which is cheap for an ABC)."""

    dialect: str

    @abstractmethod
    async def fetch_one(self, sql: str, params: Params | None = None) -> Row | None: ...

    @abstractmethod
    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]: ...

    async def fetch_positional(self, sql: str, params: Params | None = None) -> Sequence[Sequence[Any]]:
        """Rows read by position only, for readers of many rows (the exports): SQLite gives plain tuples,
        which build and unpack faster than its named rows; PostgreSQL's records serve as they are."""
        return await self.fetch_all(sql, params)  # type: ignore[return-value]

    async def fetch_mapped(self, sql: str, params: Params | None = None) -> Sequence[Row]:
        """Rows read by name many times each (a page that is rendered field by field): SQLite gives dicts,
        whose look-ups take constant time where its named rows search the columns in order (40 against
        up to 300 ns for a row of 20 columns); PostgreSQL's records already look names up by hash."""
        return await self.fetch_all(sql, params)

    async def fetch_val(self, sql: str, params: Params | None = None) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    @abstractmethod
    async def execute(self, sql: str, params: Params | None = None, *, last: bool = False) -> int:
        """Run a write; the rows it changed. `last`: the unit will write nothing after it, so a unit that
        has not written yet may run it as a transaction of its own (PostgreSQL: no BEGIN and COMMIT round
        trips; SQLite: no savepoint in its write group). Once such a write ran it stays, even if the unit
        then finishes not ok. A later write is a programming error."""

    @abstractmethod
    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None: ...

    async def copy_rows(self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> int:
        """Bulk-load rows (tuples in `columns` order) into `table`; the number loaded. For generated data
        (the demo seeder). This portable version goes through execute_many; the drivers override it with
        their fast paths (a positional executemany on SQLite, COPY on PostgreSQL)."""
        check_identifiers(table, *columns)
        names = [f"c{i}" for i in range(len(columns))]
        marks = ", ".join(":" + n for n in names)
        rows = [dict(zip(names, record, strict=True)) for record in records]
        await self.execute_many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        return len(rows)

    @abstractmethod
    async def finish(self, ok: bool) -> None:
        """Commit (ok) or roll back; only the opener of the unit calls this."""


class Database(Protocol):
    dialect: str
    url: str

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    def begin(self, *, write: bool) -> Unit: ...

    async def run_script(self, script: str) -> None: ...


_PARAM = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)")


def expand_lists(sql: str, params: Params) -> tuple[str, Params]:
    """Rewrite `:ids` bound to a list as `:ids__0, :ids__1, …`; an empty list becomes NULL (matches none).
    Every statement passes here, so the common case (no list) is one pass over the values, and the rewrite
    of a statement is remembered for each shape of its lists (their names and lengths)."""
    shape: list[tuple[str, int]] = []
    for name, value in params.items():
        if isinstance(value, str):
            if "\x00" in value:
                raise UnstorableText(_NUL_REFUSED)
        elif isinstance(value, list | tuple):
            refuse_nul(value)
            shape.append((name, len(value)))
    if not shape:
        return sql, params
    flat = {k: v for k, v in params.items() if not isinstance(v, list | tuple)}
    for name, _ in shape:
        for i, v in enumerate(params[name]):
            flat[f"{name}__{i}"] = v
    return _expanded(sql, tuple(shape)), flat


@functools.lru_cache(maxsize=1024)
def _expanded(sql: str, shape: tuple[tuple[str, int], ...]) -> str:
    lengths = dict(shape)

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in lengths:
            return match.group(0)
        if not lengths[name]:
            return "NULL"
        return ", ".join(f":{name}__{i}" for i in range(lengths[name]))

    return _PARAM.sub(repl, sql)


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def check_identifiers(*names: str) -> None:
    """Refuse anything but plain lower-case identifiers where SQL is built from names (copy_rows)."""
    for name in names:
        if not _IDENTIFIER.match(name):
            raise ValueError(f"not a plain SQL identifier: {name!r}")


def connect(url: str, pool_size: int = 0, *, serving: bool = False) -> Database:
    """Pick the driver from the URL: `sqlite:///path/file.db` or `postgresql://…` (with up to `pool_size`
    connections per process; 0 picks the default). `serving`: for a server's worker process (SQLite then
    checkpoints its WAL on a thread of its own)."""
    if url.startswith(("postgres://", "postgresql://")):
        from punchclock.kit.db.postgres import PostgresDatabase

        return PostgresDatabase(url, max_size=pool_size or None)
    if url.startswith("sqlite:///"):
        from punchclock.kit.db.sqlite import SqliteDatabase

        return SqliteDatabase(url, serving=serving)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///path or postgresql://…")
