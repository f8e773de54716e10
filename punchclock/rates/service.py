"""Rate resolution: which billable and cost rate applies to a time entry (task → project-user → project →
member → workspace), and re-pricing stored entries when a rate changes `since` an instant.

An entry's rates are resolved when it is written and stored on it (with the level they came from), so a
later rate change leaves history alone, unless the change says `since`: then the entries of its scope that
start at or after that instant are re-resolved, in one set-based statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from punchclock.kit.auth import WorkspaceContext
from punchclock.kit.db import Row
from punchclock.rates import store

LEVELS = ("task", "project_user", "project", "user", "workspace")
SOURCES = {
    "task": "TASK",
    "project_user": "PROJECT_USER",
    "project": "PROJECT",
    "user": "USER",
    "workspace": "WORKSPACE",
}


@dataclass(frozen=True, slots=True)
class Resolved:
    hourly_rate: int | None
    hourly_rate_source: str | None
    cost_rate: int | None
    cost_rate_source: str | None
    currency: str | None

    def columns(self) -> dict[str, int | str | None]:
        """The time_entries columns holding these rates."""
        return {
            "hourly_rate": self.hourly_rate,
            "hourly_rate_source": self.hourly_rate_source,
            "cost_rate": self.cost_rate,
            "cost_rate_source": self.cost_rate_source,
            "currency": self.currency,
        }


def _first(row: Row, kind: str) -> tuple[int | None, str | None]:
    """The first level (task first) with a rate of `kind` ("hourly" or "cost"), and its source name."""
    for level in LEVELS:
        value = row[f"{level}_{kind}"]
        if value is not None:
            return int(value), SOURCES[level]
    return None, None


async def resolve(
    ctx: WorkspaceContext, *, user_id: str, project_id: str | None, task_id: str | None
) -> Resolved:
    """The rates an entry of `user_id` on `project_id`/`task_id` gets now: one query, or none for the
    caller's own entry without a project (a task needs a project), whose only levels, the member's and
    the workspace's, were read with the membership."""
    row: Row | None
    if project_id is None and user_id == ctx.user_id and ctx.own_rates is not None:
        user_hourly, user_cost, workspace_hourly, workspace_cost = ctx.own_rates
        row = {f"{level}_{kind}": None for level in LEVELS[:3] for kind in ("hourly", "cost")}
        row.update(
            user_hourly=user_hourly, user_cost=user_cost,
            workspace_hourly=workspace_hourly, workspace_cost=workspace_cost, currency=ctx.currency_code,
        )  # fmt: skip
    else:
        row = await store.level_rates(ctx.unit, ctx.workspace_id, user_id, project_id, task_id)
    if row is None:
        return Resolved(None, None, None, None, None)
    hourly, hourly_source = _first(row, "hourly")
    cost, cost_source = _first(row, "cost")
    return Resolved(hourly, hourly_source, cost, cost_source, row["currency"])


async def reprice(
    ctx: WorkspaceContext,
    *,
    since_ms: int,
    project_id: str | None = None,
    task_id: str | None = None,
    user_id: str | None = None,
) -> None:
    """Re-resolve the stored rates of the entries that start at or after `since_ms` within the scope
    given (a project, a task, a user, a project and user; nothing: the whole workspace)."""
    await store.reprice(ctx.unit, ctx.workspace_id, since_ms, project_id, task_id, user_id)
