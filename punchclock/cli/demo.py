"""`punchclock demo …`: demo data, for trying the server out and for the benchmarks."""

from __future__ import annotations

import time
from datetime import date, datetime

import click

from punchclock.cli.common import data_dir_option, database_url_option, run_async, settings_from
from punchclock.demo import service
from punchclock.kit.db import Database, connect
from punchclock.kit.db.migrate import apply_migrations
from punchclock.kit.errors import ApiError


@click.group()
def demo() -> None:
    """Fill a workspace with demo data."""


async def _seed(
    db: Database, options: service.SeedOptions, email: str | None, workspace: str | None
) -> tuple[service.SeedResult, float, float, bool]:
    await db.open()
    try:
        await apply_migrations(db)
        journaled = await service.before_load(db)
        started = time.perf_counter()
        unit = db.begin(write=True)
        ok = False
        try:
            result = await service.seed_workspace(unit, options, email=email, workspace_name=workspace)
            analyzing = time.perf_counter()
            await service.statistics_before_commit(unit)
            analyzed = time.perf_counter() - analyzing
            ok = True
        finally:
            await unit.finish(ok)
        # The rate counts generating, loading, rebuilding and committing; statistics are reported apart.
        loaded = time.perf_counter() - started - analyzed
        after = time.perf_counter()
        await service.after_load(db, journaled)
        return result, loaded, analyzed + time.perf_counter() - after, journaled
    finally:
        await db.close()


@demo.command("seed")
@click.option("--entries", type=click.IntRange(min=0), required=True, help="Time entries to create.")
@click.option(
    "--users", type=click.IntRange(min=1), default=50, show_default=True, help="Users, the owner included."
)
@click.option("--years", type=float, default=2.0, show_default=True, help="Length of the period, in years.")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="End of the period (exclusive, UTC) [default: today].",
)
@click.option(
    "--owner-entries",
    type=click.IntRange(min=0),
    default=None,
    help="Entries of the owner [default: an even share].",
)
@click.option(
    "--workspace",
    "workspace",
    default=None,
    help="Workspace to fill (its owner's, or the oldest of that name; created if none) "
    f"[default: the owner's default one, else {service.DEFAULT_WORKSPACE!r}].",
)
@click.option(
    "--email",
    default=None,
    help=f"The owner's email (created if new) [default: {service.DEFAULT_OWNER_EMAIL}].",
)
@click.option("--seed", type=int, default=1, show_default=True, help="The same seed gives the same data.")
@click.option(
    "--rebuild-indexes/--keep-indexes",
    default=None,
    hidden=True,
    help="Load without the entry indexes (and PostgreSQL foreign keys) [default: for big loads].",
)
@data_dir_option
@database_url_option
def seed(
    entries: int,
    users: int,
    years: float,
    until: datetime | None,
    owner_entries: int | None,
    workspace: str | None,
    email: str | None,
    seed: int,
    rebuild_indexes: bool | None,
    data_dir: str | None,
    database_url: str | None,
) -> None:
    """Create (or top up) a workspace with users, clients, projects, tasks, tags and time entries; print
    the rate achieved, the workspace id, and the owner's new API key as the last line."""
    settings = settings_from(data_dir=data_dir, database_url=database_url)
    until_day: date | None = until.date() if until is not None else None
    try:
        options = service.SeedOptions(entries, users, years, seed, until_day, owner_entries, rebuild_indexes)
    except ApiError as exc:
        raise click.ClickException(exc.message) from None
    db = connect(settings.effective_database_url)
    result, loaded_s, analyzed_s, journaled = run_async(_seed(db, options, email, workspace))
    rate = result.rows / loaded_s if loaded_s > 0 else 0.0
    click.echo(
        f"seeded {result.entries:,} time entries, {result.entry_tags:,} entry tags and "
        f"{result.other_rows:,} other rows for {len(result.user_ids)} users in {loaded_s:.2f}s: "
        f"{rate:,.0f} rows/s (entries {result.entries_s:.2f}s"
        + (f", indexes rebuilt in {result.rebuild_s:.2f}s" if result.rebuilt else "")
        + f"; statistics refreshed in {analyzed_s:.2f}s"
        + ("; written through a rollback journal" if journaled else "")
        + ")"
    )
    click.echo(f"workspace {result.workspace_id} owned by {result.owner_email} (user {result.owner_id})")
    click.echo(result.api_key)
