"""The systemd units the installer puts in place, checked by systemd itself (`systemd-analyze verify`)."""

import configparser
import shutil
import subprocess
import sys

import pytest

from tests.support import ROOT

UNITS = ROOT / "deploy" / "systemd"
PREFIX = "/opt/wuxiao-kiosk/current"
pytestmark = pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")


def render(tmp_path, name, text=None):
    """Write the unit with the install prefix pointed at this checkout and its Python, as the installer would."""
    text = text or (UNITS / name).read_text(encoding="utf-8")
    text = text.replace(f"{PREFIX}/.venv/bin/python", sys.executable).replace(PREFIX, str(ROOT))
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def verify(*paths):
    """Run systemd-analyze verify on unit files; return (exit code, what it said)."""
    done = subprocess.run(["systemd-analyze", "verify", *map(str, paths)], capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def service(name):
    """Return the [Service] section of a unit as a dict (repeated keys: the last)."""
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    return dict(parser["Service"])


ALL = ("wuxiao-kiosk.service", "wuxiao-screen.service", "wuxiao-update.path", "wuxiao-update.service")


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    code, said = verify(*(render(tmp_path, name) for name in ALL))
    assert code == 0 and not said.strip(), said


def test_an_update_request_starts_the_root_updater_which_applies_it():
    path = (UNITS / "wuxiao-update.path").read_text(encoding="utf-8")
    assert "PathExists=/var/lib/wuxiao-kiosk/updates/request.json" in path
    updater = service("wuxiao-update.service")
    assert "User" not in updater and updater["Type"] == "oneshot"  # root: it writes /opt
    assert updater["ExecStart"].endswith("-m kiosk.appliance.update apply-request /var/lib/wuxiao-kiosk")


def test_verify_would_catch_a_broken_unit(tmp_path):
    broken = (UNITS / "wuxiao-kiosk.service").read_text(encoding="utf-8").replace("Type=notify", "Type=notfy")
    code, said = verify(render(tmp_path, "wuxiao-kiosk.service", broken))
    assert code != 0 or "notfy" in said, said


def test_the_app_is_a_watched_unprivileged_service_with_its_data_under_var_lib():
    app = service("wuxiao-kiosk.service")
    assert app["Type"] == "notify" and int(app["WatchdogSec"]) >= 20 and app["Restart"] == "always"
    assert app["User"] not in ("root", "0") and app["StateDirectory"] == "wuxiao-kiosk"
    lines = (UNITS / "wuxiao-kiosk.service").read_text(encoding="utf-8").splitlines()
    assert "Environment=KIOSK_INSTANCE_PATH=/var/lib/wuxiao-kiosk" in lines


def test_the_screen_runs_the_locked_down_browser_under_its_supervisor():
    screen = service("wuxiao-screen.service")
    command = screen["ExecStart"]
    assert "-m kiosk.appliance.screen" in command and "cage -d --" in command and screen["Restart"] == "always"
    for flag in ("--kiosk", "--overscroll-history-navigation=0", "--disable-pinch", "--disable-translate"):
        assert flag in command
    for flag in ("--disable-session-crashed-bubble", "--no-first-run", "--disable-background-networking"):
        assert flag in command
    assert screen["User"] not in ("root", "0")
