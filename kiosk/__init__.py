"""The 五小成果展 kiosk: a Flask app that shows award winners from content packs, offline."""

from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config=None, instance_path=None):
    """Create and configure the kiosk app (instance folder from KIOSK_INSTANCE_PATH unless given)."""
    from kiosk import cli, db, identity, migrations, settings, web
    from kiosk.appliance import heartbeat
    from kiosk.exhibits import events, quiz, usage
    from kiosk.exhibits import views as exhibits
    from kiosk.keyboard import dictionary
    from kiosk.keyboard import views as keyboard
    from kiosk.media import views as media
    from kiosk.presenter import views as presenter
    from kiosk.staff import (
        auth,
        dashboard,
        health,
        moderation,
        packs_page,
        settings_page,
        sync_page,
        update_page,
        usb_page,
        venue,
    )
    from kiosk.suggestions import views as suggestions

    app = Flask(
        __name__,
        instance_path=str(instance_path or settings.instance_path_from_env()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    settings.load_settings(app)
    if test_config:
        app.config.from_mapping(test_config)
        settings.note_given(app, test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = settings.ensure_secret_key(app.instance_path)
    app.config.setdefault("DEMO_PACK", str(PROJECT_ROOT / "media" / "demo-pack"))
    app.config.setdefault("PINYIN_DICT", str(dictionary.DEFAULT_PATH))

    db.init_app(app)
    migrations.migrate(app)
    identity.init_app(app)
    settings_page.init_app(app)
    web.init_app(app)
    usage.init_app(app)
    quiz.init_app(app)
    cli.init_app(app)
    venue.init_app(app)
    health.init_app(app)
    for blueprint in (
        exhibits.bp,
        media.bp,
        auth.bp,
        moderation.bp,
        sync_page.bp,
        usb_page.bp,
        packs_page.bp,
        dashboard.bp,
        heartbeat.bp,
        settings_page.bp,
        update_page.bp,
        quiz.bp,
        suggestions.bp,
        events.bp,
        keyboard.bp,
        presenter.bp,
    ):
        app.register_blueprint(blueprint)
    return app
