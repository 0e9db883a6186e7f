"""The achievements' video (slides with a spoken title) and audio explanation, made with ffmpeg and espeak-ng."""

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

from demo_pack.content import content
from demo_pack.draw import INK, WHITE, font, gradient, mix, text, wrap
from kiosk.catalogue.vocabulary import AWARDS

VIDEO_SIZE = (1920, 1080)
FPS = 25
SLIDE_SECONDS = 2.75
N_SLIDES = 4
VIDEO_SECONDS = N_SLIDES * SLIDE_SECONDS  # 11 s


def slide_base(ach: dict, heading: str | None, n: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    """Return a slide's background with the pack title, the achievement and slide number, and a heading."""
    W, H = VIDEO_SIZE
    _, light, dark, accent = ach["_palette"]
    img = gradient((W, H), mix(dark, (0, 0, 0), 0.25), mix(dark, (0, 0, 0), 0.6))
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 24, H], fill=accent)
    text(d, (110, 70), content()["pack"]["title"], 34, mix(light, dark, 0.3), anchor="lm")
    text(d, (W - 110, 70), f"{ach['id']}   {n}/{N_SLIDES}", 34, mix(light, dark, 0.3), anchor="rm")
    if heading:
        text(d, (110, 190), heading, 76, WHITE, anchor="lm")
        d.rectangle([110, 250, 110 + 140, 258], fill=accent)
    return img, d


def render_slides(ach: dict, photo_path: Path) -> list[Image.Image]:
    """Return the video's four slides: title card, background, innovations, results."""
    W, H = VIDEO_SIZE
    _, light, dark, accent = ach["_palette"]
    slides = []
    # 1: title card
    img, d = slide_base(ach, None, 1)
    award = AWARDS[ach["award"]]
    d.rounded_rectangle([110, 180, 110 + 220, 260], radius=40, fill=accent)
    text(d, (220, 220), award, 48, INK if sum(accent) > 500 else WHITE, anchor="mm")
    lines = wrap(ach["title"], font(92), 960)
    y = 340
    for ln in lines:
        text(d, (110, y), ln, 92, WHITE)
        y += 120
    text(d, (110, y + 40), f"{ach['category']}  ·  {ach['kind']}  ·  {ach['originality']}", 44, mix(light, WHITE, 0.3))
    text(d, (110, H - 150), ach["unit"], 44, mix(light, WHITE, 0.2))
    ph = ImageOps.exif_transpose(Image.open(photo_path)).convert("RGB")
    ph.thumbnail((720, 540))
    img.paste(Image.new("RGB", (ph.width + 24, ph.height + 24), WHITE), (W - 110 - ph.width - 12, 300 - 12))
    img.paste(ph, (W - 110 - ph.width, 300))
    slides.append(img)
    # 2: background
    img, d = slide_base(ach, "成果背景与要解决的问题", 2)
    y = 330
    for ln in wrap(ach["background"], font(56), W - 220):
        text(d, (110, y), ln, 56, WHITE)
        y += 84
    y += 40
    d.rounded_rectangle([110, y, W - 110, y + 8], radius=4, fill=mix(dark, WHITE, 0.25))
    y += 50
    for ln in wrap("目标：" + ach["goals"], font(46), W - 220):
        text(d, (110, y), ln, 46, mix(light, WHITE, 0.4))
        y += 68
    slides.append(img)
    # 3: innovations
    img, d = slide_base(ach, "创新点", 3)
    y = 320
    for para in ach["innovations"].split("\n"):
        for k, ln in enumerate(wrap(para, font(44), W - 260)):
            if k == 0:
                d.ellipse([110, y + 10, 136, y + 36], fill=accent)
            text(d, (160, y), ln, 44, WHITE)
            y += 62
        y += 22
    slides.append(img)
    # 4: results
    img, d = slide_base(ach, "应用成效", 4)
    cw = (W - 220 - 2 * 50) / 3
    for i, (k, v) in enumerate(ach["_highlights"]):
        x = 110 + i * (cw + 50)
        d.rounded_rectangle([x, 320, x + cw, 600], radius=30, fill=mix(dark, WHITE, 0.12), outline=accent, width=4)
        text(d, (x + cw / 2, 400), k, 48, mix(light, WHITE, 0.3), anchor="mm")
        vs = 84 if font(84).getlength(v) < cw - 40 else 64
        text(d, (x + cw / 2, 510), v, vs, WHITE, anchor="mm")
    y = 680
    for ln in wrap(ach["application"], font(44), W - 220):
        text(d, (110, y), ln, 44, mix(light, WHITE, 0.4))
        y += 64
    slides.append(img)
    return slides


def run(cmd: list[str]) -> str:
    """Run a command; raise with its error output if it fails."""
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"command failed ({res.returncode}): {' '.join(cmd)}\n{res.stderr[-3000:]}")
    return res.stdout


def espeak(textual: str, wav: Path) -> None:
    """Speak Mandarin text into a WAV file."""
    run(["espeak-ng", "-v", "cmn-latn-pinyin", "-s", "170", "-w", str(wav), textual])


def make_mp3(transcript: str, out: Path, tmp: Path) -> None:
    """Make the audio explanation: the transcript spoken, as a small mono MP3."""
    wav = tmp / (out.stem + ".wav")
    espeak(transcript, wav)
    run(
        [
            "ffmpeg",
            "-nostdin",
            "-y",
            "-v",
            "error",
            "-i",
            str(wav),
            "-map_metadata",
            "-1",
            "-c:a",
            "libmp3lame",
            "-b:a",
            "48k",
            "-ac",
            "1",
            "-ar",
            "22050",
            str(out),
        ]
    )


def make_video(slides: list[Image.Image], narration: str, out: Path, tmp: Path) -> None:
    """Make the video: the slides with hard cuts, a progress bar and the spoken title, H.264/AAC, faststart."""
    pngs = []
    for i, s in enumerate(slides):
        p = tmp / f"{out.stem}-slide{i + 1}.png"
        s.save(p)
        pngs.append(p)
    wav = tmp / f"{out.stem}-narration.wav"
    espeak(narration, wav)
    cmd = ["ffmpeg", "-nostdin", "-y", "-v", "error"]
    for p in pngs:
        cmd += ["-loop", "1", "-framerate", str(FPS), "-t", f"{SLIDE_SECONDS}", "-i", str(p)]
    cmd += ["-i", str(wav)]
    n = len(pngs)
    total = VIDEO_SECONDS
    # Hard cuts between slides: cross-fades cost ~50% more bytes for the blended frames.
    parts = ["".join(f"[{i}:v]" for i in range(n)) + f"concat=n={n}:v=1:a=0[slides]"]
    parts.append(f"color=c=0xF5B823:s={VIDEO_SIZE[0]}x12:r={FPS}:d={total}[bar]")
    parts.append(f"[slides][bar]overlay=x='-w+w*t/{total}':y=H-12:eval=frame,format=yuv420p[v]")
    parts.append(f"[{n}:a]adelay=400:all=1,apad,atrim=0:{total},aresample=44100[a]")
    cmd += [
        "-filter_complex",
        ";".join(parts),
        "-map",
        "[v]",
        "-map",
        "[a]",
        "-c:v",
        "libx264",
        "-preset",
        "veryslow",
        "-crf",
        "30",
        "-tune",
        "stillimage",
        "-pix_fmt",
        "yuv420p",
        "-r",
        str(FPS),
        "-g",
        str(FPS * 10),
        "-c:a",
        "aac",
        "-b:a",
        "48k",
        "-ac",
        "1",
        "-t",
        f"{total}",
        "-map_metadata",
        "-1",
        "-fflags",
        "+bitexact",
        "-movflags",
        "+faststart",
        str(out),
    ]
    run(cmd)
