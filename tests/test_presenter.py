"""Presenter mode through its URLs: pairing and its throttle, numbered commands applied once, the phone's true state."""

import re

import pytest

from kiosk.presenter.state import TRIES_PER_ADDRESS, Presentation
from tests.staff_helpers import token

PHONE = {"REMOTE_ADDR": "192.168.1.40"}
OTHER_PHONE = {"REMOTE_ADDR": "192.168.1.41"}


def start(demo_client):
    """Open /present on the kiosk screen; return the pairing code it shows."""
    assert demo_client.get("/present").status_code == 200
    return demo_client.get("/present/state").get_json()["code"]


def pair(client, code, environ=PHONE):
    """Send a pairing code from a phone; return the response."""
    client.get("/remote", environ_base=environ)
    return client.post("/remote/pair", data={"csrf_token": token(client), "code": code}, environ_base=environ)


def command(client, seq, action, value=None, environ=PHONE):
    """Send one numbered command; return the JSON answer."""
    data = {"csrf_token": token(client), "seq": seq, "action": action}
    if value is not None:
        data["value"] = value
    return client.post("/remote/command", data=data, environ_base=environ)


@pytest.fixture
def phone(demo_app):
    """Return a phone's client of the demo kiosk."""
    return demo_app.test_client()


def test_only_the_kiosk_screen_opens_the_big_screen(demo_client, phone):
    assert phone.get("/present", environ_base=PHONE).status_code == 403
    assert phone.get("/present/state", environ_base=PHONE).status_code == 403


def test_an_unpaired_phone_sees_nothing_and_changes_nothing(demo_client, phone):
    start(demo_client)
    page = phone.get("/remote", environ_base=PHONE).get_data(as_text=True)
    assert "输入大屏幕上的配对码" in page and "成果创新点" not in page
    assert phone.get("/remote/state", environ_base=PHONE).status_code == 403
    assert command(phone, 1, "next").status_code == 403
    assert demo_client.get("/present/state").get_json()["index"] == 0


def test_a_phone_pairs_with_the_code_and_the_code_then_changes(demo_client, phone):
    code = start(demo_client)
    assert pair(phone, code).status_code == 302
    state = phone.get("/remote/state", environ_base=PHONE).get_json()
    assert state["in_control"] and state["me"] == "手机 1"
    screen = demo_client.get("/present/state").get_json()
    assert screen["controller"] == "手机 1" and screen["code"] != code
    assert pair(phone.application.test_client(), code, OTHER_PHONE).status_code == 403  # used once


def test_guessing_the_code_is_throttled(demo_client, phone):
    code = start(demo_client)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(TRIES_PER_ADDRESS):
        assert "配对码不对" in pair(phone, wrong).get_data(as_text=True)
    refused = pair(phone, code)  # even the right code, until the window has passed
    assert refused.status_code == 403 and re.search(r"请 \d+ 秒后再输入配对码", refused.get_data(as_text=True))


def test_the_throttle_forgets_after_its_window():
    show = Presentation()
    show.start(["A", "B"], now=0)
    for _ in range(TRIES_PER_ADDRESS):
        with pytest.raises(Exception, match="配对码不对"):
            show.pair("x", "10.0.0.9", now=1)
    with pytest.raises(Exception, match="秒后再输入"):
        show.pair(show.code, "10.0.0.9", now=2)
    assert show.pair(show.code, "10.0.0.9", now=62)


def test_a_repeated_or_late_command_never_moves_the_screen_twice(demo_client, phone):
    pair(phone, start(demo_client))
    assert command(phone, 1, "next").get_json()["index"] == 1
    again = command(phone, 1, "next").get_json()  # the same command, sent again after a dropped answer
    assert again["applied"] is False and again["index"] == 1
    assert command(phone, 3, "next").get_json()["index"] == 2
    late = command(phone, 2, "previous").get_json()  # overtaken by 3: ignored
    assert late["applied"] is False and late["index"] == 2
    assert demo_client.get("/present/state").get_json()["index"] == 2


def test_a_reconnecting_phone_gets_the_screens_true_state(demo_client, phone):
    pair(phone, start(demo_client))
    command(phone, 1, "next")
    command(phone, 2, "blackout")
    demo_client.post("/present/key", data={"csrf_token": token(demo_client), "action": "next"})  # a clicker
    state = phone.get("/remote/state", environ_base=PHONE).get_json()
    assert (state["index"], state["blackout"], state["last_seq"]) == (2, True, 2)
    page = phone.get("/remote", environ_base=PHONE).get_data(as_text=True)
    assert 'data-last-seq="2"' in page  # a reloaded page numbers on from there


def test_control_is_handed_over_and_the_kiosk_screen_ends_the_session(demo_client, phone, demo_app):
    pair(phone, start(demo_client))
    second = demo_app.test_client()
    pair(second, demo_client.get("/present/state").get_json()["code"], OTHER_PHONE)
    assert command(second, 1, "next", environ=OTHER_PHONE).status_code == 403
    phone.post("/remote/handover", data={"csrf_token": token(phone), "to": "手机 2"}, environ_base=PHONE)
    assert command(second, 1, "next", environ=OTHER_PHONE).get_json()["index"] == 1
    assert command(phone, 9, "next").status_code == 403
    ended = demo_client.post("/present/end", data={"csrf_token": token(demo_client)})
    assert ended.status_code == 302 and ended.headers["Location"].endswith("/attract")
    assert phone.get("/remote/state", environ_base=PHONE).status_code == 403


def test_the_playlist_is_kept_per_event(demo_client, phone, demo_app):
    pair(phone, start(demo_client))
    picked = ["TJ2024-003", "TJ2024-001", "JS2024-002"]
    answer = phone.post(
        "/remote/playlist", data={"csrf_token": token(phone), "id": picked + ["nope"]}, environ_base=PHONE
    )
    assert answer.get_json()["playlist"] == picked
    demo_client.post("/present/end", data={"csrf_token": token(demo_client)})
    start(demo_client)
    assert demo_client.get("/present/state").get_json()["playlist"] == picked


def test_freeze_keeps_the_screen_while_the_presenter_browses_ahead(demo_client, phone):
    pair(phone, start(demo_client))
    command(phone, 1, "freeze")
    command(phone, 2, "next")
    command(phone, 3, "next")
    screen = demo_client.get("/present/state").get_json()
    assert screen["index"] == 2 and screen["shown"] == {"index": 0, "photo": 0}
    command(phone, 4, "freeze")
    assert demo_client.get("/present/state").get_json()["shown"] == {"index": 2, "photo": 0}


def test_a_roadshow_counts_no_visitor_figures(demo_client, phone, demo_app):
    from kiosk.exhibits import usage
    from tests.staff_helpers import database

    usage.flush(demo_app)
    with database(demo_app) as db:
        before = usage.daily_counts(db)
    pair(phone, start(demo_client))
    for seq in range(1, 4):
        command(phone, seq, "next")
    phone.get("/remote", environ_base=PHONE)
    usage.flush(demo_app)
    with database(demo_app) as db:
        assert usage.daily_counts(db) == before


def test_staff_on_the_kiosk_screen_find_the_roadshow_mode(demo_client, demo_app):
    from tests.staff_helpers import sign_in, store_pin

    store_pin(demo_app)
    sign_in(demo_client)
    page = demo_client.get("/staff/sync/").get_data(as_text=True)
    assert 'href="/present"' in page and "路演模式" in page
