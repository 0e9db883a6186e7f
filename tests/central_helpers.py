"""Helpers for the central receiver's tests: run it as a real process, speak HTTP to it, make bundles."""

import hashlib
import http.client
import json
import os
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from dataclasses import dataclass, field

from central.testing.receiver import ReceiverProcess
from tests.support import ROOT

TOKENS = {"hall-a-1": "token-for-hall-a-1-0123456789", "hall-b-2": "token-for-hall-b-2-0123456789"}
KIOSK = "hall-a-1"


@dataclass
class Reply:
    """An HTTP answer: status, headers with lower-case names, raw body."""

    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        """Return the body parsed as JSON."""
        return json.loads(self.body)


def suggestion(**changes):
    """Return a valid Suggestion for hall-a-1 with a fresh uuid, with changes applied (None removes a key)."""
    item = {
        "uuid": str(uuid.uuid4()),
        "kiosk_id": KIOSK,
        "event_id": "tj-2024-expo",
        "created_at": "2024-10-21T10:42:07+08:00",
        "source": "phone",
        "title": "外业核查照片自动命名",
        "content": "建议把外业核查照片按点位自动命名。",
        "background": "手工命名费时",
        "related_achievement_id": "TJ2024-003",
        "proposer": {"name": "王工", "unit": "测绘院", "phone": "13800000000"},
        "consent": {"authenticity": True, "authorization": True, "contact": True},
        "moderation": "pending",
    }
    item.update(changes)
    return {k: v for k, v in item.items() if v is not None}


def new_key():
    """Return a fresh Idempotency-Key."""
    return str(uuid.uuid4())


class Central:
    """A receiver run as its own process on a free loopback port (central.testing's ReceiverProcess), and HTTP to it."""

    def __init__(self, tmp_path, prefix="", tokens=None, packs=None, faults=None):
        """Start the receiver over a database and tokens file in tmp_path and wait until it listens."""
        self.tmp = tmp_path
        self.db = tmp_path / "central.db"
        self.prefix = prefix.rstrip("/")
        (tmp_path / "tokens.json").write_text(json.dumps(tokens or TOKENS), encoding="utf-8")
        self.log_path = tmp_path / "central.log"
        self.server = ReceiverProcess(
            self.db, tmp_path / "tokens.json", self.log_path, packs=packs, faults=faults, prefix=prefix
        ).start()
        self.port, self.url = self.server.port, self.server.url

    def stop(self):
        """Stop the process and close its pipe."""
        self.server.stop()

    def request(self, method, path, body=None, headers=None, kiosk=KIOSK, timeout=10, raw_path=False):
        """Send one request with kiosk's token (kiosk=None: no token) and return the Reply."""
        sent = {"Authorization": f"Bearer {TOKENS[kiosk]}"} if kiosk else {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode()
            sent["Content-Type"] = "application/json"
        sent.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path if raw_path else self.prefix + path, body=body, headers=sent)
            response = conn.getresponse()
            data = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()

    def push(self, items, key=None, kiosk=KIOSK, path_kiosk=None, **kwargs):
        """POST a batch of suggestions and return the Reply."""
        return self.request(
            "POST",
            f"/api/v1/kiosks/{path_kiosk or kiosk}/suggestions",
            {"items": items},
            {"Idempotency-Key": key or new_key()},
            kiosk=kiosk,
            **kwargs,
        )

    def put_stats(self, date, body, kiosk=KIOSK):
        """PUT a day's usage figures and return the Reply."""
        return self.request("PUT", f"/api/v1/kiosks/{kiosk}/stats/{date}", body, kiosk=kiosk)

    def rows(self, sql, params=()):
        """Return the rows a query finds in the receiver's database."""
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


def statuses(reply):
    """Return the statuses of a 200 answer's results, in order."""
    assert reply.status == 200, (reply.status, reply.body)
    return [r["status"] for r in reply.json()["results"]]


def write_bundle(path, suggestions, stats=(), kiosk=KIOSK, tamper=False, **bundle_keys):
    """Write a bundle zip as a kiosk would; tamper changes bundle.json after its checksum was taken."""
    body = {
        "format": "wuxiao-bundle/1",
        "kiosk_id": kiosk,
        "created_at": "2024-10-22T18:00:00+08:00",
        "suggestions": list(suggestions),
        "stats": list(stats),
        **bundle_keys,
    }
    data = json.dumps(body, ensure_ascii=False, indent=1).encode()
    sums = f"{hashlib.sha256(data).hexdigest()}  bundle.json\n"
    if tamper:
        data = data.replace("外业".encode(), "内业".encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bundle.json", data)
        z.writestr("SHA256SUMS", sums)
    return path


def import_bundle(path, db, *options):
    """Run `python -m central import-bundle` and return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "central", "import-bundle", str(path), "--db", str(db), *options],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def write_faults(path, plan):
    """Replace the faults file in one step, so the receiver never reads half of it."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps(plan), encoding="utf-8")
    os.replace(temp, path)


def write_pack(path, pack_id, version, title, folder=""):
    """Write a small pack zip with pack.json (inside folder if given) and 128 KB of media bytes."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            f"{folder}pack.json",
            json.dumps(
                {"format": "wuxiao-pack/1", "pack_id": pack_id, "version": version, "title": title, "achievements": []}
            ),
        )
        z.writestr(f"{folder}media/clip.bin", hashlib.sha256(pack_id.encode()).digest() * 4000)
    return path
