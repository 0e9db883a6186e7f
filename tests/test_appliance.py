"""The kiosk as an appliance: systemd's readiness and watchdog from run.py, the screen's heartbeat and health,
and the screen supervisor restarting a real Chromium that exits or whose page hangs."""

import os
import signal
import socket
import threading
import time

import pytest

from kiosk.appliance import notify, screen
from kiosk.testing import hang
from tests.staff_helpers import sign_in, store_pin
from tests.suggest_helpers import PHONE_CLIENT as PHONE
from tests.support import make_test_app, start_run_py, stop_run_py, wait_for

CHROMIUM = ["/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]


@pytest.fixture
def notify_socket(tmp_path):
    """Bind a datagram socket as systemd's notify socket; yield (socket, its path); close it after."""
    path = tmp_path / "notify"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as s:
        s.bind(str(path))
        s.settimeout(0.5)
        yield s, str(path)


def messages(s, until, wanted):
    """Collect datagrams until wanted(messages) or the deadline; return them."""
    got = []
    while time.monotonic() < until and not wanted(got):
        try:
            got.append(s.recv(4096).decode())
        except TimeoutError:
            pass
    return got


def test_run_py_tells_systemd_it_is_ready_and_beats_the_watchdog(tmp_path, notify_socket):
    sock, path = notify_socket
    process = start_run_py(tmp_path, env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"})
    try:
        got = messages(sock, time.monotonic() + 20, lambda m: sum("WATCHDOG=1" in x for x in m) >= 3)
    finally:
        stop_run_py(process)
    ready = next(m for m in got if "READY=1" in m)
    assert "STATUS=展示端已启动" in ready
    assert sum(m == "WATCHDOG=1" for m in got) >= 3, got
    assert got.index(ready) < next(i for i, m in enumerate(got) if m == "WATCHDOG=1")


def test_the_watchdog_does_not_beat_for_a_kiosk_that_does_not_answer(notify_socket):
    sock, path = notify_socket
    with socket.socket() as dead:
        dead.bind(("127.0.0.1", 0))
        dead.listen(0)  # accepts into the backlog and never answers: a server whose workers are all stuck
        url = f"http://127.0.0.1:{dead.getsockname()[1]}/health"
        started = time.monotonic()
        assert notify.beat(url, {"NOTIFY_SOCKET": path}) is False
        assert time.monotonic() - started >= notify.HEALTH_TIMEOUT - 0.5
    assert messages(sock, time.monotonic() + 1, lambda m: m) == ["STATUS=展示端没有应答健康检查，等待看门狗重启"]


def test_without_systemd_nothing_is_sent_and_no_watchdog_runs():
    assert notify.notify("READY=1", {}) is False
    assert notify.watchdog_interval({}) is None
    assert notify.watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}) is None
    assert notify.watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert notify.start_watchdog("http://127.0.0.1:9/health", {}) is None


def test_the_screen_beats_and_the_health_says_so_to_this_machine_only(demo_client):
    body = demo_client.get("/health.json").get_json()
    assert body["app"] == "ok" and body["screen_seconds_since_beat"] is None
    assert demo_client.get("/screen/alive?w=1920&h=1080").get_json() == {"open": True}
    body = demo_client.get("/health.json").get_json()
    assert body["screen"] == {"open": True, "hours": "", "why": "", "rotation": 0, "size": [1920, 1080]}
    assert 0 <= body["screen_seconds_since_beat"] < 5
    assert body["disk_free_bytes"] > 0 and body["phones_url"] and "clock" in body
    assert demo_client.get("/screen/alive", environ_base=PHONE).status_code == 404
    assert demo_client.get("/health.json", environ_base=PHONE).status_code == 404
    html = demo_client.get("/attract").get_data(as_text=True)
    assert "/static/alive.js" in html


def test_a_page_counts_as_hung_only_after_its_grace_and_while_the_app_answers():
    assert not screen.hung(0, 10, True, None, grace=60, hang_seconds=30)  # still loading
    assert screen.hung(0, 61, True, None, grace=60, hang_seconds=30)  # loaded and never beat
    assert not screen.hung(0, 100, True, 4, grace=60, hang_seconds=30)
    assert screen.hung(0, 100, True, 31, grace=60, hang_seconds=30)
    assert not screen.hung(0, 100, False, None, grace=60, hang_seconds=30)  # the app is away: not the browser
    assert screen.hung(0, 20, True, 25, grace=5, hang_seconds=30)  # a beat older than this browser


@pytest.fixture
def hang_server(demo_instance, tmp_path):
    """Serve the demo kiosk with the test-only hanging page, with waitress; yield its URL."""
    import shutil

    from waitress.server import create_server

    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    app = make_test_app(instance)
    app.register_blueprint(hang.bp)
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="")
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture
def supervisor(tmp_path):
    """Return a function that starts the supervisor over headless Chromium in a thread; stop it after."""
    runs = []

    def start(url, page, rounds, hang_seconds=7):
        command = [*CHROMIUM, f"--user-data-dir={tmp_path / 'profile'}", url + page]
        stopping, done = threading.Event(), {}

        def run():
            done["rounds"] = screen.supervise(
                command, url + "/health.json", hang_seconds, 4, 0.5, 0.5, rounds, stopping=stopping
            )

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        runs.append((thread, stopping))
        return thread, done

    yield start
    for thread, stopping in runs:
        stopping.set()
        thread.join(timeout=20)


def beats(url):
    """Return the seconds since the screen last beat, from the health."""
    return screen.seconds_since_beat(url + "/health.json")[1]


@pytest.mark.browser
def test_a_hung_page_gets_its_browser_restarted_and_the_screen_beats_again(hang_server, supervisor, capsys):
    thread, done = supervisor(hang_server, "/testing/hang?after=3", rounds=2)
    thread.join(timeout=60)
    assert done.get("rounds") == 2, capsys.readouterr().out
    out = capsys.readouterr().out
    assert out.count("浏览器已启动") == 2 and out.count("秒没有心跳，重新启动浏览器") == 2, out


def started_pids(out):
    """Return the pids of the browsers the supervisor's log says it started."""
    return [int(part.split("，")[0]) for part in out.split("浏览器已启动（进程 ")[1:]]


@pytest.mark.browser
def test_a_browser_that_exits_is_started_again(hang_server, supervisor, capsys):
    thread, done = supervisor(hang_server, "/attract", rounds=2)
    assert wait_for(lambda: (beats(hang_server) or 99) < 2), "the attract loop beats"
    log = [capsys.readouterr().out]
    os.killpg(started_pids(log[0])[0], signal.SIGKILL)  # the browser crashes
    killed_at = time.monotonic()
    assert wait_for(lambda: log.append(capsys.readouterr().out) or len(started_pids("".join(log))) == 2)
    assert "浏览器已退出（代码 -9）" in "".join(log)
    assert wait_for(lambda: (beats(hang_server) or 99) < time.monotonic() - killed_at), "the new page beats"
    os.killpg(started_pids("".join(log))[1], signal.SIGKILL)  # end the second round
    thread.join(timeout=10)
    assert done.get("rounds") == 2


def test_staff_see_the_screen_s_heartbeat_on_their_home(demo_app, demo_client):
    store_pin(demo_app)
    sign_in(demo_client)
    assert "还没有收到屏幕心跳" in demo_client.get("/staff/suggestions").get_data(as_text=True)
    demo_client.get("/screen/alive")
    assert "正常（0 秒前有心跳）" in demo_client.get("/staff/suggestions").get_data(as_text=True)
