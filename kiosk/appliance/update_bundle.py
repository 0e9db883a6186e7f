"""An update bundle (one .tar on a USB stick): making and signing it, and checking it file by file while unpacking
it. SHA256SUMS lists every file (update.json too); SHA256SUMS.sig is its Ed25519 signature (pyca/cryptography)."""

import base64
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk import clock

FORMAT = "wuxiao-update/1"
META, SUMS, SIGNATURE = "update.json", "SHA256SUMS", "SHA256SUMS.sig"
KEYS_DIR = "/etc/wuxiao-kiosk/update-keys"
VERSION_RULE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")
BUNDLE_NAME = re.compile(r"wuxiao-update-.+\.tar")


class BundleError(Exception):
    """An update bundle that must not be installed; the message is for staff, in Chinese."""


def digest(path):
    """Return a file's SHA-256 as hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def bundle_files(folder):
    """Return the files of an installer folder that go into an update: everything but the Debian packages."""
    folder = Path(folder)
    return sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] != "debs"
    )


def add_bytes(tar, name, data):
    """Add a small file to the tar from memory."""
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o644, int(max(clock.now().timestamp(), 0))
    tar.addfile(info, io.BytesIO(data))


def make(folder, out, private_key=None):
    """Write the update bundle of an installer folder (made with --no-debs) to out; sign it with the PEM
    private key at private_key when given. Return its version."""
    folder, out = Path(folder), Path(out)
    version = (folder / "app" / "VERSION").read_text(encoding="utf-8").strip()
    if not VERSION_RULE.fullmatch(version):
        raise BundleError(f"版本号“{version}”不合规")
    meta = json.dumps({"format": FORMAT, "version": version, "made_at": clock.timestamp()}, ensure_ascii=False)
    files = bundle_files(folder)
    sums = f"{hashlib.sha256(meta.encode()).hexdigest()}  {META}\n"
    sums += "".join(f"{digest(folder / name)}  {name}\n" for name in files)
    part = out.with_name(out.name + ".part")
    with tarfile.open(part, "w") as tar:
        add_bytes(tar, META, meta.encode())
        add_bytes(tar, SUMS, sums.encode())
        if private_key:
            key = serialization.load_pem_private_key(Path(private_key).read_bytes(), password=None)
            add_bytes(tar, SIGNATURE, base64.b64encode(key.sign(sums.encode())) + b"\n")
        for name in files:
            tar.add(folder / name, arcname=name, recursive=False)
    os.replace(part, out)
    return version


def keygen(folder):
    """Write a new signing key pair: update-key.pem (private, 0600: keep it off the kiosks and the repository)
    and update-key.pub (for the kiosks' update-keys folder)."""
    folder = Path(folder)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(folder / "update-key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (folder / "update-key.pub").write_bytes(public)


def keys_under(root):
    """Return the update-keys folder of the system installed under root (/ on a kiosk)."""
    return Path(root) / KEYS_DIR.lstrip("/")


def trusted_keys(keys_dir):
    """Return the public keys the kiosk trusts (*.pub in keys_dir); none means checksums only."""
    keys = []
    for path in sorted(Path(keys_dir).glob("*.pub")) if Path(keys_dir).is_dir() else []:
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except ValueError:
            continue
        if isinstance(key, Ed25519PublicKey):
            keys.append(key)
    return keys


def check_signature(sums, signature, keys):
    """Refuse a bundle not signed by one of keys (when the kiosk has any)."""
    if not keys:
        return
    if signature is None:
        raise BundleError("这个更新包没有签名，而本机只接受签名的更新包。请向发布单位要签名的更新包。")
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except ValueError:
        raw = b""
    for key in keys:
        try:
            key.verify(raw, sums)
            return
        except InvalidSignature:
            continue
    raise BundleError("更新包的签名不对：它不是由本机信任的发布单位签发的，或已被改动。")


def read_sums(sums):
    """Return {name: sha256} from SHA256SUMS text; refuse a malformed one."""
    listed = {}
    for line in sums.decode("utf-8", "replace").splitlines():
        match = re.fullmatch(r"([0-9a-f]{64})  (\S.*)", line)
        if not match:
            raise BundleError("更新包的校验清单已损坏。")
        listed[match[2]] = match[1]
    return listed


def open_member(tar, name):
    """Return a small member's bytes, or None when it is missing."""
    try:
        f = tar.extractfile(name)
    except KeyError:
        return None
    return f.read(1 << 20) if f else None


def unpack(bundle, dest, keys):
    """Check the bundle (signature when keys, every file's SHA-256, nothing unlisted) while unpacking it into dest;
    return its update.json. Raise BundleError with a reason staff can read."""
    try:
        tar = tarfile.open(bundle, "r:")
    except (OSError, tarfile.TarError):
        raise BundleError("这不是更新包，或文件没有拷完整（打不开）。请重新拷贝。") from None
    with tar:
        try:
            sums = open_member(tar, SUMS)
            if sums is None:
                raise BundleError("这不是本展示端的更新包（缺少校验清单）。")
            check_signature(sums, open_member(tar, SIGNATURE), keys)
            listed = read_sums(sums)
            seen = set()
            for member in tar:
                if member.name in (SUMS, SIGNATURE) or member.isdir():
                    continue
                if member.name not in listed or not member.isfile():
                    raise BundleError(f"更新包里有清单之外的文件：{member.name}")
                tar.extract(member, dest, filter="data")
                if digest(Path(dest) / member.name) != listed[member.name]:
                    raise BundleError(f"文件校验不对：{member.name}。文件在拷贝中损坏了，请重新拷贝更新包。")
                seen.add(member.name)
        except (tarfile.TarError, EOFError, OSError) as e:
            raise BundleError(f"更新包不完整或已损坏（{type(e).__name__}），请重新拷贝。") from None
    missing = sorted(set(listed) - seen)
    if missing:
        raise BundleError(f"更新包缺少文件：{missing[0]}{' 等' if len(missing) > 1 else ''}，请重新拷贝。")
    meta = json.loads((Path(dest) / META).read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or not VERSION_RULE.fullmatch(str(meta.get("version", ""))):
        raise BundleError("更新包的格式不是本展示端能装的版本。")
    return meta


def peek(bundle):
    """Return the version a bundle says it holds (not yet checked: for showing it), or None."""
    try:
        with tarfile.open(bundle, "r:") as tar:
            meta = json.loads(open_member(tar, META) or b"{}")
    except (OSError, tarfile.TarError, ValueError):
        return None
    version = str(meta.get("version", "")) if isinstance(meta, dict) else ""
    return version if VERSION_RULE.fullmatch(version) else None


def check(bundle, keys_dir=KEYS_DIR, work=None):
    """Check a bundle by unpacking it into a throw-away folder; return its update.json."""
    with tempfile.TemporaryDirectory(prefix="wuxiao-update-", dir=work) as folder:
        return unpack(bundle, folder, trusted_keys(keys_dir))
