"""Tag wire shapes (Clockify `TagCreate`, the update body, `Tag`)."""

from __future__ import annotations

from typing import Literal

from punchclock.kit.wire import Input, Name, Output


class TagCreate(Input):
    name: Name | None = None


class TagUpdate(Input):
    name: Name | None = None
    archived: bool | None = None


class TagOut(Output):
    id: str
    name: str
    workspace_id: str
    archived: bool


TagSort = Literal["ID", "NAME"]
