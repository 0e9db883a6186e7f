"""The visitor's 小建议: a form on the touchscreen or a phone, kept durably, answered with a receipt."""

import sqlite3
import uuid

from flask import Blueprint, abort, current_app, make_response, redirect, render_template, request, url_for

from kiosk.db import get_db
from kiosk.exhibits import usage
from kiosk.suggestions import rules as suggestion_rules
from kiosk.suggestions import store as suggestion_store
from kiosk.web import rate_limit
from kiosk.web.csrf import CSRFError, csrf_token
from kiosk.web.htmx import wants_part
from kiosk.web.lan import public_url
from kiosk.web.page_cache import cached_page
from kiosk.web.qr import qr_svg
from kiosk.web.screen import is_kiosk_screen, is_loopback

bp = Blueprint("suggest", __name__, url_prefix="/suggest")
NOT_STORED = (
    "暂时无法保存：这台机器的存储空间已满或出了故障。"
    "您填写的内容都还在，请稍后再试（再点一次“提交”），或请工作人员帮忙。"
)
HONEYPOT = "website"
# Placeholders in the cached blank form, replaced by each visitor's own tokens.
CSRF_SLOT = "kiosk-csrf-slot-0f3a9c"
FORM_TOKEN_SLOT = "kiosk-form-token-slot-0f3a9c"


def related_achievement(achievement_id):
    """Return (id, title) of the exhibit that inspired the suggestion, or None if unknown."""
    if not achievement_id:
        return None
    row = get_db().execute("SELECT id, title FROM achievements WHERE id = ?", [achievement_id[:64]]).fetchone()
    return tuple(row) if row else None


def render_form(data=None, errors=None, status=200, notice=None, slots=False):
    """Render the form page (or its fragment for htmx) with the visitor's values and messages.

    slots: render placeholders instead of this visitor's tokens (a blank form to cache and fill).
    """
    related = related_achievement(request.values.get("from"))
    phone_url = public_url(current_app.config) + url_for("suggest.form", **({"from": related[0]} if related else {}))
    form_token = uuid.uuid4().hex if not data else request.form.get("form_token") or uuid.uuid4().hex
    context = {
        "data": data or {},
        "errors": errors or {},
        "related": related,
        "notice": notice,
        "form_token": FORM_TOKEN_SLOT if slots else form_token,
        "first_error": suggestion_rules.first_error(errors or {}),
        "fields": suggestion_rules.TEXT_FIELDS,
        "phone_qr": qr_svg(phone_url),
        "phone_url": phone_url,
    }
    if slots:
        context["csrf_token"] = lambda: CSRF_SLOT
    if wants_part("suggest-form"):  # htmx swaps only 2xx answers; a plain POST gets the honest status
        return render_template("suggest/_form.html", **context), 200
    return render_template("suggest/form.html", **context), status


def fill_tokens(body):
    """Put this visitor's CSRF token and a new form token into a cached blank form."""
    return body.replace(CSRF_SLOT.encode(), csrf_token().encode()).replace(
        FORM_TOKEN_SLOT.encode(), uuid.uuid4().hex.encode()
    )


@bp.get("")
@cached_page(vary=is_kiosk_screen, fill=fill_tokens)
def form():
    """Show an empty suggestion form, noting the exhibit it comes from (rendered once, filled per visitor)."""
    return render_form(slots=True)


@bp.post("")
def submit():
    """Check a suggestion; keep it and answer with its receipt, or show the form again with messages."""
    data = suggestion_rules.read_form(request.form)
    errors = suggestion_rules.check(data)
    shown = suggestion_rules.shown_values(request.form, data)
    if errors:
        return render_form(shown, errors, 422)
    config = current_app.config
    if not is_loopback():
        wait = rate_limit.retry_after(
            request.remote_addr, config["KIOSK_SUGGEST_RATE_LIMIT"], config["KIOSK_SUGGEST_RATE_WINDOW"]
        )
        if wait:
            return render_form(shown, {}, 429, f"提交太频繁了，请 {wait} 秒后再点“提交”，您填写的内容还在。")
    related = related_achievement(request.form.get("from"))
    try:
        receipt = suggestion_store.keep(
            get_db(),
            data,
            kiosk_id=config["KIOSK_ID"],
            event_id=config["KIOSK_EVENT_ID"],
            source="kiosk" if is_kiosk_screen() else "phone",
            form_token=(request.form.get("form_token") or uuid.uuid4().hex)[:64],
            related_achievement_id=related[0] if related else None,
            honeypot=bool(request.form.get(HONEYPOT)),
        )
    except (sqlite3.OperationalError, OSError) as e:
        if not suggestion_store.storage_trouble(e):
            raise
        # Nothing was acknowledged, so nothing is lost: the visitor keeps every word and may send it again.
        current_app.logger.error("建议未能保存（存储问题）：%s", e)
        return render_form(shown, {}, 503, NOT_STORED)
    usage.count("suggestion", receipt["related_achievement_id"])
    target = url_for("suggest.receipt", suggestion_uuid=receipt["uuid"])
    if request.headers.get("HX-Request"):
        response = make_response("", 200)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target, 303)


@bp.errorhandler(CSRFError)
def expired_form(e):
    """Show the typed suggestion again with a fresh token: an expired page must not lose it."""
    data = suggestion_rules.shown_values(request.form, suggestion_rules.read_form(request.form))
    return render_form(data, {}, 400, "页面停留太久已过期，您填写的内容还在，请再点一次“提交”。")


@bp.get("/receipt/<suggestion_uuid>")
def receipt(suggestion_uuid):
    """Show the receipt of a kept suggestion: its short number and a QR code of it."""
    found = suggestion_store.find_receipt(get_db(), suggestion_uuid)
    if found is None:
        abort(404)
    # A phone that scans it opens this same receipt on the kiosk's LAN address.
    url = public_url(current_app.config) + url_for("suggest.receipt", suggestion_uuid=found["uuid"])
    return render_template(
        "suggest/receipt.html",
        receipt=found,
        qr=qr_svg(url),
        qr_url=url,
        related=related_achievement(found["related_achievement_id"]),
    )
