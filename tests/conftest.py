"""Fixtures: an app over a temporary instance folder, its client and CLI runner, and the demo pack."""

import shutil
import subprocess
import sys

import pytest

from kiosk.packs.library import run_import
from tests.pack_runs import small_pack
from tests.support import DEMO_PACK, ROOT, SHOTS, make_test_app, mounted_stick
from tests.sync_helpers import FAST, KIOSK_ID, TOKEN, Receiver


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


@pytest.fixture(scope="session")
def installer(tmp_path_factory):
    """Make the offline installer once (this Python's wheels only, no Debian packages: those are slow)."""
    out = tmp_path_factory.mktemp("stick") / "wuxiao-installer"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    done = subprocess.run(
        [str(ROOT / "scripts" / "make-offline-installer.sh"), str(out), "--no-debs", "--python", python],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return out


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


CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium, started as the kiosk starts it."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def pinyin_dictionary():
    """Return the on-screen keyboard's pinyin dictionary, built as scripts/test.sh builds it if it is missing."""
    from kiosk.keyboard import dictionary

    dictionary.ensure(dictionary.DEFAULT_PATH, say=lambda text: None)
    return dictionary.DEFAULT_PATH


@pytest.fixture
def live_server(demo_instance, tmp_path, pinyin_dictionary):
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
        # The listening socket, its trigger and every connection the browser left open: waitress's loop runs
        # while any is in its map, and a socket left to the garbage collector warns in some later test.
        for channel in list(server._map.values()):
            channel.close()
        thread.join(timeout=5)


@pytest.fixture
def phone(browser):
    """Return a page on a 390×844 touch phone that is not the kiosk's screen."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def kiosk_page(page):
    """Return a page at the kiosk's size, 1920×1080."""
    SHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1920, "height": 1080})
    return page


@pytest.fixture
def pack_dir(tmp_path):
    """Return the folder of a valid one-achievement pack with small photos."""
    small_pack(tmp_path / "pack")
    return tmp_path / "pack"


@pytest.fixture
def receiver(tmp_path):
    """Start a receiver on a free port for the test; stop it after."""
    started = Receiver(tmp_path / "central")
    yield started
    started.stop()


@pytest.fixture
def kiosk(receiver, tmp_path):
    """Return a kiosk app pointed at the receiver with its own token and fast retries."""
    return make_test_app(
        tmp_path / "instance",
        KIOSK_ID=KIOSK_ID,
        KIOSK_EVENT_ID="tj-2024-expo",
        KIOSK_CENTRAL_URL=receiver.url,
        KIOSK_CENTRAL_TOKEN=TOKEN,
        **FAST,
    )


@pytest.fixture
def usb_stick(tmp_path):
    """Mount a small tmpfs as a USB stick (tests/support.py mounted_stick); yield (roots setting, mount point)."""
    with mounted_stick(tmp_path) as stick:
        yield stick
