"""SQL for workspaces, memberships and role assignments. Member statements are bounded by workspace_id."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit

# Memberships whose holder may use the workspace; the others are kept but locked out.
USABLE = "('PENDING', 'ACTIVE')"
_RATE_COLUMNS = ("hourly_rate", "cost_rate")


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


async def set_rate(unit: Unit, workspace_id: str, column: str, amount: int, currency: str | None) -> None:
    if column not in _RATE_COLUMNS:
        raise ValueError(column)
    if currency is None:
        await unit.execute(
            f"UPDATE workspaces SET {column} = :amount WHERE id = :id", {"amount": amount, "id": workspace_id}
        )
    else:
        await unit.execute(
            f"UPDATE workspaces SET {column} = :amount, currency_code = :currency WHERE id = :id",
            {"amount": amount, "currency": currency, "id": workspace_id},
        )


async def list_for_user(unit: Unit, user_id: str, roles: list[str] | None = None) -> list[Row]:
    """The workspaces a user may use; with `roles`, only those where they hold one of them (an owner is
    not counted as an admin, as in Clockify)."""
    where = [f"m.user_id = :user_id AND m.status IN {USABLE}"]
    params: dict[str, Any] = {"user_id": user_id}
    if roles is not None:
        member_roles = [r for r in roles if r in ("OWNER", "WORKSPACE_ADMIN")]
        manager_roles = [r for r in roles if r in ("TEAM_MANAGER", "PROJECT_MANAGER")]
        where.append(
            """(m.role IN (:member_roles) OR EXISTS (SELECT 1 FROM role_assignments r
            WHERE r.workspace_id = m.workspace_id AND r.user_id = m.user_id
            AND r.role IN (:manager_roles)))"""
        )
        params["member_roles"] = member_roles
        params["manager_roles"] = manager_roles
    return await unit.fetch_all(
        f"""SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
        WHERE {" AND ".join(where)} ORDER BY w.name, w.id""",
        params,
    )


# Memberships --------------------------------------------------------------------------------------------

_MEMBER = """SELECT m.*, w.currency_code FROM memberships m JOIN workspaces w ON w.id = m.workspace_id"""


async def add_member(unit: Unit, values: dict[str, Any]) -> int:
    """Insert the membership unless the user already has one here; the number of rows inserted."""
    return await unit.execute(
        """INSERT INTO memberships (workspace_id, user_id, role, status, created_at)
        VALUES (:workspace_id, :user_id, :role, :status, :created_at)
        ON CONFLICT (workspace_id, user_id) DO NOTHING""",
        values,
    )


async def member(unit: Unit, workspace_id: str, user_id: str) -> Row | None:
    return await unit.fetch_one(
        f"{_MEMBER} WHERE m.workspace_id = :ws AND m.user_id = :user_id",
        {"ws": workspace_id, "user_id": user_id},
    )


async def members_among(unit: Unit, workspace_id: str, user_ids: list[str]) -> list[Row]:
    return await unit.fetch_all(
        "SELECT user_id FROM memberships WHERE workspace_id = :ws AND user_id IN (:ids)",
        {"ws": workspace_id, "ids": user_ids},
    )


async def memberships(unit: Unit, workspace_id: str) -> list[Row]:
    return await unit.fetch_all(
        f"{_MEMBER} WHERE m.workspace_id = :ws ORDER BY m.created_at, m.user_id", {"ws": workspace_id}
    )


async def memberships_of_user(unit: Unit, user_id: str) -> list[Row]:
    return await unit.fetch_all(
        f"{_MEMBER} WHERE m.user_id = :user_id ORDER BY m.created_at, m.workspace_id", {"user_id": user_id}
    )


async def count_usable_of_user(unit: Unit, user_id: str) -> int:
    value: int = await unit.fetch_val(
        f"SELECT COUNT(*) FROM memberships WHERE user_id = :user_id AND status IN {USABLE}",
        {"user_id": user_id},
    )
    return value


async def set_member_rate(
    unit: Unit, workspace_id: str, user_id: str, column: str, amount: int | None
) -> None:
    if column not in _RATE_COLUMNS:
        raise ValueError(column)
    await unit.execute(
        f"UPDATE memberships SET {column} = :amount WHERE workspace_id = :ws AND user_id = :user_id",
        {"amount": amount, "ws": workspace_id, "user_id": user_id},
    )


async def set_member_status(unit: Unit, workspace_id: str, user_id: str, status: str) -> None:
    await unit.execute(
        "UPDATE memberships SET status = :status WHERE workspace_id = :ws AND user_id = :user_id",
        {"status": status, "ws": workspace_id, "user_id": user_id},
    )


async def set_member_role(unit: Unit, workspace_id: str, user_id: str, role: str) -> None:
    await unit.execute(
        "UPDATE memberships SET role = :role WHERE workspace_id = :ws AND user_id = :user_id",
        {"role": role, "ws": workspace_id, "user_id": user_id},
    )


async def set_member_profile(
    unit: Unit, workspace_id: str, user_id: str, week_start: str | None, work_capacity: int, working_days: str
) -> None:
    await unit.execute(
        """UPDATE memberships SET week_start = :week_start, work_capacity = :work_capacity,
        working_days = :working_days WHERE workspace_id = :ws AND user_id = :user_id""",
        {
            "week_start": week_start,
            "work_capacity": work_capacity,
            "working_days": working_days,
            "ws": workspace_id,
            "user_id": user_id,
        },
    )


async def delete_member(unit: Unit, workspace_id: str, user_id: str) -> None:
    """The membership and every role held by or over the user in this workspace."""
    params = {"ws": workspace_id, "user_id": user_id}
    await unit.execute(
        """DELETE FROM role_assignments WHERE workspace_id = :ws
        AND (user_id = :user_id OR (role = 'TEAM_MANAGER' AND entity_id = :user_id))""",
        params,
    )
    await unit.execute("DELETE FROM memberships WHERE workspace_id = :ws AND user_id = :user_id", params)


# Role assignments ---------------------------------------------------------------------------------------


async def add_role(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO role_assignments (workspace_id, user_id, role, entity_id, source_type, created_at)
        VALUES (:workspace_id, :user_id, :role, :entity_id, :source_type, :created_at)
        ON CONFLICT (workspace_id, user_id, role, entity_id) DO NOTHING""",
        values,
    )


async def delete_role(unit: Unit, workspace_id: str, user_id: str, role: str, entity_id: str) -> None:
    await unit.execute(
        """DELETE FROM role_assignments
        WHERE workspace_id = :ws AND user_id = :user_id AND role = :role AND entity_id = :entity_id""",
        {"ws": workspace_id, "user_id": user_id, "role": role, "entity_id": entity_id},
    )


async def roles_of(unit: Unit, workspace_id: str, user_ids: list[str]) -> list[Row]:
    return await unit.fetch_all(
        """SELECT user_id, role, entity_id, source_type FROM role_assignments
        WHERE workspace_id = :ws AND user_id IN (:ids) ORDER BY created_at, role, entity_id""",
        {"ws": workspace_id, "ids": user_ids},
    )
