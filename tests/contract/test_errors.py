"""Routing errors in Clockify's shape on every route, under every URL prefix, with and without a trailing
slash: an unrouted path is 404 code 3000 `No static resource <path>.`, a wrong verb is 405 code 3000 with
`Allow` (FACTS "Error bodies and status codes")."""

from __future__ import annotations

import pytest

from tests.conftest import Account
from tests.contract.conftest import Tenants, assert_clockify_error, placeholder_values, route_case
from tests.contract.routes import VERBS, Route, all_ops, all_routes, routed

ROUTES = list(all_routes())


def shown(url: str) -> str:
    """How Spring quotes a path: after the servlet prefix (`/api/`, the gateway's `/clockify/api/`)."""
    path = url.lstrip("/")
    path = path.removeprefix("clockify/")
    return path.removeprefix("api/")


def _unrouted_below(route: Route, path: str) -> str:
    """A path below this route that no route answers (a deeper parameterised route may take one segment)."""
    candidate = path
    while True:
        candidate += "/no-such-resource"
        if not routed(candidate):
            return candidate


@pytest.mark.parametrize("route", [route_case("unknown-path", r) for r in ROUTES])
def test_unknown_paths_are_404_no_static_resource(tenants: Tenants, route: Route) -> None:
    path = _unrouted_below(route, route.fill(placeholder_values(route, tenants.alice.account.workspace_id)))
    for prefix in route.prefixes:
        for slash in ("", "/"):
            url = route.under(prefix, path) + slash
            for method in ("GET", "POST"):
                response = tenants.alice.account.http.request(method, url, json={})
                body = assert_clockify_error(response, 404, 3000)
                assert body["message"] == f"No static resource {shown(url)}.", (method, url, body)


@pytest.mark.parametrize("route", [route_case("wrong-verb", r) for r in ROUTES if set(VERBS) - r.methods])
def test_wrong_verbs_are_405_with_allow(tenants: Tenants, route: Route) -> None:
    path = route.fill(placeholder_values(route, tenants.alice.account.workspace_id))
    for method in sorted(set(VERBS) - route.methods):
        for prefix in route.prefixes:
            for slash in ("", "/"):
                url = route.under(prefix, path) + slash
                response = tenants.alice.account.http.request(method, url, json={})
                body = assert_clockify_error(response, 405, 3000)
                assert body["message"] == f"Request method '{method}' is not supported", (url, body)
                allowed = {m.strip() for m in response.headers.get("allow", "").split(",")}
                assert route.methods <= allowed, (url, response.headers.get("allow"))


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-thing",
        "/api/v1/no-such-thing",
        "/v1/no-such-thing/",
        "/api/no-such-thing",
        "/clockify/api/v1/x/y",
    ],
)
def test_unknown_top_level_paths_are_404(tenants: Tenants, url: str) -> None:
    response = tenants.anonymous.get(url)
    body = assert_clockify_error(response, 404, 3000)
    assert body["message"] == f"No static resource {shown(url)}.", body


def test_the_walk_found_the_routes_it_must_cover() -> None:
    """Guards the walker itself: if discovery breaks, every parametrized check would silently vanish."""
    found = {op.id for op in all_ops()}
    for expected in (
        "GET /health",
        "GET /api/v1/user",
        "GET /api/v1/workspaces/{workspace_id}/clients",
        "PUT /api/v1/workspaces/{workspace_id}/tags/{tag_id}",
    ):
        assert expected in found, sorted(found)
    by_id = {op.id: op for op in all_ops()}
    assert by_id["GET /health"].public and not by_id["GET /api/v1/user"].public
    clients = by_id["GET /api/v1/workspaces/{workspace_id}/clients"]
    assert clients.tenant_params == ("workspace_id",) and clients.paged
    assert by_id["PUT /api/v1/workspaces/{workspace_id}/tags/{tag_id}"].entity_params == ("tag_id",)


def test_an_oversized_body_is_refused_in_clockify_shape(me: Account) -> None:
    response = me.post(
        "/workspaces/{ws}/tags",
        content=b'{"name": "' + b"x" * (11 * 1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code in (400, 413), response.status_code
    assert_clockify_error(response, response.status_code)
    assert me.get("/workspaces/{ws}/tags").json() == []
