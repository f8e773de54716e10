"""`punchclock admin …`: users and API keys, managed by the operator."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from punchclock.cli.common import data_dir_option, database_url_option, run_unit, settings_from
from punchclock.kit.db import Row, Unit
from punchclock.users import accounts
from punchclock.users import store as users_store


@click.group()
def admin() -> None:
    """Manage users and API keys."""


@admin.command("create-user")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--workspace", "workspace_name", default=None, help="Workspace to join; created (user as owner) if new."
)
@click.option(
    "--time-zone", "time_zone", default=None, help="The account's IANA time zone, e.g. Europe/Berlin."
)
@data_dir_option
@database_url_option
def create_user(
    email: str,
    name: str,
    workspace_name: str | None,
    time_zone: str | None,
    data_dir: str | None,
    database_url: str | None,
) -> None:
    """Create a user and print a new API key as the last line."""
    settings = settings_from(data_dir=data_dir, database_url=database_url)

    async def work(unit: Unit) -> accounts.NewAccount:
        return await accounts.create_account(unit, email, name, workspace_name, time_zone)

    account = run_unit(settings, work)
    click.echo(
        f"user {account.user_id}" + (f" in workspace {account.workspace_id}" if account.workspace_id else "")
    )
    click.echo(account.api_key)


@admin.command("api-key")
@click.option("--email", required=True)
@data_dir_option
@database_url_option
def api_key(email: str, data_dir: str | None, database_url: str | None) -> None:
    """Issue another API key for a user and print it as the last line."""
    settings = settings_from(data_dir=data_dir, database_url=database_url)

    async def work(unit: Unit) -> str:
        return await accounts.api_key_for(unit, email)

    click.echo(run_unit(settings, work))


@admin.command("list-users")
@data_dir_option
@database_url_option
def list_users(data_dir: str | None, database_url: str | None) -> None:
    """List every user with their number of workspaces and live API keys."""
    settings = settings_from(data_dir=data_dir, database_url=database_url)
    rows: list[Row] = run_unit(settings, users_store.all_users)
    table = Table("id", "email", "name", "status", "workspaces", "api keys")
    for row in rows:
        table.add_row(
            row["id"], row["email"], row["name"], row["status"], str(row["workspaces"]), str(row["keys"])
        )
    Console().print(table)
