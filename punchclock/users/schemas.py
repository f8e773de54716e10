"""User wire shapes (Clockify `UserDtoV1`, `MemberProfileDtoV1`, the user filter and role bodies)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from punchclock.kit.listing import SortOrder
from punchclock.kit.wire import Email, Input, Output
from punchclock.workspaces.schemas import ManagerRole, Membership, RoleDetails, Weekday, WorkspaceRole

AccountStatus = Literal[
    "ACTIVE", "PENDING_EMAIL_VERIFICATION", "DELETED", "NOT_REGISTERED", "LIMITED", "LIMITED_DELETED"
]
ACCOUNT_STATUSES: tuple[str, ...] = (
    "ACTIVE",
    "PENDING_EMAIL_VERIFICATION",
    "DELETED",
    "NOT_REGISTERED",
    "LIMITED",
    "LIMITED_DELETED",
)
StatusFilter = Literal["PENDING", "ACTIVE", "DECLINED", "INACTIVE", "ALL"]
UserSort = Literal["ID", "EMAIL", "NAME", "NAME_LOWERCASE", "ACCESS", "HOURLYRATE", "COSTRATE"]
MembershipsFilter = Literal["ALL", "NONE", "WORKSPACE", "PROJECT", "USERGROUP"]
EntityId = Annotated[str, msgspec.Meta(max_length=100)]
UserName = Annotated[str, msgspec.Meta(max_length=1000)]
Url = Annotated[str, msgspec.Meta(max_length=2000)]


class SummaryReportSettings(Output):
    group: str = "PROJECT"
    subgroup: str = "TIME_ENTRY"


class UserSettings(Output):
    week_start: str = "MONDAY"
    time_zone: str = "UTC"
    time_format: str = "HOUR12"
    date_format: str = "MM/DD/YYYY"
    send_newsletter: bool = False
    weekly_updates: bool = False
    long_running: bool = False
    scheduled_reports: bool = False
    approval: bool = False
    pto: bool = False
    alerts: bool = False
    reminders: bool = False
    time_tracking_manual: bool = False
    summary_report_settings: SummaryReportSettings = msgspec.field(default_factory=SummaryReportSettings)
    is_compact_view_on: bool = False
    dashboard_selection: str = "ME"
    dashboard_view_type: str = "PROJECT"
    dashboard_pin_to_top: bool = False
    project_list_collapse: int = 50
    collapse_all_project_lists: bool = False
    group_similar_entries_disabled: bool = False
    my_start_of_day: str = "09:00"
    project_picker_task_filter: bool = False
    lang: str = "EN"
    multi_factor_enabled: bool = False
    theme: str = "DEFAULT"
    scheduling: bool = False
    onboarding: bool = False
    show_only_working_days: bool = False


class CustomFieldValue(Output):
    """Clockify `UserCustomFieldValueDtoV1` (in `UserDtoV1.customFields`)."""

    custom_field_id: str
    value: Any
    user_id: str
    custom_field_name: str | None = None
    custom_field_type: str | None = None


class CustomFieldValueFull(Output):
    """Clockify `UserCustomFieldValueFullDtoV1` (in the member profile). The field's definition
    (`customField`, `name`, `type`) is filled in once custom fields exist."""

    custom_field_id: str
    value: Any
    user_id: str
    source_type: str = "USER"
    name: str | None = None
    type: str | None = None
    custom_field: Any = None


class UserOut(Output):
    id: str
    email: str
    name: str
    memberships: list[Membership]
    profile_picture: str
    active_workspace: str | None
    default_workspace: str | None
    settings: UserSettings
    status: str
    custom_fields: list[CustomFieldValue]
    # Only present when the caller asked for roles (`include-roles=true` / `includeRoles`).
    roles: list[RoleDetails] | msgspec.UnsetType = msgspec.UNSET


class UserFilter(Input):
    """`POST /workspaces/{ws}/users/info`: the user list's filters as a body (`UserFilterRequest`)."""

    email: Email | None = None
    name: UserName | None = None
    status: StatusFilter | None = None
    account_statuses: list[AccountStatus] | None = None
    project_id: EntityId | None = None
    roles: list[WorkspaceRole] | None = None
    user_groups: list[EntityId] | None = None
    sort_column: UserSort | None = None
    sort_order: SortOrder | None = None
    page: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = None
    page_size: Annotated[int, msgspec.Meta(ge=1)] | None = None
    memberships: MembershipsFilter | None = None
    include_roles: bool | None = None


class AddUser(Input):
    email: Email | None = None


class CustomFieldValueIn(Input):
    custom_field_id: EntityId | None = None
    value: Any = None


class CustomFieldValueUpdate(Input):
    value: Any = None


class MemberProfileOut(Output):
    """Clockify `MemberProfileDtoV1`."""

    email: str
    has_password: bool
    has_pending_approval_request: bool
    image_url: str
    name: str
    user_custom_field_values: list[CustomFieldValueFull]
    week_start: str
    work_capacity: str
    working_days: list[str]
    workspace_number: int


class MemberProfilePatch(Input):
    """Clockify `MemberProfileUpdateRequest`: only what is given changes."""

    image_url: Url | None = None
    name: UserName | None = None
    remove_profile_image: bool | None = None
    user_custom_fields: Annotated[list[CustomFieldValueIn], msgspec.Meta(max_length=500)] | None = None
    week_start: Weekday | None = None
    work_capacity: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    # An array of days; a JSON-encoded array in a string (as Clockify's own sample shows) is read too.
    working_days: Annotated[list[Weekday], msgspec.Meta(max_length=7)] | Url | None = None


class ManagerRoleRequest(Input):
    entity_id: EntityId | None = None
    role: ManagerRole | None = None
    source_type: Literal["USER_GROUP"] | None = None
