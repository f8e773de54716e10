"""Clockify Task operations over HTTP."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account, add_member, assert_error

TASK_KEYS = {
    "id",
    "name",
    "projectId",
    "assigneeIds",
    "assigneeId",
    "userGroupIds",
    "estimate",
    "status",
    "budgetEstimate",
    "billable",
    "hourlyRate",
    "costRate",
    "duration",
}


def new_project(account: Account, name: str = "Project", **fields: Any) -> str:
    r = account.post("/workspaces/{ws}/projects", {"name": name, **fields})
    assert r.status_code == 201, r.text
    value: str = r.json()["id"]
    return value


def task(account: Account, project_id: str, name: str = "Task", **fields: Any) -> dict[str, Any]:
    r = account.post(f"/workspaces/{{ws}}/projects/{project_id}/tasks", {"name": name, **fields})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def tasks(account: Account, project_id: str, **params: Any) -> list[str]:
    r = account.get(f"/workspaces/{{ws}}/projects/{project_id}/tasks", params=params)
    assert r.status_code == 200, r.text
    return [t["name"] for t in r.json()]


def test_create_answers_201_with_clockifys_task_shape(me: Account) -> None:
    mate = add_member(me)
    pid = new_project(me)
    body = task(
        me,
        pid,
        "  Design  ",
        estimate="PT1H30M",
        billable=False,
        assigneeIds=[mate.user_id],
        budgetEstimate=700,
    )
    assert set(body) == TASK_KEYS
    assert body["name"] == "Design" and body["projectId"] == pid and body["status"] == "ACTIVE"
    assert body["estimate"] == "PT1H30M" and body["billable"] is False and body["budgetEstimate"] == 700
    assert body["assigneeIds"] == [mate.user_id] and body["assigneeId"] == mate.user_id
    assert body["userGroupIds"] == [] and body["duration"] == "PT0S"
    assert body["hourlyRate"] is None and body["costRate"] is None
    assert me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks/{body['id']}").json() == body
    plain = task(me, pid, "Plain")
    assert plain["estimate"] == "PT0S" and plain["billable"] is True and plain["assigneeId"] is None
    # The deprecated single assignee still works.
    assert task(me, pid, "Old style", assigneeId=mate.user_id)["assigneeIds"] == [mate.user_id]


def test_bad_input_is_400_and_stores_nothing(me: Account, other: Account) -> None:
    pid = new_project(me)
    for bad in (
        {},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 1001},
        {"name": "T", "estimate": "soon"},
        {"name": "T", "status": "SLEEPING"},
        {"name": "T", "status": "ALL"},
        {"name": "T", "assigneeIds": [other.user_id]},
        {"name": "T", "assigneeIds": ["nope"]},
        {"name": "T", "userGroupIds": ["5b641568b07987035750505e"]},
        {"name": "T", "budgetEstimate": -1},
        {"name": "T", "billable": "perhaps"},
    ):
        assert_error(me.post(f"/workspaces/{{ws}}/projects/{pid}/tasks", bad), 400, 501)
    assert tasks(me, pid) == []


def test_duplicate_names_are_refused_per_project(me: Account) -> None:
    pid = new_project(me, "One")
    other_pid = new_project(me, "Two")
    t = task(me, pid, "Same")
    assert_error(
        me.post(f"/workspaces/{{ws}}/projects/{pid}/tasks", {"name": "SAME"}), 400, 501, "already exists"
    )
    task(me, other_pid, "Same")
    second = task(me, pid, "Other")
    assert_error(
        me.put(f"/workspaces/{{ws}}/projects/{pid}/tasks/{second['id']}", {"name": "same"}),
        400,
        501,
        "already",
    )
    me.put(f"/workspaces/{{ws}}/projects/{pid}/tasks/{t['id']}", {"name": "Same", "status": "DONE"})
    assert me.delete(f"/workspaces/{{ws}}/projects/{pid}/tasks/{t['id']}").status_code == 200
    task(me, pid, "Same")


def test_list_filters_sorting_and_paging(me: Account) -> None:
    pid = new_project(me)
    for name in ("Bravo", "alpha", "Charlie", "Alpha two"):
        task(me, pid, name)
    done = task(me, pid, "Delta", status="DONE")
    assert tasks(me, pid) == ["alpha", "Alpha two", "Bravo", "Charlie", "Delta"]
    assert tasks(me, pid, name="ALPHA") == ["alpha", "Alpha two"]
    assert tasks(me, pid, name="Alpha", **{"strict-name-search": "true"}) == ["alpha"]
    assert tasks(me, pid, **{"is-active": "true"}) == ["alpha", "Alpha two", "Bravo", "Charlie"]
    assert tasks(me, pid, **{"is-active": "false"}) == ["Delta"]
    assert tasks(me, pid, **{"sort-order": "DESCENDING"}) == [
        "Delta",
        "Charlie",
        "Bravo",
        "Alpha two",
        "alpha",
    ]
    assert tasks(me, pid, **{"sort-column": "ID"}) == ["Bravo", "alpha", "Charlie", "Alpha two", "Delta"]
    r = me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks", params={"page": 2, "page-size": 2})
    assert [t["name"] for t in r.json()] == ["Bravo", "Charlie"] and r.headers["Last-Page"] == "false"
    r = me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks", params={"page": 3, "page-size": 2})
    assert [t["id"] for t in r.json()] == [done["id"]] and r.headers["Last-Page"] == "true"
    assert_error(
        me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks", params={"sort-column": "COLOR"}), 400, 3002
    )
    assert_error(me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks", params={"is-active": "maybe"}), 400, 3000)


def test_put_replaces_given_fields_and_keeps_omitted_ones(me: Account) -> None:
    mate = add_member(me)
    pid = new_project(me)
    t = task(me, pid, "Job", estimate="PT2H", assigneeIds=[mate.user_id], billable=False)
    url = f"/workspaces/{{ws}}/projects/{pid}/tasks/{t['id']}"
    r = me.put(url, {"name": "Job", "status": "DONE"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "DONE" and body["estimate"] == "PT2H" and body["assigneeIds"] == [mate.user_id]
    assert body["billable"] is False
    body = me.put(url, {"name": "Job 2", "assigneeIds": [], "estimate": "PT45M", "billable": True}).json()
    assert body["name"] == "Job 2" and body["assigneeIds"] == [] and body["assigneeId"] is None
    assert body["estimate"] == "PT45M" and body["billable"] is True and body["status"] == "DONE"
    for bad in (
        {"name": ""},
        {"estimate": "x"},
        {"status": "NOPE"},
        {"assigneeIds": ["5b641568b07987035750505e"]},
    ):
        assert_error(me.put(url, bad), 400, 501)
    assert me.get(url).json() == body


def test_delete_only_done_tasks_and_their_entries_stay_on_the_project(me: Account) -> None:
    pid = new_project(me)
    t = task(me, pid, "Work")
    r = me.post(
        "/workspaces/{ws}/time-entries",
        {"projectId": pid, "taskId": t["id"], "start": "2026-01-05T09:00:00Z", "end": "2026-01-05T09:45:00Z"},
    )
    assert r.status_code == 201, r.text
    entry = r.json()
    url = f"/workspaces/{{ws}}/projects/{pid}/tasks/{t['id']}"
    assert me.get(url).json()["duration"] == "PT45M"
    assert_error(me.delete(url), 400, 501, "Cannot delete an active task")
    me.put(url, {"name": "Work", "status": "DONE"})
    r = me.delete(url)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == t["id"] and set(r.json()) == TASK_KEYS
    assert_error(me.get(url), 400, 501, "Task doesn't belong to Workspace")
    kept = me.get(f"/workspaces/{{ws}}/time-entries/{entry['id']}").json()
    assert kept["projectId"] == pid and kept["taskId"] is None
    assert me.get(f"/workspaces/{{ws}}/projects/{pid}").json()["duration"] == "PT45M"


def test_task_rates(me: Account) -> None:
    pid = new_project(me)
    t = task(me, pid)
    url = f"/workspaces/{{ws}}/projects/{pid}/tasks/{t['id']}"
    r = me.put(url + "/hourly-rate", {"amount": 15000})
    assert r.status_code == 200, r.text
    assert r.json()["hourlyRate"] == {"amount": 15000, "currency": "USD"} and r.json()["costRate"] is None
    r = me.put(url + "/cost-rate", {"amount": 8000})
    assert r.json()["costRate"] == {"amount": 8000, "currency": "USD"}
    assert r.json()["hourlyRate"]["amount"] == 15000
    for bad in ({}, {"amount": -1}, {"amount": "x"}, {"amount": 1, "since": "whenever"}):
        assert_error(me.put(url + "/hourly-rate", bad), 400, 501)
    assert me.get(url).json() == r.json()


def test_tenancy_and_wrong_project(me: Account, other: Account) -> None:
    pid = new_project(me, "Mine")
    pid2 = new_project(me, "Mine too")
    theirs = new_project(other, "Theirs")
    t = task(me, pid)
    their_task = task(other, theirs)
    # A task id under another project of the same workspace is not that project's task.
    assert_error(
        me.get(f"/workspaces/{{ws}}/projects/{pid2}/tasks/{t['id']}"), 400, 501, "Task doesn't belong"
    )
    assert_error(me.get(f"/workspaces/{{ws}}/projects/{pid}/tasks/{their_task['id']}"), 400, 501, "Task")
    assert_error(me.get(f"/workspaces/{{ws}}/projects/{theirs}/tasks"), 400, 501, "Project doesn't belong")
    assert_error(me.post(f"/workspaces/{{ws}}/projects/{theirs}/tasks", {"name": "x"}), 400, 501, "Project")
    assert_error(other.get(f"/workspaces/{me.workspace_id}/projects/{pid}/tasks"), 403)


def test_members_vs_admins(me: Account) -> None:
    mate = add_member(me, name="Mate")
    public = new_project(me, "Public", isPublic=True)
    private = new_project(me, "Private", isPublic=False)
    t = task(me, public, "Shared")
    # Members may add tasks to projects they can see, but not change or delete them.
    assert task(mate, public, "By mate")["name"] == "By mate"
    assert_error(mate.post(f"/workspaces/{{ws}}/projects/{private}/tasks", {"name": "x"}), 403)
    assert_error(mate.get(f"/workspaces/{{ws}}/projects/{private}/tasks"), 403)
    url = f"/workspaces/{{ws}}/projects/{public}/tasks/{t['id']}"
    assert_error(mate.put(url, {"name": "Mine"}), 403)
    assert_error(mate.put(url + "/hourly-rate", {"amount": 1}), 403)
    assert_error(mate.delete(url), 403)
    assert mate.get(url).status_code == 200
