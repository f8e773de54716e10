"""SQLite driver: one connection per process, called straight from the event loop.

A statement takes microseconds, so a thread hop would cost more than the query. Units are serialised by
an asyncio lock held from the first statement to commit, so two requests never share a transaction even if
one awaits in between; other processes take turns at writing (`BEGIN IMMEDIATE`, `WriterTurns`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from punchclock.kit.db import Params, Row, UniqueViolation, Unit, check_identifiers, expand_lists, refuse_nul

# How long a write waits for another process's write lock before failing.
WRITE_LOCK_TIMEOUT = 10.0
BACKSTOP_BUSY_MS = 10_000


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _begin_immediate_or_busy(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA busy_timeout=0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    finally:
        conn.execute(f"PRAGMA busy_timeout={BACKSTOP_BUSY_MS}")


class WriterTurns:
    """Fair turns at SQLite's write lock for the worker processes sharing one database file.

    A writer that finds the lock taken polls for it with short asyncio sleeps (the event loop goes on
    serving other requests) and stamps the time into a small file next to the database. A process that
    wrote last and sees a fresh stamp lets its next writer pause once, briefly, so the waiting process
    gets its turn instead of being starved by a neighbour with a queue of writes. The file holds one
    8-byte monotonic timestamp (CLOCK_MONOTONIC is machine-wide); a torn or stale value only costs a pause.
    """

    FRESH_NS = 3_000_000
    PAUSE_S = 0.001

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self.wrote_last = False

    def note_waiting(self) -> None:
        os.pwrite(self._fd, time.monotonic_ns().to_bytes(8, "little"), 0)

    def should_yield(self) -> bool:
        if not self.wrote_last:
            return False
        stamp = int.from_bytes(os.pread(self._fd, 8, 0).ljust(8, b"\0"), "little")
        return time.monotonic_ns() - stamp < self.FRESH_NS

    def close(self) -> None:
        os.close(self._fd)


class SqliteUnit(Unit):
    dialect = "sqlite"

    def __init__(self, db: SqliteDatabase, write: bool) -> None:
        self._db = db
        self._write = write
        self._open = False

    async def _ensure(self) -> sqlite3.Connection:
        conn = self._db.conn
        if not self._open:
            await self._begin(conn)
        return conn

    async def _begin(self, conn: sqlite3.Connection) -> None:
        """Take this process's connection, then (for writes) the database's write lock.

        Another worker process may hold the write lock. SQLite's own busy handler would poll for it by
        sleeping in the event loop's thread (1, 2, 5 … 100 ms steps), stalling every request of this
        process. So `BEGIN IMMEDIATE` runs with a busy timeout of 0 and is retried after short asyncio
        sleeps, the connection released meanwhile so this process's reads go on; `WriterTurns` keeps a
        busy neighbour from starving the waiter. A transaction holds the write lock only for the
        microseconds its statements take; after `WRITE_LOCK_TIMEOUT` seconds the error surfaces.
        """
        db = self._db
        if self._write and db.turns.should_yield():
            db.turns.wrote_last = False
            await asyncio.sleep(WriterTurns.PAUSE_S)
        delay, waited = 0.0002, 0.0
        while True:
            await db.lock.acquire()
            try:
                if self._write:
                    _begin_immediate_or_busy(conn)
                else:
                    conn.execute("BEGIN")
            except sqlite3.OperationalError as exc:
                db.lock.release()
                if not _is_busy(exc) or waited >= WRITE_LOCK_TIMEOUT:
                    raise
            except BaseException:
                db.lock.release()
                raise
            else:
                self._open = True
                return
            db.turns.note_waiting()
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, 0.002)

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

    async def copy_rows(self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> int:
        """Unit.copy_rows with positional tuples straight into executemany (generated rows only)."""
        check_identifiers(table, *columns)
        conn = await self._ensure()
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        try:
            return conn.executemany(sql, records).rowcount
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
            if self._write:
                self._db.turns.wrote_last = True
            self._db.lock.release()


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = Path(url.removeprefix("sqlite:///"))
        self._conn: sqlite3.Connection | None = None
        self._turns: WriterTurns | None = None
        self.lock = asyncio.Lock()

    @property
    def turns(self) -> WriterTurns:
        if self._turns is None:
            raise RuntimeError("database is not open")
        return self._turns

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
        # A backstop for rare busy moments of reads (WAL recovery); waiting for another process's write
        # lock is done by SqliteUnit._begin without blocking the event loop.
        conn.execute(f"PRAGMA busy_timeout={BACKSTOP_BUSY_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        self._conn = conn
        self._turns = WriterTurns(self.path.with_name(self.path.name + "-turns"))

    async def close(self) -> None:
        if self._conn is not None:
            # Refresh the planner's statistics where they have drifted: worth it, never required
            # (another process may hold the write lock ANALYZE needs at this moment).
            with contextlib.suppress(sqlite3.OperationalError):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._conn = None
        if self._turns is not None:
            self._turns.close()
            self._turns = None

    def begin(self, *, write: bool) -> SqliteUnit:
        return SqliteUnit(self, write)

    async def run_script(self, script: str) -> None:
        async with self.lock:
            self.conn.executescript(script)
