"""Clockify Task operations: /workspaces/{workspaceId}/projects/{projectId}/tasks."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, delete, get, post, put
from litestar.params import Parameter

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.projects.schemas import MemberStatus, RateRequest
from punchclock.tasks import service
from punchclock.tasks.schemas import TaskCreate, TaskOut, TaskSort, TaskUpdate

BASE = "/workspaces/{workspace_id:str}/projects/{project_id:str}/tasks"
ONE = BASE + "/{task_id:str}"


@get(BASE)
async def list_tasks(
    ws: WorkspaceContext,
    project_id: str,
    page: PageParam,
    page_size: PageSizeParam,
    name: str | None = None,
    strict_name_search: bool = Parameter(query="strict-name-search", default=False),
    is_active: bool | None = Parameter(query="is-active", default=None),
    sort_column: TaskSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
) -> Response[Any]:
    items, last = await service.search(
        ws,
        project_id,
        Page(page, page_size),
        name=name,
        strict_name=strict_name_search,
        is_active=is_active,
        sort_column=sort_column,
        sort_order=sort_order,
    )
    return page_response(items, last)


@post(BASE)
async def create_task(
    ws: WorkspaceContext,
    project_id: str,
    data: TaskCreate,
    contains_assignee: bool = Parameter(query="contains-assignee", default=True),
) -> TaskOut:
    return await service.create(ws, project_id, data)


@get(ONE)
async def get_task(ws: WorkspaceContext, project_id: str, task_id: str) -> TaskOut:
    return await service.get(ws, project_id, task_id)


@put(ONE)
async def update_task(
    ws: WorkspaceContext,
    project_id: str,
    task_id: str,
    data: TaskUpdate,
    contains_assignee: bool = Parameter(query="contains-assignee", default=True),
    membership_status: MemberStatus | None = Parameter(query="membership-status", default=None),
) -> TaskOut:
    return await service.replace(ws, project_id, task_id, data)


@delete(ONE, status_code=200)
async def delete_task(ws: WorkspaceContext, project_id: str, task_id: str) -> TaskOut:
    return await service.delete(ws, project_id, task_id)


@put(ONE + "/hourly-rate")
async def set_task_hourly_rate(
    ws: WorkspaceContext, project_id: str, task_id: str, data: RateRequest
) -> TaskOut:
    return await service.set_rate(ws, project_id, task_id, "hourly", data)


@put(ONE + "/cost-rate")
async def set_task_cost_rate(
    ws: WorkspaceContext, project_id: str, task_id: str, data: RateRequest
) -> TaskOut:
    return await service.set_rate(ws, project_id, task_id, "cost", data)


router = Router(
    path="",
    route_handlers=[
        list_tasks,
        create_task,
        get_task,
        update_task,
        delete_task,
        set_task_hourly_rate,
        set_task_cost_rate,
    ],
)
