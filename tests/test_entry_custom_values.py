"""Custom-field values of time entries over HTTP: every write path stores them (create, PUT, bulk edit,
duplicate, `from-entry`), every read shows them, deletes take them along; and the reports' `customFields`
filter selects exactly the entries a plain Python reading of its rules selects."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from punchclock.kit import ids
from punchclock.kit.db import Unit
from tests.conftest import Account, add_member, assert_error, in_database

ENTRIES = "/workspaces/{ws}/time-entries"
USER_ENTRIES = "/workspaces/{ws}/user/{me}/time-entries"
DETAILED = "/reports/v1/workspaces/{ws}/reports/detailed"


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json()


def _cf(field_id: str, value: Any, source: str | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {"customFieldId": field_id, "value": value}
    if source is not None:
        item["sourceType"] = source
    return item


def _values(entry: dict[str, Any]) -> dict[str, Any]:
    """{field id: value} of an entry's `customFieldValues`, checking each item's shape."""
    out = {}
    for v in entry["customFieldValues"]:
        assert set(v) == {"customFieldId", "timeEntryId", "value", "name", "type"}, v
        assert v["timeEntryId"] == entry["id"] and v["name"] is None
        out[v["customFieldId"]] = v["value"]
    return out


def _stored_rows(account: Account) -> int:
    async def count(unit: Unit) -> int:
        return int(
            await unit.fetch_val(
                "SELECT COUNT(*) FROM time_entry_custom_values WHERE workspace_id = :ws",
                {"ws": account.workspace_id},
            )
        )

    return in_database(account.server.database_url, count)


def _entry(account: Account, start: str = "2026-02-03T09:00:00Z", **body: Any) -> dict[str, Any]:
    body = {"start": start, "end": start.replace("T09:", "T10:"), **body}
    return _ok(account.post(ENTRIES, body), 201)  # type: ignore[no-any-return]


def test_values_round_trip_through_every_write_path(me: Account) -> None:
    a, b, c = sorted(ids.new_id() for _ in range(3))
    made = _entry(
        me,
        customFields=[_cf(b, 42), _cf(a, "hello", "PROJECT"), _cf(c, ["x", "y"]), _cf(a, "Hello again")],
    )
    # The last value of a field named twice wins; listed by field id; `type` is the source type.
    assert [v["customFieldId"] for v in made["customFieldValues"]] == [a, b, c]
    assert _values(made) == {a: "Hello again", b: 42, c: ["x", "y"]}
    assert [v["type"] for v in made["customFieldValues"]] == ["WORKSPACE", "WORKSPACE", "WORKSPACE"]
    path = f"{ENTRIES}/{made['id']}"
    assert _ok(me.get(path)) == made, "the create answer is what a read gives"
    hydrated = _ok(me.get(path, params={"hydrated": "true"}))
    assert hydrated["customFieldValues"] == made["customFieldValues"]
    listed = _ok(me.get(USER_ENTRIES))
    assert [e["customFieldValues"] for e in listed] == [made["customFieldValues"]]
    batch = _ok(me.post(ENTRIES + "/batch", {"timeEntryIds": [made["id"]]}))
    assert batch[0]["customFieldValues"] == made["customFieldValues"]

    # A second source type is kept as given.
    project_valued = _entry(me, customFields=[_cf(a, "p", "PROJECT")])
    assert project_valued["customFieldValues"][0]["type"] == "PROJECT"

    # PUT replaces the values with the body's; without customFields it clears them (as with tags).
    put = _ok(me.put(path, {"start": "2026-02-03T09:00:00Z", "customFields": [_cf(b, 7), _cf(c, None)]}))
    assert _values(put) == {b: 7}
    assert _ok(me.get(path)) == put
    cleared = _ok(me.put(path, {"start": "2026-02-03T09:00:00Z", "end": "2026-02-03T10:00:00Z"}))
    assert cleared["customFieldValues"] == [] and _ok(me.get(path))["customFieldValues"] == []
    again = _ok(
        me.put(
            path,
            {"start": "2026-02-03T09:00:00Z", "end": "2026-02-03T10:00:00Z", "customFields": [_cf(a, 1)]},
        )
    )
    assert _values(again) == {a: 1}

    # Bulk edit: an item without customFields keeps them; an item with them replaces them.
    plain = _entry(me, start="2026-02-04T09:00:00Z")
    bulk = [
        {"id": made["id"], "start": "2026-02-03T08:00:00Z", "end": "2026-02-03T10:00:00Z"},
        {"id": plain["id"], "start": "2026-02-04T09:00:00Z", "end": "2026-02-04T11:00:00Z",
         "customFields": [_cf(c, True)]},
    ]  # fmt: skip
    edited = {e["id"]: e for e in _ok(me.put(USER_ENTRIES, bulk))}
    assert _values(edited[made["id"]]) == {a: 1}
    assert _values(edited[plain["id"]]) == {c: True}
    assert edited[made["id"]]["timeInterval"]["start"] == "2026-02-03T08:00:00Z"

    # Duplicate and from-entry copy the values; a from-entry body with its own replaces them.
    copy = _ok(me.post(f"{USER_ENTRIES}/{made['id']}/duplicate"), 201)
    assert copy["id"] != made["id"] and _values(copy) == {a: 1}
    assert _ok(me.get(f"{ENTRIES}/{copy['id']}"))["customFieldValues"] == copy["customFieldValues"]
    filled = _ok(
        me.post(USER_ENTRIES, {"start": "2026-02-05T09:00:00Z"}, params={"from-entry": plain["id"]}), 201
    )
    assert _values(filled) == {c: True}
    own = _ok(
        me.post(
            USER_ENTRIES,
            {"start": "2026-02-05T11:00:00Z", "end": "2026-02-05T12:00:00Z", "customFields": [_cf(b, "z")]},
            params={"from-entry": plain["id"]},
        ),
        201,
    )
    assert _values(own) == {b: "z"}

    # Stopping a running timer keeps its values.
    running = _ok(me.post(ENTRIES, {"start": "2026-02-06T09:00:00Z", "customFields": [_cf(a, "run")]}), 201)
    stopped = _ok(me.patch(USER_ENTRIES, {"end": "2026-02-06T10:00:00Z"}))
    assert stopped["id"] == running["id"] and _values(stopped) == {a: "run"}

    # The read key on a write is accepted and its values dropped (FACTS).
    ignored = _entry(me, customFieldValues=[_cf(a, "dropped")])
    assert ignored["customFieldValues"] == []

    # Deletes take the values along: by id, in bulk, and with a deleted project.
    assert _stored_rows(me) == 7
    assert me.delete(path).status_code == 204
    assert _stored_rows(me) == 6
    _ok(me.delete(USER_ENTRIES, params={"time-entry-ids": f"{copy['id']},{plain['id']}"}))
    assert _stored_rows(me) == 4
    project = _ok(me.post("/workspaces/{ws}/projects", {"name": "Gone"}), 201)
    _entry(me, projectId=project["id"], customFields=[_cf(a, "on project")])
    assert _stored_rows(me) == 5
    _ok(me.put(f"/workspaces/{{ws}}/projects/{project['id']}", {"name": "Gone", "archived": True}))
    _ok(me.delete(f"/workspaces/{{ws}}/projects/{project['id']}"))
    assert _stored_rows(me) == 4


def test_bad_custom_values_are_refused_and_nothing_is_written(me: Account, other: Account) -> None:
    field = ids.new_id()
    start = "2026-02-03T09:00:00Z"
    refused = me.post(ENTRIES, {"start": start, "customFields": [_cf("nope", 1)]})
    assert_error(refused, 400, 501, "Custom field doesn't belong to Workspace")
    assert_error(
        me.post(ENTRIES, {"start": "2026-02-03T09:00:00Z", "customFields": [{"value": 1}]}), 400, 501
    )
    assert_error(
        me.post(ENTRIES, {"start": "2026-02-03T09:00:00Z", "customFields": [_cf(field, 1, "ELSEWHERE")]}),
        400,
        501,
    )
    assert_error(
        me.post(ENTRIES, {"start": "2026-02-03T09:00:00Z", "customFields": [_cf(field, {"a": 1})]}), 400
    )
    too_long = ["x" * 2000] * 3
    assert_error(
        me.post(ENTRIES, {"start": "2026-02-03T09:00:00Z", "customFields": [_cf(field, too_long)]}), 400, 501
    )
    # A refused PUT leaves the stored values as they were.
    made = _entry(me, customFields=[_cf(field, "kept")])
    bad = {"start": "2026-02-03T09:00:00Z", "customFields": [_cf(field, "new"), _cf("bad", 1)]}
    assert_error(me.put(f"{ENTRIES}/{made['id']}", bad), 400, 501)
    assert _values(_ok(me.get(f"{ENTRIES}/{made['id']}"))) == {field: "kept"}
    assert _stored_rows(me) == 1
    # Another workspace sees neither the entry nor its values.
    assert_error(other.get(f"/workspaces/{me.workspace_id}/time-entries/{made['id']}"), 403)
    assert _stored_rows(other) == 0


def test_a_page_mixing_entries_with_and_without_values(me: Account) -> None:
    field = ids.new_id()
    made = []
    for day in range(1, 13):
        body: dict[str, Any] = {}
        if day % 3 == 0:
            body["customFields"] = [_cf(field, f"day {day}")]
        made.append(_entry(me, start=f"2026-02-{day:02d}T09:00:00Z", **body))
    listed = _ok(me.get(USER_ENTRIES, params={"page-size": 5, "page": 2}))
    by_id = {e["id"]: e for e in made}
    assert len(listed) == 5
    for e in listed:
        assert e["customFieldValues"] == by_id[e["id"]]["customFieldValues"]
    assert sum(1 for e in listed if e["customFieldValues"]) == 2
    member = add_member(me)
    theirs = _ok(member.post(ENTRIES, {"start": "2026-02-01T09:00:00Z", "end": "2026-02-01T09:30:00Z",
                                        "customFields": [_cf(field, "member's")]}), 201)  # fmt: skip
    seen = _ok(me.get(f"/workspaces/{{ws}}/user/{member.user_id}/time-entries"))
    assert [e["customFieldValues"] for e in seen] == [theirs["customFieldValues"]]


# The reports' filter ---------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _items(value: Any) -> list[str]:
    """The plain reading of a stored value's items (blank ones left out), case-folded."""
    out = []
    for v in value if isinstance(value, list) else [value]:
        if v is None:
            continue
        if isinstance(v, bool):
            text = "true" if v else "false"
        elif isinstance(v, float) and v.is_integer():
            text = str(int(v))
        else:
            text = str(v).replace("\n", " ").strip()
        if text:
            out.append(text.casefold())
    return out


def _number(value: Any) -> float | None:
    if isinstance(value, bool | list) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(value.strip()) if _NUMERIC.match(value.strip()) else None


def _matches(values: dict[str, Any], f: dict[str, Any]) -> bool:
    """One filter condition, read plainly from the rules in reports/service.py's docstring."""
    value = values.get(f["id"])
    items = _items(value)
    if f.get("isEmpty") or f.get("empty"):
        return not items
    kind = f.get("type")
    wanted = [w.strip().casefold() for w in _items(f.get("value"))]
    wanted = [w for w in wanted if w]
    if not wanted:
        return True
    if kind == "NUMBER":
        number = _number(value)
        target = float(f["value"])
        cond = f.get("numberCondition", "EQUAL")
        if number is None:
            return False
        return {"EQUAL": number == target, "GREATER_THAN": number > target, "LESS_THAN": number < target}[
            cond
        ]
    if kind == "CHECKBOX":
        checked = items == ["true"]
        return checked if wanted == ["true"] else not checked
    if kind in ("DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE"):
        return any(w in items for w in wanted)
    return any(w in item for w in wanted for item in items)


@pytest.fixture
def valued(me: Account) -> tuple[Account, dict[str, dict[str, Any]], dict[str, str]]:
    """Forty entries of February 2026 with random values of four fields (some missing, some blank)."""
    rng = random.Random(2026)
    fields = {"text": ids.new_id(), "number": ids.new_id(), "dropdown": ids.new_id(), "check": ids.new_id()}
    texts = ["Alpha", "alphabet", "Beta", "gamma ray", "Straße", "100%", "a_b", "", "  "]
    numbers: list[Any] = [0, 1, 2.5, 10, -3, 2000, "12", "7.5", "seven", ""]
    options = ["Red", "Green", "Blue", "red"]
    by_id: dict[str, dict[str, Any]] = {}
    for n in range(40):
        values: dict[str, Any] = {}
        if rng.random() < 0.7:
            values[fields["text"]] = rng.choice(texts)
        if rng.random() < 0.7:
            values[fields["number"]] = rng.choice(numbers)
        if rng.random() < 0.7:
            values[fields["dropdown"]] = rng.sample(options, rng.randint(0, 2))
        if rng.random() < 0.6:
            values[fields["check"]] = rng.choice([True, False])
        day = 1 + n % 27
        body = {
            "start": f"2026-02-{day:02d}T{8 + n % 10:02d}:00:00Z",
            "end": f"2026-02-{day:02d}T{8 + n % 10:02d}:30:00Z",
            "customFields": [_cf(k, v) for k, v in values.items()],
        }
        made = _ok(me.post(ENTRIES, body), 201)
        assert _values(made) == values
        by_id[made["id"]] = values
    return me, by_id, fields


def _report_ids(account: Account, filters: list[dict[str, Any]], key: str = "customFields") -> set[str]:
    """Ids of February 2026's entries that a detailed report with these filters (under `key`) keeps."""
    body = {
        "dateRangeStart": "2026-02-01T00:00:00.000Z",
        "dateRangeEnd": "2026-02-28T23:59:59.999Z",
        "timeZone": "UTC",
        "exportType": "JSON",
        key: filters,
        "detailedFilter": {"pageSize": 1000},
    }
    return {row["_id"] for row in _ok(account.post(DETAILED, body))["timeentries"]}


def test_report_custom_field_filter_selects_what_plain_python_selects(
    valued: tuple[Account, dict[str, dict[str, Any]], dict[str, str]],
) -> None:
    me, by_id, fields = valued
    text, number, dropdown, check = fields["text"], fields["number"], fields["dropdown"], fields["check"]
    cases: list[list[dict[str, Any]]] = [
        [{"id": text, "type": "TXT", "value": "alpha"}],
        [{"id": text, "type": "TXT", "value": "ALPHA"}],
        [{"id": text, "type": "LINK", "value": "strasse"}],
        [{"id": text, "type": "TXT", "value": "100%"}],
        [{"id": text, "type": "TXT", "value": "a_b"}],
        [{"id": text, "type": "TXT", "value": ["beta", "ray"]}],
        [{"id": text, "type": "TXT", "isEmpty": True}],
        [{"id": text, "type": "TXT", "empty": True, "value": "ignored"}],
        [{"id": number, "type": "NUMBER", "value": 10, "numberCondition": "EQUAL"}],
        [{"id": number, "type": "NUMBER", "value": 2, "numberCondition": "GREATER_THAN"}],
        [{"id": number, "type": "NUMBER", "value": "7.5", "numberCondition": "LESS_THAN"}],
        [{"id": number, "type": "NUMBER", "value": 12}],
        [{"id": number, "type": "NUMBER", "isEmpty": True}],
        [{"id": dropdown, "type": "DROPDOWN_SINGLE", "value": "red"}],
        [{"id": dropdown, "type": "DROPDOWN_MULTIPLE", "value": ["Green", "Blue"]}],
        [{"id": dropdown, "type": "DROPDOWN_MULTIPLE", "isEmpty": True}],
        [{"id": check, "type": "CHECKBOX", "value": True}],
        [{"id": check, "type": "CHECKBOX", "value": False}],
        [{"id": check, "type": "CHECKBOX", "value": "true"}],
        # Both at once, and a field no entry has.
        [{"id": text, "type": "TXT", "value": "a"}, {"id": check, "type": "CHECKBOX", "value": True}],
        [{"id": ids.new_id(), "type": "TXT", "value": "alpha"}],
        [{"id": ids.new_id(), "type": "TXT", "isEmpty": True}],
    ]
    proper = 0
    for filters in cases:
        expected = {i for i, values in by_id.items() if all(_matches(values, f) for f in filters)}
        assert _report_ids(me, filters) == expected, filters
        proper += 0 < len(expected) < len(by_id)
    assert proper >= len(cases) - 3, "nearly every case keeps some entries and drops others"
    assert 0 < len(_report_ids(me, cases[0])) < len(by_id), "the data exercises the filter"
    # No type: inferred from the value (a number compares as NUMBER, a boolean as CHECKBOX, text contains).
    inferred = [
        ([{"id": number, "value": 2, "numberCondition": "GREATER_THAN"}], {"type": "NUMBER"}),
        ([{"id": check, "value": True}], {"type": "CHECKBOX"}),
        ([{"id": text, "value": "alpha"}], {"type": "TXT"}),
        ([{"id": dropdown, "value": ["red"]}], {"type": "DROPDOWN_MULTIPLE"}),
    ]
    for filters, typed in inferred:
        assert _report_ids(me, filters) == _report_ids(me, [{**filters[0], **typed}]), filters
    # Conditions that apply nothing: no id, a null or blank value.
    everything = set(by_id)
    assert _report_ids(me, [{"type": "TXT", "value": "alpha"}]) == everything
    assert _report_ids(me, [{"id": text, "type": "TXT", "value": None}]) == everything
    assert _report_ids(me, [{"id": text, "type": "TXT", "value": "  "}]) == everything
    # The summary report applies the same filter.
    summary = {
        "dateRangeStart": "2026-02-01T00:00:00.000Z",
        "dateRangeEnd": "2026-02-28T23:59:59.999Z",
        "timeZone": "UTC",
        "customFields": cases[0],
        "summaryFilter": {"groups": ["USER"]},
    }
    totals = _ok(me.post("/reports/v1/workspaces/{ws}/reports/summary", summary))["totals"]
    assert totals[0]["entriesCount"] == len(_report_ids(me, cases[0]))
    # Bad conditions are 400s in Clockify's shape.
    url = DETAILED
    base = {"dateRangeStart": "2026-02-01T00:00:00.000Z", "dateRangeEnd": "2026-02-28T23:59:59.999Z"}
    bad_number = {**base, "customFields": [{"id": number, "type": "NUMBER", "value": "many"}]}
    assert_error(me.post(url, bad_number), 400, 501)
    bad_condition = {**base, "customFields": [{"id": number, "value": 1, "numberCondition": "ABOUT"}]}
    assert_error(me.post(url, bad_condition), 400, 501)
    bad_check = {**base, "customFields": [{"id": check, "type": "CHECKBOX", "value": "maybe"}]}
    assert_error(me.post(url, bad_check), 400, 501)


def test_detailed_report_rows_carry_the_entries_values(me: Account) -> None:
    field, other_field = ids.new_id(), ids.new_id()
    with_values = _entry(
        me, start="2026-03-03T09:00:00Z", customFields=[_cf(field, "alpha"), _cf(other_field, 7)]
    )
    plain = _entry(me, start="2026-03-04T09:00:00Z")
    body = {
        "dateRangeStart": "2026-03-01T00:00:00Z",
        "dateRangeEnd": "2026-03-31T23:59:59Z",
        "detailedFilter": {"page": 1, "pageSize": 50},
    }
    rows = {r["id"]: r for r in _ok(me.post(DETAILED, body))["timeentries"]}
    assert rows[plain["id"]]["customFields"] == []
    stored = {v["customFieldId"]: v for v in with_values["customFieldValues"]}
    assert {c["customFieldId"]: c["value"] for c in rows[with_values["id"]]["customFields"]} == {
        field: "alpha",
        other_field: 7,
    }
    for c in rows[with_values["id"]]["customFields"]:
        assert set(c) == {"customFieldId", "value", "type", "name"}
        assert c["type"] == stored[c["customFieldId"]]["type"]


# The reports' `userCustomFields` filter: the same rules over the values of each entry's user ------------


@pytest.fixture
def members_valued(me: Account) -> tuple[Account, dict[str, dict[str, Any]], dict[str, str], dict[str, str]]:
    """Seven users (the owner and six members) with random values of three member fields, set through
    both write paths, and three entries each in February 2026:
    (owner, {user: values}, fields, {entry: user})."""
    rng = random.Random(7)
    fields = {"text": ids.new_id(), "number": ids.new_id(), "dropdown": ids.new_id()}
    texts = ["Berlin office", "berlin", "Remote", "Straße 5", "", "  "]
    numbers: list[Any] = [1, 2.5, 10, "12", "ten"]
    options = ["Design", "Sales", "design"]
    users = [me] + [add_member(me, name=f"Member {n}") for n in range(6)]
    by_user: dict[str, dict[str, Any]] = {}
    owner_of: dict[str, str] = {}
    for n, user in enumerate(users):
        values: dict[str, Any] = {}
        if n % 3 != 2:
            values[fields["text"]] = rng.choice(texts)
        if n % 2 == 0:
            values[fields["number"]] = rng.choice(numbers)
        if n % 4 != 3:
            values[fields["dropdown"]] = rng.sample(options, rng.randint(1, 2))
        by_user[user.user_id] = values
        if n % 2:  # one value at a time
            for field_id, value in values.items():
                path = f"/workspaces/{{ws}}/users/{user.user_id}/custom-field/{field_id}/value"
                _ok(me.put(path, {"value": value}), 201)
        else:  # all of them in the member profile
            profile = {"userCustomFields": [{"customFieldId": k, "value": v} for k, v in values.items()]}
            _ok(me.patch(f"/workspaces/{{ws}}/member-profile/{user.user_id}", profile))
        for k in range(3):
            day = 2 + 9 * k + n
            body = {"start": f"2026-02-{day:02d}T09:00:00Z", "end": f"2026-02-{day:02d}T10:30:00Z"}
            made = _ok(me.post(f"/workspaces/{{ws}}/user/{user.user_id}/time-entries", body), 201)
            owner_of[made["id"]] = user.user_id
    return me, by_user, fields, owner_of


def _user_filter_ids(account: Account, filters: list[dict[str, Any]]) -> set[str]:
    return _report_ids(account, filters, "userCustomFields")


def _user_summary(account: Account, filters: list[dict[str, Any]]) -> dict[str, int]:
    """{user id: seconds} of a month's summary by user (read from the per-day tables)."""
    body = {
        "dateRangeStart": "2026-02-01T00:00:00.000Z",
        "dateRangeEnd": "2026-02-28T23:59:59.999Z",
        "timeZone": "UTC",
        "userCustomFields": filters,
        "summaryFilter": {"groups": ["USER"]},
    }
    report = _ok(account.post("/reports/v1/workspaces/{ws}/reports/summary", body))
    return {row["_id"]: row["duration"] for row in report["groupOne"]}


_USER_CASES: list[list[dict[str, str | Any]]] = [
    [{"id": "text", "type": "TXT", "value": "BERLIN"}],
    [{"id": "text", "type": "TXT", "value": "strasse"}],
    [{"id": "text", "type": "TXT", "isEmpty": True}],
    [{"id": "number", "type": "NUMBER", "value": 2, "numberCondition": "GREATER_THAN"}],
    [{"id": "number", "type": "NUMBER", "value": 12}],
    [{"id": "dropdown", "type": "DROPDOWN_SINGLE", "value": "design"}],
    [{"id": "dropdown", "type": "DROPDOWN_MULTIPLE", "value": ["Sales"]}],
    [{"id": "text", "value": "remote"}, {"id": "dropdown", "value": ["design"]}],
]


def test_report_user_custom_field_filter_selects_entries_of_matching_users(
    members_valued: tuple[Account, dict[str, dict[str, Any]], dict[str, str], dict[str, str]],
) -> None:
    me, by_user, fields, owner_of = members_valued
    proper = 0
    for case in _USER_CASES:
        filters = [{**f, "id": fields[f["id"]]} for f in case]
        users = {u for u, values in by_user.items() if all(_matches(values, f) for f in filters)}
        expected = {e for e, u in owner_of.items() if u in users}
        assert _user_filter_ids(me, filters) == expected, case
        assert _user_summary(me, filters) == dict.fromkeys(users, 3 * 5400), case
        proper += 0 < len(users) < len(by_user)
    assert proper >= len(_USER_CASES) - 2, "nearly every case keeps some users and drops others"
    # Entry fields and member fields are apart: a member field's id matches no entry value.
    everyone = set(owner_of)
    text_filter = [{"id": fields["text"], "type": "TXT", "isEmpty": True}]
    assert _report_ids(me, text_filter) == everyone
    # Clearing a member's value (null) takes them out of a filter on it.
    berlin = [{"id": fields["text"], "type": "TXT", "value": "berlin"}]
    before = _user_filter_ids(me, berlin)
    assert before, "some user is in Berlin"
    leaving = owner_of[sorted(before)[0]]
    _ok(
        me.put(f"/workspaces/{{ws}}/users/{leaving}/custom-field/{fields['text']}/value", {"value": None}),
        201,
    )
    assert _user_filter_ids(me, berlin) == {e for e in before if owner_of[e] != leaving}
    bad = [{"id": fields["number"], "type": "NUMBER", "value": "many"}]
    assert_error(me.post(DETAILED, {"userCustomFields": bad}), 400, 501)


def test_values_stored_before_the_match_keys_get_them_from_the_migration(
    members_valued: tuple[Account, dict[str, dict[str, Any]], dict[str, str], dict[str, str]],
) -> None:
    """Migration 0010's data step computes the keys of values written before its columns existed."""
    from punchclock.kit.db.migrate import DATA_STEPS

    me, _, fields, _ = members_valued
    filters = [{"id": fields["dropdown"], "type": "DROPDOWN_SINGLE", "value": "design"}]
    expected = _user_filter_ids(me, filters)
    assert expected

    async def forget_keys(unit: Unit) -> None:
        await unit.execute("UPDATE user_custom_field_values SET value_text = '', value_number = NULL")

    in_database(me.server.database_url, forget_keys, write=True)
    assert _user_filter_ids(me, filters) == set()
    in_database(me.server.database_url, DATA_STEPS["0010_user_custom_value_keys"], write=True)
    assert _user_filter_ids(me, filters) == expected
