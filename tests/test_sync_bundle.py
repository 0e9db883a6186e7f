"""The offline bundle: written atomically and streamed, checked by sha256sum, imported by central without doubling."""

import json
import subprocess
import sys
import tracemalloc
import uuid
import zipfile

from kiosk.staff import queries as staff_suggestions
from sync import bundle, stats
from tests.staff_helpers import database
from tests.support import ROOT
from tests.sync_helpers import (
    KIOSK_ID,
    assert_central_holds_exactly,
    kiosk_items,
    outbox_states,
    push,
    visitor_suggestions,
)

FIGURES = [
    ("2024-10-21", "tj-2024-expo", "", "suggestion", 4),
    ("2024-10-21", "tj-2024-expo", "TJ2024-001", "detail_view", 41),
    ("2024-10-22", "tj-2024-expo", "TJ2024-002", "quiz_taken", 3),
]


def add_figures(app, rows=FIGURES):
    """Store usage counts as the flusher would have."""
    with database(app) as db:
        db["usage_counts"].insert_all(
            [dict(zip(("day", "event_id", "achievement_id", "metric", "value"), r)) for r in rows], replace=True
        )


def export(app, path):
    """Run `flask sync export PATH`; return the bundle's path."""
    result = app.test_cli_runner().invoke(args=["sync", "export", str(path)])
    assert result.exit_code == 0, result.output
    return result.output.split("离线包已写入：", 1)[1].split("\n", 1)[0]


def import_bundle(receiver, path):
    """Import a bundle with the receiver's own command; return the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "central", "import-bundle", str(path), "--db", str(receiver.db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bundle_holds_every_suggestion_and_figure_and_its_checksum(kiosk, tmp_path):
    uuids = visitor_suggestions(kiosk, 5)
    with database(kiosk) as db:
        staff_suggestions.set_moderation(db, uuids[0], "spam")
        db.execute("UPDATE outbox SET state = 'delivered' WHERE uuid = ?", [uuids[1]])
        db.execute("UPDATE outbox SET state = 'conflict' WHERE uuid = ?", [uuids[2]])
        db.conn.commit()
    add_figures(kiosk)
    stick = tmp_path / "usb"
    stick.mkdir()
    path = export(kiosk, stick)
    assert path.startswith(str(stick / f"wuxiao-bundle-{KIOSK_ID}-")) and path.endswith(".zip")
    assert [p.name for p in stick.iterdir()] == [path.rsplit("/", 1)[1]]
    with zipfile.ZipFile(path) as z:
        # The contract's two files, and the installation beside them (ignored by a receiver that reads those two).
        assert z.namelist() == ["bundle.json", "SHA256SUMS", "KIOSK-INSTALL"]
        assert z.read("KIOSK-INSTALL").decode().strip() == kiosk.config["KIOSK_INSTALLATION_ID"]
        z.extractall(tmp_path / "out")
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path / "out", capture_output=True, text=True)
    assert check.returncode == 0 and "bundle.json: OK" in check.stdout
    data = json.loads((tmp_path / "out" / "bundle.json").read_text(encoding="utf-8"))
    assert set(data) == {"format", "kiosk_id", "created_at", "suggestions", "stats"}
    assert data["format"] == "wuxiao-bundle/1" and data["kiosk_id"] == KIOSK_ID and "+" in data["created_at"][19:]
    assert {s["uuid"]: s for s in data["suggestions"]} == kiosk_items(kiosk)
    assert data["stats"] == [
        {
            "date": "2024-10-21",
            "event_id": "tj-2024-expo",
            "counters": [
                {"achievement_id": None, "metric": "suggestion", "value": 4},
                {"achievement_id": "TJ2024-001", "metric": "detail_view", "value": 41},
            ],
        },
        {
            "date": "2024-10-22",
            "event_id": "tj-2024-expo",
            "counters": [{"achievement_id": "TJ2024-002", "metric": "quiz_taken", "value": 3}],
        },
    ]
    # Export marks nothing delivered: the kiosk cannot know when central imports it.
    assert outbox_states(kiosk)["pending"] == 3
    status = kiosk.test_cli_runner().invoke(args=["sync", "status"]).output
    assert "上次同步：导出离线包" in status and "结果：完成" in status


def test_importing_the_same_bundle_twice_stores_nothing_twice(receiver, kiosk, tmp_path):
    visitor_suggestions(kiosk, 30)
    add_figures(kiosk)
    path = export(kiosk, tmp_path / "bundle.zip")
    first = import_bundle(receiver, path)
    assert first.returncode == 0, first.stderr
    second = import_bundle(receiver, path)
    assert second.returncode == 0 and "以前导入过" in second.stdout and "duplicate" in second.stdout
    assert_central_holds_exactly(receiver, kiosk)
    assert receiver.stats() == {(d, e, a or None, m): v for d, e, a, m, v in FIGURES}


def test_a_bundle_overlapping_an_online_push_doubles_nothing(receiver, kiosk, tmp_path):
    early = visitor_suggestions(kiosk, 20)
    add_figures(kiosk, FIGURES[:2])
    assert push(kiosk)[0].exit_code == 0
    visitor_suggestions(kiosk, 15, start=20)
    with database(kiosk) as db:
        staff_suggestions.set_moderation(db, early[0], "approved")
    add_figures(kiosk, [(*FIGURES[0][:4], 9), *FIGURES[1:]])
    path = export(kiosk, tmp_path / "bundle.zip")
    assert import_bundle(receiver, path).returncode == 0
    assert_central_holds_exactly(receiver, kiosk)
    # The online push after the bundle: central already holds all of it.
    result, _ = push(kiosk)
    assert result.exit_code == 0 and "本次发送 16 条：新收 0 · 重复确认 16" in result.output
    assert_central_holds_exactly(receiver, kiosk)
    assert import_bundle(receiver, path).returncode == 0
    assert_central_holds_exactly(receiver, kiosk)
    assert receiver.stats()[("2024-10-21", "tj-2024-expo", None, "suggestion")] == 9
    assert len(receiver.stats()) == 3


def test_a_failed_export_leaves_no_file_behind(kiosk, tmp_path, monkeypatch):
    visitor_suggestions(kiosk, 3)
    add_figures(kiosk)

    def broken(db):
        yield from []
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(stats, "days", broken)
    result = kiosk.test_cli_runner().invoke(args=["sync", "export", str(tmp_path / "bundle.zip")])
    # In Chinese: staff never read the system's English error.
    assert result.exit_code == 1 and "离线包写入失败：U盘已满" in result.output and "No space" not in result.output
    assert list(tmp_path.glob("*bundle*")) == []
    status = kiosk.test_cli_runner().invoke(args=["sync", "status"]).output
    assert "写入失败：U盘已满" in status


def bulk_suggestions(app, count):
    """Insert count long suggestions at once."""
    with database(app) as db:
        db["suggestions"].insert_all(
            {
                "uuid": str(uuid.uuid4()),
                "kiosk_id": "k",
                "event_id": "e",
                "created_at": "2024-10-21T10:00:00+08:00",
                "source": "kiosk",
                "content": "长" * 1500,
                "background": "背" * 500,
                "consent_authenticity": 1,
                "consent_authorization": 1,
                "consent_contact": 0,
            }
            for _ in range(count)
        )


def test_export_memory_does_not_grow_with_the_backlog(app, tmp_path):
    def peak(name):
        with database(app) as db:
            tracemalloc.start()
            try:
                bundle.export(db, "k", tmp_path / name)
                return tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    bulk_suggestions(app, 600)  # more than one page of 500
    small = peak("small.zip")
    bulk_suggestions(app, 2400)  # 3000 suggestions, about 20 MB of text in memory if held at once
    large = peak("large.zip")
    assert large < small * 1.3, (small, large)
