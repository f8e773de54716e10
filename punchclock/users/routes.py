"""Clockify User operations: /user and the members of a workspace (/workspaces/{workspaceId}/users…,
member profiles, custom-field values, managers, manager roles)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from punchclock.kit.auth import Caller, WorkspaceContext
from punchclock.kit.listing import SortOrder
from punchclock.kit.paging import Page, PageParam, PageSizeParam, page_response
from punchclock.users import service
from punchclock.users.schemas import (
    ACCOUNT_STATUSES,
    AddUser,
    CustomFieldValue,
    CustomFieldValueUpdate,
    ManagerRoleRequest,
    MemberProfileOut,
    MemberProfilePatch,
    MembershipsFilter,
    StatusFilter,
    UserFilter,
    UserOut,
    UserSort,
)
from punchclock.workspaces.params import enum_list
from punchclock.workspaces.schemas import RoleAssignment, WorkspaceOut

WS = "/workspaces/{workspace_id:str}"
USERS = WS + "/users"
MEMBER = USERS + "/{user_id:str}"


@get("/user")
async def current_user(
    caller: NamedDependency[Caller],
    include_memberships: Annotated[bool, QueryParameter(name="include-memberships")] = False,
) -> UserOut:
    return await service.current(caller, include_memberships)


@get(USERS)
async def list_users(
    ws: NamedDependency[WorkspaceContext],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    email: FromQuery[str | None] = None,
    project_id: Annotated[str | None, QueryParameter(name="project-id")] = None,
    status: FromQuery[StatusFilter | None] = None,
    account_statuses: Annotated[list[str] | None, QueryParameter(name="account-statuses")] = None,
    name: FromQuery[str | None] = None,
    sort_column: Annotated[UserSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
    memberships: FromQuery[MembershipsFilter | None] = None,
    include_roles: Annotated[bool, QueryParameter(name="include-roles")] = False,
) -> Response[Any]:
    query = service.MemberQuery(
        email=email,
        name=name,
        status=status,
        account_statuses=enum_list("account-statuses", account_statuses, ACCOUNT_STATUSES),
        project_id=project_id,
        sort_column=sort_column,
        sort_order=sort_order,
        memberships=memberships,
        include_roles=include_roles,
    )
    items, last = await service.search(ws, query, Page(page, page_size))
    return page_response(items, last)


@post(USERS + "/info", status_code=200)
async def filter_users(ws: NamedDependency[WorkspaceContext], data: JSONBody[UserFilter]) -> list[UserOut]:
    query, page = service.query_of(data)
    items, _ = await service.search(ws, query, page)
    return items


@post(USERS, status_code=200)
async def add_user(
    ws: NamedDependency[WorkspaceContext],
    data: JSONBody[AddUser],
    send_email: Annotated[bool, QueryParameter(name="send-email")] = True,
) -> WorkspaceOut:
    return await service.add_by_email(ws, data, send_email)


# Deprecated in Clockify and documented there as non-functional; here it removes the member for real and
# answers 200 with the workspace, like the other member operations of the Workspace section (see
# `service.remove`).
@delete(MEMBER, status_code=200)
async def remove_user(ws: NamedDependency[WorkspaceContext], user_id: FromPath[str]) -> WorkspaceOut:
    return await service.remove(ws, user_id)


@get(WS + "/member-profile/{user_id:str}")
async def get_member_profile(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str]
) -> MemberProfileOut:
    return await service.profile(ws, user_id)


@patch(WS + "/member-profile/{user_id:str}")
async def update_member_profile(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[MemberProfilePatch]
) -> MemberProfileOut:
    return await service.update_profile(ws, user_id, data)


@put(MEMBER + "/custom-field/{custom_field_id:str}/value", status_code=201)
async def set_custom_field_value(
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    custom_field_id: FromPath[str],
    data: JSONBody[CustomFieldValueUpdate],
) -> CustomFieldValue:
    return await service.set_custom_value(ws, user_id, custom_field_id, data)


@get(MEMBER + "/managers")
async def list_managers(
    ws: NamedDependency[WorkspaceContext],
    user_id: FromPath[str],
    page: PageParam = 1,
    page_size: PageSizeParam = 50,
    sort_column: Annotated[UserSort | None, QueryParameter(name="sort-column")] = None,
    sort_order: Annotated[SortOrder | None, QueryParameter(name="sort-order")] = None,
) -> Response[Any]:
    items, last = await service.managers(ws, user_id, Page(page, page_size), sort_column, sort_order)
    return page_response(items, last)


@post(MEMBER + "/roles", status_code=201)
async def give_role(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[ManagerRoleRequest]
) -> list[RoleAssignment]:
    return await service.give_role(ws, user_id, data)


@delete(MEMBER + "/roles", status_code=204)
async def remove_role(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[ManagerRoleRequest]
) -> None:
    await service.remove_role(ws, user_id, data)


router = Router(
    path="",
    route_handlers=[
        current_user,
        list_users,
        filter_users,
        add_user,
        remove_user,
        get_member_profile,
        update_member_profile,
        set_custom_field_value,
        list_managers,
        give_role,
        remove_role,
    ],
)
