"""Settings derived from the machine: the PostgreSQL pool each worker opens."""

from __future__ import annotations

import os

import pytest

from punchclock.settings import Settings


def test_pool_size_set_explicitly_wins() -> None:
    assert Settings(db_pool_size=7, workers=4).effective_db_pool_size == 7


@pytest.mark.parametrize("cores, workers, expected", [(2, 1, 4), (2, 2, 2), (8, 2, 8), (2, 8, 2), (16, 4, 8)])
def test_pool_size_follows_cores_shared_among_workers(
    monkeypatch: pytest.MonkeyPatch, cores: int, workers: int, expected: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert Settings(workers=workers).effective_db_pool_size == expected


def test_pool_size_reads_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUNCHCLOCK_DB_POOL_SIZE", "3")
    assert Settings.from_env().effective_db_pool_size == 3
