"""Checking what staff typed on 设置: each field's rule, and a Chinese message next to a field that breaks it."""

import re
from urllib.parse import urlsplit

from kiosk.appliance import hours, rotation
from kiosk.identity import ID

IDLE_RANGE = (30, 600)
NAME_LENGTH = 40
TOKEN_RULE = re.compile(r"[\x21-\x7e]{8,512}")  # what fits in an Authorization header, without spaces
ID_RULE = "不合规：只能用 1–64 个英文字母、数字、- 或 _，例如 hall-a-1。"
FIELDS = {"KIOSK_ID": "kiosk_id"}  # the form's names are kiosk.toml's keys, but for the id, said in full


def check_id(value):
    """Return the id, or raise ValueError with the rule."""
    if not ID.fullmatch(value):
        raise ValueError(ID_RULE)
    return value


def check_name(value):
    """Return the name, or None when left empty; refuse one too long or holding control characters."""
    if not value:
        return None
    if len(value) > NAME_LENGTH:
        raise ValueError(f"最多 {NAME_LENGTH} 个字，现在是 {len(value)} 个。")
    if not value.isprintable():
        raise ValueError("不能含换行或控制字符。")
    return value


def check_url(value, example):
    """Return an http(s) address with a host, without a trailing slash; None when left empty."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError on a port that is not a number from 0 to 65535)
    except ValueError:
        raise ValueError(f"地址写法有误，应类似 {example}。") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise ValueError(f"请以 http:// 或 https:// 开头并写上主机地址，例如 {example}。")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"地址里不能有 ?、# 或用户名，例如 {example}。")
    return value.rstrip("/")


def check_public_url(value):
    """Return the address phones use, which ends at the port: the kiosk's pages live at its root."""
    url = check_url(value, "http://192.168.1.20:8080")
    if url and urlsplit(url).path not in ("", "/"):
        raise ValueError("地址只写到端口为止，例如 http://192.168.1.20:8080。")
    return url


def check_idle(value):
    """Return the idle time in whole seconds within IDLE_RANGE."""
    low, high = IDLE_RANGE
    if not value.isdigit() or not low <= int(value) <= high:
        raise ValueError(f"请填 {low}–{high} 之间的整数秒。")
    return int(value)


def check_hours(value):
    """Return the opening hours as they are kept (08:30-17:30,...), None for always open."""
    return hours.normal_text(value)


def check_token(value):
    """Return the new token; refuse one a request header cannot carry."""
    if not TOKEN_RULE.fullmatch(value):
        raise ValueError("令牌应为 8–512 个英文字母、数字或符号，不含空格和中文。")
    return value


CHECKS = {
    "KIOSK_ID": check_id,
    "KIOSK_NAME": check_name,
    "KIOSK_EVENT_ID": check_id,
    "KIOSK_EVENT_NAME": check_name,
    "KIOSK_PUBLIC_URL": check_public_url,
    "KIOSK_IDLE_SECONDS": check_idle,
    "KIOSK_SCREEN_ROTATION": rotation.check,
    "KIOSK_OPEN_HOURS": check_hours,
    "KIOSK_CENTRAL_URL": lambda v: check_url(v, "http://10.0.0.2:9000"),
}


def field(name):
    """Return the form field of a setting: its kiosk.toml key (idle_seconds), kiosk_id for the id."""
    return FIELDS.get(name) or name.removeprefix("KIOSK_").lower()


def shown(value):
    """Return a setting's value as its field holds it."""
    return "" if value is None else str(value)


def read(form, config, fixed):
    """Return (values to save, typed values, errors by setting) from the fields the form sent.

    A field not in the form is left as it is, as is a fixed one sent unchanged (its field is read-only); the token
    is replaced only when one is typed, or cleared when asked."""
    values, typed, errors = {}, {}, {}
    for name, check in CHECKS.items():
        if field(name) not in form:
            continue
        typed[name] = form[field(name)].strip()
        if name in fixed and typed[name] == shown(config.get(name)):
            continue  # read-only and unchanged: the page's rules are not the environment's or kiosk.toml's
        try:
            value = check(typed[name])
        except ValueError as e:
            errors[name] = str(e)
            continue
        if name not in fixed:
            values[name] = value
        elif value != config.get(name):
            errors[name] = fixed[name] + "，不能在本页修改，请在那里修改。"
    if "KIOSK_CENTRAL_TOKEN" not in fixed:
        new = form.get("central_token", "").strip()
        if new:
            try:
                values["KIOSK_CENTRAL_TOKEN"] = check_token(new)
            except ValueError as e:
                errors["KIOSK_CENTRAL_TOKEN"] = str(e)
        elif form.get("central_token_clear") == "1":
            values["KIOSK_CENTRAL_TOKEN"] = None
    return values, typed, errors
