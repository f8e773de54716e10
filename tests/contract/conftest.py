"""Fixtures of the contract walk: two long-lived tenants per server for the checks that only read or are
refused, fresh accounts (`me`, from tests/conftest.py) for those that write."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from punchclock.kit import ids
from tests.conftest import Server, assert_error
from tests.contract.registry import Pool, marks
from tests.contract.routes import Op, Route


@dataclass
class Tenants:
    alice: Pool
    bob: Pool
    anonymous: httpx.Client


@pytest.fixture(scope="session")
def tenants(server: Server) -> Iterator[Tenants]:
    """Two owners of two workspaces, whose entities are made once and shared by read-only checks."""
    anonymous = httpx.Client(base_url=server.base_url, timeout=30)
    yield Tenants(Pool(server.account("Alice's")), Pool(server.account("Bob's")), anonymous)
    anonymous.close()


def unknown_values(op: Op, workspace_id: str) -> dict[str, str]:
    """Path values for checks that must be refused before any lookup: well-formed ids that exist nowhere."""
    values = dict.fromkeys(op.tenant_params, workspace_id)
    values.update({p: ids.new_id() for p in op.entity_params})
    return values


def placeholder_values(route: Route, workspace_id: str) -> dict[str, str]:
    return {p: workspace_id if p == "workspace_id" else ids.new_id() for p in route.params}


def case(check: str, op: Op, kind: str | None = None) -> Any:
    """One parametrized case, id'd by route and method, carrying a strict xfail if it is a known bug."""
    key = f"{check}:{op.id}" + (f":{kind}" if kind else "")
    values = (op,) if kind is None else (op, kind)
    return pytest.param(*values, id=op.id + (f" {kind}" if kind else ""), marks=marks(key))


def route_case(check: str, route: Route) -> Any:
    return pytest.param(route, id=route.template, marks=marks(f"{check}:{route.template}"))


def assert_clockify_error(
    response: httpx.Response, status: int, code: int | None = None, message: str | None = None
) -> dict[str, Any]:
    """Exactly `{"message": str, "code": int}` as JSON, with the given status (and code, message part)."""
    assert_error(response, status, code, message)
    assert response.headers.get("content-type", "").startswith("application/json"), response.headers
    body: dict[str, Any] = response.json()
    return body


def send(client: httpx.Client, op: Op, url: str, body: Any = None, **kwargs: Any) -> httpx.Response:
    """`op`'s request to `url`, with `body` (or `{}`) when the route reads a JSON body."""
    if op.body is not None and "content" not in kwargs:
        kwargs["json"] = {} if body is None else body
    return client.request(op.method, url, **kwargs)
