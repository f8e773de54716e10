"""Tenant isolation on every workspace route: a workspace that is not yours is refused outright (403), and an
entity id that is not one of this workspace's — foreign, unknown or not id-shaped — is refused as Clockify
refuses it: 400 `{"message": "<Entity> doesn't belong to Workspace", "code": 501}` (FACTS "IDs")."""

from __future__ import annotations

import re

import pytest

from punchclock.kit import ids
from tests.contract.conftest import Tenants, assert_clockify_error, case, send
from tests.contract.registry import FACTORIES, body_for
from tests.contract.routes import Op, ops

TENANT_OPS = list(ops(public=False, tenant=True))
WORKSPACE_REFUSALS = ("member of another workspace", "malformed workspace id", "unknown workspace id")
ID_REFUSALS = ("foreign", "unknown", "malformed")
NOT_IN_WORKSPACE = re.compile(r"^[A-Z][A-Za-z -]* doesn't belong to Workspace$")


def _id_params(op: Op) -> list[str]:
    # Parameters without a factory are kept: their cases fail loudly, asking for one.
    return [p for p in op.entity_params if p not in FACTORIES or FACTORIES[p].is_id]


@pytest.mark.parametrize(
    ("op", "kind"), [case("tenant", op, kind) for op in TENANT_OPS for kind in WORKSPACE_REFUSALS]
)
def test_other_workspaces_are_refused_with_403(tenants: Tenants, op: Op, kind: str) -> None:
    alice, bob = tenants.alice, tenants.bob
    values = alice.values(op)  # real entities of alice's, so a leak would really leak
    caller = bob if kind == "member of another workspace" else alice
    if kind != "member of another workspace":
        wrong = "NOT-AN-ID" if kind == "malformed workspace id" else ids.new_id()
        values.update(dict.fromkeys(op.tenant_params, wrong))
    response = send(caller.account.http, op, op.route.fill(values), body_for(op, caller))
    body = assert_clockify_error(response, 403)
    assert body["message"] == "Access Denied", body


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        case("entity-id", op, f"{param}={kind}")
        for op in TENANT_OPS
        for param in _id_params(op)
        for kind in ID_REFUSALS
    ],
)
def test_ids_outside_the_workspace_are_refused_with_400_501(tenants: Tenants, op: Op, kind: str) -> None:
    param, refusal = kind.split("=")
    alice = tenants.alice
    values = alice.values(op)
    values[param] = {
        "foreign": lambda: tenants.bob.get(param),
        "unknown": ids.new_id,
        "malformed": lambda: "NOT-AN-ID",
    }[refusal]()
    response = send(alice.account.http, op, op.route.fill(values), body_for(op, alice))
    body = assert_clockify_error(response, 400, 501)
    assert NOT_IN_WORKSPACE.match(body["message"]), body


def test_every_workspace_path_is_tenant_scoped() -> None:
    """A route under `/workspaces/{id}/…` that checks membership by itself (not through `ws`) would escape
    every check above; all of them must depend on `provide_workspace`."""
    unscoped = [op.id for op in ops(public=False, tenant=False) if "/workspaces/{" in op.route.template]
    assert unscoped == [], unscoped


def test_every_path_parameter_has_a_factory() -> None:
    """One clear failure naming every new kind of path id (the checks needing one fail too, one by one)."""
    missing = sorted(
        {f"{p} (in {op.id})" for op in ops(public=False) for p in op.entity_params if p not in FACTORIES}
    )
    assert missing == [], "register factories in tests/contract/registry.py FACTORIES for: " + ", ".join(
        missing
    )
