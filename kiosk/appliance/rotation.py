"""The screen's rotation and the touchscreen that must follow it.

A rotation of 90 means the display is mounted turned 90° clockwise (portrait): cage draws the page turned
back by as much (`cage -r`, cage 0.1; `wlr-randr --transform`, cage 0.2), and libinput maps the touch panel's
own coordinates onto the turned picture with a calibration matrix, set by a udev rule
(LIBINPUT_CALIBRATION_MATRIX, see libinput's "Static device configuration via udev").

`python -m kiosk.appliance.rotation touch` writes that rule; the screen service runs it as root before cage
starts (the rule lives in /run, so it is gone at the next boot until the service writes it again)."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from kiosk.appliance import health_read

ROTATIONS = (0, 90, 180, 270)
# libinput's matrices for a panel turned clockwise by the key: (x, y) of the panel → (a·x+b·y+c, d·x+e·y+f).
CALIBRATION = {
    90: (0, -1, 1, 1, 0, 0),
    180: (-1, 0, 1, 0, -1, 1),
    270: (0, 1, 0, -1, 0, 1),
}
RULE_FILE = "90-wuxiao-touch.rules"
RULES_DIR = "/run/udev/rules.d"
DEFAULT_HEALTH = "http://127.0.0.1:8081/health.json"
NAMES = {
    0: "横屏",
    90: "竖屏（显示器顺时针转 90° 安装）",
    180: "横屏倒装（转 180°）",
    270: "竖屏（显示器逆时针转 90° 安装）",
}


def check(value):
    """Return the rotation as one of ROTATIONS; raise ValueError in Chinese."""
    text = str(value).strip().removesuffix("°")
    if not text.isdigit() or int(text) not in ROTATIONS:
        raise ValueError("屏幕方向只能是 0、90、180 或 270（度）。")
    return int(text)


def panel_point(rotation, x, y):
    """Return where on the panel (its own 0–1 coordinates) the picture's point (x, y) is drawn.

    The picture is turned back against the display's clockwise turn, so it stands upright for the viewer."""
    for _ in range(rotation // 90):
        x, y = y, 1 - x
    return x, y


def calibrated(rotation, x, y):
    """Return the picture's point libinput reports for a touch at the panel's (x, y) under the rule's matrix."""
    if rotation == 0:
        return x, y
    a, b, c, d, e, f = CALIBRATION[rotation]
    return a * x + b * y + c, d * x + e * y + f


def udev_rule(rotation):
    """Return the udev rule that turns every touchscreen's coordinates with the screen, or None for 0°."""
    if rotation == 0:
        return None
    matrix = " ".join(str(n) for n in CALIBRATION[rotation])
    return (
        f"# Written by wuxiao-screen.service before cage starts: touchscreens follow the screen ({rotation}°).\n"
        'ACTION=="add|change", SUBSYSTEM=="input", KERNEL=="event*", ENV{ID_INPUT_TOUCHSCREEN}=="1", '
        f'ENV{{LIBINPUT_CALIBRATION_MATRIX}}="{matrix}"\n'
    )


def write_rule(rules_dir, rotation):
    """Write (or, for 0°, remove) the touch rule in rules_dir; return whether the file changed."""
    path = Path(rules_dir) / RULE_FILE
    rule = udev_rule(rotation)
    old = path.read_text(encoding="utf-8") if path.exists() else None
    if rule == old:
        return False
    if rule is None:
        path.unlink()
        return True
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_text(rule, encoding="utf-8")
    os.replace(part, path)
    return True


def apply_rule():
    """Make udev read its rules again and replay the input devices, so libinput sees the new matrix."""
    for command in (["udevadm", "control", "--reload"], ["udevadm", "trigger", "--subsystem-match=input"]):
        result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        if result.returncode:
            print(f"[screen] {' '.join(command)} 失败：{result.stderr.strip()}", flush=True)


def from_health(body, fallback):
    """Return the rotation a health body names, or fallback when there is none (the kiosk did not answer)."""
    try:
        return check(body["screen"]["rotation"])
    except (TypeError, KeyError, ValueError):
        return fallback


def rotation_from_health(url, seconds):
    """Return the rotation the kiosk's health names, asking for up to seconds while the app starts; 0 if never."""
    body = health_read.wait_for(url, lambda b: from_health(b, None) is not None, seconds)
    return from_health(body, 0)


def cage_at(command):
    """Return where cage stands in the screen command (it may come after runuser or env), or None."""
    return next((i for i, word in enumerate(command) if Path(word).name == "cage"), None)


def cage_args(command, rotation, cage_help):
    """Return the screen command with the rotation applied, given the output of `cage -h`.

    cage 0.1 turns its output with -r (once per 90°); cage 0.2 has no -r but speaks wlr-output-management, so
    the browser is started through `wlr-randr` instead. A command without cage is returned as it is."""
    at = cage_at(command)
    if rotation == 0 or at is None:
        return list(command)
    if " -r" in cage_help:
        return [*command[: at + 1], *["-r"] * (rotation // 90), *command[at + 1 :]]
    rest = command[at:]
    app_at = at + (rest.index("--") + 1 if "--" in rest else len(rest))
    turn = [sys.executable, "-m", "kiosk.appliance.rotation", "output", str(rotation), "--"]
    return [*command[:app_at], *turn, *command[app_at:]]


def outputs(randr_text):
    """Return the output names in `wlr-randr`'s listing: the lines that do not start with a space."""
    return [line.split()[0] for line in randr_text.splitlines() if line and not line[0].isspace()]


def turn_outputs_and_run(rotation, app):
    """Inside cage 0.2: turn every output with wlr-randr, then become the browser."""
    listing = subprocess.run(["wlr-randr"], capture_output=True, text=True, timeout=10, check=False).stdout
    for name in outputs(listing):
        subprocess.run(["wlr-randr", "--output", name, "--transform", str(rotation)], timeout=10, check=False)
    os.execvp(app[0], app)


def main(argv=None):
    """`touch` writes the touchscreen rule for the kiosk's rotation; `output` turns cage 0.2's outputs."""
    parser = argparse.ArgumentParser(description="屏幕方向：触摸屏规则与输出旋转")
    sub = parser.add_subparsers(dest="what", required=True)
    touch = sub.add_parser("touch", help="write the udev rule for the kiosk's rotation (as root)")
    touch.add_argument("--health", default=DEFAULT_HEALTH)
    touch.add_argument("--rotation", type=check, help="use this rotation instead of asking the kiosk")
    touch.add_argument("--rules-dir", default=RULES_DIR)
    touch.add_argument("--wait", type=float, default=30, help="seconds to wait for the kiosk to answer")
    touch.add_argument("--no-trigger", action="store_true", help="do not make udev apply it (for checking)")
    output = sub.add_parser("output", help="turn the outputs, then run the browser (inside cage 0.2)")
    output.add_argument("rotation", type=check)
    output.add_argument("app", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.what == "output":
        app = args.app[1:] if args.app[:1] == ["--"] else args.app
        turn_outputs_and_run(args.rotation, app)
        return
    rotation = args.rotation if args.rotation is not None else rotation_from_health(args.health, args.wait)
    changed = write_rule(args.rules_dir, rotation)
    print(f"[screen] 触摸屏方向：{NAMES[rotation]}（{rotation}°）{'，已更新' if changed else ''}", flush=True)
    if changed and not args.no_trigger:
        apply_rule()


if __name__ == "__main__":
    main()
