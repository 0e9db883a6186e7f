"""Real Chromium at 1920×1080: a scripted visit on the kiosk screen, then staff read it on 观众统计 and print the
半月通报 to an A4 PDF."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.staff_helpers import PIN, database, store_pin
from tests.support import SHOTS, arrive_home, as_phone, demo_achievement, glyphs_differ, hold_the_logo, type_the_pin

pytestmark = pytest.mark.browser
FIRST = demo_achievement(award="first")
A4_POINTS = (595.3, 841.9)  # 210 × 297 mm; Chromium rounds each side up to a whole pixel


def answer_a_question_wrong(page, instance):
    """Take the quiz and answer its first question wrong, by looking up the right answer; return its text."""
    page.get_by_role("link", name="答题挑战").click()
    page.get_by_role("button", name="开始答题").click()
    text = page.locator(".quiz-question").inner_text().strip()
    with database(instance) as db:
        row = db.execute(
            "SELECT type, options, answer FROM quiz_questions WHERE achievement_id = ? AND question = ?",
            [FIRST["id"], text],
        ).fetchone()
    kind, options, answer = row[0], json.loads(row[1]), json.loads(row[2])
    wrong = next(i for i in range(len(options)) if i not in answer)
    page.locator(".quiz-option").nth(wrong).click()
    if kind == "multiple":
        page.get_by_role("button", name="提交答案").click()
    expect(page.locator(".quiz-verdict")).to_have_text(re.compile("回答错误"))
    return text


def pdf_pages(data):
    """Return the page boxes of a PDF Chromium wrote, as (width, height) in points."""
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    return [(float(w), float(h)) for w, h in boxes]


def test_a_visit_on_the_screen_shows_on_the_dashboard_and_prints_as_an_a4_report(
    kiosk_page, live_server, tmp_path, browser
):
    url = live_server(KIOSK_IDLE_SECONDS=3, KIOSK_IDLE_WARNING_SECONDS=1)
    instance = tmp_path / "live-0"  # live_server's first instance folder
    store_pin(instance)
    page = kiosk_page

    # A visitor: taps the attract loop, a winner, plays its audio past half way, answers a question wrong.
    arrive_home(page, url)
    page.get_by_role("link", name=re.compile(FIRST["title"])).click()
    page.wait_for_url(re.compile(rf"/a/{FIRST['id']}$"))
    audio = page.locator(".player-audio")
    audio.get_by_role("button", name="播放").click()
    page.locator(".transcript .cue").last.click()  # the last sentence: past half way
    page.wait_for_function("() => document.querySelector('.player-audio audio').ended", timeout=20000)
    question = answer_a_question_wrong(page, instance)
    # …and walks away: the idle reset ends the visit.
    page.wait_for_url(re.compile(r"/attract$"), timeout=15000)

    # Staff, on a second browser (no idle reset while they read), sign in and tap 观众统计.
    staff = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    as_phone(staff, url)
    staff.goto(url + "/staff/login")
    type_the_pin(staff, PIN)
    staff.get_by_role("link", name="观众统计").click()
    expect(staff.locator(".staff-dashboard h1")).to_contain_text("观众统计")
    cards = staff.locator(".figures-headline")
    expect(cards.locator(".figure-card", has_text="观众访问").locator("strong")).to_have_text("1")
    expect(cards).to_contain_text("触摸屏 1 · 手机 0")
    funnel = staff.locator("svg[aria-label='各项成果的观众漏斗']")
    expect(funnel).to_contain_text(FIRST["id"])
    for step in ("查看详情：1", "看视频过半/听讲解：1", "答题：1", "提建议：0"):
        expect(funnel.locator("title", has_text=step)).to_have_count(1)
    expect(staff.locator(".figures-table").first).to_contain_text(question[:20])
    expect(staff.locator("svg[aria-label='视频和讲解音频的完成情况']")).to_contain_text("播完 100%")
    assert glyphs_differ(staff, "统计"), "Chinese characters render as identical boxes: no CJK font"
    heights = staff.eval_on_selector_all(
        ".figures-range .btn, .figures-range input", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 48
    staff.screenshot(path=SHOTS / "staff-dashboard-1920.png", full_page=True)

    staff.get_by_role("link", name="打印报告").click()
    expect(staff.locator(".report-head h1")).to_have_text("职工“五小”创新成果展 · 观众情况通报")
    expect(staff.locator(".report")).to_contain_text("最受关注的成果")
    staff.screenshot(path=SHOTS / "staff-report-1920.png", full_page=True)
    pdf = staff.pdf(path=SHOTS / "staff-report.pdf", format="A4", print_background=True)
    pages = pdf_pages(pdf)
    assert 1 <= len(pages) <= 6, pages
    assert all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in pages), pages
    staff.emulate_media(media="print")
    expect(staff.locator(".topbar")).to_be_hidden()
    expect(staff.locator(".report-tools")).to_be_hidden()
    staff.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, to look at as on paper
    staff.screenshot(path=SHOTS / "staff-report-print.png", full_page=True)
    staff.context.close()


def test_staff_holding_the_logo_ends_the_visit_and_their_console_time_is_no_visit(kiosk_page, live_server, tmp_path):
    url = live_server()
    instance = tmp_path / "live-0"  # live_server's first instance folder
    store_pin(instance)
    page = kiosk_page
    arrive_home(page, url)
    hold_the_logo(page)
    type_the_pin(page, PIN)  # staff's taps and pages from here on
    page.wait_for_timeout(6000)  # the usage writer's batch (5 s)
    with database(instance) as db:
        visits = [dict(r) for r in db["visits"].rows]
    assert len(visits) == 1 and visits[0]["ended"] == 1, visits
    assert visits[0]["seconds"] < 10, "the visit ended at the long press, not with staff's work"
    assert not page.evaluate("document.cookie").count("kiosk_visit=")
