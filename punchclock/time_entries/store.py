"""SQL for time entries. Every statement is bounded by workspace_id.

Lists are fetched as a page of ids first (through `time_entries_by_user`, which covers the scan), then the
rows of just those ids and their tags, one query each. Hydrated rows join the referenced project, client,
task and user in the same row query (read only; those tables belong to their features).

Custom-field values live in `time_entry_custom_values`; the entry's `has_custom_values` flag says whether it
has any, so a page whose rows have none (the common case) costs no statement for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from punchclock.kit.db import Row, Unit
from punchclock.kit.time import DAY_MS

COLUMNS = """e.id, e.workspace_id, e.user_id, e.description, e.project_id, e.task_id, e.billable,
e.start_ms, e.end_ms, e.duration, e.type, e.kiosk_id, e.invoiced, e.hourly_rate, e.hourly_rate_source,
e.cost_rate, e.cost_rate_source, e.currency, e.has_custom_values, e.tag_list"""

HYDRATED = """,
p.name AS p_name, p.client_id AS p_client_id, c.name AS p_client_name, p.color AS p_color,
p.billable AS p_billable, p.archived AS p_archived, p.is_public AS p_public,
t.name AS t_name, t.project_id AS t_project_id, t.status AS t_status, t.billable AS t_billable,
u.name AS u_name, u.email AS u_email, u.profile_picture AS u_picture, u.status AS u_status"""

# On PostgreSQL a page's rows bring their tags along (one round trip fewer than `tags_named` after it): the
# ids in the entry's `tag_list` that still name a tag, in the order the wire shows them. By name key, then
# id, compared as bytes ("C"), which is how Python orders the same strings on SQLite's side.
CARRIED_TAGS = "tags_in_order"
_CARRY_TAGS = f""",
CASE WHEN e.tag_list IS NOT NULL THEN ARRAY(
    SELECT g.id FROM tags g
    WHERE g.workspace_id = e.workspace_id AND g.id = ANY(string_to_array(e.tag_list, ','))
    ORDER BY g.name_key COLLATE "C", g.id COLLATE "C"
) END AS {CARRIED_TAGS}"""

HYDRATED_JOINS = """
LEFT JOIN projects p ON p.workspace_id = e.workspace_id AND p.id = e.project_id
LEFT JOIN clients c ON c.workspace_id = e.workspace_id AND c.id = p.client_id
LEFT JOIN tasks t ON t.workspace_id = e.workspace_id AND t.id = e.task_id
LEFT JOIN users u ON u.id = e.user_id"""

_INSERT = """INSERT INTO time_entries (id, workspace_id, user_id, description, project_id, task_id,
billable, start_ms, end_ms, duration, type, kiosk_id, is_locked, invoiced, hourly_rate,
hourly_rate_source, cost_rate, cost_rate_source, currency, has_custom_values, tag_list, created_at,
updated_at)
VALUES (:id, :workspace_id, :user_id, :description, :project_id, :task_id, :billable, :start_ms, :end_ms,
:duration, :type, NULL, FALSE, FALSE, :hourly_rate, :hourly_rate_source, :cost_rate, :cost_rate_source,
:currency, :has_custom_values, :tag_list, :now, :now)"""

_REPLACE = """UPDATE time_entries SET description = :description, project_id = :project_id,
task_id = :task_id, billable = :billable, start_ms = :start_ms, end_ms = :end_ms, duration = :duration,
type = :type, hourly_rate = :hourly_rate, hourly_rate_source = :hourly_rate_source, cost_rate = :cost_rate,
cost_rate_source = :cost_rate_source, currency = :currency, has_custom_values = :has_custom_values,
tag_list = :tag_list, updated_at = :now
WHERE workspace_id = :workspace_id AND id = :id"""


@dataclass
class EntryFilter:
    """The filters of `GET …/user/{uid}/time-entries` (instants already in epoch ms)."""

    description: str | None = None
    start_from: int | None = None
    start_before: int | None = None
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: list[str] = field(default_factory=list)
    project_required: bool = False
    task_required: bool = False
    in_progress: bool = False


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# Reads --------------------------------------------------------------------------------------------------


async def get(unit: Unit, workspace_id: str, entry_id: str, *, hydrated: bool = False) -> Row | None:
    rows = await get_many(unit, workspace_id, [entry_id], hydrated=hydrated)
    return rows[0] if rows else None


async def get_many(
    unit: Unit, workspace_id: str, entry_ids: Sequence[str], *, hydrated: bool = False
) -> list[Row]:
    """The rows of these ids (any order; unknown ids are simply absent)."""
    if not entry_ids:
        return []
    extra, joins = (HYDRATED, HYDRATED_JOINS) if hydrated else ("", "")
    return await unit.fetch_all(
        f"SELECT {COLUMNS}{extra} FROM time_entries e{joins} WHERE e.workspace_id = :ws AND e.id IN (:ids)",
        {"ws": workspace_id, "ids": list(entry_ids)},
    )


async def tags_named(
    unit: Unit, workspace_id: str, tag_ids: Sequence[str], *, hydrated: bool = False
) -> list[Row]:
    """(tag_id, name_key[, name, archived]) of these tags of the workspace (an entry's `tag_list` names
    them), in no particular order (the service orders them, the same on every database)."""
    if not tag_ids:
        return []
    extra = ", t.name, t.archived" if hydrated else ""
    return await unit.fetch_all(
        f"SELECT t.id AS tag_id, t.name_key{extra} FROM tags t WHERE t.workspace_id = :ws AND t.id IN (:ids)",
        {"ws": workspace_id, "ids": list(tag_ids)},
    )


async def custom_values_of(unit: Unit, workspace_id: str, entry_ids: Sequence[str]) -> list[Row]:
    """(time_entry_id, custom_field_id, source_type, value) of these entries' custom-field values."""
    if not entry_ids:
        return []
    return await unit.fetch_all(
        """SELECT time_entry_id, custom_field_id, source_type, value FROM time_entry_custom_values
        WHERE workspace_id = :ws AND time_entry_id IN (:ids)""",
        {"ws": workspace_id, "ids": list(entry_ids)},
    )


RARE_TAGGED = 5000


async def _tags_are_rare(unit: Unit, workspace_id: str, tag_ids: list[str]) -> bool:
    """Whether fewer than RARE_TAGGED entries of the workspace carry these tags (a bounded index count)."""
    count = await unit.fetch_val(
        """SELECT COUNT(*) FROM (SELECT 1 FROM time_entry_tags
        WHERE workspace_id = :ws AND tag_id IN (:tags) LIMIT :cap) AS tagged""",
        {"ws": workspace_id, "tags": tag_ids, "cap": RARE_TAGGED},
    )
    return int(count or 0) < RARE_TAGGED


def page_carries_tags(unit: Unit, *, hydrated: bool) -> bool:
    """Whether `page_of_user`'s rows bring their tag ids in order (`CARRIED_TAGS`)."""
    return unit.dialect == "postgres" and not hydrated


async def page_of_user(
    unit: Unit,
    workspace_id: str,
    user_id: str,
    flt: EntryFilter,
    limit: int,
    offset: int,
    *,
    hydrated: bool = False,
) -> list[Row]:
    """One page of a user's entries, newest start first, in one statement: the page's ids come from an
    index-only scan (when no filter needs the row), and only those rows are read. Written as a join on
    the ids (not `id IN (…)` after a first query) so that the planner needs no statistics to pick it.
    On PostgreSQL, unhydrated rows carry their tags (`CARRIED_TAGS`)."""
    where = ["e.workspace_id = :ws", "e.user_id = :user"]
    params: dict[str, Any] = {"ws": workspace_id, "user": user_id, "limit": limit, "offset": offset}
    if flt.start_from is not None:
        where.append("e.start_ms >= :start_from")
        params["start_from"] = flt.start_from
    if flt.start_before is not None:
        where.append("e.start_ms < :start_before")
        params["start_before"] = flt.start_before
    if flt.description:
        where.append("LOWER(e.description) LIKE :description ESCAPE '\\'")
        params["description"] = _like(flt.description)
    if flt.project_id is not None:
        where.append("e.project_id = :project")
        params["project"] = flt.project_id
    if flt.task_id is not None:
        where.append("e.task_id = :task")
        params["task"] = flt.task_id
    if flt.project_required:
        where.append("e.project_id IS NOT NULL")
    if flt.task_required:
        where.append("e.task_id IS NOT NULL")
    if flt.in_progress:
        where.append("e.end_ms IS NULL")
    if flt.tag_ids:
        params["tags"] = flt.tag_ids
        if await _tags_are_rare(unit, workspace_id, flt.tag_ids):
            # Few tagged entries: start from them (the tag index), sort just those.
            where.append(
                """e.id IN (SELECT x.time_entry_id FROM time_entry_tags x
                WHERE x.workspace_id = :ws AND x.tag_id IN (:tags))"""
            )
        else:
            # Many: walk the user's entries newest first and keep the tagged ones (a page fills early).
            where.append(
                """EXISTS (SELECT 1 FROM time_entry_tags x WHERE x.workspace_id = e.workspace_id
                AND x.time_entry_id = e.id AND x.tag_id IN (:tags))"""
            )
    if unit.dialect == "postgres" and offset > DAY_JUMP_FROM and flt == EntryFilter():
        jumped = await _day_of_row(unit, workspace_id, user_id, offset)
        if jumped is not None:
            where.append("e.start_ms <= :day_end")
            params["day_end"], params["offset"] = jumped
    extra, joins = (HYDRATED, HYDRATED_JOINS) if hydrated else ("", "")
    if page_carries_tags(unit, hydrated=hydrated):
        extra = _CARRY_TAGS
    if unit.dialect == "postgres" and offset <= DIRECT_PAGE_UNTIL:
        # Near the top, the rows are read straight along the user's index: the ids-first form below
        # looks each up again in the primary key and sorts them (216 buffers and 0.57 ms for page 1 on
        # 1,000,000 entries, against 57 buffers and 0.17 ms).
        return list(
            await unit.fetch_mapped(
                f"SELECT {COLUMNS}{extra} FROM time_entries e{joins} WHERE {' AND '.join(where)} "
                "ORDER BY e.start_ms DESC, e.id DESC LIMIT :limit OFFSET :offset",
                params,
            )
        )
    # SQLite's index entries carry the rowid: joining on it reads each row with one seek, where the id
    # would first be looked up in the primary-key index (about 12% of the statement).
    key, match = (
        ("rowid", "e.rowid = page_ids.rowid") if unit.dialect == "sqlite" else ("id", "e.id = page_ids.id")
    )
    page = (
        f"SELECT e.{key} FROM time_entries e WHERE {' AND '.join(where)} "
        "ORDER BY e.start_ms DESC, e.id DESC LIMIT :limit OFFSET :offset"
    )
    sql = (
        f"SELECT {COLUMNS}{extra} FROM ({page}) page_ids "
        f"JOIN time_entries e ON e.workspace_id = :ws AND {match}{joins} "
        "ORDER BY e.start_ms DESC, e.id DESC"
    )
    return list(await unit.fetch_mapped(sql, params))


# On PostgreSQL, pages that start at most this deep read their rows along the user's index; deeper ones
# take their ids from an index-only walk first, so that the skipped rows' table pages are never read
# (each skipped row costs a heap fetch in the direct form: break-even is about 150 rows).
DIRECT_PAGE_UNTIL = 100

# On PostgreSQL, unfiltered pages deeper than this start at the day the per-day counts place them in (a
# shallower OFFSET walk is as cheap as the look-up). Not on SQLite, whose walk over the covering index is
# fast: page 1,000 of 50 took 6 ms there against 11 ms for the day look-up alone; PostgreSQL took 19 ms
# for that walk and 3 ms for the look-up (1,000,000 entries, 100,000 of them the user's).
DAY_JUMP_FROM = 2000


async def _day_of_row(unit: Unit, workspace_id: str, user_id: str, offset: int) -> tuple[int, int] | None:
    """Where row `offset` of the user's unfiltered list (newest start first) lies: the last instant of
    its UTC day, and its offset among the entries starting at or before it. Finished entries are counted
    per day in report_day_groups (migration 0007, kept by triggers); a running one is not, so the rows
    newer than that day are those counts plus the running entry if it started later. None when the day
    cannot be placed (no counts, a day before 1970), and the plain OFFSET walk serves."""
    found = await unit.fetch_one(
        # Days newest first through report_day_groups_by_user, summed as they come: the scan stops at
        # the day sought instead of counting every day of the user first. (No outer ORDER BY: it makes
        # PostgreSQL count every day and sort. The first row is checked below instead: any other row
        # that passes the filter has more than `offset` rows newer than it.)
        """SELECT day, newer FROM (
            SELECT day, SUM(here) OVER (ORDER BY day DESC) - here AS newer, here FROM (
                SELECT day, SUM(entries) AS here FROM report_day_groups
                WHERE workspace_id = :ws AND user_id = :user GROUP BY day ORDER BY day DESC
            ) per_day
        ) days WHERE newer + here > :offset LIMIT 1""",
        {"ws": workspace_id, "user": user_id, "offset": offset},
    )
    if found is None or int(found[0]) < 0 or int(found[1]) > offset:
        return None
    day_end = (int(found[0]) + 1) * DAY_MS - 1
    running_later = await unit.fetch_val(
        """SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws AND user_id = :user
        AND end_ms IS NULL AND start_ms > :day_end""",
        {"ws": workspace_id, "user": user_id, "day_end": day_end},
    )
    left = offset - int(found[1]) - int(running_later or 0)
    return (day_end, left) if left >= 0 else None


async def page_running(
    unit: Unit, workspace_id: str, user_id: str | None, limit: int, offset: int
) -> list[str]:
    """Ids of a page of the running entries of the workspace (of one user when given)."""
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit, "offset": offset}
    where = "workspace_id = :ws AND end_ms IS NULL"
    if user_id is not None:
        where += " AND user_id = :user"
        params["user"] = user_id
    rows = await unit.fetch_all(
        f"SELECT id FROM time_entries WHERE {where} "
        "ORDER BY start_ms DESC, id DESC LIMIT :limit OFFSET :offset",
        params,
    )
    return [r[0] for r in rows]


async def running_of(unit: Unit, workspace_id: str, user_id: str) -> Row | None:
    return await unit.fetch_one(
        f"""SELECT {COLUMNS} FROM time_entries e
        WHERE e.workspace_id = :ws AND e.user_id = :user AND e.end_ms IS NULL""",
        {"ws": workspace_id, "user": user_id},
    )


async def references(unit: Unit, workspace_id: str, project_id: str, task_id: str | None) -> Row | None:
    """What a write needs of the project it names (and of the task, which must be that project's), in one
    cheap statement: whether they exist here, the project's visibility, their billable flags. The
    projects/tasks tables are read, never written, here."""
    return await unit.fetch_one(
        """SELECT p.id, p.is_public, p.billable, t.id AS task_id, t.billable AS task_billable
        FROM projects p
        LEFT JOIN tasks t ON t.workspace_id = p.workspace_id AND t.project_id = p.id AND t.id = :task
        WHERE p.workspace_id = :ws AND p.id = :project""",
        {"ws": workspace_id, "project": project_id, "task": task_id},
    )


async def time_zone_of(unit: Unit, workspace_id: str, user_id: str) -> str | None:
    """A member's account time zone (the users table is read, never written, here)."""
    value = await unit.fetch_val(
        """SELECT u.time_zone FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.workspace_id = :ws AND m.user_id = :user""",
        {"ws": workspace_id, "user": user_id},
    )
    return None if value is None else str(value)


# Writes -------------------------------------------------------------------------------------------------


async def lock_timer(unit: Unit, workspace_id: str, user_id: str) -> None:
    """Serialise timer changes of one user: PostgreSQL takes the member's row lock until commit. SQLite
    serialises all writes: the `stop_running` that follows takes the write lock, and what it stops is read
    under that lock."""
    if unit.dialect == "postgres":
        # `execute`: a row lock is a write's, taken in the unit's transaction (a read would run outside it).
        await unit.execute(
            "SELECT 1 FROM memberships WHERE workspace_id = :ws AND user_id = :user FOR UPDATE",
            {"ws": workspace_id, "user": user_id},
        )


async def stop_running(
    unit: Unit, workspace_id: str, user_id: str, at_ms: int, except_id: str | None = None
) -> None:
    """End the user's running entry at `at_ms` (never before its own start)."""
    await unit.execute(
        """UPDATE time_entries SET
        end_ms = CASE WHEN start_ms > :at THEN start_ms ELSE :at END,
        duration = CASE WHEN start_ms > :at THEN 0 ELSE (:at - start_ms) / 1000 END,
        updated_at = :now
        WHERE workspace_id = :ws AND user_id = :user AND end_ms IS NULL AND id <> :keep""",
        {"ws": workspace_id, "user": user_id, "at": at_ms, "keep": except_id or "", "now": at_ms},
    )


async def insert(unit: Unit, values: dict[str, Any], *, last: bool = False) -> None:
    await unit.execute(_INSERT, values, last=last)


async def replace(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(_REPLACE, values)


async def set_tags(
    unit: Unit, workspace_id: str, entry_id: str, tag_ids: Sequence[str], *, fresh: bool
) -> None:
    """Make the entry's tags exactly `tag_ids` (`fresh`: the entry is new, nothing to delete)."""
    if not fresh:
        await unit.execute(
            "DELETE FROM time_entry_tags WHERE workspace_id = :ws AND time_entry_id = :id",
            {"ws": workspace_id, "id": entry_id},
        )
    if tag_ids:
        await unit.execute_many(
            "INSERT INTO time_entry_tags (workspace_id, time_entry_id, tag_id) VALUES (:ws, :id, :tag)",
            [{"ws": workspace_id, "id": entry_id, "tag": t} for t in tag_ids],
        )


_CUSTOM_COLUMNS = ("custom_field_id", "source_type", "value", "value_text", "value_number")


async def set_custom_values(
    unit: Unit, workspace_id: str, entry_id: str, values: Sequence[dict[str, Any]], *, fresh: bool
) -> None:
    """Make the entry's custom-field values exactly `values` (dicts of custom_field_id, source_type, value,
    value_text, value_number); `fresh`: the entry is new (or had none), nothing to delete."""
    if not fresh:
        await unit.execute(
            "DELETE FROM time_entry_custom_values WHERE workspace_id = :ws AND time_entry_id = :id",
            {"ws": workspace_id, "id": entry_id},
        )
    if values:
        await unit.execute_many(
            """INSERT INTO time_entry_custom_values (workspace_id, time_entry_id, custom_field_id,
            source_type, value, value_text, value_number)
            VALUES (:ws, :id, :custom_field_id, :source_type, :value, :value_text, :value_number)""",
            [{**{c: v[c] for c in _CUSTOM_COLUMNS}, "ws": workspace_id, "id": entry_id} for v in values],
        )


async def stop(unit: Unit, workspace_id: str, entry_id: str, end_ms: int, duration: int, now: int) -> None:
    await unit.execute(
        """UPDATE time_entries SET end_ms = :end, duration = :duration, updated_at = :now
        WHERE workspace_id = :ws AND id = :id""",
        {"ws": workspace_id, "id": entry_id, "end": end_ms, "duration": duration, "now": now},
    )


async def delete_many(
    unit: Unit, workspace_id: str, entry_ids: Sequence[str], *, custom_values: bool = True
) -> None:
    """Delete these entries with their tags (and custom values, unless the caller knows of none)."""
    params = {"ws": workspace_id, "ids": list(entry_ids)}
    await unit.execute(
        "DELETE FROM time_entry_tags WHERE workspace_id = :ws AND time_entry_id IN (:ids)", params
    )
    if custom_values:
        await unit.execute(
            "DELETE FROM time_entry_custom_values WHERE workspace_id = :ws AND time_entry_id IN (:ids)",
            params,
        )
    await unit.execute("DELETE FROM time_entries WHERE workspace_id = :ws AND id IN (:ids)", params)


async def set_invoiced(
    unit: Unit, workspace_id: str, entry_ids: Sequence[str], invoiced: bool, now: int
) -> None:
    await unit.execute(
        """UPDATE time_entries SET invoiced = :invoiced, updated_at = :now
        WHERE workspace_id = :ws AND id IN (:ids)""",
        {"ws": workspace_id, "ids": list(entry_ids), "invoiced": invoiced, "now": now},
    )


async def delete_of_project(unit: Unit, workspace_id: str, project_id: str) -> None:
    params = {"ws": workspace_id, "project": project_id}
    await unit.execute(
        """DELETE FROM time_entry_tags WHERE workspace_id = :ws AND time_entry_id IN
        (SELECT id FROM time_entries WHERE workspace_id = :ws AND project_id = :project)""",
        params,
    )
    await unit.execute(
        """DELETE FROM time_entry_custom_values WHERE workspace_id = :ws AND time_entry_id IN
        (SELECT id FROM time_entries WHERE workspace_id = :ws AND project_id = :project
        AND has_custom_values = TRUE)""",
        params,
    )
    await unit.execute("DELETE FROM time_entries WHERE workspace_id = :ws AND project_id = :project", params)


async def detach_task(unit: Unit, workspace_id: str, task_id: str) -> None:
    await unit.execute(
        "UPDATE time_entries SET task_id = NULL WHERE workspace_id = :ws AND task_id = :task",
        {"ws": workspace_id, "task": task_id},
    )


def tag_list(tag_ids: Sequence[str]) -> str | None:
    """The `tag_list` column of an entry with these tags (migration 0011)."""
    return ",".join(sorted(tag_ids)) or None


def tag_ids_of(stored: str | None) -> list[str]:
    """The tag ids a `tag_list` column holds."""
    return stored.split(",") if stored else []


async def detach_tag(unit: Unit, workspace_id: str, tag_id: str) -> None:
    """Take a deleted tag off every entry: its links, and its id out of the entries' tag lists."""
    params = {"ws": workspace_id, "tag": tag_id}
    rows = await unit.fetch_all(
        """SELECT x.time_entry_id, x.tag_id FROM time_entry_tags x WHERE x.workspace_id = :ws
        AND x.time_entry_id IN (SELECT time_entry_id FROM time_entry_tags WHERE workspace_id = :ws
        AND tag_id = :tag)""",
        params,
    )
    kept: dict[str, list[str]] = {}
    for row in rows:
        tags = kept.setdefault(row["time_entry_id"], [])
        if row["tag_id"] != tag_id:
            tags.append(row["tag_id"])
    if kept:
        await unit.execute_many(
            "UPDATE time_entries SET tag_list = :tag_list WHERE workspace_id = :ws AND id = :id",
            [{"ws": workspace_id, "id": i, "tag_list": tag_list(t)} for i, t in kept.items()],
        )
    await unit.execute("DELETE FROM time_entry_tags WHERE workspace_id = :ws AND tag_id = :tag", params)
