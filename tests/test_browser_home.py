"""Real Chromium: home fills the 1920×1080 screen, counts its results, and its keys never hide them."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, arrive_home, as_phone

pytestmark = pytest.mark.browser

CARDS_ABOVE_THE_FOLD = """() => {
  const boxes = [...document.querySelectorAll('.card')].map(c => c.getBoundingClientRect());
  const seen = boxes.filter(b => b.top < innerHeight && b.bottom > 0 && b.left < innerWidth);
  return { seen: seen.length, rows: new Set(seen.map(b => Math.round(b.top))).size,
           right: Math.max(...boxes.map(b => b.right)), fullyShown: boxes.filter(b => b.bottom <= innerHeight).length };
}"""


def test_home_fills_the_screen_with_several_cards_per_row_and_counts_them(kiosk_page, live_server):
    page = kiosk_page
    arrive_home(page, live_server())
    expect(page.locator(".result-count")).to_contain_text("共 8 项获奖成果")
    page.screenshot(path=SHOTS / "home-1920.png")
    layout = page.evaluate(CARDS_ABOVE_THE_FOLD)
    assert layout["rows"] >= 2 and layout["seen"] >= 6, layout  # more than one row above the fold
    assert layout["right"] >= 0.9 * 1920, layout  # no empty band on the right
    page.screenshot(path=SHOTS / "home-1920.png")


def test_the_keys_find_a_winner_by_its_number_and_never_hide_the_results(kiosk_page, live_server):
    page = kiosk_page
    arrive_home(page, live_server())
    page.get_by_role("button", name="拼音键盘").click()
    keys = page.locator("#letters")
    expect(keys).to_be_visible()
    assert [k for k in keys.locator(".letters-row").first.all_inner_texts()[0].split()] == list("1234567890")
    assert page.evaluate(CARDS_ABOVE_THE_FOLD)["fullyShown"] >= 2  # results stay in sight beside the keys
    for key in "tj2024001":
        page.locator(f'#letters [data-key="{key}"]').click()
    expect(page.locator("#q")).to_have_value("tj2024001")
    expect(page.locator(".card-title")).to_have_count(1)
    expect(page.locator(".result-count")).to_contain_text("找到 1 项成果")
    card = page.locator(".card").first.bounding_box()
    assert card["y"] + card["height"] <= 1080 and card["x"] >= keys.bounding_box()["x"] + keys.bounding_box()["width"]
    page.screenshot(path=SHOTS / "home-keys-1920.png")
    page.locator('#letters [data-key="clear"]').click()
    for key in "wrj":
        page.locator(f'#letters [data-key="{key}"]').click()
    expect(page.locator(".card-id")).to_have_text(["TJ2024-001"])
    page.locator(".card-link").first.click()
    page.wait_for_url(re.compile(r"/a/TJ2024-001$"))


def test_a_phone_sees_one_column_the_count_and_no_on_screen_keys(phone, live_server):
    url = live_server()
    as_phone(phone, url)
    phone.goto(url + "/?q=JS2024")
    expect(phone.locator(".result-count")).to_contain_text("找到 3 项成果")
    expect(phone.get_by_role("button", name="拼音键盘")).to_have_count(0)
    phone.screenshot(path=SHOTS / "home-390.png")


ONE_LINE = """els => els.filter(e => e.getBoundingClientRect().height > parseFloat(getComputedStyle(e).minHeight) + 1)
  .map(e => e.textContent.trim())"""


def test_on_a_portrait_kiosk_the_header_keeps_each_button_s_words_on_one_line(kiosk_page, live_server):
    url = live_server()
    kiosk_page.set_viewport_size({"width": 1080, "height": 1920})  # a display mounted turned (设置 → 屏幕方向)
    kiosk_page.goto(url + "/attract")
    kiosk_page.locator("#attract").click()
    kiosk_page.locator(".card").first.click()
    expect(kiosk_page.locator(".topnav")).to_contain_text("全部成果")
    assert kiosk_page.eval_on_selector_all(".topnav .btn", ONE_LINE) == [], "a button's words broke onto two lines"
    box = kiosk_page.locator(".topbar").bounding_box()
    assert box["width"] <= 1080 and kiosk_page.evaluate("document.documentElement.scrollWidth") <= 1080
    kiosk_page.screenshot(path=SHOTS / "detail-portrait-1080.png")
