"""Build media/demo-pack/ from content.json, check it with the kiosk's own importer, and keep it under 10 MB."""

import json
import shutil
import sys
import tempfile
from pathlib import Path

from demo_pack.content import content
from demo_pack.draw import FONT_PATH
from demo_pack.photos import render_photo, save_photo
from demo_pack.quiz import build_quiz
from demo_pack.video import make_mp3, make_video, render_slides
from kiosk.catalogue.vocabulary import AWARDS

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "media" / "demo-pack"
MAX_PACK_BYTES = 10_000_000
PUBLIC_KEYS = [
    "id",
    "title",
    "award",
    "category",
    "kind",
    "originality",
    "patents",
    "applicant",
    "unit",
    "union",
    "industry",
    "completed",
    "practice_months",
    "completers",
    "first_completer_intro",
    "summary",
    "background",
    "goals",
    "innovations",
    "benefits",
    "application",
    "new_quality_productivity",
    "photos",
    "videos",
    "audio",
    "quiz",
]


def build(out=OUT):
    """Write the whole pack into out (emptied first): photos, video, audio and quiz per achievement, then pack.json."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    achievements = content()["achievements"]
    all_units = [a["unit"] for a in achievements]
    records = []
    with tempfile.TemporaryDirectory(prefix="demo-pack-") as tmpdir:
        tmp = Path(tmpdir)
        for ach in achievements:
            aid = ach["id"]
            folder = out / aid
            folder.mkdir()
            print(f"  {aid} {ach['title']}", flush=True)
            photos = []
            for i in range(3):
                img = render_photo(ach, i)
                save_photo(img, folder / f"photo-{i + 1}.jpg", sideways=(ach.get("_sideways") == i))
                photos.append({"file": f"{aid}/photo-{i + 1}.jpg", "caption": ach["_captions"][i]})
            slides = render_slides(ach, folder / "photo-1.jpg")
            spoken_title = ach.get("_spoken_title", ach["title"])
            make_video(slides, f"{spoken_title}。荣获{AWARDS[ach['award']]}。", folder / "video.mp4", tmp)
            videos = [
                {"file": f"{aid}/video.mp4", "title": f"{ach['title']}（成果演示）", "poster": f"{aid}/photo-1.jpg"}
            ]
            make_mp3(ach["_transcript"], folder / "explain.mp3", tmp)
            audio = [
                {
                    "file": f"{aid}/explain.mp3",
                    "title": f"{ach['title']}：从生产到应用",
                    "transcript": ach["_transcript"],
                }
            ]
            quiz = build_quiz(ach, all_units)
            if ach["_quiz_inline"]:
                quiz_value = quiz
            else:
                (folder / "quiz.json").write_text(
                    json.dumps(quiz, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                quiz_value = f"{aid}/quiz.json"
            rec = {k: ach[k] for k in PUBLIC_KEYS if k in ach}
            rec.update(photos=photos, videos=videos, audio=audio, quiz=quiz_value)
            records.append({k: rec[k] for k in PUBLIC_KEYS})
    pack = dict(content()["pack"], achievements=records)
    (out / "pack.json").write_text(json.dumps(pack, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pack


def import_report(folder):
    """Import the pack into a throwaway kiosk instance with the kiosk's own importer; return its ImportResult."""
    from kiosk import create_app
    from kiosk.packs.library import run_import

    with tempfile.TemporaryDirectory(prefix="demo-pack-check-") as instance:
        app = create_app({"TESTING": True}, instance_path=instance)
        with app.app_context():
            return run_import(folder)


def main():
    """Build the pack, refuse it if the kiosk's importer finds an error or it is over 10 MB; return the exit code."""
    for tool in ("ffmpeg", "espeak-ng"):
        if shutil.which(tool) is None:
            print(f"missing tool: {tool}", file=sys.stderr)
            return 2
    if not Path(FONT_PATH).is_file():
        print(f"missing font: {FONT_PATH} (apt-get install fonts-wqy-zenhei)", file=sys.stderr)
        return 2
    print(f"building {OUT.relative_to(ROOT)}")
    pack = build()
    result = import_report(OUT)
    for problem in result.report.warnings:
        print("  warning:", problem)
    for problem in result.report.errors:
        print("  error:", problem, file=sys.stderr)
    if not result.ok:
        print("the kiosk's importer refuses the pack", file=sys.stderr)
        return 1
    by_kind = {}
    for p in sorted(OUT.rglob("*")):
        if p.is_file():
            by_kind[p.suffix] = by_kind.get(p.suffix, 0) + p.stat().st_size
    total = sum(by_kind.values())
    print("  sizes: " + ", ".join(f"{k} {v:,} B" for k, v in sorted(by_kind.items())))
    print(
        f"the kiosk's importer takes it: {len(pack['achievements'])} achievements, {len(result.report.warnings)} "
        f"warnings; total size {total:,} bytes"
    )
    if total > MAX_PACK_BYTES:
        print(f"pack is {total:,} bytes, over {MAX_PACK_BYTES:,}", file=sys.stderr)
        return 1
    return 0
