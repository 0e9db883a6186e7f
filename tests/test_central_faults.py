"""`serve --test-faults FILE` (hidden, tests only): the receiver fails chosen requests as networks and servers do."""

import http.client
import json
import subprocess
import sys
import time

import pytest

from tests.central_helpers import KIOSK, TOKENS, Central, new_key, statuses, suggestion, write_faults, write_pack
from tests.support import ROOT

PATH = f"/api/v1/kiosks/{KIOSK}/suggestions"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """Run one receiver whose faults file each test rewrites (the receiver reads it again when it changes)."""
    tmp = tmp_path_factory.mktemp("faults")
    faults = tmp / "faults.json"
    write_faults(faults, [])
    server = Central(tmp, faults=faults)
    server.faults = faults
    yield server
    server.stop()


def arm(central, plan):
    """Replace the receiver's fault plan (its counters start over)."""
    write_faults(central.faults, plan)


def held(central, item):
    """Return how many times item's uuid is stored (0 or 1)."""
    return central.rows("SELECT count(*) FROM suggestions WHERE uuid = ?", (item["uuid"],))[0][0]


def push_raw(central, items, key, timeout=10):
    """POST a batch over a fresh connection; return the live response (its errors are the test's business)."""
    conn = http.client.HTTPConnection("127.0.0.1", central.port, timeout=timeout)
    try:
        conn.request(
            "POST",
            PATH,
            body=json.dumps({"items": items}).encode(),
            headers={
                "Authorization": f"Bearer {TOKENS[KIOSK]}",
                "Idempotency-Key": key,
                "Content-Type": "application/json",
            },
        )
        return conn, conn.getresponse()
    except BaseException:
        conn.close()
        raise


@pytest.mark.parametrize(
    "mode, status", [("500_before_store", 500), ("503", 503), ("429", 429), ("413", 413), ("401", 401), ("403", 403)]
)
def test_status_faults_answer_without_storing(central, mode, status):
    arm(central, [{"path": "suggestions", "mode": mode, "retry_after": 7}])
    item, key = suggestion(), new_key()
    reply = central.push([item], key)
    assert reply.status == status and reply.headers["x-fault"] == mode and "error" in reply.json()
    assert reply.headers.get("retry-after") == ("7" if status in (429, 503) else None)
    assert held(central, item) == 0
    assert statuses(central.push([item], key)) == ["created"]  # `times` defaults to 1


def test_drop_after_store_closes_the_connection_after_the_commit(central):
    arm(central, [{"path": "suggestions", "mode": "drop_after_store"}])
    item, key = suggestion(), new_key()
    with pytest.raises(http.client.RemoteDisconnected):
        push_raw(central, [item], key)
    assert held(central, item) == 1
    # The kiosk sends the same batch again: the answer it never got, and nothing stored twice.
    assert statuses(central.push([item], key)) == ["created"]
    assert statuses(central.push([item])) == ["duplicate"]
    assert held(central, item) == 1
    assert "Traceback" not in central.log_path.read_text()


def test_drop_before_store_closes_the_connection_and_stores_nothing(central):
    arm(central, [{"path": "suggestions", "mode": "drop_before_store"}])
    item = suggestion()
    with pytest.raises(http.client.RemoteDisconnected):
        push_raw(central, [item], new_key())
    assert held(central, item) == 0


def test_500_after_store(central):
    arm(central, [{"path": "suggestions", "mode": "500_after_store"}])
    item, key = suggestion(), new_key()
    assert central.push([item], key).status == 500
    assert held(central, item) == 1
    assert statuses(central.push([item], key)) == ["created"]


def test_truncate_after_store_breaks_the_answer_half_way(central):
    arm(central, [{"path": "suggestions", "mode": "truncate_after_store"}])
    item = suggestion()
    conn, response = push_raw(central, [item], new_key())
    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead):
        response.read()
    conn.close()
    assert held(central, item) == 1


def test_delay_and_delay_after_store(central):
    arm(central, [{"path": "suggestions", "mode": "delay", "seconds": 0.6}])
    started = time.monotonic()
    assert statuses(central.push([suggestion()])) == ["created"]
    assert time.monotonic() - started >= 0.6
    arm(central, [{"path": "suggestions", "mode": "delay_after_store", "seconds": 1.5}])
    item, key = suggestion(), new_key()
    with pytest.raises(TimeoutError):
        push_raw(central, [item], key, timeout=0.5)
    assert held(central, item) == 1  # stored while the kiosk gave up waiting
    assert statuses(central.push([item], key)) == ["created"]


def test_skip_every_times_and_path(central):
    arm(central, [{"path": "suggestions", "mode": "500_before_store", "skip": 1, "every": 2, "times": 2}])
    codes = [central.push([suggestion()]).status for _ in range(6)]
    assert codes == [200, 500, 200, 500, 200, 200]
    arm(central, {"rules": [{"path": "/stats/", "mode": "503", "times": None, "method": "PUT"}]})
    assert statuses(central.push([suggestion()])) == ["created"]
    day = {"event_id": "e", "counters": []}
    assert [central.put_stats("2024-10-21", day).status for _ in range(3)] == [503, 503, 503]
    arm(central, [])
    assert central.put_stats("2024-10-21", day).status == 200


def test_a_pack_download_cut_short_resumes_with_range(tmp_path):
    packs = tmp_path / "packs"
    packs.mkdir()
    data = write_pack(packs / "p.zip", "p-2024", 1, "包").read_bytes()
    faults = tmp_path / "faults.json"
    write_faults(faults, [{"path": "/packs/p.zip", "mode": "truncate_after_store"}])
    server = Central(tmp_path, packs=packs, faults=faults)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        conn.request("GET", "/api/v1/packs/p.zip", headers={"Authorization": f"Bearer {TOKENS[KIOSK]}"})
        response = conn.getresponse()
        with pytest.raises(http.client.IncompleteRead) as broken:
            response.read()
        conn.close()
        got = broken.value.partial
        assert 0 < len(got) < len(data)
        rest = server.request("GET", "/api/v1/packs/p.zip", headers={"Range": f"bytes={len(got)}-"})
        assert rest.status == 206 and got + rest.body == data
    finally:
        server.stop()


def sync_until_delivered(central, batches, tries=40):
    """Send each batch as a kiosk does, under one key, until it is answered; return what happened."""
    seen = []
    for items, key in batches:
        for _ in range(tries):
            try:
                conn, response = push_raw(central, items, key, timeout=2)
                try:
                    body = response.read()
                finally:
                    conn.close()
            except (OSError, http.client.HTTPException) as e:
                seen.append(type(e).__name__)
                continue
            seen.append(response.status)
            if response.status == 200:
                assert [r["status"] for r in json.loads(body)["results"]] == ["created"] * len(items)
                break
        else:
            raise AssertionError(f"never delivered: {seen}")
    return seen


def test_random_faults_are_mixed_seeded_and_never_store_twice(central):
    plan = {"random": {"path": "suggestions", "fraction": 0.5, "seed": 15, "seconds": 0.1}}
    batches = [([suggestion() for _ in range(3)], new_key()) for _ in range(12)]
    arm(central, plan)
    seen = sync_until_delivered(central, batches)
    kinds = set(map(str, seen))
    assert {"200", "500", "429", "503", "RemoteDisconnected", "IncompleteRead"} <= kinds, json.dumps(seen)
    uuids = [i["uuid"] for items, _ in batches for i in items]
    assert central.rows(f"SELECT count(*) FROM suggestions WHERE uuid IN ({','.join('?' * len(uuids))})", uuids) == [
        (36,)
    ]
    # The same seed gives the same sequence of outcomes.
    arm(central, {"random": {**plan["random"], "seconds": 0.1000001}})
    again = sync_until_delivered(central, [([suggestion() for _ in range(3)], new_key()) for _ in range(12)])
    assert again == seen


def test_an_unusable_faults_file_stops_the_start(tmp_path):
    faults = tmp_path / "faults.json"
    write_faults(faults, [{"path": "suggestions", "mode": "explode"}])
    (tmp_path / "tokens.json").write_text(json.dumps(TOKENS))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "central",
            "serve",
            "--port",
            "0",
            "--db",
            str(tmp_path / "c.db"),
            "--tokens",
            str(tmp_path / "tokens.json"),
            "--test-faults",
            str(faults),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "mode" in result.stderr and "Traceback" not in result.stderr


def test_the_option_is_hidden_and_warns_loudly(central):
    shown = subprocess.run(
        [sys.executable, "-m", "central", "serve", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    assert shown.returncode == 0 and "--packs" in shown.stdout and "faults" not in shown.stdout
    log = central.log_path.read_text()
    assert "已启用故障注入" in log and "TEST ONLY" in log and "never run this for a union office" in log
