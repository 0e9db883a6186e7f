"""The 五小成果展 kiosk: a Flask app that shows award winners from content packs, offline."""
from pathlib import Path

from flask import Flask

from kiosk.web import form_parsing
from kiosk import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None, instance_path=None):
    """Create and configure the kiosk app (instance folder from KIOSK_INSTANCE_PATH unless given)."""
    app = Flask(__name__, instance_path=str(instance_path or settings.instance_path_from_env()),
                instance_relative_config=True,
                template_folder=str(PROJECT_ROOT / "templates"), static_folder=str(PROJECT_ROOT / "static"))
    app.request_class = form_parsing.KioskRequest
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings.load_settings(app)
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.ensure_secret_key(app.instance_path)
    app.config.setdefault("DEMO_PACK", str(PROJECT_ROOT / "media" / "demo-pack"))

    from kiosk.web import csrf, errors, headers
    from kiosk import db
    from kiosk.exhibits import events, views as exhibits, quiz
    from kiosk.media import views as media
    from kiosk.packs import cli as pack_cli
    from kiosk.suggestions import views as suggest
    from kiosk.staff import moderation, auth as staff, cli as staff_cli, sync_page
    from sync import cli as sync_cli

    db.init_app(app)
    db.migrate(app)
    csrf.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    pack_cli.init_app(app)
    staff_cli.init_app(app)
    sync_cli.init_app(app)
    app.register_blueprint(exhibits.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(moderation.bp)
    app.register_blueprint(sync_page.bp)
    app.register_blueprint(quiz.bp)
    app.register_blueprint(suggest.bp)
    app.register_blueprint(events.bp)
    return app
