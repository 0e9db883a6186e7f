"""Real Chromium: visitors' journeys tapped through as visitors take them, on the touchscreen and a phone."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, arrive_home, as_phone, phone_opens_the_form, scan_qr

pytestmark = pytest.mark.browser


def expect_whole_form_page(page, on_screen):
    """The suggestion form came as a whole page: header, ← 返回, privacy note, idle warning, phone QR on the screen."""
    expect(page.locator("header.topbar")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("← 返回"))).to_be_visible()
    expect(page.get_by_text("我们保存什么、为什么")).to_be_visible()
    expect(page.locator("#idle-warning")).to_have_count(1)
    expect(page.get_by_text("用手机扫码，在自己的手机上填写")).to_have_count(1 if on_screen else 0)
    assert page.title().startswith("提建议")


def fill_and_submit(page, text):
    """Type a suggestion, tick the two consents and press 提交."""
    page.get_by_label("建议内容").fill(text)
    page.locator("label[for=f-consent_authenticity]").click()
    page.locator("label[for=f-consent_authorization]").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".receipt-no")).to_have_text(re.compile(r"^\d{4}-\d{3}$"))


def test_touchscreen_visitor_taps_from_the_attract_loop_to_a_receipt_and_another(kiosk_page, live_server):
    url = live_server()
    arrive_home(kiosk_page, url)
    kiosk_page.locator(".card-link").first.click()
    kiosk_page.wait_for_url(re.compile(r"/a/"))
    kiosk_page.get_by_role("link", name="对此成果提建议").click()
    kiosk_page.wait_for_url(re.compile(r"/suggest\?from="))
    expect_whole_form_page(kiosk_page, on_screen=True)
    expect(kiosk_page.get_by_text("由这项成果引发的建议")).to_be_visible()
    kiosk_page.screenshot(path=SHOTS / "journey-suggest-from-winner.png")
    fill_and_submit(kiosk_page, "展台的讲解视频可以加上字幕，现场太吵听不清。")
    kiosk_page.get_by_role("link", name="再提一条").click()
    kiosk_page.wait_for_url(re.compile(r"/suggest$"))
    expect_whole_form_page(kiosk_page, on_screen=True)
    kiosk_page.get_by_role("link", name=re.compile("← 返回")).click()
    kiosk_page.wait_for_url(re.compile(r"/$"))
    kiosk_page.get_by_role("link", name="我要提建议").click()
    kiosk_page.wait_for_url(re.compile(r"/suggest$"))
    expect_whole_form_page(kiosk_page, on_screen=True)
    kiosk_page.go_back()
    kiosk_page.wait_for_url(re.compile(r"/$"))
    kiosk_page.go_forward()
    expect_whole_form_page(kiosk_page, on_screen=True)


def test_phone_visitor_from_a_winner_page_taps_to_the_form_and_back(phone, live_server):
    url = live_server()
    phone_opens_the_form(phone, url)
    expect_whole_form_page(phone, on_screen=False)
    fill_and_submit(phone, "希望能在手机上收藏喜欢的成果。")
    phone.get_by_role("link", name="再提一条").tap()
    phone.wait_for_url(re.compile(r"/suggest$"))
    expect_whole_form_page(phone, on_screen=False)


def test_a_visitor_scans_the_winners_qr_code_and_sends_a_suggestion_from_the_phone(kiosk_page, phone, live_server):
    url = live_server()
    arrive_home(kiosk_page, url)
    kiosk_page.locator(".card-link").first.click()
    kiosk_page.wait_for_url(re.compile(r"/a/"))
    winner = kiosk_page.url.rsplit("/", 1)[1]
    scanned = scan_qr(kiosk_page.locator(".qr-box .qr"))
    assert scanned == f"http://kiosk.test:8080/a/{winner}"  # the kiosk's LAN address (KIOSK_PUBLIC_URL)
    as_phone(phone, url)
    phone.goto(scanned.replace("http://kiosk.test:8080", url))  # the test's server stands in for that address
    phone.get_by_role("link", name="对此成果提建议").tap()
    phone.wait_for_url(re.compile(rf"/suggest\?from={winner}"))
    expect_whole_form_page(phone, on_screen=False)
    fill_and_submit(phone, "扫码就能在手机上写，很方便。")
    expect(phone.get_by_text("截图保存")).to_be_visible()
    phone.screenshot(path=SHOTS / "journey-phone-receipt-390.png", full_page=True)
