"""PostgreSQL driver: an asyncpg pool; `:name` parameters become `$n` once per statement text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import asyncpg

from punchclock.kit.db import (
    _PARAM,
    LAST_WRITE_DONE,
    Params,
    Row,
    UniqueViolation,
    Unit,
    check_identifiers,
    expand_lists,
    refuse_nul,
)


@lru_cache(maxsize=4096)
def _positional(sql: str) -> tuple[str, tuple[str, ...]]:
    order: list[str] = []

    def repl(match: Any) -> str:
        name = match.group(1)
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    return _PARAM.sub(repl, sql), tuple(order)


def _bind(sql: str, params: Params | None) -> tuple[str, list[Any]]:
    sql, flat = expand_lists(sql, params or {})
    text, names = _positional(sql)
    return text, [flat[n] for n in names]


async def _keep_session(_: Any) -> None:
    """Pool reset on release. asyncpg's default costs a round trip per request (`RESET ALL`, `UNLISTEN *`,
    `CLOSE ALL`, advisory unlock) to undo session state we never create: no SET, LISTEN, session advisory
    lock or cursor outside a transaction. An unfinished transaction is still rolled back by asyncpg."""


class PostgresUnit(Unit):
    dialect = "postgres"

    def __init__(self, db: PostgresDatabase, write: bool) -> None:
        self._db = db
        self._write = write
        self._conn: Any = None
        self._tx: Any = None
        self._sealed = False  # its `last` write ran on its own: no write may follow

    async def _ensure(self, writes: bool = False, *, alone: bool = False) -> Any:
        """The unit's connection; for a write unit's first write, its transaction begun (unless the write
        runs `alone`: a `last` write with nothing before it). Reads before that run without BEGIN: at READ
        COMMITTED each statement takes its own snapshot inside a transaction too, so the round trip would
        buy them nothing (row locks are taken with `execute`, which begins it)."""
        if writes and self._sealed:
            raise RuntimeError(LAST_WRITE_DONE)
        if self._conn is None:
            self._conn = await self._db.pool.acquire()
        if writes and not alone and self._write and self._tx is None:
            tx = self._conn.transaction()
            await tx.start()
            self._tx = tx
        return self._conn

    async def fetch_one(self, sql: str, params: Params | None = None) -> Row | None:
        conn = await self._ensure()
        text, args = _bind(sql, params)
        try:
            row: Row | None = await conn.fetchrow(text, *args)
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc
        return row

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        conn = await self._ensure()
        text, args = _bind(sql, params)
        try:
            rows: list[Row] = await conn.fetch(text, *args)
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc
        return rows

    async def execute(self, sql: str, params: Params | None = None, *, last: bool = False) -> int:
        # A last write with nothing written before it needs no transaction: one statement commits on its
        # own, whole or not at all.
        conn = await self._ensure(writes=True, alone=last)
        self._sealed = last
        text, args = _bind(sql, params)
        try:
            status: str = await conn.execute(text, *args)
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        if not rows:
            return
        for row in rows:
            refuse_nul(row.values())
        conn = await self._ensure(writes=True)
        text, names = _positional(sql)
        try:
            await conn.executemany(text, [[r[n] for n in names] for r in rows])
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc

    async def copy_rows(self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> int:
        check_identifiers(table, *columns)
        conn = await self._ensure(writes=True)
        try:
            status: str = await conn.copy_records_to_table(table, records=records, columns=list(columns))
        except asyncpg.UniqueViolationError as exc:
            raise UniqueViolation(str(exc)) from exc
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def finish(self, ok: bool) -> None:
        if self._conn is None:
            return
        try:
            if self._tx is None:
                pass
            elif ok:
                await self._tx.commit()
            else:
                await self._tx.rollback()
        finally:
            conn, self._conn, self._tx = self._conn, None, None
            await self._db.pool.release(conn)


# Connections of a process that is not a server worker (the CLI, tests); a server's workers size their pools
# by the machine's cores (settings.Settings.effective_db_pool_size).
DEFAULT_POOL_SIZE = 4


class PostgresDatabase:
    dialect = "postgres"

    def __init__(self, url: str, min_size: int = 2, max_size: int | None = None) -> None:
        self.url = url
        self._pool: asyncpg.Pool | None = None
        max_size = max_size or DEFAULT_POOL_SIZE
        self._sizes = (min(min_size, max_size), max_size)

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("database is not open")
        return self._pool

    async def open(self) -> None:
        self._pool = await asyncpg.create_pool(
            self.url,
            min_size=self._sizes[0],
            max_size=self._sizes[1],
            statement_cache_size=1024,
            reset=_keep_session,
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def begin(self, *, write: bool) -> PostgresUnit:
        return PostgresUnit(self, write)

    async def run_script(self, script: str) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(script)
