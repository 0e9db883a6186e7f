"""Real Chromium, two screens: the big screen at 1920×1080 and presenters' phones at 390×844, through a 路演."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, as_phone, scan_qr

pytestmark = pytest.mark.browser

SHOWN = "() => document.querySelector('.show:not([hidden])').dataset.id"
VIDEO_TIME = "() => document.querySelector('.show:not([hidden]) video').currentTime"


def new_phone(browser, url):
    """Return a page on a fresh 390×844 phone."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    as_phone(page, url)
    return page


def pair(phone, screen, remote_url):
    """Open the remote from the screen's QR code and type the screen's code."""
    phone.goto(remote_url)
    code = screen.locator("#pairing-code").inner_text()
    phone.get_by_label("配对码").fill(code)
    phone.get_by_role("button", name="配对").tap()
    expect(phone.locator(".remote-status")).to_be_visible()


def test_a_presenter_drives_the_big_screen_from_a_phone(kiosk_page, browser, live_server):
    screen = kiosk_page
    url = live_server()
    screen.goto(url + "/present")
    expect(screen.locator("#pairing-code")).to_have_text(re.compile(r"^\d{6}$"))
    scanned = scan_qr(screen.locator(".pairing .qr"))
    assert scanned == "http://kiosk.test:8080/remote"
    remote_url = scanned.replace("http://kiosk.test:8080", url)

    stranger = new_phone(browser, url)  # an unpaired phone sees nothing and changes nothing
    stranger.goto(remote_url)
    expect(stranger.get_by_text("输入大屏幕上的配对码")).to_be_visible()
    assert stranger.request.get(url + "/remote/state").status == 403

    phone = new_phone(browser, url)
    pair(phone, screen, remote_url)
    expect(phone.locator("#remote-control")).to_have_text("您正在控制大屏幕")
    expect(screen.locator("#pairing-phones")).to_contain_text("手机 1")
    playlist = ["TJ2024-003", "TJ2024-001", "JS2024-002"]  # picked and ordered on the phone
    phone.get_by_text("编辑节目单").tap()
    editor = phone.locator("#playlist-editor")
    for box in editor.locator("input[type=checkbox]").all():
        box.uncheck()
    for wanted in playlist:
        item = editor.locator(f'li[data-id="{wanted}"]')
        item.locator("input").check()
        for _ in range(8):  # up to the end of the ones already picked
            above = item.locator("xpath=preceding-sibling::li[1]")
            if not above.count() or above.get_attribute("data-id") in playlist[: playlist.index(wanted)]:
                break
            item.get_by_role("button", name=re.compile("^上移")).tap()
    phone.get_by_role("button", name="保存节目单，从第一项开始").tap()
    phone.wait_for_load_state()
    screen.wait_for_function(f"() => document.body.dataset.playlist === '{','.join(playlist)}'", timeout=10000)
    expect(phone.locator("#remote-where")).to_have_text("第 1 / 3 项")
    phone.get_by_role("button", name="下一项 ›").tap()
    screen.wait_for_function("() => document.querySelector('.show:not([hidden])').dataset.id === 'TJ2024-001'")
    box = phone.locator('.remote-winner:not([hidden]) .remote-media[data-kind="video"]')
    box.get_by_role("button", name="播放").tap()
    screen.wait_for_function(VIDEO_TIME.replace("currentTime", "currentTime > 0.3"), timeout=10000)
    box.locator(".remote-seek").fill("2")
    screen.wait_for_function("() => Math.abs(document.querySelector('.show:not([hidden]) video').currentTime - 2) < 1")
    box.get_by_role("button", name="暂停").tap()
    screen.wait_for_function("() => document.querySelector('.show:not([hidden]) video').paused")
    screen.screenshot(path=SHOTS / "present-1920.png")
    phone.screenshot(path=SHOTS / "remote-390.png", full_page=True)
    phone.get_by_role("button", name="黑屏").tap()
    expect(screen.locator("#blackout")).to_be_visible()
    phone.get_by_role("button", name="黑屏").tap()
    expect(screen.locator("#blackout")).to_be_hidden()
    phone.get_by_role("button", name="下一项 ›").tap()
    screen.wait_for_function("() => document.querySelector('.show:not([hidden])').dataset.id === 'JS2024-002'")

    second = new_phone(browser, url)  # hand over to a second paired phone
    pair(second, screen, remote_url)
    expect(second.locator("#remote-control")).to_contain_text("由手机 1")
    phone.get_by_role("button", name="交给手机 2控制").tap()
    expect(second.locator("#remote-control")).to_have_text("您正在控制大屏幕", timeout=5000)
    second.get_by_role("button", name="‹ 上一项").tap()
    screen.wait_for_function("() => document.querySelector('.show:not([hidden])').dataset.id === 'TJ2024-001'")
    expect(phone.locator("#remote-where")).to_have_text("第 2 / 3 项", timeout=5000)  # the true state

    screen.keyboard.press("PageDown")  # a USB clicker on the kiosk
    screen.wait_for_function("() => document.querySelector('.show:not([hidden])').dataset.id === 'JS2024-002'")
    screen.get_by_role("button", name="结束演示").click()
    screen.wait_for_url(re.compile(r"/attract$"))
    expect(phone.get_by_text("大屏幕现在不在演示模式")).to_be_visible(timeout=5000)
    for page in (stranger, phone, second):
        page.context.close()


def test_taps_made_while_the_wifi_is_down_arrive_once_when_it_is_back(kiosk_page, browser, live_server):
    screen = kiosk_page
    url = live_server()
    screen.goto(url + "/present")
    expect(screen.locator("#pairing-code")).to_have_text(re.compile(r"^\d{6}$"))
    phone = new_phone(browser, url)
    pair(phone, screen, url + "/remote")
    expect(phone.locator("#remote-control")).to_have_text("您正在控制大屏幕")
    first = screen.evaluate(SHOWN)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="下一项 ›").tap()
    phone.get_by_role("button", name="下一项 ›").tap()
    expect(phone.locator("#remote-lost")).to_be_visible()
    assert screen.evaluate(SHOWN) == first  # nothing arrived
    phone.context.set_offline(False)
    expect(phone.locator("#remote-where")).to_have_text("第 3 / 8 项", timeout=10000)
    expect(phone.locator("#remote-lost")).to_be_hidden()
    screen.wait_for_function("() => document.querySelector('.show:not([hidden])').dataset.index === '2'")
    phone.wait_for_timeout(1500)  # resent commands, late answers: the screen moved exactly twice
    assert screen.evaluate("() => document.querySelector('.show:not([hidden])').dataset.index") == "2"
    phone.context.close()


def test_the_big_screen_has_no_idle_reset(kiosk_page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1)
    kiosk_page.goto(url + "/present")
    kiosk_page.wait_for_timeout(3500)  # past the idle time and its warning, untouched
    assert kiosk_page.url.endswith("/present")
    expect(kiosk_page.locator("#idle-warning")).to_have_count(0)
