"""User rules: the caller's own record, the members of a workspace (search, invitation, removal), their
profiles, custom-field values, managers and manager roles. Membership itself (status, rates, roles) is
kept by the workspaces feature; this one calls its service."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import msgspec

from punchclock.kit import ids
from punchclock.kit.auth import Caller, WorkspaceContext
from punchclock.kit.db import Row
from punchclock.kit.errors import ApiError, access_denied, bad_request, not_in_workspace
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import format_duration, now_ms, parse_duration
from punchclock.kit.wire import is_email
from punchclock.users import accounts, store
from punchclock.users.schemas import (
    AddUser,
    CustomFieldValue,
    CustomFieldValueFull,
    CustomFieldValueUpdate,
    ManagerRoleRequest,
    MemberProfileOut,
    MemberProfilePatch,
    UserFilter,
    UserOut,
    UserSettings,
)
from punchclock.workspaces import service as workspaces
from punchclock.workspaces.schemas import WEEKDAYS, Membership, RoleAssignment, RoleDetails, WorkspaceOut

MAX_NAME = 100
MAX_CUSTOM_VALUE = 5000  # characters of JSON
MAX_WORK_CAPACITY = 24 * 3600
# Accounts without a login of their own, whose name and picture a workspace admin may set.
_MANAGED_ACCOUNTS = ("NOT_REGISTERED", "LIMITED")


# Rendering ----------------------------------------------------------------------------------------------


def _settings(row: Row) -> UserSettings:
    return UserSettings(
        week_start=row["week_start"],
        time_zone=row["time_zone"],
        time_format=row["time_format"],
        date_format=row["date_format"],
    )


def to_out(
    row: Row,
    memberships: list[Membership],
    custom_fields: list[CustomFieldValue],
    roles: list[RoleDetails] | msgspec.UnsetType = msgspec.UNSET,
) -> UserOut:
    return UserOut(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        memberships=memberships,
        profile_picture=row["profile_picture"],
        active_workspace=row["active_workspace_id"],
        default_workspace=row["default_workspace_id"],
        settings=_settings(row),
        status=row["status"],
        custom_fields=custom_fields,
        roles=roles,
    )


def _value(raw: str | None) -> Any:
    return None if raw is None else json.loads(raw)


async def _custom_values(ctx: WorkspaceContext, user_ids: list[str]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = defaultdict(list)
    if user_ids:
        for row in await store.custom_values(ctx.unit, ctx.workspace_id, user_ids):
            grouped[row["user_id"]].append(row)
    return grouped


def _custom_field_values(rows: list[Row]) -> list[CustomFieldValue]:
    # Names and types come with the custom-fields feature; until then only the values are known.
    return [
        CustomFieldValue(custom_field_id=r["custom_field_id"], value=_value(r["value"]), user_id=r["user_id"])
        for r in rows
    ]


def _membership_row(row: Row) -> dict[str, Any]:
    """The membership columns of a member-search row, named as `workspaces.membership_of` reads them."""
    return {
        "user_id": row["user_id"],
        "workspace_id": row["workspace_id"],
        "status": row["member_status"],
        "hourly_rate": row["hourly_rate"],
        "cost_rate": row["cost_rate"],
        "currency_code": row["currency_code"],
    }


# The caller ---------------------------------------------------------------------------------------------


async def current(caller: Caller, include_memberships: bool) -> UserOut:
    row = await store.get(caller.unit, caller.user_id)
    if row is None:  # the key's user vanished between two statements of one transaction: cannot happen
        raise ApiError(401, "Api key does not exist", 4003)
    memberships = (
        await workspaces.memberships_of_user(caller.unit, caller.user_id) if include_memberships else []
    )
    # Custom-field values are per workspace: the ones of the user's active workspace are shown.
    values: list[Row] = []
    if row["active_workspace_id"] is not None:
        values = await store.custom_values(caller.unit, row["active_workspace_id"], [caller.user_id])
    return to_out(row, memberships, _custom_field_values(values))


# Members ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberQuery:
    """The filters of `GET /workspaces/{ws}/users` and `POST …/users/info`."""

    email: str | None = None
    name: str | None = None
    status: str | None = None
    account_statuses: list[str] | None = None
    project_id: str | None = None
    roles: list[str] | None = None
    user_groups: list[str] | None = None
    sort_column: str | None = None
    sort_order: SortOrder | None = None
    memberships: str | None = None
    include_roles: bool = False


def query_of(body: UserFilter) -> tuple[MemberQuery, Page]:
    query = MemberQuery(
        email=body.email,
        name=body.name,
        status=body.status,
        account_statuses=list(dict.fromkeys(body.account_statuses)) if body.account_statuses else None,
        project_id=body.project_id,
        roles=list(dict.fromkeys(body.roles)) if body.roles else None,
        user_groups=body.user_groups or None,
        sort_column=body.sort_column,
        sort_order=body.sort_order,
        memberships=body.memberships,
        include_roles=bool(body.include_roles),
    )
    return query, Page(body.page or 1, body.page_size or 50)


async def _project_member_ids(ctx: WorkspaceContext, project_id: str) -> list[str]:
    """The users with access to `project_id`: its members, or everyone for a public project."""
    from punchclock.projects import service as projects

    return await projects.member_ids(ctx, project_id)


async def _group_member_ids(ctx: WorkspaceContext, group_ids: list[str]) -> list[str]:
    """Seam for the user-groups feature: the members of any of `group_ids`. No group exists yet."""
    if not all(ids.is_id(g) for g in group_ids):
        raise not_in_workspace("User group")
    return []


async def _render(
    ctx: WorkspaceContext, rows: list[Row], memberships: str | None, roles: bool
) -> list[UserOut]:
    user_ids = [r["id"] for r in rows]
    values = await _custom_values(ctx, user_ids)
    # WORKSPACE (or ALL) shows the membership in this workspace; project and group memberships join
    # ALL/PROJECT/USERGROUP when those features exist.
    shown: list[Membership] = []
    if memberships in ("WORKSPACE", "ALL"):
        shown = await workspaces.members_as_seen(ctx, [_membership_row(r) for r in rows])
    details = await workspaces.role_details(ctx, {r["id"]: r["member_role"] for r in rows}) if roles else None
    return [
        to_out(
            row,
            [shown[i]] if shown else [],
            _custom_field_values(values.get(row["id"], [])),
            details[row["id"]] if details is not None else msgspec.UNSET,
        )
        for i, row in enumerate(rows)
    ]


async def search(ctx: WorkspaceContext, query: MemberQuery, page: Page) -> tuple[list[UserOut], bool]:
    """Members of the caller's workspace (every member may list them; pay is shown as they may see it)."""
    only_ids: list[str] | None = None
    if query.project_id is not None and query.project_id.strip():
        only_ids = await _project_member_ids(ctx, query.project_id.strip())
    if query.user_groups:
        in_groups = await _group_member_ids(ctx, query.user_groups)
        only_ids = in_groups if only_ids is None else [u for u in only_ids if u in set(in_groups)]
    rows = await store.search_members(
        ctx.unit,
        ctx.workspace_id,
        email=query.email,
        name=query.name,
        status=None if query.status in (None, "ALL") else query.status,
        account_statuses=query.account_statuses,
        roles=query.roles,
        only_ids=only_ids,
        sort_column=query.sort_column,
        sort_order=query.sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    return await _render(ctx, page_rows, query.memberships, query.include_roles), last


async def managers(
    ctx: WorkspaceContext, user_id: str, page: Page, sort_column: str | None, sort_order: SortOrder | None
) -> tuple[list[UserOut], bool]:
    """The team managers of `user_id`: members holding TEAM_MANAGER over them (over a group of theirs
    too, once groups exist)."""
    await workspaces.require_member(ctx, user_id)
    rows = await store.search_members(
        ctx.unit,
        ctx.workspace_id,
        managers_of=user_id,
        sort_column=sort_column,
        sort_order=sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    return await _render(ctx, page_rows, None, False), last


async def add_by_email(ctx: WorkspaceContext, body: AddUser, send_email: bool) -> WorkspaceOut:
    """`POST /workspaces/{ws}/users`: admins add someone by email. An email nobody has yet becomes an
    invited account (NOT_REGISTERED) with a PENDING membership; an existing account joins as ACTIVE.

    `send-email` is accepted for compatibility: this server sends no mail, so no invitation goes out."""
    ctx.require_admin()
    email = (body.email or "").strip()
    if not email:
        raise bad_request("email: must not be null")
    if not is_email(email):
        raise bad_request("Email is not valid")
    key = accounts.email_key(email)
    existing = await store.get_by_email(ctx.unit, key)
    if existing is None:
        await store.insert_unless_email_taken(
            ctx.unit,
            {
                "id": ids.new_id(),
                "email": email,
                "email_key": key,
                "name": email,
                "status": "NOT_REGISTERED",
                "workspace_id": ctx.workspace_id,
                "created_at": now_ms(),
            },
        )
        existing = await store.get_by_email(ctx.unit, key)
        assert existing is not None
    status = "PENDING" if existing["status"] in _MANAGED_ACCOUNTS else "ACTIVE"
    await workspaces.add_member(ctx, existing["id"], status)
    return await workspaces.get(ctx)


async def remove(ctx: WorkspaceContext, user_id: str) -> WorkspaceOut:
    """`DELETE /workspaces/{ws}/users/{id}` (deprecated in Clockify, documented as non-functional): here it
    really removes the member — membership, roles held by or over them, their custom-field values — and
    answers 200 with the workspace, as the other Workspace-section member operations do. The owner cannot
    be removed. The account itself stays: it may belong to other workspaces."""
    await workspaces.remove_member(ctx, user_id)
    await store.delete_custom_values_of(ctx.unit, ctx.workspace_id, user_id)
    return await workspaces.get(ctx)


# Profiles -----------------------------------------------------------------------------------------------


async def _require_member_row(ctx: WorkspaceContext, user_id: str) -> Row:
    row = await store.member(ctx.unit, ctx.workspace_id, user_id) if ids.is_id(user_id) else None
    if row is None:
        raise not_in_workspace("User")
    return row


def _may_see_profile(ctx: WorkspaceContext, user_id: str) -> None:
    """A member reads and edits their own profile; admins everybody's."""
    if user_id != ctx.user_id:
        ctx.require_admin()


async def _profile_of(ctx: WorkspaceContext, row: Row) -> MemberProfileOut:
    values = await store.custom_values(ctx.unit, ctx.workspace_id, [row["id"]])
    return MemberProfileOut(
        email=row["email"],
        has_password=bool(row["has_password"]),
        # Seam for approvals: a pending timesheet approval request of this member.
        has_pending_approval_request=False,
        image_url=row["profile_picture"],
        name=row["name"],
        user_custom_field_values=[
            CustomFieldValueFull(
                custom_field_id=v["custom_field_id"], value=_value(v["value"]), user_id=v["user_id"]
            )
            for v in values
        ],
        week_start=row["member_week_start"] or row["week_start"],
        work_capacity=format_duration(row["work_capacity"]) or "PT0S",
        working_days=[d for d in (row["working_days"] or "").split(",") if d],
        workspace_number=await workspaces.usable_workspace_count(ctx.unit, row["id"]),
    )


async def profile(ctx: WorkspaceContext, user_id: str) -> MemberProfileOut:
    _may_see_profile(ctx, user_id)
    return await _profile_of(ctx, await _require_member_row(ctx, user_id))


def _valid_custom_field_id(custom_field_id: str | None) -> str:
    # Seam for custom fields: check the field exists here, applies to users and accepts the value.
    if custom_field_id is None or not ids.is_id(custom_field_id):
        raise not_in_workspace("Custom field")
    return custom_field_id


def _valid_custom_value(value: Any) -> str | None:
    """The value's JSON text, or None to clear it. Text, numbers, booleans and lists of those."""
    if value is None:
        return None
    scalars = (str, int, float, bool)
    if not isinstance(value, scalars) and not (
        isinstance(value, list) and all(isinstance(v, scalars) for v in value)
    ):
        raise bad_request("Custom field value is not valid")
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > MAX_CUSTOM_VALUE:
        raise bad_request(f"Custom field value can't be longer than {MAX_CUSTOM_VALUE} characters")
    return text


async def _store_custom_value(
    ctx: WorkspaceContext, user_id: str, custom_field_id: str, text: str | None
) -> None:
    if text is None:
        await store.delete_custom_value(ctx.unit, ctx.workspace_id, user_id, custom_field_id)
    else:
        await store.set_custom_value(ctx.unit, ctx.workspace_id, user_id, custom_field_id, text)


def _valid_image_url(url: str) -> str:
    cleaned = url.strip()
    if not cleaned:
        return ""
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise bad_request("Image URL is not valid")
    return cleaned


def _valid_working_days(days: Sequence[str] | str) -> list[str]:
    if isinstance(days, str):
        try:
            days = msgspec.json.decode(days, type=list[str])
        except (msgspec.ValidationError, msgspec.DecodeError):
            raise bad_request("workingDays: must be a list of days of the week") from None
    unknown = [d for d in days if d not in WEEKDAYS]
    if unknown:
        raise bad_request(f"workingDays: not a day of the week: {unknown[0][:20]}")
    return [d for d in WEEKDAYS if d in days]


async def update_profile(ctx: WorkspaceContext, user_id: str, body: MemberProfilePatch) -> MemberProfileOut:
    """`PATCH /workspaces/{ws}/member-profile/{id}`: only what is given changes. Week start, capacity,
    working days and custom-field values belong to the membership (the member or an admin); the name and
    picture belong to the account, so only its owner changes them — or an admin, for an invited account
    that has no login of its own."""
    _may_see_profile(ctx, user_id)
    row = await _require_member_row(ctx, user_id)

    touches_account = body.name is not None or body.image_url is not None or bool(body.remove_profile_image)
    if touches_account and user_id != ctx.user_id and row["status"] not in _MANAGED_ACCOUNTS:
        raise access_denied()
    name = None
    if body.name is not None:
        name = body.name.strip()
        if not 1 <= len(name) <= MAX_NAME:
            raise bad_request(f"name: length must be between 1 and {MAX_NAME}")
    picture = None
    if body.remove_profile_image:
        picture = ""
    elif body.image_url is not None:
        picture = _valid_image_url(body.image_url)

    week_start = body.week_start or row["member_week_start"]
    capacity = row["work_capacity"]
    if body.work_capacity is not None:
        capacity = parse_duration(body.work_capacity, "workCapacity")
        if capacity > MAX_WORK_CAPACITY:
            raise bad_request("workCapacity: can't be more than 24 hours")
    working_days = [d for d in (row["working_days"] or "").split(",") if d]
    if body.working_days is not None:
        working_days = _valid_working_days(body.working_days)
    custom: list[tuple[str, str | None]] = [
        (_valid_custom_field_id(v.custom_field_id), _valid_custom_value(v.value))
        for v in (body.user_custom_fields or [])
    ]

    if name is not None:
        await store.set_name(ctx.unit, user_id, name)
    if picture is not None:
        await store.set_profile_picture(ctx.unit, user_id, picture)
    if body.week_start is not None or body.work_capacity is not None or body.working_days is not None:
        await workspaces.set_member_profile(ctx, user_id, week_start, capacity, working_days)
    for custom_field_id, text in custom:
        await _store_custom_value(ctx, user_id, custom_field_id, text)
    return await _profile_of(ctx, await _require_member_row(ctx, user_id))


async def set_custom_value(
    ctx: WorkspaceContext, user_id: str, custom_field_id: str, body: CustomFieldValueUpdate
) -> CustomFieldValue:
    """`PUT …/users/{id}/custom-field/{cf}/value`: the member or an admin sets one value; null clears it."""
    _may_see_profile(ctx, user_id)
    await _require_member_row(ctx, user_id)
    field = _valid_custom_field_id(custom_field_id)
    text = _valid_custom_value(body.value)
    await _store_custom_value(ctx, user_id, field, text)
    return CustomFieldValue(custom_field_id=field, value=_value(text), user_id=user_id)


# Roles --------------------------------------------------------------------------------------------------


def _valid_role(body: ManagerRoleRequest) -> tuple[str, str]:
    if body.role is None:
        raise bad_request("role: must not be null")
    entity_id = (body.entity_id or "").strip()
    if not entity_id:
        raise bad_request("entityId: must not be blank")
    return body.role, entity_id


async def give_role(ctx: WorkspaceContext, user_id: str, body: ManagerRoleRequest) -> list[RoleAssignment]:
    ctx.require_admin()
    role, entity_id = _valid_role(body)
    return await workspaces.grant_role(ctx, user_id, role, entity_id, body.source_type)


async def remove_role(ctx: WorkspaceContext, user_id: str, body: ManagerRoleRequest) -> None:
    ctx.require_admin()
    role, entity_id = _valid_role(body)
    await workspaces.revoke_role(ctx, user_id, role, entity_id, body.source_type)
