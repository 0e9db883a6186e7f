"""Drawing with Pillow: the CJK font with a check for missing glyphs, Chinese line wrapping, shapes and colours."""

import hashlib
import math
import re
from functools import cache

from PIL import Image, ImageDraw, ImageFont

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
INK = (40, 44, 52)
WHITE = (255, 255, 255)


@cache
def font(size: int) -> ImageFont.FreeTypeFont:
    """Return the CJK font at a size (cached)."""
    return ImageFont.truetype(FONT_PATH, size, index=0)


@cache
def _notdef_hash() -> str:
    """Return the fingerprint of the font's 'no glyph' box."""
    return hashlib.md5(bytes(font(40).getmask("\U0010fffd"))).hexdigest()


def check_glyphs(text: str) -> None:
    """Refuse text the font cannot draw: a missing glyph would show as a box on the kiosk."""
    for ch in set(text):
        if ch.isspace():
            continue
        if hashlib.md5(bytes(font(40).getmask(ch))).hexdigest() == _notdef_hash():
            raise AssertionError(f"font has no glyph for {ch!r} (U+{ord(ch):04X}) in {text!r}")


NO_LINE_START = set("，。、；：！？）》”’%．.,;:!?)")


TOKEN = re.compile(r"[A-Za-z0-9.%≥≤×/-]+|.", re.S)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy wrap for Chinese text: ASCII runs such as 98.6% stay whole, and closing
    punctuation never starts a line (the previous token moves down with it)."""
    lines: list[str] = []
    for para in text.split("\n"):
        toks: list[str] = []
        for tok in TOKEN.findall(para):
            if fnt.getlength("".join(toks) + tok) <= width or not toks:
                toks.append(tok)
            elif tok in NO_LINE_START and len(toks) > 1:
                lines.append("".join(toks[:-1]))
                toks = [toks[-1], tok]
            else:
                lines.append("".join(toks))
                toks = [tok]
        lines.append("".join(toks))
    return lines


def text(d: ImageDraw.ImageDraw, xy, s: str, size: int, fill, anchor="la", **kw) -> None:
    """Draw text after checking every glyph exists."""
    check_glyphs(s)
    d.text(xy, s, font=font(size), fill=fill, anchor=anchor, **kw)


def pill(d: ImageDraw.ImageDraw, center, s: str, size: int, fill) -> None:
    """A label on a white rounded background, centred on `center`."""
    w = font(size).getlength(s)
    x, y = center
    d.rounded_rectangle(
        [x - w / 2 - 18, y - size * 0.75, x + w / 2 + 18, y + size * 0.75],
        radius=size * 0.75,
        fill=WHITE,
        outline=fill,
        width=3,
    )
    text(d, (x, y), s, size, fill, anchor="mm")


def mix(c1, c2, t: float):
    """Return the colour t of the way from c1 to c2."""
    return tuple(int(round(a + (b - a) * t)) for a, b in zip(c1, c2))


def gradient(size, top, bottom) -> Image.Image:
    """Return an image of size shading from top to bottom colour."""
    w, h = size
    col = Image.new("RGB", (1, h))
    for y in range(h):
        col.putpixel((0, y), mix(top, bottom, y / max(1, h - 1)))
    return col.resize((w, h))


def dashed_line(d, p0, p1, fill, width=4, dash=18, gap=12):
    """Draw a dashed line from p0 to p1."""
    (x0, y0), (x1, y1) = p0, p1
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        return
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    pos = 0.0
    while pos < length:
        end = min(pos + dash, length)
        d.line([(x0 + ux * pos, y0 + uy * pos), (x0 + ux * end, y0 + uy * end)], fill=fill, width=width)
        pos = end + gap


def arrow(d, p0, p1, fill, width=8, head=26):
    """Draw an arrow from p0 to p1 with a two-stroke head."""
    d.line([p0, p1], fill=fill, width=width)
    ang = math.atan2(p1[1] - p0[1], p1[0] - p0[0])
    for s in (-1, 1):
        a = ang + math.pi + s * 0.45
        d.line([p1, (p1[0] + head * math.cos(a), p1[1] + head * math.sin(a))], fill=fill, width=width)


def tick(d, x, y, s, fill, width=7):
    """Draw a check mark in the box at (x, y) of size s."""
    d.line(
        [(x, y + s * 0.5), (x + s * 0.38, y + s * 0.88), (x + s, y + s * 0.1)], fill=fill, width=width, joint="curve"
    )
