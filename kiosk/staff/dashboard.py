"""Staff's 观众统计 dashboard and the printable 半月通报 report, over a range of days."""

from flask import Blueprint, current_app, render_template, request

from kiosk import clock
from kiosk.db import get_db
from kiosk.exhibits import usage
from kiosk.staff import engagement
from kiosk.staff.auth import no_store, staff_only_here, staff_required

bp = Blueprint("dashboard", __name__, url_prefix="/staff")
bp.after_request(no_store)
bp.before_request(staff_only_here)
QUICK_RANGES = ((1, "今天"), (7, "近7天"), (15, "近15天（半月）"), (30, "近30天"))
# The heatmap draws one row a day: a longer range is cut to its last days, and the page says so.
LONGEST_RANGE = 92


def asked_range():
    """Return the range of days the request asks for, and a note when it had to be cut or a day was misread."""
    first, last = request.args.get("from"), request.args.get("to")
    try:
        days = int(request.args.get("days", 0))
    except ValueError:
        days = 0
    notes = []
    for text in (first, last):
        if text and not engagement.parse_day(text):
            notes.append(f"“{text[:20]}”不是有效日期（格式如 2026-12-01），已改用默认范围。")
    days_range = engagement.choose_range(get_db(), first, last, days)
    if engagement.parse_day(first) and engagement.parse_day(last) and engagement.parse_day(first) > last:
        notes.append(f"开始日期晚于结束日期，已按 {days_range.text} 统计。")
    if len(days_range.days) > LONGEST_RANGE:
        cut = engagement.Range(days_range.days[-LONGEST_RANGE], days_range.last)
        notes.append(f"范围太长，只统计最后 {LONGEST_RANGE} 天：{cut.text}。")
        days_range = cut
    return days_range, notes


def figures():
    """Return the dashboard's figures for the asked range, the last few seconds' counts written first."""
    usage.flush(current_app)
    days, notes = asked_range()
    return {**engagement.dashboard(get_db(), days), "notes": notes, "quick": QUICK_RANGES}


@bp.get("/dashboard")
@staff_required
def page():
    """Show what visitors did over the range, as charts staff read at a glance."""
    return render_template("staff/dashboard.html", **figures())


@bp.get("/report")
@staff_required
def report():
    """Show the printable A4 report (半月通报) for the range: headline numbers, charts, top winners, suggestions."""
    generated_at = clock.now().strftime("%Y-%m-%d %H:%M")
    return render_template("staff/report.html", generated_at=generated_at, **figures())
