"""SQLite driver: one connection per process, called straight from the event loop, with group commit.

A statement takes microseconds, so a thread hop would cost more than the query. Units are serialised by
an asyncio lock held from the first statement to the unit's end (given back only while a unit waits for
the write lock), so two requests never interleave statements even if one awaits in between. A write unit
reads outside a transaction (statement by statement) up to its first write, and only then takes the
write lock, which other processes share in turns (`BEGIN IMMEDIATE`, `WriterTurns`).

Group commit: write units of this process that arrive together share one write transaction, each
writing in a SAVEPOINT of its own (taken at its first write; a unit whose one write is its `last` needs
none: a failed statement leaves nothing), and the last of them commits it for all. A finished unit
leaves the transaction open for one turn of the event loop, so requests that are ready reach their first
statement and join. Each unit answers only after that COMMIT, so nothing is acknowledged before it is
committed, and a unit that fails rolls back to its own savepoint, leaving the others' writes whole. What
it saves per write is the BEGIN IMMEDIATE, the COMMIT (a hot index page is appended to the WAL once per
group, not once per request) and the hand-over of the write lock between processes. Reads never join a
group: a read that finds one open commits it first, so it sees every acknowledged write, and read
snapshots are never kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from punchclock.kit.db import (
    LAST_WRITE_DONE,
    Params,
    Row,
    UniqueViolation,
    Unit,
    check_identifiers,
    expand_lists,
    refuse_nul,
)

# How long a write waits for another process's write lock before failing.
WRITE_LOCK_TIMEOUT = 10.0
MMAP_SIZE = 1 << 40  # capped by SQLite to its SQLITE_MAX_MMAP_SIZE
JOURNAL_SIZE_LIMIT = 64 << 20
BACKSTOP_BUSY_MS = 10_000
OPEN_WAIT_S = 120.0  # how long opening the file waits for another process holding it (see _switch_to_wal)
# A group ends when no unit of this process waits, or at these bounds (which keep a neighbour process
# waiting for the write lock, and the first member's answer, from waiting long).
GROUP_MAX_UNITS = 64
GROUP_MAX_SECONDS = 0.004
GROUP_MAX_SECONDS_CONTENDED = 0.003


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """`PRAGMA journal_mode=WAL`, waiting up to OPEN_WAIT_S for another process that holds the file (a
    bulk load through a rollback journal, `punchclock demo seed`). SQLite's busy handler covers only part
    of that wait: while the other process holds its RESERVED lock, the switch is refused at once (it
    reads the file's header first and may not then wait for the write lock), so it is retried here. At
    start-up, before any request, so sleeping in this thread stalls nothing."""
    deadline = time.monotonic() + OPEN_WAIT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                conn.close()
                raise
        time.sleep(0.05)


def _without_busy_wait(conn: sqlite3.Connection, sql: str) -> sqlite3.Cursor:
    """Run `sql` with a busy timeout of 0 (a lock another process holds fails it at once, instead of SQLite
    sleeping in the event loop's thread), then put the backstop back."""
    conn.execute("PRAGMA busy_timeout=0")
    try:
        return conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA busy_timeout={BACKSTOP_BUSY_MS}")


def _begin_immediate_or_busy(conn: sqlite3.Connection) -> None:
    _without_busy_wait(conn, "BEGIN IMMEDIATE")


class WriterTurns:
    """Fair turns at SQLite's write lock for the worker processes sharing one database file.

    A writer that finds the lock taken polls for it with short asyncio sleeps (the event loop goes on
    serving other requests) and stamps the time and its process id into a small file next to the
    database. The process holding the lock ends its commit group early when it sees a neighbour's fresh
    stamp, and a process that wrote last lets its next group pause once, briefly, so the waiting process
    gets its turn instead of being starved by a neighbour with a queue of writes. The file holds an 8-byte
    monotonic timestamp (CLOCK_MONOTONIC is machine-wide) and an 8-byte pid; a torn or stale value only
    costs a pause or a shorter group.
    """

    FRESH_NS = 3_000_000
    PAUSE_S = 0.0015
    POLL_MAX_S = 0.0005  # a waiting writer polls at least this often, well inside a neighbour's pause

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        self._pid = os.getpid()
        self.wrote_last = False

    def note_waiting(self) -> None:
        stamp = time.monotonic_ns().to_bytes(8, "little") + self._pid.to_bytes(8, "little")
        os.pwrite(self._fd, stamp, 0)

    def note_served(self) -> None:
        """This process waited and now holds the lock: the neighbour need not pause for it any longer."""
        os.pwrite(self._fd, bytes(16), 0)

    def neighbour_waiting(self) -> bool:
        """Whether another process stamped a wait for the write lock in the last few milliseconds."""
        raw = os.pread(self._fd, 16, 0).ljust(16, b"\0")
        if int.from_bytes(raw[8:], "little") == self._pid:
            return False
        return time.monotonic_ns() - int.from_bytes(raw[:8], "little") < self.FRESH_NS

    def should_yield(self) -> bool:
        return self.wrote_last and self.neighbour_waiting()

    def close(self) -> None:
        os.close(self._fd)


class Checkpointer:
    """Copies the WAL back into the database file from a thread of its own, off the event loop, and keeps
    the WAL from growing without end.

    SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL pages: the event loop then
    stalls while pages are copied and the file is synced, and every request of the process waits. Here the
    serving connection's automatic checkpoint is off, and this thread runs a PASSIVE checkpoint (it never
    waits for readers or writers, and another process's concurrent one just makes it skip) every
    `INTERVAL_S` on its own connection; sqlite3 releases the GIL meanwhile.

    A passive checkpoint never makes the WAL start over: under steady writes from two processes some
    reader always holds an old snapshot when a writer would restart it, so it grew by ~25,000 pages in 5 s
    of entry writes, and every read of a page missing from the cache searched the hash tables of all of
    them. Once the WAL holds `RESTART_PAGES` and all are copied, a RESTART checkpoint waits up to
    `RESTART_WAIT_MS` for those readers (writers wait meanwhile: they poll for the lock), so that the next
    writer starts the WAL over.
    """

    INTERVAL_S = 0.1
    RESTART_PAGES = 4096
    RESTART_WAIT_MS = 10

    def __init__(self, path: Path) -> None:
        self._path = path
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA busy_timeout=0")
            while not self._stop.wait(self.INTERVAL_S):
                with contextlib.suppress(sqlite3.OperationalError):
                    self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        busy, pages, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if not busy and pages >= self.RESTART_PAGES and copied == pages:
            conn.execute(f"PRAGMA busy_timeout={self.RESTART_WAIT_MS}")
            try:
                conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchall()
            finally:
                conn.execute("PRAGMA busy_timeout=0")

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class _Group:
    """The write transaction that this process's queued write units share."""

    __slots__ = ("committed", "started", "units")

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.units = 0
        self.committed: asyncio.Future[None] = asyncio.get_running_loop().create_future()


class SqliteUnit(Unit):
    """One request's transaction on this process's connection.

    A write unit reads without a transaction of its own (each statement on its own snapshot) until its
    first write (`execute`, `execute_many`, `copy_rows`): only then does it take the database's write lock
    (or join this process's open group).
    So a process waiting for the lock still authenticates and validates its requests, and a write request
    refused by validation never takes the lock. As on PostgreSQL at READ COMMITTED, what a unit read before
    its first write may have changed by then; unique indexes and the writes' own conditions are the last
    word. A unit that starts while its process's group is open joins the group at once (it reads the
    group's writes, and answers after its COMMIT).
    """

    dialect = "sqlite"

    def __init__(self, db: SqliteDatabase, write: bool) -> None:
        self._db = db
        self._write = write
        self._open = False
        self._group: _Group | None = None
        self._sealed = False  # its `last` write has run: no write may follow
        self._savepoint = False  # it has written inside the group under a savepoint of its own

    async def _ensure(self, writes: bool = False, *, alone: bool = False) -> sqlite3.Connection:
        """The connection, held; for a write, the unit in a write group and (unless the write runs `alone`:
        a `last` write with nothing before it) its savepoint taken."""
        if writes and self._sealed:
            raise RuntimeError(LAST_WRITE_DONE)
        conn = self._db.conn
        if not self._open:
            await self._begin(conn, writes)
        elif writes and self._group is None:
            await self._claim_write_lock(conn)
        if writes and not alone and not self._savepoint:
            conn.execute("SAVEPOINT unit")
            self._savepoint = True
        return conn

    async def _begin(self, conn: sqlite3.Connection, writes: bool) -> None:
        """Take this process's connection, then join the open write group or start a read transaction
        (a read unit commits an open group first; a first statement that writes claims the write lock)."""
        db = self._db
        await db.acquire()
        try:
            if db.group is not None and not self._write and not writes:
                db.commit_group()
            if db.group is not None:
                self._join(db.group)
            elif not self._write:
                # A read's statements share one snapshot. A write unit's reads before its first write
                # run each in its own (autocommit): one snapshot would buy them nothing (see the class),
                # and its BEGIN and COMMIT cost a create request two statements.
                conn.execute("BEGIN")
        except BaseException:
            db.release()
            raise
        self._open = True
        if writes and self._group is None:
            await self._claim_write_lock(conn)

    def _join(self, group: _Group) -> None:
        self._group = group
        group.units += 1

    async def _claim_write_lock(self, conn: sqlite3.Connection) -> None:
        """The unit's first write (it holds the connection): end its read transaction, then join this
        process's group, or open one with `BEGIN IMMEDIATE`.

        Another worker process may hold the write lock. SQLite's own busy handler would wait for it by
        sleeping in the event loop's thread (1, 2, 5 … 100 ms steps), stalling every request of this
        process. So `BEGIN IMMEDIATE` runs with a busy timeout of 0, and the unit gives the connection back
        while it waits, so that this process's other requests go on up to their own first write. One
        waiting unit per process (the seeker) polls with short asyncio sleeps; the others wait for it and
        then join the group it opens. `WriterTurns` keeps a busy neighbour from starving the seeker. After
        `WRITE_LOCK_TIMEOUT` seconds the error surfaces, and the unit is closed (the connection given
        back)."""
        db = self._db
        holding, seeking = True, False
        delay, deadline = 0.0001, 0.0
        try:
            if conn.in_transaction:
                conn.execute("COMMIT")
            while True:
                if db.group is not None:
                    self._join(db.group)
                    return
                pause = db.writers_pause()
                if pause <= 0:
                    try:
                        _begin_immediate_or_busy(conn)
                    except sqlite3.OperationalError as exc:
                        if not _is_busy(exc):
                            raise
                    else:
                        if deadline:
                            db.turns.note_served()
                        db.group = _Group()
                        self._join(db.group)
                        return
                db.release()
                holding = False
                now = time.monotonic()
                if not deadline:
                    deadline = now + WRITE_LOCK_TIMEOUT
                elif now >= deadline:
                    raise sqlite3.OperationalError("database is locked")
                if pause > 0:
                    await asyncio.sleep(pause)
                elif seeking or db.lock_seeker is None:
                    if not seeking:
                        db.lock_seeker = asyncio.get_running_loop().create_future()
                        seeking = True
                    db.turns.note_waiting()
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, WriterTurns.POLL_MAX_S)
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(db.lock_seeker), deadline - now)
                await db.acquire()
                holding = True
        except BaseException:
            self._open = False
            if holding:
                if conn.in_transaction and db.group is None:
                    conn.execute("ROLLBACK")
                db.release()
            raise
        finally:
            if seeking:
                db.wake_lock_waiters()

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

    async def _tuples(self, sql: str, params: Params | None) -> sqlite3.Cursor:
        """The statement run on a cursor that yields plain tuples (for the readers of many rows)."""
        conn = await self._ensure()
        sql, bound = expand_lists(sql, params or {})
        cursor = conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, bound)

    async def fetch_positional(self, sql: str, params: Params | None = None) -> Sequence[Sequence[Any]]:
        # Tuples: about 15% less to read a year's export than sqlite3.Row.
        rows: list[tuple[Any, ...]] = (await self._tuples(sql, params)).fetchall()
        return rows

    async def fetch_mapped(self, sql: str, params: Params | None = None) -> Sequence[Row]:
        cursor = await self._tuples(sql, params)
        rows = cursor.fetchall()
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in rows]

    async def execute(self, sql: str, params: Params | None = None, *, last: bool = False) -> int:
        # A last write with nothing written before it needs no savepoint: SQLite undoes a failed statement
        # whole, and nothing follows it (so, as on PostgreSQL, once it ran it stays).
        conn = await self._ensure(writes=True, alone=last)
        self._sealed = last
        return self._run(conn, sql, params).rowcount

    async def execute_many(self, sql: str, rows: Sequence[Params]) -> None:
        for row in rows:
            refuse_nul(row.values())
        conn = await self._ensure(writes=True)
        try:
            conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise UniqueViolation(str(exc)) from exc
            raise

    async def copy_rows(self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> int:
        """Unit.copy_rows with positional tuples straight into executemany (generated rows only)."""
        check_identifiers(table, *columns)
        conn = await self._ensure(writes=True)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        try:
            return conn.executemany(sql, records).rowcount
        except sqlite3.IntegrityError as exc:
            if "UNIQUE" in str(exc):
                raise UniqueViolation(str(exc)) from exc
            raise

    async def finish(self, ok: bool) -> None:
        """End the unit: a read commits its transaction; a write releases (ok) or rolls back to its
        savepoint, then either leaves the group open for the units queued behind it and waits for their
        COMMIT, or commits the group itself."""
        if not self._open:
            return
        db, conn, group = self._db, self._db.conn, self._group
        self._open = False
        if group is None:
            try:
                if conn.in_transaction:
                    conn.execute("COMMIT" if ok else "ROLLBACK")
            except sqlite3.Error:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                db.release()
            return
        try:
            # Without a savepoint it only read in the group, or wrote alone (its `last` write stays).
            if self._savepoint:
                if not ok:
                    conn.execute("ROLLBACK TO unit")
                conn.execute("RELEASE unit")
        except BaseException:
            db.abort_group()
            db.release()
            raise
        if db.group_may_grow(group):
            # Leave the group open and let the requests that are ready run up to their first statement:
            # they join it. Whoever finds it open, the connection free and nobody queued commits it.
            db.lock.release()
            try:
                await asyncio.sleep(0)
            finally:
                if db.group is group and not db.lock.locked() and not db.waiting:
                    await db.acquire()  # free and nobody queued: returns at once
                    db.release()
        else:
            db.commit_group()
            db.release()
        if ok:
            await asyncio.shield(group.committed)


class SqliteDatabase:
    dialect = "sqlite"

    def __init__(self, url: str, *, serving: bool = False) -> None:
        self.url = url
        self.path = Path(url.removeprefix("sqlite:///"))
        self._serving = serving  # a server process: checkpoints run on a thread (`Checkpointer`)
        self._checkpointer: Checkpointer | None = None
        self._conn: sqlite3.Connection | None = None
        self._turns: WriterTurns | None = None
        self.lock = asyncio.Lock()
        self.group: _Group | None = None
        self.waiting = 0  # units of this process waiting for the connection
        self.paused_until = 0.0  # this process's writers let the neighbour take the write lock until then
        # Resolved when the unit polling for the write lock gets it (or stops): the others then join.
        self.lock_seeker: asyncio.Future[None] | None = None
        self._orphans: set[asyncio.Task[None]] = set()

    @property
    def turns(self) -> WriterTurns:
        if self._turns is None:
            raise RuntimeError("database is not open")
        return self._turns

    async def acquire(self) -> None:
        """Take the connection, counted as waiting meanwhile (a unit leaving a group open relies on it)."""
        self.waiting += 1
        try:
            await self.lock.acquire()
        except BaseException:
            self.waiting -= 1
            if self.group is not None and not self.waiting and not self.lock.locked():
                # The unit that left the group open counted on this one, cancelled while it waited.
                task = asyncio.get_running_loop().create_task(self._commit_orphaned())
                self._orphans.add(task)
                task.add_done_callback(self._orphans.discard)
            raise
        self.waiting -= 1

    def release(self) -> None:
        """Give the connection back; an open group is committed unless a waiting unit will join it."""
        if self.group is not None and not self.waiting:
            self.commit_group()
        self.lock.release()

    async def _commit_orphaned(self) -> None:
        await self.acquire()
        self.release()

    def writers_pause(self) -> float:
        """Seconds this process's writers should still wait before taking the write lock: when this
        process wrote last and the neighbour waits, they all pause for a few of the neighbour's polls, so
        that it gets the lock."""
        if self.turns.should_yield():
            self.turns.wrote_last = False
            self.paused_until = time.monotonic() + WriterTurns.PAUSE_S
        return self.paused_until - time.monotonic()

    def wake_lock_waiters(self) -> None:
        seeker, self.lock_seeker = self.lock_seeker, None
        if seeker is not None and not seeker.done():
            seeker.set_result(None)

    def group_may_grow(self, group: _Group) -> bool:
        age = time.monotonic() - group.started
        limit = GROUP_MAX_SECONDS_CONTENDED if self.turns.neighbour_waiting() else GROUP_MAX_SECONDS
        return group.units < GROUP_MAX_UNITS and age < limit

    def commit_group(self) -> None:
        """COMMIT the open group (the lock is held) and tell its waiting units how it went."""
        group, self.group = self.group, None
        if group is None:
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            group.committed.set_exception(exc)
            # Mark the exception retrieved for units that failed before the COMMIT and will not await it.
            group.committed.exception()
        else:
            group.committed.set_result(None)
        finally:
            self.turns.wrote_last = True

    def abort_group(self) -> None:
        """Roll the open group back after its savepoint bookkeeping failed (the lock is held)."""
        group, self.group = self.group, None
        if group is None:
            return
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        group.committed.set_exception(sqlite3.OperationalError("the commit group was rolled back"))
        group.committed.exception()

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=1.0)
        conn.row_factory = sqlite3.Row
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")
        # A backstop for rare busy moments of reads (WAL recovery); waiting for another process's write
        # lock is done by SqliteUnit._begin without blocking the event loop.
        conn.execute(f"PRAGMA busy_timeout={BACKSTOP_BUSY_MS}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA cache_size=-65536")
        conn.execute("PRAGMA temp_store=MEMORY")
        # Pages are read straight from the OS page cache through a memory map (up to the build's limit,
        # 2 GB here) instead of a read() call and a copy per page that is not in the 64 MB cache: a
        # year's export touches hundreds of MB, and spent about a third of its SQL time on those reads.
        conn.execute(f"PRAGMA mmap_size={MMAP_SIZE}")
        # A WAL that grew under a burst is cut back to this size once it restarts.
        conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
        if self._serving:
            conn.execute("PRAGMA wal_autocheckpoint=0")
            self._checkpointer = Checkpointer(self.path)
        self._conn = conn
        self._turns = WriterTurns(self.path.with_name(self.path.name + "-turns"))

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
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

    async def set_journal_mode(self, mode: str) -> str:
        """Switch the database file's journal mode (outside any unit); the mode in force afterwards. Leaving
        WAL needs every other connection closed: while another process has the file open (a running
        server), SQLite keeps WAL and so does this, at once rather than after the busy timeout."""
        if mode not in ("wal", "delete"):
            raise ValueError(mode)
        async with self.lock:
            try:
                row = _without_busy_wait(self.conn, f"PRAGMA journal_mode={mode}").fetchone()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                row = self.conn.execute("PRAGMA journal_mode").fetchone()
        return str(row[0]).lower()
