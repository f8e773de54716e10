"""User rules: the caller's own record, workspace members, their status, rates and roles."""

from __future__ import annotations

from punchclock.kit.auth import Caller
from punchclock.kit.db import Row
from punchclock.kit.errors import ApiError
from punchclock.users import store
from punchclock.users.schemas import UserOut, UserSettings
from punchclock.workspaces import service as workspaces
from punchclock.workspaces.schemas import Membership


def to_out(row: Row, memberships: list[Membership]) -> UserOut:
    settings = UserSettings(
        week_start=row["week_start"],
        time_zone=row["time_zone"],
        time_format=row["time_format"],
        date_format=row["date_format"],
    )
    return UserOut(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        memberships=memberships,
        profile_picture=row["profile_picture"],
        active_workspace=row["active_workspace_id"],
        default_workspace=row["default_workspace_id"],
        settings=settings,
        status=row["status"],
        custom_fields=[],
    )


async def current(caller: Caller, include_memberships: bool) -> UserOut:
    row = await store.get(caller.unit, caller.user_id)
    if row is None:  # the key's user vanished between two statements of one transaction: cannot happen
        raise ApiError(401, "Api key does not exist", 4003)
    memberships = (
        await workspaces.memberships_of_user(caller.unit, caller.user_id) if include_memberships else []
    )
    return to_out(row, memberships)
