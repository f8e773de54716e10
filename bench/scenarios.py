"""What the bench measures: a list of Scenario objects, run in order against every server they apply to.

Adding a benchmark is adding a Scenario here: a method and a path template (`{ws}` = the owner's workspace
id, `{user}` = their user id), an optional JSON body (every `{{unique}}` in it becomes a token unique to the
run, the wrk thread and the request), optional extra Lua (e.g. a `request()` of its own, after the harness
in bench/lua/harness.lua), an optional set-up hook run once before the warm-up (seeding rows: it returns
facts recorded with the result), and per-backend goals.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bench.baseline import PATH as HELLO_PATH
from bench.servers import Target

PUNCHCLOCK = frozenset({"punchclock"})
BASELINE = frozenset({"baseline"})

SetupHook = Callable[[Target], dict[str, Any]]


@dataclass(frozen=True)
class Goal:
    """A target a scenario must meet on one backend: throughput at least, p99 latency at most."""

    min_rps: float
    max_p99_ms: float | None = None

    def describe(self) -> str:
        text = f"≥{self.min_rps:,.0f}/s"
        return text + (f" p99≤{self.max_p99_ms:g}ms" if self.max_p99_ms is not None else "")


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


def scenarios(seed_count: int = 1000) -> list[Scenario]:
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
    ]


def select(all_scenarios: list[Scenario], patterns: list[str]) -> list[Scenario]:
    """The scenarios whose name matches any of the glob patterns (all when there are none)."""
    if not patterns:
        return all_scenarios
    return [s for s in all_scenarios if any(fnmatch.fnmatchcase(s.name, p) for p in patterns)]
