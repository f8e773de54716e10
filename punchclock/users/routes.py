"""Clockify User operations: /user and the members of a workspace (/workspaces/{workspaceId}/users…,
member profiles, custom-field values, managers, manager roles)."""

from __future__ import annotations

from typing import Any

from litestar import Response, Router, delete, get, patch, post, put
from litestar.params import Parameter

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
    caller: Caller, include_memberships: bool = Parameter(query="include-memberships", default=False)
) -> UserOut:
    return await service.current(caller, include_memberships)


@get(USERS)
async def list_users(
    ws: WorkspaceContext,
    page: PageParam,
    page_size: PageSizeParam,
    email: str | None = None,
    project_id: str | None = Parameter(query="project-id", default=None),
    status: StatusFilter | None = None,
    account_statuses: list[str] | None = Parameter(query="account-statuses", default=None),
    name: str | None = None,
    sort_column: UserSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
    memberships: MembershipsFilter | None = None,
    include_roles: bool = Parameter(query="include-roles", default=False),
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
async def filter_users(ws: WorkspaceContext, data: UserFilter) -> list[UserOut]:
    query, page = service.query_of(data)
    items, _ = await service.search(ws, query, page)
    return items


@post(USERS, status_code=200)
async def add_user(
    ws: WorkspaceContext, data: AddUser, send_email: bool = Parameter(query="send-email", default=True)
) -> WorkspaceOut:
    return await service.add_by_email(ws, data, send_email)


# Deprecated in Clockify and documented there as non-functional; here it removes the member for real and
# answers 200 with the workspace, like the other member operations of the Workspace section (see
# `service.remove`).
@delete(MEMBER, status_code=200)
async def remove_user(ws: WorkspaceContext, user_id: str) -> WorkspaceOut:
    return await service.remove(ws, user_id)


@get(WS + "/member-profile/{user_id:str}")
async def get_member_profile(ws: WorkspaceContext, user_id: str) -> MemberProfileOut:
    return await service.profile(ws, user_id)


@patch(WS + "/member-profile/{user_id:str}")
async def update_member_profile(
    ws: WorkspaceContext, user_id: str, data: MemberProfilePatch
) -> MemberProfileOut:
    return await service.update_profile(ws, user_id, data)


@put(MEMBER + "/custom-field/{custom_field_id:str}/value", status_code=201)
async def set_custom_field_value(
    ws: WorkspaceContext, user_id: str, custom_field_id: str, data: CustomFieldValueUpdate
) -> CustomFieldValue:
    return await service.set_custom_value(ws, user_id, custom_field_id, data)


@get(MEMBER + "/managers")
async def list_managers(
    ws: WorkspaceContext,
    user_id: str,
    page: PageParam,
    page_size: PageSizeParam,
    sort_column: UserSort | None = Parameter(query="sort-column", default=None),
    sort_order: SortOrder | None = Parameter(query="sort-order", default=None),
) -> Response[Any]:
    items, last = await service.managers(ws, user_id, Page(page, page_size), sort_column, sort_order)
    return page_response(items, last)


@post(MEMBER + "/roles", status_code=201)
async def give_role(ws: WorkspaceContext, user_id: str, data: ManagerRoleRequest) -> list[RoleAssignment]:
    return await service.give_role(ws, user_id, data)


@delete(MEMBER + "/roles", status_code=204)
async def remove_role(ws: WorkspaceContext, user_id: str, data: ManagerRoleRequest) -> None:
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
