"""The app's unit under a real systemd: systemd 252 booted as PID 1 of throw-away PID, mount and network
namespaces (its own /run, /var/lib and cgroup2; only loopback). The kiosk killed with SIGKILL comes back by
itself (Restart=always), and a kiosk that stops answering (frozen with SIGSTOP) stops its watchdog beats and is
killed and restarted by systemd (WatchdogSec)."""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.support import ROOT, wait_for

SYSTEMD = "/lib/systemd/systemd"
pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="boots systemd in namespaces: needs root (CI runs as root)"),
    pytest.mark.skipif(not os.path.exists(SYSTEMD) or not shutil.which("nsenter"), reason="needs systemd, nsenter"),
]
# Only what the kiosk needs to be a service here: its own runtime and state folders, cgroup2, and loopback; the
# checkout is where the installer puts the program (it may live under /tmp, which PrivateTmp= hides).
# SYSTEMD_UNIT_PATH holds the only units this systemd knows (the kiosk's and stubs of the targets every service
# depends on): the machine's own (sysinit.target's tmpfiles, udev, journald…) must never run, as they would act on
# the real /tmp, /var and devices, which these namespaces share.
BOOT = """set -e
ip link set lo up
mount -t tmpfs tmpfs /run
mkdir -p /run/wuxiao-units
mount -t tmpfs tmpfs /var/lib
mount -t tmpfs tmpfs /opt
mkdir -p /opt/wuxiao-kiosk/current
mount --bind {checkout} /opt/wuxiao-kiosk/current
mount -t tmpfs tmpfs /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
cp -r {units}/. /run/wuxiao-units/
export container=wuxiao-test SYSTEMD_UNIT_PATH=/run/wuxiao-units
exec {systemd} --system --unit=wuxiao-test.target --log-target=console --log-level=notice
"""
STUB = "[Unit]\nDescription=stub of {name}\nDefaultDependencies=no\n"
STUBS = ("wuxiao-test.target", "sysinit.target", "basic.target", "shutdown.target")
# The watchdog of the real unit is 30 s; here 8 s, so the test waits less for the same mechanism. No journald
# runs here, so the kiosk's output goes to a file.
FASTER = "[Service]\nWatchdogSec=8\nStandardOutput=append:/run/wuxiao-kiosk.log\nStandardError=inherit\n"


def unit_for_here(text):
    """Return the app's unit as installed, but for its user (the checkout may not be readable by `wuxiao`, who does
    not exist here) and, without a .venv in the checkout, this Python."""
    if not (ROOT / ".venv/bin/python").exists():
        text = text.replace("/opt/wuxiao-kiosk/current/.venv/bin/python", sys.executable)
    return "".join(line + "\n" for line in text.splitlines() if not line.startswith(("User=", "Group=")))


@pytest.fixture
def booted(tmp_path):
    """Boot systemd as PID 1 of new namespaces with the kiosk's unit; yield a function running systemctl there."""
    units = tmp_path / "units"
    (units / "wuxiao-kiosk.service.d").mkdir(parents=True)
    unit = (ROOT / "deploy/systemd/wuxiao-kiosk.service").read_text(encoding="utf-8")
    (units / "wuxiao-kiosk.service").write_text(unit_for_here(unit), encoding="utf-8")
    (units / "wuxiao-kiosk.service.d" / "faster.conf").write_text(FASTER, encoding="utf-8")
    for name in STUBS:
        (units / name).write_text(STUB.format(name=name), encoding="utf-8")
    boot = BOOT.format(units=units, systemd=SYSTEMD, checkout=ROOT)
    log = open(tmp_path / "systemd.log", "wb")  # noqa: SIM115  (closed after the boot is over)
    init = subprocess.Popen(
        ["unshare", "--pid", "--fork", "--mount", "--net", "--uts", "--ipc", "--mount-proc", "--propagation", "private"]
        + ["bash", "-c", boot],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    pid = None

    def systemctl(*args, timeout=120):
        """Run systemctl inside the booted namespaces; return its output."""
        done = subprocess.run(
            ["nsenter", "-t", str(pid), "-m", "-p", "-n", "systemctl", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        return done.stdout.strip() or done.stderr.strip()

    sentinel = Path(tempfile.gettempdir()) / f"wuxiao-sentinel-{os.getpid()}"
    sentinel.write_text("the machine's /tmp must survive this boot")
    try:
        deadline = time.monotonic() + 30
        while pid is None and time.monotonic() < deadline:
            found = subprocess.run(["pgrep", "-f", f"^{SYSTEMD} --system --unit=wuxiao-test"], capture_output=True)
            pid = int(found.stdout.split()[0]) if found.stdout.split() else None
            time.sleep(0.3)
        assert pid, (tmp_path / "systemd.log").read_text(errors="replace")
        while systemctl("is-system-running") not in ("running", "degraded") and time.monotonic() < deadline:
            time.sleep(0.3)
        # MainPID is a PID of the booted namespace: signals go in through nsenter, never os.kill out here.
        systemctl.kill = lambda main_pid, signal: subprocess.run(
            ["nsenter", "-t", str(pid), "-p", "-m", "kill", f"-{signal}", main_pid], check=True
        )
        yield systemctl
    finally:
        if pid:
            os.kill(pid, 9)  # PID 1 of its namespace: everything in it goes too
        init.wait(timeout=30)
        log.close()
        for private in Path(tempfile.gettempdir()).glob("systemd-private-*-wuxiao-kiosk.service-*"):
            shutil.rmtree(private, ignore_errors=True)  # PrivateTmp's, left by the killed PID 1
        assert sentinel.exists(), "the boot touched the machine's /tmp"
        sentinel.unlink()


def state(systemctl):
    """Return the kiosk unit's ActiveState, SubState, MainPID and NRestarts."""
    shown = systemctl("show", "wuxiao-kiosk.service", "-p", "ActiveState,SubState,MainPID,NRestarts")
    return dict(line.split("=", 1) for line in shown.splitlines())


def test_systemd_restarts_a_killed_kiosk_and_one_whose_watchdog_stops(booted):
    systemctl = booted
    started = time.monotonic()
    systemctl("start", "wuxiao-kiosk.service", timeout=300)  # Type=notify: returns once run.py sent READY=1
    first = state(systemctl)
    assert first["ActiveState"] == "active" and first["SubState"] == "running", (first, systemctl("status"))
    print(f"started (READY=1) after {time.monotonic() - started:.1f} s")

    systemctl.kill(first["MainPID"], "KILL")  # the kiosk process dies
    killed = time.monotonic()
    again = wait_for(lambda: (s := state(systemctl))["ActiveState"] == "active" and s["MainPID"] != first["MainPID"]
                     and s["MainPID"] != "0" and s, 60)  # fmt: skip
    assert again and int(again["NRestarts"]) == 1, state(systemctl)
    print(f"back after SIGKILL in {time.monotonic() - killed:.1f} s")

    systemctl.kill(again["MainPID"], "STOP")  # alive but answering nothing, as a deadlocked server
    frozen = time.monotonic()
    third = wait_for(lambda: (s := state(systemctl))["ActiveState"] == "active" and s["MainPID"] not in
                     (again["MainPID"], "0") and s, 90)  # fmt: skip
    assert third and int(third["NRestarts"]) == 2, state(systemctl)
    took = time.monotonic() - frozen
    # A stopped process cannot exit by itself: only the watchdog (8 s here, 30 s installed) ends it.
    assert took >= 7, "systemd waited for the watchdog's time before killing it"
    print(f"back after the watchdog ran out in {took:.1f} s")
