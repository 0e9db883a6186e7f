"""A PC whose clock is wrong (1970: no RTC battery) or far off: bundles, exports, receipts work; staff are told."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

import pytest

from tests.support import ROOT, under_clock

pytestmark = pytest.mark.skipif(shutil.which("faketime") is None, reason="needs Debian's faketime (scripts/test.sh)")

# Under faketime: a visitor's suggestion through the form, then staff's Excel export and sync page.
VISIT = textwrap.dedent(
    """
    import json, sys
    from tests.staff_helpers import sign_in, store_pin
    from tests.support import make_test_app
    from tests.suggest_helpers import GOOD, submit

    app = make_test_app(sys.argv[1])
    visitor = app.test_client()
    sent = submit(visitor, GOOD)
    receipt = visitor.get(sent.headers["Location"]).get_data(as_text=True)
    staff = app.test_client()
    store_pin(app)
    sign_in(staff)
    xlsx = staff.get("/staff/suggestions.xlsx")
    with open(sys.argv[2], "wb") as f:
        f.write(xlsx.data)
    page = staff.get("/staff/sync/").get_data(as_text=True)
    print(json.dumps({"sent": sent.status_code, "receipt": receipt, "xlsx": xlsx.status_code,
                      "sync_page": page}))
    """
)


def visit(when, instance, tmp_path):
    """Send a suggestion and open staff's pages with the clock at `when`; return what was seen."""
    xlsx = tmp_path / f"export-{when[:4]}.xlsx"
    run = under_clock(when, [sys.executable, "-c", VISIT, str(instance), str(xlsx)])
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    seen["xlsx_file"] = xlsx
    return seen


@pytest.fixture
def instance(demo_instance, tmp_path):
    """Return a copy of the demo kiosk's instance folder."""
    target = tmp_path / "instance"
    shutil.copytree(demo_instance, target)
    return target


def receipt_no(html):
    """Return the receipt number a receipt page shows."""
    return html.split('class="receipt-no">', 1)[1].split("<", 1)[0]


def test_in_1970_suggestions_excel_and_the_usb_bundle_all_work_and_staff_are_told_the_clock_is_wrong(
    instance, tmp_path
):
    seen = visit("1970-01-02 10:00:00", instance, tmp_path)
    assert seen["sent"] == 303 and receipt_no(seen["receipt"]) == "0102-001"
    assert seen["xlsx"] == 200
    assert zipfile.ZipFile(seen["xlsx_file"]).testzip() is None
    assert "本机时钟显示 1970-01-02" in seen["sync_page"] and "请在系统设置里把日期和时间改对" in seen["sync_page"]
    stick = tmp_path / "stick"
    stick.mkdir()
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance)}
    export = under_clock(
        "1970-01-02 10:05:00", [sys.executable, "-m", "flask", "--app", "kiosk", "sync", "export", str(stick)], env=env
    )
    assert export.returncode == 0, export.stdout + export.stderr
    (bundle,) = stick.glob("*.zip")
    with zipfile.ZipFile(bundle) as z:
        assert z.testzip() is None
        assert json.loads(z.read("bundle.json"))["suggestions"][0]["content"].startswith("外业照片")


def test_a_receipt_number_never_repeats_on_one_kiosk_across_years_and_a_clock_reset(instance, tmp_path):
    numbers = [
        receipt_no(visit(when, instance, tmp_path)["receipt"])
        for when in ("2026-12-05 09:00:00", "1970-12-05 09:00:00", "2027-12-05 09:00:00", "2027-12-06 09:00:00")
    ]
    assert numbers == ["1205-001", "1205-002", "1205-003", "1206-001"]


def test_in_2100_the_excel_export_and_suggestions_work(instance, tmp_path):
    seen = visit("2100-06-01 09:00:00", instance, tmp_path)
    assert seen["sent"] == 303 and receipt_no(seen["receipt"]) == "0601-001"
    assert seen["xlsx"] == 200 and zipfile.ZipFile(seen["xlsx_file"]).testzip() is None


def test_a_right_clock_gets_no_warning(instance, tmp_path):
    seen = visit("2026-12-05 09:00:00", instance, tmp_path)
    assert "本机时钟显示" not in seen["sync_page"]


def test_a_clock_before_the_installed_pack_was_published_is_wrong():
    from kiosk import clock

    assert "早于已导入内容包的发布日期 2999-01-01" in clock.wrong_clock(["2999-01-01T09:00:00+08:00"])
    assert clock.wrong_clock(["2024-10-15T09:00:00+08:00", "not a date", None]) is None


# The same instant, 2026-12-05 08:30 in Beijing, on PCs set to different time zones (POSIX TZ strings: no tzdata).
ZONES = textwrap.dedent(
    """
    import json, sys
    from tests.staff_helpers import sign_in, store_pin
    from tests.support import make_test_app
    from tests.suggest_helpers import GOOD, submit

    app = make_test_app(sys.argv[1], KIOSK_OPEN_HOURS="08:00-09:00")
    screen = app.test_client()
    attract = screen.get("/attract").get_data(as_text=True)
    sent = submit(screen, GOOD)
    receipt = screen.get(sent.headers["Location"]).get_data(as_text=True)
    staff = app.test_client()
    store_pin(app)
    sign_in(staff)
    listing = staff.get("/staff/suggestions").get_data(as_text=True)
    print(json.dumps({"closed": 'id="closed-note"' in attract, "receipt": receipt, "listing": listing}))
    """
)


@pytest.mark.parametrize(
    ("zone", "pc_time"),
    [("UTC0", "2026-12-05 00:30:00"), ("PST8", "2026-12-04 16:30:00"), ("CST-8", "2026-12-05 08:30:00")],
)
def test_a_pc_set_to_any_time_zone_keeps_beijing_time_for_hours_receipts_and_staff(instance, zone, pc_time):
    # A plain Debian install runs in UTC: 08:30 in Beijing must still be within 08:00-09:00 and on 5 December.
    run = under_clock(pc_time, [sys.executable, "-c", ZONES, str(instance)], zone=zone)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["closed"] is False
    assert receipt_no(seen["receipt"]) == "1205-001"
    assert "登录于 08:30" in seen["listing"] and "2026-12-05 08:30" in seen["listing"]
    assert "2026-12-05 08:30（北京时间）" in seen["listing"]  # 本机时钟 on 本机状态


# Steps the wall clock while the kiosk runs (NTP correcting it once the LAN is up). libfaketime moves the
# monotonic clock too unless told not to, and then Python's time.sleep fails (toolchain.md): this runs the
# app in-process through its test client, which never sleeps.
STEPS = textwrap.dedent(
    """
    import datetime, json, re, sys
    from tests.staff_helpers import sign_in, store_pin
    from tests.support import make_test_app

    def step(to):
        with open(sys.argv[2], "w") as f:
            f.write(to + "\\n")
        return datetime.datetime.now().isoformat(timespec="minutes")

    app = make_test_app(sys.argv[1])
    store_pin(app)
    staff = app.test_client()
    sign_in(staff)
    intruder = app.test_client()
    for _ in range(5):
        sign_in(intruder, pin="11111111", environ_base={"REMOTE_ADDR": "192.168.1.66"})

    def seen(label):
        refused = sign_in(intruder, environ_base={"REMOTE_ADDR": "192.168.1.66"}).get_data(as_text=True)
        wait = re.search(r"请\\s*(\\d+)\\s*分钟", refused)
        page = staff.get("/staff/sync/").status_code
        out[label] = {"staff_page": page, "lockout_minutes": wait and int(wait.group(1))}

    out = {}
    seen("start")
    out["clock_back"] = step("@2026-12-04 10:00:00")
    seen("back")
    out["clock_forward"] = step("@2027-03-01 10:00:00")
    seen("forward")
    print(json.dumps(out))
    """
)


def test_a_clock_that_steps_either_way_keeps_staff_sessions_and_lockouts_as_they_were(instance, tmp_path):
    clock_file = tmp_path / "clock"
    clock_file.write_text("@2026-12-05 10:00:00\n")
    env = {
        **os.environ,
        "LD_PRELOAD": "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
        "FAKETIME_TIMESTAMP_FILE": str(clock_file),
        "FAKETIME_NO_CACHE": "1",
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "KIOSK_STAFF_FROM_LAN": "1",
    }
    run = subprocess.run(
        [sys.executable, "-c", STEPS, str(instance), str(clock_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["clock_back"].startswith("2026-12-0") and seen["clock_forward"].startswith("2027-0")
    for moment in ("start", "back", "forward"):
        assert seen[moment] == {"staff_page": 200, "lockout_minutes": 5}, (moment, seen)


# A visitor on a phone on the event's day, then the PC loses its clock (1970) and staff open 观众统计.
PHONE_DAY = textwrap.dedent(
    """
    import sys
    from kiosk.exhibits import usage
    from tests.suggest_helpers import GOOD, PHONE_CLIENT, submit
    from tests.support import make_test_app

    app = make_test_app(sys.argv[1])
    phone = app.test_client()
    assert phone.get("/a/TJ2024-001", environ_base=PHONE_CLIENT).status_code == 200
    assert submit(phone, GOOD, environ_base=PHONE_CLIENT).status_code == 303
    usage.flush(app)
    """
)
STAFF_LOOK = textwrap.dedent(
    """
    import sys
    from tests.staff_helpers import sign_in, store_pin
    from tests.support import make_test_app

    app = make_test_app(sys.argv[1])
    store_pin(app)
    staff = app.test_client()
    sign_in(staff)
    print(staff.get("/staff/dashboard").get_data(as_text=True))
    """
)


def test_with_the_clock_back_in_1970_the_dashboard_opens_on_the_days_that_have_figures(instance):
    run = under_clock("2026-12-05 10:20:00", [sys.executable, "-c", PHONE_DAY, str(instance)])
    assert run.returncode == 0, run.stderr
    run = under_clock("1970-01-01 08:00:00", [sys.executable, "-c", STAFF_LOOK, str(instance)])
    assert run.returncode == 0, run.stderr
    assert "2026-11-21 至 2026-12-05" in run.stdout, "the 15 days ending on the last day with figures"
    assert "<title>10：1 条</title>" in run.stdout, "the event day's suggestion is in the per-hour chart"
    assert "本机时钟显示 1970-01-01" in run.stdout, "and staff are told the clock is wrong"
