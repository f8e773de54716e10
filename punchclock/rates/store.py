"""SQL for rate resolution. Rates live on the rows of other features (workspaces, memberships, projects,
project memberships, tasks); this store only reads those columns, in one statement, and writes the
resolved rates onto time entries. Every statement is bounded by workspace_id."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit

# The levels in Clockify's order, first match wins; a NULL at a level means "inherit from the next".
_LEVELS = (("t", "TASK"), ("pm", "PROJECT_USER"), ("p", "PROJECT"), ("m", "USER"), ("w", "WORKSPACE"))


def _resolved(col: str) -> tuple[str, str]:
    """(value, source) SQL expressions resolving rate column `col` over the joins of `_REPRICE`."""
    value = "COALESCE(" + ", ".join(f"{alias}.{col}" for alias, _ in _LEVELS) + ")"
    source = "CASE " + " ".join(
        f"WHEN {alias}.{col} IS NOT NULL THEN '{name}'" for alias, name in _LEVELS[:-1]
    )
    return value, source + f" ELSE '{_LEVELS[-1][1]}' END"


_HOURLY, _HOURLY_SOURCE = _resolved("hourly_rate")
_COST, _COST_SOURCE = _resolved("cost_rate")

# Every level of every entry in scope, joined once (set-based: hash or index joins, not a subquery per
# row); the UPDATE then writes only the rows whose resolved rates differ from the stored ones.
_REPRICE = f"""UPDATE time_entries SET
    hourly_rate = r.hourly_rate, hourly_rate_source = r.hourly_rate_source,
    cost_rate = r.cost_rate, cost_rate_source = r.cost_rate_source, currency = r.currency
FROM (
    SELECT e.id AS entry_id,
        {_HOURLY} AS hourly_rate, {_HOURLY_SOURCE} AS hourly_rate_source,
        {_COST} AS cost_rate, {_COST_SOURCE} AS cost_rate_source,
        w.currency_code AS currency
    FROM time_entries e
    JOIN workspaces w ON w.id = e.workspace_id
    LEFT JOIN memberships m ON m.workspace_id = e.workspace_id AND m.user_id = e.user_id
    LEFT JOIN projects p ON p.workspace_id = e.workspace_id AND p.id = e.project_id
    LEFT JOIN project_memberships pm ON pm.workspace_id = e.workspace_id AND pm.project_id = e.project_id
        AND pm.target_id = e.user_id AND pm.target_type = 'USER'
    LEFT JOIN tasks t ON t.workspace_id = e.workspace_id AND t.id = e.task_id
    WHERE e.workspace_id = :ws AND e.start_ms >= :since{{scope}}
) r
WHERE time_entries.workspace_id = :ws AND time_entries.id = r.entry_id
    AND (time_entries.hourly_rate IS DISTINCT FROM r.hourly_rate
        OR time_entries.hourly_rate_source IS DISTINCT FROM r.hourly_rate_source
        OR time_entries.cost_rate IS DISTINCT FROM r.cost_rate
        OR time_entries.cost_rate_source IS DISTINCT FROM r.cost_rate_source
        OR time_entries.currency IS DISTINCT FROM r.currency)"""

_LEVEL_RATES = """
SELECT w.currency_code AS currency,
    t.hourly_rate AS task_hourly, t.cost_rate AS task_cost,
    pm.hourly_rate AS project_user_hourly, pm.cost_rate AS project_user_cost,
    p.hourly_rate AS project_hourly, p.cost_rate AS project_cost,
    m.hourly_rate AS user_hourly, m.cost_rate AS user_cost,
    w.hourly_rate AS workspace_hourly, w.cost_rate AS workspace_cost
FROM workspaces w
LEFT JOIN memberships m ON m.workspace_id = w.id AND m.user_id = :user
LEFT JOIN projects p ON p.workspace_id = w.id AND p.id = :project
LEFT JOIN project_memberships pm ON pm.workspace_id = w.id AND pm.project_id = :project
    AND pm.target_id = :user AND pm.target_type = 'USER'
LEFT JOIN tasks t ON t.workspace_id = w.id AND t.id = :task AND t.project_id = :project
WHERE w.id = :ws
"""


async def level_rates(
    unit: Unit, workspace_id: str, user_id: str, project_id: str | None, task_id: str | None
) -> Row | None:
    """Every level's rates for one (user, project, task) in one row, and the workspace currency."""
    return await unit.fetch_one(
        _LEVEL_RATES, {"ws": workspace_id, "user": user_id, "project": project_id, "task": task_id}
    )


async def reprice(
    unit: Unit,
    workspace_id: str,
    since_ms: int,
    project_id: str | None,
    task_id: str | None,
    user_id: str | None,
) -> int:
    """Re-resolve the stored rates of the entries in scope starting at or after `since_ms`: one UPDATE."""
    scope = ""
    params: dict[str, Any] = {"ws": workspace_id, "since": since_ms}
    if project_id is not None:
        scope += " AND e.project_id = :project"
        params["project"] = project_id
    if task_id is not None:
        scope += " AND e.task_id = :task"
        params["task"] = task_id
    if user_id is not None:
        scope += " AND e.user_id = :user"
        params["user"] = user_id
    return await unit.execute(_REPRICE.replace("{scope}", scope), params)
