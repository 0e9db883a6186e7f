"""Installing an update bundle (kiosk/appliance/update_bundle.py) as root: beside the running version, switched to
in one step, and switched back when the new version does not become healthy; going back to a kept version.

`python -m kiosk.appliance.update make|keygen|check|apply|apply-request` (see docs/deploy.md)."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from kiosk import clock
from kiosk.appliance import health_read
from kiosk.appliance.update_bundle import (
    BUNDLE_NAME,
    KEYS_DIR,
    BundleError,
    check,
    keygen,
    keys_under,
    make,
    trusted_keys,
    unpack,
)

PREFIX = "opt/wuxiao-kiosk"
UPDATES = "updates"  # in the instance folder: incoming bundles, the request, the status
REQUEST, STATUS = "request.json", "status.json"
KEEP_RELEASES = 3
HEALTH = "http://127.0.0.1:8081/health.json"
RESTART = ["systemctl", "restart", "wuxiao-kiosk.service", "wuxiao-screen.service"]


def restart_services():
    """Restart the app and the screen, as systemd runs them on a kiosk."""
    subprocess.run(RESTART, check=False, timeout=120)


def running_version():
    """Return this program's version: its release's VERSION file (written by the installer), else the package's."""
    try:
        return (Path(__file__).resolve().parents[2] / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        return metadata.version("wuxiao-kiosk")


def installed_root():
    """Return the root this program was installed under (/ on a kiosk: /opt/wuxiao-kiosk/releases/<version>/…),
    or None when it runs from a checkout (nothing to update from a stick)."""
    for folder in Path(__file__).resolve().parents:
        if folder.parent.name == "releases" and folder.parent.parent.name == "wuxiao-kiosk":
            return folder.parents[3]
    return None


def releases(root):
    """Return the versions kept under root, newest first."""
    folder = Path(root) / PREFIX / "releases"
    kept = [p for p in folder.iterdir() if p.is_dir() and not p.name.endswith(".part")] if folder.is_dir() else []
    return [p.name for p in sorted(kept, key=lambda p: p.stat().st_mtime, reverse=True)]


def current_release(root):
    """Return the version `current` points at, or None."""
    try:
        return Path(os.readlink(Path(root) / PREFIX / "current")).name
    except OSError:
        return None


def switch(root, version):
    """Point `current` at releases/<version> in one step (a new link renamed over the old)."""
    link = Path(root) / PREFIX / "current.new"
    link.unlink(missing_ok=True)
    link.symlink_to(f"releases/{version}")
    os.replace(link, Path(root) / PREFIX / "current")


def install_units(root, version):
    """Put a release's systemd units in place (the new version may change them); reload systemd on this machine."""
    units = Path(root) / "etc/systemd/system"
    for unit in (Path(root) / PREFIX / "releases" / version / "deploy/systemd").glob("*"):
        if unit.is_file():
            shutil.copyfile(unit, units / unit.name)
    if Path(root).resolve() == Path("/"):
        subprocess.run(["systemctl", "daemon-reload"], check=False, timeout=60)


def healthy(health_url, version, wait):
    """Return whether the kiosk answers its health as version within wait seconds."""

    def answers_as_version(body):
        return body.get("app") == "ok" and body.get("version") == version

    return health_read.wait_for(health_url, answers_as_version, wait, timeout=5) is not None


def write_status(path, state, message, **more):
    """Keep the update's state for the staff page (written whole, readable by the kiosk's user)."""
    if path is None:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    body = {"state": state, "message": message, "at": clock.timestamp(), **more}
    part.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    part.chmod(0o644)
    os.replace(part, path)


def prune(root, keep_too):
    """Remove old releases beyond KEEP_RELEASES (newest kept), never the current one or keep_too."""
    releases = Path(root) / PREFIX / "releases"
    current = current_release(root)
    kept = sorted((p for p in releases.iterdir() if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP_RELEASES:]:
        if old.name not in (current, keep_too):
            shutil.rmtree(old, ignore_errors=True)


def apply(bundle, root="/", restart=restart_services, health_url=HEALTH, wait=120, status=None):
    """Install the bundle beside the running version, switch to it and restart; switch back and restart when it
    does not answer its health as the new version within wait seconds. Return the status dict written last."""
    root = Path(root)
    old = current_release(root)
    work = root / PREFIX / "staging"
    work.mkdir(parents=True, exist_ok=True)
    write_status(status, "checking", "正在检查更新包…", old=old)
    with tempfile.TemporaryDirectory(prefix="update-", dir=work) as staging:
        try:
            meta = unpack(bundle, staging, trusted_keys(keys_under(root)))
        except BundleError as e:
            write_status(status, "refused", str(e), old=old)
            return {"state": "refused", "message": str(e)}
        new = meta["version"]
        if new == old:
            message = f"本机已经是 {new} 版，无需更新。"
            write_status(status, "refused", message, old=old, new=new)
            return {"state": "refused", "message": message}
        write_status(status, "installing", f"正在安装 {new} 版（约 1–2 分钟）…", old=old, new=new)
        built = subprocess.run(
            ["bash", str(Path(staging) / "install.sh"), "--root", str(root), "--no-apt", "--release-only"],
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        if built.returncode:
            print(built.stdout + built.stderr, file=sys.stderr)
            why = (built.stderr.strip().splitlines() or ["未知原因"])[-1]
            message = f"{new} 版没有装成（{why}），仍在使用 {old} 版。"
            write_status(status, "failed", message, old=old, new=new)
            return {"state": "failed", "message": message}
    write_status(status, "starting", f"已装好 {new} 版，正在重新启动…", old=old, new=new)
    done = f"已更新到 {new} 版。旧的 {old} 版保留在本机，需要时可在本页换回。"
    return switch_and_check(root, new, old, restart, health_url, wait, status, done, drop_failed=True)


def switch_and_check(root, new, old, restart, health_url, wait, status, done, drop_failed=False):
    """Switch to release new and restart; when it does not answer as new within wait seconds, switch back to old
    (and remove new when drop_failed: a failed update, not a kept version). Return the status dict; done is its
    message when new answers."""
    switch(root, new)
    install_units(root, new)
    restart()
    if healthy(health_url, new, wait):
        prune(root, old)
        write_status(status, "done", done, old=old, new=new)
        return {"state": "done", "message": done}
    switch(root, old)
    install_units(root, old)
    restart()
    back = healthy(health_url, old, wait)
    if drop_failed:
        shutil.rmtree(root / PREFIX / "releases" / new, ignore_errors=True)
    message = f"{new} 版在 {wait:g} 秒内没有正常启动，已自动退回 {old} 版"
    message += "。" if back else "，但旧版也没有应答，请联系技术人员。"
    write_status(status, "rolled_back", message, old=old, new=new)
    return {"state": "rolled_back", "message": message}


def switch_back(root, version, restart=restart_services, health_url=HEALTH, wait=120, status=None):
    """Go back to a kept release staff chose (switched back again if it does not start)."""
    old = current_release(root)
    if version == old or version not in releases(root):
        message = f"本机没有保留 {version} 版，或正在使用它。"
        write_status(status, "refused", message, old=old)
        return {"state": "refused", "message": message}
    write_status(status, "starting", f"正在换回 {version} 版…", old=old, new=version)
    done = f"已换回 {version} 版。{old} 版也保留在本机。"
    return switch_and_check(Path(root), version, old, restart, health_url, wait, status, done)


def apply_request(instance, **options):
    """Apply the update the staff page asked for (instance/updates/request.json), once; remove its bundle after."""
    updates = Path(instance) / UPDATES
    request = updates / REQUEST
    try:
        asked = json.loads(request.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    request.unlink(missing_ok=True)
    if isinstance(asked, dict) and asked.get("switch_to"):
        return switch_back(status=updates / STATUS, version=str(asked["switch_to"]), **options)
    name = Path(str(asked.get("file", ""))).name
    bundle = updates / "incoming" / name
    if not BUNDLE_NAME.fullmatch(name) or not bundle.is_file() or bundle.is_symlink():
        write_status(updates / STATUS, "refused", "没有找到要安装的更新包，请在工作人员页面重新选择。")
        return None
    try:
        return apply(bundle, status=updates / STATUS, **options)
    finally:
        bundle.unlink(missing_ok=True)


def main(argv=None):
    """The command line: make, keygen, check, apply, apply-request."""
    parser = argparse.ArgumentParser(description="展示端软件更新包：制作、签名、检查、安装（失败自动退回）")
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("make", help="write an update bundle from an installer folder made with --no-debs")
    p.add_argument("folder")
    p.add_argument("out")
    p.add_argument("--key", help="sign with this Ed25519 private key (PEM); keep it off the repository")
    p = sub.add_parser("keygen", help="write update-key.pem (private) and update-key.pub into a folder")
    p.add_argument("folder")
    p = sub.add_parser("check", help="check a bundle (signature, every file) without installing it")
    p.add_argument("bundle")
    p.add_argument("--keys", default=KEYS_DIR)
    for name in ("apply", "apply-request"):
        p = sub.add_parser(name, help="install (as root), switching back when the new version is not healthy")
        p.add_argument("bundle" if name == "apply" else "instance")
        p.add_argument("--root", default="/")
        p.add_argument("--health", default=HEALTH)
        p.add_argument("--wait", type=float, default=120)
    args = parser.parse_args(argv)
    try:
        if args.what == "make":
            print(f"更新包已写好：{args.out}（版本 {make(args.folder, args.out, args.key)}）")
        elif args.what == "keygen":
            keygen(args.folder)
            print(f"已生成 {args.folder}/update-key.pem（私钥，妥善保管）和 update-key.pub（公钥，随安装包发给展示端）")
        elif args.what == "check":
            print(f"更新包完好：版本 {check(args.bundle, args.keys)['version']}")
        elif args.what == "apply":
            done = apply(args.bundle, args.root, health_url=args.health, wait=args.wait)
            print(done["message"])
            return 0 if done["state"] == "done" else 1
        else:
            done = apply_request(args.instance, root=args.root, health_url=args.health, wait=args.wait)
            print(done["message"] if done else "没有待安装的更新。")
    except BundleError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
