"""Warnings about text, quizzes and awards: the pack is imported and the operator is told."""

import json

import pytest

from tests.pack_runs import clone, edit_pack, imported, query, warnings
from tests.packs import questions

PACK = "pack.json"


edit = edit_pack


def warned(app, folder):
    """Import, expect success, and return the warnings that are not about media guidelines."""
    return [p for p in warnings(imported(app, folder)) if not p[1].endswith(".file")]


def test_valid_pack_earns_none_of_these(app, pack_dir):
    assert warned(app, pack_dir) == []


@pytest.mark.parametrize("field, length, guideline", [("title", 21, 20), ("background", 101, 100), ("goals", 101, 100)])
def test_text_over_its_guideline(app, pack_dir, field, length, guideline):
    edit(pack_dir, lambda pack: pack["achievements"][0].update({field: "字" * length}))
    assert warned(app, pack_dir) == [("A1", field, f"超过建议的约 {guideline} 字（现为 {length} 字）")]
    assert query(app, f"SELECT length({field}) FROM achievements") == [(length,)]


@pytest.mark.parametrize("field, length", [("title", 20), ("background", 100), ("goals", 100)])
def test_text_at_its_guideline_earns_nothing(app, pack_dir, field, length):
    edit(pack_dir, lambda pack: pack["achievements"][0].update({field: "字" * length}))
    assert warned(app, pack_dir) == []


@pytest.mark.parametrize(
    "quiz, reason",
    [
        (questions(19), "题库少于 20 题（现为 19 题）"),
        ([], "题库少于 20 题（现为 0 题）"),
        (None, "没有题库"),
        ("absent", "没有题库"),
    ],
    ids=["19", "empty", "null", "absent"],
)
def test_small_or_missing_quiz(app, pack_dir, quiz, reason):
    def change(pack):
        a = pack["achievements"][0]
        if quiz == "absent":
            del a["quiz"]
        else:
            a["quiz"] = quiz

    edit(pack_dir, change)
    assert warned(app, pack_dir) == [("A1", "quiz", reason)]
    assert query(app, "SELECT COUNT(*) FROM quiz_questions") == [(len(quiz) if isinstance(quiz, list) else 0,)]


def test_small_quiz_file(app, pack_dir):
    (pack_dir / "A1" / "quiz.json").write_text(json.dumps(questions(5), ensure_ascii=False), encoding="utf-8")
    edit(pack_dir, lambda pack: pack["achievements"][0].update(quiz="A1/quiz.json"))
    assert warned(app, pack_dir) == [("A1", "quiz", "题库少于 20 题（现为 5 题）")]


@pytest.mark.parametrize("award, count, limit", [("first", 2, 1), ("second", 3, 2), ("third", 4, 3)])
def test_more_awards_of_one_level_than_the_plan_gives(app, pack_dir, award, count, limit):
    def change(pack):
        pack["achievements"][0]["award"] = award
        for i in range(2, count + 1):
            clone(pack, f"A{i}")

    edit(pack_dir, change)
    name = {"first": "一等奖", "second": "二等奖", "third": "三等奖"}[award]
    assert warned(app, pack_dir) == [(PACK, "award", f"{name}共 {count} 项，超过方案规定的 {limit} 项")]


def test_awards_within_the_plan_and_any_number_of_others_earn_nothing(app, pack_dir):
    def change(pack):
        for i, award in enumerate(["second", "second", "third", "third", "third"] + ["encouragement"] * 6 + [None] * 2):
            clone(pack, f"B{i}", award=award)

    edit(pack_dir, change)
    assert warned(app, pack_dir) == []


@pytest.mark.parametrize(
    "award, people, cap",
    [
        ("first", 10, 9),
        ("second", 8, 7),
        ("third", 6, 5),
        ("encouragement", 4, 3),
    ],
)
def test_collective_entry_over_its_award_cap(app, pack_dir, award, people, cap):
    def change(pack):
        pack["achievements"][0].update(award=award, completers=[{"name": f"完成人{i}"} for i in range(people)])

    edit(pack_dir, change)
    name = {"first": "一等奖", "second": "二等奖", "third": "三等奖", "encouragement": "鼓励奖"}[award]
    found = warned(app, pack_dir)
    assert found == [("A1", "completers", f"集体申报获{name}人数超过上限 {cap} 人（现为 {people} 人）")]


@pytest.mark.parametrize("award, people", [("first", 9), ("second", 7), ("third", 5), ("encouragement", 3), (None, 20)])
def test_collective_entry_at_its_cap_earns_nothing(app, pack_dir, award, people):
    def change(pack):
        pack["achievements"][0].update(award=award, completers=[{"name": f"完成人{i}"} for i in range(people)])

    edit(pack_dir, change)
    assert warned(app, pack_dir) == []


def test_warnings_are_kept_with_the_installed_pack(app, pack_dir):
    edit(pack_dir, lambda pack: pack["achievements"][0].update(title="字" * 25, quiz=questions(3)))
    imported(app, pack_dir)
    kept = json.loads(query(app, "SELECT report FROM packs")[0][0])
    kept_warnings = {(p["achievement"], p["field"]) for p in kept if p["level"] == "warning"}
    assert kept_warnings >= {("A1", "title"), ("A1", "quiz")}
