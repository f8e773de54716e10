"""Clockify User operations: /user and /workspaces/{workspaceId}/users…"""

from __future__ import annotations

from litestar import Router, get
from litestar.params import Parameter

from punchclock.kit.auth import Caller
from punchclock.users import service
from punchclock.users.schemas import UserOut


@get("/user")
async def current_user(
    caller: Caller, include_memberships: bool = Parameter(query="include-memberships", default=False)
) -> UserOut:
    return await service.current(caller, include_memberships)


router = Router(path="", route_handlers=[current_user])
