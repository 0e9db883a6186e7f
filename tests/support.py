"""What tests share that is not a fixture: the project's paths, a test app, a free port, browser helpers."""

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kiosk import create_app

ROOT = Path(__file__).resolve().parent.parent
DEMO_PACK = ROOT / "media" / "demo-pack"
SHOTS = ROOT / "screenshots"
# Draws two characters in the page's font and a code point no font has: a missing CJK font draws them all alike.
GLYPHS_DIFFER = """([a, b]) => {
  const c = document.createElement('canvas'); c.width = 80; c.height = 40;
  const x = c.getContext('2d'); x.font = '28px ' + getComputedStyle(document.body).fontFamily;
  const draw = ch => {
    x.clearRect(0, 0, 80, 40); x.fillText(ch, 0, 30); return x.getImageData(0, 0, 80, 40).data.join(',');
  };
  return draw(a) !== draw(b) && draw(a) !== draw('\\u0378');
}"""


class BufferedClient(FlaskClient):
    """A test client that reads and closes every response, as a browser would."""

    def open(self, *args, **kwargs):
        """Send a request and buffer its whole answer."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def under_clock(when, args, zone="CST-8", env=None, **kwargs):
    """Run a command with the system clock reading `when` in the PC's time zone `zone` (a POSIX TZ string; Beijing
    time unless told) through libfaketime; return the finished process."""
    env = {**(os.environ if env is None else env), "TZ": zone}
    return subprocess.run(
        ["faketime", when, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, env=env, **kwargs
    )


def run_installer(installer, root, *options):
    """Run install.sh into root with no network at all (a network namespace with only loopback); return its output."""
    done = subprocess.run(
        ["unshare", "--net", str(installer / "install.sh"), "--root", str(root), *options],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def make_test_app(instance_path, **config):
    """Create an app for tests over instance_path."""
    # A configured kiosk, as most tests want one, unless the instance's kiosk.toml configures it;
    # KIOSK_ID=None gives the id made at first start instead.
    if not (Path(instance_path) / "kiosk.toml").exists():
        config = {"KIOSK_ID": "kiosk-1", "KIOSK_EVENT_ID": "event", **config}
    app = create_app(
        {"TESTING": True, "KIOSK_PUBLIC_URL": "http://kiosk.test:8080", **config}, instance_path=instance_path
    )
    app.test_client_class = BufferedClient
    return app


def free_port():
    """Return a free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_achievement(**match):
    """Return the demo pack's first achievement whose fields contain the given values (title="无人机")."""
    pack = json.loads((DEMO_PACK / "pack.json").read_text(encoding="utf-8"))
    return next(a for a in pack["achievements"] if all(v in a[k] for k, v in match.items()))


def demo_in_award_order():
    """Return the demo pack's achievements in home's order: by award, then as the pack lists them."""
    rank = {"first": 1, "second": 2, "third": 3, "encouragement": 4}
    pack = json.loads((DEMO_PACK / "pack.json").read_text(encoding="utf-8"))
    return sorted(pack["achievements"], key=lambda a: rank.get(a["award"], 5))


def glyphs_differ(page, chars="创新"):
    """Return whether the page draws two Chinese characters differently (a CJK font is there, not boxes)."""
    return page.evaluate(GLYPHS_DIFFER, list(chars))


def slow_route(page, pattern, seconds=1.0):
    """Make the page's loads of URLs matching pattern take `seconds` longer; return the URLs asked for."""
    asked = []

    def delay(route):
        asked.append(route.request.url)
        time.sleep(seconds)  # a busy kiosk: the page takes longer than the script's next tick or event
        route.continue_()

    page.route(pattern, delay)
    return asked


def arrive_home(page, url):
    """Tap the attract loop, as a visitor at the touchscreen does, and land on home."""
    page.goto(url + "/attract")
    page.mouse.click(960, 540)
    page.wait_for_url(re.compile(r"/$"))


def screen_opens_the_form(page, url):
    """At the touchscreen, tap the attract loop, then 我要提建议 in the header, to the suggestion form."""
    arrive_home(page, url)
    page.get_by_role("link", name="我要提建议").click()
    page.wait_for_url(re.compile(r"/suggest$"))


def phone_opens_the_form(phone, url, winner="TJ2024-001"):
    """On a visitor's phone, open a winner's page and tap 对此成果提建议 to its suggestion form."""
    as_phone(phone, url)
    phone.goto(f"{url}/a/{winner}")
    phone.get_by_role("link", name="对此成果提建议").tap()
    phone.wait_for_url(re.compile(rf"/suggest\?from={winner}"))


def fill_disk(folder):
    """Write a file into folder until its file system is full to the last byte; return the file."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"x" * 65536)
                f.flush()
        except OSError:
            pass
    return filler


def as_phone(page, url):
    """Mark the browser as a visitor's phone (the tests run on the kiosk's own machine)."""
    page.context.add_cookies([{"name": "kiosk_screen", "value": "0", "url": url}])


# The WCAG contrast ratio of every visible text on the page against the colours under it (text over a
# picture or gradient is left out: its background has no one colour). Large text is 24 px, or 18.66 px bold.
TEXT_CONTRASTS = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(parseFloat);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
      if (s.backgroundImage !== 'none') return null;
      const c = parse(s.backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
    return layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 }); };
  const shown = el => { const box = el.getBoundingClientRect(); if (!box.width || !box.height) return false;
    for (let e = el; e; e = e.parentElement) { const s = getComputedStyle(e);
      if (s.visibility === 'hidden' || s.display === 'none' || parseFloat(s.opacity) < 1) return false; }
    return true; };
  const out = []; const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement; const text = n.textContent.trim();
    if (!text || !el || !shown(el)) continue;
    const under = background(el); if (!under) continue;
    const s = getComputedStyle(el); const fg = over(parse(s.color), under);
    const [a, b] = [lum(fg), lum(under)].sort((x, y) => y - x);
    const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight, 10) >= 700;
    out.push({ text: text.slice(0, 30), ratio: (a + 0.05) / (b + 0.05), large: size >= 24 || (size >= 18.66 && bold),
      where: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '') });
  }
  return out;
}"""


def text_contrasts(page):
    """Return the contrast of every visible text on the page: [{text, ratio, large, where}]."""
    return page.evaluate(TEXT_CONTRASTS)


def scan_qr(locator):
    """Return the text of the QR code a locator shows, read from a screenshot as a phone's camera would."""
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot())).convert("L")
    found = zxingcpp.read_barcodes(image)
    assert found, "no QR code could be read"
    return found[0].text


def start_run_py(tmp_path, env=None, threads=4):
    """Start `python run.py` on a fresh instance folder under tmp_path, as staff start it; return the process
    once the phones' port accepts, with .port and .screen_port set."""
    port, screen = free_port(), free_port()
    (tmp_path / "spool").mkdir(exist_ok=True)
    environ = {
        **os.environ,
        "KIOSK_INSTANCE_PATH": str(tmp_path / "instance"),
        "KIOSK_ID": "hall-a-1",
        "TMPDIR": str(tmp_path / "spool"),
        **(env or {}),
    }
    command = [sys.executable, str(ROOT / "run.py"), "--host", "127.0.0.1", "--port", str(port)]
    command += ["--screen-port", str(screen), "--threads", str(threads)]
    process = subprocess.Popen(
        command, env=environ, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    wait_until_up(port, process)
    process.port, process.screen_port = port, screen
    return process


def wait_until_up(port, process, seconds=60):
    """Wait until a kiosk process accepts on port on loopback; fail with its output if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            assert process.poll() is None, process.stdout.read() if process.stdout else process.returncode
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {seconds} s")


def stop_run_py(process):
    """Stop a run.py started by start_run_py and close its output."""
    process.terminate()
    process.wait(timeout=10)
    process.stdout.close()


def hold_the_logo(page, seconds=3.3):
    """Hold the brand logo as staff do (a tap would go home); wait for the staff login it opens."""
    box = page.locator(".brand").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(seconds * 1000)
    page.mouse.up()
    page.wait_for_url(re.compile(r"/staff/login"))


def type_the_pin(page, pin):
    """Type pin on the staff login's on-screen pad and tap 登录."""
    for digit in pin:
        page.locator(f'[data-pin-key="{digit}"]').click()
    page.get_by_role("button", name="登录").click()


def wait_for(check, seconds=30, every=0.5):
    """Wait until check() returns something true or the time is up; return its last value."""
    deadline = time.monotonic() + seconds
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(every)
    return result


def beijing_now():
    """Return the time now in Beijing (UTC+8, all year), worked out here rather than by the code under test."""
    return datetime.now(timezone(timedelta(hours=8)))


def closed_hours_now():
    """Return opening hours that exclude the next two hours in Beijing time (the kiosk's hours are Beijing time)."""
    hour = beijing_now().hour
    return f"{(hour + 3) % 24:02d}:00-{(hour + 4) % 24:02d}:00"


@contextlib.contextmanager
def mounted_stick(tmp_path, size="4m"):
    """Mount a tmpfs of size as a USB stick labelled WUXIAO-USB under a folder the kiosk's KIOSK_USB_ROOTS names;
    yield (roots setting, mount point). Needs root (CI runs as root), as mounting does."""
    if os.geteuid() != 0:
        pytest.skip("mounting a stick needs root (CI runs as root)")
    media = tmp_path / "media"
    mount = media / "staff" / "WUXIAO-USB"
    mount.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "wuxiao-usb", str(mount)], check=True)
    try:
        yield str(media), mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
