"""QR codes as inline SVG, so a phone can open the page the visitor is looking at."""

import functools

import qrcode
import qrcode.image.svg
from markupsafe import Markup


@functools.lru_cache(maxsize=512)
def qr_svg(url):
    """Return an SVG QR code of url, safe to place in a template."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2, box_size=10)
    svg = image.to_string(encoding="unicode")
    svg = svg[svg.index("<svg") :]
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="二维码" class="qr" ', 1))
