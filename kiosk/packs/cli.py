"""`flask pack import` and `flask pack list`: the operator's door to content packs."""
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk.db import get_db
from kiosk.media.store import MediaStore
from kiosk.packs.importer import import_pack
from kiosk.web.page_cache import catalogue_changed

pack_cli = AppGroup("pack", help="内容包：导入与查看")


def run_import(source, force=False, max_unpacked=None, progress=None, on_total=None):
    """Import a pack into the current app's database and media store."""
    app = current_app
    result = import_pack(get_db(), MediaStore(app.instance_path), source, Path(app.instance_path) / "tmp",
                         max_unpacked or app.config["KIOSK_PACK_MAX_UNPACKED_BYTES"], force, progress, on_total)
    if result.status == "imported":
        catalogue_changed(app.instance_path)
    return result


def print_report(result):
    """Print the report: errors, then warnings, each as `achievement id · field · reason`."""
    for title, problems, colour in (("错误", result.report.errors, "red"), ("警告", result.report.warnings, "yellow")):
        if problems:
            click.secho(f"{title}（{len(problems)}）：", fg=colour, bold=True, err=title == "错误")
            for p in problems:
                click.echo(f"  {p}", err=title == "错误")


@pack_cli.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="允许导入比已安装版本更低或相同的版本")
@click.option("--max-unpacked", type=int, default=None, help="zip 解压后的最大字节数")
def import_command(path, force, max_unpacked):
    """Import a content pack (folder or .zip); all or nothing."""
    bar = {"bar": None}

    def on_total(total):
        bar["bar"] = click.progressbar(length=total, label="检查媒体文件", show_pos=True, file=sys.stderr)
        bar["bar"].__enter__()

    def progress(_):
        bar["bar"].update(1)

    try:
        result = run_import(path, force, max_unpacked, progress, on_total)
    finally:
        if bar["bar"] is not None:
            bar["bar"].__exit__(None, None, None)
    print_report(result)
    if not result.ok:
        click.secho(f"导入失败：共 {len(result.report.errors)} 个错误，展示内容保持不变。", fg="red", bold=True, err=True)
        raise SystemExit(1)
    click.secho(result.message or "完成", fg="green", bold=True)


@pack_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
def list_command(as_json):
    """List the installed content packs."""
    rows = get_db().execute(
        "SELECT p.pack_id, p.version, p.title, p.imported_at, p.report, COUNT(a.id) FROM packs p "
        "LEFT JOIN achievements a ON a.pack_id = p.pack_id GROUP BY p.pack_id ORDER BY p.pack_id").fetchall()
    packs = [{"pack_id": r[0], "version": r[1], "title": r[2], "imported_at": r[3],
              "warnings": len(json.loads(r[4] or "[]")), "achievements": r[5]} for r in rows]
    if as_json:
        click.echo(json.dumps(packs, ensure_ascii=False, indent=2))
        return
    if not packs:
        click.echo("尚未安装内容包。")
    for p in packs:
        click.echo(f"{p['pack_id']}  v{p['version']}  {p['title']}  成果 {p['achievements']} 项  "
                   f"警告 {p['warnings']} 条  导入于 {p['imported_at']}")


def init_app(app):
    """Register the pack commands."""
    app.cli.add_command(pack_cli)
