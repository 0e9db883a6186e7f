"""Import a content pack all or nothing: check everything first, then swap it in with one transaction."""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.catalogue.search import initials_of
from kiosk.clock import timestamp
from kiosk.packs import rules as pack_rules
from kiosk.packs.media_checks import check_media, count_references, resolve, workers
from kiosk.packs.report import PACK_LEVEL, Report
from kiosk.packs.source import open_pack


@dataclass
class ImportResult:
    """What an import did: `imported`, `unchanged` or `refused`, with its report."""

    status: str
    report: Report
    pack_id: str = None
    version: int = None
    message: str = ""
    achievements: int = 0
    media: dict = field(default_factory=dict)

    @property
    def ok(self):
        """Return whether the kiosk now holds this pack (new or already installed)."""
        return self.status in ("imported", "unchanged")


def achievement_label(index, a):
    """Return the id used in the report for an achievement, even a malformed one."""
    return a["id"] if isinstance(a.get("id"), str) and a["id"] else f"第 {index + 1} 项"


def _read_pack_json(report, root):
    """Parse pack.json at the root, reporting a missing or invalid file."""
    path = Path(root) / "pack.json"
    if not path.is_file():
        report.error(PACK_LEVEL, "(文件)", "内容包根目录下没有 pack.json")
        return None
    try:
        pack = _load_json(path)
        # Checked first: the report and the database must never be handed a lone surrogate.
        if where := pack_rules.find_unencodable(pack):
            report.error(PACK_LEVEL, where, "含有无法用 UTF-8 表示的字符（孤立的 \\uD800–\\uDFFF 转义）")
            return None
        return pack
    except UnicodeDecodeError:
        report.error(PACK_LEVEL, "(文件)", "pack.json 不是 UTF-8 编码")
    except json.JSONDecodeError as e:
        report.error(PACK_LEVEL, "(文件)", f"JSON 格式错误：第 {e.lineno} 行第 {e.colno} 列")
    except RecursionError:
        report.error(PACK_LEVEL, "(文件)", "JSON 嵌套层数过多")
    return None


def _load_json(path):
    """Parse a UTF-8 JSON file, allowing the byte order mark Windows editors add."""
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _load_quiz_files(report, root, achievements):
    """Replace each quiz path by the questions of its file, checking them like inline ones."""
    for index, a in enumerate(achievements):
        if not isinstance(a, dict) or not isinstance(a.get("quiz"), str) or pack_rules.path_problem(a["quiz"]):
            continue
        aid = achievement_label(index, a)
        path = resolve(root, a["quiz"])
        if path is None:
            report.error(aid, "quiz", f"内容包中没有这个文件：{a['quiz']}")
            continue
        try:
            questions = _load_json(path)
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            report.error(aid, "quiz", f"题库文件不是有效的 UTF-8 JSON：{a['quiz']}")
            continue
        if where := pack_rules.find_unencodable(questions, "quiz"):
            report.error(aid, where, "含有无法用 UTF-8 表示的字符（孤立的 \\uD800–\\uDFFF 转义）")
            continue
        pack_rules.check_questions(report, aid, "quiz", questions)
        for where in pack_rules.find_resident_ids(questions, "quiz", []):
            report.error(aid, where, "含有疑似居民身份证号，展示端不得显示")
        a["quiz"] = questions


def _installed(db, pack_id):
    """Return the installed version of a pack, or None."""
    row = db.execute("SELECT version FROM packs WHERE pack_id = ?", [pack_id]).fetchone()
    return row[0] if row else None


def _check_version(report, db, pack, force):
    """Decide from the installed version: None to go on, or 'unchanged'."""
    installed = _installed(db, pack["pack_id"])
    if installed is None or pack["version"] > installed:
        return None
    if pack["version"] == installed and not force:
        return "unchanged"
    if pack["version"] < installed and not force:
        report.error(
            PACK_LEVEL, "version", f"已安装更高版本 v{installed}，拒绝降级到 v{pack['version']}（确需降级请加 --force）"
        )
    return None


def _check_id_clash(report, db, pack):
    """Refuse achievement ids another installed pack already shows (they share /a/<id>)."""
    ids = [a["id"] for a in pack["achievements"] if isinstance(a, dict) and isinstance(a.get("id"), str)]
    for chunk in range(0, len(ids), 500):
        part = ids[chunk : chunk + 500]
        rows = db.execute(
            f"SELECT id, pack_id FROM achievements WHERE pack_id != ? AND id IN ({','.join('?' * len(part))})",
            [pack["pack_id"], *part],
        ).fetchall()
        for aid, other in rows:
            report.error(aid, "id", f"成果编号已被已安装的内容包 {other} 使用")


def check_pack(db, store, source, scratch_dir, max_unpacked, force=False, progress=None, on_total=None):
    """Check a pack and keep its media in the store; return (result, pack, media), pack only when `checked`."""
    report = Report()
    with open_pack(report, source, scratch_dir, max_unpacked) as root:
        pack = _read_pack_json(report, root) if root is not None else None
        if pack is None or not pack_rules.check_pack_header(report, pack):
            return ImportResult("refused", report), None, None
        if report.errors:
            return ImportResult("refused", report, pack.get("pack_id")), None, None
        if _check_version(report, db, pack, force) == "unchanged":
            return (
                ImportResult(
                    "unchanged",
                    report,
                    pack["pack_id"],
                    pack["version"],
                    f"内容包 {pack['pack_id']} v{pack['version']} 已安装，无需重复导入",
                ),
                None,
                None,
            )
        achievements = pack["achievements"]
        pack_rules.check_achievements(report, achievements)
        pack_rules.check_resident_ids(report, pack)
        _load_quiz_files(report, root, achievements)
        _check_id_clash(report, db, pack)
        well_formed = [(achievement_label(i, a), a) for i, a in enumerate(achievements) if isinstance(a, dict)]
        if on_total:
            on_total(count_references(a for _, a in well_formed))
        media = check_media(report, db, store, root, well_formed, progress)
        if report.errors:
            return ImportResult("refused", report, pack["pack_id"], pack["version"]), None, None
        with ThreadPoolExecutor(workers(), thread_name_prefix="pack-copy") as pool:
            list(pool.map(lambda item: store.keep(item["source"], item["sha256"]), media.values()))
        return ImportResult("checked", report, pack["pack_id"], pack["version"]), pack, media


def _achievement_row(pack_id, position, a):
    """Return the achievements row for one checked achievement."""
    benefits = a.get("benefits") or {}
    return {
        "id": a["id"],
        "pack_id": pack_id,
        "position": position,
        "title": a["title"],
        "award": a.get("award"),
        "category": a["category"],
        "kind": a["kind"],
        "originality": a.get("originality"),
        "patents": json.dumps(a.get("patents") or [], ensure_ascii=False),
        "applicant": a.get("applicant"),
        "unit": a["unit"],
        "union_name": a.get("union"),
        "industry": a.get("industry"),
        "completed": a.get("completed"),
        "practice_months": a.get("practice_months"),
        "completers": json.dumps(a["completers"], ensure_ascii=False),
        "first_completer_intro": a.get("first_completer_intro"),
        "summary": a["summary"],
        "background": a.get("background"),
        "goals": a.get("goals"),
        "innovations": a.get("innovations"),
        "benefit_economic": benefits.get("economic"),
        "benefit_social": benefits.get("social"),
        "application": a.get("application"),
        "new_quality_productivity": int(bool(a.get("new_quality_productivity"))),
        "search_text": "\n".join([a["title"], a["unit"], a["summary"]]).lower(),
        "search_initials": initials_of(a["title"] + " " + a["unit"]),
    }


def _media_rows(a):
    """Return the achievement_media rows of one achievement, in pack order."""
    rows = []
    for kind, key in (("photo", "photos"), ("video", "videos"), ("audio", "audio")):
        for position, item in enumerate(a.get(key) or []):
            rows.append(
                {
                    "achievement_id": a["id"],
                    "kind": kind,
                    "position": position,
                    "path": item["file"],
                    "title": item.get("caption") or item.get("title") or "",
                    "transcript": item.get("transcript"),
                    "poster": item.get("poster"),
                }
            )
    return rows


def install_pack(db, pack, media, report):
    """Replace the installed rows of this pack by the checked one, in one transaction."""
    pack_id = pack["pack_id"]
    now = timestamp()
    with db.atomic():
        for table in ("achievement_media", "quiz_questions"):
            db.execute(
                f"DELETE FROM {table} WHERE achievement_id IN (SELECT id FROM achievements WHERE pack_id = ?)",
                [pack_id],
            )
        db.execute("DELETE FROM achievements WHERE pack_id = ?", [pack_id])
        db.execute("DELETE FROM pack_files WHERE pack_id = ?", [pack_id])
        db["packs"].upsert(
            {
                "pack_id": pack_id,
                "version": pack["version"],
                "title": pack["title"],
                "organizer": pack.get("organizer"),
                "published_at": pack.get("published_at"),
                "imported_at": now,
                "report": json.dumps(report.as_json(), ensure_ascii=False),
            },
            pk="pack_id",
        )
        db["media_files"].upsert_all(
            [
                {
                    "sha256": m["sha256"],
                    "size": m["size"],
                    "kind": m["kind"],
                    "mime": m["mime"],
                    "probe": json.dumps(m["probe"], ensure_ascii=False),
                }
                for m in media.values()
            ],
            pk="sha256",
        )
        db["pack_files"].insert_all(
            [{"pack_id": pack_id, "path": path, "sha256": m["sha256"]} for path, m in media.items()]
        )
        for position, a in enumerate(pack["achievements"]):
            db["achievements"].insert(_achievement_row(pack_id, position, a))
            db["achievement_media"].insert_all(_media_rows(a))
            db["quiz_questions"].insert_all(
                [
                    {
                        "achievement_id": a["id"],
                        "position": i,
                        "type": q["type"],
                        "question": q["question"],
                        "options": json.dumps(q["options"], ensure_ascii=False),
                        "answer": json.dumps(q["answer"]),
                        "explanation": q.get("explanation"),
                    }
                    for i, q in enumerate(a.get("quiz") or [])
                ]
            )


def import_pack(db, store, source, scratch_dir, max_unpacked, force=False, progress=None, on_total=None):
    """Check and install a pack; on any error the kiosk keeps what it had."""
    result, pack, media = check_pack(db, store, source, scratch_dir, max_unpacked, force, progress, on_total)
    if result.status != "checked":
        return result
    install_pack(db, pack, media, result.report)
    result.status = "imported"
    result.achievements = len(pack["achievements"])
    result.media = media
    result.message = f"已导入内容包 {pack['pack_id']} v{pack['version']}：{result.achievements} 项成果"
    return result
