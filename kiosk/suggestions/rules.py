"""What a visitor's suggestion must be, by the central intake contract: limits, consent, contact."""

import re
import unicodedata

TEXT_FIELDS = {
    "title": ("建议名称", 40),
    "content": ("建议内容", 3000),
    "background": ("建议背景", 500),
    "key_problems": ("解决的关键问题", 500),
    "scope": ("应用范畴", 500),
    "feasibility": ("可执行性", 500),
    "expected_benefits": ("预期成效", 500),
    "proposer_name": ("姓名", 20),
    "proposer_unit": ("单位", 60),
}
PHONE = re.compile(r"1[3-9][0-9]{9}")
# What people put between the digits of a number, and the country code in front of a mainland mobile.
PHONE_SEPARATORS = re.compile(r"[\s\-.()（）]")
COUNTRY_CODE = re.compile(r"(?:\+|00)?86(1[0-9]{10})")
CONSENTS = ("consent_authenticity", "consent_authorization", "consent_contact")
# The fields in the order the form shows them: the first one in error gets the focus.
FORM_ORDER = (*TEXT_FIELDS, "proposer_phone", *CONSENTS)
# Line breaks and tabs are kept; other control characters never come from a keyboard.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(value):
    """Return visitor text normalised: NFC, unix line breaks, no control characters, trimmed."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", value).strip()


def normalise_phone(value):
    """Return a phone number as digits: full-width folded, spaces, dashes and brackets gone, +86 dropped."""
    digits = PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    mainland = COUNTRY_CODE.fullmatch(digits)
    return mainland.group(1) if mainland else digits


def shown_values(form, data):
    """Return the values to show in the form again: the phone number as the visitor typed it."""
    return {**data, "proposer_phone": clean_text(form.get("proposer_phone", ""))}


def first_error(errors):
    """Return the key of the first field in error in the form's order, or None."""
    return next((key for key in FORM_ORDER if key in errors), None)


def read_form(form):
    """Return the suggestion fields from a submitted form, cleaned, plus the consents as booleans."""
    data = {key: clean_text(form.get(key, "")) for key in TEXT_FIELDS}
    data["proposer_phone"] = normalise_phone(form.get("proposer_phone", ""))
    for key in CONSENTS:
        data[key] = form.get(key) in ("1", "on", "true", "yes")
    return data


def check(data):
    """Return {field: Chinese message} for every rule the suggestion breaks; empty when it may be kept."""
    errors = {}
    if not data["content"]:
        errors["content"] = "请填写建议内容"
    for key, (label, limit) in TEXT_FIELDS.items():
        if len(data[key]) > limit and key not in errors:
            over = len(data[key]) - limit
            errors[key] = f"{label}最多 {limit} 字，现在是 {len(data[key])} 字，请删减 {over} 字（您写的内容都还在）"
    phone = data["proposer_phone"]
    if phone and not PHONE.fullmatch(phone):
        errors["proposer_phone"] = "请填写 11 位手机号码，如 138 0000 0000（可带空格、短横线或 +86）"
    elif phone and not data["consent_contact"]:
        errors["proposer_phone"] = "填写手机号需同时勾选“愿意被联系”；不需要联系可以不填手机号"
    if not data["consent_authenticity"]:
        errors["consent_authenticity"] = "提交前请确认成果真实性承诺"
    if not data["consent_authorization"]:
        errors["consent_authorization"] = "提交前请同意授权"
    return errors
