"""Every error class of pack.json, quizzes and resident ID numbers: refused, reported, nothing installed."""

import json

import pytest

from tests.pack_runs import edit_pack, has, imported, query, refused, resident_id, shown, wrong_check
from tests.packs import make_pack, questions, write_pack_json

PACK = "pack.json"


edit = edit_pack


def a1(change):
    """Return a change that applies to the first achievement."""
    return lambda pack: change(pack["achievements"][0])


def expect_refused(app, folder, aid, field, fragment):
    """Import, expect a refusal naming (aid, field, …fragment…), and an empty kiosk."""
    found = refused(app, folder)
    assert has(found, aid, field, fragment), found
    assert shown(app) == ({}, [])


# --- pack.json as a file --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, fragment",
    [
        (None, "没有 pack.json"),
        (b'{"format": "wuxiao-pack/1",', "JSON 格式错误"),
        (b"{'format': 'wuxiao-pack/1'}", "JSON 格式错误"),
        ('{"title": "测试"}'.encode("gbk"), "不是 UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "嵌套层数过多"),
    ],
    ids=["missing", "truncated", "single-quotes", "gbk", "too-deep"],
)
def test_pack_json_file_problems(app, pack_dir, content, fragment):
    if content is None:
        (pack_dir / "pack.json").unlink()
    else:
        (pack_dir / "pack.json").write_bytes(content)
    expect_refused(app, pack_dir, PACK, "(文件)", fragment)


def test_pack_json_with_a_byte_order_mark_is_read(app, pack_dir):
    text = (pack_dir / "pack.json").read_text(encoding="utf-8")
    (pack_dir / "pack.json").write_text("\ufeff" + text, encoding="utf-8")
    imported(app, pack_dir)


def test_pack_json_top_level_must_be_an_object(app, pack_dir):
    (pack_dir / "pack.json").write_text("[]", encoding="utf-8")
    expect_refused(app, pack_dir, PACK, "(根)", "应为对象")


def test_lone_surrogate_escape_is_refused_before_it_reaches_the_database(app, pack_dir):
    text = (pack_dir / "pack.json").read_text(encoding="utf-8")
    (pack_dir / "pack.json").write_text(text.replace("一项创新的成果简介。", "\\ud800"), encoding="utf-8")
    expect_refused(app, pack_dir, PACK, "achievements[0].summary", "UTF-8")


# --- the pack's own keys --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["format", "pack_id", "version", "title", "achievements"])
def test_missing_pack_key(app, pack_dir, key):
    edit(pack_dir, lambda pack: pack.pop(key))
    expect_refused(app, pack_dir, PACK, key, "缺少必填项")


@pytest.mark.parametrize(
    "key, value, fragment",
    [
        ("format", "wuxiao-pack/2", "不支持的格式「wuxiao-pack/2」"),
        ("format", "WUXIAO-PACK/1", "不支持的格式"),
        ("pack_id", "TJ-2024", "a-z 0-9 - _"),
        ("pack_id", "tj 2024", "a-z 0-9 - _"),
        ("pack_id", "tj.2024", "a-z 0-9 - _"),
        ("pack_id", "天津", "a-z 0-9 - _"),
        ("pack_id", "", "a-z 0-9 - _"),
        ("pack_id", "a" * 65, "a-z 0-9 - _"),
        ("pack_id", 2024, "a-z 0-9 - _"),
        ("version", 0, "不小于 1 的整数"),
        ("version", -3, "不小于 1 的整数"),
        ("version", 1.5, "不小于 1 的整数"),
        ("version", 2.0, "不小于 1 的整数"),
        ("version", "2", "不小于 1 的整数"),
        ("version", True, "不小于 1 的整数"),
        ("version", 10**20, "不小于 1 的整数"),
        ("title", 5, "类型错误"),
        ("organizer", ["局"], "类型错误"),
        ("achievements", [], "非空"),
        ("achievements", {"A1": {}}, "非空"),
    ],
    ids=lambda v: repr(v)[:20],
)
def test_bad_pack_value(app, pack_dir, key, value, fragment):
    edit(pack_dir, lambda pack: pack.update({key: value}))
    expect_refused(app, pack_dir, PACK, key, fragment)


# --- an achievement's keys ------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["title", "category", "kind", "unit", "completers", "summary", "photos"])
def test_missing_required_achievement_key(app, pack_dir, key):
    edit(pack_dir, a1(lambda a: a.pop(key)))
    expect_refused(app, pack_dir, "A1", key, "缺少必填项")


def test_missing_or_null_id_is_reported_by_position(app, pack_dir):
    edit(pack_dir, a1(lambda a: a.pop("id")))
    expect_refused(app, pack_dir, "第 1 项", "id", "缺少必填项")
    edit(pack_dir, a1(lambda a: a.update(id=None)))
    expect_refused(app, pack_dir, "第 1 项", "id", "缺少必填项")


def test_null_required_value_counts_as_missing(app, pack_dir):
    edit(pack_dir, a1(lambda a: a.update(summary=None)))
    expect_refused(app, pack_dir, "A1", "summary", "缺少必填项")


@pytest.mark.parametrize(
    "key, value, field, fragment",
    [
        ("title", 5, "title", "类型错误，应为文本"),
        ("summary", ["简介"], "summary", "类型错误，应为文本"),
        ("unit", {"name": "单位"}, "unit", "类型错误，应为文本"),
        ("applicant", 1, "applicant", "类型错误，应为文本"),
        ("award", ["first"], "award", "取值无效"),
        ("award", 1, "award", "取值无效"),
        ("completers", "李明", "completers", "类型错误，应为列表"),
        ("completers", ["李明"], "completers[0]", "类型错误，应为对象"),
        ("completers", [{"contribution": "设计"}], "completers[0].name", "缺少姓名"),
        ("completers", [{"name": "李明", "contribution": 3}], "completers[0].contribution", "类型错误"),
        ("patents", "发明专利", "patents", "类型错误，应为列表"),
        ("practice_months", "6", "practice_months", "不小于 0 的整数"),
        ("new_quality_productivity", "是", "new_quality_productivity", "类型错误，应为true/false"),
        ("benefits", "节约成本", "benefits", "类型错误，应为对象"),
        ("benefits", {"economic": 100}, "benefits.economic", "类型错误"),
        ("photos", {"file": "A1/photo-1.jpg"}, "photos", "类型错误，应为列表"),
        ("photos", ["A1/photo-1.jpg"], "photos[0]", "类型错误，应为对象"),
        ("photos", [{"file": "A1/photo-1.jpg"}], "photos[0].caption", "缺少必填项"),
        ("photos", [{"caption": "照片"}], "photos[0].file", "缺少必填项"),
        ("photos", [{"file": "A1/photo-1.jpg", "caption": 1}], "photos[0].caption", "类型错误"),
        ("photos", [{"file": 7, "caption": "照片"}], "photos[0].file", "文件路径"),
        ("photos", [], "photos", "至少需要 1 张"),
        ("videos", "A1/video.mp4", "videos", "类型错误，应为列表"),
        ("videos", [{"file": "A1/video.mp4"}], "videos[0].title", "缺少必填项"),
        ("audio", 5, "audio", "类型错误，应为列表"),
        (
            "audio",
            [{"file": "A1/talk.mp3", "title": "讲解", "transcript": ["第一句"]}],
            "audio[0].transcript",
            "类型错误",
        ),
        ("quiz", 5, "quiz", "类型错误"),
        ("quiz", {"type": "single"}, "quiz", "类型错误"),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_wrong_type(app, pack_dir, key, value, field, fragment):
    edit(pack_dir, a1(lambda a: a.update({key: value})))
    expect_refused(app, pack_dir, "A1", field, fragment)


@pytest.mark.parametrize(
    "key, value, field",
    [
        ("award", "gold", "award"),
        ("award", "一等奖", "award"),
        ("award", "", "award"),
        ("category", "大发明", "category"),
        ("category", "小发明 ", "category"),
        ("kind", "设备改造", "kind"),
        ("originality", "独创", "originality"),
        ("patents", ["外观设计专利"], "patents[0]"),
        ("patents", ["发明专利", "软件著作权"], "patents[1]"),
    ],
)
def test_wrong_enum_value(app, pack_dir, key, value, field):
    edit(pack_dir, a1(lambda a: a.update({key: value})))
    expect_refused(app, pack_dir, "A1", field, "取值无效")


@pytest.mark.parametrize(
    "aid, label",
    [
        ("A 1", "A 1"),
        ("A/1", "A/1"),
        ("成果1", "成果1"),
        ("A.1", "A.1"),
        ("a" * 65, "a" * 65),
        ("", "第 1 项"),
        (17, "第 1 项"),
    ],
)
def test_achievement_id_alphabet(app, pack_dir, aid, label):
    edit(pack_dir, a1(lambda a: a.update(id=aid)))
    expect_refused(app, pack_dir, label, "id", "A-Z a-z 0-9 - _")


@pytest.mark.parametrize("value", ["2024-5", "2024/05", "2024-13", "2024-00", "202405", "2024-05-01", 202405])
def test_completed_must_be_year_month(app, pack_dir, value):
    edit(pack_dir, a1(lambda a: a.update(completed=value)))
    expect_refused(app, pack_dir, "A1", "completed", "YYYY-MM")


@pytest.mark.parametrize("value", [-1, 1.5, True, 2**63])
def test_practice_months_must_be_a_count(app, pack_dir, value):
    edit(pack_dir, a1(lambda a: a.update(practice_months=value)))
    expect_refused(app, pack_dir, "A1", "practice_months", "不小于 0 的整数")


@pytest.mark.parametrize("count", [0, 21])
def test_completers_must_be_1_to_20(app, pack_dir, count):
    people = [{"name": f"完成人{i}", "contribution": "参与"} for i in range(count)]
    edit(pack_dir, a1(lambda a: a.update(completers=people)))
    expect_refused(app, pack_dir, "A1", "completers", f"须有 1–20 人（现为 {count} 人）")


def test_duplicate_achievement_id(app, pack_dir):
    edit(pack_dir, lambda pack: pack["achievements"].append(dict(pack["achievements"][0], title="另一项")))
    expect_refused(app, pack_dir, "A1", "id", "成果编号重复")


@pytest.mark.parametrize(
    "field, limit",
    [
        ("title", 40),
        ("summary", 500),
        ("first_completer_intro", 100),
        ("background", 300),
        ("goals", 300),
        ("innovations", 500),
        ("benefits.economic", 500),
        ("benefits.social", 500),
        ("application", 500),
    ],
)
def test_text_over_its_hard_limit(app, pack_dir, field, limit):
    def change(a):
        if field.startswith("benefits."):
            a["benefits"][field.split(".")[1]] = "字" * (limit + 1)
        else:
            a[field] = "字" * (limit + 1)

    edit(pack_dir, a1(change))
    expect_refused(app, pack_dir, "A1", field, f"超过 {limit} 字上限（现为 {limit + 1} 字）")


def test_values_exactly_at_their_limits_are_accepted(app, pack_dir):
    def change(pack):
        pack["pack_id"] = "a-z_0-9" + "x" * 57
        pack["version"] = 2**63 - 1
        a = pack["achievements"][0]
        a.update(
            id="Az09-_" + "x" * 58,
            title="题" * 40,
            summary="简" * 500,
            first_completer_intro="介" * 100,
            background="景" * 300,
            goals="标" * 300,
            innovations="新" * 500,
            application="用" * 500,
            benefits={"economic": "经" * 500, "social": "社" * 500},
            completed="2024-12",
            practice_months=0,
            award=None,
            patents=[],
            new_quality_productivity=False,
            completers=[{"name": f"完成人{i}"} for i in range(20)],
        )
        del a["originality"]

    edit(pack_dir, change)
    imported(app, pack_dir)
    assert len(shown(app)[1]) == 1


# --- quizzes --------------------------------------------------------------------------------------------


def quiz_change(index, **changes):
    """Return a change to question index of the first achievement's inline quiz (0 single, 1 multiple, 2 judge)."""
    return a1(lambda a: a["quiz"][index].update(changes))


@pytest.mark.parametrize(
    "index, changes, field, fragment",
    [
        (0, {"answer": []}, "answer", "答案为空"),
        (0, {"answer": 2}, "answer", "答案为空"),
        (0, {"answer": [4]}, "answer", "超出选项范围"),
        (0, {"answer": [-1]}, "answer", "超出选项范围"),
        (0, {"answer": ["2"]}, "answer", "选项序号"),
        (0, {"answer": [True]}, "answer", "选项序号"),
        (0, {"answer": [0, 2]}, "answer", "只能有 1 个答案"),
        (1, {"answer": [2]}, "answer", "2 个或以上"),
        (1, {"answer": [1, 1]}, "answer", "不重复"),
        (1, {"answer": [0, 4]}, "answer", "超出选项范围"),
        (2, {"answer": [0, 1]}, "answer", "只能有 1 个答案"),
        (2, {"answer": [2]}, "answer", "超出选项范围"),
        (2, {"answer": []}, "answer", "答案为空"),
        (2, {"options": ["对", "错"]}, "options", "判断题的选项"),
        (2, {"options": ["错误", "正确"]}, "options", "判断题的选项"),
        (2, {"options": ["正确", "错误", "不确定"]}, "options", "判断题的选项"),
        (0, {"type": "essay"}, "type", "题型"),
        (0, {"question": ""}, "question", "缺少题目"),
        (0, {"options": ["唯一"]}, "options", "至少 2 个"),
        (0, {"explanation": 5}, "explanation", "类型错误"),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_bad_inline_question(app, pack_dir, index, changes, field, fragment):
    edit(pack_dir, quiz_change(index, **changes))
    expect_refused(app, pack_dir, "A1", f"quiz[{index}].{field}", fragment)


def use_quiz_file(folder, content, name="quiz.json"):
    """Point the first achievement at a quiz file holding content (bytes, or JSON-able)."""
    path = folder / "A1" / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, ensure_ascii=False).encode())
    edit(folder, a1(lambda a: a.update(quiz=f"A1/{name}")))


def test_quiz_file_is_imported(app, pack_dir):
    use_quiz_file(pack_dir, questions(25))
    imported(app, pack_dir)
    assert query(app, "SELECT COUNT(*) FROM quiz_questions") == [(25,)]


@pytest.mark.parametrize(
    "content, field, fragment",
    [
        (b'[{"type": "single",', "quiz", "不是有效的 UTF-8 JSON"),
        ("[]".encode("utf-16"), "quiz", "不是有效的 UTF-8 JSON"),
        ({"questions": []}, "quiz", "题库应为题目列表"),
        ([dict(questions(1)[0], answer=[9])], "quiz[0].answer", "超出选项范围"),
        ([dict(questions(3)[2], options=["是", "否"])], "quiz[0].options", "判断题的选项"),
    ],
    ids=["truncated", "utf-16", "object", "out-of-range", "judge-options"],
)
def test_bad_quiz_file(app, pack_dir, content, field, fragment):
    use_quiz_file(pack_dir, content)
    expect_refused(app, pack_dir, "A1", field, fragment)


def test_quiz_file_missing(app, pack_dir):
    edit(pack_dir, a1(lambda a: a.update(quiz="A1/quiz.json")))
    expect_refused(app, pack_dir, "A1", "quiz", "没有这个文件：A1/quiz.json")


@pytest.mark.parametrize(
    "path, fragment",
    [
        ("/etc/quiz.json", "绝对路径"),
        ("../quiz.json", ".."),
        ("A1\\quiz.json", "/ 分隔"),
        ("", "文件路径"),
    ],
)
def test_quiz_path_form(app, pack_dir, path, fragment):
    (pack_dir.parent / "quiz.json").write_text(json.dumps(questions()), encoding="utf-8")
    edit(pack_dir, a1(lambda a: a.update(quiz=path)))
    expect_refused(app, pack_dir, "A1", "quiz", fragment)


# --- resident ID numbers --------------------------------------------------------------------------------

ID_X = "11010519491231002X"  # the example number of GB 11643, check character X
ID_DIGIT = resident_id("12010419850716357")
ID_REASON = "疑似居民身份证号"


def test_resident_id_helper_agrees_with_the_published_example():
    assert resident_id(ID_X[:17]) == ID_X


@pytest.mark.parametrize(
    "change, aid, field",
    [
        (a1(lambda a: a.update(summary=f"联系人身份证号{ID_DIGIT}，请勿外传。")), "A1", "summary"),
        (a1(lambda a: a.update(summary=f"证件 {ID_X.lower()}")), "A1", "summary"),
        (a1(lambda a: a["completers"][0].update(name=f"李明{ID_X}")), "A1", "completers[0].name"),
        (a1(lambda a: a["photos"][1].update(caption=ID_DIGIT)), "A1", "photos[1].caption"),
        (a1(lambda a: a["audio"][0].update(transcript=f"我的号码是{ID_DIGIT}。")), "A1", "audio[0].transcript"),
        (a1(lambda a: a["quiz"][4].update(question=f"{ID_X}是谁的？")), "A1", "quiz[4].question"),
        (a1(lambda a: a.update(applicant=f"ID:{ID_DIGIT}")), "A1", "applicant"),
        (lambda pack: pack.update(organizer=f"天津市{ID_DIGIT}"), PACK, "organizer"),
    ],
    ids=["summary", "lowercase-x", "completer", "caption", "transcript", "inline-quiz", "after-ascii", "organizer"],
)
def test_resident_id_anywhere_is_refused(app, pack_dir, change, aid, field):
    edit(pack_dir, change)
    expect_refused(app, pack_dir, aid, field, ID_REASON)


def test_resident_id_in_a_quiz_file_is_refused(app, pack_dir):
    bank = questions()
    bank[7]["question"] = f"工号与身份证{ID_DIGIT}是否一致？"
    use_quiz_file(pack_dir, bank)
    expect_refused(app, pack_dir, "A1", "quiz[7].question", ID_REASON)


@pytest.mark.parametrize("number", [wrong_check(ID_DIGIT), wrong_check(ID_X), "012345678901234567"])
def test_eighteen_digits_that_are_not_an_id_are_accepted(app, pack_dir, number):
    edit(pack_dir, a1(lambda a: a.update(summary=f"设备序列号{number}")))
    imported(app, pack_dir)
    assert shown(app)[1] == [("A1", "成果A1")]


@pytest.mark.parametrize("key", ["title", "unit", "summary"])
def test_required_text_that_is_blank_is_refused(app, tmp_path, key):
    pack = make_pack(tmp_path / "pack")
    pack["achievements"][0][key] = "  "
    write_pack_json(tmp_path / "pack", pack)
    found = refused(app, tmp_path / "pack")
    assert any(p[:2] == ("A1", key) and p[2].startswith("不能为空") for p in found), found


@pytest.mark.parametrize(
    "text",
    [
        "身份证１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "号码110105-1949-1231-002X",
        "11010519491231002Xabc",
    ],
)
def test_resident_id_written_other_ways_is_refused(app, tmp_path, text):
    pack = make_pack(tmp_path / "pack")
    pack["achievements"][0]["summary"] = text
    write_pack_json(tmp_path / "pack", pack)
    found = refused(app, tmp_path / "pack")
    assert any(p[:2] == ("A1", "summary") and p[2].startswith("含有疑似居民身份证号") for p in found), found
