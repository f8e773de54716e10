"""SQL for uploaded files. Files belong to the user who uploaded them, not to a workspace: the upload
route has no workspace, and the public URL is served to anybody who has it."""

from __future__ import annotations

from typing import Any

from punchclock.kit.db import Row, Unit


async def insert(unit: Unit, values: dict[str, Any]) -> None:
    await unit.execute(
        """INSERT INTO files (id, user_id, name, content_type, data, created_at)
        VALUES (:id, :user_id, :name, :content_type, :data, :created_at)""",
        values,
    )


async def get(unit: Unit, file_id: str) -> Row | None:
    return await unit.fetch_one(
        "SELECT id, name, content_type, data, created_at FROM files WHERE id = :id", {"id": file_id}
    )
