"""Shared reports over HTTP: create (200), list with `page`/camelCase `pageSize`, merge updates, delete
(204), and the bare render `GET /shared-reports/{id}` (public without a key, private for members only),
with fixed and relative date ranges, checked against the reports host's own JSON."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import openpyxl

from tests.conftest import Account, add_member, assert_error

SR = "/reports/v1/workspaces/{ws}/shared-reports"
RENDER = "/reports/v1/shared-reports/"
REPORTS = "/reports/v1/workspaces/{ws}/reports/"


def _ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json()


def _fixed(first: str = "2026-02-02", last: str = "2026-02-08") -> dict[str, Any]:
    return {
        "dateRangeStart": f"{first}T00:00:00.000Z",
        "dateRangeEnd": f"{last}T23:59:59.999Z",
        "timeZone": "UTC",
        "exportType": "JSON",
    }


def _summary(name: str = "Team summary", public: bool = True, **filter_: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "SUMMARY",
        "isPublic": public,
        "filter": {**_fixed(), "summaryFilter": {"groups": ["PROJECT", "USER"]}, **filter_},
    }


def _entry(account: Account, start: datetime, minutes: int, description: str = "") -> None:
    body = {
        "start": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "end": (start + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "description": description,
    }
    _ok(account.post("/workspaces/{ws}/time-entries", body), 201)


def _anonymous(account: Account) -> httpx.Client:
    return httpx.Client(base_url=account.server.base_url, timeout=30)


def test_crud_and_paging_with_camel_case_page_size(me: Account) -> None:
    made = [_ok(me.post(SR, _summary(f"report {i}"))) for i in range(3)]
    first = made[0]
    assert first["name"] == "report 0" and first["type"] == "SUMMARY" and first["isPublic"] is True
    assert first["fixedDate"] is True and first["workspaceId"] == me.workspace_id
    assert first["userId"] == me.user_id and len(first["id"]) == 24
    assert first["filter"]["summaryFilter"]["groups"] == ["PROJECT", "USER"]
    assert first["filter"]["dateRangeStart"] == "2026-02-02T00:00:00.000Z"

    listed = _ok(me.get(SR))
    assert listed["count"] == 3 and [r["id"] for r in listed["reports"]] == [r["id"] for r in made]
    page1 = _ok(me.get(SR, params={"page": 1, "pageSize": 2}))
    page2 = _ok(me.get(SR, params={"page": 2, "pageSize": 2}))
    assert [len(page1["reports"]), len(page2["reports"])] == [2, 1]
    assert page1["count"] == page2["count"] == 3
    assert [r["id"] for r in page1["reports"] + page2["reports"]] == [r["id"] for r in made]
    # FACTS "Pagination": the kebab spelling is ignored on this list.
    assert len(_ok(me.get(SR, params={"page-size": 1}))["reports"]) == 3
    assert_error(me.get(SR, params={"pageSize": 0}), 400, 3000)

    # PUT merges: a name alone keeps the saved filter and type.
    renamed = _ok(me.put(f"{SR}/{first['id']}", {"name": "renamed"}))
    assert renamed["name"] == "renamed" and renamed["filter"] == first["filter"]
    assert renamed["type"] == "SUMMARY" and renamed["isPublic"] is True
    changed = _ok(me.put(f"{SR}/{first['id']}", {"isPublic": False, "type": "DETAILED"}))
    assert (changed["isPublic"], changed["type"], changed["name"]) == (False, "DETAILED", "renamed")

    response = me.delete(f"{SR}/{first['id']}")
    assert response.status_code == 204 and response.content == b""
    assert _ok(me.get(SR))["count"] == 2
    assert_error(me.delete(f"{SR}/{first['id']}"), 400, 501, "Shared report doesn't belong to Workspace")
    assert_error(me.put(f"{SR}/{first['id']}", {"name": "x"}), 400, 501, "doesn't belong to Workspace")


def test_bad_definitions_are_refused(me: Account) -> None:
    assert_error(me.post(SR, {**_summary(), "name": "  "}), 400, 501)
    assert_error(me.post(SR, {"name": "n", "filter": _fixed()}), 400, 501)
    assert_error(me.post(SR, {"name": "n", "type": "SUMMARY"}), 400, 501)
    assert_error(me.post(SR, {**_summary(), "type": "EXPENSE_DETAILED"}), 400, 501, "EXPENSE_DETAILED")
    assert_error(me.post(SR, {**_summary(), "type": "NOPE"}), 400, 501)
    no_range = {"name": "n", "type": "DETAILED", "filter": {"timeZone": "UTC"}}
    assert_error(me.post(SR, no_range), 400, 501, "dateRangeStart")
    assert_error(me.post(SR, _summary(dateRangeType="SOMETIME")), 400, 501, "dateRangeType")
    assert_error(me.post(SR, _summary(timeZone="Mars/Olympus")), 400, 501, "timeZone")
    assert _ok(me.get(SR))["count"] == 0


def test_public_render_needs_no_key_and_matches_the_summary_report(me: Account) -> None:
    project = _ok(me.post("/workspaces/{ws}/projects", {"name": "Apollo"}), 201)["id"]
    body = {"start": "2026-02-03T09:00:00Z", "end": "2026-02-03T11:30:00Z", "projectId": project}
    _ok(me.post("/workspaces/{ws}/time-entries", body), 201)
    _entry(me, datetime(2026, 2, 5, 14, tzinfo=UTC), 45)
    _entry(me, datetime(2026, 3, 5, 14, tzinfo=UTC), 60)  # outside the saved range
    report = _ok(me.post(SR, _summary()))
    with _anonymous(me) as anonymous:
        rendered = _ok(anonymous.get(RENDER + report["id"]))
        # Every reports prefix serves it, the same way.
        assert _ok(anonymous.get("/report/v1/shared-reports/" + report["id"])) == rendered
    assert set(rendered) == {"totals", "donutChart", "groupTotals", "groupOne", "filters"}
    direct = _ok(me.post(REPORTS + "summary", _summary()["filter"]))
    for key in ("totals", "donutChart", "groupTotals", "groupOne"):
        assert rendered[key] == direct[key], key
    assert rendered["totals"][0]["totalTime"] == 2.5 * 3600 + 45 * 60
    assert {g["name"] for g in rendered["groupOne"]} == {"Apollo", "Without project"}
    filters = rendered["filters"]
    assert filters["id"] == report["id"] and filters["isPublic"] is True and filters["type"] == "SUMMARY"
    assert filters["timezone"] == "UTC" and filters["dateRangeStart"].startswith("2026-02-02")


def test_private_render_is_for_admins_the_author_and_listed_users(me: Account, other: Account) -> None:
    _entry(me, datetime(2026, 2, 4, 8, tzinfo=UTC), 30)
    member = add_member(me, name="Viewer")
    report = _ok(me.post(SR, {**_summary(public=False), "visibleToUsers": [member.user_id]}))
    url = RENDER + report["id"]
    with _anonymous(me) as anonymous:
        assert_error(anonymous.get(url), 401, 1000)
        assert_error(anonymous.get(url, headers={"X-Api-Key": "no-such-key"}), 401, 4003)
    assert_error(other.get(url), 403, 403)
    assert _ok(member.get(url))["totals"][0]["totalTime"] == 1800
    assert _ok(me.get(url))["filters"]["isPublic"] is False
    # Unlisted, the member is refused.
    _ok(me.put(f"{SR}/{report['id']}", {"visibleToUsers": []}))
    assert_error(member.get(url), 403, 403)
    # Made public, it renders for anybody.
    _ok(me.put(f"{SR}/{report['id']}", {"isPublic": True}))
    assert _ok(other.get(url))["totals"][0]["totalTime"] == 1800
    # Unknown and malformed ids.
    assert_error(me.get(RENDER + "0123456789abcdef01234567"), 400, 501)
    assert_error(me.get(RENDER + "not-an-id"), 400, 501)


def test_another_workspaces_report_is_refused_on_the_workspace_routes(me: Account, other: Account) -> None:
    theirs = _ok(other.post(SR, _summary("theirs")))
    for response in (
        me.put(f"{SR}/{theirs['id']}", {"name": "mine now"}),
        me.delete(f"{SR}/{theirs['id']}"),
    ):
        assert_error(response, 400, 501, "Shared report doesn't belong to Workspace")
    assert _ok(me.get(SR))["count"] == 0
    assert _ok(other.get(SR))["reports"][0]["name"] == "theirs"
    # Not a member of the other workspace: its list and writes are refused.
    assert_error(me.get(SR.replace("{ws}", other.workspace_id)), 403, 403)


def test_members_change_only_their_own(me: Account) -> None:
    member = add_member(me, name="Mia")
    admin = add_member(me, role="WORKSPACE_ADMIN", name="Ada")
    owners = _ok(me.post(SR, _summary("owner's")))
    _ok(me.post(SR, _summary("owner's private", public=False)))
    mine = _ok(member.post(SR, _summary("member's", public=False)))
    # The member's list: the public reports and their own (not the owner's private one).
    assert [r["name"] for r in _ok(member.get(SR))["reports"]] == ["owner's", "member's"]
    assert _ok(admin.get(SR))["count"] == 3
    assert _ok(me.get(SR, params={"sharedReportsFilter": "CREATED_BY_ME"}))["count"] == 2
    assert_error(member.put(f"{SR}/{owners['id']}", {"name": "taken"}), 403, 403)
    assert_error(member.delete(f"{SR}/{owners['id']}"), 403, 403)
    assert _ok(admin.put(f"{SR}/{mine['id']}", {"name": "tidied"}))["name"] == "tidied"
    assert mine["reportAuthor"] == "Mia"


def test_workspace_prefixed_get_is_405(me: Account) -> None:
    report = _ok(me.post(SR, _summary()))
    response = me.get(f"{SR}/{report['id']}")
    assert_error(response, 405)


def test_relative_ranges_resolve_at_render_time(me: Account) -> None:
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    last_week = monday - timedelta(days=6)  # the Tuesday of last week
    _entry(me, datetime.combine(today, datetime.min.time(), UTC) + timedelta(minutes=5), 20, "today")
    _entry(me, datetime.combine(last_week, datetime.min.time(), UTC) + timedelta(hours=10), 40, "last week")
    _entry(me, datetime(2020, 1, 6, 10, tzinfo=UTC), 50, "long ago")
    old = {"dateRangeStart": "2020-01-01T00:00:00.000Z", "dateRangeEnd": "2020-01-31T23:59:59.999Z"}

    def render(range_type: str, report_type: str = "DETAILED", **extra: Any) -> Any:
        body = {
            "name": range_type,
            "type": report_type,
            "isPublic": True,
            "filter": {"timeZone": "UTC", "weekStart": "MONDAY", "dateRangeType": range_type, **extra},
        }
        report = _ok(me.post(SR, body))
        assert report["fixedDate"] is False
        return _ok(me.get(RENDER + report["id"]))

    got = render("TODAY")
    assert [e["description"] for e in got["timeentries"]] == ["today"]
    assert got["filters"]["dateRangeStart"] == f"{today.isoformat()}T00:00:00.000Z"
    got = render("LAST_WEEK")
    assert [e["description"] for e in got["timeentries"]] == ["last week"]
    # A stored fixed range is ignored while the range is relative…
    assert [e["description"] for e in render("THIS_WEEK", **old)["timeentries"]] == ["today"]
    weekly = render("LAST_WEEK", "WEEKLY", weeklyFilter={"group": "USER"})
    assert {"totals", "filters"} <= set(weekly) and weekly["filters"]["type"] == "WEEKLY"
    assert sum(g["duration"] for g in weekly["groupOne"]) == 40 * 60
    # …and used when the report says its date is fixed.
    fixed = {"name": "fixed", "type": "DETAILED", "fixedDate": True, "isPublic": True}
    report = _ok(me.post(SR, {**fixed, "filter": {"timeZone": "UTC", "dateRangeType": "TODAY", **old}}))
    got = _ok(me.get(RENDER + report["id"]))
    assert [e["description"] for e in got["timeentries"]] == ["long ago"]


def test_render_exports_csv_and_xlsx(me: Account) -> None:
    _entry(me, datetime(2026, 2, 4, 8, tzinfo=UTC), 90, "export me")
    body = {"name": "detail", "type": "DETAILED", "isPublic": True, "filter": _fixed()}
    report = _ok(me.post(SR, body))
    with _anonymous(me) as anonymous:
        response = anonymous.get(RENDER + report["id"], params={"exportType": "CSV"})
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        assert "export me" in response.text and "01:30:00" in response.text
        response = anonymous.get(RENDER + report["id"], params={"exportType": "XLSX"})
        assert response.status_code == 200, response.text
        assert 'xlsx"' in response.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][2] == "Description" and rows[1][2] == "export me" and len(rows) == 2
        response = anonymous.get(RENDER + report["id"], params={"exportType": "PDF"})
        assert response.status_code == 200 and response.content.startswith(b"%PDF-")
        assert_error(anonymous.get(RENDER + report["id"], params={"exportType": "WORD"}), 400)
    summary = _ok(me.post(SR, _summary()))
    response = me.get(RENDER + summary["id"], params={"exportType": "XLSX"})
    assert response.status_code == 200, response.text
    assert date(2026, 2, 2).isoformat() in response.headers["content-disposition"]


def test_render_query_overrides_range_order_and_pages(me: Account) -> None:
    for day in (3, 4, 5):
        _entry(me, datetime(2026, 2, day, 8, tzinfo=UTC), 10 * day, f"day {day}")
    _entry(me, datetime(2026, 3, 2, 8, tzinfo=UTC), 5, "march")
    body = {"name": "detail", "type": "DETAILED", "isPublic": True, "filter": _fixed()}
    url = RENDER + _ok(me.post(SR, body))["id"]

    def descriptions(**params: Any) -> list[str]:
        return [e["description"] for e in _ok(me.get(url, params=params))["timeentries"]]

    assert descriptions() == ["day 5", "day 4", "day 3"]
    assert descriptions(sortOrder="ASCENDING") == ["day 3", "day 4", "day 5"]
    assert descriptions(page=2, pageSize=2) == ["day 3"]
    march = {"dateRangeStart": "2026-03-01T00:00:00", "dateRangeEnd": "2026-03-31T23:59:59"}
    assert descriptions(**march) == ["march"]
    assert_error(me.get(url, params={"dateRangeStart": "yesterday"}), 400, 501)
    assert_error(me.get(url, params={"dateRangeStart": "2" * 200}), 400, 501)
    assert_error(me.get(url, params={"pageSize": 0}), 400, 3000)


def test_visibility_of_private_reports_with_several_members(me: Account, other: Account) -> None:
    """`visibleToUsers` / `visibleToUserGroups`: stored, answered, merged on update, and deciding who
    sees a private report (render and list) besides the admins and the author."""
    _entry(me, datetime(2026, 2, 4, 8, tzinfo=UTC), 30)
    ann, bob, cid = (add_member(me, name=n) for n in ("Ann", "Bob", "Cid"))
    admin = add_member(me, role="WORKSPACE_ADMIN", name="Ada")
    group = "0123456789abcdef01234567"
    body = {
        **_summary("for Ann and Bob", public=False),
        "visibleToUsers": [{"id": ann.user_id, "name": "ignored"}, bob.user_id, ann.user_id],
        "visibleToUserGroups": [group],
    }
    shared = _ok(me.post(SR, body))
    assert shared["visibleToUsers"] == [
        {"id": ann.user_id, "name": "Ann"},
        {"id": bob.user_id, "name": "Bob"},
    ]
    assert shared["visibleToUserGroups"] == [{"id": group, "name": None}]
    secret = _ok(me.post(SR, _summary("owner only", public=False)))
    public = _ok(me.post(SR, _summary("for everybody", public=True)))
    by_cid = _ok(cid.post(SR, {**_summary("Cid's, for Ann", public=False), "visibleToUsers": [ann.user_id]}))

    def sees(account: Account, report: dict[str, Any]) -> bool:
        response = account.get(RENDER + report["id"])
        assert response.status_code in (200, 403), response.text
        return response.status_code == 200

    reports = [shared, secret, public, by_cid]
    expected = {
        "owner": (me, [True, True, True, True]),
        "admin": (admin, [True, True, True, True]),
        "Ann": (ann, [True, False, True, True]),
        "Bob": (bob, [True, False, True, False]),
        "Cid": (cid, [False, False, True, True]),
    }
    for who, (account, visible) in expected.items():
        assert [sees(account, r) for r in reports] == visible, who
        listed = _ok(account.get(SR))
        names = [r["name"] for r, v in zip(reports, visible, strict=True) if v]
        assert [r["name"] for r in listed["reports"]] == names, who
        assert listed["count"] == len(names), who
    assert_error(other.get(RENDER + shared["id"]), 403, 403)

    def names(account: Account, which: str) -> list[str]:
        return [r["name"] for r in _ok(account.get(SR, params={"sharedReportsFilter": which}))["reports"]]

    assert names(ann, "SHARED_WITH_ME") == ["for Ann and Bob", "for everybody", "Cid's, for Ann"]
    assert names(ann, "CREATED_BY_ME") == []
    assert names(cid, "CREATED_BY_ME") == ["Cid's, for Ann"]
    assert names(cid, "SHARED_WITH_ME") == ["for everybody"]
    assert names(cid, "ALL_ADMIN") == names(cid, "ALL")
    assert names(admin, "SHARED_WITH_ME") == ["for everybody"]
    assert names(me, "SHARED_WITH_ME") == [], "private and not listing the owner: admins see it in ALL only"
    # Listed users see, but do not change.
    assert_error(ann.put(f"{SR}/{shared['id']}", {"name": "mine"}), 403, 403)
    assert_error(ann.delete(f"{SR}/{shared['id']}"), 403, 403)

    # Updates merge: an omitted list is kept, a given one replaces, an empty one clears.
    renamed = _ok(me.put(f"{SR}/{shared['id']}", {"name": "renamed"}))
    assert renamed["visibleToUsers"] == shared["visibleToUsers"]
    assert renamed["visibleToUserGroups"] == shared["visibleToUserGroups"]
    swapped = _ok(me.put(f"{SR}/{shared['id']}", {"visibleToUsers": [cid.user_id]}))
    assert swapped["visibleToUsers"] == [{"id": cid.user_id, "name": "Cid"}]
    assert swapped["visibleToUserGroups"] == [{"id": group, "name": None}]
    assert (sees(ann, shared), sees(bob, shared), sees(cid, shared)) == (False, False, True)
    listed = {r["id"]: r for r in _ok(me.get(SR))["reports"]}
    assert listed[shared["id"]]["visibleToUsers"] == swapped["visibleToUsers"]
    assert _ok(me.get(RENDER + shared["id"]))["filters"]["visibleToUsers"] == swapped["visibleToUsers"]
    cleared = _ok(me.put(f"{SR}/{shared['id']}", {"visibleToUsers": [], "visibleToUserGroups": []}))
    assert cleared["visibleToUsers"] == [] and cleared["visibleToUserGroups"] == []
    assert not sees(cid, shared)

    # Listed users must be members here; group ids well formed. Nothing is written on refusal.
    for bad in (
        {"visibleToUsers": [other.user_id]},
        {"visibleToUsers": ["not-an-id"]},
        {"visibleToUsers": [{"name": "no id"}]},
        {"visibleToUserGroups": ["nope"]},
    ):
        assert_error(me.put(f"{SR}/{shared['id']}", {"name": "changed", **bad}), 400, 501)
        assert_error(me.post(SR, {**_summary("refused"), **bad}), 400, 501)
    assert _ok(me.get(SR))["count"] == 4
    assert _ok(me.get(SR))["reports"][0]["name"] == "renamed"
    # A deleted report takes its lists along.
    assert me.delete(f"{SR}/{by_cid['id']}").status_code == 204
    assert names(ann, "SHARED_WITH_ME") == ["for everybody"]


def test_detailed_exports_stream_and_follow_visibility(me: Account) -> None:
    """A shared DETAILED report's CSV and XLSX come as streamed bodies (no Content-Length: the CSV is
    written chunk by chunk as rows are read, the XLSX from its constant-memory temporary file), hold every
    entry of the range, and a private one exports only for those who may see it."""
    for n in range(30):
        _entry(me, datetime(2026, 2, 2 + n % 7, 8, n, tzinfo=UTC), 10 + n, f"row {n:02d}")
    listed, unlisted = add_member(me, name="Listed"), add_member(me, name="Unlisted")
    body = {
        "name": "rows",
        "type": "DETAILED",
        "isPublic": False,
        "filter": _fixed(),
        "visibleToUsers": [listed.user_id],
    }
    report = _ok(me.post(SR, body))
    url = RENDER + report["id"]
    response = listed.get(url, params={"exportType": "CSV"})
    assert response.status_code == 200 and "content-length" not in response.headers
    lines = response.text.strip().splitlines()
    assert len(lines) == 31 and sorted(f"row {n:02d}" in response.text for n in range(30)) == [True] * 30
    response = listed.get(url, params={"exportType": "XLSX"})
    assert response.status_code == 200 and "content-length" not in response.headers
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    described = sorted(row[2] for row in list(sheet.iter_rows(values_only=True))[1:])
    assert described == [f"row {n:02d}" for n in range(30)]
    for export in ("CSV", "XLSX"):
        assert_error(unlisted.get(url, params={"exportType": export}), 403, 403)
