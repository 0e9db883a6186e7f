"""The kiosk clock, read in one place: Beijing time with its offset, as the contracts write times and dates."""

import datetime
import zipfile

# China keeps one time, UTC+8, all year: visitors read it, staff plan opening hours in it, days are counted in it.
# The PC's own time zone (often UTC after a plain Debian install) must not move receipts, hours or days by 8 hours.
BEIJING = datetime.timezone(datetime.timedelta(hours=8), "北京时间")


def now():
    """Return the kiosk clock's time in Beijing time, aware of its offset."""
    return datetime.datetime.now(BEIJING)


def timestamp():
    """Return the kiosk clock's time as RFC 3339 with its offset, to the second."""
    return now().isoformat(timespec="seconds")


def in_beijing(text):
    """Return an RFC 3339 time in Beijing time (one without an offset is taken as written there); raise ValueError."""
    stamp = datetime.datetime.fromisoformat(text)
    return stamp.astimezone(BEIJING) if stamp.tzinfo else stamp.replace(tzinfo=BEIJING)


def today():
    """Return the kiosk clock's date in Beijing time, as the contract's `YYYY-MM-DD`."""
    return now().date().isoformat()


# This release was made on this day: a clock before it is certainly wrong.
RELEASED = datetime.date(2026, 12, 4)
# ZIP stores local times from 1980 to 2107 only; a clock outside (no RTC battery: 1970) is held to the range.
ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def zip_entry(name):
    """Return a deflated ZIP entry for name stamped with the clock, held within what ZIP can store."""
    stamp = min(max(tuple(now().timetuple())[:6], ZIP_EARLIEST), ZIP_LATEST)
    entry = zipfile.ZipInfo(name, date_time=stamp)
    entry.compress_type = zipfile.ZIP_DEFLATED
    return entry


def wrong_clock(published=()):
    """Return why the clock is clearly wrong (before this release or before a pack was published), or None."""
    today_ = now().date()
    if today_ < RELEASED:
        return f"本机时钟显示 {today_.isoformat()}，早于本软件的发布日期 {RELEASED.isoformat()}"
    for stamp in published:
        try:
            day = datetime.datetime.fromisoformat(stamp).date()
        except (TypeError, ValueError):
            continue
        if today_ < day:
            return f"本机时钟显示 {today_.isoformat()}，早于已导入内容包的发布日期 {day.isoformat()}"
    return None


WRONG_CLOCK_ADVICE = (
    "建议和回执仍会正常保存，但时间会记错。请在系统设置里把日期和时间改对（或连上能上网的网络自动校时）；"
    "改好后无需重启。"
)
