"""Clockify Task operations: /workspaces/{workspaceId}/projects/{projectId}/tasks."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

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
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    name: FromQuery[str | None] = None,
    strict_name_search: Annotated[bool, QueryParameter(name="strict-name-search")] = False,
    is_active: Annotated[bool | None, QueryParameter(name="is-active")] = None,
    sort_column: Annotated[TaskSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
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
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    data: JSONBody[TaskCreate],
    contains_assignee: Annotated[bool, QueryParameter(name="contains-assignee")] = True,
) -> TaskOut:
    return await service.create(ws, project_id, data)


@get(ONE)
async def get_task(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], task_id: FromPath[str]
) -> TaskOut:
    return await service.get(ws, project_id, task_id)


@put(ONE)
async def update_task(
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    task_id: FromPath[str],
    data: JSONBody[TaskUpdate],
    contains_assignee: Annotated[bool, QueryParameter(name="contains-assignee")] = True,
    membership_status: Annotated[MemberStatus | None, QueryParameter(name="membership-status")] = None,
) -> TaskOut:
    return await service.replace(ws, project_id, task_id, data)


@delete(ONE, status_code=200)
async def delete_task(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], task_id: FromPath[str]
) -> TaskOut:
    return await service.delete(ws, project_id, task_id)


@put(ONE + "/hourly-rate")
async def set_task_hourly_rate(
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    task_id: FromPath[str],
    data: JSONBody[RateRequest],
) -> TaskOut:
    return await service.set_rate(ws, project_id, task_id, "hourly", data)


@put(ONE + "/cost-rate")
async def set_task_cost_rate(
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    task_id: FromPath[str],
    data: JSONBody[RateRequest],
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
