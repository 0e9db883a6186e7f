"""The central receiver: a small Flask app that implements the central intake API v1 for kiosks."""

from pathlib import Path

from flask import Flask

from . import api, auth, db, errors, installs, packs

MAX_BODY = 5 * 1024 * 1024


def create_app(db_path, tokens, packs_dir=None, prefix=""):
    """Create the receiver for {kiosk_id: token} over db_path, serving under prefix (`/wuxiao`) if given."""
    auth.check_tokens(tokens)
    db.migrate(Path(db_path))
    app = Flask(__name__)
    root = "/" + prefix.strip("/") if prefix.strip("/") else ""
    app.config.update(
        CENTRAL_DB=str(db_path), CENTRAL_TOKENS=dict(tokens), CENTRAL_MAX_BODY=MAX_BODY, CENTRAL_PREFIX=root
    )
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.url_map.merge_slashes = False  # its redirect would be an HTML page where a kiosk expects JSON
    app.extensions["central_packs"] = packs.Catalogue(packs_dir)
    app.register_blueprint(api.bp, url_prefix=f"{root}/api/v1")
    app.register_blueprint(packs.bp, url_prefix=f"{root}/api/v1")
    app.before_request(auth.require_token)
    app.before_request(installs.note_request)
    app.teardown_appcontext(db.close_db)
    errors.init_app(app)
    return app
