"""`flask pack import`: a good pack shows up, versions replace all or nothing, files are known by checksum."""

import json

import pytest

from kiosk.media.store import MediaStore
from kiosk.packs import media_checks as pack_media
from tests.pack_runs import (
    clone,
    edit_pack,
    errors,
    has,
    imported,
    printed_problems,
    query,
    refused,
    run_import,
    shown,
    small_pack,
    warnings,
    zip_folder,
)
from tests.packs import FIXTURES, photo, write_pack_json


@pytest.fixture
def pack_dir(tmp_path):
    """Return the folder of a valid two-achievement pack."""
    small_pack(tmp_path / "pack", ids=("A1", "B2"))
    return tmp_path / "pack"


def test_valid_pack_imports_and_shows(app, client, pack_dir):
    result = imported(app, pack_dir)
    assert "已导入内容包 test-pack v1：2 项成果" in result.message
    assert shown(app) == ({"test-pack": 1}, [("A1", "成果A1"), ("B2", "成果B2")])
    home = client.get("/").get_data(as_text=True)
    assert "成果A1" in home and "成果B2" in home
    detail = client.get("/a/A1")
    assert detail.status_code == 200
    assert "成果A1" in detail.get_data(as_text=True) and "一项创新的成果简介。" in detail.get_data(as_text=True)
    assert client.get("/a/NOPE").status_code == 404
    assert query(app, "SELECT COUNT(*) FROM quiz_questions WHERE achievement_id = 'A1'") == [(20,)]
    assert query(
        app, "SELECT kind, COUNT(*) FROM achievement_media WHERE achievement_id = 'B2' GROUP BY kind ORDER BY kind"
    ) == [("audio", 1), ("photo", 3), ("video", 1)]
    assert client.get("/media/test-pack/A1/photo-1.jpg?size=thumb").status_code == 200


def test_valid_pack_has_only_guideline_warnings(app, pack_dir):
    found = warnings(imported(app, pack_dir))
    # make_pack's photos are small and its video 320×180; nothing else in it misses a guideline.
    fields = ("photos[0].file", "photos[1].file", "photos[2].file", "videos[0].file")
    assert {(aid, field) for aid, field, _ in found} == {(aid, f) for aid in ("A1", "B2") for f in fields}


def test_pack_list_shows_installed_packs(app, runner, pack_dir):
    assert "尚未安装内容包" in runner.invoke(args=["pack", "list"]).output
    imported(app, pack_dir)
    listing = runner.invoke(args=["pack", "list"])
    assert listing.exit_code == 0
    assert "test-pack  v1  测试内容包  成果 2 项  警告 8 条" in listing.output
    as_json = json.loads(runner.invoke(args=["pack", "list", "--json"]).output)
    assert [(p["pack_id"], p["version"], p["achievements"], p["warnings"]) for p in as_json] == [("test-pack", 1, 2, 8)]


def test_report_lines_name_id_field_reason_in_chinese(runner, pack_dir):
    pack = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    pack["achievements"][0]["title"] = "题" * 41
    pack["achievements"][1]["category"] = "大发明"
    write_pack_json(pack_dir, pack)
    result = runner.invoke(args=["pack", "import", str(pack_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert printed_problems(result.stderr) == [
        ("A1", "title", "超过 40 字上限（现为 41 字）"),
        ("B2", "category", "取值无效「大发明」，应为：小发明、小创造、小革新、小设计、小建议"),
    ]
    assert result.stderr.index("错误（2）") < result.stderr.index("  A1 · title")
    assert "导入失败：共 2 个错误，展示内容保持不变。" in result.stderr


def test_the_cli_prints_the_importers_report_errors_then_warnings(app, runner, pack_dir):
    edit_pack(pack_dir, lambda pack: pack["achievements"][1].update(category="大发明"))
    refusal = runner.invoke(args=["pack", "import", str(pack_dir)])
    assert refusal.exit_code == 1
    assert "Traceback" not in refusal.output and "Error:" not in refusal.output, refusal.output
    report = run_import(app, pack_dir)  # refused again: the importer's own report of the same pack
    category = ("B2", "category", "取值无效「大发明」，应为：小发明、小创造、小革新、小设计、小建议")
    assert printed_problems(refusal.stderr) == errors(report) == [category]
    assert printed_problems(refusal.stdout) == warnings(report) and len(warnings(report)) == 8
    assert refusal.output.index("错误（1）") < refusal.output.index("警告（8）") < refusal.output.index("导入失败")
    edit_pack(pack_dir, lambda pack: pack["achievements"][1].update(category="小发明"))
    success = runner.invoke(args=["pack", "import", str(pack_dir)])
    assert success.exit_code == 0 and printed_problems(success.stderr) == [], success.output
    assert "Traceback" not in success.output and "Error:" not in success.output, success.output
    kept = json.loads(query(app, "SELECT report FROM packs")[0][0])
    kept = [(p["achievement"], p["field"], p["reason"]) for p in kept]
    assert printed_problems(success.stdout) == kept == warnings(report)
    assert success.stdout.index("警告（8）") < success.stdout.index("已导入内容包 test-pack v1：2 项成果")


def test_the_cli_passes_force_and_the_unpacked_limit_and_answers_with_exit_codes(runner, pack_dir, tmp_path):
    archive = zip_folder(pack_dir, tmp_path / "pack.zip")
    small = runner.invoke(args=["pack", "import", str(archive), "--max-unpacked", "1000"])
    assert small.exit_code == 1 and printed_problems(small.stderr)[0][:2] == ("pack.json", "(压缩包)")
    assert runner.invoke(args=["pack", "import", str(archive)]).exit_code == 0
    again = runner.invoke(args=["pack", "import", str(pack_dir)])
    assert again.exit_code == 0 and "内容包 test-pack v1 已安装，无需重复导入" in again.stdout
    forced = runner.invoke(args=["pack", "import", str(pack_dir), "--force"])
    assert forced.exit_code == 0 and "已导入内容包 test-pack v1：2 项成果" in forced.stdout


def _v2(tmp_path, ids, version=2, title_suffix=" 第二版"):
    """Write the same pack_id at another version with other achievements; return (folder, pack)."""
    folder = tmp_path / f"v{version}"
    pack = small_pack(folder, ids=ids, version=version)
    for a in pack["achievements"]:
        a["title"] += title_suffix
    write_pack_json(folder, pack)
    return folder, pack


def test_broken_v2_leaves_v1_exactly_as_it_was(app, client, pack_dir, tmp_path):
    imported(app, pack_dir)
    before = shown(app)
    detail_before = client.get("/a/A1").get_data(as_text=True)
    folder, _ = _v2(tmp_path, ("A1", "C3"))
    (folder / "C3" / "video.mp4").write_bytes((FIXTURES / "faststart.mp4").read_bytes()[:5000])
    found = refused(app, folder)
    assert has(found, "C3", "videos[0].file", "文件不完整")
    assert shown(app) == before == ({"test-pack": 1}, [("A1", "成果A1"), ("B2", "成果B2")])
    assert client.get("/a/A1").get_data(as_text=True) == detail_before
    assert client.get("/a/B2").status_code == 200
    assert client.get("/a/C3").status_code == 404
    assert client.get("/media/test-pack/B2/video.mp4").status_code == 200


def test_higher_version_replaces_and_removed_achievements_are_gone(app, client, pack_dir, tmp_path):
    imported(app, pack_dir)
    folder, _ = _v2(tmp_path, ("A1", "C3"))
    result = imported(app, folder)
    assert "已导入内容包 test-pack v2：2 项成果" in result.message
    assert shown(app) == ({"test-pack": 2}, [("A1", "成果A1 第二版"), ("C3", "成果C3 第二版")])
    assert client.get("/a/B2").status_code == 404
    assert client.get("/media/test-pack/B2/photo-1.jpg").status_code == 404
    assert "成果A1 第二版" in client.get("/a/A1").get_data(as_text=True)
    assert query(app, "SELECT COUNT(*) FROM achievement_media WHERE achievement_id = 'B2'") == [(0,)]
    assert query(app, "SELECT COUNT(*) FROM quiz_questions WHERE achievement_id = 'B2'") == [(0,)]


def test_equal_version_is_a_no_op_that_says_so(app, pack_dir, tmp_path):
    imported(app, pack_dir)
    before = shown(app)
    folder, _ = _v2(tmp_path, ("A1", "C3"), version=1)
    result = imported(app, folder)
    assert "内容包 test-pack v1 已安装，无需重复导入" in result.message
    assert shown(app) == before


def test_lower_version_is_refused_unless_forced(app, tmp_path):
    folder, _ = _v2(tmp_path, ("A1", "C3"), version=3)
    imported(app, folder)
    older, _ = _v2(tmp_path, ("A1",), version=2, title_suffix=" 旧版")
    found = refused(app, older)
    assert has(found, "pack.json", "version", "已安装更高版本 v3")
    assert shown(app)[0] == {"test-pack": 3}
    imported(app, older, force=True)
    assert shown(app) == ({"test-pack": 2}, [("A1", "成果A1 旧版")])


def test_achievement_id_of_another_installed_pack_is_refused(app, pack_dir, tmp_path):
    imported(app, pack_dir)
    small_pack(tmp_path / "other", ids=("C3", "B2"), pack_id="other-pack")
    found = refused(app, tmp_path / "other")
    assert found == [("B2", "id", "成果编号已被已安装的内容包 test-pack 使用")]
    assert shown(app)[0] == {"test-pack": 1}


def test_two_packs_live_side_by_side(app, pack_dir, tmp_path):
    imported(app, pack_dir)
    small_pack(tmp_path / "other", ids=("C3",), pack_id="other-pack")
    imported(app, tmp_path / "other")
    assert shown(app)[0] == {"test-pack": 1, "other-pack": 1}


def test_forced_reimport_recognises_files_by_checksum(app, pack_dir, monkeypatch):
    imported(app, pack_dir)
    derived = sorted((MediaStore(app.instance_path).root / "derived").rglob("*.jpg"))
    assert len(derived) == 2  # every make_pack photo has the same bytes, so one screen and one thumb
    mtimes = {p: p.stat().st_mtime_ns for p in derived}
    probed = []
    real_probe = pack_media._probe
    monkeypatch.setattr(pack_media, "_probe", lambda path, *rest: probed.append(path) or real_probe(path, *rest))
    imported(app, pack_dir, force=True)
    assert probed == []
    assert {p: p.stat().st_mtime_ns for p in derived} == mtimes
    photo(pack_dir / "A1" / "photo-2.jpg", colour="firebrick")
    imported(app, pack_dir, force=True)
    assert [p.relative_to(pack_dir).as_posix() for p in probed] == ["A1/photo-2.jpg"]


def test_lost_derivative_is_made_again_on_reimport(app, pack_dir, monkeypatch):
    imported(app, pack_dir)
    lost = next((MediaStore(app.instance_path).root / "derived").rglob("*-thumb.jpg"))
    lost.unlink()
    imported(app, pack_dir, force=True)
    assert lost.is_file()


def test_a_file_named_as_photo_and_as_video_must_pass_both(app, pack_dir):
    pack = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    pack["achievements"][0]["videos"][0]["file"] = "A1/photo-1.jpg"
    write_pack_json(pack_dir, pack)
    assert has(refused(app, pack_dir), "A1", "videos[0].file", "不是 MP4 文件")


def test_shared_files_between_achievements_are_checked_once(app, pack_dir, monkeypatch):
    pack = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    clone(pack, "C3")
    write_pack_json(pack_dir, pack)
    probed = []
    real_probe = pack_media._probe
    monkeypatch.setattr(pack_media, "_probe", lambda path, *rest: probed.append(path) or real_probe(path, *rest))
    imported(app, pack_dir)
    assert len(probed) == len(set(probed)) == 10
