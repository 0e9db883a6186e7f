"""The reference receiver over HTTP, as a real process: §1 statuses, idempotency, 400/401/403/413/422, §2 stats."""

import http.client
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.central_helpers import KIOSK, TOKENS, Central, new_key, statuses, suggestion

PATH = f"/api/v1/kiosks/{KIOSK}/suggestions"


@pytest.fixture(scope="module")
def central(tmp_path_factory):
    """Run one receiver for the module; tests keep apart by using fresh uuids and keys."""
    server = Central(tmp_path_factory.mktemp("central"))
    yield server
    server.stop()


def stored(central, uuid):
    """Return (moderation, content JSON) stored for uuid, or None."""
    rows = central.rows("SELECT moderation, content FROM suggestions WHERE uuid = ?", (uuid,))
    return (rows[0][0], json.loads(rows[0][1])) if rows else None


def test_created_duplicate_updated_conflict(central):
    item = suggestion()
    assert statuses(central.push([item])) == ["created"]
    assert statuses(central.push([item])) == ["duplicate"]
    reordered = json.loads(json.dumps(dict(reversed(list(item.items())))))
    assert statuses(central.push([reordered])) == ["duplicate"]
    assert statuses(central.push([{**item, "moderation": "approved"}])) == ["updated"]
    assert stored(central, item["uuid"])[0] == "approved"
    reply = central.push(
        [
            {
                **item,
                "moderation": "approved",
                "title": "改过的标题",
                "proposer": {**item["proposer"], "phone": "13900000000"},
            }
        ]
    )
    result = reply.json()["results"][0]
    assert result["status"] == "conflict" and "title" in result["error"] and "proposer.phone" in result["error"]
    moderation, content = stored(central, item["uuid"])
    assert content["title"] == item["title"] and "moderation" not in content and moderation == "approved"
    assert central.rows("SELECT count(*) FROM suggestions WHERE uuid = ?", (item["uuid"],)) == [(1,)]


def test_stored_content_is_canonical_json_without_moderation(central):
    item = suggestion(uuid=suggestion()["uuid"].upper(), title=None, proposer={"name": "李", "unit": None})
    result = central.push([item]).json()["results"][0]
    assert result == {"uuid": item["uuid"], "status": "created"}
    text = central.rows("SELECT content FROM suggestions WHERE uuid = ?", (item["uuid"].lower(),))[0][0]
    expected = {k: v for k, v in item.items() if k != "moderation"}
    expected.update(uuid=item["uuid"].lower(), proposer={"name": "李"})
    assert text == json.dumps(expected, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # The same item with the null spelled out, the uuid in lower case: the same content.
    assert statuses(central.push([{**item, "uuid": item["uuid"].lower(), "title": None}])) == ["duplicate"]


INVALID = [
    ({"uuid": "not-a-uuid"}, "uuid"),
    ({"uuid": None}, "uuid"),
    ({"kiosk_id": "hall-b-2"}, "kiosk_id"),
    ({"kiosk_id": "hall a"}, "kiosk_id"),
    ({"event_id": "tj/2024"}, "event_id"),
    ({"event_id": "x" * 65}, "event_id"),
    ({"created_at": "2024-10-21T10:42:07"}, "created_at"),
    ({"created_at": "2024-10-21 10:42:07+08:00"}, "created_at"),
    ({"created_at": "2024-02-30T10:42:07+08:00"}, "created_at"),
    ({"source": "web"}, "source"),
    ({"title": "题" * 41}, "title"),
    ({"content": ""}, "content"),
    ({"content": "内" * 3001}, "content"),
    ({"content": None}, "content"),
    ({"scope": "范" * 501}, "scope"),
    ({"feasibility": 5}, "feasibility"),
    ({"related_achievement_id": "TJ 2024"}, "related_achievement_id"),
    ({"proposer": {"name": "名" * 21}}, "proposer.name"),
    ({"proposer": {"unit": "单" * 61}}, "proposer.unit"),
    ({"proposer": {"phone": "1380000000"}}, "proposer.phone"),
    ({"proposer": {"phone": "12800000000"}}, "proposer.phone"),
    (
        {
            "proposer": {"phone": "13800000000"},
            "consent": {"authenticity": True, "authorization": True, "contact": False},
        },
        "proposer.phone",
    ),
    ({"proposer": {"email": "a@b.c"}}, "proposer.email"),
    ({"consent": {"authenticity": False, "authorization": True, "contact": True}}, "consent.authenticity"),
    ({"consent": {"authenticity": True, "authorization": "yes", "contact": True}}, "consent.authorization"),
    ({"consent": {"authenticity": True, "authorization": True}}, "consent.contact"),
    ({"consent": None}, "consent"),
    ({"moderation": "rejected"}, "moderation"),
    ({"moderation": None}, "moderation"),
    ({"rating": 5}, "rating"),
]


def test_invalid_items_are_answered_one_by_one_and_the_rest_stored(central):
    good = suggestion()
    items = [good] + [suggestion(**change) for change, _ in INVALID] + ["not an object"]
    results = central.push(items).json()["results"]
    assert [r["status"] for r in results] == ["created"] + ["invalid"] * (len(INVALID) + 1)
    for (change, key), result in zip(INVALID, results[1:]):
        assert result["error"].startswith(key + " ·") or f"；{key} ·" in result["error"], (change, result)
    assert results[-1]["uuid"] is None and "对象" in results[-1]["error"]
    uuids = [r["uuid"] for r in results[1:-1] if isinstance(r["uuid"], str)]
    assert central.rows(f"SELECT count(*) FROM suggestions WHERE uuid IN ({','.join('?' * len(uuids))})", uuids) == [
        (0,)
    ]
    assert stored(central, good["uuid"]) is not None


def test_an_invalid_item_stays_invalid_and_is_not_stored_by_a_retry(central):
    item = suggestion(title="题" * 41)
    for _ in range(2):
        assert statuses(central.push([item])) == ["invalid"]
    assert stored(central, item["uuid"]) is None


def test_limits_are_inclusive_and_anonymous_items_are_fine(central):
    full = suggestion(
        title="题" * 40,
        content="内" * 3000,
        scope="范" * 500,
        proposer={"name": "名" * 20, "unit": "单" * 60},
        consent={"authenticity": True, "authorization": True, "contact": False},
    )
    anonymous = suggestion(
        proposer=None,
        title=None,
        background=None,
        related_achievement_id=None,
        source="kiosk",
        created_at="1970-01-01T00:00:00.123Z",
        moderation="spam",
    )
    assert statuses(central.push([full, anonymous])) == ["created", "created"]


def test_the_same_uuid_twice_in_one_batch(central):
    item = suggestion()
    reply = central.push([item, item, {**item, "moderation": "spam"}, {**item, "content": "别的"}])
    assert statuses(reply) == ["created", "duplicate", "updated", "conflict"]
    assert stored(central, item["uuid"])[0] == "spam"


def test_same_key_and_body_get_the_same_answer_and_nothing_twice(central):
    items, key = [suggestion(), suggestion()], new_key()
    first = central.push(items, key)
    assert statuses(first) == ["created", "created"]
    again = central.push(items, key)
    assert again.status == 200 and again.body == first.body
    # Spacing and key order do not make another body.
    spaced = json.dumps({"items": [dict(reversed(list(i.items()))) for i in items]}, indent=3).encode()
    respaced = central.request(
        "POST", PATH, spaced, {"Idempotency-Key": key.upper(), "Content-Type": "application/json"}
    )
    assert respaced.json() == first.json()
    assert statuses(central.push(items)) == ["duplicate", "duplicate"]
    uuids = [i["uuid"] for i in items]
    assert central.rows("SELECT count(*) FROM suggestions WHERE uuid IN (?, ?)", uuids) == [(2,)]


def test_same_key_with_another_body_is_422(central):
    key = new_key()
    assert statuses(central.push([suggestion()], key)) == ["created"]
    other = suggestion()
    reply = central.push([other], key)
    assert reply.status == 422 and "Idempotency-Key" in reply.json()["error"]
    assert stored(central, other["uuid"]) is None
    assert central.push([other], key, kiosk="hall-b-2", path_kiosk="hall-b-2").status == 200  # keys are per kiosk


@pytest.mark.parametrize(
    "body, headers, reason",
    [
        ({"items": [suggestion()]}, {"Idempotency-Key": None}, "Idempotency-Key"),
        ({"items": [suggestion()]}, {"Idempotency-Key": "batch-1"}, "Idempotency-Key"),
        (b"{not json", {}, "JSON"),
        (b'\xef\xbb\xbf{"items": []}', {}, "BOM"),
        (b"\xff\xfe", {}, "UTF-8"),
        (b'{"items": [{"n": NaN}]}', {}, "NaN"),
        (b'{"items": [], "items": [1]}', {}, "两次"),
        ([suggestion()], {}, "批次"),
        ({"item": [suggestion()]}, {}, "批次"),
        ({"items": {"0": suggestion()}}, {}, "批次"),
        ({"items": []}, {}, "至少"),
        ({"items": [suggestion()], "kiosk_id": KIOSK}, {}, "未知字段"),
        ({"items": [suggestion()]}, {"Content-Type": "text/plain"}, "Content-Type"),
    ],
)
def test_not_a_batch_is_400(central, body, headers, reason):
    sent = {"Idempotency-Key": new_key(), "Content-Type": "application/json", **headers}
    sent = {k: v for k, v in sent.items() if v is not None}
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = central.request("POST", PATH, data, sent)
    assert reply.status == 400 and reply.headers["content-type"] == "application/json"
    assert reason in reply.json()["error"]


def test_tokens_401_and_403(central):
    item = suggestion()
    assert central.push([item], kiosk=None).status == 401
    reply = central.request(
        "POST",
        PATH,
        {"items": [item]},
        {"Idempotency-Key": new_key(), "Authorization": "Bearer wrong-token-0123456789"},
    )
    assert reply.status == 401 and reply.headers["www-authenticate"].startswith("Bearer")
    assert (
        central.request(
            "POST", PATH, {"items": [item]}, {"Idempotency-Key": new_key(), "Authorization": "Basic aGk6aGk="}
        ).status
        == 401
    )
    reply = central.push([item], kiosk="hall-b-2", path_kiosk=KIOSK)
    assert reply.status == 403 and "hall-b-2" in reply.json()["error"]
    assert central.put_stats("2024-10-21", {"event_id": "e", "counters": []}, kiosk=None).status == 401
    assert (
        central.request(
            "PUT", f"/api/v1/kiosks/{KIOSK}/stats/2024-10-21", {"event_id": "e", "counters": []}, kiosk="hall-b-2"
        ).status
        == 403
    )
    assert central.request("GET", "/api/v1/packs", kiosk=None).status == 401
    assert central.request("GET", "/api/v1/packs/any.zip", kiosk=None).status == 401
    assert central.request("GET", "/api/v1/nowhere", kiosk=None).status == 401
    assert central.request("GET", "/api/v1/nowhere").status == 404
    assert stored(central, item["uuid"]) is None


def test_too_large_is_413(central):
    many = central.push([suggestion() for _ in range(501)])
    assert many.status == 413 and "两半" in many.json()["error"]
    five = central.push([suggestion() for _ in range(500)])
    assert statuses(five) == ["created"] * 500
    big = json.dumps({"items": [suggestion(content="内" * 3000) for _ in range(600)]}).encode()
    assert len(big) > 5 * 1024 * 1024
    reply = central.request("POST", PATH, big, {"Idempotency-Key": new_key(), "Content-Type": "application/json"})
    assert reply.status == 413


def test_a_chunked_body_over_the_limit_is_413(central):
    chunk = json.dumps({"items": [suggestion()]}).encode() + b" " * (1024 * 1024)
    conn = http.client.HTTPConnection("127.0.0.1", central.port, timeout=10)
    conn.request(
        "POST",
        PATH,
        body=iter([chunk] * 6),
        encode_chunked=True,
        headers={
            "Authorization": f"Bearer {TOKENS[KIOSK]}",
            "Idempotency-Key": new_key(),
            "Content-Type": "application/json",
            "Transfer-Encoding": "chunked",
        },
    )
    response = conn.getresponse()
    assert response.status == 413
    conn.close()


def counters(central, kiosk, date):
    """Return {(achievement_id, metric): value} held for a kiosk's day."""
    rows = central.rows(
        "SELECT achievement_id, metric, value FROM stats WHERE kiosk_id = ? AND date = ?", (kiosk, date)
    )
    return {(a, m): v for a, m, v in rows}


def test_stats_keep_the_larger_count(central):
    day = "2024-10-21"
    body = {
        "event_id": "tj-2024-expo",
        "counters": [
            {"achievement_id": "TJ2024-001", "metric": "video_play", "value": 41},
            {"achievement_id": None, "metric": "suggestion", "value": 3},
            {"achievement_id": "TJ2024-001", "metric": "detail_view", "value": 0},
        ],
    }
    reply = central.put_stats(day, body)
    assert reply.status == 200 and reply.json() == {"stored": 3}
    assert central.put_stats(day, body).json() == {"stored": 3}
    older = {
        "event_id": "tj-2024-expo",
        "counters": [
            {"achievement_id": "TJ2024-001", "metric": "video_play", "value": 12},
            {"achievement_id": None, "metric": "suggestion", "value": 5},
        ],
    }
    assert central.put_stats(day, older).json() == {"stored": 2}
    assert counters(central, KIOSK, day) == {
        ("TJ2024-001", "video_play"): 41,
        (None, "suggestion"): 5,
        ("TJ2024-001", "detail_view"): 0,
    }
    assert central.put_stats(day, {"event_id": "tj-2024-expo", "counters": []}).json() == {"stored": 0}
    assert central.rows("SELECT count(*) FROM stats WHERE kiosk_id = ? AND date = ?", (KIOSK, day)) == [(3,)]


@pytest.mark.parametrize(
    "date, body",
    [
        ("2024-02-30", {"event_id": "e", "counters": []}),
        ("20241021", {"event_id": "e", "counters": []}),
        ("2024-10-21", {"counters": []}),
        ("2024-10-21", {"event_id": "e"}),
        ("2024-10-21", {"event_id": "e", "counters": [], "kiosk_id": KIOSK}),
        ("2024-10-21", {"event_id": "e", "counters": [{"metric": "video_play", "value": -1}]}),
        ("2024-10-21", {"event_id": "e", "counters": [{"metric": "video_play", "value": 1.5}]}),
        ("2024-10-21", {"event_id": "e", "counters": [{"metric": "video_play", "value": True}]}),
        ("2024-10-21", {"event_id": "e", "counters": [{"metric": "likes", "value": 1}]}),
        ("2024-10-21", {"event_id": "e", "counters": [{"achievement_id": "", "metric": "video_play", "value": 1}]}),
        (
            "2024-10-21",
            {
                "event_id": "e",
                "counters": [
                    {"metric": "video_play", "value": 1},
                    {"achievement_id": None, "metric": "video_play", "value": 2},
                ],
            },
        ),
        ("2024-10-21", [1, 2]),
    ],
)
def test_malformed_stats_are_400(central, date, body):
    reply = central.put_stats(date, body)
    assert reply.status == 400 and reply.json()["error"]
    assert central.rows("SELECT count(*) FROM stats WHERE event_id = 'e'") == [(0,)]


def test_a_path_prefix(tmp_path):
    server = Central(tmp_path, prefix="/wuxiao")
    try:
        assert server.request("GET", "/api/v1/packs").json() == {"packs": []}
        assert statuses(server.push([suggestion()])) == ["created"]
        assert server.request("GET", "/api/v1/packs", raw_path=True).status == 404
    finally:
        server.stop()


def test_concurrent_retries_and_overlapping_batches_store_each_item_once(central):
    items, key = [suggestion() for _ in range(20)], new_key()
    jobs = [(items, key)] * 6 + [(items[i : i + 5], new_key()) for i in range(0, 20, 5)] * 2
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda job: central.push(*job), jobs))
    assert all(r.status == 200 for r in replies)
    assert len({r.body for r in replies[:6]}) == 1  # one key, one answer
    created = [s for r in replies[5:] for s in statuses(r) if s == "created"]  # the key's answer counted once
    assert len(created) == 20 and {s for r in replies for s in statuses(r)} <= {"created", "duplicate"}
    uuids = [i["uuid"] for i in items]
    assert central.rows(f"SELECT count(*) FROM suggestions WHERE uuid IN ({','.join('?' * 20)})", uuids) == [(20,)]


@pytest.mark.parametrize(
    "options, message",
    [
        (["--tokens", "missing.json"], "令牌文件"),
        (["--tokens", "tokens.json", "--db", "no/such/dir/c.db"], "数据库"),
        (["--tokens", "tokens.json", "--packs", "no-such-folder"], "no-such-folder"),
    ],
)
def test_serve_reports_an_operator_error_in_one_line(tmp_path, options, message):
    (tmp_path / "tokens.json").write_text(json.dumps(TOKENS))
    result = subprocess.run(
        [sys.executable, "-m", "central", "serve", "--port", "0", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
