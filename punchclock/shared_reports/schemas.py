"""Shared-report wire shapes (Clockify `SharedReportCreate`, `SharedReport`, `SharedReportListEnvelope`).

The saved report body (`filter`) is one Struct holding every report family's filters, so a body is
validated (bounded texts, known enums) when it is saved, and rendered later as the report its `type` names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from punchclock.kit.wire import Input, Output
from punchclock.reports.schemas import DetailedFilter, ReportRequest, SummaryFilter, WeeklyFilter

NameText = Annotated[str, msgspec.Meta(max_length=250)]
IdText = Annotated[str, msgspec.Meta(max_length=100)]
MAX_VIEWERS = 1000

# Every type Clockify names; only the first three render here (the others are refused when saved).
ReportType = Literal[
    "SUMMARY", "DETAILED", "WEEKLY", "EXPENSE_DETAILED", "INVOICE_TIME", "KIOSK_PIN_LIST",
    "ATTENDANCE_DETAILED", "ATTENDANCE_SUMMARY", "ASSIGNMENT_LIST", "ASSIGNMENT_SCHEDULE",
    "APPROVAL_DETAILED", "APPROVAL_SUMMARY", "BALANCE_LIST", "INVOICE_AMOUNT_LIST", "INVOICE_DETAILED",
    "TIMEOFF_DETAILED", "TIMEOFF_HOLIDAY", "TIMEOFF_BALANCE", "EXPENSE_SUMMARY",
]  # fmt: skip
RENDERED_TYPES = ("SUMMARY", "DETAILED", "WEEKLY")

DateRangeType = Literal[
    "ABSOLUTE", "TODAY", "YESTERDAY", "THIS_WEEK", "LAST_WEEK", "PAST_TWO_WEEKS", "THIS_MONTH",
    "LAST_MONTH", "THIS_YEAR", "LAST_YEAR",
]  # fmt: skip


class SharedReportFilter(ReportRequest):
    """The saved report body: the common report filters plus each family's own."""

    summary_filter: SummaryFilter | None = None
    detailed_filter: DetailedFilter | None = None
    weekly_filter: WeeklyFilter | None = None


class ViewerRef(Input):
    """A user or user group of `visibleToUsers` / `visibleToUserGroups`, as an object (or a bare id)."""

    id: IdText | None = None
    name: NameText | None = None


Viewers = Annotated[list[IdText | ViewerRef], msgspec.Meta(max_length=MAX_VIEWERS)]


class SharedReportInput(Input):
    """Create (name, type and filter required) and update (merge: what is given replaces what is saved)."""

    name: NameText | None = None
    type: ReportType | None = None
    is_public: bool | None = None
    fixed_date: bool | None = None
    filter: SharedReportFilter | None = None
    visible_to_users: Viewers | None = None
    visible_to_user_groups: Viewers | None = None


class ViewerOut(Output):
    id: str
    name: str | None


class SharedReportOut(Output):
    id: str
    name: str
    type: str
    is_public: bool
    fixed_date: bool
    filter: dict[str, Any]
    link: str
    report_author: str
    user_id: str
    workspace_id: str
    visible_to_users: list[ViewerOut]
    visible_to_user_groups: list[ViewerOut]


class SharedReportList(Output):
    reports: list[SharedReportOut]
    count: int
