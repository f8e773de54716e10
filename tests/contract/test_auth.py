"""Every authenticated route refuses missing, doubled, foreign-scheme and unknown credentials (FACTS "Hosts,
paths, auth headers"); public routes answer without any."""

from __future__ import annotations

import secrets

import pytest

from tests.contract.conftest import Tenants, assert_clockify_error, case, send, unknown_values
from tests.contract.registry import PUBLIC_BY_DESIGN
from tests.contract.routes import Op, ops

NONE_MESSAGE = "Multiple or none auth tokens present"

# kind -> (headers to send, given the caller's valid key; expected code; message)
REFUSALS: dict[str, tuple[dict[str, str] | None, int, str]] = {
    "no credential": (None, 1000, NONE_MESSAGE),
    "api key and addon token": ({"X-Api-Key": "{key}", "X-Addon-Token": "addon"}, 1000, NONE_MESSAGE),
    "bearer": ({"Authorization": "Bearer x"}, 1000, NONE_MESSAGE),
    "api key and bearer": ({"X-Api-Key": "{key}", "Authorization": "Bearer x"}, 1000, NONE_MESSAGE),
    "unknown api key": ({"X-Api-Key": "unknown-{random}"}, 4003, "Api key does not exist"),
    "bad addon token": ({"X-Addon-Token": "not-a-token"}, 4017, "Token is not valid"),
}

AUTHENTICATED = list(ops(public=False))


@pytest.mark.parametrize(
    ("op", "kind"), [case("auth", op, kind) for op in AUTHENTICATED for kind in REFUSALS]
)
def test_bad_credentials_are_refused_with_401(tenants: Tenants, op: Op, kind: str) -> None:
    headers, code, message = REFUSALS[kind]
    key = tenants.alice.account.api_key
    sent = {k: v.format(key=key, random=secrets.token_hex(8)) for k, v in (headers or {}).items()}
    path = op.route.fill(unknown_values(op, tenants.alice.account.workspace_id))
    # The credential check comes first, on every URL layout a client may use (walked for the commonest
    # refusal only: the prefix folding is the same for all of them, and the walk must stay fast).
    urls = [path]
    if kind == "no credential":
        urls = [op.route.under(prefix, path) + slash for prefix in op.route.prefixes for slash in ("", "/")]
    for url in urls:
        response = send(tenants.anonymous, op, url, headers=sent)
        body = assert_clockify_error(response, 401, code)
        assert body["message"] == message, (url, body)


@pytest.mark.parametrize("op", [case("auth-before-body", op) for op in AUTHENTICATED if op.body is not None])
def test_credentials_are_checked_before_the_body_is_read(tenants: Tenants, op: Op) -> None:
    path = op.route.fill(unknown_values(op, tenants.alice.account.workspace_id))
    response = tenants.anonymous.request(
        op.method, path, content=b"{not json", headers={"Content-Type": "application/json"}
    )
    body = assert_clockify_error(response, 401, 1000)
    assert body["message"] == NONE_MESSAGE
    response = tenants.anonymous.request(
        op.method,
        path,
        content=b"{not json",
        headers={"Content-Type": "application/json", "X-Api-Key": "no-such-key"},
    )
    assert assert_clockify_error(response, 401, 4003)["message"] == "Api key does not exist"


@pytest.mark.parametrize("op", [case("auth-header-case", op) for op in AUTHENTICATED])
def test_header_names_match_in_any_case(tenants: Tenants, op: Op) -> None:
    account = tenants.alice.account
    path = op.route.fill(unknown_values(op, account.workspace_id))
    for name in ("x-API-key", "x-api-key", "X-API-KEY"):
        response = send(tenants.anonymous, op, path, headers={name: account.api_key})
        assert response.status_code not in (401, 403), (name, response.status_code, response.text)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            assert_clockify_error(response, response.status_code)


def test_every_public_route_is_public_by_design() -> None:
    assert {op.id for op in ops(public=True)} == set(PUBLIC_BY_DESIGN)


@pytest.mark.parametrize("op", [case("public", op) for op in ops(public=True)])
def test_public_routes_need_no_credential(tenants: Tenants, op: Op) -> None:
    path = op.route.fill(unknown_values(op, tenants.alice.account.workspace_id))
    response = send(tenants.anonymous, op, path)
    assert response.status_code not in (401, 403), response.text
    assert response.status_code < 500, response.text
