"""§4 offline bundles: a kiosk's zip checked against its SHA256SUMS, then imported by §1 and §2's rules."""

import json
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import installs, jsontext
from .checksums import sha256_hex
from .db import utc_now, write_transaction
from .errors import CentralError
from .rules import ID_HINT, is_id, is_rfc3339
from .stats import StatsInvalid, check_day, merge_day
from .store import store_items

FORMAT = "wuxiao-bundle/1"
MAX_MEMBER = 256 * 1024 * 1024  # far beyond any event's suggestions; stops a zip bomb
SUM_LINE = re.compile(r"([0-9A-Fa-f]{64}) [ *](.+)")
KEYS = {"format", "kiosk_id", "created_at", "suggestions", "stats"}
INSTALL_MEMBER = "KIOSK-INSTALL"


class BundleRefused(CentralError):
    """The bundle is refused whole; nothing of it was stored."""


@dataclass
class Bundle:
    """A bundle whose checksum matched and whose outline is sound."""

    kiosk_id: str
    created_at: str
    suggestions: list
    stats: list
    sha256: str
    install: str = None


@dataclass
class ImportSummary:
    """What importing a bundle did: a result per suggestion and per day of stats."""

    bundle: Bundle
    results: list
    days: list
    imported_before: list = field(default_factory=list)
    shared_with: list = field(default_factory=list)

    def counts(self):
        """Return how many suggestions got each status."""
        return Counter(result["status"] for result in self.results)

    def needs_staff(self):
        """Return the suggestions and days that were not stored (invalid or conflict)."""
        return [r for r in self.results if r["status"] in ("invalid", "conflict")] + [
            d for d in self.days if d["status"] == "invalid"
        ]


def parse_sums(text):
    """Return {file name: sha256} from a SHA256SUMS file in `sha256sum` format."""
    sums = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        match = SUM_LINE.fullmatch(line.rstrip("\r"))
        if not match:
            raise BundleRefused(f"SHA256SUMS 第 {number} 行不是 sha256sum 格式：{line[:80]!r}")
        sums[match.group(2)] = match.group(1).lower()
    return sums


def read_member(z, name):
    """Return a zip member's bytes, refusing one that is missing or absurdly large."""
    try:
        info = z.getinfo(name)
    except KeyError:
        raise BundleRefused(f"数据包中没有 {name}") from None
    if info.file_size > MAX_MEMBER:
        raise BundleRefused(f"{name} 解压后有 {info.file_size} 字节，超过上限 {MAX_MEMBER} 字节")
    return z.read(name)


def read_zip(path):
    """Return bundle.json's bytes once every checksum in SHA256SUMS matches."""
    try:
        with zipfile.ZipFile(path) as z:
            sums = parse_sums(read_member(z, "SHA256SUMS").decode("utf-8", "replace"))
            if "bundle.json" not in sums:
                raise BundleRefused("SHA256SUMS 中没有 bundle.json 的校验和")
            members = {name: read_member(z, name) for name in sums}
    except FileNotFoundError:
        raise BundleRefused(f"找不到文件 {path}") from None
    except (zipfile.BadZipFile, OSError) as e:
        raise BundleRefused(f"{path} 不是可读的 zip 文件：{e}") from e
    for name, expected in sums.items():
        if sha256_hex(members[name]) != expected:
            raise BundleRefused(f"{name} 的 sha256 与 SHA256SUMS 不符：文件已损坏或被改动，整个数据包不予导入")
    return members["bundle.json"]


def read_bundle(path):
    """Read and check a bundle file; return a Bundle or raise BundleRefused."""
    data = read_zip(path)
    try:
        body = jsontext.loads(data)
    except jsontext.NotJSON as e:
        raise BundleRefused(f"bundle.json：{e}") from e
    if not isinstance(body, dict):
        raise BundleRefused("bundle.json 须为 JSON 对象")
    unknown = sorted(set(body) - KEYS)
    if unknown:
        raise BundleRefused(f"bundle.json · {unknown[0]} · 未知字段")
    if body.get("format") != FORMAT:
        raise BundleRefused(f"bundle.json · format · 须为 {FORMAT}（收到 {body.get('format')!r}）")
    if not is_id(body.get("kiosk_id")):
        raise BundleRefused(f"bundle.json · kiosk_id · 缺少或不是 {ID_HINT}")
    if not is_rfc3339(body.get("created_at")):
        raise BundleRefused("bundle.json · created_at · 缺少或不是带时区偏移的 RFC 3339 时间")
    for key in ("suggestions", "stats"):
        if not isinstance(body.get(key), list):
            raise BundleRefused(f"bundle.json · {key} · 缺少或不是列表")
    return Bundle(
        body["kiosk_id"], body["created_at"], body["suggestions"], body["stats"], sha256_hex(data), read_install(path)
    )


def read_install(path):
    """Return the installation a bundle names in its KIOSK-INSTALL member (beside the contract's), or None."""
    with zipfile.ZipFile(path) as z:
        if INSTALL_MEMBER not in z.namelist() or z.getinfo(INSTALL_MEMBER).file_size > 100:
            return None
        text = z.read(INSTALL_MEMBER).decode("ascii", "replace").strip()
    return text.lower() if installs.UUID.fullmatch(text) else None


def import_day(conn, kiosk_id, entry, now):
    """Merge one day of a bundle's stats as §2 does; return its result."""
    if not isinstance(entry, dict):
        return {"date": None, "status": "invalid", "error": "stats 的每一项须为 JSON 对象"}
    date = entry.get("date")
    try:
        event_id, counters = check_day(entry, date, keys=("date", "event_id", "counters"))
    except StatsInvalid as e:
        return {"date": date, "status": "invalid", "error": str(e)}
    return {
        "date": date,
        "event_id": event_id,
        "status": "stored",
        "stored": merge_day(conn, kiosk_id, date, event_id, counters, now),
    }


def import_bundle(conn, path):
    """Import a bundle file in one transaction; return an ImportSummary or raise BundleRefused."""
    bundle = read_bundle(path)
    with write_transaction(conn):
        before = [
            row[0]
            for row in conn.execute(
                "SELECT imported_at FROM bundle_imports WHERE sha256 = ? ORDER BY id", (bundle.sha256,)
            )
        ]
        results = store_items(conn, bundle.kiosk_id, bundle.suggestions, "bundle")
        now = utc_now()
        days = [import_day(conn, bundle.kiosk_id, entry, now) for entry in bundle.stats]
        summary = ImportSummary(bundle, results, days, before)
        if bundle.install:
            summary.shared_with = installs.note(conn, bundle.kiosk_id, bundle.install, now)
        conn.execute(
            "INSERT INTO bundle_imports (sha256, kiosk_id, created_at, file_name, imported_at, summary) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                bundle.sha256,
                bundle.kiosk_id,
                bundle.created_at,
                Path(path).name,
                now,
                json.dumps(dict(summary.counts()), ensure_ascii=False),
            ),
        )
    return summary
