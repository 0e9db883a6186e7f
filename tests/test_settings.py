"""Settings: defaults, the instance kiosk.toml, KIOSK_* environment variables, and the secret key."""
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
