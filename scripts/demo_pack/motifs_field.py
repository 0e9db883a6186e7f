"""Photo motifs of field work (surveying, mapping, monitoring): each draws into the box (0,0)-(W,H)."""

import math
import random

from demo_pack.draw import INK, WHITE, arrow, dashed_line, font, mix, pill, text


def m_drone(d, W, H, pal, ach):
    """Draw a drone dropping a target board over farmland."""
    _, light, dark, accent = pal
    # farmland seen obliquely
    ground_top = int(H * 0.62)
    d.polygon([(0, H), (W, H), (W * 0.86, ground_top), (W * 0.14, ground_top)], fill=(150, 190, 110))
    for i in range(1, 7):
        t = i / 7
        xb = W * t
        xt = W * 0.14 + (W * 0.72) * t
        d.line([(xb, H), (xt, ground_top)], fill=(120, 165, 90), width=4)
    for _j, t in enumerate((0.25, 0.55)):
        y = ground_top + (H - ground_top) * t
        d.line([(W * 0.14 * (1 - t), y), (W - W * 0.14 * (1 - t), y)], fill=(120, 165, 90), width=4)
    # flight lines
    for k in range(4):
        y = 70 + k * 48
        dashed_line(d, (80, y), (W - 80, y), fill=mix(dark, light, 0.55), width=3)
    # target on the ground
    tx, ty = int(W * 0.66), int(H * 0.80)
    draw_target(d, tx, ty, 54)
    # drone
    cx, cy = int(W * 0.45), int(H * 0.30)
    d.line([(cx - 260, cy), (cx + 260, cy)], fill=INK, width=14)
    for sx in (-260, 260):
        d.rectangle([cx + sx - 8, cy - 34, cx + sx + 8, cy], fill=INK)
        d.ellipse([cx + sx - 120, cy - 50, cx + sx + 120, cy - 26], fill=mix(dark, WHITE, 0.6), outline=INK, width=3)
    d.rounded_rectangle([cx - 110, cy - 40, cx + 110, cy + 40], radius=26, fill=dark)
    d.rounded_rectangle([cx - 60, cy + 40, cx + 60, cy + 110], radius=12, fill=accent)
    text(d, (cx, cy + 76), "投放仓", 30, INK, anchor="mm")
    for sx in (-80, 80):
        d.line([(cx + sx, cy + 40), (cx + sx * 1.5, cy + 130)], fill=INK, width=8)
    dashed_line(d, (cx + 20, cy + 118), (tx, ty - 40), fill=accent, width=6)
    text(d, (tx + 80, ty - 20), "像控点", 40, INK)


def draw_target(d, x, y, r):
    """Draw a coded ground-control target centred at (x, y)."""
    d.polygon([(x - r, y), (x, y - r * 0.55), (x + r, y), (x, y + r * 0.55)], fill=WHITE, outline=INK, width=3)
    d.polygon([(x - r, y), (x, y - r * 0.55), (x, y)], fill=INK)
    d.polygon([(x + r, y), (x, y + r * 0.55), (x, y)], fill=INK)


def m_target(d, W, H, pal, ach):
    """Draw a ground-control target board unfolded at a field edge."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(168, 200, 120))
    rng = random.Random(ach["id"] + "grass")
    for _ in range(260):
        x, y = rng.randrange(W), rng.randrange(H)
        d.line([(x, y), (x + rng.randint(-8, 8), y - rng.randint(10, 26))], fill=(132, 170, 92), width=3)
    # field edge / road
    d.polygon([(0, H * 0.78), (W, H * 0.58), (W, H * 0.70), (0, H * 0.92)], fill=(196, 178, 140))
    # big quartered board, unfolded
    cx, cy, s = W * 0.45, H * 0.42, 230
    pts = [(cx - s, cy), (cx, cy - s * 0.62), (cx + s, cy), (cx, cy + s * 0.62)]
    d.polygon(pts, fill=WHITE, outline=INK, width=5)
    d.polygon([pts[0], pts[1], (cx, cy)], fill=INK)
    d.polygon([pts[2], pts[3], (cx, cy)], fill=INK)
    # hinge lines (folding)
    d.line(
        [
            ((pts[0][0] + pts[1][0]) / 2, (pts[0][1] + pts[1][1]) / 2),
            ((pts[2][0] + pts[3][0]) / 2, (pts[2][1] + pts[3][1]) / 2),
        ],
        fill=accent,
        width=5,
    )
    # code ring
    for k in range(8):
        a = k / 8 * 2 * math.pi
        px, py = cx + math.cos(a) * 120, cy + math.sin(a) * 74
        if k % 3 != 1:
            d.ellipse([px - 14, py - 9, px + 14, py + 9], fill=accent)
    # folded spare boards + backpack
    bx, by = W * 0.78, H * 0.28
    for i in range(3):
        d.rounded_rectangle(
            [bx + i * 26, by + i * 18, bx + 170 + i * 26, by + 60 + i * 18],
            radius=8,
            fill=mix(dark, WHITE, 0.3 + i * 0.1),
            outline=INK,
            width=3,
        )
    text(d, (bx + 90, by + 150), "折叠后装入背包", 34, INK, anchor="mm")
    text(d, (cx, cy + s * 0.62 + 50), "编码标志板  展开边长1米", 40, INK, anchor="mm")


def m_chart(d, W, H, pal, ach):
    """Draw a bar chart over the achievement's chart labels."""
    _, light, dark, accent = pal
    d.rounded_rectangle([30, 10, W - 30, H - 10], radius=30, fill=WHITE, outline=mix(dark, WHITE, 0.5), width=4)
    x0, y0, x1, y1 = 130, 70, W * 0.56, H - 90
    d.line([(x0, y0), (x0, y1), (x1, y1)], fill=INK, width=5)
    labels = ach.get("_chart_labels", ["一", "二", "三"])
    vals = [0.42, 0.68, 0.93]
    bw = (x1 - x0) / (len(vals) * 1.7)
    pts = []
    for i, (v, lab) in enumerate(zip(vals, labels)):
        bx = x0 + 40 + i * bw * 1.7
        top = y1 - (y1 - y0 - 30) * v
        d.rectangle([bx, top, bx + bw, y1 - 3], fill=mix(dark, light, 0.25 * (2 - i)))
        text(d, (bx + bw / 2, y1 + 40), lab, 34, INK, anchor="mm")
        pts.append((bx + bw / 2, top - 26))
    d.line(pts, fill=accent, width=8, joint="curve")
    arrow(d, pts[-2], (pts[-1][0] + 40, pts[-1][1] - 30), fill=accent, width=8)
    # highlight cards
    hx = W * 0.62
    for i, (k, v) in enumerate(ach["_highlights"]):
        y = 50 + i * (H - 80) / 3
        d.rounded_rectangle([hx, y, W - 70, y + (H - 80) / 3 - 24], radius=18, fill=mix(dark, WHITE, 0.88))
        text(d, (hx + 28, y + 22), k, 32, mix(dark, INK, 0.3))
        text(d, (hx + 28, y + 66), v, 52, dark)


def m_parcel(d, W, H, pal, ach):
    """Draw a land parcel being surveyed with its boundary points."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H], fill=(250, 248, 240))
    for x in range(0, W, 60):
        d.line([(x, 0), (x, H)], fill=(232, 228, 214), width=1)
    for y in range(0, H, 60):
        d.line([(0, y), (W, y)], fill=(232, 228, 214), width=1)
    parcel = [(220, 140), (900, 110), (960, 560), (260, 620)]
    d.polygon(parcel, fill=(244, 230, 200), outline=dark, width=6)
    d.polygon([(340, 220), (760, 200), (790, 470), (360, 490)], fill=mix(dark, WHITE, 0.55), outline=INK, width=4)
    d.line([(560, 210), (575, 480)], fill=INK, width=3)
    text(d, (450, 340), "一层", 36, INK, anchor="mm")
    text(d, (680, 335), "二层", 36, INK, anchor="mm")
    offsets = [(-22, -18, "rb"), (22, -18, "lb"), (22, 18, "lt"), (-22, 18, "rt")]
    for i, ((x, y), (ox, oy, anc)) in enumerate(zip(parcel, offsets)):
        d.ellipse([x - 14, y - 14, x + 14, y + 14], fill=accent, outline=INK, width=3)
        text(d, (x + ox, y + oy), f"J{i + 1}", 30, INK, anchor=anc)
    # dimension line parallel to J1-J2
    d.line([(232, 92), (888, 62)], fill=accent, width=3)
    for x, y in ((232, 92), (888, 62)):
        d.line([(x, y - 14), (x, y + 14)], fill=accent, width=3)
    text(d, (560, 64), "28.64", 34, accent, anchor="mb")
    text(d, (980, 330), "12.36", 34, accent, anchor="lm")
    # north arrow
    nx, ny = W - 170, 150
    d.polygon([(nx, ny - 80), (nx - 30, ny + 20), (nx, ny), (nx + 30, ny + 20)], fill=INK)
    text(d, (nx, ny - 90), "北", 40, INK, anchor="mb")
    # area table
    tx, ty = W - 360, 330
    d.rectangle([tx, ty, W - 60, ty + 250], fill=WHITE, outline=INK, width=3)
    rows = [("宗地面积", "312.5㎡"), ("建筑面积", "246.8㎡"), ("闭合差", "合格")]
    for i, (k, v) in enumerate(rows):
        y = ty + 20 + i * 76
        text(d, (tx + 20, y + 10), k, 30, INK)
        text(d, (W - 80, y + 10), v, 30, dark, anchor="ra")
        if i:
            d.line([(tx, y - 8), (W - 60, y - 8)], fill=(200, 200, 200), width=2)


def m_tablet(d, W, H, pal, ach):
    """Draw a field tablet showing the achievement's form rows."""
    _, light, dark, accent = pal
    tx0, ty0, tx1, ty1 = W * 0.16, 20, W * 0.84, H - 20
    d.rounded_rectangle([tx0 + 12, ty0 + 14, tx1 + 12, ty1 + 14], radius=44, fill=mix(dark, light, 0.7))
    d.rounded_rectangle([tx0, ty0, tx1, ty1], radius=44, fill=(34, 36, 42))
    sx0, sy0, sx1, sy1 = tx0 + 40, ty0 + 40, tx1 - 40, ty1 - 40
    d.rectangle([sx0, sy0, sx1, sy1], fill=(246, 248, 250))
    # mini map on the left half of the screen
    mx1 = sx0 + (sx1 - sx0) * 0.48
    d.rectangle([sx0, sy0, mx1, sy1], fill=(210, 230, 200))
    rng = random.Random(ach["id"] + "map")
    for _ in range(7):
        x, y = rng.uniform(sx0 + 20, mx1 - 120), rng.uniform(sy0 + 20, sy1 - 110)
        w, h = rng.uniform(60, 120), rng.uniform(50, 100)
        d.polygon(
            [(x, y), (x + w, y + rng.uniform(-10, 10)), (x + w + rng.uniform(-10, 10), y + h), (x, y + h)],
            fill=mix(light, dark, rng.uniform(0.05, 0.3)),
            outline=WHITE,
            width=2,
        )
    px, py = (sx0 + mx1) / 2, (sy0 + sy1) / 2
    d.ellipse([px - 16, py - 16, px + 16, py + 16], fill=accent, outline=WHITE, width=4)
    # form rows
    rows = ach.get("_tablet_rows") or ["调查项目", "坐标", "照片", "提交"]
    rx = mx1 + 28
    rh = (sy1 - sy0 - 40) / len(rows)
    for i, r in enumerate(rows):
        y = sy0 + 20 + i * rh
        last = i == len(rows) - 1
        d.rounded_rectangle(
            [rx, y, sx1 - 24, y + rh - 18],
            radius=12,
            fill=accent if last else WHITE,
            outline=mix(dark, WHITE, 0.5),
            width=3,
        )
        fs = 30 if font(30).getlength(r) < (sx1 - 24 - rx - 30) else 24
        text(d, (rx + 18, y + (rh - 18) / 2), r, fs, WHITE if last else INK, anchor="lm")


def m_change(d, W, H, pal, ach):
    """Draw two map tiles compared, the changed patches marked."""
    _, light, dark, accent = pal
    pw = W * 0.42
    for k, (x0, lab) in enumerate(((30, "前时相"), (W - 30 - pw, "后时相"))):
        d.rectangle([x0, 70, x0 + pw, H - 20], fill=(120, 160, 90), outline=INK, width=4)
        rng = random.Random("fields")
        for i in range(4):
            for j in range(3):
                fx, fy = x0 + 20 + i * (pw - 40) / 4, 90 + j * (H - 130) / 3
                col = mix((150, 196, 100), (96, 140, 70), rng.random())
                if k == 1 and (i, j) == (2, 1):
                    col = (190, 180, 170)
                    d.rectangle([fx + 4, fy + 4, fx + (pw - 40) / 4 - 4, fy + (H - 130) / 3 - 4], fill=col)
                    for b in range(3):
                        bx = fx + 18 + b * 42
                        d.rectangle([bx, fy + 40, bx + 30, fy + 80], fill=(120, 120, 128))
                    d.rectangle(
                        [fx - 4, fy - 4, fx + (pw - 40) / 4 + 4, fy + (H - 130) / 3 + 4], outline=accent, width=8
                    )
                else:
                    d.rectangle([fx + 4, fy + 4, fx + (pw - 40) / 4 - 4, fy + (H - 130) / 3 - 4], fill=col)
        # a river
        d.line(
            [(x0 + 10, H - 120), (x0 + pw * 0.5, H - 160), (x0 + pw - 10, H - 100)],
            fill=(90, 150, 210),
            width=22,
            joint="curve",
        )
        text(d, (x0 + pw / 2, 36), lab, 40, INK, anchor="mm")
    arrow(d, (W * 0.45, H * 0.5), (W * 0.55, H * 0.5), fill=accent, width=12, head=34)
    text(d, (W * 0.5, H * 0.5 + 60), "自动比对", 34, INK, anchor="mm")


def m_wetland(d, W, H, pal, ach):
    """Draw a wetland map with the patches of forest and grassland loss marked."""
    _, light, dark, accent = pal
    d.rectangle([0, 0, W, H * 0.45], fill=(214, 236, 246))
    d.ellipse([W * 0.36, 40, W * 0.36 + 110, 150], fill=(255, 214, 120))
    d.polygon([(0, H * 0.45), (W, H * 0.40), (W, H), (0, H)], fill=(140, 186, 110))
    d.polygon(
        [(W * 0.18, H * 0.62), (W * 0.55, H * 0.52), (W * 0.92, H * 0.66), (W * 0.70, H * 0.92), (W * 0.25, H * 0.90)],
        fill=(100, 160, 214),
    )
    for k in range(5):
        y = H * 0.66 + k * 40
        for x in range(int(W * 0.3), int(W * 0.8), 90):
            d.arc([x, y, x + 60, y + 24], 200, 340, fill=WHITE, width=3)
    rng = random.Random(ach["id"] + "reeds")
    for _ in range(40):
        x = rng.uniform(W * 0.05, W * 0.3)
        y = rng.uniform(H * 0.55, H * 0.95)
        d.line([(x, y), (x + rng.uniform(-6, 6), y - 70)], fill=(80, 120, 60), width=3)
        d.ellipse([x - 6, y - 92, x + 6, y - 62], fill=(160, 120, 70))
    for i in range(6):
        x = W * 0.62 + i * 80
        y = H * 0.42 + (i % 2) * 20
        d.polygon([(x, y - 120), (x - 50, y + 10), (x + 50, y + 10)], fill=(52, 120, 70))
        d.rectangle([x - 8, y + 10, x + 8, y + 40], fill=(110, 80, 50))
    # change polygons
    poly = [(W * 0.48, H * 0.56), (W * 0.66, H * 0.54), (W * 0.70, H * 0.70), (W * 0.50, H * 0.74)]
    for a, b in zip(poly, poly[1:] + poly[:1]):
        dashed_line(d, a, b, fill=accent, width=7)
    pill(d, (W * 0.60, H * 0.80), "湿地萎缩", 36, accent)
    poly2 = [(W * 0.60, H * 0.22), (W * 0.96, H * 0.20), (W * 0.96, H * 0.50), (W * 0.60, H * 0.52)]
    for a, b in zip(poly2, poly2[1:] + poly2[:1]):
        dashed_line(d, a, b, fill=(240, 140, 20), width=7)
    pill(d, (W * 0.78, H * 0.13), "林草减少", 36, (200, 100, 0))


def m_pipe(d, W, H, pal, ach):
    """Draw gas and power pipes underground and a locator's quick-release stand with its level."""
    _, light, dark, accent = pal
    surf = H * 0.50
    d.rectangle([0, surf, W, H], fill=(176, 140, 100))
    d.rectangle([0, surf, W, surf + 36], fill=(90, 92, 98))
    for x in range(40, W, 160):
        d.rectangle([x, surf + 15, x + 80, surf + 21], fill=WHITE)
    for y in (surf + 110, surf + 230):
        d.line([(0, y), (W, y)], fill=(160, 124, 86), width=3)
    pipes = [
        (W * 0.30, H * 0.76, 48, (60, 130, 210), "给水"),
        (W * 0.55, H * 0.84, 36, (240, 196, 40), "燃气"),
        (W * 0.78, H * 0.72, 30, (220, 70, 60), "电力"),
    ]
    for x, y, r, c, lab in pipes:
        d.ellipse([x - r, y - r, x + r, y + r], fill=c, outline=INK, width=4)
        d.ellipse([x - r * 0.55, y - r * 0.55, x + r * 0.55, y + r * 0.55], fill=mix(c, WHITE, 0.5))
        text(d, (x, y + r + 34), lab, 32, INK, anchor="mm")
    # bracket + detector above the water pipe
    bx = W * 0.30
    foot = surf
    for dx in (-120, 0, 120):
        d.line([(bx, foot - 170), (bx + dx, foot)], fill=(170, 174, 182), width=12)
    d.rounded_rectangle([bx - 40, foot - 320, bx + 40, foot - 150], radius=10, fill=accent, outline=INK, width=4)
    d.ellipse([bx - 22, foot - 296, bx + 22, foot - 252], fill=(120, 220, 140), outline=INK, width=3)
    d.rectangle([bx - 54, foot - 190, bx + 54, foot - 164], fill=(90, 96, 110))
    text(d, (bx + 70, foot - 290), "水平气泡", 32, INK)
    text(d, (bx + 70, foot - 200), "快拆卡扣", 32, INK)
    for k in range(1, 4):
        r = 60 * k
        d.arc([bx - r, foot + 40 - r * 0.4, bx + r, foot + 40 + r * 0.9], 40, 140, fill=dark, width=5)
    dashed_line(d, (bx, foot + 40), (bx, H * 0.76 - 50), fill=dark, width=4)
    text(d, (bx - 70, (foot + H * 0.76) / 2), "埋深", 34, dark, anchor="rm")


def m_tripod(d, W, H, pal, ach):
    """Draw a pipeline locator on its tripod stand."""
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.82, W, H], fill=(150, 150, 156))
    cx, base = W * 0.42, H * 0.82
    for dx in (-170, -20, 150):
        d.line([(cx, base - 260), (cx + dx, base)], fill=(176, 180, 188), width=14)
    d.line([(cx, base - 260), (cx, base - 470)], fill=(200, 60, 60), width=14)
    for y in range(int(base - 470), int(base - 260), 40):
        d.line([(cx - 7, y), (cx + 7, y)], fill=WHITE, width=8)
    d.pieslice([cx - 110, base - 560, cx + 110, base - 420], 180, 360, fill=(250, 250, 250), outline=INK, width=4)
    d.rectangle([cx - 110, base - 492, cx + 110, base - 470], fill=(70, 74, 84))
    text(d, (cx + 140, base - 520), "卫星定位接收机", 34, INK)
    # detector clipped to the bracket
    d.rounded_rectangle([cx - 30, base - 250, cx + 30, base - 110], radius=8, fill=accent, outline=INK, width=3)
    text(d, (cx + 60, base - 200), "管线探测仪", 34, INK)
    draw_satellites(d, W, H, dark, accent, (cx, base - 560))


def draw_satellites(d, W, H, dark, accent, target):
    """Draw satellites sending signals to a target point."""
    for sx, sy in ((W * 0.12, 70), (W * 0.72, 50), (W * 0.90, 230)):
        d.rectangle([sx - 20, sy - 20, sx + 20, sy + 20], fill=dark)
        d.rectangle([sx - 80, sy - 10, sx - 26, sy + 10], fill=(90, 140, 220), outline=INK, width=2)
        d.rectangle([sx + 26, sy - 10, sx + 80, sy + 10], fill=(90, 140, 220), outline=INK, width=2)
        dashed_line(d, (sx, sy + 24), target, fill=accent, width=3, dash=12, gap=12)


def m_station(d, W, H, pal, ach):
    """Draw a GNSS base station under its satellites."""
    _, light, dark, accent = pal
    d.rectangle([0, H * 0.8, W, H], fill=(176, 186, 170))
    # building roof with observation pillar
    d.rectangle([W * 0.18, H * 0.52, W * 0.62, H * 0.8], fill=(226, 222, 214), outline=INK, width=4)
    for i in range(3):
        x = W * 0.22 + i * 150
        d.rectangle([x, H * 0.60, x + 90, H * 0.72], fill=(150, 190, 220), outline=INK, width=3)
    px = W * 0.40
    d.rectangle([px - 40, H * 0.30, px + 40, H * 0.52], fill=(200, 200, 204), outline=INK, width=4)
    d.pieslice([px - 120, H * 0.22, px + 120, H * 0.36], 180, 360, fill=WHITE, outline=INK, width=4)
    d.rectangle([px - 120, H * 0.29, px + 120, H * 0.31], fill=INK)
    # equipment cabinet
    d.rectangle([W * 0.70, H * 0.46, W * 0.86, H * 0.8], fill=(110, 120, 136), outline=INK, width=4)
    for i in range(4):
        y = H * 0.50 + i * 50
        d.rectangle([W * 0.72, y, W * 0.84, y + 30], fill=(70, 78, 90))
        d.ellipse([W * 0.83 - 16, y + 8, W * 0.83, y + 22], fill=(90, 220, 120) if i != 2 else accent)
    text(d, (W * 0.78, H * 0.42), "供电与通信", 32, INK, anchor="mb")
    draw_satellites(d, W, H, dark, accent, (px, H * 0.22))
