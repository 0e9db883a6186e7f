"""Real Chromium on the kiosk's screens: glyphs, video and audio, the attract loop and the idle reset."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.support import SHOTS, demo_achievement, glyphs_differ, slow_route

pytestmark = pytest.mark.browser
DRONE = demo_achievement(title="无人机")
FIRST = demo_achievement(award="first")


def test_home_shows_chinese_glyphs_at_1920(kiosk_page, live_server):
    url = live_server()
    outside = []
    kiosk_page.context.route(
        re.compile(r"^(?!http://127\.0\.0\.1:).*"), lambda route: (outside.append(route.request.url), route.abort())
    )
    kiosk_page.goto(url + "/")
    expect(kiosk_page.locator(".badge-first").first).to_have_text("一等奖")
    expect(kiosk_page.locator(".card-title").first).to_have_text(FIRST["title"])
    assert glyphs_differ(kiosk_page), "Chinese characters render as identical boxes: no CJK font"
    kiosk_page.screenshot(path=SHOTS / "home-1920.png")
    kiosk_page.wait_for_load_state("load")
    images = kiosk_page.evaluate("""[...document.querySelectorAll('.card-photo')]
        .filter(i => i.getBoundingClientRect().top < innerHeight).map(i => i.naturalWidth)""")
    assert images and all(w > 0 for w in images)
    kiosk_page.goto(f"{url}/a/{FIRST['id']}")
    kiosk_page.wait_for_load_state("load")
    assert outside == [], f"the kiosk asked for something off this machine: {outside}"


def test_pinyin_keyboard_finds_the_drone(kiosk_page, live_server):
    url = live_server()
    kiosk_page.goto(url + "/")
    kiosk_page.get_by_role("button", name="拼音键盘").click()
    for letter in "WRJ":
        kiosk_page.locator(f'[data-key="{letter.lower()}"]').click()
    expect(kiosk_page.locator("#q")).to_have_value("wrj")
    # Waits for the answer to "wrj" itself: the answers to "w" and "wr" may arrive first.
    expect(kiosk_page.locator(".card-title")).to_have_text([DRONE["title"]])


def test_video_plays_and_seeks_through_206(kiosk_page, live_server):
    url = live_server()
    statuses = []
    kiosk_page.on("response", lambda r: statuses.append(r.status) if r.url.endswith(".mp4") else None)
    kiosk_page.goto(f"{url}/a/{FIRST['id']}")
    video = kiosk_page.locator("video[data-media]").first
    video.scroll_into_view_if_needed()
    kiosk_page.evaluate("document.querySelector('video[data-media]').play()")
    kiosk_page.wait_for_function("() => document.querySelector('video[data-media]').currentTime > 0.5", timeout=15000)
    kiosk_page.evaluate("""() => new Promise(done => { const v = document.querySelector('video[data-media]');
        v.addEventListener('seeked', done, {once: true}); v.currentTime = 3; })""")
    kiosk_page.wait_for_function("() => document.querySelector('video[data-media]').currentTime > 3.3", timeout=15000)
    assert statuses and all(s == 206 for s in statuses), statuses
    kiosk_page.screenshot(path=SHOTS / "detail-video.png")


def test_audio_plays_with_transcript_following(kiosk_page, live_server):
    url = live_server()
    kiosk_page.goto(f"{url}/a/{FIRST['id']}")
    kiosk_page.evaluate("document.querySelector('audio[data-media]').play()")
    kiosk_page.wait_for_function("() => document.querySelector('audio[data-media]').currentTime > 1", timeout=15000)
    expect(kiosk_page.locator(".transcript .cue.is-on")).to_have_count(1)


def test_idle_shows_warning_then_attract_clears_input_and_touch_leaves(kiosk_page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=2)
    kiosk_page.goto(url + "/")
    kiosk_page.locator("#q").fill("无人")
    warning = kiosk_page.locator("#idle-warning")
    expect(warning).to_be_visible(timeout=10000)
    expect(warning).to_contain_text("秒后将返回展示首页")
    kiosk_page.wait_for_url(re.compile(r"/attract$"), timeout=10000)
    expect(kiosk_page.locator(".attract-call")).to_have_text("触摸屏幕开始")
    expect(kiosk_page.locator(".attract-slide.is-on")).to_have_count(1)
    kiosk_page.screenshot(path=SHOTS / "attract.png")
    kiosk_page.mouse.click(960, 540)
    kiosk_page.wait_for_url(re.compile(r"/$"), timeout=10000)
    expect(kiosk_page.locator("#q")).to_have_value("")


def test_a_touch_on_the_attract_loop_loads_the_home_page_once_even_when_slow(kiosk_page, live_server):
    url = live_server()
    kiosk_page.goto(url + "/attract")
    asked = slow_route(kiosk_page, re.compile(r"/$"))
    kiosk_page.mouse.click(960, 540)
    kiosk_page.wait_for_url(re.compile(r"/$"), timeout=8000)
    expect(kiosk_page.locator("#q")).to_be_visible()
    assert len(asked) == 1, f"the touch asked for the home page {len(asked)} times"


def test_touch_during_warning_keeps_the_page(kiosk_page, live_server):
    # A long countdown, so a busy machine cannot run it out before the test's touch.
    url = live_server(KIOSK_IDLE_SECONDS=2, KIOSK_IDLE_WARNING_SECONDS=30)
    kiosk_page.goto(url + "/")
    expect(kiosk_page.locator("#idle-warning")).to_be_visible(timeout=6000)
    kiosk_page.get_by_role("button", name="继续浏览").click()
    expect(kiosk_page.locator("#idle-warning")).to_be_hidden()
    assert kiosk_page.url == url + "/"


def test_no_reset_while_video_plays(kiosk_page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1)
    kiosk_page.goto(f"{url}/a/{FIRST['id']}")
    kiosk_page.evaluate("document.querySelector('video[data-media]').play()")
    started = time.monotonic()
    while time.monotonic() - started < 5:
        assert "/attract" not in kiosk_page.url
        assert kiosk_page.locator("#idle-warning").is_hidden()
        kiosk_page.wait_for_timeout(250)
    assert kiosk_page.evaluate("document.querySelector('video[data-media]').currentTime") > 3
    kiosk_page.evaluate("document.querySelector('video[data-media]').pause()")
    kiosk_page.wait_for_url(re.compile(r"/attract$"), timeout=8000)


def test_phone_portrait_has_no_sideways_scroll_and_no_idle_reset(page, live_server):
    url = live_server(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "kiosk_screen", "value": "0", "url": url}])
    page.goto(f"{url}/a/{DRONE['id']}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=SHOTS / "detail-phone.png", full_page=False)
    page.wait_for_timeout(3000)
    assert f"/a/{DRONE['id']}" in page.url
    page.goto(url + "/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
