"""Fixtures: an app over a temporary instance folder, its client and CLI runner, and the demo pack."""
import shutil
import time
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from kiosk import create_app
from kiosk.packs.library import run_import

ROOT = Path(__file__).resolve().parent.parent
DEMO_PACK = ROOT / "media" / "demo-pack"
SHOTS = ROOT / "screenshots"


class BufferedClient(FlaskClient):
    """A test client that reads and closes every response, as a browser would."""

    def open(self, *args, **kwargs):
        """Send a request and buffer its whole answer."""
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


def make_test_app(instance_path, **config):
    """Create an app for tests over instance_path."""
    app = create_app({"TESTING": True, "KIOSK_PUBLIC_URL": "http://kiosk.test:8080", **config},
                     instance_path=instance_path)
    app.test_client_class = BufferedClient
    return app


@pytest.fixture
def app(tmp_path):
    """Return an app with an empty database in a temporary instance folder."""
    return make_test_app(tmp_path / "instance")


@pytest.fixture
def client(app):
    """Return a test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner for the app's commands."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def demo_instance(tmp_path_factory):
    """Return an instance folder with the demo pack imported once for the session."""
    instance = tmp_path_factory.mktemp("demo") / "instance"
    app = make_test_app(instance)
    with app.app_context():
        result = run_import(DEMO_PACK)
        assert result.ok, [str(p) for p in result.report.errors]
    return instance


@pytest.fixture
def demo_app(demo_instance, tmp_path):
    """Return an app over a private copy of the demo instance (tests may damage it)."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    return make_test_app(instance)


@pytest.fixture
def demo_client(demo_app):
    """Return a test client over the demo pack."""
    return demo_app.test_client()


CHROMIUM_ARGS = ["--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium, started as the kiosk starts it."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture
def live_server(demo_instance, tmp_path):
    """Return a function that serves the demo pack with waitress on a free port; returns its URL."""
    servers = []

    def start(**config):
        import threading

        from waitress.server import create_server

        instance = tmp_path / f"live-{len(servers)}"
        shutil.copytree(demo_instance, instance)
        app = make_test_app(instance, **config)
        server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="")
        stopped = threading.Event()

        def serve():
            try:
                server.run()
            except (OSError, ValueError):
                if not stopped.is_set():
                    raise

        thread = threading.Thread(target=serve, daemon=True)
        thread.start()
        servers.append((server, stopped, thread))
        return f"http://127.0.0.1:{server.effective_port}"

    yield start
    for server, stopped, thread in servers:
        stopped.set()
        server.task_dispatcher.shutdown(timeout=2)
        server.close()
        thread.join(timeout=5)


def slow_route(page, pattern, seconds=1.0):
    """Make the page's loads of URLs matching pattern take `seconds` longer; return the URLs asked for."""
    asked = []

    def delay(route):
        asked.append(route.request.url)
        time.sleep(seconds)  # a busy kiosk: the page takes longer than the script's next tick or event
        route.continue_()

    page.route(pattern, delay)
    return asked


@pytest.fixture
def kiosk_page(page):
    """Return a page at the kiosk's size, 1920×1080."""
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    return page


@pytest.fixture
def pack_dir(tmp_path):
    """Return the folder of a valid one-achievement pack with small photos."""
    from tests.pack_runs import small_pack

    small_pack(tmp_path / "pack")
    return tmp_path / "pack"
