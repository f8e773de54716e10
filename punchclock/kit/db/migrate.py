"""Ordered `.sql` files applied once each, recorded in `schema_migrations`.

`NNNN_name.sql` is portable; `NNNN_name.postgres.sql` (or `.sqlite.sql`), when present, replaces it for
that dialect. A migration may have a data step (`DATA_STEPS`): Python that runs right after its SQL, for
what SQL cannot compute alike on both databases. Everything pending runs in one transaction; on
PostgreSQL an advisory lock keeps two nodes that start together from applying the same file twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Awaitable, Callable
from importlib import resources

from punchclock.kit.custom_values import match_keys
from punchclock.kit.db import Database, Unit
from punchclock.kit.time import now_ms

_LOCK_KEY = 0x70756E63  # "punc"


def split_statements(script: str) -> list[str]:
    """Split on statement ends, keeping trigger bodies (BEGIN … END;) and PostgreSQL's dollar-quoted
    function bodies ($$ … $$) whole."""
    statements, buffer = [], ""
    in_dollar_quote = False
    for line in script.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.strip().startswith("--")):
            continue
        buffer += line
        if line.count("$$") % 2:
            in_dollar_quote = not in_dollar_quote
        if in_dollar_quote:
            continue
        done = line.rstrip().endswith(";") if "$$" in buffer else sqlite3.complete_statement(buffer)
        if done:
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def available(dialect: str) -> list[tuple[str, str]]:
    """(name, sql) for every migration, in order, with the dialect's own file where one exists."""
    folder = resources.files("punchclock.kit.db") / "migrations"
    files = {entry.name: entry for entry in folder.iterdir() if entry.name.endswith(".sql")}
    chosen: dict[str, str] = {}
    for filename in sorted(files):
        stem, _, _ = filename.partition(".")
        special = f"{stem}.{dialect}.sql"
        if (filename == f"{stem}.sql" and special not in files) or filename == special:
            chosen[stem] = files[filename].read_text()
    return sorted(chosen.items())


async def _user_custom_value_keys(unit: Unit) -> None:
    """0010: the match keys of members' custom-field values stored before the columns existed."""
    rows = await unit.fetch_all(
        "SELECT workspace_id, user_id, custom_field_id, value FROM user_custom_field_values"
    )
    updates = []
    for row in rows:
        text, number = match_keys(None if row["value"] is None else json.loads(row["value"]))
        keys = {k: row[k] for k in ("workspace_id", "user_id", "custom_field_id")}
        updates.append({**keys, "text": text, "number": number})
    if updates:
        await unit.execute_many(
            """UPDATE user_custom_field_values SET value_text = :text, value_number = :number
            WHERE workspace_id = :workspace_id AND user_id = :user_id
            AND custom_field_id = :custom_field_id""",
            updates,
        )


DATA_STEPS: dict[str, Callable[[Unit], Awaitable[None]]] = {
    "0010_user_custom_value_keys": _user_custom_value_keys,
}


async def apply_migrations(db: Database) -> list[str]:
    """Apply what is pending; return the names applied."""
    applied_now: list[str] = []
    unit = db.begin(write=True)
    ok = False
    try:
        if db.dialect == "postgres":
            await unit.execute("SELECT pg_advisory_xact_lock(:key)", {"key": _LOCK_KEY})
        await unit.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)"
        )
        done = {row[0] for row in await unit.fetch_all("SELECT name FROM schema_migrations")}
        for name, sql in available(db.dialect):
            if name in done:
                continue
            for statement in split_statements(sql):
                await unit.execute(statement)
            if name in DATA_STEPS:
                await DATA_STEPS[name](unit)
            await unit.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :at)",
                {"name": name, "at": now_ms()},
            )
            applied_now.append(name)
        ok = True
    finally:
        await unit.finish(ok)
    return applied_now
