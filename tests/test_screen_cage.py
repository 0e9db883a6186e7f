"""The kiosk screen as the appliance runs it: the supervisor starts cage (headless) with Chromium in kiosk mode on
a real run.py; the attract loop is on the compositor's output (grim's screenshot). Staff turn the screen to
portrait on 设置: the screen starts again turned. Staff set opening hours that exclude now: the output goes black."""

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from kiosk.appliance import health_read, screen
from tests.staff_helpers import PIN, HttpStaff, store_pin
from tests.support import SHOTS, closed_hours_now, start_run_py, stop_run_py, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not (shutil.which("cage") and shutil.which("grim") and shutil.which("setpriv")),
        reason="needs Debian's cage and grim (scripts/test.sh installs them)",
    ),
]
BROWSER = ["/usr/bin/chromium", "--ozone-platform=wayland", "--kiosk", "--no-sandbox", "--no-first-run"]
BROWSER += ["--noerrdialogs", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture
def screen_user():
    """Return (the command prefix that runs as the screen's own user, its runtime folder): cage refuses root."""
    folder = Path(tempfile.mkdtemp(prefix="kiosk-screen-"))
    prefix = []
    if os.getuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        prefix = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups", "--"]
    folder.chmod(0o700)
    yield prefix, folder
    shutil.rmtree(folder, ignore_errors=True)


def as_screen(prefix, folder, *command):
    """Return command run as the screen's user in a headless Wayland session's environment."""
    session = [f"XDG_RUNTIME_DIR={folder}", f"HOME={folder}", "WLR_BACKENDS=headless", "WLR_RENDERER=pixman"]
    session += ["WLR_LIBINPUT_NO_DEVICES=1", "WLR_HEADLESS_OUTPUTS=1", "LANGUAGE=zh_CN:zh", "LANG=C.UTF-8"]
    wayland = next(folder.glob("wayland-[0-9]"), None)
    if wayland:
        session.append(f"WAYLAND_DISPLAY={wayland.name}")
    return [*prefix, "env", *session, *command]


def health(kiosk):
    """Return the running kiosk's health."""
    return health_read.read(f"http://127.0.0.1:{kiosk.screen_port}/health.json")


def shot(prefix, folder, name):
    """Take grim's screenshot of the compositor's output; return it as an image (also kept in screenshots/)."""
    path = folder / f"{name}.png"
    run = subprocess.run(as_screen(prefix, folder, "grim", str(path)), capture_output=True, timeout=30)
    assert run.returncode == 0, run.stderr
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(path, SHOTS / f"{name}.png")
    return Image.open(path).convert("RGB")


def red_enough(picture):
    """Return the picture when a winner's caption bar (dark to bright red) runs along its bottom, else None.

    The bar spans the whole width, so its left half must be red too: cage redraws only what changed, and a frame
    holding just the animated 触摸屏幕开始 box over a stale page is no slide yet."""
    band = picture.crop((picture.width // 10, picture.height * 92 // 100, picture.width // 2, picture.height))
    reds = sum(1 for r, g, b in band.get_flattened_data() if r > 90 and r > 3 * max(g, b))
    return picture if reds > band.width * band.height * 0.6 else None


def bright(picture):
    """Return whether a part of the screen is mostly light (a browser's bubble over the black attract loop)."""
    return ImageStat.Stat(picture.convert("L")).mean[0] > 128


def test_the_screen_service_shows_the_attract_loop_turns_with_the_setting_and_goes_black_when_closed(
    tmp_path, screen_user, capsys
):
    prefix, folder = screen_user
    kiosk = start_run_py(tmp_path)
    store_pin(tmp_path / "instance")
    stopping = threading.Event()
    url = f"http://127.0.0.1:{kiosk.screen_port}"
    command = as_screen(prefix, folder, "cage", "-d", "--", *BROWSER, f"--user-data-dir={folder}/chromium")
    command.append(url + "/attract")
    supervisor = threading.Thread(
        target=screen.supervise,
        args=(command, url + "/health.json", 60, 30, 0.5, 0.5),
        kwargs={"stopping": stopping},
        daemon=True,
    )
    try:
        supervisor.start()
        size = wait_for(lambda: (health(kiosk)["screen"]["size"] or [0, 0])[0] > 0, 90)
        assert size, capsys.readouterr().out
        width, height = health(kiosk)["screen"]["size"]
        assert width > height, "the headless output is landscape"
        # grim copies the output as cage last drew it: a winner's slide whole after its first fade-in.
        picture = wait_for(lambda: red_enough(shot(prefix, folder, "cage-attract")), 60, 2)
        assert picture, "a winner's red caption bar never covered the bottom of the output"
        assert picture.width > picture.height
        assert not bright(picture.crop((picture.width - 400, 0, picture.width, 60))), "no translate bubble"

        staff = HttpStaff(kiosk.screen_port)
        staff.post("/staff/login", {"pin": PIN})
        saved = staff.post("/staff/settings/", {"screen_rotation": "90"})
        assert "已保存：屏幕方向" in saved
        assert wait_for(lambda: "屏幕方向已改为 90°" in capsys.readouterr().out or None, 20) is not None
        turned = wait_for(lambda: (lambda s: s and s[1] > s[0])(health(kiosk)["screen"]["size"]), 90)
        assert turned, health(kiosk)["screen"]
        picture = wait_for(lambda: red_enough(shot(prefix, folder, "cage-attract-portrait")), 60, 2)
        assert picture and picture.height > picture.width, "cage turned its output"
        home, _ = staff.page("/staff/suggestions")
        assert re.search(r"\d+×\d+（竖屏），设定为竖屏（显示器顺时针转 90° 安装）", home)

        staff.post("/staff/settings/", {"open_hours": closed_hours_now()})
        assert wait_for(lambda: health(kiosk)["screen"]["open"] is False, 10)
        time.sleep(8)  # the next beat (5 s) sends the attract loop to the black screen
        picture = shot(prefix, folder, "cage-closed")
        assert ImageStat.Stat(picture.convert("L")).mean[0] < 8, "outside the opening hours the output is black"
    finally:
        stopping.set()
        supervisor.join(timeout=30)
        stop_run_py(kiosk)
    assert not supervisor.is_alive()
