"""Boot before the LAN: a kiosk started with no network gives phones its LAN address once the network comes up."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="network namespaces need root (CI runs as root)")

# Runs in a network namespace of its own: only loopback, as a PC that booted before its LAN.
IN_NAMESPACE = textwrap.dedent(
    """
    import json, subprocess, sys, time
    from kiosk.web import lan, qr
    from tests.support import make_test_app

    def ip(*args):
        subprocess.run(["ip", *args], check=True)

    ip("link", "set", "lo", "up")
    app = make_test_app(sys.argv[1], KIOSK_PUBLIC_URL=None, KIOSK_PORT=8080)
    client = app.test_client()
    seen = {}

    def look(name):
        page = client.get("/a/TJ2024-001").get_data(as_text=True)
        url = lan.public_url(app.config) + "/a/TJ2024-001"
        staff = client.get("/staff/login").get_data(as_text=True)
        seen[name] = {"url": url, "qr_matches": str(qr.qr_svg(url)) in page, "printed": url in page,
                      "warned": "手机现在连不上本机" in staff}

    look("before")
    # The LAN comes up: a cable plugged in, DHCP answers.
    ip("link", "add", "lan0", "type", "veth", "peer", "name", "lan1")
    ip("addr", "add", "10.77.5.23/24", "dev", "lan0")
    ip("link", "set", "lan0", "up")
    ip("link", "set", "lan1", "up")
    ip("route", "add", "default", "via", "10.77.5.1")
    time.sleep(lan.RECHECK_SECONDS + 0.5)
    look("after")
    # The router restarts and hands out another lease.
    ip("addr", "flush", "dev", "lan0")
    ip("addr", "add", "10.77.5.99/24", "dev", "lan0")
    ip("route", "add", "default", "via", "10.77.5.1")
    time.sleep(lan.RECHECK_SECONDS + 0.5)
    look("new lease")
    print(json.dumps(seen))
    """
)


def test_qr_codes_follow_the_lan_address_when_the_network_comes_up_after_the_kiosk(demo_instance, tmp_path):
    import shutil

    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    run = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", IN_NAMESPACE, str(instance)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["before"]["warned"] and seen["before"]["url"].startswith("http://127.0.0.1:8080/")
    assert seen["after"] == {
        "url": "http://10.77.5.23:8080/a/TJ2024-001",
        "qr_matches": True,
        "printed": True,
        "warned": False,
    }
    assert seen["new lease"]["url"] == "http://10.77.5.99:8080/a/TJ2024-001"
    assert seen["new lease"]["qr_matches"] and seen["new lease"]["printed"]
