"""One push run: pending suggestions in batches with a stable Idempotency-Key each, then each day's figures."""

import uuid as uuids
from collections import Counter
from dataclasses import dataclass, field

from sync import outbox, stats
from sync.http import KeyConflict, RetryLater, Stop, TooLarge, encode
from sync.retry import GaveUp, Retry

MAX_ITEMS = 500
MAX_BYTES = 5 * 1024 * 1024
ENVELOPE = len(b'{"items":[]}')


@dataclass
class Report:
    """What a push run did."""

    total: int = 0
    done: int = 0
    answers: Counter = field(default_factory=Counter)
    days_sent: int = 0
    days_unchanged: int = 0
    stopped: str = None
    gave_up: str = None
    left: dict = field(default_factory=dict)

    @property
    def undelivered(self):
        """Return how many suggestions are not delivered after the run (pending, conflict, invalid)."""
        return sum(n for state, n in self.left.items() if state != "delivered")

    @property
    def result(self):
        """Return how the run ended: stopped, unreachable, incomplete or ok."""
        if self.stopped:
            return "stopped"
        if self.gave_up:
            return "unreachable"
        return "incomplete" if self.undelivered else "ok"

    def counts(self):
        """Return the figures kept in sync_runs."""
        return {
            "total": self.total,
            "answers": dict(self.answers),
            "days_sent": self.days_sent,
            "days_unchanged": self.days_unchanged,
            "left": self.left,
        }


def batches(db, max_items=MAX_ITEMS, max_bytes=MAX_BYTES):
    """Yield lists of (item, encoded item) of pending suggestions, within both limits, one page read at a time."""
    after = ""
    while True:
        page = outbox.pending_page(db, after, max_items)
        if not page:
            return
        after = page[-1]["uuid"]
        batch, size = [], ENVELOPE
        for suggestion in page:
            encoded = encode(suggestion)
            if batch and size + len(encoded) + 1 > max_bytes:
                yield batch
                batch, size = [], ENVELOPE
            batch.append((suggestion, encoded))
            size += len(encoded) + 1
        yield batch
        del page, batch  # before the next page is read, so only one page is ever held


def envelope(batch):
    """Return the request body for a batch, built from its items' bytes."""
    return b'{"items":[' + b",".join(encoded for _, encoded in batch) + b"]}"


class Push:
    """Push what is pending to central, then the usage figures; report progress as (done, total)."""

    def __init__(self, db, central, retry=None, progress=None, max_items=MAX_ITEMS, max_bytes=MAX_BYTES):
        self.db = db
        self.central = central
        self.retry = retry or Retry()
        self.progress = progress
        self.max_items = max_items
        self.max_bytes = max_bytes
        self.path = f"/api/v1/kiosks/{central.kiosk_id}"
        self.report = Report()

    def run(self):
        """Run once and return the Report; nothing raises for central's answers."""
        report = self.report
        report.total = outbox.counts(self.db)["pending"]
        try:
            for batch in batches(self.db, self.max_items, self.max_bytes):
                self.send(batch)
                report.done += len(batch)
                if self.progress:
                    self.progress(report.done, max(report.total, report.done))
                del batch  # before the next page is read, so only one page is ever held
            self.push_stats()
        except Stop as e:
            report.stopped = str(e)
        except GaveUp as e:
            report.gave_up = str(e)
        report.left = outbox.counts(self.db)
        return report

    def send(self, batch):
        """Send one batch until central answers it; split it in halves, each under a new key, on 413."""
        uuids_sent = [s["uuid"] for s, _ in batch]
        body = envelope(batch)
        key = str(uuids.uuid4())

        def attempt():
            answer = self.central.request(
                "POST", f"{self.path}/suggestions", body=body, headers={"Idempotency-Key": key}
            )
            data = answer.json()
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list) or len(results) != len(batch):
                raise RetryLater("中央系统的回答与所发批次条数不符")
            return results

        def failed(error):
            outbox.record_failure(self.db, uuids_sent, error)

        for _ in range(self.retry.tries):
            try:
                results = self.retry.call(attempt, failed)
            except KeyConflict as e:
                # Only a different body under the same key gets 422: this batch takes a fresh key.
                failed(e)
                key = str(uuids.uuid4())
                continue
            except TooLarge as e:
                failed(e)
                if len(batch) == 1:
                    return
                half = len(batch) // 2
                self.send(batch[:half])
                self.send(batch[half:])
                return
            self.report.answers.update(outbox.record_results(self.db, [s for s, _ in batch], results))
            return
        raise GaveUp("中央系统多次拒绝本批次的编号（422），本次同步结束。")

    def push_stats(self):
        """PUT each day's whole count that central has not yet accepted in exactly this form."""
        for day, event_id, counters in stats.days(self.db):
            payload = stats.body(event_id, counters)
            fingerprint = stats.digest(self.central.base_url, payload)
            if stats.already_sent(self.db, day, event_id, fingerprint):
                self.report.days_unchanged += 1
                continue
            self.retry.call(
                lambda day=day, payload=payload: self.central.request("PUT", f"{self.path}/stats/{day}", payload)
            )
            stats.mark_sent(self.db, day, event_id, fingerprint)
            self.report.days_sent += 1
