"""User wire shapes (Clockify `UserDtoV1` and its settings)."""

from __future__ import annotations

from typing import Any

import msgspec

from punchclock.kit.wire import Output
from punchclock.workspaces.schemas import Membership


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
    custom_field_id: str
    value: Any
    user_id: str
    custom_field_name: str | None = None
    custom_field_type: str | None = None


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
