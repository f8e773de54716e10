"""Clockify Tag operations over HTTP."""

from __future__ import annotations

from tests.conftest import Account, assert_error


def test_tag_lifecycle(me: Account) -> None:
    r = me.post("/workspaces/{ws}/tags", {"name": "urgent"})
    assert r.status_code == 201
    tag = r.json()
    assert tag == {"id": tag["id"], "name": "urgent", "workspaceId": me.workspace_id, "archived": False}
    assert me.get(f"/workspaces/{{ws}}/tags/{tag['id']}").json() == tag
    archived = me.put(f"/workspaces/{{ws}}/tags/{tag['id']}", {"name": "urgent", "archived": True}).json()
    assert archived["archived"] is True
    # PUT replaces: an omitted `archived` resets it to false.
    renamed = me.put(f"/workspaces/{{ws}}/tags/{tag['id']}", {"name": "later"}).json()
    assert renamed == {**tag, "name": "later", "archived": False}
    deleted = me.delete(f"/workspaces/{{ws}}/tags/{tag['id']}")
    assert deleted.status_code == 200 and deleted.json()["name"] == "later"
    assert_error(me.get(f"/workspaces/{{ws}}/tags/{tag['id']}"), 400, 501, "Tag doesn't belong to Workspace")


def test_duplicate_and_bad_names(me: Account) -> None:
    me.post("/workspaces/{ws}/tags", {"name": "x1"})
    assert_error(me.post("/workspaces/{ws}/tags", {"name": "X1"}), 400, 501, "already exists")
    assert_error(me.post("/workspaces/{ws}/tags", {"name": ""}), 400, 501)
    assert_error(me.post("/workspaces/{ws}/tags", {"name": ["x"]}), 400, 501)


def test_list_filters(me: Account) -> None:
    ids = {n: me.post("/workspaces/{ws}/tags", {"name": n}).json()["id"] for n in ["b-tag", "a-tag", "ab"]}
    me.put(f"/workspaces/{{ws}}/tags/{ids['ab']}", {"name": "ab", "archived": True})
    names = lambda **p: [t["name"] for t in me.get("/workspaces/{ws}/tags", params=p).json()]  # noqa: E731
    assert names() == ["a-tag", "ab", "b-tag"]
    assert names(archived="false") == ["a-tag", "b-tag"]
    assert names(name="a") == ["a-tag", "ab", "b-tag"]
    assert names(name="ab", **{"strict-name-search": "true"}) == ["ab"]
    assert names(**{"excluded-ids": f"{ids['a-tag']},{ids['ab']}"}) == ["b-tag"]
    assert names(**{"sort-order": "DESCENDING"}) == ["b-tag", "ab", "a-tag"]
    r = me.get("/workspaces/{ws}/tags", params={"page-size": 2})
    assert len(r.json()) == 2 and r.headers["last-page"] == "false"


def test_tags_are_per_workspace(me: Account, other: Account) -> None:
    tag = me.post("/workspaces/{ws}/tags", {"name": "shared-name"}).json()
    assert other.post("/workspaces/{ws}/tags", {"name": "shared-name"}).status_code == 201
    assert_error(other.get(f"/workspaces/{{ws}}/tags/{tag['id']}"), 400, 501)
    assert_error(other.delete(f"/workspaces/{{ws}}/tags/{tag['id']}"), 400, 501)
