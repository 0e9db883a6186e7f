"""`python -m central`: serve the intake API, import an offline bundle, or give a kiosk a token."""

import json
import logging
import sqlite3
import sys
from pathlib import Path

import click
from waitress.server import create_server

from . import create_app
from .auth import add_kiosk, load_tokens
from .bundle import BundleRefused, import_bundle
from .db import connect, migrate
from .errors import CentralError
from .installs import shared_warning

EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_NEEDS_STAFF = 3
STATUS_NAMES = {
    "created": "新存入",
    "duplicate": "已存过（重复）",
    "updated": "审核状态已更新",
    "conflict": "冲突（未存）",
    "invalid": "不合规则（未存）",
}


DB_OPTION = click.option(
    "--db",
    "db_path",
    default="central.db",
    show_default=True,
    type=click.Path(path_type=Path),
    help="SQLite 数据库文件（不存在则创建）· database file, created if missing",
)


class Group(click.Group):
    """A command group that prints an operator's error as one clean line instead of a traceback."""

    def invoke(self, ctx):
        """Run the command; turn CentralError or a database error into one line on stderr and exit code 2."""
        try:
            return super().invoke(ctx)
        except CentralError as e:
            click.secho(f"错误 · Error: {e}", fg="red", err=True)
        except sqlite3.Error as e:
            click.secho(f"数据库错误 · Database error: {e}", fg="red", err=True)
        ctx.exit(2)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """五小 kiosk 中央接收端（central intake API v1 参考实现）.

    Reference receiver for kiosks' suggestions, usage figures, content packs and offline bundles."""


def warn_test_faults(path):
    """Say loudly on stderr that this receiver fails requests on purpose and is for tests only."""
    rule = "!" * 78
    click.secho(
        f"{rule}\n注意：已启用故障注入（{path}），仅供测试 · fault injection ON\n"
        "WARNING: TEST ONLY. Chosen requests fail on purpose; never run this for a union office.\n"
        f"{rule}",
        fg="red",
        bold=True,
        err=True,
    )


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 · address to listen on")
@click.option(
    "--port",
    default=8900,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="端口，0 表示任选空闲端口 · port (0: any free port)",
)
@DB_OPTION
@click.option(
    "--tokens",
    "tokens_path",
    required=True,
    type=click.Path(path_type=Path),
    help='令牌文件 {"kiosk_id": "token"} · tokens file mapping kiosk ids to tokens',
)
@click.option(
    "--packs",
    "packs_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="提供下载的内容包 .zip 所在目录 · folder of content pack zips to offer",
)
@click.option("--prefix", default="", help="路径前缀，如 /wuxiao · path prefix the API is served under")
@click.option(
    "--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="工作线程数 · worker threads"
)
@click.option(
    "--test-faults",
    "faults_path",
    type=click.Path(path_type=Path),
    hidden=True,
    help="仅供测试：故障注入规则文件 · TEST ONLY: fault injection plan (JSON)",
)
def serve(host, port, db_path, tokens_path, packs_dir, prefix, threads, faults_path):
    """启动接收服务 · Serve the intake API over HTTP (waitress)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(db_path, load_tokens(tokens_path), packs_dir, prefix)
    if faults_path is not None:
        # Imported only here, so a receiver started without the option never loads test code.
        from .testing.faults import FaultInjector

        app.wsgi_app = FaultInjector(app.wsgi_app, faults_path)
        warn_test_faults(faults_path)
    try:
        server = create_server(
            app, host=host, port=port, threads=threads, ident="wuxiao-central", max_request_body_size=64 * 1024 * 1024
        )
    except OSError as e:
        raise CentralError(f"无法监听 {host}:{port}：{e.strerror or e}") from e
    click.echo(
        f"listening on http://{host}:{server.effective_port}{app.config['CENTRAL_PREFIX']}/ · "
        f"数据库 {db_path.resolve()}"
    )
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        click.echo("已停止 · stopped")
    finally:
        server.close()


def print_summary(summary):
    """Print what an import did: counts by status, then every item staff must look at."""
    bundle = summary.bundle
    click.echo(f"数据包 · bundle: kiosk {bundle.kiosk_id}, 生成于 {bundle.created_at}, sha256 {bundle.sha256[:12]}…")
    if summary.imported_before:
        click.secho(f"此数据包以前导入过（{'、'.join(summary.imported_before)}）：不会重复保存。", fg="yellow")
    counts = summary.counts()
    click.echo(f"建议 · suggestions: {len(summary.results)}")
    for status, name in STATUS_NAMES.items():
        click.echo(f"  {status:<10} {name:<12} {counts.get(status, 0)}")
    stored = [d for d in summary.days if d["status"] == "stored"]
    click.echo(
        f"使用统计 · stats: {len(stored)} 天已合并 · days merged"
        f"（{sum(d['stored'] for d in stored)} 个计数 · counters）"
    )
    for problem in summary.needs_staff():
        label = problem.get("uuid") or f"stats {problem.get('date')}"
        click.secho(f"  {problem['status']}: {label} · {problem['error']}", fg="red")
    warn_shared(summary)


def warn_shared(summary):
    """Say loudly when the bundle's kiosk id is also used by another installation."""
    if summary.shared_with:
        click.secho(shared_warning(summary.bundle.kiosk_id, summary.bundle.install, summary.shared_with), fg="red")


def bundle_line(path, summary):
    """Return one line for a bundle imported from a folder: its kiosk, how many suggestions of each status."""
    counts = summary.counts()
    parts = " · ".join(f"{name} {counts.get(status, 0)}" for status, name in STATUS_NAMES.items())
    again = "（以前导入过）" if summary.imported_before else ""
    return f"{summary.bundle.kiosk_id}: {path.name}{again} · 建议 {len(summary.results)}（{parts}）"


def import_folder(conn, folder):
    """Import every bundle in a folder (a USB stick) with one line each; return the exit code."""
    found = sorted(p for p in folder.glob("*.zip") if not p.name.startswith("."))
    if not found:
        click.secho(f"{folder} 里没有离线数据包（*.zip）· no bundles in this folder", fg="red", err=True)
        return EXIT_USAGE
    code = 0
    for path in found:
        try:
            summary = import_bundle(conn, path)
        except BundleRefused as e:
            click.secho(f"拒收 · Refused: {path.name}: {e}", fg="red")
            code = max(code, EXIT_REFUSED)
            continue
        click.echo(bundle_line(path, summary))
        warn_shared(summary)
        if summary.needs_staff():
            code = max(code, EXIT_NEEDS_STAFF)
    return code


@cli.command("import-bundle")
@click.argument("path", type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每条结果 · print every result as JSON")
def import_bundle_command(path, db_path, as_json):
    """导入离线数据包（.zip），或U盘目录里的全部数据包 · Import an offline bundle, or every bundle in a folder.

    \b
    退出码 · exit codes:
      0 全部收下 · all delivered
      1 整包拒收，什么也没存 · refused whole, nothing stored
      2 用法、文件或数据库错误 · usage, file or database error
      3 已导入，但有冲突或不合规则的条目需要处理 · imported; some items need staff"""
    migrate(db_path)
    conn = connect(db_path)
    if path.is_dir():
        try:
            sys.exit(import_folder(conn, path))
        finally:
            conn.close()
    try:
        summary = import_bundle(conn, path)
    except BundleRefused as e:
        click.secho(f"拒收 · Refused: {e}", fg="red", err=True)
        sys.exit(EXIT_REFUSED)
    finally:
        conn.close()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "kiosk_id": summary.bundle.kiosk_id,
                    "created_at": summary.bundle.created_at,
                    "sha256": summary.bundle.sha256,
                    "imported_before": summary.imported_before,
                    "counts": dict(summary.counts()),
                    "results": summary.results,
                    "stats": summary.days,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print_summary(summary)
    if summary.needs_staff():
        sys.exit(EXIT_NEEDS_STAFF)


@cli.command("add-kiosk")
@click.argument("kiosk_id")
@click.option(
    "--tokens",
    "tokens_path",
    required=True,
    type=click.Path(path_type=Path),
    help="令牌文件（不存在则创建）· tokens file, created if missing",
)
@click.option("--replace", is_flag=True, help="为已有的 kiosk 换新令牌 · give an existing kiosk a new token")
def add_kiosk_command(kiosk_id, tokens_path, replace):
    """为一台 kiosk 生成令牌并写入令牌文件 · Give a kiosk a new random token."""
    token = add_kiosk(tokens_path, kiosk_id, replace)
    click.echo(f"{kiosk_id} 的令牌 · token（填入该 kiosk 的 KIOSK_CENTRAL_TOKEN；服务需重启才生效）:")
    click.echo(token)


if __name__ == "__main__":
    cli(prog_name="python -m central")
