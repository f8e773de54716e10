"""Time entries over HTTP: every operation of Clockify's Time entry section, their wire shape, the list
filters, the workspace's required fields and lock date, validation and tenancy.

Workspace settings have no Clockify write route (PUT/PATCH /workspaces/{ws} is 405), so
`set_workspace_settings` changes `workspaces.settings` through the database, as an operator would.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from punchclock.kit import ids
from punchclock.kit.db import connect
from tests.conftest import Account, add_member, assert_error, set_workspace_settings

ENTRY_KEYS = {
    "id",
    "description",
    "tagIds",
    "userId",
    "billable",
    "taskId",
    "projectId",
    "workspaceId",
    "timeInterval",
    "customFieldValues",
    "type",
    "kioskId",
    "hourlyRate",
    "costRate",
    "isLocked",
}


def entry(account: Account, path: str = "/workspaces/{ws}/time-entries", **body: Any) -> dict[str, Any]:
    body.setdefault("start", "2026-03-02T09:00:00Z")
    r = account.post(path, body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def project(account: Account, **body: Any) -> dict[str, Any]:
    body.setdefault("name", f"Project {ids.new_id()[-6:]}")
    r = account.post("/workspaces/{ws}/projects", body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def task(account: Account, project_id: str, **body: Any) -> dict[str, Any]:
    body.setdefault("name", f"Task {ids.new_id()[-6:]}")
    r = account.post(f"/workspaces/{{ws}}/projects/{project_id}/tasks", body)
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def tag(account: Account, name: str | None = None) -> dict[str, Any]:
    r = account.post("/workspaces/{ws}/tags", {"name": name or f"tag {ids.new_id()[-6:]}"})
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


def listing(account: Account, user_id: str | None = None, **params: Any) -> httpx.Response:
    r = account.get(f"/workspaces/{{ws}}/user/{user_id or account.user_id}/time-entries", params=params)
    assert r.status_code == 200, r.text
    return r


def listed_ids(account: Account, user_id: str | None = None, **params: Any) -> list[str]:
    return [e["id"] for e in listing(account, user_id, **params).json()]


# Create and read ----------------------------------------------------------------------------------------


def test_create_answers_201_with_clockify_shape(me: Account) -> None:
    body = entry(
        me,
        start="2026-03-02T09:00:00.123456Z",
        end="2026-03-02T12:30:15+02:00",
        description="Writing specs",
    )
    assert set(body) == ENTRY_KEYS, set(body) ^ ENTRY_KEYS
    assert ids.is_id(body["id"])
    assert body["timeInterval"] == {
        "start": "2026-03-02T09:00:00Z",
        "end": "2026-03-02T10:30:15Z",
        "duration": "PT1H30M15S",
    }
    assert body["description"] == "Writing specs"
    assert body["userId"] == me.user_id and body["workspaceId"] == me.workspace_id
    assert body["tagIds"] == [] and body["customFieldValues"] == []
    assert body["projectId"] is None and body["taskId"] is None and body["kioskId"] is None
    assert body["type"] == "REGULAR" and body["isLocked"] is False and body["billable"] is False
    assert body["hourlyRate"] == {"amount": 0, "currency": "USD"}
    assert body["costRate"] == {"amount": 0, "currency": "USD"}
    got = me.get(f"/workspaces/{{ws}}/time-entries/{body['id']}")
    assert got.status_code == 200 and got.json() == body
    assert "last-page" not in got.headers


def test_create_with_project_task_and_tags_hydrates(me: Account) -> None:
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    p = project(me, clientId=client["id"], color="#FF5722", billable=True)
    t = task(me, p["id"], billable=False)
    a, b = tag(me, "alpha"), tag(me, "beta")
    field_id = ids.new_id()
    body = entry(
        me,
        end="2026-03-02T10:00:00Z",
        projectId=p["id"],
        taskId=t["id"],
        tags=[b["id"], a["id"]],
        customFields=[{"customFieldId": field_id, "sourceType": "WORKSPACE", "value": "x"}],
    )
    assert body["projectId"] == p["id"] and body["taskId"] == t["id"]
    assert sorted(body["tagIds"]) == sorted([a["id"], b["id"]])
    assert body["billable"] is False, "an omitted billable takes the task's flag"
    value = {"customFieldId": field_id, "timeEntryId": body["id"], "value": "x", "name": None}
    assert body["customFieldValues"] == [{**value, "type": "WORKSPACE"}]
    plain = me.get(f"/workspaces/{{ws}}/time-entries/{body['id']}", params={"hydrated": "false"}).json()
    assert plain == body, "the create answer is what a read gives (tags ordered by name)"
    assert body["tagIds"] == [a["id"], b["id"]]
    hydrated = me.get(f"/workspaces/{{ws}}/time-entries/{body['id']}", params={"hydrated": "true"}).json()
    assert set(hydrated) == ENTRY_KEYS | {"project", "task", "tags", "user", "kiosk"}
    assert hydrated["project"]["id"] == p["id"] and hydrated["project"]["name"] == p["name"]
    assert hydrated["project"]["clientId"] == client["id"]
    assert hydrated["project"]["clientName"] == "Acme"
    assert hydrated["project"]["color"].upper() == "#FF5722"
    assert hydrated["task"]["id"] == t["id"] and hydrated["task"]["name"] == t["name"]
    assert [x["name"] for x in hydrated["tags"]] == ["alpha", "beta"]
    assert hydrated["tags"][0] == {
        "id": a["id"],
        "name": "alpha",
        "archived": False,
        "workspaceId": me.workspace_id,
    }
    assert hydrated["user"]["id"] == me.user_id and hydrated["user"]["email"] == me.email
    assert hydrated["kiosk"] is None
    assert hydrated["hourlyRate"] == {"amount": 0, "currency": "USD"}


def test_billable_defaults_to_the_projects_flag(me: Account) -> None:
    p = project(me, billable=True)
    assert entry(me, end="2026-03-02T10:00:00Z", projectId=p["id"])["billable"] is True
    assert entry(me, end="2026-03-02T10:00:00Z", projectId=p["id"], billable=False)["billable"] is False
    assert entry(me, end="2026-03-02T10:00:00Z", billable="true")["billable"] is True


def test_create_for_another_user_is_for_admins(me: Account) -> None:
    member = add_member(me)
    made = entry(me, f"/workspaces/{{ws}}/user/{member.user_id}/time-entries", end="2026-03-02T10:00:00Z")
    assert made["userId"] == member.user_id
    assert listed_ids(me, member.user_id) == [made["id"]]
    r = member.post(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", {"start": "2026-03-02T09:00:00Z"})
    assert_error(r, 403)
    own = entry(member, f"/workspaces/{{ws}}/user/{member.user_id}/time-entries")
    assert own["userId"] == member.user_id


def test_from_entry_fills_what_the_body_leaves_out(me: Account) -> None:
    p = project(me)
    a = tag(me)
    source = entry(
        me, end="2026-03-02T10:00:00Z", description="template", projectId=p["id"], tagIds=[a["id"]]
    )
    r = me.post(
        f"/workspaces/{{ws}}/user/{me.user_id}/time-entries",
        {"start": "2026-03-03T09:00:00Z", "end": "2026-03-03T09:30:00Z"},
        params={"from-entry": source["id"]},
    )
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["description"] == "template" and copy["projectId"] == p["id"] and copy["tagIds"] == [a["id"]]
    r = me.post(
        f"/workspaces/{{ws}}/user/{me.user_id}/time-entries",
        {"start": "2026-03-03T09:00:00Z"},
        params={"from-entry": ids.new_id()},
    )
    assert r.status_code == 404 and r.content == b""


# Timers -------------------------------------------------------------------------------------------------


def test_a_new_timer_stops_the_running_one_at_its_start(me: Account) -> None:
    first = entry(me, start="2026-03-02T09:00:00Z")
    assert first["timeInterval"]["end"] is None and first["timeInterval"]["duration"] is None
    finished = entry(me, start="2026-03-02T07:00:00Z", end="2026-03-02T08:00:00Z")
    assert finished["timeInterval"]["duration"] == "PT1H"
    still = me.get(f"/workspaces/{{ws}}/time-entries/{first['id']}").json()
    assert still["timeInterval"]["end"] is None, "a finished entry does not stop the timer"
    second = entry(me, start="2026-03-02T10:15:00Z")
    stopped = me.get(f"/workspaces/{{ws}}/time-entries/{first['id']}").json()
    assert stopped["timeInterval"]["end"] == "2026-03-02T10:15:00Z"
    assert stopped["timeInterval"]["duration"] == "PT1H15M"
    running = me.get("/workspaces/{ws}/time-entries/status/in-progress").json()
    assert [e["id"] for e in running] == [second["id"]]
    assert listed_ids(me, **{"in-progress": "true"}) == [second["id"]]


def test_a_timer_started_earlier_never_gives_the_running_one_a_negative_duration(me: Account) -> None:
    late = entry(me, start="2026-03-02T12:00:00Z")
    entry(me, start="2026-03-02T08:00:00Z")
    stopped = me.get(f"/workspaces/{{ws}}/time-entries/{late['id']}").json()["timeInterval"]
    assert stopped == {"start": "2026-03-02T12:00:00Z", "end": "2026-03-02T12:00:00Z", "duration": "PT0S"}


def test_stop_timer(me: Account) -> None:
    path = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    r = me.patch(path, {"end": "2026-03-02T10:00:00Z"})
    assert_error(r, 404, 404, "Currently running time entry doesn't exist on workspace")
    assert me.workspace_id in r.json()["message"] and me.user_id in r.json()["message"]
    running = entry(me, start="2026-03-02T09:00:00Z", description="timer")
    assert_error(me.patch(path, {"end": "2026-03-02T08:00:00Z"}), 400, 501)
    assert_error(me.patch(path, {}), 400, 501)
    assert_error(me.patch(path, {"end": "yesterday"}), 400, 501)
    r = me.patch(path, {"end": "2026-03-02T09:45:30.999Z"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["id"] == running["id"] and set(body) == ENTRY_KEYS
    assert body["timeInterval"] == {
        "start": "2026-03-02T09:00:00Z",
        "end": "2026-03-02T09:45:30Z",
        "duration": "PT45M30S",
    }
    assert_error(me.patch(path, {"end": "2026-03-02T10:00:00Z"}), 404, 404)
    assert me.patch(path + "/stop", {"end": "2026-03-02T10:00:00Z"}).status_code == 404


def test_stop_needs_the_workspaces_required_fields(me: Account) -> None:
    entry(me, start="2026-03-02T09:00:00Z")
    set_workspace_settings(me, forceProjects=True)
    path = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    assert_error(me.patch(path, {"end": "2026-03-02T10:00:00Z"}), 400, 501, "Project is either required")
    assert len(me.get("/workspaces/{ws}/time-entries/status/in-progress").json()) == 1


def test_members_stop_only_their_own_timer(me: Account) -> None:
    member = add_member(me)
    entry(member, start="2026-03-02T09:00:00Z")
    assert_error(
        member.patch(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", {"end": "2026-03-02T10:00:00Z"}),
        403,
    )
    r = me.patch(f"/workspaces/{{ws}}/user/{member.user_id}/time-entries", {"end": "2026-03-02T10:00:00Z"})
    assert r.status_code == 200 and r.json()["userId"] == member.user_id


def test_in_progress_lists_every_running_entry_with_paging(me: Account) -> None:
    users = [me] + [add_member(me, name=f"M{i}") for i in range(11)]
    made = {entry(u, start=f"2026-03-02T{8 + i:02d}:00:00Z")["id"] for i, u in enumerate(users)}
    r = me.get("/workspaces/{ws}/time-entries/status/in-progress")
    assert r.status_code == 200
    assert len(r.json()) == 10 and r.headers["last-page"] == "false"
    r2 = me.get("/workspaces/{ws}/time-entries/status/in-progress", params={"page": 2})
    assert len(r2.json()) == 2 and r2.headers["last-page"] == "true"
    assert {e["id"] for e in r.json() + r2.json()} == made
    r = me.get("/workspaces/{ws}/time-entries/status/in-progress", params={"page-size": 5000})
    assert len(r.json()) == 12 and r.headers["last-page"] == "true"


# Update -------------------------------------------------------------------------------------------------


def test_put_is_a_full_replace_but_keeps_an_omitted_start(me: Account) -> None:
    p = project(me)
    a = tag(me)
    made = entry(
        me,
        end="2026-03-02T10:00:00Z",
        description="full",
        projectId=p["id"],
        tagIds=[a["id"]],
        billable=True,
    )
    path = f"/workspaces/{{ws}}/time-entries/{made['id']}"
    # The gateway reference's example: only description and end.
    r = me.put(path, {"description": "renamed", "end": "2026-03-02T11:00:00Z"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["description"] == "renamed"
    assert body["timeInterval"] == {
        "start": "2026-03-02T09:00:00Z",
        "end": "2026-03-02T11:00:00Z",
        "duration": "PT2H",
    }
    assert body["projectId"] is None and body["tagIds"] == [] and body["billable"] is False
    assert me.get(path).json() == body
    # Omitting `end` turns it back into a running timer.
    r = me.put(path, {"start": "2026-03-02T08:00:00Z", "projectId": p["id"], "tags": [a["id"]]})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["timeInterval"] == {"start": "2026-03-02T08:00:00Z", "end": None, "duration": None}
    assert body["description"] == "" and body["projectId"] == p["id"] and body["tagIds"] == [a["id"]]


def test_put_to_running_stops_the_other_timer(me: Account) -> None:
    running = entry(me, start="2026-03-02T12:00:00Z")
    done = entry(me, start="2026-03-02T13:00:00Z", end="2026-03-02T14:00:00Z")
    r = me.put(f"/workspaces/{{ws}}/time-entries/{done['id']}", {"start": "2026-03-02T13:00:00Z"})
    assert r.status_code == 200, r.text
    in_progress = me.get("/workspaces/{ws}/time-entries/status/in-progress").json()
    assert [e["id"] for e in in_progress] == [done["id"]]
    old = me.get(f"/workspaces/{{ws}}/time-entries/{running['id']}").json()
    assert old["timeInterval"]["end"] == "2026-03-02T13:00:00Z"
    # A running entry replaced as running stays the one timer.
    r = me.put(f"/workspaces/{{ws}}/time-entries/{done['id']}", {"description": "still running"})
    assert r.status_code == 200 and r.json()["timeInterval"]["end"] is None


def test_members_may_not_write_others_entries(me: Account) -> None:
    member = add_member(me)
    mine = entry(me, end="2026-03-02T10:00:00Z")
    assert_error(member.put(f"/workspaces/{{ws}}/time-entries/{mine['id']}", {"description": "x"}), 403)
    assert_error(member.delete(f"/workspaces/{{ws}}/time-entries/{mine['id']}"), 403)
    theirs = entry(member, end="2026-03-02T10:00:00Z")
    r = me.put(f"/workspaces/{{ws}}/time-entries/{theirs['id']}", {"end": "2026-03-02T11:00:00Z"})
    assert r.status_code == 200 and r.json()["userId"] == member.user_id
    assert member.get(f"/workspaces/{{ws}}/time-entries/{mine['id']}").status_code == 200
    set_workspace_settings(me, onlyAdminsSeeAllTimeEntries=True)
    assert_error(member.get(f"/workspaces/{{ws}}/time-entries/{mine['id']}"), 403)
    assert_error(member.get(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"), 403)


# Delete -------------------------------------------------------------------------------------------------


def test_delete_by_id_is_204_empty(me: Account) -> None:
    made = entry(me, end="2026-03-02T10:00:00Z", tagIds=[tag(me)["id"]])
    r = me.delete(f"/workspaces/{{ws}}/time-entries/{made['id']}")
    assert r.status_code == 204 and r.content == b""
    assert_error(
        me.get(f"/workspaces/{{ws}}/time-entries/{made['id']}"),
        400,
        501,
        "Time entry doesn't belong to Workspace",
    )
    assert_error(me.delete(f"/workspaces/{{ws}}/time-entries/{made['id']}"), 400, 501)


def test_delete_several_returns_the_deleted_list(me: Account) -> None:
    a, b, keep = (entry(me, end="2026-03-02T10:00:00Z") for _ in range(3))
    path = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    assert_error(me.delete(path), 400, 3001, "time-entry-ids")
    assert_error(me.delete(path, params={"time-entry-ids": f"{a['id']},{ids.new_id()}"}), 400, 501)
    assert len(listed_ids(me)) == 3, "a refused delete deletes nothing"
    r = me.delete(path, params=[("time-entry-ids", a["id"]), ("time-entry-ids", b["id"])])
    assert r.status_code == 200, r.text
    assert sorted(e["id"] for e in r.json()) == sorted([a["id"], b["id"]])
    assert all(set(e) == ENTRY_KEYS for e in r.json())
    assert listed_ids(me) == [keep["id"]]
    r = me.delete(path, params={"time-entry-ids": keep["id"]})
    assert [e["id"] for e in r.json()] == [keep["id"]] and listed_ids(me) == []


def test_delete_several_refuses_another_users_entries(me: Account) -> None:
    member = add_member(me)
    theirs = entry(member, end="2026-03-02T10:00:00Z")
    r = me.delete(
        f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", params={"time-entry-ids": theirs["id"]}
    )
    assert_error(r, 400, 501)
    r = member.delete(
        f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", params={"time-entry-ids": ids.new_id()}
    )
    assert_error(r, 403)
    assert listed_ids(me, member.user_id) == [theirs["id"]]


# Bulk edit, duplicate, invoiced, batch ------------------------------------------------------------------


def test_bulk_edit_replaces_each_entry(me: Account) -> None:
    p = project(me)
    kept = tag(me)
    a = entry(me, end="2026-03-02T10:00:00Z", description="a", projectId=p["id"], tagIds=[kept["id"]])
    b = entry(me, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z", description="b")
    path = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    r = me.put(
        path,
        [
            {
                "id": a["id"],
                "start": "2026-03-02T09:00:00Z",
                "end": "2026-03-02T09:30:00Z",
                "description": "A",
            },
            {
                "id": b["id"],
                "start": "2026-03-03T09:00:00Z",
                "end": "2026-03-03T11:00:00Z",
                "projectId": p["id"],
                "billable": True,
            },
        ],
    )
    assert r.status_code == 200, r.text
    got = {e["id"]: e for e in r.json()}
    assert got[a["id"]]["description"] == "A" and got[a["id"]]["projectId"] is None
    assert got[a["id"]]["timeInterval"]["duration"] == "PT30M"
    assert got[a["id"]]["tagIds"] == [kept["id"]], "the bulk-edit body has no tag field: tags are kept"
    assert got[b["id"]]["projectId"] == p["id"] and got[b["id"]]["billable"] is True
    assert got[b["id"]]["description"] == ""
    hydrated = me.put(
        path,
        [{"id": a["id"], "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T09:30:00Z"}],
        params={"hydrated": "true"},
    ).json()
    assert "project" in hydrated[0] and "tags" in hydrated[0]
    # Each needs `end`; unknown ids are refused; nothing is written when one fails.
    r = me.put(path, [{"id": a["id"], "start": "2026-03-02T09:00:00Z", "description": "no end"}])
    assert_error(r, 400, 501)
    r = me.put(
        path,
        [
            {
                "id": a["id"],
                "start": "2026-03-02T09:00:00Z",
                "end": "2026-03-02T09:10:00Z",
                "description": "Z",
            },
            {"id": ids.new_id(), "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"},
        ],
    )
    assert_error(r, 400, 501, "Time entry doesn't belong to Workspace")
    assert me.get(f"/workspaces/{{ws}}/time-entries/{a['id']}").json()["description"] == ""


def test_duplicate_copies_a_finished_entry(me: Account) -> None:
    p = project(me)
    a = tag(me)
    source = entry(me, end="2026-03-02T10:00:00Z", description="copy me", projectId=p["id"], tagIds=[a["id"]])
    r = me.post(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries/{source['id']}/duplicate")
    assert r.status_code == 201, r.text
    copy = r.json()
    assert copy["id"] != source["id"]
    assert {k: v for k, v in copy.items() if k != "id"} == {k: v for k, v in source.items() if k != "id"}
    assert sorted(listed_ids(me)) == sorted([source["id"], copy["id"]])
    running = entry(me, start="2026-03-04T09:00:00Z")
    r = me.post(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries/{running['id']}/duplicate")
    assert_error(r, 400, 501)
    member = add_member(me)
    r = me.post(f"/workspaces/{{ws}}/user/{member.user_id}/time-entries/{source['id']}/duplicate")
    assert_error(r, 400, 501, "Time entry doesn't belong to Workspace")


def test_mark_invoiced(me: Account) -> None:
    a = entry(me, end="2026-03-02T10:00:00Z")
    r = me.patch("/workspaces/{ws}/time-entries/invoiced", {"timeEntryIds": [a["id"]], "invoiced": True})
    assert r.status_code == 200, r.text
    r = me.patch("/workspaces/{ws}/time-entries/invoiced", {"timeEntryIds": [ids.new_id()], "invoiced": True})
    assert_error(r, 400, 501, "Time entry doesn't belong to Workspace")
    assert_error(me.patch("/workspaces/{ws}/time-entries/invoiced", {"timeEntryIds": [a["id"]]}), 400, 501)
    member = add_member(me)
    r = member.patch("/workspaces/{ws}/time-entries/invoiced", {"timeEntryIds": [a["id"]], "invoiced": False})
    assert_error(r, 403)


def test_batch_reads_by_ids_in_order(me: Account) -> None:
    a = entry(me, end="2026-03-02T10:00:00Z")
    b = entry(me, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z", projectId=project(me)["id"])
    r = me.post("/workspaces/{ws}/time-entries/batch", {"timeEntryIds": [b["id"], a["id"]]})
    assert r.status_code == 200, r.text
    assert [e["id"] for e in r.json()] == [b["id"], a["id"]]
    assert set(r.json()[0]) == ENTRY_KEYS
    r = me.post("/workspaces/{ws}/time-entries/batch", {"timeEntryIds": [b["id"]], "hydrated": True})
    assert r.json()[0]["project"]["id"] == b["projectId"]
    assert_error(me.post("/workspaces/{ws}/time-entries/batch", {"timeEntryIds": ["nope"]}), 400, 501)
    assert_error(me.post("/workspaces/{ws}/time-entries/batch", {}), 400, 501)


# The list -----------------------------------------------------------------------------------------------


def test_list_is_newest_first_and_pages_with_last_page(me: Account) -> None:
    made = [
        entry(me, start=f"2026-03-{day:02d}T09:00:00Z", end=f"2026-03-{day:02d}T10:00:00Z")["id"]
        for day in (3, 1, 5, 2, 4)
    ]
    newest_first = [made[2], made[4], made[0], made[3], made[1]]
    r = listing(me)
    assert [e["id"] for e in r.json()] == newest_first and r.headers["last-page"] == "true"
    r = listing(me, **{"page-size": 2})
    assert [e["id"] for e in r.json()] == newest_first[:2] and r.headers["last-page"] == "false"
    r = listing(me, page=3, **{"page-size": 2})
    assert [e["id"] for e in r.json()] == newest_first[4:] and r.headers["last-page"] == "true"
    r = listing(me, page=9, **{"page-size": 2})
    assert r.json() == [] and r.headers["last-page"] == "true"


def test_list_filters(me: Account) -> None:
    p, q = project(me), project(me)
    t = task(me, p["id"])
    x, y = tag(me), tag(me)
    day = "2026-03-{:02d}T{:02d}:00:00Z"
    e1 = entry(me, start=day.format(1, 9), end=day.format(1, 10), description="Fix Bug 42", projectId=p["id"])
    e2 = entry(
        me, start=day.format(2, 9), end=day.format(2, 10), projectId=p["id"], taskId=t["id"], tagIds=[x["id"]]
    )
    e3 = entry(me, start=day.format(3, 9), end=day.format(3, 10), projectId=q["id"], tagIds=[y["id"]])
    e4 = entry(me, start=day.format(4, 9), end=day.format(4, 10), description="meeting 100%")
    e5 = entry(me, start=day.format(5, 9), description="running")

    def ids_for(**params: Any) -> set[str]:
        return set(listed_ids(me, **params))

    assert ids_for() == {e1["id"], e2["id"], e3["id"], e4["id"], e5["id"]}
    assert ids_for(description="bug") == {e1["id"]}
    assert ids_for(description="100%") == {e4["id"]}
    assert ids_for(description="_") == set()
    assert ids_for(project=p["id"]) == {e1["id"], e2["id"]}
    assert ids_for(task=t["id"]) == {e2["id"]}
    assert ids_for(tags=x["id"]) == {e2["id"]}
    assert ids_for(tags=f"{x['id']},{y['id']}") == {e2["id"], e3["id"]}
    assert set(listed_ids(me, tags=[x["id"], y["id"]])) == {e2["id"], e3["id"]}
    assert ids_for(**{"project-required": "true"}) == {e1["id"], e2["id"], e3["id"]}
    assert ids_for(**{"task-required": "true"}) == {e2["id"]}
    assert ids_for(**{"project-required": "false"}) == ids_for()
    assert ids_for(**{"in-progress": "true"}) == {e5["id"]}
    assert ids_for(start=day.format(2, 0), end=day.format(4, 0)) == {e2["id"], e3["id"]}
    assert ids_for(start=day.format(4, 9)) == {e4["id"], e5["id"]}
    assert ids_for(end=day.format(2, 9)) == {e1["id"]}
    assert ids_for(**{"get-week-before": day.format(4, 0)}) == {e1["id"], e2["id"], e3["id"]}
    assert ids_for(**{"get-week-before": day.format(4, 0), "start": day.format(2, 0)}) == {e2["id"], e3["id"]}
    assert ids_for(project=p["id"], tags=x["id"]) == {e2["id"]}
    assert ids_for(project=ids.new_id()) == set()
    assert ids_for(project="not-an-id") == set()
    hydrated = listing(me, hydrated="true", project=p["id"]).json()
    assert {e["project"]["id"] for e in hydrated} == {p["id"]}
    by_id = {e["id"]: e for e in hydrated}
    assert by_id[e2["id"]]["task"]["id"] == t["id"] and by_id[e1["id"]]["task"] is None
    assert [g["id"] for g in by_id[e2["id"]]["tags"]] == [x["id"]]
    assert_error(
        me.get(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", params={"start": "soon"}), 400, 501
    )
    assert_error(
        me.get(f"/workspaces/{{ws}}/user/{me.user_id}/time-entries", params={"hydrated": "maybe"}), 400, 3000
    )


def test_list_window_is_wall_clock_in_the_accounts_zone(server: Any) -> None:
    berlin = server.account(time_zone="Europe/Berlin")  # UTC+1 in March (before the DST switch)
    late = entry(berlin, start="2026-03-02T23:30:00Z", end="2026-03-02T23:45:00Z")  # 00:30 on 3 March there
    early = entry(berlin, start="2026-03-02T00:30:00Z", end="2026-03-02T00:45:00Z")  # 01:30 on 2 March
    before = entry(berlin, start="2026-03-01T23:15:00Z", end="2026-03-01T23:30:00Z")  # 00:15 on 2 March
    window = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-03T00:00:00Z"}
    # Midnight-to-midnight as UTC readings selects the account's local calendar day (2 March in Berlin).
    assert set(listed_ids(berlin, **window)) == {early["id"], before["id"]}
    # An offset is honoured first, then the reading is applied in the zone.
    shifted = {"start": "2026-03-02T02:00:00+02:00", "end": "2026-03-03T02:00:00+02:00"}
    assert set(listed_ids(berlin, **shifted)) == {early["id"], before["id"]}
    utc = server.account()
    u1 = entry(utc, start="2026-03-02T23:30:00Z", end="2026-03-02T23:45:00Z")
    entry(utc, start="2026-03-01T23:15:00Z", end="2026-03-01T23:30:00Z")
    assert listed_ids(utc, **window) == [u1["id"]]
    assert late["id"] not in listed_ids(berlin, **window)


# Workspace settings -------------------------------------------------------------------------------------


def test_required_fields_gate_finished_entries(me: Account) -> None:
    p = project(me)
    set_workspace_settings(me, forceProjects=True)
    finished = {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"}
    r = me.post("/workspaces/{ws}/time-entries", finished)
    assert_error(
        r,
        400,
        501,
        "Time entry couldn't be created. Project is either required field or given project is archived",
    )
    archived = project(me)
    r = me.put(f"/workspaces/{{ws}}/projects/{archived['id']}", {"name": archived["name"], "archived": True})
    assert r.status_code == 200, r.text
    assert (
        me.post("/workspaces/{ws}/time-entries", {**finished, "projectId": archived["id"]}).status_code == 201
    )
    timer = me.post("/workspaces/{ws}/time-entries", {"start": "2026-03-02T11:00:00Z"})
    assert timer.status_code == 201, "a running timer may lack required fields until it is stopped"
    set_workspace_settings(me, forceProjects=False, forceTasks=True)
    assert_error(
        me.post("/workspaces/{ws}/time-entries", {**finished, "projectId": p["id"]}), 400, 501, "Task"
    )
    set_workspace_settings(me, forceTasks=False, forceTags=True)
    assert_error(me.post("/workspaces/{ws}/time-entries", finished), 400, 501, "Tag")
    set_workspace_settings(me, forceTags=False, forceDescription=True)
    assert_error(me.post("/workspaces/{ws}/time-entries", {**finished, "description": "  "}), 400, 501)
    assert me.post("/workspaces/{ws}/time-entries", {**finished, "description": "ok"}).status_code == 201
    made = me.post("/workspaces/{ws}/time-entries", {**finished, "description": "ok"}).json()
    assert_error(me.put(f"/workspaces/{{ws}}/time-entries/{made['id']}", {"end": finished["end"]}), 400, 501)


def test_lock_date_locks_older_entries_for_members(me: Account) -> None:
    member = add_member(me)
    old = entry(member, start="2026-02-01T09:00:00Z", end="2026-02-01T10:00:00Z")
    set_workspace_settings(me, lockTimeEntries="2026-03-01T00:00:00Z")
    got = member.get(f"/workspaces/{{ws}}/time-entries/{old['id']}").json()
    assert got["isLocked"] is True
    newer = entry(member, start="2026-03-02T09:00:00Z", end="2026-03-02T10:00:00Z")
    assert newer["isLocked"] is False
    r = member.post(
        "/workspaces/{ws}/time-entries", {"start": "2026-02-10T09:00:00Z", "end": "2026-02-10T10:00:00Z"}
    )
    assert_error(r, 400, 501, "locked")
    assert_error(
        member.put(f"/workspaces/{{ws}}/time-entries/{old['id']}", {"end": "2026-02-01T11:00:00Z"}), 400
    )
    assert_error(
        member.put(f"/workspaces/{{ws}}/time-entries/{newer['id']}", {"start": "2026-02-01T09:00:00Z"}), 400
    )
    assert_error(member.delete(f"/workspaces/{{ws}}/time-entries/{old['id']}"), 400)
    r = me.put(f"/workspaces/{{ws}}/time-entries/{old['id']}", {"end": "2026-02-01T11:00:00Z"})
    assert r.status_code == 200, "admins may edit locked entries"


# Validation and tenancy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"start": "not a date"},
        {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T09:59:59Z"},
        {"start": "2026-03-02T10:00:00Z", "end": "2026-05-20T10:00:00Z"},
        {"start": "2026-03-02T10:00:00Z", "end": "2026-13-40T10:00:00Z"},
        {"start": "0001-01-01T00:00:00+01:00"},
        {"start": "1850-01-01T00:00:00Z"},
        {"start": "9999-12-31T23:59:59-01:00"},
        {"start": "2026-03-02T10:00:00Z", "projectId": "NOT-AN-ID"},
        {"start": "2026-03-02T10:00:00Z", "projectId": "0123456789abcdef01234567"},
        {"start": "2026-03-02T10:00:00Z", "taskId": "0123456789abcdef01234567"},
        {"start": "2026-03-02T10:00:00Z", "tagIds": ["0123456789abcdef01234567"]},
        {"start": "2026-03-02T10:00:00Z", "tags": ["x"]},
        {"start": "2026-03-02T10:00:00Z", "description": "x" * 1_000_000},
        {"start": "2026-03-02T10:00:00Z", "type": "HOLIDAY"},
        {"start": "2026-03-02T10:00:00Z", "billable": "perhaps"},
        {"start": 12345},
    ],
)
def test_bad_creates_are_400_and_write_nothing(me: Account, body: dict[str, Any]) -> None:
    running = entry(me, start="2026-03-01T08:00:00Z")
    assert_error(me.post("/workspaces/{ws}/time-entries", body), 400, 501)
    assert listed_ids(me) == [running["id"]]
    assert me.get(f"/workspaces/{{ws}}/time-entries/{running['id']}").json()["timeInterval"]["end"] is None


def test_foreign_references_are_refused(me: Account, other: Account) -> None:
    their_project = project(other)
    their_task = task(other, their_project["id"])
    their_tag = tag(other)
    their_entry = entry(other, end="2026-03-02T10:00:00Z")
    base = {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z"}
    post = "/workspaces/{ws}/time-entries"
    assert_error(
        me.post(post, {**base, "projectId": their_project["id"]}), 400, 501, "Project doesn't belong"
    )
    mine = project(me)
    assert_error(
        me.post(post, {**base, "projectId": mine["id"], "taskId": their_task["id"]}),
        400,
        501,
        "Task doesn't belong",
    )
    other_task = task(me, project(me)["id"])
    assert_error(
        me.post(post, {**base, "projectId": mine["id"], "taskId": other_task["id"]}), 400, 501, "Task"
    )
    assert_error(me.post(post, {**base, "tagIds": [their_tag["id"]]}), 400, 501, "Tag doesn't belong")
    for path in (
        f"/workspaces/{{ws}}/time-entries/{their_entry['id']}",
        "/workspaces/{ws}/time-entries/NOT-AN-ID",
    ):
        assert_error(me.get(path), 400, 501, "Time entry doesn't belong to Workspace")
        assert_error(me.put(path, base), 400, 501, "Time entry doesn't belong to Workspace")
        assert_error(me.delete(path), 400, 501, "Time entry doesn't belong to Workspace")
    assert_error(
        me.get(f"/workspaces/{{ws}}/user/{other.user_id}/time-entries"), 400, 501, "User doesn't belong"
    )
    assert listed_ids(me) == []
    assert listed_ids(other) == [their_entry["id"]]


def test_private_projects_admit_only_their_members(me: Account) -> None:
    member = add_member(me)
    private = project(me, isPublic=False)
    body = {"start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z", "projectId": private["id"]}
    assert_error(member.post("/workspaces/{ws}/time-entries", body), 400, 501)
    assert_error(me.post(f"/workspaces/{{ws}}/user/{member.user_id}/time-entries", body), 400, 501)
    r = me.post(f"/workspaces/{{ws}}/projects/{private['id']}/memberships", {"userIds": [member.user_id]})
    assert r.status_code == 200, r.text
    assert member.post("/workspaces/{ws}/time-entries", body).status_code == 201


def test_the_operator_sets_a_users_time_zone(tmp_path: Path) -> None:
    def create(email: str, zone: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "punchclock", "admin", "create-user", "--email", email]
        command += ["--name", "Zoned", "--workspace", "Z", "--time-zone", zone, "--data-dir", str(tmp_path)]
        env = {k: v for k, v in os.environ.items() if k != "PUNCHCLOCK_DATABASE_URL"}
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    made = create("zoned@example.com", "Asia/Tokyo")
    assert made.returncode == 0, made.stderr
    refused = create("nowhere@example.com", "Mars/Olympus")
    assert refused.returncode != 0 and "Unknown time zone" in refused.stderr

    async def zones() -> list[tuple[str, str]]:
        db = connect(f"sqlite:///{tmp_path / 'punchclock.db'}")
        await db.open()
        unit = db.begin(write=False)
        try:
            return [(r[0], r[1]) for r in await unit.fetch_all("SELECT email, time_zone FROM users")]
        finally:
            await unit.finish(True)
            await db.close()

    assert asyncio.run(zones()) == [("zoned@example.com", "Asia/Tokyo")]


# The entries' own tag lists (migration 0011) -------------------------------------------------------------


def _tag_lists_and_links(account: Account) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """({entry: ids in its tag_list}, {entry: ids of its links}) for every entry of the workspace."""
    from punchclock.kit.db import Unit
    from tests.conftest import in_database

    async def read(unit: Unit) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        params = {"ws": account.workspace_id}
        lists = {
            r["id"]: r["tag_list"].split(",") if r["tag_list"] else []
            for r in await unit.fetch_all(
                "SELECT id, tag_list FROM time_entries WHERE workspace_id = :ws", params
            )
        }
        links: dict[str, list[str]] = {entry_id: [] for entry_id in lists}
        for r in await unit.fetch_all(
            "SELECT time_entry_id, tag_id FROM time_entry_tags WHERE workspace_id = :ws ORDER BY tag_id",
            params,
        ):
            links[r["time_entry_id"]].append(r["tag_id"])
        return lists, links

    return in_database(account.server.database_url, read)


def test_each_entrys_tag_list_follows_its_tags_through_every_write(me: Account) -> None:
    t1, t2, t3 = tag(me), tag(me), tag(me)
    mine = f"/workspaces/{{ws}}/user/{me.user_id}/time-entries"
    a = entry(me, tagIds=[t2["id"], t1["id"]])
    b = entry(me, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z", tagIds=[t3["id"]])
    c = entry(me, start="2026-03-04T09:00:00Z", end="2026-03-04T10:00:00Z")
    r = me.put(
        f"/workspaces/{{ws}}/time-entries/{b['id']}", {**b["timeInterval"], "tagIds": [t1["id"], t3["id"]]}
    )
    assert r.status_code == 200, r.text
    r = me.put(f"/workspaces/{{ws}}/time-entries/{c['id']}", {**c["timeInterval"], "tagIds": [t2["id"]]})
    assert r.status_code == 200, r.text
    # The bulk edit keeps the tags (its body has no tag field); a PUT changes them.
    r = me.put(mine, [{"id": a["id"], "start": "2026-03-02T08:00:00Z", "end": "2026-03-02T10:00:00Z"}])
    assert r.status_code == 200, r.text
    r = me.put(f"/workspaces/{{ws}}/time-entries/{a['id']}", {**a["timeInterval"], "tagIds": [t3["id"]]})
    assert r.status_code == 200, r.text
    copy = me.post(f"{mine}/{b['id']}/duplicate")
    assert copy.status_code == 201, copy.text
    lists, links = _tag_lists_and_links(me)
    assert lists == links
    assert lists[a["id"]] == [t3["id"]] and lists[copy.json()["id"]] == sorted([t1["id"], t3["id"]])
    # Deleting a tag (archived first) takes it out of every list; the other tags stay.
    assert (
        me.put(f"/workspaces/{{ws}}/tags/{t3['id']}", {"name": t3["name"], "archived": True}).status_code
        == 200
    )
    assert me.delete(f"/workspaces/{{ws}}/tags/{t3['id']}").status_code == 200
    lists, links = _tag_lists_and_links(me)
    assert lists == links
    assert lists[a["id"]] == [], (lists, t1["id"], t2["id"], t3["id"])
    assert lists[b["id"]] == [t1["id"]] and lists[c["id"]] == [t2["id"]]
    got = me.get(f"/workspaces/{{ws}}/time-entries/{b['id']}").json()
    assert got["tagIds"] == [t1["id"]]


def test_list_pages_order_each_entrys_tags_by_name_as_reads_do(me: Account) -> None:
    """A page's tag ids come with its rows on PostgreSQL and from a look-up on SQLite: either way they are
    in case-folded name order (then id), follow a rename, lose a deleted tag, and match a single read
    and the hydrated page."""
    beta, alpha, gamma = tag(me, "Beta"), tag(me, "alpha"), tag(me, "gamma")
    first = entry(me, end="2026-03-02T10:00:00Z", tagIds=[gamma["id"], beta["id"], alpha["id"]])
    second = entry(me, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z", tagIds=[beta["id"]])
    untagged = entry(me, start="2026-03-04T09:00:00Z", end="2026-03-04T10:00:00Z")

    def page_tags() -> dict[str, list[str]]:
        plain = {e["id"]: e["tagIds"] for e in listing(me, **{"page-size": "50"}).json()}
        hydrated = listing(me, hydrated="true", **{"page-size": "50"}).json()
        assert {e["id"]: [t["id"] for t in e["tags"]] for e in hydrated} == plain
        for entry_id in (first["id"], second["id"], untagged["id"]):
            read = me.get(f"/workspaces/{{ws}}/time-entries/{entry_id}").json()
            assert read["tagIds"] == plain[entry_id]
        return plain

    tags_of = page_tags()
    assert tags_of[first["id"]] == [alpha["id"], beta["id"], gamma["id"]]
    assert tags_of[second["id"]] == [beta["id"]] and tags_of[untagged["id"]] == []
    r = me.put(f"/workspaces/{{ws}}/tags/{alpha['id']}", {"name": "Zulu"})
    assert r.status_code == 200, r.text
    assert page_tags()[first["id"]] == [beta["id"], gamma["id"], alpha["id"]]
    archived = me.put(f"/workspaces/{{ws}}/tags/{beta['id']}", {"name": "Beta", "archived": True})
    assert archived.status_code == 200, archived.text
    assert page_tags()[first["id"]] == [beta["id"], gamma["id"], alpha["id"]], "archived tags stay"
    assert me.delete(f"/workspaces/{{ws}}/tags/{beta['id']}").status_code == 200
    tags_of = page_tags()
    assert tags_of[first["id"]] == [gamma["id"], alpha["id"]] and tags_of[second["id"]] == []


def test_migration_0011_gives_existing_entries_their_tag_lists(me: Account) -> None:
    """The migration's backfill (its UPDATE, run again over entries whose lists are gone) rebuilds every
    list from the links, in id order, on either database."""
    from punchclock.kit.db import Unit
    from punchclock.kit.db.migrate import available, split_statements
    from tests.conftest import in_database

    t1, t2, t3 = tag(me), tag(me), tag(me)
    entry(me, tagIds=[t3["id"], t1["id"], t2["id"]])
    entry(me, start="2026-03-03T09:00:00Z", end="2026-03-03T10:00:00Z", tagIds=[t2["id"]])
    entry(me, start="2026-03-04T09:00:00Z", end="2026-03-04T10:00:00Z")
    expected, links = _tag_lists_and_links(me)
    assert expected == links and sorted(map(len, expected.values())) == [0, 1, 3]

    async def forget_and_backfill(unit: Unit) -> None:
        await unit.execute("UPDATE time_entries SET tag_list = NULL")
        sql = dict(available(unit.dialect))["0011_entry_tag_lists"]
        for statement in split_statements(sql):
            if statement.lstrip().upper().startswith("UPDATE"):
                await unit.execute(statement)

    in_database(me.server.database_url, forget_and_backfill, write=True)
    assert _tag_lists_and_links(me)[0] == expected
