"""JSON as the contract means it: strict UTF-8 in, one canonical text out for comparing content."""

import json

from .checksums import sha256_hex


class NotJSON(ValueError):
    """The bytes are not the JSON the contract asks for; the message says why, in Chinese."""


def _no_constant(name):
    """Refuse NaN and Infinity, which JSON does not have."""
    raise NotJSON(f"JSON 中不能有 {name}")


def _unique_keys(pairs):
    """Build an object, refusing a key given twice (which of the two was meant is unknowable)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise NotJSON(f"JSON 对象中键 {key!r} 出现了两次")
        obj[key] = value
    return obj


def loads(data):
    """Parse UTF-8 JSON bytes strictly; raise NotJSON with the reason."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise NotJSON(f"正文不是 UTF-8（第 {e.start} 字节）") from e
    if text.startswith("\ufeff"):
        raise NotJSON("正文以 BOM 开头，JSON 不应带 BOM")
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except NotJSON:
        raise
    except RecursionError as e:
        raise NotJSON("JSON 嵌套过深") from e
    except ValueError as e:
        raise NotJSON(f"正文不是有效的 JSON：{e}") from e


def canonical(obj):
    """Return obj as compact JSON with sorted keys: equal after parsing means equal text."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(obj):
    """Return the sha256 of obj's canonical JSON, in hex."""
    return sha256_hex(canonical(obj).encode("utf-8", "surrogatepass"))
