"""Reports-host wire shapes: the four report request bodies (Clockify `SummaryReportRequest`,
`DetailedReportRequest`, `WeeklyReportRequest`, `AttendanceReportRequest`) and their filters.

Inputs are lenient (unknown keys ignored, nulls mean "not given") but every text is bounded, so absurd
bodies are refused with a 400 before any work. The responses are built as plain JSON-ready dicts in
`render.py`: their keys vary with the grouping (children only above the last level, colours only on
projects), which Structs with fixed fields cannot say.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from punchclock.kit.wire import Input

IdText = Annotated[str, msgspec.Meta(max_length=100)]
ShortText = Annotated[str, msgspec.Meta(max_length=100)]
SearchText = Annotated[str, msgspec.Meta(max_length=3000)]
MAX_IDS = 5000
ShortList = Annotated[list[ShortText], msgspec.Meta(max_length=100)]
IdList = Annotated[list[IdText], msgspec.Meta(max_length=MAX_IDS)]

Contains = Literal["CONTAINS", "DOES_NOT_CONTAIN", "CONTAINS_ONLY"]
ArchivedStatus = Literal["ACTIVE", "ARCHIVED", "ALL"]
UserStatus = Literal["ALL", "ACTIVE_WITH_PENDING", "ACTIVE", "PENDING", "INACTIVE"]
AmountType = Literal["EARNED", "COST", "PROFIT", "HIDE_AMOUNT", "EXPORT"]
ExportType = Literal["JSON", "JSON_V1", "PDF", "CSV", "XLSX", "ZIP"]
Weekday = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
SummaryGroup = Literal[
    "PROJECT", "CLIENT", "TASK", "TAG", "USER", "USER_GROUP", "DATE", "WEEK", "MONTH", "TIMEENTRY"
]


class ContainsFilter(Input):
    """`ContainsArchivedFilter` (projects, clients), `ContainsTaskFilter`, `ContainsUsersFilter`."""

    ids: IdList | None = None
    contains: Contains | None = None
    status: ShortText | None = None


class ContainsTagFilter(ContainsFilter):
    contained_in_timeentry: Contains | None = None


class CustomFieldFilter(Input):
    """One custom-field condition on the entries' values (semantics: reports/service.py's docstring).
    `empty` is read as a synonym of `isEmpty`."""

    id: IdText | None = None
    type: ShortText | None = None
    value: (
        ShortText | int | float | bool | Annotated[list[ShortText], msgspec.Meta(max_length=100)] | None
    ) = None
    is_empty: bool | None = None
    empty: bool | None = None
    number_condition: ShortText | None = None


class ReportRequest(Input):
    """The filters every report family shares."""

    date_range_start: ShortText | None = None
    date_range_end: ShortText | None = None
    date_range_type: ShortText | None = None
    time_zone: ShortText | None = None
    users: ContainsFilter | None = None
    user_groups: ContainsFilter | None = None
    clients: ContainsFilter | None = None
    projects: ContainsFilter | None = None
    tasks: ContainsFilter | None = None
    tags: ContainsTagFilter | None = None
    currency: ContainsFilter | None = None
    billable: bool | None = None
    invoicing_state: Literal["INVOICED", "UNINVOICED", "ALL"] | None = None
    approval_state: Literal["APPROVED", "UNAPPROVED", "ALL"] | None = None
    description: SearchText | None = None
    without_description: bool | None = None
    rounding: bool | None = None
    amount_shown: AmountType | None = None
    amounts: Annotated[list[AmountType], msgspec.Meta(max_length=10)] | None = None
    sort_order: Literal["ASCENDING", "DESCENDING"] | None = None
    week_start: Weekday | None = None
    time_format: ShortText | None = None
    date_format: ShortText | None = None
    export_type: ExportType | None = None
    user_locale: ShortText | None = None
    zoom_level: ShortText | None = None
    archived: bool | None = None
    custom_fields: Annotated[list[CustomFieldFilter], msgspec.Meta(max_length=100)] | None = None
    user_custom_fields: Annotated[list[CustomFieldFilter], msgspec.Meta(max_length=100)] | None = None


class SummaryFilter(Input):
    groups: Annotated[list[SummaryGroup], msgspec.Meta(max_length=3)] | None = None
    sort_column: Literal["GROUP", "DURATION", "AMOUNT", "EARNED", "COST", "PROFIT"] | None = None
    summary_chart_type: Literal["BILLABILITY", "PROJECT"] | None = None


class SummaryReportRequest(ReportRequest):
    summary_filter: SummaryFilter | None = None


class AuditFilter(Input):
    duration: Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)] | None = None
    duration_shorter: bool | None = None
    without_project: bool | None = None
    without_task: bool | None = None


class DetailedOptions(Input):
    totals: Literal["CALCULATE", "EXCLUDE"] | None = None


DetailedSort = Literal["ID", "DESCRIPTION", "USER", "DURATION", "DATE", "ZONED_DATE", "NATURAL", "USER_DATE"]


class DetailedFilter(Input):
    page: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = None
    page_size: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    sort_column: DetailedSort | None = None
    audit_filter: AuditFilter | None = None
    options: DetailedOptions | None = None


class DetailedReportRequest(ReportRequest):
    detailed_filter: DetailedFilter | None = None


class WeeklyFilter(Input):
    group: Literal["USER", "PROJECT"] | None = None
    subgroup: Literal["TIME", "EARNED", "COST", "PROFIT"] | None = None


class WeeklyReportRequest(ReportRequest):
    weekly_filter: WeeklyFilter | None = None


AttendanceSort = Literal["USER", "DATE", "START", "END", "BREAK", "WORK", "CAPACITY", "OVERTIME", "TIME_OFF"]


class CompareFilter(Input):
    filtration_type: Literal["EXACTLY", "LARGER_THAN", "SMALLER_THAN"] | None = None
    value: ShortText | int | None = None


CompareList = Annotated[list[CompareFilter], msgspec.Meta(max_length=20)]


class AttendanceFilter(Input):
    page: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] | None = None
    page_size: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    sort_column: AttendanceSort | None = None
    has_time_off: bool | None = None
    start_filters: CompareList | None = None
    end_filters: CompareList | None = None
    break_filters: CompareList | None = None
    work_filters: CompareList | None = None
    capacity_filters: CompareList | None = None
    overtime_filters: CompareList | None = None


class AttendanceReportRequest(ReportRequest):
    attendance_filter: AttendanceFilter | None = None
