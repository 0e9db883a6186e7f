"""Packs as .zip files: both layouts import; escaping entries, links, oversize and bombs are refused unpacked."""

import stat
import zipfile
from pathlib import Path

import pytest

from tests.pack_runs import has, imported, refused, shown, small_pack, zip_folder

PACK = "pack.json"


@pytest.fixture
def pack_dir(tmp_path):
    """Return the folder of a valid two-achievement pack."""
    small_pack(tmp_path / "pack", ids=("A1", "B2"))
    return tmp_path / "pack"


def scratch_is_empty(app):
    """Return whether nothing unpacked is left in the instance's scratch folder."""
    scratch = Path(app.instance_path) / "tmp"
    return not scratch.exists() or not any(scratch.iterdir())


def add_entry(zip_path, name, data=b"x", compress_type=zipfile.ZIP_STORED, attr=None):
    """Append one entry with exactly this name (no normalising) to a zip."""
    info = zipfile.ZipInfo(name)
    info.compress_type = compress_type
    if attr is not None:
        info.external_attr = attr
    with zipfile.ZipFile(zip_path, "a") as archive:
        archive.writestr(info, data)
    return zip_path


def test_zip_of_the_folder_contents_imports(app, client, pack_dir, tmp_path):
    result = imported(app, zip_folder(pack_dir, tmp_path / "pack.zip"))
    assert "已导入内容包 test-pack v1：2 项成果" in result.message
    assert shown(app) == ({"test-pack": 1}, [("A1", "成果A1"), ("B2", "成果B2")])
    assert client.get("/a/B2").status_code == 200
    assert client.get("/media/test-pack/B2/talk.mp3").status_code == 200
    assert scratch_is_empty(app)


def test_zip_wrapped_in_one_top_folder_imports(app, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip", prefix="天津2024成果展/")
    add_entry(archive, "__MACOSX/._pack.json")
    imported(app, archive)
    assert shown(app)[0] == {"test-pack": 1}


def test_zip_with_pack_json_two_folders_down_is_refused(app, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip", prefix="a/b/")
    assert has(refused(app, archive), PACK, "(文件)", "没有 pack.json")


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("../evil.txt", "含 .."),
        ("A1/../../evil.txt", "含 .."),
        ("/abs.txt", "绝对路径"),
        ("..\\evil.txt", "绝对路径"),
        ("C:/evil.txt", "绝对路径"),
    ],
)
def test_entry_escaping_the_pack_is_refused_before_unpacking(app, pack_dir, tmp_path, name, fragment):
    archive = add_entry(zip_folder(pack_dir, tmp_path / "pack.zip"), name, b"owned")
    with zipfile.ZipFile(archive) as check:
        assert name in check.namelist()
    assert has(refused(app, archive), PACK, name, fragment)
    assert not (tmp_path / "evil.txt").exists() and not Path("/abs.txt").exists()
    assert not any(Path(app.instance_path).rglob("evil.txt"))
    assert shown(app) == ({}, []) and scratch_is_empty(app)


def test_symlink_entry_is_refused(app, pack_dir, tmp_path):
    archive = add_entry(
        zip_folder(pack_dir, tmp_path / "pack.zip"), "A1/link.jpg", b"/etc/passwd", attr=(stat.S_IFLNK | 0o777) << 16
    )
    assert has(refused(app, archive), PACK, "A1/link.jpg", "不允许符号链接")


def test_zip_over_the_unpacked_limit_is_refused(app, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip")
    with zipfile.ZipFile(archive) as check:
        total = sum(info.file_size for info in check.infolist())
    found = refused(app, archive, max_unpacked=total - 1)
    assert has(found, PACK, "(压缩包)", f"超过上限 {total - 1:,} 字节")
    assert shown(app) == ({}, []) and scratch_is_empty(app)
    imported(app, archive, max_unpacked=total)


def test_zip_bomb_is_refused_with_the_default_limit(app, pack_dir, tmp_path):
    archive = add_entry(
        zip_folder(pack_dir, tmp_path / "pack.zip"), "A1/filler.bin", bytes(50_000_000), zipfile.ZIP_DEFLATED
    )
    assert archive.stat().st_size < 1_000_000
    assert has(refused(app, archive), PACK, "A1/filler.bin", "疑似压缩炸弹")
    assert shown(app) == ({}, []) and scratch_is_empty(app)


def test_bomb_spread_over_entries_under_the_per_entry_threshold_is_refused(app, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip")
    for i in range(3):
        add_entry(archive, f"A1/filler-{i}.bin", bytes(9_000_000), zipfile.ZIP_DEFLATED)
    assert has(refused(app, archive), PACK, "(压缩包)", "疑似压缩炸弹")


def test_encrypted_zip_is_refused(app, pack_dir, tmp_path):
    data = bytearray(zip_folder(pack_dir, tmp_path / "pack.zip").read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = -1
        while (at := data.find(signature, at + 1)) >= 0:
            data[at + flag_at] |= 0x1
    (tmp_path / "pack.zip").write_bytes(data)
    assert has(refused(app, tmp_path / "pack.zip"), PACK, "pack.json", "已加密")


def test_entry_name_flagged_utf8_that_is_not_is_refused(app, pack_dir, tmp_path):
    archive = add_entry(zip_folder(pack_dir, tmp_path / "pack.zip"), "A1/x中.txt")
    data = archive.read_bytes()
    archive.write_bytes(data.replace("x中".encode(), b"x\xff\xfe\xfd"))
    assert has(refused(app, archive), PACK, "pack.zip", "压缩包损坏")


def test_damaged_entry_data_is_refused(app, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip")
    with zipfile.ZipFile(archive) as check:
        info = check.getinfo("pack.json")
    data = bytearray(archive.read_bytes())
    body = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[body + 10] ^= 0xFF
    archive.write_bytes(data)
    assert has(refused(app, archive), PACK, "pack.zip", "压缩包损坏")
    assert scratch_is_empty(app)


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really", "内容包".encode()], ids=["fake", "text"])
def test_file_that_is_not_a_zip_is_refused(app, tmp_path, content):
    (tmp_path / "pack.zip").write_bytes(content)
    assert has(refused(app, tmp_path / "pack.zip"), PACK, "pack.zip", "不是 zip 压缩包")


def test_refused_zip_leaves_the_installed_version(app, pack_dir, tmp_path):
    imported(app, pack_dir)
    before = shown(app)
    pack_text = (pack_dir / "pack.json").read_text(encoding="utf-8").replace('"version": 1', '"version": 2')
    (pack_dir / "pack.json").write_text(pack_text, encoding="utf-8")
    archive = add_entry(zip_folder(pack_dir, tmp_path / "v2.zip"), "../evil.txt")
    refused(app, archive)
    assert shown(app) == before
