"""Staff upload a zipped pack on 内容包: streamed into the instance folder, imported in the background with the bar
and the Chinese report, all or nothing; refused in Chinese when it is no zip, too large, the disk is full, an import
runs, or nobody signed in."""

import io
import shutil
import time
from collections import namedtuple
from pathlib import Path

import pytest

from kiosk.listeners import listeners
from kiosk.staff import pack_upload
from tests.pack_runs import edit_pack, shown, small_pack, zip_folder
from tests.staff_helpers import sign_in, store_pin, token


@pytest.fixture
def staff(app):
    """Return a client of app signed in as staff."""
    store_pin(app)
    client = app.test_client()
    sign_in(client)
    return client


@pytest.fixture
def pack_zip(tmp_path):
    """Return a valid one-achievement pack, zipped."""
    small_pack(tmp_path / "pack")
    return zip_folder(tmp_path / "pack", tmp_path / "新内容包.zip")


def upload(client, path, name=None, htmx=False, **headers):
    """Upload a file as the page's form does (the CSRF token in the header, as htmx sends it); return the answer."""
    headers = {"X-CSRF-Token": token(client), **({"HX-Request": "true"} if htmx else {}), **headers}
    data = {"pack": (io.BytesIO(Path(path).read_bytes()), name or Path(path).name)}
    return client.post("/staff/packs/upload", data=data, headers=headers, content_type="multipart/form-data")


def finished(client, seconds=60):
    """Ask for the progress panel until the import has ended; return its last text."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = client.get("/staff/packs/progress").get_data(as_text=True)
        if "正在导入" not in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the import did not end")


def uploads_left(app):
    """Return the uploaded files still in the instance folder."""
    return sorted((Path(app.instance_path) / "tmp").glob(pack_upload.PREFIX + "*"))


def test_an_uploaded_pack_is_imported_with_the_bar_and_its_file_removed(app, staff, pack_zip):
    page = staff.get("/staff/packs/").get_data(as_text=True)
    assert 'name="pack" accept=".zip,application/zip"' in page and "上传并导入" in page
    left = pack_upload.scratch(app.instance_path) / f"{pack_upload.PREFIX}from-before-a-power-cut.zip"
    left.write_bytes(b"PK")
    answer = upload(staff, pack_zip, htmx=True)
    assert answer.status_code == 200
    text = answer.get_data(as_text=True)
    assert "新内容包.zip" in text and ("正在导入" in text or "导入完成" in text)
    assert "导入完成" in finished(staff)
    assert shown(app)[0] == {"test-pack": 1}
    assert uploads_left(app) == []
    assert "测试内容包" in staff.get("/staff/packs/").get_data(as_text=True)
    big = {"csrf_token": token(staff), "content": "长" * 60_000}
    assert staff.post("/suggest", data=big).status_code == 413  # every other request keeps the app's 128 KB


def test_a_broken_pack_gives_the_chinese_report_and_changes_nothing(app, staff, tmp_path):
    small_pack(tmp_path / "pack")
    edit_pack(tmp_path / "pack", lambda p: p["achievements"][0].pop("title"))
    broken = zip_folder(tmp_path / "pack", tmp_path / "broken.zip")
    assert upload(staff, broken).status_code == 302
    text = finished(staff)
    assert "没有导入" in text and "错误（" in text and "A1 · title" in text
    assert shown(app) == ({}, []) and uploads_left(app) == []


@pytest.mark.parametrize("name, body", [("报告.pdf", b"%PDF-1.4 not a pack"), ("假的.zip", b"PK\x03\x04 truncated")])
def test_a_file_that_is_no_zip_is_refused_in_chinese(app, staff, tmp_path, name, body):
    path = tmp_path / "upload.bin"
    path.write_bytes(body)
    refused = upload(staff, path, name=name)
    assert refused.status_code == 400
    assert f"“{name}”不是 .zip 内容包" in refused.get_data(as_text=True)
    assert uploads_left(app) == [] and shown(app) == ({}, [])


def test_an_upload_needs_a_signed_in_staff_member_and_this_session_s_token(app, pack_zip):
    store_pin(app)
    visitor = app.test_client()
    refused = upload(visitor, pack_zip)
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/staff/login")
    sign_in(visitor)
    forged = upload(visitor, pack_zip, **{"X-CSRF-Token": "not-this-session-s"})
    assert forged.status_code == 400
    assert shown(app) == ({}, []) and uploads_left(app) == []


def test_an_upload_is_refused_while_another_import_runs(app, staff, pack_zip, monkeypatch):
    from kiosk.staff import packs_page

    with pack_upload.receiving(app):  # another upload on its way in
        refused = upload(staff, pack_zip)
    assert refused.status_code == 409 and "另一个内容包正在上传或导入" in refused.get_data(as_text=True)
    monkeypatch.setattr(packs_page, "running", lambda app: True)
    refused = upload(staff, pack_zip)
    assert refused.status_code == 409 and "另一个内容包正在上传或导入" in refused.get_data(as_text=True)
    assert uploads_left(app) == [] and shown(app) == ({}, [])


def test_an_upload_the_disk_has_no_room_for_is_refused_before_it_is_kept(app, staff, pack_zip, monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(10**9, 10**9 - 50_000_000, 50_000_000))
    refused = upload(staff, pack_zip)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 507 and "本机可用空间不足" in text and "现在只剩 50 MB" in text
    assert uploads_left(app) == [] and shown(app) == ({}, [])


def test_an_upload_over_the_pack_limit_is_refused(tmp_path, pack_zip):
    from tests.support import make_test_app

    app = make_test_app(tmp_path / "small", KIOSK_PACK_MAX_UNPACKED_BYTES=1000)
    store_pin(app)
    client = app.test_client()
    sign_in(client)
    refused = upload(client, pack_zip)
    assert refused.status_code == 413 and "文件太大" in refused.get_data(as_text=True)


def test_an_upload_is_offered_and_taken_on_the_kiosk_screen_only(tmp_path, pack_zip):
    from tests.support import make_test_app

    app = make_test_app(tmp_path / "lan", KIOSK_STAFF_FROM_LAN=True)
    store_pin(app)
    laptop = app.test_client()
    laptop.environ_base["REMOTE_ADDR"] = "10.77.0.2"
    sign_in(laptop)
    page = laptop.get("/staff/packs/").get_data(as_text=True)
    assert "上传并导入" not in page and "上传内容包只能在本机触摸屏上进行" in page
    refused = upload(laptop, pack_zip)
    assert refused.status_code == 403 and shown(app) == ({}, [])


def test_only_the_screen_s_listener_takes_a_pack_sized_body(app):
    phones, screen = listeners(app, "127.0.0.1", 0, 0, 1)
    try:
        assert phones.adj.max_request_body_size == app.config["MAX_CONTENT_LENGTH"] == 128 * 1024
        assert screen.adj.max_request_body_size == app.config["KIOSK_PACK_MAX_UNPACKED_BYTES"]
    finally:
        for server in (phones, screen):
            server.close()
