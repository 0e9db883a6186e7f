"""`sync pull` against the reference receiver: list, download with resume, check sha256, import."""

import hashlib

import pytest

from sync import packs
from sync.http import Central
from tests.pack_runs import shown, small_pack, zip_folder

PACK_URL = "/api/v1/packs/test-pack-v1.zip"


@pytest.fixture
def offered(receiver, tmp_path):
    """Put a valid pack zip in the receiver's packs folder; return its path."""
    small_pack(tmp_path / "pack-src", ids=("A1", "A2"))
    return zip_folder(tmp_path / "pack-src", receiver.packs / "test-pack-v1.zip")


@pytest.fixture
def ranges(monkeypatch):
    """Record the Range header of every request the kiosk opens."""
    seen = []
    real = Central.open

    def spy(self, method, path, body=None, headers=None):
        seen.append((path, (headers or {}).get("Range")))
        return real(self, method, path, body, headers)

    monkeypatch.setattr(Central, "open", spy)
    return seen


def pull(app):
    """Run `flask sync pull`; return the click result."""
    return app.test_cli_runner().invoke(args=["sync", "pull"])


def incoming(app):
    """Return the files left in the kiosk's download folder."""
    folder = packs.part_path(app.instance_path, {"pack_id": "x", "version": 1}).parent
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_pull_downloads_checks_and_imports_a_new_pack(kiosk, offered, ranges):
    result = pull(kiosk)
    assert result.exit_code == 0, result.output
    assert "已导入内容包 test-pack v1：2 项成果" in result.output
    assert shown(kiosk)[0] == {"test-pack": 1}
    assert incoming(kiosk) == []
    assert [path for path, _ in ranges] == ["/api/v1/packs", "api/v1/packs/test-pack-v1.zip"]
    again = pull(kiosk)
    assert again.exit_code == 0 and "test-pack v1 已安装，无需下载" in again.output
    assert len(ranges) == 3


def test_an_interrupted_download_resumes_where_it_stopped(kiosk, receiver, offered, ranges):
    size = offered.stat().st_size
    kiosk.config["KIOSK_SYNC_TRIES"] = 1
    receiver.faults({"path": PACK_URL, "method": "GET", "mode": "truncate_after_store", "times": 1})
    broken = pull(kiosk)
    assert broken.exit_code == 1 and "test-pack v1 下载失败" in broken.output and "断点" in broken.output
    part = packs.part_path(kiosk.instance_path, {"pack_id": "test-pack", "version": 1})
    held = part.stat().st_size
    assert 0 < held < size
    assert offered.read_bytes()[:held] == part.read_bytes()
    assert shown(kiosk)[0] == {}
    resumed = pull(kiosk)
    assert resumed.exit_code == 0, resumed.output
    assert ranges[-1] == ("api/v1/packs/test-pack-v1.zip", f"bytes={held}-")
    assert shown(kiosk)[0] == {"test-pack": 1}
    assert incoming(kiosk) == []


def test_a_download_broken_twice_resumes_within_one_run(kiosk, receiver, offered, ranges):
    receiver.faults({"path": PACK_URL, "method": "GET", "mode": "truncate_after_store", "times": 2})
    result = pull(kiosk)
    assert result.exit_code == 0, result.output
    asked = [r for path, r in ranges if path.endswith(".zip")]
    assert asked[0] is None and asked[1].startswith("bytes=") and asked[2].startswith("bytes=")
    assert shown(kiosk)[0] == {"test-pack": 1}


def test_a_partial_file_that_does_not_match_is_fetched_again_whole(kiosk, offered, ranges):
    part = packs.part_path(kiosk.instance_path, {"pack_id": "test-pack", "version": 1})
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * (offered.stat().st_size // 2))
    result = pull(kiosk)
    assert result.exit_code == 0, result.output
    asked = [r for path, r in ranges if path.endswith(".zip")]
    assert asked == [f"bytes={offered.stat().st_size // 2}-", None]
    assert shown(kiosk)[0] == {"test-pack": 1}


def test_a_pack_the_importer_refuses_is_kept_and_reported(kiosk, receiver, tmp_path):
    pack = small_pack(tmp_path / "bad-src", ids=("A1",))
    (tmp_path / "bad-src" / pack["achievements"][0]["photos"][0]["file"]).unlink()
    zip_folder(tmp_path / "bad-src", receiver.packs / "bad.zip")
    result = pull(kiosk)
    assert result.exit_code == 1
    assert "test-pack v1 导入被拒绝" in result.output and "photo-1.jpg" in result.output
    assert incoming(kiosk) == ["test-pack-v1.zip"]
    assert shown(kiosk)[0] == {}


def test_the_checksum_is_checked_before_import(kiosk, offered, monkeypatch):
    real = packs.offered

    def lying(central):
        return [{**p, "sha256": hashlib.sha256(b"another file").hexdigest()} for p in real(central)]

    monkeypatch.setattr(packs, "offered", lying)
    result = pull(kiosk)
    assert result.exit_code == 1 and "校验不符" in result.output
    assert shown(kiosk)[0] == {} and incoming(kiosk) == []
