"""The suite talks HTTP to a real `punchclock serve` process, once per database backend.

SQLite always; PostgreSQL too when PUNCHCLOCK_TEST_DATABASE_URL names a cluster we may create databases in
(`.ci/run` starts a throwaway one). Each test gets its own fresh user and workspace, so tests never see each
other's data and tenant isolation is exercised all the time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from punchclock.kit.db import Unit, connect
from punchclock.kit.db.migrate import apply_migrations
from punchclock.users import accounts

PG_URL = os.environ.get("PUNCHCLOCK_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgres"] if PG_URL else [])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fresh_postgres_database() -> str:
    import asyncpg

    name = f"punchclock_test_{secrets.token_hex(4)}"

    async def create() -> None:
        conn = await asyncpg.connect(PG_URL)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


@dataclass
class Server:
    backend: str
    base_url: str
    database_url: str
    owner_key: str
    process: subprocess.Popen[str]

    def account(
        self,
        workspace: str = "Test Workspace",
        email: str | None = None,
        name: str = "Tester",
        time_zone: str | None = None,
    ) -> Account:
        """A brand-new user owning a brand-new workspace (or joining `workspace` when it is theirs), in
        `time_zone` when given (an IANA name; accounts default to UTC)."""
        email = email or f"user-{secrets.token_hex(6)}@example.com"

        async def make() -> accounts.NewAccount:
            db = connect(self.database_url)
            await db.open()
            try:
                await apply_migrations(db)
                scope = db.begin(write=True)
                ok = False
                try:
                    made = await accounts.create_account(scope, email, name, workspace, time_zone)
                    ok = True
                    return made
                finally:
                    await scope.finish(ok)
            finally:
                await db.close()

        made = asyncio.run(make())
        assert made.workspace_id is not None
        return Account(self, made.user_id, made.workspace_id, made.api_key, email)


@contextlib.contextmanager
def running_server(backend: str, database_url: str, data_dir: Path, workers: int = 1) -> Iterator[Server]:
    """`punchclock serve` as a user starts it, on `database_url`, until the block ends; the server log
    must then hold no traceback (one means some request hit an unhandled error)."""
    port = _free_port()
    env = {**os.environ, "PUNCHCLOCK_DATABASE_URL": database_url, "PUNCHCLOCK_LOG_LEVEL": "warning"}
    log_path = data_dir / "server.log"
    command = [sys.executable, "-m", "punchclock", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*command, "--workers", str(workers)], stdout=subprocess.PIPE, stderr=log, text=True, env=env
        )
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(3)]
    owner_key = lines[2].strip()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base_url + "/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            raise RuntimeError(f"server did not start: {lines!r}\n{log_path.read_text()}")
        time.sleep(0.05)
    try:
        yield Server(backend, base_url, database_url, owner_key, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    errors = log_path.read_text()
    assert "Traceback" not in errors, errors


def new_database_url(backend: str, data_dir: Path) -> str:
    """A fresh, empty database of that backend."""
    return _fresh_postgres_database() if backend == "postgres" else f"sqlite:///{data_dir / 'punchclock.db'}"


@pytest.fixture(scope="session", params=BACKENDS)
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    backend: str = request.param
    data_dir = tmp_path_factory.mktemp(f"data-{backend}")
    with running_server(backend, new_database_url(backend, data_dir), data_dir) as started:
        yield started


T = TypeVar("T")


def in_database(database_url: str, work: Callable[[Unit], Awaitable[T]], *, write: bool = False) -> T:
    """Run `work` in one unit of the server's database, straight (what a test sets up or checks without a
    route): committed when it returns, rolled back when it raises."""

    async def run() -> T:
        db = connect(database_url)
        await db.open()
        unit = db.begin(write=write)
        ok = False
        try:
            result = await work(unit)
            ok = True
            return result
        finally:
            await unit.finish(ok)
            await db.close()

    return asyncio.run(run())


def copy_entries(account: Account, columns: Sequence[str], records: Sequence[Sequence[Any]]) -> None:
    """Many time entries at once, straight into the database (thousands through the API would only slow
    the suite down); `records` are tuples in `columns` order."""

    async def load(unit: Unit) -> None:
        await unit.copy_rows("time_entries", columns, records)

    in_database(account.server.database_url, load, write=True)


def set_workspace_settings(account: Account, **changes: Any) -> None:
    """Merge `changes` (camelCase keys, as WorkspaceSettings renders them) into the workspace's settings.
    Clockify has no route that writes them (PUT/PATCH /workspaces/{ws} is 405): an operator's change."""

    async def merge(unit: Unit) -> None:
        raw = await unit.fetch_val(
            "SELECT settings FROM workspaces WHERE id = :id", {"id": account.workspace_id}
        )
        settings = {**json.loads(raw or "{}"), **changes}
        await unit.execute(
            "UPDATE workspaces SET settings = :settings WHERE id = :id",
            {"settings": json.dumps(settings), "id": account.workspace_id},
        )

    in_database(account.server.database_url, merge, write=True)


@dataclass
class Account:
    """One user in one workspace, with an HTTP client carrying their key."""

    server: Server
    user_id: str
    workspace_id: str
    api_key: str
    email: str

    def __post_init__(self) -> None:
        self.http = httpx.Client(
            base_url=self.server.base_url, headers={"X-Api-Key": self.api_key}, timeout=30
        )

    def url(self, path: str) -> str:
        """`{ws}` stands for this account's workspace; paths without a prefix get `/api/v1`."""
        path = path.replace("{ws}", self.workspace_id).replace("{me}", self.user_id)
        return (
            path
            if path.startswith(("/api", "/v1", "/clockify", "/report", "/health", "/files"))
            else "/api/v1" + path
        )

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.request(method, self.url(path), **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def me(server: Server) -> Account:
    """A fresh owner of a fresh workspace."""
    return server.account()


@pytest.fixture
def other(server: Server) -> Account:
    """Somebody else, in a workspace of their own: for tenant-isolation checks."""
    return server.account(workspace="Other Workspace")


def add_member(owner: Account, role: str = "MEMBER", name: str = "Member") -> Account:
    """A fresh user added through the API to `owner`'s workspace (joining as ACTIVE), made
    WORKSPACE_ADMIN when asked; the returned Account acts in `owner`'s workspace."""
    newcomer = owner.server.account(workspace=f"{name}'s own", name=name)
    r = owner.post("/workspaces/{ws}/users", {"email": newcomer.email})
    assert r.status_code == 200, r.text
    if role == "WORKSPACE_ADMIN":
        r = owner.post(
            f"/workspaces/{{ws}}/users/{newcomer.user_id}/roles",
            {"role": "WORKSPACE_ADMIN", "entityId": owner.workspace_id},
        )
        assert r.status_code == 201, r.text
    elif role != "MEMBER":
        raise ValueError(role)
    return Account(owner.server, newcomer.user_id, owner.workspace_id, newcomer.api_key, newcomer.email)


def assert_error(
    response: httpx.Response, status: int, code: int | None = None, message: str | None = None
) -> None:
    """Clockify's error shape: `{"message": str, "code": int}` and the expected status."""
    assert response.status_code == status, (response.status_code, response.text)
    body = response.json()
    assert set(body) == {"message", "code"}, body
    assert isinstance(body["message"], str) and isinstance(body["code"], int), body
    if code is not None:
        assert body["code"] == code, body
    if message is not None:
        assert message in body["message"], body
