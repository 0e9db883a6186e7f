"""The dashboard's figures over a range of days: visits and their length, each winner's funnel, media
completion, the most-missed quiz questions, suggestions per hour and visits by hour and day.

Every figure is defined in docs/figures.md; titles come from winner_titles, so they outlive their pack."""

import datetime
import statistics
from dataclasses import dataclass

from kiosk import clock
from kiosk.staff.queries import MODERATIONS

STEPS = ("viewed", "media", "quiz", "suggested")
STEP_NAMES = {"viewed": "查看详情", "media": "看视频过半/听讲解", "quiz": "答题", "suggested": "提建议"}
LENGTH_BUCKETS = ((30, "30秒内"), (60, "30秒–1分"), (120, "1–2分"), (180, "2–3分"), (300, "3–5分"), (600, "5–10分"))
LAST_BUCKET = "10分钟以上"
HALF_MONTH = 15
MOST_MISSED = 10


@dataclass(frozen=True)
class Range:
    """Days from first to last, both included, as YYYY-MM-DD."""

    first: str
    last: str

    @property
    def days(self):
        """Return every day of the range, oldest first."""
        start, end = datetime.date.fromisoformat(self.first), datetime.date.fromisoformat(self.last)
        return [(start + datetime.timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]

    @property
    def text(self):
        """Return the range as staff read it."""
        return self.first if self.first == self.last else f"{self.first} 至 {self.last}"


def latest_day(db):
    """Return the latest day anything was counted or suggested, or None before the first visitor."""
    row = db.execute(
        "SELECT max(d) FROM (SELECT max(day) AS d FROM visits UNION ALL SELECT max(day) FROM usage_counts "
        "UNION ALL SELECT max(substr(created_at, 1, 10)) FROM suggestions)"
    ).fetchone()
    return row[0]


def parse_day(text):
    """Return text as a YYYY-MM-DD day, or None when it is not one."""
    try:
        return datetime.date.fromisoformat((text or "").strip()).isoformat()
    except ValueError:
        return None


def choose_range(db, first=None, last=None, days=None):
    """Return the range asked for; unset ends on the later of today and the last day with figures, 15 days long."""
    end = parse_day(last) or max(clock.today(), latest_day(db) or "")
    length = days if days and days > 0 else HALF_MONTH
    start = parse_day(first) or (datetime.date.fromisoformat(end) - datetime.timedelta(days=length - 1)).isoformat()
    if start > end:
        start, end = end, start
    return Range(start, end)


def visit_lengths(db, days):
    """Return the lengths in seconds of the visits whose length is known, kiosk screen and phones together.

    Known: a screen visit that reached its idle reset (one cut by a restart has only part of its length), and
    a phone visit of more than one request (a single page has no length to measure)."""
    rows = db.execute(
        "SELECT seconds FROM visits WHERE day BETWEEN ? AND ? "
        "AND ((place = 'screen' AND ended = 1) OR (place = 'phone' AND seconds > 0))",
        [days.first, days.last],
    )
    return [r[0] for r in rows]


def percentile(values, share):
    """Return the share-th quantile by linear interpolation between closest ranks, or None without values."""
    if not values:
        return None
    ordered = sorted(values)
    at = (len(ordered) - 1) * share
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def length_histogram(lengths):
    """Return [(label, visits)] over the length buckets."""
    counts = [0] * (len(LENGTH_BUCKETS) + 1)
    for seconds in lengths:
        counts[next((i for i, (limit, _) in enumerate(LENGTH_BUCKETS) if seconds < limit), len(LENGTH_BUCKETS))] += 1
    return list(zip([label for _, label in LENGTH_BUCKETS] + [LAST_BUCKET], counts, strict=True))


def counted(db, table, days, metrics):
    """Return {(achievement_id, metric): value} summed over the range from usage_counts or local_counts."""
    marks = ", ".join("?" * len(metrics))
    rows = db.execute(
        f"SELECT achievement_id, metric, sum(value) FROM {table} WHERE day BETWEEN ? AND ? AND metric IN ({marks}) "
        "GROUP BY achievement_id, metric",
        [days.first, days.last, *metrics],
    )
    return {(a, m): v for a, m, v in rows}


def headline(db, days, lengths):
    """Return the headline numbers: visits by place, their median and 90th percentile length, views and more."""
    places = dict(
        db.execute(
            "SELECT place, count(*) FROM visits WHERE day BETWEEN ? AND ? GROUP BY place", [days.first, days.last]
        ).fetchall()
    )
    usage = counted(db, "usage_counts", days, ("detail_view", "video_play", "audio_play", "quiz_taken"))
    total = {m: sum(v for (_, metric), v in usage.items() if metric == m) for m in ("detail_view", "quiz_taken")}
    return {
        "visits": sum(places.values()),
        "screen_visits": places.get("screen", 0),
        "phone_visits": places.get("phone", 0),
        "timed": len(lengths),
        "median_seconds": statistics.median(lengths) if lengths else None,
        "p90_seconds": percentile(lengths, 0.9),
        "detail_views": total["detail_view"],
        "media_plays": sum(v for (_, m), v in usage.items() if m in ("video_play", "audio_play")),
        "quizzes": total["quiz_taken"],
        "suggestions": suggestion_count(db, days),
    }


def suggestion_count(db, days):
    """Return the visitors' suggestions made in the range (the honeypot's catches left out)."""
    return db.execute(
        "SELECT count(*) FROM suggestions WHERE substr(created_at, 1, 10) BETWEEN ? AND ? AND honeypot = 0",
        [days.first, days.last],
    ).fetchone()[0]


def titles(db):
    """Return {achievement_id: (title, award)} for every winner ever imported."""
    return {a: (t, w) for a, t, w in db.execute("SELECT achievement_id, title, award FROM winner_titles")}


def funnels(db, days, names):
    """Return each winner's funnel (visits that viewed it, then took each later step), most viewed first."""
    rows = db.execute(
        "SELECT s.achievement_id, s.step, count(DISTINCT s.visit_id) FROM visit_steps s "
        "JOIN visits v ON v.visit_id = s.visit_id WHERE v.day BETWEEN ? AND ? GROUP BY s.achievement_id, s.step",
        [days.first, days.last],
    )
    by_winner = {}
    for achievement_id, step, visits in rows:
        by_winner.setdefault(achievement_id, dict.fromkeys(STEPS, 0))[step] = visits
    # peak: the row's largest step, so every bar shares one scale even when a later step outnumbers 查看详情.
    found = [
        {"id": a, "title": names.get(a, ("（未知成果）", ""))[0], "steps": steps, "peak": max(steps.values())}
        for a, steps in by_winner.items()
    ]
    return sorted(found, key=lambda f: (-f["steps"]["viewed"], -sum(f["steps"].values()), f["id"]))


def media_completion(db, days, names):
    """Return per winner and kind (video, audio) how many plays began, reached half way and reached the end."""
    usage = counted(db, "usage_counts", days, ("video_play", "video_complete", "audio_play"))
    local = counted(db, "local_counts", days, ("video_half", "audio_half", "audio_complete"))
    figures = {**usage, **local}
    rows = []
    for achievement_id in sorted({a for a, _ in figures if a}):
        for kind, name in (("video", "视频"), ("audio", "讲解音频")):
            started = figures.get((achievement_id, f"{kind}_play"), 0)
            if started:
                rows.append(
                    {
                        "id": achievement_id,
                        "title": names.get(achievement_id, ("（未知成果）", ""))[0],
                        "kind": name,
                        "started": started,
                        "half": min(started, figures.get((achievement_id, f"{kind}_half"), 0)),
                        "ended": min(started, figures.get((achievement_id, f"{kind}_complete"), 0)),
                    }
                )
    return sorted(rows, key=lambda r: (-r["started"], r["id"], r["kind"]))


def most_missed(db, days, names, limit=MOST_MISSED):
    """Return the quiz questions most often answered wrong: missed, asked, share missed, winner, question."""
    rows = db.execute(
        "SELECT achievement_id, question, sum(CASE WHEN metric = 'asked' THEN value ELSE 0 END) AS asked, "
        "sum(CASE WHEN metric = 'missed' THEN value ELSE 0 END) AS missed FROM question_counts "
        "WHERE day BETWEEN ? AND ? GROUP BY achievement_id, question HAVING missed > 0 "
        "ORDER BY missed DESC, missed * 1.0 / asked DESC, achievement_id, question LIMIT ?",
        [days.first, days.last, limit],
    )
    return [
        {
            "id": a,
            "title": names.get(a, ("（未知成果）", ""))[0],
            "question": q,
            "asked": asked,
            "missed": missed,
            "share": missed / asked if asked else 0,
        }
        for a, q, asked, missed in rows
    ]


def suggestions_by_hour(db, days):
    """Return the suggestions made in each hour of the day (0–23) over the range, on the kiosk's clock."""
    hours = [0] * 24
    rows = db.execute(
        "SELECT CAST(substr(created_at, 12, 2) AS INTEGER), count(*) FROM suggestions "
        "WHERE substr(created_at, 1, 10) BETWEEN ? AND ? AND honeypot = 0 GROUP BY 1",
        [days.first, days.last],
    )
    for hour, n in rows:
        if hour is not None and 0 <= hour < 24:
            hours[hour] = n
    return hours


def suggestions_by_moderation(db, days):
    """Return [(state's name, suggestions)] for the range, in the order staff moderate."""
    found = dict(
        db.execute(
            "SELECT moderation, count(*) FROM suggestions WHERE substr(created_at, 1, 10) BETWEEN ? AND ? "
            "AND honeypot = 0 GROUP BY moderation",
            [days.first, days.last],
        ).fetchall()
    )
    return [(name, found.get(state, 0)) for state, name in MODERATIONS.items()]


def visits_by_hour_and_day(db, days):
    """Return {day: [visits in each hour 0–23]} for every day of the range."""
    grid = {day: [0] * 24 for day in days.days}
    rows = db.execute(
        "SELECT day, hour, count(*) FROM visits WHERE day BETWEEN ? AND ? GROUP BY day, hour", [days.first, days.last]
    )
    for day, hour, n in rows:
        if day in grid and 0 <= hour < 24:
            grid[day][hour] = n
    return grid


def dashboard(db, days):
    """Return every figure of the dashboard and the report for the range."""
    names = titles(db)
    lengths = visit_lengths(db, days)
    return {
        "period": days,
        "headline": headline(db, days, lengths),
        "lengths": length_histogram(lengths),
        "funnels": funnels(db, days, names),
        "media": media_completion(db, days, names),
        "missed": most_missed(db, days, names),
        "by_hour": suggestions_by_hour(db, days),
        "moderation": suggestions_by_moderation(db, days),
        "heatmap": visits_by_hour_and_day(db, days),
        "step_names": STEP_NAMES,
    }
