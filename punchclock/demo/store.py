"""SQL of the demo seeder: look-ups of what a workspace already holds, and bulk loads.

The seeder writes the tables of several features at once (users, projects, time entries…) because it is
a bulk loader, not a request: rows go in through `Unit.copy_rows` (executemany on SQLite, COPY on
PostgreSQL) or `execute_many … ON CONFLICT DO NOTHING` for the few catalogue rows that may exist already.
Every statement on workspace data is bounded by `workspace_id`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Sequence
from typing import Any

from punchclock.kit.db import Database, Params, Row, Unit
from punchclock.kit.db.sqlite import SqliteDatabase

# Time entries as the seeder makes them: the columns it leaves to their defaults (type 'REGULAR', no kiosk,
# not locked, not invoiced, no custom values) are left out, which saves binding four values per row.
ENTRY_COLUMNS = (
    "id",
    "workspace_id",
    "user_id",
    "description",
    "project_id",
    "task_id",
    "billable",
    "start_ms",
    "end_ms",
    "duration",
    "hourly_rate",
    "hourly_rate_source",
    "cost_rate",
    "cost_rate_source",
    "currency",
    "created_at",
    "updated_at",
    "tag_list",
)
ENTRY_TAG_COLUMNS = ("workspace_id", "time_entry_id", "tag_id")
USER_COLUMNS = (
    "id",
    "email",
    "email_key",
    "name",
    "name_key",
    "status",
    "default_workspace_id",
    "active_workspace_id",
    "created_at",
)


# Finding the workspace --------------------------------------------------------------------------------


async def oldest_workspace_named(unit: Unit, name: str) -> Row | None:
    """The oldest workspace called `name` on this server, with its owner's email (operator look-up)."""
    return await unit.fetch_one(
        """SELECT w.id, u.email FROM workspaces w
        JOIN memberships m ON m.workspace_id = w.id AND m.role = 'OWNER'
        JOIN users u ON u.id = m.user_id
        WHERE w.name = :name ORDER BY w.created_at, w.id LIMIT 1""",
        {"name": name},
    )


async def default_workspace_name(unit: Unit, email_key: str) -> str | None:
    name: str | None = await unit.fetch_val(
        """SELECT w.name FROM users u JOIN workspaces w ON w.id = u.default_workspace_id
        WHERE u.email_key = :email_key""",
        {"email_key": email_key},
    )
    return name


async def workspace(unit: Unit, workspace_id: str) -> Row | None:
    return await unit.fetch_one(
        "SELECT id, currency_code, hourly_rate, cost_rate FROM workspaces WHERE id = :ws",
        {"ws": workspace_id},
    )


async def set_workspace_rates(unit: Unit, workspace_id: str, hourly: int, cost: int) -> None:
    await unit.execute(
        "UPDATE workspaces SET hourly_rate = :hourly, cost_rate = :cost WHERE id = :ws",
        {"ws": workspace_id, "hourly": hourly, "cost": cost},
    )


# What the workspace holds -----------------------------------------------------------------------------


async def users_by_email(unit: Unit, email_keys: list[str]) -> list[Row]:
    return await unit.fetch_all(
        "SELECT id, email_key FROM users WHERE email_key IN (:keys)", {"keys": email_keys}
    )


async def members(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        "SELECT user_id, hourly_rate, cost_rate FROM memberships WHERE workspace_id = :ws",
        {"ws": workspace_id},
    )


async def ids_by_name(unit: Unit, workspace_id: str, table: str) -> dict[str, str]:
    """name_key → id of the clients or tags of a workspace."""
    if table not in ("clients", "tags"):
        raise ValueError(table)
    rows = await unit.fetch_all(
        f"SELECT id, name_key FROM {table} WHERE workspace_id = :ws", {"ws": workspace_id}
    )
    return {r["name_key"]: r["id"] for r in rows}


async def projects(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT id, name_key, client_key, billable, is_public, hourly_rate, cost_rate
        FROM projects WHERE workspace_id = :ws""",
        {"ws": workspace_id},
    )


async def tasks(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT id, project_id, name_key, billable, hourly_rate, cost_rate
        FROM tasks WHERE workspace_id = :ws""",
        {"ws": workspace_id},
    )


async def project_members(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT project_id, target_id, hourly_rate, cost_rate FROM project_memberships
        WHERE workspace_id = :ws AND target_type = 'USER'""",
        {"ws": workspace_id},
    )


async def count_entries(unit: Unit, workspace_id: str) -> int:
    count: int = await unit.fetch_val(
        "SELECT COUNT(*) FROM time_entries WHERE workspace_id = :ws", {"ws": workspace_id}
    )
    return count


async def count_all_entries(unit: Unit) -> int:
    """Entries of every workspace: what an index rebuild would have to go through (operator look-up)."""
    count: int = await unit.fetch_val("SELECT COUNT(*) FROM time_entries")
    return count


# Writing ----------------------------------------------------------------------------------------------

_INSERTS = {
    "memberships": """INSERT INTO memberships (workspace_id, user_id, role, status, hourly_rate,
        cost_rate, created_at)
        VALUES (:workspace_id, :user_id, 'MEMBER', 'ACTIVE', :hourly_rate, :cost_rate, :created_at)
        ON CONFLICT (workspace_id, user_id) DO NOTHING""",
    "clients": """INSERT INTO clients (id, workspace_id, name, name_key, created_at)
        VALUES (:id, :workspace_id, :name, :name_key, :created_at)
        ON CONFLICT (workspace_id, name_key) DO NOTHING""",
    "tags": """INSERT INTO tags (id, workspace_id, name, name_key, created_at)
        VALUES (:id, :workspace_id, :name, :name_key, :created_at)
        ON CONFLICT (workspace_id, name_key) DO NOTHING""",
    "projects": """INSERT INTO projects (id, workspace_id, name, name_key, client_id, client_key, color, note,
        billable, is_public, hourly_rate, cost_rate, created_at)
        VALUES (:id, :workspace_id, :name, :name_key, :client_id, :client_key, :color, :note, :billable,
        :is_public, :hourly_rate, :cost_rate, :created_at)
        ON CONFLICT (workspace_id, client_key, name_key) DO NOTHING""",
    "tasks": """INSERT INTO tasks (id, workspace_id, project_id, name, name_key, billable, estimate,
        hourly_rate, cost_rate, created_at)
        VALUES (:id, :workspace_id, :project_id, :name, :name_key, :billable, :estimate, :hourly_rate,
        :cost_rate, :created_at)
        ON CONFLICT (workspace_id, project_id, name_key) DO NOTHING""",
    "project_memberships": """INSERT INTO project_memberships (workspace_id, project_id, target_id,
        target_type, hourly_rate, cost_rate, created_at)
        VALUES (:workspace_id, :project_id, :target_id, 'USER', :hourly_rate, :cost_rate, :created_at)
        ON CONFLICT (workspace_id, project_id, target_id) DO NOTHING""",
}


async def insert_missing(unit: Unit, table: str, rows: Sequence[Params]) -> None:
    """Insert catalogue rows, leaving alone those whose key (name, member…) exists already."""
    if rows:
        await unit.execute_many(_INSERTS[table], rows)


async def load(unit: Unit, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> int:
    """Bulk-load generated rows (users, time entries, their tags): the number loaded."""
    return await unit.copy_rows(table, columns, records)


async def before_bulk_load(db: Database) -> bool:
    """On SQLite, for the seeder's own connection (outside a transaction), and whether the load goes
    through a rollback journal:
    - No foreign-key look-ups (3 per entry: the rows it makes reference each other consistently by
      construction).
    - Index builds that sort on several threads. SQLite's sorter only starts helper threads when its
      temporary data may go to files (temp_store=FILE: with MEMORY, the app's setting, it sorts on one),
      and it spills a run to one whenever its share of the cache (cache_size) is full, handing the run to a
      helper meanwhile: a smaller cache, more runs sorted side by side (the six entry indexes of a million
      entries: 7-9 s instead of 11-14 s on two cores). Temporary data is never part of a commit.
    - A rollback journal instead of the WAL, when no other connection has the file open (else SQLite keeps
      WAL). In WAL mode every page of the load is written twice, to the log at the commit and into the
      database by the checkpoint after it: 900 MB each way for a million entries, a fifth of the seeding
      time. A rollback journal keeps copies of the pages the load changes, and a file that grows needs
      none for the pages it appends, so nearly everything is written once. A million entries on a new
      file, alternating: 52,000-63,600 rows/s through the WAL, 66,000-82,700 through a rollback journal.
      `synchronous=FULL` meanwhile: with a rollback journal, NORMAL can leave a corrupt file after a power
      cut, FULL cannot (and costs a few syncs in one transaction). A crash during the load leaves a hot
      journal that the next connection rolls back; every punchclock connection switches the file to WAL
      as it opens (and after_bulk_load does). A server started during such a load waits for it (up to
      OPEN_WAIT_S) to open the file."""
    if db.dialect == "sqlite":
        assert isinstance(db, SqliteDatabase)
        threads = min(8, os.cpu_count() or 1)
        await db.run_script(
            "PRAGMA foreign_keys=OFF; PRAGMA temp_store=FILE; PRAGMA cache_size=-16384; "
            f"PRAGMA threads={threads}"
        )
        if await db.set_journal_mode("delete") == "delete":
            await db.run_script("PRAGMA synchronous=FULL")
            return True
    return False


_BULK_TABLES = ("time_entries", "time_entry_tags")


async def drop_secondary_indexes(unit: Unit) -> list[str]:
    """Drop the secondary indexes of the entry tables (inside the unit: other connections keep seeing
    them until it commits, and never see the table without them); the statements that recreate them.
    Building an index once over sorted keys beats updating it row by row, for a big load."""
    if unit.dialect == "sqlite":
        rows = await unit.fetch_all(
            """SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND tbl_name IN (:tables) AND sql IS NOT NULL ORDER BY name""",
            {"tables": list(_BULK_TABLES)},
        )
    else:
        # Room to sort a million keys in memory when the indexes are built again.
        await unit.execute("SET LOCAL maintenance_work_mem = '512MB'")
        # Parallel workers of the index builds: the leader sorts too, so on a server on this machine more
        # than cores - 1 of them oversubscribe it. Two cores, a million entries, alternating: 54,100-55,500
        # rows/s with PostgreSQL's default of 2 workers, 59,500-62,100 with 1, 43,200-45,800 with none.
        await unit.fetch_val(
            """SELECT set_config('max_parallel_maintenance_workers',
            LEAST(current_setting('max_parallel_maintenance_workers')::int, :workers)::text, true)
            WHERE inet_client_addr() IS NULL OR inet_client_addr() <<= inet '127.0.0.0/8'
            OR inet_client_addr() = inet '::1'""",
            {"workers": max(1, (os.cpu_count() or 2) - 1)},
        )
        rows = await unit.fetch_all(
            """SELECT i.indexname AS name, i.indexdef AS sql FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename IN (:tables)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            ORDER BY i.indexname""",
            {"tables": list(_BULK_TABLES)},
        )
    for row in rows:
        await unit.execute(f'DROP INDEX "{row["name"]}"')
    return [row["sql"] for row in rows]


async def drop_foreign_keys(unit: Unit) -> list[str]:
    """On PostgreSQL, drop the foreign keys of the entry tables (inside the unit); the statements that
    add them back, validated in one pass each. Checked row by row during COPY (an index probe and a row
    lock per reference, four per entry) they cost more than everything else put together; dropping them
    takes strong locks on the entry tables, users and workspaces until the unit commits, so the seeder
    is for a quiet server. SQLite: nothing to do here (its look-ups are off for the seeder's connection)."""
    if unit.dialect == "sqlite":
        return []
    rows = await unit.fetch_all(
        """SELECT c.conrelid::regclass::text AS tab, c.conname AS name, pg_get_constraintdef(c.oid) AS def
        FROM pg_constraint c
        WHERE c.contype = 'f' AND c.conrelid::regclass::text IN (:tables) ORDER BY c.conname""",
        {"tables": list(_BULK_TABLES)},
    )
    for row in rows:
        await unit.execute(f'ALTER TABLE {row["tab"]} DROP CONSTRAINT "{row["name"]}"')
    return [f'ALTER TABLE {row["tab"]} ADD CONSTRAINT "{row["name"]}" {row["def"]}' for row in rows]


# The triggers whose work a bulk load does itself: each adds one new entry to its project's and task's
# tracked time (migration 0005) and to its day's rows in report_days / report_day_groups (0007).
BULK_TRIGGERS = ("report_days_insert", "time_entries_totals_insert")


async def drop_insert_triggers(unit: Unit) -> list[str] | None:
    """Drop the BULK_TRIGGERS (inside the unit, like the indexes: other connections never see them gone);
    the statements that recreate them as they were, or None (nothing dropped) unless every one of them is
    there and enabled: the caller then adds up what they would have added, once per day and group instead
    of once per row (on PostgreSQL two plpgsql calls per entry, each asking whether a load paused them)."""
    if unit.dialect == "sqlite":
        rows = await unit.fetch_all(
            # In creation order, recreated in the same: SQLite fires a table's triggers newest first.
            """SELECT name, sql FROM sqlite_master
            WHERE type = 'trigger' AND tbl_name = 'time_entries' AND name IN (:names) ORDER BY rowid""",
            {"names": list(BULK_TRIGGERS)},
        )
    else:
        rows = await unit.fetch_all(
            """SELECT t.tgname AS name, pg_get_triggerdef(t.oid) AS sql FROM pg_trigger t
            WHERE t.tgrelid = 'time_entries'::regclass AND NOT t.tgisinternal AND t.tgenabled = 'O'
            AND t.tgname IN (:names) ORDER BY t.tgname""",
            {"names": list(BULK_TRIGGERS)},
        )
    if sorted(r["name"] for r in rows) != sorted(BULK_TRIGGERS):
        return None
    on = "" if unit.dialect == "sqlite" else " ON time_entries"
    for row in rows:
        await unit.execute(f'DROP TRIGGER "{row["name"]}"{on}')
    return [row["sql"] for row in rows]


DAY_COLUMNS = ("workspace_id", "day", "shard", "entries", "duration", "billable_duration", "earned", "cost")


def day_group_columns(dialect: str) -> tuple[str, ...]:
    """The columns of report_day_groups rows as add_day_totals takes them (SQLite's have no shard)."""
    shard = () if dialect == "sqlite" else ("shard",)
    return ("workspace_id", "day", "user_id", "project_id", "billable", *shard, "entries", "duration",
            "earned", "cost")  # fmt: skip


async def _holds_rows(unit: Unit, table: str, workspace_id: str) -> bool:
    found = await unit.fetch_val(
        f"SELECT 1 FROM {table} WHERE workspace_id = :ws LIMIT 1", {"ws": workspace_id}
    )
    return found is not None


async def add_day_totals(
    unit: Unit, workspace_id: str, days: Sequence[Sequence[Any]], groups: Sequence[Sequence[Any]]
) -> None:
    """Add loaded entries' measures to report_days (DAY_COLUMNS rows) and report_day_groups
    (day_group_columns rows), as the insert triggers would have, one row per day and group (shard ''):
    copied into a workspace that has none yet, added to what is there otherwise."""
    group_columns = day_group_columns(unit.dialect)
    for table, columns, rows, key, measures in (
        ("report_days", DAY_COLUMNS, days, 3, DAY_COLUMNS[3:]),
        ("report_day_groups", group_columns, groups, len(group_columns) - 4, group_columns[-4:]),
    ):
        if not rows:
            continue
        if not await _holds_rows(unit, table, workspace_id):
            await unit.copy_rows(table, columns, rows)
            continue
        names = [f"c{i}" for i in range(len(columns))]
        await unit.execute_many(
            f"""INSERT INTO {table} ({", ".join(columns)}) VALUES ({", ".join(":" + n for n in names)})
            ON CONFLICT ({", ".join(columns[:key])}) DO UPDATE SET
            {", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)}""",
            [dict(zip(names, row, strict=True)) for row in rows],
        )


async def add_tracked_seconds(unit: Unit, workspace_id: str, table: str, seconds: dict[str, int]) -> None:
    """Add loaded entries' durations to their projects' or tasks' tracked time, as the insert trigger
    would have."""
    if table not in ("projects", "tasks"):
        raise ValueError(table)
    if seconds:
        await unit.execute_many(
            f"""UPDATE {table} SET tracked_seconds = tracked_seconds + :seconds
            WHERE workspace_id = :ws AND id = :id""",
            [{"ws": workspace_id, "id": key, "seconds": value} for key, value in seconds.items()],
        )


async def restore(unit: Unit, statements: list[str]) -> None:
    """Recreate what drop_secondary_indexes / drop_foreign_keys / drop_insert_triggers dropped."""
    for statement in statements:
        await unit.execute(statement)


async def statistics_in_unit(unit: Unit) -> None:
    """On SQLite, fresh planner statistics for the tables just filled (a million rows change the best
    plans), inside the loading transaction: after its COMMIT, a command waiting to open the file (a server
    started during the load) takes it, and a second write of the seeder's would then contend with it.
    PostgreSQL's come with the VACUUM after the commit (after_bulk_load)."""
    if unit.dialect == "sqlite":
        await unit.execute("ANALYZE")


async def after_bulk_load(db: Database, journaled: bool) -> None:
    """On SQLite, the file back in WAL mode (see before_bulk_load), and a log the load wrote (when another
    connection kept WAL on) folded back into the database file so readers do not wade through it. On
    PostgreSQL fresh planner statistics and a VACUUM, as autovacuum would do later: until the visibility
    map is set an index-only scan visits the table for every row (a page 1,000 of 50 read 50,001 heap
    tuples: 31 ms, 11 ms after)."""
    if db.dialect == "sqlite":
        assert isinstance(db, SqliteDatabase)
        await db.run_script("PRAGMA synchronous=NORMAL")
        await db.set_journal_mode("wal")
        if not journaled:
            await db.run_script("PRAGMA wal_checkpoint(TRUNCATE)")
    else:
        await db.run_script("VACUUM (ANALYZE)")
        # A VACUUM right after a big commit sometimes leaves pages not all-visible (another backend's
        # snapshot still covered them): vacuum the entries again until (nearly) every page is.
        for _ in range(3):
            unit = db.begin(write=False)
            try:
                row = await unit.fetch_one(
                    "SELECT relpages, relallvisible FROM pg_class WHERE oid = 'time_entries'::regclass"
                )
            finally:
                await unit.finish(True)
            if row is None or row["relallvisible"] >= 0.99 * row["relpages"]:
                break
            await asyncio.sleep(1.0)
            await db.run_script("VACUUM time_entries")
