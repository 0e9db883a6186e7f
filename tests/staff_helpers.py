"""Helpers for the staff tests: set a PIN, sign in, and put suggestions straight into the database."""

import http.cookiejar
import itertools
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid as uuids
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

from werkzeug.security import generate_password_hash

from kiosk.db import DB_FILE, connect, db_path

PIN = "86420135"
CHINA = timezone(timedelta(hours=8))
START = datetime(2024, 10, 21, 9, 0, tzinfo=CHINA)
_seq = itertools.count(1)


def database(target):
    """Open the kiosk database of an app, or of an instance folder given as a path."""
    return closing(connect(db_path(target) if hasattr(target, "instance_path") else Path(target) / DB_FILE))


def store_pin(app, pin=PIN):
    """Store the hash of pin as the staff PIN, as `staff set-pin` does but with a cheap hash (tests sign in often)."""
    hashed = generate_password_hash(pin, method="pbkdf2:sha256:1000")
    with database(app) as db:
        db["settings"].upsert({"key": "staff_pin_hash", "value": hashed}, pk="key")


def token(client):
    """Return the client's CSRF token, giving its session one as a page would."""
    with client.session_transaction() as session:
        return session.setdefault("csrf_token", secrets.token_urlsafe(32))


def sign_in(client, pin=PIN, **kwargs):
    """Post pin to the login form with this session's CSRF token; return the response."""
    return client.post("/staff/login", data={"csrf_token": token(client), "pin": pin, **kwargs})


def add_suggestion(app, **fields):
    """Insert one suggestion row (minutes apart from the previous one unless created_at is given); return it."""
    n = next(_seq)
    row = {
        "uuid": str(uuids.uuid4()),
        "kiosk_id": "kiosk-1",
        "event_id": "event",
        "created_at": (START + timedelta(minutes=n)).isoformat(),
        "source": "kiosk",
        "receipt_day": "20241021",
        "receipt_seq": n,
        "receipt_no": f"R{n:05d}",
        "title": f"建议{n}",
        "content": f"第{n}条建议的内容",
        "consent_authenticity": 1,
        "consent_authorization": 1,
        "consent_contact": 0,
        "moderation": "pending",
        **fields,
    }
    with database(app) as db:
        db["suggestions"].insert(row)
    return row


def read_suggestion(app, uuid):
    """Return one suggestion row as the database holds it."""
    with database(app) as db:
        return db["suggestions"].get(uuid)


class HttpStaff:
    """A staff member on the kiosk's own screen port, with a session cookie: signs in, saves settings."""

    def __init__(self, screen_port):
        self.base = f"http://127.0.0.1:{screen_port}"
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def page(self, path):
        """Return a page's HTML and its CSRF token."""
        html = self.opener.open(self.base + path, timeout=20).read().decode()
        return html, re.search(r'name="csrf_token" value="([^"]+)"', html)[1]

    def post(self, path, fields, form_page=None):
        """Post a form with the CSRF token of its page (form_page, else path itself); return the answer's HTML."""
        _, token = self.page(form_page or path)
        data = urllib.parse.urlencode({"csrf_token": token, **fields}).encode()
        try:
            return self.opener.open(self.base + path, data=data, timeout=20).read().decode()
        except urllib.error.HTTPError as e:  # a refusal (400) is a page too
            return e.read().decode()
