"""§3 over HTTP: the receiver lists the zips in its packs folder and serves them with Range."""

import hashlib
from urllib.parse import urljoin

import pytest

from tests.central_helpers import Central, write_pack


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """Run a receiver offering two packs, one zip that is not a pack, and a stray file, under a prefix."""
    tmp = tmp_path_factory.mktemp("packs")
    packs = tmp / "packs"
    packs.mkdir()
    write_pack(packs / "demo-2024-v2.zip", "demo-2024", 2, "演示内容包")
    write_pack(packs / "tj 天津.zip", "tj-2024", 1, "天津展", folder="tj-2024/")
    (packs / "broken.zip").write_bytes(b"PK not really")
    (packs / "notes.txt").write_text("not a pack")
    server = Central(tmp, packs=packs, prefix="/wuxiao/")
    server.packs = packs
    yield server
    server.stop()


def base(central):
    """Return the base URL a kiosk would be given, with its path."""
    return f"http://127.0.0.1:{central.port}/wuxiao/"


def listing(central):
    """Return the pack list, by pack_id."""
    reply = central.request("GET", "/api/v1/packs")
    assert reply.status == 200
    return {p["pack_id"]: p for p in reply.json()["packs"]}


def test_list_reads_pack_json_and_hashes_the_zip(central):
    packs = listing(central)
    assert set(packs) == {"demo-2024", "tj-2024"}
    demo = packs["demo-2024"]
    data = (central.packs / "demo-2024-v2.zip").read_bytes()
    assert demo == {
        "pack_id": "demo-2024",
        "version": 2,
        "title": "演示内容包",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "url": "api/v1/packs/demo-2024-v2.zip",
    }
    assert packs["tj-2024"]["title"] == "天津展"


def path_of(central, pack):
    """Return the request path of a pack's url, resolved against the base URL."""
    return urljoin(base(central), pack["url"]).split(str(central.port), 1)[1]


def test_download_whole_and_by_range(central):
    pack = listing(central)["tj-2024"]
    data = (central.packs / "tj 天津.zip").read_bytes()
    path = path_of(central, pack)
    whole = central.request("GET", path, raw_path=True)
    assert whole.status == 200 and whole.body == data and whole.headers["content-type"] == "application/zip"
    assert hashlib.sha256(whole.body).hexdigest() == pack["sha256"]
    first = central.request("GET", path, headers={"Range": "bytes=0-999"}, raw_path=True)
    rest = central.request("GET", path, headers={"Range": "bytes=1000-"}, raw_path=True)
    assert (first.status, rest.status) == (206, 206)
    assert first.headers["content-range"] == f"bytes 0-999/{len(data)}" and first.body + rest.body == data
    tail = central.request("GET", path, headers={"Range": "bytes=-100"}, raw_path=True)
    assert tail.status == 206 and tail.body == data[-100:]
    beyond = central.request("GET", path, headers={"Range": f"bytes={len(data)}-"}, raw_path=True)
    assert beyond.status == 416


def test_only_listed_packs_are_served(central):
    for name in ("broken.zip", "notes.txt", "..%2Fcentral.db", "nothing.zip"):
        reply = central.request("GET", f"/api/v1/packs/{name}")
        assert reply.status == 404 and reply.json()["error"]


def test_a_pack_added_or_replaced_later_is_listed(central):
    write_pack(central.packs / "late.zip", "late-2024", 1, "后来的")
    assert listing(central)["late-2024"]["version"] == 1
    write_pack(central.packs / "late.zip", "late-2024", 3, "后来的，第三版")
    late = listing(central)["late-2024"]
    data = (central.packs / "late.zip").read_bytes()
    assert late["version"] == 3 and late["sha256"] == hashlib.sha256(data).hexdigest()
