"""Workspace rules: creation with an owner, settings, rates, the member list."""

from __future__ import annotations

import msgspec

from punchclock.kit import ids
from punchclock.kit.auth import Caller, WorkspaceContext
from punchclock.kit.db import Row, Unit
from punchclock.kit.errors import access_denied, bad_request
from punchclock.kit.time import now_ms
from punchclock.workspaces import store
from punchclock.workspaces.schemas import (
    Currency,
    Membership,
    Rate,
    Subdomain,
    WorkspaceOut,
    WorkspaceSettings,
)

MAX_NAME = 50
# What this server offers that Clockify gates behind plans: everything it implements is on.
FEATURES = [
    "ADD_TIME_FOR_OTHERS",
    "BULK_EDIT",
    "CUSTOM_FIELDS",
    "TIME_OFF",
    "EXPENSES",
    "INVOICING",
    "SCHEDULING",
]
_settings_decoder = msgspec.json.Decoder(WorkspaceSettings)


async def create_owned(unit: Unit, owner_id: str, name: str, organization_id: str | None = None) -> str:
    """Create a workspace with `owner_id` as its OWNER; return its id. Used by the API and the CLI."""
    cleaned = name.strip()
    if not cleaned:
        raise bad_request("Workspace name can't be empty")
    if len(cleaned) > MAX_NAME:
        raise bad_request(f"length must be between 1 and {MAX_NAME}")
    workspace_id = ids.new_id()
    created = now_ms()
    await store.insert(
        unit,
        {
            "id": workspace_id,
            "name": cleaned,
            "currency_id": ids.new_id(),
            "currency_code": "USD",
            "settings": msgspec.json.encode(WorkspaceSettings()).decode(),
            "organization_id": organization_id,
            "created_at": created,
        },
    )
    await store.add_member(
        unit,
        {
            "workspace_id": workspace_id,
            "user_id": owner_id,
            "role": "OWNER",
            "status": "ACTIVE",
            "created_at": created,
        },
    )
    return workspace_id


async def settings_of(ctx: WorkspaceContext) -> WorkspaceSettings:
    raw = await store.settings_json(ctx.unit, ctx.workspace_id)
    return _settings_decoder.decode(raw or "{}")


async def require_currency(ctx: WorkspaceContext, currency_id: str) -> str:
    """The workspace's currency id, or a refusal (a workspace has one currency for now)."""
    row = await store.get(ctx.unit, ctx.workspace_id)
    if row is None or row["currency_id"] != currency_id:
        raise bad_request("Currency doesn't belong to Workspace")
    return currency_id


def _rate(amount: int | None, currency: str) -> Rate | None:
    return None if amount is None else Rate(amount=amount, currency=currency)


def membership_of(row: Row) -> Membership:
    return Membership(
        user_id=row["user_id"],
        hourly_rate=_rate(row["hourly_rate"], row["currency_code"]),
        cost_rate=_rate(row["cost_rate"], row["currency_code"]),
        target_id=row["workspace_id"],
        membership_type="WORKSPACE",
        membership_status=row["status"],
    )


async def memberships_of_user(unit: Unit, user_id: str) -> list[Membership]:
    return [membership_of(r) for r in await store.memberships_of_user(unit, user_id)]


def to_out(row: Row, members: list[Row]) -> WorkspaceOut:
    currency = row["currency_code"]
    return WorkspaceOut(
        id=row["id"],
        name=row["name"],
        hourly_rate=Rate(amount=row["hourly_rate"], currency=currency),
        cost_rate=Rate(amount=row["cost_rate"], currency=currency),
        memberships=[membership_of(m) for m in members],
        workspace_settings=_settings_decoder.decode(row["settings"] or "{}"),
        image_url=row["image_url"],
        feature_subscription_type="SELF_HOSTED",
        features=FEATURES,
        currencies=[Currency(id=row["currency_id"], code=currency, is_default=True)],
        subdomain=Subdomain(),
    )


async def mine(caller: Caller) -> list[WorkspaceOut]:
    rows = await store.list_for_user(caller.unit, caller.user_id)
    return [to_out(r, await store.memberships(caller.unit, r["id"])) for r in rows]


async def get(ctx: WorkspaceContext) -> WorkspaceOut:
    row = await store.get(ctx.unit, ctx.workspace_id)
    if row is None:
        raise access_denied()
    return to_out(row, await store.memberships(ctx.unit, ctx.workspace_id))
