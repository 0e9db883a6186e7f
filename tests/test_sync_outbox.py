"""The outbox: backfilled by its migration losing nothing, kept right by triggers, items as the contract says."""

import json
import sqlite3

import pytest

from kiosk.db import DB_FILE, connect
from kiosk.migrations import migrations
from kiosk.staff import queries as staff_suggestions
from kiosk.suggestions import store as suggestion_store
from sync import outbox
from tests.staff_helpers import add_suggestion, database

FULL = {
    "title": "外业核查照片自动命名",
    "content": "内容",
    "background": "背景",
    "key_problems": "问题",
    "scope": "范畴",
    "feasibility": "可执行",
    "expected_benefits": "成效",
    "proposer_name": "王小明",
    "proposer_unit": "测绘院",
    "proposer_phone": "13800000000",
    "consent_authenticity": True,
    "consent_authorization": True,
    "consent_contact": True,
}


def state(app, uuid):
    """Return the outbox row of one suggestion."""
    with database(app) as db:
        return db["outbox"].get(uuid)


def mark_delivered(app, uuid):
    """Record central's `created` for one suggestion as a push would."""
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(uuid))
        assert outbox.record_results(db, [item], [{"uuid": uuid, "status": "created"}]) == {"created": 1}


def test_migration_backfills_existing_suggestions_as_pending_and_keeps_them(tmp_path):
    path = tmp_path / DB_FILE
    db = connect(path)
    migrations.apply(db, stop_before="m003_outbox")
    assert "outbox" not in db.table_names()
    rows = [
        {
            "uuid": f"00000000-0000-4000-8000-00000000000{i}",
            "kiosk_id": "k",
            "event_id": "e",
            "created_at": "2024-10-21T10:00:00+08:00",
            "source": "kiosk",
            "content": f"第{i}条",
            "receipt_day": "2024-10-21",
            "receipt_seq": i,
            "form_token": f"t{i}",
            "moderation": ("pending", "approved", "spam")[i % 3],
        }
        for i in range(5)
    ]
    db["suggestions"].insert_all(rows)
    db["usage_counts"].insert(
        {"day": "2024-10-21", "event_id": "e", "achievement_id": "", "metric": "suggestion", "value": 5}
    )
    before = [dict(r) for r in db["suggestions"].rows]
    migrations.apply(db)
    assert [dict(r) for r in db["suggestions"].rows] == before
    assert db.execute("SELECT value FROM usage_counts").fetchone()[0] == 5
    assert [(r["uuid"], r["state"], r["attempts"]) for r in db["outbox"].rows_where(order_by="uuid")] == [
        (r["uuid"], "pending", 0) for r in rows
    ]
    assert {"sync_runs", "stats_sent"} <= set(db.table_names())
    db.close()


def test_a_new_suggestion_is_pending_in_the_same_transaction(app):
    with database(app) as db:
        receipt = suggestion_store.keep(db, {**FULL}, kiosk_id="k", event_id="e", source="kiosk", form_token="f1")
        assert db["outbox"].get(receipt["uuid"])["state"] == "pending"
        # The trigger's row belongs to the suggestion's transaction: a rolled-back insert leaves neither.
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO suggestions (uuid, kiosk_id, event_id, created_at, source, content) "
            "VALUES ('x', 'k', 'e', 'now', 'kiosk', 'c')"
        )
        assert db.execute("SELECT state FROM outbox WHERE uuid = 'x'").fetchone() == ("pending",)
        db.conn.rollback()
        assert db.execute("SELECT COUNT(*) FROM outbox WHERE uuid = 'x'").fetchone() == (0,)


def test_moderation_change_after_delivery_queues_it_again(app):
    row = add_suggestion(app)
    mark_delivered(app, row["uuid"])
    assert state(app, row["uuid"])["state"] == "delivered"
    assert state(app, row["uuid"])["sent_moderation"] == "pending"
    with database(app) as db:
        staff_suggestions.set_moderation(db, row["uuid"], "approved")
    assert state(app, row["uuid"])["state"] == "pending"
    mark_delivered(app, row["uuid"])
    with database(app) as db:
        staff_suggestions.set_moderation(db, row["uuid"], "approved")  # the same decision again: nothing to send
    assert state(app, row["uuid"])["state"] == "delivered"


@pytest.mark.parametrize("refusal", ["conflict", "invalid"])
def test_refused_items_stay_refused_whatever_staff_decide(app, refusal):
    row = add_suggestion(app)
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(row["uuid"]))
        outbox.record_results(db, [item], [{"uuid": row["uuid"], "status": refusal, "error": "原因"}])
        staff_suggestions.set_moderation(db, row["uuid"], "spam")
        assert db["outbox"].get(row["uuid"])["state"] == refusal
        assert db["outbox"].get(row["uuid"])["central_error"] == "原因"
        assert outbox.pending_page(db) == []
        assert [r["uuid"] for r in outbox.refused(db)] == [row["uuid"]]


def test_a_decision_made_while_the_item_travelled_is_sent_next_time(app):
    row = add_suggestion(app)
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(row["uuid"]))
        staff_suggestions.set_moderation(db, row["uuid"], "approved")
        outbox.record_results(db, [item], [{"uuid": row["uuid"], "status": "created"}])
        assert db["outbox"].get(row["uuid"])["state"] == "pending"
        assert outbox.pending_page(db)[0]["moderation"] == "approved"


def test_delivered_rows_are_kept_and_counted(app):
    rows = [add_suggestion(app) for _ in range(3)]
    mark_delivered(app, rows[0]["uuid"])
    with database(app) as db:
        assert outbox.counts(db) == {"pending": 2, "delivered": 1, "conflict": 0, "invalid": 0}
        assert db.execute("SELECT COUNT(*) FROM outbox").fetchone()[0] == 3


def test_failures_count_attempts_and_keep_the_reason(app):
    row = add_suggestion(app)
    with database(app) as db:
        outbox.record_failure(db, [row["uuid"]], "超时")
        outbox.record_failure(db, [row["uuid"]], "连接中断")
        found = db["outbox"].get(row["uuid"])
        assert (found["state"], found["attempts"], found["last_error"]) == ("pending", 2, "连接中断")
        assert outbox.last_error(db)["error"] == "连接中断"


def test_an_unanswered_item_stays_pending(app):
    row = add_suggestion(app)
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(row["uuid"]))
        assert outbox.record_results(db, [item], [{"uuid": "someone-else", "status": "created"}]) == {"unanswered": 1}
        assert db["outbox"].get(row["uuid"])["state"] == "pending"


def test_pages_are_keyset_ordered_and_complete(app):
    uuids = sorted(add_suggestion(app)["uuid"] for _ in range(7))
    with database(app) as db:
        seen, after = [], ""
        while page := outbox.pending_page(db, after, 3):
            assert len(page) <= 3
            seen += [s["uuid"] for s in page]
            after = page[-1]["uuid"]
        assert seen == uuids
        assert [s["uuid"] for s in outbox.every_suggestion(db, page=2)] == uuids
        plan = " ".join(
            r[3]
            for r in db.execute(
                "EXPLAIN QUERY PLAN SELECT uuid FROM outbox WHERE state = 'pending' AND uuid > '' ORDER BY uuid LIMIT 3"
            )
        )
        assert "USING COVERING INDEX" in plan and "TEMP B-TREE" not in plan


def test_full_item_has_every_contract_key(app):
    row = add_suggestion(
        app,
        source="phone",
        related_achievement_id="TJ2024-003",
        moderation="approved",
        **{k: v for k, v in FULL.items() if not k.startswith("consent")},
        consent_authenticity=1,
        consent_authorization=1,
        consent_contact=1,
    )
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(row["uuid"]))
    assert item == {
        "uuid": row["uuid"],
        "kiosk_id": "kiosk-1",
        "event_id": "event",
        "created_at": row["created_at"],
        "source": "phone",
        "title": "外业核查照片自动命名",
        "content": "内容",
        "background": "背景",
        "key_problems": "问题",
        "scope": "范畴",
        "feasibility": "可执行",
        "expected_benefits": "成效",
        "related_achievement_id": "TJ2024-003",
        "proposer": {"name": "王小明", "unit": "测绘院", "phone": "13800000000"},
        "consent": {"authenticity": True, "authorization": True, "contact": True},
        "moderation": "approved",
    }
    assert json.loads(json.dumps(item, ensure_ascii=False)) == item


def test_minimal_item_leaves_out_what_is_empty(app):
    row = add_suggestion(app, title=None, background="", proposer_name="", proposer_unit=None)
    with database(app) as db:
        item = outbox.item(db["suggestions"].get(row["uuid"]))
    assert item == {
        "uuid": row["uuid"],
        "kiosk_id": "kiosk-1",
        "event_id": "event",
        "created_at": row["created_at"],
        "source": "kiosk",
        "content": row["content"],
        "consent": {"authenticity": True, "authorization": True, "contact": False},
        "moderation": "pending",
    }
    assert all(type(v) is bool for v in item["consent"].values())


def test_proposer_holds_only_the_fields_given(app):
    row = add_suggestion(app, proposer_unit="测绘院")
    with database(app) as db:
        assert outbox.item(db["suggestions"].get(row["uuid"]))["proposer"] == {"unit": "测绘院"}


def test_a_suggestion_cannot_be_deleted_from_under_its_outbox_row(app):
    row = add_suggestion(app)
    with database(app) as db, pytest.raises(sqlite3.IntegrityError):
        with db.atomic():
            db.execute("DELETE FROM suggestions WHERE uuid = ?", [row["uuid"]])
