"""Writing the offline bundle to a USB stick from the sync screen: the sticks as buttons, verify, 安全弹出."""

from flask import Blueprint, current_app, render_template, request

from kiosk.db import get_db
from kiosk.staff.auth import no_store, staff_only_here, staff_required
from kiosk.staff.sync_page import context, size_text
from sync import bundle, lock, runs, usb
from sync.settings import SettingsProblem, kiosk_id

bp = Blueprint("usb_page", __name__, url_prefix="/staff/sync")
bp.after_request(no_store)
bp.before_request(staff_only_here)


def answer(**extra):
    """Return the USB section (htmx) or the whole sync page with it."""
    status = 400 if (extra.get("export") or {}).get("error") else 200
    if request.headers.get("HX-Request"):
        return render_template("staff/_sync_export.html", **context(**extra))
    return render_template("staff/sync.html", **context(**extra)), status


@bp.get("/sticks")
@staff_required
def sticks():
    """Show the sticks now mounted (the section asks again every few seconds while none is)."""
    return render_template("staff/_sync_export.html", **context())


@bp.post("/export")
@staff_required
def export():
    """Write the bundle onto the stick tapped, read it back and check it, flush it, and say it can be pulled."""
    stick = usb.find(usb.roots(current_app.config), request.form.get("drive", ""))
    if stick is None:
        return answer(export={"error": "没有找到这个U盘：请确认U盘已插好，等几秒后再点一次。"})
    error = summary = None
    try:
        with runs.recorded(get_db(), current_app.instance_path, "export") as run:
            run["result"] = "failed"
            try:
                install = current_app.config.get("KIOSK_INSTALLATION_ID")
                summary = usb.write(get_db(), kiosk_id(current_app.config), stick, install)
                run.update(
                    result="ok",
                    message=str(summary.path),
                    counts={"suggestions": summary.suggestions, "days": summary.days},
                )
            except (SettingsProblem, bundle.NoSuchFolder, bundle.BundleExists, usb.NotVerified) as e:
                error = run["message"] = str(e)
            except OSError as e:
                error = run["message"] = f"写入U盘失败：{usb.os_error_text(e)}。请换一个U盘或检查U盘是否写保护。"
    except lock.Busy:
        error = "另一个同步正在进行，请等它结束后再写入U盘。"
    export = {"error": error, "stick": stick}
    if summary:
        export.update(
            path=str(summary.path),
            size=size_text(summary.path.stat().st_size),
            suggestions=summary.suggestions,
            days=summary.days,
        )
    return answer(export=export)


@bp.post("/eject")
@staff_required
def eject():
    """Unmount the stick so it can be pulled safely."""
    stick = usb.find(usb.roots(current_app.config), request.form.get("drive", ""))
    if stick is None:
        return answer(ejected="U盘已经弹出，可以拔出了。")
    problem = usb.eject(stick)
    return answer(ejected=problem or f"U盘 {stick.label} 已安全弹出，可以拔出了。", eject_failed=bool(problem))
