"""What every command shares: settings from env and flags, and running one unit of work."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

import click

from punchclock.kit.db import Database, Unit, connect
from punchclock.kit.db.migrate import apply_migrations
from punchclock.kit.errors import ApiError
from punchclock.settings import Settings

T = TypeVar("T")

data_dir_option = click.option(
    "--data-dir", default=None, help="Folder of the embedded SQLite database [PUNCHCLOCK_DATA_DIR]."
)
database_url_option = click.option(
    "--database-url", default=None, help="postgresql://… to use PostgreSQL instead [PUNCHCLOCK_DATABASE_URL]."
)


def settings_from(**flags: Any) -> Settings:
    return Settings.from_env(**flags)


async def _in_unit(db: Database, work: Callable[[Unit], Awaitable[T]]) -> T:
    await db.open()
    try:
        await apply_migrations(db)
        unit = db.begin(write=True)
        ok = False
        try:
            result = await work(unit)
            ok = True
            return result
        finally:
            await unit.finish(ok)
    finally:
        await db.close()


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, with an ApiError, or an SQLite file another process still holds, as a one-line CLI
    error rather than a traceback."""
    try:
        return asyncio.run(main)
    except ApiError as exc:
        raise click.ClickException(exc.message) from None
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        raise click.ClickException(
            "the database is locked by another process (a bulk load?); try again once it is done"
        ) from None


def run_unit(settings: Settings, work: Callable[[Unit], Awaitable[T]]) -> T:
    """Run `work` in one committed transaction (migrating first); ApiErrors become CLI errors."""
    return run_async(_in_unit(connect(settings.effective_database_url), work))
