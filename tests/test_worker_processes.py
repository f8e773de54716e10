"""Several worker processes on one database: concurrent writes from both must all land, none twice.

The suite's shared server runs one worker; here `punchclock serve --workers 2` runs on its own data dir
(or its own PostgreSQL database) so that two processes really compete for the write lock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.conftest import BACKENDS, Server, new_database_url, running_server

WRITERS = 16
CLIENTS_EACH = 15


@pytest.fixture(params=BACKENDS)
def two_workers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    with running_server(
        request.param, new_database_url(request.param, tmp_path), tmp_path, workers=2
    ) as server:
        yield server


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
