"""Clockify User operations over HTTP: the caller, workspace members, profiles, custom-field values, roles."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Account, Server, add_member, assert_error

USER_KEYS = {
    "id",
    "email",
    "name",
    "memberships",
    "profilePicture",
    "activeWorkspace",
    "defaultWorkspace",
    "settings",
    "status",
    "customFields",
}
PROFILE_KEYS = {
    "email",
    "hasPassword",
    "hasPendingApprovalRequest",
    "imageUrl",
    "name",
    "userCustomFieldValues",
    "weekStart",
    "workCapacity",
    "workingDays",
    "workspaceNumber",
}
FIELD = "5e4117fe8c625f38930d57b7"
FIELD_2 = "5e4117fe8c625f38930d57b8"
FOREIGN = "0123456789abcdef01234567"
PROJECT = "21a687e29ae1f428e7ebe606"


def users(account: Account, **params: Any) -> list[dict[str, Any]]:
    r = account.get("/workspaces/{ws}/users", params=params)
    assert r.status_code == 200, r.text
    result: list[dict[str, Any]] = r.json()
    return result


def emails(account: Account, **params: Any) -> list[str]:
    return [u["email"] for u in users(account, **params)]


@pytest.fixture
def team(me: Account) -> dict[str, Account]:
    """The owner plus three members with recognisable names and emails."""
    return {
        "owner": me,
        "ann": add_member(me, name="Ann Archer"),
        "bob": add_member(me, name="bob builder"),
        "cy": add_member(me, "WORKSPACE_ADMIN", name="Cy Cooper"),
    }


# GET /user --------------------------------------------------------------------------------------------


def test_current_user(me: Account) -> None:
    r = me.get("/user")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == USER_KEYS
    assert body["id"] == me.user_id and body["email"] == me.email and body["name"] == "Tester"
    assert body["status"] == "ACTIVE" and body["memberships"] == [] and body["customFields"] == []
    assert body["activeWorkspace"] == body["defaultWorkspace"] == me.workspace_id
    assert body["settings"]["timeZone"] == "UTC" and body["settings"]["weekStart"] == "MONDAY"
    full = me.get("/user", params={"include-memberships": "true"}).json()
    assert [(m["targetId"], m["membershipStatus"]) for m in full["memberships"]] == [
        (me.workspace_id, "ACTIVE")
    ]
    assert_error(me.get("/user", params={"include-memberships": "perhaps"}), 400, 3000)


def test_current_user_shows_custom_fields_of_the_active_workspace(me: Account) -> None:
    me.put(f"/workspaces/{{ws}}/users/{me.user_id}/custom-field/{FIELD}/value", {"value": "E-42"})
    fields = me.get("/user").json()["customFields"]
    assert fields == [
        {
            "customFieldId": FIELD,
            "value": "E-42",
            "userId": me.user_id,
            "customFieldName": None,
            "customFieldType": None,
        }
    ]


# GET /workspaces/{ws}/users ---------------------------------------------------------------------------


def test_member_list_shape_sort_and_last_page(team: dict[str, Account]) -> None:
    owner = team["owner"]
    r = owner.get("/workspaces/{ws}/users")
    assert r.status_code == 200, r.text
    assert r.headers["Last-Page"] == "true"
    body = r.json()
    assert all(set(u) == USER_KEYS for u in body)
    # Sorted by email by default.
    assert [u["email"] for u in body] == sorted(a.email.lower() for a in team.values())
    ann = next(u for u in body if u["id"] == team["ann"].user_id)
    assert ann["name"] == "Ann Archer" and ann["status"] == "ACTIVE" and ann["memberships"] == []
    assert ann["customFields"] == [] and ann["settings"]["timeFormat"] == "HOUR12"


def test_member_list_pages(team: dict[str, Account]) -> None:
    owner = team["owner"]
    pages = [owner.get("/workspaces/{ws}/users", params={"page": n, "page-size": 3}) for n in (1, 2, 3)]
    assert [len(p.json()) for p in pages] == [3, 1, 0]
    assert [p.headers["Last-Page"] for p in pages] == ["false", "true", "true"]
    seen = [u["id"] for p in pages for u in p.json()]
    assert sorted(seen) == sorted(a.user_id for a in team.values())
    assert_error(owner.get("/workspaces/{ws}/users", params={"page-size": 0}), 400, 3000)
    assert_error(owner.get("/workspaces/{ws}/users", params={"page": "first"}), 400, 3000)


def test_member_list_filters(team: dict[str, Account]) -> None:
    owner = team["owner"]
    assert [u["name"] for u in users(owner, name="ARCH")] == ["Ann Archer"]
    assert {u["name"] for u in users(owner, name="o")} == {"bob builder", "Cy Cooper"}
    assert emails(owner, email=team["bob"].email[:12].upper()) == [team["bob"].email]
    assert users(owner, name="nobody") == []
    # LIKE wildcards are taken literally.
    assert users(owner, name="%") == [] and users(owner, email="_") == []
    owner.put(f"/workspaces/{{ws}}/users/{team['bob'].user_id}", {"status": "INACTIVE"})
    assert emails(owner, status="INACTIVE") == [team["bob"].email]
    assert team["bob"].email not in emails(owner, status="ACTIVE")
    assert len(users(owner, status="ALL")) == 4 and len(users(owner)) == 4
    owner.post("/workspaces/{ws}/users", {"email": "invited@example.com"})
    assert emails(owner, **{"account-statuses": "NOT_REGISTERED"}) == ["invited@example.com"]
    assert len(users(owner, **{"account-statuses": "ACTIVE,NOT_REGISTERED"})) == 5
    assert len(owner.get("/workspaces/{ws}/users", params=[("account-statuses", "ACTIVE")]).json()) == 4


def test_member_list_sorting(team: dict[str, Account]) -> None:
    owner = team["owner"]
    names = [u["name"] for u in users(owner, **{"sort-column": "NAME_LOWERCASE"})]
    assert names == ["Ann Archer", "bob builder", "Cy Cooper", "Tester"]
    desc = [u["name"] for u in users(owner, **{"sort-column": "NAME_LOWERCASE", "sort-order": "DESCENDING"})]
    assert desc == list(reversed(names))
    assert [u["name"] for u in users(owner, **{"sort-column": "NAME"})] == sorted(names)
    access = [u["id"] for u in users(owner, **{"sort-column": "ACCESS"})]
    assert access[:2] == [owner.user_id, team["cy"].user_id]
    owner.put(f"/workspaces/{{ws}}/users/{team['bob'].user_id}/hourly-rate", {"amount": 100})
    owner.put(f"/workspaces/{{ws}}/users/{team['ann'].user_id}/hourly-rate", {"amount": 50})
    owner.put("/workspaces/{ws}/hourly-rate", {"amount": 75})
    by_rate = [u["id"] for u in users(owner, **{"sort-column": "HOURLYRATE", "sort-order": "DESCENDING"})]
    assert by_rate[0] == team["bob"].user_id and by_rate[-1] == team["ann"].user_id
    ids = [u["id"] for u in users(owner, **{"sort-column": "ID"})]
    assert ids == sorted(ids)


@pytest.mark.parametrize(
    "params",
    [
        {"sort-column": "COLOR"},
        {"sort-order": "UP"},
        {"status": "GONE"},
        {"memberships": "SOME"},
        {"account-statuses": "ACTIVE,ZOMBIE"},
    ],
)
def test_member_list_refuses_unknown_enums(me: Account, params: dict[str, str]) -> None:
    assert_error(me.get("/workspaces/{ws}/users", params=params), 400, 3002)


def test_member_list_bad_booleans_are_400_code_3000(me: Account) -> None:
    assert_error(
        me.get("/workspaces/{ws}/users", params={"include-roles": "yes please"}), 400, 3000, "include-roles"
    )


def test_member_list_memberships_and_roles(team: dict[str, Account]) -> None:
    owner = team["owner"]
    owner.put(f"/workspaces/{{ws}}/users/{team['ann'].user_id}/hourly-rate", {"amount": 1234})
    listed = users(owner, memberships="WORKSPACE", email=team["ann"].email)
    assert listed[0]["memberships"] == [
        {
            "userId": team["ann"].user_id,
            "hourlyRate": {"amount": 1234, "currency": "USD"},
            "costRate": None,
            "targetId": owner.workspace_id,
            "membershipType": "WORKSPACE",
            "membershipStatus": "ACTIVE",
        }
    ]
    assert (
        users(owner, memberships="ALL", email=team["ann"].email)[0]["memberships"] == listed[0]["memberships"]
    )
    assert users(owner, memberships="NONE", email=team["ann"].email)[0]["memberships"] == []
    assert users(owner, memberships="PROJECT", email=team["ann"].email)[0]["memberships"] == []
    # A plain member does not see someone else's pay.
    seen = users(team["bob"], memberships="WORKSPACE", email=team["ann"].email)[0]["memberships"][0]
    assert seen["hourlyRate"] is None and seen["membershipStatus"] == "ACTIVE"
    owner.post(
        f"/workspaces/{{ws}}/users/{team['ann'].user_id}/roles",
        {"role": "TEAM_MANAGER", "entityId": team["bob"].user_id},
    )
    with_roles = {u["id"]: u for u in users(owner, **{"include-roles": "true"})}
    assert with_roles[owner.user_id]["roles"] == [
        {"role": "OWNER", "entities": [{"id": owner.workspace_id, "source": "WORKSPACE"}]}
    ]
    assert with_roles[team["cy"].user_id]["roles"][0]["role"] == "WORKSPACE_ADMIN"
    assert with_roles[team["ann"].user_id]["roles"] == [
        {"role": "TEAM_MANAGER", "entities": [{"id": team["bob"].user_id, "source": "USER"}]}
    ]
    assert with_roles[team["bob"].user_id]["roles"] == []
    assert all("roles" not in u for u in users(owner))


def test_member_list_by_project_is_empty_until_projects_exist(me: Account) -> None:
    r = me.get("/workspaces/{ws}/users", params={"project-id": PROJECT})
    assert r.status_code == 200 and r.json() == [] and r.headers["Last-Page"] == "true"
    assert_error(
        me.get("/workspaces/{ws}/users", params={"project-id": "not-a-project"}), 400, 501, "Project"
    )


def test_member_list_is_per_workspace(me: Account, other: Account) -> None:
    add_member(me)
    assert [u["id"] for u in users(other)] == [other.user_id]
    assert_error(other.get(f"/workspaces/{me.workspace_id}/users"), 403, 403)
    assert_error(other.post(f"/workspaces/{me.workspace_id}/users/info", {}), 403, 403)


# POST /workspaces/{ws}/users/info ---------------------------------------------------------------------


def test_filter_users_by_body(team: dict[str, Account]) -> None:
    owner = team["owner"]
    r = owner.post("/workspaces/{ws}/users/info", {})
    assert r.status_code == 200, r.text
    assert [u["email"] for u in r.json()] == emails(owner)
    assert all(set(u) == USER_KEYS for u in r.json())
    body = {"name": "er", "sortColumn": "NAME_LOWERCASE", "sortOrder": "DESCENDING", "page": 1, "pageSize": 2}
    assert [u["name"] for u in owner.post("/workspaces/{ws}/users/info", body).json()] == [
        "Tester",
        "Cy Cooper",
    ]
    body["page"] = 2
    assert [u["name"] for u in owner.post("/workspaces/{ws}/users/info", body).json()] == [
        "bob builder",
        "Ann Archer",
    ]
    body["page"] = 3
    assert owner.post("/workspaces/{ws}/users/info", body).json() == []
    admins = owner.post("/workspaces/{ws}/users/info", {"roles": ["WORKSPACE_ADMIN"]}).json()
    assert [u["id"] for u in admins] == [team["cy"].user_id]
    owners_and_admins = owner.post(
        "/workspaces/{ws}/users/info", {"roles": ["OWNER", "WORKSPACE_ADMIN"]}
    ).json()
    assert {u["id"] for u in owners_and_admins} == {owner.user_id, team["cy"].user_id}
    owner.post(
        f"/workspaces/{{ws}}/users/{team['bob'].user_id}/roles",
        {"role": "PROJECT_MANAGER", "entityId": PROJECT},
    )
    pms = owner.post(
        "/workspaces/{ws}/users/info", {"roles": ["PROJECT_MANAGER"], "includeRoles": True}
    ).json()
    assert [u["id"] for u in pms] == [team["bob"].user_id]
    assert pms[0]["roles"] == [
        {"role": "PROJECT_MANAGER", "entities": [{"id": PROJECT, "source": "PROJECT"}]}
    ]
    filtered = owner.post(
        "/workspaces/{ws}/users/info",
        {
            "email": team["ann"].email,
            "status": "ACTIVE",
            "accountStatuses": ["ACTIVE"],
            "memberships": "WORKSPACE",
        },
    ).json()
    assert [u["id"] for u in filtered] == [team["ann"].user_id] and len(filtered[0]["memberships"]) == 1
    assert owner.post("/workspaces/{ws}/users/info", {"projectId": PROJECT}).json() == []
    assert owner.post("/workspaces/{ws}/users/info", {"userGroups": [FOREIGN]}).json() == []
    assert "Last-Page" not in r.headers


@pytest.mark.parametrize(
    "body",
    [
        {"status": "GONE"},
        {"sortColumn": "COLOR"},
        {"roles": ["KING"]},
        {"accountStatuses": ["ZOMBIE"]},
        {"page": 0},
        {"pageSize": -1},
        {"page": "one"},
        {"name": "x" * 1_000_000},
        {"memberships": 3},
        {"projectId": "nope"},
        {"userGroups": ["nope"]},
        [],
        "x",
    ],
)
def test_filter_users_refuses_bad_bodies(me: Account, body: Any) -> None:
    assert_error(me.post("/workspaces/{ws}/users/info", body), 400, 501)


def test_filter_users_refuses_malformed_json(me: Account) -> None:
    r = me.post(
        "/workspaces/{ws}/users/info", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert_error(r, 400, 501)


# Member profiles --------------------------------------------------------------------------------------


def test_member_profile_defaults(me: Account) -> None:
    member = add_member(me)
    r = member.get(f"/workspaces/{{ws}}/member-profile/{member.user_id}")
    assert r.status_code == 200, r.text
    assert r.json() == {
        "email": member.email,
        "hasPassword": False,
        "hasPendingApprovalRequest": False,
        "imageUrl": "",
        "name": "Member",
        "userCustomFieldValues": [],
        "weekStart": "MONDAY",
        "workCapacity": "PT8H",
        "workingDays": ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
        "workspaceNumber": 2,
    }
    assert me.get(f"/workspaces/{{ws}}/member-profile/{member.user_id}").json() == r.json()
    assert me.get(f"/workspaces/{{ws}}/member-profile/{me.user_id}").json()["workspaceNumber"] == 1


def test_member_profile_access(me: Account, other: Account) -> None:
    member = add_member(me, name="One")
    peer = add_member(me, name="Two")
    assert_error(member.get(f"/workspaces/{{ws}}/member-profile/{peer.user_id}"), 403, 403, "Access Denied")
    assert_error(member.get(f"/workspaces/{{ws}}/member-profile/{me.user_id}"), 403, 403)
    assert_error(
        member.patch(f"/workspaces/{{ws}}/member-profile/{peer.user_id}", {"weekStart": "SUNDAY"}), 403
    )
    for user_id in (other.user_id, FOREIGN, "someone"):
        assert_error(me.get(f"/workspaces/{{ws}}/member-profile/{user_id}"), 400, 501, "User doesn't belong")
        assert_error(me.patch(f"/workspaces/{{ws}}/member-profile/{user_id}", {}), 400, 501)
    assert_error(other.get(f"/workspaces/{{ws}}/member-profile/{member.user_id}"), 400, 501)


def test_member_profile_patch_is_partial(me: Account) -> None:
    member = add_member(me)
    url = f"/workspaces/{{ws}}/member-profile/{member.user_id}"
    r = member.patch(url, {"weekStart": "SUNDAY"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == PROFILE_KEYS
    assert body["weekStart"] == "SUNDAY" and body["workCapacity"] == "PT8H" and len(body["workingDays"]) == 5
    body = me.patch(url, {"workCapacity": "PT7H30M", "workingDays": ["FRIDAY", "MONDAY", "MONDAY"]}).json()
    assert body["weekStart"] == "SUNDAY" and body["workCapacity"] == "PT7H30M"
    assert body["workingDays"] == ["MONDAY", "FRIDAY"]
    # Clockify's own sample sends the days as a JSON-encoded string.
    body = member.patch(url, {"workingDays": '["SATURDAY","SUNDAY"]', "workCapacity": "PT0S"}).json()
    assert body["workingDays"] == ["SATURDAY", "SUNDAY"] and body["workCapacity"] == "PT0S"
    assert member.patch(url, {}).json() == body
    assert member.get(url).json() == body


def test_member_profile_is_per_workspace(me: Account, server: Server) -> None:
    newcomer = server.account(workspace="Home")
    me.post("/workspaces/{ws}/users", {"email": newcomer.email})
    newcomer.patch(
        f"/workspaces/{me.workspace_id}/member-profile/{newcomer.user_id}", {"workCapacity": "PT4H"}
    )
    home = newcomer.get(f"/workspaces/{newcomer.workspace_id}/member-profile/{newcomer.user_id}").json()
    assert home["workCapacity"] == "PT8H"
    assert (
        newcomer.get(f"/workspaces/{me.workspace_id}/member-profile/{newcomer.user_id}").json()[
            "workCapacity"
        ]
        == "PT4H"
    )


@pytest.mark.parametrize(
    "body",
    [
        {"weekStart": "FUNDAY"},
        {"workCapacity": "8 hours"},
        {"workCapacity": "PT25H"},
        {"workCapacity": 8},
        {"workingDays": ["MONDAY", "BLURSDAY"]},
        {"workingDays": "MONDAY"},
        {"workingDays": "x" * 1_000_000},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "x" * 1_000_000},
        {"imageUrl": "javascript:alert(1)"},
        {"imageUrl": "x" * 1_000_000},
        {"userCustomFields": [{"customFieldId": "bad", "value": 1}]},
        {"userCustomFields": [{"value": 1}]},
        {"userCustomFields": [{"customFieldId": FIELD, "value": {"a": 1}}]},
        {"userCustomFields": [{"customFieldId": FIELD, "value": "x" * 1_000_000}]},
        {"removeProfileImage": "maybe"},
        [],
    ],
)
def test_member_profile_patch_refuses_bad_input(me: Account, body: Any) -> None:
    url = f"/workspaces/{{ws}}/member-profile/{me.user_id}"
    before = me.get(url).json()
    assert_error(me.patch(url, body), 400, 501)
    assert me.get(url).json() == before


def test_names_and_pictures_belong_to_the_account(me: Account) -> None:
    member = add_member(me, name="Original")
    url = f"/workspaces/{{ws}}/member-profile/{member.user_id}"
    body = member.patch(url, {"name": " Renamed ", "imageUrl": "https://img.example.com/a.png"}).json()
    assert body["name"] == "Renamed" and body["imageUrl"] == "https://img.example.com/a.png"
    assert member.get("/user").json()["profilePicture"] == "https://img.example.com/a.png"
    assert member.patch(url, {"removeProfileImage": True}).json()["imageUrl"] == ""
    # An admin may not rename someone who has an account of their own…
    assert_error(me.patch(url, {"name": "Hijacked"}), 403, 403)
    assert_error(me.patch(url, {"removeProfileImage": True}), 403, 403)
    assert me.patch(url, {"weekStart": "TUESDAY"}).status_code == 200
    assert member.get("/user").json()["name"] == "Renamed"
    # …but may name an invited person who has no login yet.
    me.post("/workspaces/{ws}/users", {"email": "pending@example.com"})
    invited = users(me, email="pending@example.com")[0]
    r = me.patch(f"/workspaces/{{ws}}/member-profile/{invited['id']}", {"name": "Pat Pending"})
    assert r.status_code == 200 and r.json()["name"] == "Pat Pending"


# Custom-field values ----------------------------------------------------------------------------------


def test_custom_field_values_are_stored_and_read_back(me: Account) -> None:
    member = add_member(me)
    url = f"/workspaces/{{ws}}/users/{member.user_id}/custom-field/{FIELD}/value"
    r = me.put(url, {"value": "20231211-12345"})
    assert r.status_code == 201, r.text
    assert r.json() == {
        "customFieldId": FIELD,
        "value": "20231211-12345",
        "userId": member.user_id,
        "customFieldName": None,
        "customFieldType": None,
    }
    assert (
        member.put(
            f"/workspaces/{{ws}}/users/{member.user_id}/custom-field/{FIELD_2}/value", {"value": ["a", 2]}
        ).status_code
        == 201
    )
    listed = users(me, email=member.email)[0]["customFields"]
    assert [(f["customFieldId"], f["value"]) for f in listed] == [
        (FIELD, "20231211-12345"),
        (FIELD_2, ["a", 2]),
    ]
    profile = me.get(f"/workspaces/{{ws}}/member-profile/{member.user_id}").json()["userCustomFieldValues"]
    assert [(v["customFieldId"], v["value"], v["userId"]) for v in profile] == [
        (FIELD, "20231211-12345", member.user_id),
        (FIELD_2, ["a", 2], member.user_id),
    ]
    assert me.put(url, {"value": 42.5}).json()["value"] == 42.5
    assert me.put(url, {"value": None}).status_code == 201
    assert [f["customFieldId"] for f in users(me, email=member.email)[0]["customFields"]] == [FIELD_2]
    # The profile PATCH writes the same values.
    patched = member.patch(
        f"/workspaces/{{ws}}/member-profile/{member.user_id}",
        {
            "userCustomFields": [
                {"customFieldId": FIELD, "value": True},
                {"customFieldId": FIELD_2, "value": None},
            ]
        },
    ).json()
    assert [(v["customFieldId"], v["value"]) for v in patched["userCustomFieldValues"]] == [(FIELD, True)]
    # Values are per workspace: the member's own workspace has none.
    own = next(w["id"] for w in member.get("/workspaces").json() if w["id"] != me.workspace_id)
    assert (
        member.get(f"/workspaces/{own}/users", params={"email": member.email}).json()[0]["customFields"] == []
    )


def test_custom_field_value_rules(me: Account, other: Account) -> None:
    member = add_member(me, name="One")
    peer = add_member(me, name="Two")
    base = "/workspaces/{ws}/users"
    assert_error(member.put(f"{base}/{peer.user_id}/custom-field/{FIELD}/value", {"value": "x"}), 403, 403)
    for user_id in (other.user_id, FOREIGN, "nobody"):
        assert_error(me.put(f"{base}/{user_id}/custom-field/{FIELD}/value", {"value": "x"}), 400, 501, "User")
    for body in ({"value": {"nested": 1}}, {"value": [[1]]}, {"value": "x" * 1_000_000}, []):
        assert_error(me.put(f"{base}/{member.user_id}/custom-field/{FIELD}/value", body), 400, 501)
    assert_error(me.put(f"{base}/{member.user_id}/custom-field/not-a-field/value", {"value": "x"}), 400, 501)
    assert users(me, email=member.email)[0]["customFields"] == []


# Manager roles and managers ---------------------------------------------------------------------------


def test_team_manager_role_and_managers_list(team: dict[str, Account]) -> None:
    owner, ann, bob = team["owner"], team["ann"], team["bob"]
    r = owner.post(
        f"/workspaces/{{ws}}/users/{ann.user_id}/roles", {"role": "TEAM_MANAGER", "entityId": bob.user_id}
    )
    assert r.status_code == 201, r.text
    assert r.json() == [{"role": "TEAM_MANAGER", "userId": ann.user_id, "workspaceId": owner.workspace_id}]
    # Granting it again changes nothing.
    assert (
        owner.post(
            f"/workspaces/{{ws}}/users/{ann.user_id}/roles", {"role": "TEAM_MANAGER", "entityId": bob.user_id}
        ).json()
        == r.json()
    )
    owner.post(
        f"/workspaces/{{ws}}/users/{team['cy'].user_id}/roles",
        {"role": "TEAM_MANAGER", "entityId": bob.user_id},
    )
    m = owner.get(f"/workspaces/{{ws}}/users/{bob.user_id}/managers")
    assert m.status_code == 200 and m.headers["Last-Page"] == "true"
    assert {u["id"] for u in m.json()} == {ann.user_id, team["cy"].user_id}
    assert all(set(u) == USER_KEYS for u in m.json())
    # Any member may see who manages whom; the list pages like the others.
    first = bob.get(
        f"/workspaces/{{ws}}/users/{bob.user_id}/managers",
        params={"page-size": 1, "sort-column": "NAME_LOWERCASE"},
    )
    assert [u["id"] for u in first.json()] == [ann.user_id] and first.headers["Last-Page"] == "false"
    last = bob.get(
        f"/workspaces/{{ws}}/users/{bob.user_id}/managers",
        params={"page": 2, "page-size": 1, "sort-column": "NAME_LOWERCASE"},
    )
    assert [u["id"] for u in last.json()] == [team["cy"].user_id] and last.headers["Last-Page"] == "true"
    assert owner.get(f"/workspaces/{{ws}}/users/{ann.user_id}/managers").json() == []
    r = owner.request(
        "DELETE",
        f"/workspaces/{{ws}}/users/{ann.user_id}/roles",
        json={"role": "TEAM_MANAGER", "entityId": bob.user_id},
    )
    assert r.status_code == 204 and r.content == b""
    assert [u["id"] for u in owner.get(f"/workspaces/{{ws}}/users/{bob.user_id}/managers").json()] == [
        team["cy"].user_id
    ]


def test_workspace_admin_role_grants_and_revokes_admin_rights(me: Account) -> None:
    member = add_member(me)
    assert_error(member.put("/workspaces/{ws}/cost-rate", {"amount": 5}), 403)
    r = me.post(
        f"/workspaces/{{ws}}/users/{member.user_id}/roles",
        {"role": "WORKSPACE_ADMIN", "entityId": me.workspace_id},
    )
    assert r.status_code == 201
    assert r.json() == [{"role": "WORKSPACE_ADMIN", "userId": member.user_id, "workspaceId": me.workspace_id}]
    assert member.put("/workspaces/{ws}/cost-rate", {"amount": 5}).status_code == 200
    assert member.get(f"/workspaces/{{ws}}/member-profile/{me.user_id}").status_code == 200
    r = me.request(
        "DELETE",
        f"/workspaces/{{ws}}/users/{member.user_id}/roles",
        json={"role": "WORKSPACE_ADMIN", "entityId": me.workspace_id},
    )
    assert r.status_code == 204
    assert_error(member.put("/workspaces/{ws}/cost-rate", {"amount": 6}), 403)
    # The owner keeps their role.
    r = me.request(
        "DELETE",
        f"/workspaces/{{ws}}/users/{me.user_id}/roles",
        json={"role": "WORKSPACE_ADMIN", "entityId": me.workspace_id},
    )
    assert_error(r, 400, 501, "owner")
    r = me.post(
        f"/workspaces/{{ws}}/users/{me.user_id}/roles",
        {"role": "WORKSPACE_ADMIN", "entityId": me.workspace_id},
    )
    assert r.json() == [{"role": "OWNER", "userId": me.user_id, "workspaceId": me.workspace_id}]


def test_role_requests_refuse_bad_input(me: Account, other: Account) -> None:
    member = add_member(me)
    url = f"/workspaces/{{ws}}/users/{member.user_id}/roles"
    malformed: list[Any] = [
        {},
        {"role": "TEAM_MANAGER"},
        {"role": "TEAM_MANAGER", "entityId": ""},
        {"role": "OWNER", "entityId": me.user_id},
        {"role": "KING", "entityId": me.user_id},
        {"role": "TEAM_MANAGER", "entityId": "x" * 1_000_000},
        {"role": "PROJECT_MANAGER", "entityId": "nope"},
        {"role": "TEAM_MANAGER", "entityId": "nope"},
        {"role": "TEAM_MANAGER", "entityId": FOREIGN, "sourceType": "PLANET"},
        [],
    ]
    for body in malformed:
        assert_error(me.post(url, body), 400, 501)
        assert_error(me.request("DELETE", url, json=body), 400, 501)
    # Managing someone outside the workspace is refused; removing a role nobody holds changes nothing.
    for entity_id in (other.user_id, FOREIGN):
        body = {"role": "TEAM_MANAGER", "entityId": entity_id}
        assert_error(me.post(url, body), 400, 501, "User doesn't belong")
        assert me.request("DELETE", url, json=body).status_code == 204
    assert_error(me.request("DELETE", url), 400, 501, "Required request body is missing")
    for user_id in (other.user_id, FOREIGN, "nobody"):
        body = {"role": "TEAM_MANAGER", "entityId": me.user_id}
        assert_error(
            me.post(f"/workspaces/{{ws}}/users/{user_id}/roles", body), 400, 501, "User doesn't belong"
        )
    assert_error(member.post(url, {"role": "WORKSPACE_ADMIN", "entityId": me.workspace_id}), 403, 403)
    assert_error(member.request("DELETE", url, json={"role": "TEAM_MANAGER", "entityId": me.user_id}), 403)
    assert_error(other.post(url, {"role": "TEAM_MANAGER", "entityId": other.user_id}), 400, 501)
    assert_error(me.get(f"/workspaces/{{ws}}/users/{FOREIGN}/managers"), 400, 501, "User doesn't belong")
    assert_error(other.get(f"/workspaces/{{ws}}/users/{member.user_id}/managers"), 400, 501)
    listed = users(me, **{"include-roles": "true", "email": member.email})[0]
    assert listed["roles"] == []
