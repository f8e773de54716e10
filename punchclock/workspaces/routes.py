"""Clockify Workspace operations: /workspaces, workspace and member rates, member status."""

from __future__ import annotations

from litestar import Router, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from punchclock.kit.auth import Caller, WorkspaceContext
from punchclock.workspaces import service
from punchclock.workspaces.params import enum_list
from punchclock.workspaces.schemas import (
    WORKSPACE_ROLES,
    CostRateUpdate,
    HourlyRateUpdate,
    MemberStatusUpdate,
    WorkspaceCreate,
    WorkspaceOut,
)

WS = "/workspaces/{workspace_id:str}"
MEMBER = WS + "/users/{user_id:str}"


@get("/workspaces")
async def my_workspaces(
    caller: NamedDependency[Caller], roles: FromQuery[list[str] | None] = None
) -> list[WorkspaceOut]:
    return await service.mine(caller, enum_list("roles", roles, WORKSPACE_ROLES))


@post("/workspaces")
async def create_workspace(caller: NamedDependency[Caller], data: JSONBody[WorkspaceCreate]) -> WorkspaceOut:
    return await service.create(caller, data)


@get(WS)
async def get_workspace(ws: NamedDependency[WorkspaceContext]) -> WorkspaceOut:
    return await service.get(ws)


@put(WS + "/hourly-rate")
async def set_hourly_rate(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[HourlyRateUpdate]
) -> WorkspaceOut:
    return await service.set_rate(ws, "hourly", data)


@put(WS + "/cost-rate")
async def set_cost_rate(
    ws: NamedDependency[WorkspaceContext], data: JSONBody[CostRateUpdate]
) -> WorkspaceOut:
    return await service.set_rate(ws, "cost", data)


@put(MEMBER + "/hourly-rate")
async def set_member_hourly_rate(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[CostRateUpdate]
) -> WorkspaceOut:
    return await service.set_member_rate(ws, user_id, "hourly", data)


@put(MEMBER + "/cost-rate")
async def set_member_cost_rate(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[CostRateUpdate]
) -> WorkspaceOut:
    return await service.set_member_rate(ws, user_id, "cost", data)


@put(MEMBER)
async def set_member_status(
    ws: NamedDependency[WorkspaceContext], user_id: FromPath[str], data: JSONBody[MemberStatusUpdate]
) -> WorkspaceOut:
    return await service.set_member_status(ws, user_id, data)


router = Router(
    path="",
    route_handlers=[
        my_workspaces,
        create_workspace,
        get_workspace,
        set_hourly_rate,
        set_cost_rate,
        set_member_hourly_rate,
        set_member_cost_rate,
        set_member_status,
    ],
)
