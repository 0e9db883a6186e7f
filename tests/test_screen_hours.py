"""Opening hours: staff write them on 设置; outside them the kiosk screen's attract loop is black, and a clock
that is clearly wrong (1970) keeps the screen on."""

import json
import shutil
import sys
import textwrap

import pytest

from kiosk.appliance import hours
from tests.staff_helpers import sign_in, store_pin
from tests.suggest_helpers import PHONE_CLIENT as PHONE
from tests.support import make_test_app, under_clock


@pytest.mark.parametrize(
    "typed, kept",
    [
        ("08:30-17:30", "08:30-17:30"),
        ("8:30 - 17:30", "08:30-17:30"),
        ("8：30～17：30", "08:30-17:30"),
        ("０８：３０－１７：３０", "08:30-17:30"),
        ("9:00至17:00", "09:00-17:00"),
        ("08:30-12:00，13:30-17:30", "08:30-12:00,13:30-17:30"),
        ("08:30-12:00 13:30-17:30", "08:30-12:00,13:30-17:30"),
        ("20:00-02:00", "20:00-02:00"),
        ("08:00-24:00", "08:00-24:00"),
        ("", None),
        ("   ", None),
    ],
)
def test_hours_are_read_the_ways_staff_write_them(typed, kept):
    assert hours.normal_text(typed) == kept


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("9点到5点", "“9点到5点”看不懂"),
        ("08:30", "看不懂"),
        ("08:30-17:30 周一", "“周一”看不懂"),
        ("08:30-08:30", "开始和结束相同；全天开放请留空"),
        ("00:00-24:00", "“00:00-24:00”就是全天；全天开放请留空"),
        ("25:00-26:00", "小时为 0–24，分钟为 00–59"),
        ("08:70-17:00", "小时为 0–24，分钟为 00–59"),
    ],
)
def test_hours_that_cannot_be_read_are_refused_in_chinese(typed, reason):
    with pytest.raises(ValueError, match=reason):
        hours.parse(typed)


def test_open_at_the_start_closed_at_the_end_and_a_span_past_midnight_runs_into_the_next_day():
    day = hours.parse("08:30-12:00,13:30-17:30")
    assert [hours.open_at(day, m) for m in (509, 510, 719, 720, 800, 810, 1049, 1050)] == [
        False, True, True, False, False, True, True, False,
    ]  # fmt: skip
    night = hours.parse("20:00-02:00")
    assert [hours.open_at(night, m) for m in (1199, 1200, 1439, 0, 119, 120)] == [False, True, True, True, True, False]
    assert hours.open_at(hours.parse("08:00-24:00"), 1439) and hours.open_at([], 3)


# Under faketime: the kiosk screen's beat and /attract, and staff's 本机状态.
LOOK = textwrap.dedent(
    """
    import json, sys
    from tests.staff_helpers import sign_in, store_pin
    from tests.support import make_test_app

    app = make_test_app(sys.argv[1], KIOSK_OPEN_HOURS=sys.argv[2])
    screen = app.test_client()
    beat = screen.get("/screen/alive").get_json()
    attract = screen.get("/attract").get_data(as_text=True)
    store_pin(app)
    staff = app.test_client()
    sign_in(staff)
    home = staff.get("/staff/suggestions").get_data(as_text=True)
    print(json.dumps({"beat": beat, "attract": attract, "health": screen.get("/health.json").get_json(),
                      "home": home}))
    """
)


@pytest.fixture
def instance(demo_instance, tmp_path):
    """Return a copy of the demo kiosk's instance folder."""
    target = tmp_path / "instance"
    shutil.copytree(demo_instance, target)
    return target


def look(when, open_hours, instance):
    """Return what the screen and staff see at the clock `when` with these opening hours."""
    run = under_clock(when, [sys.executable, "-c", LOOK, str(instance), open_hours])
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


needs_faketime = pytest.mark.skipif(shutil.which("faketime") is None, reason="needs Debian's faketime")


@needs_faketime
def test_outside_the_opening_hours_the_attract_loop_is_black_and_staff_read_why(instance):
    seen = look("2026-12-05 20:00:00", "08:30-17:30", instance)
    assert seen["beat"] == {"open": False}
    assert 'id="screen-closed"' in seen["attract"] and 'id="attract"' not in seen["attract"]
    assert "<span>休息中</span> <span>开放时间 08:30–17:30</span>" in seen["attract"]
    assert seen["health"]["screen"]["open"] is False
    assert "08:30–17:30：现在休息，屏幕黑屏" in seen["home"]

    seen = look("2026-12-05 08:30:00", "08:30-17:30", instance)
    assert seen["beat"] == {"open": True} and 'id="attract"' in seen["attract"]
    assert "08:30–17:30：现在开放，屏幕常亮" in seen["home"]


@needs_faketime
def test_a_clock_in_1970_keeps_the_screen_on_whatever_the_hours(instance):
    seen = look("1970-01-01 20:00:00", "08:30-17:30", instance)
    assert seen["beat"] == {"open": True} and 'id="attract"' in seen["attract"]
    assert seen["health"]["screen"]["why"] == "本机时钟不对，屏幕保持常亮"
    assert "08:30–17:30：本机时钟不对，屏幕保持常亮" in seen["home"]


def test_hours_set_in_kiosk_toml_that_cannot_be_read_keep_the_screen_on(demo_app, demo_client):
    demo_app.config["KIOSK_OPEN_HOURS"] = "九点到五点"
    assert demo_client.get("/screen/alive").get_json() == {"open": True}
    assert demo_client.get("/health.json").get_json()["screen"]["why"] == "开放时间设置有误，屏幕保持常亮"


def test_phones_get_no_beat_and_no_screen_state(demo_client):
    assert demo_client.get("/screen/alive", environ_base=PHONE).status_code == 404


def test_staff_set_the_hours_and_the_rotation_on_settings_and_they_apply_at_once(demo_app, demo_client):
    store_pin(demo_app)
    sign_in(demo_client)
    page = demo_client.get("/staff/settings/").get_data(as_text=True)
    assert "开放时间" in page and "竖屏（显示器顺时针转 90° 安装）" in page
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    bad = demo_client.post(
        "/staff/settings/", data={"csrf_token": token, "open_hours": "九点到五点", "screen_rotation": "45"}
    )
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "“九点到五点”看不懂" in html and 'value="九点到五点"' in html  # the typing is kept
    assert "屏幕方向只能是 0、90、180 或 270（度）。" in html

    turned = {"csrf_token": token, "open_hours": "0:00 - 0:01", "screen_rotation": "90"}
    demo_client.post("/staff/settings/", data=turned)
    assert demo_app.config["KIOSK_OPEN_HOURS"] == "00:00-00:01"
    screen = demo_client.get("/health.json").get_json()["screen"]
    assert screen["rotation"] == 90 and screen["hours"] == "00:00–00:01"
    home = demo_client.get("/staff/suggestions").get_data(as_text=True)
    assert "设定为竖屏（显示器顺时针转 90° 安装）；还没有收到页面尺寸" in home
    demo_client.get("/screen/alive?w=1920&h=1080")  # the screen has not turned (yet)
    home = demo_client.get("/staff/suggestions").get_data(as_text=True)
    assert "1920×1080（横屏），设定为竖屏（显示器顺时针转 90° 安装）：与设定不符" in home
    demo_client.get("/screen/alive?w=1080&h=1920")
    assert "与设定不符" not in demo_client.get("/staff/suggestions").get_data(as_text=True)

    demo_client.post("/staff/settings/", data={"csrf_token": token, "open_hours": "", "screen_rotation": "0"})
    assert demo_app.config["KIOSK_OPEN_HOURS"] is None
    assert demo_client.get("/screen/alive").get_json() == {"open": True}


def test_a_read_only_value_outside_the_page_s_range_does_not_stop_staff_saving_the_rest(demo_instance, tmp_path):
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    app = make_test_app(instance, KIOSK_IDLE_SECONDS=5)  # fixed by the start-up program, below the page's 30
    store_pin(app)
    client = app.test_client()
    sign_in(client)
    page = client.get("/staff/settings/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    saved = client.post("/staff/settings/", data={"csrf_token": token, "idle_seconds": "5", "open_hours": "9:00-17:00"})
    assert saved.status_code == 302 and app.config["KIOSK_OPEN_HOURS"] == "09:00-17:00"
    changed = client.post("/staff/settings/", data={"csrf_token": token, "idle_seconds": "60"})
    assert changed.status_code == 400 and "不能在本页修改" in changed.get_data(as_text=True)
