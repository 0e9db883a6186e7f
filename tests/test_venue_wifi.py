"""Phones with addresses of their own, in a network namespace the test makes: one hostile phone cannot
take the kiosk away from the touchscreen or from the other phones."""

import json
import os
import subprocess
import sys

import pytest

from tests.support import ROOT

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root (CI runs as root)")


@needs_root
def test_a_phone_holding_2000_connections_leaves_the_screen_and_other_phones_served():
    """The hostile phone redials every connection the kiosk closes at once: idle, half-open and a flood."""
    command = [sys.executable, "-m", "kiosk.testing.venue_wifi", "--phases", "flood", "--connections", "2000"]
    command += ["--paths", "/,/a/TJ2024-001", "--times", "20", "--pause", "0.15"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    (flood,) = result["phases"]
    assert flood["hostile"]["opened"] >= 2000
    for who in ("screen", "phone"):
        answers = flood[who]
        assert len(answers) == 40
        slow = [a for a in answers if a[1] != 200 or a[2] >= 1]
        assert slow == [], (who, slow, result["kiosk_log_tail"])
