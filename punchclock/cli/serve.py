"""`punchclock serve`: migrate, create the first owner on an empty database, then run granian."""

from __future__ import annotations

import os

import click

from punchclock.cli.common import data_dir_option, database_url_option, run_unit, settings_from
from punchclock.kit.db import Unit
from punchclock.users import accounts
from punchclock.users import store as users_store

FIRST_OWNER_EMAIL = "owner@punchclock.local"


async def _bootstrap(unit: Unit) -> accounts.NewAccount | None:
    if await users_store.count(unit) > 0:
        return None
    return await accounts.create_account(unit, FIRST_OWNER_EMAIL, "Owner", "My Workspace")


@click.command()
@click.option("--host", default=None, help="Address to listen on [PUNCHCLOCK_HOST, 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port [PUNCHCLOCK_PORT, 8080].")
@click.option("--workers", type=int, default=None, help="Worker processes [PUNCHCLOCK_WORKERS, 1].")
@data_dir_option
@database_url_option
def serve(
    host: str | None, port: int | None, workers: int | None, data_dir: str | None, database_url: str | None
) -> None:
    """Run the server (embedded SQLite unless a PostgreSQL URL is given)."""
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels
    from granian.server import Server

    settings = settings_from(
        host=host, port=port, workers=workers, data_dir=data_dir, database_url=database_url
    )
    first = run_unit(settings, _bootstrap)
    if first is not None:
        click.echo(f"First start: created {FIRST_OWNER_EMAIL} as owner of 'My Workspace'.")
        click.echo("Its API key (shown once; `punchclock admin api-key` issues more):")
        click.echo(first.api_key, nl=True)
    os.environ.update(settings.to_env())
    dialect = settings.effective_database_url.split(":")[0]
    click.echo(f"punchclock listening on http://{settings.host}:{settings.port} ({dialect})")
    Server(
        target="punchclock.app:serve_app",
        factory=True,
        address=settings.host,
        port=settings.port,
        workers=settings.workers,
        interface=Interfaces.ASGI,
        loop=Loops.auto,
        log_level=LogLevels(settings.log_level),
        backlog=2048,
    ).serve()
