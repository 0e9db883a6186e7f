"""`flask pack import` and `flask pack list`: the operator's door to content packs."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from kiosk.db import get_db
from kiosk.packs.library import installed_packs, run_import
from kiosk.terminal import Bar, print_report

pack_cli = AppGroup("pack", help="内容包：导入与查看")


@pack_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="允许导入比已安装版本更低或相同的版本")
@click.option("--max-unpacked", type=int, default=None, help="zip 解压后的最大字节数")
def import_command(path, force, max_unpacked):
    """Import a content pack (folder or .zip); all or nothing."""
    bar, checked = Bar("检查媒体文件"), {"done": 0, "total": 0}

    def on_total(total):
        checked["total"] = total
        bar(0, total)

    def progress(_):
        checked["done"] += 1
        bar(checked["done"], checked["total"])

    try:
        result = run_import(path, force, max_unpacked, progress, on_total)
    finally:
        bar.close()
    print_report(result)
    if not result.ok:
        click.secho(
            f"导入失败：共 {len(result.report.errors)} 个错误，展示内容保持不变。", fg="red", bold=True, err=True
        )
        raise SystemExit(1)
    click.secho(result.message or "完成", fg="green", bold=True)


@pack_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def list_command(as_json):
    """List the installed content packs."""
    packs = installed_packs(get_db())
    if as_json:
        click.echo(json.dumps(packs, ensure_ascii=False, indent=2))
        return
    if not packs:
        click.echo("尚未安装内容包。")
    for p in packs:
        click.echo(
            f"{p['pack_id']}  v{p['version']}  {p['title']}  成果 {p['achievements']} 项  "
            f"警告 {p['warnings']} 条  导入于 {p['imported_at']}"
        )
