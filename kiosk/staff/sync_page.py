"""Staff's sync screen: outbox counts, the last run, 立即同步 with live progress, refused items, and the USB bundle."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for

from kiosk.db import get_db
from kiosk.staff import settings_page
from kiosk.staff.auth import no_store, staff_only_here, staff_required
from sync import lock, outbox, runner, runs, usb
from sync.names import KIND_NAMES, RESULT_NAMES, STATE_NAMES

bp = Blueprint("sync_page", __name__, url_prefix="/staff/sync")
bp.after_request(no_store)
bp.before_request(staff_only_here)
REFUSED_SHOWN = 50


def clip(text, length=40):
    """Return text on one line, cut to length characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text[:length] + ("…" if len(text) > length else "")


def size_text(n):
    """Return a byte count for people (12.3 KB)."""
    for unit in ("B", "KB", "MB"):
        if n < 1024 or unit == "MB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def live_progress():
    """Return a snapshot of this instance's latest run in this process, or None."""
    progress = runner.live(current_app).get()
    return progress.snapshot() if progress else None


def context(**extra):
    """Return what the sync templates need: counts, last run, refused items, live progress."""
    db = get_db()
    counts = outbox.counts(db)
    refused = outbox.refused(db, REFUSED_SHOWN)
    return {
        "counts": counts,
        "states": STATE_NAMES,
        "last_run": runs.last(db),
        "kinds": KIND_NAMES,
        "results": RESULT_NAMES,
        "refused": refused,
        "refused_total": counts["conflict"] + counts["invalid"],
        "live": live_progress(),
        "sticks": usb.sticks(usb.roots(current_app.config)),
        "clip": clip,
        "export": None,
        "notice": None,
        "central_url": current_app.config.get("KIOSK_CENTRAL_URL"),
        **extra,
    }


@bp.get("/")
@staff_required
def page():
    """Show the sync screen."""
    return render_template("staff/sync.html", **context())


@bp.get("/progress")
@staff_required
def progress():
    """Return the progress panel (it polls itself while the run lasts); plain requests go to the page."""
    if not request.headers.get("HX-Request"):
        return redirect(url_for("sync_page.page"))
    return render_template("staff/_sync_progress.html", **context(oob=True))


@bp.post("/run")
@staff_required
def run():
    """Start one push in the background; say so when a sync is already going."""
    app = current_app._get_current_object()
    notice = runner.settings_problem(app)
    if notice is None and lock.holder(app.instance_path) is not None:
        notice = "另一个同步正在进行，请等它结束后再试。"
    if notice is None:
        started = runner.live(app).begin()
        if started is None:
            notice = "另一个同步正在进行，请等它结束后再试。"
        else:
            runner.start_push(app, started)
    if not request.headers.get("HX-Request"):
        if notice:
            flash(notice, "info")
        return redirect(url_for("sync_page.page"))
    return render_template("staff/_sync_progress.html", **context(notice=notice))


@bp.post("/machine")
@staff_required
def machine():
    """Save the kiosk id and event id, as the form that stood here did: they are set on 设置 now."""
    return settings_page.save()
