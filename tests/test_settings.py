"""Settings: defaults, kiosk.toml, KIOSK_* environment variables, the secret key, and database connections."""
import sqlite3

import pytest

from kiosk import create_app
from kiosk.settings import public_url


def test_defaults(tmp_path, monkeypatch):
    for name in ("KIOSK_ID", "KIOSK_EVENT_ID", "KIOSK_IDLE_SECONDS", "KIOSK_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(instance_path=tmp_path)
    assert app.config["KIOSK_IDLE_SECONDS"] == 90 and app.config["KIOSK_ID"] == "kiosk-1"
    assert public_url(app.config).startswith("http://") and public_url(app.config).endswith(":8080")


def test_config_file_then_environment(tmp_path, monkeypatch):
    (tmp_path / "kiosk.toml").write_text('id = "hall-b-2"\nidle_seconds = 120\nevent_id = "tj-expo"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_IDLE_SECONDS", "45")
    monkeypatch.setenv("KIOSK_PUBLIC_URL", "http://10.0.0.5:8080/")
    app = create_app(instance_path=tmp_path)
    assert app.config["KIOSK_ID"] == "hall-b-2" and app.config["KIOSK_EVENT_ID"] == "tj-expo"
    assert app.config["KIOSK_IDLE_SECONDS"] == 45
    assert public_url(app.config) == "http://10.0.0.5:8080"


def test_instance_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app()
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "kiosk.db").exists()


def test_secret_key_generated_once_and_kept(tmp_path):
    first = create_app(instance_path=tmp_path).config["SECRET_KEY"]
    second = create_app(instance_path=tmp_path).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_migrations_keep_data_when_run_again(tmp_path):
    app = create_app(instance_path=tmp_path)
    with app.app_context():
        from kiosk.db import get_db

        get_db()["packs"].insert({"pack_id": "p", "version": 1, "title": "t"})
        get_db().conn.commit()
    again = create_app(instance_path=tmp_path)
    with again.app_context():
        from kiosk.db import get_db

        assert get_db().execute("SELECT title FROM packs").fetchone()[0] == "t"


def test_each_thread_keeps_one_connection_and_ends_every_request_clean(tmp_path):
    from kiosk.db import get_db

    app = create_app(instance_path=tmp_path)
    with app.app_context():
        first = get_db()
        first.execute("BEGIN")
        first.execute("INSERT INTO settings (key, value) VALUES ('half', 'done')")
    with app.app_context():
        again = get_db()
        # The same open connection, but what the last request left uncommitted is gone.
        assert again is first and not again.conn.in_transaction
        assert again.execute("SELECT COUNT(*) FROM settings WHERE key = 'half'").fetchone()[0] == 0


def test_a_replaced_database_file_gets_a_new_connection(tmp_path):
    from kiosk.db import db_path, get_db

    app = create_app(instance_path=tmp_path)
    with app.app_context():
        old = get_db()
    path = db_path(app)
    path.rename(tmp_path / "old.db")
    create_app(instance_path=tmp_path)  # migrates a new, empty file at the same path
    with app.app_context():
        new = get_db()
        assert new is not old
        new["settings"].insert({"key": "k", "value": "v"})
        new.conn.commit()
    assert (tmp_path / "old.db").exists()


def test_a_thread_keeps_only_a_few_connections(tmp_path):
    from kiosk.db import THREAD_CONNECTIONS, get_db

    kept = []
    for n in range(THREAD_CONNECTIONS + 2):
        app = create_app(instance_path=tmp_path / str(n))
        with app.app_context():
            kept.append(get_db())
    with pytest.raises(sqlite3.ProgrammingError):  # the oldest were closed
        kept[0].execute("SELECT 1")
    assert kept[-1].execute("SELECT 1").fetchone() == (1,)
