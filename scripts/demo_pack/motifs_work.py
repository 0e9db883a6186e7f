"""Photo motifs of workshop and office work (checklists, welding, power lines, phones, roads), each in (0,0)-(W,H)."""

import math
import random

from demo_pack.draw import INK, WHITE, arrow, font, mix, text, tick


def m_checklist(d, W, H, pal, ach):
    """Draw a paper checklist being ticked off."""
    _, light, dark, accent = pal
    x0, y0, x1, y1 = W * 0.26, 20, W * 0.74, H - 10
    d.rounded_rectangle([x0, y0 + 30, x1, y1], radius=24, fill=(196, 150, 100))
    d.rectangle([x0 + 30, y0 + 70, x1 - 30, y1 - 30], fill=WHITE)
    d.rounded_rectangle(
        [(x0 + x1) / 2 - 90, y0, (x0 + x1) / 2 + 90, y0 + 70], radius=14, fill=(150, 156, 166), outline=INK, width=3
    )
    items = ach.get("_checklist", ["项目一", "项目二", "项目三", "项目四"])
    rh = (y1 - y0 - 140) / len(items)
    for i, it in enumerate(items):
        y = y0 + 100 + i * rh
        d.rectangle([x0 + 60, y, x0 + 60 + 56, y + 56], outline=INK, width=4)
        tick(d, x0 + 66, y - 4, 56, fill=(30, 150, 70), width=9)
        text(d, (x0 + 150, y + 28), f"{it}类  4项", 40, INK, anchor="lm")
        level = ["正常", "正常", "关注", "正常", "正常"][i % 5]
        text(d, (x1 - 60, y + 28), level, 36, accent if level == "关注" else (30, 150, 70), anchor="rm")


def m_weld(d, W, H, pal, ach):
    """Draw a welding torch over a seam held on a water-cooled copper bar."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(52, 56, 66))
    # plates
    d.polygon([(60, H * 0.62), (W * 0.5, H * 0.45), (W * 0.5, H * 0.55), (60, H * 0.74)], fill=(170, 176, 186))
    d.polygon([(W * 0.5, H * 0.45), (W - 60, H * 0.62), (W - 60, H * 0.74), (W * 0.5, H * 0.55)], fill=(150, 156, 168))
    d.line([(W * 0.18, H * 0.55), (W * 0.5, H * 0.45)], fill=(120, 90, 70), width=10)
    # copper bars
    for off in (-46, 46):
        d.line([(W * 0.08, H * 0.60 + off * 0.5), (W * 0.46, H * 0.48 + off * 0.5)], fill=(214, 130, 70), width=22)
    # torch
    tx, ty = W * 0.5, H * 0.45
    d.polygon(
        [(tx - 10, ty - 30), (tx + 200, ty - 330), (tx + 250, ty - 300), (tx + 20, ty - 10)],
        fill=(60, 64, 74),
        outline=(200, 200, 210),
        width=3,
    )
    d.polygon(
        [(tx + 200, ty - 330), (tx + 300, ty - 420), (tx + 350, ty - 390), (tx + 250, ty - 300)], fill=(30, 30, 36)
    )
    # arc glow + sparks
    for r, c in ((110, (120, 90, 40)), (70, (240, 170, 50)), (34, (255, 240, 190))):
        d.ellipse([tx - r, ty - r * 0.7, tx + r, ty + r * 0.7], fill=c)
    rng = random.Random(ach["id"] + "sparks")
    for _ in range(46):
        a = rng.uniform(math.pi * 0.95, math.pi * 2.05)
        l0, l1 = rng.uniform(60, 110), rng.uniform(130, 280)
        d.line(
            [
                (tx + math.cos(a) * l0, ty + math.sin(a) * l0 * 0.7),
                (tx + math.cos(a) * l1, ty + math.sin(a) * l1 * 0.7),
            ],
            fill=(255, rng.randint(170, 230), 80),
            width=3,
        )
    # follower roller ahead of the torch
    rx, ry = W * 0.32, H * 0.40
    d.ellipse([rx - 56, ry - 56, rx + 56, ry + 56], fill=(120, 126, 140), outline=WHITE, width=4)
    d.ellipse([rx - 12, ry - 12, rx + 12, ry + 12], fill=WHITE)
    d.line([(rx, ry), (tx + 60, ty - 120)], fill=(200, 200, 210), width=10)
    text(d, (rx - 70, ry - 90), "随动压轮", 38, WHITE)
    text(d, (W * 0.12, H * 0.86), "水冷铜压条", 38, (240, 170, 110))


def m_clamp(d, W, H, pal, ach):
    """Draw thin plates clamped over a copper bar along the weld seam."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(248, 246, 242))
    cy = H * 0.56
    d.rectangle([80, cy + 26, W - 80, cy + 70], fill=(200, 200, 206), outline=INK, width=3)  # fixture base
    d.rectangle([80, cy, W - 80, cy + 26], fill=(150, 156, 168), outline=INK, width=3)
    text(d, (W - 90, cy - 16), "薄板 1至3毫米", 32, INK, anchor="rb")
    d.polygon([(W / 2 - 18, cy), (W / 2 + 18, cy), (W / 2, cy + 26)], fill=(200, 90, 40))
    for side in (-1, 1):
        x0 = W / 2 + side * 60
        x1 = W / 2 + side * 300
        d.rectangle([min(x0, x1), cy - 90, max(x0, x1), cy], fill=(214, 130, 70), outline=INK, width=4)
        for k in range(2):
            wx = (x0 + x1) / 2 + (k - 0.5) * 110
            d.ellipse([wx - 24, cy - 69, wx + 24, cy - 21], fill=(90, 160, 230), outline=INK, width=3)
        # clamp arm
        ax = W / 2 + side * 180
        d.rectangle([ax - 26, cy - 320, ax + 26, cy - 90], fill=(90, 96, 110), outline=INK, width=3)
        arrow(d, (ax + side * 80, cy - 300), (ax + side * 80, cy - 120), fill=accent, width=8)
    text(d, (W / 2 - 180, cy - 360), "夹紧", 36, INK, anchor="mb")
    text(d, (W / 2 + 180, cy - 360), "夹紧", 36, INK, anchor="mb")
    text(d, (W / 2, cy - 120), "焊缝", 32, (200, 90, 40), anchor="mb")
    text(d, (W * 0.18, cy + 150), "铜压条", 36, (180, 100, 50), anchor="mm")
    text(d, (W * 0.50, cy + 150), "冷却水道", 36, (40, 110, 200), anchor="mm")
    text(d, (W * 0.82, cy + 150), "定位块", 36, INK, anchor="mm")


def m_tower(d, W, H, pal, ach):
    """Draw a power line between two poles, a defect ringed on an insulator, and a worker with a headset."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(206, 226, 246))
    d.rectangle([0, H * 0.86, W, H], fill=(140, 180, 110))
    top = 120
    poles = (W * 0.14, W * 0.86)
    for px in poles:
        d.polygon(
            [(px - 24, H * 0.86), (px + 24, H * 0.86), (px + 13, top), (px - 13, top)],
            fill=(180, 180, 184),
            outline=INK,
            width=3,
        )
        d.rectangle([px - 130, top + 36, px + 130, top + 54], fill=(90, 94, 104))
        for dx in (-110, 0, 110):
            d.rectangle([px + dx - 5, top + 10, px + dx + 5, top + 36], fill=(90, 94, 104))
            for k in range(3):
                d.ellipse(
                    [px + dx - 17, top + 2 + k * 11, px + dx + 17, top + 12 + k * 11],
                    fill=(100, 150, 100),
                    outline=(70, 110, 70),
                )
    # three sagging conductors between the insulators
    for dx in (-110, 0, 110):
        x0, x1 = poles[0] + dx, poles[1] + dx
        pts = [(x0 + (x1 - x0) * t / 20, top + 6 + 70 * 4 * (t / 20) * (1 - t / 20)) for t in range(21)]
        d.line(pts, fill=INK, width=3, joint="curve")
    # defect marker on the left pole's right insulator
    mx, my = poles[0] + 110, top + 18
    d.ellipse([mx - 44, my - 44, mx + 44, my + 44], outline=accent, width=8)
    # worker with headset
    wx, wy = W * 0.34, H * 0.62
    d.ellipse([wx - 40, wy - 130, wx + 40, wy - 50], fill=(240, 200, 160))
    d.chord([wx - 48, wy - 150, wx + 48, wy - 70], 180, 360, fill=(250, 200, 20))
    d.rounded_rectangle([wx - 60, wy - 46, wx + 60, wy + 130], radius=20, fill=(40, 90, 170))
    d.line([(wx + 40, wy - 90), (wx + 70, wy - 60)], fill=INK, width=6)
    d.ellipse([wx + 62, wy - 68, wx + 78, wy - 52], fill=INK)
    # speech bubble, below the conductors and clear of the right pole
    bx0, by0, bx1, by1 = wx + 110, H * 0.36, W * 0.86 - 150, H * 0.36 + 130
    d.rounded_rectangle([bx0, by0, bx1, by1], radius=30, fill=WHITE, outline=dark, width=4)
    d.polygon([(bx0 + 30, by1 - 4), (wx + 80, wy - 70), (bx0 + 100, by1 - 4)], fill=WHITE, outline=dark)
    d.line([(bx0 + 33, by1 - 2), (bx0 + 97, by1 - 2)], fill=WHITE, width=6)
    msg = "12号杆 绝缘子 破损 一般"
    fs = 40 if font(40).getlength(msg) < bx1 - bx0 - 40 else 32
    text(d, ((bx0 + bx1) / 2, (by0 + by1) / 2), msg, fs, INK, anchor="mm")


def m_voice(d, W, H, pal, ach):
    """Draw a phone recording speech, turned into the rows of a record table."""
    _, light, dark, accent = pal
    px0, py0, px1, py1 = W * 0.08, 10, W * 0.36, H - 10
    d.rounded_rectangle([px0, py0, px1, py1], radius=40, fill=(30, 32, 38))
    d.rectangle([px0 + 22, py0 + 60, px1 - 22, py1 - 60], fill=(246, 248, 250))
    mx, my = (px0 + px1) / 2, py0 + 240
    d.rounded_rectangle([mx - 40, my - 110, mx + 40, my + 20], radius=40, fill=accent)
    d.arc([mx - 70, my - 60, mx + 70, my + 60], 0, 180, fill=INK, width=6)
    d.line([(mx, my + 60), (mx, my + 100)], fill=INK, width=6)
    rng = random.Random(ach["id"] + "wave")
    for i in range(18):
        x = px0 + 50 + i * ((px1 - px0 - 100) / 17)
        h = rng.uniform(10, 70)
        d.line([(x, my + 200 - h), (x, my + 200 + h)], fill=dark, width=8)
    arrow(d, (W * 0.40, H * 0.5), (W * 0.50, H * 0.5), fill=accent, width=12, head=34)
    rows = ach.get("_tablet_rows") or ["项目", "内容"]
    tx0, ty0, tx1 = W * 0.54, 40, W - 40
    rh = (H - 100) / len(rows)
    for i, r in enumerate(rows):
        y = ty0 + i * rh
        k, _, v = r.partition("  ")
        d.rectangle([tx0, y, tx0 + 170, y + rh - 12], fill=dark)
        d.rectangle([tx0 + 170, y, tx1, y + rh - 12], fill=WHITE, outline=dark, width=3)
        text(d, (tx0 + 85, y + (rh - 12) / 2), k, 36, WHITE, anchor="mm")
        text(d, (tx0 + 200, y + (rh - 12) / 2), v, 40, INK, anchor="lm")


def draw_qr(d, x, y, size, seed):
    """Draw a QR-code-like pattern (not decodable) seeded by seed."""
    n = 25
    m = size / n
    rng = random.Random(seed)
    d.rectangle([x - m, y - m, x + size + m, y + size + m], fill=WHITE)

    def finder(fx, fy):
        """Draw one of the QR pattern's three finder squares."""
        d.rectangle([x + fx * m, y + fy * m, x + (fx + 7) * m, y + (fy + 7) * m], fill=INK)
        d.rectangle([x + (fx + 1) * m, y + (fy + 1) * m, x + (fx + 6) * m, y + (fy + 6) * m], fill=WHITE)
        d.rectangle([x + (fx + 2) * m, y + (fy + 2) * m, x + (fx + 5) * m, y + (fy + 5) * m], fill=INK)

    for i in range(n):
        for j in range(n):
            in_finder = (i < 8 and j < 8) or (i >= n - 8 and j < 8) or (i < 8 and j >= n - 8)
            if not in_finder and rng.random() < 0.48:
                d.rectangle([x + i * m, y + j * m, x + (i + 1) * m, y + (j + 1) * m], fill=INK)
    finder(0, 0)
    finder(n - 7, 0)
    finder(0, n - 7)


def m_qrcode(d, W, H, pal, ach):
    """Draw a QR code on a machine's safety sign, scanned for its check."""
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.86, W, H], fill=(120, 126, 136))
    # lathe
    d.rectangle([W * 0.06, H * 0.30, W * 0.70, H * 0.72], fill=(96, 140, 120), outline=INK, width=5)
    d.rectangle([W * 0.10, H * 0.72, W * 0.18, H * 0.86], fill=(70, 100, 90))
    d.rectangle([W * 0.58, H * 0.72, W * 0.66, H * 0.86], fill=(70, 100, 90))
    d.ellipse([W * 0.10, H * 0.36, W * 0.22, H * 0.58], fill=(180, 184, 190), outline=INK, width=4)
    d.rectangle([W * 0.22, H * 0.44, W * 0.52, H * 0.50], fill=(200, 204, 210), outline=INK, width=3)
    d.rectangle([W * 0.30, H * 0.20, W * 0.58, H * 0.30], fill=(240, 200, 60), outline=INK, width=4)
    text(d, (W * 0.44, H * 0.25), "注意安全", 34, INK, anchor="mm")
    # qr sticker on the machine
    draw_qr(d, W * 0.50, H * 0.38, 150, ach["id"] + "qr")
    # phone scanning
    fx0, fy0 = W * 0.76, H * 0.12
    d.rounded_rectangle([fx0, fy0, fx0 + 240, fy0 + 460], radius=30, fill=(30, 32, 38))
    d.rectangle([fx0 + 16, fy0 + 50, fx0 + 224, fy0 + 410], fill=(240, 246, 240))
    text(d, (fx0 + 120, fy0 + 110), "扫码点检", 32, INK, anchor="mm")
    for k in range(3):
        y = fy0 + 170 + k * 70
        d.rectangle([fx0 + 36, y, fx0 + 72, y + 36], outline=INK, width=3)
        tick(d, fx0 + 38, y - 2, 36, fill=(30, 150, 70), width=6)
        d.line([(fx0 + 90, y + 18), (fx0 + 200, y + 18)], fill=(150, 150, 150), width=8)
    d.polygon(
        [(fx0, fy0 + 230), (W * 0.50 + 150, H * 0.38), (W * 0.50 + 150, H * 0.38 + 150)], fill=mix(accent, WHITE, 0.6)
    )


def m_phone(d, W, H, pal, ach):
    """Draw a phone showing a machine's safety-check items."""
    _, light, dark, accent = pal
    fx0, fy0, fx1, fy1 = W * 0.30, 10, W * 0.62, H - 10
    d.rounded_rectangle([fx0, fy0, fx1, fy1], radius=44, fill=(30, 32, 38))
    d.rectangle([fx0 + 24, fy0 + 70, fx1 - 24, fy1 - 60], fill=(246, 248, 246))
    d.rectangle([fx0 + 24, fy0 + 70, fx1 - 24, fy0 + 150], fill=dark)
    text(d, ((fx0 + fx1) / 2, fy0 + 110), "车床 C-07 安全点检", 34, WHITE, anchor="mm")
    rows = ach.get("_tablet_rows") or ["项目一", "项目二"]
    rh = (fy1 - fy0 - 260) / len(rows)
    for i, r in enumerate(rows):
        y = fy0 + 170 + i * rh
        last = i == len(rows) - 1
        k, _, v = r.partition("  ")
        d.rounded_rectangle(
            [fx0 + 44, y, fx1 - 44, y + rh - 20],
            radius=14,
            fill=accent if last else WHITE,
            outline=mix(dark, WHITE, 0.5),
            width=3,
        )
        text(d, (fx0 + 70, y + (rh - 20) / 2), k, 34, WHITE if last else INK, anchor="lm")
        if v:
            tick(d, fx1 - 110, y + (rh - 20) / 2 - 24, 44, fill=(30, 150, 70), width=7)
    # hard hat
    hx, hy = W * 0.82, H * 0.55
    d.chord([hx - 140, hy - 140, hx + 140, hy + 120], 180, 360, fill=(250, 190, 20), outline=INK, width=4)
    d.rounded_rectangle([hx - 180, hy - 16, hx + 180, hy + 16], radius=12, fill=(230, 170, 10), outline=INK, width=4)
    d.line([(hx, hy - 140), (hx, hy - 20)], fill=(230, 170, 10), width=20)
    text(d, (hx, hy + 80), "安全生产", 40, INK, anchor="mm")
    text(d, (W * 0.13, H * 0.45), "操作要点", 40, INK, anchor="mm")
    text(d, (W * 0.13, H * 0.58), "随扫随看", 40, dark, anchor="mm")


def m_road(d, W, H, pal, ach):
    """Draw road works with a detector behind a safety barrier."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(200, 220, 236))
    d.polygon([(W * 0.40, H * 0.15), (W * 0.60, H * 0.15), (W, H), (0, H)], fill=(96, 98, 106))
    for k in range(6):
        t0, t1 = k / 6, k / 6 + 0.07
        y0, y1 = H * 0.15 + (H * 0.85) * t0, H * 0.15 + (H * 0.85) * t1
        w0, w1 = 6 + 20 * t0, 6 + 20 * t1
        d.polygon([(W / 2 - w0, y0), (W / 2 + w0, y0), (W / 2 + w1, y1), (W / 2 - w1, y1)], fill=WHITE)
    # traffic cones and barrier
    for cx, cy, s in ((W * 0.18, H * 0.84, 1.0), (W * 0.30, H * 0.62, 0.75), (W * 0.38, H * 0.46, 0.55)):
        d.polygon([(cx, cy - 120 * s), (cx - 48 * s, cy), (cx + 48 * s, cy)], fill=(240, 110, 30))
        d.rectangle([cx - 30 * s, cy - 70 * s, cx + 30 * s, cy - 50 * s], fill=WHITE)
        d.rectangle([cx - 60 * s, cy, cx + 60 * s, cy + 14 * s], fill=(220, 90, 20))
    # worker with bracket
    wx, wy = W * 0.66, H * 0.70
    d.ellipse([wx - 34, wy - 200, wx + 34, wy - 132], fill=(240, 200, 160))
    d.chord([wx - 42, wy - 218, wx + 42, wy - 150], 180, 360, fill=(250, 200, 20))
    d.polygon([(wx - 56, wy - 130), (wx + 56, wy - 130), (wx + 46, wy + 20), (wx - 46, wy + 20)], fill=(250, 130, 30))
    d.rectangle([wx - 56, wy - 80, wx + 56, wy - 64], fill=(230, 230, 90))
    d.line([(wx - 30, wy + 20), (wx - 36, wy + 130)], fill=(40, 50, 80), width=22)
    d.line([(wx + 30, wy + 20), (wx + 36, wy + 130)], fill=(40, 50, 80), width=22)
    bx = wx + 170
    for dx in (-70, 0, 70):
        d.line([(bx, wy - 20), (bx + dx, wy + 130)], fill=(200, 204, 212), width=9)
    d.rounded_rectangle([bx - 22, wy - 150, bx + 22, wy - 20], radius=6, fill=accent, outline=INK, width=3)
    text(d, (W * 0.5, 60), "道路探测  安全围挡", 44, INK, anchor="mm")
