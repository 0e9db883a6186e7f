"""Kiosk settings: defaults, then the instance config file, then KIOSK_<NAME> environment variables."""
import functools
import os
import secrets
import socket
import tomllib
from pathlib import Path

DEFAULTS = {
    "KIOSK_ID": "kiosk-1",
    "KIOSK_EVENT_ID": "event",
    "KIOSK_IDLE_SECONDS": 90,
    "KIOSK_IDLE_WARNING_SECONDS": 10,
    "KIOSK_PUBLIC_URL": None,
    "KIOSK_PORT": 8080,
    "KIOSK_PACK_MAX_UNPACKED_BYTES": 8 * 1024**3,
    "KIOSK_MEDIA_MAX_AGE": 3600,
    "KIOSK_QUIZ_QUESTIONS": 5,
    "KIOSK_SUGGEST_RATE_LIMIT": 5,
    "KIOSK_SUGGEST_RATE_WINDOW": 60,
    "KIOSK_STAFF_SESSION_MINUTES": 30,
    "KIOSK_STAFF_MAX_FAILURES": 5,
    "KIOSK_STAFF_LOCKOUT_MINUTES": 5,
    "KIOSK_SYNC_AUTO_MINUTES": 0,
    # CPython threads on several cores spend more time handing over the GIL than working (measured in
    # bench/suggest.py: ~9× the CPU per submission on this 2-core VM); see kiosk/server_cpus.py.
    "KIOSK_SERVER_CPUS": "auto",
    # The longest suggestion the contract allows is ~51 KB URL-encoded (9 bytes a Chinese character).
    "MAX_CONTENT_LENGTH": 128 * 1024,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
}
CONFIG_FILE = "kiosk.toml"
SECRET_KEY_FILE = "secret_key"


def instance_path_from_env():
    """Return the absolute instance folder: KIOSK_INSTANCE_PATH or ./instance."""
    return str(Path(os.environ.get("KIOSK_INSTANCE_PATH") or "instance").resolve())


def _coerce(name, raw):
    """Convert an environment string to the type of the setting's default."""
    default = DEFAULTS.get(name)
    if isinstance(default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(default, int):
        return int(raw)
    return raw


def load_settings(app):
    """Fill app.config from defaults, the instance kiosk.toml, and KIOSK_* environment variables."""
    app.config.from_mapping(DEFAULTS)
    config_file = Path(app.instance_path) / CONFIG_FILE
    if config_file.exists():
        with config_file.open("rb") as f:
            for key, value in tomllib.load(f).items():
                app.config["KIOSK_" + key.upper()] = value
    for name, raw in os.environ.items():
        if name.startswith("KIOSK_") and name != "KIOSK_INSTANCE_PATH":
            app.config[name] = _coerce(name, raw)


def ensure_secret_key(instance_path):
    """Return the instance's secret key, generating and keeping it on first use."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


@functools.lru_cache(maxsize=1)
def lan_address():
    """Return this machine's LAN IPv4 address, or 127.0.0.1 when it has none."""
    # A UDP connect sends nothing; it only asks the kernel which interface would route there.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def public_url(config):
    """Return the base URL phones reach the kiosk at, without a trailing slash."""
    if config.get("KIOSK_PUBLIC_URL"):
        return config["KIOSK_PUBLIC_URL"].rstrip("/")
    return f"http://{lan_address()}:{config['KIOSK_PORT']}"
