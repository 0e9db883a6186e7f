"""Sync tests' helpers: the reference receiver as a real process with packs and faults, and a kiosk pointed at it."""

import json
import os
import time
from pathlib import Path

from kiosk.suggestions import store as suggestion_store
from sync import outbox
from tests.central_helpers import KIOSK, TOKENS, Central
from tests.staff_helpers import database

KIOSK_ID = KIOSK
TOKEN = TOKENS[KIOSK_ID]
OTHER_KIOSK = "hall-b-2"
OTHER_TOKEN = TOKENS[OTHER_KIOSK]
# Fast retries for tests; the waits central asks for (Retry-After) are still honoured.
FAST = {"KIOSK_SYNC_RETRY_BASE": 0.01, "KIOSK_SYNC_RETRY_CAP": 0.05, "KIOSK_SYNC_TRIES": 6, "KIOSK_CENTRAL_TIMEOUT": 10}


class Receiver(Central):
    """The receiver's own test process with a packs folder and a faults file; url is the kiosk's base URL."""

    def __init__(self, folder, prefix=""):
        folder = Path(folder)
        self.packs = folder / "packs"
        self.packs.mkdir(parents=True)
        self.faults_file = folder / "faults.json"
        super().__init__(folder, prefix=prefix, packs=self.packs, faults=self.faults_file)

    def faults(self, *rules, chance=None):
        """Replace the fault plan: rules, and a random rule (the receiver reads the file again when it changes)."""
        temporary = self.faults_file.with_suffix(".tmp")
        temporary.write_text(json.dumps({"rules": list(rules), "random": chance}))
        os.replace(temporary, self.faults_file)

    def suggestions(self):
        """Return {uuid: (content as stored, moderation)} as central holds them."""
        return {u: (json.loads(c), m) for u, c, m in self.rows("SELECT uuid, content, moderation FROM suggestions")}

    def stats(self):
        """Return {(date, event_id, achievement_id, metric): value} as central holds them."""
        return {
            (d, e, a, m): v
            for d, e, a, m, v in self.rows("SELECT date, event_id, achievement_id, metric, value FROM stats")
        }

    def log_text(self):
        """Return what the receiver logged."""
        return self.server.log_text()


def visitor_suggestions(app, n, start=0, **fields):
    """Keep n suggestions through the kiosk's own store, varied as visitors write them; return their uuids."""
    uuids = []
    with database(app) as db:
        for i in range(start, start + n):
            data = {
                "title": f"建议{i}" if i % 2 else "",
                "content": f"第{i}条：外业照片按点位自动命名，省去手工整理。",
                "background": "背景" * (i % 4),
                "key_problems": "",
                "scope": "测绘外业" if i % 3 else "",
                "feasibility": "",
                "expected_benefits": "每天省一小时" if i % 5 else "",
                "proposer_name": "王小明" if i % 2 else "",
                "proposer_unit": "测绘院" if i % 4 else "",
                "proposer_phone": "13800000000" if i % 6 == 1 else "",
                "consent_authenticity": True,
                "consent_authorization": True,
                "consent_contact": i % 6 == 1,
                **fields,
            }
            receipt = suggestion_store.keep(
                db,
                data,
                kiosk_id=app.config["KIOSK_ID"],
                event_id=app.config["KIOSK_EVENT_ID"],
                source="phone" if i % 2 else "kiosk",
                form_token=f"form-{i}",
                related_achievement_id="TJ2024-003" if i % 7 == 0 else None,
            )
            uuids.append(receipt["uuid"])
    return uuids


def kiosk_items(app):
    """Return {uuid: contract item} for every suggestion the kiosk holds."""
    with database(app) as db:
        return {s["uuid"]: s for s in outbox.every_suggestion(db)}


def assert_central_holds_exactly(receiver, app):
    """Assert central holds every kiosk suggestion once, with its content and moderation intact, and nothing else."""
    held = receiver.suggestions()
    items = kiosk_items(app)
    assert set(held) == set(items)
    for uuid, item in items.items():
        content, moderation = held[uuid]
        assert content == {k: v for k, v in item.items() if k != "moderation"}
        assert moderation == item["moderation"]


def outbox_states(app):
    """Return {state: count} of the kiosk's outbox."""
    with database(app) as db:
        return outbox.counts(db)


def push(app, *args):
    """Run `flask sync push` in the app; return the click result and the seconds it took."""
    started = time.monotonic()
    result = app.test_cli_runner().invoke(args=["sync", "push", *args])
    return result, time.monotonic() - started
