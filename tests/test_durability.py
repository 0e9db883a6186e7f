"""Never lose one: kill the kiosk (SIGKILL) while visitors submit; every receipt shown is still there after."""

import http.client
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie

from tests.support import ROOT, free_port


def start_kiosk(instance, port):
    """Start run.py on instance and wait until it accepts connections."""
    env = {
        **os.environ,
        "KIOSK_INSTANCE_PATH": str(instance),
        "KIOSK_ID": "hall-a-1",
        "KIOSK_EVENT_ID": "expo",
        "KIOSK_SCREEN_PORT": str(free_port()),
    }
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(port), "--threads", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            probe.request("GET", "/suggest")
            probe.getresponse().read()
            return process
        except OSError:
            time.sleep(0.2)
        finally:
            probe.close()
    raise AssertionError("kiosk did not start")


def visitor(port, receipts, stop, lock):
    """Open the form and submit it, again and again, recording every receipt the kiosk gave."""
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/suggest")
            page = conn.getresponse()
            html = page.read().decode()
            cookie = SimpleCookie(page.getheader("Set-Cookie"))
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
            form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
            content = f"断电测试 {uuid.uuid4()} 内容完整"
            body = urllib.parse.urlencode(
                {
                    "csrf_token": csrf,
                    "form_token": form_token,
                    "content": content,
                    "title": "断电",
                    "consent_authenticity": "1",
                    "consent_authorization": "1",
                }
            )
            conn.request(
                "POST",
                "/suggest",
                body=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items()),
                },
            )
            answer = conn.getresponse()
            answer.read()
            if answer.status == 303:
                with lock:
                    receipts.append((answer.getheader("Location").rsplit("/", 1)[1], content))
        except (OSError, http.client.HTTPException):
            time.sleep(0.05)
        finally:
            conn.close()


def test_sigkill_during_submissions_loses_no_receipted_suggestion(demo_instance, tmp_path):
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    port = free_port()
    process = start_kiosk(instance, port)
    receipts, stop, lock = [], threading.Event(), threading.Lock()
    threads = [threading.Thread(target=visitor, args=(port, receipts, stop, lock), daemon=True) for _ in range(12)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(receipts) < 150 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    with lock:
        acknowledged = list(receipts)
    assert len(acknowledged) >= 150

    process = start_kiosk(instance, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", f"/suggest/receipt/{acknowledged[-1][0]}")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        process.terminate()
        process.wait(timeout=10)

    db = sqlite3.connect(instance / "kiosk.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = dict(db.execute("SELECT uuid, content FROM suggestions").fetchall())
        tokens = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT form_token), COUNT(DISTINCT receipt_no) FROM suggestions"
        ).fetchone()
    finally:
        db.close()
    for suggestion_uuid, content in acknowledged:
        assert stored.get(suggestion_uuid) == content
    assert tokens[0] == tokens[1] == tokens[2]
