"""Project wire shapes (Clockify `CreateProjectRequest`, `UpdateProjectRequest`, `Project`, the estimate,
template, membership and rate bodies)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from punchclock.kit.wire import Input, Money, Name, Output
from punchclock.workspaces.schemas import Rate

IdText = Annotated[str, msgspec.Meta(max_length=100)]
InstantText = Annotated[str, msgspec.Meta(max_length=100)]
DurationText = Annotated[str, msgspec.Meta(max_length=100)]
ColorText = Annotated[str, msgspec.Meta(max_length=20)]
NoteText = Annotated[str, msgspec.Meta(max_length=16384)]
TaskName = Annotated[str, msgspec.Meta(max_length=1000)]
EstimateType = Literal["AUTO", "MANUAL"]
ResetOption = Literal["WEEKLY", "MONTHLY", "YEARLY"]
MemberStatus = Literal["PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"]
Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
Month = Literal[
    "JANUARY",
    "FEBRUARY",
    "MARCH",
    "APRIL",
    "MAY",
    "JUNE",
    "JULY",
    "AUGUST",
    "SEPTEMBER",
    "OCTOBER",
    "NOVEMBER",
    "DECEMBER",
]
Budget = Annotated[int, msgspec.Meta(ge=0, le=9_000_000_000_000_000)]

ProjectSort = Literal["ID", "NAME", "CLIENT_NAME", "DURATION", "BUDGET", "PROGRESS"]
ClientStatus = Literal["ACTIVE", "ARCHIVED", "ALL"]
Access = Literal["PUBLIC", "PRIVATE"]


# Inputs -------------------------------------------------------------------------------------------------


class RateRequest(Input):
    """Every rate body (`{amount, since}`): integer minor units; `since` re-prices stored entries."""

    amount: Money | None = None
    since: InstantText | None = None


class EstimateRequest(Input):
    estimate: DurationText | None = None
    type: EstimateType | None = None


class MembershipRequest(Input):
    user_id: IdText | None = None
    hourly_rate: RateRequest | None = None
    cost_rate: RateRequest | None = None
    membership_status: MemberStatus | None = None
    membership_type: Literal["WORKSPACE", "PROJECT", "USERGROUP"] | None = None


class TaskRequest(Input):
    """A task created with its project (`CreateProjectRequest.tasks`)."""

    name: TaskName | None = None
    assignee_ids: list[IdText] | None = None
    assignee_id: IdText | None = None
    user_group_ids: list[IdText] | None = None
    estimate: DurationText | None = None
    billable: bool | None = None
    budget_estimate: Budget | None = None
    status: Literal["ACTIVE", "DONE", "ALL"] | None = None
    hourly_rate: RateRequest | None = None
    cost_rate: RateRequest | None = None


class ProjectCreate(Input):
    name: Name | None = None
    client_id: IdText | None = None
    is_public: bool | None = None
    color: ColorText | None = None
    note: NoteText | None = None
    billable: bool | None = None
    hourly_rate: RateRequest | None = None
    cost_rate: RateRequest | None = None
    estimate: EstimateRequest | None = None
    memberships: list[MembershipRequest] | None = None
    tasks: list[TaskRequest] | None = None


class ProjectUpdate(Input):
    name: Name | None = None
    client_id: IdText | None = None
    is_public: bool | None = None
    color: ColorText | None = None
    note: NoteText | None = None
    billable: bool | None = None
    archived: bool | None = None
    hourly_rate: RateRequest | None = None
    cost_rate: RateRequest | None = None


class ProjectFromTemplate(Input):
    name: Name | None = None
    template_project_id: IdText | None = None
    client_id: IdText | None = None
    color: ColorText | None = None
    is_public: bool | None = None


class ProjectTemplatePatch(Input):
    is_template: bool | None = None


class TimeEstimateRequest(Input):
    active: bool | None = None
    estimate: DurationText | None = None
    include_non_billable: bool | None = None
    reset_option: ResetOption | None = None
    type: EstimateType | None = None


class BudgetEstimateRequest(Input):
    active: bool | None = None
    estimate: Budget | None = None
    include_expenses: bool | None = None
    reset_option: ResetOption | None = None
    type: EstimateType | None = None


class EstimateResetRequest(Input):
    active: bool | None = None
    is_active: bool | None = None
    day_of_month: Annotated[int, msgspec.Meta(ge=1, le=31)] | None = None
    day_of_week: Weekday | None = None
    hour: Annotated[int, msgspec.Meta(ge=0, le=23)] | None = None
    interval: ResetOption | None = None
    month: Month | None = None


class ProjectEstimatePatch(Input):
    time_estimate: TimeEstimateRequest | None = None
    budget_estimate: BudgetEstimateRequest | None = None
    estimate_reset: EstimateResetRequest | None = None


class UserGroupIds(Input):
    contains: Literal["CONTAINS", "DOES_NOT_CONTAIN"] | None = None
    ids: list[IdText] | None = None
    status: Literal["ALL", "ACTIVE", "INACTIVE"] | None = None


class MembershipsAssign(Input):
    """`POST …/memberships`: add (`remove: false`) or remove (`remove: true`) the users named."""

    user_ids: list[IdText] | None = None
    remove: bool | None = None
    user_groups: UserGroupIds | None = None


class UserIdWithRates(Input):
    user_id: IdText | None = None
    hourly_rate: RateRequest | None = None
    cost_rate: RateRequest | None = None


class MembershipsUpdate(Input):
    """`PATCH …/memberships`: the new set of members, with their project rates."""

    memberships: list[UserIdWithRates] | None = None
    user_groups: UserGroupIds | None = None


# Outputs ------------------------------------------------------------------------------------------------


class EstimateOut(Output):
    estimate: str
    type: str


class TimeEstimateOut(Output):
    """Stored as this Struct's JSON (`projects.time_estimate`), `estimate` an ISO duration."""

    estimate: str = "PT0S"
    type: str = "AUTO"
    reset_option: str | None = None
    active: bool = False
    include_non_billable: bool = True


class BudgetEstimateOut(Output):
    estimate: int = 0
    type: str = "AUTO"
    reset_option: str | None = None
    active: bool = False
    include_expenses: bool = False


class EstimateResetOut(Output):
    day_of_month: int | None = None
    day_of_week: str | None = None
    hour: int | None = None
    interval: str | None = None
    month: str | None = None


class StoredEstimates(msgspec.Struct, rename="camel"):
    """What `projects.budget_estimate` holds: the budget estimate and the estimate reset, each optional."""

    budget: BudgetEstimateOut | None = None
    reset: EstimateResetOut | None = None


class ProjectMembership(Output):
    user_id: str
    hourly_rate: Rate | None
    cost_rate: Rate | None
    target_id: str
    membership_type: str
    membership_status: str


class ProjectOut(Output):
    id: str
    name: str
    hourly_rate: Rate | None
    client_id: str
    workspace_id: str
    billable: bool
    memberships: list[ProjectMembership]
    color: str
    estimate: EstimateOut
    archived: bool
    duration: str
    client_name: str
    note: str
    cost_rate: Rate | None
    time_estimate: TimeEstimateOut
    budget_estimate: BudgetEstimateOut | None
    estimate_reset: EstimateResetOut | None
    template: bool
    public: bool


class ProjectHydratedOut(ProjectOut):
    """`hydrated=true`: the project with its tasks and its custom fields (none exist yet)."""

    tasks: list[Any]
    custom_fields: list[Any]
