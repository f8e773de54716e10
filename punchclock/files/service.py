"""Image uploads: only real images (checked by their first bytes, whatever the client claims), kept in the
database so every node behind a load balancer serves the same files."""

from __future__ import annotations

from dataclasses import dataclass

from punchclock.files import store
from punchclock.kit import ids
from punchclock.kit.auth import Caller
from punchclock.kit.db import Unit
from punchclock.kit.errors import bad_request
from punchclock.kit.time import now_ms

MAX_IMAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    id: str
    name: str
    content_type: str
    data: bytes
    created_at: int


def sniff_image(data: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PNG, JPEG, GIF or WebP image, from its signature; None otherwise."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif", "gif"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


async def upload_image(caller: Caller, data: bytes) -> StoredFile:
    if not data:
        raise bad_request("File is empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise bad_request(f"File is too large: images may be at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
    kind = sniff_image(data)
    if kind is None:
        raise bad_request("File is not an image: PNG, JPEG, GIF and WebP are accepted")
    content_type, extension = kind
    file_id = ids.new_id()
    stored = StoredFile(
        id=file_id, name=f"{file_id}.{extension}", content_type=content_type, data=data, created_at=now_ms()
    )
    await store.insert(
        caller.unit,
        {
            "id": stored.id,
            "user_id": caller.user_id,
            "name": stored.name,
            "content_type": stored.content_type,
            "data": stored.data,
            "created_at": stored.created_at,
        },
    )
    return stored


async def public_file(unit: Unit, name: str) -> StoredFile | None:
    """The file a public URL names (`<id>` or `<id>.<ext>`), or None."""
    file_id = name.split(".", 1)[0]
    if not ids.is_id(file_id):
        return None
    row = await store.get(unit, file_id)
    if row is None or (name != file_id and name != row["name"]):
        return None
    return StoredFile(
        id=row["id"],
        name=row["name"],
        content_type=row["content_type"],
        data=bytes(row["data"]),
        created_at=row["created_at"],
    )
