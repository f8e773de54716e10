"""Task wire shapes (Clockify `TaskCreateRequest`, `TaskUpdateRequest`, `Task`)."""

from __future__ import annotations

from typing import Literal

from punchclock.kit.wire import Input, Output
from punchclock.projects.schemas import Budget, DurationText, IdText, TaskName
from punchclock.workspaces.schemas import Rate

TaskStatus = Literal["ACTIVE", "DONE", "ALL"]
TaskSort = Literal["ID", "NAME"]


class TaskCreate(Input):
    name: TaskName | None = None
    assignee_ids: list[IdText] | None = None
    assignee_id: IdText | None = None
    user_group_ids: list[IdText] | None = None
    estimate: DurationText | None = None
    billable: bool | None = None
    budget_estimate: Budget | None = None
    status: TaskStatus | None = None


class TaskUpdate(TaskCreate):
    """The PUT body has the create body's fields (omitted ones are kept: see tasks.service.replace)."""


class TaskOut(Output):
    id: str
    name: str
    project_id: str
    assignee_ids: list[str]
    assignee_id: str | None
    user_group_ids: list[str]
    estimate: str
    status: str
    budget_estimate: int
    billable: bool
    hourly_rate: Rate | None
    cost_rate: Rate | None
    duration: str
