"""Real Chromium on a winner's page: the sticky section bar, previous/next winner, and the full-screen photo viewer."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, as_phone, demo_in_award_order

pytestmark = pytest.mark.browser
IN_AWARD_ORDER = demo_in_award_order()
BAR_BOTTOM = "document.querySelector('.section-bar').getBoundingClientRect().bottom"
SCALE = "new DOMMatrix(getComputedStyle(document.querySelector('.viewer-img')).transform).a"


def tap_to_winner(page, url, title):
    """From the attract loop, touch the screen, then the winner's card on home."""
    page.goto(url + "/attract")
    page.mouse.click(960, 540)
    page.wait_for_url(re.compile(r"/$"))
    page.locator(".card-link", has_text=title).click()
    expect(page.locator("h1.achievement-title")).to_have_text(title)


def expect_section_below_the_bars(page, section_id):
    """The section's top has come to rest just under the sticky bars (its 12 px margin), on screen.

    At rest means the page has not moved for 300 ms: within 2 px the smooth scroll may still be running its
    last frames, and a wheel turned then is undone by them (once failed in CI: the page stayed on 照片).
    """
    page.wait_for_function(
        f"""() => {{ const top = document.getElementById('{section_id}').getBoundingClientRect().top;
                     const now = performance.now(), seen = window.__lastScroll;
                     if (!seen || seen.y !== scrollY) {{ window.__lastScroll = {{ y: scrollY, at: now }};
                                                        return false; }}
                     return Math.abs(top - {BAR_BOTTOM} - 12) < 2 && now - seen.at > 300; }}"""
    )
    expect(page.locator(f".section-tab[href='#{section_id}']")).to_have_class(re.compile(r"\bis-current\b"))


def test_section_bar_jumps_past_the_sticky_bars_marks_the_section_and_steps_in_award_order(kiosk_page, live_server):
    first, second = IN_AWARD_ORDER[0], IN_AWARD_ORDER[1]
    url = live_server()
    tap_to_winner(kiosk_page, url, first["title"])
    bar = kiosk_page.locator(".section-bar")
    expect(bar.locator(".section-tab")).to_have_text(["照片", "视频", "讲解", "详情", "答题 ›"])
    expect(bar.locator(".step-prev")).to_have_count(0)
    kiosk_page.screenshot(path=SHOTS / "detail-1920-bar.png")
    bar.get_by_role("link", name="讲解").click()
    expect_section_below_the_bars(kiosk_page, "audio")
    assert kiosk_page.evaluate("document.querySelector('.topbar').getBoundingClientRect().top") == 0
    kiosk_page.screenshot(path=SHOTS / "detail-1920-audio.png")
    bar.get_by_role("link", name="照片").click()
    expect_section_below_the_bars(kiosk_page, "photos")
    # Reading on by scrolling: the bar follows. (The wheel turns over the page's text, as a hand would
    # scroll it, not over the bar just tapped; once failed in CI with the pointer left on the bar.)
    kiosk_page.mouse.move(960, 800)
    kiosk_page.mouse.wheel(0, 20000)
    expect(bar.locator(".section-tab.is-current")).to_have_text("详情", timeout=10_000)
    expect(kiosk_page.locator(".neighbour-next .neighbour-title")).to_have_text(second["title"])
    bar.locator(".step-next").click()
    kiosk_page.wait_for_url(re.compile(f"/a/{second['id']}$"))
    expect(kiosk_page.locator("h1.achievement-title")).to_have_text(second["title"])
    expect(kiosk_page.locator(".neighbour-prev .neighbour-title")).to_have_text(first["title"])
    expect(kiosk_page.locator(".neighbour-next .neighbour-title")).to_have_text(IN_AWARD_ORDER[2]["title"])
    kiosk_page.locator(".neighbour-prev").click()
    expect(kiosk_page.locator("h1.achievement-title")).to_have_text(first["title"])
    bar.get_by_role("link", name="答题 ›").click()
    kiosk_page.wait_for_url(re.compile(f"/a/{first['id']}/quiz$"))


def viewer_state(page):
    """Return the viewer's count text and whether it covers the whole viewport."""
    return page.evaluate("""() => { const v = document.getElementById('viewer'), r = v.getBoundingClientRect();
        return [v.querySelector('.viewer-count').textContent,
                !v.hidden && r.left === 0 && r.top === 0 && r.width === innerWidth && r.height === innerHeight]; }""")


def test_photo_viewer_swipes_zooms_and_closes_by_back_escape_and_button(kiosk_page, live_server):
    first = IN_AWARD_ORDER[0]
    url = live_server()
    tap_to_winner(kiosk_page, url, first["title"])
    detail_url = kiosk_page.url
    kiosk_page.locator(".achievement").evaluate("a => a.dataset.marker = 'kept'")
    kiosk_page.locator("img[data-viewer-photo]").first.click()
    assert viewer_state(kiosk_page) == ["1 / 3", True]
    # The original file, not the screen-sized copy.
    kiosk_page.wait_for_function(
        "() => { const img = document.querySelector('.viewer-img'); "
        "return img.src.endsWith('/photo-1.jpg') && img.complete; }"
    )
    kiosk_page.screenshot(path=SHOTS / "detail-1920-viewer.png")
    kiosk_page.mouse.move(1300, 500)
    kiosk_page.mouse.down()
    kiosk_page.mouse.move(600, 520, steps=8)
    kiosk_page.mouse.up()
    expect(kiosk_page.locator(".viewer-count")).to_have_text("2 / 3")
    kiosk_page.mouse.move(500, 500)
    kiosk_page.mouse.down()
    kiosk_page.mouse.move(1300, 480, steps=8)
    kiosk_page.mouse.up()
    expect(kiosk_page.locator(".viewer-count")).to_have_text("1 / 3")
    kiosk_page.mouse.dblclick(900, 400)
    kiosk_page.wait_for_function(f"() => {SCALE} > 2")
    kiosk_page.mouse.dblclick(900, 400)
    kiosk_page.wait_for_function(f"() => {SCALE} === 1")
    kiosk_page.go_back()
    expect(kiosk_page.locator("#viewer")).to_be_hidden()
    assert kiosk_page.url == detail_url
    expect(kiosk_page.locator(".achievement")).to_have_attribute("data-marker", "kept")
    kiosk_page.locator("img[data-viewer-photo]").first.click()
    expect(kiosk_page.locator("#viewer")).to_be_visible()
    kiosk_page.keyboard.press("Escape")
    expect(kiosk_page.locator("#viewer")).to_be_hidden()
    kiosk_page.locator("img[data-viewer-photo]").first.click()
    kiosk_page.get_by_role("button", name="关闭").click()
    expect(kiosk_page.locator("#viewer")).to_be_hidden()
    expect(kiosk_page.locator(".achievement")).to_have_attribute("data-marker", "kept")
    # Each closing took its history entry with it: back now leaves for home.
    kiosk_page.go_back()
    kiosk_page.wait_for_url(re.compile(r"/$"))


def touch(cdp, kind, *points):
    """Send one real touch event to Chromium with fingers at the given (x, y) points."""
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]},
    )


def test_phone_bar_and_viewer_with_fingers(phone, live_server):
    first = IN_AWARD_ORDER[0]
    url = live_server()
    as_phone(phone, url)
    phone.goto(url + "/")
    phone.locator(".card-link", has_text=first["title"]).tap()
    expect(phone.locator("h1.achievement-title")).to_have_text(first["title"])
    bar = phone.locator(".section-bar")
    expect(bar.locator(".section-tab")).to_have_text(["照片", "视频", "讲解", "详情", "答题 ›"])
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth")
    phone.screenshot(path=SHOTS / "detail-phone-bar.png")
    bar.get_by_role("link", name="讲解").tap()
    expect_section_below_the_bars(phone, "audio")
    assert phone.evaluate(BAR_BOTTOM) < 80, "the bar sticks at the top of the phone's screen"
    phone.screenshot(path=SHOTS / "detail-phone-audio.png")
    bar.get_by_role("link", name="照片").tap()
    expect_section_below_the_bars(phone, "photos")
    phone.locator("img[data-viewer-photo]").first.tap()
    assert viewer_state(phone) == ["1 / 3", True]
    phone.screenshot(path=SHOTS / "detail-phone-viewer.png")
    cdp = phone.context.new_cdp_session(phone)
    touch(cdp, "touchStart", (300, 400))
    for x in range(280, 60, -40):
        touch(cdp, "touchMove", (x, 405))
    touch(cdp, "touchEnd")
    expect(phone.locator(".viewer-count")).to_have_text("2 / 3")
    touch(cdp, "touchStart", (170, 400), (220, 400))
    for spread in range(10, 120, 10):
        touch(cdp, "touchMove", (170 - spread, 400), (220 + spread, 400))
    touch(cdp, "touchEnd")
    assert phone.evaluate(SCALE) > 2
    expect(phone.locator(".viewer-count")).to_have_text("2 / 3")
    phone.screenshot(path=SHOTS / "detail-phone-viewer-zoomed.png")
    phone.go_back()
    expect(phone.locator("#viewer")).to_be_hidden()
    expect(phone.locator("h1.achievement-title")).to_have_text(first["title"])
