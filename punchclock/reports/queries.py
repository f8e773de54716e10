"""SQL of the reports: filters to a WHERE clause, aggregation in GROUP BY, index-only paging.

Every statement is bounded by `te.workspace_id` and the period's instants, so it is served by the report
indexes of migration 0004: `time_entries_reports` (workspace, start, id, then every column a report
aggregates: range scans are index-only and deliver the detailed order without a sort) and
`time_entries_report_groups` (workspace, project, user, start: long summaries grouped by project and
user read their rows already in group order). Money is summed as rate x seconds (minor units * s) and
divided by 3600 once, in Python, so totals are exact.

Migration 0007's per-UTC-day tables, kept by triggers in each write's transaction, spare long scans:
`report_days` (a workspace's day) gives an unfiltered period's totals and tells which day holds row N of
the date-ordered detailed report, so a deep page is one short seek whatever its depth;
`report_day_groups` (day x user x project x billable) sums summaries grouped and filtered by those only.
Whole days come from them, the partial days at the period's ends from the entries, so every zone and
any period boundary stays exact; per-entry rounding, other filters and other groupings read the entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from punchclock.kit.db import Params, Row, Unit
from punchclock.kit.time import DAY_MS
from punchclock.reports import cache
from punchclock.reports.period import Period


@dataclass
class Where:
    """A WHERE clause under construction: SQL conditions and their parameters."""

    conditions: list[str] = field(default_factory=list)
    params: Params = field(default_factory=dict)
    # Columns of time_entries the conditions read (decides which index can cover the query).
    columns: set[str] = field(default_factory=set)
    matches_nothing: bool = False

    def add(self, sql: str, *columns: str, **params: Any) -> None:
        self.conditions.append(sql)
        self.columns.update(columns)
        self.params.update(params)

    @property
    def sql(self) -> str:
        return " AND ".join(self.conditions) if self.conditions else "TRUE"


@dataclass(frozen=True)
class Rounding:
    """Per-entry rounding of durations (workspace setting `round`: minutes and mode)."""

    seconds: int
    mode: str  # NEAREST | UP | DOWN

    def sql(self, column: str) -> str:
        m = self.seconds
        if self.mode == "UP":
            return f"((({column}) + {m - 1}) / {m} * {m})"
        if self.mode == "DOWN":
            return f"(({column}) / {m} * {m})"
        return f"((({column}) + {m // 2}) / {m} * {m})"

    def apply(self, seconds: int) -> int:
        m = self.seconds
        if self.mode == "UP":
            return (seconds + m - 1) // m * m
        if self.mode == "DOWN":
            return seconds // m * m
        return (seconds + m // 2) // m * m


def duration_sql(rounding: Rounding | None) -> str:
    return rounding.sql("te.duration") if rounding else "te.duration"


def measures_sql(rounding: Rounding | None) -> str:
    """duration, billable duration, entries, earned (minor·s), cost (minor·s)."""
    d = duration_sql(rounding)
    return (
        f"SUM({d}) AS duration, SUM(CASE WHEN te.billable THEN {d} ELSE 0 END) AS billable_duration, "
        f"COUNT(*) AS entries, "
        f"SUM(CASE WHEN te.billable THEN COALESCE(te.hourly_rate, 0) * {d} ELSE 0 END) AS earned, "
        f"SUM(COALESCE(te.cost_rate, 0) * {d}) AS cost"
    )


@dataclass
class Measures:
    duration: int = 0
    billable_duration: int = 0
    entries: int = 0
    earned: int = 0  # minor units x seconds
    cost: int = 0

    def add_row(self, row: Row, offset: int) -> None:
        self.duration += int(row[offset] or 0)
        self.billable_duration += int(row[offset + 1] or 0)
        self.entries += int(row[offset + 2] or 0)
        self.earned += int(row[offset + 3] or 0)
        self.cost += int(row[offset + 4] or 0)

    def add(self, other: Measures) -> None:
        self.duration += other.duration
        self.billable_duration += other.billable_duration
        self.entries += other.entries
        self.earned += other.earned
        self.cost += other.cost


def base_where(workspace_id: str, period: Period) -> Where:
    where = Where()
    where.add("te.workspace_id = :ws", ws=workspace_id)
    where.add("te.start_ms >= :lo AND te.start_ms <= :hi", "start_ms", lo=period.lo_ms, hi=period.hi_ms)
    where.add("te.end_ms IS NOT NULL", "end_ms")
    return where


GROUP_INDEX_COLUMNS = frozenset(
    {"start_ms", "end_ms", "duration", "billable", "hourly_rate", "cost_rate", "user_id", "project_id"}
)
# Reading the whole workspace in group order costs about a quarter of sorting the same rows; so the
# group-ordered index wins once the period holds more than about a quarter of the workspace's entries.
GROUP_INDEX_SHARE = 0.25


async def _share_of_workspace(unit: Unit, where: Where, period: Period) -> float:
    """Rough share of the workspace's entries inside the period, from its first and last start."""
    ws = where.params["ws"]
    first = await unit.fetch_val(
        "SELECT MIN(start_ms) FROM time_entries WHERE workspace_id = :ws", {"ws": ws}
    )
    last = await unit.fetch_val("SELECT MAX(start_ms) FROM time_entries WHERE workspace_id = :ws", {"ws": ws})
    if first is None or last is None or last <= first:
        return 1.0
    overlap = min(last, period.hi_ms) - max(first, period.lo_ms)
    return max(0.0, float(overlap) / float(last - first))


# SQLite skips through an index's leading columns only when its statistics show many rows per prefix.
SKIP_SCAN_MIN_ROWS = 18


async def _skip_scan_possible(unit: Unit) -> bool:
    """Whether ANALYZE statistics let SQLite seek into the period once per (project, user) of the
    group-ordered index (a skip-scan), rather than read the whole workspace."""
    known = await unit.fetch_val("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if not known:
        return False
    stat = await unit.fetch_val("SELECT stat FROM sqlite_stat1 WHERE idx = 'time_entries_report_groups'")
    parts = str(stat or "").split()
    return len(parts) > 3 and parts[3].isdigit() and int(parts[3]) >= SKIP_SCAN_MIN_ROWS


async def _from(unit: Unit, where: Where, keys: Sequence[str], period: Period) -> tuple[str, str]:
    """FROM clause and WHERE text. SQLite is told which report index to read (its planner cannot know how
    long the period is). Summaries grouped by project and/or user read the group-ordered index, whose
    rows arrive in group order, so the sort is nearly free: for a long period (a good share of the
    workspace) as one ordered scan (the period test then reads `+te.start_ms`, so the planner cannot
    turn it into a skip-scan), for a short one by a skip-scan that seeks into the period per project and
    user (when statistics allow it). Everything else reads the start-ordered index. PostgreSQL hashes
    the groups and plans for itself."""
    if unit.dialect != "sqlite":
        return "FROM time_entries te", where.sql
    if keys and set(keys) <= {"te.project_id", "te.user_id"} and where.columns <= GROUP_INDEX_COLUMNS:
        source = "FROM time_entries te INDEXED BY time_entries_report_groups"
        if await _share_of_workspace(unit, where, period) > GROUP_INDEX_SHARE:
            bounds = "te.start_ms >= :lo AND te.start_ms <= :hi"
            return source, where.sql.replace(bounds, "+te.start_ms >= :lo AND +te.start_ms <= :hi")
        if await _skip_scan_possible(unit):
            return source, where.sql
    return "FROM time_entries te INDEXED BY time_entries_reports", where.sql


# Per-day totals (report_days, migration 0007) ----------------------------------------------------------

BASE_CONDITIONS = 3  # base_where's: workspace, period, finished


def unfiltered(where: Where) -> bool:
    """Whether the report selects every finished entry of the workspace in its period (nothing else in
    the WHERE clause): what report_days knows, day by day."""
    return not where.matches_nothing and len(where.conditions) == BASE_CONDITIONS


def whole_days(lo_ms: int, hi_ms: int) -> tuple[int, int]:
    """The UTC days [first, end) lying wholly inside [lo_ms, hi_ms]."""
    return -(-lo_ms // DAY_MS), (hi_ms + 1) // DAY_MS


def _between(where: Where, lo_ms: int, hi_ms: int) -> Params:
    return {**where.params, "lo": lo_ms, "hi": hi_ms}


async def _day_totals(unit: Unit, where: Where) -> Measures | None:
    """The period's totals from report_days for its whole days, and from the entries for the partial days
    at both ends (a few thousand index rows at most); None when the period holds no whole day."""
    lo, hi = where.params["lo"], where.params["hi"]
    first, end = whole_days(lo, hi)
    if end <= first:
        return None
    found = Measures()
    row = await unit.fetch_one(
        "SELECT SUM(duration), SUM(billable_duration), SUM(entries), SUM(earned), SUM(cost) FROM report_days "
        "WHERE workspace_id = :ws AND day >= :first AND day < :end",
        {"ws": where.params["ws"], "first": first, "end": end},
    )
    if row is not None:
        found.add_row(row, 0)
    for a, b in ((lo, first * DAY_MS - 1), (end * DAY_MS, hi)):
        if a <= b:
            edge = await unit.fetch_one(
                f"SELECT {measures_sql(None)} {_by_start(unit)} WHERE {where.sql}", _between(where, a, b)
            )
            if edge is not None:
                found.add_row(edge, 0)
    return found


# report_day_groups read as if it were time_entries (alias te): the conditions on users, projects and the
# billable flag apply to it unchanged ('' stands for "no project" there).
DAY_GROUPS = (
    "(SELECT workspace_id, day, user_id, NULLIF(project_id, '') AS project_id, billable, entries, duration, "
    "earned, cost FROM report_day_groups) te"
)
DAY_GROUP_KEYS = frozenset({"te.project_id", "te.user_id", "te.billable", "0"})
DAY_GROUP_COLUMNS = frozenset({"start_ms", "end_ms", "user_id", "project_id", "billable"})
DAY_GROUP_MEASURES = (
    "SUM(te.duration), SUM(CASE WHEN te.billable THEN te.duration ELSE 0 END), SUM(te.entries), "
    "SUM(te.earned), SUM(te.cost)"
)


def by_day_groups(where: Where, keys: Sequence[str], rounding: Rounding | None) -> bool:
    """Whether a grouping can be summed from report_day_groups: no per-entry rounding, keys and
    conditions on users, projects and the billable flag only."""
    return (
        rounding is None
        and not where.matches_nothing
        and set(keys) <= DAY_GROUP_KEYS
        and where.columns <= DAY_GROUP_COLUMNS
    )


async def _grouped_by_days(unit: Unit, where: Where, keys: Sequence[str]) -> list[Row] | None:
    """`grouped` summed from report_day_groups over the period's whole days, plus the entries of the
    partial days at both ends; None when the period holds no whole day."""
    lo, hi = where.params["lo"], where.params["hi"]
    first, end = whole_days(lo, hi)
    if end <= first:
        return None
    select = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    group = ", ".join(f"k{i}" for i in range(len(keys)))
    conditions = ["te.workspace_id = :ws", "te.day >= :first_day AND te.day < :end_day"]
    conditions += where.conditions[BASE_CONDITIONS:]
    sums: dict[tuple[Any, ...], list[int]] = {}

    def add(rows: list[Row]) -> None:
        for r in rows:
            key = tuple(r[i] for i in range(len(keys)))
            found = sums.setdefault(key, [0, 0, 0, 0, 0])
            for i in range(5):
                found[i] += int(r[len(keys) + i] or 0)

    add(
        await unit.fetch_all(
            f"SELECT {select}, {DAY_GROUP_MEASURES} FROM {DAY_GROUPS} WHERE {' AND '.join(conditions)} "
            f"GROUP BY {group}",
            {**where.params, "first_day": first, "end_day": end},
        )
    )
    for a, b in ((lo, first * DAY_MS - 1), (end * DAY_MS, hi)):
        if a <= b:
            add(
                await unit.fetch_all(
                    f"SELECT {select}, {measures_sql(None)} {_by_start(unit)} WHERE {where.sql} "
                    f"GROUP BY {group}",
                    _between(where, a, b),
                )
            )
    # Plain tuples: readers of grouped rows index them by position only. A group whose entries were all
    # deleted (or moved) leaves rows summing to no entries: it is no group.
    return cast(list[Row], [(*key, *measures) for key, measures in sums.items() if measures[2]])


async def totals(unit: Unit, where: Where, period: Period, rounding: Rounding | None) -> Measures:
    found = Measures()
    if where.matches_nothing:
        return found
    if rounding is None and unfiltered(where):
        from_days = await _day_totals(unit, where)
        if from_days is not None:
            return from_days
    if by_day_groups(where, ["0"], rounding):
        rows = await _grouped_by_days(unit, where, ["0"])
        if rows is not None:
            for group_row in rows:
                found.add_row(group_row, 1)
            return found
    source, condition = await _from(unit, where, (), period)
    row = await unit.fetch_one(f"SELECT {measures_sql(rounding)} {source} WHERE {condition}", where.params)
    if row is not None:
        found.add_row(row, 0)
    return found


async def grouped(
    unit: Unit,
    where: Where,
    period: Period,
    keys: Sequence[str],
    rounding: Rounding | None,
    *,
    tag_join: bool = False,
) -> list[Row]:
    """One row per distinct combination of the key expressions, then the five measures."""
    if where.matches_nothing:
        return []
    if not keys:
        keys = ["0"]
    if not tag_join and by_day_groups(where, keys, rounding):
        from_days = await _grouped_by_days(unit, where, keys)
        if from_days is not None:
            return from_days
    select = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
    group = ", ".join(f"k{i}" for i in range(len(keys)))
    source, condition = await _from(unit, where, keys, period)
    if tag_join:
        source += (
            " LEFT JOIN time_entry_tags tt ON tt.time_entry_id = te.id AND tt.workspace_id = te.workspace_id"
        )
    return await unit.fetch_all(
        f"SELECT {select}, {measures_sql(rounding)} {source} WHERE {condition} GROUP BY {group}",
        where.params,
    )


# Detailed ---------------------------------------------------------------------------------------------

DETAIL_ORDER = {
    # sort column -> ORDER BY expressions (before the direction is applied); ties broken by the id.
    "DATE": ["te.start_ms", "te.id"],
    "ZONED_DATE": ["te.start_ms", "te.id"],
    "NATURAL": ["te.start_ms", "te.id"],
    "ID": ["te.id"],
    "DURATION": ["te.duration", "te.start_ms", "te.id"],
    "DESCRIPTION": ["te.description", "te.start_ms", "te.id"],
    "USER": ["(SELECT u.name FROM users u WHERE u.id = te.user_id)", "te.start_ms", "te.id"],
    "USER_DATE": ["(SELECT u.name FROM users u WHERE u.id = te.user_id)", "te.start_ms", "te.id"],
}


def order_sql(sort_column: str, descending: bool) -> str:
    way = " DESC" if descending else " ASC"
    return ", ".join(e + way for e in DETAIL_ORDER.get(sort_column, DETAIL_ORDER["DATE"]))


def _by_start(unit: Unit) -> str:
    return "FROM time_entries te" + (" INDEXED BY time_entries_reports" if unit.dialect == "sqlite" else "")


DATE_SORTS = ("DATE", "ZONED_DATE", "NATURAL")


def _after_key(where: Where, descending: bool, after: tuple[int, str] | None) -> tuple[str, Params]:
    """The WHERE text and parameters for rows after `after` in (start, id) order. The key narrows the
    period's own bound, so the index range starts at the key (one range, not a second test per row)."""
    params = dict(where.params)
    condition = where.sql
    if after is not None:
        if descending:
            params["hi"] = min(params["hi"], after[0])
            condition += " AND (te.start_ms < :k_start OR te.id < :k_id)"
        else:
            params["lo"] = max(params["lo"], after[0])
            condition += " AND (te.start_ms > :k_start OR te.id > :k_id)"
        params.update(k_start=after[0], k_id=after[1])
    return condition, params


# A deep page is reached by hops of this many rows, each remembered, so that every later page up to that
# depth (and the next pages beyond it) starts from a boundary near it.
HOP = 5000


async def _hop(
    unit: Unit,
    where: Where,
    descending: bool,
    known: int,
    after: tuple[int, str] | None,
    offset: int,
    facts: dict[Any, Any],
) -> tuple[int, tuple[int, str] | None]:
    """Walk from the boundary at `known` towards `offset`, one remembered boundary every HOP rows: the
    same rows an OFFSET walk would step over, at the cost of one short statement per hop."""
    way = "DESC" if descending else "ASC"
    while offset - known > HOP and len(facts) < cache.MAX_BOUNDARIES:
        condition, params = _after_key(where, descending, after) if after else (where.sql, where.params)
        row = await unit.fetch_one(
            f"SELECT te.id, te.start_ms {_by_start(unit)} WHERE {condition} "
            f"ORDER BY te.start_ms {way}, te.id {way} LIMIT 1 OFFSET :hop",
            {**params, "hop": HOP - 1},
        )
        if row is None:
            break
        known += HOP
        after = (row[1], row[0])
        facts[known] = after
    return known, after


# Unfiltered pages deeper than this are found through report_days (a shallower OFFSET walk is as cheap).
JUMP_FROM = 2000


async def _count(unit: Unit, where: Where, lo_ms: int, hi_ms: int) -> int:
    found = await unit.fetch_val(
        f"SELECT COUNT(*) {_by_start(unit)} WHERE {where.sql}", _between(where, lo_ms, hi_ms)
    )
    return int(found or 0)


async def _jump(unit: Unit, where: Where, descending: bool, offset: int) -> tuple[Params, int] | None:
    """For an unfiltered date-ordered page: the period narrowed to begin at the day holding row `offset`
    (counted from the period's newest end when descending, oldest otherwise) and the offset left inside
    it. Rows per whole day come from report_days; the partial days at the ends are counted. None when
    the row lies in the first partial day (a short OFFSET walk) or there is no whole day."""
    lo, hi = where.params["lo"], where.params["hi"]
    first, end = whole_days(lo, hi)
    if end <= first:
        return None
    way = "DESC" if descending else "ASC"
    days = await unit.fetch_all(
        "SELECT day, SUM(entries) FROM report_days WHERE workspace_id = :ws AND day >= :first AND day < :end "
        f"GROUP BY day ORDER BY day {way}",
        {"ws": where.params["ws"], "first": first, "end": end},
    )
    left = offset
    edge = (end * DAY_MS, hi) if descending else (lo, first * DAY_MS - 1)
    if edge[0] <= edge[1]:
        in_edge = await _count(unit, where, *edge)
        if in_edge > left:
            return None
        left -= in_edge
    for row in days:
        day, count = int(row[0]), int(row[1] or 0)
        if count > left:
            narrowed = {"hi": (day + 1) * DAY_MS - 1} if descending else {"lo": day * DAY_MS}
            return {**where.params, **narrowed}, left
        left -= count
    return {**where.params, **({"hi": first * DAY_MS - 1} if descending else {"lo": end * DAY_MS})}, left


async def page_ids(
    unit: Unit, where: Where, sort_column: str, descending: bool, limit: int, offset: int
) -> list[str]:
    """The ids of one page, read from the covering index alone (no table rows are touched). In date
    order, an unfiltered page deep in the period starts at the day report_days places it in; a filtered
    one at a remembered boundary at or before the offset (the OFFSET walk becomes a keyset seek)."""
    if where.matches_nothing:
        return []
    if sort_column in DATE_SORTS and offset > JUMP_FROM and unfiltered(where):
        jumped = await _jump(unit, where, descending, offset)
        if jumped is not None:
            params, left = jumped
            rows = await unit.fetch_all(
                f"SELECT te.id {_by_start(unit)} WHERE {where.sql} "
                f"ORDER BY {order_sql(sort_column, descending)} LIMIT :limit OFFSET :offset",
                {**params, "limit": limit, "offset": left},
            )
            return [r[0] for r in rows]
    facts = None
    if sort_column in DATE_SORTS:
        at = await cache.version(unit)
        facts = cache.BOUNDARIES.facts(cache.fingerprint(where.sql, where.params, descending), at)
    known, after = 0, None
    if facts:
        below = [o for o in facts if isinstance(o, int) and o <= offset]
        if below:
            known = max(below)
            after = facts[known]
    if facts is not None and offset - known > 2 * HOP:
        known, after = await _hop(unit, where, descending, known, after, offset, facts)
    if after is not None:
        condition, params = _after_key(where, descending, after)
    else:
        condition, params = where.sql, dict(where.params)
    # Past a known boundary, one row more in front: it is the boundary of this very page, for next time.
    before = 1 if facts is not None and offset > known else 0
    rows = await unit.fetch_all(
        f"SELECT te.id, te.start_ms {_by_start(unit)} WHERE {condition} "
        f"ORDER BY {order_sql(sort_column, descending)} LIMIT :limit OFFSET :offset",
        {**params, "limit": limit + before, "offset": offset - known - before},
    )
    if facts is not None and len(facts) < cache.MAX_BOUNDARIES:
        if before and rows:
            facts[offset] = (rows[0][1], rows[0][0])
        if len(rows) > before:
            facts[offset + len(rows) - before] = (rows[-1][1], rows[-1][0])
    return [r[0] for r in rows[before:]]


ENTRY_COLUMNS = """te.id, te.description, te.user_id, te.project_id, te.task_id, te.billable, te.start_ms,
te.end_ms, te.duration, te.type, te.is_locked, te.invoiced, te.hourly_rate, te.cost_rate, te.currency,
te.has_custom_values, te.tag_list"""


async def entries_by_ids(unit: Unit, workspace_id: str, entry_ids: list[str]) -> list[Row]:
    if not entry_ids:
        return []
    return await unit.fetch_all(
        f"SELECT {ENTRY_COLUMNS} FROM time_entries te WHERE te.workspace_id = :ws AND te.id IN (:ids)",
        {"ws": workspace_id, "ids": entry_ids},
    )


# Columns of an exported row, in the order export/csv.py reads them.
# The tag ids come from the entry's own `tag_list` (migration 0011), not from a look-up per row.
EXPORT_COLUMNS = """te.id, te.description, te.user_id, te.project_id, te.task_id, te.billable, te.start_ms,
te.end_ms, te.duration, te.hourly_rate, te.cost_rate, te.tag_list"""


def wall_sql(period: Period | None) -> str:
    """After the tag list, the local wall clock of start and end in seconds from the epoch: the database
    adds the zone's offset faster than Python looks it up. The start is always inside the period, so its
    offset is exact; an end after the period's last instant may lie past an offset change the period
    does not know, so readers recompute those (export/csv.py)."""
    if period is None:
        return ""
    start = f"(te.start_ms + {period.offset_sql('te.start_ms')}) / 1000"
    end = f"(te.end_ms + {period.offset_sql('te.end_ms')}) / 1000"
    return f", {start}, {end}"


async def chunk_after(
    unit: Unit,
    where: Where,
    descending: bool,
    after: tuple[int, str] | None,
    limit: int,
    period: Period | None = None,
) -> Sequence[Sequence[Any]]:
    """Keyset chunk in (start, id) order after `after`: the streaming export's reader (with a period,
    the wall-clock columns of `wall_sql` follow)."""
    condition, params = _after_key(where, descending, after)
    way = "DESC" if descending else "ASC"
    return await unit.fetch_positional(
        f"SELECT {EXPORT_COLUMNS}{wall_sql(period)} {_by_start(unit)} "
        f"WHERE {condition} ORDER BY te.start_ms {way}, te.id {way} LIMIT :limit",
        {**params, "limit": limit},
    )


async def chunk_at(
    unit: Unit,
    where: Where,
    sort_column: str,
    descending: bool,
    offset: int,
    limit: int,
    period: Period | None = None,
) -> Sequence[Sequence[Any]]:
    """Offset chunk in any detailed order (exports sorted by something else than the date)."""
    return await unit.fetch_positional(
        f"SELECT {EXPORT_COLUMNS}{wall_sql(period)} FROM time_entries te "
        f"WHERE {where.sql} ORDER BY {order_sql(sort_column, descending)} LIMIT :limit OFFSET :offset",
        {**where.params, "limit": limit, "offset": offset},
    )


# Names -------------------------------------------------------------------------------------------------


async def projects(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT p.id, p.name, p.color, p.client_id, c.name AS client_name, p.archived
        FROM projects p LEFT JOIN clients c ON c.id = p.client_id AND c.workspace_id = p.workspace_id
        WHERE p.workspace_id = :ws""",
        {"ws": workspace_id},
    )


async def tasks(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        "SELECT id, name, project_id, status FROM tasks WHERE workspace_id = :ws", {"ws": workspace_id}
    )


async def tags(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        "SELECT id, name, archived FROM tags WHERE workspace_id = :ws", {"ws": workspace_id}
    )


async def members(unit: Unit, workspace_id: str) -> list[Row]:
    """Everyone who is or was in the workspace (entries of a removed member keep their user row)."""
    return await unit.fetch_all(
        """SELECT u.id, u.name, u.email, u.profile_picture, m.status, m.work_capacity
        FROM users u JOIN memberships m ON m.user_id = u.id AND m.workspace_id = :ws""",
        {"ws": workspace_id},
    )


async def users_named(unit: Unit, user_ids: list[str]) -> list[Row]:
    if not user_ids:
        return []
    return await unit.fetch_all(
        "SELECT id, name, email, profile_picture FROM users WHERE id IN (:ids)", {"ids": user_ids}
    )


async def caller_profile(unit: Unit, user_id: str) -> Row | None:
    return await unit.fetch_one(
        "SELECT time_zone, week_start, date_format, time_format FROM users WHERE id = :id", {"id": user_id}
    )


async def workspace_currency(unit: Unit, workspace_id: str) -> str:
    value = await unit.fetch_val("SELECT currency_code FROM workspaces WHERE id = :ws", {"ws": workspace_id})
    return str(value or "USD")


async def running_users(unit: Unit, workspace_id: str, user_ids: list[str]) -> set[str]:
    if not user_ids:
        return set()
    rows = await unit.fetch_all(
        "SELECT user_id FROM time_entries WHERE workspace_id = :ws AND end_ms IS NULL AND user_id IN (:ids)",
        {"ws": workspace_id, "ids": user_ids},
    )
    return {r[0] for r in rows}


async def attendance_rows(unit: Unit, where: Where, period: Period) -> list[Row]:
    """Per user and local day: first start, last end, work and break seconds, entries."""
    if where.matches_nothing:
        return []
    day = period.day_sql()
    return await unit.fetch_all(
        f"""SELECT te.user_id AS k0, {day} AS k1, MIN(te.start_ms) AS first_start, MAX(te.end_ms) AS last_end,
        SUM(CASE WHEN te.type = 'BREAK' THEN 0 ELSE te.duration END) AS work,
        SUM(CASE WHEN te.type = 'BREAK' THEN te.duration ELSE 0 END) AS pause, COUNT(*) AS entries
        {_by_start(unit)} WHERE {where.sql} GROUP BY k0, k1""",
        where.params,
    )
