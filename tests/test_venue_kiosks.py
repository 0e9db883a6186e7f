"""Several kiosks at one event: each fresh installation is itself, staff can name it, central notices a shared id."""

import re

from kiosk import create_app
from sync import bundle
from tests.central_helpers import import_bundle
from tests.staff_helpers import database, sign_in, store_pin, token
from tests.support import make_test_app
from tests.sync_helpers import FAST, KIOSK_ID, TOKEN, push, visitor_suggestions


def fresh(path, **config):
    """Return a kiosk app on a fresh instance whose kiosk id nobody configured."""
    return make_test_app(path, KIOSK_ID=None, KIOSK_EVENT_ID=None, **config)


def test_two_fresh_installations_get_their_own_readable_kiosk_ids_which_stay(tmp_path):
    first, second = fresh(tmp_path / "a"), fresh(tmp_path / "b")
    assert re.fullmatch(r"kiosk-[a-z2-9]{4}", first.config["KIOSK_ID"])
    assert first.config["KIOSK_ID"] != second.config["KIOSK_ID"]
    assert first.config["KIOSK_INSTALLATION_ID"] != second.config["KIOSK_INSTALLATION_ID"]
    again = create_app({"TESTING": True}, instance_path=tmp_path / "a")  # the next start
    assert again.config["KIOSK_ID"] == first.config["KIOSK_ID"]
    assert again.config["KIOSK_INSTALLATION_ID"] == first.config["KIOSK_INSTALLATION_ID"]


def staff_client(app):
    """Return a signed-in staff client of app."""
    store_pin(app)
    client = app.test_client()
    sign_in(client)
    return client


def test_staff_see_and_set_the_kiosk_and_event_ids(tmp_path):
    app = fresh(tmp_path / "a")
    staff = staff_client(app)
    page = staff.get("/staff/sync/").get_data(as_text=True)
    assert f"本机编号 <strong>{app.config['KIOSK_ID']}</strong>" in page and "活动编号" in page
    bad = staff.post(
        "/staff/sync/machine", data={"csrf_token": token(staff), "kiosk_id": "展厅 A", "event_id": "tj-expo"}
    )
    assert bad.status_code == 400
    assert "不合规" in bad.get_data(as_text=True) and 'value="展厅 A"' in bad.get_data(as_text=True)
    good = staff.post(
        "/staff/sync/machine", data={"csrf_token": token(staff), "kiosk_id": "hall-a-2", "event_id": "tj-expo"}
    )
    assert good.status_code == 302
    assert "本机编号 <strong>hall-a-2</strong>" in staff.get("/staff/sync/").get_data(as_text=True)
    visitor_suggestions(app, 1)
    with database(app) as db:
        assert db.execute("SELECT kiosk_id, event_id FROM suggestions").fetchone() == ("hall-a-2", "tj-expo")
    restarted = create_app({"TESTING": True}, instance_path=tmp_path / "a")
    assert (restarted.config["KIOSK_ID"], restarted.config["KIOSK_EVENT_ID"]) == ("hall-a-2", "tj-expo")


def test_an_id_fixed_in_kiosk_toml_is_not_changed_from_the_page(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "kiosk.toml").write_text('id = "hall-b-1"\n', encoding="utf-8")
    app = make_test_app(tmp_path / "a")
    staff = staff_client(app)
    refused = staff.post(
        "/staff/sync/machine", data={"csrf_token": token(staff), "kiosk_id": "other", "event_id": "event"}
    )
    assert refused.status_code == 400 and "kiosk.toml" in refused.get_data(as_text=True)
    assert app.config["KIOSK_ID"] == "hall-b-1"


def test_two_installations_under_one_id_never_overwrite_each_others_bundle_and_central_warns(tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    written = []
    for name in ("a", "b"):
        app = make_test_app(tmp_path / name, KIOSK_ID="kiosk-1")  # both left on the same id
        visitor_suggestions(app, 2)
        with database(app) as db:
            written.append(bundle.export(db, "kiosk-1", stick, app.config["KIOSK_INSTALLATION_ID"]).path)
        with database(app) as db:  # the same kiosk again, the same second: a new name, never the old file
            written.append(bundle.export(db, "kiosk-1", stick, app.config["KIOSK_INSTALLATION_ID"]).path)
    assert len(set(written)) == 4 and sorted(p.name for p in stick.glob("*.zip")) == sorted(p.name for p in written)
    (stick / ".wuxiao-bundle-cut.zip.123.part").write_bytes(b"half")  # an export cut by a pulled stick
    imported = import_bundle(stick, tmp_path / "central.db")
    lines = [line for line in imported.stdout.splitlines() if line.startswith("kiosk-1: ")]
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert len(lines) == 4 and all("新存入" in line for line in lines)
    assert "本机编号 kiosk-1 被 2 台不同的安装共用" in imported.stdout


def test_central_logs_a_warning_when_two_installations_push_under_one_kiosk_id(receiver, tmp_path):
    for name in ("a", "b"):
        app = make_test_app(
            tmp_path / name, KIOSK_ID=KIOSK_ID, KIOSK_CENTRAL_URL=receiver.url, KIOSK_CENTRAL_TOKEN=TOKEN, **FAST
        )
        visitor_suggestions(app, 1)
        result, _ = push(app)
        assert result.exit_code == 0, result.output
    assert f"本机编号 {KIOSK_ID} 被 2 台不同的安装共用" in receiver.log_text()
