"""The command lines' wiring: `flask init-db`, `flask pack …`, `flask staff …` and `flask sync …` on the app."""

import click

from kiosk.db import db_path
from kiosk.migrations import migrate
from kiosk.packs.cli import pack_cli
from kiosk.staff.cli import staff_cli
from sync.cli import sync_cli


@click.command("init-db")
def init_db_command():
    """Create or upgrade the kiosk database (keeps existing data)."""
    migrate()
    click.echo("数据库已就绪：" + str(db_path()))


def init_app(app):
    """Register every command group on the app."""
    for command in (init_db_command, pack_cli, staff_cli, sync_cli):
        app.cli.add_command(command)
