"""Workspace wire shapes (Clockify `Workspace`, `WorkspaceSettingsDtoV1`, rate and membership bodies)."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from punchclock.kit.wire import Input, Money, Output

Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
WEEKDAYS: tuple[Weekday, ...] = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")

# Roles a user can hold in a workspace. OWNER and WORKSPACE_ADMIN live on the membership itself; the
# manager roles are role assignments over an entity (a user or group for TEAM_MANAGER, a project for
# PROJECT_MANAGER).
WorkspaceRole = Literal["OWNER", "WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER"]
WORKSPACE_ROLES: tuple[WorkspaceRole, ...] = ("WORKSPACE_ADMIN", "OWNER", "TEAM_MANAGER", "PROJECT_MANAGER")
ManagerRole = Literal["WORKSPACE_ADMIN", "TEAM_MANAGER", "PROJECT_MANAGER"]

# Bounded here; the service checks for a three-letter ISO 4217 code and stores it upper-case.
CurrencyCode = Annotated[str, msgspec.Meta(max_length=100)]
InstantText = Annotated[str, msgspec.Meta(max_length=100)]


class Round(Output):
    minutes: str = "15"
    round: str = "Round to nearest"


class EntityCreationPermission(Output):
    value: str = "EVERYONE"
    creators: list[str] = msgspec.field(default_factory=list)


class EntityCreationPermissions(Output):
    who_can_create_projects_and_clients: EntityCreationPermission = msgspec.field(
        default_factory=EntityCreationPermission
    )
    who_can_create_tags: EntityCreationPermission = msgspec.field(default_factory=EntityCreationPermission)
    who_can_create_tasks: EntityCreationPermission = msgspec.field(default_factory=EntityCreationPermission)


class WorkspaceSettings(Output):
    """Stored as this Struct's JSON in `workspaces.settings`; rendered as is."""

    time_rounding_in_reports: bool = False
    only_admins_see_billable_rates: bool = True
    only_admins_create_project: bool = False
    only_admins_see_dashboard: bool = False
    default_billable_projects: bool = True
    lock_time_entries: str | None = None
    lock_time_zone: str | None = None
    round: Round = msgspec.field(default_factory=Round)
    project_favorites: bool = True
    can_see_time_sheet: bool = True
    can_see_tracker: bool = True
    project_picker_special_filter: bool = False
    force_projects: bool = False
    force_tasks: bool = False
    force_tags: bool = False
    force_description: bool = False
    only_admins_see_all_time_entries: bool = False
    only_admins_see_public_projects_entries: bool = False
    track_time_down_to_second: bool = True
    project_grouping_label: str = "client"
    admin_only_pages: list[str] = msgspec.field(default_factory=list)
    automatic_lock: None = None
    only_admins_create_tag: bool = False
    only_admins_create_task: bool = False
    time_tracking_mode: str = "DEFAULT"
    multi_factor_enabled: bool = False
    number_format: str = "COMMA_PERIOD"
    currency_format: str = "CURRENCY_SPACE_VALUE"
    duration_format: str = "FULL"
    is_project_public_by_default: bool = True
    entity_creation_permissions: EntityCreationPermissions = msgspec.field(
        default_factory=EntityCreationPermissions
    )
    working_days: list[Weekday] = msgspec.field(
        default_factory=lambda: ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"]
    )
    active_billable_hours: bool = False
    only_admins_can_change_billable_status: bool = False


class Rate(Output):
    amount: int
    currency: str


class Membership(Output):
    user_id: str
    hourly_rate: Rate | None
    cost_rate: Rate | None
    target_id: str
    membership_type: str
    membership_status: str


class Currency(Output):
    id: str
    code: str
    is_default: bool


class Subdomain(Output):
    name: str | None = None
    enabled: bool = False


class WorkspaceOut(Output):
    id: str
    name: str
    hourly_rate: Rate
    cost_rate: Rate
    memberships: list[Membership]
    workspace_settings: WorkspaceSettings
    image_url: str
    feature_subscription_type: str
    features: list[str]
    currencies: list[Currency]
    subdomain: Subdomain
    cake_organization_id: str | None


class WorkspaceCreate(Input):
    name: Annotated[str, msgspec.Meta(max_length=250)] | None = None
    organization_id: Annotated[str, msgspec.Meta(max_length=100)] | None = None


class CostRateUpdate(Input):
    """`PUT …/cost-rate` (workspace or member) and `PUT …/users/{id}/hourly-rate`: integer minor units."""

    amount: Money | None = None
    since: InstantText | None = None


class HourlyRateUpdate(Input):
    """`PUT /workspaces/{ws}/hourly-rate`: the workspace's billable rate, optionally in another currency."""

    amount: Money | None = None
    currency: CurrencyCode | None = None
    since: InstantText | None = None


class MemberStatusUpdate(Input):
    status: Literal["ACTIVE", "INACTIVE"] | None = None


class RoleAssignment(Output):
    """Clockify `RoleAssignmentDtoV1`."""

    role: str
    user_id: str
    workspace_id: str


class RoleEntity(Output):
    id: str
    source: str


class RoleDetails(Output):
    """One role of a user as `include-roles=true` shows it: the role and what it applies to."""

    role: str
    entities: list[RoleEntity]
