"""Running timers under concurrency: at most one running entry per user and workspace, whatever the number
of simultaneous starts (the partial unique index `time_entries_one_running` backs the service's
stop-then-insert, which PostgreSQL serialises per user with a row lock)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

import httpx

from tests.conftest import Account, add_member, running_server

STARTS = 16


def _fire(account: Account, requests: list[tuple[str, str, dict[str, str]]]) -> list[httpx.Response]:
    barrier = Barrier(len(requests))

    def one(request: tuple[str, str, dict[str, str]]) -> httpx.Response:
        method, path, body = request
        with httpx.Client(base_url=account.server.base_url, headers={"X-Api-Key": account.api_key}) as c:
            barrier.wait()
            return c.request(method, account.url(path), json=body, timeout=60)

    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(one, requests))


def test_simultaneous_starts_leave_exactly_one_timer(me: Account) -> None:
    starts = [
        (
            "POST",
            "/workspaces/{ws}/time-entries",
            {"start": f"2026-03-02T09:{i:02d}:00Z", "description": str(i)},
        )
        for i in range(STARTS)
    ]
    responses = _fire(me, starts)
    assert all(r.status_code == 201 for r in responses), [(r.status_code, r.text) for r in responses]
    running = me.get("/workspaces/{ws}/time-entries/status/in-progress", params={"page-size": 100}).json()
    assert len(running) == 1, running
    entries = me.get(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", params={"page-size": 100}).json()
    assert len(entries) == STARTS
    assert sum(e["timeInterval"]["end"] is None for e in entries) == 1
    for e in entries:
        if e["timeInterval"]["end"] is not None:
            assert e["timeInterval"]["end"] >= e["timeInterval"]["start"]


def test_simultaneous_starts_for_one_user_from_several_callers(me: Account) -> None:
    admin = add_member(me, role="WORKSPACE_ADMIN")
    member = add_member(me)
    path = f"/workspaces/{{ws}}/user/{member.user_id}/time-entries"
    requests = [("POST", path, {"start": f"2026-03-02T10:{i:02d}:00Z"}) for i in range(STARTS // 2)]
    own = [
        ("POST", "/workspaces/{ws}/time-entries", {"start": f"2026-03-02T11:{i:02d}:00Z"}) for i in range(4)
    ]
    responses = _fire(me, requests[: len(requests) // 2]) + _fire(admin, requests[len(requests) // 2 :])
    responses += _fire(member, own)
    assert all(r.status_code == 201 for r in responses), [(r.status_code, r.text) for r in responses]
    running = me.get("/workspaces/{ws}/time-entries/status/in-progress", params={"page-size": 100}).json()
    assert [e["userId"] for e in running] == [member.user_id]


def test_simultaneous_starts_and_stops(me: Account) -> None:
    path = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    mixed: list[tuple[str, str, dict[str, str]]] = []
    for i in range(STARTS // 2):
        mixed.append(("POST", "/workspaces/{ws}/time-entries", {"start": f"2026-03-02T09:{i:02d}:00Z"}))
        mixed.append(("PATCH", path, {"end": "2026-03-02T12:00:00Z"}))
    responses = _fire(me, mixed)
    for r in responses:
        assert r.status_code in (200, 201, 404), (r.status_code, r.text)
        if r.status_code == 404:
            assert r.json()["code"] == 404
    entries = me.get(path, params={"page-size": 100}).json()
    assert len(entries) == STARTS // 2
    assert sum(e["timeInterval"]["end"] is None for e in entries) <= 1


def test_simultaneous_starts_across_worker_processes_on_sqlite(tmp_path: Path) -> None:
    """Two server processes on one SQLite file: `BEGIN IMMEDIATE` serialises their transactions, so the
    stop-then-insert of each start still sees the other's timer."""
    with running_server("sqlite", f"sqlite:///{tmp_path / 'punchclock.db'}", tmp_path, workers=2) as server:
        account = server.account()
        starts = [
            ("POST", "/workspaces/{ws}/time-entries", {"start": f"2026-03-02T09:{i:02d}:00Z"})
            for i in range(STARTS)
        ]
        responses = _fire(account, starts)
        assert all(r.status_code == 201 for r in responses), [(r.status_code, r.text) for r in responses]
        entries = account.get(
            f"/workspaces/{{ws}}/user/{account.user_id}/time-entries", params={"page-size": 100}
        )
        assert len(entries.json()) == STARTS
        assert sum(e["timeInterval"]["end"] is None for e in entries.json()) == 1
