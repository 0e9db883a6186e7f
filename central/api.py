"""§1 and §2 over HTTP: a kiosk pushes batches of suggestions and its daily usage figures."""

from flask import Blueprint, current_app, jsonify, request

from . import jsontext
from .db import get_db, utc_now, write_transaction
from .errors import error_response
from .rules import is_uuid
from .stats import StatsInvalid, check_day, merge_day
from .store import KeyReused, push_batch

bp = Blueprint("api", __name__)
MAX_ITEMS = 500


class Refused(Exception):
    """The request cannot be taken as it is; carries its status and reason."""

    def __init__(self, status, message):
        """Keep the status to answer with."""
        super().__init__(message)
        self.status = status


def read_json():
    """Return the request body as JSON; refuse a wrong type or bad JSON (400) and a body over the limit (413)."""
    if request.mimetype != "application/json":
        raise Refused(400, f"Content-Type 须为 application/json（收到 {request.mimetype or '无'}）")
    limit = current_app.config["CENTRAL_MAX_BODY"]
    if request.content_length is not None and request.content_length > limit:
        raise Refused(413, f"正文 {request.content_length} 字节，超过上限 {limit} 字节：请分成两半分别发送")
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        raise Refused(413, f"正文超过上限 {limit} 字节：请分成两半分别发送")
    try:
        return jsontext.loads(data)
    except jsontext.NotJSON as e:
        raise Refused(400, str(e)) from e


def read_batch():
    """Return the items of the request's batch body, or raise Refused."""
    body = read_json()
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise Refused(400, '正文须为批次 {"items": [Suggestion, …]}')
    unknown = sorted(set(body) - {"items"})
    if unknown:
        raise Refused(400, f"批次中有未知字段 {unknown[0]}（只允许 items）")
    if not body["items"]:
        raise Refused(400, "批次至少要有 1 条建议")
    if len(body["items"]) > MAX_ITEMS:
        raise Refused(413, f"批次有 {len(body['items'])} 条，最多 {MAX_ITEMS} 条：请分成两半分别发送")
    return body


@bp.errorhandler(Refused)
def bad_request(e):
    """Answer a request that cannot be taken with its status and reason."""
    return error_response(e.status, str(e))


@bp.post("/kiosks/<kiosk_id>/suggestions")
def push_suggestions(kiosk_id):
    """Store a batch of suggestions and answer one result per item, in order."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not is_uuid(key):
        raise Refused(400, "Idempotency-Key 缺失或不是 UUID")
    body = read_batch()
    try:
        results = push_batch(get_db(), kiosk_id, key.lower(), jsontext.digest(body), body["items"])
    except KeyReused:
        return error_response(422, f"Idempotency-Key {key} 已用于另一个不同的批次；请换用新的 key")
    return jsonify(results=results)


@bp.put("/kiosks/<kiosk_id>/stats/<date>")
def push_stats(kiosk_id, date):
    """Merge a day's counts, keeping the larger of held and arriving for each counter."""
    body = read_json()
    try:
        event_id, counters = check_day(body, date)
    except StatsInvalid as e:
        raise Refused(400, str(e)) from e
    conn = get_db()
    with write_transaction(conn):
        stored = merge_day(conn, kiosk_id, date, event_id, counters, utc_now())
    return jsonify(stored=stored)
