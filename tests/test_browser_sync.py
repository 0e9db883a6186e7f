"""Real Chromium at 1920×1080: staff press 立即同步 and watch the bar fill while the receiver answers slowly."""

import time

import pytest
from playwright.sync_api import expect

from tests.staff_helpers import PIN, store_pin
from tests.support import SHOTS, glyphs_differ, make_test_app, type_the_pin
from tests.sync_helpers import FAST, KIOSK_ID, TOKEN, visitor_suggestions

pytestmark = pytest.mark.browser
N = 1200


def test_sync_now_fills_the_bar_and_shows_the_counts(kiosk_page, live_server, receiver, tmp_path):
    page = kiosk_page
    config = {
        "KIOSK_ID": KIOSK_ID,
        "KIOSK_EVENT_ID": "tj-2024-expo",
        "KIOSK_CENTRAL_URL": receiver.url,
        "KIOSK_CENTRAL_TOKEN": TOKEN,
        **FAST,
    }
    url = live_server(**config)
    instance = tmp_path / "live-0"  # live_server's first instance folder
    store_pin(instance)
    visitor_suggestions(make_test_app(instance, **config), N)
    # Each batch of 500 waits a second at central, so the bar moves in steps a person can see.
    receiver.faults({"mode": "delay", "path": "/suggestions", "times": None, "seconds": 1})

    page.goto(url + "/staff/sync/")
    type_the_pin(page, PIN)
    expect(page.locator(".staff-sync h1")).to_have_text("与中央系统同步")
    expect(page.locator('[data-state="pending"]')).to_have_text(str(N))
    assert glyphs_differ(page, "审核"), "Chinese characters render as identical boxes: no CJK font"

    page.get_by_role("button", name="立即同步").click()
    bar = page.locator("#sync-bar")
    expect(bar).to_be_visible()
    seen = set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and page.locator(".sync-result").count() == 0:
        if bar.count():
            seen.add(int(bar.get_attribute("value") or 0))
        page.wait_for_timeout(100)
    expect(page.locator(".sync-result")).to_have_text("完成")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(N)
    assert {500, 1000} <= seen, f"the bar should be seen moving: {sorted(seen)}"
    expect(page.locator(".sync-sent")).to_have_text(f"已发送 {N} / {N} 条")
    expect(page.locator('[data-state="delivered"]')).to_have_text(str(N))
    expect(page.locator('[data-state="pending"]')).to_have_text("0")
    expect(page.locator(".sync-last")).to_contain_text("完成")
    assert page.url.endswith("/staff/sync/")
    page.screenshot(path=SHOTS / "staff-sync.png", full_page=True)


def test_staff_write_a_checked_bundle_to_a_usb_stick_in_three_touches(kiosk_page, live_server, usb_stick, tmp_path):
    page = kiosk_page
    roots, mount = usb_stick
    url = live_server(KIOSK_USB_ROOTS=roots, KIOSK_ID=None)  # a kiosk staff name on its page
    instance = tmp_path / "live-0"
    store_pin(instance)
    visitor_suggestions(make_test_app(instance, KIOSK_USB_ROOTS=roots), 5)
    page.goto(url + "/staff/login")
    type_the_pin(page, PIN)
    expect(page.locator(".staff h1")).to_be_visible()  # the staff home: 建议审核
    page.get_by_role("link", name="设置", exact=True).click()  # set up once, before the event
    page.get_by_label("本机编号").fill("hall-a-2")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".staff-flash")).to_contain_text("已保存：本机编号。")
    expect(page.locator(".staff-machine")).to_contain_text("本机编号 hall-a-2")
    touches = 0
    page.get_by_role("link", name="数据同步").click()
    touches += 1
    page.get_by_role("button", name="写入U盘 WUXIAO-USB").click()
    touches += 1
    expect(page.locator(".usb-done")).to_have_text("可以拔出U盘了")
    (written,) = mount.glob("wuxiao-bundle-hall-a-2-*.zip")
    expect(page.locator(".usb-path")).to_have_text(str(written))
    page.screenshot(path=SHOTS / "staff-usb-written.png")
    page.get_by_role("button", name="安全弹出U盘 WUXIAO-USB").click()
    touches += 1
    expect(page.get_by_text("已安全弹出，可以拔出了")).to_be_visible()
    assert touches <= 3
