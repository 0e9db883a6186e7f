"""Real Chromium: a visitor suggests on a phone and on the kiosk; validation, privacy and hostile text."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, as_phone, slow_route

pytestmark = pytest.mark.browser
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_phone_visitor_submits_in_chinese_and_gets_a_receipt(phone, live_server):
    url = live_server()
    as_phone(phone, url)
    phone.goto(f"{url}/suggest?from=TJ2024-001")
    expect(phone.get_by_text("由这项成果引发的建议")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    phone.get_by_label("建议名称").tap()
    phone.get_by_label("建议名称").fill("巡检照片自动归档")
    phone.get_by_label("建议内容").fill("外业拍照后按图斑编号自动命名并归档，省去回到单位后手工整理。")
    phone.get_by_label("建议背景").fill("每天两百多张照片，整理要一个小时。")
    phone.locator("label[for=f-consent_authenticity]").tap()
    phone.locator("label[for=f-consent_authorization]").tap()
    phone.screenshot(path=SHOTS / "suggest-phone.png", full_page=True)
    phone.get_by_role("button", name="提交").tap()
    expect(phone.locator(".receipt-no")).to_have_text(re.compile(r"^\d{4}-\d{3}$"))
    expect(phone.get_by_text("提交成功")).to_be_visible()
    expect(phone.get_by_text("请截图保存这张回执")).to_be_visible()
    phone.screenshot(path=SHOTS / "receipt-phone.png")
    storage = phone.evaluate("[localStorage.length, sessionStorage.length]")
    assert storage == [0, 0], "the phone's browser storage must stay empty"
    phone.go_back()
    expect(phone.get_by_label("建议内容")).to_have_value("")
    expect(phone.get_by_label("建议名称")).to_have_value("")


def test_inline_validation_shows_next_to_the_fields(kiosk_page, live_server):
    url = live_server()
    kiosk_page.goto(f"{url}/suggest")
    kiosk_page.get_by_label("建议名称").fill("只有名称")
    kiosk_page.get_by_role("button", name="提交").click()
    expect(kiosk_page.locator("#err-content")).to_have_text("请填写建议内容")
    expect(kiosk_page.locator("#err-consent_authenticity")).to_be_visible()
    expect(kiosk_page.get_by_label("建议名称")).to_have_value("只有名称")
    assert kiosk_page.url == f"{url}/suggest"
    kiosk_page.screenshot(path=SHOTS / "suggest-errors.png")


def test_idle_reset_clears_a_half_typed_form(kiosk_page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=1)
    kiosk_page.goto(f"{url}/")
    kiosk_page.get_by_role("link", name="我要提建议").click()
    kiosk_page.get_by_label("建议内容").fill("写了一半的想法")
    kiosk_page.get_by_label("姓名").fill("王")
    kiosk_page.wait_for_url(re.compile(r"/attract$"), timeout=8000)
    kiosk_page.go_back()
    assert "/suggest" not in kiosk_page.url, "the reset replaced the half-typed form in the history"
    kiosk_page.goto(f"{url}/suggest")
    expect(kiosk_page.get_by_label("建议内容")).to_have_value("")
    expect(kiosk_page.get_by_label("姓名")).to_have_value("")


def test_idle_reset_goes_to_the_attract_loop_once_even_when_it_loads_slowly(kiosk_page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1)
    kiosk_page.goto(f"{url}/suggest")
    asked = slow_route(kiosk_page, re.compile(r"/attract$"))
    kiosk_page.get_by_label("建议内容").fill("写了一半的想法")
    kiosk_page.wait_for_url(re.compile(r"/attract$"), timeout=8000)
    expect(kiosk_page.locator("#attract")).to_be_attached()
    assert len(asked) == 1, f"the reset asked for the attract loop {len(asked)} times"


def test_hostile_text_never_runs(kiosk_page, live_server):
    url = live_server()
    dialogs = []
    kiosk_page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    kiosk_page.goto(f"{url}/suggest")
    kiosk_page.get_by_label("建议名称").fill(HOSTILE[:40])
    kiosk_page.get_by_label("建议内容").fill(HOSTILE)
    kiosk_page.get_by_role("button", name="提交").click()
    expect(kiosk_page.locator("#err-consent_authenticity")).to_be_visible()
    expect(kiosk_page.get_by_label("建议内容")).to_have_value(HOSTILE)
    kiosk_page.locator("label[for=f-consent_authenticity]").click()
    kiosk_page.locator("label[for=f-consent_authorization]").click()
    kiosk_page.get_by_role("button", name="提交").click()
    expect(kiosk_page.locator(".receipt-no")).to_be_visible()
    kiosk_page.wait_for_timeout(500)
    assert dialogs == []
    assert kiosk_page.locator("img[src=x]").count() == 0
