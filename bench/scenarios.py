"""What the bench measures: a list of Scenario objects, run in order against every server they apply to.

Adding a benchmark is adding a Scenario here: a method and a path template (`{ws}` = the owner's workspace
id, `{user}` = their user id), an optional JSON body (every `{{unique}}` in it becomes a token unique to the
run, the wrk thread and the request), optional extra Lua (e.g. a `request()` of its own, after the harness
in bench/lua/harness.lua), an optional set-up hook run once before the warm-up (seeding rows: it returns
facts recorded with the result), and per-backend goals (throughput and p99 under load; optionally the
server's own median time per request, from the sequential probe's Server-Timing headers).
"""

from __future__ import annotations

import fnmatch
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.baseline import PATH as HELLO_PATH
from bench.errors import BenchError
from bench.servers import REPO, Preseed, Target, _clean_env

PUNCHCLOCK = frozenset({"punchclock"})
BASELINE = frozenset({"baseline"})

SetupHook = Callable[[Target], dict[str, Any]]


@dataclass(frozen=True)
class Goal:
    """A target a scenario must meet on one backend: throughput at least, p99 latency at most."""

    min_rps: float
    max_p99_ms: float | None = None
    max_server_ms: float | None = None  # the server's median time per request (Server-Timing, probe)
    min_rows_per_s: float | None = None  # a streamed export: rows per second of the whole transfer
    max_rss_growth_mb: float | None = None  # … and how far its worker's resident set may rise meanwhile

    def describe(self) -> str:
        text = f"≥{self.min_rps:,.0f}/s" if self.min_rps > 0 else ""
        text += f" p99≤{self.max_p99_ms:g}ms" if self.max_p99_ms is not None else ""
        text += f" server≤{self.max_server_ms:g}ms" if self.max_server_ms is not None else ""
        text += f" ≥{self.min_rows_per_s:,.0f} rows/s" if self.min_rows_per_s is not None else ""
        text += f" RSS+≤{self.max_rss_growth_mb:g}MB" if self.max_rss_growth_mb is not None else ""
        return text.strip()


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    description: str = ""
    kinds: frozenset[str] = PUNCHCLOCK
    body: str | None = None
    lua: str | None = None
    setup: SetupHook | None = None
    goals: Mapping[str, Goal] = field(default_factory=dict)
    authenticated: bool = True
    needs_entries: bool = False  # the server's database is seeded with --seed-entries time entries first
    # Slow requests (reports) run under a lighter load and a shorter sequential probe than the defaults.
    connections: int | None = None
    probe_requests: int | None = None
    # Measured one request at a time only (no wrk load): a cold path, or a big streamed export.
    sequential: bool = False
    # The i-th sequential request's body (instead of `body`): e.g. to miss every per-process memory.
    body_for: Callable[[int], str] | None = None
    # A streamed export: read to its end, rows counted, the server's memory watched (bench/stream.py).
    stream: bool = False

    def url_path(self, target: Target) -> str:
        return self.path.format(**target.vars)


def _sqlite_and_postgres(min_rps: float, max_p99_ms: float) -> dict[str, Goal]:
    """The SQLite target, and PostgreSQL at half its throughput (same latency bound)."""
    return {"sqlite": Goal(min_rps, max_p99_ms), "postgres": Goal(min_rps / 2, max_p99_ms)}


def seed_clients(at_least: int) -> SetupHook:
    """Make sure the workspace holds `at_least` clients (creating the missing ones through the API)."""

    def hook(target: Target) -> dict[str, Any]:
        ws = target.vars["ws"]
        api = target.api()
        try:
            present, page = 0, 1
            while True:
                rows = api.expect("GET", f"/api/v1/workspaces/{ws}/clients?page-size=5000&page={page}")
                present += len(rows)
                if len(rows) < 5000:
                    break
                page += 1
            created = 0
            for i in range(max(0, at_least - present)):
                api.expect("POST", f"/api/v1/workspaces/{ws}/clients", {"name": f"seed client {i:06d}"}, 201)
                created += 1
        finally:
            api.close()
        return {"clients_before_seeding": present, "clients_seeded": created, "clients": present + created}

    return hook


SEED_USERS = 50
SEED_YEARS = 2
OWNER_SHARE = 10  # the owner (whose pages are read) holds 1/10 of the entries: page 1,000 of 50 exists


def demo_seed(count: int) -> Preseed:
    """`punchclock demo seed` a database before its server starts, exactly as a user runs it: `count`
    entries over 2 years for 50 users, the owner (whose pages are read) holding a tenth. Before, not
    during: a running server's SQLite connections keep the query plans of the statistics they started
    with (none), which is another measurement (see the README's Benchmarks section)."""

    def preseed(database_url: str) -> tuple[str, dict[str, Any]]:
        script = Path(sys.executable).parent / "punchclock"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "punchclock"]
        command += [
            "demo", "seed", "--entries", str(count), "--users", str(SEED_USERS), "--years", str(SEED_YEARS),
            "--owner-entries", str(count // OWNER_SHARE), "--database-url", database_url,
        ]  # fmt: skip
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, env=_clean_env(), cwd=REPO, timeout=1800, check=False
            )
        except subprocess.TimeoutExpired:
            raise BenchError("`punchclock demo seed` took more than 30 minutes") from None
        if done.returncode != 0:
            raise BenchError(f"`punchclock demo seed` failed:\n{done.stdout}{done.stderr[-3000:]}")
        lines = done.stdout.strip().splitlines()
        rate = re.search(r"([\d,]+) rows/s", lines[0])
        return lines[-1].strip(), {
            "entries": count,
            "owner_entries": count // OWNER_SHARE,
            "seed_rows_per_s": int(rate.group(1).replace(",", "")) if rate else None,
            "seed_seconds": round(time.monotonic() - started, 2),
            "seed_summary": lines[0],
        }

    return preseed


def seeded_entries(target: Target) -> dict[str, Any]:
    """The set-up of the entries.* scenarios: the database was seeded before the server started."""
    if target.preseeded is None:
        raise BenchError(f"{target.name}: the database was not seeded with time entries")
    return dict(target.preseeded)


def _entry_goals(
    min_rps: float, max_p99_ms: float | None, max_server_ms: float | None = None
) -> dict[str, Goal]:
    return {
        "sqlite": Goal(min_rps, max_p99_ms, max_server_ms),
        "postgres": Goal(min_rps / 2, max_p99_ms, max_server_ms),
    }


REPORT_CONNECTIONS = 4
REPORT_PROBES = 30


def _report_goals(sqlite_ms: float, postgres_ms: float) -> dict[str, Goal]:
    """Report targets are the time one request takes at the server (throughput is not the point)."""
    return {"sqlite": Goal(0, None, sqlite_ms), "postgres": Goal(0, None, postgres_ms)}


def _report_body(first: date, last: date, *, end_ms: int = 999, **fields: Any) -> str:
    """A report request over whole UTC days [first, last] (ending at 23:59:59.`end_ms`)."""
    body = {
        "dateRangeStart": f"{first.isoformat()}T00:00:00.000Z",
        "dateRangeEnd": f"{last.isoformat()}T23:59:59.{end_ms:03d}Z",
        "timeZone": "UTC",
        **fields,
    }
    return json.dumps(body, separators=(",", ":"))


def _cold_bodies(first: date, last: date, salt: int, **fields: Any) -> Callable[[int], str]:
    """Bodies selecting the same entries, each new to the server: the period ends at another millisecond
    of its last second (entries start on whole seconds), so every request misses the server's
    per-process memory of totals and page positions (punchclock/reports/cache.py). Scenarios use
    different `salt`s, so that one does not warm the next."""

    def body(i: int) -> str:
        return _report_body(first, last, end_ms=998 - (salt * 250 + i) % 998, **fields)

    return body


CSV_PROBES = 2
# "Flat memory": a year's export may not raise its worker's resident set by more than this.
CSV_RSS_GROWTH_MB = 32


def report_scenarios(today: date) -> list[Scenario]:
    """The reports over the seeded entries (2 years up to today): the issue's targets at the server."""
    reports = "/reports/v1/workspaces/{ws}/reports/"
    month_last = today.replace(day=1) - timedelta(days=1)
    month = (month_last.replace(day=1), month_last)
    year = (month_last - timedelta(days=364), month_last)
    week_first = today - timedelta(days=today.weekday() + 7)
    week = (week_first, week_first + timedelta(days=6))
    project_user: dict[str, Any] = {"summaryFilter": {"groups": ["PROJECT", "USER"]}}

    def detailed(page: int) -> dict[str, Any]:
        return {"detailedFilter": {"page": page, "pageSize": 50}}

    def report(
        name: str,
        kind: str,
        description: str,
        body: str,
        goals: dict[str, Goal] | None = None,
        *,
        body_for: Callable[[int], str] | None = None,
        stream: bool = False,
    ) -> Scenario:
        """A report POST on the seeded database, under the reports' lighter load; a cold one (a body per
        request) and an export are measured one request at a time only."""
        return Scenario(
            sequential=body_for is not None or stream,
            body_for=body_for,
            stream=stream,
            name=f"reports.{name}",
            method="POST",
            path=reports + kind,
            description=description,
            body=body,
            setup=seeded_entries,
            needs_entries=True,
            connections=REPORT_CONNECTIONS,
            probe_requests=CSV_PROBES if stream else REPORT_PROBES,
            goals=goals or {},
        )

    return [
        report(
            "summary.month",
            "summary",
            f"summary PROJECT→USER over {month[0]:%B %Y}",
            _report_body(*month, **project_user),
            _report_goals(60, 40),
        ),
        report(
            "summary.year",
            "summary",
            f"summary PROJECT→USER over the year to {year[1]}",
            _report_body(*year, **project_user),
            _report_goals(700, 400),
        ),
        report(
            "detailed.first",
            "detailed",
            "detailed, year, page 1 of 50",
            _report_body(*year, **detailed(1)),
            _report_goals(20, 20),
        ),
        report(
            "detailed.deep",
            "detailed",
            "detailed, year, page 500 of 50",
            _report_body(*year, **detailed(500)),
            _report_goals(20, 20),
        ),
        report(
            "detailed.cold_first",
            "detailed",
            "detailed, year, page 1 of 50, totals included, nothing remembered (each request new)",
            _report_body(*year, **detailed(1)),
            _report_goals(20, 20),
            body_for=_cold_bodies(*year, 0, **detailed(1)),
        ),
        report(
            "detailed.cold_deep",
            "detailed",
            "detailed, year, page 4,000 of 50 (rows 199,951-200,000), totals included, nothing remembered",
            _report_body(*year, **detailed(4000)),
            _report_goals(20, 20),
            body_for=_cold_bodies(*year, 1, **detailed(4000)),
        ),
        report(
            "csv_year",
            "detailed",
            "detailed CSV export of the year, all 50 users: rows/s of the whole transfer, worker RSS",
            _report_body(*year, exportType="CSV"),
            {
                backend: Goal(0, None, None, min_rows_per_s=100_000, max_rss_growth_mb=CSV_RSS_GROWTH_MB)
                for backend in ("sqlite", "postgres")
            },
            stream=True,
        ),
        report("weekly", "weekly", f"weekly, the week of {week[0]}", _report_body(*week)),
        report(
            "attendance",
            "attendance",
            f"attendance over {month[0]:%B %Y}",
            _report_body(*month, attendanceFilter={"page": 1, "pageSize": 50}),
        ),
    ]


def scenarios(seed_count: int = 1000, entry_count: int = 1_000_000) -> list[Scenario]:
    entries = "/api/v1/workspaces/{ws}/user/{user}/time-entries"
    return [*_core_scenarios(seed_count, entry_count, entries), *report_scenarios(date.today())]


def _core_scenarios(seed_count: int, entry_count: int, entries: str) -> list[Scenario]:
    today = datetime.now(UTC).date()
    return [
        Scenario(
            name="hello",
            method="GET",
            path=HELLO_PATH,
            description="bare Litestar + granian, the ceiling for any endpoint",
            kinds=BASELINE,
            authenticated=False,
        ),
        Scenario(
            name="user.get",
            method="GET",
            path="/api/v1/user",
            description="GET /api/v1/user: auth + one row",
        ),
        Scenario(
            name="clients.create",
            method="POST",
            path="/api/v1/workspaces/{ws}/clients",
            description="POST a client with a unique name: a write transaction per request",
            body='{"name":"bench client {{unique}}","note":"created by the bench"}',
            goals=_sqlite_and_postgres(3000, 50),
        ),
        Scenario(
            name="clients.list",
            method="GET",
            path="/api/v1/workspaces/{ws}/clients?page-size=50",
            description=f"GET the first 50 clients by name, ≥ {seed_count:,} present",
            setup=seed_clients(seed_count),
            goals=_sqlite_and_postgres(1500, 50),
        ),
        Scenario(
            name="entries.create",
            method="POST",
            path="/api/v1/workspaces/{ws}/time-entries",
            description=f"POST a finished entry of today for the owner (unique description), {entry_count:,} "
            "present",
            # Today: where a team's new entries go, after the seeded history (which ends yesterday). Placed
            # in the middle of that history, the ~15,000 entries of one instant became a day no one
            # tracks, and page 1,000 of entries.deep (run next) fell inside it.
            body=f'{{"start":"{today}T00:00:00Z","end":"{today}T00:30:00Z",'
            '"description":"bench entry {{unique}}","billable":true}',
            setup=seeded_entries,
            needs_entries=True,
            goals=_entry_goals(3000, 50),
        ),
        Scenario(
            name="entries.list",
            method="GET",
            path=entries + "?page=1&page-size=50",
            description=f"GET the owner's newest 50 entries of {entry_count // OWNER_SHARE:,} "
            f"({entry_count:,} in all)",
            setup=seeded_entries,
            needs_entries=True,
            goals=_entry_goals(1500, 50),
        ),
        Scenario(
            name="entries.deep",
            method="GET",
            path=entries + "?page=1000&page-size=50",
            description="GET page 1,000 of 50 of the owner's entries (rows 49,951-50,000, newest first)",
            setup=seeded_entries,
            needs_entries=True,
            goals=_entry_goals(0, None, 10),
        ),
    ]


def select(all_scenarios: list[Scenario], patterns: list[str]) -> list[Scenario]:
    """The scenarios whose name matches any of the glob patterns (all when there are none)."""
    if not patterns:
        return all_scenarios
    return [s for s in all_scenarios if any(fnmatch.fnmatchcase(s.name, p) for p in patterns)]
