"""SQL for users and their API keys."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit


async def get(unit: Unit, user_id: str) -> Row | None:
    return await unit.fetch_one("SELECT * FROM users WHERE id = :id", {"id": user_id})


async def get_by_email(unit: Unit, email_key: str) -> Row | None:
    return await unit.fetch_one("SELECT * FROM users WHERE email_key = :email_key", {"email_key": email_key})


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO users (id, email, email_key, name, status, default_workspace_id, active_workspace_id,
        created_at)
        VALUES (:id, :email, :email_key, :name, :status, :workspace_id, :workspace_id, :created_at)""",
        values,
    )


async def set_default_workspace(unit: Unit, user_id: str, workspace_id: str) -> None:
    await unit.execute(
        """UPDATE users SET default_workspace_id = COALESCE(default_workspace_id, :ws),
        active_workspace_id = COALESCE(active_workspace_id, :ws) WHERE id = :id""",
        {"ws": workspace_id, "id": user_id},
    )


async def insert_api_key(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO api_keys (id, user_id, key_hash, hint, created_at)
        VALUES (:id, :user_id, :key_hash, :hint, :created_at)""",
        values,
    )


async def all_users(unit: Unit) -> list[Row]:
    return await unit.fetch_all(
        """SELECT u.id, u.email, u.name, u.status,
        (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS keys,
        (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id) AS workspaces
        FROM users u ORDER BY u.created_at, u.id"""
    )


async def count(unit: Unit) -> int:
    value: int = await unit.fetch_val("SELECT COUNT(*) FROM users")
    return value
