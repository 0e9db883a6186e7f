"""The rules of `wuxiao-pack/1` for pack.json and quiz questions: what is refused and what is only reported."""

import re
import unicodedata

from kiosk.catalogue.vocabulary import AWARDS, CATEGORIES, JUDGE_OPTIONS, KINDS, ORIGINALITY, PATENTS, QUESTION_TYPES
from kiosk.packs.report import PACK_LEVEL

FORMAT = "wuxiao-pack/1"
PACK_ID = re.compile(r"[a-z0-9_-]{1,64}")
ACHIEVEMENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SQLITE_MAX_INT = 2**63 - 1
RESIDENT_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
ID_SEPARATORS = re.compile(r"(?<=[0-9])[ \-](?=[0-9Xx])")

AWARD_LIMITS = {"first": 1, "second": 2, "third": 3}
COLLECTIVE_CAPS = {"first": 9, "second": 7, "third": 5, "encouragement": 3}

# key: (required, kind, limit, warn_above); kinds are checked by _check_value.
ACHIEVEMENT_FIELDS = {
    "id": (True, "id", None, None),
    "title": (True, "text", 40, 20),
    "award": (False, "award", None, None),
    "category": (True, ("enum", CATEGORIES), None, None),
    "kind": (True, ("enum", KINDS), None, None),
    "originality": (False, ("enum", ORIGINALITY), None, None),
    "patents": (False, "patents", None, None),
    "applicant": (False, "text", None, None),
    "unit": (True, "text", None, None),
    "union": (False, "text", None, None),
    "industry": (False, "text", None, None),
    "completed": (False, "year_month", None, None),
    "practice_months": (False, "count", None, None),
    "completers": (True, "completers", None, None),
    "first_completer_intro": (False, "text", 100, None),
    "summary": (True, "text", 500, None),
    "background": (False, "text", 300, 100),
    "goals": (False, "text", 300, 100),
    "innovations": (False, "text", 500, None),
    "benefits": (False, "benefits", None, None),
    "application": (False, "text", 500, None),
    "new_quality_productivity": (False, "bool", None, None),
    "photos": (True, ("media", ("file", "caption")), None, None),
    "videos": (False, ("media", ("file", "title")), None, None),
    "audio": (False, ("media", ("file", "title")), None, None),
    "quiz": (False, "quiz", None, None),
}
REQUIRED_TEXT = {k for k, (required, kind, _, _) in ACHIEVEMENT_FIELDS.items() if required and kind == "text"}
MEDIA_OPTIONAL = {"videos": ("poster",), "audio": ("transcript",), "photos": ()}
TYPE_NAMES = {str: "文本", int: "整数", bool: "true/false", list: "列表", dict: "对象"}


def is_resident_id(digits):
    """Return whether an 18-character string has a valid mainland resident ID check digit."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(digits[:17], weights))
    return "10X98765432"[total % 11] == digits[17].upper()


def walk_strings(value, path=""):
    """Yield (field path, text) for every string inside value, object keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk_strings(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            yield where, key
            yield from walk_strings(item, where)


def find_resident_ids(value, path, found):
    """Append (field path) for every string inside value that holds something like a resident ID."""
    for where, text in walk_strings(value, path):
        # Full-width digits and digits split by spaces or hyphens still read as an ID to a visitor.
        plain = unicodedata.normalize("NFKC", text)
        for candidate in (plain, ID_SEPARATORS.sub("", plain)):
            if any(is_resident_id(m.group()) for m in RESIDENT_ID.finditer(candidate)):
                found.append(where)
                break
    return found


def find_unencodable(value, path=""):
    """Return the first field path whose text UTF-8 cannot hold (a lone \\ud800-style escape), or None."""
    for where, text in walk_strings(value, path):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # The path itself may hold the bad key; show it the way JSON wrote it.
            return where.encode("utf-8", "backslashreplace").decode("utf-8") or "(根)"
    return None


def path_problem(value):
    """Return why a pack path is unacceptable, or None when its form is fine."""
    if not isinstance(value, str) or not value:
        return "应为内容包内的文件路径"
    if "\\" in value:
        return "路径须用 / 分隔"
    if value.startswith("/") or re.match(r"[A-Za-z]:", value):
        return "不允许绝对路径"
    if ".." in value.split("/"):
        return "路径不允许包含 ..，不能离开内容包"
    return None


def _is_int(value):
    """Return whether value is a JSON integer (not a boolean) that the database can hold."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= SQLITE_MAX_INT


def _wrong_type(report, aid, key, expected):
    """Report a value of the wrong JSON type."""
    report.error(aid, key, f"类型错误，应为{TYPE_NAMES[expected]}")


def _check_text(report, aid, key, value, limit, warn_above):
    """Check a plain-text value against its hard limit and its guideline."""
    if not isinstance(value, str):
        return _wrong_type(report, aid, key, str)
    if limit and len(value) > limit:
        report.error(aid, key, f"超过 {limit} 字上限（现为 {len(value)} 字）")
    elif warn_above and len(value) > warn_above:
        report.warning(aid, key, f"超过建议的约 {warn_above} 字（现为 {len(value)} 字）")


def _check_media_list(report, aid, key, value, required_keys):
    """Check a list of media entries: objects with a valid `file` path and their text keys."""
    if not isinstance(value, list):
        return _wrong_type(report, aid, key, list)
    for i, item in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(item, dict):
            _wrong_type(report, aid, where, dict)
            continue
        for sub in required_keys:
            if sub not in item:
                report.error(aid, f"{where}.{sub}", "缺少必填项")
        for sub in set(required_keys) - {"file"} | set(MEDIA_OPTIONAL[key]):
            if sub in item and not isinstance(item[sub], str):
                _wrong_type(report, aid, f"{where}.{sub}", str)
        for sub in ("file", "poster"):
            if sub in item and (reason := path_problem(item[sub])):
                report.error(aid, f"{where}.{sub}", reason)


def _check_value(report, aid, key, kind, value, limit, warn_above):
    """Check one achievement value by the kind of rule its key has."""
    if kind == "text":
        _check_text(report, aid, key, value, limit, warn_above)
        if key in REQUIRED_TEXT and isinstance(value, str) and not value.strip():
            report.error(aid, key, "不能为空")
    elif kind == "id":
        if not isinstance(value, str) or not ACHIEVEMENT_ID.fullmatch(value):
            report.error(aid, key, "须为 1–64 个 A-Z a-z 0-9 - _ 字符")
    elif kind == "award":
        if not isinstance(value, str) or value not in AWARDS:
            report.error(aid, key, f"取值无效「{value}」，应为 first/second/third/encouragement 或 null")
    elif isinstance(kind, tuple) and kind[0] == "enum":
        if value not in kind[1]:
            report.error(aid, key, f"取值无效「{value}」，应为：{'、'.join(kind[1])}")
    elif kind == "patents":
        if not isinstance(value, list):
            return _wrong_type(report, aid, key, list)
        for i, p in enumerate(value):
            if p not in PATENTS:
                report.error(aid, f"{key}[{i}]", f"取值无效「{p}」，应为：{'、'.join(PATENTS)}")
    elif kind == "year_month":
        if not isinstance(value, str) or not YEAR_MONTH.fullmatch(value):
            report.error(aid, key, "须为 YYYY-MM 格式")
    elif kind == "count":
        if not _is_int(value) or value < 0:
            report.error(aid, key, "须为不小于 0 的整数")
    elif kind == "bool":
        if not isinstance(value, bool):
            _wrong_type(report, aid, key, bool)
    elif kind == "completers":
        _check_completers(report, aid, key, value)
    elif kind == "benefits":
        if not isinstance(value, dict):
            return _wrong_type(report, aid, key, dict)
        for sub in ("economic", "social"):
            if sub in value:
                _check_text(report, aid, f"{key}.{sub}", value[sub], 500, None)
    elif isinstance(kind, tuple) and kind[0] == "media":
        _check_media_list(report, aid, key, value, kind[1])
    elif kind == "quiz":
        if isinstance(value, str):
            if reason := path_problem(value):
                report.error(aid, key, reason)
        elif isinstance(value, list):
            check_questions(report, aid, key, value)
        else:
            report.error(aid, key, "类型错误，应为题库文件路径或题目列表")


def _check_completers(report, aid, key, value):
    """Check the list of completers: 1–20 objects each with a name."""
    if not isinstance(value, list):
        return _wrong_type(report, aid, key, list)
    if not 1 <= len(value) <= 20:
        report.error(aid, key, f"须有 1–20 人（现为 {len(value)} 人）")
    for i, person in enumerate(value):
        if not isinstance(person, dict):
            _wrong_type(report, aid, f"{key}[{i}]", dict)
            continue
        if not isinstance(person.get("name"), str) or not person["name"].strip():
            report.error(aid, f"{key}[{i}].name", "缺少姓名")
        if "contribution" in person and not isinstance(person["contribution"], str):
            _wrong_type(report, aid, f"{key}[{i}].contribution", str)


def check_questions(report, aid, key, questions):
    """Check quiz questions: type, options, answers that fit the type; warn on a small bank."""
    if not isinstance(questions, list):
        return report.error(aid, key, "题库应为题目列表")
    for i, q in enumerate(questions):
        where = f"{key}[{i}]"
        if not isinstance(q, dict):
            _wrong_type(report, aid, where, dict)
            continue
        if q.get("type") not in tuple(QUESTION_TYPES):
            report.error(aid, f"{where}.type", "题型应为 single、multiple 或 judge")
        if not isinstance(q.get("question"), str) or not q["question"].strip():
            report.error(aid, f"{where}.question", "缺少题目")
        options = q.get("options")
        if not isinstance(options, list) or len(options) < 2 or not all(isinstance(o, str) for o in options):
            report.error(aid, f"{where}.options", "选项应为至少 2 个文本")
            options = None
        elif q.get("type") == "judge" and options != JUDGE_OPTIONS:
            report.error(aid, f"{where}.options", '判断题的选项须为 ["正确", "错误"]')
        if "explanation" in q and not isinstance(q["explanation"], str):
            _wrong_type(report, aid, f"{where}.explanation", str)
        _check_answer(report, aid, where, q.get("type"), options, q.get("answer"))
    if len(questions) < 20:
        report.warning(aid, key, f"题库少于 20 题（现为 {len(questions)} 题）")


def _check_answer(report, aid, where, qtype, options, answer):
    """Check a question's answer indexes against its options and type."""
    if not isinstance(answer, list) or not answer:
        return report.error(aid, f"{where}.answer", "答案为空")
    if not all(_is_int(a) for a in answer) or len(set(answer)) != len(answer):
        return report.error(aid, f"{where}.answer", "答案应为不重复的选项序号（从 0 开始）")
    if options is not None and any(not 0 <= a < len(options) for a in answer):
        return report.error(aid, f"{where}.answer", "答案序号超出选项范围")
    if qtype in ("single", "judge") and len(answer) != 1:
        report.error(aid, f"{where}.answer", "单选题和判断题只能有 1 个答案")
    elif qtype == "multiple" and len(answer) < 2:
        report.error(aid, f"{where}.answer", "多选题须有 2 个或以上答案")


def check_pack_header(report, pack):
    """Check the pack's own keys; return whether the achievements can be checked at all."""
    if not isinstance(pack, dict):
        report.error(PACK_LEVEL, "(根)", "pack.json 顶层应为对象")
        return False
    for key in ("format", "pack_id", "version", "title", "achievements"):
        if key not in pack:
            report.error(PACK_LEVEL, key, "缺少必填项")
    if "format" in pack and pack["format"] != FORMAT:
        report.error(PACK_LEVEL, "format", f"不支持的格式「{pack['format']}」，应为 {FORMAT}")
    if "pack_id" in pack and not (isinstance(pack["pack_id"], str) and PACK_ID.fullmatch(pack["pack_id"])):
        report.error(PACK_LEVEL, "pack_id", "须为 1–64 个 a-z 0-9 - _ 字符")
    if "version" in pack and not (_is_int(pack["version"]) and pack["version"] >= 1):
        report.error(PACK_LEVEL, "version", "须为不小于 1 的整数")
    for key in ("title", "organizer", "published_at"):
        if key in pack and not isinstance(pack[key], str):
            _wrong_type(report, PACK_LEVEL, key, str)
    achievements = pack.get("achievements")
    if "achievements" in pack and (not isinstance(achievements, list) or not achievements):
        report.error(PACK_LEVEL, "achievements", "应为非空的成果列表")
        return False
    return isinstance(achievements, list)


def check_achievements(report, achievements):
    """Check every achievement's keys, ids, awards and collective caps."""
    seen = set()
    award_counts = {}
    for index, a in enumerate(achievements):
        if not isinstance(a, dict):
            report.error(f"第 {index + 1} 项", "(成果)", "应为对象")
            continue
        aid = a["id"] if isinstance(a.get("id"), str) and a["id"] else f"第 {index + 1} 项"
        if aid in seen:
            report.error(aid, "id", "成果编号重复")
        seen.add(aid)
        for key, (required, kind, limit, warn_above) in ACHIEVEMENT_FIELDS.items():
            # null is read as absent: exporters often write null for an empty optional key.
            if a.get(key) is None:
                if required:
                    report.error(aid, key, "缺少必填项")
                continue
            _check_value(report, aid, key, kind, a[key], limit, warn_above)
        award = a.get("award")
        if isinstance(award, str) and award in AWARDS:
            award_counts[award] = award_counts.get(award, 0) + 1
            completers = a.get("completers")
            if isinstance(completers, list) and len(completers) > COLLECTIVE_CAPS[award]:
                report.warning(
                    aid,
                    "completers",
                    f"集体申报获{AWARDS[award]}人数超过上限 {COLLECTIVE_CAPS[award]} 人（现为 {len(completers)} 人）",
                )
        if isinstance(a.get("photos"), list) and 0 < len(a["photos"]) < 3:
            report.warning(aid, "photos", f"成果照片少于 3 张（现为 {len(a['photos'])} 张）")
        elif isinstance(a.get("photos"), list) and not a["photos"]:
            report.error(aid, "photos", "至少需要 1 张成果照片")
        for i, clip in enumerate(a["audio"] if isinstance(a.get("audio"), list) else []):
            if isinstance(clip, dict) and not str(clip.get("transcript") or "").strip():
                report.warning(aid, f"audio[{i}].transcript", "音频没有讲解文字，听障观众将看不到字幕")
        if a.get("quiz") is None:
            report.warning(aid, "quiz", "没有题库")
    for award, limit in AWARD_LIMITS.items():
        if award_counts.get(award, 0) > limit:
            report.warning(
                PACK_LEVEL, "award", f"{AWARDS[award]}共 {award_counts[award]} 项，超过方案规定的 {limit} 项"
            )


def check_resident_ids(report, pack):
    """Refuse any text that looks like a mainland resident ID number."""
    for a_index, a in enumerate(pack.get("achievements") or []):
        if not isinstance(a, dict):
            continue
        aid = a["id"] if isinstance(a.get("id"), str) and a["id"] else f"第 {a_index + 1} 项"
        for path in find_resident_ids(a, "", []):
            report.error(aid, path, "含有疑似居民身份证号，展示端不得显示")
    header = {k: v for k, v in pack.items() if k != "achievements"} if isinstance(pack, dict) else {}
    for path in find_resident_ids(header, "", []):
        report.error(PACK_LEVEL, path, "含有疑似居民身份证号，展示端不得显示")
