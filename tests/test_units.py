"""A unit's `last` write (Unit.execute): a unit that has not written yet runs it as a transaction of its
own on PostgreSQL (no BEGIN and COMMIT round trips) and without a savepoint of its own on SQLite; on both
databases it must be the last write, and a unit that wrote before it stays one transaction, rolled back
whole."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from punchclock.kit.db import Unit, connect
from tests.conftest import BACKENDS, new_database_url

INSERT = "INSERT INTO unit_probe (n) VALUES (:n)"


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return new_database_url(request.param, tmp_path)


async def _create_probe_table(url: str) -> None:
    db = connect(url)
    await db.open()
    try:
        await db.run_script("CREATE TABLE unit_probe (n INTEGER NOT NULL)")
    finally:
        await db.close()


async def _probe_rows(url: str) -> list[int]:
    db = connect(url)
    await db.open()
    try:
        unit = db.begin(write=False)
        try:
            return [int(r[0]) for r in await unit.fetch_all("SELECT n FROM unit_probe ORDER BY n")]
        finally:
            await unit.finish(True)
    finally:
        await db.close()


async def _in_unit(url: str, *steps: tuple[int, bool], ok: bool = True) -> None:
    """Insert n for each (n, last) step in one write unit, then finish it (committed when `ok`)."""
    db = connect(url)
    await db.open()
    try:
        unit: Unit = db.begin(write=True)
        try:
            for n, last in steps:
                await unit.execute(INSERT, {"n": n}, last=last)
        except BaseException:
            await unit.finish(False)
            raise
        await unit.finish(ok)
    finally:
        await db.close()


def test_a_last_write_commits_and_nothing_may_follow_it(database_url: str) -> None:
    asyncio.run(_create_probe_table(database_url))
    rows = lambda: asyncio.run(_probe_rows(database_url))  # noqa: E731

    asyncio.run(_in_unit(database_url, (1, True)))
    assert rows() == [1]

    with pytest.raises(RuntimeError, match="after the unit's last write"):
        asyncio.run(_in_unit(database_url, (2, True), (3, False)))
    # The sealed write ran as a transaction of its own (PostgreSQL) or without a savepoint of its own
    # (SQLite): once it ran it stays, on both. The refused write left nothing.
    assert 2 in rows()
    assert 3 not in rows()

    # A unit that wrote before its last write stays one transaction: rolled back, it leaves nothing.
    before = rows()
    asyncio.run(_in_unit(database_url, (4, False), (5, True), ok=False))
    assert rows() == before
    asyncio.run(_in_unit(database_url, (6, False), (7, True)))
    assert rows()[-2:] == [6, 7]
