"""SQL for tasks and their assignees. Every statement is bounded by workspace_id.

The tracked duration of a task is its `tracked_seconds`, kept by triggers on `time_entries` (migration
0005); the workspace currency is read from `workspaces`."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit
from punchclock.kit.listing import SortOrder, direction, like_pattern

_DURATION = "t.tracked_seconds"
_COLUMNS = f"""t.id, t.workspace_id, t.project_id, t.name, t.status, t.billable, t.estimate,
t.budget_estimate, t.hourly_rate, t.cost_rate, t.created_at, w.currency_code, {_DURATION} AS duration"""
_FROM = "FROM tasks t JOIN workspaces w ON w.id = t.workspace_id"
_SORT_COLUMNS = {"ID": "t.id", "NAME": "t.name_key"}


async def get(unit: Unit, workspace_id: str, project_id: str, task_id: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} WHERE t.workspace_id = :ws AND t.project_id = :project AND t.id = :id",
        {"ws": workspace_id, "project": project_id, "id": task_id},
    )


async def all_of_project(unit: Unit, workspace_id: str, project_id: str) -> list[Row]:
    return await unit.fetch_all(
        f"""SELECT {_COLUMNS} {_FROM} WHERE t.workspace_id = :ws AND t.project_id = :project
        ORDER BY t.created_at, t.id""",
        {"ws": workspace_id, "project": project_id},
    )


async def all_of_projects(unit: Unit, workspace_id: str, project_ids: list[str]) -> list[Row]:
    if not project_ids:
        return []
    return await unit.fetch_all(
        f"""SELECT {_COLUMNS} {_FROM} WHERE t.workspace_id = :ws AND t.project_id IN (:projects)
        ORDER BY t.name_key, t.id""",
        {"ws": workspace_id, "projects": project_ids},
    )


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO tasks (id, workspace_id, project_id, name, name_key, status, billable, estimate,
        budget_estimate, hourly_rate, cost_rate, created_at)
        VALUES (:id, :workspace_id, :project_id, :name, :name_key, :status, :billable, :estimate,
        :budget_estimate, :hourly_rate, :cost_rate, :created_at)""",
        values,
    )


async def update(unit: Unit, workspace_id: str, task_id: str, values: dict[str, Any]) -> None:
    """Set the given columns (names are the service's, never the client's)."""
    sets = ", ".join(f"{column} = :{column}" for column in values)
    await unit.execute(
        f"UPDATE tasks SET {sets} WHERE workspace_id = :ws AND id = :id",
        {**values, "ws": workspace_id, "id": task_id},
    )


async def delete(unit: Unit, workspace_id: str, task_id: str) -> None:
    params = {"ws": workspace_id, "id": task_id}
    await unit.execute("DELETE FROM task_assignees WHERE workspace_id = :ws AND task_id = :id", params)
    await unit.execute("DELETE FROM tasks WHERE workspace_id = :ws AND id = :id", params)


async def delete_of_project(unit: Unit, workspace_id: str, project_id: str) -> None:
    params = {"ws": workspace_id, "project": project_id}
    await unit.execute(
        """DELETE FROM task_assignees WHERE workspace_id = :ws AND task_id IN
        (SELECT id FROM tasks WHERE workspace_id = :ws AND project_id = :project)""",
        params,
    )
    await unit.execute("DELETE FROM tasks WHERE workspace_id = :ws AND project_id = :project", params)


async def mark_all_done(unit: Unit, workspace_id: str, project_id: str) -> None:
    await unit.execute(
        "UPDATE tasks SET status = 'DONE' WHERE workspace_id = :ws AND project_id = :project",
        {"ws": workspace_id, "project": project_id},
    )


async def assignees_of(unit: Unit, workspace_id: str, task_ids: list[str]) -> list[Row]:
    if not task_ids:
        return []
    return await unit.fetch_all(
        """SELECT task_id, target_id, target_type FROM task_assignees
        WHERE workspace_id = :ws AND task_id IN (:ids) ORDER BY target_type, target_id""",
        {"ws": workspace_id, "ids": task_ids},
    )


async def set_assignees(
    unit: Unit, workspace_id: str, task_id: str, user_ids: list[str], group_ids: list[str]
) -> None:
    await unit.execute(
        "DELETE FROM task_assignees WHERE workspace_id = :ws AND task_id = :task",
        {"ws": workspace_id, "task": task_id},
    )
    rows = [
        {"ws": workspace_id, "task": task_id, "target": target, "type": kind}
        for kind, targets in (("USER", user_ids), ("USERGROUP", group_ids))
        for target in targets
    ]
    if rows:
        await unit.execute_many(
            """INSERT INTO task_assignees (workspace_id, task_id, target_id, target_type)
            VALUES (:ws, :task, :target, :type)""",
            rows,
        )


async def estimate_sums(unit: Unit, workspace_id: str, project_ids: list[str]) -> list[Row]:
    if not project_ids:
        return []
    return await unit.fetch_all(
        """SELECT project_id, CAST(COALESCE(SUM(estimate), 0) AS BIGINT) AS seconds,
        CAST(COALESCE(SUM(budget_estimate), 0) AS BIGINT) AS budget
        FROM tasks WHERE workspace_id = :ws AND project_id IN (:ids) GROUP BY project_id""",
        {"ws": workspace_id, "ids": project_ids},
    )


async def search(
    unit: Unit,
    workspace_id: str,
    project_id: str,
    *,
    name: str | None,
    strict_name: bool,
    status: str | None,
    sort_column: str | None,
    sort_order: SortOrder | None,
    limit: int,
    offset: int,
) -> list[Row]:
    where = ["t.workspace_id = :ws", "t.project_id = :project"]
    params: dict[str, Any] = {"ws": workspace_id, "project": project_id, "limit": limit, "offset": offset}
    if name:
        if strict_name:
            where.append("t.name_key = :name_exact")
            params["name_exact"] = name.strip().casefold()
        else:
            where.append("t.name_key LIKE :name ESCAPE '\\'")
            params["name"] = like_pattern(name)
    if status is not None:
        where.append("t.status = :status")
        params["status"] = status
    order = _SORT_COLUMNS.get(sort_column or "NAME", "t.name_key")
    sql = (
        f"SELECT {_COLUMNS} {_FROM} WHERE {' AND '.join(where)} "
        f"ORDER BY {order} {direction(sort_order)}, t.id LIMIT :limit OFFSET :offset"
    )
    return await unit.fetch_all(sql, params)
