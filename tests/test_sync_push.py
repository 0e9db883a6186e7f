"""The push run against a scripted central: batch limits, a stable key per batch, halves on 413, stops and progress."""

import json
import tracemalloc
import uuid

import pytest

from sync import outbox
from sync.http import Answer, KeyConflict, RetryLater, Stop, TooLarge
from sync.push import Push
from sync.retry import Retry
from tests.staff_helpers import add_suggestion, database


class ScriptedCentral:
    """Answers pushes as central would, after raising the scripted failures for the first requests."""

    base_url = "http://central.test/"
    kiosk_id = "kiosk-1"

    def __init__(self, failures=(), too_large_over=None):
        self.failures = list(failures)
        self.too_large_over = too_large_over
        self.requests = []

    def request(self, method, path, payload=None, headers=None, body=None):
        """Record the request, then fail as scripted or answer every item `created`."""
        items = json.loads(body)["items"] if body is not None else None
        self.requests.append(
            {
                "method": method,
                "path": path,
                "key": (headers or {}).get("Idempotency-Key"),
                "uuids": [i["uuid"] for i in items] if items else None,
                "size": len(body or b""),
            }
        )
        if self.failures:
            raise self.failures.pop(0)
        if items is None:
            return Answer(200, body=b'{"stored": 1}')
        if self.too_large_over and len(items) > self.too_large_over:
            raise TooLarge("413")
        return Answer(
            200, body=json.dumps({"results": [{"uuid": i["uuid"], "status": "created"} for i in items]}).encode()
        )


def posts(central):
    """Return the suggestion POSTs central received."""
    return [r for r in central.requests if r["method"] == "POST"]


def run(app, central, **options):
    """Run one push with instant retries; return its report."""
    retry = Retry(tries=options.pop("tries", 4), sleep=lambda s: None)
    with database(app) as db:
        return Push(db, central, retry, **options).run()


def test_batches_hold_at_most_500_items_and_each_item_is_sent_once(app):
    with database(app) as db:
        db["suggestions"].insert_all(
            [
                {
                    "uuid": str(uuid.uuid4()),
                    "kiosk_id": "kiosk-1",
                    "event_id": "e",
                    "created_at": "2024-10-21T10:00:00+08:00",
                    "source": "kiosk",
                    "content": "内容",
                    "consent_authenticity": 1,
                    "consent_authorization": 1,
                    "consent_contact": 0,
                    "receipt_day": "d",
                    "receipt_seq": i,
                }
                for i in range(1203)
            ]
        )
    central = ScriptedCentral()
    seen = []
    report = run(app, central, progress=lambda done, total: seen.append((done, total)))
    sizes = [len(r["uuids"]) for r in posts(central)]
    assert sizes == [500, 500, 203]
    assert len({u for r in posts(central) for u in r["uuids"]}) == 1203
    assert seen == [(500, 1203), (1000, 1203), (1203, 1203)]
    assert report.result == "ok" and report.answers == {"created": 1203}


def test_batches_stay_under_the_byte_limit(app):
    for _ in range(9):
        add_suggestion(app, content="长" * 3000)
    central = ScriptedCentral()
    run(app, central, max_bytes=30_000)
    assert [len(r["uuids"]) for r in posts(central)] == [3, 3, 3]
    assert all(r["size"] <= 30_000 for r in posts(central))


def test_a_batch_keeps_its_key_and_body_across_retries(app):
    rows = [add_suggestion(app) for _ in range(3)]
    central = ScriptedCentral([RetryLater("500"), RetryLater("timeout"), RetryLater("429", retry_after=1)])
    report = run(app, central)
    keys = [r["key"] for r in posts(central)]
    assert len(keys) == 4 and len(set(keys)) == 1 and uuid.UUID(keys[0])
    assert len({r["size"] for r in posts(central)}) == 1
    assert report.result == "ok"
    with database(app) as db:
        assert {r["uuid"]: r["attempts"] for r in db["outbox"].rows} == {r["uuid"]: 4 for r in rows}


def test_413_splits_in_halves_each_under_a_new_key(app):
    for _ in range(10):
        add_suggestion(app)
    central = ScriptedCentral(too_large_over=3)
    report = run(app, central)
    sent = posts(central)
    assert [len(r["uuids"]) for r in sent] == [10, 5, 2, 3, 5, 2, 3]
    assert len({r["key"] for r in sent}) == len(sent)
    assert report.result == "ok" and report.answers == {"created": 10}


def test_422_sends_the_batch_again_under_a_new_key(app):
    add_suggestion(app)
    central = ScriptedCentral([KeyConflict("422")])
    assert run(app, central).result == "ok"
    first, second = posts(central)
    assert first["key"] != second["key"] and first["uuids"] == second["uuids"]


def test_a_stop_ends_the_run_and_leaves_everything_pending(app):
    for _ in range(3):
        add_suggestion(app)
    central = ScriptedCentral([Stop("令牌不对", 401)])
    report = run(app, central)
    assert report.result == "stopped" and report.stopped == "令牌不对"
    assert len(central.requests) == 1
    assert report.left["pending"] == 3


def test_central_unreachable_ends_the_run_without_trying_further_batches(app):
    for _ in range(5):
        add_suggestion(app)
    central = ScriptedCentral([RetryLater("down")] * 100)
    report = run(app, central, max_items=2, tries=3)
    assert report.result == "unreachable" and "3 次" in report.gave_up
    assert len(central.requests) == 3
    with database(app) as db:
        assert outbox.counts(db)["pending"] == 5
        assert outbox.last_error(db)["error"] == "down"


def test_a_short_answer_counts_as_unknown_and_is_retried(app):
    add_suggestion(app)
    add_suggestion(app)
    central = ScriptedCentral()
    answers = iter([Answer(200, body=b'{"results": []}'), Answer(200, body=b"not json")])
    original = central.request

    def request(*args, **kwargs):
        answer = original(*args, **kwargs)
        return next(answers, answer)

    central.request = request
    assert run(app, central).result == "ok"
    assert len({r["key"] for r in posts(central)}) == 1 and len(posts(central)) == 3


def test_figures_are_put_per_day_and_not_again_when_unchanged(app):
    with database(app) as db:
        db["usage_counts"].insert_all(
            [
                {"day": "2024-10-21", "event_id": "e", "achievement_id": "", "metric": "suggestion", "value": 2},
                {"day": "2024-10-21", "event_id": "e", "achievement_id": "A1", "metric": "detail_view", "value": 9},
                {"day": "2024-10-22", "event_id": "e", "achievement_id": "A1", "metric": "detail_view", "value": 1},
            ]
        )
    central = ScriptedCentral()
    assert run(app, central).days_sent == 2
    assert [r["path"] for r in central.requests] == [
        "/api/v1/kiosks/kiosk-1/stats/2024-10-21",
        "/api/v1/kiosks/kiosk-1/stats/2024-10-22",
    ]
    with database(app) as db:
        db.execute("UPDATE usage_counts SET value = 3 WHERE day = '2024-10-22'")
        db.conn.commit()
    again = ScriptedCentral()
    report = run(app, again)
    assert (report.days_sent, report.days_unchanged) == (1, 1)
    assert [r["path"] for r in again.requests] == ["/api/v1/kiosks/kiosk-1/stats/2024-10-22"]


@pytest.mark.parametrize("page", [1, 3])
def test_the_run_reads_one_page_at_a_time(app, monkeypatch, page):
    for _ in range(7):
        add_suggestion(app)
    pages = []
    real = outbox.pending_page

    def spy(db, after="", limit=500):
        found = real(db, after, limit)
        pages.append(len(found))
        return found

    monkeypatch.setattr(outbox, "pending_page", spy)
    run(app, ScriptedCentral(), max_items=page)
    assert max(pages) <= page and sum(pages) == 7


def test_a_run_holds_memory_flat_whatever_the_backlog(app):
    def bulk(count):
        with database(app) as db:
            db["suggestions"].insert_all(
                {
                    "uuid": str(uuid.uuid4()),
                    "kiosk_id": "kiosk-1",
                    "event_id": "e",
                    "source": "kiosk",
                    "created_at": "2024-10-21T10:00:00+08:00",
                    "content": "长" * 1500,
                    "background": "背" * 500,
                    "consent_authenticity": 1,
                    "consent_authorization": 1,
                    "consent_contact": 0,
                }
                for _ in range(count)
            )

    def peak():
        tracemalloc.start()
        try:
            assert run(app, ScriptedCentral()).result == "ok"
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    bulk(600)  # more than one batch
    small = peak()
    bulk(3000)  # about 20 MB of text if it were held at once
    large = peak()
    assert large < small * 1.3, (small, large)
