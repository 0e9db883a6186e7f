"""Real Chromium at 1920×1080 as the kiosk screen: staff set opening hours that exclude now on 设置; after the idle
reset the screen is black; a touch shows when it opens; staff still hold the logo; when the hours allow again
the black screen gives way to the attract loop by itself."""

import pytest
from playwright.sync_api import expect

from tests.staff_helpers import PIN, store_pin
from tests.support import SHOTS, closed_hours_now, glyphs_differ, hold_the_logo, type_the_pin

pytestmark = pytest.mark.browser


def set_hours(page, text):
    """On 设置 (signed in), write the opening hours and save."""
    page.locator(".staff-nav").get_by_role("link", name="设置").click()
    page.get_by_label("开放时间").fill(text)
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".staff-flash")).to_contain_text("已保存：开放时间")


def test_outside_the_opening_hours_the_screen_is_black_and_comes_back_when_they_allow(
    kiosk_page, live_server, tmp_path, browser
):
    url = live_server(KIOSK_IDLE_SECONDS=5, KIOSK_IDLE_WARNING_SECONDS=1)
    store_pin(tmp_path / "live-0")
    page = kiosk_page
    page.goto(url + "/attract")  # where the screen service starts
    expect(page.locator("#attract")).to_be_visible()
    expect(page.locator("body")).to_have_attribute("data-wake-lock", "held")  # kept awake while open

    page.locator("#attract").click()
    hold_the_logo(page)
    type_the_pin(page, PIN)
    health = page.locator(".staff-health")
    expect(health).to_contain_text("正常（")  # this screen's page beats
    expect(health).to_contain_text("1920×1080（横屏），设定为横屏")
    expect(health).to_contain_text("全天开放")
    # A time that cannot be read: staff are told which field, and land on it with what they typed.
    page.locator(".staff-nav").get_by_role("link", name="设置").click()
    page.get_by_label("开放时间").fill("8:30")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".staff-error")).to_contain_text("没有保存：开放时间填写有误")
    hours = page.get_by_label("开放时间")
    expect(hours).to_be_focused()
    expect(hours).to_have_value("8:30")
    expect(page.locator("#e-open_hours")).to_be_in_viewport()
    expect(page.locator("#ime")).to_be_visible()
    keyboard_top = page.locator("#ime").bounding_box()["y"]
    message = page.locator("#e-open_hours").bounding_box()
    assert message["y"] + message["height"] <= keyboard_top
    set_hours(page, closed_hours_now())
    expect(page.locator("#setting-open_hours .setting-source")).to_contain_text("在本页设定")
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("link", name="返回展示首页").click()

    # Left alone, the home page goes back to the attract loop — black now, the hours shown only on a touch.
    closed = page.locator("#screen-closed")
    expect(closed).to_be_visible(timeout=20_000)
    expect(page.locator("#attract")).to_have_count(0)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert page.evaluate("document.body.dataset.wakeLock") is None
    assert page.evaluate("getComputedStyle(document.getElementById('closed-note')).color") == "rgb(0, 0, 0)"
    expect(closed).not_to_have_class("screen-closed is-touched")
    page.mouse.click(960, 700)
    expect(closed).to_have_class("screen-closed is-touched")
    expect(page.locator("#closed-note")).to_contain_text("休息中 开放时间 ")
    page.wait_for_timeout(800)  # the note fades in
    assert page.url.endswith("/attract"), "a touch on the black screen leads nowhere"
    assert glyphs_differ(page, "休息"), "Chinese characters render as identical boxes: no CJK font"
    page.screenshot(path=SHOTS / "screen-closed-touched.png")

    # Staff on this machine open the hours again (a second window): the black screen lights up by itself.
    staff = browser.new_page(viewport={"width": 1920, "height": 1080})
    staff.goto(url + "/staff/login")
    type_the_pin(staff, PIN)
    set_hours(staff, "")
    staff.close()
    expect(page.locator("#attract")).to_be_visible(timeout=15_000)

    # Staff still reach their console from the black screen by holding its logo.
    staff_page = browser.new_page(viewport={"width": 1920, "height": 1080})
    staff_page.goto(url + "/staff/login")
    type_the_pin(staff_page, PIN)
    set_hours(staff_page, closed_hours_now())
    staff_page.close()
    expect(closed).to_be_visible(timeout=15_000)
    hold_the_logo(page)
    expect(page.locator(".staff-login, form")).not_to_have_count(0)


def test_staff_choose_portrait_and_the_staff_home_says_when_the_screen_has_not_turned(
    kiosk_page, live_server, tmp_path
):
    url = live_server()
    store_pin(tmp_path / "live-0")
    page = kiosk_page
    page.goto(url + "/attract")
    page.locator("#attract").click()
    hold_the_logo(page)
    type_the_pin(page, PIN)
    page.locator(".staff-nav").get_by_role("link", name="设置").click()
    page.get_by_text("竖屏（显示器顺时针转 90° 安装）").click()
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".staff-flash")).to_contain_text("已保存：屏幕方向。屏幕会自己重新启动")
    expect(page.get_by_label("竖屏（显示器顺时针转 90° 安装）")).to_be_checked()
    page.locator(".staff-nav").get_by_role("link", name="建议审核").click()
    # No screen service runs here to turn this browser: its page is still landscape, and staff are told.
    shape = page.locator(".staff-health dd.health-bad", has_text="与设定不符")
    expect(shape).to_contain_text("1920×1080（横屏），设定为竖屏（显示器顺时针转 90° 安装）")
    page.screenshot(path=SHOTS / "staff-health-rotation-mismatch.png")
