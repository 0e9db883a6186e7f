"""The keyboard's one URL: candidates for the pinyin typed so far, as JSON."""

from pathlib import Path

from flask import Blueprint, current_app, jsonify, request

from kiosk.keyboard import candidates

bp = Blueprint("keyboard", __name__)


@bp.get("/keyboard/candidates")
def pinyin_candidates():
    """Answer the words for ?p=<letters>: {segments, candidates: [{text, consumes}]}; 503 if no dictionary."""
    path = Path(current_app.config["PINYIN_DICT"])
    if not path.exists():
        return jsonify(error="拼音词典还没有生成，请工作人员重新启动展示端。"), 503
    segments, found = candidates.lookup(path, request.args.get("p", "")[:60])
    response = jsonify(segments=segments, candidates=[{"text": c.text, "consumes": c.consumes} for c in found])
    # The same letters always give the same words until the dictionary is rebuilt.
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
