"""The kiosk as staff start it: `python run.py` imports the demo pack on a first start and serves offline."""

import http.client
import os
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing

import pytest

from tests.support import ROOT, free_port, start_run_py, stop_run_py


@pytest.fixture
def running_kiosk(tmp_path):
    """Start run.py on a fresh instance folder; yield (port, process), process.screen_port set; stop it after."""
    process = start_run_py(tmp_path)
    yield process.port, process
    stop_run_py(process)


def get(port, path, headers=None):
    """Send one GET to the kiosk and return (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def thread_affinities(pid):
    """Return the set of CPU sets of every thread of a process."""
    return {frozenset(os.sched_getaffinity(int(tid))) for tid in os.listdir(f"/proc/{pid}/task")}


def test_first_start_imports_the_demo_pack_and_serves_it(running_kiosk, tmp_path):
    port, process = running_kiosk
    # Every thread (waitress workers, usage flusher) on one CPU, the last one this machine offers.
    assert thread_affinities(process.pid) == {frozenset({max(os.sched_getaffinity(0))})}
    status, headers, body = get(port, "/")
    html = body.decode()
    assert status == 200 and "一等奖" in html and html.count('class="card-title"') >= 8
    assert "server" not in headers
    assert (tmp_path / "instance" / "kiosk.db").exists()
    secret = tmp_path / "instance" / "secret_key"
    assert secret.exists() and oct(secret.stat().st_mode & 0o777) == "0o600"
    assert not (ROOT / "instance" / "secret_key").exists() or ROOT / "instance" != tmp_path / "instance"


def test_video_range_over_waitress(running_kiosk):
    port, _ = running_kiosk
    _, _, body = get(port, "/")
    detail = body.decode().split('href="/a/')[1].split('"')[0]
    _, _, page = get(port, f"/a/{detail}")
    video = page.decode().split("<video")[1].split('src="')[1].split('"')[0]
    status, headers, data = get(port, video, {"Range": "bytes=0-1023"})
    assert status == 206 and len(data) == 1024 and headers["content-range"].startswith("bytes 0-1023/")
    size = int(headers["content-range"].split("/")[1])
    status, headers, _ = get(port, video, {"Range": f"bytes={size}-"})
    assert status == 416 and "server" not in headers
    status, headers, data = get(port, video)
    assert status == 200 and len(data) == size and headers["accept-ranges"] == "bytes"


def test_a_wrong_cpu_setting_stops_the_start_with_a_clear_message(tmp_path):
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"), "KIOSK_SERVER_CPUS": "9999"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "--port", str(free_port())],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "无法启动" in done.stderr and "可用的 CPU" in done.stderr
    assert "Traceback" not in done.stderr


def test_usage_figures_are_stored_under_any_wsgi_server_not_only_run_py(tmp_path, demo_instance):
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    port = free_port()
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance)}
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "kiosk", "run", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert get(port, "/a/JS2024-001")[0] == 200
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with closing(sqlite3.connect(instance / "kiosk.db")) as db:
                stored = db.execute(
                    "SELECT value FROM usage_counts WHERE achievement_id = 'JS2024-001' AND metric = 'detail_view'"
                ).fetchone()
            if stored:
                break
            time.sleep(0.5)
        # Still running: written by the app's own writer, not at exit.
        assert stored == (1,) and process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=10)


def files_open_in(pid, folder):
    """Return the files (deleted ones included) the process holds open in folder."""
    found = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)):
            found.append(target)
    return found


def test_an_oversize_body_is_refused_before_it_is_stored_anywhere(running_kiosk, tmp_path):
    port, process = running_kiosk
    spooled = []
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(
            b"POST /suggest HTTP/1.1\r\nHost: kiosk\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 300000000\r\n\r\n"
        )
        try:
            for _ in range(160):  # 10 MB of the announced 300 MB
                s.sendall(b"a" * 65536)
                spooled += files_open_in(process.pid, tmp_path / "spool")
        except OSError:
            pass  # the kiosk stopped reading and closed: what it should do
        try:
            answer = s.recv(4096)
        except OSError:
            answer = b""
    assert spooled == [], "the body was written to a temporary file"
    assert answer.startswith(b"HTTP/1.1 413") or answer == b""
    assert get(port, "/")[0] == 200


def test_phones_holding_every_connection_cannot_starve_the_kiosk_screen(running_kiosk):
    port, process = running_kiosk
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    held = []
    try:
        for _ in range(2000):  # idle and half-open connections, never a whole request
            s = socket.socket()
            s.setblocking(False)
            s.connect_ex(("127.0.0.1", port))
            held.append(s)
        time.sleep(1)  # let the kiosk accept what it will
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        try:
            with pytest.raises(OSError):  # the attack works on the phones' port ...
                conn.request("GET", "/")
                conn.getresponse().read()
        finally:
            conn.close()
        for _ in range(20):  # ... and the kiosk's own screen does not notice
            for path in ("/", "/a/TJ2024-001"):
                started = time.monotonic()
                assert get(process.screen_port, path)[0] == 200
                assert time.monotonic() - started < 1
    finally:
        for s in held:
            s.close()


def test_one_address_holding_thousands_of_connections_leaves_the_others_served(running_kiosk):
    port, _ = running_kiosk
    resource.setrlimit(resource.RLIMIT_NOFILE, (4096, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    held = []
    try:
        for _ in range(2000):  # one hostile address (127.0.0.2 is this machine's own loopback)
            s = socket.socket()
            s.setblocking(False)
            s.bind(("127.0.0.2", 0))
            s.connect_ex(("127.0.0.1", port))
            held.append(s)
        time.sleep(1)
        for _ in range(20):  # another address keeps being served on the same port
            for path in ("/", "/a/TJ2024-001"):
                started = time.monotonic()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.3", 0))
                try:
                    conn.request("GET", path)
                    assert conn.getresponse().status == 200
                finally:
                    conn.close()
                assert time.monotonic() - started < 1
        # The kernel now leaves that address's new connections unanswered, at no cost to the kiosk.
        late = socket.socket()
        late.bind(("127.0.0.2", 0))
        late.settimeout(1)
        with closing(late), pytest.raises(TimeoutError):
            late.connect(("127.0.0.1", port))
    finally:
        for s in held:
            s.close()
    time.sleep(2)  # its connections gone, the address is let in again (checked every second)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5, source_address=("127.0.0.2", 0))
    with closing(conn):
        conn.request("GET", "/")
        assert conn.getresponse().status == 200


def closed_after(sock, trickle=None, limit=20):
    """Return seconds until the kiosk closes sock (sending trickle one byte a second meanwhile), or None."""
    sock.settimeout(1)
    started = time.monotonic()
    sent = 0
    while time.monotonic() - started < limit:
        try:
            if trickle and sent < len(trickle):
                sock.send(trickle[sent : sent + 1])
                sent += 1
            data = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return time.monotonic() - started
        if not data:
            return time.monotonic() - started
    return None


def test_phones_idle_and_slow_requests_are_closed_within_seconds(running_kiosk):
    port, process = running_kiosk
    idle = socket.create_connection(("127.0.0.1", port))  # connects and says nothing
    slowloris = socket.create_connection(("127.0.0.1", port))  # a header byte every second, never done
    kept = socket.create_connection(("127.0.0.1", port))  # one whole request, then keep-alive and silence
    kept.sendall(b"GET /attract HTTP/1.1\r\nHost: kiosk\r\n\r\n")
    screen = socket.create_connection(("127.0.0.1", process.screen_port))  # the touchscreen's own, idle
    trickle = b"GET / HTTP/1.1\r\nHost: kiosk\r\nX-Slow: " + b"a" * 100
    with closing(idle), closing(slowloris), closing(kept), closing(screen):
        results = {}
        threads = [
            threading.Thread(target=lambda k=k, s=s, t=t: results.__setitem__(k, closed_after(s, t)))
            for k, s, t in (("idle", idle, None), ("slowloris", slowloris, trickle), ("kept", kept, None))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert all(results[k] is not None and results[k] < 14 for k in results), results
        assert results["slowloris"] > 8, results  # ... not before its 10 s
        screen.settimeout(0.1)
        with pytest.raises(TimeoutError):  # the touchscreen's idle connection is still open
            screen.recv(1)
    assert get(port, "/")[0] == 200


def test_the_demo_pack_comes_only_on_the_very_first_start(tmp_path):
    import run
    from kiosk.packs.library import remove_pack
    from tests.support import make_test_app

    app = make_test_app(tmp_path / "instance")
    run.import_demo_if_empty(app)
    with app.app_context():
        from kiosk.db import get_db

        assert get_db().execute("SELECT COUNT(*) FROM achievements").fetchone()[0] == 8
        remove_pack(get_db(), "demo-2024")  # staff removed it
    run.import_demo_if_empty(make_test_app(tmp_path / "instance"))  # the next start
    with app.app_context():
        assert get_db().execute("SELECT COUNT(*) FROM achievements").fetchone()[0] == 0
