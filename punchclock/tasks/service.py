"""Task rules: a task belongs to one project, its name is unique there (whatever the case), only a DONE
task can be deleted (its entries stay on the project), assignees are workspace members, rates and
estimates per task."""

from __future__ import annotations

from typing import Literal

from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Row, UniqueViolation
from punchclock.kit.errors import ApiError, access_denied, bad_request, not_in_workspace
from punchclock.kit.listing import SortOrder, name_key
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import format_duration, now_ms, parse_duration
from punchclock.projects import service as projects
from punchclock.projects.schemas import RateRequest, TaskRequest
from punchclock.tasks import store
from punchclock.tasks.schemas import TaskCreate, TaskOut, TaskUpdate
from punchclock.workspaces import service as workspaces
from punchclock.workspaces.schemas import Rate

MAX_NAME = 1000
RateKind = Literal["hourly", "cost"]
_COLUMN: dict[RateKind, str] = {"hourly": "hourly_rate", "cost": "cost_rate"}
TaskBody = TaskCreate | TaskUpdate | TaskRequest


def _valid_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise bad_request("Task name can't be empty")
    if len(cleaned) > MAX_NAME:
        raise bad_request(f"Task name can't be longer than {MAX_NAME} characters")
    return cleaned


def _valid_estimate(estimate: str) -> int | None:
    if not estimate.strip():
        return None
    return parse_duration(estimate, "estimate")


def _valid_status(status: str | None) -> str:
    # ALL is a filter value, not a state: a task is ACTIVE or DONE.
    if status == "ALL":
        raise bad_request("Task status must be ACTIVE or DONE")
    return status or "ACTIVE"


def _duplicate() -> ApiError:
    return bad_request("Task with this name already exists on the project")


async def _assignees(ctx: WorkspaceContext, body: TaskBody) -> list[str] | None:
    """The assignees given (`assigneeIds`, else the deprecated single `assigneeId`), checked to be
    members of the workspace; None when the body names none."""
    if body.assignee_ids is not None:
        wanted = list(dict.fromkeys(a.strip() for a in body.assignee_ids if a.strip()))
    elif body.assignee_id is not None and body.assignee_id.strip() not in ("", "##default"):
        wanted = [body.assignee_id.strip()]
    else:
        return None
    found = await workspaces.members_among(ctx, wanted)
    if any(a not in found for a in wanted):
        raise not_in_workspace("User")
    return wanted


def _groups(body: TaskBody) -> list[str] | None:
    # Seam for the user-groups feature: no group exists yet, so any group id names nothing.
    if body.user_group_ids is None:
        return None
    if any(g.strip() for g in body.user_group_ids):
        raise not_in_workspace("User group")
    return []


# Lookups used by other features -------------------------------------------------------------------------


async def require(ctx: WorkspaceContext, project_id: str, task_id: str) -> Row:
    """The task of that project (the project must be this workspace's), else "Task doesn't belong"."""
    project = await projects.require(ctx, project_id)
    row = await store.get(ctx.unit, ctx.workspace_id, project["id"], task_id) if ids.is_id(task_id) else None
    if row is None:
        raise not_in_workspace("Task")
    return row


async def estimate_sums(ctx: WorkspaceContext, project_ids: list[str]) -> dict[str, tuple[int, int]]:
    """Per project: the sums of its tasks' time estimates (seconds) and budget estimates (what an AUTO
    project estimate shows)."""
    rows = await store.estimate_sums(ctx.unit, ctx.workspace_id, project_ids)
    return {r["project_id"]: (int(r["seconds"]), int(r["budget"])) for r in rows}


async def of_projects(ctx: WorkspaceContext, project_ids: list[str]) -> dict[str, list[TaskOut]]:
    """Every task of each project, by name (a hydrated project list shows them)."""
    out: dict[str, list[TaskOut]] = {pid: [] for pid in project_ids}
    for rendered in await _render_all(
        ctx, await store.all_of_projects(ctx.unit, ctx.workspace_id, project_ids)
    ):
        out[rendered.project_id].append(rendered)
    return out


async def delete_of_project(ctx: WorkspaceContext, project_id: str) -> None:
    await store.delete_of_project(ctx.unit, ctx.workspace_id, project_id)


async def mark_all_done(ctx: WorkspaceContext, project_id: str) -> None:
    await store.mark_all_done(ctx.unit, ctx.workspace_id, project_id)


# Rendering ----------------------------------------------------------------------------------------------


def _rate(amount: int | None, currency: str) -> Rate | None:
    return None if amount is None else Rate(amount=amount, currency=currency)


async def _render_all(ctx: WorkspaceContext, rows: list[Row]) -> list[TaskOut]:
    users: dict[str, list[str]] = {r["id"]: [] for r in rows}
    groups: dict[str, list[str]] = {r["id"]: [] for r in rows}
    for a in await store.assignees_of(ctx.unit, ctx.workspace_id, [r["id"] for r in rows]):
        (users if a["target_type"] == "USER" else groups)[a["task_id"]].append(a["target_id"])
    # As for projects: admins and the project's managers see every rate, others billable rates unless
    # the workspace keeps them for admins, and no cost rates.
    managed = await projects.managed_among(ctx, [r["project_id"] for r in rows])
    hourly_for_all = ctx.is_admin or not (await workspaces.settings_of(ctx)).only_admins_see_billable_rates
    out = []
    for row in rows:
        show_cost = row["project_id"] in managed
        show_hourly = show_cost or hourly_for_all
        assignees = users[row["id"]]
        out.append(
            TaskOut(
                id=row["id"],
                name=row["name"],
                project_id=row["project_id"],
                assignee_ids=assignees,
                assignee_id=assignees[0] if assignees else None,
                user_group_ids=groups[row["id"]],
                estimate=format_duration(row["estimate"] or 0) or "PT0S",
                status=row["status"],
                budget_estimate=int(row["budget_estimate"] or 0),
                billable=bool(row["billable"]),
                hourly_rate=_rate(row["hourly_rate"], row["currency_code"]) if show_hourly else None,
                cost_rate=_rate(row["cost_rate"], row["currency_code"]) if show_cost else None,
                duration=format_duration(int(row["duration"] or 0)) or "PT0S",
            )
        )
    return out


async def _render(ctx: WorkspaceContext, project_id: str, task_id: str) -> TaskOut:
    return (await _render_all(ctx, [await require(ctx, project_id, task_id)]))[0]


# Operations ---------------------------------------------------------------------------------------------


async def check_request(ctx: WorkspaceContext, body: TaskBody) -> None:
    """Refuse a task body before anything is written (a project created with tasks is all or nothing)."""
    _valid_name(body.name)
    if body.estimate is not None:
        _valid_estimate(body.estimate)
    _valid_status(body.status)
    await _assignees(ctx, body)
    _groups(body)
    if isinstance(body, TaskRequest):
        for rate in (body.hourly_rate, body.cost_rate):
            if rate is not None:
                projects.amount_of(rate)
                projects.since_of(rate)


async def create_from_request(ctx: WorkspaceContext, project_id: str, body: TaskBody) -> str:
    """Insert a task on a project the caller may add tasks to (checked by the caller)."""
    name = _valid_name(body.name)
    task_id = ids.new_id()
    hourly = cost = None
    if isinstance(body, TaskRequest):
        hourly = projects.amount_of(body.hourly_rate) if body.hourly_rate is not None else None
        cost = projects.amount_of(body.cost_rate) if body.cost_rate is not None else None
    try:
        await store.insert(
            ctx.unit,
            {
                "id": task_id,
                "workspace_id": ctx.workspace_id,
                "project_id": project_id,
                "name": name,
                "name_key": name_key(name),
                "status": _valid_status(body.status),
                "billable": True if body.billable is None else body.billable,
                "estimate": _valid_estimate(body.estimate) if body.estimate is not None else None,
                "budget_estimate": body.budget_estimate,
                "hourly_rate": hourly,
                "cost_rate": cost,
                "created_at": now_ms(),
            },
        )
    except UniqueViolation:
        raise _duplicate() from None
    assignees = await _assignees(ctx, body) or []
    groups = _groups(body) or []
    if assignees or groups:
        await store.set_assignees(ctx.unit, ctx.workspace_id, task_id, assignees, groups)
    return task_id


async def create(ctx: WorkspaceContext, project_id: str, body: TaskCreate) -> TaskOut:
    """Anyone who can see the project may add tasks, unless the workspace's `onlyAdminsCreateTask` is on
    (then admins and the project's managers)."""
    project = await projects.require_visible(ctx, project_id)
    settings = await workspaces.settings_of(ctx)
    if settings.only_admins_create_task and not await projects.manages(ctx, project["id"]):
        raise access_denied()
    task_id = await create_from_request(ctx, project["id"], body)
    return await _render(ctx, project["id"], task_id)


async def get(ctx: WorkspaceContext, project_id: str, task_id: str) -> TaskOut:
    await projects.require_visible(ctx, project_id)
    return await _render(ctx, project_id, task_id)


async def search(
    ctx: WorkspaceContext,
    project_id: str,
    page: Page,
    *,
    name: str | None = None,
    strict_name: bool = False,
    is_active: bool | None = None,
    sort_column: str | None = None,
    sort_order: SortOrder | None = None,
) -> tuple[list[TaskOut], bool]:
    """`is-active=true`: ACTIVE tasks only; `false`: DONE ones only; omitted: all."""
    project = await projects.require_visible(ctx, project_id)
    rows = await store.search(
        ctx.unit,
        ctx.workspace_id,
        project["id"],
        name=None if name == "##default" else name,
        strict_name=strict_name,
        status=None if is_active is None else ("ACTIVE" if is_active else "DONE"),
        sort_column=sort_column,
        sort_order=sort_order,
        limit=page.probe_limit,
        offset=page.offset,
    )
    page_rows, last = paged(rows, page)
    return await _render_all(ctx, page_rows), last


async def replace(ctx: WorkspaceContext, project_id: str, task_id: str, body: TaskUpdate) -> TaskOut:
    """PUT: every field given replaces the stored one; fields omitted are kept (a status-only update
    must not drop assignees or estimates)."""
    project = await projects.require_manager(ctx, project_id)
    current = await require(ctx, project["id"], task_id)
    values: dict[str, object] = {}
    if body.name is not None:
        name = _valid_name(body.name)
        values.update(name=name, name_key=name_key(name))
    if body.status is not None:
        values["status"] = _valid_status(body.status)
    if body.billable is not None:
        values["billable"] = body.billable
    if body.estimate is not None:
        values["estimate"] = _valid_estimate(body.estimate)
    if body.budget_estimate is not None:
        values["budget_estimate"] = body.budget_estimate
    assignees = await _assignees(ctx, body)
    groups = _groups(body)
    if values:
        try:
            await store.update(ctx.unit, ctx.workspace_id, current["id"], values)
        except UniqueViolation:
            raise _duplicate() from None
    if assignees is not None or groups is not None:
        old = await store.assignees_of(ctx.unit, ctx.workspace_id, [current["id"]])
        if assignees is None:
            assignees = [a["target_id"] for a in old if a["target_type"] == "USER"]
        if groups is None:
            groups = [a["target_id"] for a in old if a["target_type"] != "USER"]
        await store.set_assignees(ctx.unit, ctx.workspace_id, current["id"], assignees, groups)
    return await _render(ctx, project["id"], current["id"])


async def delete(ctx: WorkspaceContext, project_id: str, task_id: str) -> TaskOut:
    """Only a DONE task can be deleted; its time entries stay on the project, without the task."""
    from punchclock.time_entries import service as time_entries

    project = await projects.require_manager(ctx, project_id)
    row = await require(ctx, project["id"], task_id)
    if row["status"] != "DONE":
        raise bad_request("Cannot delete an active task")
    out = (await _render_all(ctx, [row]))[0]
    await time_entries.detach_task(ctx, row["id"])
    await store.delete(ctx.unit, ctx.workspace_id, row["id"])
    return out


async def set_rate(
    ctx: WorkspaceContext, project_id: str, task_id: str, kind: RateKind, body: RateRequest
) -> TaskOut:
    """`PUT …/tasks/{id}/hourly-rate|cost-rate`; with `since`, entries of the task from then on are
    re-priced."""
    project = await projects.require_manager(ctx, project_id)
    row = await require(ctx, project["id"], task_id)
    amount = projects.amount_of(body)
    since = projects.since_of(body)
    await store.update(ctx.unit, ctx.workspace_id, row["id"], {_COLUMN[kind]: amount})
    if since is not None:
        from punchclock.rates import service as rates

        await rates.reprice(ctx, since_ms=since, task_id=row["id"])
    return await _render(ctx, project["id"], row["id"])


async def copy_all(ctx: WorkspaceContext, from_project_id: str, to_project_id: str) -> None:
    """A project made from a template gets copies of the template's tasks (with assignees and rates)."""
    rows = await store.all_of_project(ctx.unit, ctx.workspace_id, from_project_id)
    assignees = await store.assignees_of(ctx.unit, ctx.workspace_id, [r["id"] for r in rows])
    created = now_ms()
    for row in rows:
        task_id = ids.new_id()
        await store.insert(
            ctx.unit,
            {
                "id": task_id,
                "workspace_id": ctx.workspace_id,
                "project_id": to_project_id,
                "name": row["name"],
                "name_key": name_key(row["name"]),
                "status": row["status"],
                "billable": bool(row["billable"]),
                "estimate": row["estimate"],
                "budget_estimate": row["budget_estimate"],
                "hourly_rate": row["hourly_rate"],
                "cost_rate": row["cost_rate"],
                "created_at": created,
            },
        )
        users = [
            a["target_id"] for a in assignees if a["task_id"] == row["id"] and a["target_type"] == "USER"
        ]
        groups = [
            a["target_id"] for a in assignees if a["task_id"] == row["id"] and a["target_type"] != "USER"
        ]
        if users or groups:
            await store.set_assignees(ctx.unit, ctx.workspace_id, task_id, users, groups)
