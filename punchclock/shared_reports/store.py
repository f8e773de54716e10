"""SQL for shared reports. Every statement is bounded by workspace_id (the bare render looks a report up by
id first, and then reads only inside that report's workspace)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from punchclock.kit.db import Row, Unit

_COLUMNS = """r.id, r.workspace_id, r.owner_id, r.name, r.report_type, r.is_public, r.fixed_date,
r.date_range_type, r.filter, r.created_at, u.name AS owner_name"""
_FROM = "FROM shared_reports r LEFT JOIN users u ON u.id = r.owner_id"


async def get(unit: Unit, workspace_id: str, report_id: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {_COLUMNS} {_FROM} WHERE r.workspace_id = :ws AND r.id = :id",
        {"ws": workspace_id, "id": report_id},
    )


async def workspace_of(unit: Unit, report_id: str) -> str | None:
    """The workspace a report id belongs to (the bare render's first step), or None."""
    value = await unit.fetch_val("SELECT workspace_id FROM shared_reports WHERE id = :id", {"id": report_id})
    return None if value is None else str(value)


async def owner_membership(unit: Unit, workspace_id: str, user_id: str) -> Row | None:
    """What a render as the owner needs: their role and status, the workspace's settings and currency."""
    return await unit.fetch_one(
        """SELECT m.role, m.status, w.settings, w.currency_id, w.currency_code FROM memberships m
        JOIN workspaces w ON w.id = m.workspace_id WHERE m.workspace_id = :ws AND m.user_id = :user_id""",
        {"ws": workspace_id, "user_id": user_id},
    )


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO shared_reports (id, workspace_id, owner_id, name, report_type, is_public, fixed_date,
        date_range_type, filter, created_at) VALUES (:id, :workspace_id, :owner_id, :name, :report_type,
        :is_public, :fixed_date, :date_range_type, :filter, :created_at)""",
        values,
    )


async def update(unit: Unit, workspace_id: str, report_id: str, values: dict[str, Any]) -> None:
    await unit.execute(
        """UPDATE shared_reports SET name = :name, report_type = :report_type, is_public = :is_public,
        fixed_date = :fixed_date, date_range_type = :date_range_type, filter = :filter
        WHERE workspace_id = :ws AND id = :id""",
        {**values, "ws": workspace_id, "id": report_id},
    )


async def delete(unit: Unit, workspace_id: str, report_id: str) -> None:
    params = {"ws": workspace_id, "id": report_id}
    await unit.execute(
        "DELETE FROM shared_report_viewers WHERE workspace_id = :ws AND report_id = :id", params
    )
    await unit.execute("DELETE FROM shared_reports WHERE workspace_id = :ws AND id = :id", params)


# Viewers (visibleToUsers / visibleToUserGroups) -------------------------------------------------------


async def viewers_of(unit: Unit, workspace_id: str, report_ids: Sequence[str]) -> list[Row]:
    """(report_id, kind, target_id, user_name) of these reports' listed viewers, in the order given (the
    users table is read, never written, here)."""
    if not report_ids:
        return []
    return await unit.fetch_all(
        """SELECT v.report_id, v.kind, v.target_id, u.name AS user_name FROM shared_report_viewers v
        LEFT JOIN users u ON v.kind = 'USER' AND u.id = v.target_id
        WHERE v.workspace_id = :ws AND v.report_id IN (:ids) ORDER BY v.report_id, v.kind, v.position""",
        {"ws": workspace_id, "ids": list(report_ids)},
    )


async def set_viewers(
    unit: Unit, workspace_id: str, report_id: str, kind: str, target_ids: Sequence[str]
) -> None:
    """Make the report's listed viewers of this kind exactly `target_ids`."""
    params = {"ws": workspace_id, "id": report_id, "kind": kind}
    await unit.execute(
        "DELETE FROM shared_report_viewers WHERE workspace_id = :ws AND report_id = :id AND kind = :kind",
        params,
    )
    if target_ids:
        await unit.execute_many(
            """INSERT INTO shared_report_viewers (workspace_id, report_id, kind, target_id, position)
            VALUES (:ws, :id, :kind, :target, :position)""",
            [{**params, "target": t, "position": n} for n, t in enumerate(target_ids)],
        )


async def is_listed(unit: Unit, workspace_id: str, report_id: str, user_id: str) -> bool:
    value = await unit.fetch_val(
        """SELECT 1 FROM shared_report_viewers WHERE workspace_id = :ws AND report_id = :id
        AND kind = 'USER' AND target_id = :user""",
        {"ws": workspace_id, "id": report_id, "user": user_id},
    )
    return value is not None


# The list -------------------------------------------------------------------------------------------------

_LISTED = """EXISTS (SELECT 1 FROM shared_report_viewers v WHERE v.workspace_id = r.workspace_id
AND v.report_id = r.id AND v.kind = 'USER' AND v.target_id = :viewer)"""
# Which reports a list shows (the service decides which applies to whom).
SCOPES = {
    "ALL": "TRUE",
    "OWN": "r.owner_id = :viewer",
    "VISIBLE": f"(r.owner_id = :viewer OR r.is_public = TRUE OR {_LISTED})",
    "SHARED": f"(r.owner_id <> :viewer AND (r.is_public = TRUE OR {_LISTED}))",
}


async def search(
    unit: Unit, workspace_id: str, viewer_id: str, scope: str, limit: int, offset: int
) -> list[Row]:
    """One page of the workspace's reports in `scope` (a SCOPES key) for this viewer, oldest first."""
    return await unit.fetch_all(
        f"""SELECT {_COLUMNS} {_FROM} WHERE r.workspace_id = :ws AND {SCOPES[scope]}
        ORDER BY r.created_at, r.id LIMIT :limit OFFSET :offset""",
        {"ws": workspace_id, "viewer": viewer_id, "limit": limit, "offset": offset},
    )


async def count(unit: Unit, workspace_id: str, viewer_id: str, scope: str) -> int:
    value = await unit.fetch_val(
        f"SELECT COUNT(*) FROM shared_reports r WHERE r.workspace_id = :ws AND {SCOPES[scope]}",
        {"ws": workspace_id, "viewer": viewer_id},
    )
    return int(value or 0)
