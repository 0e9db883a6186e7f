"""The sync settings read from the kiosk's config: this kiosk's id, the central system, the retry policy."""

import re

from sync.http import Central
from sync.retry import Retry

KIOSK_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class SettingsProblem(Exception):
    """A sync setting is missing or wrong; the message (in Chinese) says which and how to fix it."""


def kiosk_id(config):
    """Return this kiosk's id, refusing one the contract would not take."""
    value = str(config["KIOSK_ID"])
    if not KIOSK_ID.fullmatch(value):
        raise SettingsProblem(f"本机编号 KIOSK_ID={value!r} 不合规：只能用 1–64 个字母、数字、- 或 _。")
    return value


def central(config):
    """Return the central system from the settings, or explain which setting is missing."""
    url, token = config.get("KIOSK_CENTRAL_URL"), config.get("KIOSK_CENTRAL_TOKEN")
    if not url:
        raise SettingsProblem(
            "未设置中央系统地址：请在工作人员页面“设置”中填写，或在 instance/kiosk.toml 写 central_url、"
            "设环境变量 KIOSK_CENTRAL_URL。"
        )
    if not token:
        raise SettingsProblem(
            "未设置本机令牌：请在工作人员页面“设置”中填写，或在 instance/kiosk.toml 写 central_token、"
            "设环境变量 KIOSK_CENTRAL_TOKEN。"
        )
    try:
        return Central(
            url,
            str(token),
            kiosk_id(config),
            float(config["KIOSK_CENTRAL_TIMEOUT"]),
            install=config.get("KIOSK_INSTALLATION_ID"),
        )
    except ValueError as e:
        raise SettingsProblem(str(e)) from e


def retry_policy(config):
    """Return a run's retry policy from the settings."""
    return Retry(
        tries=int(config["KIOSK_SYNC_TRIES"]),
        base=float(config["KIOSK_SYNC_RETRY_BASE"]),
        cap=float(config["KIOSK_SYNC_RETRY_CAP"]),
        longest_wait=float(config["KIOSK_SYNC_LONGEST_WAIT"]),
    )
