"""`POST /file/image` and the public URL it answers with."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from litestar.testing import TestClient

from punchclock.app import create_litestar
from punchclock.kit.db import connect
from punchclock.kit.db.migrate import apply_migrations
from punchclock.settings import Settings
from punchclock.users import accounts
from tests.conftest import Account, Server, assert_error

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff"
    + b"!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00;"
)
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00"


def upload(
    account: Account, content: bytes, filename: str = "avatar.png", ctype: str = "image/png"
) -> httpx.Response:
    return account.post("/file/image", files={"file": (filename, content, ctype)})


@pytest.mark.parametrize(
    ("content", "content_type", "extension"),
    [
        (PNG, "image/png", "png"),
        (JPEG, "image/jpeg", "jpg"),
        (GIF, "image/gif", "gif"),
        (WEBP, "image/webp", "webp"),
    ],
)
def test_an_uploaded_image_is_served_publicly(
    me: Account, server: Server, content: bytes, content_type: str, extension: str
) -> None:
    # The client's file name and type are not trusted: the bytes decide.
    r = upload(me, content, filename="whatever.bin", ctype="application/octet-stream")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {"name", "url"}
    assert body["name"].endswith("." + extension) and len(body["name"].split(".")[0]) == 24
    # Without a public URL configured, the URL is built from the request's own scheme and host.
    assert body["url"] == f"{server.base_url}/files/{body['name']}"
    got = httpx.get(body["url"])  # no API key: the URL is public
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["content-type"] == content_type
    assert "max-age=31536000" in got.headers["cache-control"] and "immutable" in got.headers["cache-control"]
    assert got.headers["x-content-type-options"] == "nosniff"
    # The bare id works too, and a revalidation with the ETag answers 304.
    assert httpx.get(f"{server.base_url}/files/{body['name'].split('.')[0]}").content == content
    again = httpx.get(body["url"], headers={"If-None-Match": got.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_every_upload_gets_its_own_file(me: Account, other: Account) -> None:
    first = upload(me, PNG).json()
    second = upload(other, PNG + b"more").json()
    assert first["name"] != second["name"]
    assert httpx.get(second["url"]).content == PNG + b"more"
    assert httpx.get(first["url"]).content == PNG


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"hello, I am text",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"%PDF-1.4 not an image",
        b"\x89PNX\r\n\x1a\n",
        b"RIFF\x00\x00\x00\x00WAVEfmt ",
    ],
)
def test_non_images_are_refused(me: Account, content: bytes) -> None:
    assert_error(upload(me, content), 400, 501)


def test_oversized_images_are_refused(me: Account) -> None:
    assert_error(upload(me, PNG + b"\x00" * (5 * 1024 * 1024)), 400, 501, "too large")
    assert upload(me, PNG + b"\x00" * (5 * 1024 * 1024 - len(PNG))).status_code == 200


def test_upload_needs_a_key_and_a_file_part(me: Account, server: Server) -> None:
    r = httpx.post(server.base_url + "/api/v1/file/image", files={"file": ("a.png", PNG, "image/png")})
    assert_error(r, 401, 1000)
    assert_error(me.post("/file/image", files={"image": ("a.png", PNG, "image/png")}), 400, 501, "'file'")
    assert_error(me.post("/file/image", data={"file": "not a file"}), 400, 501)
    assert_error(me.post("/file/image", json={"file": "iVBORw0KGgo="}), 400, 501)
    assert_error(me.get("/file/image"), 405)


@pytest.mark.parametrize(
    "name", ["0123456789abcdef01234567", "0123456789abcdef01234567.png", "nope", "..%2F..%2Fetc"]
)
def test_unknown_files_are_404(server: Server, name: str) -> None:
    r = httpx.get(f"{server.base_url}/files/{name}")
    assert_error(r, 404, 3000)


def test_a_file_is_only_found_under_its_own_extension(me: Account, server: Server) -> None:
    name = upload(me, GIF).json()["name"]
    file_id = name.split(".")[0]
    assert_error(httpx.get(f"{server.base_url}/files/{file_id}.png"), 404, 3000)


def test_public_url_setting_is_used_for_the_returned_url(tmp_path: Path, server: Server) -> None:
    if server.backend != "sqlite":
        pytest.skip("the URL is built the same way whatever the database")
    url = f"sqlite:///{tmp_path / 'punchclock.db'}"

    async def prepare() -> str:
        db = connect(url)
        await db.open()
        try:
            await apply_migrations(db)
            unit = db.begin(write=True)
            made = await accounts.create_account(unit, "files@example.com", "Files", "WS")
            await unit.finish(True)
            return made.api_key
        finally:
            await db.close()

    key = asyncio.run(prepare())
    settings = Settings(database_url=url, public_url="https://time.example.com/")
    with TestClient(create_litestar(settings)) as client:
        r = client.post(
            "/api/v1/file/image", files={"file": ("a.png", PNG, "image/png")}, headers={"X-Api-Key": key}
        )
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["url"] == f"https://time.example.com/files/{body['name']}"
        assert client.get(f"/files/{body['name']}").content == PNG
