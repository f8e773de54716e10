"""SQL for users, their API keys and their custom-field values, and the workspace member search.

The member search reads `memberships` and `role_assignments` (the workspace feature's tables) in the same
statement, so a filtered, sorted page of members is one query; it never writes them.
"""

from __future__ import annotations

import json
from typing import Any

from punchclock.kit.custom_values import match_keys
from punchclock.kit.db import Row, Unit
from punchclock.kit.listing import SortOrder, direction

_USABLE = "d.status IN ('PENDING', 'ACTIVE')"


def _home(column: str) -> str:
    """The user's default/active workspace: the stored one while they may still use it, else their
    oldest usable membership (so removal or deactivation never leaves a dead pointer)."""
    return f"""COALESCE(
        (SELECT d.workspace_id FROM memberships d
         WHERE d.user_id = u.id AND d.workspace_id = u.{column} AND {_USABLE}),
        (SELECT d.workspace_id FROM memberships d
         WHERE d.user_id = u.id AND {_USABLE} ORDER BY d.created_at, d.workspace_id LIMIT 1))"""


USER_COLUMNS = f"""u.id, u.email, u.name, u.status, u.profile_picture, u.time_zone, u.week_start,
u.date_format, u.time_format, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password,
{_home("default_workspace_id")} AS default_workspace_id,
{_home("active_workspace_id")} AS active_workspace_id"""

MEMBER_COLUMNS = """m.workspace_id, m.user_id, m.role AS member_role, m.status AS member_status,
m.hourly_rate, m.cost_rate, m.week_start AS member_week_start, m.work_capacity, m.working_days,
w.currency_code"""

_MEMBER_FROM = (
    """FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w ON w.id = m.workspace_id"""
)

_SORT_COLUMNS = {
    "ID": "u.id",
    "EMAIL": "u.email_key",
    "NAME": "u.name",
    "NAME_LOWERCASE": "u.name_key",
    "ACCESS": "CASE m.role WHEN 'OWNER' THEN 0 WHEN 'WORKSPACE_ADMIN' THEN 1 ELSE 2 END",
    "HOURLYRATE": "COALESCE(m.hourly_rate, w.hourly_rate)",
    "COSTRATE": "COALESCE(m.cost_rate, w.cost_rate)",
}


def contains_pattern(text: str) -> str:
    """A `LIKE … ESCAPE '\\'` pattern for "contains `text`" against a lower-cased column."""
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_key(name: str) -> str:
    return name.strip().lower()


# Users --------------------------------------------------------------------------------------------------


async def get(unit: Unit, user_id: str) -> Row | None:
    return await unit.fetch_one(f"SELECT {USER_COLUMNS} FROM users u WHERE u.id = :id", {"id": user_id})


async def get_by_email(unit: Unit, email_key: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {USER_COLUMNS} FROM users u WHERE u.email_key = :email_key", {"email_key": email_key}
    )


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO users (id, email, email_key, name, name_key, status, default_workspace_id,
        active_workspace_id, created_at)
        VALUES (:id, :email, :email_key, :name, :name_key, :status, :workspace_id, :workspace_id,
        :created_at)""",
        {**values, "name_key": name_key(values["name"])},
    )


async def insert_unless_email_taken(unit: Unit, values: dict[str, Any]) -> None:
    """`insert`, doing nothing when the email is taken (perhaps by a concurrent request a moment ago)."""
    await unit.execute(
        """INSERT INTO users (id, email, email_key, name, name_key, status, default_workspace_id,
        active_workspace_id, created_at)
        VALUES (:id, :email, :email_key, :name, :name_key, :status, :workspace_id, :workspace_id,
        :created_at)
        ON CONFLICT (email_key) DO NOTHING""",
        {**values, "name_key": name_key(values["name"])},
    )


async def set_name(unit: Unit, user_id: str, name: str) -> None:
    await unit.execute(
        "UPDATE users SET name = :name, name_key = :name_key WHERE id = :id",
        {"name": name, "name_key": name_key(name), "id": user_id},
    )


async def set_status(unit: Unit, user_id: str, status: str) -> None:
    await unit.execute("UPDATE users SET status = :status WHERE id = :id", {"status": status, "id": user_id})


async def set_profile_picture(unit: Unit, user_id: str, url: str) -> None:
    await unit.execute("UPDATE users SET profile_picture = :url WHERE id = :id", {"url": url, "id": user_id})


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


# Members of a workspace ---------------------------------------------------------------------------------


async def member(unit: Unit, workspace_id: str, user_id: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {USER_COLUMNS}, {MEMBER_COLUMNS} {_MEMBER_FROM} "
        "WHERE m.workspace_id = :ws AND m.user_id = :id",
        {"ws": workspace_id, "id": user_id},
    )


async def search_members(
    unit: Unit,
    workspace_id: str,
    *,
    email: str | None = None,
    name: str | None = None,
    status: str | None = None,
    account_statuses: list[str] | None = None,
    roles: list[str] | None = None,
    only_ids: list[str] | None = None,
    managers_of: str | None = None,
    sort_column: str | None = None,
    sort_order: SortOrder | None = None,
    limit: int,
    offset: int,
) -> list[Row]:
    where = ["m.workspace_id = :ws"]
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit, "offset": offset}
    if email:
        where.append("u.email_key LIKE :email ESCAPE '\\'")
        params["email"] = contains_pattern(email)
    if name:
        where.append("u.name_key LIKE :name ESCAPE '\\'")
        params["name"] = contains_pattern(name)
    if status:
        where.append("m.status = :status")
        params["status"] = status
    if account_statuses is not None:
        where.append("u.status IN (:account_statuses)")
        params["account_statuses"] = account_statuses
    if roles is not None:
        # Owners are not counted as admins, as in Clockify's role filters.
        where.append(
            """(m.role IN (:member_roles) OR EXISTS (SELECT 1 FROM role_assignments r
            WHERE r.workspace_id = m.workspace_id AND r.user_id = m.user_id
            AND r.role IN (:manager_roles)))"""
        )
        params["member_roles"] = [r for r in roles if r in ("OWNER", "WORKSPACE_ADMIN")]
        params["manager_roles"] = [r for r in roles if r in ("TEAM_MANAGER", "PROJECT_MANAGER")]
    if only_ids is not None:
        where.append("m.user_id IN (:only_ids)")
        params["only_ids"] = only_ids
    if managers_of is not None:
        where.append(
            """EXISTS (SELECT 1 FROM role_assignments r WHERE r.workspace_id = m.workspace_id
            AND r.user_id = m.user_id AND r.role = 'TEAM_MANAGER' AND r.entity_id = :managed)"""
        )
        params["managed"] = managers_of
    order = _SORT_COLUMNS.get(sort_column or "EMAIL", "u.email_key")
    sql = (
        f"SELECT {USER_COLUMNS}, {MEMBER_COLUMNS} {_MEMBER_FROM} WHERE {' AND '.join(where)} "
        f"ORDER BY {order} {direction(sort_order)}, u.id LIMIT :limit OFFSET :offset"
    )
    return await unit.fetch_all(sql, params)


# Custom-field values ------------------------------------------------------------------------------------


async def custom_values(unit: Unit, workspace_id: str, user_ids: list[str]) -> list[Row]:
    return await unit.fetch_all(
        """SELECT user_id, custom_field_id, value FROM user_custom_field_values
        WHERE workspace_id = :ws AND user_id IN (:ids) ORDER BY user_id, custom_field_id""",
        {"ws": workspace_id, "ids": user_ids},
    )


async def set_custom_value(
    unit: Unit, workspace_id: str, user_id: str, custom_field_id: str, value_json: str
) -> None:
    """Store a value (its JSON text) with the keys the reports' filter matches (kit/custom_values.py)."""
    text, number = match_keys(json.loads(value_json))
    await unit.execute(
        """INSERT INTO user_custom_field_values
        (workspace_id, user_id, custom_field_id, value, value_text, value_number)
        VALUES (:ws, :user_id, :cf, :value, :text, :number)
        ON CONFLICT (workspace_id, user_id, custom_field_id) DO UPDATE
        SET value = excluded.value, value_text = excluded.value_text, value_number = excluded.value_number""",
        {
            "ws": workspace_id,
            "user_id": user_id,
            "cf": custom_field_id,
            "value": value_json,
            "text": text,
            "number": number,
        },
    )


async def delete_custom_value(unit: Unit, workspace_id: str, user_id: str, custom_field_id: str) -> None:
    await unit.execute(
        """DELETE FROM user_custom_field_values
        WHERE workspace_id = :ws AND user_id = :user_id AND custom_field_id = :cf""",
        {"ws": workspace_id, "user_id": user_id, "cf": custom_field_id},
    )


async def delete_custom_values_of(unit: Unit, workspace_id: str, user_id: str) -> None:
    await unit.execute(
        "DELETE FROM user_custom_field_values WHERE workspace_id = :ws AND user_id = :user_id",
        {"ws": workspace_id, "user_id": user_id},
    )
