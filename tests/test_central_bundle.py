"""§4: `python -m central import-bundle` checks a bundle's checksum and imports it by §1 and §2's rules."""

import json
import sqlite3
import zipfile

import pytest

from central.bundle import BundleRefused, read_bundle
from tests.central_helpers import Central, import_bundle, statuses, suggestion, write_bundle

DAY = {
    "date": "2024-10-21",
    "event_id": "tj-2024-expo",
    "counters": [
        {"achievement_id": "TJ2024-001", "metric": "video_play", "value": 7},
        {"achievement_id": None, "metric": "suggestion", "value": 2},
    ],
}


def count(db, sql="SELECT count(*) FROM suggestions"):
    """Return the single number a query gives."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchone()[0]
    finally:
        conn.close()


def test_a_bundle_imports_and_a_second_import_stores_nothing(tmp_path):
    items = [suggestion(), suggestion(moderation="approved"), suggestion(proposer=None)]
    bundle = write_bundle(tmp_path / "hall-a-1.zip", items, [DAY])
    db = tmp_path / "central.db"
    first = import_bundle(bundle, db)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout and "3" in first.stdout.split("created")[1].splitlines()[0]
    assert count(db) == 3 and count(db, "SELECT sum(value) FROM stats") == 9
    assert count(db, "SELECT count(*) FROM suggestions WHERE received_via = 'bundle'") == 3
    second = import_bundle(bundle, db)
    assert second.returncode == 0 and "以前导入过" in second.stdout
    assert "3" in second.stdout.split("duplicate")[1].splitlines()[0]
    assert count(db) == 3 and count(db, "SELECT sum(value) FROM stats") == 9
    assert count(db, "SELECT count(*) FROM bundle_imports") == 2


def test_a_bundle_overlapping_an_online_push(tmp_path):
    central = Central(tmp_path)
    try:
        online = [suggestion(), suggestion()]
        assert statuses(central.push(online)) == ["created", "created"]
        newer_day = {**DAY, "counters": [{"achievement_id": "TJ2024-001", "metric": "video_play", "value": 20}]}
        assert central.put_stats(DAY["date"], {k: v for k, v in newer_day.items() if k != "date"}).status == 200
        # The bundle was written before the push: it holds the same items and older, smaller counts.
        bundle = write_bundle(tmp_path / "b.zip", [*online, {**online[1], "moderation": "spam"}, suggestion()], [DAY])
        result = import_bundle(bundle, central.db, "--json")
        assert result.returncode == 0, result.stderr
        report = json.loads(result.stdout)
        assert [r["status"] for r in report["results"]] == ["duplicate", "duplicate", "updated", "created"]
        assert report["stats"] == [{"date": DAY["date"], "event_id": DAY["event_id"], "status": "stored", "stored": 2}]
        assert count(central.db) == 3
        assert central.rows("SELECT achievement_id, value FROM stats ORDER BY metric") == [
            (None, 2),
            ("TJ2024-001", 20),
        ]
        # The kiosk pushing online after the import: delivered already; the last arrival sets moderation.
        assert statuses(central.push(online)) == ["duplicate", "updated"]
    finally:
        central.stop()


def test_a_checksum_mismatch_refuses_the_whole_bundle(tmp_path):
    bundle = write_bundle(tmp_path / "b.zip", [suggestion(), suggestion()], [DAY], tamper=True)
    db = tmp_path / "central.db"
    result = import_bundle(bundle, db)
    assert result.returncode == 1 and "sha256" in result.stderr and "整个数据包不予导入" in result.stderr
    assert count(db) == 0 and count(db, "SELECT count(*) FROM stats") == 0


def rewrite(path, drop=None, sums=None):
    """Rewrite a bundle zip without one member, or with another SHA256SUMS text."""
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist() if name != drop}
    if sums is not None:
        members["SHA256SUMS"] = sums.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda p: rewrite(p, drop="SHA256SUMS"), "SHA256SUMS"),
        (lambda p: rewrite(p, drop="bundle.json"), "bundle.json"),
        (lambda p: rewrite(p, sums="0" * 64 + "  other.json\n"), "bundle.json"),
        (lambda p: rewrite(p, sums="not a checksum line\n"), "sha256sum"),
        (lambda p: p.write_bytes(b"not a zip"), "zip"),
    ],
)
def test_damaged_bundles_are_refused(tmp_path, damage, message):
    bundle = write_bundle(tmp_path / "b.zip", [suggestion()], [DAY])
    damage(bundle)
    with pytest.raises(BundleRefused, match=message):
        read_bundle(bundle)


@pytest.mark.parametrize(
    "keys, message",
    [
        ({"format": "wuxiao-bundle/2"}, "format"),
        ({"kiosk_id": "hall a"}, "kiosk_id"),
        ({"created_at": "yesterday"}, "created_at"),
        ({"format": None}, "format"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bundles_with_a_bad_outline_are_refused(tmp_path, keys, message):
    bundle = write_bundle(tmp_path / "b.zip", [suggestion()], [DAY], **keys)
    with pytest.raises(BundleRefused, match=message):
        read_bundle(bundle)


def test_invalid_items_and_days_are_reported_and_the_rest_imported(tmp_path):
    good, other_kiosk = suggestion(), suggestion(kiosk_id="hall-b-2")
    bad_day = {"date": "2024-13-01", "event_id": "tj-2024-expo", "counters": []}
    bundle = write_bundle(tmp_path / "b.zip", [good, other_kiosk, suggestion(title="题" * 41)], [DAY, bad_day])
    db = tmp_path / "central.db"
    result = import_bundle(bundle, db)
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"invalid: {other_kiosk['uuid']} · kiosk_id" in result.stdout and "title · 最多 40" in result.stdout
    assert "stats 2024-13-01" in result.stdout
    assert count(db) == 1 and count(db, "SELECT sum(value) FROM stats") == 9
    assert json.loads(count(db, "SELECT summary FROM bundle_imports")) == {"created": 1, "invalid": 2}


def test_a_missing_file_is_a_clean_error(tmp_path):
    result = import_bundle(tmp_path / "nowhere.zip", tmp_path / "central.db")
    assert result.returncode == 1 and "Traceback" not in result.stderr and "找不到" in result.stderr
