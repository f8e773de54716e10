"""Rates of time entries: resolved when an entry is written in Clockify's order (task → project-user →
project → workspace member → workspace, a level without a rate inherits), kept on the entry so later rate
changes leave history alone, unless a change says `since`: then entries from that instant on re-price."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account, add_member
from tests.test_time_entries import entry, project, task

DAY1 = {"start": "2026-03-01T09:00:00Z", "end": "2026-03-01T10:00:00Z"}
DAY5 = {"start": "2026-03-05T09:00:00Z", "end": "2026-03-05T10:00:00Z"}


def put_ok(account: Account, path: str, body: dict[str, Any]) -> None:
    r = account.put(path, body)
    assert r.status_code == 200, r.text


def rates_of(account: Account, entry_id: str) -> tuple[int | None, int | None]:
    body = account.get(f"/workspaces/{{ws}}/time-entries/{entry_id}").json()
    hourly, cost = body["hourlyRate"], body["costRate"]
    return (hourly and hourly["amount"]), (cost and cost["amount"])


def test_rates_resolve_level_by_level(me: Account) -> None:
    member = add_member(me)
    uid = member.user_id
    user_entries = f"/workspaces/{{ws}}/user/{uid}/time-entries"
    p = project(me)
    t = task(me, p["id"])

    def priced(**extra: Any) -> tuple[int | None, int | None]:
        return rates_of(me, entry(me, user_entries, **DAY1, **extra)["id"])

    put_ok(me, "/workspaces/{ws}/hourly-rate", {"amount": 1000})
    put_ok(me, "/workspaces/{ws}/cost-rate", {"amount": 500})
    on_task = {"projectId": p["id"], "taskId": t["id"]}
    assert priced() == (1000, 500)
    assert priced(**on_task) == (1000, 500)

    put_ok(me, f"/workspaces/{{ws}}/users/{uid}/hourly-rate", {"amount": 2000})
    assert priced(**on_task) == (2000, 500), "the member's rate beats the workspace's; cost still inherits"
    put_ok(me, f"/workspaces/{{ws}}/users/{uid}/cost-rate", {"amount": 700})
    assert priced() == (2000, 700)
    # A caller's own entry without a project is priced from the rates read with their membership.
    assert rates_of(me, entry(member, **DAY1)["id"]) == (2000, 700)
    assert rates_of(me, entry(me, **DAY1)["id"]) == (1000, 500), "the owner has no member rate"

    put_ok(
        me,
        f"/workspaces/{{ws}}/projects/{p['id']}",
        {"name": p["name"], "isPublic": True, "hourlyRate": {"amount": 3000}},
    )
    assert priced(**on_task) == (3000, 700)
    assert priced() == (2000, 700), "no project: the member level"

    put_ok(me, f"/workspaces/{{ws}}/projects/{p['id']}/users/{uid}/hourly-rate", {"amount": 4000})
    put_ok(me, f"/workspaces/{{ws}}/projects/{p['id']}/users/{uid}/cost-rate", {"amount": 900})
    assert priced(**on_task) == (4000, 900)
    mine = rates_of(me, entry(me, **DAY1, projectId=p["id"])["id"])
    assert mine == (3000, 500), "another user on the project gets the project (and workspace cost) rate"

    put_ok(me, f"/workspaces/{{ws}}/projects/{p['id']}/tasks/{t['id']}/hourly-rate", {"amount": 5000})
    assert priced(**on_task) == (5000, 900)
    assert priced(projectId=p["id"]) == (4000, 900), "the task rate only applies to entries on the task"
    body = entry(me, user_entries, **DAY1, **on_task)
    assert body["hourlyRate"] == {"amount": 5000, "currency": "USD"}
    assert body["costRate"] == {"amount": 900, "currency": "USD"}


def test_rate_changes_keep_history_unless_since(me: Account) -> None:
    p = project(me)
    put_ok(me, "/workspaces/{ws}/hourly-rate", {"amount": 1000})
    old = entry(me, **DAY1, projectId=p["id"])["id"]
    new = entry(me, **DAY5, projectId=p["id"])["id"]
    elsewhere = entry(me, **DAY5)["id"]

    put_ok(
        me,
        f"/workspaces/{{ws}}/projects/{p['id']}",
        {"name": p["name"], "isPublic": True, "hourlyRate": {"amount": 3000}},
    )
    assert rates_of(me, old)[0] == 1000 and rates_of(me, new)[0] == 1000, "history is kept"

    body = {
        "name": p["name"],
        "isPublic": True,
        "hourlyRate": {"amount": 3500, "since": "2026-03-03T00:00:00Z"},
    }
    put_ok(me, f"/workspaces/{{ws}}/projects/{p['id']}", body)
    assert rates_of(me, old)[0] == 1000
    assert rates_of(me, new)[0] == 3500, "re-priced from `since` on"
    assert rates_of(me, elsewhere)[0] == 1000, "outside the project's scope"

    put_ok(me, "/workspaces/{ws}/hourly-rate", {"amount": 1200, "since": "2026-02-01T00:00:00Z"})
    assert rates_of(me, old)[0] == 3500, "a workspace re-price resolves every level again"
    assert rates_of(me, elsewhere)[0] == 1200
    put_ok(me, "/workspaces/{ws}/cost-rate", {"amount": 800, "since": "2026-03-04T00:00:00Z"})
    assert rates_of(me, old)[1] == 0 and rates_of(me, new)[1] == 800


def test_member_and_task_rates_since(me: Account) -> None:
    member = add_member(me)
    uid = member.user_id
    user_entries = f"/workspaces/{{ws}}/user/{uid}/time-entries"
    p = project(me)
    t = task(me, p["id"])
    theirs_old = entry(me, user_entries, **DAY1)["id"]
    theirs_new = entry(me, user_entries, **DAY5, projectId=p["id"], taskId=t["id"])["id"]
    mine_new = entry(me, **DAY5, projectId=p["id"], taskId=t["id"])["id"]

    put_ok(
        me, f"/workspaces/{{ws}}/users/{uid}/hourly-rate", {"amount": 2500, "since": "2026-03-03T00:00:00Z"}
    )
    assert rates_of(me, theirs_old)[0] == 0 and rates_of(me, theirs_new)[0] == 2500
    assert rates_of(me, mine_new)[0] == 0, "another member's entries are outside the scope"

    project_user_rate = f"/workspaces/{{ws}}/projects/{p['id']}/users/{uid}/hourly-rate"
    put_ok(me, project_user_rate, {"amount": 3300, "since": "2026-03-04T00:00:00Z"})
    assert rates_of(me, theirs_new)[0] == 3300, "the project-user rate beats the member's"
    assert rates_of(me, theirs_old)[0] == 0 and rates_of(me, mine_new)[0] == 0

    task_rate = f"/workspaces/{{ws}}/projects/{p['id']}/tasks/{t['id']}/cost-rate"
    put_ok(me, task_rate, {"amount": 640, "since": "2026-03-01T00:00:00Z"})
    assert rates_of(me, theirs_new)[1] == 640 and rates_of(me, mine_new)[1] == 640
    assert rates_of(me, theirs_old)[1] == 0


def test_rates_follow_an_entrys_move_to_another_project(me: Account) -> None:
    p = project(me, hourlyRate={"amount": 7000})
    q = project(me)
    made = entry(me, **DAY1, projectId=p["id"])
    assert made["hourlyRate"]["amount"] == 7000
    put_ok(
        me,
        f"/workspaces/{{ws}}/projects/{p['id']}",
        {"name": p["name"], "isPublic": True, "hourlyRate": {"amount": 7500}},
    )
    r = me.put(
        f"/workspaces/{{ws}}/time-entries/{made['id']}",
        {**DAY1, "projectId": p["id"], "description": "fixed"},
    )
    assert r.status_code == 200 and r.json()["hourlyRate"]["amount"] == 7000, "an edit keeps history"
    r = me.put(f"/workspaces/{{ws}}/time-entries/{made['id']}", {**DAY1, "projectId": q["id"]})
    assert r.status_code == 200 and r.json()["hourlyRate"]["amount"] == 0, "a move re-resolves"
    r = me.put(f"/workspaces/{{ws}}/time-entries/{made['id']}", {**DAY1, "projectId": p["id"]})
    assert r.json()["hourlyRate"]["amount"] == 7500


def test_billable_rates_are_hidden_from_other_members(me: Account) -> None:
    member = add_member(me)
    put_ok(me, "/workspaces/{ws}/hourly-rate", {"amount": 1000})
    put_ok(me, "/workspaces/{ws}/cost-rate", {"amount": 400})
    mine = entry(me, **DAY1)
    theirs = entry(member, **DAY1)
    assert theirs["hourlyRate"]["amount"] == 1000 and theirs["costRate"]["amount"] == 400
    seen = member.get(f"/workspaces/{{ws}}/time-entries/{mine['id']}").json()
    assert seen["hourlyRate"] is None and seen["costRate"] is None
    admin_view = me.get(f"/workspaces/{{ws}}/time-entries/{theirs['id']}").json()
    assert admin_view["hourlyRate"]["amount"] == 1000 and admin_view["costRate"]["amount"] == 400
