"""Real Chromium: 大字 and 高对比 on the kiosk screen, readable contrast, and accessible names said once."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, arrive_home, as_phone, hold_the_logo, text_contrasts

pytestmark = pytest.mark.browser

REPEATED = re.compile(r"(\S{4,}).*\1")


def root_font_px(page):
    """Return the page's root font size in px."""
    return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")


def lowest_contrasts(page):
    """Return the lowest contrast of normal text and of large text on the page, and the texts below the limits."""
    found = text_contrasts(page)
    normal = [c for c in found if not c["large"]]
    large = [c for c in found if c["large"]]
    failing = [c for c in normal if c["ratio"] < 4.5] + [c for c in large if c["ratio"] < 3]
    return min(c["ratio"] for c in normal), min((c["ratio"] for c in large), default=None), failing


def tour(page, url):
    """Tap from the attract loop to home, a winner and the suggestion form; yield each page's name on arrival."""
    arrive_home(page, url)
    yield "home"
    page.locator(".card-link").first.click()
    page.wait_for_url(re.compile(r"/a/"))
    yield "detail"
    page.get_by_role("link", name="对此成果提建议").click()
    page.wait_for_url(re.compile(r"/suggest"))
    yield "suggest"


def test_large_text_and_high_contrast_stay_from_page_to_page_until_the_idle_reset(kiosk_page, live_server):
    page = kiosk_page
    url = live_server(KIOSK_IDLE_SECONDS=3, KIOSK_IDLE_WARNING_SECONDS=1)
    steps = tour(page, url)
    next(steps)
    normal = root_font_px(page)
    page.get_by_role("button", name="大字").click()
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "true")
    assert root_font_px(page) >= normal * 1.25
    page.get_by_role("button", name="高对比").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    next(steps)  # a boosted link
    assert root_font_px(page) >= normal * 1.25
    expect(page.get_by_role("button", name="高对比")).to_have_attribute("aria-pressed", "true")
    page.reload()  # a whole page load keeps them too
    assert root_font_px(page) >= normal * 1.25
    page.screenshot(path=SHOTS / "access-detail-large-contrast-1920.png")
    next(steps)
    assert root_font_px(page) >= normal * 1.25
    page.get_by_role("button", name="大字").click()  # off again
    assert root_font_px(page) == normal
    page.get_by_role("button", name="大字").click()
    page.wait_for_url(re.compile(r"/attract$"), timeout=15000)  # nobody touched it: the idle reset
    page.mouse.click(960, 540)
    page.wait_for_url(re.compile(r"/$"))
    assert root_font_px(page) == normal
    expect(page.get_by_role("button", name="大字")).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"


def test_a_phone_gets_no_view_buttons(phone, live_server):
    url = live_server()
    as_phone(phone, url)
    phone.goto(url + "/")
    expect(phone.get_by_role("button", name="大字")).to_have_count(0)


@pytest.mark.parametrize("contrast", [False, True], ids=["normal", "high-contrast"])
def test_every_text_on_the_visitors_pages_meets_the_contrast_limits(kiosk_page, live_server, contrast):
    page = kiosk_page
    lowest = {}
    for name in tour(page, live_server()):
        if contrast and name == "home":
            page.get_by_role("button", name="高对比").click()
        normal, large, failing = lowest_contrasts(page)
        lowest[name] = (round(normal, 2), large and round(large, 2))
        assert not failing, (name, failing)
    print(f"lowest contrast (normal text, large text), {'high contrast' if contrast else 'normal'}: {lowest}")
    assert min(n for n, _ in lowest.values()) >= 4.5


def test_phone_pages_meet_the_contrast_limits(phone, live_server):
    url = live_server()
    as_phone(phone, url)
    for path in ("/", "/a/TJ2024-001", "/suggest"):
        phone.goto(url + path)
        _, _, failing = lowest_contrasts(phone)
        assert not failing, (path, failing)


def test_links_and_buttons_say_their_names_once(kiosk_page, live_server):
    page = kiosk_page
    for name in tour(page, live_server()):
        snapshot = page.locator("body").aria_snapshot()
        names = re.findall(r'- (?:link|button) "([^"]*)"', snapshot)
        assert names, name
        repeated = [n for n in names if REPEATED.search(n)]
        assert not repeated, (name, repeated)


def test_staff_hold_the_logo_to_reach_their_console_and_a_tap_goes_home(kiosk_page, live_server):
    page = kiosk_page
    steps = tour(page, live_server())
    next(steps)
    next(steps)  # on a winner's page
    page.locator(".brand").click()  # a visitor's tap: home
    page.wait_for_url(re.compile(r"/$"))
    hold_the_logo(page)
    expect(page.get_by_role("heading", name="工作人员登录")).to_be_visible()
