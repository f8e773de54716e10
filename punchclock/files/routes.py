"""Image uploads: `POST /file/image` and the public URL it returns."""

from __future__ import annotations

from litestar import Router, get

from punchclock.kit.auth import Caller


@get("/files/{file_id:str}", include_in_schema=False)
async def public_files(file_id: str) -> str:
    return file_id


@get("/file/placeholder", include_in_schema=False)
async def _placeholder(caller: Caller) -> str:
    return caller.user_id


router = Router(path="", route_handlers=[_placeholder])
