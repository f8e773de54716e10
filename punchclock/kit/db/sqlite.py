"""SQLite driver: one connection per process, called straight from the event loop.

A statement takes microseconds, so a thread hop would cost more than the query. Units are serialised by
an asyncio lock held from the first statement to commit, so two requests never share a transaction even if
one awaits in between; other processes are kept out by `BEGIN IMMEDIATE` and `busy_timeout`.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from punchclock.kit.db import Params, Row, UniqueViolation, Unit, expand_lists, refuse_nul


class SqliteUnit(Unit):
    dialect = "sqlite"

    def __init__(self, db: SqliteDatabase, write: bool) -> None:
        self._db = db
        self._write = write
        self._open = False

    async def _ensure(self) -> sqlite3.Connection:
        conn = self._db.conn
        if not self._open:
            await self._db.lock.acquire()
            self._open = True
            try:
                conn.execute("BEGIN IMMEDIATE" if self._write else "BEGIN")
            except BaseException:
                self._open = False
                self._db.lock.release()
                raise
        return conn

    def _run(self, conn: sqlite3.Connection, sql: str, params: Params | None) -> sqlite3.Cursor:
        sql, bound = expand_lists(sql, params or {})
        try:
            return conn.execute(sql, bound)
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise UniqueViolation(str(exc)) from exc
            raise

    async def fetch_one(self, sql: str, params: Params | None = None) -> Row | None:
        conn = await self._ensure()
        row: Row | None = self._run(conn, sql, params).fetchone()
        return row

    async def fetch_all(self, sql: str, params: Params | None = None) -> list[Row]:
        conn = await self._ensure()
        return self._run(conn, sql, params).fetchall()

    async def execute(self, sql: str, params: Params | None = None) -> int:
        conn = await self._ensure()
        return self._run(conn, sql, params).rowcount

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        for row in rows:
            refuse_nul(row.values())
        conn = await self._ensure()
        try:
            conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise UniqueViolation(str(exc)) from exc
            raise

    async def finish(self, ok: bool) -> None:
        if not self._open:
            return
        try:
            self._db.conn.execute("COMMIT" if ok else "ROLLBACK")
        except sqlite3.Error:
            if self._db.conn.in_transaction:
                self._db.conn.execute("ROLLBACK")
            raise
        finally:
            self._open = False
            self._db.lock.release()


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = Path(url.removeprefix("sqlite:///"))
        self._conn: sqlite3.Connection | None = None
        self.lock = asyncio.Lock()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=10000")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        self._conn = conn

    async def close(self) -> None:
        if self._conn is not None:
            self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._conn = None

    def begin(self, *, write: bool) -> SqliteUnit:
        return SqliteUnit(self, write)

    async def run_script(self, script: str) -> None:
        async with self.lock:
            self.conn.executescript(script)
