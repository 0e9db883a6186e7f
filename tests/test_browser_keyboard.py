"""Real Chromium: a visitor at the touchscreen types a Chinese suggestion with the on-screen pinyin keyboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, arrive_home, phone_opens_the_form, screen_opens_the_form

pytestmark = pytest.mark.browser


def tap_letters(page, letters):
    """Tap the keyboard's keys for these letters, one by one."""
    for letter in letters:
        page.locator(f"#ime [data-ime-key='{letter}']").click()


def choose(page, letters, word):
    """Spell a word in pinyin and tap it among the candidates; return where it was in the bar."""
    tap_letters(page, letters)
    expect(page.locator("#ime .ime-typed")).to_have_text(letters)
    candidate = page.locator("#ime .ime-cand", has_text=re.compile(f"^{word}$"))
    expect(candidate).to_be_visible()
    place = page.locator("#ime .ime-cand").all_inner_texts().index(word)
    candidate.click()
    return place


def test_touchscreen_visitor_types_a_chinese_suggestion_with_the_on_screen_keyboard(kiosk_page, live_server):
    page = kiosk_page
    url = live_server()
    arrive_home(page, url)
    page.locator(".card-link").first.click()
    page.wait_for_url(re.compile(r"/a/"))
    page.get_by_role("link", name="对此成果提建议").click()
    page.wait_for_url(re.compile(r"/suggest\?from="))
    keyboard = page.locator("#ime")
    expect(keyboard).to_be_hidden()
    page.get_by_label("建议内容").click()
    expect(keyboard).to_be_visible()
    expect(keyboard.get_by_text("用手机填写")).to_be_visible()
    # The field stays in sight above the keyboard.
    field_box = page.get_by_label("建议内容").bounding_box()
    assert field_box["y"] + field_box["height"] <= keyboard.bounding_box()["y"]
    places = [
        choose(page, "wojianyi", "我建议"),
        choose(page, "zai", "在"),
        choose(page, "chejian", "车间"),
        choose(page, "menkou", "门口"),
        choose(page, "anzhuang", "安装"),
        choose(page, "ganying", "感应"),
        choose(page, "deng", "灯"),
    ]
    page.locator("#ime [data-ime-key='，']").click()
    places.append(choose(page, "fangbian", "方便"))
    places.append(choose(page, "yeban", "夜班"))
    tap_letters(page, "gongren")
    page.locator("#ime [data-ime=space]").click()  # 空格 takes the first candidate
    page.locator("#ime [data-ime-key='。']").click()
    content = page.get_by_label("建议内容")
    expect(content).to_have_value("我建议在车间门口安装感应灯，方便夜班工人。")
    assert max(places) < 5, places  # every word among the first five candidates
    # Backspace takes back a letter while spelling, then a character of the text.
    tap_letters(page, "xie")
    page.locator("#ime [data-ime=backspace]").click()
    expect(page.locator("#ime .ime-typed")).to_have_text("xi")
    for _ in range(3):
        page.locator("#ime [data-ime=backspace]").click()
    expect(content).to_have_value("我建议在车间门口安装感应灯，方便夜班工人")
    page.locator("#ime [data-ime-key='！']").click()
    # 中/英 switches to letters; digits go straight in; the unit field gets them.
    page.get_by_label("单位").click()
    page.locator("#ime [data-ime=mode]").click()
    page.locator("#ime [data-ime=shift]").click()
    tap_letters(page, "ab")
    tap_letters(page, "3")
    page.locator("#ime [data-ime=mode]").click()
    choose(page, "chejian", "车间")
    expect(page.get_by_label("单位")).to_have_value("AB3车间")
    page.screenshot(path=SHOTS / "keyboard-suggest-1920.png")
    page.locator("#ime [data-ime=hide]").click()
    expect(keyboard).to_be_hidden()
    page.locator("label[for=f-consent_authenticity]").click()
    page.locator("label[for=f-consent_authorization]").click()
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".receipt-no")).to_have_text(re.compile(r"^\d{4}-\d{3}$"))


def test_the_keyboard_serves_the_form_again_after_a_refused_submit(kiosk_page, live_server):
    page = kiosk_page
    screen_opens_the_form(page, live_server())
    page.get_by_role("button", name="提交").click()
    expect(page.locator(".form-notice")).to_contain_text("需要修改")
    page.get_by_label("建议内容").click()
    expect(page.locator("#ime")).to_be_visible()
    choose(page, "jianyi", "建议")
    expect(page.get_by_label("建议内容")).to_have_value("建议")
    # Tapping outside any field puts the keyboard away; the text stays.
    page.locator(".suggest-title").click()
    expect(page.locator("#ime")).to_be_hidden()
    expect(page.get_by_label("建议内容")).to_have_value("建议")


def test_a_phone_types_with_its_own_keyboard_and_gets_no_on_screen_one(phone, live_server):
    url = live_server()
    phone_opens_the_form(phone, url)
    phone.get_by_label("建议内容").tap()
    expect(phone.locator("#ime")).to_have_count(0)
    phone.get_by_label("建议内容").fill("手机上用自己的输入法。")
    expect(phone.get_by_label("建议内容")).to_have_value("手机上用自己的输入法。")


def test_a_mouse_press_on_submit_with_the_keyboard_open_submits(kiosk_page, live_server):
    # Staff trying the kiosk with a mouse: the keyboard goes when 提交 is pressed and the page shrinks under the
    # pointer. It used to go before the button was released, so the release landed elsewhere and nothing was sent.
    page = kiosk_page
    screen_opens_the_form(page, live_server())
    page.get_by_label("建议内容").click()
    choose(page, "jianyi", "建议")
    submit = page.get_by_role("button", name="提交")
    submit.scroll_into_view_if_needed()
    expect(page.locator("#ime")).to_be_visible()
    box = submit.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(120)
    page.mouse.up()
    expect(page.locator("#err-consent_authenticity")).to_be_visible()
    expect(page.get_by_label("建议内容")).to_have_value("建议")
    expect(page.locator("#ime")).to_be_hidden()


def test_a_refused_field_and_its_message_stay_above_the_keyboard(kiosk_page, live_server):
    page = kiosk_page
    screen_opens_the_form(page, live_server())
    page.get_by_label("建议名称").click()
    choose(page, "jianyi", "建议")
    page.get_by_role("button", name="提交").click()
    # 建议内容 is empty: it takes the caret, the keyboard opens for it, and its message is not under the keyboard.
    expect(page.get_by_label("建议内容")).to_be_focused()
    expect(page.locator("#ime")).to_be_visible()
    message = page.locator("#err-content")
    expect(message).to_have_text("请填写建议内容")
    keyboard_top = page.locator("#ime").bounding_box()["y"]
    header_bottom = page.locator(".topbar").bounding_box()["height"]
    field, box = page.get_by_label("建议内容").bounding_box(), message.bounding_box()
    assert field["y"] >= header_bottom and box["y"] + box["height"] <= keyboard_top, (field, box, keyboard_top)
    page.screenshot(path=SHOTS / "suggest-kiosk-error-above-keyboard.png")
