"""Staff's sync screen against the reference receiver: counts, 立即同步 with polled progress, refusals, USB bundle."""

import time

import pytest

from kiosk.staff import queries as staff_suggestions
from sync import lock, runs
from sync import runner as sync_runner
from tests.staff_helpers import add_suggestion, database, sign_in, store_pin, token
from tests.sync_helpers import KIOSK_ID, outbox_states, visitor_suggestions

HX = {"HX-Request": "true"}


@pytest.fixture
def staff(kiosk):
    """Return a client signed in as staff on the kiosk pointed at the receiver."""
    store_pin(kiosk)
    client = kiosk.test_client()
    assert sign_in(client).status_code == 302
    return client


def start_sync(client):
    """Press 立即同步 as htmx does; return the response."""
    return client.post("/staff/sync/run", data={"csrf_token": token(client)}, headers=HX)


def poll_until_done(client, seconds=30):
    """Poll the progress fragment as the page does until it stops polling; return every fragment seen."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fragment = client.get("/staff/sync/progress", headers=HX).get_data(as_text=True)
        seen.append(fragment)
        if 'hx-trigger="load delay:500ms"' not in fragment:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"the run did not end: {seen[-1]}")


def test_signed_out_staff_are_sent_to_login(kiosk):
    client = kiosk.test_client()
    for path in ("/staff/sync/", "/staff/sync/progress"):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    response = client.post("/staff/sync/run", data={"csrf_token": token(client)})
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    assert client.get("/staff/sync/progress", headers=HX).headers["HX-Redirect"].startswith("/staff/login")


def test_counts_and_last_run_are_shown(staff, kiosk):
    visitor_suggestions(kiosk, 3)
    html = staff.get("/staff/sync/").get_data(as_text=True)
    assert '<dd data-state="pending">3</dd>' in html and '<dd data-state="delivered">0</dd>' in html
    assert "还没有同步过" in html and "立即同步" in html and "写入U盘" in html


def test_sync_now_runs_in_the_background_and_the_fragment_polls_to_the_end(staff, kiosk, receiver):
    visitor_suggestions(kiosk, 7)
    kiosk.config.update(KIOSK_SYNC_RETRY_BASE=0.01)
    receiver.faults({"mode": "delay", "path": "/suggestions", "times": None, "seconds": 0.3})
    first = start_sync(staff)
    assert first.status_code == 200
    body = first.get_data(as_text=True)
    assert 'hx-trigger="load delay:500ms"' in body and 'hx-swap="outerHTML"' in body
    assert "<progress" in body and "style=" not in body
    seen = poll_until_done(staff)
    final = seen[-1]
    assert "完成" in final and "已发送 7 / 7 条" in final and '<progress id="sync-bar" max="7"' in final
    assert "现状：待发送 0 · 已送达 7" in final
    assert 'id="sync-summary" class="sync-summary" hx-swap-oob="true"' in final
    assert '<dd data-state="delivered">7</dd>' in final
    assert outbox_states(kiosk)["delivered"] == 7
    with database(kiosk) as db:
        last = runs.last(db, "push")
    assert last["result"] == "ok" and last["counts"]["left"]["delivered"] == 7
    page = staff.get("/staff/sync/").get_data(as_text=True)
    assert "上次同步：推送" in page and "完成" in page


def test_a_refusal_is_explained_in_chinese(staff, kiosk, receiver):
    visitor_suggestions(kiosk, 2)
    kiosk.config.update(KIOSK_CENTRAL_TOKEN="wrong-token-0123456789")
    start_sync(staff)
    final = poll_until_done(staff)[-1]
    assert "被中央拒绝" in final and "401" in final and "令牌" in final
    assert outbox_states(kiosk)["pending"] == 2


def test_missing_central_url_is_said_without_a_run(staff, kiosk):
    kiosk.config.update(KIOSK_CENTRAL_URL=None)
    page = staff.get("/staff/sync/").get_data(as_text=True)
    assert '<button type="submit" class="btn btn-primary" disabled>立即同步</button>' in page
    assert "到“设置”中填写" in page
    body = start_sync(staff).get_data(as_text=True)
    assert "未设置中央系统地址" in body
    with database(kiosk) as db:
        assert runs.last(db) is None


def test_conflicts_and_invalid_items_are_listed_with_reasons(staff, kiosk, receiver):
    good, changed = visitor_suggestions(kiosk, 2)
    start_sync(staff)
    poll_until_done(staff)
    add_suggestion(kiosk, kiosk_id=KIOSK_ID, title="<b>坏标题</b>", content="长" * 3001, receipt_no="1021-099")
    with database(kiosk) as db:
        db.execute("UPDATE suggestions SET content = '改过的内容' WHERE uuid = ?", [changed])
        db.conn.commit()
        staff_suggestions.set_moderation(db, changed, "approved")
    start_sync(staff)
    final = poll_until_done(staff)[-1]
    assert "未全部完成" in final and 'id="sync-refused" class="sync-refused" hx-swap-oob="true"' in final
    html = staff.get("/staff/sync/").get_data(as_text=True)
    assert "中央不接收的建议（2 条" in html
    assert "1021-099" in html and "不合格" in html and "内容冲突" in html and "不同之处：content" in html
    assert "&lt;b&gt;坏标题&lt;/b&gt;" in html and "<b>坏标题" not in html
    assert "长" * 41 not in html and "长" * 40 + "…" in html


def test_a_sync_already_going_is_said_and_nothing_starts(staff, kiosk):
    with lock.hold(kiosk.instance_path):
        body = start_sync(staff).get_data(as_text=True)
        assert "另一个同步正在进行" in body
    with database(kiosk) as db:
        assert runs.last(db) is None


def test_a_second_press_shows_the_running_sync(staff, kiosk, receiver):
    visitor_suggestions(kiosk, 3)
    receiver.faults({"mode": "delay", "path": "/suggestions", "times": 1, "seconds": 1.5})
    start_sync(staff)
    again = start_sync(staff).get_data(as_text=True)
    assert "另一个同步正在进行" in again and 'hx-trigger="load delay:500ms"' in again and "发送建议" in again
    assert "完成" in poll_until_done(staff)[-1]
    with database(kiosk) as db:
        assert db.execute("SELECT COUNT(*) FROM sync_runs").fetchone()[0] == 1


def test_posts_need_the_csrf_token(staff, tmp_path):
    assert staff.post("/staff/sync/run", headers=HX).status_code == 400
    assert staff.post("/staff/sync/export", data={"drive": str(tmp_path)}).status_code == 400
    assert not list(tmp_path.glob("*.zip"))


def test_auto_sync_tick_pushes_and_skips_while_locked(kiosk, receiver):
    visitor_suggestions(kiosk, 2)
    with lock.hold(kiosk.instance_path):
        assert sync_runner.auto_tick(kiosk) == "busy"
    assert outbox_states(kiosk)["pending"] == 2
    assert sync_runner.auto_tick(kiosk) == "ok"
    assert outbox_states(kiosk)["delivered"] == 2
    kiosk.config.update(KIOSK_CENTRAL_URL=None)
    assert sync_runner.auto_tick(kiosk) == "off"


def test_auto_sync_is_off_by_default_and_runs_on_its_timer(kiosk, receiver):
    assert kiosk.config["KIOSK_SYNC_AUTO_MINUTES"] == 0 and sync_runner.start_auto_sync(kiosk) is None
    visitor_suggestions(kiosk, 2)
    kiosk.config.update(KIOSK_SYNC_AUTO_MINUTES=0.005)  # 0.3 s
    stop = sync_runner.start_auto_sync(kiosk)
    try:
        deadline = time.monotonic() + 20
        while outbox_states(kiosk)["delivered"] < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
    assert outbox_states(kiosk)["delivered"] == 2


def test_auto_sync_logs_a_refusal(kiosk, receiver, caplog):
    visitor_suggestions(kiosk, 1)
    kiosk.config.update(KIOSK_CENTRAL_TOKEN="wrong-token-0123456789")
    assert sync_runner.auto_tick(kiosk) == "stopped"
    assert "自动同步未完成：被中央拒绝" in caplog.text
