"""Time-entry rules: who may write whose entries, PUT as a full replace, one running timer per user and
workspace, the workspace's required fields and lock date, and rates resolved when an entry is written.

Decisions where Clockify's behaviour is not on record (each easy to change here):
- An entry lasts at most `MAX_DURATION` (999:59:59); longer ones are refused with 400, and so are
  instants outside the years 1900 to 8999.
- Starting a timer stops the running one at the new start, or at its own start if the new one starts
  earlier (it is never given a negative duration). Finished entries may overlap freely.
- Running timers may lack the workspace's required fields; finishing one (stop, or a write with `end`)
  must provide them.
- A member may read others' entries unless `onlyAdminsSeeAllTimeEntries` is on; writes to another user's
  entries are for admins. Non-admins cannot write entries starting before the lock date.
- List filters: `start` keeps entries starting at/after it, `end` those starting before it (Clockify's
  docs: "started after/before"), both read as wall-clock times in the caller's zone (FACTS);
  `get-week-before` keeps the 7 days before that instant; `in-progress=false` and `*-required=false`
  filter nothing; `tags` keeps entries carrying any of the tags; `description` is a case-insensitive
  "contains".
- The bulk edit body (`BulkEditTimeEntryRequest`) has no tag field, so an item without `tagIds`/`tags`
  keeps its tags; everything else it omits is replaced as in PUT.
- A running entry cannot be duplicated (400): the copy would be a second timer.
- `from-entry` on create fills what the body omits from that entry; an unknown one is 404, empty body.
- An edit keeping the entry's project and task keeps its stored rates; moving it re-resolves them.
- Custom-field values (`customFields: [{customFieldId, sourceType, value}]` on writes, `customFieldValues`
  on reads): custom fields do not exist yet, so any well-formed field id is stored (a seam, like the users
  feature's) and `name` reads null; `type` is the value's `sourceType` (WORKSPACE unless PROJECT or
  TIMEENTRY is given). A value is text, a number, a boolean or a list of those (at most MAX_CUSTOM_VALUE
  characters of JSON); a null value clears the field; a field named twice keeps its last value. They are
  listed by field id. Create and PUT make the values exactly the body's (PUT without `customFields`
  clears them, as it clears tags); a bulk-edit item without `customFields` keeps them (its documented body
  has none, as for tags); `from-entry` and duplicate copy them; the stop keeps them. The read key
  `customFieldValues` on a write is ignored (FACTS).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import msgspec

from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.custom_values import match_keys
from punchclock.kit.db import Row, UniqueViolation
from punchclock.kit.errors import ApiError, access_denied, bad_request, not_in_workspace
from punchclock.kit.listing import name_key
from punchclock.kit.paging import Page, paged
from punchclock.kit.time import format_duration, format_instant, now_ms, parse_instant
from punchclock.projects import service as projects
from punchclock.rates import service as rates
from punchclock.tags import service as tags
from punchclock.time_entries import store
from punchclock.time_entries.schemas import (
    MAX_IDS,
    BulkEditEntry,
    CustomFieldIn,
    CustomFieldValueOut,
    EntriesByIds,
    HydratedTimeEntryOut,
    MarkInvoiced,
    ProjectRef,
    Rate,
    StopTimer,
    TagRef,
    TaskRef,
    TimeEntryCreate,
    TimeEntryOut,
    TimeInterval,
    UserRef,
)
from punchclock.time_entries.store import EntryFilter
from punchclock.workspaces import service as workspaces
from punchclock.workspaces.schemas import WorkspaceSettings

MAX_DURATION = 999 * 3600 + 59 * 60 + 59  # seconds
MAX_CUSTOM_VALUE = 5000  # characters of JSON
SOURCE_TYPES = ("WORKSPACE", "PROJECT", "TIMEENTRY")
MAX_IN_PROGRESS_PAGE = 1000
WEEK_MS = 7 * 86400 * 1000
# Entries lie in 1900 to 8999: far enough for any import, and every instant formats as four-digit years.
EARLIEST_MS = int(datetime(1900, 1, 1, tzinfo=UTC).timestamp()) * 1000
LATEST_MS = int(datetime(9000, 1, 1, tzinfo=UTC).timestamp()) * 1000
_PROJECT_REQUIRED = "Project is either required field or given project is archived."

Out = TimeEntryOut | HydratedTimeEntryOut
# A stored row, or the values just written (same keys).
RowLike = Row | Mapping[str, Any]


def _entry_missing() -> ApiError:
    return not_in_workspace("Time entry")


def _timer_conflict() -> ApiError:
    # Only reachable if a running entry appeared without passing the user's timer lock: refused cleanly,
    # the transaction rolled back, never two running timers.
    return bad_request("Another time entry of this user is running; stop it first")


# Context of one request ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """What rendering and the rules need to know about the workspace, read once per request."""

    settings: WorkspaceSettings
    lock_ms: int | None
    # Whether the caller sees everybody's billable rates (their own they always see).
    sees_billable_rates: bool


async def _view(ctx: WorkspaceContext) -> _View:
    settings = await workspaces.settings_of(ctx)
    lock_ms = None
    if settings.lock_time_entries:
        try:
            lock_ms = parse_instant(settings.lock_time_entries, "lockTimeEntries")
        except ApiError:
            lock_ms = None  # an unreadable stored lock date locks nothing
    return _View(settings, lock_ms, ctx.is_admin or not settings.only_admins_see_billable_rates)


def _may_write_for(ctx: WorkspaceContext, user_id: str) -> None:
    if user_id != ctx.user_id:
        ctx.require_admin()


def _may_read(ctx: WorkspaceContext, view: _View, user_id: str) -> None:
    if user_id != ctx.user_id and not ctx.is_admin and view.settings.only_admins_see_all_time_entries:
        raise access_denied()


async def _require_user(ctx: WorkspaceContext, user_id: str) -> None:
    if user_id == ctx.user_id:
        return  # the caller's own membership was checked with their key (kit/auth.py)
    await workspaces.require_member(ctx, user_id)


async def _require_entry(ctx: WorkspaceContext, entry_id: str, *, hydrated: bool = False) -> Row:
    row = (
        await store.get(ctx.unit, ctx.workspace_id, entry_id, hydrated=hydrated)
        if ids.is_id(entry_id)
        else None
    )
    if row is None:
        raise _entry_missing()
    return row


# Rendering ----------------------------------------------------------------------------------------------


def _base_fields(
    ctx: WorkspaceContext,
    view: _View,
    row: RowLike,
    tag_ids: list[str],
    custom: list[CustomFieldValueOut] | None = None,
) -> tuple[Any, ...]:
    """TimeEntryOut's fields in declaration order: lists build each entry positionally, which costs
    about half of building keyword arguments (a page of 50 renders on every list request)."""
    own = row["user_id"] == ctx.user_id
    end_ms = row["end_ms"]
    start_ms = row["start_ms"]
    hourly, cost = row["hourly_rate"], row["cost_rate"]
    if hourly is not None or cost is not None:
        currency = row["currency"] or "USD"
        hourly_rate = (
            Rate(int(hourly), currency) if hourly is not None and (own or view.sees_billable_rates) else None
        )
        cost_rate = Rate(int(cost), currency) if cost is not None and (own or ctx.is_admin) else None
    else:
        hourly_rate = cost_rate = None
    interval = (
        TimeInterval(format_instant(start_ms), None, None)
        if end_ms is None
        else TimeInterval(
            format_instant(start_ms), format_instant(end_ms), format_duration(int(row["duration"]))
        )
    )
    return (
        row["id"],
        row["description"],
        tag_ids,
        row["user_id"],
        bool(row["billable"]),
        row["task_id"],
        row["project_id"],
        row["workspace_id"],
        interval,
        custom or [],
        row["type"],
        row["kiosk_id"],
        hourly_rate,
        cost_rate,
        view.lock_ms is not None and start_ms < view.lock_ms,
    )


def _hydrated_fields(row: Row, tag_rows: list[Row]) -> dict[str, Any]:
    project = None
    if row["project_id"] is not None and row["p_name"] is not None:
        project = ProjectRef(
            id=row["project_id"],
            name=row["p_name"],
            client_id=row["p_client_id"],
            client_name=row["p_client_name"] or "",
            color=row["p_color"],
            billable=bool(row["p_billable"]),
            archived=bool(row["p_archived"]),
            public=bool(row["p_public"]),
            workspace_id=row["workspace_id"],
        )
    task = None
    if row["task_id"] is not None and row["t_name"] is not None:
        task = TaskRef(
            id=row["task_id"],
            name=row["t_name"],
            project_id=row["t_project_id"],
            status=row["t_status"],
            billable=bool(row["t_billable"]),
        )
    user = None
    if row["u_name"] is not None:
        user = UserRef(
            id=row["user_id"],
            name=row["u_name"],
            email=row["u_email"],
            profile_picture=row["u_picture"] or "",
            status=row["u_status"],
        )
    tag_refs = [
        TagRef(id=t["tag_id"], name=t["name"], archived=bool(t["archived"]), workspace_id=row["workspace_id"])
        for t in tag_rows
    ]
    return {"project": project, "task": task, "tags": tag_refs, "user": user}


async def _render(
    ctx: WorkspaceContext,
    view: _View,
    rows: Sequence[Row],
    *,
    hydrated: bool = False,
    tags_carried: bool = False,
) -> list[Out]:
    """Rows (hydrated rows when `hydrated`) as the wire shows them, tags fetched in one query unless the
    rows carry them (`tags_carried`), and the custom values in one more, only when a row has any."""
    by_entry = await _tags_by_entry(ctx, rows, hydrated=hydrated, carried=tags_carried)
    custom = await _custom_by_entry(ctx, [r["id"] for r in rows if r["has_custom_values"]])
    out: list[Out] = []
    for row in rows:
        tag_rows = by_entry[row["id"]]
        base = _base_fields(ctx, view, row, [t["tag_id"] for t in tag_rows], custom.get(row["id"]))
        if hydrated:
            out.append(HydratedTimeEntryOut(*base, **_hydrated_fields(row, tag_rows)))
        else:
            out.append(TimeEntryOut(*base))
    return out


async def _tags_by_entry(
    ctx: WorkspaceContext, rows: Sequence[Row], *, hydrated: bool = False, carried: bool = False
) -> dict[str, list[Row]]:
    """Each entry's tag rows (tag_id, name_key[, name, archived]), ordered by name (then id): the ids come
    from the entries' own tag lists, the names from one look-up of the distinct tags (none when no entry
    has a tag); `carried`: the rows bring their tag ids in order (`store.CARRIED_TAGS`), no look-up."""
    if carried:
        return {r["id"]: [{"tag_id": t} for t in r[store.CARRIED_TAGS] or ()] for r in rows}
    lists = {r["id"]: store.tag_ids_of(r["tag_list"]) for r in rows}
    wanted = sorted({t for tag_ids in lists.values() for t in tag_ids})
    found = {
        t["tag_id"]: t for t in await store.tags_named(ctx.unit, ctx.workspace_id, wanted, hydrated=hydrated)
    }
    by_entry = {}
    for entry_id, tag_ids in lists.items():
        tag_rows = [found[t] for t in tag_ids if t in found]
        tag_rows.sort(key=lambda t: (t["name_key"], t["tag_id"]))
        by_entry[entry_id] = tag_rows
    return by_entry


async def _tag_ids_stored(ctx: WorkspaceContext, row: Row) -> list[str]:
    return [t["tag_id"] for t in (await _tags_by_entry(ctx, [row]))[row["id"]]]


def _custom_out(entry_id: str, values: Sequence[Mapping[str, Any]]) -> list[CustomFieldValueOut]:
    return [
        CustomFieldValueOut(
            custom_field_id=v["custom_field_id"],
            time_entry_id=entry_id,
            value=v["raw"],
            name=None,
            type=v["source_type"],
        )
        for v in values
    ]


async def _custom_rows(ctx: WorkspaceContext, entry_ids: Sequence[str]) -> dict[str, list[Row]]:
    """The stored custom-value rows of these entries (pass only entries whose flag says they have some),
    each entry's ordered by field id; one query, none for no ids."""
    by_entry: dict[str, list[Row]] = {}
    for r in await store.custom_values_of(ctx.unit, ctx.workspace_id, entry_ids):
        by_entry.setdefault(r["time_entry_id"], []).append(r)
    for rows in by_entry.values():
        rows.sort(key=lambda r: r["custom_field_id"])
    return by_entry


async def _custom_stored(ctx: WorkspaceContext, entry_ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """The stored custom values of these entries as the values a write would store."""
    return {
        entry_id: [
            _custom_value(
                r["custom_field_id"], r["source_type"], None if r["value"] is None else json.loads(r["value"])
            )
            for r in rows
        ]
        for entry_id, rows in (await _custom_rows(ctx, entry_ids)).items()
    }


async def _custom_by_entry(
    ctx: WorkspaceContext, entry_ids: Sequence[str]
) -> dict[str, list[CustomFieldValueOut]]:
    """The wire's `customFieldValues` of these entries."""
    decode = msgspec.json.decode
    return {
        entry_id: [
            CustomFieldValueOut(
                custom_field_id=r["custom_field_id"],
                time_entry_id=entry_id,
                value=None if r["value"] is None else decode(r["value"]),
                name=None,
                type=r["source_type"],
            )
            for r in rows
        ]
        for entry_id, rows in (await _custom_rows(ctx, entry_ids)).items()
    }


async def custom_values_of(
    ctx: WorkspaceContext, entry_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    """For the detailed report: the custom-field values of these entries (those flagged as having some) as
    `{customFieldId, value, type, name}`; one query, none for no ids."""
    return {
        entry_id: [
            {"customFieldId": v.custom_field_id, "value": v.value, "type": v.type, "name": v.name}
            for v in values
        ]
        for entry_id, values in (await _custom_by_entry(ctx, entry_ids)).items()
    }


def _render_written(ctx: WorkspaceContext, view: _View, values: dict[str, Any], entry: _Entry) -> Out:
    """An entry just written, from the values stored (no read-back)."""
    custom = _custom_out(values["id"], entry.custom_values)
    return TimeEntryOut(*_base_fields(ctx, view, {**values, "kiosk_id": None}, entry.tag_ids, custom))


async def _render_ids(
    ctx: WorkspaceContext, view: _View, entry_ids: Sequence[str], *, hydrated: bool = False
) -> list[Out]:
    """Entries of these ids, in this order."""
    rows = await store.get_many(ctx.unit, ctx.workspace_id, entry_ids, hydrated=hydrated)
    by_id = {r["id"]: r for r in rows}
    return await _render(ctx, view, [by_id[i] for i in entry_ids if i in by_id], hydrated=hydrated)


async def _render_one(ctx: WorkspaceContext, view: _View, entry_id: str, *, hydrated: bool = False) -> Out:
    rendered = await _render_ids(ctx, view, [entry_id], hydrated=hydrated)
    if not rendered:
        raise _entry_missing()
    return rendered[0]


# Validation of a write ----------------------------------------------------------------------------------


@dataclass
class _Entry:
    """A validated entry, ready to be stored."""

    user_id: str
    start_ms: int
    end_ms: int | None
    description: str
    project_id: str | None
    task_id: str | None
    tag_ids: list[str]
    billable: bool
    type: str
    # The values to store (see `_custom_value`), ordered by field id.
    custom_values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def duration(self) -> int | None:
        return None if self.end_ms is None else (self.end_ms - self.start_ms) // 1000


def _instant(value: str | None, field: str) -> int | None:
    """An instant from the wire (None when absent), within the years time entries may have."""
    if value is None or not value.strip():
        return None
    ms = parse_instant(value, field)
    if not EARLIEST_MS <= ms < LATEST_MS:
        raise bad_request(f"You entered invalid value for field: [{field}]. Value: {value!r}")
    return ms


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = value.strip()
    return cleaned or None


def _tag_ids_of(body: TimeEntryCreate) -> list[str]:
    given = body.tag_ids if body.tag_ids is not None else body.tags
    return list(dict.fromkeys(t.strip() for t in (given or []) if t and t.strip()))


def _valid_custom_field_id(custom_field_id: str | None) -> str:
    # Seam for custom fields: check the field exists here, applies to time entries and accepts the value.
    cleaned = (custom_field_id or "").strip()
    if not ids.is_id(cleaned):
        raise not_in_workspace("Custom field")
    return cleaned


def _custom_value(custom_field_id: str, source_type: str, raw: Any) -> dict[str, Any]:
    """A custom value as stored: its JSON text, and the text and number the reports' filter matches (see
    migration 0008). `raw` is kept for rendering a write without reading it back."""
    value_text, value_number = match_keys(raw)
    return {
        "custom_field_id": custom_field_id,
        "source_type": source_type,
        "value": None if raw is None else json.dumps(raw, ensure_ascii=False),
        "value_text": value_text,
        "value_number": value_number,
        "raw": raw,
    }


def _custom_values_of(given: Sequence[CustomFieldIn]) -> list[dict[str, Any]]:
    """The values a write's `customFields` asks to store (a null value clears its field)."""
    by_field: dict[str, dict[str, Any]] = {}
    for item in given:
        field_id = _valid_custom_field_id(item.custom_field_id)
        source = (item.source_type or "WORKSPACE").strip().upper() or "WORKSPACE"
        if source not in SOURCE_TYPES:
            raise bad_request(f"You entered invalid value for field: [sourceType]. Value: {item.source_type}")
        if item.value is None:
            by_field.pop(field_id, None)
            continue
        value = _custom_value(field_id, source, item.value)
        if len(value["value"]) > MAX_CUSTOM_VALUE:
            raise bad_request(f"Custom field value can't be longer than {MAX_CUSTOM_VALUE} characters")
        by_field[field_id] = value
    return [by_field[k] for k in sorted(by_field)]


def _custom_in(values: Sequence[Mapping[str, Any]]) -> list[CustomFieldIn]:
    """Stored values as a write's `customFields` (to carry them over into a new body)."""
    return [
        CustomFieldIn(custom_field_id=v["custom_field_id"], source_type=v["source_type"], value=v["raw"])
        for v in values
    ]


def check_interval(start_ms: int, end_ms: int | None) -> None:
    if end_ms is None:
        return
    if end_ms < start_ms:
        raise bad_request("Time entry end must not be before its start")
    if (end_ms - start_ms) // 1000 > MAX_DURATION:
        raise bad_request("Time entry can't be longer than 999 hours 59 minutes 59 seconds")


def _required_fields(view: _View, entry: _Entry, verb: str) -> None:
    """The workspace's required fields, for a finished entry (a running timer may lack them)."""
    if entry.end_ms is None:
        return
    s = view.settings
    if s.force_projects and entry.project_id is None:
        raise bad_request(f"Time entry couldn't be {verb}. {_PROJECT_REQUIRED}")
    if s.force_tasks and entry.task_id is None:
        raise bad_request(f"Time entry couldn't be {verb}. Task is required field.")
    if s.force_tags and not entry.tag_ids:
        raise bad_request(f"Time entry couldn't be {verb}. Tag is required field.")
    if s.force_description and not entry.description.strip():
        raise bad_request(f"Time entry couldn't be {verb}. Description is required field.")


def _not_locked(ctx: WorkspaceContext, view: _View, *starts: int) -> None:
    if ctx.is_admin or view.lock_ms is None:
        return
    if any(s < view.lock_ms for s in starts):
        raise bad_request(f"Time entries before {format_instant(view.lock_ms)} are locked")


async def _validate(
    ctx: WorkspaceContext,
    view: _View,
    user_id: str,
    body: TimeEntryCreate,
    *,
    current: Row | None,
    verb: str,
) -> _Entry:
    """Check a create or replace body against the workspace; nothing is written here."""
    start_ms = _instant(body.start, "start")
    if start_ms is None:
        if current is None:
            raise bad_request("start: must not be null")
        start_ms = int(current["start_ms"])  # a PUT without `start` keeps the stored one
    end_ms = _instant(body.end, "end")
    check_interval(start_ms, end_ms)

    project_id = _blank_to_none(body.project_id)
    task_id = _blank_to_none(body.task_id)
    billable_default = False
    if project_id is not None:
        # The project and its task in one statement on this hot path (rather than projects.require and
        # tasks.require, two queries); who may track on the project stays the projects feature's rule.
        ref = (
            await store.references(ctx.unit, ctx.workspace_id, project_id, task_id)
            if ids.is_id(project_id)
            else None
        )
        if ref is None or not await projects.can_track(ctx, ref, user_id):
            raise not_in_workspace("Project")
        billable_default = bool(ref["billable"])
        if task_id is not None:
            if ref["task_id"] is None:
                raise not_in_workspace("Task")
            billable_default = bool(ref["task_billable"])
    elif task_id is not None:
        raise not_in_workspace("Task")
    tag_ids = _tag_ids_of(body)
    if tag_ids:
        found = await tags.require_all(ctx, tag_ids)
        tag_ids = [t["id"] for t in sorted(found, key=lambda t: (name_key(t["name"]), t["id"]))]
    # Create: the task's (else the project's) billable flag; PUT replaces, so an omitted flag is false.
    omitted_billable = billable_default if current is None else False
    billable = body.billable if body.billable is not None else omitted_billable
    entry = _Entry(
        user_id=user_id,
        start_ms=start_ms,
        end_ms=end_ms,
        description=body.description or "",
        project_id=project_id,
        task_id=task_id,
        tag_ids=tag_ids,
        billable=billable,
        type=body.type or "REGULAR",
        custom_values=_custom_values_of(body.custom_fields or ()),
    )
    _required_fields(view, entry, verb)
    _not_locked(ctx, view, start_ms, *(() if current is None else (int(current["start_ms"]),)))
    return entry


_RATE_COLUMNS = ("hourly_rate", "hourly_rate_source", "cost_rate", "cost_rate_source", "currency")


async def _columns(
    ctx: WorkspaceContext, entry_id: str, entry: _Entry, now: int, current: Row | None = None
) -> dict[str, Any]:
    """The row to store. An edit that keeps the project and task keeps the rates stored (history is not
    re-priced by fixing a description); otherwise the rates are resolved as of now."""
    if current is not None and (current["project_id"], current["task_id"]) == (
        entry.project_id,
        entry.task_id,
    ):
        rate_columns = {c: current[c] for c in _RATE_COLUMNS}
    else:
        resolved = await rates.resolve(
            ctx, user_id=entry.user_id, project_id=entry.project_id, task_id=entry.task_id
        )
        rate_columns = resolved.columns()
    return {
        "id": entry_id,
        "workspace_id": ctx.workspace_id,
        "user_id": entry.user_id,
        "description": entry.description,
        "project_id": entry.project_id,
        "task_id": entry.task_id,
        "billable": entry.billable,
        "start_ms": entry.start_ms,
        "end_ms": entry.end_ms,
        "duration": entry.duration,
        "type": entry.type,
        "has_custom_values": bool(entry.custom_values),
        "tag_list": store.tag_list(entry.tag_ids),
        "now": now,
        **rate_columns,
    }


async def _make_room_for_timer(ctx: WorkspaceContext, entry: _Entry, keep_id: str | None) -> None:
    """A new running entry stops the user's running one at its start. Under the user's timer lock (on
    PostgreSQL) so that concurrent starts queue up: each sees the previous one committed and stops it; the
    partial unique index `time_entries_one_running` is the last word either way."""
    if entry.end_ms is None:
        await store.lock_timer(ctx.unit, ctx.workspace_id, entry.user_id)
        await store.stop_running(ctx.unit, ctx.workspace_id, entry.user_id, entry.start_ms, keep_id)


async def _insert(ctx: WorkspaceContext, entry: _Entry) -> dict[str, Any]:
    """Store a new entry; return the values stored."""
    values = await _columns(ctx, ids.new_id(), entry, now_ms())
    await _make_room_for_timer(ctx, entry, None)
    try:
        # Nothing is written after a finished entry without tags or custom values: its INSERT may run as
        # a transaction of its own.
        last = entry.end_ms is not None and not entry.tag_ids and not entry.custom_values
        await store.insert(ctx.unit, values, last=last)
    except UniqueViolation:
        raise _timer_conflict() from None
    await store.set_tags(ctx.unit, ctx.workspace_id, values["id"], entry.tag_ids, fresh=True)
    if entry.custom_values:
        await store.set_custom_values(
            ctx.unit, ctx.workspace_id, values["id"], entry.custom_values, fresh=True
        )
    return values


# Operations ---------------------------------------------------------------------------------------------


async def create(ctx: WorkspaceContext, body: TimeEntryCreate, user_id: str | None = None) -> Out:
    """`POST …/time-entries` (the caller) and `POST …/user/{uid}/time-entries` (admins for others)."""
    target = ctx.user_id if user_id is None else user_id
    if user_id is not None:
        await _require_user(ctx, target)
        _may_write_for(ctx, target)
    view = await _view(ctx)
    entry = await _validate(ctx, view, target, body, current=None, verb="created")
    return _render_written(ctx, view, await _insert(ctx, entry), entry)


async def filled_from(
    ctx: WorkspaceContext, body: TimeEntryCreate, from_entry: str
) -> TimeEntryCreate | None:
    """`from-entry`: the body with what it leaves out taken from that entry (None if there is no such
    entry the caller may read)."""
    row = await store.get(ctx.unit, ctx.workspace_id, from_entry) if ids.is_id(from_entry) else None
    if row is None:
        return None
    _may_read(ctx, await _view(ctx), row["user_id"])
    tag_ids = await _tag_ids_stored(ctx, row)
    custom_fields = body.custom_fields
    if custom_fields is None and row["has_custom_values"]:
        custom_fields = _custom_in((await _custom_stored(ctx, [row["id"]])).get(row["id"], []))
    return msgspec.structs.replace(
        body,
        custom_fields=custom_fields,
        description=body.description if body.description is not None else row["description"],
        project_id=body.project_id if body.project_id is not None else row["project_id"],
        task_id=body.task_id if body.task_id is not None else row["task_id"],
        tag_ids=body.tag_ids if body.tag_ids is not None or body.tags is not None else tag_ids,
        billable=body.billable if body.billable is not None else bool(row["billable"]),
        type=body.type if body.type is not None else row["type"],
    )


async def get(ctx: WorkspaceContext, entry_id: str, *, hydrated: bool) -> Out:
    row = await _require_entry(ctx, entry_id, hydrated=hydrated)
    view = await _view(ctx)
    _may_read(ctx, view, row["user_id"])
    return (await _render(ctx, view, [row], hydrated=hydrated))[0]


async def _replace(
    ctx: WorkspaceContext, view: _View, current: Row, body: TimeEntryCreate
) -> tuple[dict[str, Any], _Entry]:
    """Replace a stored entry; return the values stored and the validated entry."""
    _may_write_for(ctx, current["user_id"])
    entry = await _validate(ctx, view, current["user_id"], body, current=current, verb="updated")
    values = await _columns(ctx, current["id"], entry, now_ms(), current)
    await _make_room_for_timer(ctx, entry, current["id"])
    try:
        await store.replace(ctx.unit, values)
    except UniqueViolation:
        raise _timer_conflict() from None
    await store.set_tags(ctx.unit, ctx.workspace_id, current["id"], entry.tag_ids, fresh=False)
    await store.set_custom_values(
        ctx.unit, ctx.workspace_id, current["id"], entry.custom_values, fresh=not current["has_custom_values"]
    )
    return values, entry


async def replace(ctx: WorkspaceContext, entry_id: str, body: TimeEntryCreate) -> Out:
    """`PUT …/time-entries/{id}`: a full replace; an omitted `end` makes it a running timer again."""
    current = await _require_entry(ctx, entry_id)
    view = await _view(ctx)
    return _render_written(ctx, view, *await _replace(ctx, view, current, body))


async def delete(ctx: WorkspaceContext, entry_id: str) -> None:
    current = await _require_entry(ctx, entry_id)
    _may_write_for(ctx, current["user_id"])
    view = await _view(ctx)
    _not_locked(ctx, view, int(current["start_ms"]))
    await store.delete_many(
        ctx.unit, ctx.workspace_id, [entry_id], custom_values=bool(current["has_custom_values"])
    )


def _split_ids(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(out))


async def _entries_of_user(ctx: WorkspaceContext, user_id: str, entry_ids: list[str]) -> list[Row]:
    """The rows of these ids, each of which must be an entry of `user_id` here."""
    if not all(ids.is_id(i) for i in entry_ids):
        raise _entry_missing()
    rows = await store.get_many(ctx.unit, ctx.workspace_id, entry_ids)
    if len(rows) != len(entry_ids) or any(r["user_id"] != user_id for r in rows):
        raise _entry_missing()
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in entry_ids]


async def delete_many(ctx: WorkspaceContext, user_id: str, entry_ids: Sequence[str] | None) -> list[Out]:
    """`DELETE …/user/{uid}/time-entries?time-entry-ids=…`: 200 with the deleted entries."""
    await _require_user(ctx, user_id)
    wanted = _split_ids(entry_ids)
    if len(wanted) > MAX_IDS:
        raise bad_request(f"At most {MAX_IDS} time entries can be deleted at once")
    if entry_ids is None or not wanted:
        raise ApiError(
            400,
            "Required request parameter 'time-entry-ids' for method parameter type List is not present",
            3001,
        )
    _may_write_for(ctx, user_id)
    rows = await _entries_of_user(ctx, user_id, wanted)
    view = await _view(ctx)
    _not_locked(ctx, view, *(int(r["start_ms"]) for r in rows))
    rendered = await _render(ctx, view, rows)
    await store.delete_many(
        ctx.unit, ctx.workspace_id, wanted, custom_values=any(r["has_custom_values"] for r in rows)
    )
    return rendered


async def bulk_edit(
    ctx: WorkspaceContext, user_id: str, body: list[BulkEditEntry] | BulkEditEntry, *, hydrated: bool
) -> list[Out]:
    """`PUT …/user/{uid}/time-entries`: replace each listed entry of the user (each needs `end`; tags are
    kept unless the item names them)."""
    await _require_user(ctx, user_id)
    _may_write_for(ctx, user_id)
    items = body if isinstance(body, list) else [body]
    if not items:
        return []
    if len(items) > MAX_IDS:
        raise bad_request(f"At most {MAX_IDS} time entries can be edited at once")
    entry_ids = [_blank_to_none(i.id) for i in items]
    if any(i is None for i in entry_ids):
        raise bad_request("id: must not be null")
    wanted = [i for i in entry_ids if i is not None]
    if len(set(wanted)) != len(wanted):
        raise bad_request("Time entry ids must not repeat")
    rows = await _entries_of_user(ctx, user_id, wanted)
    view = await _view(ctx)
    kept_tags = {
        i: [t["tag_id"] for t in tag_rows] for i, tag_rows in (await _tags_by_entry(ctx, rows)).items()
    }
    kept_custom = await _custom_stored(
        ctx,
        [
            r["id"]
            for r, i in zip(rows, items, strict=True)
            if r["has_custom_values"] and i.custom_fields is None
        ],
    )
    for row, item in zip(rows, items, strict=True):
        if _blank_to_none(item.end) is None:
            raise bad_request("end: must not be null")
        if item.tag_ids is None and item.tags is None:
            # Clockify's bulk-edit body has no tag field, so a client following it keeps its tags.
            item = msgspec.structs.replace(item, tag_ids=kept_tags[row["id"]])
        if item.custom_fields is None:
            # Nor a custom-field one: the values are kept as well.
            item = msgspec.structs.replace(item, custom_fields=_custom_in(kept_custom.get(row["id"], [])))
        await _replace(ctx, view, row, item)
    return await _render_ids(ctx, view, wanted, hydrated=hydrated)


async def duplicate(ctx: WorkspaceContext, user_id: str, entry_id: str) -> Out:
    """`POST …/user/{uid}/time-entries/{id}/duplicate`: a copy of a finished entry of that user."""
    await _require_user(ctx, user_id)
    row = await _require_entry(ctx, entry_id)
    if row["user_id"] != user_id:
        raise _entry_missing()
    _may_write_for(ctx, user_id)
    if row["end_ms"] is None:
        raise bad_request("A running time entry can't be duplicated")
    view = await _view(ctx)
    _not_locked(ctx, view, int(row["start_ms"]))
    tag_ids = await _tag_ids_stored(ctx, row)
    custom = (await _custom_stored(ctx, [entry_id])).get(entry_id, []) if row["has_custom_values"] else []
    entry = _Entry(
        user_id=user_id,
        start_ms=int(row["start_ms"]),
        end_ms=int(row["end_ms"]),
        description=row["description"],
        project_id=row["project_id"],
        task_id=row["task_id"],
        tag_ids=tag_ids,
        billable=bool(row["billable"]),
        type=row["type"],
        custom_values=custom,
    )
    return _render_written(ctx, view, await _insert(ctx, entry), entry)


async def mark_invoiced(ctx: WorkspaceContext, body: MarkInvoiced) -> None:
    """`PATCH …/time-entries/invoiced` (admins)."""
    ctx.require_admin()
    if body.time_entry_ids is None:
        raise bad_request("timeEntryIds: must not be null")
    if body.invoiced is None:
        raise bad_request("invoiced: must not be null")
    wanted = list(dict.fromkeys(body.time_entry_ids))
    if not wanted:
        return
    if not all(ids.is_id(i) for i in wanted):
        raise _entry_missing()
    if len(await store.get_many(ctx.unit, ctx.workspace_id, wanted)) != len(wanted):
        raise _entry_missing()
    await store.set_invoiced(ctx.unit, ctx.workspace_id, wanted, body.invoiced, now_ms())


async def by_ids(ctx: WorkspaceContext, body: EntriesByIds) -> list[Out]:
    """`POST …/time-entries/batch`: entries by id, in the order asked."""
    if body.time_entry_ids is None:
        raise bad_request("timeEntryIds: must not be null")
    wanted = list(dict.fromkeys(body.time_entry_ids))
    if not all(ids.is_id(i) for i in wanted):
        raise _entry_missing()
    hydrated = bool(body.hydrated)
    rows = await store.get_many(ctx.unit, ctx.workspace_id, wanted, hydrated=hydrated)
    if len(rows) != len(wanted):
        raise _entry_missing()
    view = await _view(ctx)
    for row in rows:
        _may_read(ctx, view, row["user_id"])
    by_id = {r["id"]: r for r in rows}
    return await _render(ctx, view, [by_id[i] for i in wanted], hydrated=hydrated)


async def stop(ctx: WorkspaceContext, user_id: str, body: StopTimer) -> Out:
    """`PATCH …/user/{uid}/time-entries`: stop the user's running timer at `end`."""
    await _require_user(ctx, user_id)
    _may_write_for(ctx, user_id)
    end_ms = _instant(body.end, "end")
    if end_ms is None:
        raise bad_request("end: must not be null")
    await store.lock_timer(ctx.unit, ctx.workspace_id, user_id)
    running = await store.running_of(ctx.unit, ctx.workspace_id, user_id)
    if running is None:
        raise ApiError(
            404,
            f"Currently running time entry doesn't exist on workspace {ctx.workspace_id} for user {user_id}.",
            404,
        )
    view = await _view(ctx)
    start_ms = int(running["start_ms"])
    check_interval(start_ms, end_ms)
    tag_ids = await _tag_ids_stored(ctx, running)
    entry = _Entry(
        user_id=user_id,
        start_ms=start_ms,
        end_ms=end_ms,
        description=running["description"],
        project_id=running["project_id"],
        task_id=running["task_id"],
        tag_ids=tag_ids,
        billable=bool(running["billable"]),
        type=running["type"],
    )
    _required_fields(view, entry, "stopped")
    _not_locked(ctx, view, start_ms)
    await store.stop(ctx.unit, ctx.workspace_id, running["id"], end_ms, (end_ms - start_ms) // 1000, now_ms())
    return await _render_one(ctx, view, running["id"])


# Lists --------------------------------------------------------------------------------------------------


async def _zone_of(ctx: WorkspaceContext) -> ZoneInfo | None:
    """The caller's account time zone (None for UTC or an unknown name)."""
    name = await users_time_zone(ctx)
    if not name or name.upper() == "UTC":
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


async def users_time_zone(ctx: WorkspaceContext) -> str | None:
    return await store.time_zone_of(ctx.unit, ctx.workspace_id, ctx.user_id)


def wall_clock(ms: int, zone: ZoneInfo | None) -> int:
    """FACTS: a list filter instant's UTC clock reading, taken as a wall-clock time in the account's zone."""
    if zone is None:
        return ms
    reading = datetime.fromtimestamp(ms // 1000, tz=UTC).replace(tzinfo=None)
    return int(reading.replace(tzinfo=zone).timestamp()) * 1000


@dataclass
class ListQuery:
    description: str | None = None
    start: str | None = None
    end: str | None = None
    project: str | None = None
    task: str | None = None
    tags: list[str] | None = None
    project_required: bool = False
    task_required: bool = False
    in_progress: bool = False
    get_week_before: str | None = None


async def _filter_of(ctx: WorkspaceContext, q: ListQuery) -> EntryFilter:
    flt = EntryFilter(
        description=q.description.strip() if q.description and q.description.strip() else None,
        project_id=_blank_to_none(q.project),
        task_id=_blank_to_none(q.task),
        tag_ids=_split_ids(q.tags),
        project_required=q.project_required,
        task_required=q.task_required,
        in_progress=q.in_progress,
    )
    start = _instant(q.start, "start")
    end = _instant(q.end, "end")
    week_before = _instant(q.get_week_before, "get-week-before")
    if start is not None or end is not None or week_before is not None:
        zone = await _zone_of(ctx)
        if start is not None:
            flt.start_from = wall_clock(start, zone)
        if end is not None:
            flt.start_before = wall_clock(end, zone)
        if week_before is not None:
            # The week before that instant, narrowed further by `start`/`end` when given.
            edge = wall_clock(week_before, zone)
            flt.start_from = max(
                edge - WEEK_MS, flt.start_from if flt.start_from is not None else edge - WEEK_MS
            )
            flt.start_before = min(edge, flt.start_before if flt.start_before is not None else edge)
    return flt


async def list_of_user(
    ctx: WorkspaceContext, user_id: str, q: ListQuery, page: Page, *, hydrated: bool
) -> tuple[list[Out], bool]:
    """`GET …/user/{uid}/time-entries`: newest start first, one page through the index."""
    await _require_user(ctx, user_id)
    view = await _view(ctx)
    _may_read(ctx, view, user_id)
    flt = await _filter_of(ctx, q)
    if flt.project_id is not None and not ids.is_id(flt.project_id):
        return [], True
    if flt.task_id is not None and not ids.is_id(flt.task_id):
        return [], True
    rows = await store.page_of_user(
        ctx.unit, ctx.workspace_id, user_id, flt, page.probe_limit, page.offset, hydrated=hydrated
    )
    rows, last = paged(rows, page)
    carried = store.page_carries_tags(ctx.unit, hydrated=hydrated)
    return await _render(ctx, view, rows, hydrated=hydrated, tags_carried=carried), last


async def in_progress(ctx: WorkspaceContext, page: Page) -> tuple[list[Out], bool]:
    """`GET …/time-entries/status/in-progress`: every running entry of the workspace (only the caller's
    own for members while `onlyAdminsSeeAllTimeEntries` is on)."""
    view = await _view(ctx)
    only = None if ctx.is_admin or not view.settings.only_admins_see_all_time_entries else ctx.user_id
    page_ids = await store.page_running(ctx.unit, ctx.workspace_id, only, page.probe_limit, page.offset)
    page_ids, last = paged(page_ids, page)
    return await _render_ids(ctx, view, page_ids), last


# Called by other features -------------------------------------------------------------------------------


async def delete_of_project(ctx: WorkspaceContext, project_id: str) -> None:
    """A deleted project takes its time entries with it, as in Clockify (the project must be archived
    first, so this never happens by accident)."""
    await store.delete_of_project(ctx.unit, ctx.workspace_id, project_id)


async def detach_task(ctx: WorkspaceContext, task_id: str) -> None:
    """A deleted task's entries stay on their project, without the task: tracked time is never lost."""
    await store.detach_task(ctx.unit, ctx.workspace_id, task_id)


async def detach_tag(ctx: WorkspaceContext, tag_id: str) -> None:
    """A deleted tag leaves the entries that carried it."""
    await store.detach_tag(ctx.unit, ctx.workspace_id, tag_id)
