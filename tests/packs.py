"""Build small, valid content packs for tests, then break them one way at a time."""

import json
import shutil
from pathlib import Path

from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures" / "media"


def photo(path, size=(1200, 900), colour="steelblue", dpi=(300, 300), fmt="JPEG", **save):
    """Write a photo of the given size and dpi."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, fmt, dpi=dpi, **save)
    return path


def questions(n=20):
    """Return n valid questions mixing the three types."""
    kinds = [
        {
            "type": "single",
            "question": "五小不包括哪项？",
            "options": ["小发明", "小建议", "大工程", "小设计"],
            "answer": [2],
            "explanation": "五小是小发明、小创造、小革新、小设计、小建议。",
        },
        {
            "type": "multiple",
            "question": "哪些属于申报类型？",
            "options": ["设备革新", "方法创新", "工作创意", "大项目"],
            "answer": [0, 1, 2],
        },
        {"type": "judge", "question": "一等奖最多 1 项。", "options": ["正确", "错误"], "answer": [0]},
    ]
    return [dict(kinds[i % 3]) for i in range(n)]


def achievement(aid, award="first", photos=3, title=None):
    """Return a valid achievement dict whose files make_pack writes."""
    return {
        "id": aid,
        "title": title or f"成果{aid}",
        "award": award,
        "category": "小发明",
        "kind": "设备革新",
        "originality": "全部自主独创",
        "patents": ["实用新型专利"],
        "applicant": "示例班组",
        "unit": "示例单位",
        "union": "示例工会",
        "industry": "制造业-通用设备制造业",
        "completed": "2024-05",
        "practice_months": 6,
        "completers": [{"name": "李明", "contribution": "总体设计"}],
        "first_completer_intro": "高级工程师。",
        "summary": "一项创新的成果简介。",
        "background": "背景。",
        "goals": "目标。",
        "innovations": "创新点。",
        "benefits": {"economic": "节约成本。", "social": "提升安全。"},
        "application": "已在三个单位应用。",
        "new_quality_productivity": True,
        "photos": [{"file": f"{aid}/photo-{i}.jpg", "caption": f"照片{i}"} for i in range(1, photos + 1)],
        "videos": [{"file": f"{aid}/video.mp4", "title": "演示视频", "poster": f"{aid}/photo-1.jpg"}],
        "audio": [{"file": f"{aid}/talk.mp3", "title": "讲解", "transcript": "第一句。第二句。"}],
        "quiz": questions(),
    }


def make_pack(root, ids=("A1",), version=1, pack_id="test-pack", awards=None, big_photos=False):
    """Write a valid pack folder at root; return its pack.json dict (already written)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    awards = awards or ["first", "second", "second", "third", "third", "third", "encouragement"]
    items = [achievement(aid, awards[i % len(awards)]) for i, aid in enumerate(ids)]
    for a in items:
        for p in a["photos"]:
            photo(root / p["file"])
        shutil.copy(FIXTURES / "faststart.mp4", root / a["videos"][0]["file"])
        shutil.copy(FIXTURES / "tone.mp3", root / a["audio"][0]["file"])
    pack = {
        "format": "wuxiao-pack/1",
        "pack_id": pack_id,
        "version": version,
        "title": "测试内容包",
        "organizer": "测试",
        "published_at": "2024-10-15T09:00:00+08:00",
        "achievements": items,
    }
    write_pack_json(root, pack)
    return pack


def write_pack_json(root, pack):
    """Write pack.json at root."""
    (Path(root) / "pack.json").write_text(json.dumps(pack, ensure_ascii=False, indent=1), encoding="utf-8")
