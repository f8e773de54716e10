"""`punchclock migrate`: apply pending schema migrations."""

from __future__ import annotations

import click

from punchclock.cli.common import data_dir_option, database_url_option, run_async, settings_from
from punchclock.kit.db import connect
from punchclock.kit.db.migrate import apply_migrations


async def _migrate(url: str) -> list[str]:
    db = connect(url)
    await db.open()
    try:
        return await apply_migrations(db)
    finally:
        await db.close()


@click.command()
@data_dir_option
@database_url_option
def migrate(data_dir: str | None, database_url: str | None) -> None:
    """Apply pending database migrations."""
    settings = settings_from(data_dir=data_dir, database_url=database_url)
    applied = run_async(_migrate(settings.effective_database_url))
    click.echo(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))
