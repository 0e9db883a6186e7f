"""Real Chromium at 1920×1080: staff set the event's name and the idle time on 设置, and upload a pack on 内容包."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.pack_runs import small_pack, zip_folder
from tests.staff_helpers import PIN, store_pin
from tests.support import SHOTS, glyphs_differ, type_the_pin

pytestmark = pytest.mark.browser
# Notes every import bar the panel shows (it replaces itself every half second while the import runs).
BARS_SEEN = """() => { window.barsSeen = [];
  new MutationObserver(() => { const bar = document.getElementById('pack-bar');
    if (bar) window.barsSeen.push([bar.value, bar.max]); })
  .observe(document.body, {childList: true, subtree: true}); }"""
TOUCH_TARGETS = ".staff-settings .search-input, .staff-settings .btn, .staff-nav .btn"


def sign_in_on_the_pin_pad(page, url):
    """Open the staff login on the kiosk screen and type the PIN on its pad; land on the staff home."""
    page.goto(url + "/staff/login")
    type_the_pin(page, PIN)
    expect(page.locator(".staff-list h1")).to_have_text("观众建议审核")


def test_staff_name_the_event_set_the_idle_time_and_upload_a_pack(kiosk_page, live_server, tmp_path):
    url = live_server()
    store_pin(tmp_path / "live-0")  # live_server's first instance folder
    small_pack(tmp_path / "pack")
    # A real pack is megabytes: this one carries 3 MB that do not compress, so the upload takes many reads.
    (tmp_path / "pack" / "附件.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    pack_zip = zip_folder(tmp_path / "pack", tmp_path / "新内容包.zip")
    assert pack_zip.stat().st_size > 3_000_000
    page = kiosk_page
    sign_in_on_the_pin_pad(page, url)

    page.locator(".staff-nav").get_by_role("link", name="设置").click()
    expect(page.locator(".staff-settings h1")).to_have_text("设置")
    expect(page.locator("#setting-event_name .setting-source")).to_contain_text("默认值")
    expect(page.locator(".settings-qr-url")).to_have_text("http://kiosk.test:8080/")
    expect(page.locator(".settings-qr-code svg")).to_be_visible()
    page.get_by_label("活动名称").click()  # the on-screen keyboard: pinyin for names, letters for the rest
    expect(page.locator("#ime [data-ime=mode]")).to_have_text("中 → 英")
    page.get_by_label("活动名称").fill("2024 天津五小成果展")
    page.get_by_label("无人操作返回待机（秒）").click()
    expect(page.locator("#ime [data-ime=mode]")).to_have_text("英 → 中")
    page.get_by_label("无人操作返回待机（秒）").fill("150")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator(".staff-flash")).to_contain_text(
        "已保存：活动名称、无人操作返回待机（秒）。已立即生效，无需重启。"
    )
    expect(page.get_by_label("活动名称")).to_have_value("2024 天津五小成果展")
    expect(page.locator("#setting-event_name .setting-source")).to_contain_text("在本页设定")
    expect(page.locator(".staff-machine")).to_contain_text("（2024 天津五小成果展）")
    expect(page.locator("body")).to_have_attribute("data-idle-seconds", "150")  # in effect on the screen at once
    assert glyphs_differ(page, "设置"), "Chinese characters render as identical boxes: no CJK font"
    heights = page.eval_on_selector_all(TOUCH_TARGETS, "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 48, heights
    page.screenshot(path=SHOTS / "staff-settings.png", full_page=True)

    page.get_by_label("无人操作返回待机（秒）").fill("5")
    page.get_by_role("button", name="保存设置").click()
    expect(page.locator("#e-idle_seconds")).to_have_text("请填 30–600 之间的整数秒。")
    expect(page.get_by_label("无人操作返回待机（秒）")).to_have_value("5")
    page.locator("#setting-idle_seconds").screenshot(path=SHOTS / "staff-settings-error.png")

    page.locator(".staff-nav").get_by_role("link", name="内容包").click()
    expect(page.locator(".staff-packs h1")).to_have_text("内容包")
    page.locator('input[name="pack"]').set_input_files(str(pack_zip))
    expect(page.locator(".pack-upload-name")).to_have_text("已选择：新内容包.zip")
    page.screenshot(path=SHOTS / "staff-pack-chosen.png")
    page.evaluate(BARS_SEEN)
    page.get_by_role("button", name="上传并导入").click()
    expect(page.locator(".sync-phase")).to_contain_text("新内容包.zip：导入完成", timeout=30_000)
    assert page.evaluate("window.barsSeen.length") > 0, "the import's bar was never shown"
    assert re.search(r"/staff/packs/?$", page.url), "htmx swapped the panel in place"
    heights = page.eval_on_selector_all(
        ".pack-upload .btn, .pack-upload-pick", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 48
    page.screenshot(path=SHOTS / "staff-pack-uploaded.png", full_page=True)
    page.reload()
    expect(page.locator(".staff-table")).to_contain_text("测试内容包")
