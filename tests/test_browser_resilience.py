"""Real Chromium against a real kiosk process that stops and starts again mid-visit (a restart, an update)."""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.support import ROOT, SHOTS, as_phone, free_port

pytestmark = pytest.mark.browser


class KioskProcess:
    """run.py on fixed ports over a copy of the demo instance, stopped and started again by the test."""

    def __init__(self, instance, log, **settings):
        """Remember where and how to run; nothing starts yet."""
        self.port, self.screen_port = free_port(), free_port()
        self.env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance), **{k: str(v) for k, v in settings.items()}}
        self.log = log
        self.process = None

    @property
    def screen_url(self):
        """Return the address of the touchscreen's own listener."""
        return f"http://127.0.0.1:{self.screen_port}"

    @property
    def phones_url(self):
        """Return the address phones reach."""
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        """Start run.py and wait until both listeners answer."""
        command = [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(self.port)]
        command += ["--screen-port", str(self.screen_port), "--threads", "4"]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        for url in (self.screen_url, self.phones_url):
            while True:
                try:
                    urllib.request.urlopen(url + "/", timeout=1).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    assert self.process.poll() is None, self.log.read_text()
                    assert time.monotonic() < deadline, "the kiosk did not start"
                    time.sleep(0.2)

    def stop(self):
        """Stop the process as a restart or an update does."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def kiosk_process(demo_instance, tmp_path):
    """Return a function that makes a KioskProcess (settings as KIOSK_* variables) and starts it."""
    made = []

    def make(**settings):
        instance = tmp_path / f"instance-{len(made)}"
        shutil.copytree(demo_instance, instance)
        kiosk = KioskProcess(instance, tmp_path / f"kiosk-{len(made)}.log", **settings)
        made.append(kiosk)
        kiosk.start()
        return kiosk

    yield make
    for kiosk in made:
        kiosk.stop()


def expect_reconnecting(page):
    """The kiosk screen shows the Chinese full-screen notice, never Chromium's own error page."""
    notice = page.locator("#reconnect")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("正在重新连接……")
    assert not page.url.startswith("chrome-error://")
    assert page.evaluate("document.body.dataset.kioskScreen") == "true"
    box = notice.bounding_box()
    assert box["width"] >= page.viewport_size["width"] and box["height"] >= page.viewport_size["height"]


def test_a_tap_while_the_server_restarts_shows_reconnecting_then_the_attract_loop(kiosk_page, kiosk_process):
    kiosk = kiosk_process()
    url = kiosk.screen_url
    kiosk_page.goto(url + "/attract")
    kiosk_page.mouse.click(960, 540)
    kiosk_page.wait_for_url(url + "/")
    expect(kiosk_page.locator("#reconnect")).to_be_hidden()
    kiosk.stop()
    kiosk_page.locator(".card-link").first.click()
    expect_reconnecting(kiosk_page)
    kiosk_page.wait_for_timeout(2500)  # it keeps asking, and keeps the notice up while nobody answers
    expect_reconnecting(kiosk_page)
    assert kiosk_page.url == url + "/"
    kiosk_page.screenshot(path=SHOTS / "reconnect-kiosk.png")
    kiosk.start()
    kiosk_page.wait_for_url(url + "/attract", timeout=10000)
    expect(kiosk_page.locator("#attract")).to_be_attached()


def test_the_idle_reset_while_the_server_is_down_never_opens_an_error_page(kiosk_page, kiosk_process):
    kiosk = kiosk_process(KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=1)
    url = kiosk.screen_url
    kiosk_page.goto(url + "/")
    kiosk_page.get_by_role("link", name="我要提建议").click()
    kiosk_page.wait_for_url(url + "/suggest")
    kiosk_page.get_by_label("建议内容").fill("写了一半的想法")
    kiosk.stop()
    expect_reconnecting(kiosk_page)
    kiosk_page.wait_for_timeout(3000)
    assert kiosk_page.url == url + "/suggest"
    expect(kiosk_page.get_by_label("建议内容")).to_have_value("")  # the reset still clears the visitor's typing
    kiosk.start()
    kiosk_page.wait_for_url(url + "/attract", timeout=10000)
    expect(kiosk_page.locator("#attract")).to_be_attached()


def test_a_phone_tap_while_the_server_is_away_shows_a_small_notice_and_keeps_the_page(phone, kiosk_process):
    kiosk = kiosk_process()
    url = kiosk.phones_url
    as_phone(phone, url)
    phone.goto(url + "/a/TJ2024-001")
    kiosk.stop()
    phone.get_by_role("link", name="对此成果提建议").tap()
    notice = phone.locator("#reconnect")
    expect(notice).to_be_visible()
    expect(notice).to_have_text("网络不通，请稍后再试")
    assert phone.url == url + "/a/TJ2024-001"
    phone.screenshot(path=SHOTS / "offline-phone.png")
    kiosk.start()
    phone.get_by_role("link", name="对此成果提建议").tap()
    phone.wait_for_url(re.compile(r"/suggest\?from=TJ2024-001"))
    expect(phone.locator("#reconnect")).to_be_hidden()


def test_a_tap_on_the_attract_loop_while_the_server_is_down_waits_on_the_notice(kiosk_page, kiosk_process):
    kiosk = kiosk_process()
    url = kiosk.screen_url
    kiosk_page.goto(url + "/attract")
    kiosk.stop()
    kiosk_page.mouse.click(960, 540)
    expect_reconnecting(kiosk_page)
    assert kiosk_page.url == url + "/attract"
    kiosk.start()
    kiosk_page.wait_for_load_state()
    expect(kiosk_page.locator("#attract")).to_be_attached(timeout=10000)
    expect(kiosk_page.locator("#reconnect")).to_be_hidden(timeout=10000)
