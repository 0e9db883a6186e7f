"""Real Chromium runs a quiz from the detail page to its score, on the kiosk screen and on a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, demo_achievement, glyphs_differ

pytestmark = pytest.mark.browser
DRONE = demo_achievement(title="无人机")
SCREENS = {"1920": {"width": 1920, "height": 1080}, "phone": {"width": 390, "height": 844}}


def assert_big_targets(page, selector):
    """Assert every visible element matching selector is at least 48 px high and wide."""
    boxes = [b for b in (el.bounding_box() for el in page.locator(selector).all()) if b]
    assert boxes and all(b["height"] >= 48 and b["width"] >= 48 for b in boxes), boxes


def run_quiz(page, url, screen):
    """Take the drone's quiz from its detail page to the score; return (right answers, questions)."""
    page.goto(f"{url}/a/{DRONE['id']}")
    invite = page.get_by_role("link", name="答题挑战")
    assert_big_targets(page, ".quiz-invite")
    invite.click()
    expect(page.get_by_role("button", name="开始答题")).to_be_visible()
    assert glyphs_differ(page), "Chinese characters render as identical boxes: no CJK font"
    page.screenshot(path=SHOTS / f"quiz-start-{screen}.png")
    page.evaluate("window.quizPageStayed = true")
    page.get_by_role("button", name="开始答题").click()
    right, shot_types = 0, set()
    for n in range(1, 6):
        expect(page.locator(".quiz-count strong")).to_have_text(str(n))
        assert_big_targets(page, ".quiz-option")
        multiple = page.locator(".quiz-form.quiz-multiple").count() == 1
        kind = "multiple" if multiple else ("judge" if page.locator(".quiz-form.quiz-judge").count() else "single")
        if multiple:
            page.locator(".quiz-option").nth(0).click()
            page.locator(".quiz-option").nth(1).click()
            expect(page.locator(".quiz-check:checked")).to_have_count(2)
        if kind not in shot_types:
            page.screenshot(path=SHOTS / f"quiz-{kind}-{screen}.png")
        if multiple:
            page.get_by_role("button", name="提交答案").click()
        else:
            page.locator(".quiz-option").nth(0).click()
        verdict = page.locator(".quiz-verdict")
        expect(verdict).to_have_text(re.compile("回答(正确|错误)"))
        right += "回答正确" in verdict.inner_text()
        expect(page.locator(".quiz-option.is-answer").first).to_be_visible()
        expect(page.locator(".quiz-explain")).to_be_visible()
        if kind not in shot_types:
            page.screenshot(path=SHOTS / f"quiz-{kind}-answer-{screen}.png", full_page=True)
            shot_types.add(kind)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        page.get_by_role("button", name="查看得分" if n == 5 else "下一题").click()
    expect(page.locator(".quiz-score")).to_have_text(f"答对 {right} / 5")
    expect(page.locator("header.topbar")).to_have_count(1)  # each answer swapped the panel, not a whole page
    assert_big_targets(page, ".quiz-actions .btn")
    assert page.evaluate("window.quizPageStayed === true"), "the quiz reloaded the page instead of swapping"
    page.screenshot(path=SHOTS / f"quiz-score-{screen}.png")
    page.get_by_role("link", name="返回成果介绍").click()
    page.wait_for_url(re.compile(rf"/a/{DRONE['id']}$"))
    return shot_types


def test_quiz_runs_to_its_score(page, live_server):
    url = live_server()
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size(SCREENS["1920"])
    kinds = run_quiz(page, url, "1920")
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "kiosk_screen", "value": "0", "url": url}])
    page.set_viewport_size(SCREENS["phone"])
    kinds |= run_quiz(page, url, "phone")
    assert kinds == {"single", "multiple", "judge"}
