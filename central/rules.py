"""The contract's rules for a Suggestion (§1) and the formats shared by every section."""

import re
from dataclasses import dataclass, field

ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"(?:[Zz]|[+-]([0-9]{2}):([0-9]{2}))"
)
DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
PHONE = re.compile(r"1[3-9][0-9]{9}")
SOURCES = ("kiosk", "phone")
MODERATIONS = ("pending", "approved", "spam")
OPTIONAL_TEXT = {
    "title": 40,
    "background": 500,
    "key_problems": 500,
    "scope": 500,
    "feasibility": 500,
    "expected_benefits": 500,
}
PROPOSER_TEXT = {"name": 20, "unit": 60}
CONSENTS = ("authenticity", "authorization", "contact")
KEYS = {
    "uuid",
    "kiosk_id",
    "event_id",
    "created_at",
    "source",
    "content",
    "related_achievement_id",
    "proposer",
    "consent",
    "moderation",
    *OPTIONAL_TEXT,
}
ID_HINT = "1–64 个 A-Z a-z 0-9 - _ 字符"


@dataclass
class Checked:
    """One Suggestion judged: its errors, or its content (every key but moderation) and moderation."""

    uuid: object
    errors: list = field(default_factory=list)
    content: dict | None = None
    moderation: str | None = None


def is_uuid(value):
    """Tell whether value is a UUID in its usual 8-4-4-4-12 hex form."""
    return isinstance(value, str) and UUID.fullmatch(value) is not None


def is_id(value):
    """Tell whether value is an id of the contract's alphabet (kiosk_id, event_id, achievement id)."""
    return isinstance(value, str) and ID.fullmatch(value) is not None


def days_in_month(year, month):
    """Return the number of days in a month of the proleptic Gregorian calendar."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def is_date(value):
    """Tell whether value is a real calendar date written YYYY-MM-DD."""
    match = isinstance(value, str) and DATE.fullmatch(value)
    if not match:
        return False
    year, month, day = (int(x) for x in match.groups())
    return 1 <= month <= 12 and 1 <= day <= days_in_month(year, month)


def is_rfc3339(value):
    """Tell whether value is an RFC 3339 date-time with an offset; how plausible it is does not matter."""
    match = isinstance(value, str) and RFC3339.fullmatch(value)
    if not match:
        return False
    hour, minute, second, offset_hour, offset_minute = (int(x or 0) for x in match.group(4, 5, 6, 8, 9))
    # Second 60 is a leap second, which RFC 3339 allows.
    return (
        is_date(value[:10])
        and hour <= 23
        and minute <= 59
        and second <= 60
        and offset_hour <= 23
        and offset_minute <= 59
    )


def text_error(key, value, limit, minimum=0):
    """Return what is wrong with a text value, or None."""
    if not isinstance(value, str):
        return f"{key} · 须为字符串"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return f"{key} · 含有无法用 UTF-8 表示的字符（孤立的代理项）"
    if minimum and not value.strip():
        return f"{key} · 不能为空"
    if len(value) > limit:
        return f"{key} · 最多 {limit} 个字符，现为 {len(value)} 个"
    return None


def without_nulls(obj):
    """Return a copy of an object without its null values: null means the key is absent."""
    return {key: value for key, value in obj.items() if value is not None}


def check_ids(item, kiosk_id, errors):
    """Check uuid, kiosk_id and event_id."""
    if not is_uuid(item.get("uuid")):
        errors.append("uuid · 缺少或不是 UUID（如 0b9f7c6e-3a51-4d4e-9a8e-2f0d6c1b7a10）")
    kiosk = item.get("kiosk_id")
    if not is_id(kiosk):
        errors.append(f"kiosk_id · 缺少或不是 {ID_HINT}")
    elif kiosk != kiosk_id:
        errors.append(f"kiosk_id · {kiosk} 与本机编号 {kiosk_id} 不一致")
    if not is_id(item.get("event_id")):
        errors.append(f"event_id · 缺少或不是 {ID_HINT}")


def check_fields(item, errors):
    """Check created_at, source, the texts, related_achievement_id and moderation."""
    if not is_rfc3339(item.get("created_at")):
        errors.append("created_at · 缺少或不是带时区偏移的 RFC 3339 时间（如 2024-10-21T10:42:07+08:00）")
    if item.get("source") not in SOURCES:
        errors.append("source · 缺少或不是 kiosk、phone 之一")
    if "content" not in item:
        errors.append("content · 缺少（必填）")
    else:
        errors.append(text_error("content", item["content"], 3000, minimum=1))
    errors.extend(text_error(key, item[key], limit) for key, limit in OPTIONAL_TEXT.items() if key in item)
    if "related_achievement_id" in item and not is_id(item["related_achievement_id"]):
        errors.append(f"related_achievement_id · 须为成果编号（{ID_HINT}）")
    if item.get("moderation") not in MODERATIONS:
        errors.append("moderation · 缺少或不是 pending、approved、spam 之一")


def check_consent(consent, errors):
    """Check consent: both promises true, contact a boolean, nothing else."""
    if not isinstance(consent, dict):
        errors.append("consent · 缺少或不是对象")
        return
    errors.extend(f"consent.{key} · 未知字段" for key in sorted(set(consent) - set(CONSENTS)))
    for key in ("authenticity", "authorization"):
        if consent.get(key) is not True:
            errors.append(f"consent.{key} · 须为 true（{'成果真实性承诺' if key == 'authenticity' else '授权'}）")
    if not isinstance(consent.get("contact"), bool):
        errors.append("consent.contact · 须为 true 或 false")


def check_proposer(proposer, consent, errors):
    """Check the proposer's name, unit and phone, and that a phone comes with consent to contact."""
    if not isinstance(proposer, dict):
        errors.append("proposer · 须为对象")
        return
    errors.extend(f"proposer.{key} · 未知字段" for key in sorted(set(proposer) - {"name", "unit", "phone"}))
    errors.extend(
        text_error(f"proposer.{key}", proposer[key], limit) for key, limit in PROPOSER_TEXT.items() if key in proposer
    )
    if "phone" in proposer:
        if not isinstance(proposer["phone"], str) or not PHONE.fullmatch(proposer["phone"]):
            errors.append("proposer.phone · 须为 11 位大陆手机号（如 13800000000）")
        elif not isinstance(consent, dict) or consent.get("contact") is not True:
            errors.append("proposer.phone · 只有 consent.contact 为 true 时才能提供手机号")


def normalise(item):
    """Return the item with null optional values dropped, an empty proposer dropped and the uuid lower-case."""
    item = without_nulls(item)
    if isinstance(item.get("proposer"), dict):
        item["proposer"] = without_nulls(item["proposer"])
        if not item["proposer"]:
            del item["proposer"]
    if isinstance(item.get("uuid"), str):
        item["uuid"] = item["uuid"].lower()
    return item


def check_suggestion(item, kiosk_id):
    """Judge one Suggestion sent for kiosk_id by every rule of §1."""
    if not isinstance(item, dict):
        return Checked(None, ["条目须为 JSON 对象"])
    sent_uuid = item.get("uuid") if isinstance(item.get("uuid"), str) else None
    item = normalise(item)
    errors = [f"{key} · 未知字段（契约 v1 没有此字段）" for key in sorted(set(item) - KEYS)]
    check_ids(item, kiosk_id, errors)
    check_fields(item, errors)
    check_consent(item.get("consent"), errors)
    if "proposer" in item:
        check_proposer(item["proposer"], item.get("consent"), errors)
    errors = [e for e in errors if e]
    if errors:
        return Checked(sent_uuid, errors)
    content = {key: value for key, value in item.items() if key != "moderation"}
    return Checked(sent_uuid, [], content, item["moderation"])
