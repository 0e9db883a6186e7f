"""The screen's supervisor: runs the kiosk browser (cage + Chromium), and starts it again when it exits or its
page stops beating. `python -m kiosk.appliance.screen [options] -- BROWSER COMMAND…`

The kiosk app being away is not the browser's fault: its page shows 正在重新连接 and returns by itself, so
the browser is left alone while the health URL does not answer (systemd restarts the app).

The screen's rotation comes from the kiosk's settings (through its health) each time the browser starts; when
staff change it, the screen starts again turned (with --exit-on-rotation the supervisor exits instead, so
systemd starts the whole screen service again and its touchscreen rule is written first)."""

import argparse
import os
import signal
import subprocess
import threading
import time

from kiosk.appliance import health_read, rotation

DEFAULT_HEALTH = "http://127.0.0.1:8081/health.json"


def log(text):
    """Write one line to the journal (stdout under systemd)."""
    print(f"[screen] {text}", flush=True)


def seconds_since_beat(health_url, timeout=3.0):
    """Return (app answers, seconds since the page's last beat or None) from the kiosk's health."""
    body = health_read.read(health_url, timeout)
    return body is not None, (body or {}).get("screen_seconds_since_beat")


def cage_help(command):
    """Return what `cage -h` prints when the screen command runs cage (its flags differ by version), else ""."""
    at = rotation.cage_at(command)
    if at is None:
        return ""
    try:
        out = subprocess.run([command[at], "-h"], capture_output=True, text=True, timeout=10, check=False)
    except OSError:
        return ""
    return out.stdout + out.stderr


def hung(started, now, app_up, since_beat, grace, hang_seconds):
    """Return whether the page counts as hung: the app answers, the browser had its grace to load, no fresh beat.

    A beat older than the browser's own life is a former page's, so it counts as none."""
    if not app_up or now - started < grace:
        return False
    return since_beat is None or since_beat > min(hang_seconds, now - started)


def stop(child):
    """Kill the browser and everything it started (its own process group); wait for it."""
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    child.wait()


def watch(child, started, turned, health_url, hang_seconds, grace, poll, pause, stopping):
    """Return why the browser ended: "exited", "hung" (killed), "rotation" (killed: staff turned the screen) or
    "stopping"."""
    while not stopping.wait(poll):
        code = child.poll()
        if code is not None:
            log(f"浏览器已退出（代码 {code}），{pause:g} 秒后重新启动")
            return "exited"
        body = health_read.read(health_url)
        since_beat = (body or {}).get("screen_seconds_since_beat")
        if rotation.from_health(body, turned) != turned:
            log(f"屏幕方向已改为 {rotation.from_health(body, turned)}°，重新启动屏幕")
            stop(child)
            return "rotation"
        if hung(started, time.monotonic(), body is not None, since_beat, grace, hang_seconds):
            log(f"页面已 {since_beat if since_beat is not None else '—'} 秒没有心跳，重新启动浏览器")
            stop(child)
            return "hung"
    return "stopping"


def supervise(
    command, health_url, hang_seconds, grace, poll, pause, rounds=None, stopping=None, exit_on_rotation=False
):
    """Run command again and again, turned as the kiosk's settings say: after it exits, when its page hangs, or
    when the rotation changes; return after rounds runs, once stopping is set (the browser is stopped too), or
    on a rotation change with exit_on_rotation."""
    stopping = stopping or threading.Event()
    flags = cage_help(command)
    done, turned = 0, 0
    while (rounds is None or done < rounds) and not stopping.is_set():
        turned = rotation.from_health(health_read.read(health_url), turned)
        started = time.monotonic()
        child = subprocess.Popen(rotation.cage_args(command, turned, flags), start_new_session=True)
        log(f"浏览器已启动（进程 {child.pid}，屏幕方向 {turned}°）")
        try:
            why = watch(child, started, turned, health_url, hang_seconds, grace, poll, pause, stopping)
        finally:  # stopping, or stopped ourselves: the browser goes with us
            if child.poll() is None:
                stop(child)
        done += 1
        if why == "rotation" and exit_on_rotation:
            break
        stopping.wait(pause)
    return done


def main(argv=None):
    """Parse options and supervise the browser command until stopped."""
    parser = argparse.ArgumentParser(description="展示端屏幕守护：浏览器退出或页面卡死时重新启动浏览器")
    parser.add_argument("--health", default=DEFAULT_HEALTH, help=f"the kiosk's health URL (default {DEFAULT_HEALTH})")
    parser.add_argument("--hang-seconds", type=float, default=30, help="no beat for this long: restart (default 30)")
    parser.add_argument("--grace", type=float, default=60, help="seconds a new browser has to load (default 60)")
    parser.add_argument("--poll", type=float, default=2, help="seconds between checks (default 2)")
    parser.add_argument("--pause", type=float, default=2, help="seconds before a restart (default 2)")
    parser.add_argument(
        "--exit-on-rotation",
        action="store_true",
        help="exit when staff change the rotation, so the service starts again (and turns the touchscreen first)",
    )
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the browser command")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("缺少浏览器命令（写在 -- 之后）")
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    supervise(
        command,
        args.health,
        args.hang_seconds,
        args.grace,
        args.poll,
        args.pause,
        stopping=stopping,
        exit_on_rotation=args.exit_on_rotation,
    )


if __name__ == "__main__":
    main()
