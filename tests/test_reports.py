"""The reports host over HTTP: summary, detailed, weekly and attendance reports and their CSV exports,
checked against a plain-Python computation over the same entries (read back through the core API), in
several zones, across DST changes, midnight, month and week boundaries, with running timers excluded."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from punchclock.kit.time import parse_duration, parse_instant
from tests.conftest import Account, Server, add_member, assert_error, copy_entries, set_workspace_settings

R = "/reports/v1/workspaces/{ws}/reports/"
ZONES = ["UTC", "Europe/Berlin", "America/New_York", "Pacific/Auckland"]


@dataclass
class Entry:
    id: str
    user_id: str
    project_id: str | None
    task_id: str | None
    tag_ids: list[str]
    billable: bool
    description: str
    start: datetime  # aware, UTC
    duration: int
    hourly: int
    cost: int

    def local_start(self, zone: str) -> datetime:
        return self.start.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


@dataclass
class Data:
    owner: Account
    member: Account
    client_id: str
    projects: dict[str, str]  # label -> id
    task_id: str
    tags: dict[str, str]
    entries: list[Entry]


# (user, project, task?, tags, billable, description, start, end); "" end = running timer.
SPECS = [
    ("A", "P1", True, ["red"], True, "design", "2026-03-28T22:30:00Z", "2026-03-29T01:30:00Z"),
    ("A", "P1", False, ["red", "blue"], True, "design", "2026-03-29T00:30:00Z", "2026-03-29T02:00:00Z"),
    ("A", "P2", False, [], False, "", "2026-03-30T10:00:00Z", "2026-03-30T12:15:30Z"),
    ("B", "P1", False, ["blue"], True, "review", "2026-03-31T23:00:00Z", "2026-04-01T00:30:00Z"),
    ("B", None, False, [], False, "lunch", "2026-04-01T11:00:00Z", "2026-04-01T12:00:00Z"),
    ("A", "P1", True, [], True, "ops", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z"),
    ("B", "P2", False, ["red"], False, "ops", "2026-10-24T23:30:00Z", "2026-10-25T03:00:00Z"),
    ("A", "P1", False, [], True, "night", "2026-11-01T05:30:00Z", "2026-11-01T07:00:00Z"),
    ("A", "P1", True, ["blue"], True, "sunday", "2026-04-05T23:30:00Z", "2026-04-06T00:15:00Z"),
    ("B", "P1", False, [], True, "short", "2026-04-02T09:00:00Z", "2026-04-02T09:07:00Z"),
    ("B", "P1", False, [], True, "running", "2026-03-30T08:00:00Z", ""),
]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json()


@pytest.fixture(scope="module")
def data(server: Server) -> Data:
    owner = server.account(workspace="Reports")
    member = add_member(owner, name="Bea Member")
    _ok(owner.put("/workspaces/{ws}/hourly-rate", {"amount": 1000}), 200)
    _ok(owner.put("/workspaces/{ws}/cost-rate", {"amount": 500}), 200)
    client_id = _ok(owner.post("/workspaces/{ws}/clients", {"name": "Acme"}), 201)["id"]
    p1 = _ok(
        owner.post(
            "/workspaces/{ws}/projects",
            {"name": "Website", "clientId": client_id, "billable": True, "isPublic": True,
             "hourlyRate": {"amount": 5000}, "costRate": {"amount": 2000}},
        ),
        201,
    )["id"]  # fmt: skip
    p2 = _ok(owner.post("/workspaces/{ws}/projects", {"name": "Internal", "isPublic": True}), 201)["id"]
    task_id = _ok(owner.post(f"/workspaces/{{ws}}/projects/{p1}/tasks", {"name": "Mockups"}), 201)["id"]
    tags = {n: _ok(owner.post("/workspaces/{ws}/tags", {"name": n}), 201)["id"] for n in ("red", "blue")}
    users = {"A": owner.user_id, "B": member.user_id}
    projects = {"P1": p1, "P2": p2}
    for who, project, with_task, tag_names, billable, description, start, end in SPECS:
        body: dict[str, Any] = {
            "start": start,
            "projectId": projects[project] if project else None,
            "taskId": task_id if with_task else None,
            "tagIds": [tags[t] for t in tag_names],
            "billable": billable,
            "description": description,
        }
        if end:
            body["end"] = end
        _ok(owner.post(f"/workspaces/{{ws}}/user/{users[who]}/time-entries", body), 201)
    entries = []
    for user_id in users.values():
        rows = _ok(owner.get(f"/workspaces/{{ws}}/user/{user_id}/time-entries", params={"page-size": 1000}))
        for row in rows:
            interval = row["timeInterval"]
            if interval["end"] is None:
                continue
            entries.append(
                Entry(
                    id=row["id"],
                    user_id=row["userId"],
                    project_id=row["projectId"],
                    task_id=row["taskId"],
                    tag_ids=row["tagIds"],
                    billable=row["billable"],
                    description=row["description"],
                    start=datetime.fromtimestamp(parse_instant(interval["start"]) // 1000, tz=UTC),
                    duration=parse_duration(interval["duration"]),
                    hourly=(row["hourlyRate"] or {}).get("amount", 0),
                    cost=(row["costRate"] or {}).get("amount", 0),
                )
            )
    assert len(entries) == len(SPECS) - 1
    assert any(e.hourly for e in entries) and any(e.cost for e in entries)
    return Data(owner, member, client_id, projects, task_id, tags, entries)


def _selected(data: Data, zone: str, first: date, last: date) -> list[Entry]:
    lo = datetime.combine(first, datetime.min.time())
    hi = datetime.combine(last + timedelta(days=1), datetime.min.time())
    return [e for e in data.entries if lo <= e.local_start(zone) < hi]


def _earned(entries: list[Entry]) -> float:
    return sum(e.hourly * e.duration for e in entries if e.billable) / 3600


def _cost(entries: list[Entry]) -> float:
    return sum(e.cost * e.duration for e in entries) / 3600


def _range(first: date, last: date, zone: str) -> dict[str, Any]:
    return {
        "dateRangeStart": f"{first.isoformat()}T00:00:00.000Z",
        "dateRangeEnd": f"{last.isoformat()}T23:59:59.999Z",
        "timeZone": zone,
    }


@pytest.mark.parametrize("zone", ZONES)
def test_summary_project_user_matches_plain_python(data: Data, zone: str) -> None:
    first, last = date(2026, 3, 29), date(2026, 4, 1)
    body = {**_range(first, last, zone), "summaryFilter": {"groups": ["PROJECT", "USER"]}}
    report = _ok(data.owner.post(R + "summary", body))
    chosen = _selected(data, zone, first, last)
    assert chosen, "the range must hold entries in every zone"
    (totals,) = report["totals"]
    assert totals["totalTime"] == sum(e.duration for e in chosen)
    assert totals["totalBillableTime"] == sum(e.duration for e in chosen if e.billable)
    assert totals["entriesCount"] == len(chosen)
    assert totals["totalAmount"] == pytest.approx(_earned(chosen))
    assert isinstance(totals["totalTime"], int)
    expected: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for e in chosen:
        expected[e.project_id or ""][e.user_id].append(e)
    got = {row["_id"]: row for row in report["groupOne"]}
    assert set(got) == set(expected)
    for pid, by_user in expected.items():
        row = got[pid]
        assert row["duration"] == sum(e.duration for es in by_user.values() for e in es)
        assert row["amount"] == pytest.approx(_earned([e for es in by_user.values() for e in es]))
        children = {c["_id"]: c for c in row["children"]}
        assert set(children) == set(by_user)
        for uid, es in by_user.items():
            assert children[uid]["duration"] == sum(e.duration for e in es)
            assert "children" not in children[uid]
    if data.projects["P1"] in got:
        p1 = got[data.projects["P1"]]
        assert p1["name"] == "Website" and p1["clientName"] == "Acme" and p1["color"].startswith("#")
    assert report["groupTotals"]["groupOneTotalCount"] == len(expected)
    assert isinstance(report["donutChart"], list)


@pytest.mark.parametrize("zone", ZONES)
def test_summary_by_date_uses_the_zone_calendar_across_dst(data: Data, zone: str) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    body = {**_range(first, last, zone), "summaryFilter": {"groups": ["DATE"]}, "amountShown": "COST"}
    report = _ok(data.owner.post(R + "summary", body))
    chosen = _selected(data, zone, first, last)
    expected: dict[str, list[Entry]] = defaultdict(list)
    for e in chosen:
        expected[e.local_start(zone).date().isoformat()].append(e)
    got = {row["_id"]: row for row in report["groupOne"]}
    assert sorted(got) == sorted(expected)
    assert [row["_id"] for row in report["groupOne"]] == sorted(expected)
    for day, es in expected.items():
        assert got[day]["duration"] == sum(e.duration for e in es)
        assert got[day]["amount"] == pytest.approx(_cost(es))
    assert report["totals"][0]["totalAmount"] == pytest.approx(_cost(chosen))


@pytest.mark.parametrize(("zone", "week_start"), [("UTC", "MONDAY"), ("Pacific/Auckland", "SUNDAY")])
def test_summary_by_week_and_month(data: Data, zone: str, week_start: str) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    starts = {"MONDAY": 0, "SUNDAY": 6}
    for groups in (["WEEK", "USER"], ["MONTH"]):
        body = {**_range(first, last, zone), "weekStart": week_start, "summaryFilter": {"groups": groups}}
        report = _ok(data.owner.post(R + "summary", body))
        expected: dict[str, int] = defaultdict(int)
        for e in _selected(data, zone, first, last):
            day = e.local_start(zone).date()
            if groups[0] == "WEEK":
                key = (day - timedelta(days=(day.weekday() - starts[week_start]) % 7)).isoformat()
            else:
                key = day.isoformat()[:7]
            expected[key] += e.duration
        assert {row["_id"]: row["duration"] for row in report["groupOne"]} == expected


def test_summary_client_task_tag_and_description_groups(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, "UTC", first, last)
    body = {**_range(first, last, "UTC"), "summaryFilter": {"groups": ["CLIENT", "TASK", "TAG"]}}
    report = _ok(data.owner.post(R + "summary", body))
    by_client = {row["_id"]: row for row in report["groupOne"]}
    in_acme = [e for e in chosen if e.project_id == data.projects["P1"]]
    assert by_client[data.client_id]["duration"] == sum(e.duration for e in in_acme)
    assert by_client[data.client_id]["name"] == "Acme"
    assert by_client[""]["duration"] == sum(e.duration for e in chosen if e.project_id != data.projects["P1"])
    tasks = {c["_id"]: c for c in by_client[data.client_id]["children"]}
    assert tasks[data.task_id]["duration"] == sum(e.duration for e in in_acme if e.task_id)
    # An entry with two tags counts under both; the totals count it once.
    tags = {c["_id"]: c["duration"] for c in tasks[""]["children"]}
    for tag_id in data.tags.values():
        assert tags.get(tag_id, 0) == sum(
            e.duration for e in in_acme if not e.task_id and tag_id in e.tag_ids
        )
    assert report["totals"][0]["totalTime"] == sum(e.duration for e in chosen)
    body = {**_range(first, last, "UTC"), "summaryFilter": {"groups": ["TIMEENTRY", "USER_GROUP"]}}
    report = _ok(data.owner.post(R + "summary", body))
    by_text = {row["_id"]: row["duration"] for row in report["groupOne"]}
    expected: dict[str, int] = defaultdict(int)
    for e in chosen:
        expected[e.description] += e.duration
    assert by_text == expected
    assert all(row["children"][0]["name"] == "Without group" for row in report["groupOne"])


def _detailed_ids(data: Data, **extra: Any) -> set[str]:
    body = {**_range(date(2026, 3, 1), date(2026, 11, 30), "UTC"), **extra}
    body.setdefault("detailedFilter", {"pageSize": 1000})
    return {row["_id"] for row in _ok(data.owner.post(R + "detailed", body))["timeentries"]}


def test_filters_select_what_plain_python_selects(data: Data) -> None:
    everything = _selected(data, "UTC", date(2026, 3, 1), date(2026, 11, 30))
    red = data.tags["red"]
    p1, p2 = data.projects["P1"], data.projects["P2"]

    def ids(pred: Any) -> set[str]:
        return {e.id for e in everything if pred(e)}

    cases = [
        ({"tags": {"ids": [red], "contains": "CONTAINS"}}, ids(lambda e: red in e.tag_ids)),
        ({"tags": {"ids": [red], "contains": "DOES_NOT_CONTAIN"}}, ids(lambda e: red not in e.tag_ids)),
        (
            {"tags": {"ids": [red], "contains": "CONTAINS_ONLY"}},
            ids(lambda e: e.tag_ids and set(e.tag_ids) <= {red}),
        ),
        ({"projects": {"ids": [p1], "contains": "CONTAINS"}}, ids(lambda e: e.project_id == p1)),
        ({"projects": {"ids": [p1], "contains": "DOES_NOT_CONTAIN"}}, ids(lambda e: e.project_id != p1)),
        ({"projects": {"ids": [p2, ""]}}, ids(lambda e: e.project_id in (p2, None))),
        ({"clients": {"ids": [data.client_id]}}, ids(lambda e: e.project_id == p1)),
        ({"tasks": {"ids": [data.task_id]}}, ids(lambda e: e.task_id == data.task_id)),
        ({"users": {"ids": [data.member.user_id]}}, ids(lambda e: e.user_id == data.member.user_id)),
        ({"billable": True}, ids(lambda e: e.billable)),
        ({"billable": False}, ids(lambda e: not e.billable)),
        ({"description": "DESI"}, ids(lambda e: "desi" in e.description.lower())),
        ({"withoutDescription": True}, ids(lambda e: e.description == "")),
        ({"approvalState": "APPROVED"}, set()),
        ({"approvalState": "ALL"}, ids(lambda e: True)),
        ({"userGroups": {"ids": ["0123456789abcdef01234567"], "contains": "CONTAINS"}}, set()),
        ({"invoicingState": "UNINVOICED"}, ids(lambda e: True)),
        ({"invoicingState": "INVOICED"}, set()),
        ({"projects": {"ids": ["0123456789abcdef01234567"]}}, set()),
    ]
    for extra, expected in cases:
        assert _detailed_ids(data, **extra) == expected, extra
    marked = sorted(e.id for e in everything if e.billable)[:2]
    mark = {"timeEntryIds": marked, "invoiced": True}
    assert data.owner.patch("/workspaces/{ws}/time-entries/invoiced", mark).status_code == 200
    try:
        assert _detailed_ids(data, invoicingState="INVOICED") == set(marked)
        assert _detailed_ids(data, invoicingState="UNINVOICED") == ids(lambda e: e.id not in marked)
    finally:
        body = {"timeEntryIds": marked, "invoiced": False}
        assert data.owner.patch("/workspaces/{ws}/time-entries/invoiced", body).status_code == 200
    audit = {"pageSize": 1000, "auditFilter": {"withoutProject": True}}
    assert _detailed_ids(data, detailedFilter=audit) == ids(lambda e: e.project_id is None)


def test_detailed_rows_paging_and_zone_rendering(data: Data) -> None:
    zone = "Pacific/Auckland"
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, zone, first, last)
    order = sorted(chosen, key=lambda e: (e.start, e.id), reverse=True)
    seen: list[str] = []
    for page in (1, 2, 3, 4):
        body = {**_range(first, last, zone), "detailedFilter": {"page": page, "pageSize": 3}}
        report = _ok(data.owner.post(R + "detailed", body))
        rows = report["timeentries"]
        assert len(rows) == max(0, min(3, len(order) - (page - 1) * 3))
        seen += [r["_id"] for r in rows]
        (totals,) = report["totals"]
        assert totals["entriesCount"] == len(chosen)
        assert totals["totalTime"] == sum(e.duration for e in chosen)
    assert seen == [e.id for e in order]
    body = {**_range(first, last, zone), "sortOrder": "ASCENDING", "detailedFilter": {"pageSize": 50}}
    rows = _ok(data.owner.post(R + "detailed", body))["timeentries"]
    assert [r["_id"] for r in rows] == [e.id for e in reversed(order)]
    by_id = {e.id: e for e in chosen}
    for row in rows:
        e = by_id[row["id"]]
        local = e.start.astimezone(ZoneInfo(zone))
        assert row["timeInterval"]["start"] == local.isoformat()
        assert row["timeInterval"]["start"].endswith(("+13:00", "+12:00"))
        assert row["timeInterval"]["duration"] == e.duration
        assert {t["id"] for t in row["tags"]} == set(e.tag_ids)
        if e.project_id == data.projects["P1"]:
            assert (row["projectName"], row["clientName"]) == ("Website", "Acme")
        if e.task_id:
            assert row["taskName"] == "Mockups"
        earned = e.hourly * e.duration / 3600 if e.billable else 0
        assert row["amount"] == pytest.approx(earned)
    utc = _ok(data.owner.post(R + "detailed", {**_range(first, last, "UTC")}))["timeentries"]
    assert all(r["timeInterval"]["start"].endswith("Z") for r in utc)


def test_running_timers_are_left_out(data: Data) -> None:
    report = _ok(data.owner.post(R + "detailed", {**_range(date(2026, 3, 30), date(2026, 3, 30), "UTC")}))
    assert all(r["description"] != "running" for r in report["timeentries"])
    assert all(r["timeInterval"]["end"] is not None for r in report["timeentries"])


def test_rounding_applies_per_entry(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, "UTC", first, last)
    body = {**_range(first, last, "UTC"), "rounding": True, "summaryFilter": {"groups": ["USER"]}}
    report = _ok(data.owner.post(R + "summary", body))
    quarter = 900
    rounded = [(e.duration + quarter // 2) // quarter * quarter for e in chosen]
    assert report["totals"][0]["totalTime"] == sum(rounded)
    earned = sum(e.hourly * r for e, r in zip(chosen, rounded, strict=True) if e.billable) / 3600
    assert report["totals"][0]["totalAmount"] == pytest.approx(earned)


def test_profit_and_amount_lists(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, "UTC", first, last)
    body = {
        **_range(first, last, "UTC"),
        "amountShown": "PROFIT",
        "amounts": ["EARNED", "COST", "PROFIT"],
        "summaryFilter": {"groups": ["PROJECT"]},
    }
    (totals,) = _ok(data.owner.post(R + "summary", body))["totals"]
    values = {a["type"]: a["value"] for a in totals["amounts"]}
    assert values["EARNED"] == pytest.approx(_earned(chosen))
    assert values["COST"] == pytest.approx(_cost(chosen))
    assert totals["totalAmount"] == pytest.approx(_earned(chosen) - _cost(chosen))


def test_weekly_needs_exactly_seven_days(data: Data) -> None:
    first = date(2026, 3, 30)
    for days in (6, 8, 14, 31):
        body = {**_range(first, first + timedelta(days=days - 1), "UTC"), "weeklyFilter": {"group": "USER"}}
        assert_error(data.owner.post(R + "weekly", body), 400, 501, "exactly 7 days for weekly report")
    exclusive = {"dateRangeStart": "2026-03-30T00:00:00Z", "dateRangeEnd": "2026-04-06T00:00:00Z"}
    for body in (
        {**_range(first, first + timedelta(days=6), "UTC"), "weeklyFilter": {"group": "USER"}},
        {**exclusive, "timeZone": "UTC", "weeklyFilter": {"group": "PROJECT", "subgroup": "TIME"}},
    ):
        report = _ok(data.owner.post(R + "weekly", body))
        chosen = _selected(data, "UTC", first, first + timedelta(days=6))
        assert report["totals"][0]["totalTime"] == sum(e.duration for e in chosen)
        assert [d["date"] for d in report["totalsByDay"]] == [
            (first + timedelta(days=i)).isoformat() for i in range(7)
        ]
        per_day = [
            sum(e.duration for e in chosen if e.start.date() == first + timedelta(days=i)) for i in range(7)
        ]
        assert [d["duration"] for d in report["totalsByDay"]] == per_day
        for row in report["groupOne"]:
            assert sum(d["duration"] for d in row["days"]) == row["duration"]
            assert sum(c["duration"] for c in row["children"]) == row["duration"]
    empty = {**_range(date(2020, 1, 6), date(2020, 1, 12), "UTC"), "weeklyFilter": {"group": "USER"}}
    assert _ok(data.owner.post(R + "weekly", empty))["totals"] == [None]


def test_long_ranges_are_allowed_and_empty_reports_have_empty_totals(data: Data) -> None:
    body = {**_range(date(2020, 1, 1), date(2026, 12, 31), "UTC"), "summaryFilter": {"groups": ["PROJECT"]}}
    report = _ok(data.owner.post(R + "summary", body))
    assert report["totals"][0]["entriesCount"] == len(data.entries)
    forever = {"dateRangeStart": "0001-01-01T00:00:00Z", "dateRangeEnd": "9999-12-31T23:59:59.999Z"}
    report = _ok(data.owner.post(R + "summary", {**forever, "summaryFilter": {"groups": ["MONTH"]}}))
    assert report["totals"][0]["entriesCount"] == len(data.entries)
    empty = {**_range(date(2019, 1, 1), date(2019, 1, 31), "UTC"), "summaryFilter": {"groups": ["PROJECT"]}}
    report = _ok(data.owner.post(R + "summary", empty))
    assert report["totals"] == [] and report["groupOne"] == []


def test_attendance_per_user_and_day(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 4, 30)
    zone = "Europe/Berlin"
    body = {**_range(first, last, zone), "attendanceFilter": {"page": 1, "pageSize": 100}}
    report = _ok(data.owner.post(R + "attendance", body))
    expected: dict[tuple[str, str], int] = defaultdict(int)
    for e in _selected(data, zone, first, last):
        expected[(e.user_id, e.local_start(zone).date().isoformat())] += e.duration
    got = {(row["userId"], row["date"]): row["totalDuration"] for row in report["entities"]}
    assert got == expected
    assert isinstance(report["totals"], dict)
    assert report["totals"]["totalTime"] == sum(expected.values())
    running = [r for r in report["entities"] if r["userId"] == data.member.user_id]
    assert running and all(r["hasRunningEntry"] for r in running)


def _csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_csv_exports(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, "America/New_York", first, last)
    body = {**_range(first, last, "America/New_York"), "exportType": "CSV", "dateFormat": "YYYY-MM-DD"}
    rows = _csv(data.owner.post(R + "detailed", body))
    assert len(rows) == len(chosen)
    assert set(rows[0]) >= {"Project", "Client", "Description", "Task", "User", "Email", "Tags", "Billable",
                            "Start Date", "Start Time", "End Date", "End Time", "Duration (h)",
                            "Duration (decimal)"}  # fmt: skip
    total = 0
    for row in rows:
        h, m, s = (int(x) for x in row["Duration (h)"].split(":"))
        total += h * 3600 + m * 60 + s
    assert total == sum(e.duration for e in chosen)
    starts = sorted((e.local_start("America/New_York").strftime("%Y-%m-%d") for e in chosen), reverse=True)
    assert [r["Start Date"] for r in rows] == starts
    amount = sum(float(r["Billable Amount (USD)"]) for r in rows)
    assert amount == pytest.approx(_earned(chosen) / 100, abs=0.05)
    summary = {**body, "summaryFilter": {"groups": ["PROJECT", "USER"]}}
    lines = _csv(data.owner.post(R + "summary", summary))
    assert sum(float(r["Time (decimal)"]) for r in lines) == pytest.approx(total / 3600, abs=0.05)
    assert {"Project", "User", "Time (h)"} <= set(lines[0])
    weekly = {**_range(date(2026, 3, 30), date(2026, 4, 5), "UTC"), "exportType": "CSV"}
    lines = _csv(data.owner.post(R + "weekly", {**weekly, "weeklyFilter": {"group": "USER"}}))
    assert lines and "2026-03-30" in lines[0]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(response: Any) -> tuple[list[str], list[tuple[Any, ...]], Any]:
    """Header, data rows and the header cells of the single sheet of an XLSX export."""
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"].startswith(XLSX)
    disposition = response.headers["content-disposition"]
    assert "attachment" in disposition and disposition.endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return header, rows[1:], next(iter(sheet.iter_rows(max_row=1)))


def _seconds(value: Any) -> int:
    """An Excel duration cell (openpyxl reads `[h]:mm:ss` as a timedelta, or a day fraction) in seconds."""
    if isinstance(value, timedelta):
        return round(value.total_seconds())
    if isinstance(value, datetime):  # a duration of a day or more may come back as a date after 1899-12-30
        return round((value - datetime(1899, 12, 30)).total_seconds())
    return round(float(value) * 86400)


def test_xlsx_exports_match_the_json_reports(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    zone = "America/New_York"
    body = {**_range(first, last, zone), "dateFormat": "YYYY-MM-DD"}
    json_rows = _ok(data.owner.post(R + "detailed", {**body, "detailedFilter": {"pageSize": 1000}}))
    entries = json_rows["timeentries"]
    csv_rows = _csv(data.owner.post(R + "detailed", {**body, "exportType": "CSV"}))
    header, rows, header_cells = _xlsx(data.owner.post(R + "detailed", {**body, "exportType": "XLSX"}))
    assert header == list(csv_rows[0])
    assert all(cell.font.b for cell in header_cells)
    assert len(rows) == len(entries) == len(csv_rows) > 0
    col = {name: i for i, name in enumerate(header)}
    for row, entry, text in zip(rows, entries, csv_rows, strict=True):
        assert row[col["Description"]] == entry["description"] == text["Description"]
        assert row[col["Project"]] == entry["projectName"]
        assert row[col["User"]] == entry["userName"]
        assert row[col["Billable"]] == ("Yes" if entry["billable"] else "No")
        assert _seconds(row[col["Duration (h)"]]) == entry["timeInterval"]["duration"]
        assert isinstance(row[col["Duration (decimal)"]], float | int)
        assert row[col["Duration (decimal)"]] == pytest.approx(float(text["Duration (decimal)"]))
        start = datetime.fromtimestamp(parse_instant(entry["timeInterval"]["start"]) / 1000, ZoneInfo(zone))
        start_date = row[col["Start Date"]]
        assert isinstance(start_date, datetime)
        assert start_date.date() == start.date()
        assert start_date.strftime("%Y-%m-%d") == text["Start Date"]
        start_time = row[col["Start Time"]]
        assert (start_time.hour, start_time.minute, start_time.second) == (
            start.hour,
            start.minute,
            start.second,
        )
        amount = row[col["Billable Amount (USD)"]]
        assert amount == pytest.approx(float(text["Billable Amount (USD)"]))
    summary = {**body, "summaryFilter": {"groups": ["PROJECT", "USER"]}}
    report = _ok(data.owner.post(R + "summary", summary))
    header, rows, _ = _xlsx(data.owner.post(R + "summary", {**summary, "exportType": "XLSX"}))
    assert header == list(_csv(data.owner.post(R + "summary", {**summary, "exportType": "CSV"}))[0])
    assert header[:3] == ["Project", "User", "Time (h)"]
    assert sum(_seconds(r[2]) for r in rows) == report["totals"][0]["totalTime"]
    assert sum(r[4] for r in rows) == pytest.approx(report["totals"][0]["totalAmount"] / 100, abs=0.05)
    weekly = {**_range(date(2026, 3, 30), date(2026, 4, 5), "UTC"), "weeklyFilter": {"group": "USER"}}
    report = _ok(data.owner.post(R + "weekly", weekly))
    header, rows, _ = _xlsx(data.owner.post(R + "weekly", {**weekly, "exportType": "XLSX"}))
    assert header == list(_csv(data.owner.post(R + "weekly", {**weekly, "exportType": "CSV"}))[0])
    assert header[2] == "2026-03-30" and header[9] == "Total (h)"
    assert sum(_seconds(r[9]) for r in rows) == sum(g["duration"] for g in report["groupOne"]) > 0
    assert rows and {r[0] for r in rows} <= {g["name"] for g in report["groupOne"]}


def test_unsupported_exports_and_bad_input_are_clockify_400s(data: Data) -> None:
    base = _range(date(2026, 3, 1), date(2026, 3, 31), "UTC")
    for path in ("detailed", "summary", "weekly"):
        assert_error(data.owner.post(R + path, {**base, "exportType": "ZIP"}), 400, 501, "ZIP")
    assert_error(data.owner.post(R + "summary", {**base, "timeZone": "Mars/Olympus"}), 400, 501, "timeZone")
    assert_error(data.owner.post(R + "summary", {"dateRangeEnd": "2026-03-01T00:00:00Z"}), 400, 501)
    assert_error(data.owner.post(R + "summary", {**base, "dateRangeStart": "yesterday"}), 400, 501)
    backwards = {**base, "dateRangeStart": "2026-04-01T00:00:00Z", "dateRangeEnd": "2026-03-01T00:00:00Z"}
    assert_error(data.owner.post(R + "detailed", backwards), 400, 501)
    groups = {**base, "summaryFilter": {"groups": ["PROJECT", "USER", "TAG", "DATE"]}}
    assert_error(data.owner.post(R + "summary", groups), 400, 501)


def test_every_reports_prefix_and_tenancy(data: Data, other: Account) -> None:
    body = {**_range(date(2026, 3, 1), date(2026, 11, 30), "UTC"), "summaryFilter": {"groups": ["USER"]}}
    expected = _ok(data.owner.post(R + "summary", body))["totals"]
    for prefix in ("/report/v1", "/clockify/reports/v1", "/clockify/report/v1", "/reports/v1"):
        path = prefix + "/workspaces/{ws}/reports/summary"
        assert _ok(data.owner.post(path, body))["totals"] == expected
    foreign = f"/reports/v1/workspaces/{data.owner.workspace_id}/reports/summary"
    assert_error(other.post(foreign, body), 403)
    # A member sees the workspace report too; the other workspace's report holds none of these entries.
    assert _ok(other.post("/reports/v1/workspaces/{ws}/reports/summary", body))["totals"] == []


def test_remembered_totals_and_pages_follow_every_write(me: Account) -> None:
    """Totals and page boundaries remembered between requests are dropped by any write in between."""

    def make(start: str, minutes: int) -> str:
        begin = datetime.fromisoformat(start.replace("Z", "+00:00"))
        end = (begin + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        return str(_ok(me.post("/workspaces/{ws}/time-entries", {"start": start, "end": end}), 201)["id"])

    made = [make(f"2026-05-{day:02d}T09:00:00Z", 10 + day) for day in range(1, 11)]
    body = {**_range(date(2026, 5, 1), date(2026, 5, 31), "UTC")}

    def page(number: int) -> tuple[list[str], int]:
        report = _ok(me.post(R + "detailed", {**body, "detailedFilter": {"page": number, "pageSize": 3}}))
        return [r["_id"] for r in report["timeentries"]], report["totals"][0]["totalTime"]

    newest_first = list(reversed(made))
    for _ in range(2):  # the second walk reads remembered boundaries and totals
        assert [page(n)[0] for n in (1, 2, 3, 4)] == [newest_first[i : i + 3] for i in (0, 3, 6, 9)]
    assert page(2)[1] == sum((10 + day) * 60 for day in range(1, 11))
    latest = make("2026-05-20T09:00:00Z", 5)
    ids, total = page(2)
    assert ids == [latest, *newest_first][3:6]
    assert total == sum((10 + day) * 60 for day in range(1, 11)) + 300
    assert me.delete(f"/workspaces/{{ws}}/time-entries/{latest}").status_code == 204
    assert page(2) == (newest_first[3:6], sum((10 + day) * 60 for day in range(1, 11)))


def _insert_entries(account: Account, rows: list[tuple[str, int, int]]) -> None:
    """Many entries at once (id, start_ms, duration), straight into the database: the reports read the
    same rows either way."""
    columns = ("id", "workspace_id", "user_id", "description", "billable", "start_ms", "end_ms",
               "duration", "created_at", "updated_at")  # fmt: skip
    records = [
        (i, account.workspace_id, account.user_id, f"bulk {n}", False, s, s + d * 1000, d, s, s)
        for n, (i, s, d) in enumerate(rows)
    ]
    copy_entries(account, columns, records)


def test_deep_pages_match_the_plain_order(me: Account) -> None:
    from punchclock.kit import ids

    base = int(datetime(2026, 6, 1, tzinfo=UTC).timestamp()) * 1000
    # Many entries share a start, so the id breaks ties; 9,000 entries make deep pages hop.
    rows = [(ids.new_id(), base + (n // 3) * 60_000, 60 + n % 7) for n in range(9000)]
    _insert_entries(me, rows)
    order = [r[0] for r in sorted(rows, key=lambda r: (r[1], r[0]), reverse=True)]
    body = _range(date(2026, 6, 1), date(2026, 6, 30), "UTC")

    def page(number: int, size: int, **extra: Any) -> list[str]:
        filters = {"page": number, "pageSize": size, "options": {"totals": "EXCLUDE"}}
        report = _ok(me.post(R + "detailed", {**body, **extra, "detailedFilter": filters}))
        return [r["_id"] for r in report["timeentries"]]

    for number, size in (
        (2500, 3),
        (1, 50),
        (7, 1000),
        (2999, 3),
        (3000, 3),
        (3001, 3),
        (1200, 5),
        (10, 1000),
    ):
        assert page(number, size) == order[(number - 1) * size : number * size], (number, size)
    ascending = list(reversed(order))
    for number, size in ((1700, 5), (2, 1000), (1800, 5)):
        assert page(number, size, sortOrder="ASCENDING") == ascending[(number - 1) * size : number * size]
    # The XLSX export crosses the streaming chunks (5,000 rows each) without losing or repeating a row.
    header, sheet_rows, _ = _xlsx(me.post(R + "detailed", {**body, "exportType": "XLSX"}))
    by_id = {r[0]: n for n, r in enumerate(rows)}
    assert [r[header.index("Description")] for r in sheet_rows] == [f"bulk {by_id[i]}" for i in order]


def test_csv_quotes_what_needs_quoting(me: Account) -> None:
    text = 'say "hi", then\nleave'
    project = _ok(me.post("/workspaces/{ws}/projects", {"name": 'Big, "quoted" one'}), 201)["id"]
    body = {"start": "2026-07-01T09:00:00Z", "end": "2026-07-01T10:00:00Z", "description": text}
    _ok(me.post("/workspaces/{ws}/time-entries", {**body, "projectId": project}), 201)
    report = {**_range(date(2026, 7, 1), date(2026, 7, 1), "UTC"), "exportType": "CSV"}
    (row,) = _csv(me.post(R + "detailed", report))
    assert row["Description"] == text
    assert row["Project"] == 'Big, "quoted" one'
    assert (row["Start Time"], row["End Time"], row["Duration (h)"]) == (
        "09:00:00 AM",
        "10:00:00 AM",
        "01:00:00",
    )


def test_members_see_what_the_workspace_settings_allow(me: Account) -> None:
    member = add_member(me, name="Mo Member")
    _ok(me.put("/workspaces/{ws}/hourly-rate", {"amount": 6000}), 200)
    for who, hour in ((me.user_id, 9), (member.user_id, 11)):
        body = {
            "start": f"2026-08-03T{hour:02d}:00:00Z",
            "end": f"2026-08-03T{hour + 1:02d}:00:00Z",
            "billable": True,
        }
        _ok(me.post(f"/workspaces/{{ws}}/user/{who}/time-entries", body), 201)
    body = {**_range(date(2026, 8, 1), date(2026, 8, 31), "UTC"), "summaryFilter": {"groups": ["USER"]}}
    (mine,) = _ok(me.post(R + "summary", body))["totals"]
    assert (mine["totalTime"], mine["totalAmount"]) == (7200, pytest.approx(12000))
    (theirs,) = _ok(member.post(R + "summary", body))["totals"]
    assert (theirs["totalTime"], theirs["totalAmount"], theirs["amounts"]) == (7200, 0, [])
    rows = _ok(member.post(R + "detailed", body))["timeentries"]
    assert rows and all(r["hourlyRate"] is None and r["amount"] == 0 for r in rows)
    set_workspace_settings(me, onlyAdminsSeeAllTimeEntries=True, onlyAdminsSeeBillableRates=False)
    (theirs,) = _ok(member.post(R + "summary", body))["totals"]
    assert (theirs["totalTime"], theirs["totalAmount"]) == (3600, pytest.approx(6000))
    assert _ok(me.post(R + "summary", body))["totals"][0]["totalTime"] == 7200


def test_summary_sorting_and_charts(data: Data) -> None:
    first, last = date(2026, 3, 1), date(2026, 11, 30)
    chosen = _selected(data, "UTC", first, last)
    base = {**_range(first, last, "UTC"), "sortOrder": "DESCENDING"}
    by_duration = {**base, "summaryFilter": {"groups": ["USER", "PROJECT"], "sortColumn": "DURATION"}}
    rows = _ok(data.owner.post(R + "summary", by_duration))["groupOne"]
    assert [r["duration"] for r in rows] == sorted((r["duration"] for r in rows), reverse=True)
    for row in rows:
        durations = [c["duration"] for c in row["children"]]
        assert durations == sorted(durations, reverse=True)
    by_name = {**_range(first, last, "UTC"), "summaryFilter": {"groups": ["PROJECT"], "sortColumn": "GROUP"}}
    names = [r["name"] for r in _ok(data.owner.post(R + "summary", by_name))["groupOne"]]
    assert names == ["Internal", "Website", "Without project"]
    chart = {**base, "summaryFilter": {"groups": ["USER"], "summaryChartType": "BILLABILITY"}}
    donut = {d["_id"]: d["duration"] for d in _ok(data.owner.post(R + "summary", chart))["donutChart"]}
    assert donut == {
        "BILLABLE": sum(e.duration for e in chosen if e.billable),
        "NON_BILLABLE": sum(e.duration for e in chosen if not e.billable),
    }
    projects = {**base, "summaryFilter": {"groups": ["USER"]}}
    donut = {d["_id"]: d["duration"] for d in _ok(data.owner.post(R + "summary", projects))["donutChart"]}
    expected: dict[str, int] = defaultdict(int)
    for e in chosen:
        expected[e.project_id or ""] += e.duration
    assert donut == expected
