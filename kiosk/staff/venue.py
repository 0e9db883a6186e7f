"""What staff must know about the venue right now: phones cannot reach the kiosk, the clock is wrong, the disk fills."""

import shutil

from flask import current_app

from kiosk import clock
from kiosk.db import get_db
from kiosk.web import lan


def venue_warnings():
    """Return the warnings to show on every staff page, in Chinese, each saying what to do."""
    warnings = []
    if not lan.phones_can_reach(current_app.config):
        warnings.append(lan.NO_LAN_ADVICE)
    free = free_bytes()
    if free is not None and free < current_app.config["KIOSK_DISK_WARN_MB"] * 1e6:
        warnings.append(
            f"本机存储空间只剩 {free / 1e6:.0f} MB：满了以后新的建议将无法保存（已保存的不受影响）。"
            "请删除不用的文件或旧内容包，或请技术人员处理；腾出空间后无需重启。"
        )
    wrong = clock_problem(get_db())
    if wrong:
        warnings.append(f"{wrong}：时钟不对。{clock.WRONG_CLOCK_ADVICE}")
    return warnings


def clock_problem(db):
    """Return what is wrong with the kiosk's clock (before the release or a pack's publication), or None."""
    return clock.wrong_clock([row[0] for row in db.execute("SELECT published_at FROM packs")])


def free_bytes():
    """Return the free space of the disk holding the instance folder (database, media), or None."""
    try:
        return shutil.disk_usage(current_app.instance_path).free
    except OSError:
        return None


def free_text():
    """Return the free space for staff (12.3 GB, 450 MB)."""
    free = free_bytes()
    if free is None:
        return "未知"
    return f"{free / 1e9:.1f} GB" if free >= 1e9 else f"{free / 1e6:.0f} MB"


def init_app(app):
    """Give staff templates venue_warnings() and the address phones use."""
    app.context_processor(
        lambda: {
            "venue_warnings": venue_warnings,
            "phones_url": lambda: lan.public_url(current_app.config),
            "free_space": free_text,
        }
    )
