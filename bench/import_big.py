"""Importing a province-sized pack: the kiosk's import against a naive loop over the same files, in one run.

    .venv/bin/python bench/import_big.py [--achievements 200] [--photos 600] [--videos 20] [--video-mb 20]
                                         [--pack DIR] [--keep]

1. Makes a pack (unless --pack names one made before; --keep leaves it, and its path is printed):
   --achievements winners cloned from the demo pack's texts, --photos distinct 4000×3000 camera-like JPEGs
   of 2–5 MB spread over them (3 each by default), --videos distinct MP4s of --video-mb MB (the demo video
   with a top-level `free` box of random bytes appended, which keeps the MP4 valid), one per winner from
   the first; the demo's audio for every winner (one file, deduplicated by checksum).
2. naive: for every distinct file, sha256 and a copy into a fresh folder; for every photo, Pillow open →
   EXIF transpose → thumbnail 1920 → JPEG q85, and thumbnail 480 → JPEG q85. One thread, as one would
   write it.
3. kiosk: `flask --app kiosk pack import PACK` into a fresh instance folder, as staff run it (wall time,
   peak RSS of the process from getrusage).
4. kiosk again, unchanged: the same command on the same instance (stops at the version check) and with
   --force (every file recognised by checksum: hashed, not decoded or copied again).

Prints the times, the speed-up (naive ÷ kiosk) and the peak memory. Target (issue 13): kiosk ≥ 2× faster
than naive, peak memory < 300 MB, unchanged re-import in seconds.
"""

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

MB = 1024 * 1024


def camera_photo(args):
    """Write one 4000×3000 JPEG of 2–5 MB that compresses like a photo (smooth shapes, sensor noise)."""
    path, seed = args
    rng = random.Random(seed)
    channels = [
        Image.effect_noise((rng.randint(30, 60), rng.randint(20, 45)), 90).resize((4000, 3000), Image.BICUBIC)
        for _ in range(3)
    ]
    base = Image.merge("RGB", channels)
    noise = Image.effect_noise((4000, 3000), 25).convert("RGB")
    image = Image.blend(base, noise, rng.uniform(0.15, 0.3))
    image.save(path, "JPEG", quality=88)
    return path.stat().st_size


def padded_video(src, dest, megabytes, seed):
    """Write src with a top-level `free` box of random bytes, to megabytes in all: a distinct, valid MP4."""
    data = Path(src).read_bytes()
    pad = max(8, int(megabytes * MB) - len(data))
    with open(dest, "wb") as f:
        f.write(data)
        f.write(struct.pack(">I4s", pad, b"free"))
        f.write(random.Random(seed).randbytes(pad - 8))


def make_pack(folder, args):
    """Write the benchmark pack into folder and return its summary."""
    demo = json.loads((bl.DEMO_PACK / "pack.json").read_text(encoding="utf-8"))
    templates = demo["achievements"]
    folder.mkdir(parents=True)
    jobs, achievements = [], []
    per = max(1, args.photos // args.achievements)
    photo_n = 0
    shutil.copyfile(bl.DEMO_PACK / templates[0]["audio"][0]["file"], folder / "explain.mp3")
    for i in range(args.achievements):
        a = json.loads(json.dumps(templates[i % len(templates)]))
        a["id"] = f"BIG{i + 1:04d}"
        a["title"] = f"{a['title']}（第{i + 1}项）"
        a.pop("quiz", None)
        photos = []
        for _ in range(per if i < args.achievements - 1 else args.photos - photo_n):
            photo_n += 1
            name = f"photos/p{photo_n:04d}.jpg"
            jobs.append((folder / name, photo_n))
            photos.append({"file": name, "caption": f"照片 {photo_n}"})
        a["photos"] = photos
        if i < args.videos:
            name = f"videos/v{i + 1:03d}.mp4"
            (folder / "videos").mkdir(exist_ok=True)
            padded_video(bl.DEMO_PACK / templates[0]["videos"][0]["file"], folder / name, args.video_mb, i)
            a["videos"] = [{"file": name, "title": f"{a['title']}（演示）"}]
        else:
            a.pop("videos", None)
        a["audio"] = [{**templates[0]["audio"][0], "file": "explain.mp3"}]
        achievements.append(a)
    (folder / "photos").mkdir()
    with multiprocessing.Pool(len(os.sched_getaffinity(0))) as pool:
        sizes = pool.map(camera_photo, jobs)
    pack = {**{k: v for k, v in demo.items() if k != "achievements"}, "pack_id": "bench-big", "version": 1}
    pack["title"] = "基准测试内容包"
    pack["achievements"] = achievements
    (folder / "pack.json").write_text(json.dumps(pack, ensure_ascii=False), encoding="utf-8")
    return {"photos": len(sizes), "photo_mb_min": min(sizes) / MB, "photo_mb_max": max(sizes) / MB}


def pack_files(folder):
    """Return the distinct media files of the pack, and which of them are photos."""
    pack = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    files, photos = {}, set()
    for a in pack["achievements"]:
        for key in ("photos", "videos", "audio"):
            for item in a.get(key) or []:
                files[item["file"]] = folder / item["file"]
                if key == "photos":
                    photos.add(item["file"])
    return files, photos


def naive(folder, out):
    """The naive loop over the pack's files; return its wall time in seconds."""
    files, photos = pack_files(folder)
    out.mkdir()
    started = time.perf_counter()
    for rel, path in files.items():
        with open(path, "rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
        shutil.copyfile(path, out / digest)
        if rel in photos:
            with Image.open(path) as opened:
                image = ImageOps.exif_transpose(opened).convert("RGB")
            for size in (1920, 480):
                image.thumbnail((size, size))
                image.save(out / f"{digest}-{size}.jpg", "JPEG", quality=85)
    return time.perf_counter() - started


def kiosk_import(folder, instance, *extra):
    """Run `flask --app kiosk pack import` as staff do; return (seconds, peak RSS MB, its last line)."""
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_PACK_MAX_UNPACKED_BYTES": str(64 * 1024**3)}
    out = tempfile.TemporaryFile()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "kiosk", "pack", "import", str(folder), *extra],
        cwd=bl.ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    # wait4 gives this one child's own peak RSS (the photo-making pool's children do not count).
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"导入失败（{proc.returncode}）：\n{text[-3000:]}")
    lines = [line for line in text.strip().splitlines() if "已导入" in line or "无需重复" in line]
    return seconds, usage.ru_maxrss / 1024, (lines or [""])[-1]


def main(argv=None):
    """Make the pack, run both ways, print the figures and write the JSON."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--achievements", type=int, default=200)
    p.add_argument("--photos", type=int, default=600)
    p.add_argument("--videos", type=int, default=20)
    p.add_argument("--video-mb", type=float, default=20)
    p.add_argument("--pack", default=None, help="a pack made by an earlier --keep run")
    p.add_argument("--keep", action="store_true", help="keep the pack for later runs")
    args = p.parse_args(argv)
    bl.check_demo_pack()
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-big-"))
    try:
        folder = Path(args.pack) if args.pack else tmp / "pack"
        if not args.pack:
            started = time.perf_counter()
            made = make_pack(folder, args)
            print(f"Pack made in {time.perf_counter() - started:.0f} s: {made}", flush=True)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / MB
        print(f"Pack {folder}: {size:.0f} MB", flush=True)
        kiosk_s, rss, line = kiosk_import(folder, tmp / "instance")
        print(f"kiosk import: {kiosk_s:.1f} s, peak RSS {rss:.0f} MB — {line}", flush=True)
        naive_s = naive(folder, tmp / "naive")
        print(f"naive loop:   {naive_s:.1f} s", flush=True)
        unchanged_s, _, line = kiosk_import(folder, tmp / "instance")
        print(f"re-import, unchanged: {unchanged_s:.1f} s — {line}", flush=True)
        forced_s, _, _ = kiosk_import(folder, tmp / "instance", "--force")
        print(f"re-import, --force:   {forced_s:.1f} s", flush=True)
        speedup = naive_s / kiosk_s
        print(f"Speed-up naive ÷ kiosk: {speedup:.2f}× (target ≥ 2×); peak RSS {rss:.0f} MB (target < 300 MB)")
        result = {
            "args": vars(args),
            "pack_mb": size,
            "kiosk_s": kiosk_s,
            "naive_s": naive_s,
            "speedup": speedup,
            "peak_rss_mb": rss,
            "unchanged_s": unchanged_s,
            "forced_s": forced_s,
            "cpus": len(os.sched_getaffinity(0)),
        }
        print(f"Written: {bl.write_result('import_big', {**result, 'environment': bl.environment()})}")
    finally:
        if args.keep and not args.pack:
            shutil.rmtree(tmp / "instance", ignore_errors=True)
            shutil.rmtree(tmp / "naive", ignore_errors=True)
            print(f"Pack kept: {tmp / 'pack'}")
        else:
            bl.rmtree_quiet(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
