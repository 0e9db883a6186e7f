"""Opening hours: when the kiosk screen shows the attract loop, and when it goes black.

Staff write them as 08:30-17:30, or several spans such as 08:30-12:00,13:30-17:30; a span may run past
midnight (20:00-02:00). Empty means always open. A clock that is clearly wrong keeps the screen on: at an
event it is better lit at night than black in the morning."""

import re
import unicodedata

from kiosk import clock

SPAN = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")
BETWEEN = re.compile(r"[\s,，、;；]*")
EXAMPLE = "08:30-17:30，或两段：08:30-12:00,13:30-17:30"


def minutes(hour, minute, text):
    """Return hour:minute as minutes since midnight; 24:00 is midnight at the end of the day."""
    h, m = int(hour), int(minute)
    if m > 59 or h > 24 or (h == 24 and m):
        raise ValueError(f"“{text}”里的时间不对：小时为 0–24，分钟为 00–59。")
    return h * 60 + m


def check_between(text, after_a_span):
    """Refuse what stands between spans (or before the first) unless it is separators only."""
    if not BETWEEN.fullmatch(text) or (text and not after_a_span):
        raise ValueError(f"“{text.strip() or text}”看不懂，请写成 {EXAMPLE}。")


def parse(text):
    """Return the spans [(start, end)] in minutes of the hours staff wrote, [] for always open;
    raise ValueError with a Chinese reason."""
    text = unicodedata.normalize("NFKC", text or "").strip()  # full-width digits and signs as typed on a phone IME
    if not text:
        return []
    spans, at = [], 0
    for match in SPAN.finditer(text):
        check_between(text[at : match.start()], bool(spans))
        at = match.end()
        part = match[0]
        start = minutes(match[1], match[2], part)
        end = minutes(match[3], match[4], part)
        if start == end:
            raise ValueError(f"“{part}”开始和结束相同；全天开放请留空。")
        if start % 1440 == end % 1440:
            raise ValueError(f"“{part}”就是全天；全天开放请留空。")
        spans.append((start % 1440, end))
    check_between(text[at:], True)
    return spans


def written(spans, dash, between):
    """Return the spans as text: each start and end as HH:MM joined by dash, the spans joined by between."""
    return between.join(f"{s // 60:02d}:{s % 60:02d}{dash}{e // 60:02d}:{e % 60:02d}" for s, e in spans)


def shown(spans):
    """Return the spans as the screens write them: 08:30–12:00、13:30–17:30."""
    return written(spans, "–", "、")


def normal_text(text):
    """Return the hours in the form they are kept in (08:30-17:30,...), or None for always open."""
    return written(parse(text), "-", ",") or None


def open_at(spans, minute_of_day):
    """Return whether the kiosk is open at this minute of the day; a span past midnight runs into the next day."""
    if not spans:
        return True
    for start, end in spans:
        if start < end and start <= minute_of_day < end:
            return True
        if start > end and (minute_of_day >= start or minute_of_day < end % 1440):
            return True
    return False


def screen_state(config, clock_problem=None):
    """Return the kiosk screen's state now: {"open", "hours" (as shown, "" for always), "why" (when kept on)}."""
    try:
        spans = parse(config.get("KIOSK_OPEN_HOURS"))
    except ValueError:  # kiosk.toml or the environment holds something unreadable: stay on, staff see why
        return {"open": True, "hours": "", "why": "开放时间设置有误，屏幕保持常亮"}
    now = clock.now()
    if spans and clock_problem:
        return {"open": True, "hours": shown(spans), "why": "本机时钟不对，屏幕保持常亮"}
    return {"open": open_at(spans, now.hour * 60 + now.minute), "hours": shown(spans), "why": ""}
