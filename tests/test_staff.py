"""Staff sign-in: `staff set-pin`, the PIN login, lockout, session expiry, logout and who may see what."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from werkzeug.security import check_password_hash

from kiosk.staff import auth as staff
from kiosk.staff import guard
from tests.staff_helpers import PIN, add_suggestion, database, sign_in, store_pin, token

STAFF_PAGES = [
    "/staff/",
    "/staff/suggestions",
    "/staff/suggestions?q=x&m=spam",
    "/staff/suggestions.csv",
    "/staff/suggestions.xlsx",
]


def stored_hash(app):
    """Return the value under staff_pin_hash in the settings table, or None."""
    with database(app) as db:
        row = db.execute("SELECT value FROM settings WHERE key = 'staff_pin_hash'").fetchone()
        return row[0] if row else None


def database_text(app):
    """Return the whole database as SQL text."""
    with database(app) as db:
        return "\n".join(db.conn.iterdump())


@pytest.fixture
def clock(monkeypatch):
    """Return a settable clock that the staff module reads instead of the real time."""
    now = [1_700_000_000.0]
    monkeypatch.setattr(staff, "now", lambda: now[0])
    return now


@pytest.fixture
def pin_app(app):
    """Return the app with the staff PIN set."""
    store_pin(app)
    return app


# set-pin


def test_set_pin_stores_only_a_hash(app, runner):
    result = runner.invoke(args=["staff", "set-pin", "--pin", PIN])
    assert result.exit_code == 0, result.output
    assert "已设置" in result.output
    hashed = stored_hash(app)
    assert hashed.startswith("scrypt:") and check_password_hash(hashed, PIN)
    assert PIN not in database_text(app)


def test_set_pin_prompts_twice_hidden_and_retries_until_they_agree(app, runner):
    result = runner.invoke(args=["staff", "set-pin"], input="12\n55667788\n55667789\n24682468\n24682468\n")
    assert result.exit_code == 0, result.output
    assert "4–12 位数字" in result.output and "两次输入不一致" in result.output
    assert "24682468" not in result.output, "the PIN was echoed"
    assert check_password_hash(stored_hash(app), "24682468")


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "１２３４", "1234\n", ""])
def test_set_pin_refuses_anything_but_4_to_12_digits(app, runner, pin):
    result = runner.invoke(args=["staff", "set-pin", "--pin", pin])
    assert result.exit_code != 0
    assert "4–12 位数字" in result.output
    assert stored_hash(app) is None


def test_a_new_pin_signs_out_sessions_made_with_the_old_one(pin_app, client, runner):
    sign_in(client)
    assert client.get("/staff/suggestions").status_code == 200
    assert runner.invoke(args=["staff", "set-pin", "--pin", "1357"]).exit_code == 0
    assert client.get("/staff/suggestions").status_code == 302


# login


def test_without_a_pin_the_login_page_says_how_to_set_one(client):
    page = client.get("/staff/login").get_data(as_text=True)
    assert "flask --app kiosk staff set-pin" in page and 'name="pin"' not in page
    response = sign_in(client, "1234")
    assert response.status_code == 200 and "staff set-pin" in response.get_data(as_text=True)
    assert client.get("/staff/suggestions").status_code == 302


def test_login_page_has_a_pin_pad_and_a_plain_password_field(pin_app, client):
    page = client.get("/staff/login").get_data(as_text=True)
    assert 'type="password" name="pin" inputmode="numeric"' in page
    assert page.count("data-pin-key=") == 12
    assert "staff.js" in page


def test_right_pin_signs_in_and_rotates_the_csrf_token(pin_app, client, clock):
    before = token(client)
    response = sign_in(client)
    assert response.status_code == 302 and response.headers["Location"] == "/staff/suggestions"
    with client.session_transaction() as session:
        assert session["csrf_token"] != before
        kept = pin_app.extensions[staff.SESSIONS].peek(session[staff.STAFF_SESSION])
        assert kept["last_seen"] == clock[0] and set(session) == {"csrf_token", staff.STAFF_SESSION}
        assert PIN not in str(dict(session))
    page = client.get("/staff/suggestions")
    assert page.status_code == 200 and "观众建议审核" in page.get_data(as_text=True)


def test_wrong_pin_is_refused_in_chinese(pin_app, client):
    response = sign_in(client, "11112222")
    assert response.status_code == 401
    assert "PIN 不正确" in response.get_data(as_text=True)
    assert client.get("/staff/suggestions").status_code == 302


def test_login_goes_back_to_the_staff_page_asked_for_and_nowhere_else(pin_app, client):
    response = client.get("/staff/suggestions?q=灯&m=spam")
    assert response.status_code == 302
    login = urlsplit(response.headers["Location"])
    assert login.path == "/staff/login"
    back = parse_qs(login.query)["next"][0]
    assert unquote(back) == "/staff/suggestions?q=灯&m=spam"
    assert unquote(sign_in(client, next=back).headers["Location"]) == "/staff/suggestions?q=灯&m=spam"
    for hostile in (
        "https://evil.example/",
        "//evil.example/staff/",
        "/staff//evil.example",
        "/\\evil.example",
        "/staff/suggestions\r\nSet-Cookie: session=x",
        "/staff/\x00",
        "/staff/\t",
    ):
        client.post("/staff/logout", data={"csrf_token": token(client)})
        assert sign_in(client, next=hostile).headers["Location"] == "/staff/suggestions"
        assert client.get("/staff/login", query_string={"next": hostile}).headers["Location"] == "/staff/suggestions"


def test_lockout_after_repeated_failures_and_its_end(pin_app, client, clock, app):
    limit, minutes = app.config["KIOSK_STAFF_MAX_FAILURES"], app.config["KIOSK_STAFF_LOCKOUT_MINUTES"]
    for _ in range(limit - 1):
        assert sign_in(client, "00000000").status_code == 401
    locked = sign_in(client, "00000000")
    assert locked.status_code == 429
    assert "输错次数过多" in locked.get_data(as_text=True) and f"{minutes} 分钟" in locked.get_data(as_text=True)
    clock[0] += (minutes - 1) * 60
    refused = sign_in(client)
    assert refused.status_code == 429, "the right PIN must not get through a lockout"
    assert "1 分钟" in refused.get_data(as_text=True)
    clock[0] += 61
    assert sign_in(client).status_code == 302


def test_lockout_is_per_client_address(pin_app, app, clock):
    app.config["KIOSK_STAFF_FROM_LAN"] = True
    phone, desk = app.test_client(), app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "192.168.1.77"
    for _ in range(app.config["KIOSK_STAFF_MAX_FAILURES"]):
        sign_in(phone, "00000000")
    assert sign_in(phone).status_code == 429
    assert sign_in(desk).status_code == 302


def test_a_success_forgets_earlier_failures(pin_app, app, client, clock):
    for _ in range(app.config["KIOSK_STAFF_MAX_FAILURES"] - 1):
        sign_in(client, "00000000")
    assert sign_in(client).status_code == 302
    client.post("/staff/logout", data={"csrf_token": token(client)})
    assert sign_in(client, "00000000").status_code == 401


# session


def test_session_expires_after_minutes_without_activity(pin_app, app, client, clock):
    sign_in(client)
    limit = app.config["KIOSK_STAFF_SESSION_MINUTES"] * 60
    clock[0] += limit - 10
    assert client.get("/staff/suggestions").status_code == 200
    clock[0] += limit - 10
    assert client.get("/staff/suggestions").status_code == 200, "activity keeps the session alive"
    clock[0] += limit + 1
    response = client.get("/staff/suggestions")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert "登录已过期" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/staff/suggestions").status_code == 302


def test_logout_clears_the_whole_session(pin_app, client):
    sign_in(client)
    response = client.post("/staff/logout", data={"csrf_token": token(client)})
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    with client.session_transaction() as session:
        assert not any(key.startswith("staff_") for key in session)
    assert client.get("/staff/suggestions").status_code == 302


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_every_staff_page_sends_signed_out_visitors_to_login(pin_app, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_signed_out_moderation_goes_to_login(pin_app, client):
    row = add_suggestion(pin_app)
    response = client.post(
        f"/staff/suggestions/{row['uuid']}/moderation", data={"csrf_token": token(client), "moderation": "approved"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"
    htmx = client.post(
        f"/staff/suggestions/{row['uuid']}/moderation",
        headers={"HX-Request": "true"},
        data={"csrf_token": token(client), "moderation": "approved"},
    )
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/staff/login"


def test_htmx_requests_when_signed_out_are_redirected_by_htmx(pin_app, client):
    response = client.get("/staff/suggestions?q=a", headers={"HX-Request": "true", "HX-Target": "suggestion-results"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/staff/login?next=")


def test_a_progress_poll_after_a_restart_sends_staff_back_to_the_page_it_was_polled_from(pin_app, client):
    polled = {"HX-Request": "true", "HX-Current-URL": "http://127.0.0.1:8081/staff/update/"}
    response = client.get("/staff/update/progress", headers=polled)
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/staff/login?next=/staff/update/"


@pytest.mark.parametrize(
    "path, data",
    [
        ("/staff/login", {"pin": PIN}),
        ("/staff/logout", {}),
        ("/staff/suggestions/x/moderation", {"moderation": "approved"}),
    ],
)
def test_posts_without_the_csrf_token_are_refused(pin_app, client, path, data):
    sign_in(client)
    assert client.post(path, data=data).status_code == 400
    assert client.post(path, data={**data, "csrf_token": "forged"}).status_code == 400


def test_staff_pages_are_never_cached(pin_app, client):
    assert client.get("/staff/login").headers["Cache-Control"] == "no-store"
    sign_in(client)
    for path in STAFF_PAGES[1:]:
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_head_on_the_login_page_is_a_get_it_neither_signs_in_nor_counts_a_failure(pin_app, client, app):
    for pin in [PIN] + ["0000"] * (app.config["KIOSK_STAFF_MAX_FAILURES"] + 2):
        response = client.open("/staff/login", method="HEAD", data={"pin": pin, "csrf_token": token(client)})
        assert response.status_code == 200 and response.get_data() == b""
    assert client.get("/staff/suggestions").status_code == 302  # not signed in by the HEAD with the right PIN
    assert sign_in(client).status_code == 302  # and not locked out by the HEADs with wrong ones
    assert client.get("/staff/suggestions").status_code == 200


def test_logout_ends_the_session_for_good_even_for_a_copied_cookie(pin_app, client):
    assert sign_in(client).status_code == 302
    copied = client.get_cookie("session").value
    client.post("/staff/logout", data={"csrf_token": token(client)})
    thief = pin_app.test_client()
    thief.set_cookie("session", copied)
    for path in ("/staff/suggestions", "/staff/suggestions.csv?personal=1", "/staff/sync/"):
        response = thief.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")


def test_the_kiosk_screen_going_back_to_its_attract_loop_ends_staff_s_session(pin_app, client):
    assert sign_in(client).status_code == 302
    copied = client.get_cookie("session").value
    assert client.get("/staff/suggestions").status_code == 200
    client.get("/attract")  # the idle reset
    assert client.get("/staff/suggestions").status_code == 302  # browser Back finds the login page
    client.set_cookie("session", copied)
    assert client.get("/staff/suggestions").status_code == 302


def test_staff_pages_are_the_kiosk_screen_s_own_unless_opened_to_the_lan(pin_app, app):
    phone = app.test_client()
    phone.environ_base["REMOTE_ADDR"] = "192.168.1.77"
    for path in ("/staff/login", "/staff/suggestions", "/staff/suggestions.csv?personal=1", "/staff/sync/"):
        response = phone.get(path)
        assert response.status_code == 403 and "工作人员页面只能在展示端本机" in response.get_data(as_text=True)
    assert sign_in(phone).status_code == 403
    assert sign_in(app.test_client()).status_code == 302  # the kiosk's own screen
    app.config["KIOSK_STAFF_FROM_LAN"] = True
    assert sign_in(phone).status_code == 302


def test_guessing_from_many_addresses_meets_one_budget_for_the_whole_lan(pin_app, app, clock):
    app.config["KIOSK_STAFF_FROM_LAN"] = True
    answers = []
    for n in range(45):  # 45 phones, 5 guesses each, as the attack that found a 4-digit PIN in 28 s
        phone = app.test_client()
        phone.environ_base["REMOTE_ADDR"] = f"192.168.1.{n + 10}"
        answers += [sign_in(phone, f"{n:02d}{k:02d}").status_code for k in range(5)]
    # Only the free allowance and one more were checked; the other guesses were refused unchecked (429).
    assert app.extensions[staff.LAN_BUDGET].failures == guard.LAN_FREE_FAILURES + 1
    assert answers.count(401) < guard.LAN_FREE_FAILURES + 1 and answers.count(429) == 225 - answers.count(401)
    late = app.test_client()
    late.environ_base["REMOTE_ADDR"] = "192.168.1.200"
    assert sign_in(late).status_code == 429, "even the right PIN waits while the LAN is over its budget"
    assert sign_in(app.test_client()).status_code == 302, "the kiosk's own screen is not held up by the LAN"
    clock[0] += guard.LAN_LONGEST_WAIT
    assert sign_in(late).status_code == 302


def test_the_staff_home_shows_the_kiosks_health(demo_app):
    from tests.staff_helpers import sign_in, store_pin

    store_pin(demo_app)
    client = demo_app.test_client()
    sign_in(client)
    html = client.get("/staff/suggestions").get_data(as_text=True)
    assert "<h2>本机状态</h2>" in html
    for label in ("手机访问地址", "本机时钟", "可用空间", "待发送的建议", "上次同步", "内容包", "软件版本", "已运行"):
        assert f"<dt>{label}</dt>" in html
    assert "项，" in html and "还没有同步过" in html and "0.1.0" in html


def test_staff_remove_a_pack_its_winners_leave_and_suggestions_stay(demo_app):
    from tests.staff_helpers import database, sign_in, store_pin, token
    from tests.suggest_helpers import GOOD, submit

    visitor = demo_app.test_client()
    assert submit(visitor, {**GOOD, "from": "TJ2024-001"}, "/suggest?from=TJ2024-001").status_code == 303
    store_pin(demo_app)
    staff = demo_app.test_client()
    sign_in(staff)
    assert "确认移除“职工“五小”创新成果展（演示内容包）”" in staff.get("/staff/packs/").get_data(as_text=True)
    done = staff.post("/staff/packs/demo-2024/remove", data={"csrf_token": token(staff)})
    assert done.status_code == 302
    assert "已移除内容包" in staff.get("/staff/packs/").get_data(as_text=True)
    assert visitor.get("/a/TJ2024-001").status_code == 404
    assert "共 <strong>0</strong>" in visitor.get("/").get_data(as_text=True)
    with database(demo_app) as db:
        assert db.execute("SELECT related_achievement_id FROM suggestions").fetchall() == [("TJ2024-001",)]
