"""`flask sync push|status|pull|export`: staff's door to the central system, in Chinese, with exit codes.

Exit codes: 0 done; 1 something left undelivered or not imported; 2 central refused (401/403/400:
staff must act); 3 another sync is running (nothing was done); 4 `export` without PATH (the USB sticks are listed)."""

import sys
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from kiosk import clock
from kiosk.db import get_db
from kiosk.packs.library import run_import
from kiosk.terminal import Bar, print_report
from sync import bundle, lock, outbox, packs, runs, usb
from sync.http import Stop
from sync.names import KIND_NAMES, RESULT_NAMES, STATE_NAMES
from sync.push import Push
from sync.retry import GaveUp
from sync.settings import SettingsProblem, central, kiosk_id, retry_policy

sync_cli = AppGroup("sync", help="与中央系统同步：推送建议与统计、拉取内容包、导出离线包")
EXIT_LEFT, EXIT_REFUSED, EXIT_BUSY, EXIT_CHOOSE = 1, 2, 3, 4


def setting(read):
    """Return read(config), or stop with the setting's problem as the command's error."""
    try:
        return read(current_app.config)
    except SettingsProblem as e:
        raise click.ClickException(str(e)) from e


@contextmanager
def recorded_run(kind):
    """Hold the sync lock and record the run; say so and exit 3 when another sync holds it."""
    try:
        with runs.recorded(get_db(), current_app.instance_path, kind) as run:
            yield run
    except lock.Busy as e:
        click.secho(str(e), fg="yellow", err=True)
        sys.exit(EXIT_BUSY)


def when(value):
    """Show an RFC 3339 time in Beijing time, to the second (2024-10-21 10:42:07)."""
    try:
        return clock.in_beijing(value).strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return value or "—"


def describe(row):
    """Return one refused suggestion as a line for staff."""
    text = (row["title"] or row["content"] or "").replace("\n", " ")
    text = text[:20] + ("…" if len(text) > 20 else "")
    return (
        f"  [{STATE_NAMES[row['state']]}] 回执 {row['receipt_no'] or '—'}  {when(row['created_at'])[:16]}  "
        f"“{text}”  原因：{row['central_error'] or '中央未说明'}  ({row['uuid']})"
    )


def show_refused(db, limit=20):
    """List the suggestions central will not take, with its reasons."""
    rows = outbox.refused(db, limit)
    if rows:
        click.secho("中央不接收、需要工作人员处理的建议（不会自动重发）：", fg="yellow")
        for row in rows:
            click.echo(describe(row))
        more = sum(outbox.counts(db)[s] for s in ("conflict", "invalid")) - len(rows)
        if more > 0:
            click.echo(f"  ……另有 {more} 条")


def state_line(counts):
    """Return the counts by state as one line."""
    return " · ".join(f"{STATE_NAMES[s]} {counts[s]}" for s in outbox.STATES)


@sync_cli.command(
    "push",
    help="推送待发送的建议，再推送每天的使用统计（一次运行）。"
    "退出码：0 全部送达；1 仍有未送达；2 被中央拒绝（401/403/400）；3 已有同步在进行。",
)
def push_command():
    """Push pending suggestions, then each day's usage figures, to central (one run)."""
    target = setting(central)
    db = get_db()
    with recorded_run("push") as run:
        bar = Bar("推送建议")
        try:
            report = Push(db, target, retry_policy(current_app.config), bar).run()
        finally:
            bar.close()
        run.update(result=report.result, message=report.stopped or report.gave_up or "", counts=report.counts())
    answers = report.answers
    if report.done or not (report.stopped or report.gave_up):
        click.echo(
            f"本次发送 {report.done} 条：新收 {answers['created']} · 重复确认 {answers['duplicate']} · "
            f"更新审核 {answers['updated']} · 冲突 {answers['conflict']} · 不合格 {answers['invalid']}"
        )
    if report.days_sent or report.days_unchanged:
        click.echo(f"使用统计：发送 {report.days_sent} 天，{report.days_unchanged} 天无变化")
    click.echo("现状：" + state_line(report.left))
    show_refused(db)
    if report.stopped:
        click.secho(report.stopped, fg="red", bold=True, err=True)
        sys.exit(EXIT_REFUSED)
    if report.gave_up:
        click.secho(f"{report.gave_up}\n未送达的建议仍保存在本机，下次同步会继续发送。", fg="red", err=True)
    if report.undelivered:
        left = " · ".join(
            f"{STATE_NAMES[s]} {report.left[s]}" for s in ("pending", "conflict", "invalid") if report.left[s]
        )
        click.secho(f"还有 {report.undelivered} 条建议未送达（{left}）。", fg="yellow", err=True)
        sys.exit(EXIT_LEFT)
    click.secho("全部送达。", fg="green", bold=True)


@sync_cli.command("status", help="显示各状态的建议数、上次同步、最近错误，以及中央不接收的建议和原因。")
def status_command():
    """Show counts by state, the last run, the last error, and what central refused."""
    db = get_db()
    click.echo("建议：" + state_line(outbox.counts(db)))
    running = lock.holder(current_app.instance_path)
    if running:
        click.secho(f"有一个同步正在进行（进程 {running}）。", fg="yellow")
    last = runs.last(db)
    if last:
        result = RESULT_NAMES.get(last["result"], last["result"])
        if last["finished_at"] is None:
            result = "正在进行" if running else "未正常结束（进程被中断或断电）"
        click.echo(
            f"上次同步：{KIND_NAMES.get(last['kind'], last['kind'])}  开始 {when(last['started_at'])}  "
            f"结束 {when(last['finished_at'])}  结果：{result}"
        )
        if last["message"]:
            click.echo("  " + last["message"])
    else:
        click.echo("上次同步：从未同步")
    failure, error = runs.last_failure(db), outbox.last_error(db)
    if failure and failure["id"] != last["id"] and failure["message"]:
        click.echo(f"最近一次失败（{when(failure['finished_at'])}）：{failure['message']}")
    if error:
        click.echo(f"最近错误（{when(error['at'])}）：{error['error']}")
    show_refused(db, limit=50)


@sync_cli.command("pull", help="下载比本机更新的内容包（可断点续传），校验 sha256 后导入。")
def pull_command():
    """Download content packs newer than the installed ones, check them, and import them."""
    target = setting(central)
    db = get_db()
    bar = Bar("下载")

    def on_start(pack):
        bar.close()
        bar.label = f"下载 {pack['pack_id']} v{pack.get('version')}"

    with recorded_run("pull") as run:
        try:
            outcomes = packs.pull(
                db, target, current_app.instance_path, retry_policy(current_app.config), run_import, on_start, bar
            )
        except (Stop, GaveUp) as e:
            run.update(result="stopped" if isinstance(e, Stop) else "unreachable", message=str(e))
            click.secho(str(e), fg="red", bold=True, err=True)
            sys.exit(EXIT_REFUSED if isinstance(e, Stop) else EXIT_LEFT)
        finally:
            bar.close()
        failed = [o for o in outcomes if o.status in ("failed", "refused")]
        run.update(
            result="incomplete" if failed else "ok",
            message="；".join(o.message for o in failed),
            counts={o.pack["pack_id"]: o.status for o in outcomes},
        )
    if not outcomes:
        click.echo("中央系统没有提供内容包。")
    for o in outcomes:
        click.secho(o.message, fg={"imported": "green", "skipped": None}.get(o.status, "red"))
        if o.result is not None:
            print_report(o.result)
    if failed:
        sys.exit(EXIT_LEFT)


@sync_cli.command("export", help="把全部建议和使用统计写成离线包：PATH 为 .zip 文件，或已存在的目录（如 U 盘）。")
@click.argument("path", type=click.Path(path_type=Path), required=False)
def export_command(path):
    """Write an offline bundle (all suggestions and figures) to PATH: a .zip file, or a folder such as a USB stick."""
    found = usb.sticks(usb.roots(current_app.config))
    if path is None:
        list_sticks(found)
        sys.exit(EXIT_CHOOSE)
    db = get_db()
    this_kiosk = setting(kiosk_id)
    install = current_app.config.get("KIOSK_INSTALLATION_ID")
    stick = next((s for s in found if Path(s.mount) == path.resolve()), None)
    with recorded_run("export") as run:
        try:
            if stick:  # a stick: stale parts cleaned, read back and checked, flushed
                summary = usb.write(db, this_kiosk, stick, install)
            else:
                summary = bundle.export(db, this_kiosk, path, install)
        except (bundle.NoSuchFolder, bundle.BundleExists, usb.NotVerified) as e:
            run.update(result="failed", message=str(e))
            raise click.ClickException(str(e)) from e
        except OSError as e:
            run.update(result="failed", message=f"写入失败：{usb.os_error_text(e)}")
            raise click.ClickException(f"离线包写入失败：{usb.os_error_text(e)}（{path}）") from e
        run.update(
            result="ok", message=str(summary.path), counts={"suggestions": summary.suggestions, "days": summary.days}
        )
    click.echo(f"离线包已写入{'并读回校验' if stick else ''}：{summary.path}")
    if stick:
        click.secho("可以拔出U盘了。", fg="green")
    click.echo(f"建议 {summary.suggestions} 条 · 使用统计 {summary.days} 天 · bundle.json sha256 {summary.sha256}")
    click.secho("请把它交给中央系统导入；本机的建议仍会在联网时照常推送，中央不会重复收录。", fg="green")


def list_sticks(found):
    """Print the USB sticks mounted now, each with the command that writes to it."""
    if not found:
        click.secho("没有找到U盘：请插入U盘，等几秒后再试；也可以给出目录：sync export PATH。", fg="red", err=True)
        return
    click.echo("插着的U盘（选一个，运行它后面的命令）：")
    for s in found:
        click.echo(f"  {s.label}（{s.size_text}）：flask --app kiosk sync export {s.mount}")
