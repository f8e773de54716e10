"""Clockify Client operations over HTTP."""

from __future__ import annotations

from tests.conftest import Account, assert_error

CLIENT_KEYS = {
    "id",
    "name",
    "workspaceId",
    "archived",
    "address",
    "note",
    "email",
    "ccEmails",
    "currencyId",
    "currencyCode",
}


def test_create_answers_201_with_the_whole_client(me: Account) -> None:
    r = me.post(
        "/workspaces/{ws}/clients", {"name": "  Acme  ", "email": "a@acme.io", "note": "n", "address": "x"}
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == CLIENT_KEYS
    assert body["name"] == "Acme" and body["workspaceId"] == me.workspace_id and body["archived"] is False
    assert len(body["id"]) == 24 and int(body["id"], 16) >= 0
    assert body["ccEmails"] == [] and body["currencyCode"] == "USD" and body["currencyId"]
    assert me.get(f"/workspaces/{{ws}}/clients/{body['id']}").json() == body


def test_create_ignores_cc_emails_and_currency_id(me: Account) -> None:
    body = me.post(
        "/workspaces/{ws}/clients", {"name": "C", "ccEmails": ["x@y.io"], "currencyId": "nope"}
    ).json()
    assert body["ccEmails"] == []


def test_duplicate_names_are_refused_case_insensitively_even_when_archived(me: Account) -> None:
    first = me.post("/workspaces/{ws}/clients", {"name": "Dup"}).json()
    assert_error(me.post("/workspaces/{ws}/clients", {"name": "dup"}), 400, 501, "already exists")
    me.put(f"/workspaces/{{ws}}/clients/{first['id']}", {"name": "Dup", "archived": True})
    assert_error(me.post("/workspaces/{ws}/clients", {"name": "Dup"}), 400, 501)
    assert me.delete(f"/workspaces/{{ws}}/clients/{first['id']}").status_code == 200
    assert me.post("/workspaces/{ws}/clients", {"name": "Dup"}).status_code == 201


def test_blank_missing_or_huge_names_are_400(me: Account) -> None:
    for body in ({}, {"name": ""}, {"name": "   "}, {"name": None}, {"name": "x" * 1_000_000}, {"name": 5}):
        assert_error(me.post("/workspaces/{ws}/clients", body), 400, 501)
    assert me.get("/workspaces/{ws}/clients").json() == []


def test_malformed_json_is_400(me: Account) -> None:
    r = me.post(
        "/workspaces/{ws}/clients", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(r, 400, 501)


def test_put_replaces_everything_but_name_and_currency(me: Account) -> None:
    c = me.post(
        "/workspaces/{ws}/clients", {"name": "P", "email": "p@p.io", "note": "keep?", "address": "addr"}
    ).json()
    r = me.put(f"/workspaces/{{ws}}/clients/{c['id']}", {"ccEmails": ["a@b.io", "c@d.io"], "note": "new"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == "P" and body["note"] == "new" and body["email"] is None and body["address"] is None
    assert body["ccEmails"] == ["a@b.io", "c@d.io"] and body["currencyId"] == c["currencyId"]
    again = me.put(f"/workspaces/{{ws}}/clients/{c['id']}", {"name": "P2"}).json()
    assert again["ccEmails"] == [] and again["name"] == "P2"


def test_at_most_three_cc_emails(me: Account) -> None:
    c = me.post("/workspaces/{ws}/clients", {"name": "CC"}).json()
    emails = [f"u{i}@x.io" for i in range(4)]
    assert_error(
        me.put(f"/workspaces/{{ws}}/clients/{c['id']}", {"ccEmails": emails}), 400, 501, "less than 3"
    )
    assert me.put(f"/workspaces/{{ws}}/clients/{c['id']}", {"ccEmails": emails[:3]}).status_code == 200


def test_active_client_cannot_be_deleted_archive_first(me: Account) -> None:
    c = me.post("/workspaces/{ws}/clients", {"name": "Del"}).json()
    assert_error(
        me.delete(f"/workspaces/{{ws}}/clients/{c['id']}"), 400, 501, "Cannot delete an active client"
    )
    me.put(f"/workspaces/{{ws}}/clients/{c['id']}", {"archived": "true"})
    r = me.delete(f"/workspaces/{{ws}}/clients/{c['id']}")
    assert r.status_code == 200 and r.json()["id"] == c["id"] and r.json()["archived"] is True
    assert_error(
        me.get(f"/workspaces/{{ws}}/clients/{c['id']}"), 400, 501, "Client doesn't belong to Workspace"
    )


def test_list_filters_sorts_and_pages(me: Account) -> None:
    for name in ["bravo", "Alpha", "charlie", "delta"]:
        me.post("/workspaces/{ws}/clients", {"name": name, "note": f"note {name}"})
    d = me.get("/workspaces/{ws}/clients", params={"name": "delta"}).json()[0]
    me.put(f"/workspaces/{{ws}}/clients/{d['id']}", {"archived": True, "note": "note delta"})

    r = me.get("/workspaces/{ws}/clients")
    assert [c["name"] for c in r.json()] == ["Alpha", "bravo", "charlie", "delta"]
    assert r.headers["Last-Page"] == "true"
    assert [c["name"] for c in me.get("/workspaces/{ws}/clients", params={"archived": "false"}).json()] == [
        "Alpha",
        "bravo",
        "charlie",
    ]
    assert [c["name"] for c in me.get("/workspaces/{ws}/clients", params={"archived": True}).json()] == [
        "delta"
    ]
    assert [c["name"] for c in me.get("/workspaces/{ws}/clients", params={"name": "AL"}).json()] == ["Alpha"]
    assert [c["name"] for c in me.get("/workspaces/{ws}/clients", params={"note": "charlie"}).json()] == [
        "charlie"
    ]
    desc = me.get(
        "/workspaces/{ws}/clients", params={"sort-column": "NAME", "sort-order": "DESCENDING"}
    ).json()
    assert [c["name"] for c in desc] == ["delta", "charlie", "bravo", "Alpha"]

    p1 = me.get("/workspaces/{ws}/clients", params={"page": 1, "page-size": 3})
    p2 = me.get("/workspaces/{ws}/clients", params={"page": 2, "page-size": 3})
    p3 = me.get("/workspaces/{ws}/clients", params={"page": 3, "page-size": 3})
    assert [len(p.json()) for p in (p1, p2, p3)] == [3, 1, 0]
    assert [p.headers["Last-Page"] for p in (p1, p2, p3)] == ["false", "true", "true"]


def test_bad_query_params_are_400_code_3000(me: Account) -> None:
    assert_error(me.get("/workspaces/{ws}/clients", params={"archived": "maybe"}), 400, 3000, "archived")
    assert_error(me.get("/workspaces/{ws}/clients", params={"page": "x"}), 400, 3000, "page")
    assert_error(me.get("/workspaces/{ws}/clients", params={"sort-column": "COLOR"}), 400, 3002)


def test_other_workspaces_clients_are_invisible(me: Account, other: Account) -> None:
    mine = me.post("/workspaces/{ws}/clients", {"name": "Mine"}).json()
    assert_error(
        other.get(f"/workspaces/{{ws}}/clients/{mine['id']}"), 400, 501, "Client doesn't belong to Workspace"
    )
    assert_error(other.put(f"/workspaces/{{ws}}/clients/{mine['id']}", {"name": "x"}), 400, 501)
    assert_error(other.delete(f"/workspaces/{{ws}}/clients/{mine['id']}"), 400, 501)
    # Using my workspace id with their key is refused outright.
    assert_error(other.get(f"/workspaces/{me.workspace_id}/clients"), 403)
    assert me.get(f"/workspaces/{{ws}}/clients/{mine['id']}").json()["name"] == "Mine"


def test_every_prefix_and_trailing_slash_reaches_the_same_route(me: Account) -> None:
    me.post("/workspaces/{ws}/clients", {"name": "Prefixed"})
    for prefix in ("/api/v1", "/v1", "/api", "/clockify/api/v1"):
        for slash in ("", "/"):
            r = me.get(f"{prefix}/workspaces/{{ws}}/clients{slash}")
            assert r.status_code == 200, (prefix, slash, r.text)
            assert [c["name"] for c in r.json()] == ["Prefixed"]
