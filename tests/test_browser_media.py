"""Real Chromium: the kiosk's own video and audio controls, captions and the tappable transcript, by taps."""

import re

import pytest
from playwright.sync_api import expect

from kiosk.exhibits.captions import sentences
from kiosk.media.store import MediaStore, file_sha256
from tests.support import DEMO_PACK, SHOTS, as_phone, demo_achievement

pytestmark = pytest.mark.browser
FIRST = demo_achievement(award="first")
SPOKEN = sentences(FIRST["audio"][0]["transcript"])
VIDEO = "document.querySelector('.player-video video')"
AUDIO = "document.querySelector('.player-audio audio')"


def tap_to_winner(page, url, tap):
    """From the home page, tap the first prize's card; wait for its detail page and its players."""
    page.goto(url + "/")
    tap(page.get_by_role("link", name=re.compile(FIRST["title"])))
    page.wait_for_url(re.compile(rf"/a/{FIRST['id']}$"))
    expect(page.locator(".player-audio .player-bar")).to_have_count(1)


def media_state(page, which):
    """Return the currentTime and paused of the page's video or audio."""
    return page.evaluate(f"(() => {{ const m = {which}; return {{t: m.currentTime, paused: m.paused}}; }})()")


def wait_playing_past(page, which, seconds):
    """Wait until the media plays beyond `seconds`."""
    page.wait_for_function(f"() => !{which}.paused && {which}.currentTime > {seconds}", timeout=15000)


def small_targets(page):
    """Return the controls of the players, and the timed transcript sentences, smaller than 48 px either way."""
    return page.evaluate("""[...document.querySelectorAll('.player-bar button, .player-bar input, .cue[role=button]')]
        .filter(el => el.getClientRects().length)
        .map(el => [el.className, el.getBoundingClientRect()])
        .filter(([, r]) => r.width < 48 || r.height < 48).map(([name, r]) => `${name} ${r.width}×${r.height}`)""")


def tap_sentence_and_expect_jump(page, tap, number):
    """Tap the transcript's sentence `number` (1-based); the audio plays from its cue's start."""
    start = page.evaluate(f"{AUDIO}.textTracks[0].cues.getCueById('s{number}').startTime")
    assert start > 0
    tap(page.locator(f".transcript .cue[data-cue=s{number}]"))
    page.wait_for_function(f"() => !{AUDIO}.paused && {AUDIO}.currentTime > {start}", timeout=15000)
    assert media_state(page, AUDIO)["t"] < start + 2
    expect(page.locator(".transcript .cue.is-on")).to_have_attribute("data-cue", f"s{number}")
    expect(page.locator(".caption-line")).to_have_text(SPOKEN[number - 1])


def test_kiosk_visitor_plays_seeks_and_pauses_the_video_and_follows_the_audio_captions(kiosk_page, live_server):
    url = live_server()
    reported = []
    kiosk_page.on("request", lambda r: reported.append(r.post_data) if r.url.endswith("/events") else None)
    tap_to_winner(kiosk_page, url, lambda el: el.click())
    video_box = kiosk_page.locator(".player-video")
    assert kiosk_page.evaluate(f"{VIDEO}.controls || {AUDIO}.controls") is False
    video_box.scroll_into_view_if_needed()

    video_box.get_by_role("button", name="播放").click()
    wait_playing_past(kiosk_page, VIDEO, 0.5)
    expect(video_box.get_by_role("button", name="暂停")).to_be_visible()

    # Drag the seek bar's thumb from where it is to three quarters along.
    seek = video_box.get_by_role("slider", name="播放进度")
    box = seek.bounding_box()
    before = media_state(kiosk_page, VIDEO)["t"]
    kiosk_page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    kiosk_page.mouse.down()
    kiosk_page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] / 2, steps=8)
    kiosk_page.mouse.up()
    duration = kiosk_page.evaluate(f"{VIDEO}.duration")
    jumped = media_state(kiosk_page, VIDEO)["t"]
    assert jumped > before + 3 and abs(jumped - duration * 0.75) < 1.5, (before, jumped, duration)

    video_box.get_by_role("button", name="暂停").click()
    assert media_state(kiosk_page, VIDEO)["paused"]
    expect(video_box.get_by_role("button", name="播放")).to_be_visible()

    # A tap on the picture plays; another pauses.
    kiosk_page.locator(".player-video video").click()
    wait_playing_past(kiosk_page, VIDEO, jumped + 0.2)
    kiosk_page.locator(".player-video video").click()
    assert media_state(kiosk_page, VIDEO)["paused"]

    # Volume: mute and back.
    video_box.get_by_role("button", name="静音").click()
    assert kiosk_page.evaluate(f"{VIDEO}.muted")
    video_box.get_by_role("button", name="取消静音").click()
    assert not kiosk_page.evaluate(f"{VIDEO}.muted")
    for name in ("全屏", "静音"):
        expect(video_box.get_by_role("button", name=name)).to_be_visible()
    expect(video_box.get_by_role("slider", name="音量")).to_be_visible()
    expect(video_box.locator(".player-time")).to_have_text(re.compile(r"^0:\d\d / 0:1[01]$"))

    assert small_targets(kiosk_page) == []
    assert seek.bounding_box()["height"] >= 48
    kiosk_page.screenshot(path=SHOTS / "media-video-1920.png")

    # Full screen takes the whole player, so the big controls stay on screen.
    video_box.get_by_role("button", name="全屏").click()
    kiosk_page.wait_for_function("() => document.fullscreenElement === document.querySelector('.player-video')")
    expect(video_box.get_by_role("button", name="退出全屏")).to_be_in_viewport()
    assert small_targets(kiosk_page) == []
    kiosk_page.screenshot(path=SHOTS / "media-video-fullscreen-1920.png")
    video_box.get_by_role("button", name="退出全屏").click()
    kiosk_page.wait_for_function("() => document.fullscreenElement === null")

    audio_box = kiosk_page.locator(".audio-box")
    audio_box.scroll_into_view_if_needed()
    audio_box.get_by_role("button", name="播放").click()
    wait_playing_past(kiosk_page, AUDIO, 0.3)
    expect(kiosk_page.locator(".caption-line")).to_have_text(SPOKEN[0])
    # One clip at a time: the audio paused the video (it was paused already), and the video would pause it.
    tap_sentence_and_expect_jump(kiosk_page, lambda el: el.click(), 3)
    assert small_targets(kiosk_page) == []
    kiosk_page.screenshot(path=SHOTS / "media-audio-1920.png")
    audio_box.get_by_role("button", name="暂停").click()
    assert media_state(kiosk_page, AUDIO)["paused"]
    kiosk_page.wait_for_timeout(300)
    assert any("video_play" in (r or "") for r in reported) and any("audio_play" in (r or "") for r in reported)


def test_playing_the_video_pauses_the_audio(kiosk_page, live_server):
    url = live_server()
    tap_to_winner(kiosk_page, url, lambda el: el.click())
    kiosk_page.locator(".player-audio").get_by_role("button", name="播放").click()
    wait_playing_past(kiosk_page, AUDIO, 0.2)
    kiosk_page.locator(".player-video video").click()
    wait_playing_past(kiosk_page, VIDEO, 0.2)
    assert media_state(kiosk_page, AUDIO)["paused"]


def test_phone_visitor_taps_the_big_controls_and_a_sentence(phone, live_server):
    url = live_server()
    as_phone(phone, url)
    tap_to_winner(phone, url, lambda el: el.tap())
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    video_box = phone.locator(".player-video")
    video_box.scroll_into_view_if_needed()
    seek = video_box.get_by_role("slider", name="播放进度")
    assert seek.bounding_box()["height"] >= 48 and seek.bounding_box()["width"] > 300
    video_box.get_by_role("button", name="播放").tap()
    wait_playing_past(phone, VIDEO, 0.5)
    video_box.get_by_role("button", name="暂停").tap()
    assert media_state(phone, VIDEO)["paused"]
    assert small_targets(phone) == []
    phone.screenshot(path=SHOTS / "media-video-phone.png")

    phone.locator(".audio-box").scroll_into_view_if_needed()
    tap_sentence_and_expect_jump(phone, lambda el: el.tap(), 2)
    assert small_targets(phone) == []
    phone.screenshot(path=SHOTS / "media-audio-phone.png")


def test_a_damaged_video_becomes_the_placeholder_without_controls(kiosk_page, live_server, tmp_path):
    url = live_server()
    original = DEMO_PACK / FIRST["videos"][0]["file"]
    stored = MediaStore(tmp_path / "live-0").original(file_sha256(original))
    stored.write_bytes(bytes(stored.stat().st_size))  # same size, so the server still serves it: only a browser sees
    tap_to_winner(kiosk_page, url, lambda el: el.click())
    expect(kiosk_page.locator(".video-box .media-placeholder")).to_have_text("视频暂时无法播放")
    expect(kiosk_page.locator(".video-box .player-bar")).to_have_count(0)
    expect(kiosk_page.locator(".audio-box .player-bar")).to_have_count(1)
