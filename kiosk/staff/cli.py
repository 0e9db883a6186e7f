"""`flask staff set-pin`: set the PIN staff sign in with; only its hash is stored."""

import click
from flask.cli import AppGroup

from kiosk.db import get_db
from kiosk.staff.auth import PIN_PATTERN, save_pin

staff_cli = AppGroup("staff", help="工作人员：设置登录 PIN")
PIN_RULE = "PIN 须为 4–12 位数字。"


def ask_pin():
    """Ask for the new PIN twice without echoing it, until both entries agree and follow the rule."""
    while True:
        pin = click.prompt(
            "请输入新 PIN（4–12 位数字，输入时不显示）", hide_input=True, default="", show_default=False
        ).strip()
        if not PIN_PATTERN.fullmatch(pin):
            click.secho(PIN_RULE, fg="red", err=True)
            continue
        again = click.prompt("请再输入一次", hide_input=True, default="", show_default=False).strip()
        if again == pin:
            return pin
        click.secho("两次输入不一致，请重新设置。", fg="red", err=True)


@staff_cli.command("set-pin")
@click.option("--pin", help="新 PIN（供脚本使用；不给出时会提示输入两次）")
def set_pin_command(pin):
    """Set the staff PIN (4-12 digits); signs out everyone signed in with the old one."""
    if pin is None:
        pin = ask_pin()
    elif not PIN_PATTERN.fullmatch(pin):
        raise click.ClickException(PIN_RULE)
    save_pin(get_db(), pin)
    click.echo("工作人员 PIN 已设置。登录地址：/staff/login")
