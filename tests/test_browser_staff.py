"""Real Chromium at 1920×1080: staff sign in on the PIN pad and approve a suggestion."""

import json
import shutil

import pytest
from playwright.sync_api import expect

from kiosk.db import DB_FILE
from tests.staff_helpers import PIN, add_suggestion, database, store_pin
from tests.support import SHOTS, glyphs_differ, type_the_pin

pytestmark = pytest.mark.browser


def test_sign_in_with_the_pin_pad_and_approve(page, live_server, tmp_path):
    url = live_server()
    instance = tmp_path / "live-0"  # live_server's first instance folder
    assert (instance / DB_FILE).exists()
    store_pin(instance)
    for n in range(3):
        add_suggestion(
            instance,
            title=f"外业核查照片自动命名{n}",
            content="建议在拍照时按坐标和时间自动命名照片，减少内业整理。",
            source="phone" if n % 2 else "kiosk",
            proposer_name="王小明",
        )
    wanted = add_suggestion(
        instance, title="无人机电池冬季保温套", content="冬季外业无人机续航短，建议配保温套。\n附：试用记录。"
    )
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1920, "height": 1080})

    page.goto(url + "/staff/suggestions")
    expect(page.locator(".staff-login h1")).to_have_text("工作人员登录")
    for digit in PIN:
        page.locator(f'[data-pin-key="{digit}"]').click()
    expect(page.locator("#pin")).to_have_value(PIN)
    assert glyphs_differ(page, "审核"), "Chinese characters render as identical boxes: no CJK font"
    page.screenshot(path=SHOTS / "staff-login.png")
    sizes = page.eval_on_selector_all(".pin-key, .pin-submit", "els => els.map(e => e.getBoundingClientRect().height)")
    assert sizes and min(sizes) >= 48
    page.get_by_role("button", name="登录").click()

    expect(page.locator(".staff-list h1")).to_have_text("观众建议审核")
    row = page.locator(f"#s-{wanted['uuid']}")
    expect(row.locator(".badge")).to_have_text("待审")
    expect(page.locator(".staff-person")).to_have_count(0)
    row.get_by_role("button", name="通过").click()
    expect(row.locator(".badge")).to_have_text("已通过")
    expect(row.get_by_role("button", name="通过")).to_be_disabled()
    expect(page.locator("#staff-filters")).to_contain_text("已通过 1")
    assert page.url.endswith("/staff/suggestions"), "htmx swapped the row in place"
    heights = page.eval_on_selector_all(
        ".staff-actions .btn, .chip, .staff-check", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert min(heights) >= 48
    page.screenshot(path=SHOTS / "staff-suggestions.png")
    page.get_by_label("显示个人信息").check()
    expect(page.locator(".staff-person")).to_have_count(4)
    page.locator("#staff-q").fill("电池")
    expect(page.locator(".staff-row")).to_have_count(1)
    expect(page.locator(".staff-person")).to_have_text("匿名")
    assert "q=%E7%94%B5%E6%B1%A0" in page.url and "personal=1" in page.url
    with database(instance) as db:
        stored = db["suggestions"].get(wanted["uuid"])
    assert stored["moderation"] == "approved" and stored["moderated_at"]


def test_the_idle_reset_ends_staff_s_session_and_back_finds_the_login(page, live_server, tmp_path):
    url = live_server(KIOSK_IDLE_SECONDS=3, KIOSK_IDLE_WARNING_SECONDS=2)
    store_pin(tmp_path / "live-0")
    page.goto(url + "/staff/login")
    type_the_pin(page, PIN)
    expect(page.locator(".staff-list h1")).to_have_text("观众建议审核")
    page.wait_for_url("**/attract", timeout=20_000)  # nobody touched the screen: the idle reset
    page.go_back()
    expect(page.locator(".staff-login h1")).to_have_text("工作人员登录")
    expect(page.locator(".staff-list")).to_have_count(0)


def test_staff_import_a_pack_from_a_usb_stick_and_watch_it_finish(
    kiosk_page, live_server, usb_stick, pack_dir, tmp_path
):
    roots, mount = usb_stick
    shutil.copytree(pack_dir, mount / "新内容包")
    title = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))["title"]
    url = live_server(KIOSK_USB_ROOTS=roots)
    store_pin(tmp_path / "live-0")  # live_server's first instance folder
    page = kiosk_page
    page.goto(url + "/staff/login")
    type_the_pin(page, PIN)
    page.get_by_role("link", name="内容包").click()
    expect(page.locator(".staff-packs h1")).to_have_text("内容包")
    expect(page.locator(".staff-table")).not_to_contain_text(title)
    page.get_by_role("button", name="导入 新内容包").click()
    expect(page.locator(".sync-phase")).to_contain_text("导入完成", timeout=30000)
    page.screenshot(path=SHOTS / "staff-packs-imported.png", full_page=True)
    page.reload()
    row = page.locator(".staff-table tr", has_text=title)
    expect(row).to_be_visible()
    row.locator("summary", has_text="移除").click()  # and then staff take it off the screens again
    row.get_by_role("button", name=f"确认移除“{title}”").click()
    expect(page.locator(".staff-flash")).to_contain_text(f"已移除内容包“{title}”")
    expect(page.locator(".staff-table")).not_to_contain_text(title)
