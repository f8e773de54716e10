"""Clockify Workspace operations: /workspaces…"""

from __future__ import annotations

from litestar import Router, get

from punchclock.kit.auth import Caller, WorkspaceContext
from punchclock.workspaces import service
from punchclock.workspaces.schemas import WorkspaceOut


@get("/workspaces")
async def my_workspaces(caller: Caller) -> list[WorkspaceOut]:
    return await service.mine(caller)


@get("/workspaces/{workspace_id:str}")
async def get_workspace(ws: WorkspaceContext) -> WorkspaceOut:
    return await service.get(ws)


router = Router(path="", route_handlers=[my_workspaces, get_workspace])
