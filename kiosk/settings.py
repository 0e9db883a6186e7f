"""Every setting in one typed table: defaults, then the instance's kiosk.toml, then KIOSK_<NAME> variables."""

import difflib
import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = "kiosk.toml"
SECRET_KEY_FILE = "secret_key"
PREFIX = "KIOSK_"
ENV_ONLY = "KIOSK_INSTANCE_PATH"
BOOLEAN_WORDS = {
    "1": True,
    "true": True,
    "yes": True,
    "on": True,
    "0": False,
    "false": False,
    "no": False,
    "off": False,
}


@dataclass(frozen=True)
class Setting:
    """One setting: its name, type, default, what it means, and how the default reads in the README."""

    name: str
    type: type
    default: object
    meaning: str
    shown: str = None
    secret: bool = False

    @property
    def key(self):
        """Return the setting's key in kiosk.toml: lower case, without the prefix."""
        return self.name.removeprefix(PREFIX).lower()

    @property
    def default_text(self):
        """Return the default as the README's table shows it."""
        return self.shown or f"`{self.default}`"


SETTINGS = (
    Setting(ENV_ONLY, str, "instance", "database, imported media, secret key (environment only)", "`./instance`"),
    Setting(
        "KIOSK_ID",
        str,
        None,
        "this kiosk's id (several kiosks may run at one event); unset: staff set it on 设置, or the one "
        "made at first start stays",
        "`kiosk-` + 4 letters made at first start",
    ),
    Setting("KIOSK_NAME", str, None, "this kiosk's name for people, e.g. 展厅A 1号机 (staff pages)", "none"),
    Setting("KIOSK_EVENT_ID", str, None, "the event's id; unset: staff set it on 设置", "`event`"),
    Setting("KIOSK_EVENT_NAME", str, None, "the event's name for people (staff pages)", "none"),
    Setting(
        "KIOSK_IDLE_SECONDS",
        int,
        90,
        "seconds without a touch before the 10-second warning and the return to the attract loop",
    ),
    Setting("KIOSK_IDLE_WARNING_SECONDS", int, 10, "length of that warning"),
    Setting(
        "KIOSK_SCREEN_ROTATION",
        int,
        0,
        "how the display is mounted, turned clockwise: `0`, `90`, `180` or `270`; the picture and the touchscreen "
        "follow (on an installed kiosk)",
    ),
    Setting(
        "KIOSK_OPEN_HOURS",
        str,
        None,
        "opening hours in Beijing time, e.g. `08:30-17:30` or `08:30-12:00,13:30-17:30`; outside them the kiosk "
        "screen is black (unset: always open; a clearly wrong clock keeps it on)",
        "none (always open)",
    ),
    Setting(
        "KIOSK_PUBLIC_URL", str, None, "the address phones reach, used in QR codes", "`http://<LAN address>:<port>`"
    ),
    Setting("KIOSK_PORT", int, 8080, "port phones reach the kiosk at (also `--port`)"),
    Setting(
        "KIOSK_SCREEN_PORT",
        int,
        8081,
        "loopback port of the kiosk's own screen, with capacity phones cannot take (also `--screen-port`)",
    ),
    Setting(
        "KIOSK_SERVER_CPUS",
        str,
        "auto",
        "CPUs the server runs on: `auto` (one), `all` (unpinned) or a list such as `0,1` (also `--cpus`)",
    ),
    Setting("KIOSK_PACK_MAX_UNPACKED_BYTES", int, 8 * 1024**3, "the largest a zipped pack may unpack to", "8 GiB"),
    Setting("KIOSK_MEDIA_MAX_AGE", int, 3600, "`Cache-Control: max-age` for media (ETags revalidate after)"),
    Setting("KIOSK_QUIZ_QUESTIONS", int, 5, "questions a quiz draws from an achievement's bank"),
    Setting("KIOSK_SUGGEST_RATE_LIMIT", int, 5, "suggestions a phone may send per window (the kiosk screen: no limit)"),
    Setting("KIOSK_SUGGEST_RATE_WINDOW", int, 60, "that window, in seconds"),
    Setting("KIOSK_STAFF_SESSION_MINUTES", int, 30, "a staff session ends after this many minutes without activity"),
    Setting("KIOSK_STAFF_MAX_FAILURES", int, 5, "wrong PINs from one address before it is locked out"),
    Setting("KIOSK_STAFF_LOCKOUT_MINUTES", int, 5, "how long that lockout lasts"),
    Setting(
        "KIOSK_STAFF_FROM_LAN",
        bool,
        False,
        "open the staff pages to the LAN too (the PIN then crosses the venue Wi-Fi in clear); off: the kiosk's "
        "own screen only",
        "`false`",
    ),
    Setting(
        "KIOSK_USB_ROOTS",
        str,
        "/media,/run/media",
        "folders where USB sticks are mounted (comma-separated); a drive mounted inside one is offered on 数据同步",
    ),
    Setting("KIOSK_DISK_WARN_MB", int, 500, "staff pages warn when the instance folder's disk has less free space"),
    Setting("KIOSK_CENTRAL_URL", str, None, "the central system's base URL (sync)", "none"),
    Setting(
        "KIOSK_CENTRAL_TOKEN",
        str,
        None,
        "this kiosk's token at central: a secret; set on 设置 it is kept in `instance/central_token` (mode 0600) "
        "and never shown again",
        "none",
        secret=True,
    ),
    Setting("KIOSK_CENTRAL_TIMEOUT", float, 30.0, "seconds to wait for central's answer", "`30`"),
    Setting("KIOSK_SYNC_TRIES", int, 6, "tries of one request before a run gives up until the next run"),
    Setting(
        "KIOSK_SYNC_RETRY_BASE", float, 1.0, "first backoff between tries, in seconds (doubling, with jitter)", "`1`"
    ),
    Setting("KIOSK_SYNC_RETRY_CAP", float, 60.0, "the longest backoff between tries, in seconds", "`60`"),
    Setting(
        "KIOSK_SYNC_LONGEST_WAIT",
        float,
        300.0,
        "the longest `Retry-After` a run waits for before giving up until the next run",
        "`300`",
    ),
    Setting(
        "KIOSK_SYNC_AUTO_MINUTES",
        float,
        0.0,
        "push to central every this many minutes while the kiosk runs (needs `KIOSK_CENTRAL_URL`); skipped "
        "while another sync runs, never blocks a page",
        "`0` (off)",
    ),
)
BY_NAME = {s.name: s for s in SETTINGS}
# Flask's own settings the kiosk fixes; they are not for a venue to change.
FIXED = {
    # The longest suggestion the contract allows is ~51 KB URL-encoded (9 bytes a Chinese character).
    "MAX_CONTENT_LENGTH": 128 * 1024,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
}


# Where a value came from, in app.extensions; the first three fix it, 设置 shows it read-only.
SOURCES = "kiosk.setting_sources"
FIXING_SOURCES = ("env", "toml", "code")


class SettingsError(Exception):
    """A setting in kiosk.toml or the environment is unknown or of the wrong type; the message says which."""


def instance_path_from_env():
    """Return the absolute instance folder: KIOSK_INSTANCE_PATH or ./instance."""
    return str(Path(os.environ.get(ENV_ONLY) or "instance").resolve())


def _unknown(name, where, known):
    """Return the error for a name that is no setting, suggesting the closest one."""
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"（是不是 {close[0]}？）" if close else ""
    return SettingsError(f"{where} 里的 {name} 不是本机的设置项{hint}。请改正或删去它；全部设置见 README 的设置表。")


def _typed(setting, value, where):
    """Return value as the setting's type, or raise a SettingsError naming the setting and its place."""
    if value is None or (setting.type is str and isinstance(value, str)):
        return value
    if setting.type is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in BOOLEAN_WORDS:
            return BOOLEAN_WORDS[value.strip().lower()]
    try:
        if isinstance(value, bool) or setting.type is bool:
            raise ValueError(value)
        if setting.type is int and isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return setting.type(value) if setting.type is not str else str(value)
    except (TypeError, ValueError):
        kind = {int: "整数", float: "数字", str: "文本", bool: "true 或 false"}[setting.type]
        raise SettingsError(
            f"{where} 里的 {setting.key if where.endswith('toml') else setting.name} 应为{kind}，现在是 {value!r}。"
        ) from None


def read_config_file(instance_path):
    """Return the settings kiosk.toml sets, by name, refusing keys that are not settings."""
    path = Path(instance_path) / CONFIG_FILE
    if not path.exists():
        return {}
    where = f"instance/{CONFIG_FILE}"
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise SettingsError(f"{where} 写法有误：{e}") from None
    keys = {s.key: s for s in SETTINGS if s.name != ENV_ONLY}
    values = {}
    for key, value in data.items():
        if key not in keys:
            raise _unknown(key, where, list(keys))
        values[keys[key].name] = _typed(keys[key], value, where)
    return values


def read_environment(environ):
    """Return the settings KIOSK_* environment variables set, by name, refusing names that are not settings."""
    values = {}
    for name, raw in environ.items():
        if not name.startswith(PREFIX) or name == ENV_ONLY:
            continue
        if name not in BY_NAME:
            raise _unknown(name, "环境变量", list(BY_NAME))
        values[name] = _typed(BY_NAME[name], raw, "环境变量")
    return values


def load_settings(app):
    """Fill app.config from the table's defaults, the instance kiosk.toml, and KIOSK_* environment variables."""
    from_file, from_env = read_config_file(app.instance_path), read_environment(os.environ)
    app.config.from_mapping({s.name: s.default for s in SETTINGS if s.name != ENV_ONLY})
    app.config.from_mapping(FIXED)
    app.config.from_mapping(from_file)
    app.config.from_mapping(from_env)
    app.extensions[SOURCES] = {**{name: "toml" for name in from_file}, **{name: "env" for name in from_env}}


def note_given(app, given):
    """Count the settings create_app was given (tests, scripts) as fixed; one given as None is left free."""
    sources = app.extensions[SOURCES]
    for name, value in given.items():
        if name in BY_NAME and value is None:
            sources.pop(name, None)
        elif name in BY_NAME:
            sources[name] = "code"


def source_of(app, name):
    """Return where a setting's value comes from: env, toml, code (given to create_app), page or default."""
    return app.extensions[SOURCES].get(name, "default")


def is_fixed(app, name):
    """Return whether the environment, kiosk.toml or create_app's caller fixes a setting (the page cannot)."""
    return source_of(app, name) in FIXING_SOURCES


def ensure_secret_key(instance_path):
    """Return the instance's secret key, generating and keeping it on first use."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


def markdown_table():
    """Return the README's table of every setting, from this table."""
    rows = ["| setting | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default_text} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(rows)
