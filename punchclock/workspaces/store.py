"""SQL for workspaces and memberships."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit


async def get(unit: Unit, workspace_id: str) -> Row | None:
    return await unit.fetch_one("SELECT * FROM workspaces WHERE id = :id", {"id": workspace_id})


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO workspaces (id, name, image_url, currency_id, currency_code, hourly_rate, cost_rate,
        settings, organization_id, created_at)
        VALUES (:id, :name, '', :currency_id, :currency_code, 0, 0, :settings, :organization_id,
        :created_at)""",
        values,
    )


async def settings_json(unit: Unit, workspace_id: str) -> str | None:
    value: str | None = await unit.fetch_val(
        "SELECT settings FROM workspaces WHERE id = :id", {"id": workspace_id}
    )
    return value


async def add_member(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO memberships (workspace_id, user_id, role, status, created_at)
        VALUES (:workspace_id, :user_id, :role, :status, :created_at)""",
        values,
    )


async def list_for_user(unit: Unit, user_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = :user_id AND m.status NOT IN ('DECLINED', 'INACTIVE')
        ORDER BY w.name, w.id""",
        {"user_id": user_id},
    )


async def memberships(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT m.*, w.currency_code FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.workspace_id = :ws ORDER BY m.created_at, m.user_id""",
        {"ws": workspace_id},
    )


async def set_rate(unit: Unit, workspace_id: str, column: str, amount: int, currency: str | None) -> None:
    assert column in ("hourly_rate", "cost_rate")
    if currency is None:
        await unit.execute(
            f"UPDATE workspaces SET {column} = :amount WHERE id = :id", {"amount": amount, "id": workspace_id}
        )
    else:
        await unit.execute(
            f"UPDATE workspaces SET {column} = :amount, currency_code = :currency WHERE id = :id",
            {"amount": amount, "currency": currency, "id": workspace_id},
        )


async def memberships_of_user(unit: Unit, user_id: str) -> list[Row]:
    return await unit.fetch_all(
        """SELECT m.*, w.currency_code FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE m.user_id = :user_id ORDER BY m.created_at, m.workspace_id""",
        {"user_id": user_id},
    )
