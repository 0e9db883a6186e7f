"""USB sticks as staff know them: the mounted sticks as buttons, nothing written elsewhere, read back, 安全弹出."""

import json
import os
import sys
import zipfile

import pytest

from tests.staff_helpers import database, sign_in, store_pin, token
from tests.support import ROOT, fill_disk, make_test_app
from tests.sync_helpers import visitor_suggestions

HX = {"HX-Request": "true"}


@pytest.fixture
def kiosk_with_stick(tmp_path, usb_stick):
    """Return (kiosk app, signed-in staff client, the stick's mount point)."""
    roots, mount = usb_stick
    app = make_test_app(tmp_path / "instance", KIOSK_USB_ROOTS=roots)
    store_pin(app)
    staff = app.test_client()
    sign_in(staff)
    return app, staff, mount


def test_the_sync_page_lists_mounted_sticks_only_and_writes_a_checked_bundle_onto_the_one_tapped(kiosk_with_stick):
    app, staff, mount = kiosk_with_stick
    visitor_suggestions(app, 3)
    (mount / ".wuxiao-bundle-kiosk-1-20261204-101010.zip.4242.part").write_bytes(b"cut short")  # a pulled stick
    (mount.parent / "NOT-MOUNTED").mkdir()  # a folder where a stick was: never offered
    page = staff.get("/staff/sync/").get_data(as_text=True)
    assert "写入U盘 <strong>WUXIAO-USB</strong>" in page and "NOT-MOUNTED" not in page
    assert 'name="folder"' not in page  # no path to type, no default system folder
    done = staff.post("/staff/sync/export", data={"csrf_token": token(staff), "drive": str(mount)}, headers=HX)
    body = done.get_data(as_text=True)
    (written,) = mount.glob("wuxiao-bundle-*.zip")
    assert done.status_code == 200 and "可以拔出U盘了" in body and str(written) in body
    assert not list(mount.glob(".*.part"))  # stale parts cleaned
    with zipfile.ZipFile(written) as z:
        assert len(json.loads(z.read("bundle.json"))["suggestions"]) == 3
    assert "安全弹出U盘 WUXIAO-USB" in body


def test_a_folder_that_is_no_mounted_stick_is_refused_and_nothing_is_written(kiosk_with_stick, tmp_path):
    app, staff, mount = kiosk_with_stick
    fake = mount.parent / "NOT-MOUNTED"
    fake.mkdir()
    for drive in (str(fake), "/tmp", "/media", ""):
        refused = staff.post("/staff/sync/export", data={"csrf_token": token(staff), "drive": drive})
        assert refused.status_code == 400 and "没有找到这个U盘" in refused.get_data(as_text=True)
    assert not list(fake.iterdir())


def test_a_full_stick_is_said_in_chinese_and_leaves_nothing_behind(kiosk_with_stick):
    app, staff, mount = kiosk_with_stick
    fill_disk(mount)  # the stick is full to the last byte
    visitor_suggestions(app, 200)
    refused = staff.post("/staff/sync/export", data={"csrf_token": token(staff), "drive": str(mount)})
    assert refused.status_code == 400 and "U盘已满" in refused.get_data(as_text=True)
    assert sorted(p.name for p in mount.iterdir()) == ["filler.bin"]


def test_safe_eject_unmounts_the_stick(kiosk_with_stick):
    app, staff, mount = kiosk_with_stick
    staff.post("/staff/sync/export", data={"csrf_token": token(staff), "drive": str(mount)}, headers=HX)
    ejected = staff.post("/staff/sync/eject", data={"csrf_token": token(staff), "drive": str(mount)}, headers=HX)
    assert "已安全弹出，可以拔出了" in ejected.get_data(as_text=True)
    assert not os.path.ismount(mount)
    assert "没有找到U盘" in staff.get("/staff/sync/").get_data(as_text=True)


def test_the_command_line_lists_the_sticks_and_writes_a_checked_bundle(kiosk_with_stick, tmp_path):
    import subprocess

    app, _, mount = kiosk_with_stick
    visitor_suggestions(app, 2)
    env = {**os.environ, "KIOSK_INSTANCE_PATH": app.instance_path, "KIOSK_USB_ROOTS": str(mount.parent.parent)}
    env.update(KIOSK_ID="kiosk-1")

    def flask(*args):
        return subprocess.run(
            [sys.executable, "-m", "flask", "--app", "kiosk", "sync", "export", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    listed = flask()
    assert listed.returncode == 4 and "WUXIAO-USB" in listed.stdout and f"sync export {mount}" in listed.stdout
    written = flask(str(mount))
    assert written.returncode == 0, written.stderr
    assert "已写入并读回校验" in written.stdout and "可以拔出U盘了" in written.stdout
    with database(app) as db:
        assert db.execute("SELECT result FROM sync_runs ORDER BY id DESC").fetchone()[0] == "ok"


def test_os_errors_staff_read_are_chinese():
    import errno

    from sync import usb

    assert usb.os_error_text(OSError(errno.EROFS, "Read-only file system")) == "U盘是只读的，不能写入"
    assert usb.os_error_text(OSError(errno.ENOSPC, "No space left on device")) == "U盘已满"
    assert "Read-only" not in usb.os_error_text(OSError(errno.EROFS, "Read-only file system"))
