"""Test-only fault injection: a WSGI middleware that makes chosen requests fail as networks and servers do.

Off unless `serve --test-faults FILE` is given. Needs waitress: a dropped connection is waitress closing the
socket on the ClientDisconnected this middleware raises."""

import json
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from waitress.channel import ClientDisconnected

from ..errors import CentralError

log = logging.getLogger("central.testing.faults")
STATUS_MODES = {"500_before_store": 500, "503": 503, "429": 429, "413": 413, "401": 401, "403": 403}
AFTER_STORE = ("500_after_store", "drop_after_store", "truncate_after_store", "delay_after_store")
MODES = (*STATUS_MODES, "delay", "drop_before_store", *AFTER_STORE)
MIXED = (
    "500_before_store",
    "503",
    "429",
    "drop_before_store",
    "500_after_store",
    "drop_after_store",
    "truncate_after_store",
    "delay_after_store",
)


class FaultsError(CentralError):
    """The faults file cannot be used."""


@dataclass
class Rule:
    """Fault the requests whose path contains `path`: from the (skip+1)th on, every `every`th, `times` times."""

    mode: str
    path: str = ""
    method: str | None = None
    times: int | None = 1
    every: int = 1
    skip: int = 0
    seconds: float = 1.0
    retry_after: int = 1
    seen: int = 0
    fired: int = 0

    def matches(self, method, path):
        """Tell whether a request is one this rule counts."""
        return self.path in path and (self.method is None or self.method.upper() == method)

    def due(self):
        """Tell whether the request just counted is one to fault."""
        n = self.seen - self.skip
        return n > 0 and (n - 1) % self.every == 0 and (self.times is None or self.fired < self.times)


@dataclass
class RandomRule:
    """Fault a seeded random `fraction` of matching requests, each with a mode drawn from `modes`."""

    fraction: float
    seed: int = 0
    modes: tuple = MIXED
    path: str = ""
    method: str | None = None
    seconds: float = 1.0
    retry_after: int = 1
    rng: random.Random = field(init=False)

    def __post_init__(self):
        """Seed the generator, so a run can be repeated request for request."""
        self.rng = random.Random(self.seed)
        self.modes = tuple(self.modes)

    matches = Rule.matches


def check_fields(fields, where):
    """Raise FaultsError for a field of the wrong type or range."""
    checks = {
        "path": (str, None),
        "method": ((str, type(None)), None),
        "times": ((int, type(None)), 1),
        "every": (int, 1),
        "skip": (int, 0),
        "seconds": ((int, float), 0),
        "retry_after": (int, 0),
        "seed": (int, None),
        "fraction": ((int, float), 0),
    }
    for key, value in fields.items():
        kind, minimum = checks.get(key, (object, None))
        if (
            not isinstance(value, kind)
            or isinstance(value, bool)
            or (minimum is not None and value is not None and value < minimum)
        ):
            raise FaultsError(f"{where} · {key} · 类型或取值不对：{value!r}")
    modes = [fields["mode"]] if "mode" in fields else fields.get("modes", MIXED)
    if not isinstance(modes, list | tuple) or not modes or any(m not in MODES for m in modes):
        raise FaultsError(f"{where} · mode · 须为 {', '.join(MODES)} 之一")
    if fields.get("fraction", 0) > 1:
        raise FaultsError(f"{where} · fraction · 须在 0 与 1 之间")


def build(kind, fields, where):
    """Return a Rule or RandomRule from a JSON object, checking it."""
    if not isinstance(fields, dict):
        raise FaultsError(f"{where} · 须为 JSON 对象")
    allowed = {f for f in kind.__dataclass_fields__ if f not in ("seen", "fired", "rng")}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise FaultsError(f"{where} · {unknown[0]} · 未知字段（可用：{', '.join(sorted(allowed))}）")
    check_fields(fields, where)
    try:
        return kind(**fields)
    except TypeError as e:
        raise FaultsError(f"{where} · {e}") from e


def parse_plan(data):
    """Return (rules, random rule or None) from a faults file's JSON: a list of rules or {rules, random}."""
    if isinstance(data, list):
        data = {"rules": data}
    if not isinstance(data, dict) or set(data) - {"rules", "random"}:
        raise FaultsError('故障文件须为规则列表，或 {"rules": [...], "random": {...}}')
    if not isinstance(data.get("rules", []), list):
        raise FaultsError("rules · 须为列表")
    rules = [build(Rule, r, f"rules[{i}]") for i, r in enumerate(data.get("rules", []))]
    chance = build(RandomRule, data["random"], "random") if data.get("random") is not None else None
    return rules, chance


def run_app(app, environ):
    """Run the app to the end (whatever it stores is committed then); return (status, headers, body)."""
    environ = {k: v for k, v in environ.items() if k != "wsgi.file_wrapper"}  # a plain iterable to collect
    answer, chunks = {}, []

    def start_response(status, headers, exc_info=None):
        """Keep the app's status and headers instead of sending them."""
        answer.update(status=status, headers=headers)
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"], b"".join(chunks)


def status_answer(start_response, status, mode, retry_after):
    """Answer with an injected error status."""
    body = json.dumps({"error": f"injected fault: {mode}"}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), ("X-Fault", mode)]
    if status in (429, 503):
        headers.append(("Retry-After", str(retry_after)))
    if status == 401:
        headers.append(("WWW-Authenticate", 'Bearer realm="wuxiao-central"'))
    reasons = {
        500: "Internal Server Error",
        503: "Service Unavailable",
        429: "Too Many Requests",
        413: "Content Too Large",
        401: "Unauthorized",
        403: "Forbidden",
    }
    start_response(f"{status} {reasons[status]}", headers)
    return [body]


def cut_short(body):
    """Yield the first half of a body, then break the connection."""
    yield body[: len(body) // 2]
    raise ClientDisconnected("injected fault: truncate_after_store")


class FaultInjector:
    """WSGI middleware applying the faults file's plan; the file is read again whenever it changes."""

    def __init__(self, app, path):
        """Wrap app with the plan in the faults file at path (read now, so a bad file stops the start)."""
        self.app = app
        self.path = Path(path)
        self.lock = threading.Lock()
        self.stamp = None
        self.rules, self.chance = [], None
        self.reload()

    def reload(self):
        """Read the faults file again if it changed (counters start over); raise FaultsError if unusable."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            self.stamp, self.rules, self.chance = None, [], None
            return
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        if stamp == self.stamp:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise FaultsError(f"无法读取故障文件 {self.path}：{e}") from e
        self.rules, self.chance = parse_plan(data)
        self.stamp = stamp

    def choose(self, method, path):
        """Count the request against every rule; return (mode, rule) for the fault to apply, or None."""
        with self.lock:
            try:
                self.reload()
            except FaultsError as e:
                log.error("%s (keeping the previous plan)", e)
            chosen = None
            for rule in self.rules:
                if rule.matches(method, path):
                    rule.seen += 1
                    if chosen is None and rule.due():
                        rule.fired += 1
                        chosen = (rule.mode, rule)
            chance = self.chance
            if chosen is None and chance is not None and chance.matches(method, path):
                if chance.rng.random() < chance.fraction:
                    chosen = (chance.rng.choice(chance.modes), chance)
            return chosen

    def __call__(self, environ, start_response):
        """Serve a request, or fail it as the plan says."""
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        chosen = self.choose(method, path)
        if chosen is None:
            return self.app(environ, start_response)
        mode, rule = chosen
        log.warning("injected fault %s on %s %s", mode, method, path)
        if mode in STATUS_MODES:
            return status_answer(start_response, STATUS_MODES[mode], mode, rule.retry_after)
        if mode == "delay":
            time.sleep(rule.seconds)
            return self.app(environ, start_response)
        if mode == "drop_before_store":
            raise ClientDisconnected("injected fault: drop_before_store")
        status, headers, body = run_app(self.app, environ)
        if mode == "500_after_store":
            return status_answer(start_response, 500, mode, rule.retry_after)
        if mode == "drop_after_store":
            raise ClientDisconnected("injected fault: drop_after_store")
        if mode == "delay_after_store":
            time.sleep(rule.seconds)
        start_response(status, [*headers, ("X-Fault", mode)])
        return cut_short(body) if mode == "truncate_after_store" else [body]
