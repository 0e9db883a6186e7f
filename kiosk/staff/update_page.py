"""Staff's 软件更新: an update bundle on a USB stick, checked here, handed to the root updater (wuxiao-update.path),
and its progress and result — a new version that does not start is switched back by the updater."""

import json
import os
import shutil
import time
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from kiosk import clock
from kiosk.appliance import update, update_bundle
from kiosk.staff.auth import no_store, staff_only_here, staff_required
from sync import usb

bp = Blueprint("update_page", __name__, url_prefix="/staff/update")
bp.after_request(no_store)
bp.before_request(staff_only_here)
# Room for the unpacked check, the copy, the new release's venv and dictionary beside the bundle.
ROOM_BESIDE_BUNDLE = 400 * 1024 * 1024
WAITING_TOO_LONG = 60  # seconds a request may wait before staff are told the updater is not running
BUSY_STATES = ("checking", "installing", "starting")
REQUEST_SEEN = "kiosk.update_request_seen"


def updates_folder():
    """Return the instance's updates folder (incoming bundles, the request, the updater's status)."""
    return Path(current_app.instance_path) / update.UPDATES


def mounted_sticks():
    """Return the USB sticks mounted now."""
    return usb.sticks(usb.roots(current_app.config))


def bundles_on_sticks(sticks):
    """Return the update bundles at the top of each of these sticks: name, path, stick, size."""
    found = []
    for stick in sticks:
        try:
            entries = sorted(Path(stick.mount).iterdir())
        except OSError:
            continue
        for path in entries:
            if update_bundle.BUNDLE_NAME.fullmatch(path.name) and path.is_file():
                size = f"{path.stat().st_size / 1024**2:.0f} MB"
                found.append(
                    {
                        "path": str(path),
                        "name": path.name,
                        "stick": stick.label,
                        "size": size,
                        "version": update_bundle.peek(path),
                    }
                )
    return found


def read_json(path):
    """Return a small JSON file's content, or None."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def state():
    """Return the update's state for the page: the updater's status, a request still waiting, and for how long."""
    folder = updates_folder()
    status = read_json(folder / update.STATUS)
    waiting = None
    if (folder / update.REQUEST).exists():
        # How long on the monotonic clock (the wall clock may step): from when this program first saw it waiting.
        seen = current_app.extensions.setdefault(REQUEST_SEEN, time.monotonic())
        waiting = time.monotonic() - seen
    else:
        current_app.extensions.pop(REQUEST_SEEN, None)
    return {
        "status": status,
        "waiting": waiting is not None,
        "waiting_too_long": waiting is not None and waiting > WAITING_TOO_LONG,
        "busy": waiting is not None or (status or {}).get("state") in BUSY_STATES,
    }


def context(**extra):
    """Return what the update page shows."""
    root = update.installed_root()
    version = update.running_version()
    sticks = mounted_sticks() if root is not None else []
    on_sticks = bundles_on_sticks(sticks)
    return {
        "sticks": [s.label for s in sticks],
        "version": version,
        "installable": [b for b in on_sticks if b["version"] != version],
        "installed": root is not None,
        "kept": update.releases(root) if root is not None else [],
        "on_sticks": on_sticks,
        "signed_only": bool(update_bundle.trusted_keys(update_bundle.keys_under(root or "/"))),
        **state(),
        **extra,
    }


@bp.get("/")
@staff_required
def page():
    """Show the running version, the kept ones, the bundles on sticks, and the last update's result."""
    return render_template("staff/update.html", **context())


@bp.get("/progress")
@staff_required
def progress():
    """Answer the update's progress (the fragment asks again while it runs)."""
    return render_template("staff/_update_progress.html", **context())


def hand_over(source):
    """Check the bundle at source and hand a copy to the root updater; return its version. Raise BundleError."""
    root = update.installed_root()
    if root is None:
        raise update_bundle.BundleError("本机不是用安装程序装的，不能从U盘更新。")
    folder = updates_folder()
    incoming = folder / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    size = Path(source).stat().st_size
    if shutil.disk_usage(incoming).free < size * 2 + ROOM_BESIDE_BUNDLE:
        raise update_bundle.BundleError("本机剩余空间不足，装不下这个更新。请先清理空间（例如移除不用的内容包）。")
    meta = update_bundle.check(source, update_bundle.keys_under(root), work=incoming)
    if meta["version"] == update.running_version():
        raise update_bundle.BundleError(f"本机已经是 {meta['version']} 版，无需更新。")
    name = Path(source).name
    part = incoming / (name + ".part")
    shutil.copyfile(source, part)
    with open(part, "rb") as f:
        os.fsync(f.fileno())
    os.replace(part, incoming / name)
    body = {"file": name, "version": meta["version"], "asked_at": clock.timestamp()}
    ask(body)
    return meta["version"]


def ask(body):
    """Hand a request to the root updater: request.json, written whole (the path unit starts the updater on it)."""
    folder = updates_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / update.STATUS).unlink(missing_ok=True)
    part = folder / (update.REQUEST + ".part")
    part.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    os.replace(part, folder / update.REQUEST)


@bp.post("/install")
@staff_required
def install():
    """Check the bundle tapped and hand it to the updater; the page then follows its progress."""
    source = request.form.get("source", "")
    if source not in {b["path"] for b in bundles_on_sticks(mounted_sticks())}:
        return render_template("staff/update.html", **context(notice="没有找到这个更新包：U盘是否还插着？")), 400
    if state()["busy"]:
        return render_template("staff/update.html", **context(notice="一个更新正在进行，请等它结束。")), 409
    try:
        version = hand_over(source)
    except update_bundle.BundleError as e:
        return render_template("staff/update.html", **context(notice=str(e))), 400
    except OSError as e:
        notice = f"读取U盘或写入本机失败：{usb.os_error_text(e)}。请重新插好U盘再试。"
        return render_template("staff/update.html", **context(notice=notice)), 400
    flash(f"更新包完好（{version} 版），已交给安装程序。安装时屏幕会重新启动，约 1–2 分钟。", "info")
    return redirect(url_for("update_page.page"))


@bp.post("/switch")
@staff_required
def switch():
    """Go back to a version kept on this kiosk (the updater switches and checks it as it does an update)."""
    version = request.form.get("version", "")
    root = update.installed_root()
    if root is None or version not in update.releases(root) or version == update.running_version():
        return render_template("staff/update.html", **context(notice="本机没有保留这个版本。")), 400
    if state()["busy"]:
        return render_template("staff/update.html", **context(notice="一个更新正在进行，请等它结束。")), 409
    ask({"switch_to": version, "asked_at": clock.timestamp()})
    flash(f"已请安装程序换回 {version} 版。屏幕会重新启动，约半分钟。", "info")
    return redirect(url_for("update_page.page"))
