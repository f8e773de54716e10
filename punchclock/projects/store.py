"""SQL for projects and their memberships. Every statement is bounded by workspace_id.

Reads of other features' tables, each inside one statement so a list stays one query: the client's name
and status (`clients`), the workspace currency (`workspaces`), the PROJECT_MANAGER role
(`role_assignments`) and members' workspace status (`memberships`).
"""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit
from punchclock.kit.listing import SortOrder, direction, like_pattern

# Kept by triggers on time_entries (migration 0005), so no list sums entries.
DURATION_SQL = "p.tracked_seconds"

_COLUMNS = f"""p.id, p.workspace_id, p.name, p.client_id, p.color, p.note, p.billable, p.is_public,
p.archived, p.template, p.hourly_rate, p.cost_rate, p.time_estimate, p.budget_estimate, p.created_at,
COALESCE(c.name, '') AS client_name, c.archived AS client_archived, w.currency_code,
{DURATION_SQL} AS duration"""
_FROM = """FROM projects p JOIN workspaces w ON w.id = p.workspace_id
LEFT JOIN clients c ON c.workspace_id = p.workspace_id AND c.id = p.client_id"""

_SORT_COLUMNS = {
    "ID": "p.id",
    "NAME": "p.name_key",
    "CLIENT_NAME": "LOWER(COALESCE(c.name, ''))",
    "DURATION": DURATION_SQL,
    "BUDGET": "COALESCE(p.budget_amount, 0)",
    "PROGRESS": f"""(CASE WHEN COALESCE(p.estimate_seconds, 0) > 0
    THEN {DURATION_SQL} * 1.0 / p.estimate_seconds ELSE 0 END)""",
}

_MANAGES = """EXISTS (SELECT 1 FROM role_assignments r WHERE r.workspace_id = p.workspace_id
AND r.user_id = :viewer AND r.role = 'PROJECT_MANAGER' AND r.entity_id = p.id)"""
_IS_MEMBER = """EXISTS (SELECT 1 FROM project_memberships pm WHERE pm.workspace_id = p.workspace_id
AND pm.project_id = p.id AND pm.target_id = :viewer)"""


async def get(unit: Unit, workspace_id: str, project_id: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} WHERE p.workspace_id = :ws AND p.id = :id",
        {"ws": workspace_id, "id": project_id},
    )


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO projects (id, workspace_id, name, name_key, client_id, client_key, color, note,
        billable, is_public, archived, template, hourly_rate, cost_rate, time_estimate, budget_estimate,
        estimate_seconds, budget_amount, created_at)
        VALUES (:id, :workspace_id, :name, :name_key, :client_id, :client_key, :color, :note, :billable,
        :is_public, :archived, :template, :hourly_rate, :cost_rate, :time_estimate, :budget_estimate,
        :estimate_seconds, :budget_amount, :created_at)""",
        values,
    )


async def update(unit: Unit, workspace_id: str, project_id: str, values: dict[str, Any]) -> None:
    """Set the given columns (names are the service's, never the client's)."""
    sets = ", ".join(f"{column} = :{column}" for column in values)
    await unit.execute(
        f"UPDATE projects SET {sets} WHERE workspace_id = :ws AND id = :id",
        {**values, "ws": workspace_id, "id": project_id},
    )


async def delete(unit: Unit, workspace_id: str, project_id: str) -> None:
    params = {"ws": workspace_id, "id": project_id}
    await unit.execute(
        "DELETE FROM project_memberships WHERE workspace_id = :ws AND project_id = :id", params
    )
    await unit.execute(
        """DELETE FROM role_assignments WHERE workspace_id = :ws AND role = 'PROJECT_MANAGER'
        AND entity_id = :id""",
        params,
    )
    await unit.execute("DELETE FROM projects WHERE workspace_id = :ws AND id = :id", params)


async def ids_of_client(unit: Unit, workspace_id: str, client_id: str) -> list[str]:
    rows = await unit.fetch_all(
        "SELECT id FROM projects WHERE workspace_id = :ws AND client_id = :client",
        {"ws": workspace_id, "client": client_id},
    )
    return [r["id"] for r in rows]


async def archive_of_client(unit: Unit, workspace_id: str, client_id: str) -> None:
    await unit.execute(
        "UPDATE projects SET archived = :yes WHERE workspace_id = :ws AND client_id = :client",
        {"yes": True, "ws": workspace_id, "client": client_id},
    )


async def detach_client(unit: Unit, workspace_id: str, client_id: str) -> int:
    """Projects of a deleted client keep existing without one; returns how many could not (a project of
    the same name without client exists already) — those are left untouched for the caller to refuse."""
    clashes = await unit.fetch_val(
        """SELECT COUNT(*) FROM projects p WHERE p.workspace_id = :ws AND p.client_id = :client
        AND EXISTS (SELECT 1 FROM projects q WHERE q.workspace_id = p.workspace_id AND q.client_key = ''
        AND q.name_key = p.name_key)""",
        {"ws": workspace_id, "client": client_id},
    )
    if clashes:
        return int(clashes)
    await unit.execute(
        """UPDATE projects SET client_id = NULL, client_key = '' WHERE workspace_id = :ws
        AND client_id = :client""",
        {"ws": workspace_id, "client": client_id},
    )
    return 0


async def is_manager(unit: Unit, workspace_id: str, user_id: str, project_id: str) -> bool:
    found = await unit.fetch_val(
        """SELECT 1 FROM role_assignments WHERE workspace_id = :ws AND user_id = :user
        AND role = 'PROJECT_MANAGER' AND entity_id = :project""",
        {"ws": workspace_id, "user": user_id, "project": project_id},
    )
    return found is not None


async def managed_among(unit: Unit, workspace_id: str, user_id: str, project_ids: list[str]) -> set[str]:
    if not project_ids:
        return set()
    rows = await unit.fetch_all(
        """SELECT entity_id FROM role_assignments WHERE workspace_id = :ws AND user_id = :user
        AND role = 'PROJECT_MANAGER' AND entity_id IN (:ids)""",
        {"ws": workspace_id, "user": user_id, "ids": project_ids},
    )
    return {r["entity_id"] for r in rows}


# Memberships --------------------------------------------------------------------------------------------


async def memberships_of(unit: Unit, workspace_id: str, project_ids: list[str]) -> list[Row]:
    if not project_ids:
        return []
    return await unit.fetch_all(
        """SELECT project_id, target_id, target_type, hourly_rate, cost_rate, status
        FROM project_memberships pm WHERE workspace_id = :ws AND project_id IN (:ids)
        AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = pm.workspace_id
            AND m.user_id = pm.target_id)
        ORDER BY created_at, target_id""",
        {"ws": workspace_id, "ids": project_ids},
    )


async def membership(unit: Unit, workspace_id: str, project_id: str, user_id: str) -> Row | None:
    return await unit.fetch_one(
        """SELECT target_id, hourly_rate, cost_rate, status FROM project_memberships
        WHERE workspace_id = :ws AND project_id = :project AND target_id = :user""",
        {"ws": workspace_id, "project": project_id, "user": user_id},
    )


async def add_member(
    unit: Unit,
    workspace_id: str,
    project_id: str,
    user_id: str,
    created_at: int,
    hourly_rate: int | None = None,
    cost_rate: int | None = None,
) -> None:
    """Make `user_id` a member (a member already keeps their rates unless new ones are given)."""
    await unit.execute(
        """INSERT INTO project_memberships (workspace_id, project_id, target_id, target_type, hourly_rate,
        cost_rate, status, created_at)
        VALUES (:ws, :project, :user, 'USER', :hourly, :cost, 'ACTIVE', :created)
        ON CONFLICT (workspace_id, project_id, target_id) DO NOTHING""",
        {
            "ws": workspace_id,
            "project": project_id,
            "user": user_id,
            "hourly": hourly_rate,
            "cost": cost_rate,
            "created": created_at,
        },
    )


async def set_member_rate(
    unit: Unit, workspace_id: str, project_id: str, user_id: str, column: str, amount: int | None
) -> None:
    await unit.execute(
        f"""UPDATE project_memberships SET {column} = :amount
        WHERE workspace_id = :ws AND project_id = :project AND target_id = :user""",
        {"amount": amount, "ws": workspace_id, "project": project_id, "user": user_id},
    )


async def remove_members(unit: Unit, workspace_id: str, project_id: str, user_ids: list[str]) -> None:
    if not user_ids:
        return
    await unit.execute(
        """DELETE FROM project_memberships WHERE workspace_id = :ws AND project_id = :project
        AND target_id IN (:ids)""",
        {"ws": workspace_id, "project": project_id, "ids": user_ids},
    )


async def member_ids(unit: Unit, workspace_id: str, project_id: str) -> list[str]:
    rows = await unit.fetch_all(
        """SELECT target_id FROM project_memberships WHERE workspace_id = :ws AND project_id = :project
        AND target_type = 'USER'""",
        {"ws": workspace_id, "project": project_id},
    )
    return [r["target_id"] for r in rows]


# The list ----------------------------------------------------------------------------------------------


async def search(
    unit: Unit,
    workspace_id: str,
    *,
    viewer_id: str | None,
    name: str | None,
    strict_name: bool,
    archived: bool | None,
    billable: bool | None,
    client_ids: list[str] | None,
    contains_client: bool,
    client_status: str | None,
    user_ids: list[str] | None,
    contains_user: bool,
    user_status: str | None,
    is_template: bool | None,
    access: str | None,
    sort_column: str | None,
    sort_order: SortOrder | None,
    limit: int,
    offset: int,
) -> list[Row]:
    """`viewer_id` set: only what that (non-admin) user may see — public projects, their own, the ones
    they manage."""
    where = ["p.workspace_id = :ws"]
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit, "offset": offset}
    if viewer_id is not None:
        where.append(f"(p.is_public = :yes OR {_IS_MEMBER} OR {_MANAGES})")
        params["viewer"] = viewer_id
        params["yes"] = True
    if name:
        if strict_name:
            where.append("p.name_key = :name_exact")
            params["name_exact"] = name.strip().casefold()
        else:
            where.append("p.name_key LIKE :name ESCAPE '\\'")
            params["name"] = like_pattern(name)
    if archived is not None:
        where.append("p.archived = :archived")
        params["archived"] = archived
    if billable is not None:
        where.append("p.billable = :billable")
        params["billable"] = billable
    if is_template is not None:
        where.append("p.template = :template")
        params["template"] = is_template
    if access is not None:
        where.append("p.is_public = :public")
        params["public"] = access == "PUBLIC"
    if client_ids is not None:
        if contains_client:
            where.append("p.client_id IN (:clients)")
        else:
            where.append("(p.client_id IS NULL OR p.client_id NOT IN (:clients))")
        params["clients"] = client_ids
    if client_status == "ACTIVE":
        where.append("(p.client_id IS NULL OR c.archived = :client_archived)")
        params["client_archived"] = False
    elif client_status == "ARCHIVED":
        where.append("c.archived = :client_archived")
        params["client_archived"] = True
    if user_ids is not None:
        status_sql = ""
        if user_status is not None and user_status != "ALL":
            status_sql = """ AND EXISTS (SELECT 1 FROM memberships m WHERE m.workspace_id = pm.workspace_id
            AND m.user_id = pm.target_id AND m.status = :user_status)"""
            params["user_status"] = user_status
        has_user = f"""EXISTS (SELECT 1 FROM project_memberships pm WHERE pm.workspace_id = p.workspace_id
        AND pm.project_id = p.id AND pm.target_id IN (:users){status_sql})"""
        where.append(has_user if contains_user else f"NOT {has_user}")
        params["users"] = user_ids
    order = _SORT_COLUMNS.get(sort_column or "NAME", "p.name_key")
    sql = (
        f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} "
        f"ORDER BY {order} {direction(sort_order)}, p.id LIMIT :limit OFFSET :offset"
    )
    return await unit.fetch_all(sql, params)


async def workspace_member_ids(unit: Unit, workspace_id: str) -> list[str]:
    """Everyone in the workspace (a public project admits them all)."""
    rows = await unit.fetch_all(
        "SELECT user_id FROM memberships WHERE workspace_id = :ws ORDER BY user_id", {"ws": workspace_id}
    )
    return [r["user_id"] for r in rows]


async def recompute_tracked_totals(unit: Unit, workspace_id: str) -> None:
    """Sum every project's and task's finished entries again, in one pass over the entries each (after a
    bulk load that paused the triggers of migration 0005)."""
    params = {"ws": workspace_id}
    for table, column in (("projects", "project_id"), ("tasks", "task_id")):
        await unit.execute(f"UPDATE {table} SET tracked_seconds = 0 WHERE workspace_id = :ws", params)
        await unit.execute(
            f"""UPDATE {table} SET tracked_seconds = sums.seconds
            FROM (SELECT {column} AS id, SUM(duration) AS seconds FROM time_entries
                  WHERE workspace_id = :ws AND {column} IS NOT NULL AND duration IS NOT NULL
                  GROUP BY {column}) AS sums
            WHERE {table}.workspace_id = :ws AND {table}.id = sums.id""",
            params,
        )


async def pause_tracked_totals(unit: Unit, paused: bool) -> None:
    if paused:
        await unit.execute("INSERT INTO tracked_totals_paused (id) VALUES (1) ON CONFLICT (id) DO NOTHING")
    else:
        await unit.execute("DELETE FROM tracked_totals_paused")
