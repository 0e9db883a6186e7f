"""What tests share that is not a fixture: the project's paths, a test app, a free port, browser helpers."""

import json
import socket
import time
from pathlib import Path

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


def make_test_app(instance_path, **config):
    """Create an app for tests over instance_path."""
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


def as_phone(page, url):
    """Mark the browser as a visitor's phone (the tests run on the kiosk's own machine)."""
    page.context.add_cookies([{"name": "kiosk_screen", "value": "0", "url": url}])
