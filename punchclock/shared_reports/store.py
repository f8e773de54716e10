"""SQL for shared reports. Every statement is bounded by workspace_id (the bare render looks a report up by
id first, and then reads only inside that report's workspace)."""

from __future__ import annotations

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
    await unit.execute(
        "DELETE FROM shared_reports WHERE workspace_id = :ws AND id = :id",
        {"ws": workspace_id, "id": report_id},
    )


def _visible(owner_id: str | None) -> tuple[str, dict[str, Any]]:
    if owner_id is None:
        return "r.workspace_id = :ws", {}
    return "r.workspace_id = :ws AND r.owner_id = :owner", {"owner": owner_id}


async def search(unit: Unit, workspace_id: str, owner_id: str | None, limit: int, offset: int) -> list[Row]:
    """One page of the workspace's reports (or one owner's), oldest first."""
    where, params = _visible(owner_id)
    return await unit.fetch_all(
        f"SELECT {_COLUMNS} {_FROM} WHERE {where} ORDER BY r.created_at, r.id LIMIT :limit OFFSET :offset",
        {**params, "ws": workspace_id, "limit": limit, "offset": offset},
    )


async def count(unit: Unit, workspace_id: str, owner_id: str | None) -> int:
    where, params = _visible(owner_id)
    value = await unit.fetch_val(
        f"SELECT COUNT(*) FROM shared_reports r WHERE {where}", {**params, "ws": workspace_id}
    )
    return int(value or 0)
