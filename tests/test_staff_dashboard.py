"""The 观众统计 dashboard and the 半月通报 report: visits, funnels, media, missed questions, hours, titles kept."""

import re

import pytest

from kiosk import migrations
from kiosk.db import DB_FILE, connect
from kiosk.exhibits import usage, visits
from kiosk.staff import engagement
from tests.staff_helpers import add_suggestion, database, sign_in, store_pin
from tests.suggest_helpers import GOOD, PHONE_CLIENT, submit

WINNER = "TJ2024-001"
TITLE = "无人机航测像控点快速布设与识别装置"
SCREEN_VISIT = "a1" * 12
PHONE_VISIT = "b2" * 12


class Clock:
    """A monotonic clock the test moves by hand, so a visit's length is known."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """Replace the visits' monotonic clock with one the test moves."""
    fake = Clock()
    monkeypatch.setattr(visits, "time", fake)
    return fake


def event(client, metric, achievement=WINNER, **kwargs):
    """Report a browser event as kiosk.js does, with the page's CSRF token."""
    token = client.get("/events/token", **kwargs).get_json()["token"]
    data = {"metric": metric, "achievement": achievement}
    return client.post("/events", data=data, headers={"X-CSRF-Token": token}, **kwargs)


def dashboard(client, **query):
    """Return the dashboard's HTML for the query."""
    return client.get("/staff/dashboard", query_string=query).get_data(as_text=True)


@pytest.fixture
def staff(demo_app, demo_client):
    """Return the demo client signed in as staff."""
    store_pin(demo_app)
    sign_in(demo_client)
    return demo_client


def test_a_kiosk_screen_visit_runs_from_first_touch_to_the_idle_reset(demo_app, staff, clock):
    staff.set_cookie(visits.COOKIE, SCREEN_VISIT)
    staff.get("/")
    clock.now += 20
    staff.get(f"/a/{WINNER}")
    clock.now += 40
    event(staff, "video_play")
    event(staff, "video_half")
    clock.now += 60
    event(staff, "visit_end", achievement="")
    usage.flush(demo_app)
    with database(demo_app) as db:
        row = db["visits"].get(SCREEN_VISIT)
        steps = {(s["achievement_id"], s["step"]) for s in db["visit_steps"].rows}
    assert (row["place"], row["seconds"], row["ended"]) == ("screen", 120.0, 1)
    assert steps == {(WINNER, "viewed"), (WINNER, "media")}
    staff.delete_cookie(visits.COOKIE)
    html = dashboard(staff)
    assert "观众访问" in html and "2分0秒" in html and TITLE[:13] in html


def test_a_phone_visit_is_its_session_and_counts_the_page_it_landed_on(demo_app, demo_client, clock):
    phone = demo_app.test_client()
    phone.get(f"/a/{WINNER}", environ_base=PHONE_CLIENT)  # scanned the QR code: no cookie yet
    phone.set_cookie(visits.COOKIE, PHONE_VISIT)
    assert event(phone, "visit_start", environ_base=PHONE_CLIENT).status_code == 204
    clock.now += 75
    response = submit(phone, {**GOOD, "from": WINNER}, environ_base=PHONE_CLIENT)
    assert response.status_code in (200, 303)
    event(phone, "visit_end", achievement="", environ_base=PHONE_CLIENT)  # a phone has no idle reset: ignored
    usage.flush(demo_app)
    with database(demo_app) as db:
        row = db["visits"].get(PHONE_VISIT)
        steps = {s["step"] for s in db["visit_steps"].rows_where("achievement_id = ?", [WINNER])}
    assert (row["place"], row["seconds"], row["ended"]) == ("phone", 75.0, 0)
    assert {"viewed", "suggested"} <= steps


def test_the_funnel_counts_visits_per_step_and_media_completion_per_kind(demo_app, staff, clock):
    for n in range(4):
        staff.set_cookie(visits.COOKIE, f"{n:02d}" * 12)
        staff.get(f"/a/{WINNER}")
        if n < 3:
            event(staff, "audio_play")
        if n < 2:
            event(staff, "audio_half")
        if n < 1:
            event(staff, "audio_complete")
    staff.delete_cookie(visits.COOKIE)
    usage.flush(demo_app)
    with database(demo_app) as db:
        figures = engagement.dashboard(db, engagement.choose_range(db))
    funnel = next(f for f in figures["funnels"] if f["id"] == WINNER)
    assert funnel["steps"] == {"viewed": 4, "media": 2, "quiz": 0, "suggested": 0}
    audio = next(m for m in figures["media"] if m["id"] == WINNER and m["kind"] == "讲解音频")
    assert (audio["started"], audio["half"], audio["ended"]) == (3, 2, 1)
    html = dashboard(staff)
    assert "2 · 50%" in html  # half of the four visits heard half the explanation
    assert "过半 67%" in html and "播完 33%" in html


def test_wrongly_answered_questions_are_listed_most_missed_first(demo_app, staff):
    with database(demo_app) as db:
        question = db.execute(
            "SELECT question FROM quiz_questions WHERE achievement_id = ? ORDER BY position", [WINNER]
        ).fetchone()[0]
    with demo_app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        for _ in range(3):
            usage.count_question(WINNER, question, right=False)
        usage.count_question(WINNER, question, right=True)
        usage.count_question(WINNER, "另一道题", right=True)
    usage.flush(demo_app)
    html = dashboard(staff)
    table = html.split("答错最多的题目")[1].split("</table>")[0]
    assert question in table and "另一道题" not in table and "75%" in table


def test_suggestions_per_hour_and_visits_by_hour_and_day(demo_app, staff):
    add_suggestion(demo_app, created_at="2026-11-20T10:15:00+08:00")
    add_suggestion(demo_app, created_at="2026-11-20T10:45:00+08:00")
    add_suggestion(demo_app, created_at="2026-11-21T15:05:00+08:00", moderation="approved")
    add_suggestion(demo_app, created_at="2026-11-21T15:06:00+08:00", honeypot=1, moderation="spam")
    with database(demo_app) as db:
        db["visits"].insert_all(
            [
                {"visit_id": f"{i:024x}", "event_id": "event", "place": "screen", "day": day, "hour": hour}
                | {"started_at": f"{day}T{hour:02d}:00:00+08:00", "seconds": 60.0 * i, "ended": 1}
                for i, (day, hour) in enumerate([("2026-11-20", 10), ("2026-11-20", 10), ("2026-11-21", 15)])
            ]
        )
        figures = engagement.dashboard(db, engagement.Range("2026-11-20", "2026-11-21"))
    assert figures["by_hour"][10] == 2 and figures["by_hour"][15] == 1 and sum(figures["by_hour"]) == 3
    assert figures["heatmap"]["2026-11-20"][10] == 2 and figures["heatmap"]["2026-11-21"][15] == 1
    assert dict(figures["moderation"]) == {"待审": 2, "已通过": 1, "垃圾": 0}
    assert figures["headline"]["median_seconds"] == 60.0 and figures["headline"]["p90_seconds"] == 108.0
    html = dashboard(staff, **{"from": "2026-11-20", "to": "2026-11-21"})
    assert "2026-11-20 至 2026-11-21" in html and "2026-11-20 10时：2 次访问" in html


def test_figures_keep_their_winners_titles_after_the_pack_is_removed(demo_app, staff, clock):
    staff.set_cookie(visits.COOKIE, SCREEN_VISIT)
    staff.get(f"/a/{WINNER}")
    staff.delete_cookie(visits.COOKIE)
    usage.flush(demo_app)
    with staff.session_transaction() as s:
        csrf = s["csrf_token"]
    staff.post("/staff/packs/demo-2024/remove", data={"csrf_token": csrf})
    assert staff.get(f"/a/{WINNER}").status_code == 404
    html = dashboard(staff)
    assert TITLE[:13] in html and "未知成果" not in html
    rows = staff.get("/staff/figures.csv").get_data(as_text=True)
    assert TITLE in rows


def test_a_migrated_database_keeps_its_data_and_gets_its_winners_titles(tmp_path):
    db = connect(tmp_path / DB_FILE)
    migrations.migrations.apply(db, stop_before="m006_engagement")
    db["packs"].insert({"pack_id": "p", "version": 1, "title": "包"})
    db["achievements"].insert({"id": "A1", "pack_id": "p", "position": 0, "title": "成果一", "award": "一等奖"})
    db["usage_counts"].insert({"day": "2024-10-21", "event_id": "e", "achievement_id": "A1", "metric": "video_play"})
    migrations.migrations.apply(db)
    assert [dict(r) for r in db["winner_titles"].rows] == [
        {"achievement_id": "A1", "title": "成果一", "award": "一等奖"}
    ]
    assert db["usage_counts"].count == 1
    db["achievements"].insert({"id": "A2", "pack_id": "p", "position": 1, "title": "成果二", "award": "二等奖"})
    assert db["winner_titles"].get("A2")["title"] == "成果二"


def test_malformed_visit_ids_and_unknown_metrics_are_ignored(demo_app, demo_client):
    demo_client.set_cookie(visits.COOKIE, "<script>" * 4)
    demo_client.get(f"/a/{WINNER}")
    assert event(demo_client, "visit_end", achievement="").status_code == 204
    assert event(demo_client, "drop_tables").status_code == 204
    usage.flush(demo_app)
    with database(demo_app) as db:
        assert db["visits"].count == 0 and db["local_counts"].count == 0


def test_a_bad_or_too_long_range_is_explained_in_chinese(staff):
    html = dashboard(staff, **{"from": "明天", "to": "2026-12-01"})
    assert "不是有效日期" in html
    html = dashboard(staff, **{"from": "1970-01-01", "to": "2026-12-01"})
    assert "范围太长，只统计最后 92 天" in html


def test_the_dashboard_and_report_are_for_signed_in_staff_only(demo_client):
    for path in ("/staff/dashboard", "/staff/report"):
        response = demo_client.get(path)
        assert response.status_code in (302, 303) and "/staff/login" in response.headers["Location"]


def test_the_report_is_a4_with_the_figures_top_winners_and_moderation(demo_app, staff, clock):
    staff.set_cookie(visits.COOKIE, SCREEN_VISIT)
    staff.get(f"/a/{WINNER}")
    staff.delete_cookie(visits.COOKIE)
    add_suggestion(demo_app, created_at=engagement.clock.now().isoformat(timespec="seconds"))
    html = staff.get("/staff/report").get_data(as_text=True)
    assert "观众情况通报" in html and "最受关注的成果" in html and "观众建议的审核情况" in html
    assert "figures.css" in html and "data-print" in html
    css = staff.get("/static/figures.css").get_data(as_text=True)
    assert "size: A4" in css and "@media print" in css


def test_percentiles_and_length_buckets():
    assert engagement.percentile([], 0.9) is None
    assert engagement.percentile([5], 0.9) == 5
    assert engagement.percentile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == 90
    assert dict(engagement.length_histogram([5, 29, 30, 61, 700])) == {
        "30秒内": 2,
        "30秒–1分": 1,
        "1–2分": 1,
        "2–3分": 0,
        "3–5分": 0,
        "5–10分": 0,
        "10分钟以上": 1,
    }


def test_a_phone_inventing_visits_is_held_to_its_share(demo_app):
    phone = demo_app.test_client()
    for n in range(30):
        phone.set_cookie(visits.COOKIE, f"{n:024x}")
        phone.get(f"/a/{WINNER}", environ_base=PHONE_CLIENT)
    other = demo_app.test_client()
    other.set_cookie(visits.COOKIE, PHONE_VISIT)
    other.get(f"/a/{WINNER}", environ_base={"REMOTE_ADDR": "192.168.1.99"})
    usage.flush(demo_app)
    with database(demo_app) as db:
        assert db["visits"].count == visits.NEW_PHONE_VISITS[0] + 1


def test_only_visits_whose_length_is_known_are_timed(demo_app, staff):
    rows = [("screen", 1, 120.0), ("screen", 0, 30.0), ("phone", 0, 0.0), ("phone", 0, 300.0)]
    with database(demo_app) as db:
        db["visits"].insert_all(
            {"visit_id": f"{i:024x}", "event_id": "event", "place": place, "day": "2026-11-20", "hour": 10}
            | {"started_at": "2026-11-20T10:00:00+08:00", "ended": ended, "seconds": seconds}
            for i, (place, ended, seconds) in enumerate(rows)
        )
        figures = engagement.dashboard(db, engagement.Range("2026-11-20", "2026-11-20"))
    assert figures["headline"]["visits"] == 4 and figures["headline"]["timed"] == 2
    assert figures["headline"]["median_seconds"] == 210.0


def test_a_quiz_started_without_a_detail_view_keeps_every_bar_on_one_scale(demo_app, staff):
    with database(demo_app) as db:
        db["visits"].insert_all(
            {"visit_id": f"{i:024x}", "event_id": "event", "place": "phone", "day": "2026-11-20", "hour": 10}
            | {"started_at": "2026-11-20T10:00:00+08:00"}
            for i in range(3)
        )
        db["visit_steps"].insert_all(
            {"visit_id": f"{i:024x}", "achievement_id": WINNER, "step": "quiz"} for i in range(3)
        )
        db["visit_steps"].insert({"visit_id": f"{0:024x}", "achievement_id": "TJ2024-002", "step": "viewed"})
    html = dashboard(staff, **{"from": "2026-11-20", "to": "2026-11-20"})
    widths = [float(w) for w in re.findall(r'<rect x="330" y="[\d.]+" width="([\d.]+)" height="13"', html)]
    assert widths and max(widths) <= 520


def test_reversed_dates_are_said_and_swapped(staff):
    html = dashboard(staff, **{"from": "2026-12-10", "to": "2026-12-01"})
    assert "开始日期晚于结束日期，已按 2026-12-01 至 2026-12-10 统计。" in html
