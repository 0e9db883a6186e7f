"""§2 usage figures: what a day's body must be, and keeping the larger of held and arriving counts."""

from .rules import ID_HINT, is_date, is_id

METRICS = (
    "detail_view",
    "video_play",
    "video_complete",
    "audio_play",
    "quiz_taken",
    "quiz_correct",
    "quiz_answered",
    "suggestion",
)
MAX_VALUE = 2**63 - 1  # SQLite's INTEGER


class StatsInvalid(ValueError):
    """A stats body or date breaks §2; the message says which rule, in Chinese."""


def check_counter(counter, index, seen):
    """Check one counter and return it as (achievement_id, metric, value)."""
    where = f"counters[{index}]"
    if not isinstance(counter, dict):
        raise StatsInvalid(f"{where} · 须为 JSON 对象")
    unknown = sorted(set(counter) - {"achievement_id", "metric", "value"})
    if unknown:
        raise StatsInvalid(f"{where}.{unknown[0]} · 未知字段")
    achievement_id = counter.get("achievement_id")
    if achievement_id is not None and not is_id(achievement_id):
        raise StatsInvalid(f"{where}.achievement_id · 须为 null 或成果编号（{ID_HINT}）")
    metric = counter.get("metric")
    if metric not in METRICS:
        raise StatsInvalid(f"{where}.metric · 须为 {'、'.join(METRICS)} 之一")
    value = counter.get("value")
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_VALUE:
        raise StatsInvalid(f"{where}.value · 须为不小于 0 的整数")
    if (achievement_id, metric) in seen:
        raise StatsInvalid(f"{where} · ({achievement_id}, {metric}) 在正文中出现了两次")
    seen.add((achievement_id, metric))
    return achievement_id, metric, value


def check_day(body, date, keys=("event_id", "counters")):
    """Check a day's body for a date; return (event_id, [(achievement_id, metric, value), ...])."""
    if not is_date(date):
        raise StatsInvalid(f"date · {date!r} 不是 YYYY-MM-DD 格式的日期")
    if not isinstance(body, dict):
        raise StatsInvalid("正文须为 JSON 对象")
    unknown = sorted(set(body) - set(keys))
    if unknown:
        raise StatsInvalid(f"{unknown[0]} · 未知字段")
    if not is_id(body.get("event_id")):
        raise StatsInvalid(f"event_id · 缺少或不是 {ID_HINT}")
    counters = body.get("counters")
    if not isinstance(counters, list):
        raise StatsInvalid("counters · 缺少或不是列表")
    seen = set()
    return body["event_id"], [check_counter(c, i, seen) for i, c in enumerate(counters)]


def merge_day(conn, kiosk_id, date, event_id, counters, now):
    """Keep, for each counter, the larger of what is held and what arrives; return how many arrived."""
    conn.executemany(
        "INSERT INTO stats (kiosk_id, date, event_id, achievement_id, metric, value, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (kiosk_id, date, event_id, ifnull(achievement_id, ''), metric) DO UPDATE SET "
        "updated_at = CASE WHEN excluded.value > value THEN excluded.updated_at ELSE updated_at END, "
        "value = max(value, excluded.value)",
        [(kiosk_id, date, event_id, a, m, v, now) for a, m, v in counters],
    )
    return len(counters)
