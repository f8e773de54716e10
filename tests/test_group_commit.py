"""Answered means committed, even when writes share a transaction.

On SQLite, the write requests that arrive together share one transaction, each in its own savepoint
(group commit, kit/db/sqlite.py). This drives a burst of time-entry writes, some of them invalid, into two
worker processes, kills every server process mid-burst, and then reads the database file as the next
start would: every entry the server answered 201 for is there with all its tags, and no refused write
left anything behind. The same holds on PostgreSQL, where each request commits on its own.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from punchclock.kit.db import Unit
from tests.conftest import BACKENDS, in_database, new_database_url, running_server

WRITERS = 12
KILL_AFTER = 200  # answered writes before the kill
UNKNOWN_TAG = "f" * 24


def _kill_tree(pid: int) -> None:
    """SIGKILL a process and its children (granian's workers), children first."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat[stat.rfind(")") + 2 :].split()[1]) == pid:
                children.append(int(entry.name))
    for child in children:
        os.kill(child, signal.SIGKILL)
    os.kill(pid, signal.SIGKILL)


def _stored(database_url: str, workspace_id: str) -> tuple[dict[str, str], dict[str, int]]:
    async def read(unit: Unit) -> tuple[dict[str, str], dict[str, int]]:
        entries = await unit.fetch_all(
            "SELECT id, description FROM time_entries WHERE workspace_id = :ws", {"ws": workspace_id}
        )
        tags = await unit.fetch_all(
            "SELECT time_entry_id, COUNT(*) FROM time_entry_tags WHERE workspace_id = :ws "
            "GROUP BY time_entry_id",
            {"ws": workspace_id},
        )
        return {r[0]: r[1] for r in entries}, {r[0]: int(r[1]) for r in tags}

    return in_database(database_url, read)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the server's worker processes in /proc")
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_answered_write_survives_a_kill_whole(backend: str, tmp_path: Path) -> None:
    database_url = new_database_url(backend, tmp_path)
    acknowledged: list[str] = []
    refused: list[str] = []
    unexpected: list[int] = []
    stop = threading.Event()
    with running_server(backend, database_url, tmp_path, workers=2) as server:
        me = server.account()
        tag_ids = [me.post("/workspaces/{ws}/tags", {"name": f"tag {n}"}).json()["id"] for n in (1, 2)]
        path = f"/api/v1/workspaces/{me.workspace_id}/time-entries"

        ready = threading.Barrier(WRITERS + 1)

        def write(writer: int) -> None:
            with httpx.Client(base_url=server.base_url, headers={"X-Api-Key": me.api_key}) as http:
                ready.wait()
                n = 0
                while not stop.is_set():
                    n += 1
                    description = f"writer {writer} entry {n}"
                    invalid = n % 4 == 0  # an unknown tag: refused, and must leave no entry behind
                    body = {
                        "start": f"2026-05-{1 + n % 28:02d}T09:00:00Z",
                        "end": f"2026-05-{1 + n % 28:02d}T10:00:00Z",
                        "description": description,
                        "tagIds": [tag_ids[0], UNKNOWN_TAG if invalid else tag_ids[1]],
                    }
                    try:
                        r = http.post(path, json=body)
                    except httpx.TransportError:
                        return  # the kill: this one was never answered
                    if r.status_code == 201:
                        acknowledged.append(r.json()["id"])
                    elif r.status_code == 400 and invalid:
                        refused.append(description)
                    else:
                        unexpected.append(r.status_code)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
        for thread in threads:
            thread.start()
        ready.wait()
        deadline = time.monotonic() + 60
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        _kill_tree(server.process.pid)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.process.wait(timeout=10)

    assert unexpected == []
    assert len(acknowledged) >= KILL_AFTER
    assert refused, "the burst should have included refused writes"
    entries, tag_counts = _stored(database_url, me.workspace_id)
    missing = set(acknowledged) - set(entries)
    assert not missing, f"{len(missing)} answered entries were lost"
    assert all(tag_counts.get(entry_id) == 2 for entry_id in entries), "an entry lost some of its tags"
    assert not set(refused) & set(entries.values()), "a refused write left an entry behind"


def test_reports_read_while_another_process_holds_the_write_lock(tmp_path: Path) -> None:
    """Reports are POSTs that only read: on SQLite they must not wait for the write lock (a year's
    summary holding it would stall every writer), so they answer while another process writes."""
    database_url = new_database_url("sqlite", tmp_path)
    with running_server("sqlite", database_url, tmp_path) as server:
        me = server.account()
        me.post(
            "/workspaces/{ws}/time-entries", {"start": "2026-05-04T09:00:00Z", "end": "2026-05-04T10:00:00Z"}
        )
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            started = time.monotonic()
            r = httpx.post(
                f"{server.base_url}/reports/v1/workspaces/{me.workspace_id}/reports/summary",
                headers={"X-Api-Key": me.api_key},
                json={
                    "dateRangeStart": "2026-05-01T00:00:00Z",
                    "dateRangeEnd": "2026-05-31T23:59:59Z",
                    "summaryFilter": {"groups": ["PROJECT"]},
                },
                timeout=30,
            )
            elapsed = time.monotonic() - started
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert r.status_code == 200, r.text
        assert r.json()["totals"][0]["totalTime"] == 3600
        assert elapsed < 5, f"the report waited {elapsed:.1f}s for the write lock"


def test_writes_take_the_write_lock_only_at_their_first_write(tmp_path: Path) -> None:
    """A write request authenticates and validates without SQLite's write lock: while another process
    holds it, a refused write is answered at once, and a valid one waits, then lands once it is free."""
    database_url = new_database_url("sqlite", tmp_path)
    with running_server("sqlite", database_url, tmp_path) as server:
        me = server.account()
        path = f"{server.base_url}/api/v1/workspaces/{me.workspace_id}/time-entries"
        headers = {"X-Api-Key": me.api_key}
        body = {"start": "2026-05-04T09:00:00Z", "end": "2026-05-04T10:00:00Z", "description": "waited"}
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        answers: list[httpx.Response] = []
        writer = threading.Thread(target=lambda: answers.append(httpx.post(path, headers=headers, json=body)))
        try:
            started = time.monotonic()
            refused = httpx.post(path, headers=headers, json={**body, "projectId": UNKNOWN_TAG}, timeout=30)
            assert refused.status_code == 400, refused.text
            assert time.monotonic() - started < 2, "a refused write waited for the write lock"
            writer.start()
            time.sleep(0.5)
            assert not answers, "a write was answered while another process held the write lock"
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        writer.join(timeout=15)
        assert [r.status_code for r in answers] == [201]
        listed = me.get("/workspaces/{ws}/user/{me}/time-entries").json()
        assert [e["description"] for e in listed] == ["waited"]


def test_the_server_checkpoints_its_wal_while_it_runs(tmp_path: Path) -> None:
    """Serving connections leave checkpoints to a thread of their own (kit/db/sqlite.py Checkpointer):
    the writes reach the database file while the server runs, not only when it stops."""
    database_url = new_database_url("sqlite", tmp_path)
    database_file = Path(database_url.removeprefix("sqlite:///"))
    with running_server("sqlite", database_url, tmp_path) as server:
        me = server.account()
        size_before = database_file.stat().st_size
        for n in range(200):
            r = me.post(
                "/workspaces/{ws}/time-entries",
                {
                    "start": "2026-05-04T09:00:00Z",
                    "end": "2026-05-04T10:00:00Z",
                    "description": "x" * 500 + str(n),
                },
            )
            assert r.status_code == 201, r.text
        deadline = time.monotonic() + 5
        while database_file.stat().st_size == size_before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert database_file.stat().st_size > size_before, "nothing was checkpointed into the database file"
