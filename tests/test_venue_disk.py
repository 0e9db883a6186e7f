"""A full disk: a visitor keeps their typing and a clear message, staff are warned, the kiosk recovers by itself."""

import os
import shutil
import subprocess

import pytest

from kiosk.exhibits import usage
from tests.staff_helpers import database, sign_in, store_pin
from tests.suggest_helpers import GOOD, PHONE_CLIENT, open_form
from tests.support import fill_disk, make_test_app

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small disk needs root (CI runs as root)")


@pytest.fixture
def small_disk(tmp_path):
    """Return an instance folder on its own 16 MB tmpfs, as a nearly full kiosk disk would be."""
    folder = tmp_path / "instance"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "kiosk-disk", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_keeps_the_visitors_typing_warns_staff_and_recovers(small_disk):
    app = make_test_app(small_disk, KIOSK_DISK_WARN_MB=8)
    visitor = app.test_client()
    store_pin(app)
    staff = app.test_client()
    sign_in(staff)
    assert "存储空间只剩" not in staff.get("/staff/sync/").get_data(as_text=True)
    _, csrf, form_token = open_form(visitor, environ_base=PHONE_CLIENT)
    typed = {**GOOD, "content": "把展台的插座移到桌面下面，别再有人绊倒。", "proposer_name": "王师傅"}
    form = {"csrf_token": csrf, "form_token": form_token, **typed}
    filler = fill_disk(small_disk)

    refused = visitor.post("/suggest", data=form, environ_base=PHONE_CLIENT)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503
    assert "暂时无法保存" in html and "请稍后再试" in html and "请工作人员帮忙" in html
    assert typed["content"] in html and 'value="王师傅"' in html  # nothing typed is lost
    page = staff.get("/staff/sync/").get_data(as_text=True)
    assert "存储空间只剩" in page and "可用空间" in page

    filler.unlink()  # staff free some space: no restart
    kept = visitor.post("/suggest", data=form, environ_base=PHONE_CLIENT)
    assert kept.status_code == 303
    again = visitor.post("/suggest", data=form, environ_base=PHONE_CLIENT)  # the visitor taps twice
    assert again.status_code == 303 and again.headers["Location"] == kept.headers["Location"]
    with database(app) as db:
        assert db.execute("SELECT content FROM suggestions").fetchall() == [(typed["content"],)]
    assert shutil.disk_usage(small_disk).free > 0
    app.extensions[usage.EXTENSION].close()  # its last write before the disk is unmounted
