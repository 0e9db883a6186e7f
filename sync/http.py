"""A small HTTP client for the central intake API: base URL, token, JSON, timeouts, answers sorted by what next."""

import http.client
import json
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

DEFAULT_TIMEOUT = 30.0


class CentralError(Exception):
    """Central did not take a request; the message says why, in Chinese, for staff."""


class RetryLater(CentralError):
    """Not known whether central stored it (5xx, 429, timeout, broken connection): send it again later."""

    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class Stop(CentralError):
    """Central refused the request for a reason a retry cannot fix (400, 401, 403…): stop this run."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class TooLarge(CentralError):
    """413: the batch is too large; split it."""


class KeyConflict(CentralError):
    """422: this Idempotency-Key was used before with a different body."""


@dataclass
class Answer:
    """A 2xx answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    def json(self):
        """Return the body parsed as JSON; a body that is not counts as a broken answer."""
        try:
            return json.loads(self.body)
        except ValueError as e:
            raise RetryLater(f"中央系统的回答无法解析（{e}）") from e


def classify(status):
    """Return what a status means for the kiosk: ok, retry, stop, too_large or key_conflict."""
    if 200 <= status < 300:
        return "ok"
    if status == 413:
        return "too_large"
    if status == 422:
        return "key_conflict"
    if status == 429 or status >= 500:
        return "retry"
    return "stop"


def retry_after(value):
    """Return Retry-After in seconds (the contract sends seconds), or None when absent or unreadable."""
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def reason_of(body):
    """Return central's reason from an error body: its JSON `error`/`message`/`detail`, or the text itself."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return text[:300]
    if isinstance(data, dict):
        for key in ("error", "message", "detail"):
            if data.get(key):
                return str(data[key])[:300]
    return text[:300]


def stop_message(status, reason, kiosk_id):
    """Return what staff are told when central refuses a request outright."""
    if status == 401:
        return (
            "中央系统拒绝了本机的令牌（401）：KIOSK_CENTRAL_TOKEN 缺失或不正确。"
            "请向中央系统管理员核对本机令牌后再同步。"
        )
    if status == 403:
        return f"令牌不属于本机编号 {kiosk_id}（403）：请核对 KIOSK_ID 与 KIOSK_CENTRAL_TOKEN 是否配套。"
    if status == 400:
        return f"中央系统认为请求有误（400）：{reason or '未说明原因'}。本次同步已停止，请把这条信息告诉技术支持。"
    if status == 404:
        return f"中央系统没有这个地址（404）：请检查 KIOSK_CENTRAL_URL。{reason}".strip()
    return f"中央系统拒绝了请求（{status}）：{reason or '未说明原因'}。本次同步已停止。"


class Central:
    """The central system at a base URL (which may carry a path prefix), spoken to with one kiosk's token."""

    def __init__(self, base_url, token, kiosk_id, timeout=DEFAULT_TIMEOUT, install=None):
        parts = urlsplit(base_url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"KIOSK_CENTRAL_URL 不是 http(s) 地址：{base_url!r}")
        self.base_url = base_url.rstrip("/") + "/"
        self.token = token
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        self.install = install

    def url(self, path):
        """Return the absolute URL of an API path (appended to the base) or of a URL central gave."""
        if urlsplit(path).scheme:
            return path
        if path.startswith("/"):
            return self.base_url.rstrip("/") + path
        return urljoin(self.base_url, path)

    def open(self, method, path, body=None, headers=None):
        """Send a request; return the live response and its connection (the caller closes both).

        Raises RetryLater for a timeout or a broken connection before the answer's headers arrive."""
        url = urlsplit(self.url(path))
        kind = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        conn = kind(url.hostname, url.port, timeout=self.timeout)
        sent = {"Authorization": f"Bearer {self.token}", "User-Agent": "wuxiao-kiosk-sync/1", **(headers or {})}
        if self.install:
            sent["Kiosk-Install"] = self.install  # the contract's optional header: which installation sends
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        target = (url.path or "/") + (f"?{url.query}" if url.query else "")
        try:
            conn.request(method, target, body=body, headers=sent)
            return conn.getresponse(), conn
        except TimeoutError as e:
            conn.close()
            raise RetryLater(f"等待中央系统回答超时（{self.timeout:g} 秒）") from e
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            raise RetryLater(f"连接中央系统失败或中断：{e.__class__.__name__} {e}".strip()) from e

    def check(self, response, body=b""):
        """Raise the error a non-2xx status calls for; return None for 2xx."""
        kind = classify(response.status)
        if kind == "ok":
            return
        reason = reason_of(body)
        if kind == "retry":
            raise RetryLater(
                f"中央系统暂时无法处理（{response.status}）{('：' + reason) if reason else ''}",
                retry_after(response.getheader("Retry-After")),
            )
        if kind == "too_large":
            raise TooLarge(f"批次过大（413）：{reason}")
        if kind == "key_conflict":
            raise KeyConflict(f"批次编号已用于不同内容（422）：{reason}")
        raise Stop(stop_message(response.status, reason, self.kiosk_id), response.status)

    def request(self, method, path, payload=None, headers=None, body=None):
        """Send a request (payload as JSON, or raw body bytes) and return its 2xx Answer; raise otherwise."""
        if payload is not None:
            body = encode(payload)
        response, conn = self.open(method, path, body, {"Accept": "application/json", **(headers or {})})
        try:
            try:
                data = response.read()
            except TimeoutError as e:
                raise RetryLater(f"读取中央系统的回答超时（{self.timeout:g} 秒）") from e
            except (OSError, http.client.HTTPException) as e:
                raise RetryLater(f"中央系统的回答中途断开：{e.__class__.__name__}") from e
            self.check(response, data)
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        finally:
            conn.close()


def encode(payload):
    """Return payload as compact UTF-8 JSON bytes, as sent on the wire."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
