"""Screen rotation from settings: cage turns the picture, a udev rule turns the touchscreen with it."""

import itertools
import shutil
import subprocess
import sys

import pytest

from kiosk.appliance import rotation
from tests.support import ROOT, start_run_py, stop_run_py

CAGE_01_HELP = " -d\t Don't draw client side decorations\n -r\t Rotate the output 90 degrees clockwise\n"
CAGE_02_HELP = " -d\t Don't draw client side decorations\n -m extend Extend the display\n -s\t Allow VT switching\n"
SCREEN = ["/usr/bin/cage", "-d", "--", "/usr/bin/chromium", "--kiosk", "http://127.0.0.1:8081/attract"]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_touch_lands_where_the_turned_picture_shows_the_point(turn):
    for x, y in itertools.product((0, 0.25, 1), (0, 0.6, 1)):
        on_panel = rotation.panel_point(turn, x, y)
        assert rotation.calibrated(turn, *on_panel) == pytest.approx((x, y)), (x, y, on_panel)


def test_a_quarter_turn_stands_the_picture_on_its_side():
    # The display turned clockwise: the picture's top-left corner is drawn at the panel's bottom-left.
    assert rotation.panel_point(90, 0, 0) == (0, 1)
    assert rotation.panel_point(180, 0, 0) == (1, 1)


def test_the_rule_names_touchscreens_and_their_matrix_and_no_rule_for_upright(tmp_path):
    assert rotation.udev_rule(0) is None
    rule = rotation.udev_rule(90)
    assert 'ENV{ID_INPUT_TOUCHSCREEN}=="1"' in rule and 'ENV{LIBINPUT_CALIBRATION_MATRIX}="0 -1 1 1 0 0"' in rule
    assert rotation.write_rule(tmp_path, 270) and not rotation.write_rule(tmp_path, 270)  # unchanged: no trigger
    assert "0 1 0 -1 0 1" in (tmp_path / rotation.RULE_FILE).read_text()
    assert rotation.write_rule(tmp_path, 0) and not (tmp_path / rotation.RULE_FILE).exists()


def test_the_screen_service_writes_the_rule_for_the_rotation_the_running_kiosk_names(tmp_path):
    kiosk = start_run_py(tmp_path, env={"KIOSK_SCREEN_ROTATION": "270"})
    try:
        health = f"http://127.0.0.1:{kiosk.screen_port}/health.json"
        command = [sys.executable, "-m", "kiosk.appliance.rotation", "touch", "--health", health]
        run = subprocess.run(
            [*command, "--rules-dir", str(tmp_path / "rules"), "--no-trigger"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        stop_run_py(kiosk)
    assert run.returncode == 0, run.stderr
    assert "触摸屏方向：竖屏（显示器逆时针转 90° 安装）（270°），已更新" in run.stdout
    assert 'LIBINPUT_CALIBRATION_MATRIX}="0 1 0 -1 0 1"' in (tmp_path / "rules" / rotation.RULE_FILE).read_text()


def test_with_no_kiosk_answering_the_touchscreen_stays_upright(tmp_path):
    (tmp_path / rotation.RULE_FILE).write_text("old")
    rotation.main(["touch", "--health", "http://127.0.0.1:9/health.json", "--wait", "0", "--rules-dir", str(tmp_path)])
    assert not (tmp_path / rotation.RULE_FILE).exists()


def test_cage_01_is_turned_with_r_and_cage_02_through_wlr_randr():
    assert rotation.cage_args(SCREEN, 0, CAGE_01_HELP) == SCREEN
    assert rotation.cage_args(SCREEN, 270, CAGE_01_HELP) == ["/usr/bin/cage", "-r", "-r", "-r", *SCREEN[1:]]
    turned = rotation.cage_args(SCREEN, 90, CAGE_02_HELP)
    assert turned[:3] == SCREEN[:3]
    assert turned[3:9] == [sys.executable, "-m", "kiosk.appliance.rotation", "output", "90", "--"]
    assert turned[9:] == SCREEN[3:]
    assert rotation.cage_args(["/usr/bin/chromium", "--kiosk"], 90, CAGE_01_HELP) == ["/usr/bin/chromium", "--kiosk"]
    as_user = ["runuser", "-u", "kiosk", "--", "env", "A=1", *SCREEN]
    assert rotation.cage_args(as_user, 90, CAGE_01_HELP) == [*as_user[:6], "/usr/bin/cage", "-r", *SCREEN[1:]]
    assert rotation.cage_args(as_user, 90, CAGE_02_HELP)[9:12] == [sys.executable, "-m", "kiosk.appliance.rotation"]


def test_wlr_randr_s_outputs_are_read_from_its_listing():
    listing = 'HDMI-A-1 "Dell Inc. P2419H"\n  Enabled: yes\n  Modes:\n    1920x1080 px\n'
    listing += 'DP-2 "BOE 0x0A1B"\n  Enabled: no\n'
    assert rotation.outputs(listing) == ["HDMI-A-1", "DP-2"]


@pytest.mark.skipif(shutil.which("cage") is None, reason="needs Debian's cage")
def test_this_machine_s_cage_is_one_the_screen_can_turn():
    out = subprocess.run(["cage", "-h"], capture_output=True, text=True, timeout=10)
    assert " -r" in out.stdout + out.stderr, "Debian 12's cage 0.1.4 turns its output with -r"
