"""Update bundles from a USB stick: made from the offline installer, checked file by file and by signature, and
installed for real in a throw-away root beside the running version — switched back when the new one does not
start. The installed program runs as its service would; `systemctl restart` is this machine's restart of it."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kiosk.appliance import update, update_bundle
from kiosk.staff import update_page
from tests.staff_helpers import PIN, sign_in, store_pin, token
from tests.support import ROOT, SHOTS, free_port, mounted_stick, run_installer, type_the_pin, wait_until_up

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="installs into a throw-away root: needs root (CI is)")


def release(installer, tmp_path, version, run_py=None):
    """Return a copy of the installer folder as the next release `version` (its run.py replaced if given)."""
    folder = tmp_path / f"release-{version}"
    shutil.copytree(installer, folder, symlinks=True)
    (folder / "app" / "VERSION").write_text(version + "\n")
    if run_py is not None:
        (folder / "app" / "run.py").write_text(run_py)
    return folder


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    """Return a folder with a signing key pair (made here: keys never live in the repository) and another pair."""
    folder = tmp_path_factory.mktemp("keys")
    update_bundle.keygen(folder)
    (folder / "other").mkdir()
    update_bundle.keygen(folder / "other")
    return folder


@pytest.fixture(scope="module")
def signed(installer, keys, tmp_path_factory):
    """Return a signed bundle of this checkout, its version one after the installer's."""
    tmp = tmp_path_factory.mktemp("signed")
    version = (installer / "app" / "VERSION").read_text().strip() + ".1"
    bundle = tmp / f"wuxiao-update-{version}.tar"
    update_bundle.make(release(installer, tmp, version), bundle, keys / "update-key.pem")
    return bundle, version


def trust(keys, folder):
    """Return a keys folder that trusts the public key in keys."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(keys / "update-key.pub", folder / "publisher.pub")
    return folder


def test_a_whole_bundle_passes_and_one_changed_byte_a_missing_file_or_a_stray_file_do_not(signed, keys, tmp_path):
    bundle, version = signed
    assert update_bundle.check(bundle, trust(keys, tmp_path / "trusted"))["version"] == version
    assert update_bundle.check(bundle, tmp_path / "no-keys")["version"] == version  # no key: checksums only

    with tarfile.open(bundle) as tar:
        names = [m.name for m in tar if m.isfile()]
        at = tar.getmember("app/run.py").offset_data
    assert {"update.json", "SHA256SUMS", "SHA256SUMS.sig", "app/run.py", "install.sh"} <= set(names)
    assert any(n.startswith("wheels/") for n in names) and not any(n.startswith("debs/") for n in names)

    changed = tmp_path / "changed.tar"
    data = bytearray(bundle.read_bytes())
    data[at] ^= 0x20  # one bit of run.py's first byte
    changed.write_bytes(data)
    with pytest.raises(update_bundle.BundleError, match="文件校验不对：app/run.py"):
        update_bundle.check(changed, tmp_path / "no-keys")

    cut = tmp_path / "cut.tar"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])  # the copy to the stick was pulled out
    with pytest.raises(update_bundle.BundleError, match="请重新拷贝"):
        update_bundle.check(cut, tmp_path / "no-keys")

    stray = tmp_path / "stray.tar"
    shutil.copy(bundle, stray)
    with tarfile.open(stray, "a") as tar:
        update_bundle.add_bytes(tar, "app/kiosk/extra.py", b"print('not listed')\n")
    with pytest.raises(update_bundle.BundleError, match="清单之外的文件：app/kiosk/extra.py"):
        update_bundle.check(stray, tmp_path / "no-keys")

    not_a_bundle = tmp_path / "wuxiao-update-photo.tar"
    not_a_bundle.write_bytes(b"\x89PNG not a tar at all")
    with pytest.raises(update_bundle.BundleError, match="这不是更新包"):
        update_bundle.check(not_a_bundle, tmp_path / "no-keys")


def test_a_kiosk_with_a_key_refuses_unsigned_bundles_and_those_signed_by_another(installer, keys, tmp_path):
    trusted = trust(keys, tmp_path / "trusted")
    folder = release(installer, tmp_path, "9.9.9")
    unsigned, other = tmp_path / "unsigned.tar", tmp_path / "other.tar"
    update_bundle.make(folder, unsigned)
    update_bundle.make(folder, other, keys / "other" / "update-key.pem")
    with pytest.raises(update_bundle.BundleError, match="没有签名"):
        update_bundle.check(unsigned, trusted)
    with pytest.raises(update_bundle.BundleError, match="签名不对"):
        update_bundle.check(other, trusted)
    assert update_bundle.check(unsigned, tmp_path / "no-keys")["version"] == "9.9.9"


def test_a_kiosk_run_from_a_checkout_says_it_cannot_update_from_a_stick(demo_app, demo_client):
    store_pin(demo_app)
    sign_in(demo_client)
    home = demo_client.get("/staff/suggestions").get_data(as_text=True)
    assert 'href="/staff/update/"' in home
    page = demo_client.get("/staff/update/").get_data(as_text=True)
    assert "本机不是用安装程序（install.sh）装的" in page and "检查并安装" not in page
    asked = {"csrf_token": token(demo_client), "source": "/etc/passwd"}
    refused = demo_client.post("/staff/update/install", data=asked)
    assert refused.status_code == 400 and "没有找到这个更新包" in refused.get_data(as_text=True)


def test_an_installed_kiosk_with_no_stick_asks_for_one(demo_app, demo_client, monkeypatch, tmp_path):
    monkeypatch.setattr(update, "installed_root", lambda: tmp_path)  # as if run from /opt/wuxiao-kiosk/current
    demo_app.config["KIOSK_USB_ROOTS"] = str(tmp_path / "media")
    store_pin(demo_app)
    sign_in(demo_client)
    page = demo_client.get("/staff/update/").get_data(as_text=True)
    assert "没有插入U盘。请插入装有更新包的U盘" in page and "上没有更新包" not in page


def test_a_request_nobody_takes_tells_staff_the_update_service_may_not_run(demo_app, demo_client, monkeypatch):
    store_pin(demo_app)
    sign_in(demo_client)
    updates = Path(demo_app.instance_path) / "updates"
    updates.mkdir()
    (updates / "request.json").write_text('{"file": "wuxiao-update-9.tar"}')
    page = demo_client.get("/staff/update/").get_data(as_text=True)
    assert "已交给安装程序，等待开始" in page and "可能没有运行" not in page
    monkeypatch.setattr(update_page, "WAITING_TOO_LONG", 0.2)
    time.sleep(0.3)
    page = demo_client.get("/staff/update/progress").get_data(as_text=True)
    assert "本机的自动更新服务（wuxiao-update.path）可能没有运行" in page


@pytest.fixture
def big_stick(tmp_path):
    """Mount a 120 MB tmpfs as a USB stick, room for an update bundle; yield (roots setting, mount point)."""
    with mounted_stick(tmp_path, "120m") as stick:
        yield stick


class InstalledKiosk:
    """The installed program run from `current` as its unit runs it; restart() is what systemctl restart does."""

    def __init__(self, root, log, env=None):
        self.root, self.log, self.process, self.env = root, log, None, env or {}
        self.port, self.screen_port = free_port(), free_port()
        self.health = f"http://127.0.0.1:{self.screen_port}/health.json"

    def restart(self):
        """Stop the running program (if any) and start the one `current` points at now."""
        self.stop()
        current = self.root / "opt/wuxiao-kiosk/current"
        env = {"PATH": "/usr/bin:/bin", "KIOSK_INSTANCE_PATH": str(self.root / "var/lib/wuxiao-kiosk"), **self.env}
        command = [str(current / ".venv/bin/python"), str(current / "run.py"), "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--screen-port", str(self.screen_port)]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(command, cwd=current, env={**env, "HOME": str(self.root)}, stdout=log,
                                            stderr=subprocess.STDOUT)  # fmt: skip

    def stop(self):
        """Stop the program."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


@needs_root
@pytest.mark.skipif(not shutil.which("systemd-sysusers"), reason="systemd-sysusers is not installed")
def test_an_update_installs_beside_the_old_version_and_a_new_version_that_does_not_start_is_switched_back(
    installer, signed, keys, tmp_path, big_stick, page
):
    root = tmp_path / "root"
    run_installer(installer, root, "--no-apt")
    first = (installer / "app" / "VERSION").read_text().strip()
    trust(keys, root / "etc/wuxiao-kiosk/update-keys")
    roots, stick = big_stick
    kiosk = InstalledKiosk(root, tmp_path / "kiosk.log", {"KIOSK_USB_ROOTS": roots})
    instance = root / "var/lib/wuxiao-kiosk"
    status = instance / "updates/status.json"
    try:
        kiosk.restart()
        wait_until_up(kiosk.screen_port, kiosk.process)
        assert update.healthy(kiosk.health, first, 30)

        # Staff on the kiosk's screen: PIN pad, 本机状态 → 软件更新, the bundle on the stick, 检查并安装.
        bundle, second = signed
        store_pin(instance)
        url = f"http://127.0.0.1:{kiosk.screen_port}"
        page.set_viewport_size({"width": 1920, "height": 1080})
        page.goto(url + "/staff/login")
        type_the_pin(page, PIN)
        page.locator(".staff-health").get_by_role("link", name="软件更新").click()
        expect(page.locator(".update-version")).to_contain_text(f"正在使用 {first} 版")
        # A stick without the bundle says so; the bundle copied onto it shows up by itself.
        expect(page.locator(".usb-none")).to_contain_text("U盘 WUXIAO-USB 上没有更新包")
        shutil.copy(bundle, stick / bundle.name)
        expect(page.get_by_role("button", name=f"检查并安装 {second} 版")).to_be_visible(timeout=15_000)
        page.screenshot(path=SHOTS / "staff-update.png")
        # The kiosk's disk is full (a 2 MB file system where bundles arrive): refused in Chinese, nothing changes.
        incoming = instance / "updates/incoming"
        incoming.mkdir(parents=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "full-disk", str(incoming)], check=True)
        try:
            page.get_by_role("button", name=f"检查并安装 {second} 版").click()
            expect(page.locator(".staff-error")).to_contain_text("本机剩余空间不足，装不下这个更新")
            assert not (instance / "updates/request.json").exists()
        finally:
            subprocess.run(["umount", "-l", str(incoming)], check=True)
        page.get_by_role("button", name=f"检查并安装 {second} 版").click()
        expect(page.locator(".staff-flash")).to_contain_text(f"更新包完好（{second} 版），已交给安装程序")
        expect(page.locator("#update-progress")).to_contain_text("已交给安装程序，等待开始")
        assert (instance / "updates/incoming" / bundle.name).exists()

        # What wuxiao-update.path starts, as root; here systemctl's restart is restarting the installed program.
        done = update.apply_request(instance, root=root, restart=kiosk.restart, health_url=kiosk.health, wait=60)
        assert done["state"] == "done", done
        assert not (instance / "updates/request.json").exists() and not any((instance / "updates/incoming").iterdir())
        # The page lost its server for a moment (正在重新连接); the restarted program knows no staff session, so
        # the login comes back, and the PIN leads straight back to 软件更新.
        expect(page.locator(".staff-flash")).to_contain_text("登录已过期，请重新输入 PIN。", timeout=30_000)
        type_the_pin(page, PIN)
        expect(page.locator("#update-progress")).to_contain_text(f"已更新到 {second} 版。旧的 {first} 版保留在本机")
        expect(page.locator(".update-version")).to_contain_text(f"正在使用 {second} 版；本机还保留着 {first} 版")
        expect(page.locator(".update-in-use")).to_contain_text("本机正在使用这个版本，无需安装")
        expect(page.locator(".usb-stick")).to_have_count(0)
        page.screenshot(path=SHOTS / "staff-update-done.png")
        assert update.current_release(root) == second and update.healthy(kiosk.health, second, 5)
        assert (root / f"opt/wuxiao-kiosk/releases/{first}/run.py").exists(), "the old version is kept"
        said = json.loads(status.read_text())["message"]
        assert said == f"已更新到 {second} 版。旧的 {first} 版保留在本机，需要时可在本页换回。"

        # The next version crashes at start: after its time it is switched back, and the kiosk answers again.
        broken = release(installer, tmp_path, second + ".1", run_py="import sys\nsys.exit(3)\n")
        bad = tmp_path / "bad.tar"
        update_bundle.make(broken, bad, keys / "update-key.pem")
        done = update.apply(bad, root, restart=kiosk.restart, health_url=kiosk.health, wait=15, status=status)
        assert done["state"] == "rolled_back", done
        assert done["message"] == f"{second}.1 版在 15 秒内没有正常启动，已自动退回 {second} 版。"
        assert update.current_release(root) == second and update.healthy(kiosk.health, second, 5)
        assert not (root / f"opt/wuxiao-kiosk/releases/{second}.1").exists()
        assert json.loads(status.read_text())["state"] == "rolled_back"

        # A bundle signed by someone else is refused before anything changes.
        other = tmp_path / "other.tar"
        update_bundle.make(release(installer, tmp_path, "7.7.7"), other, keys / "other" / "update-key.pem")
        done = update.apply(other, root, restart=kiosk.restart, health_url=kiosk.health, wait=15, status=status)
        assert done["state"] == "refused" and "签名不对" in done["message"]
        assert update.current_release(root) == second and not (root / "opt/wuxiao-kiosk/releases/7.7.7").exists()

        # Staff go back to the kept version by hand (the new one starts, but something is wrong with it).
        page.goto(url + "/staff/update/")
        type_the_pin(page, PIN)  # the program was restarted since: the login, then back to 软件更新
        page.get_by_text(f"换回 {first} 版", exact=True).click()
        page.get_by_role("button", name=f"确认换回 {first} 版").click()
        expect(page.locator(".staff-flash")).to_contain_text(f"已请安装程序换回 {first} 版")
        done = update.apply_request(instance, root=root, restart=kiosk.restart, health_url=kiosk.health, wait=60)
        assert done == {"state": "done", "message": f"已换回 {first} 版。{second} 版也保留在本机。"}
        assert update.current_release(root) == first and update.healthy(kiosk.health, first, 5)
    finally:
        kiosk.stop()


def test_the_script_staff_run_writes_a_signed_bundle_the_kiosk_accepts(keys, tmp_path):
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    done = subprocess.run(
        [str(ROOT / "scripts/make-update-bundle.sh"), str(tmp_path / "stick"), "--python", python]
        + ["--key", str(keys / "update-key.pem")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (bundle,) = (tmp_path / "stick").glob("wuxiao-update-*.tar")
    assert "更新包已写好" in done.stdout and update_bundle.peek(bundle) in bundle.name
    assert update_bundle.check(bundle, trust(keys, tmp_path / "trusted"))["version"] == update_bundle.peek(bundle)
