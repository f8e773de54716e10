"""Ordered `.sql` files applied once each, recorded in `schema_migrations`.

`NNNN_name.sql` is portable; `NNNN_name.postgres.sql` (or `.sqlite.sql`), when present, replaces it for
that dialect. Each file runs in its own transaction; on PostgreSQL an advisory lock keeps two nodes that
start together from applying the same file twice.
"""

from __future__ import annotations

import sqlite3
from importlib import resources

from punchclock.kit.db import Database
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
            await unit.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (:name, :at)",
                {"name": name, "at": now_ms()},
            )
            applied_now.append(name)
        ok = True
    finally:
        await unit.finish(ok)
    return applied_now
