"""Photo checks and screen-sized derivatives with Pillow: EXIF orientation, CMYK, draft decoding."""

import os
import struct
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
        # draft() lets libjpeg decode at 1/2, 1/4 or 1/8 scale; it must run before EXIF rotation.
        opened.draft("RGB", (longest, longest))
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
    tmp = dest.with_name(dest.name + ".tmp")
    image.save(tmp, "JPEG", quality=quality, optimize=True, progressive=True)
    os.replace(tmp, dest)
