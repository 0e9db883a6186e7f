"""Staff's 设置 page: each setting saved, kept and in effect at once; where each comes from; the token never shown;
Chinese messages next to the fields; the PIN changed with the current one, signing every other session out."""

import logging
import os
import re

import pytest

from kiosk import create_app
from kiosk.staff.settings_store import TOKEN_FILE
from tests.staff_helpers import PIN, sign_in, store_pin, token
from tests.support import make_test_app

SECRET = "tok-9f8e7d6c5b4a-secret"


@pytest.fixture
def fresh(tmp_path):
    """Return an app nobody configured: ids made at first start, the address phones use found by itself."""
    return make_test_app(tmp_path / "instance", KIOSK_ID=None, KIOSK_EVENT_ID=None, KIOSK_PUBLIC_URL=None)


def staff_of(app, pin=PIN):
    """Return a client of app signed in as staff (the PIN stored first)."""
    store_pin(app, pin)
    client = app.test_client()
    assert sign_in(client, pin).status_code == 302
    return client


def save(client, **fields):
    """Post the settings form with these fields; return the response."""
    return client.post("/staff/settings/", data={"csrf_token": token(client), **fields})


def source_of(page, field):
    """Return the where-it-comes-from line under a field of the settings page."""
    block = page[page.index(f'id="setting-{field}"') :]
    return re.search(r'class="setting-source[^"]*">([^<]*)<', block)[1]


def test_each_setting_is_saved_applies_at_once_and_stays_after_a_restart(fresh):
    staff = staff_of(fresh)
    screen = fresh.test_client()  # the kiosk's own screen (loopback), a visitor
    assert 'data-idle-seconds="90"' in screen.get("/").get_data(as_text=True)  # rendered and cached
    assert "http://10.20.30.40:8080" not in screen.get("/suggest").get_data(as_text=True)
    answer = save(
        staff,
        kiosk_id="hall-a-2",
        name="展厅A 2号机",
        event_id="tj-2024-expo",
        event_name="2024 天津五小成果展",
        public_url="http://10.20.30.40:8080/",
        idle_seconds="120",
        central_url="http://10.0.0.2:9000",
        central_token=SECRET,
    )
    assert answer.status_code == 302 and answer.headers["Location"] == "/staff/settings/"
    page = staff.get("/staff/settings/").get_data(as_text=True)
    assert "已保存" in page and "已立即生效，无需重启" in page
    assert 'data-idle-seconds="120"' in screen.get("/").get_data(as_text=True)  # the cached home is not served
    assert "http://10.20.30.40:8080/suggest" in screen.get("/suggest").get_data(as_text=True)  # its QR's address
    assert '<p class="settings-qr-url" id="phones-url">http://10.20.30.40:8080/</p>' in page
    assert "本机编号 <strong>hall-a-2</strong>（展厅A 2号机）" in page and "（2024 天津五小成果展）" in page
    config = fresh.config
    assert (config["KIOSK_ID"], config["KIOSK_EVENT_ID"], config["KIOSK_IDLE_SECONDS"]) == (
        "hall-a-2",
        "tj-2024-expo",
        120,
    )
    assert (config["KIOSK_CENTRAL_URL"], config["KIOSK_CENTRAL_TOKEN"]) == ("http://10.0.0.2:9000", SECRET)
    restarted = create_app({"TESTING": True}, instance_path=fresh.instance_path)
    for name in ("KIOSK_ID", "KIOSK_NAME", "KIOSK_EVENT_ID", "KIOSK_EVENT_NAME", "KIOSK_PUBLIC_URL"):
        assert restarted.config[name] == config[name], name
    assert restarted.config["KIOSK_IDLE_SECONDS"] == 120 and restarted.config["KIOSK_CENTRAL_TOKEN"] == SECRET


def test_an_emptied_field_goes_back_to_its_default(fresh):
    staff = staff_of(fresh)
    save(staff, public_url="http://10.20.30.40:8080", name="展厅A")
    assert fresh.config["KIOSK_PUBLIC_URL"] == "http://10.20.30.40:8080"
    save(staff, public_url="", name="")
    page = staff.get("/staff/settings/").get_data(as_text=True)
    assert fresh.config["KIOSK_PUBLIC_URL"] is None and fresh.config["KIOSK_NAME"] is None
    assert source_of(page, "public_url").startswith("默认值") and source_of(page, "name").startswith("默认值")
    assert create_app({"TESTING": True}, instance_path=fresh.instance_path).config["KIOSK_PUBLIC_URL"] is None


def test_the_page_says_where_each_value_comes_from_and_leaves_fixed_ones_read_only(tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "kiosk.toml").write_text('event_id = "tj-expo"\nid = "hall-b-1"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CENTRAL_URL", "http://10.0.0.9:9000")
    app = make_test_app(instance, KIOSK_PUBLIC_URL=None)
    staff = staff_of(app)
    page = staff.get("/staff/settings/").get_data(as_text=True)
    assert source_of(page, "central_url") == "由环境变量 KIOSK_CENTRAL_URL 设定"
    assert source_of(page, "event_id") == "由 instance/kiosk.toml 设定（event_id）"
    assert source_of(page, "idle_seconds") == "默认值 · 保存后立即生效"
    assert re.search(r'name="central_url" value="http://10.0.0.9:9000"[^>]*readonly', page, re.S)
    assert re.search(r'name="event_id" value="tj-expo"[^>]*readonly', page, re.S)
    assert save(staff, idle_seconds="45", event_id="tj-expo").status_code == 302  # a read-only field sent as is
    page = staff.get("/staff/settings/").get_data(as_text=True)
    assert source_of(page, "idle_seconds") == "在本页设定 · 保存后立即生效"
    refused = save(staff, central_url="http://10.0.0.1:9000")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "由环境变量 KIOSK_CENTRAL_URL 设定，不能在本页修改" in text
    assert app.config["KIOSK_CENTRAL_URL"] == "http://10.0.0.9:9000"
    # the environment and kiosk.toml still win over the page at the next start
    (instance / "kiosk.toml").write_text(
        'event_id = "tj-expo"\nid = "hall-b-1"\nidle_seconds = 200\n', encoding="utf-8"
    )
    assert make_test_app(instance).config["KIOSK_IDLE_SECONDS"] == 200


def test_the_token_is_never_shown_back_and_is_kept_readable_by_the_kiosk_only(fresh, caplog):
    caplog.set_level(logging.DEBUG)
    staff = staff_of(fresh)
    page = staff.get("/staff/settings/").get_data(as_text=True)
    assert re.search(r'class="token-state">未设置<', page)
    assert save(staff, central_token=SECRET, central_url="http://10.0.0.2:9000").status_code == 302
    path = os.path.join(fresh.instance_path, TOKEN_FILE)
    assert os.stat(path).st_mode & 0o777 == 0o600
    bodies = [staff.get(url).get_data(as_text=True) for url in ("/staff/settings/", "/staff/sync/", "/staff/packs/")]
    bodies.append(staff.get("/staff/suggestions").get_data(as_text=True))
    bodies.append(save(staff, central_token=SECRET + " x", idle_seconds="5").get_data(as_text=True))  # refused: 400
    bodies.append(save(staff, central_token=SECRET, idle_seconds="5").get_data(as_text=True))
    assert all(SECRET not in body for body in bodies)
    assert re.search(r'class="token-state">已设置<', bodies[0])
    assert SECRET not in caplog.text
    assert fresh.config["KIOSK_CENTRAL_TOKEN"] == SECRET  # the refused forms changed nothing
    assert save(staff, central_token="", central_token_clear="1").status_code == 302
    assert fresh.config["KIOSK_CENTRAL_TOKEN"] is None and not os.path.exists(path)
    assert re.search(r'class="token-state">未设置<', staff.get("/staff/settings/").get_data(as_text=True))


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("kiosk_id", "展厅 A", "不合规：只能用 1–64 个英文字母、数字、- 或 _"),
        ("event_id", "tj/2024", "不合规：只能用 1–64 个英文字母、数字、- 或 _"),
        ("name", "展" * 41, "最多 40 个字，现在是 41 个。"),
        ("public_url", "192.168.1.20:8080", "请以 http:// 或 https:// 开头并写上主机地址"),
        ("public_url", "http://192.168.1.20:8080/kiosk", "地址只写到端口为止"),
        ("public_url", "http://192.168.1.20:99999", "地址写法有误"),
        ("central_url", "ftp://10.0.0.2", "请以 http:// 或 https:// 开头并写上主机地址"),
        ("central_url", "http://", "请以 http:// 或 https:// 开头并写上主机地址"),
        ("idle_seconds", "10", "请填 30–600 之间的整数秒。"),
        ("idle_seconds", "三十", "请填 30–600 之间的整数秒。"),
        ("idle_seconds", "601", "请填 30–600 之间的整数秒。"),
        ("central_token", "有 空格 的令牌", "令牌应为 8–512 个英文字母、数字或符号"),
    ],
)
def test_a_wrong_value_is_said_in_chinese_next_to_its_field_with_what_was_typed_kept(fresh, field, typed, message):
    staff = staff_of(fresh)
    before = dict(fresh.config)
    refused = save(staff, **{field: typed, "event_name": "保留的活动名称"})
    text = refused.get_data(as_text=True)
    label = text[text.index(f'for="f-{field}">') :].split(">", 1)[1].split("<", 1)[0]
    assert refused.status_code == 400 and f"没有保存：{label}填写有误，请按红字改正" in text
    block = text[text.index(f'id="setting-{field}"') :]
    block = block[: block.index("</div>")]
    assert message in block and 'aria-invalid="true"' in block and "autofocus" in block
    if field != "central_token":
        assert f'value="{typed}"' in block
    assert 'value="保留的活动名称"' in text  # the other typed fields stay too
    assert {k: fresh.config[k] for k in before} == before  # nothing saved


def test_a_new_pin_signs_every_other_session_out_and_keeps_this_one(app):
    staff, other = staff_of(app), app.test_client()
    assert sign_in(other).status_code == 302
    answer = staff.post(
        "/staff/settings/pin",
        data={"csrf_token": token(staff), "current_pin": PIN, "new_pin": "24681357", "new_pin_again": "24681357"},
    )
    assert answer.status_code == 302
    assert "新 PIN 已保存" in staff.get("/staff/settings/").get_data(as_text=True)
    assert other.get("/staff/settings/").headers["Location"].startswith("/staff/login")
    late = app.test_client()
    assert sign_in(late, PIN).status_code == 401 and sign_in(late, "24681357").status_code == 302


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"current_pin": "11112222", "new_pin": "24681357", "new_pin_again": "24681357"},
            "current_pin",
            "当前 PIN 不正确。",
        ),
        ({"current_pin": PIN, "new_pin": "12a4", "new_pin_again": "12a4"}, "new_pin", "新 PIN 须为 4–12 位数字。"),
        (
            {"current_pin": PIN, "new_pin": "24681357", "new_pin_again": "24681358"},
            "new_pin_again",
            "两次输入的新 PIN 不一致。",
        ),
    ],
)
def test_a_pin_change_is_refused_without_the_current_pin_or_a_matching_new_one(app, fields, field, message):
    staff = staff_of(app)
    refused = staff.post("/staff/settings/pin", data={"csrf_token": token(staff), **fields})
    text = refused.get_data(as_text=True)
    assert (
        refused.status_code == 400 and f'<p class="setting-message" id="e-{field}" role="alert">{message}</p>' in text
    )
    assert PIN not in re.findall(r'value="([^"]*)"', text)  # no PIN is typed back into the form
    assert staff.get("/staff/settings/").status_code == 200  # still signed in
    assert sign_in(app.test_client(), PIN).status_code == 302  # the PIN stays


def test_guessing_the_current_pin_on_the_page_locks_out_as_the_login_does(app):
    staff = staff_of(app)
    for _ in range(app.config["KIOSK_STAFF_MAX_FAILURES"]):
        staff.post("/staff/settings/pin", data={"csrf_token": token(staff), "current_pin": "0000"})
    right = {"current_pin": PIN, "new_pin": "24681357", "new_pin_again": "24681357"}
    refused = staff.post("/staff/settings/pin", data={"csrf_token": token(staff), **right})
    assert refused.status_code == 400 and "PIN 输错次数过多" in refused.get_data(as_text=True)


def test_the_settings_need_staff_and_this_session_s_token(app):
    store_pin(app)
    visitor = app.test_client()
    assert visitor.get("/staff/settings/").headers["Location"].startswith("/staff/login")
    assert save(visitor, idle_seconds="300").headers["Location"].startswith("/staff/login")
    staff = staff_of(app)
    assert staff.post("/staff/settings/", data={"idle_seconds": "300"}).status_code == 400  # no CSRF token
    assert staff.post("/staff/settings/pin", data={"current_pin": PIN, "new_pin": "1234"}).status_code == 400
    assert app.config["KIOSK_IDLE_SECONDS"] == 90


def test_staff_reach_settings_from_every_staff_page_and_the_sync_page_sends_them_there(app):
    staff = staff_of(app)
    page = staff.get("/staff/suggestions").get_data(as_text=True)
    assert '<a class="btn btn-light" href="/staff/settings/">设置</a>' in page
    sync = staff.get("/staff/sync/").get_data(as_text=True)
    assert 'href="/staff/settings/">在“设置”中修改</a>' in sync
