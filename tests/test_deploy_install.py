"""The offline installer, for real in a throw-away root: made with scripts/make-offline-installer.sh (wheels
from the registry), installed with no network at all, started, checked by systemd, and uninstalled."""

import json
import os
import shutil
import subprocess
import urllib.request

import pytest

from tests.support import free_port, run_installer, wait_until_up

pytestmark = [
    pytest.mark.skipif(os.geteuid() != 0, reason="installs users and units: needs root (CI runs as root)"),
    pytest.mark.skipif(not shutil.which("systemd-sysusers"), reason="systemd-sysusers is not installed"),
]


def test_install_offline_into_a_throw_away_root_then_start_it_and_uninstall(installer, tmp_path):
    root = tmp_path / "root"
    said = run_installer(installer, root, "--no-apt")
    version = (installer / "app" / "VERSION").read_text().strip()
    assert "5/5" in said and version in said

    current = root / "opt/wuxiao-kiosk/current"
    assert os.readlink(current) == f"releases/{version}"
    assert (current / "var/pinyin.sqlite").stat().st_size > 1_000_000, "the keyboard's dictionary is built"
    units = root / "etc/systemd/system"
    assert (units / "multi-user.target.wants/wuxiao-kiosk.service").is_symlink()
    assert (units / "graphical.target.wants/wuxiao-screen.service").is_symlink()
    assert (units / "multi-user.target.wants/wuxiao-update.path").is_symlink()
    assert os.readlink(units / "default.target").endswith("graphical.target")
    policy = json.loads((root / "etc/chromium/policies/managed/wuxiao-kiosk.json").read_text())
    assert policy["TranslateEnabled"] is False
    passwd = (root / "etc/passwd").read_text()
    assert "wuxiao:" in passwd and "wuxiao-screen:" in passwd and "/usr/sbin/nologin" in passwd
    assert ":video:" in (root / "etc/group").read_text() or "video:" in (root / "etc/group").read_text()

    # The installed units pass systemd's own check, their paths read inside the root.
    names = ("wuxiao-kiosk.service", "wuxiao-screen.service", "wuxiao-update.path", "wuxiao-update.service")
    for name in names:
        text = (units / name).read_text().replace("/opt/wuxiao-kiosk", str(root / "opt/wuxiao-kiosk"))
        (tmp_path / name).write_text(text)
    check = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in names)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and not (check.stdout + check.stderr).strip(), check.stdout + check.stderr

    # The installed program starts from its own venv, as the unit starts it, and serves the demo pack.
    port, screen = free_port(), free_port()
    env = {"PATH": "/usr/bin:/bin", "KIOSK_INSTANCE_PATH": str(root / "var/lib/wuxiao-kiosk"), "HOME": str(tmp_path)}
    kiosk = subprocess.Popen(
        [str(current / ".venv/bin/python"), str(current / "run.py"), "--host", "127.0.0.1", "--port", str(port)]
        + ["--screen-port", str(screen)],
        cwd=current,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(screen, kiosk)
        with urllib.request.urlopen(f"http://127.0.0.1:{screen}/", timeout=10) as page:
            assert "无人机航测像控点" in page.read().decode()
    finally:
        kiosk.terminate()
        kiosk.wait(timeout=10)

    # A second install of the same version replaces it in one step; then uninstall keeps visitors' data.
    run_installer(installer, root, "--no-apt")
    assert os.readlink(current) == f"releases/{version}"
    done = subprocess.run(
        [str(installer / "uninstall.sh"), "--root", str(root)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert not (root / "opt/wuxiao-kiosk").exists() and not (units / "wuxiao-kiosk.service").exists()
    assert not (units / "multi-user.target.wants/wuxiao-kiosk.service").exists()
    assert not (units / "wuxiao-update.path").exists()
    assert not (units / "multi-user.target.wants/wuxiao-update.path").exists()
    assert not (root / "etc/chromium/policies/managed/wuxiao-kiosk.json").exists()
    assert (root / "var/lib/wuxiao-kiosk/kiosk.db").exists(), "visitors' data stays"
    passwd = (root / "etc/passwd").read_text()
    assert "wuxiao:" not in passwd and "wuxiao-screen:" not in passwd
