"""Suggestions kept by uuid, with §1's statuses, and batches remembered by their Idempotency-Key."""

import json

from .db import utc_now, write_transaction
from .jsontext import canonical
from .rules import check_suggestion


class KeyReused(Exception):
    """An Idempotency-Key came back with a different body (422)."""


def differing_keys(held, arriving):
    """Return the keys (nested ones as `proposer.phone`) whose values differ between two contents."""
    keys = []
    for key in sorted(set(held) | set(arriving)):
        a, b = held.get(key), arriving.get(key)
        if isinstance(a, dict) and isinstance(b, dict):
            keys.extend(f"{key}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
        elif a != b:
            keys.append(key)
    return keys


def store_one(conn, kiosk_id, item, via, now):
    """Judge and store one Suggestion; return its result (uuid, status and, when not delivered, error)."""
    checked = check_suggestion(item, kiosk_id)
    if checked.errors:
        return {"uuid": checked.uuid, "status": "invalid", "error": "；".join(checked.errors)}
    content, uuid = checked.content, checked.content["uuid"]
    text = canonical(content)
    row = conn.execute("SELECT content, moderation FROM suggestions WHERE uuid = ?", (uuid,)).fetchone()
    if row is None:
        conn.execute(
            "INSERT INTO suggestions (uuid, kiosk_id, event_id, created_at, source, content, moderation, "
            "received_at, received_via) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid,
                content["kiosk_id"],
                content["event_id"],
                content["created_at"],
                content["source"],
                text,
                checked.moderation,
                now,
                via,
            ),
        )
        return {"uuid": checked.uuid, "status": "created"}
    if row[0] != text:
        keys = "、".join(differing_keys(json.loads(row[0]), content))
        return {
            "uuid": checked.uuid,
            "status": "conflict",
            "error": f"此 uuid 已存有不同的内容（不同之处：{keys}），未保存",
        }
    if row[1] == checked.moderation:
        return {"uuid": checked.uuid, "status": "duplicate"}
    conn.execute(
        "UPDATE suggestions SET moderation = ?, moderation_changed_at = ? WHERE uuid = ?",
        (checked.moderation, now, uuid),
    )
    return {"uuid": checked.uuid, "status": "updated"}


def store_items(conn, kiosk_id, items, via):
    """Store items in order inside the caller's transaction; return one result per item."""
    now = utc_now()
    return [store_one(conn, kiosk_id, item, via, now) for item in items]


def push_batch(conn, kiosk_id, key, body_sha256, items):
    """Store a batch under its Idempotency-Key in one transaction; a known key gets its first answer back."""
    with write_transaction(conn):
        row = conn.execute(
            "SELECT body_sha256, results FROM batches WHERE kiosk_id = ? AND idempotency_key = ?", (kiosk_id, key)
        ).fetchone()
        if row is not None:
            if row[0] != body_sha256:
                raise KeyReused(key)
            return json.loads(row[1])
        results = store_items(conn, kiosk_id, items, "online")
        conn.execute(
            "INSERT INTO batches (kiosk_id, idempotency_key, body_sha256, results, received_at) VALUES (?, ?, ?, ?, ?)",
            (kiosk_id, key, body_sha256, json.dumps(results, ensure_ascii=False), utc_now()),
        )
    return results
