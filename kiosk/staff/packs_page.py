"""Content packs for staff without a terminal: the installed ones, and importing one from a USB stick or an upload
with a bar."""

import threading
from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from kiosk.db import get_db
from kiosk.packs.library import installed_packs, remove_pack, run_import
from kiosk.staff import pack_upload
from kiosk.staff.auth import no_store, staff_only_here, staff_required
from kiosk.web.screen import is_loopback
from sync import usb

bp = Blueprint("packs_page", __name__, url_prefix="/staff/packs")
bp.after_request(no_store)
bp.before_request(staff_only_here)
EXTENSION = "kiosk.pack_import"


class Importing:
    """The one import running (or last run) in this process: its file, progress and result."""

    def __init__(self, source, name=None):
        self.source, self.done, self.total, self.result, self.failed = source, 0, 0, None, None
        self.name = name or Path(source).name

    def snapshot(self):
        """Return what the progress fragment shows."""
        return {
            "name": self.name,
            "done": self.done,
            "total": self.total,
            "result": self.result,
            "failed": self.failed,
            "running": self.result is None and self.failed is None,
        }


def packs_on_sticks(config):
    """Return the packs on the mounted sticks: .zip files and folders holding pack.json, at the top of each stick."""
    found = []
    for stick in usb.sticks(usb.roots(config)):
        root = Path(stick.mount)
        candidates = [root] + sorted(root.iterdir(), key=lambda p: p.name)
        for path in candidates:
            if path.name.startswith("."):
                continue
            if (path.is_dir() and (path / "pack.json").is_file()) or (path.is_file() and path.suffix.lower() == ".zip"):
                if not path.name.startswith("wuxiao-bundle-"):  # the kiosk's own bundles are no packs
                    found.append({"path": str(path), "name": path.name, "stick": stick.label})
    return found


def current():
    """Return this process's import, or None."""
    return current_app.extensions.get(EXTENSION)


def running(app):
    """Return whether an import is running in this process."""
    job = app.extensions.get(EXTENSION)
    return bool(job and job.snapshot()["running"])


def start(app, source, name=None, uploaded=False):
    """Start importing source in a thread of its own; return False if an import is already running.

    uploaded: source is a file received for this import, removed when it ends."""
    with app.extensions.setdefault(EXTENSION + ".lock", threading.Lock()):
        if running(app):
            return False
        job = app.extensions[EXTENSION] = Importing(source, name)

    def work():
        with app.app_context():
            try:

                def step(*_):
                    job.done += 1

                def total(n):
                    job.total = n

                job.result = run_import(source, progress=step, on_total=total)
            except Exception as e:  # the page must say it failed, whatever the reason
                app.logger.exception("内容包导入失败")
                job.failed = (
                    f"导入没有完成：{e.__class__.__name__}。已安装的内容不受影响，请换一个U盘或请技术人员查看日志。"
                )
            finally:
                if uploaded:
                    Path(source).unlink(missing_ok=True)

    threading.Thread(target=work, name="pack-import", daemon=True).start()
    return True


def context(**extra):
    """Return what the packs page shows."""
    job = current()
    return {
        "packs": installed_packs(get_db()),
        "on_sticks": packs_on_sticks(current_app.config),
        "job": job.snapshot() if job else None,
        "notice": None,
        "upload_here": is_loopback(),
        "upload_refused": pack_upload.LAN_REFUSED,
        "upload_limit": pack_upload.size_text(pack_upload.limit(current_app.config)),
        **extra,
    }


@bp.get("/")
@staff_required
def page():
    """Show the installed packs and the packs found on USB sticks."""
    return render_template("staff/packs.html", **context())


@bp.post("/import")
@staff_required
def import_from_stick():
    """Import the pack tapped (only one found on a mounted stick), in the background; answer the progress."""
    source = request.form.get("source", "")
    if source not in {p["path"] for p in packs_on_sticks(current_app.config)}:
        return render_template(
            "staff/_pack_progress.html", **context(notice="没有找到这个内容包：U盘是否还插着？")
        ), 400
    if not start(current_app._get_current_object(), source):
        return render_template("staff/_pack_progress.html", **context(notice="另一个内容包正在导入，请等它完成。"))
    return render_template("staff/_pack_progress.html", **context())


@bp.post("/upload")
@staff_required
def upload():
    """Receive a zipped pack from this browser into the instance folder and import it like one from a stick."""
    app = current_app._get_current_object()
    notice, status = None, 200
    try:
        if not is_loopback():
            raise pack_upload.Refused(pack_upload.LAN_REFUSED, 403)
        with pack_upload.receiving(app):
            if running(app):
                raise pack_upload.Refused(pack_upload.BUSY, 409)
            path, name = pack_upload.receive(app)
            if not start(app, str(path), name, uploaded=True):
                path.unlink(missing_ok=True)
                raise pack_upload.Refused(pack_upload.BUSY, 409)
    except pack_upload.Refused as e:
        notice, status = str(e), e.status
    if request.headers.get("HX-Request"):
        # htmx swaps only 2xx answers by default; the refusal is the same panel with its notice.
        return render_template("staff/_pack_progress.html", **context(notice=notice))
    if notice:
        return render_template("staff/packs.html", **context(notice=notice)), status
    return redirect(url_for("packs_page.page"))


@bp.get("/progress")
@staff_required
def progress():
    """Answer the import's progress (the fragment asks again while it runs)."""
    return render_template("staff/_pack_progress.html", **context())


@bp.post("/<pack_id>/remove")
@staff_required
def remove(pack_id):
    """Remove a pack: its winners leave the screens; visitors' suggestions and figures are kept."""
    title = remove_pack(get_db(), pack_id)
    flash(f"已移除内容包“{title}”；观众的建议和使用统计都保留。" if title else "这个内容包已经不在了。", "info")
    return redirect(url_for("packs_page.page"))
