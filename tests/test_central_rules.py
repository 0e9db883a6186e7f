"""The receiver's rules and pieces in-process: formats, tokens, the body limit without Content-Length, fault plans."""

import hashlib
import io
import json

import pytest
from werkzeug.test import EnvironBuilder

from central import create_app
from central.auth import TokensError, add_kiosk, kiosk_of, load_tokens
from central.checksums import sha256_hex
from central.rules import check_suggestion, is_date, is_rfc3339, is_uuid
from central.testing.faults import FaultsError, parse_plan
from tests.central_helpers import KIOSK, TOKENS, new_key, suggestion


@pytest.mark.parametrize(
    "value",
    [
        "2024-10-21T10:42:07+08:00",
        "2024-10-21T02:42:07Z",
        "2024-10-21t02:42:07z",
        "2024-10-21T10:42:07.123456-05:30",
        "2016-12-31T23:59:60Z",
        "2024-02-29T00:00:00+00:00",
        "1970-01-01T00:00:00Z",
        "2099-12-31T23:59:59+14:00",
    ],
)
def test_rfc3339_accepted(value):
    assert is_rfc3339(value)


@pytest.mark.parametrize(
    "value",
    [
        "2024-10-21T10:42:07",
        "2024-10-21 10:42:07+08:00",
        "2024-10-21T10:42+08:00",
        "2023-02-29T00:00:00Z",
        "2024-10-21T24:00:00Z",
        "2024-10-21T10:60:00Z",
        "2024-10-21T10:42:07+0800",
        "2024-10-21T10:42:07+08",
        "24-10-21T10:42:07Z",
        "２０２４-10-21T10:42:07Z",
        "2024-10-21T10:42:07.Z",
        1729478527,
        None,
        "",
    ],
)
def test_rfc3339_refused(value):
    assert not is_rfc3339(value)


def test_dates_and_uuids():
    assert is_date("2024-02-29") and not is_date("2023-02-29") and not is_date("2024-1-01")
    assert is_uuid("0B9F7C6E-3A51-4D4E-9A8E-2F0D6C1B7A10") and not is_uuid("0b9f7c6e3a514d4e9a8e2f0d6c1b7a10")
    assert not is_uuid("{0b9f7c6e-3a51-4d4e-9a8e-2f0d6c1b7a10}")


def test_phone_needs_mainland_mobile_and_consent():
    ok = check_suggestion(suggestion(proposer={"phone": "19912345678"}), KIOSK)
    assert not ok.errors and ok.content["proposer"] == {"phone": "19912345678"} and ok.moderation == "pending"
    for phone in ("1380000000０", "+8613800000000", "138 0000 0000", 13800000000):
        assert check_suggestion(suggestion(proposer={"phone": phone}), KIOSK).errors == [
            "proposer.phone · 须为 11 位大陆手机号（如 13800000000）"
        ]


def test_every_broken_rule_is_named_and_content_leaves_moderation_out():
    checked = check_suggestion({"uuid": "x", "content": "  ", "note": 1}, KIOSK)
    keys = [e.split(" · ")[0] for e in checked.errors]
    assert keys == ["note", "uuid", "kiosk_id", "event_id", "created_at", "source", "content", "moderation", "consent"]
    assert "moderation" not in check_suggestion(suggestion(), KIOSK).content
    assert check_suggestion(suggestion(content="\ud800"), KIOSK).errors[0].startswith("content · 含有无法")


def test_tokens_file(tmp_path):
    path = tmp_path / "tokens.json"
    token = add_kiosk(path, "hall-c-3")
    assert load_tokens(path) == {"hall-c-3": token} and path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(TokensError, match="--replace"):
        add_kiosk(path, "hall-c-3")
    assert add_kiosk(path, "hall-c-3", replace=True) != token
    for bad in (
        {},
        {"hall a": "x" * 20},
        {"k": "short"},
        {"k": "has space 0123456789"},
        {"a": "same-token-0123456789", "b": "same-token-0123456789"},
        ["k"],
    ):
        path.write_text(json.dumps(bad))
        with pytest.raises(TokensError):
            load_tokens(path)
    path.write_text("{")
    with pytest.raises(TokensError, match="JSON"):
        load_tokens(path)


def test_bearer_header_parsing():
    assert kiosk_of(f"Bearer {TOKENS[KIOSK]}", TOKENS) == KIOSK
    assert kiosk_of(f"bearer   {TOKENS['hall-b-2']} ", TOKENS) == "hall-b-2"
    for header in (None, "", "Bearer", f"Token {TOKENS[KIOSK]}", TOKENS[KIOSK], f"Bearer {TOKENS[KIOSK]}x"):
        assert kiosk_of(header, TOKENS) is None


def test_real_size_is_checked_when_no_content_length_is_sent(tmp_path):
    app = create_app(tmp_path / "c.db", TOKENS)
    big = json.dumps({"items": [suggestion()]}).encode() + b" " * (5 * 1024 * 1024)

    def call(body):
        environ = EnvironBuilder(
            path=f"/api/v1/kiosks/{KIOSK}/suggestions",
            method="POST",
            headers={
                "Authorization": f"Bearer {TOKENS[KIOSK]}",
                "Idempotency-Key": new_key(),
                "Content-Type": "application/json",
            },
        ).get_environ()
        environ.pop("CONTENT_LENGTH", None)
        environ.update({"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True})
        answer = {}
        chunks = app(environ, lambda status, headers, exc=None: answer.update(status=status))
        return answer["status"], json.loads(b"".join(chunks))

    assert call(big)[0].startswith("413")
    status, body = call(big[: -(5 * 1024 * 1024)])
    assert status.startswith("200") and body["results"][0]["status"] == "created"


def test_create_app_refuses_bad_tokens(tmp_path):
    with pytest.raises(TokensError):
        create_app(tmp_path / "c.db", {"k": "short"})


@pytest.mark.parametrize(
    "plan, message",
    [
        ({"rules": [{"mode": "explode"}]}, "mode"),
        ([{"path": "suggestions"}], "mode"),
        ([{"mode": "429", "every": 0}], "every"),
        ([{"mode": "429", "times": -1}], "times"),
        ([{"mode": "429", "colour": "red"}], "colour"),
        ({"random": {"fraction": 1.5}}, "fraction"),
        ({"random": {"fraction": 0.5, "modes": ["delay", "nope"]}}, "mode"),
        ({"rules": [], "other": 1}, "rules"),
        ("drop", "rules"),
    ],
)
def test_fault_plans_are_checked(plan, message):
    with pytest.raises(FaultsError, match=message):
        parse_plan(plan)


def test_fault_plan_defaults():
    rules, chance = parse_plan({"rules": [{"mode": "drop_after_store"}], "random": {"fraction": 0.25}})
    assert (rules[0].times, rules[0].every, rules[0].skip, rules[0].path) == (1, 1, 0, "")
    assert chance.fraction == 0.25 and "drop_after_store" in chance.modes


def test_one_sha256_for_bytes_and_files(tmp_path):
    data = bytes(range(256)) * 5000
    (tmp_path / "f.bin").write_bytes(data)
    assert sha256_hex(data) == sha256_hex(tmp_path / "f.bin") == sha256_hex(str(tmp_path / "f.bin"))
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest() and sha256_hex(b"") == hashlib.sha256().hexdigest()
