"""CSRF protection: every state-changing request carries this session's token, in the form or a header."""

import hmac
import secrets

from flask import request, session
from werkzeug.exceptions import BadRequest

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


class CSRFError(BadRequest):
    """A state-changing request without this session's token (an expired page, or another site)."""

    description = "页面已过期，请刷新后重试。"


def csrf_token():
    """Return this session's CSRF token, making one on first use."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def check_csrf():
    """Refuse a state-changing request whose token is missing or not this session's."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER) or request.form.get(FIELD, "")
    expected = session.get(FIELD)
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise CSRFError()


def init_app(app):
    """Check every request and give templates the token."""
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_token"] = csrf_token
