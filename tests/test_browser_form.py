"""Real Chromium: the suggestion form after a refused submission, phone numbers as typed, live counters."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, as_phone, phone_opens_the_form

pytestmark = pytest.mark.browser
ERROR_RED = "rgb(198, 40, 40)"
ERROR_BACKGROUND = "rgb(255, 245, 245)"
STYLE = "el => { const s = getComputedStyle(el); return [s.borderTopColor, s.backgroundColor]; }"


def expect_outlined(page, selector):
    """Every element matching selector has the red border and the pale red background of a field in error."""
    for el in page.locator(selector).all():
        assert el.evaluate(STYLE) == [ERROR_RED, ERROR_BACKGROUND], selector


def test_phone_visitor_submits_empty_and_lands_on_the_first_field_in_error(phone, live_server):
    url = live_server()
    phone_opens_the_form(phone, url)
    phone.get_by_role("button", name="提交").tap()
    content = phone.get_by_label("建议内容")
    expect(content).to_be_focused()
    expect(content).to_be_in_viewport(ratio=1)
    assert content.get_attribute("aria-describedby").split()[0] == "err-content"
    expect(phone.locator("#err-content")).to_be_in_viewport()
    expect_outlined(phone, ".has-error textarea")
    expect_outlined(phone, ".consent.has-error .check")
    assert phone.locator(".has-error").count() == 3
    phone.screenshot(path=SHOTS / "form-errors-phone.png")
    assert phone.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")


def test_phone_visitor_types_a_spaced_number_and_watches_the_counters(phone, live_server):
    url = live_server()
    phone_opens_the_form(phone, url)
    phone.get_by_label("建议内容").tap()
    phone.keyboard.type("外业照片自动命名")
    expect(phone.locator("#count-content .counter-num")).to_have_text("8 / 3000")
    title = phone.get_by_label("建议名称")
    title.tap()
    phone.keyboard.type("名" * 37)
    counter = phone.locator("#count-title")
    expect(counter).to_have_class(re.compile(r"\bis-near\b"))
    expect(counter).to_contain_text("还能写 3 字")
    phone.keyboard.type("名名名")
    expect(counter).to_contain_text("40 / 40")
    expect(counter).to_contain_text("已写满 40 字")
    phone.keyboard.type("多")
    expect(title).to_have_value("名" * 40 + "多")  # nothing is cut
    expect(counter).to_have_class(re.compile(r"\bis-over\b"))
    expect(counter).to_contain_text("超出 1 字，请删减")
    assert counter.evaluate("el => getComputedStyle(el).color") == ERROR_RED
    phone.keyboard.press("Backspace")
    field = phone.locator("#f-proposer_phone")
    field.tap()
    phone.keyboard.type("+86 138 1234 5678")
    expect(field).to_have_value("+86 138 1234 5678")
    phone.screenshot(path=SHOTS / "form-counters-phone.png")
    phone.locator("label[for=f-consent_authenticity]").tap()
    phone.locator("label[for=f-consent_authorization]").tap()
    phone.locator("label[for=f-consent_contact]").tap()
    phone.get_by_role("button", name="提交").tap()
    expect(phone.locator(".receipt-no")).to_have_text(re.compile(r"^\d{4}-\d{3}$"))


def test_without_javascript_the_refused_form_page_focuses_the_first_field_in_error(browser, live_server):
    url = live_server()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    as_phone(page, url)
    page.goto(url + "/a/TJ2024-001")
    page.get_by_role("link", name="对此成果提建议").tap()
    page.wait_for_url(re.compile(r"/suggest\?from=TJ2024-001"))
    page.get_by_label("建议名称").fill("名" * 41)
    page.get_by_role("button", name="提交").tap()
    page.wait_for_load_state()
    title = page.get_by_label("建议名称")
    expect(title).to_be_focused()
    expect(title).to_be_in_viewport()
    expect(title).to_have_value("名" * 41)
    expect_outlined(page, ".has-error input[type=text], .has-error textarea")
    expect(page.locator("#count-title")).to_contain_text("超出 1 字，请删减")
    context.close()


def test_touchscreen_form_errors_are_outlined_and_focused(kiosk_page, live_server):
    url = live_server()
    kiosk_page.goto(url + "/")
    kiosk_page.get_by_role("link", name="我要提建议").click()
    kiosk_page.wait_for_url(re.compile(r"/suggest$"))
    kiosk_page.get_by_label("姓名").fill("张" * 21)
    kiosk_page.get_by_role("button", name="提交").click()
    expect(kiosk_page.get_by_label("建议内容")).to_be_focused()
    expect(kiosk_page.get_by_label("建议内容")).to_be_in_viewport(ratio=1)
    expect_outlined(kiosk_page, ".has-error input[type=text], .has-error textarea")
    expect(kiosk_page.get_by_label("姓名")).to_have_value("张" * 21)
    kiosk_page.screenshot(path=SHOTS / "form-errors-kiosk.png")
    kiosk_page.get_by_label("姓名").scroll_into_view_if_needed()
    kiosk_page.screenshot(path=SHOTS / "form-errors-kiosk-person.png")
