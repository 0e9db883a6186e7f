"""Bearer tokens: the tokens file that says which kiosk holds which token, and the check on every request."""

import hmac
import json
import os
import secrets
from pathlib import Path

from flask import current_app, g, request

from .errors import CentralError, error_response
from .rules import ID_HINT, is_id

MIN_TOKEN_LENGTH = 16


class TokensError(CentralError):
    """The tokens file cannot be used."""


def check_tokens(tokens):
    """Raise TokensError unless tokens maps kiosk ids to distinct, long, header-safe tokens."""
    if not isinstance(tokens, dict) or not tokens:
        raise TokensError('令牌文件须为 JSON 对象 {"kiosk_id": "token", …}，且至少有一台 kiosk')
    for kiosk_id, token in tokens.items():
        if not is_id(kiosk_id):
            raise TokensError(f"kiosk 编号 {kiosk_id!r} 不是 {ID_HINT}")
        if not isinstance(token, str) or len(token) < MIN_TOKEN_LENGTH or not all("!" <= c <= "~" for c in token):
            raise TokensError(f"{kiosk_id} 的令牌须为至少 {MIN_TOKEN_LENGTH} 个可见 ASCII 字符（不含空格）")
    if len(set(tokens.values())) != len(tokens):
        raise TokensError("两台 kiosk 不能共用一个令牌")


def load_tokens(path):
    """Read and check the tokens file at path; return {kiosk_id: token}."""
    try:
        tokens = json.loads(Path(path).read_text(encoding="utf-8-sig"))  # Windows editors may add a BOM
    except OSError as e:
        raise TokensError(f"无法读取令牌文件 {path}：{e.strerror or e}") from e
    except ValueError as e:
        raise TokensError(f"令牌文件 {path} 不是有效的 JSON：{e}") from e
    check_tokens(tokens)
    return tokens


def add_kiosk(path, kiosk_id, replace=False):
    """Give kiosk_id a new random token in the tokens file (created if missing, readable by its owner only)."""
    path = Path(path)
    tokens = load_tokens(path) if path.exists() else {}
    if not is_id(kiosk_id):
        raise TokensError(f"kiosk 编号 {kiosk_id!r} 不是 {ID_HINT}")
    if kiosk_id in tokens and not replace:
        raise TokensError(f"{kiosk_id} 已有令牌；要换新令牌请加 --replace")
    tokens[kiosk_id] = secrets.token_urlsafe(32)
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(tokens, f, ensure_ascii=False, indent=2)
        f.write("\n")
    os.replace(temp, path)
    return tokens[kiosk_id]


def kiosk_of(header, tokens):
    """Return the kiosk whose token the Authorization header carries, or None."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip().encode()
    if scheme.lower() != "bearer" or not token:
        return None
    found = None
    for kiosk_id, known in tokens.items():
        # Compare with every token in constant time, so timing tells nothing about any of them.
        if hmac.compare_digest(known.encode(), token):
            found = kiosk_id
    return found


def require_token():
    """Refuse a request without a known token (401) or whose path names another kiosk (403)."""
    kiosk_id = kiosk_of(request.headers.get("Authorization"), current_app.config["CENTRAL_TOKENS"])
    if kiosk_id is None:
        return error_response(
            401,
            "令牌缺失或不正确（Authorization: Bearer <token>）",
            {"WWW-Authenticate": 'Bearer realm="wuxiao-central"'},
        )
    path_kiosk = (request.view_args or {}).get("kiosk_id")
    if path_kiosk is not None and path_kiosk != kiosk_id:
        return error_response(403, f"此令牌属于 {kiosk_id}，不属于 {path_kiosk}")
    g.kiosk_id = kiosk_id
    return None
