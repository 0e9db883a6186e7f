"""Push against the reference receiver run as a real subprocess: delivery, updates, refusals, faults, figures."""

import pytest

from kiosk.staff import queries as staff_suggestions
from sync import outbox
from sync.http import Central
from sync.push import Push
from sync.retry import Retry
from tests.staff_helpers import add_suggestion, database
from tests.sync_helpers import (
    KIOSK_ID,
    OTHER_TOKEN,
    TOKEN,
    assert_central_holds_exactly,
    outbox_states,
    push,
    visitor_suggestions,
)

SUGGESTIONS = f"/api/v1/kiosks/{KIOSK_ID}/suggestions"


def test_push_delivers_every_suggestion_exactly_once(receiver, kiosk):
    visitor_suggestions(kiosk, 1203)
    result, _ = push(kiosk)
    assert result.exit_code == 0, result.output
    assert "本次发送 1203 条：新收 1203" in result.output and "全部送达" in result.output
    assert_central_holds_exactly(receiver, kiosk)
    assert [n for (n,) in receiver.rows("SELECT COUNT(*) FROM batches")] == [3]
    assert outbox_states(kiosk) == {"pending": 0, "delivered": 1203, "conflict": 0, "invalid": 0}
    again, _ = push(kiosk)
    assert again.exit_code == 0 and "本次发送 0 条" in again.output
    assert [n for (n,) in receiver.rows("SELECT COUNT(*) FROM batches")] == [3]


def test_a_moderation_change_is_sent_again_as_updated(receiver, kiosk):
    uuids = visitor_suggestions(kiosk, 3)
    assert push(kiosk)[0].exit_code == 0
    with database(kiosk) as db:
        staff_suggestions.set_moderation(db, uuids[1], "approved")
        staff_suggestions.set_moderation(db, uuids[2], "spam")
    assert outbox_states(kiosk)["pending"] == 2
    result, _ = push(kiosk)
    assert result.exit_code == 0 and "本次发送 2 条：新收 0 · 重复确认 0 · 更新审核 2" in result.output
    assert_central_holds_exactly(receiver, kiosk)
    assert receiver.suggestions()[uuids[1]][1] == "approved"
    with database(kiosk) as db:
        assert db["outbox"].get(uuids[2])["central_status"] == "updated"


def test_conflict_and_invalid_are_shown_to_staff_and_not_sent_again(receiver, kiosk):
    good, changed = visitor_suggestions(kiosk, 2)
    assert push(kiosk)[0].exit_code == 0
    broken = add_suggestion(kiosk, kiosk_id=KIOSK_ID, content="长" * 3001, receipt_no="1021-099")["uuid"]
    with database(kiosk) as db:
        # A kiosk whose copy differs from what central holds (restored from an old backup, say).
        db.execute("UPDATE suggestions SET content = '改过的内容' WHERE uuid = ?", [changed])
        db.conn.commit()
        staff_suggestions.set_moderation(db, changed, "approved")
    result, _ = push(kiosk)
    assert result.exit_code == 1
    assert "冲突 1 · 不合格 1" in result.output and "还有 2 条建议未送达" in result.stderr
    status = kiosk.test_cli_runner().invoke(args=["sync", "status"])
    assert "已送达 1 · 内容冲突 1 · 不合格 1" in status.output
    assert "[内容冲突]" in status.output and "不同之处：content" in status.output
    assert "[不合格] 回执 1021-099" in status.output and "content" in status.output
    with database(kiosk) as db:
        attempts = dict(db.execute("SELECT uuid, attempts FROM outbox").fetchall())
    batches = receiver.rows("SELECT COUNT(*) FROM batches")
    again, _ = push(kiosk)
    assert again.exit_code == 1 and "本次发送 0 条" in again.output
    assert receiver.rows("SELECT COUNT(*) FROM batches") == batches
    with database(kiosk) as db:
        assert dict(db.execute("SELECT uuid, attempts FROM outbox").fetchall()) == attempts
    assert receiver.suggestions()[changed][0]["content"] != "改过的内容"
    assert broken not in receiver.suggestions() and good in receiver.suggestions()


FAULTS = {
    "500 before storing": {"mode": "500_before_store", "times": 2},
    "503 with Retry-After": {"mode": "503", "times": 1, "retry_after": 1},
    "connection dropped before storing": {"mode": "drop_before_store", "times": 2},
    "500 after storing": {"mode": "500_after_store", "times": 2},
    "acknowledgement lost": {"mode": "drop_after_store", "times": 2},
    "answer cut short": {"mode": "truncate_after_store", "times": 2},
    "timeout before storing": {"mode": "delay", "times": 1, "seconds": 3},
    "timeout after storing": {"mode": "delay_after_store", "times": 1, "seconds": 3},
    "413 too large": {"mode": "413", "times": 3},
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_after_a_fault_every_suggestion_is_stored_once_and_intact(receiver, kiosk, fault):
    kiosk.config["KIOSK_CENTRAL_TIMEOUT"] = 1
    visitor_suggestions(kiosk, 40)
    receiver.faults({"path": SUGGESTIONS, "method": "POST", **fault})
    result, _ = push(kiosk)
    assert result.exit_code == 0, result.output + receiver.log_text()
    assert_central_holds_exactly(receiver, kiosk)
    assert outbox_states(kiosk)["delivered"] == 40
    with database(kiosk) as db:
        attempts = [a for (a,) in db.execute("SELECT attempts FROM outbox")]
    assert max(attempts) > 1
    if fault["mode"] == "413":
        assert receiver.rows("SELECT COUNT(*) FROM batches") == [(4,)]


def test_429_retry_after_is_waited_for(receiver, kiosk):
    visitor_suggestions(kiosk, 5)
    receiver.faults({"path": SUGGESTIONS, "method": "POST", "mode": "429", "times": 2, "retry_after": 1})
    result, seconds = push(kiosk)
    assert result.exit_code == 0
    assert seconds >= 2
    assert_central_holds_exactly(receiver, kiosk)


def test_a_retry_after_too_long_ends_the_run_for_later(receiver, kiosk):
    kiosk.config["KIOSK_SYNC_LONGEST_WAIT"] = 5
    visitor_suggestions(kiosk, 2)
    receiver.faults({"path": SUGGESTIONS, "mode": "429", "times": 1, "retry_after": 600})
    result, seconds = push(kiosk)
    assert result.exit_code == 1 and seconds < 5
    assert "中央系统要求 600 秒后再试" in result.stderr and "下次同步会继续发送" in result.stderr
    assert outbox_states(kiosk)["pending"] == 2
    assert push(kiosk)[0].exit_code == 0
    assert_central_holds_exactly(receiver, kiosk)


def test_central_down_leaves_everything_pending_and_says_why(kiosk, receiver):
    kiosk.config.update(KIOSK_CENTRAL_URL="http://127.0.0.1:9/", KIOSK_SYNC_TRIES=2)
    visitor_suggestions(kiosk, 3)
    result, _ = push(kiosk)
    assert result.exit_code == 1 and "连续 2 次未成功" in result.stderr
    status = kiosk.test_cli_runner().invoke(args=["sync", "status"]).output
    assert "待发送 3" in status and "中央系统无法连接" in status and "连接中央系统失败" in status


@pytest.mark.parametrize("fault, reason", [({"mode": "401"}, "KIOSK_CENTRAL_TOKEN"), ({"mode": "403"}, "KIOSK_ID")])
def test_401_and_403_stop_the_run_without_retrying(receiver, kiosk, fault, reason):
    visitor_suggestions(kiosk, 4)
    receiver.faults({"path": SUGGESTIONS, **fault})
    result, _ = push(kiosk)
    assert result.exit_code == 2 and reason in result.stderr
    assert receiver.suggestions() == {}
    with database(kiosk) as db:
        assert [a for (a,) in db.execute("SELECT attempts FROM outbox")] == [0] * 4
    status = kiosk.test_cli_runner().invoke(args=["sync", "status"]).output
    assert "被中央拒绝" in status and reason in status
    # Once the cause is mended, the next run delivers everything.
    assert push(kiosk)[0].exit_code == 0
    assert_central_holds_exactly(receiver, kiosk)


def test_a_wrong_token_and_another_kiosks_token_are_refused(receiver, kiosk):
    visitor_suggestions(kiosk, 1)
    kiosk.config["KIOSK_CENTRAL_TOKEN"] = "not-the-token-at-all-0000"
    result, _ = push(kiosk)
    assert result.exit_code == 2 and "401" in result.stderr
    kiosk.config["KIOSK_CENTRAL_TOKEN"] = OTHER_TOKEN
    result, _ = push(kiosk)
    assert result.exit_code == 2 and f"令牌不属于本机编号 {KIOSK_ID}（403）" in result.stderr
    assert receiver.suggestions() == {}


def test_a_400_stops_the_run_with_central_s_reason(receiver, kiosk, monkeypatch):
    visitor_suggestions(kiosk, 1)
    monkeypatch.setattr("sync.push.uuids.uuid4", lambda: "not-a-uuid")
    result, _ = push(kiosk)
    assert result.exit_code == 2 and "（400）" in result.stderr and "Idempotency-Key" in result.stderr
    assert outbox_states(kiosk)["pending"] == 1


def test_random_faults_over_many_small_batches_lose_and_double_nothing(receiver, kiosk):
    visitor_suggestions(kiosk, 150)
    receiver.faults(chance={"fraction": 0.4, "seed": 3, "path": "/suggestions", "seconds": 1})
    central = Central(receiver.url, TOKEN, KIOSK_ID, timeout=0.5)
    with database(kiosk) as db:
        for _ in range(3):
            report = Push(db, central, Retry(tries=8, base=0.01, cap=0.05), max_items=7).run()
            if report.result == "ok":
                break
    assert report.result == "ok", report
    assert_central_holds_exactly(receiver, kiosk)
    assert "injected fault" in receiver.log_text()


def test_figures_are_put_per_day_and_put_again_as_they_grow(receiver, kiosk):
    rows = [
        ("2024-10-21", "tj-2024-expo", "", "suggestion", 4),
        ("2024-10-21", "tj-2024-expo", "TJ2024-001", "detail_view", 41),
        ("2024-10-22", "tj-2024-expo", "TJ2024-001", "video_play", 7),
    ]
    with database(kiosk) as db:
        db["usage_counts"].insert_all(
            [dict(zip(("day", "event_id", "achievement_id", "metric", "value"), r)) for r in rows]
        )
    result, _ = push(kiosk)
    assert result.exit_code == 0 and "使用统计：发送 2 天" in result.output
    assert receiver.stats() == {(d, e, a or None, m): v for d, e, a, m, v in rows}
    with database(kiosk) as db:
        db.execute("UPDATE usage_counts SET value = value + 10 WHERE day = '2024-10-22'")
        db.conn.commit()
    result, _ = push(kiosk)
    assert "使用统计：发送 1 天，1 天无变化" in result.output
    assert receiver.stats()[("2024-10-22", "tj-2024-expo", "TJ2024-001", "video_play")] == 17
    assert receiver.stats()[("2024-10-21", "tj-2024-expo", None, "suggestion")] == 4


def test_figures_survive_a_lost_acknowledgement(receiver, kiosk):
    with database(kiosk) as db:
        db["usage_counts"].insert(
            {"day": "2024-10-21", "event_id": "tj-2024-expo", "achievement_id": "", "metric": "quiz_taken", "value": 12}
        )
    receiver.faults({"path": "/stats/", "method": "PUT", "mode": "drop_after_store", "times": 2})
    assert push(kiosk)[0].exit_code == 0
    assert receiver.stats() == {("2024-10-21", "tj-2024-expo", None, "quiz_taken"): 12}


def test_status_reports_the_last_run(receiver, kiosk):
    visitor_suggestions(kiosk, 2)
    runner = kiosk.test_cli_runner()
    assert "上次同步：从未同步" in runner.invoke(args=["sync", "status"]).output
    push(kiosk)
    status = runner.invoke(args=["sync", "status"]).output
    assert "建议：待发送 0 · 已送达 2 · 内容冲突 0 · 不合格 0" in status
    assert "上次同步：推送" in status and "结果：完成" in status
    with database(kiosk) as db:
        assert outbox.counts(db)["delivered"] == 2
