"""Staff sign-in with a PIN: the login page, logout, lockout after failures, and `staff_required`."""

import functools
import hashlib
import re
import secrets
import time
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from kiosk.db import get_db
from kiosk.staff.guard import PIN_CHECK, Failures, LanBudget
from kiosk.staff.sessions import Sessions
from kiosk.web.screen import is_loopback

bp = Blueprint("staff", __name__, url_prefix="/staff")
PIN_KEY = "staff_pin_hash"
SET_PIN_COMMAND = "flask --app kiosk staff set-pin"
FAILURES = "staff_failures"
LAN_BUDGET = "kiosk.staff_lan_budget"
SESSIONS = "kiosk.staff_sessions"
STAFF_SESSION = "staff_session"
PIN_PATTERN = re.compile(r"[0-9]{4,12}")


def now():
    """Return the monotonic clock in seconds: durations survive the wall clock being set (one place for tests)."""
    return time.monotonic()


def pin_hash(db):
    """Return the stored hash of the staff PIN, or None when no PIN was set."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [PIN_KEY]).fetchone()
    return row[0] if row and row[0] else None


def save_pin(db, pin):
    """Store the hash of pin as the staff PIN, replacing any earlier one (sessions under the old one end)."""
    db["settings"].upsert({"key": PIN_KEY, "value": generate_password_hash(pin)}, pk="key")


def pin_stamp(hashed):
    """Return a short fingerprint of the PIN hash, kept with each session so a new PIN signs everyone out."""
    return hashlib.sha256(hashed.encode()).hexdigest()[:16]


def failures():
    """Return this app's failure counter."""
    return current_app.extensions.setdefault(FAILURES, Failures())


def lan_budget():
    """Return this app's budget of wrong PINs for the whole LAN."""
    return current_app.extensions.setdefault(LAN_BUDGET, LanBudget())


def staff_only_here():
    """Refuse staff pages to the LAN unless KIOSK_STAFF_FROM_LAN allows it: the PIN would cross the Wi-Fi in clear."""
    if not is_loopback() and not current_app.config["KIOSK_STAFF_FROM_LAN"]:
        text = (
            "工作人员页面只能在展示端本机（触摸屏）上打开。如需在局域网内的电脑上管理，请在设置中开启 staff_from_lan。"
        )
        return render_template("errors/error.html", code=403, title="工作人员页面不对局域网开放", text=text), 403
    return None


def sessions():
    """Return this app's staff sessions."""
    return current_app.extensions.setdefault(SESSIONS, Sessions())


def idle_limit():
    """Return how long a staff session may stay unused, in seconds."""
    return current_app.config["KIOSK_STAFF_SESSION_MINUTES"] * 60


def wait_text(seconds):
    """Return a wait for a message: whole seconds under a minute, else whole minutes (rounded up)."""
    if seconds < 60:
        return f" {max(1, -(-int(seconds) // 1))} 秒"
    return f" {-(-int(seconds) // 60)} 分钟"


def signed_in():
    """Return whether this browser's staff session is alive on the server; mark it seen."""
    sid = session.get(STAFF_SESSION)
    if not sid:
        return False
    hashed = pin_hash(get_db())
    if sessions().touch(sid, pin_stamp(hashed) if hashed else None, now(), idle_limit()) is None:
        session.pop(STAFF_SESSION, None)
        flash("登录已过期，请重新输入 PIN。", "info")
        return False
    return True


def staff_required(view):
    """Let signed-in staff through; send anyone else to the login page (htmx gets HX-Redirect)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if signed_in():
            return view(*args, **kwargs)
        back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
        if request.headers.get("HX-Request"):
            # A fragment (a progress poll) is no page to come back to: the page it was polled from is.
            if request.headers.get("HX-Current-URL"):
                page = urlsplit(request.headers["HX-Current-URL"])
                back = page.path + (f"?{page.query}" if page.query else "") if page.path.startswith("/staff/") else None
            return "", 401, {"HX-Redirect": url_for("staff.login", next=back)}
        login = url_for("staff.login", next=back)
        return redirect(login)

    return wrapped


def safe_next(target):
    """Return target when it is a staff page on this kiosk, else the suggestions list."""
    if (
        target
        and target.startswith("/staff/")
        and not target.startswith("/staff//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return url_for("moderation.suggestions")


def no_store(response):
    """Keep every staff page out of browser caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


bp.after_request(no_store)
bp.before_request(staff_only_here)


@bp.get("/")
@staff_required
def index():
    """Send staff to the suggestions list."""
    return redirect(url_for("moderation.suggestions"))


@bp.route("/login", methods=("GET", "POST"))
def login():
    """Show the PIN pad; check the PIN, counting failures per client address."""
    db = get_db()
    hashed = pin_hash(db)
    target = safe_next(request.values.get("next"))
    # HEAD is GET without a body: it never checks a PIN (CSRF lets HEAD through as a safe method).
    reading = request.method != "POST"
    if reading and STAFF_SESSION in session and signed_in():
        return redirect(target)
    context = {"pin_set": bool(hashed), "command": SET_PIN_COMMAND, "next": target, "error": None}
    if reading or not hashed:
        return render_template("staff/login.html", **context)
    config, address, at, lan = current_app.config, request.remote_addr or "?", now(), not is_loopback()
    left = max(failures().locked_for(address, at), lan_budget().wait(at) if lan else 0)
    if left:
        context["error"] = f"PIN 输错次数过多，请 {wait_text(left)}后再试。"
        return render_template("staff/login.html", **context), 429
    pin = request.form.get("pin", "").strip()
    with PIN_CHECK:
        right = bool(PIN_PATTERN.fullmatch(pin)) and check_password_hash(hashed, pin)
    if right:
        failures().succeed(address)
        if lan:
            lan_budget().succeed()
        session.clear()
        # A new token at sign-in: a token learnt before it is worthless afterwards.
        session.update(
            csrf_token=secrets.token_urlsafe(32),
            **{STAFF_SESSION: sessions().begin(pin_stamp(hashed), at, idle_limit())},
        )
        return redirect(target)
    lockout = config["KIOSK_STAFF_LOCKOUT_MINUTES"] * 60
    if lan:
        lan_budget().fail(at)
    if failures().fail(address, at, config["KIOSK_STAFF_MAX_FAILURES"], lockout):
        context["error"] = f"PIN 输错次数过多，请 {wait_text(lockout)}后再试。"
        return render_template("staff/login.html", **context), 429
    context["error"] = "PIN 不正确，请重新输入。"
    return render_template("staff/login.html", **context), 401


@bp.post("/logout")
def logout():
    """Sign out: end the staff session on the server (a copied cookie opens nothing) and forget the browser's."""
    sessions().end(session.get(STAFF_SESSION))
    session.clear()
    flash("已退出登录。", "info")
    return redirect(url_for("staff.login"))


@bp.app_template_global()
def staff_signed_in_at():
    """Return when this session's staff member signed in, as HH:MM, or None."""
    entry = sessions().peek(session.get(STAFF_SESSION))
    return entry["since"].strftime("%H:%M") if entry else None


@bp.before_app_request
def end_staff_session_on_attract():
    """End staff's session when the kiosk screen goes back to its attract loop: the next visitor is not staff."""
    if request.endpoint == "exhibits.attract" and STAFF_SESSION in session:
        sessions().end(session.pop(STAFF_SESSION))
