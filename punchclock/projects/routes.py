"""Clockify Project operations: /workspaces/{workspaceId}/projects."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

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
    ws: NamedDependency[WorkspaceContext],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    name: FromQuery[str | None] = None,
    strict_name_search: Annotated[bool, QueryParameter(name="strict-name-search")] = False,
    archived: FromQuery[bool | None] = None,
    billable: FromQuery[bool | None] = None,
    clients: FromQuery[list[str] | None] = None,
    contains_client: Annotated[bool, QueryParameter(name="contains-client")] = True,
    client_status: Annotated[ClientStatus | None, QueryParameter(name="client-status")] = None,
    users: FromQuery[list[str] | None] = None,
    contains_user: Annotated[bool, QueryParameter(name="contains-user")] = True,
    user_status: Annotated[MemberStatus | None, QueryParameter(name="user-status")] = None,
    is_template: Annotated[bool | None, QueryParameter(name="is-template")] = None,
    sort_column: Annotated[ProjectSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
    hydrated: FromQuery[bool] = False,
    access: FromQuery[Access | None] = None,
    user_groups: Annotated[list[str] | None, QueryParameter(name="userGroups")] = None,
    contains_group: Annotated[bool, QueryParameter(name="contains-group")] = True,
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
async def create_project(ws: NamedDependency[WorkspaceContext], data: JSONBody[ProjectCreate]) -> ProjectOut:
    return await service.create(ws, data)


@post(BASE + "/from-template", status_code=200)
async def create_from_template(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[ProjectFromTemplate]
) -> ProjectOut:
    return await service.from_template(ws, data)


@get(ONE)
async def get_project(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], hydrated: FromQuery[bool] = False
) -> ProjectOut:
    return await service.get(ws, project_id, hydrated=hydrated)


@put(ONE)
async def update_project(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], data: JSONBody[ProjectUpdate]
) -> ProjectOut:
    return await service.replace(ws, project_id, data)


@delete(ONE, status_code=200)
async def delete_project(ws: NamedDependency[WorkspaceContext], project_id: FromPath[str]) -> ProjectOut:
    return await service.delete(ws, project_id)


@patch(ONE + "/estimate")
async def update_estimate(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], data: JSONBody[ProjectEstimatePatch]
) -> ProjectOut:
    return await service.set_estimate(ws, project_id, data)


@patch(ONE + "/template")
async def update_template(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], data: JSONBody[ProjectTemplatePatch]
) -> ProjectOut:
    return await service.set_template(ws, project_id, data)


@post(ONE + "/memberships", status_code=200)
async def assign_members(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], data: JSONBody[MembershipsAssign]
) -> ProjectOut:
    return await service.assign_members(ws, project_id, data)


@patch(ONE + "/memberships")
async def update_memberships(
    ws: NamedDependency[WorkspaceContext], project_id: FromPath[str], data: JSONBody[MembershipsUpdate]
) -> ProjectOut:
    return await service.replace_members(ws, project_id, data)


@put(ONE + "/users/{user_id:str}/hourly-rate")
async def set_user_hourly_rate(
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    user_id: FromPath[str],
    data: JSONBody[RateRequest],
) -> ProjectOut:
    return await service.set_member_rate(ws, project_id, user_id, "hourly", data)


@put(ONE + "/users/{user_id:str}/cost-rate")
async def set_user_cost_rate(
    ws: NamedDependency[WorkspaceContext],
    project_id: FromPath[str],
    user_id: FromPath[str],
    data: JSONBody[RateRequest],
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
