"""The demo pack's generator: its text lives in content.json and rebuilds exactly what is committed."""

import json
import sys

import pytest

from tests.support import DEMO_PACK, ROOT


@pytest.fixture(scope="module")
def generator():
    """Return the generator's modules (scripts/demo_pack), importable as the build script imports them."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from demo_pack import build, content, photos, quiz

        yield build, content, photos, quiz
    finally:
        sys.path.remove(str(ROOT / "scripts"))


def committed():
    """Return the committed demo pack.json."""
    return json.loads((DEMO_PACK / "pack.json").read_text(encoding="utf-8"))


def test_content_json_holds_the_text_of_the_committed_pack(generator):
    build, content, _, _ = generator
    data, pack = content.content(), committed()
    assert {k: pack[k] for k in data["pack"]} == data["pack"]
    assert [a["id"] for a in data["achievements"]] == [a["id"] for a in pack["achievements"]]
    for source, shown in zip(data["achievements"], pack["achievements"]):
        public = [k for k in build.PUBLIC_KEYS if k not in ("photos", "videos", "audio", "quiz")]
        assert {k: source[k] for k in public if k in source} == {k: shown[k] for k in public if k in shown}
        assert [p["caption"] for p in shown["photos"]] == source["_captions"]
        assert shown["audio"][0]["transcript"] == source["_transcript"]


def test_the_question_banks_are_rebuilt_exactly(generator):
    _, content, _, quiz = generator
    achievements = content.content()["achievements"]
    units = [a["unit"] for a in achievements]
    for source, shown in zip(achievements, committed()["achievements"]):
        bank = shown["quiz"]
        if isinstance(bank, str):
            bank = json.loads((DEMO_PACK / bank).read_text(encoding="utf-8"))
        assert quiz.build_quiz(source, units) == bank, source["id"]


def test_a_photo_is_redrawn_byte_for_byte(generator, tmp_path):
    _, content, photos, _ = generator
    first = content.content()["achievements"][0]
    photos.save_photo(photos.render_photo(first, 1), tmp_path / "photo-2.jpg", sideways=first["_sideways"] == 1)
    assert (tmp_path / "photo-2.jpg").read_bytes() == (DEMO_PACK / first["id"] / "photo-2.jpg").read_bytes()


def test_the_kiosk_s_own_importer_takes_the_committed_pack(generator):
    build, _, _, _ = generator
    result = build.import_report(DEMO_PACK)
    assert result.ok and result.report.errors == []
    assert result.achievements == len(committed()["achievements"])
