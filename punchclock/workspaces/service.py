"""Workspace rules: creation with an owner, settings, rates, and the membership of users in a workspace
(status, rates, roles, profile columns) — the membership logic the users feature builds on."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec

from punchclock.kit import ids
from punchclock.kit.auth import ADMIN_ROLES, Caller, WorkspaceContext
from punchclock.kit.db import Row, Unit
from punchclock.kit.errors import access_denied, bad_request, not_in_workspace
from punchclock.kit.time import now_ms, parse_instant
from punchclock.rates import service as rates
from punchclock.workspaces import store
from punchclock.workspaces.schemas import (
    CostRateUpdate,
    Currency,
    HourlyRateUpdate,
    Membership,
    MemberStatusUpdate,
    Rate,
    RoleAssignment,
    RoleDetails,
    RoleEntity,
    Subdomain,
    WorkspaceCreate,
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
RateKind = Literal["hourly", "cost"]
_COLUMN: dict[RateKind, str] = {"hourly": "hourly_rate", "cost": "cost_rate"}
_CURRENCY = re.compile(r"^[A-Za-z]{3}$")
_ROLE_ORDER = ("OWNER", "WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER")
_settings_decoder = msgspec.json.Decoder(WorkspaceSettings)


@functools.lru_cache(maxsize=1024)
def _decoded_settings(raw: str) -> WorkspaceSettings:
    """Settings change rarely and most requests read them: decode each distinct JSON text once. The
    cached Struct is shared, so callers read it and never assign to it."""
    return _settings_decoder.decode(raw)


# A membership as read: a `memberships` row joined with the currency, or the same keys in a mapping.
MemberRow = Row | Mapping[str, Any]


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
    """The settings as they were when the request began (read with the caller's membership): no route
    changes them within a request."""
    return _decoded_settings(ctx.settings_json)


async def require_currency(ctx: WorkspaceContext, currency_id: str) -> str:
    """The workspace's currency id, or a refusal (a workspace has one currency for now)."""
    row = await store.get(ctx.unit, ctx.workspace_id)
    if row is None or row["currency_id"] != currency_id:
        raise bad_request("Currency doesn't belong to Workspace")
    return currency_id


# Rendering ----------------------------------------------------------------------------------------------


def _rate(amount: int | None, currency: str) -> Rate | None:
    return None if amount is None else Rate(amount=amount, currency=currency)


def membership_of(row: MemberRow, *, show_hourly: bool = True, show_cost: bool = True) -> Membership:
    return Membership(
        user_id=row["user_id"],
        hourly_rate=_rate(row["hourly_rate"], row["currency_code"]) if show_hourly else None,
        cost_rate=_rate(row["cost_rate"], row["currency_code"]) if show_cost else None,
        target_id=row["workspace_id"],
        membership_type="WORKSPACE",
        membership_status=row["status"],
    )


def _seen_by(row: MemberRow, viewer_id: str, viewer_admin: bool, settings: WorkspaceSettings) -> Membership:
    """A member as a given caller may see them: other members' pay is for admins (billable rates too,
    while the workspace's `onlyAdminsSeeBillableRates` is on)."""
    own = row["user_id"] == viewer_id
    return membership_of(
        row,
        show_hourly=viewer_admin or own or not settings.only_admins_see_billable_rates,
        show_cost=viewer_admin or own,
    )


async def memberships_of_user(unit: Unit, user_id: str) -> list[Membership]:
    """A user's own memberships, everywhere (for `GET /user`)."""
    return [membership_of(r) for r in await store.memberships_of_user(unit, user_id)]


async def members_as_seen(ctx: WorkspaceContext, members: list[MemberRow]) -> list[Membership]:
    """Memberships (rows with user_id, workspace_id, status, rates, currency_code) as the caller may see
    them."""
    if not members:
        return []
    settings = await settings_of(ctx)
    return [_seen_by(m, ctx.user_id, ctx.is_admin, settings) for m in members]


async def rows_for_user(unit: Unit, user_id: str) -> list[Row]:
    """The workspaces a user may use (rows of `workspaces`), for operator tooling."""
    return await store.list_for_user(unit, user_id)


def to_out(row: Row, members: list[Row], viewer_id: str, viewer_admin: bool) -> WorkspaceOut:
    currency = row["currency_code"]
    settings = _settings_decoder.decode(row["settings"] or "{}")
    return WorkspaceOut(
        id=row["id"],
        name=row["name"],
        hourly_rate=Rate(amount=row["hourly_rate"], currency=currency),
        cost_rate=Rate(amount=row["cost_rate"], currency=currency),
        memberships=[_seen_by(m, viewer_id, viewer_admin, settings) for m in members],
        workspace_settings=settings,
        image_url=row["image_url"],
        feature_subscription_type="SELF_HOSTED",
        features=FEATURES,
        currencies=[Currency(id=row["currency_id"], code=currency, is_default=True)],
        subdomain=Subdomain(),
        cake_organization_id=row["organization_id"],
    )


# Workspaces ---------------------------------------------------------------------------------------------


async def mine(caller: Caller, roles: list[str] | None = None) -> list[WorkspaceOut]:
    rows = await store.list_for_user(caller.unit, caller.user_id, roles)
    return [
        to_out(r, await store.memberships(caller.unit, r["id"]), caller.user_id, r["role"] in ADMIN_ROLES)
        for r in rows
    ]


async def get(ctx: WorkspaceContext) -> WorkspaceOut:
    row = await store.get(ctx.unit, ctx.workspace_id)
    if row is None:
        raise access_denied()
    return to_out(row, await store.memberships(ctx.unit, ctx.workspace_id), ctx.user_id, ctx.is_admin)


async def create(caller: Caller, body: WorkspaceCreate) -> WorkspaceOut:
    """`POST /workspaces`: any user may create one; they become its OWNER."""
    if body.name is None:
        raise bad_request("name: must not be null")
    organization_id = (body.organization_id or "").strip() or None
    # Clockify ties workspaces to a CAKE.com organization; we keep a well-formed id as given.
    if organization_id is not None and not ids.is_id(organization_id):
        raise bad_request("Organization doesn't exist")
    workspace_id = await create_owned(caller.unit, caller.user_id, body.name, organization_id)
    row = await store.get(caller.unit, workspace_id)
    assert row is not None
    return to_out(row, await store.memberships(caller.unit, workspace_id), caller.user_id, True)


def _valid_since(since: str | None) -> int | None:
    """`since` as epoch ms (a malformed one is refused), or None. A rate given `since` an instant also
    re-prices the entries from then on (punchclock/rates); without it, only entries written later get it."""
    if since is not None and since.strip():
        return parse_instant(since, "since")
    return None


def _valid_amount(amount: int | None) -> int:
    if amount is None:
        raise bad_request("amount: must not be null")
    return amount


async def set_rate(
    ctx: WorkspaceContext, kind: RateKind, body: HourlyRateUpdate | CostRateUpdate
) -> WorkspaceOut:
    """`PUT /workspaces/{ws}/hourly-rate|cost-rate`: the workspace default (admins only). A billable
    rate in another currency switches the workspace's currency."""
    ctx.require_admin()
    amount = _valid_amount(body.amount)
    since_ms = _valid_since(body.since)
    currency = None
    if isinstance(body, HourlyRateUpdate) and body.currency is not None and body.currency.strip():
        if not _CURRENCY.match(body.currency.strip()):
            raise bad_request("Currency must be a three-letter ISO 4217 code")
        currency = body.currency.strip().upper()
    await store.set_rate(ctx.unit, ctx.workspace_id, _COLUMN[kind], amount, currency)
    if since_ms is not None:
        await rates.reprice(ctx, since_ms=since_ms)
    return await get(ctx)


# Members ------------------------------------------------------------------------------------------------


async def find_member(ctx: WorkspaceContext, user_id: str) -> Row | None:
    """The membership row (any status) of `user_id` in the caller's workspace, or None."""
    if not ids.is_id(user_id):
        return None
    return await store.member(ctx.unit, ctx.workspace_id, user_id)


async def require_member(ctx: WorkspaceContext, user_id: str) -> Row:
    """The membership row (any status), or Clockify's refusal for unknown/foreign/malformed user ids."""
    row = await find_member(ctx, user_id)
    if row is None:
        raise not_in_workspace("User")
    return row


async def members_among(ctx: WorkspaceContext, user_ids: list[str]) -> set[str]:
    """Which of `user_ids` are members of the caller's workspace (any status)."""
    wanted = [u for u in dict.fromkeys(user_ids) if ids.is_id(u)]
    if not wanted:
        return set()
    return {r["user_id"] for r in await store.members_among(ctx.unit, ctx.workspace_id, wanted)}


async def set_member_rate(
    ctx: WorkspaceContext, user_id: str, kind: RateKind, body: CostRateUpdate
) -> WorkspaceOut:
    """`PUT /workspaces/{ws}/users/{id}/hourly-rate|cost-rate`: the member's own rate (admins only)."""
    ctx.require_admin()
    await require_member(ctx, user_id)
    amount = _valid_amount(body.amount)
    since_ms = _valid_since(body.since)
    await store.set_member_rate(ctx.unit, ctx.workspace_id, user_id, _COLUMN[kind], amount)
    if since_ms is not None:
        await rates.reprice(ctx, since_ms=since_ms, user_id=user_id)
    return await get(ctx)


async def set_member_status(ctx: WorkspaceContext, user_id: str, body: MemberStatusUpdate) -> WorkspaceOut:
    """`PUT /workspaces/{ws}/users/{id}`: activate or deactivate a member (admins only). An inactive
    member keeps their data but can no longer use the workspace."""
    ctx.require_admin()
    member = await require_member(ctx, user_id)
    if body.status is None:
        raise bad_request("status: must not be null")
    if member["role"] == "OWNER" and body.status != "ACTIVE":
        raise bad_request("Workspace owner can't be deactivated")
    await store.set_member_status(ctx.unit, ctx.workspace_id, user_id, body.status)
    return await get(ctx)


async def add_member(ctx: WorkspaceContext, user_id: str, status: str) -> None:
    """Make `user_id` a MEMBER with `status`; a user who once declined is invited again."""
    ctx.require_admin()
    existing = await store.member(ctx.unit, ctx.workspace_id, user_id)
    if existing is not None and existing["status"] == "DECLINED":
        await store.set_member_status(ctx.unit, ctx.workspace_id, user_id, status)
        return
    values = {
        "workspace_id": ctx.workspace_id,
        "user_id": user_id,
        "role": "MEMBER",
        "status": status,
        "created_at": now_ms(),
    }
    # Nothing inserted: a member already, perhaps added by a concurrent request a moment ago.
    if existing is not None or await store.add_member(ctx.unit, values) == 0:
        raise bad_request("User is already a member of this workspace")


async def remove_member(ctx: WorkspaceContext, user_id: str) -> None:
    """Drop the membership and every role held by or over the user here (admins only; never the owner)."""
    ctx.require_admin()
    member = await require_member(ctx, user_id)
    if member["role"] == "OWNER":
        raise bad_request("Workspace owner can't be removed from the workspace")
    await store.delete_member(ctx.unit, ctx.workspace_id, user_id)


async def set_member_profile(
    ctx: WorkspaceContext, user_id: str, week_start: str | None, work_capacity: int, working_days: list[str]
) -> None:
    """The per-workspace profile columns; the member themselves or an admin."""
    if user_id != ctx.user_id:
        ctx.require_admin()
    await require_member(ctx, user_id)
    await store.set_member_profile(
        ctx.unit, ctx.workspace_id, user_id, week_start, work_capacity, ",".join(working_days)
    )


async def usable_workspace_count(unit: Unit, user_id: str) -> int:
    return await store.count_usable_of_user(unit, user_id)


# Roles --------------------------------------------------------------------------------------------------


def _managed_entity(ctx: WorkspaceContext, role: str, entity_id: str, source_type: str | None) -> str:
    """Where a manager role points. Seam: projects/ and groups/ will check that the project or group is
    in this workspace here; until they exist a well-formed id is accepted and kept."""
    if not ids.is_id(entity_id):
        if role == "PROJECT_MANAGER":
            raise not_in_workspace("Project")
        raise not_in_workspace("User group" if source_type == "USER_GROUP" else "User")
    return entity_id


async def assignments_of(ctx: WorkspaceContext, user_id: str) -> list[RoleAssignment]:
    """The roles `user_id` holds here, one entry per role (Clockify `RoleAssignmentDtoV1`)."""
    details = await role_details(ctx, {user_id: (await require_member(ctx, user_id))["role"]})
    return [
        RoleAssignment(role=d.role, user_id=user_id, workspace_id=ctx.workspace_id) for d in details[user_id]
    ]


async def grant_role(
    ctx: WorkspaceContext, user_id: str, role: str, entity_id: str, source_type: str | None
) -> list[RoleAssignment]:
    """Admins make a member WORKSPACE_ADMIN, or TEAM_MANAGER of a user (or group), or PROJECT_MANAGER of
    a project. Granting a role already held changes nothing."""
    ctx.require_admin()
    member = await require_member(ctx, user_id)
    if role == "WORKSPACE_ADMIN":
        # The workspace is implied by the path; the body's entityId is not consulted.
        if member["role"] == "MEMBER":
            await store.set_member_role(ctx.unit, ctx.workspace_id, user_id, "WORKSPACE_ADMIN")
    else:
        if role == "TEAM_MANAGER" and source_type != "USER_GROUP":
            await require_member(ctx, entity_id)
        await store.add_role(
            ctx.unit,
            {
                "workspace_id": ctx.workspace_id,
                "user_id": user_id,
                "role": role,
                "entity_id": _managed_entity(ctx, role, entity_id, source_type),
                "source_type": source_type or ("PROJECT" if role == "PROJECT_MANAGER" else "USER"),
                "created_at": now_ms(),
            },
        )
    return await assignments_of(ctx, user_id)


async def revoke_role(
    ctx: WorkspaceContext, user_id: str, role: str, entity_id: str, source_type: str | None
) -> None:
    """Undo `grant_role`; removing a role the member does not hold changes nothing. The owner stays."""
    ctx.require_admin()
    member = await require_member(ctx, user_id)
    if role == "WORKSPACE_ADMIN":
        if member["role"] == "OWNER":
            raise bad_request("Workspace owner's role can't be changed")
        if member["role"] == "WORKSPACE_ADMIN":
            await store.set_member_role(ctx.unit, ctx.workspace_id, user_id, "MEMBER")
        return
    await store.delete_role(
        ctx.unit, ctx.workspace_id, user_id, role, _managed_entity(ctx, role, entity_id, source_type)
    )


async def role_details(ctx: WorkspaceContext, member_roles: dict[str, str]) -> dict[str, list[RoleDetails]]:
    """Every role of each user (`member_roles` maps user id → membership role), grouped per role."""
    grouped: dict[str, dict[str, list[RoleEntity]]] = {uid: {} for uid in member_roles}
    for uid, member_role in member_roles.items():
        if member_role in ADMIN_ROLES:
            grouped[uid][member_role] = [RoleEntity(id=ctx.workspace_id, source="WORKSPACE")]
    rows = await store.roles_of(ctx.unit, ctx.workspace_id, list(member_roles)) if member_roles else []
    for row in rows:
        entity = RoleEntity(id=row["entity_id"], source=row["source_type"] or "USER")
        grouped[row["user_id"]].setdefault(row["role"], []).append(entity)
    return {
        uid: [RoleDetails(role=r, entities=roles[r]) for r in _ROLE_ORDER if r in roles]
        for uid, roles in grouped.items()
    }
