"""The achievements' photos: a motif on a gradient with a caption band, saved as 300 dpi JPEG with EXIF."""

from pathlib import Path

from PIL import Image, ImageDraw

from demo_pack import motifs_field as field
from demo_pack import motifs_work as work
from demo_pack.draw import WHITE, font, gradient, mix, text, wrap

PHOTO_SIZE = (1600, 1200)
PHOTO_QUALITY = 74


MOTIFS = {
    "drone": field.m_drone,
    "target": field.m_target,
    "chart": field.m_chart,
    "parcel": field.m_parcel,
    "tablet": field.m_tablet,
    "change": field.m_change,
    "wetland": field.m_wetland,
    "pipe": field.m_pipe,
    "tripod": field.m_tripod,
    "station": field.m_station,
    "checklist": work.m_checklist,
    "weld": work.m_weld,
    "clamp": work.m_clamp,
    "tower": work.m_tower,
    "voice": work.m_voice,
    "qrcode": work.m_qrcode,
    "phone": work.m_phone,
    "road": work.m_road,
}


def render_photo(ach: dict, idx: int) -> Image.Image:
    """Return photo idx of the achievement: its motif, header, 示意图 tag and caption band."""
    W, H = PHOTO_SIZE
    bg_top, bg_bottom, dark, accent = ach["_palette"]
    img = gradient((W, H), bg_top, bg_bottom)
    d = ImageDraw.Draw(img)
    for x in range(0, W, 80):
        for y in range(0, H, 80):
            d.ellipse([x - 2, y - 2, x + 2, y + 2], fill=mix(bg_bottom, dark, 0.15))
    # motif area
    mw, mh = W - 160, 760
    motif = Image.new("RGB", (mw, mh), mix(bg_top, WHITE, 0.5))
    MOTIFS[ach["_motifs"][idx]](ImageDraw.Draw(motif), mw, mh, ach["_palette"], ach)
    shadow = Image.new("RGB", (mw, mh), mix(bg_bottom, dark, 0.35))
    img.paste(shadow, (92, 132))
    img.paste(motif, (80, 120))
    d.rectangle([80, 120, 80 + mw - 1, 120 + mh - 1], outline=dark, width=4)
    # header
    text(d, (80, 62), f"{ach['id']}  ·  成果照片 {idx + 1}", 40, dark, anchor="lm")
    tag = "示意图"
    tw = font(34).getlength(tag)
    d.rounded_rectangle([W - 80 - tw - 40, 36, W - 80, 90], radius=27, fill=accent)
    text(d, (W - 80 - 20, 63), tag, 34, WHITE, anchor="rm")
    # caption band
    d.rectangle([0, 920, W, H], fill=dark)
    d.rectangle([0, 920, W, 930], fill=accent)
    cap = ach["_captions"][idx]
    size = 68
    lines = wrap(cap, font(size), W - 160)
    while len(lines) > 2:
        size -= 4
        lines = wrap(cap, font(size), W - 160)
    y = 1065 - (len(lines) - 1) * size * 0.62
    for ln in lines:
        text(d, (W / 2, y), ln, size, WHITE, anchor="mm")
        y += size * 1.25
    text(d, (W / 2, 1170), ach["title"], 28, mix(dark, WHITE, 0.6), anchor="mm")
    return img


def save_photo(img: Image.Image, path: Path, sideways: bool) -> None:
    """Save a photo as 300 dpi JPEG with EXIF, stored rotated with orientation 6 when sideways."""
    exif = Image.Exif()
    exif[0x011A] = 300  # XResolution
    exif[0x011B] = 300  # YResolution
    exif[0x0128] = 2  # ResolutionUnit: inch
    if sideways:
        # Stored rotated 90° counter-clockwise; orientation 6 tells viewers to rotate 90° clockwise.
        img = img.transpose(Image.Transpose.ROTATE_90)
        exif[0x0112] = 6
    img.save(path, "JPEG", quality=PHOTO_QUALITY, optimize=True, dpi=(300, 300), exif=exif.tobytes())
