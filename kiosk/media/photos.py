"""Photo checks and screen-sized derivatives with Pillow: EXIF orientation, CMYK, draft decoding."""

import os
import struct
import threading
import warnings

from PIL import Image, ImageOps

VARIANTS = {"screen": 1920, "thumb": 480}
QUALITY = {"screen": 85, "thumb": 78}


class PhotoError(Exception):
    """A photo that cannot be decoded; str(e) is a short Chinese reason."""


def _open_for_screen(path, longest):
    """Open and decode a photo no larger than needed for a longest side, upright and in RGB."""
    # The with block closes the file even when decoding fails half way.
    with Image.open(path) as opened:
        fmt = opened.format
        dpi = opened.info.get("dpi")
        facts = {
            "format": fmt,
            "width": opened.width,
            "height": opened.height,
            "dpi": round(float(dpi[0])) if dpi else None,
        }
        # draft() lets libjpeg decode at 1/2, 1/4 or 1/8 scale; it must run before EXIF rotation. It keeps
        # both sides at least as large as asked, so it is asked for the box the photo will fit, not a square
        # (a 4000×3000 photo asked for 1920×1920 would be decoded whole; for 1920×1440, at half size).
        scale = longest / max(opened.size)
        if scale < 1:
            opened.draft("RGB", (round(opened.width * scale), round(opened.height * scale)))
        opened.load()
        image = ImageOps.exif_transpose(opened)
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
    return image, facts


def make_derivatives(path, targets):
    """Decode the photo at path and write each variant in targets {variant: dest}; return its facts."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # Damaged EXIF in a decodable photo only costs the orientation; it is no reason to refuse.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"PIL\.")
            image, facts = _open_for_screen(path, VARIANTS["screen"])
            for variant in ("screen", "thumb"):
                if variant not in targets:
                    continue
                image.thumbnail((VARIANTS[variant],) * 2, Image.Resampling.LANCZOS, reducing_gap=3.0)
                _save_atomically(image, targets[variant], QUALITY[variant])
    except Image.DecompressionBombError:
        raise PhotoError("图片像素数超出安全上限（疑似解压炸弹）") from None
    except (OSError, SyntaxError, ValueError, struct.error, Image.UnidentifiedImageError) as e:
        raise PhotoError(f"不是可解码的图片，或文件不完整（{e.__class__.__name__}）") from None
    return facts


def _save_atomically(image, dest, quality):
    """Write a JPEG to dest through a temporary name, so a cut never leaves half a file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Its own temporary name: two threads may make the same photo's derivatives (one file named twice).
    tmp = dest.with_name(f"{dest.name}.{threading.get_ident()}.tmp")
    image.save(tmp, "JPEG", quality=quality, optimize=True, progressive=True)
    os.replace(tmp, dest)
