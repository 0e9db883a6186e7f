"""The real `flask --app kiosk sync …` commands as staff run them, against a receiver under a path prefix."""

import os
import subprocess
import sys

import pytest

from tests.pack_runs import small_pack, zip_folder
from tests.support import ROOT, make_test_app
from tests.sync_helpers import KIOSK_ID, TOKEN, Receiver, assert_central_holds_exactly, visitor_suggestions


@pytest.fixture
def prefixed(tmp_path):
    """Start a receiver serving the API under /wuxiao."""
    started = Receiver(tmp_path / "central", prefix="/wuxiao")
    yield started
    started.stop()


def flask(instance, *args, token=TOKEN):
    """Run `flask --app kiosk ARGS` in a fresh process; return it finished."""
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_CENTRAL_TOKEN": token}
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "kiosk", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_staff_push_pull_export_and_status_from_the_command_line(prefixed, tmp_path):
    assert prefixed.url.endswith("/wuxiao/")
    instance = tmp_path / "instance"
    instance.mkdir()
    # The address lives in the instance config; the token comes from the environment, never the repository.
    (instance / "kiosk.toml").write_text(
        f'id = "{KIOSK_ID}"\nevent_id = "tj-2024-expo"\ncentral_url = "{prefixed.url}"\nsync_retry_base = 0.01\n'
    )
    app = make_test_app(instance)
    visitor_suggestions(app, 25)
    small_pack(tmp_path / "pack-src")
    zip_folder(tmp_path / "pack-src", prefixed.packs / "test-pack-v1.zip")

    pushed = flask(instance, "sync", "push")
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "本次发送 25 条：新收 25" in pushed.stdout and "推送建议" in pushed.stderr
    assert_central_holds_exactly(prefixed, app)

    pulled = flask(instance, "sync", "pull")
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "已导入内容包 test-pack v1" in pulled.stdout

    unmounted = flask(instance, "sync", "export", str(tmp_path / "usb"))
    assert unmounted.returncode == 1 and "目录不存在" in unmounted.stderr and not (tmp_path / "usb").exists()
    (tmp_path / "usb").mkdir()
    exported = flask(instance, "sync", "export", str(tmp_path / "usb"))
    assert exported.returncode == 0 and "建议 25 条" in exported.stdout
    assert len(list((tmp_path / "usb").glob("wuxiao-bundle-hall-a-1-*.zip"))) == 1

    status = flask(instance, "sync", "status")
    assert "建议：待发送 0 · 已送达 25 · 内容冲突 0 · 不合格 0" in status.stdout
    assert "上次同步：导出离线包" in status.stdout

    refused = flask(instance, "sync", "push", token="wrong-token-0000000000000")
    assert refused.returncode == 0  # nothing pending: nothing is sent, so no token is checked
    visitor_suggestions(app, 1, start=100)
    refused = flask(instance, "sync", "push", token="wrong-token-0000000000000")
    assert refused.returncode == 2 and "401" in refused.stderr and "Traceback" not in refused.stderr
    assert TOKEN not in refused.stdout + refused.stderr


def test_missing_settings_are_explained(tmp_path):
    instance = tmp_path / "instance"
    result = flask(instance, "sync", "push", token="")
    assert result.returncode == 1 and "KIOSK_CENTRAL_URL" in result.stderr and "Traceback" not in result.stderr
    (instance / "kiosk.toml").write_text('central_url = "http://127.0.0.1:9/"\n')
    result = flask(instance, "sync", "pull", token="")
    assert result.returncode == 1 and "KIOSK_CENTRAL_TOKEN" in result.stderr
    (instance / "kiosk.toml").write_text('central_url = "http://127.0.0.1:9/"\nid = "展厅一号"\n')
    result = flask(instance, "sync", "push")
    assert result.returncode == 1 and "KIOSK_ID" in result.stderr
