"""The staff home's 本机状态: what a staff member checks at a glance before and during an event."""

import time

from flask import current_app

from kiosk import clock
from kiosk.appliance import heartbeat, rotation, update
from kiosk.packs.library import installed_packs
from kiosk.staff import venue
from kiosk.web import lan
from sync import outbox, runs
from sync.names import KIND_NAMES, RESULT_NAMES

STARTED = "kiosk.started"
# The page beats every 5 s; quieter than this, staff are told.
SCREEN_QUIET_SECONDS = 20


def uptime_text(seconds):
    """Return how long the kiosk has run, as staff read it (3 天 2 小时, 5 分钟)."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} 天 {hours} 小时"
    return f"{hours} 小时 {minutes} 分钟" if hours else f"{max(1, minutes)} 分钟"


def packs(db):
    """Return the installed packs as the card shows them: title, version, winners, when imported."""
    return [
        {**p, "imported_at": (p["imported_at"] or "")[:16].replace("T", " ")}
        for p in sorted(installed_packs(db), key=lambda p: p["imported_at"] or "", reverse=True)
    ]


def screen_text(seconds):
    """Return the kiosk screen's state from its page's last beat, and whether staff should look at it."""
    if seconds is None:
        return "还没有收到屏幕心跳（屏幕未打开展示页，或浏览器未启动）", True
    if seconds > SCREEN_QUIET_SECONDS:
        return f"已 {int(seconds)} 秒没有心跳：页面可能卡住，屏幕守护会重启浏览器", True
    return f"正常（{int(seconds)} 秒前有心跳）", False


def shape_text(state):
    """Return the screen page's size and orientation as its beat reported them, with the rotation set, and
    whether staff should look (the page is not the shape the rotation asks for)."""
    turned = rotation.NAMES[state["rotation"]]
    if not state["size"]:
        return f"设定为{turned}；还没有收到页面尺寸", False
    width, height = state["size"]
    text = f"{width}×{height}（{'竖屏' if height > width else '横屏'}），设定为{turned}"
    if (height > width) != (state["rotation"] in (90, 270)):
        return text + "：与设定不符。屏幕可能正在重新启动；一分钟后仍不符，请重启电脑或联系技术人员", True
    return text, False


def hours_text(state):
    """Return the opening hours and whether the screen is on now, as staff read them."""
    if not state["hours"]:
        return "全天开放" + (f"（{state['why']}）" if state["why"] else "")
    now = "现在开放，屏幕常亮" if state["open"] else "现在休息，屏幕黑屏"
    return f"{state['hours']}：{state['why'] or now}"


def health(db):
    """Return the figures of the 本机状态 card."""
    config = current_app.config
    last = runs.last(db)
    started = current_app.extensions.get(STARTED)
    screen, screen_bad = screen_text(heartbeat.seconds_since_beat())
    clock_problem = venue.clock_problem(db)
    state = heartbeat.screen_state(clock_problem)
    shape, shape_bad = shape_text(state)
    return {
        "screen_shape": shape,
        "screen_shape_bad": shape_bad,
        "opening": hours_text(state),
        "screen": screen,
        "screen_bad": screen_bad,
        "clock": clock.now().strftime("%Y-%m-%d %H:%M"),
        "clock_wrong": clock_problem,
        "phones_url": lan.public_url(config),
        "phones_reach": lan.phones_can_reach(config),
        "free": venue.free_text(),
        "pending": outbox.counts(db)["pending"],
        "last_sync": last
        and {
            "kind": KIND_NAMES.get(last["kind"], last["kind"]),
            "when": (last["finished_at"] or last["started_at"] or "")[:16].replace("T", " "),
            "result": RESULT_NAMES.get(last["result"], last["result"] or "进行中"),
        },
        "packs": packs(db),
        "version": update.running_version(),
        "uptime": uptime_text(time.monotonic() - started) if started is not None else "—",
    }


def init_app(app):
    """Note when the kiosk started (monotonic: the wall clock may step)."""
    app.extensions[STARTED] = time.monotonic()
