"""The per-day report totals of migration 0007 (report_days, report_day_groups) follow every write path of
time entries, and a bulk load that pauses the triggers rebuilds them; reports read from them agree with
the entries themselves (deep pages and totals included)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from punchclock.kit import ids
from punchclock.kit.db import Unit
from tests.conftest import Account, add_member, copy_entries, in_database

R = "/reports/v1/workspaces/{ws}/reports/"
DAY_MS = 86_400_000


def _run(account: Account, sql: str, params: dict[str, Any] | None = None, write: bool = False) -> list[Any]:
    async def run(unit: Unit) -> list[Any]:
        if write:
            await unit.execute(sql, params)
            return []
        return [tuple(r) for r in await unit.fetch_all(sql, params)]

    return in_database(account.server.database_url, run, write=write)


def _expected(account: Account) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """Both tables recomputed in Python from the workspace's finished entries."""
    entries = _run(
        account,
        """SELECT start_ms, user_id, project_id, billable, duration, hourly_rate, cost_rate
        FROM time_entries WHERE workspace_id = :ws AND end_ms IS NOT NULL""",
        {"ws": account.workspace_id},
    )
    days: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    groups: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for start, user, project, billable, duration, hourly, cost in entries:
        d = duration or 0
        earned = (hourly or 0) * d if billable else 0
        day = days[start // DAY_MS]
        for i, value in enumerate((1, d, d if billable else 0, earned, (cost or 0) * d)):
            day[i] += value
        group = groups[(start // DAY_MS, user, project or "", bool(billable))]
        for i, value in enumerate((1, d, earned, (cost or 0) * d)):
            group[i] += value
    return dict(days), dict(groups)


def _stored(account: Account) -> tuple[dict[Any, list[int]], dict[Any, list[int]]]:
    """Both tables as stored (rows left at zero by deletions dropped; shards summed)."""
    days: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for day, *measures in _run(
        account,
        """SELECT day, entries, duration, billable_duration, earned, cost FROM report_days
        WHERE workspace_id = :ws""",
        {"ws": account.workspace_id},
    ):
        for i, value in enumerate(measures):
            days[day][i] += int(value)
    groups: dict[Any, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for day, user, project, billable, *measures in _run(
        account,
        """SELECT day, user_id, project_id, billable, entries, duration, earned, cost
        FROM report_day_groups WHERE workspace_id = :ws""",
        {"ws": account.workspace_id},
    ):
        for i, value in enumerate(measures):
            groups[(day, user, project, bool(billable))][i] += int(value)
    return (
        {k: v for k, v in days.items() if any(v)},
        {k: v for k, v in groups.items() if any(v)},
    )


def _check(account: Account) -> None:
    assert _stored(account) == _expected(account)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json() if response.content else None


def test_day_totals_follow_every_write_path(me: Account) -> None:
    member = add_member(me, name="Day Member")
    _ok(me.put("/workspaces/{ws}/hourly-rate", {"amount": 1000}))
    project = _ok(me.post("/workspaces/{ws}/projects", {"name": "Days", "billable": True}), 201)["id"]
    other = _ok(me.post("/workspaces/{ws}/projects", {"name": "Other days"}), 201)["id"]
    entries = "/workspaces/{ws}/time-entries"

    def entry(start: str, end: str | None, **body: Any) -> str:
        return str(
            _ok(me.post(entries, {"start": start, **({"end": end} if end else {}), **body}), 201)["id"]
        )

    a = entry("2026-03-02T09:00:00Z", "2026-03-02T10:30:00Z", projectId=project)
    b = entry("2026-03-02T23:30:00Z", "2026-03-03T01:00:00Z", billable=False)
    c = entry("2026-03-05T08:00:00Z", "2026-03-05T08:20:00Z", projectId=other, billable=True)
    _check(me)
    # A running timer counts only once stopped.
    _ok(me.post(entries, {"start": "2026-03-06T07:00:00Z", "projectId": project}), 201)
    _check(me)
    _ok(me.patch("/workspaces/{ws}/user/{me}/time-entries", {"end": "2026-03-06T09:15:00Z"}))
    _check(me)
    # Updates: another day, project, billable flag, description only.
    _ok(me.put(f"{entries}/{a}", {"start": "2026-03-04T09:00:00Z", "end": "2026-03-04T11:00:00Z"}))
    _check(me)
    _ok(me.put(f"{entries}/{b}", {"start": "2026-03-02T23:30:00Z", "end": "2026-03-03T02:00:00Z",
                                   "projectId": other, "billable": True}))  # fmt: skip
    _check(me)
    bulk = [{"id": c, "start": "2026-03-05T08:00:00Z", "end": "2026-03-05T08:50:00Z", "billable": False}]
    _ok(me.put("/workspaces/{ws}/user/{me}/time-entries", bulk))
    _check(me)
    # Entries of another member, a duplicate, the invoiced flag, a rate change re-pricing the past.
    _ok(member.post(entries, {"start": "2026-03-02T12:00:00Z", "end": "2026-03-02T13:00:00Z"}), 201)
    _ok(me.post(f"/workspaces/{{ws}}/user/{{me}}/time-entries/{c}/duplicate"), 201)
    _ok(me.patch(f"{entries}/invoiced", {"timeEntryIds": [c], "invoiced": True}))
    _check(me)
    _ok(me.put("/workspaces/{ws}/hourly-rate", {"amount": 2500, "since": "2026-01-01T00:00:00Z"}))
    _check(me)
    # Deletions: one, several, the project's entries with the project.
    assert me.delete(f"{entries}/{a}").status_code == 204
    _check(me)
    _ok(me.delete("/workspaces/{ws}/user/{me}/time-entries", params={"time-entry-ids": [b]}))
    _check(me)
    _ok(me.put(f"/workspaces/{{ws}}/projects/{other}", {"archived": True}))
    me.delete(f"/workspaces/{{ws}}/projects/{other}")
    _check(me)
    assert _stored(me)[0], "the member's and the duplicated entries are still counted"


def test_a_paused_bulk_load_is_rebuilt(me: Account) -> None:
    """Rows loaded while the triggers are paused (as the demo seeder does) are counted once the pause
    ends, and the totals of a report read from the tables match."""
    base = int(datetime(2026, 2, 1, tzinfo=UTC).timestamp()) * 1000
    _run(me, "INSERT INTO tracked_totals_paused (id) VALUES (1) ON CONFLICT (id) DO NOTHING", write=True)
    try:
        rows = [(ids.new_id(), base + n * 3_600_000, 600 + n) for n in range(300)]

        columns = ("id", "workspace_id", "user_id", "description", "billable", "start_ms", "end_ms",
                   "duration", "hourly_rate", "created_at", "updated_at")  # fmt: skip
        copy_entries(
            me,
            columns,
            [
                (i, me.workspace_id, me.user_id, "", n % 2 == 0, s, s + d * 1000, d, 4200, s, s)
                for n, (i, s, d) in enumerate(rows)
            ],
        )
        assert _stored(me) != _expected(me)
    finally:
        _run(me, "DELETE FROM tracked_totals_paused", write=True)
    _check(me)
    body = {
        "dateRangeStart": "2026-02-01T00:00:00Z",
        "dateRangeEnd": "2026-02-28T23:59:59.999Z",
        "timeZone": "Europe/Berlin",  # the period's ends are partial UTC days: read from the entries
    }
    local = [r for r in rows if base - 3_600_000 <= r[1] <= base + 28 * DAY_MS - 3_600_000 - 1]
    total = _ok(me.post(R + "detailed", {**body, "detailedFilter": {"page": 1, "pageSize": 5}}))["totals"][0]
    assert total["totalTime"] == sum(d for _, _, d in local)
    assert total["entriesCount"] == len(local)
    summary = _ok(me.post(R + "summary", {**body, "summaryFilter": {"groups": ["USER", "PROJECT"]}}))
    assert summary["groupOne"][0]["duration"] == sum(d for _, _, d in local)
    billable = sum(d for n, (_, s, d) in enumerate(rows) if n % 2 == 0 and (_, s, d) in local)
    assert summary["totals"][0]["totalBillableTime"] == billable
    assert (
        summary["totals"][0]["totalAmount"]
        == sum(4200 * d for n, (_, s, d) in enumerate(rows) if n % 2 == 0 and (_, s, d) in local) / 3600
    )


def test_unfiltered_deep_pages_jump_by_day(me: Account) -> None:
    """Pages deep in an unfiltered period start at the day the per-day counts place them in: the same
    rows as the plain order, across the partial days at both ends, in both directions."""
    base = int(datetime(2026, 8, 1, 5, tzinfo=UTC).timestamp()) * 1000
    rows = [(ids.new_id(), base + (n // 2) * 420_000, 60 + n % 5) for n in range(6000)]
    columns = ("id", "workspace_id", "user_id", "description", "billable", "start_ms", "end_ms",
               "duration", "created_at", "updated_at")  # fmt: skip
    copy_entries(
        me,
        columns,
        [(i, me.workspace_id, me.user_id, "", False, s, s + d * 1000, d, s, s) for i, s, d in rows],
    )
    _check(me)
    body = {
        "dateRangeStart": "2026-08-01T12:00:00Z",
        "dateRangeEnd": "2026-08-10T06:30:00Z",
        "timeZone": "UTC",
    }
    lo = int(datetime(2026, 8, 1, 12, tzinfo=UTC).timestamp()) * 1000
    hi = int(datetime(2026, 8, 10, 6, 30, tzinfo=UTC).timestamp()) * 1000
    inside = sorted((r for r in rows if lo <= r[1] <= hi), key=lambda r: (r[1], r[0]), reverse=True)
    order = [r[0] for r in inside]
    assert len(order) > 2500

    def page(number: int, size: int, **extra: Any) -> list[str]:
        report = _ok(
            me.post(R + "detailed", {**body, **extra, "detailedFilter": {"page": number, "pageSize": size}})
        )
        return [r["_id"] for r in report["timeentries"]]

    for number, size in ((45, 50), (49, 50), (300, 8), (len(order) // 7, 7), (len(order) // 7 + 1, 7)):
        assert page(number, size) == order[(number - 1) * size : number * size], (number, size)
    ascending = list(reversed(order))
    for number, size in ((47, 50), (len(order) // 9 + 1, 9)):
        assert page(number, size, sortOrder="ASCENDING") == ascending[(number - 1) * size : number * size]
    totals = _ok(me.post(R + "detailed", {**body, "detailedFilter": {"page": 1, "pageSize": 1}}))["totals"][0]
    assert totals["totalTime"] == sum(r[2] for r in inside) and totals["entriesCount"] == len(inside)


def test_deep_pages_of_a_users_entries_jump_by_day(me: Account) -> None:
    """`GET …/user/{id}/time-entries` deep in the list starts at the day the per-user day counts place
    the page in (time_entries/store.py _day_of_row): the same rows as the plain newest-first order, with
    another member's entries interleaved, several entries starting in the same millisecond, and a
    running entry (not in the day counts) both newer and older than the pages read."""
    other = add_member(me)
    base = int(datetime(2026, 3, 1, 5, tzinfo=UTC).timestamp()) * 1000
    mine = [(ids.new_id(), base + (n // 3) * 600_000, 30 + n % 7) for n in range(7000)]
    theirs = [(ids.new_id(), base + n * 450_000, 60) for n in range(3000)]
    columns = ("id", "workspace_id", "user_id", "description", "billable", "start_ms", "end_ms",
               "duration", "created_at", "updated_at")  # fmt: skip
    copy_entries(
        me,
        columns,
        [(i, me.workspace_id, me.user_id, "", False, s, s + d * 1000, d, s, s) for i, s, d in mine]
        + [(i, me.workspace_id, other.user_id, "", False, s, s + d * 1000, d, s, s) for i, s, d in theirs],
    )
    middle = mine[3500][1] + 1000  # a second after three entries, before the next ones
    running = me.post(
        "/workspaces/{ws}/time-entries", {"start": datetime.fromtimestamp(middle / 1000, UTC).isoformat()}
    )
    assert running.status_code == 201, running.text
    listed = [(r[0], r[1]) for r in mine] + [(running.json()["id"], middle)]
    order = [i for i, _ in sorted(listed, key=lambda r: (r[1], r[0]), reverse=True)]

    def page(number: int, size: int) -> list[str]:
        r = me.get(f"/workspaces/{{ws}}/user/{{me}}/time-entries?page={number}&page-size={size}")
        assert r.status_code == 200, r.text
        return [e["id"] for e in r.json()]

    pages = [(41, 50), (70, 50), (71, 50), (int(3500 / 7) + 1, 7), (139, 50), (141, 50), (1401, 5), (143, 50)]
    for number, size in pages:
        assert page(number, size) == order[(number - 1) * size : number * size], (number, size)
