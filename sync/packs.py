"""Content packs from central: list them, download with resume (Range, a .part file), check sha256, import."""

import http.client
import re
from dataclasses import dataclass
from pathlib import Path

from kiosk import os_errors
from kiosk.media.store import file_sha256
from sync.http import RetryLater
from sync.retry import GaveUp

CHUNK = 1024 * 1024
FOLDER = "incoming-packs"
SAFE = re.compile(r"[^A-Za-z0-9._-]")


class ChecksumError(Exception):
    """A downloaded pack is not the file central described."""


@dataclass
class Outcome:
    """What pull did with one offered pack: skipped, imported, refused or failed, and why."""

    pack: dict
    status: str
    message: str = ""
    result: object = None


def offered(central):
    """Return the packs central offers, as listed by GET /api/v1/packs."""
    data = central.request("GET", "/api/v1/packs").json()
    packs = data.get("packs") if isinstance(data, dict) else None
    if not isinstance(packs, list):
        raise RetryLater("中央系统的内容包列表无法识别")
    return [p for p in packs if isinstance(p, dict) and p.get("pack_id") and p.get("url")]


def installed(db):
    """Return {pack_id: version} of the packs the kiosk holds."""
    return dict(db.execute("SELECT pack_id, version FROM packs").fetchall())


def part_path(folder, pack):
    """Return where a pack's download is kept until it is complete."""
    name = SAFE.sub("_", f"{pack['pack_id']}-v{pack['version']}")
    return Path(folder) / FOLDER / f"{name}.zip.part"


def content_range_start(value):
    """Return the first byte of a `bytes a-b/n` Content-Range, or None."""
    match = re.fullmatch(r"bytes (\d+)-\d+/(\d+|\*)", (value or "").strip())
    return int(match.group(1)) if match else None


def fetch(central, pack, part, progress=None):
    """Download pack into part from where it stopped; one try. Raises RetryLater when the stream breaks."""
    have = part.stat().st_size if part.exists() else 0
    size = pack.get("size")
    if size is not None and have >= size:
        return
    headers = {"Range": f"bytes={have}-"} if have else {}
    response, conn = central.open("GET", pack["url"], headers=headers)
    try:
        if response.status == 416:
            # The server has nothing past what we hold: the file is whole or not the one we began.
            response.read()
            if size is None or have != size:
                part.unlink(missing_ok=True)
                raise RetryLater("已下载的部分与中央的文件不一致，重新下载")
            return
        if response.status == 206 and content_range_start(response.getheader("Content-Range")) == have:
            mode = "ab"
        elif response.status == 200:
            mode, have = "wb", 0
        elif response.status == 206:
            part.unlink()
            raise RetryLater("中央系统返回的范围与断点不符，重新下载")
        else:
            central.check(response, response.read())
            raise RetryLater(f"中央系统没有按请求的范围回答（{response.status}）")
        with part.open(mode) as f:
            while True:
                try:
                    chunk = response.read(CHUNK)
                except TimeoutError as e:
                    raise RetryLater("下载超时，下次从断点继续") from e
                except (OSError, http.client.HTTPException) as e:
                    raise RetryLater(f"下载中断（{e.__class__.__name__}），下次从断点继续") from e
                if not chunk:
                    break
                f.write(chunk)
                have += len(chunk)
                if progress:
                    progress(have, size or have)
        if size is not None and have < size:
            raise RetryLater(f"下载中断（已得 {have} / {size} 字节），下次从断点继续")
    finally:
        conn.close()


def download(central, pack, folder, retry, progress=None):
    """Download a pack completely into the instance folder and check it; return the .zip path."""
    part = part_path(folder, pack)
    part.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(2):
        retry.call(lambda: fetch(central, pack, part, progress))
        size, digest = part.stat().st_size, file_sha256(part)
        if (pack.get("size") is None or size == pack["size"]) and digest == str(pack.get("sha256", "")).lower():
            done = part.with_suffix("")
            part.replace(done)
            return done
        # A resumed file goes wrong if central replaced the pack meanwhile: start once more from scratch.
        part.unlink()
    raise ChecksumError(f"下载的文件校验不符（sha256 {digest[:12]}…，应为 {str(pack.get('sha256'))[:12]}…）")


def pull(db, central, folder, retry, importer, on_start=None, progress=None):
    """Download and import every offered pack newer than the installed one; return an Outcome per pack.

    importer(path) imports a pack zip and returns the importer's result. Stop propagates."""
    have = installed(db)
    outcomes = []
    for pack in retry.call(lambda: offered(central)):
        label = f"{pack['pack_id']} v{pack.get('version')}"
        if isinstance(pack.get("version"), int) and have.get(pack["pack_id"], 0) >= pack["version"]:
            outcomes.append(Outcome(pack, "skipped", f"{label} 已安装，无需下载"))
            continue
        if on_start:
            on_start(pack)
        try:
            path = download(central, pack, folder, retry, progress)
        except (GaveUp, ChecksumError) as e:
            outcomes.append(Outcome(pack, "failed", f"{label} 下载失败：{e}"))
            continue
        except OSError as e:  # the kiosk's own disk: full, read-only…
            outcomes.append(Outcome(pack, "failed", f"{label} 下载失败：{os_errors.describe(e)}"))
            continue
        result = importer(path)
        if result.ok:
            path.unlink(missing_ok=True)
            outcomes.append(Outcome(pack, "imported", result.message or f"{label} 已导入"))
        else:
            outcomes.append(Outcome(pack, "refused", f"{label} 导入被拒绝（文件保留在 {path}）", result))
    return outcomes
