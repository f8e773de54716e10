"""The `punchclock` command."""

from __future__ import annotations

import click

from punchclock import __version__
from punchclock.cli.admin import admin
from punchclock.cli.demo import demo
from punchclock.cli.migrate import migrate
from punchclock.cli.serve import serve


@click.group()
@click.version_option(__version__, prog_name="punchclock")
def main() -> None:
    """punchclock: a self-hosted time tracker speaking the Clockify API v1."""


main.add_command(serve)
main.add_command(migrate)
main.add_command(admin)
main.add_command(demo)
