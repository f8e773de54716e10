"""Clockify Project operations over HTTP."""

from __future__ import annotations

from typing import Any

from tests.conftest import Account, add_member, assert_error, set_workspace_settings

PROJECT_KEYS = {
    "id",
    "name",
    "hourlyRate",
    "clientId",
    "workspaceId",
    "billable",
    "memberships",
    "color",
    "estimate",
    "archived",
    "duration",
    "clientName",
    "note",
    "costRate",
    "timeEstimate",
    "budgetEstimate",
    "estimateReset",
    "template",
    "public",
}


def project(account: Account, name: str = "Website", **fields: Any) -> dict[str, Any]:
    r = account.post("/workspaces/{ws}/projects", {"name": name, **fields})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def test_create_answers_201_with_clockifys_project_shape(me: Account) -> None:
    body = project(me, "  Website  ", color="#FF5722", note="n", billable=False, isPublic=False)
    assert set(body) == PROJECT_KEYS
    assert body["name"] == "Website" and body["workspaceId"] == me.workspace_id
    assert body["color"] == "#FF5722" and body["note"] == "n" and body["billable"] is False
    assert body["public"] is False and body["archived"] is False and body["template"] is False
    assert body["clientId"] == "" and body["clientName"] == "" and body["duration"] == "PT0S"
    assert body["estimate"] == {"estimate": "PT0S", "type": "AUTO"}
    assert body["timeEstimate"] == {
        "estimate": "PT0S",
        "type": "AUTO",
        "resetOption": None,
        "active": False,
        "includeNonBillable": True,
    }
    assert body["budgetEstimate"] is None and body["estimateReset"] is None
    assert body["hourlyRate"] == {"amount": 0, "currency": "USD"} and body["costRate"] is None
    # The creator is the project's first member.
    assert body["memberships"] == [
        {
            "userId": me.user_id,
            "hourlyRate": None,
            "costRate": None,
            "targetId": body["id"],
            "membershipType": "PROJECT",
            "membershipStatus": "ACTIVE",
        }
    ]
    assert me.get(f"/workspaces/{{ws}}/projects/{body['id']}").json() == body


def test_create_with_client_rates_estimate_members_and_tasks(me: Account) -> None:
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    mate = add_member(me)
    body = project(
        me,
        "Big",
        clientId=client["id"],
        hourlyRate={"amount": 12345},
        costRate={"amount": 500},
        estimate={"estimate": "PT10H", "type": "MANUAL"},
        memberships=[{"userId": mate.user_id, "hourlyRate": {"amount": 7000}}],
        tasks=[{"name": "Design", "estimate": "PT2H", "assigneeIds": [mate.user_id]}, {"name": "Build"}],
    )
    assert body["clientId"] == client["id"] and body["clientName"] == "Acme"
    assert body["hourlyRate"] == {"amount": 12345, "currency": "USD"}
    assert body["costRate"] == {"amount": 500, "currency": "USD"}
    assert body["estimate"] == {"estimate": "PT10H", "type": "MANUAL"}
    rates = {m["userId"]: m["hourlyRate"] for m in body["memberships"]}
    assert rates == {me.user_id: None, mate.user_id: {"amount": 7000, "currency": "USD"}}
    tasks = me.get(f"/workspaces/{{ws}}/projects/{body['id']}/tasks").json()
    assert [t["name"] for t in tasks] == ["Build", "Design"]
    assert tasks[1]["assigneeIds"] == [mate.user_id] and tasks[1]["estimate"] == "PT2H"


def test_bad_input_is_400(me: Account) -> None:
    bad: list[dict[str, Any]] = [
        {},
        {"name": ""},
        {"name": "x"},
        {"name": "x" * 251},
        {"name": "ok name", "color": "red"},
        {"name": "ok name", "color": "#12345"},
        {"name": "ok name", "clientId": "NOT-AN-ID"},
        {"name": "ok name", "estimate": {"estimate": "ten hours"}},
        {"name": "ok name", "estimate": {"type": "SOMETIMES"}},
        {"name": "ok name", "memberships": [{"userId": "5b641568b07987035750505e"}]},
        {"name": "ok name", "tasks": [{"name": ""}]},
        {"name": "ok name", "hourlyRate": {"amount": -1}},
    ]
    for body in bad:
        assert_error(me.post("/workspaces/{ws}/projects", body), 400, 501)
    assert me.get("/workspaces/{ws}/projects").json() == []
    assert project(me, "eight", color="#FF5722AA")["color"] == "#FF5722AA"


def projects(account: Account, **params: Any) -> list[dict[str, Any]]:
    r = account.get("/workspaces/{ws}/projects", params=params)
    assert r.status_code == 200, r.text
    body: list[dict[str, Any]] = r.json()
    return body


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in rows]


def entry(account: Account, project_id: str, start: str, end: str, **fields: Any) -> dict[str, Any]:
    r = account.post(
        "/workspaces/{ws}/time-entries", {"projectId": project_id, "start": start, "end": end, **fields}
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


def archive(account: Account, project_id: str) -> None:
    """Archive through the replace-PUT, keeping billable and public (which a PUT resets when omitted)."""
    current = account.get(f"/workspaces/{{ws}}/projects/{project_id}").json()
    r = account.put(
        f"/workspaces/{{ws}}/projects/{project_id}",
        {"archived": True, "billable": current["billable"], "isPublic": current["public"]},
    )
    assert r.status_code == 200, r.text


def test_duplicate_names_are_per_client_case_insensitive_and_freed_by_delete(me: Account) -> None:
    first = project(me, "Site")
    assert_error(me.post("/workspaces/{ws}/projects", {"name": "site"}), 400, 501, "already exists")
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    # Another client may have its own "Site".
    project(me, "SITE", clientId=client["id"])
    assert_error(
        me.post("/workspaces/{ws}/projects", {"name": "Site", "clientId": client["id"]}), 400, 501, "already"
    )
    archive(me, first["id"])
    assert_error(me.post("/workspaces/{ws}/projects", {"name": "Site"}), 400, 501, "already exists")
    other = project(me, "Other")
    assert_error(me.put(f"/workspaces/{{ws}}/projects/{other['id']}", {"name": "site"}), 400, 501)
    assert me.delete(f"/workspaces/{{ws}}/projects/{first['id']}").status_code == 200
    project(me, "Site")


def test_delete_needs_archive_and_returns_the_project_with_its_entries_gone(me: Account) -> None:
    p = project(me, "Doomed")
    task = me.post(f"/workspaces/{{ws}}/projects/{p['id']}/tasks", {"name": "T"}).json()
    e = entry(me, p["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:30:00Z", taskId=task["id"])
    assert_error(
        me.delete(f"/workspaces/{{ws}}/projects/{p['id']}"), 400, 501, "Cannot delete an active project"
    )
    archive(me, p["id"])
    r = me.delete(f"/workspaces/{{ws}}/projects/{p['id']}")
    assert r.status_code == 200, r.text
    gone = r.json()
    assert set(gone) == PROJECT_KEYS and gone["id"] == p["id"] and gone["duration"] == "PT1H30M"
    assert_error(
        me.get(f"/workspaces/{{ws}}/projects/{p['id']}"), 400, 501, "Project doesn't belong to Workspace"
    )
    assert_error(me.get(f"/workspaces/{{ws}}/projects/{p['id']}/tasks/{task['id']}"), 400, 501, "Project")
    assert_error(me.get(f"/workspaces/{{ws}}/time-entries/{e['id']}"), 400, 501)
    assert_error(me.delete(f"/workspaces/{{ws}}/projects/{p['id']}"), 400, 501, "Project")


def test_duration_is_the_tracked_time_of_the_projects_entries(me: Account) -> None:
    p = project(me, "Tracked")
    entry(me, p["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    entry(me, p["id"], "2026-01-06T09:00:00Z", "2026-01-06T09:30:15Z")
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()["duration"] == "PT1H30M15S"
    assert projects(me)[0]["duration"] == "PT1H30M15S"


def test_tracked_time_follows_every_change_to_the_entries(me: Account) -> None:
    """Projects and tasks keep their tracked time up to date (migration 0005's triggers) through every
    write path: create, timer start and stop, PUT moving an entry, bulk edit, delete, delete several."""
    a, b = project(me, "Alpha"), project(me, "Beta")
    task = me.post(f"/workspaces/{{ws}}/projects/{a['id']}/tasks", {"name": "T"}).json()

    def tracked() -> tuple[str, str, str]:
        pa = me.get(f"/workspaces/{{ws}}/projects/{a['id']}").json()["duration"]
        pb = me.get(f"/workspaces/{{ws}}/projects/{b['id']}").json()["duration"]
        t = me.get(f"/workspaces/{{ws}}/projects/{a['id']}/tasks/{task['id']}").json()["duration"]
        return pa, pb, t

    one = entry(me, a["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", taskId=task["id"])
    two = entry(me, a["id"], "2026-01-05T11:00:00Z", "2026-01-05T11:30:00Z")
    assert tracked() == ("PT1H30M", "PT0S", "PT1H")

    # A running timer counts once stopped.
    r = me.post("/workspaces/{ws}/time-entries", {"projectId": b["id"], "start": "2026-01-06T09:00:00Z"})
    assert r.status_code == 201, r.text
    assert tracked() == ("PT1H30M", "PT0S", "PT1H")
    r = me.patch("/workspaces/{ws}/user/{me}/time-entries", {"end": "2026-01-06T09:15:00Z"})
    assert r.status_code == 200, r.text
    assert tracked() == ("PT1H30M", "PT15M", "PT1H")

    # Moving an entry to the other project (and off its task), then lengthening it.
    r = me.put(
        f"/workspaces/{{ws}}/time-entries/{one['id']}",
        {"projectId": b["id"], "start": "2026-01-05T09:00:00Z", "end": "2026-01-05T11:00:00Z"},
    )
    assert r.status_code == 200, r.text
    assert tracked() == ("PT30M", "PT2H15M", "PT0S")

    r = me.delete(f"/workspaces/{{ws}}/time-entries/{two['id']}")
    assert r.status_code == 204, r.text
    assert tracked() == ("PT0S", "PT2H15M", "PT0S")

    r = me.delete("/workspaces/{ws}/user/{me}/time-entries", params={"time-entry-ids": one["id"]})
    assert r.status_code == 200, r.text
    assert tracked() == ("PT0S", "PT15M", "PT0S")


def test_put_keeps_omitted_rates_colour_note_client_but_resets_billable_and_public(me: Account) -> None:
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    p = project(
        me,
        "Keep",
        clientId=client["id"],
        color="#112233",
        note="a note",
        billable=True,
        isPublic=True,
        hourlyRate={"amount": 9000},
        costRate={"amount": 3000},
    )
    r = me.put(f"/workspaces/{{ws}}/projects/{p['id']}", {"name": "Kept"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "Kept" and body["color"] == "#112233" and body["note"] == "a note"
    assert body["clientId"] == client["id"] and body["clientName"] == "Acme"
    assert body["hourlyRate"]["amount"] == 9000 and body["costRate"]["amount"] == 3000
    assert body["billable"] is False and body["public"] is False and body["archived"] is False
    body = me.put(
        f"/workspaces/{{ws}}/projects/{p['id']}",
        {"clientId": "", "hourlyRate": {"amount": 100}, "billable": True, "isPublic": True, "archived": True},
    ).json()
    assert body["clientId"] == "" and body["clientName"] == "" and body["hourlyRate"]["amount"] == 100
    assert body["billable"] is True and body["public"] is True and body["archived"] is True
    assert body["costRate"]["amount"] == 3000
    for bad in (
        {"name": "x"},
        {"color": "blue"},
        {"clientId": "NOT-AN-ID"},
        {"hourlyRate": {}},
        {"hourlyRate": {"amount": 5, "since": "yesterday"}},
        {"archived": "maybe"},
    ):
        assert_error(me.put(f"/workspaces/{{ws}}/projects/{p['id']}", bad), 400, 501)
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json() == body


def test_foreign_and_unknown_ids_are_refused(me: Account, other: Account) -> None:
    mine = project(me, "Mine")
    theirs = project(other, "Theirs")
    their_client = other.post("/workspaces/{ws}/clients", {"name": "Their client"}).json()
    for pid in (theirs["id"], "5b641568b07987035750505e", "nope"):
        assert_error(
            me.get(f"/workspaces/{{ws}}/projects/{pid}"), 400, 501, "Project doesn't belong to Workspace"
        )
        assert_error(me.put(f"/workspaces/{{ws}}/projects/{pid}", {"name": "x y"}), 400, 501, "Project")
    assert_error(
        me.post("/workspaces/{ws}/projects", {"name": "With theirs", "clientId": their_client["id"]}),
        400,
        501,
        "Client doesn't belong to Workspace",
    )
    assert_error(
        me.post(f"/workspaces/{{ws}}/projects/{mine['id']}/memberships", {"userIds": [other.user_id]}),
        400,
        501,
        "User doesn't belong to Workspace",
    )
    assert_error(other.get(f"/workspaces/{me.workspace_id}/projects/{mine['id']}"), 403)
    assert names(projects(other)) == ["Theirs"]


def test_list_filters(me: Account) -> None:
    acme = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    zeta = me.post("/workspaces/{ws}/clients", {"name": "Zeta"}).json()
    mate = add_member(me)
    a = project(me, "Alpha", clientId=acme["id"], billable=True, isPublic=True)
    b = project(me, "Beta", clientId=zeta["id"], billable=False, isPublic=False)
    c = project(me, "Gamma alpha", billable=True, isPublic=False)
    me.post(f"/workspaces/{{ws}}/projects/{b['id']}/memberships", {"userIds": [mate.user_id]})
    archive(me, c["id"])
    me.patch(f"/workspaces/{{ws}}/projects/{a['id']}/template", {"isTemplate": True})

    assert names(projects(me)) == ["Alpha", "Beta", "Gamma alpha"]
    assert names(projects(me, name="ALPHA")) == ["Alpha", "Gamma alpha"]
    assert names(projects(me, name="alpha", **{"strict-name-search": "true"})) == ["Alpha"]
    assert names(projects(me, archived="true")) == ["Gamma alpha"]
    assert names(projects(me, archived="false")) == ["Alpha", "Beta"]
    assert names(projects(me, billable="false")) == ["Beta"]
    assert names(projects(me, billable="true")) == ["Alpha", "Gamma alpha"]
    assert names(projects(me, clients=acme["id"])) == ["Alpha"]
    assert names(projects(me, clients=f"{acme['id']},{zeta['id']}")) == ["Alpha", "Beta"]
    assert names(projects(me, clients=[acme["id"], zeta["id"]])) == ["Alpha", "Beta"]
    assert names(projects(me, clients=acme["id"], **{"contains-client": "false"})) == ["Beta", "Gamma alpha"]
    assert names(projects(me, users=mate.user_id)) == ["Beta"]
    assert names(projects(me, users=mate.user_id, **{"contains-user": "false"})) == ["Alpha", "Gamma alpha"]
    assert names(projects(me, users=mate.user_id, **{"user-status": "INACTIVE"})) == []
    assert names(projects(me, users=mate.user_id, **{"user-status": "ACTIVE"})) == ["Beta"]
    assert names(projects(me, **{"is-template": "true"})) == ["Alpha"]
    assert names(projects(me, **{"is-template": "false"})) == ["Beta", "Gamma alpha"]
    assert names(projects(me, access="PUBLIC")) == ["Alpha"]
    assert names(projects(me, access="PRIVATE")) == ["Beta", "Gamma alpha"]
    me.put(f"/workspaces/{{ws}}/clients/{zeta['id']}", {"name": "Zeta", "archived": True})
    assert names(projects(me, **{"client-status": "ARCHIVED"})) == ["Beta"]
    assert names(projects(me, **{"client-status": "ACTIVE"})) == ["Alpha", "Gamma alpha"]
    assert names(projects(me, **{"client-status": "ALL"})) == ["Alpha", "Beta", "Gamma alpha"]
    assert names(projects(me, **{"sort-order": "DESCENDING"})) == ["Gamma alpha", "Beta", "Alpha"]
    assert names(projects(me, **{"sort-column": "CLIENT_NAME"})) == ["Gamma alpha", "Alpha", "Beta"]
    assert names(projects(me, **{"sort-column": "ID"})) == ["Alpha", "Beta", "Gamma alpha"]
    assert names(projects(me, hydrated="true")) == ["Alpha", "Beta", "Gamma alpha"]
    for bad in (
        {"sort-column": "COLOR"},
        {"sort-order": "UP"},
        {"access": "SECRET"},
        {"client-status": "GONE"},
        {"user-status": "SLEEPING"},
    ):
        assert_error(me.get("/workspaces/{ws}/projects", params=bad), 400, 3002)
    assert_error(me.get("/workspaces/{ws}/projects", params={"archived": "maybe"}), 400, 3000)


def test_sort_by_duration_budget_and_progress(me: Account) -> None:
    short = project(me, "Short")
    long = project(me, "Long")
    entry(me, short["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    entry(me, long["id"], "2026-01-05T11:00:00Z", "2026-01-05T15:00:00Z")
    assert names(projects(me, **{"sort-column": "DURATION"})) == ["Short", "Long"]
    assert names(projects(me, **{"sort-column": "DURATION", "sort-order": "DESCENDING"})) == ["Long", "Short"]
    me.patch(
        f"/workspaces/{{ws}}/projects/{short['id']}/estimate",
        {
            "timeEstimate": {"estimate": "PT2H", "type": "MANUAL", "active": True},
            "budgetEstimate": {"estimate": 900, "type": "MANUAL", "active": True},
        },
    )
    me.patch(
        f"/workspaces/{{ws}}/projects/{long['id']}/estimate",
        {
            "timeEstimate": {"estimate": "PT100H", "type": "MANUAL", "active": True},
            "budgetEstimate": {"estimate": 100, "type": "MANUAL", "active": True},
        },
    )
    assert names(projects(me, **{"sort-column": "BUDGET"})) == ["Long", "Short"]
    # Progress: Short 1h of 2h (50 %), Long 4h of 100h (4 %).
    assert names(projects(me, **{"sort-column": "PROGRESS"})) == ["Long", "Short"]


def test_paging_and_last_page(me: Account) -> None:
    for i in range(5):
        project(me, f"P{i}")
    r = me.get("/workspaces/{ws}/projects", params={"page": 1, "page-size": 2})
    assert names(r.json()) == ["P0", "P1"] and r.headers["Last-Page"] == "false"
    r = me.get("/workspaces/{ws}/projects", params={"page": 3, "page-size": 2})
    assert names(r.json()) == ["P4"] and r.headers["Last-Page"] == "true"
    r = me.get("/workspaces/{ws}/projects", params={"page": 4, "page-size": 2})
    assert r.json() == [] and r.headers["Last-Page"] == "true"


def test_private_projects_are_for_members_and_admins(me: Account) -> None:
    mate = add_member(me, name="Mate")
    admin = add_member(me, role="WORKSPACE_ADMIN", name="Admin")
    public = project(me, "Public", isPublic=True)
    private = project(me, "Private", isPublic=False)
    joined = project(me, "Joined", isPublic=False)
    me.post(f"/workspaces/{{ws}}/projects/{joined['id']}/memberships", {"userIds": [mate.user_id]})
    assert names(projects(mate)) == ["Joined", "Public"]
    assert names(projects(admin)) == ["Joined", "Private", "Public"]
    assert_error(mate.get(f"/workspaces/{{ws}}/projects/{private['id']}"), 403)
    assert mate.get(f"/workspaces/{{ws}}/projects/{joined['id']}").status_code == 200
    assert mate.get(f"/workspaces/{{ws}}/projects/{public['id']}").status_code == 200
    # Members may not change projects; admins may.
    assert_error(mate.put(f"/workspaces/{{ws}}/projects/{joined['id']}", {"name": "Mine now"}), 403)
    assert_error(
        mate.patch(f"/workspaces/{{ws}}/projects/{joined['id']}/template", {"isTemplate": True}), 403
    )
    assert_error(mate.post(f"/workspaces/{{ws}}/projects/{joined['id']}/memberships", {"userIds": []}), 403)
    assert admin.put(f"/workspaces/{{ws}}/projects/{joined['id']}", {"name": "Renamed"}).status_code == 200
    # Members may create projects while the workspace lets everyone.
    assert mate.post("/workspaces/{ws}/projects", {"name": "By mate"}).status_code == 201
    # A member's view hides other people's cost rates.
    me.put(f"/workspaces/{{ws}}/projects/{public['id']}", {"isPublic": True, "costRate": {"amount": 50}})
    assert mate.get(f"/workspaces/{{ws}}/projects/{public['id']}").json()["costRate"] is None
    assert me.get(f"/workspaces/{{ws}}/projects/{public['id']}").json()["costRate"]["amount"] == 50


def test_project_managers_may_manage_their_project(me: Account) -> None:
    pm = add_member(me, name="PM")
    mine = project(me, "Managed", isPublic=False)
    other = project(me, "Not managed", isPublic=False)
    r = me.post(
        f"/workspaces/{{ws}}/users/{pm.user_id}/roles",
        {"role": "PROJECT_MANAGER", "entityId": mine["id"]},
    )
    assert r.status_code == 201, r.text
    assert names(projects(pm)) == ["Managed"]
    assert pm.put(f"/workspaces/{{ws}}/projects/{mine['id']}", {"name": "Managed!"}).status_code == 200
    assert_error(pm.put(f"/workspaces/{{ws}}/projects/{other['id']}", {"name": "Nope"}), 403)


def members_of(body: dict[str, Any]) -> dict[str, Any]:
    return {m["userId"]: (m["hourlyRate"], m["costRate"]) for m in body["memberships"]}


def test_memberships_post_adds_or_removes_and_patch_replaces_with_rates(me: Account) -> None:
    ann = add_member(me, name="Ann")
    bob = add_member(me, name="Bob")
    p = project(me, "Team", isPublic=False)
    url = f"/workspaces/{{ws}}/projects/{p['id']}/memberships"
    r = me.post(url, {"userIds": [ann.user_id, bob.user_id]})
    assert r.status_code == 200, r.text
    assert set(members_of(r.json())) == {me.user_id, ann.user_id, bob.user_id}
    body = me.post(url, {"userIds": [ann.user_id], "remove": True}).json()
    assert set(members_of(body)) == {me.user_id, bob.user_id}
    r = me.patch(
        url,
        {
            "memberships": [
                {"userId": ann.user_id, "hourlyRate": {"amount": 1500}, "costRate": {"amount": 700}}
            ]
        },
    )
    assert r.status_code == 200, r.text
    assert members_of(r.json()) == {
        ann.user_id: ({"amount": 1500, "currency": "USD"}, {"amount": 700, "currency": "USD"})
    }
    assert all(m["targetId"] == p["id"] and m["membershipType"] == "PROJECT" for m in r.json()["memberships"])
    # Only members (and admins) see a private project.
    assert names(projects(ann)) == ["Team"] and names(projects(bob)) == []
    for bad in (
        {"memberships": [{"userId": "NOT-AN-ID"}]},
        {"memberships": [{}]},
        {},
        {"memberships": [{"userId": ann.user_id}], "userGroups": {"ids": ["5b641568b07987035750505e"]}},
    ):
        assert_error(me.patch(url, bad), 400, 501)
    assert_error(me.post(url, {"userIds": ["5b641568b07987035750505e"]}), 400, 501, "User")
    assert members_of(me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()) == members_of(r.json())


def test_project_user_rates(me: Account, other: Account) -> None:
    ann = add_member(me, name="Ann")
    p = project(me, "Rated")
    r = me.put(f"/workspaces/{{ws}}/projects/{p['id']}/users/{ann.user_id}/hourly-rate", {"amount": 12345})
    assert r.status_code == 200, r.text
    assert members_of(r.json())[ann.user_id] == ({"amount": 12345, "currency": "USD"}, None)
    r = me.put(f"/workspaces/{{ws}}/projects/{p['id']}/users/{ann.user_id}/cost-rate", {"amount": 99})
    assert members_of(r.json())[ann.user_id] == (
        {"amount": 12345, "currency": "USD"},
        {"amount": 99, "currency": "USD"},
    )
    for bad in ({}, {"amount": -5}, {"amount": "lots"}, {"amount": 5, "since": "not a date"}):
        assert_error(
            me.put(f"/workspaces/{{ws}}/projects/{p['id']}/users/{ann.user_id}/hourly-rate", bad), 400, 501
        )
    assert_error(
        me.put(f"/workspaces/{{ws}}/projects/{p['id']}/users/{other.user_id}/hourly-rate", {"amount": 1}),
        400,
        501,
        "User doesn't belong to Workspace",
    )
    assert_error(
        ann.put(f"/workspaces/{{ws}}/projects/{p['id']}/users/{ann.user_id}/hourly-rate", {"amount": 1}), 403
    )


def test_estimates(me: Account) -> None:
    p = project(me, "Estimated")
    url = f"/workspaces/{{ws}}/projects/{p['id']}/estimate"
    r = me.patch(
        url,
        {
            "timeEstimate": {
                "estimate": "PT90M",
                "type": "MANUAL",
                "active": True,
                "resetOption": "MONTHLY",
                "includeNonBillable": False,
            }
        },
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["timeEstimate"] == {
        "estimate": "PT1H30M",
        "type": "MANUAL",
        "resetOption": "MONTHLY",
        "active": True,
        "includeNonBillable": False,
    }
    assert body["estimate"] == {"estimate": "PT1H30M", "type": "MANUAL"} and body["budgetEstimate"] is None
    body = me.patch(
        url,
        {
            "budgetEstimate": {"estimate": 250000, "type": "MANUAL", "active": True, "includeExpenses": True},
            "estimateReset": {"interval": "WEEKLY", "dayOfWeek": "MONDAY", "hour": 6},
        },
    ).json()
    assert body["timeEstimate"]["estimate"] == "PT1H30M"  # kept: not in this body
    assert body["budgetEstimate"] == {
        "estimate": 250000,
        "type": "MANUAL",
        "resetOption": None,
        "active": True,
        "includeExpenses": True,
    }
    assert body["estimateReset"] == {
        "dayOfMonth": None,
        "dayOfWeek": "MONDAY",
        "hour": 6,
        "interval": "WEEKLY",
        "month": None,
    }
    # AUTO estimates add up the tasks' estimates.
    tasks_url = f"/workspaces/{{ws}}/projects/{p['id']}/tasks"
    me.post(tasks_url, {"name": "A", "estimate": "PT2H", "budgetEstimate": 1000})
    me.post(tasks_url, {"name": "B", "estimate": "PT30M", "budgetEstimate": 500})
    body = me.patch(
        url, {"timeEstimate": {"type": "AUTO", "active": True}, "budgetEstimate": {"type": "AUTO"}}
    ).json()
    assert body["timeEstimate"]["estimate"] == "PT2H30M" and body["budgetEstimate"]["estimate"] == 1500
    for bad in (
        {"timeEstimate": {"estimate": "two hours"}},
        {"timeEstimate": {"type": "GUESS"}},
        {"timeEstimate": {"resetOption": "DAILY"}},
        {"budgetEstimate": {"estimate": -1}},
        {"estimateReset": {"hour": 24}},
        {"estimateReset": {"dayOfMonth": 0}},
    ):
        assert_error(me.patch(url, bad), 400, 501)
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json() == body


def test_templates_and_projects_made_from_them(me: Account) -> None:
    ann = add_member(me, name="Ann")
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    t = project(
        me,
        "Template",
        clientId=client["id"],
        color="#ABCDEF",
        note="template note",
        hourlyRate={"amount": 5000},
        isPublic=False,
        memberships=[{"userId": ann.user_id, "hourlyRate": {"amount": 4000}}],
        tasks=[{"name": "Kickoff", "estimate": "PT1H", "assigneeIds": [ann.user_id]}],
    )
    body = {"name": "From template", "templateProjectId": t["id"]}
    assert_error(me.post("/workspaces/{ws}/projects/from-template", body), 400, 501, "not a template")
    r = me.patch(f"/workspaces/{{ws}}/projects/{t['id']}/template", {"isTemplate": True})
    assert r.status_code == 200 and r.json()["template"] is True
    assert_error(me.patch(f"/workspaces/{{ws}}/projects/{t['id']}/template", {}), 400, 501)
    r = me.post("/workspaces/{ws}/projects/from-template", body)
    assert r.status_code == 200, r.text
    made = r.json()
    assert set(made) == PROJECT_KEYS and made["id"] != t["id"] and made["template"] is False
    assert made["name"] == "From template" and made["clientId"] == client["id"] and made["color"] == "#ABCDEF"
    assert (
        made["note"] == "template note" and made["hourlyRate"]["amount"] == 5000 and made["public"] is False
    )
    assert members_of(made)[ann.user_id] == ({"amount": 4000, "currency": "USD"}, None)
    tasks = me.get(f"/workspaces/{{ws}}/projects/{made['id']}/tasks").json()
    assert [(x["name"], x["estimate"], x["assigneeIds"]) for x in tasks] == [
        ("Kickoff", "PT1H", [ann.user_id])
    ]
    # Body fields override the template's.
    made2 = me.post(
        "/workspaces/{ws}/projects/from-template",
        {**body, "name": "Second", "clientId": "", "color": "#000000", "isPublic": True},
    ).json()
    assert made2["clientId"] == "" and made2["color"] == "#000000" and made2["public"] is True
    for bad in (
        {"name": "No template"},
        {"name": "Bad template", "templateProjectId": "nope"},
        {"name": "x", "templateProjectId": t["id"]},
        {"name": "From template", "templateProjectId": t["id"]},  # the name is taken now
    ):
        assert_error(me.post("/workspaces/{ws}/projects/from-template", bad), 400, 501)
    assert names(projects(me, **{"is-template": "true"})) == ["Template"]


def test_clients_archive_their_projects_and_tasks_on_request(me: Account) -> None:
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    p = project(me, "Client work", clientId=client["id"])
    task = me.post(f"/workspaces/{{ws}}/projects/{p['id']}/tasks", {"name": "Job"}).json()
    url = f"/workspaces/{{ws}}/clients/{client['id']}"
    me.put(url, {"name": "Acme", "archived": True})
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()["archived"] is False
    me.put(url, {"name": "Acme", "archived": False})
    r = me.put(url, {"name": "Acme", "archived": True}, params={"archive-projects": "true"})
    assert r.status_code == 200, r.text
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()["archived"] is True
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}/tasks/{task['id']}").json()["status"] == "ACTIVE"
    me.put(
        url,
        {"name": "Acme", "archived": True},
        params={"archive-projects": "true", "mark-tasks-as-done": "true"},
    )
    assert me.get(f"/workspaces/{{ws}}/projects/{p['id']}/tasks/{task['id']}").json()["status"] == "DONE"


def test_deleting_a_client_keeps_its_projects_without_client(me: Account) -> None:
    client = me.post("/workspaces/{ws}/clients", {"name": "Acme"}).json()
    p = project(me, "Survivor", clientId=client["id"])
    e = entry(me, p["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    me.put(f"/workspaces/{{ws}}/clients/{client['id']}", {"name": "Acme", "archived": True})
    assert me.delete(f"/workspaces/{{ws}}/clients/{client['id']}").status_code == 200
    body = me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()
    assert body["clientId"] == "" and body["clientName"] == "" and body["duration"] == "PT1H"
    assert me.get(f"/workspaces/{{ws}}/time-entries/{e['id']}").status_code == 200
    # A clash of names with a client-less project refuses the delete (nothing is lost or renamed).
    c2 = me.post("/workspaces/{ws}/clients", {"name": "Beta"}).json()
    project(me, "Survivor", clientId=c2["id"])
    me.put(f"/workspaces/{{ws}}/clients/{c2['id']}", {"name": "Beta", "archived": True})
    assert_error(me.delete(f"/workspaces/{{ws}}/clients/{c2['id']}"), 400, 501)
    assert me.get(f"/workspaces/{{ws}}/clients/{c2['id']}").status_code == 200


def test_users_list_by_project(me: Account) -> None:
    ann = add_member(me, name="Ann")
    bob = add_member(me, name="Bob")
    private = project(me, "Private", isPublic=False)
    public = project(me, "Public", isPublic=True)
    me.post(f"/workspaces/{{ws}}/projects/{private['id']}/memberships", {"userIds": [ann.user_id]})

    def user_ids(project_id: str) -> set[str]:
        r = me.get("/workspaces/{ws}/users", params={"project-id": project_id})
        assert r.status_code == 200, r.text
        return {u["id"] for u in r.json()}

    assert user_ids(private["id"]) == {me.user_id, ann.user_id}
    assert user_ids(public["id"]) == {me.user_id, ann.user_id, bob.user_id}


def test_only_admins_create_projects_when_the_workspace_says_so(me: Account) -> None:
    mate = add_member(me)
    set_workspace_settings(me, onlyAdminsCreateProject=True)
    assert_error(mate.post("/workspaces/{ws}/projects", {"name": "Nope"}), 403)
    assert me.post("/workspaces/{ws}/projects", {"name": "Yes"}).status_code == 201
    assert names(projects(me)) == ["Yes"]


def entry_rate(account: Account, entry_id: str) -> Any:
    r = account.get(f"/workspaces/{{ws}}/time-entries/{entry_id}")
    assert r.status_code == 200, r.text
    rate = r.json()["hourlyRate"]
    return None if rate is None else rate["amount"]


def test_rate_changes_reprice_entries_only_since_the_instant_given(me: Account) -> None:
    p = project(me, "Priced", hourlyRate={"amount": 1000})
    task = me.post(f"/workspaces/{{ws}}/projects/{p['id']}/tasks", {"name": "T"}).json()
    early = entry(me, p["id"], "2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z")
    late = entry(me, p["id"], "2026-01-10T09:00:00Z", "2026-01-10T10:00:00Z")
    on_task = entry(me, p["id"], "2026-01-12T09:00:00Z", "2026-01-12T10:00:00Z", taskId=task["id"])
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [1000, 1000, 1000]
    url = f"/workspaces/{{ws}}/projects/{p['id']}"
    # Without `since`, stored entries keep their rates.
    me.put(url, {"hourlyRate": {"amount": 2000}})
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [1000, 1000, 1000]
    me.put(url, {"hourlyRate": {"amount": 3000, "since": "2026-01-08T00:00:00Z"}})
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [1000, 3000, 3000]
    r = me.put(
        url + f"/users/{me.user_id}/hourly-rate", {"amount": 4000, "since": "2026-01-11T00:00:00.000Z"}
    )
    assert r.status_code == 200, r.text
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [1000, 3000, 4000]
    r = me.put(url + f"/tasks/{task['id']}/hourly-rate", {"amount": 5000, "since": "2026-01-01T00:00:00Z"})
    assert r.status_code == 200, r.text
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [1000, 3000, 5000]
    r = me.patch(
        url + "/memberships",
        {
            "memberships": [
                {"userId": me.user_id, "hourlyRate": {"amount": 6000, "since": "2026-01-01T00:00:00Z"}}
            ]
        },
    )
    assert r.status_code == 200, r.text
    assert [entry_rate(me, e["id"]) for e in (early, late, on_task)] == [6000, 6000, 5000]


def test_hydrated_projects_carry_their_tasks(me: Account) -> None:
    p = project(me, "Hydrated", tasks=[{"name": "B"}, {"name": "A", "estimate": "PT1H"}])
    plain = me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json()
    assert set(plain) == PROJECT_KEYS
    full = me.get(f"/workspaces/{{ws}}/projects/{p['id']}", params={"hydrated": "true"}).json()
    assert set(full) == PROJECT_KEYS | {"tasks", "customFields"} and full["customFields"] == []
    assert [t["name"] for t in full["tasks"]] == ["A", "B"] and full["tasks"][0]["estimate"] == "PT1H"
    listed = projects(me, hydrated="true")
    assert listed == [full]
    assert set(projects(me)[0]) == PROJECT_KEYS


def test_members_see_their_own_project_rates_but_not_others(me: Account) -> None:
    ann = add_member(me, name="Ann")
    bob = add_member(me, name="Bob")
    p = project(me, "Rates seen", isPublic=True)
    url = f"/workspaces/{{ws}}/projects/{p['id']}"
    me.patch(
        url + "/memberships",
        {
            "memberships": [
                {"userId": ann.user_id, "hourlyRate": {"amount": 100}, "costRate": {"amount": 50}},
                {"userId": bob.user_id, "hourlyRate": {"amount": 200}, "costRate": {"amount": 60}},
            ]
        },
    )
    seen = members_of(ann.get(url).json())
    assert seen[ann.user_id] == ({"amount": 100, "currency": "USD"}, {"amount": 50, "currency": "USD"})
    assert seen[bob.user_id] == (None, None)
    assert members_of(me.get(url).json())[bob.user_id][1] == {"amount": 60, "currency": "USD"}


def test_members_removed_from_the_workspace_leave_its_projects(me: Account) -> None:
    ann = add_member(me, name="Ann")
    p = project(me, "Left behind", memberships=[{"userId": ann.user_id}])
    assert ann.user_id in members_of(p)
    assert me.delete(f"/workspaces/{{ws}}/users/{ann.user_id}").status_code == 200
    assert set(members_of(me.get(f"/workspaces/{{ws}}/projects/{p['id']}").json())) == {me.user_id}
