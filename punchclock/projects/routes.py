"""Clockify Project operations: /workspaces/{workspaceId}/projects."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.params import Parameter

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.projects import service
from punchclock.projects.schemas import (
    Access,
    ClientStatus,
    MembershipsAssign,
    MembershipsUpdate,
    MemberStatus,
    ProjectCreate,
    ProjectEstimatePatch,
    ProjectFromTemplate,
    ProjectOut,
    ProjectSort,
    ProjectTemplatePatch,
    ProjectUpdate,
    RateRequest,
)

BASE = "/workspaces/{workspace_id:str}/projects"
ONE = BASE + "/{project_id:str}"


def _id_list(values: list[str] | None) -> list[str] | None:
    """`?clients=a&clients=b` or `?clients=a,b`, as Spring reads a list parameter."""
    if values is None:
        return None
    out = [part.strip() for raw in values for part in raw.split(",") if part.strip()]
    return out or None


@get(BASE)
async def list_projects(
    ws: WorkspaceContext,
    page: PageParam,
    page_size: PageSizeParam,
    name: str | None = None,
    strict_name_search: bool = Parameter(query="strict-name-search", default=False),
    archived: bool | None = None,
    billable: bool | None = None,
    clients: list[str] | None = Parameter(query="clients", default=None),
    contains_client: bool = Parameter(query="contains-client", default=True),
    client_status: ClientStatus | None = Parameter(query="client-status", default=None),
    users: list[str] | None = Parameter(query="users", default=None),
    contains_user: bool = Parameter(query="contains-user", default=True),
    user_status: MemberStatus | None = Parameter(query="user-status", default=None),
    is_template: bool | None = Parameter(query="is-template", default=None),
    sort_column: ProjectSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
    hydrated: bool = Parameter(query="hydrated", default=False),
    access: Access | None = Parameter(query="access", default=None),
    user_groups: list[str] | None = Parameter(query="userGroups", default=None),
    contains_group: bool = Parameter(query="contains-group", default=True),
) -> Response[Any]:
    items, last = await service.search(
        ws,
        Page(page, page_size),
        name=name,
        strict_name=strict_name_search,
        archived=archived,
        billable=billable,
        client_ids=_id_list(clients),
        contains_client=contains_client,
        client_status=client_status,
        user_ids=_id_list(users),
        contains_user=contains_user,
        user_status=user_status,
        is_template=is_template,
        access=access,
        group_ids=_id_list(user_groups),
        contains_group=contains_group,
        sort_column=sort_column,
        sort_order=sort_order,
        hydrated=hydrated,
    )
    return page_response(items, last)


@post(BASE)
async def create_project(ws: WorkspaceContext, data: ProjectCreate) -> ProjectOut:
    return await service.create(ws, data)


@post(BASE + "/from-template", status_code=200)
async def create_from_template(ws: WorkspaceContext, data: ProjectFromTemplate) -> ProjectOut:
    return await service.from_template(ws, data)


@get(ONE)
async def get_project(
    ws: WorkspaceContext, project_id: str, hydrated: bool = Parameter(query="hydrated", default=False)
) -> ProjectOut:
    return await service.get(ws, project_id, hydrated=hydrated)


@put(ONE)
async def update_project(ws: WorkspaceContext, project_id: str, data: ProjectUpdate) -> ProjectOut:
    return await service.replace(ws, project_id, data)


@delete(ONE, status_code=200)
async def delete_project(ws: WorkspaceContext, project_id: str) -> ProjectOut:
    return await service.delete(ws, project_id)


@patch(ONE + "/estimate")
async def update_estimate(ws: WorkspaceContext, project_id: str, data: ProjectEstimatePatch) -> ProjectOut:
    return await service.set_estimate(ws, project_id, data)


@patch(ONE + "/template")
async def update_template(ws: WorkspaceContext, project_id: str, data: ProjectTemplatePatch) -> ProjectOut:
    return await service.set_template(ws, project_id, data)


@post(ONE + "/memberships", status_code=200)
async def assign_members(ws: WorkspaceContext, project_id: str, data: MembershipsAssign) -> ProjectOut:
    return await service.assign_members(ws, project_id, data)


@patch(ONE + "/memberships")
async def update_memberships(ws: WorkspaceContext, project_id: str, data: MembershipsUpdate) -> ProjectOut:
    return await service.replace_members(ws, project_id, data)


@put(ONE + "/users/{user_id:str}/hourly-rate")
async def set_user_hourly_rate(
    ws: WorkspaceContext, project_id: str, user_id: str, data: RateRequest
) -> ProjectOut:
    return await service.set_member_rate(ws, project_id, user_id, "hourly", data)


@put(ONE + "/users/{user_id:str}/cost-rate")
async def set_user_cost_rate(
    ws: WorkspaceContext, project_id: str, user_id: str, data: RateRequest
) -> ProjectOut:
    return await service.set_member_rate(ws, project_id, user_id, "cost", data)


router = Router(
    path="",
    route_handlers=[
        list_projects,
        create_project,
        create_from_template,
        get_project,
        update_project,
        delete_project,
        update_estimate,
        update_template,
        assign_members,
        update_memberships,
        set_user_hourly_rate,
        set_user_cost_rate,
    ],
)
