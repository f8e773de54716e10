"""`punchclock demo seed`: run as a user runs it, against the database of the suite's server, then checked
in SQL (counts and invariants) and over the API (the owner's key lists the seeded entries)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from punchclock.kit.db import Unit, connect
from punchclock.kit.time import format_duration
from tests.conftest import Server, in_database

UNTIL = "2026-06-01"
UNTIL_MS = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp() * 1000)
DAY_MS = 86_400_000


@dataclass
class Seeded:
    workspace_id: str
    owner_id: str
    api_key: str
    output: str


def run_seed(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`punchclock demo seed` as a user runs it, against `database_url`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUNCHCLOCK_")}
    return subprocess.run(
        [sys.executable, "-m", "punchclock", "demo", "seed", "--database-url", database_url, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def seed(server: Server, *args: str) -> Seeded:
    done = run_seed(server.database_url, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert re.search(r"[\d,]+ rows/s", lines[0]), lines
    found = re.match(r"workspace ([0-9a-f]{24}) owned by \S+ \(user ([0-9a-f]{24})\)$", lines[1])
    assert found, lines
    return Seeded(found.group(1), found.group(2), lines[-1].strip(), done.stdout)


def query(server: Server, sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    async def run() -> list[tuple[Any, ...]]:
        db = connect(server.database_url)
        await db.open()
        try:
            unit = db.begin(write=False)
            try:
                return [tuple(r) for r in await unit.fetch_all(sql, params)]
            finally:
                await unit.finish(True)
        finally:
            await db.close()

    return asyncio.run(run())


def workspace_name() -> str:
    return f"Demo {secrets.token_hex(4)}"


def test_seed_creates_consistent_data(server: Server) -> None:
    name = workspace_name()
    s = seed(
        server, "--entries", "3000", "--users", "6", "--years", "1", "--until", UNTIL, "--workspace", name
    )
    ws = {"ws": s.workspace_id}
    start_ms = UNTIL_MS - 365 * DAY_MS  # round(1 * 365.25) days

    # Six members, each with exactly one membership (the demo users and their owner are new).
    members = [r[0] for r in query(server, "SELECT user_id FROM memberships WHERE workspace_id = :ws", ws)]
    assert len(members) == 6 and s.owner_id in members
    counts = query(
        server,
        "SELECT user_id, COUNT(*) FROM memberships WHERE user_id IN (:ids) GROUP BY user_id",
        {"ids": members},
    )
    assert sorted(c for _, c in counts) == [1] * 6
    roles = dict(query(server, "SELECT user_id, role FROM memberships WHERE workspace_id = :ws", ws))
    assert roles[s.owner_id] == "OWNER" and Counter(roles.values()) == {"OWNER": 1, "MEMBER": 5}

    catalogue = {
        t: query(server, f"SELECT COUNT(*) FROM {t} WHERE workspace_id = :ws", ws)[0][0]
        for t in ("clients", "projects", "tasks", "tags", "project_memberships")
    }
    assert catalogue["clients"] >= 3 and 6 <= catalogue["projects"] <= 36 and catalogue["tags"] == 12
    assert catalogue["tasks"] >= 3 * catalogue["projects"] and catalogue["project_memberships"] >= 6 * 4

    rows = query(
        server,
        """SELECT id, user_id, start_ms, end_ms, duration, project_id, task_id, billable, type,
        hourly_rate, hourly_rate_source, cost_rate, cost_rate_source, currency, created_at, updated_at
        FROM time_entries WHERE workspace_id = :ws ORDER BY user_id, start_ms""",
        ws,
    )
    assert len(rows) == 3000
    ids = [r[0] for r in rows]
    assert len(set(ids)) == 3000 and all(re.fullmatch(r"[0-9a-f]{24}", i) for i in ids)
    per_user = Counter(r[1] for r in rows)
    assert set(per_user) == set(members) and max(per_user.values()) - min(per_user.values()) <= 1
    sources = {"TASK", "PROJECT_USER", "PROJECT", "USER", "WORKSPACE"}
    previous: dict[str, int] = {}
    for (entry_id, user, start, end, duration, project, task, billable, kind, hourly, hs, cost, cs, cur,
         created, updated) in rows:  # fmt: skip
        assert start_ms <= start < end <= UNTIL_MS, entry_id
        assert start % 1000 == 0 and duration == (end - start) // 1000 and 900 <= duration <= 4 * 3600
        assert int(entry_id[:8], 16) == start // 1000  # ids embed the moment the entry was started
        assert datetime.fromtimestamp(start / 1000, UTC).weekday() < 5  # Monday to Friday
        assert (start % DAY_MS) // 1000 >= 7 * 3600 and (end % DAY_MS) // 1000 <= 21 * 3600
        assert kind == "REGULAR" and cur == "USD" and created == start and updated == end
        assert hourly is not None and hs in sources and cost is not None and cs in sources
        assert task is None or project is not None
        assert not (billable and project is None)
        assert previous.get(user, 0) <= start, f"{entry_id} overlaps the entry before"  # sparse: no overlap
        previous[user] = end

    # The stored rates are what the app resolves (task → project-user → project → member → workspace).
    mismatched = query(
        server,
        """SELECT COUNT(*) FROM time_entries e
        JOIN workspaces w ON w.id = e.workspace_id
        JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = e.user_id
        LEFT JOIN projects p ON p.workspace_id = e.workspace_id AND p.id = e.project_id
        LEFT JOIN project_memberships pm ON pm.workspace_id = e.workspace_id AND pm.project_id = e.project_id
            AND pm.target_id = e.user_id AND pm.target_type = 'USER'
        LEFT JOIN tasks t ON t.workspace_id = e.workspace_id AND t.id = e.task_id
        WHERE e.workspace_id = :ws AND (
            e.hourly_rate <> COALESCE(t.hourly_rate, pm.hourly_rate, p.hourly_rate, m.hourly_rate,
                w.hourly_rate)
            OR e.cost_rate <> COALESCE(t.cost_rate, pm.cost_rate, p.cost_rate, m.cost_rate, w.cost_rate)
            OR e.hourly_rate_source <> CASE WHEN t.hourly_rate IS NOT NULL THEN 'TASK'
                WHEN pm.hourly_rate IS NOT NULL THEN 'PROJECT_USER'
                WHEN p.hourly_rate IS NOT NULL THEN 'PROJECT'
                WHEN m.hourly_rate IS NOT NULL THEN 'USER' ELSE 'WORKSPACE' END
            OR (e.project_id IS NOT NULL AND p.id IS NULL)
            OR (e.task_id IS NOT NULL AND t.project_id <> e.project_id)
            OR (e.billable AND (NOT p.billable OR NOT COALESCE(t.billable, TRUE))))""",
        ws,
    )
    assert mismatched == [(0,)]
    billable = sum(1 for r in rows if r[7])
    assert 0.3 * 3000 < billable < 0.95 * 3000

    # Tags: some entries have one or two, all of this workspace.
    tagged = query(
        server,
        """SELECT x.time_entry_id, COUNT(*) FROM time_entry_tags x
        JOIN tags t ON t.id = x.tag_id AND t.workspace_id = x.workspace_id
        JOIN time_entries e ON e.id = x.time_entry_id AND e.workspace_id = x.workspace_id
        WHERE x.workspace_id = :ws GROUP BY x.time_entry_id""",
        ws,
    )
    assert 0.2 * 3000 < len(tagged) < 0.4 * 3000 and {c for _, c in tagged} == {1, 2}

    # The owner's key works and the API lists the owner's entries newest first, as stored.
    http = httpx.Client(base_url=server.base_url, headers={"X-Api-Key": s.api_key}, timeout=30)
    me = http.get("/api/v1/user").json()
    assert me["id"] == s.owner_id and me["defaultWorkspace"] == s.workspace_id
    mine = sorted((r for r in rows if r[1] == s.owner_id), key=lambda r: (r[2], r[0]), reverse=True)
    for page in (1, 3):
        r = http.get(
            f"/api/v1/workspaces/{s.workspace_id}/user/{s.owner_id}/time-entries?page={page}&page-size=50"
        )
        assert r.status_code == 200, r.text
        listed = r.json()
        expected = mine[(page - 1) * 50 : page * 50]
        assert [e["id"] for e in listed] == [e[0] for e in expected]
        first, row = listed[0], expected[0]
        assert first["timeInterval"]["start"] == datetime.fromtimestamp(row[2] / 1000, UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        assert (
            first["projectId"] == row[5] and first["taskId"] == row[6] and first["billable"] == bool(row[7])
        )


def test_same_seed_same_data_and_reruns_add_up(server: Server) -> None:
    args = ("--entries", "400", "--users", "3", "--years", "0.5", "--until", UNTIL, "--seed", "7")
    first_name = workspace_name()
    first = seed(server, *args, "--workspace", first_name)
    second = seed(server, *args, "--workspace", workspace_name())
    assert first.workspace_id != second.workspace_id

    def content(ws: str) -> list[tuple[Any, ...]]:
        return query(
            server,
            """SELECT e.start_ms, e.end_ms, e.description, e.billable, p.name, t.name, e.hourly_rate
            FROM time_entries e LEFT JOIN projects p ON p.id = e.project_id
            LEFT JOIN tasks t ON t.id = e.task_id
            WHERE e.workspace_id = :ws ORDER BY e.start_ms, e.end_ms, e.description""",
            {"ws": ws},
        )

    assert content(first.workspace_id) == content(second.workspace_id)
    assert len(content(first.workspace_id)) == 400

    # Seeding the same workspace again (found by its name) adds entries and reuses everything else.
    again = seed(server, *args, "--workspace", first_name)
    assert (again.workspace_id, again.owner_id) == (first.workspace_id, first.owner_id)
    ws = {"ws": first.workspace_id}
    assert query(
        server, "SELECT COUNT(*), COUNT(DISTINCT id) FROM time_entries WHERE workspace_id = :ws", ws
    ) == [(800, 800)]
    assert query(server, "SELECT COUNT(*) FROM memberships WHERE workspace_id = :ws", ws) == [(3,)]
    assert query(server, "SELECT COUNT(*) FROM tags WHERE workspace_id = :ws", ws) == [(12,)]
    # Projects' tracked time (kept by triggers, which the load pauses) is summed again after each load.
    sums = dict(
        query(
            server,
            """SELECT p.id, COALESCE(SUM(e.duration), 0) FROM projects p
            LEFT JOIN time_entries e ON e.workspace_id = p.workspace_id AND e.project_id = p.id
            WHERE p.workspace_id = :ws GROUP BY p.id""",
            ws,
        )
    )
    listed = httpx.get(
        f"{server.base_url}/api/v1/workspaces/{first.workspace_id}/projects?page-size=500",
        headers={"X-Api-Key": again.api_key},
    ).json()
    assert listed and {p["id"]: p["duration"] for p in listed} == {
        pid: format_duration(int(seconds)) for pid, seconds in sums.items()
    }
    assert query(server, "SELECT COUNT(*) FROM tracked_totals_paused") == [(0,)]

    # A new owner's email: their (new) default workspace, found again on the second run.
    email = f"owner-{secrets.token_hex(4)}@example.com"
    fresh = [
        seed(server, "--entries", "50", "--users", "2", "--until", UNTIL, "--email", email) for _ in "ab"
    ]
    assert fresh[0].workspace_id == fresh[1].workspace_id and fresh[0].owner_id == fresh[1].owner_id
    ws = {"ws": fresh[0].workspace_id}
    assert query(server, "SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws", ws) == [(100,)]
    assert query(server, "SELECT COUNT(*) FROM memberships WHERE workspace_id = :ws", ws) == [(2,)]
    # Every key printed works.
    for key in (first.api_key, again.api_key, fresh[0].api_key, fresh[1].api_key):
        assert httpx.get(server.base_url + "/api/v1/user", headers={"X-Api-Key": key}).status_code == 200


def test_bulk_load_rebuilds_indexes_and_keys(server: Server) -> None:
    """A load big enough goes in without the entry tables' secondary indexes (and, on PostgreSQL, their
    foreign keys): they are all back afterwards, and the owner's share is as asked."""
    if server.backend == "sqlite":
        catalog = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN (:t) ORDER BY name"
    else:
        catalog = """SELECT indexname FROM pg_indexes WHERE tablename IN (:t) UNION ALL
            SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN (:t)
            ORDER BY 1"""
    tables = {"t": ["time_entries", "time_entry_tags"]}
    before = query(server, catalog, tables)
    s = seed(
        server,
        *("--entries", "2000", "--users", "4", "--owner-entries", "1200", "--until", UNTIL),
        *("--workspace", workspace_name(), "--rebuild-indexes"),
    )
    assert "indexes rebuilt" in s.output
    assert query(server, catalog, tables) == before and len(before) >= 6
    assert query(
        server,
        "SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws AND user_id = :me",
        {"ws": s.workspace_id, "me": s.owner_id},
    ) == [(1200,)]


def test_seed_refuses_bad_options(server: Server) -> None:
    for bad in (
        ["--entries", "-1"],
        ["--entries", "10", "--owner-entries", "11"],
        ["--entries", "5", "--users", "0"],
    ):
        done = run_seed(server.database_url, *bad)
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr


def test_every_response_says_how_long_the_app_took(server: Server) -> None:
    """`Server-Timing: app;dur=<ms>` (punchclock/kit/timing.py), on successes and errors alike: the bench
    reads it for the server-side time of a request."""
    from punchclock.kit.timing import parse

    for path, status in (("/health", 200), ("/api/v1/user", 401), ("/api/v1/no-such-thing", 404)):
        r = httpx.get(server.base_url + path)
        assert r.status_code == status, r.text
        took = parse(r.headers.get("server-timing"))
        assert took is not None and 0 <= took < 10_000, r.headers
    assert parse("db;dur=3, app;desc=x;dur=1.25") == 1.25 and parse(None) is None and parse("app") is None


def _day_tables(server: Server, ws: str) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """report_days and report_day_groups of a workspace as stored (shards summed, zero rows dropped)."""
    days: dict[Any, list[int]] = {}
    for day, *measures in query(
        server,
        """SELECT day, entries, duration, billable_duration, earned, cost FROM report_days
        WHERE workspace_id = :ws""",
        {"ws": ws},
    ):
        total = days.setdefault(int(day), [0] * 5)
        for i, value in enumerate(measures):
            total[i] += int(value)
    groups: dict[Any, list[int]] = {}
    for day, user, project, billable, *measures in query(
        server,
        """SELECT day, user_id, project_id, billable, entries, duration, earned, cost
        FROM report_day_groups WHERE workspace_id = :ws""",
        {"ws": ws},
    ):
        total = groups.setdefault((int(day), user, project, bool(billable)), [0] * 4)
        for i, value in enumerate(measures):
            total[i] += int(value)
    return (
        {k: v for k, v in days.items() if any(v)},
        {k: v for k, v in groups.items() if any(v)},
    )


def _recomputed(server: Server, ws: str) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """The same, from the workspace's finished entries."""
    days: dict[Any, list[int]] = {}
    groups: dict[Any, list[int]] = {}
    for start, user, project, billable, duration, hourly, cost in query(
        server,
        """SELECT start_ms, user_id, project_id, billable, duration, hourly_rate, cost_rate
        FROM time_entries WHERE workspace_id = :ws AND end_ms IS NOT NULL""",
        {"ws": ws},
    ):
        d, earned = duration or 0, (hourly or 0) * (duration or 0) if billable else 0
        day = days.setdefault(start // DAY_MS, [0] * 5)
        for i, value in enumerate((1, d, d if billable else 0, earned, (cost or 0) * d)):
            day[i] += value
        group = groups.setdefault((start // DAY_MS, user, project or "", bool(billable)), [0] * 4)
        for i, value in enumerate((1, d, earned, (cost or 0) * d)):
            group[i] += value
    return days, groups


def _check_derived(server: Server, ws: str) -> None:
    """What the triggers keep (day tables, tracked time) and the entries' tag lists agree with the entries."""
    assert _day_tables(server, ws) == _recomputed(server, ws)
    for table, column in (("projects", "project_id"), ("tasks", "task_id")):
        wrong = query(
            server,
            f"""SELECT x.id, x.tracked_seconds, COALESCE(SUM(e.duration), 0) FROM {table} x
            LEFT JOIN time_entries e ON e.workspace_id = x.workspace_id AND e.{column} = x.id
            WHERE x.workspace_id = :ws GROUP BY x.id, x.tracked_seconds
            HAVING x.tracked_seconds <> COALESCE(SUM(e.duration), 0)""",
            {"ws": ws},
        )
        assert wrong == [], table
    links: dict[str, list[str]] = {}
    for entry_id, tag_id in query(
        server, "SELECT time_entry_id, tag_id FROM time_entry_tags WHERE workspace_id = :ws", {"ws": ws}
    ):
        links.setdefault(entry_id, []).append(tag_id)
    lists = query(server, "SELECT id, tag_list FROM time_entries WHERE workspace_id = :ws", {"ws": ws})
    assert links and all(tag_list == (",".join(sorted(links.get(i, []))) or None) for i, tag_list in lists)


def test_bulk_load_adds_up_what_the_triggers_would(server: Server) -> None:
    """A big load does the entry insert triggers' work itself (day tables, projects' and tasks' tracked
    time), into a fresh workspace and on top of one that has entries; a small one leaves it to the
    triggers. Either way the result is what the entries add up to, and the triggers are all back."""
    if server.backend == "sqlite":
        catalog = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    else:
        catalog = """SELECT tgname, pg_get_triggerdef(oid), tgenabled FROM pg_trigger
            WHERE NOT tgisinternal ORDER BY tgname"""
    triggers = query(server, catalog)
    assert {"report_days_insert", "time_entries_totals_insert"} <= {t[0] for t in triggers}
    name = workspace_name()
    args = ("--entries", "1500", "--users", "4", "--years", "0.5", "--until", UNTIL, "--workspace", name)
    first = seed(server, *args, "--rebuild-indexes")
    assert "indexes rebuilt" in first.output
    _check_derived(server, first.workspace_id)
    for again in ("--rebuild-indexes", "--keep-indexes"):
        topped = seed(server, *args, "--seed", "2" if again == "--keep-indexes" else "3", again)
        assert topped.workspace_id == first.workspace_id
        _check_derived(server, first.workspace_id)
    assert query(
        server, "SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws", {"ws": first.workspace_id}
    ) == [(4500,)]
    assert query(server, catalog) == triggers
    assert query(server, "SELECT COUNT(*) FROM tracked_totals_paused") == [(0,)]


def test_seed_of_a_file_nobody_else_has_open_loads_through_a_rollback_journal(tmp_path: Path) -> None:
    """With no other connection to the file, the seeder loads through a rollback journal (each page written
    once, not to the WAL and then back) and leaves the file in WAL mode, whole; while another connection
    has the file open, SQLite keeps WAL, and the seed still succeeds."""
    path = tmp_path / "seeded.db"
    url = f"sqlite:///{path}"
    first = run_seed(url, "--entries", "120000", "--users", "5", "--until", UNTIL)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "indexes rebuilt" in first.stdout  # the big-load path: no indexes, no triggers meanwhile
    assert "written through a rollback journal" in first.stdout
    assert not (tmp_path / "seeded.db-journal").exists()

    def check(expected_entries: int) -> None:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("SELECT COUNT(*) FROM time_entries").fetchone() == (expected_entries,)
            # What the dropped triggers would have added, the seeder added: the day totals agree.
            assert conn.execute("SELECT SUM(entries), SUM(duration) FROM report_days").fetchone() == (
                conn.execute("SELECT COUNT(*), SUM(duration) FROM time_entries").fetchone()
            )
        finally:
            conn.close()

    check(120_000)
    holder = sqlite3.connect(path)  # another process's connection, as a running server's
    try:
        holder.execute("SELECT COUNT(*) FROM users").fetchone()
        second = run_seed(url, "--entries", "2000", "--users", "5", "--until", UNTIL)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "rollback journal" not in second.stdout  # WAL: another connection has the file open
        assert holder.execute("SELECT COUNT(*) FROM time_entries").fetchone() == (122_000,)
    finally:
        holder.close()
    check(122_000)


def test_seed_after_the_entries_were_deleted_makes_new_ids(server: Server) -> None:
    """The ids' salt holds what the workspace holds (entries and members): once its entries are gone, a
    run that adds users must not hand out the ids of the users the first run made."""
    name = workspace_name()
    first = seed(server, "--entries", "300", "--users", "2", "--until", UNTIL, "--workspace", name)

    async def delete_entries(unit: Unit) -> None:
        for table in ("time_entry_tags", "time_entries"):
            await unit.execute(f"DELETE FROM {table} WHERE workspace_id = :ws", {"ws": first.workspace_id})

    in_database(server.database_url, delete_entries, write=True)
    again = seed(server, "--entries", "300", "--users", "5", "--until", UNTIL, "--workspace", name)
    assert again.workspace_id == first.workspace_id
    ws = {"ws": first.workspace_id}
    assert query(server, "SELECT COUNT(*) FROM memberships WHERE workspace_id = :ws", ws) == [(5,)]
    assert query(server, "SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws", ws) == [(300,)]


def test_a_command_opening_the_file_waits_for_a_bulk_load_holding_it(tmp_path: Path) -> None:
    """While another process holds the file exclusively (a seed writing through a rollback journal), a
    command opening it (here `punchclock migrate`, as `serve` does first) waits for it instead of failing
    after sqlite3's default 5 s, and then runs."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    path = data_dir / "punchclock.db"
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=DELETE")
        holder.execute("CREATE TABLE bulk (x)")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO bulk VALUES (1)")
        env = {k: v for k, v in os.environ.items() if not k.startswith("PUNCHCLOCK_")}
        migrating = subprocess.Popen(
            [sys.executable, "-m", "punchclock", "migrate", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        with contextlib.suppress(subprocess.TimeoutExpired):
            migrating.wait(timeout=6.5)  # past sqlite3's default busy timeout of 5 s
        assert migrating.poll() is None, migrating.communicate()  # still waiting, not failed
        holder.execute("COMMIT")
        out, err = migrating.communicate(timeout=60)
        assert migrating.returncode == 0, out + err
    finally:
        holder.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT COUNT(*) FROM bulk").fetchone() == (1,)
    finally:
        conn.close()


def test_a_command_started_during_a_journaled_seed_opens_the_file_after_it(tmp_path: Path) -> None:
    """A command that opens the file while the seeder writes through a rollback journal (here `migrate`,
    what `serve` runs first) waits for the load, and the seeder's work after its COMMIT does not contend
    with it: both succeed, and the file ends in WAL mode with the planner's statistics."""
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUNCHCLOCK_")}
    seeding = subprocess.Popen(
        [sys.executable, "-m", "punchclock", "demo", "seed", "--entries", "150000", "--users", "5",
         "--until", UNTIL, "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        journal = data_dir / "punchclock.db-journal"
        for _ in range(600):  # the load has begun once its journal exists
            if journal.exists() or seeding.poll() is not None:
                break
            time.sleep(0.01)
        migrated = subprocess.run(
            [sys.executable, "-m", "punchclock", "migrate", "--data-dir", str(data_dir)],
            capture_output=True, text=True, env=env, timeout=180, check=False,
        )  # fmt: skip
        out, err = seeding.communicate(timeout=180)
    finally:
        if seeding.poll() is None:
            seeding.kill()
    assert seeding.returncode == 0, out + err
    assert "written through a rollback journal" in out
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    conn = sqlite3.connect(data_dir / "punchclock.db")
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'time_entries'").fetchone()[0] > 0
    finally:
        conn.close()
