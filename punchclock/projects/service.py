"""Project rules: names unique per workspace and client, archive before delete, visibility (public, or
members only), memberships with per-user project rates, estimates, templates, and who may change what
(admins, and PROJECT_MANAGERs of the project)."""

from __future__ import annotations

from typing import Literal

import msgspec

from punchclock.clients import service as clients
from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Row, UniqueViolation, Unit
from punchclock.kit.errors import ApiError, access_denied, bad_request, not_in_workspace
from punchclock.kit.listing import SortOrder, name_key
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import format_duration, now_ms, parse_duration, parse_instant
from punchclock.kit.wire import is_color
from punchclock.projects import store
from punchclock.projects.schemas import (
    BudgetEstimateOut,
    EstimateOut,
    EstimateResetOut,
    MembershipRequest,
    MembershipsAssign,
    MembershipsUpdate,
    ProjectCreate,
    ProjectEstimatePatch,
    ProjectFromTemplate,
    ProjectHydratedOut,
    ProjectMembership,
    ProjectOut,
    ProjectTemplatePatch,
    ProjectUpdate,
    RateRequest,
    StoredEstimates,
    TimeEstimateOut,
    UserGroupIds,
)
from punchclock.workspaces import service as workspaces
from punchclock.workspaces.schemas import Rate, WorkspaceSettings

MIN_NAME = 2
MAX_NAME = 250
RateKind = Literal["hourly", "cost"]
_COLUMN: dict[RateKind, str] = {"hourly": "hourly_rate", "cost": "cost_rate"}
_time_decoder = msgspec.json.Decoder(TimeEstimateOut)
_stored_decoder = msgspec.json.Decoder(StoredEstimates)


# Validation ---------------------------------------------------------------------------------------------


def valid_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not (MIN_NAME <= len(cleaned) <= MAX_NAME):
        raise bad_request(f"Project name has to be between {MIN_NAME} and {MAX_NAME} characters long")
    return cleaned


def _valid_color(color: str) -> str:
    cleaned = color.strip()
    if not is_color(cleaned):
        raise bad_request("Color must be a hexadecimal colour like #03A9F4")
    return cleaned


async def _valid_client(ctx: WorkspaceContext, client_id: str) -> str | None:
    """`""` means "no client"; anything else must be a client of this workspace."""
    if client_id.strip() == "":
        return None
    return str((await clients.require(ctx, client_id.strip()))["id"])


def _duplicate() -> ApiError:
    return bad_request("Project with this name already exists")


def amount_of(rate: RateRequest) -> int:
    if rate.amount is None:
        raise bad_request("amount: must not be null")
    return rate.amount


def since_of(rate: RateRequest) -> int | None:
    """The instant a rate change re-prices stored entries from, or None (entries keep their rates)."""
    if rate.since is None or not rate.since.strip():
        return None
    return parse_instant(rate.since, "since")


def _no_user_groups(groups: UserGroupIds | None) -> None:
    # Seam for the user-groups feature: no group exists yet, so any group id names nothing.
    if groups is not None and groups.ids:
        raise not_in_workspace("User group")


async def _valid_members(ctx: WorkspaceContext, user_ids: list[str]) -> list[str]:
    wanted = list(dict.fromkeys(u.strip() for u in user_ids))
    found = await workspaces.members_among(ctx, wanted)
    if any(u not in found for u in wanted):
        raise not_in_workspace("User")
    return wanted


# Lookups used by other features -------------------------------------------------------------------------


async def pause_tracked_totals(unit: Unit, paused: bool) -> None:
    """Still (or restart) the triggers that keep projects' and tasks' tracked time, for a bulk load of
    entries; after one, call `recompute_tracked_totals`."""
    await store.pause_tracked_totals(unit, paused)


async def recompute_tracked_totals(unit: Unit, workspace_id: str) -> None:
    await store.recompute_tracked_totals(unit, workspace_id)


async def require(ctx: WorkspaceContext, project_id: str) -> Row:
    """The project row (with `client_name`, `currency_code`, `duration`), or Clockify's refusal for an
    unknown, foreign or malformed id."""
    row = await store.get(ctx.unit, ctx.workspace_id, project_id) if ids.is_id(project_id) else None
    if row is None:
        raise not_in_workspace("Project")
    return row


async def member_rates(ctx: WorkspaceContext, project_id: str, user_id: str) -> tuple[int | None, int | None]:
    """The (hourly, cost) project rates of one member; None where not set (or not a member)."""
    row = await store.membership(ctx.unit, ctx.workspace_id, project_id, user_id)
    if row is None:
        return None, None
    return row["hourly_rate"], row["cost_rate"]


async def is_member(ctx: WorkspaceContext, project_id: str, user_id: str) -> bool:
    return await store.membership(ctx.unit, ctx.workspace_id, project_id, user_id) is not None


async def can_track(ctx: WorkspaceContext, project: Row, user_id: str) -> bool:
    """Anyone may track on a public project; a private one admits only its members."""
    if project["is_public"]:
        return True
    return await is_member(ctx, project["id"], user_id)


async def manages(ctx: WorkspaceContext, project_id: str) -> bool:
    """Workspace admins manage every project; a PROJECT_MANAGER the projects they were given."""
    return ctx.is_admin or await store.is_manager(ctx.unit, ctx.workspace_id, ctx.user_id, project_id)


async def managed_among(ctx: WorkspaceContext, project_ids: list[str]) -> set[str]:
    """Which of these projects the caller manages (all of them for an admin)."""
    if ctx.is_admin:
        return set(project_ids)
    return await store.managed_among(
        ctx.unit, ctx.workspace_id, ctx.user_id, list(dict.fromkeys(project_ids))
    )


async def require_manager(ctx: WorkspaceContext, project_id: str) -> Row:
    row = await require(ctx, project_id)
    if not await manages(ctx, project_id):
        raise access_denied()
    return row


async def can_see(ctx: WorkspaceContext, project: Row) -> bool:
    if project["is_public"] or ctx.is_admin:
        return True
    return await is_member(ctx, project["id"], ctx.user_id) or await manages(ctx, project["id"])


async def require_visible(ctx: WorkspaceContext, project_id: str) -> Row:
    """The project, if the caller may see it (a private project is for its members and managers)."""
    row = await require(ctx, project_id)
    if not await can_see(ctx, row):
        raise access_denied()
    return row


async def member_ids(ctx: WorkspaceContext, project_id: str) -> list[str]:
    """Who has access to the project: its members, or every workspace member for a public one (the
    users list's `project-id` filter). A malformed id is refused; an unknown one has nobody."""
    if not ids.is_id(project_id.strip()):
        raise not_in_workspace("Project")
    row = await store.get(ctx.unit, ctx.workspace_id, project_id.strip())
    if row is None:
        return []
    if row["is_public"]:
        return await store.workspace_member_ids(ctx.unit, ctx.workspace_id)
    return await store.member_ids(ctx.unit, ctx.workspace_id, row["id"])


# Rendering ----------------------------------------------------------------------------------------------


def _rate(amount: int | None, currency: str) -> Rate | None:
    return None if amount is None else Rate(amount=amount, currency=currency)


def _estimates(
    row: Row, sums: tuple[int, int]
) -> tuple[TimeEstimateOut, BudgetEstimateOut | None, EstimateResetOut | None]:
    time = _time_decoder.decode(row["time_estimate"] or "{}")
    stored = _stored_decoder.decode(row["budget_estimate"] or "{}")
    budget = stored.budget
    if time.type == "AUTO":
        time = msgspec.structs.replace(time, estimate=format_duration(sums[0]) or "PT0S")
    if budget is not None and budget.type == "AUTO":
        budget = msgspec.structs.replace(budget, estimate=sums[1])
    return time, budget, stored.reset


def to_out(
    row: Row,
    members: list[Row],
    sums: tuple[int, int] = (0, 0),
    *,
    viewer_id: str | None = None,
    show_hourly: bool = True,
) -> ProjectOut:
    """`viewer_id` None: shown in full; else as that member sees it (billable rates per `show_hourly`,
    their own membership's rates, no cost rates)."""
    currency = row["currency_code"]
    show_cost = viewer_id is None
    show_hourly = show_hourly or viewer_id is None
    time, budget, reset = _estimates(row, sums)
    return ProjectOut(
        id=row["id"],
        name=row["name"],
        hourly_rate=Rate(amount=row["hourly_rate"] or 0, currency=currency) if show_hourly else None,
        client_id=row["client_id"] or "",
        workspace_id=row["workspace_id"],
        billable=bool(row["billable"]),
        memberships=[
            ProjectMembership(
                user_id=m["target_id"],
                hourly_rate=_rate(m["hourly_rate"], currency)
                if show_hourly or m["target_id"] == viewer_id
                else None,
                cost_rate=_rate(m["cost_rate"], currency)
                if show_cost or m["target_id"] == viewer_id
                else None,
                target_id=row["id"],
                membership_type="PROJECT",
                membership_status=m["status"],
            )
            for m in members
        ],
        color=row["color"],
        estimate=EstimateOut(estimate=time.estimate, type=time.type),
        archived=bool(row["archived"]),
        duration=format_duration(int(row["duration"] or 0)) or "PT0S",
        client_name=row["client_name"] or "",
        note=row["note"] or "",
        cost_rate=_rate(row["cost_rate"], currency) if show_cost else None,
        time_estimate=time,
        budget_estimate=budget,
        estimate_reset=reset,
        template=bool(row["template"]),
        public=bool(row["is_public"]),
    )


async def _render_all(ctx: WorkspaceContext, rows: list[Row]) -> list[ProjectOut]:
    from punchclock.tasks import service as tasks

    project_ids = [r["id"] for r in rows]
    members: dict[str, list[Row]] = {pid: [] for pid in project_ids}
    for m in await store.memberships_of(ctx.unit, ctx.workspace_id, project_ids):
        members[m["project_id"]].append(m)
    sums = await tasks.estimate_sums(ctx, project_ids)
    # Admins and the project's managers see every rate; others see billable rates unless the workspace
    # keeps them for admins, and cost rates only their own (as for workspace memberships).
    managed = await managed_among(ctx, project_ids)
    hourly_for_all = ctx.is_admin or not (await workspaces.settings_of(ctx)).only_admins_see_billable_rates
    return [
        to_out(
            row,
            members[row["id"]],
            sums.get(row["id"], (0, 0)),
            viewer_id=None if row["id"] in managed else ctx.user_id,
            show_hourly=hourly_for_all,
        )
        for row in rows
    ]


async def render(ctx: WorkspaceContext, project_id: str) -> ProjectOut:
    return (await _render_all(ctx, [await require(ctx, project_id)]))[0]


# Operations ---------------------------------------------------------------------------------------------


async def _hydrate(ctx: WorkspaceContext, items: list[ProjectOut]) -> list[ProjectOut]:
    from punchclock.tasks import service as tasks

    of_project = await tasks.of_projects(ctx, [p.id for p in items])
    return [
        ProjectHydratedOut(
            **{f: getattr(p, f) for f in p.__struct_fields__}, tasks=of_project[p.id], custom_fields=[]
        )
        for p in items
    ]


async def get(ctx: WorkspaceContext, project_id: str, *, hydrated: bool = False) -> ProjectOut:
    row = await require_visible(ctx, project_id)
    items = await _render_all(ctx, [row])
    return (await _hydrate(ctx, items))[0] if hydrated else items[0]


async def search(
    ctx: WorkspaceContext,
    page: Page,
    *,
    name: str | None = None,
    strict_name: bool = False,
    archived: bool | None = None,
    billable: bool | None = None,
    client_ids: list[str] | None = None,
    contains_client: bool = True,
    client_status: str | None = None,
    user_ids: list[str] | None = None,
    contains_user: bool = True,
    user_status: str | None = None,
    is_template: bool | None = None,
    access: str | None = None,
    group_ids: list[str] | None = None,
    contains_group: bool = True,
    sort_column: str | None = None,
    sort_order: SortOrder | None = None,
    hydrated: bool = False,
) -> tuple[list[ProjectOut], bool]:
    if group_ids and contains_group:
        # Seam for the user-groups feature: no group exists yet, so no project has one as a member.
        return [], True
    rows = await store.search(
        ctx.unit,
        ctx.workspace_id,
        viewer_id=None if ctx.is_admin else ctx.user_id,
        name=name,
        strict_name=strict_name,
        archived=archived,
        billable=billable,
        client_ids=client_ids,
        contains_client=contains_client,
        client_status=client_status,
        user_ids=user_ids,
        contains_user=contains_user,
        user_status=user_status,
        is_template=is_template,
        access=access,
        sort_column=sort_column,
        sort_order=sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    items = await _render_all(ctx, page_rows)
    return (await _hydrate(ctx, items) if hydrated else items), last


def _time_estimate_of(estimate: str | None, kind: str | None) -> TimeEstimateOut:
    """The legacy `estimate {estimate, type}` of a create body, as a time estimate."""
    seconds = parse_duration(estimate, "estimate") if estimate and estimate.strip() else 0
    return TimeEstimateOut(
        estimate=format_duration(seconds) or "PT0S",
        type=kind or "AUTO",
        active=seconds > 0 or kind == "MANUAL",
    )


async def _insert(
    ctx: WorkspaceContext,
    *,
    name: str,
    client_id: str | None,
    color: str | None,
    note: str,
    billable: bool,
    is_public: bool,
    hourly_rate: int | None,
    cost_rate: int | None,
    time_estimate: TimeEstimateOut,
    stored: StoredEstimates,
) -> str:
    project_id = ids.new_id()
    values = {
        "id": project_id,
        "workspace_id": ctx.workspace_id,
        "name": name,
        "name_key": name_key(name),
        "client_id": client_id,
        "client_key": client_id or "",
        "color": color or "#03A9F4",
        "note": note,
        "billable": billable,
        "is_public": is_public,
        "archived": False,
        "template": False,
        "hourly_rate": hourly_rate,
        "cost_rate": cost_rate,
        "time_estimate": msgspec.json.encode(time_estimate).decode(),
        "budget_estimate": msgspec.json.encode(stored).decode(),
        "estimate_seconds": _manual_seconds(time_estimate),
        "budget_amount": _manual_budget(stored.budget),
        "created_at": now_ms(),
    }
    try:
        await store.insert(ctx.unit, values)
    except UniqueViolation:
        raise _duplicate() from None
    return project_id


def _manual_seconds(time: TimeEstimateOut) -> int | None:
    return parse_duration(time.estimate) if time.type == "MANUAL" else None


def _manual_budget(budget: BudgetEstimateOut | None) -> int | None:
    return budget.estimate if budget is not None and budget.type == "MANUAL" else None


async def _may_create(ctx: WorkspaceContext) -> WorkspaceSettings:
    settings = await workspaces.settings_of(ctx)
    if settings.only_admins_create_project and not ctx.is_admin:
        raise access_denied()
    return settings


async def _membership_rows(
    ctx: WorkspaceContext, memberships: list[MembershipRequest]
) -> list[tuple[str, int | None, int | None]]:
    out: list[tuple[str, int | None, int | None]] = []
    for m in memberships:
        if m.membership_type == "USERGROUP":
            raise not_in_workspace("User group")
        if m.user_id is None:
            raise bad_request("userId: must not be null")
        hourly = amount_of(m.hourly_rate) if m.hourly_rate is not None else None
        cost = amount_of(m.cost_rate) if m.cost_rate is not None else None
        if m.hourly_rate is not None:
            since_of(m.hourly_rate)
        if m.cost_rate is not None:
            since_of(m.cost_rate)
        out.append((m.user_id.strip(), hourly, cost))
    await _valid_members(ctx, [u for u, _, _ in out])
    return out


async def create(ctx: WorkspaceContext, body: ProjectCreate) -> ProjectOut:
    from punchclock.tasks import service as tasks

    settings = await _may_create(ctx)
    name = valid_name(body.name)
    client_id = await _valid_client(ctx, body.client_id) if body.client_id is not None else None
    color = _valid_color(body.color) if body.color is not None else None
    hourly = cost = None
    if body.hourly_rate is not None:
        hourly = amount_of(body.hourly_rate)
        since_of(body.hourly_rate)  # validated; a new project has no entries to re-price
    if body.cost_rate is not None:
        cost = amount_of(body.cost_rate)
        since_of(body.cost_rate)
    time = (
        _time_estimate_of(body.estimate.estimate, body.estimate.type)
        if body.estimate is not None
        else TimeEstimateOut()
    )
    members = await _membership_rows(ctx, body.memberships or [])
    task_bodies = body.tasks or []
    for task in task_bodies:
        await tasks.check_request(ctx, task)
    project_id = await _insert(
        ctx,
        name=name,
        client_id=client_id,
        color=color,
        note=body.note or "",
        billable=settings.default_billable_projects if body.billable is None else body.billable,
        is_public=settings.is_project_public_by_default if body.is_public is None else body.is_public,
        hourly_rate=hourly,
        cost_rate=cost,
        time_estimate=time,
        stored=StoredEstimates(),
    )
    created = now_ms()
    # The creator is a member of the project they made (as in Clockify), then the members named.
    await store.add_member(ctx.unit, ctx.workspace_id, project_id, ctx.user_id, created)
    for user_id, member_hourly, member_cost in members:
        await store.add_member(ctx.unit, ctx.workspace_id, project_id, user_id, created)
        if member_hourly is not None:
            await store.set_member_rate(
                ctx.unit, ctx.workspace_id, project_id, user_id, "hourly_rate", member_hourly
            )
        if member_cost is not None:
            await store.set_member_rate(
                ctx.unit, ctx.workspace_id, project_id, user_id, "cost_rate", member_cost
            )
    for task in task_bodies:
        await tasks.create_from_request(ctx, project_id, task)
    return await render(ctx, project_id)


async def replace(ctx: WorkspaceContext, project_id: str, body: ProjectUpdate) -> ProjectOut:
    """PUT as Clockify does it: omitted name, client, colour, note, archived and rates are kept; omitted
    `billable` and `isPublic` become false (FACTS "Delete and update semantics")."""
    current = await require_manager(ctx, project_id)
    name = valid_name(body.name) if body.name is not None else current["name"]
    client_id = (
        await _valid_client(ctx, body.client_id) if body.client_id is not None else current["client_id"]
    )
    values: dict[str, object] = {
        "name": name,
        "name_key": name_key(name),
        "client_id": client_id,
        "client_key": client_id or "",
        "color": _valid_color(body.color) if body.color is not None else current["color"],
        "note": body.note if body.note is not None else current["note"],
        "archived": bool(current["archived"]) if body.archived is None else body.archived,
        "billable": bool(body.billable),
        "is_public": bool(body.is_public),
    }
    reprice: list[int] = []
    for column, rate in (("hourly_rate", body.hourly_rate), ("cost_rate", body.cost_rate)):
        if rate is not None:
            values[column] = amount_of(rate)
            since = since_of(rate)
            if since is not None:
                reprice.append(since)
    try:
        await store.update(ctx.unit, ctx.workspace_id, current["id"], values)
    except UniqueViolation:
        raise _duplicate() from None
    if reprice:
        await _reprice(ctx, since_ms=min(reprice), project_id=current["id"])
    return await render(ctx, current["id"])


async def _reprice(
    ctx: WorkspaceContext,
    *,
    since_ms: int,
    project_id: str | None = None,
    user_id: str | None = None,
    task_id: str | None = None,
) -> None:
    from punchclock.rates import service as rates

    await rates.reprice(ctx, since_ms=since_ms, project_id=project_id, user_id=user_id, task_id=task_id)


async def delete(ctx: WorkspaceContext, project_id: str) -> ProjectOut:
    """Only an archived project can be deleted; its tasks, memberships and time entries go with it."""
    from punchclock.tasks import service as tasks
    from punchclock.time_entries import service as time_entries

    row = await require_manager(ctx, project_id)
    if not row["archived"]:
        raise bad_request("Cannot delete an active project")
    out = (await _render_all(ctx, [row]))[0]
    await tasks.delete_of_project(ctx, row["id"])
    await time_entries.delete_of_project(ctx, row["id"])
    await store.delete(ctx.unit, ctx.workspace_id, row["id"])
    return out


async def set_template(ctx: WorkspaceContext, project_id: str, body: ProjectTemplatePatch) -> ProjectOut:
    row = await require_manager(ctx, project_id)
    if body.is_template is None:
        raise bad_request("isTemplate: must not be null")
    await store.update(ctx.unit, ctx.workspace_id, row["id"], {"template": body.is_template})
    return await render(ctx, row["id"])


async def set_estimate(ctx: WorkspaceContext, project_id: str, body: ProjectEstimatePatch) -> ProjectOut:
    """Each estimate given (time, budget, reset) replaces the stored one whole; omitted ones are kept."""
    row = await require_manager(ctx, project_id)
    time = _time_decoder.decode(row["time_estimate"] or "{}")
    stored = _stored_decoder.decode(row["budget_estimate"] or "{}")
    if body.time_estimate is not None:
        given = body.time_estimate
        seconds = (
            parse_duration(given.estimate, "timeEstimate.estimate")
            if given.estimate is not None and given.estimate.strip()
            else 0
        )
        time = TimeEstimateOut(
            estimate=format_duration(seconds) or "PT0S",
            type=given.type or "AUTO",
            reset_option=given.reset_option,
            active=bool(given.active),
            include_non_billable=True if given.include_non_billable is None else given.include_non_billable,
        )
    budget = stored.budget
    if body.budget_estimate is not None:
        b = body.budget_estimate
        budget = BudgetEstimateOut(
            estimate=b.estimate or 0,
            type=b.type or "AUTO",
            reset_option=b.reset_option,
            active=bool(b.active),
            include_expenses=bool(b.include_expenses),
        )
    reset = stored.reset
    if body.estimate_reset is not None:
        r = body.estimate_reset
        active = r.active if r.active is not None else r.is_active
        reset = (
            None
            if active is False
            else EstimateResetOut(
                day_of_month=r.day_of_month,
                day_of_week=r.day_of_week,
                hour=r.hour,
                interval=r.interval,
                month=r.month,
            )
        )
    new_stored = StoredEstimates(budget=budget, reset=reset)
    await store.update(
        ctx.unit,
        ctx.workspace_id,
        row["id"],
        {
            "time_estimate": msgspec.json.encode(time).decode(),
            "budget_estimate": msgspec.json.encode(new_stored).decode(),
            "estimate_seconds": _manual_seconds(time),
            "budget_amount": _manual_budget(budget),
        },
    )
    return await render(ctx, row["id"])


async def assign_members(ctx: WorkspaceContext, project_id: str, body: MembershipsAssign) -> ProjectOut:
    """`POST …/memberships`: add the users named (`remove: false`, the default) or take them off."""
    row = await require_manager(ctx, project_id)
    _no_user_groups(body.user_groups)
    user_ids = await _valid_members(ctx, body.user_ids or [])
    if body.remove:
        await store.remove_members(ctx.unit, ctx.workspace_id, row["id"], user_ids)
    else:
        created = now_ms()
        for user_id in user_ids:
            await store.add_member(ctx.unit, ctx.workspace_id, row["id"], user_id, created)
    return await render(ctx, row["id"])


async def replace_members(ctx: WorkspaceContext, project_id: str, body: MembershipsUpdate) -> ProjectOut:
    """`PATCH …/memberships`: exactly these users are members afterwards; a rate given is set (with
    `since`, entries from then on are re-priced), a rate omitted is kept for a member who stays."""
    row = await require_manager(ctx, project_id)
    _no_user_groups(body.user_groups)
    if body.memberships is None:
        raise bad_request("memberships: must not be null")
    wanted: list[tuple[str, RateRequest | None, RateRequest | None]] = []
    for m in body.memberships:
        if m.user_id is None:
            raise bad_request("userId: must not be null")
        for rate in (m.hourly_rate, m.cost_rate):
            if rate is not None:
                amount_of(rate)
                since_of(rate)
        wanted.append((m.user_id.strip(), m.hourly_rate, m.cost_rate))
    user_ids = await _valid_members(ctx, [u for u, _, _ in wanted])
    current = await store.member_ids(ctx.unit, ctx.workspace_id, row["id"])
    await store.remove_members(
        ctx.unit, ctx.workspace_id, row["id"], [u for u in current if u not in user_ids]
    )
    created = now_ms()
    for user_id, hourly, cost in wanted:
        await store.add_member(ctx.unit, ctx.workspace_id, row["id"], user_id, created)
        for column, rate in (("hourly_rate", hourly), ("cost_rate", cost)):
            if rate is None:
                continue
            await store.set_member_rate(
                ctx.unit, ctx.workspace_id, row["id"], user_id, column, amount_of(rate)
            )
            since = since_of(rate)
            if since is not None:
                await _reprice(ctx, since_ms=since, project_id=row["id"], user_id=user_id)
    return await render(ctx, row["id"])


async def set_member_rate(
    ctx: WorkspaceContext, project_id: str, user_id: str, kind: RateKind, body: RateRequest
) -> ProjectOut:
    """`PUT …/projects/{id}/users/{uid}/hourly-rate|cost-rate`. A workspace member who is not yet on the
    project becomes a member (a project rate only means something for a member)."""
    row = await require_manager(ctx, project_id)
    await workspaces.require_member(ctx, user_id)
    amount = amount_of(body)
    since = since_of(body)
    await store.add_member(ctx.unit, ctx.workspace_id, row["id"], user_id, now_ms())
    await store.set_member_rate(ctx.unit, ctx.workspace_id, row["id"], user_id, _COLUMN[kind], amount)
    if since is not None:
        await _reprice(ctx, since_ms=since, project_id=row["id"], user_id=user_id)
    return await render(ctx, row["id"])


async def from_template(ctx: WorkspaceContext, body: ProjectFromTemplate) -> ProjectOut:
    """A new project copying a template's settings, rates, estimates, members and tasks."""
    from punchclock.tasks import service as tasks

    await _may_create(ctx)
    if body.template_project_id is None:
        raise bad_request("templateProjectId: must not be null")
    template = await require_visible(ctx, body.template_project_id.strip())
    if not template["template"]:
        raise bad_request("Project is not a template")
    name = valid_name(body.name)
    client_id = (
        await _valid_client(ctx, body.client_id) if body.client_id is not None else template["client_id"]
    )
    stored = _stored_decoder.decode(template["budget_estimate"] or "{}")
    project_id = await _insert(
        ctx,
        name=name,
        client_id=client_id,
        color=_valid_color(body.color) if body.color is not None else template["color"],
        note=template["note"] or "",
        billable=bool(template["billable"]),
        is_public=bool(template["is_public"]) if body.is_public is None else body.is_public,
        hourly_rate=template["hourly_rate"],
        cost_rate=template["cost_rate"],
        time_estimate=_time_decoder.decode(template["time_estimate"] or "{}"),
        stored=stored,
    )
    created = now_ms()
    members = await store.memberships_of(ctx.unit, ctx.workspace_id, [template["id"]])
    for m in members:
        await store.add_member(
            ctx.unit, ctx.workspace_id, project_id, m["target_id"], created, m["hourly_rate"], m["cost_rate"]
        )
    await store.add_member(ctx.unit, ctx.workspace_id, project_id, ctx.user_id, created)
    await tasks.copy_all(ctx, template["id"], project_id)
    return await render(ctx, project_id)


# Clients ------------------------------------------------------------------------------------------------


async def of_client_archived(
    ctx: WorkspaceContext, client_id: str, *, archive: bool, mark_tasks_done: bool
) -> None:
    """`PUT clients/{id}?archive-projects=true&mark-tasks-as-done=true` with `archived: true`: archive
    the client's projects, mark their tasks DONE (either or both)."""
    from punchclock.tasks import service as tasks

    if archive:
        await store.archive_of_client(ctx.unit, ctx.workspace_id, client_id)
    if mark_tasks_done:
        for project_id in await store.ids_of_client(ctx.unit, ctx.workspace_id, client_id):
            await tasks.mark_all_done(ctx, project_id)


async def detach_client(ctx: WorkspaceContext, client_id: str) -> None:
    """A deleted client's projects keep existing, without a client (their tracked time is never lost).
    Refused when that would give two client-less projects the same name."""
    if await store.detach_client(ctx.unit, ctx.workspace_id, client_id):
        raise bad_request(
            "Cannot delete the client: one of its projects has the same name as a project without client"
        )
