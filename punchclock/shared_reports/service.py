"""Shared-report rules: saved report definitions, who sees and changes them, and their render.

Decisions where Clockify's documents are silent:
- Who sees a report: a public one, anybody (its render needs no key); a private one, the workspace's
  admins (owner, workspace admins), its author, and the users of its `visibleToUsers` while they are
  active members; everybody else gets 403 on the render. `visibleToUserGroups` is stored and returned,
  but grants nothing until user groups exist (then: the groups' members).
- `visibleToUsers` / `visibleToUserGroups` are read as lists of ids or of objects with an `id` (other
  keys ignored), and answered as `[{id, name}]` in the order given (a group's name is null for now).
  Every listed user must be a member of the workspace and every group id well formed, else 400 "User
  (group) doesn't belong to Workspace". Repeats are dropped. Create stores them; an update that gives a
  list replaces it (an empty list clears it), one that omits it keeps it (the update merges).
- The list, by `sharedReportsFilter`: ALL (the default) and ALL_ADMIN give every report the caller sees
  (an admin: all of the workspace's; a member: their own, the public ones and those listing them);
  CREATED_BY_ME the caller's own; SHARED_WITH_ME the others' reports that are public or list the caller.
  Rows come oldest first, `count` counts the same selection.
- Only the report's author or an admin may update or delete it (others: 403; being listed lets a user
  see a report, not change it). Unknown, foreign and malformed ids are "Shared report doesn't belong to
  Workspace" (400, code 501).
- Only SUMMARY, DETAILED and WEEKLY reports can be saved (the other types' reports do not exist yet).
- The range is relative when `fixedDate` is false and `filter.dateRangeType` is a preset (TODAY,
  LAST_WEEK, …); it is then resolved at each render from today in the report's zone (`filter.timeZone`,
  else the author's), weeks starting on `filter.weekStart` or the author's week start. PAST_TWO_WEEKS is
  the 14 days ending today. A fixed range needs `dateRangeStart` and `dateRangeEnd`. `fixedDate`, when
  not given, is false exactly when a relative preset is given.
- The render runs as the author (what they shared is what they see, with their workspace's settings);
  a public report renders without any key, a private one for active members of its workspace only.
  SUMMARY renders `{totals, donutChart, groupTotals, groupOne, filters}`, DETAILED
  `{totals, timeentries, filters}`, WEEKLY the weekly report's keys plus `filters`; `filters` is the
  saved report (as the list shows it) with the resolved `dateRangeStart`/`dateRangeEnd` and `timezone`.
- Exports of a DETAILED report go through the reports host's own streaming writers: the CSV is sent
  chunk by chunk as rows are read (each chunk in its own short read transaction); the XLSX is written
  row chunk by row chunk into a constant-memory workbook on a temporary file and sent once complete
  (an XLSX is a zip whose directory comes last, and xlsxwriter writes it on close), so memory stays flat
  either way and only the XLSX's first byte waits for the last row.
- An unknown id on the bare render is 400 "Shared report doesn't exist" (code 501). The render's query
  may override the range (`dateRangeStart`, `dateRangeEnd`) and `sortOrder`, and page a DETAILED report
  (`page`, `pageSize`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any, get_args

import msgspec

from punchclock.kit import ids
from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Database, Row, Unit
from punchclock.kit.errors import ApiError, access_denied, bad_request, not_in_workspace
from punchclock.kit.paging import Page
from punchclock.kit.time import now_ms
from punchclock.kit.wire import clean_name
from punchclock.reports import service as reports
from punchclock.reports.period import WEEKDAYS, wall_reading, zone_of
from punchclock.reports.schemas import DetailedReportRequest, SummaryReportRequest, WeeklyReportRequest
from punchclock.shared_reports import store
from punchclock.shared_reports.schemas import (
    RENDERED_TYPES,
    DateRangeType,
    SharedReportFilter,
    SharedReportInput,
    SharedReportList,
    SharedReportOut,
    ViewerOut,
    ViewerRef,
)
from punchclock.workspaces import service as workspaces

ENTITY = "Shared report"
RELATIVE = frozenset(get_args(DateRangeType)) - {"ABSOLUTE"}
REQUESTS: dict[str, type[SummaryReportRequest | DetailedReportRequest | WeeklyReportRequest]] = {
    "SUMMARY": SummaryReportRequest,
    "DETAILED": DetailedReportRequest,
    "WEEKLY": WeeklyReportRequest,
}


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _filter_json(f: SharedReportFilter) -> dict[str, Any]:
    saved: dict[str, Any] = _without_nulls(msgspec.to_builtins(f))
    return saved


def to_out(row: Row, viewers: list[Row] | None = None) -> SharedReportOut:
    """A saved report as the wire shows it, with its listed viewers (rows of `store.viewers_of`)."""
    listed = viewers or []
    return SharedReportOut(
        id=row["id"],
        name=row["name"],
        type=row["report_type"],
        is_public=bool(row["is_public"]),
        fixed_date=bool(row["fixed_date"]),
        filter=msgspec.json.decode(row["filter"]),
        link=f"/reports/v1/shared-reports/{row['id']}",
        report_author=row["owner_name"] or "",
        user_id=row["owner_id"],
        workspace_id=row["workspace_id"],
        visible_to_users=[
            ViewerOut(id=v["target_id"], name=v["user_name"]) for v in listed if v["kind"] == "USER"
        ],
        visible_to_user_groups=[
            ViewerOut(id=v["target_id"], name=None) for v in listed if v["kind"] == "USER_GROUP"
        ],
    )


async def _outs(unit: Unit, workspace_id: str, rows: list[Row]) -> list[SharedReportOut]:
    """Reports as the wire shows them, their viewers read in one query."""
    by_report: dict[str, list[Row]] = {}
    for v in await store.viewers_of(unit, workspace_id, [r["id"] for r in rows]):
        by_report.setdefault(v["report_id"], []).append(v)
    return [to_out(r, by_report.get(r["id"])) for r in rows]


def _ref_ids(refs: list[str | ViewerRef]) -> list[str]:
    out = [(r if isinstance(r, str) else (r.id or "")).strip() for r in refs]
    return list(dict.fromkeys(out))


async def _viewers(ctx: WorkspaceContext, body: SharedReportInput) -> dict[str, list[str]]:
    """The viewer lists a write gives ({kind: ids}; an omitted list is absent), checked."""
    lists: dict[str, list[str]] = {}
    if body.visible_to_users is not None:
        users = _ref_ids(body.visible_to_users)
        if len(await workspaces.members_among(ctx, users)) != len(users):
            raise not_in_workspace("User")
        lists["USER"] = users
    if body.visible_to_user_groups is not None:
        groups = _ref_ids(body.visible_to_user_groups)
        # Seam for the user-groups feature: check the groups exist here.
        if not all(ids.is_id(g) for g in groups):
            raise not_in_workspace("User group")
        lists["USER_GROUP"] = groups
    return lists


async def _store_viewers(ctx: WorkspaceContext, report_id: str, lists: dict[str, list[str]]) -> None:
    for kind, target_ids in lists.items():
        await store.set_viewers(ctx.unit, ctx.workspace_id, report_id, kind, target_ids)


async def _one(ctx: WorkspaceContext, report_id: str) -> SharedReportOut:
    return (await _outs(ctx.unit, ctx.workspace_id, [await _require(ctx, report_id)]))[0]


def _checked(
    report_type: str, fixed: bool | None, f: SharedReportFilter
) -> tuple[bool, str | None, dict[str, Any]]:
    """(fixed_date, date_range_type, filter JSON) of a definition about to be saved, or a 400."""
    if report_type not in RENDERED_TYPES:
        raise bad_request(f"Shared reports of type {report_type} are not supported yet")
    range_type = f.date_range_type
    if range_type is not None and range_type not in get_args(DateRangeType):
        raise bad_request(f"You entered invalid value for field: [dateRangeType]. Value: {range_type}")
    relative = range_type in RELATIVE
    fixed_date = (not relative) if fixed is None else fixed
    if fixed_date or not relative:
        start = wall_reading(f.date_range_start, "dateRangeStart")
        if wall_reading(f.date_range_end, "dateRangeEnd") < start:
            raise bad_request("Date range end must be after date range start")
    else:
        for value, name in ((f.date_range_start, "dateRangeStart"), (f.date_range_end, "dateRangeEnd")):
            if value is not None and value.strip():
                wall_reading(value, name)
    zone_of(f.time_zone, "UTC")  # an unknown zone is refused now, not at every render
    return fixed_date, range_type, _filter_json(f)


async def _require(ctx: WorkspaceContext, report_id: str) -> Row:
    row = await store.get(ctx.unit, ctx.workspace_id, report_id) if ids.is_id(report_id) else None
    if row is None:
        raise not_in_workspace(ENTITY)
    return row


def _may_change(ctx: WorkspaceContext, row: Row) -> None:
    if row["owner_id"] != ctx.user_id and not ctx.is_admin:
        raise access_denied()


async def create(ctx: WorkspaceContext, body: SharedReportInput) -> SharedReportOut:
    name = clean_name(body.name)
    if not name:
        raise bad_request("Shared report name must not be blank")
    if body.type is None:
        raise bad_request("Shared report type must not be null")
    if body.filter is None:
        raise bad_request("Shared report filter must not be null")
    fixed_date, range_type, saved = _checked(body.type, body.fixed_date, body.filter)
    viewers = await _viewers(ctx, body)
    report_id = ids.new_id()
    await store.insert(
        ctx.unit,
        {
            "id": report_id,
            "workspace_id": ctx.workspace_id,
            "owner_id": ctx.user_id,
            "name": name,
            "report_type": body.type,
            "is_public": bool(body.is_public),
            "fixed_date": fixed_date,
            "date_range_type": range_type,
            "filter": msgspec.json.encode(saved).decode(),
            "created_at": now_ms(),
        },
    )
    await _store_viewers(ctx, report_id, viewers)
    return await _one(ctx, report_id)


async def search(ctx: WorkspaceContext, page: Page, which: str | None) -> SharedReportList:
    if which == "CREATED_BY_ME":
        scope = "OWN"
    elif which == "SHARED_WITH_ME":
        scope = "SHARED"
    else:
        scope = "ALL" if ctx.is_admin else "VISIBLE"
    rows = await store.search(ctx.unit, ctx.workspace_id, ctx.user_id, scope, page.size, page.offset)
    total = await store.count(ctx.unit, ctx.workspace_id, ctx.user_id, scope)
    return SharedReportList(reports=await _outs(ctx.unit, ctx.workspace_id, rows), count=total)


async def update(ctx: WorkspaceContext, report_id: str, body: SharedReportInput) -> SharedReportOut:
    row = await _require(ctx, report_id)
    _may_change(ctx, row)
    name = row["name"] if body.name is None else clean_name(body.name)
    if not name:
        raise bad_request("Shared report name must not be blank")
    report_type = body.type or row["report_type"]
    f = body.filter or msgspec.convert(msgspec.json.decode(row["filter"]), SharedReportFilter)
    fixed = body.fixed_date if body.fixed_date is not None else bool(row["fixed_date"])
    fixed_date, range_type, saved = _checked(report_type, fixed, f)
    viewers = await _viewers(ctx, body)
    await store.update(
        ctx.unit,
        ctx.workspace_id,
        report_id,
        {
            "name": name,
            "report_type": report_type,
            "is_public": bool(row["is_public"]) if body.is_public is None else body.is_public,
            "fixed_date": fixed_date,
            "date_range_type": range_type,
            "filter": msgspec.json.encode(saved).decode(),
        },
    )
    await _store_viewers(ctx, report_id, viewers)
    return await _one(ctx, report_id)


async def delete(ctx: WorkspaceContext, report_id: str) -> None:
    row = await _require(ctx, report_id)
    _may_change(ctx, row)
    await store.delete(ctx.unit, ctx.workspace_id, report_id)


# Render ------------------------------------------------------------------------------------------------


async def locate(unit: Unit, report_id: str) -> tuple[str, bool]:
    """(workspace id, is public) of a report named by the bare render's path, or a 400."""
    workspace_id = await store.workspace_of(unit, report_id) if ids.is_id(report_id) else None
    row = await store.get(unit, workspace_id, report_id) if workspace_id else None
    if workspace_id is None or row is None:
        raise bad_request("Shared report doesn't exist")
    return workspace_id, bool(row["is_public"])


async def require_viewer(viewer: WorkspaceContext, report_id: str) -> None:
    """A private report's render is for the workspace's admins, its author and its listed users (the
    viewer is already known to be an active member of the report's workspace)."""
    row = await store.get(viewer.unit, viewer.workspace_id, report_id)
    if row is None:
        raise bad_request("Shared report doesn't exist")
    if row["is_public"] or viewer.is_admin or row["owner_id"] == viewer.user_id:
        return
    if not await store.is_listed(viewer.unit, viewer.workspace_id, report_id, viewer.user_id):
        raise access_denied()


async def _as_author(unit: Unit, row: Row) -> WorkspaceContext:
    member = await store.owner_membership(unit, row["workspace_id"], row["owner_id"])
    if member is None or member["status"] in ("DECLINED", "INACTIVE"):
        raise ApiError(400, "The author of this shared report is no longer a member of its workspace")
    return WorkspaceContext(
        unit=unit,
        user_id=row["owner_id"],
        workspace_id=row["workspace_id"],
        role=member["role"],
        settings_json=member["settings"] or "{}",
        currency_id=member["currency_id"],
        currency_code=member["currency_code"],
    )


def relative_range(range_type: str, today: date, week_start: str) -> tuple[date, date]:
    """The first and last day of a preset range, as seen on `today`."""
    if range_type == "TODAY":
        return today, today
    if range_type == "YESTERDAY":
        day = today - timedelta(days=1)
        return day, day
    week = today - timedelta(days=(today.weekday() - WEEKDAYS.index(week_start)) % 7)
    if range_type == "THIS_WEEK":
        return week, week + timedelta(days=6)
    if range_type == "LAST_WEEK":
        return week - timedelta(days=7), week - timedelta(days=1)
    if range_type == "PAST_TWO_WEEKS":
        return today - timedelta(days=13), today
    month = today.replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    if range_type == "THIS_MONTH":
        return month, next_month - timedelta(days=1)
    if range_type == "LAST_MONTH":
        return (month - timedelta(days=1)).replace(day=1), month - timedelta(days=1)
    if range_type == "THIS_YEAR":
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    if range_type == "LAST_YEAR":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    raise bad_request(f"You entered invalid value for field: [dateRangeType]. Value: {range_type}")


async def _request(
    ctx: WorkspaceContext, row: Row, export_type: str | None, overrides: dict[str, Any]
) -> tuple[SummaryReportRequest | DetailedReportRequest | WeeklyReportRequest, dict[str, Any]]:
    """The saved body as the report request its type names, its range resolved now (or as the render's
    query overrides it), and `filters`."""
    saved: dict[str, Any] = msgspec.json.decode(row["filter"])
    user_zone, user_week = await reports.profile_defaults(ctx)
    zone_name = saved.get("timeZone") or user_zone
    body = dict(saved, timeZone=zone_name, exportType=export_type or "JSON")
    range_type = row["date_range_type"]
    if not row["fixed_date"] and range_type in RELATIVE:
        zone, _ = zone_of(zone_name, "UTC")
        week_start = saved.get("weekStart") or user_week
        week_start = week_start if week_start in WEEKDAYS else "MONDAY"
        first, last = relative_range(range_type, datetime.now(zone).date(), week_start)
        body["dateRangeStart"] = f"{first.isoformat()}T00:00:00.000Z"
        body["dateRangeEnd"] = f"{last.isoformat()}T23:59:59.999Z"
    for key in ("dateRangeStart", "dateRangeEnd", "sortOrder"):
        if overrides.get(key) is not None:
            body[key] = overrides[key]
    paging = {k: overrides[k] for k in ("page", "pageSize") if overrides.get(k) is not None}
    if paging and row["report_type"] == "DETAILED":
        body["detailedFilter"] = {**(body.get("detailedFilter") or {}), **paging}
    try:
        request = msgspec.convert(body, REQUESTS[row["report_type"]])
    except msgspec.ValidationError as exc:
        raise bad_request(str(exc)) from None
    filters = msgspec.to_builtins((await _outs(ctx.unit, row["workspace_id"], [row]))[0])
    filters["filter"] = body
    filters.update(
        timezone=zone_name, dateRangeStart=body.get("dateRangeStart"), dateRangeEnd=body.get("dateRangeEnd")
    )
    return request, filters


async def render(unit: Unit, report_id: str, workspace_id: str, overrides: dict[str, Any]) -> dict[str, Any]:
    row = await store.get(unit, workspace_id, report_id)
    if row is None:
        raise bad_request("Shared report doesn't exist")
    ctx = await _as_author(unit, row)
    request, filters = await _request(ctx, row, None, overrides)
    if isinstance(request, SummaryReportRequest):
        report = await reports.summary(ctx, request)
        report = {k: report[k] for k in ("totals", "donutChart", "groupTotals", "groupOne")}
    elif isinstance(request, DetailedReportRequest):
        report = await reports.detailed(ctx, request)
    else:
        report = await reports.weekly(ctx, request)
    return {**report, "filters": filters}


async def export(
    unit: Unit, db: Database, report_id: str, workspace_id: str, export_type: str, overrides: dict[str, Any]
) -> tuple[AsyncIterator[bytes] | bytes, str]:
    """The rendered report as a CSV, XLSX or PDF download: (body or chunks, filename)."""
    row = await store.get(unit, workspace_id, report_id)
    if row is None:
        raise bad_request("Shared report doesn't exist")
    ctx = await _as_author(unit, row)
    request, _ = await _request(ctx, row, export_type, overrides)
    if isinstance(request, SummaryReportRequest):
        if export_type == "CSV":
            return await reports.summary_csv(ctx, request)
        if export_type == "PDF":
            return await reports.summary_pdf(ctx, request)
        return await reports.summary_xlsx(ctx, request)
    if isinstance(request, DetailedReportRequest):
        if export_type == "CSV":
            return await reports.detailed_csv(ctx, db, request)
        if export_type == "PDF":
            return await reports.detailed_pdf(ctx, db, request)
        return await reports.detailed_xlsx(ctx, db, request)
    if export_type == "CSV":
        return await reports.weekly_csv(ctx, request)
    if export_type == "PDF":
        return await reports.weekly_pdf(ctx, request)
    return await reports.weekly_xlsx(ctx, request)
