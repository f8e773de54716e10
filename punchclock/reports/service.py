"""Report rules: the body's filters to SQL, the period in the body's zone, amounts from the rates stored on
each entry, grouping, paging and sorting as Clockify's reports host does them.

Decisions where Clockify's documents are silent (see also the module docs of period.py and queries.py):
- Filter ids are a query, not a reference: an unknown id simply matches nothing (no 400). `""` among
  project/task/client ids stands for "without project/task/client".
- User groups do not exist yet: a USER_GROUP level puts every entry in one "Without group" row; a
  `userGroups` filter with ids matches nothing under CONTAINS and everything under DOES_NOT_CONTAIN.
- Approvals do not exist yet: every entry is unapproved, so `approvalState: APPROVED` matches nothing.
- Earned amounts count billable entries only; cost counts every entry; profit is earned - cost.
- TIMEENTRY groups by description (Clockify's "Description" grouping). Tags: CONTAINS = any of the ids,
  DOES_NOT_CONTAIN = none of them, CONTAINS_ONLY = at least one tag and no tag outside the ids.
- Workspace settings apply as in Clockify: with `onlyAdminsSeeAllTimeEntries` a member's reports hold
  their own entries only; with `onlyAdminsSeeBillableRates` (the default) a member sees no amounts.
- `auditFilter.duration` is hours (entries longer, or with `durationShorter` shorter, than that).
- `customFields` (the entries' custom-field values) and `userCustomFields` (the values of the entry's
  user in the workspace) work alike; each condition must hold, an item without `id` is skipped:
  `isEmpty` (or `empty`) true keeps entries without a value for the field (none, null, blank text,
  empty list) and ignores `value`; otherwise a null/blank value applies no condition. By `type`
  (inferred from the value when absent: boolean CHECKBOX, number or a `numberCondition` NUMBER, list
  DROPDOWN_MULTIPLE, text TXT): TXT and LINK keep values containing the text, case-insensitively (any of
  the texts of a list; a list value contains it if one item does); DROPDOWN_SINGLE and DROPDOWN_MULTIPLE
  keep values with an item equal to one of the given ones, case-insensitively; NUMBER compares the numeric
  value (a number or numeric text) with `numberCondition` EQUAL (default), GREATER_THAN or LESS_THAN (a
  non-number is 400); CHECKBOX true keeps checked entries, false the unchecked ones and those without a
  value. Values are matched as stored, whatever type the field has (definitions do not exist yet).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.custom_values import item_text
from punchclock.kit.db import Database, Row
from punchclock.kit.errors import bad_request
from punchclock.kit.listing import like_pattern
from punchclock.reports import cache, render
from punchclock.reports import queries as q
from punchclock.reports.period import WEEKDAYS, Period, format_local, period_of, zone_of
from punchclock.reports.queries import Measures, Rounding, Where
from punchclock.reports.schemas import (
    AttendanceReportRequest,
    CompareFilter,
    ContainsFilter,
    CustomFieldFilter,
    DetailedReportRequest,
    ReportRequest,
    SummaryReportRequest,
    WeeklyReportRequest,
)
from punchclock.time_entries import service as time_entries
from punchclock.time_entries import store as entry_store
from punchclock.workspaces import service as workspaces

WEEKLY_DAYS_MESSAGE = "Please select date range of exactly 7 days for weekly report"
UNSUPPORTED_EXPORTS = ("ZIP",)
DEFAULT_PAGE_SIZE = 50
STREAM_CHUNK = 5000
# Rows of a streamed export, read by position (queries.EXPORT_COLUMNS order, then queries.wall_sql's).
Chunk = Sequence[Sequence[Any]]


@dataclass
class Setup:
    """What every report derives from its body before reading entries."""

    ctx: WorkspaceContext
    period: Period
    where: Where
    rounding: Rounding | None
    shown: str
    kinds: list[str]
    currency: str
    week_start: str
    date_pattern: str
    time_pattern: str
    descending: bool | None
    export: str


def _ids(f: ContainsFilter | None) -> tuple[list[str], bool]:
    ids = list(dict.fromkeys(f.ids or [])) if f is not None else []
    return [i for i in ids if i], "" in ids


def _single(where: Where, column: str, f: ContainsFilter | None, name: str) -> None:
    """Projects, tasks, users: an entry has one (or none), so CONTAINS_ONLY is CONTAINS."""
    if f is None or not f.ids:
        return
    ids, without = _ids(f)
    param = f"{name}_ids"
    if (f.contains or "CONTAINS") == "DOES_NOT_CONTAIN":
        parts = [f"te.{column} NOT IN (:{param})"] if ids else ["TRUE"]
        nulls = "FALSE" if without else "TRUE"
        where.add(
            f"(te.{column} IS NULL AND {nulls} OR te.{column} IS NOT NULL AND {parts[0]})",
            column,
            **{param: ids},
        )
    else:
        parts = []
        if ids:
            parts.append(f"te.{column} IN (:{param})")
        if without:
            parts.append(f"te.{column} IS NULL")
        where.add("(" + " OR ".join(parts) + ")", column, **{param: ids})


def _archived_status(where: Where, f: ContainsFilter | None, column: str, subquery: str) -> None:
    """`status: ACTIVE|ARCHIVED` without ids: entries on active (archived) projects, and those without."""
    if f is None or f.ids or f.status not in ("ACTIVE", "ARCHIVED"):
        return
    where.add(
        f"(te.{column} IS NULL OR te.{column} IN ({subquery}))",
        column,
        **{f"{column}_archived": f.status == "ARCHIVED"},
    )


_NUMBER_OPS = {"EQUAL": "=", "GREATER_THAN": ">", "LESS_THAN": "<"}


def _custom_number(value: Any) -> float:
    number = None
    if not isinstance(value, bool) and isinstance(value, int | float | str) and "_" not in str(value):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or number != number or abs(number) == float("inf"):
        raise bad_request(f"Custom field filter value must be a number. Value: {value!r}")
    return number


@dataclass(frozen=True)
class _ValueTable:
    """Where one kind of custom-field value is stored, and how its rows tie to an entry."""

    prefix: str  # of the parameters
    table: str
    owner: str  # the condition tying a value row (cv) to the entry (te)
    column: str  # the entry column that condition reads


_ENTRY_VALUES = _ValueTable("cf", "time_entry_custom_values", "cv.time_entry_id = te.id", "id")
_USER_VALUES = _ValueTable("ucf", "user_custom_field_values", "cv.user_id = te.user_id", "user_id")


def _custom_fields(filters: list[CustomFieldFilter] | None, values: _ValueTable, where: Where) -> None:
    """`customFields` (the entry's values) and `userCustomFields` (its user's): every condition must
    hold (semantics in the module docstring)."""
    for n, f in enumerate(filters or []):
        field_id = (f.id or "").strip()
        if not field_id:
            continue
        p = f"{values.prefix}{n}"
        has = (
            f"EXISTS (SELECT 1 FROM {values.table} cv WHERE cv.workspace_id = :ws"
            f" AND {values.owner} AND cv.custom_field_id = :{p}_id"
        )
        if f.is_empty or f.empty:
            where.add(f"NOT {has} AND cv.value_text <> '')", values.column, **{f"{p}_id": field_id})
            continue
        value = f.value
        kind = (f.type or "").strip().upper()
        if not kind:
            if isinstance(value, bool):
                kind = "CHECKBOX"
            elif isinstance(value, int | float) or f.number_condition:
                kind = "NUMBER"
            elif isinstance(value, list):
                kind = "DROPDOWN_MULTIPLE"
            else:
                kind = "TXT"
        items = [v for v in (value if isinstance(value, list) else [value]) if v is not None]
        words = [like_pattern(item_text(v))[1:-1] for v in items]
        words = [w for w in words if w]
        if not words:
            continue  # no value to match: the condition is not applied
        params: dict[str, Any] = {f"{p}_id": field_id}
        if kind == "NUMBER":
            condition = (f.number_condition or "EQUAL").strip().upper()
            if condition not in _NUMBER_OPS:
                raise bad_request(f"Invalid value for field: [numberCondition]. Value: {condition}")
            params[f"{p}_num"] = _custom_number(items[0] if len(items) == 1 else value)
            test = f"{has} AND cv.value_number {_NUMBER_OPS[condition]} :{p}_num)"
        elif kind == "CHECKBOX":
            if len(words) != 1 or words[0] not in ("true", "false"):
                raise bad_request(f"Custom field filter value must be true or false. Value: {value!r}")
            params[f"{p}_true"] = "\ntrue\n"
            checked = f"{has} AND cv.value_text = :{p}_true)"
            test = checked if words[0] == "true" else f"NOT {checked}"
        else:
            # DROPDOWN_*: an item equals one of the values; TXT, LINK (and any other type): the text
            # contains one of them.
            whole = kind in ("DROPDOWN_SINGLE", "DROPDOWN_MULTIPLE")
            alternatives = []
            for k, word in enumerate(words):
                params[f"{p}_v{k}"] = f"%\n{word}\n%" if whole else f"%{word}%"
                alternatives.append(f"cv.value_text LIKE :{p}_v{k} ESCAPE '\\'")
            test = f"{has} AND ({' OR '.join(alternatives)}))"
        where.add(f"({test})", values.column, **params)


def _filters(body: ReportRequest, where: Where) -> None:
    _single(where, "user_id", body.users, "user")
    if body.users is not None and body.users.status in (
        "ACTIVE",
        "PENDING",
        "INACTIVE",
        "ACTIVE_WITH_PENDING",
    ):
        statuses = (
            ["ACTIVE", "PENDING"] if body.users.status == "ACTIVE_WITH_PENDING" else [body.users.status]
        )
        where.add(
            "te.user_id IN (SELECT m.user_id FROM memberships m"
            " WHERE m.workspace_id = :ws AND m.status IN (:ustat))",
            "user_id",
            ustat=statuses,
        )
    groups = body.user_groups
    if groups is not None and groups.ids and (groups.contains or "CONTAINS") != "DOES_NOT_CONTAIN":
        where.matches_nothing = True
    _single(where, "project_id", body.projects, "project")
    _archived_status(
        where,
        body.projects,
        "project_id",
        "SELECT p.id FROM projects p WHERE p.workspace_id = :ws AND p.archived = :project_id_archived",
    )
    _single(where, "task_id", body.tasks, "task")
    if body.clients is not None and body.clients.ids:
        ids, without = _ids(body.clients)
        in_clients = "SELECT p.id FROM projects p WHERE p.workspace_id = :ws AND p.client_id IN (:client_ids)"
        no_client = "SELECT p.id FROM projects p WHERE p.workspace_id = :ws AND p.client_id IS NULL"
        parts = []
        if ids:
            parts.append(f"te.project_id IN ({in_clients})")
        if without:
            parts.append(f"te.project_id IS NULL OR te.project_id IN ({no_client})")
        test = "(" + " OR ".join(parts) + ")"
        if (body.clients.contains or "CONTAINS") == "DOES_NOT_CONTAIN":
            test = f"NOT {test}"
        where.add(test, "project_id", client_ids=ids)
    _archived_status(
        where,
        body.clients,
        "project_id",
        "SELECT p.id FROM projects p"
        " JOIN clients c ON c.id = p.client_id AND c.workspace_id = p.workspace_id "
        "WHERE p.workspace_id = :ws AND c.archived = :project_id_archived",
    )
    tags = body.tags
    if tags is not None and tags.ids:
        ids, without = _ids(tags)
        how = tags.contains or tags.contained_in_timeentry or "CONTAINS"
        any_tag = (
            "EXISTS (SELECT 1 FROM time_entry_tags tt"
            " WHERE tt.time_entry_id = te.id AND tt.workspace_id = :ws"
        )
        listed = f"{any_tag} AND tt.tag_id IN (:tag_ids))"
        outside = f"{any_tag} AND tt.tag_id NOT IN (:tag_ids))"
        untagged = f"NOT {any_tag})"
        if how == "DOES_NOT_CONTAIN":
            test = f"NOT {listed}" + (f" AND NOT {untagged}" if without else "")
        elif how == "CONTAINS_ONLY":
            test = f"{listed} AND NOT {outside}" if ids else untagged
            if without and ids:
                test = f"(({test}) OR {untagged})"
        else:
            test = listed + (f" OR {untagged}" if without else "")
        where.add(f"({test})", "id", tag_ids=ids)
    if body.billable is not None:
        where.add("te.billable = :billable", "billable", billable=body.billable)
    if body.invoicing_state in ("INVOICED", "UNINVOICED"):
        where.add("te.invoiced = :invoiced", "invoiced", invoiced=body.invoicing_state == "INVOICED")
    if body.approval_state == "APPROVED":
        where.matches_nothing = True
    if body.without_description:
        where.add("te.description = ''", "description")
    elif body.description:
        where.add(
            "LOWER(te.description) LIKE :description ESCAPE '\\'",
            "description",
            description=like_pattern(body.description),
        )
    _custom_fields(body.custom_fields, _ENTRY_VALUES, where)
    _custom_fields(body.user_custom_fields, _USER_VALUES, where)


async def profile_defaults(ctx: WorkspaceContext) -> tuple[str, str]:
    """The caller's own time zone and week start: what a report body without them falls back to."""
    profile = await q.caller_profile(ctx.unit, ctx.user_id)
    if profile is None:
        return "UTC", "MONDAY"
    return str(profile["time_zone"] or "UTC"), str(profile["week_start"] or "MONDAY")


async def prepare(ctx: WorkspaceContext, body: ReportRequest) -> Setup:
    export = body.export_type or "JSON"
    if export in UNSUPPORTED_EXPORTS:
        raise bad_request(f"Export type {export} is not supported yet; use JSON, CSV, XLSX or PDF")
    profile = await q.caller_profile(ctx.unit, ctx.user_id)
    user_zone = str(profile["time_zone"]) if profile else "UTC"
    zone, zone_name = zone_of(body.time_zone, user_zone)
    period = period_of(body.date_range_start, body.date_range_end, zone, zone_name)
    where = q.base_where(ctx.workspace_id, period)
    _filters(body, where)
    settings = await workspaces.settings_of(ctx)
    if settings.only_admins_see_all_time_entries and not ctx.is_admin:
        where.add("te.user_id = :caller_id", "user_id", caller_id=ctx.user_id)
    rounding_on = body.rounding if body.rounding is not None else settings.time_rounding_in_reports
    rounding = None
    if rounding_on:
        try:
            minutes = max(1, int(settings.round.minutes))
        except ValueError:
            minutes = 15
        mode = settings.round.round.lower()
        rounding = Rounding(minutes * 60, "UP" if "up" in mode else "DOWN" if "down" in mode else "NEAREST")
    shown: str = body.amount_shown or "EARNED"
    if shown == "EXPORT":
        shown = "EARNED"
    asked: list[str] = [str(k) for k in body.amounts] if body.amounts else []
    if not body.amounts and shown != "HIDE_AMOUNT":
        asked = [shown]
    kinds = list(dict.fromkeys(k for k in asked if k != "EXPORT"))
    if settings.only_admins_see_billable_rates and not ctx.is_admin:
        shown, kinds = "HIDE_AMOUNT", []
    week_start = body.week_start or (str(profile["week_start"]) if profile else "MONDAY")
    if week_start not in WEEKDAYS:
        week_start = "MONDAY"
    return Setup(
        ctx=ctx,
        period=period,
        where=where,
        rounding=rounding,
        shown=shown,
        kinds=kinds,
        currency=await q.workspace_currency(ctx.unit, ctx.workspace_id),
        week_start=week_start,
        date_pattern=render.date_pattern(body.date_format, str(profile["date_format"]) if profile else ""),
        time_pattern=render.time_pattern(body.time_format, str(profile["time_format"]) if profile else ""),
        descending=None if body.sort_order is None else body.sort_order == "DESCENDING",
        export=export,
    )


# Names -------------------------------------------------------------------------------------------------


@dataclass
class Names:
    projects: dict[str, Row] = field(default_factory=dict)
    clients: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    users: dict[str, Row] = field(default_factory=dict)


async def load_names(ctx: WorkspaceContext, user_ids: list[str] | None = None) -> Names:
    unit, ws = ctx.unit, ctx.workspace_id
    names = Names()
    names.projects = {r["id"]: r for r in await q.projects(unit, ws)}
    # An entry's client is its project's: the project rows name them, so the workspace's clients (there
    # may be tens of thousands) are not read on every report.
    names.clients = {
        r["client_id"]: r["client_name"] or "" for r in names.projects.values() if r["client_id"]
    }
    names.tasks = {r["id"]: r["name"] for r in await q.tasks(unit, ws)}
    names.tags = {r["id"]: r["name"] for r in await q.tags(unit, ws)}
    names.users = {r["id"]: r for r in await q.members(unit, ws)}
    missing = [u for u in (user_ids or []) if u not in names.users]
    for r in await q.users_named(unit, missing):
        names.users[r["id"]] = r
    return names


# Summary -----------------------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    name: str
    sort_key: Any
    measures: Measures = field(default_factory=Measures)
    children: dict[str, Node] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


LevelFn = Callable[[Row], tuple[str, str, Any, dict[str, Any]]]


def _level(setup: Setup, names: Names, level: str, col: int) -> LevelFn:
    """How one grouping level reads its (id, name, sort key, extra keys) from a result row."""
    period = setup.period

    def project(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        pid = row[col]
        p = names.projects.get(pid) if pid else None
        if p is None:
            return "", "Without project", "", {"color": "", "clientName": "", "clientId": ""}
        extra = {"color": p["color"], "clientName": p["client_name"] or "", "clientId": p["client_id"] or ""}
        return pid, p["name"], p["name"].casefold(), extra

    def client(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        p = names.projects.get(row[col]) if row[col] else None
        cid = p["client_id"] if p is not None else None
        if not cid:
            return "", "Without client", "", {}
        name = names.clients.get(cid, "")
        return cid, name, name.casefold(), {}

    def task(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        tid = row[col]
        if not tid or tid not in names.tasks:
            return "", "Without task", "", {}
        return tid, names.tasks[tid], names.tasks[tid].casefold(), {}

    def user(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        u = names.users.get(row[col])
        name = u["name"] if u is not None else ""
        return row[col], name, name.casefold(), {"email": u["email"] if u is not None else ""}

    def group(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        return "", "Without group", "", {}

    def day(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        d = period.day(int(row[col]))
        return d.isoformat(), d.strftime(setup.date_pattern), d, {}

    def week(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        first = period.week_first_day(int(row[col]), setup.week_start)
        last = first + timedelta(days=6)
        name = f"{first.strftime(setup.date_pattern)} - {last.strftime(setup.date_pattern)}"
        return first.isoformat(), name, first, {}

    def month(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        first = period.month_first_day(int(row[col]))
        return first.isoformat()[:7], render.month_name(first), first, {}

    def description(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        text = row[col] or ""
        return text, text or "(Without description)", text.casefold(), {}

    def tag(row: Row) -> tuple[str, str, Any, dict[str, Any]]:
        tid = row[col]
        if not tid or tid not in names.tags:
            return "", "Without tag", "", {}
        return tid, names.tags[tid], names.tags[tid].casefold(), {}

    return {
        "PROJECT": project,
        "CLIENT": client,
        "TASK": task,
        "USER": user,
        "USER_GROUP": group,
        "DATE": day,
        "WEEK": week,
        "MONTH": month,
        "TIMEENTRY": description,
        "TAG": tag,
    }[level]


def _key_sql(setup: Setup, level: str) -> str:
    period = setup.period
    return {
        "PROJECT": "te.project_id",
        "CLIENT": "te.project_id",
        "TASK": "te.task_id",
        "USER": "te.user_id",
        "USER_GROUP": "0",
        "DATE": period.day_sql(),
        "WEEK": period.week_sql(setup.week_start),
        "MONTH": period.month_sql(),
        "TIMEENTRY": "te.description",
        "TAG": "tt.tag_id",
    }[level]


def _sorted(nodes: list[Node], column: str, descending: bool) -> list[Node]:
    if column == "DURATION":
        return sorted(nodes, key=lambda n: (n.measures.duration, n.sort_key), reverse=descending)
    if column in ("AMOUNT", "EARNED", "COST", "PROFIT"):
        kind = "EARNED" if column == "AMOUNT" else column

        def by_amount(n: Node) -> tuple[float, Any]:
            return render.amount_of(n.measures, kind), n.sort_key

        return sorted(nodes, key=by_amount, reverse=descending)
    return sorted(nodes, key=lambda n: (n.sort_key == "", n.sort_key), reverse=descending)


def _render_nodes(setup: Setup, nodes: list[Node], column: str, descending: bool) -> list[dict[str, Any]]:
    out = []
    for n in _sorted(nodes, column, descending):
        row: dict[str, Any] = {
            "_id": n.id,
            "name": n.name,
            "nameLowerCase": n.name.lower(),
            "duration": n.measures.duration,
            "amount": render.amount_of(n.measures, setup.shown),
            "amounts": render.amounts_of(n.measures, setup.kinds),
            **n.extra,
        }
        if n.children:
            row["children"] = _render_nodes(setup, list(n.children.values()), column, descending)
        out.append(row)
    return out


def _tree(rows: list[Row], fns: list[LevelFn], offset: int) -> dict[str, Node]:
    top: dict[str, Node] = {}
    for row in rows:
        m = Measures()
        m.add_row(row, offset)
        level = top
        for fn in fns:
            gid, name, sort_key, extra = fn(row)
            node = level.get(gid)
            if node is None:
                node = level[gid] = Node(gid, name, sort_key, extra=extra)
            node.measures.add(m)
            level = node.children
    return top


async def summary(ctx: WorkspaceContext, body: SummaryReportRequest) -> dict[str, Any]:
    report, _, _ = await summary_with_setup(ctx, body)
    return report


async def summary_csv(ctx: WorkspaceContext, body: SummaryReportRequest) -> tuple[bytes, str]:
    from punchclock.reports.export import csv as csv_export

    report, setup, levels = await summary_with_setup(ctx, body)
    content = csv_export.summary(report, levels, setup.currency, setup.shown == "HIDE_AMOUNT")
    return content, csv_export.filename("Summary", setup)


async def summary_with_setup(
    ctx: WorkspaceContext, body: SummaryReportRequest
) -> tuple[dict[str, Any], Setup, list[str]]:
    setup = await prepare(ctx, body)
    f = body.summary_filter
    levels: list[str] = list(f.groups) if f is not None and f.groups else ["PROJECT"]
    if len(set(levels)) != len(levels):
        raise bad_request("Summary report groups must be different from each other")
    keys: list[str] = []
    cols: list[int] = []
    for level in levels:
        sql = _key_sql(setup, level)
        if sql not in keys:
            keys.append(sql)
        cols.append(keys.index(sql))
    tag_join = "TAG" in levels
    unit = ctx.unit
    rows = await q.grouped(unit, setup.where, setup.period, keys, setup.rounding, tag_join=tag_join)
    names = await load_names(
        ctx, list({r[cols[levels.index("USER")]] for r in rows}) if "USER" in levels else []
    )
    fns = [_level(setup, names, level, col) for level, col in zip(levels, cols, strict=True)]
    top = _tree(rows, fns, len(keys))
    if tag_join:
        total = await q.totals(unit, setup.where, setup.period, setup.rounding)
        above = levels.index("TAG")
        if above:
            await _recount_above_tags(setup, levels[:above], top, names)
    else:
        total = Measures()
        for node in top.values():
            total.add(node.measures)
    column = (f.sort_column if f is not None else None) or "GROUP"
    descending = bool(setup.descending)
    chart = (f.summary_chart_type if f is not None else None) or "PROJECT"
    group_totals = {"groupOneTotalCount": len(top)}
    if len(levels) > 1:
        group_totals["groupTwoTotalCount"] = sum(len(n.children) for n in top.values())
    report = {
        "totals": [render.totals_of(total, setup.shown, setup.kinds, setup.currency)]
        if total.entries
        else [],
        "groupOne": _render_nodes(setup, list(top.values()), column, descending),
        "groupTotals": group_totals,
        "donutChart": await _donut(setup, names, chart, levels, rows, len(keys), tag_join),
    }
    return report, setup, levels


async def _recount_above_tags(setup: Setup, levels: list[str], top: dict[str, Node], names: Names) -> None:
    """Levels above a TAG level count an entry once, however many tags it has: their measures come from
    the same grouping without the tag join."""
    keys: list[str] = []
    for level in levels:
        if _key_sql(setup, level) not in keys:
            keys.append(_key_sql(setup, level))
    fns = [_level(setup, names, level, keys.index(_key_sql(setup, level))) for level in levels]
    rows = await q.grouped(setup.ctx.unit, setup.where, setup.period, keys, setup.rounding)
    fresh = _tree(rows, fns, len(keys))

    def copy(into: dict[str, Node], source: dict[str, Node], depth: int) -> None:
        for gid, node in source.items():
            if gid in into:
                into[gid].measures = node.measures
                if depth + 1 < len(levels):
                    copy(into[gid].children, node.children, depth + 1)

    copy(top, fresh, 0)


async def _donut(
    setup: Setup, names: Names, chart: str, levels: list[str], rows: list[Row], offset: int, tag_join: bool
) -> list[dict[str, Any]]:
    unit = setup.ctx.unit
    if chart == "BILLABILITY":
        found = await q.grouped(unit, setup.where, setup.period, ["te.billable"], setup.rounding)
        out = []
        for r in sorted(found, key=lambda r: not r[0]):
            m = Measures()
            m.add_row(r, 1)
            key = "BILLABLE" if r[0] else "NON_BILLABLE"
            out.append(
                {
                    "_id": key,
                    "name": "Billable" if r[0] else "Non-billable",
                    "duration": m.duration,
                    "amount": render.amount_of(m, setup.shown),
                }
            )
        return out
    if "PROJECT" in levels and not tag_join:
        col = [_key_sql(setup, x) for x in levels].index("te.project_id")
        source = rows
    else:
        source = await q.grouped(unit, setup.where, setup.period, ["te.project_id"], setup.rounding)
        col, offset = 0, 1
    fn = _level(setup, names, "PROJECT", col)
    projects: dict[str, Node] = {}
    for r in source:
        gid, name, key, extra = fn(r)
        node = projects.setdefault(gid, Node(gid, name, key, extra=extra))
        m = Measures()
        m.add_row(r, offset)
        node.measures.add(m)
    return [
        {
            "_id": n.id,
            "name": n.name,
            "duration": n.measures.duration,
            "amount": render.amount_of(n.measures, setup.shown),
            "color": n.extra.get("color", ""),
        }
        for n in sorted(projects.values(), key=lambda n: -n.measures.duration)
    ]


# Detailed ----------------------------------------------------------------------------------------------


def _entry_row(
    setup: Setup, names: Names, r: Row, custom: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    tag_ids = entry_store.tag_ids_of(r["tag_list"])
    zone = setup.period.zone
    duration = int(r["duration"] or 0)
    if setup.rounding:
        duration = setup.rounding.apply(duration)
    billable = bool(r["billable"])
    m = Measures(
        duration=duration,
        billable_duration=duration if billable else 0,
        entries=1,
        earned=(r["hourly_rate"] or 0) * duration if billable else 0,
        cost=(r["cost_rate"] or 0) * duration,
    )
    p = names.projects.get(r["project_id"]) if r["project_id"] else None
    u = names.users.get(r["user_id"])
    currency = r["currency"] or setup.currency
    rate = r["cost_rate"] if setup.shown == "COST" else r["hourly_rate"]
    hidden = setup.shown == "HIDE_AMOUNT"
    return {
        "_id": r["id"],
        "id": r["id"],
        "description": r["description"],
        "userId": r["user_id"],
        "userName": u["name"] if u is not None else "",
        "userEmail": u["email"] if u is not None else "",
        "billable": billable,
        "projectId": r["project_id"],
        "projectName": p["name"] if p is not None else "",
        "projectColor": p["color"] if p is not None else "",
        "clientId": (p["client_id"] if p is not None else None),
        "clientName": (p["client_name"] or "") if p is not None else "",
        "taskId": r["task_id"],
        "taskName": names.tasks.get(r["task_id"], "") if r["task_id"] else "",
        "tagIds": tag_ids,
        "tags": [{"id": t, "name": names.tags.get(t, "")} for t in tag_ids],
        "timeInterval": render.interval(r["start_ms"], r["end_ms"], duration, zone),
        "type": r["type"],
        "isLocked": bool(r["is_locked"]),
        "invoiced": bool(r["invoiced"]),
        "approvalRequestId": None,
        "currency": currency,
        "rate": (rate or 0) if not hidden else 0,
        "amount": render.amount_of(m, setup.shown),
        "amounts": render.amounts_of(m, setup.kinds),
        "hourlyRate": None if hidden else {"amount": r["hourly_rate"] or 0, "currency": currency},
        "costRate": None if hidden else {"amount": r["cost_rate"] or 0, "currency": currency},
        "customFields": custom or [],
    }


def _detail_options(setup: Setup, body: DetailedReportRequest) -> tuple[str, bool, int, int]:
    f = body.detailed_filter
    sort_column = (f.sort_column if f is not None else None) or "DATE"
    descending = True if setup.descending is None else setup.descending
    page = (f.page if f is not None else None) or 1
    size = (f.page_size if f is not None else None) or DEFAULT_PAGE_SIZE
    if f is not None and f.audit_filter is not None:
        audit = f.audit_filter
        if audit.without_project:
            setup.where.add("te.project_id IS NULL", "project_id")
        if audit.without_task:
            setup.where.add("te.task_id IS NULL", "task_id")
        if audit.duration is not None:
            op = "<" if audit.duration_shorter else ">"
            setup.where.add(
                f"te.duration {op} :audit_seconds", "duration", audit_seconds=audit.duration * 3600
            )
    return sort_column, descending, page, size


async def detailed(ctx: WorkspaceContext, body: DetailedReportRequest) -> dict[str, Any]:
    setup = await prepare(ctx, body)
    sort_column, descending, page, size = _detail_options(setup, body)
    unit = ctx.unit
    entry_ids = await q.page_ids(unit, setup.where, sort_column, descending, size, (page - 1) * size)
    by_id = {r["id"]: r for r in await q.entries_by_ids(unit, ctx.workspace_id, entry_ids)}
    names = await load_names(ctx, list({r["user_id"] for r in by_id.values()}))
    custom = await time_entries.custom_values_of(ctx, [i for i, r in by_id.items() if r["has_custom_values"]])
    entries = [_entry_row(setup, names, by_id[i], custom.get(i)) for i in entry_ids if i in by_id]
    f = body.detailed_filter
    want_totals = not (f is not None and f.options is not None and f.options.totals == "EXCLUDE")
    totals: list[Any] = []
    if want_totals:
        at = await cache.version(unit)
        key = cache.fingerprint(setup.where.sql, setup.where.params, setup.rounding)
        facts = cache.TOTALS.facts(key, at)
        if facts is not None and "totals" in facts:
            total = facts["totals"]
        else:
            total = await q.totals(unit, setup.where, setup.period, setup.rounding)
            if facts is not None:
                facts["totals"] = total
        if total.entries:
            totals = [render.totals_of(total, setup.shown, setup.kinds, setup.currency)]
    return {"totals": totals, "timeentries": entries}


# Weekly ------------------------------------------------------------------------------------------------


async def weekly(ctx: WorkspaceContext, body: WeeklyReportRequest) -> dict[str, Any]:
    report, _ = await weekly_with_setup(ctx, body)
    return report


async def weekly_csv(ctx: WorkspaceContext, body: WeeklyReportRequest) -> tuple[bytes, str]:
    from punchclock.reports.export import csv as csv_export

    report, setup = await weekly_with_setup(ctx, body)
    group = (body.weekly_filter.group if body.weekly_filter is not None else None) or "USER"
    return csv_export.weekly(report, group, setup.shown == "HIDE_AMOUNT"), csv_export.filename(
        "Weekly", setup
    )


async def weekly_with_setup(ctx: WorkspaceContext, body: WeeklyReportRequest) -> tuple[dict[str, Any], Setup]:
    setup = await prepare(ctx, body)
    period = setup.period
    if period.days != 7:
        raise bad_request(WEEKLY_DAYS_MESSAGE)
    group = (body.weekly_filter.group if body.weekly_filter is not None else None) or "USER"
    keys = ["te.user_id", "te.project_id", period.day_sql()]
    rows = await q.grouped(ctx.unit, setup.where, period, keys, setup.rounding)
    names = await load_names(ctx, list({r[0] for r in rows}))
    outer, inner = ("USER", "PROJECT") if group == "USER" else ("PROJECT", "USER")
    cols = {"USER": 0, "PROJECT": 1}
    fns = [_level(setup, names, outer, cols[outer]), _level(setup, names, inner, cols[inner])]
    top = _tree(rows, fns, 3)
    days = [period.day(i) for i in range(7)]
    per_day: dict[tuple[str, ...], list[Measures]] = {}
    for r in rows:
        m = Measures()
        m.add_row(r, 3)
        outer_id = fns[0](r)[0]
        inner_id = fns[1](r)[0]
        index = int(r[2])
        for path in ((outer_id,), (outer_id, inner_id), ()):
            per_day.setdefault(path, [Measures() for _ in days])[index].add(m)

    def day_list(path: tuple[str, ...]) -> list[dict[str, Any]]:
        found = per_day.get(path) or [Measures() for _ in days]
        return [
            {"date": d.isoformat(), "duration": m.duration, "amount": render.amount_of(m, setup.shown)}
            for d, m in zip(days, found, strict=True)
        ]

    descending = bool(setup.descending)
    group_rows = []
    total = Measures()
    for node in _sorted(list(top.values()), "GROUP", descending):
        total.add(node.measures)
        children = [
            {
                "_id": c.id,
                "name": c.name,
                "duration": c.measures.duration,
                "amount": render.amount_of(c.measures, setup.shown),
                **c.extra,
                "days": day_list((node.id, c.id)),
            }
            for c in _sorted(list(node.children.values()), "GROUP", descending)
        ]
        group_rows.append(
            {
                "_id": node.id,
                "name": node.name,
                "duration": node.measures.duration,
                "amount": render.amount_of(node.measures, setup.shown),
                **node.extra,
                "days": day_list((node.id,)),
                "children": children,
            }
        )
    return {
        "totals": [
            render.totals_of(total, setup.shown, setup.kinds, setup.currency) if total.entries else None
        ],
        "totalsByDay": day_list(()),
        "groupOne": group_rows,
        "decimalFormat": False,
        "trackTimeDownToSeconds": True,
        "includeUsersWithoutTime": False,
        "usersWithoutTime": [],
    }, setup


# Attendance --------------------------------------------------------------------------------------------


def _compare(value: float, filters: list[CompareFilter] | None, scale: Callable[[str | int], float]) -> bool:
    for f in filters or []:
        if f.value is None or f.filtration_type is None:
            continue
        try:
            target = scale(f.value)
        except ValueError:
            raise bad_request(f"You entered invalid value for field: [value]. Value: {f.value}") from None
        if f.filtration_type == "EXACTLY" and value != target:
            return False
        if f.filtration_type == "LARGER_THAN" and not value > target:
            return False
        if f.filtration_type == "SMALLER_THAN" and not value < target:
            return False
    return True


def _hundredths_of_hour(value: str | int) -> float:
    return float(value) * 36  # value is hours x 100; seconds = value / 100 x 3600


def _clock(value: str | int) -> float:
    """`17:00` (or seconds since midnight as a number) → seconds since midnight."""
    if isinstance(value, int):
        return float(value)
    hours, _, minutes = value.partition(":")
    return int(hours) * 3600 + int(minutes or 0) * 60


async def attendance(ctx: WorkspaceContext, body: AttendanceReportRequest) -> dict[str, Any]:
    setup = await prepare(ctx, body)
    period, zone = setup.period, setup.period.zone
    rows = await q.attendance_rows(ctx.unit, setup.where, period)
    names = await load_names(ctx, list({r[0] for r in rows}))
    running = await q.running_users(ctx.unit, ctx.workspace_id, list({r[0] for r in rows}))
    working = {
        r["user_id"]: (int(r["work_capacity"]), set(str(r["working_days"]).split(",")))
        for r in await ctx.unit.fetch_all(
            "SELECT user_id, work_capacity, working_days FROM memberships WHERE workspace_id = :ws",
            {"ws": ctx.workspace_id},
        )
    }
    f = body.attendance_filter
    entities = []
    for r in rows:
        day = period.day(int(r[1]))
        capacity, days = working.get(r[0], (28800, set(WEEKDAYS[:5])))
        capacity = capacity if WEEKDAYS[day.weekday()] in days else 0
        work, pause = int(r["work"] or 0), int(r["pause"] or 0)
        first, last = render.local(r["first_start"], zone), render.local(r["last_end"], zone)
        start_s = first.hour * 3600 + first.minute * 60 + first.second
        end_s = last.hour * 3600 + last.minute * 60 + last.second
        if f is not None and not (
            _compare(work, f.work_filters, _hundredths_of_hour)
            and _compare(pause, f.break_filters, _hundredths_of_hour)
            and _compare(capacity, f.capacity_filters, _hundredths_of_hour)
            and _compare(max(0, work - capacity), f.overtime_filters, _hundredths_of_hour)
            and _compare(start_s, f.start_filters, _clock)
            and _compare(end_s, f.end_filters, _clock)
        ):
            continue
        u = names.users.get(r[0])
        entities.append(
            {
                "userId": r[0],
                "userName": u["name"] if u is not None else "",
                "imageUrl": u["profile_picture"] if u is not None else "",
                "date": day.isoformat(),
                "startTime": format_local(r["first_start"], zone),
                "endTime": format_local(r["last_end"], zone),
                "totalDuration": work,
                "break": pause,
                "capacity": capacity,
                "overtime": max(0, work - capacity),
                "remainingCapacity": max(0, capacity - work),
                "timeOff": 0,
                "hasRunningEntry": r[0] in running,
            }
        )
    column = (f.sort_column if f is not None else None) or "USER"
    sort_keys: dict[str, Callable[[dict[str, Any]], Any]] = {
        "USER": lambda e: (e["userName"].casefold(), e["date"]),
        "DATE": lambda e: (e["date"], e["userName"].casefold()),
        "START": lambda e: e["startTime"],
        "END": lambda e: e["endTime"],
        "BREAK": lambda e: e["break"],
        "WORK": lambda e: e["totalDuration"],
        "CAPACITY": lambda e: e["capacity"],
        "OVERTIME": lambda e: e["overtime"],
        "TIME_OFF": lambda e: e["timeOff"],
    }
    entities.sort(key=sort_keys[column], reverse=bool(setup.descending))
    page = (f.page if f is not None else None) or 1
    size = (f.page_size if f is not None else None) or DEFAULT_PAGE_SIZE
    totals = {
        "_id": "",
        "totalTime": sum(e["totalDuration"] for e in entities),
        "totalBreak": sum(e["break"] for e in entities),
        "totalCapacity": sum(e["capacity"] for e in entities),
        "totalOvertime": sum(e["overtime"] for e in entities),
        "totalTimeOff": 0,
        "entitiesCount": len(entities),
    }
    return {"totals": totals, "entities": entities[(page - 1) * size : page * size]}


# Exports -----------------------------------------------------------------------------------------------


def _detailed_chunks(
    setup: Setup, db: Database, names: Names, sort_column: str, descending: bool
) -> AsyncIterator[Chunk]:
    """The detailed report's rows in keyset (or offset) chunks, each read in its own short read
    transaction, so a year's export neither holds the database nor the rows in memory. The next chunk is
    read while the current one is written out (PostgreSQL works meanwhile): two chunks at most in memory.
    (Reading SQLite's chunks on a connection in a worker thread was measured slower: 86k against 116k
    rows/s for a year, the threads contending for the GIL.)
    Rows carry the wall-clock columns of queries.wall_sql."""

    async def read(after: tuple[int, str] | None, offset: int) -> Chunk:
        unit = db.begin(write=False)
        ok = False
        try:
            if sort_column in ("DATE", "ZONED_DATE", "NATURAL"):
                rows = await q.chunk_after(unit, setup.where, descending, after, STREAM_CHUNK, setup.period)
            else:
                rows = await q.chunk_at(
                    unit, setup.where, sort_column, descending, offset, STREAM_CHUNK, setup.period
                )
            missing = list({r[2] for r in rows} - names.users.keys())
            names.users.update({u["id"]: u for u in await q.users_named(unit, missing)})
            ok = True
        finally:
            await unit.finish(ok)
        return rows

    async def chunks() -> AsyncIterator[Chunk]:
        if setup.where.matches_nothing:
            return
        pending: asyncio.Task[Chunk] | None = asyncio.ensure_future(read(None, 0))
        offset = 0
        try:
            while pending is not None:
                rows = await pending
                pending = None
                offset += len(rows)
                if len(rows) == STREAM_CHUNK:
                    pending = asyncio.ensure_future(read((rows[-1][6], rows[-1][0]), offset))
                if rows:
                    yield rows
        finally:
            if pending is not None:  # the client went away: the read ahead finishes its unit alone
                pending.cancel()

    return chunks()


async def detailed_csv(
    ctx: WorkspaceContext, db: Database, body: DetailedReportRequest
) -> tuple[AsyncIterator[bytes], str]:
    """The whole detailed report as CSV, streamed chunk by chunk."""
    from punchclock.reports.export import csv as csv_export

    setup = await prepare(ctx, body)
    sort_column, descending, _, _ = _detail_options(setup, body)
    names = await load_names(ctx)
    writer = csv_export.DetailedWriter(setup, names)
    rows = _detailed_chunks(setup, db, names, sort_column, descending)

    async def chunks() -> AsyncIterator[bytes]:
        yield writer.header()
        async for chunk in rows:
            yield writer.rows(chunk)

    return chunks(), csv_export.filename("Detailed", setup)


async def detailed_xlsx(
    ctx: WorkspaceContext, db: Database, body: DetailedReportRequest
) -> tuple[AsyncIterator[bytes], str]:
    """The whole detailed report as XLSX: rows are read chunk by chunk into a constant-memory workbook on
    a temporary file (off the event loop), which is then streamed back."""
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import xlsx

    setup = await prepare(ctx, body)
    sort_column, descending, _, _ = _detail_options(setup, body)
    names = await load_names(ctx)
    rows = _detailed_chunks(setup, db, names, sort_column, descending)

    async def chunks() -> AsyncIterator[bytes]:
        sheet = await asyncio.to_thread(xlsx.DetailedSheet, setup, names)
        try:
            async for chunk in rows:
                await asyncio.to_thread(sheet.rows, chunk)
            await asyncio.to_thread(sheet.book.finish)
        except BaseException:
            sheet.book.file.close()
            raise
        async for data in sheet.book.chunks():
            yield data

    return chunks(), csv_export.filename("Detailed", setup, "xlsx")


async def summary_xlsx(ctx: WorkspaceContext, body: SummaryReportRequest) -> tuple[AsyncIterator[bytes], str]:
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import xlsx

    report, setup, levels = await summary_with_setup(ctx, body)
    head, lines = csv_export.summary_table(report, levels, setup.currency, setup.shown == "HIDE_AMOUNT")
    book = await asyncio.to_thread(xlsx.table, head, lines, setup)
    return book.chunks(), csv_export.filename("Summary", setup, "xlsx")


async def weekly_xlsx(ctx: WorkspaceContext, body: WeeklyReportRequest) -> tuple[AsyncIterator[bytes], str]:
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import xlsx

    report, setup = await weekly_with_setup(ctx, body)
    group = (body.weekly_filter.group if body.weekly_filter is not None else None) or "USER"
    head, lines = csv_export.weekly_table(report, group, setup.shown == "HIDE_AMOUNT")
    book = await asyncio.to_thread(xlsx.table, head, lines, setup)
    return book.chunks(), csv_export.filename("Weekly", setup, "xlsx")


async def summary_pdf(ctx: WorkspaceContext, body: SummaryReportRequest) -> tuple[AsyncIterator[bytes], str]:
    """The summary as a PDF: totals, time per day (an extra grouping by local day), the first level's
    donut and the XLSX's table."""
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import pdf

    report, setup, levels = await summary_with_setup(ctx, body)
    per_day: dict[int, int] = {}
    by_day = await q.grouped(ctx.unit, setup.where, setup.period, [setup.period.day_sql()], setup.rounding)
    for r in by_day:
        per_day[int(r[0])] = per_day.get(int(r[0]), 0) + int(r[1] or 0)
    head, lines = csv_export.summary_table(report, levels, setup.currency, setup.shown == "HIDE_AMOUNT")
    document = await asyncio.to_thread(pdf.summary, setup, report, levels, per_day, head, lines)
    return document.chunks(), csv_export.filename("Summary", setup, "pdf")


async def weekly_pdf(ctx: WorkspaceContext, body: WeeklyReportRequest) -> tuple[AsyncIterator[bytes], str]:
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import pdf

    report, setup = await weekly_with_setup(ctx, body)
    group = (body.weekly_filter.group if body.weekly_filter is not None else None) or "USER"
    head, lines = csv_export.weekly_table(report, group, setup.shown == "HIDE_AMOUNT")
    document = await asyncio.to_thread(pdf.weekly, setup, report, head, lines)
    return document.chunks(), csv_export.filename("Weekly", setup, "pdf")


async def detailed_pdf(
    ctx: WorkspaceContext, db: Database, body: DetailedReportRequest
) -> tuple[AsyncIterator[bytes], str]:
    """The whole detailed report as a PDF: totals first (read now, in the request's transaction), then
    the rows chunk by chunk onto pages (off the event loop) in a temporary file, streamed back."""
    from punchclock.reports.export import csv as csv_export
    from punchclock.reports.export import pdf

    setup = await prepare(ctx, body)
    sort_column, descending, _, _ = _detail_options(setup, body)
    names = await load_names(ctx)
    total = await q.totals(ctx.unit, setup.where, setup.period, setup.rounding)
    totals = render.totals_of(total, setup.shown, setup.kinds, setup.currency) if total.entries else None
    rows = _detailed_chunks(setup, db, names, sort_column, descending)

    async def chunks() -> AsyncIterator[bytes]:
        writer = await asyncio.to_thread(pdf.Detailed, setup, names, totals)
        try:
            async for chunk in rows:
                await asyncio.to_thread(writer.rows, chunk)
            await asyncio.to_thread(writer.finish)
        except BaseException:
            writer.doc.close()
            raise
        async for data in writer.doc.chunks():
            yield data

    return chunks(), csv_export.filename("Detailed", setup, "pdf")
