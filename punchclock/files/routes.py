"""Image uploads: `POST /file/image` and the public URL it returns (`GET /files/{id}.{ext}`)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, Response, Router, get, post
from litestar.datastructures import State, UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath

from punchclock.files import service
from punchclock.files.schemas import ImageUploaded
from punchclock.kit.auth import Caller
from punchclock.kit.db import Unit
from punchclock.kit.errors import bad_request
from punchclock.settings import Settings

PUBLIC_PREFIX = "/files"
# A file never changes under its id, so clients and proxies may keep it for a year.
_CACHE_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'",
}


def _base_url(request: Request[Any, Any, State]) -> str:
    settings: Settings = request.app.state.settings
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return str(request.base_url).rstrip("/")


@post("/file/image", status_code=200)
async def upload_image(
    request: Request[Any, Any, State],
    caller: NamedDependency[Caller],
    data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)],
) -> ImageUploaded:
    upload = data.get("file")
    if not isinstance(upload, UploadFile):
        raise bad_request("Required request part 'file' is not present")
    content = await upload.read(service.MAX_IMAGE_BYTES + 1)
    stored = await service.upload_image(caller, content)
    return ImageUploaded(name=stored.name, url=f"{_base_url(request)}{PUBLIC_PREFIX}/{stored.name}")


@get(PUBLIC_PREFIX + "/{file_name:str}", include_in_schema=False)
async def public_files(
    request: Request[Any, Any, State], unit: NamedDependency[Unit], file_name: FromPath[str]
) -> Response[bytes]:
    """Public, like Clockify's avatar URLs: whoever has the URL may fetch the image, without a key."""
    stored = await service.public_file(unit, file_name)
    if stored is None:
        raise NotFoundException()
    etag = f'"{stored.id}"'
    headers = {**_CACHE_HEADERS, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(content=b"", status_code=304, headers=headers)
    return Response(content=stored.data, media_type=stored.content_type, headers=headers)


router = Router(path="", route_handlers=[upload_image])
