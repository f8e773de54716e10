"""Several worker processes on one database: concurrent writes from both must all land, none twice.

The suite's shared server runs one worker; here `punchclock serve --workers 2` runs on its own data dir
(or its own PostgreSQL database) so that two processes really compete for the write lock.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import PG_URL, Server, _free_port, _fresh_postgres_database

WRITERS = 16
CLIENTS_EACH = 15


@pytest.fixture(params=["sqlite"] + (["postgres"] if PG_URL else []))
def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    backend: str = request.param
    database_url = (
        _fresh_postgres_database() if backend == "postgres" else f"sqlite:///{tmp_path / 'punchclock.db'}"
    )
    port = _free_port()
    env = {**os.environ, "PUNCHCLOCK_DATABASE_URL": database_url, "PUNCHCLOCK_LOG_LEVEL": "warning"}
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "punchclock", "serve", "--port", str(port), "--workers", "2"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
            cwd=tmp_path,
        )
    assert process.stdout is not None
    owner_key = [process.stdout.readline() for _ in range(3)][2].strip()
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(base_url + "/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline and process.poll() is None, log_path.read_text()
        time.sleep(0.05)
    try:
        yield Server(backend, base_url, database_url, owner_key, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        assert "Traceback" not in log_path.read_text(), log_path.read_text()


def test_concurrent_writes_from_two_processes_all_land_once(two_workers: Server) -> None:
    me = two_workers.account()
    names = [f"client {writer:02d}-{i:02d}" for writer in range(WRITERS) for i in range(CLIENTS_EACH)]

    def create_all(writer: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=two_workers.base_url, headers={"X-Api-Key": me.api_key}) as http:
            for name in names[writer * CLIENTS_EACH : (writer + 1) * CLIENTS_EACH]:
                r = http.post(f"/api/v1/workspaces/{me.workspace_id}/clients", json={"name": name})
                statuses.append(r.status_code)
                # Reads interleave with the writes, on whichever process the connection lands.
                http.get(f"/api/v1/workspaces/{me.workspace_id}/clients?page-size=5").raise_for_status()
        return statuses

    with ThreadPoolExecutor(WRITERS) as pool:
        statuses = [s for batch in pool.map(create_all, range(WRITERS)) for s in batch]
    assert Counter(statuses) == {201: len(names)}

    listed = me.get("/workspaces/{ws}/clients", params={"page-size": 5000}).json()
    assert sorted(c["name"] for c in listed) == sorted(names)

    # A duplicate sent by both processes at once is refused by one of them, never stored twice.
    def duplicate(_: int) -> int:
        return me.post("/workspaces/{ws}/clients", {"name": "Same name"}).status_code

    with ThreadPoolExecutor(8) as pool:
        outcomes = Counter(pool.map(duplicate, range(8)))
    assert outcomes == {201: 1, 400: 7}
