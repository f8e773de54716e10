"""Clockify Workspace operations over HTTP: workspaces, rates, member status, adding and removing members."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import Account, Server, add_member, assert_error

WORKSPACE_KEYS = {
    "id",
    "name",
    "hourlyRate",
    "costRate",
    "memberships",
    "workspaceSettings",
    "imageUrl",
    "featureSubscriptionType",
    "features",
    "currencies",
    "subdomain",
    "cakeOrganizationId",
}
MEMBERSHIP_KEYS = {"userId", "hourlyRate", "costRate", "targetId", "membershipType", "membershipStatus"}
FOREIGN = "0123456789abcdef01234567"


def membership(workspace: dict[str, Any], user_id: str) -> dict[str, Any]:
    found = [m for m in workspace["memberships"] if m["userId"] == user_id]
    assert len(found) == 1, workspace["memberships"]
    return found[0]


# Workspaces -------------------------------------------------------------------------------------------


def test_my_workspaces_are_listed_whole_and_only_mine(me: Account, other: Account) -> None:
    r = me.get("/workspaces")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [w["id"] for w in body] == [me.workspace_id]
    ws = body[0]
    assert set(ws) == WORKSPACE_KEYS
    assert ws["hourlyRate"] == {"amount": 0, "currency": "USD"} and ws["costRate"] == {
        "amount": 0,
        "currency": "USD",
    }
    assert ws["currencies"][0]["code"] == "USD" and ws["currencies"][0]["isDefault"] is True
    mine = membership(ws, me.user_id)
    assert set(mine) == MEMBERSHIP_KEYS
    assert mine["membershipStatus"] == "ACTIVE" and mine["membershipType"] == "WORKSPACE"
    assert mine["targetId"] == me.workspace_id and mine["hourlyRate"] is None
    assert "Last-Page" not in r.headers
    assert me.get("/workspaces/{ws}").json() == ws


def test_workspaces_filtered_by_role(me: Account) -> None:
    admin = add_member(me, "WORKSPACE_ADMIN", name="Ada")
    own = admin.get("/workspaces").json()
    assert len(own) == 2
    assert [w["id"] for w in admin.get("/workspaces", params={"roles": "WORKSPACE_ADMIN"}).json()] == [
        me.workspace_id
    ]
    owned = admin.get("/workspaces", params={"roles": "OWNER"}).json()
    assert len(owned) == 1 and owned[0]["id"] != me.workspace_id
    # Repeated and comma-separated forms are both read; an owner is not counted as an admin.
    for params in ({"roles": "OWNER,WORKSPACE_ADMIN"}, [("roles", "OWNER"), ("roles", "WORKSPACE_ADMIN")]):
        assert len(admin.get("/workspaces", params=params).json()) == 2
    assert me.get("/workspaces", params={"roles": "WORKSPACE_ADMIN"}).json() == []
    assert me.get("/workspaces", params={"roles": "TEAM_MANAGER"}).json() == []
    member = add_member(me, name="Mo")
    r = me.post(
        f"/workspaces/{{ws}}/users/{member.user_id}/roles", {"role": "TEAM_MANAGER", "entityId": me.user_id}
    )
    assert r.status_code == 201, r.text
    assert [w["id"] for w in member.get("/workspaces", params={"roles": "TEAM_MANAGER"}).json()] == [
        me.workspace_id
    ]
    assert_error(me.get("/workspaces", params={"roles": "KING"}), 400, 3002, "roles")


def test_create_workspace_makes_the_caller_its_owner(me: Account, server: Server) -> None:
    r = me.post("/workspaces", {"name": "  Second  ", "organizationId": "67d471fb56aa9668b7bfa295"})
    assert r.status_code == 201, r.text
    ws = r.json()
    assert set(ws) == WORKSPACE_KEYS
    assert ws["name"] == "Second" and ws["cakeOrganizationId"] == "67d471fb56aa9668b7bfa295"
    assert [m["userId"] for m in ws["memberships"]] == [me.user_id]
    assert ws["id"] != me.workspace_id and len(ws["id"]) == 24
    listed = me.get("/workspaces", params={"roles": "OWNER"}).json()
    assert {w["id"] for w in listed} == {me.workspace_id, ws["id"]}
    assert me.get(f"/workspaces/{ws['id']}").json() == ws
    # The creator can work in it straight away, e.g. add a client.
    assert me.post(f"/workspaces/{ws['id']}/clients", {"name": "C"}).status_code == 201
    assert me.post("/workspaces", {"name": "x" * 50}).status_code == 201
    assert me.post("/workspaces", {"name": "No org"}).json()["cakeOrganizationId"] is None


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": None},
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 51},
        {"name": "x" * 1_000_000},
        {"name": 7},
        {"name": "Ok", "organizationId": "not-an-id"},
        [],
        "name",
    ],
)
def test_create_workspace_refuses_bad_bodies(me: Account, body: Any) -> None:
    assert_error(me.post("/workspaces", body), 400, 501)
    assert len(me.get("/workspaces").json()) == 1


def test_create_workspace_refuses_malformed_json_and_missing_key(me: Account, server: Server) -> None:
    r = me.post("/workspaces", content=b"{nope", headers={"Content-Type": "application/json"})
    assert_error(r, 400, 501)
    r = me.post("/workspaces", content=b"", headers={"Content-Type": "application/json"})
    assert_error(r, 400, 501, "Required request body is missing")
    assert_error(httpx.post(server.base_url + "/api/v1/workspaces", json={"name": "x"}), 401, 1000)


def test_foreign_workspace_is_refused_and_settings_have_no_write_route(me: Account, other: Account) -> None:
    assert_error(other.get(f"/workspaces/{me.workspace_id}"), 403, 403, "Access Denied")
    assert_error(other.get("/workspaces/not-a-workspace"), 403)
    r = me.put("/workspaces/{ws}", {"name": "renamed"})
    assert_error(r, 405, 3000)
    assert "GET" in r.headers["Allow"]
    assert_error(me.patch("/workspaces/{ws}", {"name": "renamed"}), 405)


# Workspace rates --------------------------------------------------------------------------------------


def test_workspace_rates_are_integer_minor_units(me: Account) -> None:
    r = me.put(
        "/workspaces/{ws}/hourly-rate", {"amount": 12345, "currency": "USD", "since": "2020-01-01T00:00:00Z"}
    )
    assert r.status_code == 200, r.text
    assert set(r.json()) == WORKSPACE_KEYS and r.json()["hourlyRate"] == {"amount": 12345, "currency": "USD"}
    r = me.put("/workspaces/{ws}/cost-rate", {"amount": 2000})
    assert (
        r.json()["costRate"] == {"amount": 2000, "currency": "USD"}
        and r.json()["hourlyRate"]["amount"] == 12345
    )
    assert me.get("/workspaces/{ws}").json()["costRate"]["amount"] == 2000
    # A billable rate in another currency switches the workspace's currency.
    r = me.put("/workspaces/{ws}/hourly-rate", {"amount": 0, "currency": "eur"})
    body = r.json()
    assert body["hourlyRate"] == {"amount": 0, "currency": "EUR"} and body["currencies"][0]["code"] == "EUR"
    assert body["costRate"] == {"amount": 2000, "currency": "EUR"}
    # There is no GET on a rate path.
    assert_error(me.get("/workspaces/{ws}/hourly-rate"), 405)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"amount": None},
        {"amount": -1},
        {"amount": 2**31},
        {"amount": 10**30},
        {"amount": 1.5},
        {"amount": "lots"},
        {"amount": 100, "since": "yesterday"},
        {"amount": 100, "currency": "EURO"},
        {"amount": 100, "currency": "x" * 1_000_000},
        [100],
    ],
)
def test_bad_workspace_rate_bodies_are_400_and_change_nothing(me: Account, body: Any) -> None:
    me.put("/workspaces/{ws}/hourly-rate", {"amount": 500})
    assert_error(me.put("/workspaces/{ws}/hourly-rate", body), 400, 501)
    cost_rates_ignore_currency = isinstance(body, dict) and "currency" in body
    if not cost_rates_ignore_currency:
        assert_error(me.put("/workspaces/{ws}/cost-rate", body), 400, 501)
    ws = me.get("/workspaces/{ws}").json()
    assert ws["hourlyRate"] == {"amount": 500, "currency": "USD"} and ws["costRate"]["amount"] == 0


def test_only_admins_set_workspace_rates(me: Account) -> None:
    member = add_member(me)
    assert_error(member.put("/workspaces/{ws}/hourly-rate", {"amount": 1}), 403, 403, "Access Denied")
    assert_error(member.put("/workspaces/{ws}/cost-rate", {"amount": 1}), 403, 403)
    admin = add_member(me, "WORKSPACE_ADMIN", name="Admin")
    assert admin.put("/workspaces/{ws}/cost-rate", {"amount": 77}).json()["costRate"]["amount"] == 77


# Member rates -----------------------------------------------------------------------------------------


def test_member_rates_show_in_the_membership(me: Account) -> None:
    member = add_member(me)
    r = me.put(
        f"/workspaces/{{ws}}/users/{member.user_id}/hourly-rate",
        {"amount": 4500, "since": "2024-05-01T00:00:00.000Z"},
    )
    assert r.status_code == 200, r.text
    assert set(r.json()) == WORKSPACE_KEYS
    assert membership(r.json(), member.user_id)["hourlyRate"] == {"amount": 4500, "currency": "USD"}
    assert membership(r.json(), me.user_id)["hourlyRate"] is None
    r = me.put(f"/workspaces/{{ws}}/users/{member.user_id}/cost-rate", {"amount": 3000})
    assert membership(r.json(), member.user_id)["costRate"] == {"amount": 3000, "currency": "USD"}
    assert membership(r.json(), member.user_id)["hourlyRate"]["amount"] == 4500
    # The member sees their own pay; the owner's is hidden from them.
    me.put(f"/workspaces/{{ws}}/users/{me.user_id}/hourly-rate", {"amount": 9900})
    seen = member.get("/workspaces/{ws}").json()
    assert membership(seen, member.user_id)["hourlyRate"]["amount"] == 4500
    assert membership(seen, member.user_id)["costRate"]["amount"] == 3000
    assert membership(seen, me.user_id)["hourlyRate"] is None
    assert membership(me.get("/workspaces/{ws}").json(), me.user_id)["hourlyRate"]["amount"] == 9900
    listed = member.get("/workspaces").json()
    assert membership(next(w for w in listed if w["id"] == me.workspace_id), me.user_id)["hourlyRate"] is None


def test_member_rates_refuse_unknown_users_and_non_admins(me: Account, other: Account) -> None:
    member = add_member(me)
    for user_id in (FOREIGN, "not-an-id", other.user_id):
        for kind in ("hourly-rate", "cost-rate"):
            assert_error(
                me.put(f"/workspaces/{{ws}}/users/{user_id}/{kind}", {"amount": 1}),
                400,
                501,
                "User doesn't belong to Workspace",
            )
    # The other workspace's owner cannot reach my member through their own workspace.
    assert_error(other.put(f"/workspaces/{{ws}}/users/{member.user_id}/hourly-rate", {"amount": 1}), 400, 501)
    assert_error(member.put(f"/workspaces/{{ws}}/users/{member.user_id}/hourly-rate", {"amount": 1}), 403)
    assert_error(me.put(f"/workspaces/{{ws}}/users/{member.user_id}/hourly-rate", {"amount": -5}), 400, 501)
    assert_error(me.put(f"/workspaces/{{ws}}/users/{member.user_id}/cost-rate", {}), 400, 501)
    assert membership(me.get("/workspaces/{ws}").json(), member.user_id)["hourlyRate"] is None


# Member status ----------------------------------------------------------------------------------------


def test_deactivated_members_are_locked_out_until_reactivated(me: Account) -> None:
    member = add_member(me)
    assert member.get("/workspaces/{ws}/clients").status_code == 200
    r = me.put(f"/workspaces/{{ws}}/users/{member.user_id}", {"status": "INACTIVE"})
    assert r.status_code == 200, r.text
    assert membership(r.json(), member.user_id)["membershipStatus"] == "INACTIVE"
    assert_error(member.get("/workspaces/{ws}/clients"), 403, 403)
    assert me.workspace_id not in [w["id"] for w in member.get("/workspaces").json()]
    assert me.put(f"/workspaces/{{ws}}/users/{member.user_id}", {"status": "ACTIVE"}).status_code == 200
    assert member.get("/workspaces/{ws}/clients").status_code == 200


def test_status_update_rules(me: Account, other: Account) -> None:
    member = add_member(me)
    assert_error(me.put(f"/workspaces/{{ws}}/users/{me.user_id}", {"status": "INACTIVE"}), 400, 501, "owner")
    for body in ({}, {"status": None}, {"status": "PENDING"}, {"status": "inactive"}, {"status": 1}):
        assert_error(me.put(f"/workspaces/{{ws}}/users/{member.user_id}", body), 400, 501)
    assert_error(me.put(f"/workspaces/{{ws}}/users/{other.user_id}", {"status": "INACTIVE"}), 400, 501)
    assert_error(member.put(f"/workspaces/{{ws}}/users/{member.user_id}", {"status": "INACTIVE"}), 403)
    assert_error(
        other.put(f"/workspaces/{me.workspace_id}/users/{member.user_id}", {"status": "INACTIVE"}), 403
    )
    assert membership(me.get("/workspaces/{ws}").json(), member.user_id)["membershipStatus"] == "ACTIVE"


# Adding and removing members --------------------------------------------------------------------------


def test_adding_an_existing_account_makes_it_an_active_member(me: Account, server: Server) -> None:
    newcomer = server.account(workspace="Their own")
    r = me.post("/workspaces/{ws}/users", {"email": newcomer.email.upper()}, params={"send-email": "false"})
    assert r.status_code == 200, r.text
    assert set(r.json()) == WORKSPACE_KEYS
    assert membership(r.json(), newcomer.user_id)["membershipStatus"] == "ACTIVE"
    assert me.workspace_id in [w["id"] for w in newcomer.get("/workspaces").json()]
    assert newcomer.get(f"/workspaces/{me.workspace_id}/clients").status_code == 200
    assert_error(me.post("/workspaces/{ws}/users", {"email": newcomer.email}), 400, 501, "already a member")
    assert_error(me.post("/workspaces/{ws}/users", {"email": me.email}), 400, 501, "already a member")


def test_adding_an_unknown_email_invites_a_new_account(me: Account) -> None:
    email = "new.person@example.org"
    r = me.post("/workspaces/{ws}/users", {"email": email})
    assert r.status_code == 200, r.text
    invited = me.get("/workspaces/{ws}/users", params={"email": "new.person"}).json()
    assert len(invited) == 1
    user = invited[0]
    assert user["email"] == email and user["status"] == "NOT_REGISTERED"
    assert membership(r.json(), user["id"])["membershipStatus"] == "PENDING"
    pending = me.get("/workspaces/{ws}/users", params={"status": "PENDING"}).json()
    assert [u["id"] for u in pending] == [user["id"]]


def test_adding_users_refuses_bad_input_and_non_admins(me: Account) -> None:
    for body in (
        {},
        {"email": None},
        {"email": ""},
        {"email": "not-an-email"},
        {"email": "a@b"},
        {"email": "x" * 1_000_000 + "@x.io"},
        {"email": 5},
    ):
        assert_error(me.post("/workspaces/{ws}/users", body), 400, 501)
    assert_error(
        me.post("/workspaces/{ws}/users", {"email": "a@b.io"}, params={"send-email": "maybe"}), 400, 3000
    )
    member = add_member(me)
    assert_error(member.post("/workspaces/{ws}/users", {"email": "z@z.io"}), 403, 403)
    assert len(me.get("/workspaces/{ws}").json()["memberships"]) == 2


def test_removing_a_member_really_removes_them(me: Account) -> None:
    member = add_member(me, name="Leaving")
    manager = add_member(me, name="Boss")
    me.put(f"/workspaces/{{ws}}/users/{member.user_id}/custom-field/{FOREIGN}/value", {"value": "x"})
    me.post(
        f"/workspaces/{{ws}}/users/{manager.user_id}/roles",
        {"role": "TEAM_MANAGER", "entityId": member.user_id},
    )
    me.post(
        f"/workspaces/{{ws}}/users/{member.user_id}/roles",
        {"role": "TEAM_MANAGER", "entityId": manager.user_id},
    )
    r = me.delete(f"/workspaces/{{ws}}/users/{member.user_id}")
    assert r.status_code == 200, r.text
    assert set(r.json()) == WORKSPACE_KEYS
    assert member.user_id not in [m["userId"] for m in r.json()["memberships"]]
    assert_error(member.get("/workspaces/{ws}/clients"), 403)
    assert me.workspace_id not in [w["id"] for w in member.get("/workspaces").json()]
    # Roles held by and over them are gone.
    assert me.get(f"/workspaces/{{ws}}/users/{manager.user_id}/managers").json() == []
    assert_error(me.get(f"/workspaces/{{ws}}/users/{member.user_id}/managers"), 400, 501)
    # Removing again: they are no longer a member.
    assert_error(me.delete(f"/workspaces/{{ws}}/users/{member.user_id}"), 400, 501, "User doesn't belong")
    # Added back, they start clean.
    me.post("/workspaces/{ws}/users", {"email": member.email})
    again = me.get("/workspaces/{ws}/users", params={"email": member.email, "include-roles": "true"}).json()[
        0
    ]
    assert again["customFields"] == [] and again["roles"] == []


def test_removal_moves_the_default_workspace_away(me: Account, server: Server) -> None:
    email = f"invitee-{me.user_id}@example.com"
    me.post("/workspaces/{ws}/users", {"email": email})
    # The operator later gives the invited person an account (and a workspace of their own).
    invitee = server.account(workspace="Invitee's own", email=email, name="Invitee")
    before = invitee.get("/user").json()
    assert before["status"] == "ACTIVE" and before["name"] == "Invitee"
    assert before["defaultWorkspace"] == before["activeWorkspace"] == me.workspace_id
    me.delete(f"/workspaces/{{ws}}/users/{invitee.user_id}")
    after = invitee.get("/user").json()
    assert after["defaultWorkspace"] == after["activeWorkspace"] == invitee.workspace_id != me.workspace_id


def test_removal_rules(me: Account, other: Account) -> None:
    member = add_member(me)
    admin = add_member(me, "WORKSPACE_ADMIN", name="Admin")
    assert_error(me.delete(f"/workspaces/{{ws}}/users/{me.user_id}"), 400, 501, "owner")
    assert_error(admin.delete(f"/workspaces/{{ws}}/users/{me.user_id}"), 400, 501, "owner")
    assert_error(member.delete(f"/workspaces/{{ws}}/users/{admin.user_id}"), 403, 403)
    for user_id in (other.user_id, FOREIGN, "nope"):
        assert_error(me.delete(f"/workspaces/{{ws}}/users/{user_id}"), 400, 501)
    assert_error(other.delete(f"/workspaces/{me.workspace_id}/users/{member.user_id}"), 403)
    assert admin.delete(f"/workspaces/{{ws}}/users/{member.user_id}").status_code == 200
    assert len(me.get("/workspaces/{ws}").json()["memberships"]) == 2
