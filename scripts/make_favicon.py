"""Draw static/favicon.ico from the brand mark: a red disc with a gold 五 (run once; the icon is committed)."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
RED, GOLD = (179, 18, 31, 255), (240, 196, 80, 255)
SIZES = (16, 32, 48, 64)


def draw(size=256):
    """Return the mark drawn large, to be scaled down for each icon size."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.ellipse((0, 0, size - 1, size - 1), fill=RED)
    font = ImageFont.truetype(FONT, int(size * 0.68))
    # A stroke thickens the glyph so that it still reads at 16 px.
    pen.text((size / 2, size / 2), "五", font=font, fill=GOLD, anchor="mm", stroke_width=size // 40, stroke_fill=GOLD)
    return image


def main():
    """Write the multi-size ICO under static/."""
    draw().save(ROOT / "static" / "favicon.ico", sizes=[(s, s) for s in SIZES])


if __name__ == "__main__":
    main()
