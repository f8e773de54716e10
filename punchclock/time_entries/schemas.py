"""Time-entry wire shapes: the create/update bodies (`TimeEntryCreate`, `TimeEntryUpdate`,
`BulkEditTimeEntryRequest`), the stop, invoiced and read-by-ids bodies, and the entry as Clockify renders
it (`TimeEntryDtoImplV1` with rates), plain or hydrated."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from punchclock.kit.wire import Input, Output, ShortText

IdText = Annotated[str, msgspec.Meta(max_length=100)]
InstantText = Annotated[str, msgspec.Meta(max_length=100)]
Description = ShortText  # 3000 characters, as Clockify
CustomValueText = Annotated[str, msgspec.Meta(max_length=5000)]
EntryType = Literal["REGULAR", "BREAK"]
MAX_IDS = 1000


class CustomFieldIn(Input):
    """`customFields[]` on writes: a value for one custom field (`sourceType` WORKSPACE or PROJECT says
    where it came from; the default is WORKSPACE)."""

    custom_field_id: IdText | None = None
    source_type: IdText | None = None
    value: CustomValueText | int | float | bool | list[CustomValueText] | None = None


class TimeEntryCreate(Input):
    """`POST …/time-entries`, `POST …/user/{uid}/time-entries` and `PUT …/time-entries/{id}`."""

    start: InstantText | None = None
    end: InstantText | None = None
    billable: bool | None = None
    description: Description | None = None
    project_id: IdText | None = None
    task_id: IdText | None = None
    tag_ids: Annotated[list[IdText], msgspec.Meta(max_length=MAX_IDS)] | None = None
    tags: Annotated[list[IdText], msgspec.Meta(max_length=MAX_IDS)] | None = None
    type: EntryType | None = None
    custom_fields: Annotated[list[CustomFieldIn], msgspec.Meta(max_length=MAX_IDS)] | None = None
    # FACTS: the read key on a write is accepted and its values dropped.
    custom_field_values: Annotated[list[CustomFieldIn], msgspec.Meta(max_length=MAX_IDS)] | None = None


class TimeEntryUpdate(TimeEntryCreate):
    """`PUT …/time-entries/{id}`: a full replace, except that an omitted `start` keeps the stored one."""


class BulkEditEntry(TimeEntryCreate):
    """One element of `PUT …/user/{uid}/time-entries`: an entry with its id, replaced whole."""

    id: IdText | None = None


class StopTimer(Input):
    """`PATCH …/user/{uid}/time-entries`."""

    end: InstantText | None = None


class MarkInvoiced(Input):
    """`PATCH …/time-entries/invoiced`."""

    time_entry_ids: Annotated[list[IdText], msgspec.Meta(max_length=MAX_IDS)] | None = None
    invoiced: bool | None = None


class EntriesByIds(Input):
    """`POST …/time-entries/batch` (`GetTimeEntriesByIdsRequest`)."""

    time_entry_ids: Annotated[list[IdText], msgspec.Meta(max_length=MAX_IDS)] | None = None
    hydrated: bool | None = None


class TimeInterval(Output):
    start: str | None
    end: str | None
    duration: str | None


class Rate(Output):
    amount: int
    currency: str


class CustomFieldValueOut(Output):
    """Clockify `CustomFieldValueDtoV1`. `name` is the field's, filled in once custom fields exist; `type`
    is the value's source type (WORKSPACE, PROJECT)."""

    custom_field_id: str
    time_entry_id: str
    value: Any
    name: str | None
    type: str


class TimeEntryOut(Output):
    id: str
    description: str
    tag_ids: list[str]
    user_id: str
    billable: bool
    task_id: str | None
    project_id: str | None
    workspace_id: str
    time_interval: TimeInterval
    custom_field_values: list[CustomFieldValueOut]
    type: str
    kiosk_id: str | None
    hourly_rate: Rate | None
    cost_rate: Rate | None
    is_locked: bool


class ProjectRef(Output):
    id: str
    name: str
    client_id: str | None
    client_name: str | None
    color: str
    billable: bool
    archived: bool
    public: bool
    workspace_id: str


class TaskRef(Output):
    id: str
    name: str
    project_id: str
    status: str
    billable: bool


class TagRef(Output):
    id: str
    name: str
    archived: bool
    workspace_id: str


class UserRef(Output):
    id: str
    name: str
    email: str
    profile_picture: str
    status: str


class HydratedTimeEntryOut(TimeEntryOut):
    """`hydrated=true`: the base row plus the referenced entities, nested."""

    project: ProjectRef | None
    task: TaskRef | None
    tags: list[TagRef]
    user: UserRef | None
    kiosk: None = None
