"""SQL for tags. Every statement is bounded by workspace_id."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit
from punchclock.kit.listing import SortOrder, direction, like_pattern

_COLUMNS = "id, name, workspace_id, archived"


async def get(unit: Unit, workspace_id: str, tag_id: str) -> Row | None:
    return await unit.fetch_one(
        f"SELECT {_COLUMNS} FROM tags WHERE workspace_id = :ws AND id = :id",
        {"ws": workspace_id, "id": tag_id},
    )


async def get_many(unit: Unit, workspace_id: str, tag_ids: list[str]) -> list[Row]:
    return await unit.fetch_all(
        f"SELECT {_COLUMNS} FROM tags WHERE workspace_id = :ws AND id IN (:ids)",
        {"ws": workspace_id, "ids": tag_ids},
    )


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO tags (id, workspace_id, name, name_key, archived, created_at)
        VALUES (:id, :workspace_id, :name, :name_key, :archived, :created_at)""",
        values,
    )


async def replace(unit: Unit, workspace_id: str, tag_id: str, values: dict[str, Any]) -> None:
    await unit.execute(
        """UPDATE tags SET name = :name, name_key = :name_key, archived = :archived
        WHERE workspace_id = :ws AND id = :id""",
        {**values, "ws": workspace_id, "id": tag_id},
    )


async def delete(unit: Unit, workspace_id: str, tag_id: str) -> None:
    await unit.execute(
        "DELETE FROM tags WHERE workspace_id = :ws AND id = :id", {"ws": workspace_id, "id": tag_id}
    )


async def search(
    unit: Unit,
    workspace_id: str,
    *,
    name: str | None,
    strict_name: bool,
    excluded_ids: list[str],
    archived: bool | None,
    sort_column: str | None,
    sort_order: SortOrder | None,
    limit: int,
    offset: int,
) -> list[Row]:
    where = ["workspace_id = :ws"]
    params: dict[str, Any] = {"ws": workspace_id, "limit": limit, "offset": offset}
    if name:
        if strict_name:
            where.append("name = :name")
            params["name"] = name.strip()
        else:
            where.append("name_key LIKE :name ESCAPE '\\'")
            params["name"] = like_pattern(name)
    if excluded_ids:
        where.append("id NOT IN (:excluded)")
        params["excluded"] = excluded_ids
    if archived is not None:
        where.append("archived = :archived")
        params["archived"] = archived
    order = "id" if sort_column == "ID" else "name_key"
    sql = (
        f"SELECT {_COLUMNS} FROM tags WHERE {' AND '.join(where)} "
        f"ORDER BY {order} {direction(sort_order)}, id LIMIT :limit OFFSET :offset"
    )
    return await unit.fetch_all(sql, params)
