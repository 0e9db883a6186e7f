"""Suggestion submissions under load: phone clients load the form and submit, each kept durably.

    .venv/bin/python bench/suggest.py [--threads N] [--duration 20] [--repeat 3] [--clients 50] ...

The issue's target: 50 concurrent phone clients each load the form and submit; at least 100
acknowledged submissions per second on this machine with synchronous=FULL, p99 under 200 ms,
no errors.

Per repeat, a fresh temporary instance folder (empty: run.py imports the bundled demo pack on its
first start) and a fresh server process (`run.py --host 127.0.0.1 --port <free>`, waitress,
run.py's default threads unless --threads). Once `/` answers 200:

  warm-up  WARMUP s of the submit load (P), discarded (its submissions are counted for the check);
  S        one client submitting sequentially (GET /suggest, then POST /suggest): the bare latency
           and server CPU of one submission;
  G        baseline: CLIENTS clients doing only GET /suggest (the form page, no POST), closed loop;
  P        CLIENTS clients, closed loop, each: GET /suggest, read csrf_token and form_token from
           the page, POST /suggest with a Chinese suggestion of 100–600 characters, expect
           `303 Location: /suggest/receipt/<uuid>` (the acknowledgement: the row is committed).

Every client has its own HTTP/1.1 keep-alive connection and its own cookie jar (the Flask session
cookie set by its first GET, plus `kiosk_screen=0` so the kiosk treats it as a phone, not as its
own touchscreen; --as-kiosk-screen drops that). Loopback clients are not rate-limited by the kiosk.

After each run the server is stopped (SIGTERM) and the database file is checked with sqlite3:
rows in `suggestions` = acknowledgements received over all phases (none lost, none doubled),
every acknowledged uuid present with exactly the content sent, PRAGMA journal_mode = wal,
integrity_check ok; and the synchronous level the app uses is read from kiosk/db.py (code) and
from the app's own `kiosk.db.connect()` (run in a subprocess on that file: PRAGMA synchronous).

Load generator: this process, one asyncio loop, raw asyncio streams (the `Conn` of pages.py,
extended here with POST and body reading), no HTTP library. It shares the machine's cores with
the server; its own CPU and event-loop lag are reported.

Closed loop (default, as the issue asks): a client loads the form again as soon as its POST is
answered, so once the server is saturated latency ≈ clients / throughput (Little's law): 50 clients
at 100 submissions/s spend ~500 ms per GET+POST whatever the code does. `--think-ms T`: each client
pauses T × U(0.5, 1.5) ms between loading the form and submitting (the visitor typing), i.e. an
offered load of about clients / (T + latency) submissions/s.

Definitions: latency = from writing the request to reading the last body byte; GET+POST = the
sum of one iteration's two latencies (think time excluded). ack/s = 303
answers with a receipt Location / measured window. `min 1 s` = the fewest acks in any whole
second of the window (stalls show there). Errors = any other status, a page without tokens, a
bad Location, timeouts (--timeout), resets. srv CPU ms/ack = server CPU (user+system, all
threads) in the window / acks (so it includes the form GET of each submission); in G it is per
GET. Percentiles: linear interpolation over the successful answers of the phase. The server log is
scanned for tracebacks (e.g. `sqlite3.OperationalError: database is locked`), reported per run.

Options for experiments: --threads N, --cpus SPEC (run.py's --cpus: auto = one CPU, all = unpinned,
or a list), --code-at REV (a git revision, extracted) or --code-dir DIR (a copy of the
repository with a change to try).
"""

import argparse
import asyncio
import hashlib
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402
import pages as pg  # noqa: E402

HOST = pg.HOST
TARGET_ACKS_PER_S = 100.0
TARGET_P99_MS = 200.0
ROUTES = ("GET /suggest", "POST /suggest", "GET+POST")
RECEIPT = re.compile(r"^(?:https?://[^/]+)?/suggest/receipt/([0-9a-f-]{36})$")
CSRF = re.compile(rb'name="csrf_token" value="([^"]+)"')
FORM_TOKEN = re.compile(rb'name="form_token" value="([^"]+)"')
TEXT_FIELDS = (
    "title",
    "content",
    "background",
    "key_problems",
    "scope",
    "feasibility",
    "expected_benefits",
    "proposer_name",
    "proposer_unit",
)


# ---------------------------------------------------------------- realistic suggestions

SENTENCES = (
    "我们班组在巡检变压器时，经常需要手工记录油温和油位，数据容易抄错，也不方便追溯。",
    "建议在巡检终端上增加扫码录入功能，扫一下设备上的二维码就能自动带出设备编号和上次的读数。",
    "现场的扳手、套筒经常混放，找工具要花很长时间，交接班时也说不清少了什么。",
    "可以做一个带定位槽的工具板，每件工具都有自己的位置，缺了哪一件一眼就能看出来。",
    "夜间检修照明不足，头灯的光线太集中，看仪表盘时反光严重。",
    "建议给检修车配一套可折叠的柔光灯架，两个人十分钟就能搭好，照明范围能覆盖整个作业面。",
    "外业拍的照片都叫“IMG_”开头的名字，回来整理时要一张一张对照记录改名，一个人一天也整理不完。",
    "如果拍照软件能按“线路名称+杆号+日期”自动命名，资料整理的时间至少能省一半。",
    "车间的压缩空气管路有多处泄漏，听得到嘶嘶声，但一直没有人专门去查。",
    "建议每月安排一次停机后的超声波检漏，把漏点标在平面图上，逐个销号。",
    "食堂的排队时间太长，午休只有一个小时，很多同事吃完饭就得马上回岗位。",
    "可以在各个班组错开十五分钟就餐，再在手机上提前点餐，取餐时直接扫码。",
    "新员工培训主要靠师傅口头讲，内容不统一，有些关键的安全要点容易漏掉。",
    "建议把每个岗位的操作要点拍成三分钟以内的短视频，放在班组的学习平台上，随时可以看。",
    "仓库领料要填纸质单据，再由库管员录入系统，同一份信息要写两遍。",
    "如果领料时直接在平板上选物料、签字，系统自动扣减库存，就能减少差错和等待。",
    "焊接烟尘比较大，现有的排风罩位置固定，工件一挪动就吸不到了。",
    "建议改成带万向节的移动式吸风臂，焊工可以随手把吸口拉到焊点附近。",
    "配电室的钥匙由专人保管，晚上抢修时经常要等钥匙送过来，耽误时间。",
    "可以改用带授权记录的电子锁，值班负责人在手机上授权后就能开门，每次开门都有记录。",
    "我们每天要核对几十份报表，格式不统一，很多时间花在复制粘贴上。",
    "建议统一报表模板，用一个小程序自动汇总，出错的地方自动标红提醒。",
    "冬天室外设备的阀门容易冻住，每次都要用热水浇，既慢又不安全。",
    "给容易冻结的阀门加装电伴热带和保温套，成本不高，一个冬天就能收回。",
    "这个办法在我们班组试了两个月，效果不错，也没有增加额外的工作量。",
    "实施起来不难，主要是需要车间统一采购材料，再安排半天时间培训。",
    "预计每年能节约材料费两万元左右，更重要的是减少了人员登高作业的次数。",
    "希望工会能把这个想法推荐给其他车间试一试，如果有问题我们也愿意一起改进。",
    "以上是我的一点想法，可能还不成熟，欢迎大家提意见。",
    "安全是第一位的，这个改进主要是为了减少人员在带电区域停留的时间。",
)
TITLES = (
    "巡检扫码录入",
    "工具定位板",
    "折叠式检修照明灯架",
    "外业照片自动命名",
    "压缩空气管路检漏",
    "错峰就餐和手机点餐",
    "岗位操作要点短视频",
    "平板领料减少重复录入",
    "移动式焊接吸风臂",
    "配电室电子锁授权",
    "报表模板统一与自动汇总",
    "阀门电伴热防冻",
    "交接班清单电子化",
    "安全帽佩戴提醒",
    "劳保用品按需领取",
)
NAMES = ("王师傅", "李建国", "张敏", "刘洋", "陈晓东", "杨丽", "赵磊", "黄海波")
UNITS = ("供电公司运维一班", "机修车间", "动力车间二班", "仓储物流中心", "质检科", "焊装车间")


def chinese_text(rng, low, high):
    """Return Chinese prose of a random length in [low, high] characters, paragraphs split by newlines."""
    target = rng.randint(low, high)
    parts, n = [], 0
    while n < target:
        s = rng.choice(SENTENCES)
        if parts and rng.random() < 0.15:
            s = "\n" + s
        parts.append(s)
        n += len(s)
    text = "".join(parts)[:target].strip()
    return text if text.endswith("。") else text[:-1] + "。"


def suggestion(rng):
    """Return the fields a browser sends for one filled-in form (empty optional fields included)."""
    data = {key: "" for key in TEXT_FIELDS}
    data["title"] = rng.choice(TITLES) if rng.random() < 0.8 else ""
    data["content"] = chinese_text(rng, 100, 600)
    if rng.random() < 0.3:
        data["background"] = chinese_text(rng, 30, 150)
    if rng.random() < 0.2:
        data["expected_benefits"] = chinese_text(rng, 30, 100)
    if rng.random() < 0.4:
        data["proposer_name"] = rng.choice(NAMES)
        data["proposer_unit"] = rng.choice(UNITS)
    data["proposer_phone"] = ""
    data["website"] = ""  # the honeypot a real browser sends empty
    data["consent_authenticity"] = "1"
    data["consent_authorization"] = "1"
    if rng.random() < 0.1:
        data["proposer_phone"] = "138" + "".join(rng.choice("0123456789") for _ in range(8))
        data["consent_contact"] = "1"
    return data


def content_digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the client


class FormConn(pg.Conn):
    """pages.Conn plus POST, cookies and reading the body (the form page is parsed for its tokens)."""

    def __init__(self, port, cookies=None):
        super().__init__(port)
        self.base_cookies = dict(cookies or {})
        self.cookies = dict(self.base_cookies)

    def forget_session(self):
        self.cookies = dict(self.base_cookies)

    def cookie_header(self):
        return ("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()) + "\r\n") if self.cookies else ""

    async def request(self, method, path, body=b""):
        if self.writer is None:
            await self.open()
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUser-Agent: kiosk-bench/1 (phone)\r\n"
            f"Accept: text/html\r\n{self.cookie_header()}"
        )
        if method == "POST":
            head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode("latin-1") + b"\r\n" + body)

    async def response(self):
        """Read one answer; return (status, headers, body bytes) and keep any cookie it sets."""
        status, headers = await self.head()
        if "set-cookie" in headers:  # pages.Conn keeps one header per name; Flask sets only `session`
            name, _, value = headers["set-cookie"].split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        body = await self.read_body(headers)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    async def read_body(self, headers):
        if "content-length" in headers:
            return await self.reader.readexactly(int(headers["content-length"]))
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    return b"".join(parts)
                parts.append((await self.reader.readexactly(size + 2))[:-2])
        data = await self.reader.read()
        self.close()
        return data


class Records:
    """What the clients of one phase saw."""

    def __init__(self):
        self.get, self.post, self.both = [], [], []  # (start, latency s, "ok" or error kind)
        self.acks = []  # (time acknowledged, uuid, form_token, content sha256)
        self.unacked_tokens = []  # form tokens of POSTs that got no acknowledgement (may still be committed)


NET_ERRORS = (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError)


async def client(conn, with_post, start, t_end, timeout, rng, rec, fresh_session, think_s=0):
    """Load the form (and submit it) until t_end: closed loop, or with think_s pauses (the visitor typing)."""
    await start.wait()
    if think_s:
        await asyncio.sleep(rng.uniform(0, think_s))
    while time.perf_counter() < t_end:
        if fresh_session:
            conn.forget_session()
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await conn.request("GET", "/suggest")
                status, headers, body = await conn.response()
        except NET_ERRORS as e:
            rec.get.append((t0, time.perf_counter() - t0, f"GET {type(e).__name__}"))
            conn.close()
            await asyncio.sleep(0.05)
            continue
        t1 = time.perf_counter()
        csrf, token = CSRF.search(body), FORM_TOKEN.search(body)
        if status != 200:
            rec.get.append((t0, t1 - t0, f"GET HTTP {status}"))
            continue
        if not csrf or not token:
            rec.get.append((t0, t1 - t0, "GET page without csrf_token/form_token"))
            continue
        rec.get.append((t0, t1 - t0, "ok"))
        if think_s:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
        if not with_post:
            continue
        data = suggestion(rng)
        form_token = token.group(1).decode()
        body = urlencode({"csrf_token": csrf.group(1).decode(), "form_token": form_token, **data}).encode("ascii")
        t2 = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await conn.request("POST", "/suggest", body)
                status, headers, _ = await conn.response()
        except NET_ERRORS as e:
            t3 = time.perf_counter()
            rec.post.append((t2, t3 - t2, f"POST {type(e).__name__}"))
            rec.both.append((t0, t1 - t0 + t3 - t2, "error"))
            rec.unacked_tokens.append(form_token)
            conn.close()
            await asyncio.sleep(0.05)
            continue
        t3 = time.perf_counter()
        found = RECEIPT.match(headers.get("location", "")) if status == 303 else None
        if found:
            rec.post.append((t2, t3 - t2, "ok"))
            rec.both.append((t0, t1 - t0 + t3 - t2, "ok"))  # the two answers' latency, without the think time
            rec.acks.append((t3, found.group(1), form_token, content_digest(data["content"])))
        else:
            kind = f"POST HTTP {status}" if status != 303 else "POST 303 without a receipt Location"
            rec.post.append((t2, t3 - t2, kind))
            rec.both.append((t0, t1 - t0 + t3 - t2, "error"))
            rec.unacked_tokens.append(form_token)


def latency_stats(records, window):
    """Summarise (start, latency, kind) records of one route: counts, req/s, percentiles in ms."""
    ok = sorted(lat for _, lat, kind in records if kind == "ok")
    errors = Counter(kind for _, _, kind in records if kind != "ok")
    return bl.latency_stats(ok, errors, len(records), window)


async def run_phase(name, port, pid, clients, duration, with_post, timeout, seed, cookies, fresh_session, think_ms=0):
    """Run one phase; return its measurements and what it acknowledged."""
    stop_lag, lags = asyncio.Event(), []
    lag_task = asyncio.create_task(pg.lag_monitor(stop_lag, lags))
    conns = [FormConn(port, cookies) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in conns))
    rec, start, rng = Records(), asyncio.Event(), random.Random(seed)
    lags.clear()
    before = pg.snapshot(pid)
    t_end = before["t"] + duration
    tasks = [
        asyncio.create_task(
            client(
                c, with_post, start, t_end, timeout, random.Random(rng.random()), rec, fresh_session, think_ms / 1000
            )
        )
        for c in conns
    ]
    start.set()
    await asyncio.gather(*tasks)
    after = pg.snapshot(pid)
    stop_lag.set()
    await lag_task
    for c in conns:
        c.close()
    window = after["t"] - before["t"]
    cpu = pg.cpu_between(before, after, pid)
    cpu.pop("threads", None)
    acks = len(rec.acks)
    per_second = Counter(int(t - before["t"]) for t, *_ in rec.acks)
    whole = [per_second.get(s, 0) for s in range(int(duration))]
    unit = acks if with_post else sum(1 for *_, k in rec.get if k == "ok")
    cpu["server_cpu_ms_per_unit"] = 1000 * cpu["server_cpu_s"] / unit if unit else None
    cpu["unit"] = "ack" if with_post else "GET"
    routes = {"GET /suggest": latency_stats(rec.get, window)}
    if with_post:
        routes["POST /suggest"] = latency_stats(rec.post, window)
        routes["GET+POST"] = latency_stats(rec.both, window)
    errors = Counter(k for r in (rec.get, rec.post) for *_, k in r if k != "ok")
    lags.sort()
    result = {
        "phase": name,
        "clients": clients,
        "with_post": with_post,
        "think_ms": think_ms,
        "window_s": window,
        "duration_s": duration,
        "acks": acks,
        "acks_per_s": acks / window if with_post and window else None,
        "acks_min_1s": min(whole) if with_post and whole else None,
        "acks_per_whole_second": whole if with_post else None,
        "routes": routes,
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "cpu": cpu,
        "loadgen_loop_lag_ms": {
            "p50": 1000 * bl.percentile(lags, 50) if lags else None,
            "p99": 1000 * bl.percentile(lags, 99) if lags else None,
            "max": 1000 * lags[-1] if lags else None,
        },
    }
    return result, rec


async def one_run(server, args, repeat):
    """Warm up, then run the phases against a started server; return (phases, acks, unacked tokens, warm-up errors)."""
    common = dict(
        port=server.port,
        pid=server.proc.pid,
        timeout=args.timeout,
        cookies=args.cookies,
        fresh_session=args.fresh_session,
    )
    think = {"S": 0, "G": args.think_ms, "P": args.think_ms, "warm-up": args.think_ms}
    acks, unacked, warmup_errors = [], [], 0
    plan = [("warm-up", args.clients, args.warmup, True)] if args.warmup else []
    for name in args.phases:
        plan.append(
            {
                "S": ("S", 1, args.seq_duration, True),
                "G": ("G", args.clients, args.duration, False),
                "P": ("P", args.clients, args.duration, True),
            }[name]
        )
    phases = []
    for i, (name, clients, duration, with_post) in enumerate(plan):
        if i:
            await asyncio.sleep(1)
        res, rec = await run_phase(
            name,
            clients=clients,
            duration=duration,
            with_post=with_post,
            seed=repeat * 100 + i,
            think_ms=think[name],
            **common,
        )
        acks += rec.acks
        unacked += rec.unacked_tokens
        if name == "warm-up":
            warmup_errors = res["errors"]
        else:
            phases.append(res)
        main_route = res["routes"]["POST /suggest" if with_post else "GET /suggest"]
        print(
            f"  {name}: {res['acks']} acks ({bl.fmt(res['acks_per_s'])}/s), "
            f"{'POST' if with_post else 'GET'} p99 {bl.fmt(main_route['p99_ms'])} ms, errors {res['errors']}"
            + (f" {res['error_kinds']}" if res["errors"] else ""),
            flush=True,
        )
    return phases, acks, unacked, warmup_errors


def server_exceptions(server):
    """Return {last line of each traceback in the server log: count}."""
    server.log.flush()
    found, lines = Counter(), Path(server.log_path).read_text(errors="replace").splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            j = i + 1
            while j < len(lines) and (lines[j].startswith(" ") or not lines[j].strip()):
                j += 1
            if j < len(lines):
                found[lines[j][:200]] += 1
    return dict(found)


# ---------------------------------------------------------------- durability check


def synchronous_in_code(code_root):
    """Return what kiosk/db.py sets: [(function, PRAGMA text)] for every `PRAGMA synchronous` in it."""
    found, func = [], None
    for line in (Path(code_root) / "kiosk" / "db.py").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*def (\w+)\(", line)
        if m:
            func = m.group(1)
        m = re.search(r"PRAGMA\s+synchronous\s*=\s*(\w+)", line, re.I)
        if m:
            found.append((func, m.group(1).upper()))
    return found


def synchronous_at_runtime(code_root, db_file):
    """Open the database with the app's own kiosk.db.connect() (in a subprocess importing code_root) and
    return (PRAGMA synchronous, PRAGMA journal_mode) of that connection."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from kiosk.db import connect; db = connect(sys.argv[2]); "
        "print(db.execute('PRAGMA synchronous').fetchone()[0], db.execute('PRAGMA journal_mode').fetchone()[0]);"
        " db.close()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(code_root), str(db_file)], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:]
    level, mode = done.stdout.split()
    return {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(int(level), level), mode


def verify(db_file, acks, unacked, code_root):
    """Compare the suggestions table with what was acknowledged."""
    db = sqlite3.connect(str(db_file))
    try:
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        rows = {
            u: (t, content_digest(c)) for u, t, c in db.execute("SELECT uuid, form_token, content FROM suggestions")
        }
        total, tokens, numbers = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT form_token), COUNT(DISTINCT kiosk_id || receipt_day || receipt_seq) "
            "FROM suggestions"
        ).fetchone()
    finally:
        db.close()
    acked = {}
    for _, u, token, digest in acks:
        acked.setdefault(u, []).append((token, digest))
    lost = [u for u in acked if u not in rows]
    wrong = [u for u, seen in acked.items() if u in rows and any(rows[u] != s for s in seen)]
    acked_twice = [u for u, seen in acked.items() if len(seen) > 1]
    extra = [u for u in rows if u not in acked]
    unacked_set = set(unacked)
    extra_unacked = [u for u in extra if rows[u][0] in unacked_set]
    level, mode = synchronous_at_runtime(code_root, db_file)
    check = {
        "acks": len(acks),
        "rows": total,
        "distinct_form_tokens": tokens,
        "distinct_receipt_numbers": numbers,
        "lost": len(lost),
        "content_mismatch": len(wrong),
        "acked_twice": len(acked_twice),
        "extra_rows": len(extra),
        "extra_rows_from_unacknowledged_posts": len(extra_unacked),
        "journal_mode": journal,
        "integrity": integrity,
        "synchronous_in_code": synchronous_in_code(code_root),
        "synchronous_app_connect": level,
        "journal_mode_app_connect": mode,
    }
    check["ok"] = (
        total == len(acks) == tokens == numbers
        and not lost
        and not wrong
        and not acked_twice
        and journal == "wal"
        and integrity == "ok"
        and level == "FULL"
    )
    return check


# ---------------------------------------------------------------- reporting


RUN_HEADERS = [
    "run",
    "phase",
    "clients",
    "route",
    *bl.LATENCY_HEADERS,
    "ack/s",
    "min 1 s",
    "srv CPU% (sys)",
    "srv CPU ms/unit",
    "gen CPU%",
    "gen lag p99 ms",
    "other CPU%",
]


def run_rows(runs):
    rows = []
    for run in runs:
        for ph in run["phases"]:
            first = True
            for route, s in ph["routes"].items():
                c = ph["cpu"]
                rows.append(
                    [
                        run["repeat"],
                        ph["phase"],
                        ph["clients"],
                        route,
                        *bl.latency_cells(s),
                        bl.fmt_n(ph["acks_per_s"]) if first else "",
                        bl.fmt(ph["acks_min_1s"]) if first else "",
                        f"{c['server_pct']:.0f} ({c['server_sys_pct']:.0f})" if first else "",
                        f"{bl.fmt(c['server_cpu_ms_per_unit'], 2)}/{c['unit']}" if first else "",
                        bl.fmt(c["loadgen_pct"], 0) if first else "",
                        bl.fmt(ph["loadgen_loop_lag_ms"]["p99"]) if first else "",
                        bl.fmt(c["other_pct"], 0) if first else "",
                    ]
                )
                first = False
    return rows


def summarise(runs):
    out = {}
    for name in [ph["phase"] for ph in runs[0]["phases"]]:
        phases = [next(p for p in run["phases"] if p["phase"] == name) for run in runs]
        entry = {"clients": phases[0]["clients"], "with_post": phases[0]["with_post"], "routes": {}}
        for route in phases[0]["routes"]:
            entry["routes"][route] = {
                k: bl.over_runs([p["routes"][route][k] for p in phases])
                for k in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms")
            }
            entry["routes"][route]["requests"] = sum(p["routes"][route]["requests"] for p in phases)
            entry["routes"][route]["errors"] = sum(p["routes"][route]["errors"] for p in phases)
        for key, values in (
            ("acks_per_s", [p["acks_per_s"] for p in phases]),
            ("acks_min_1s", [p["acks_min_1s"] for p in phases]),
            ("server_cpu_ms_per_unit", [p["cpu"]["server_cpu_ms_per_unit"] for p in phases]),
            ("server_pct", [p["cpu"]["server_pct"] for p in phases]),
            ("server_io_thread_pct", [p["cpu"]["server_io_thread_pct"] for p in phases]),
            ("loadgen_pct", [p["cpu"]["loadgen_pct"] for p in phases]),
            ("other_pct", [p["cpu"]["other_pct"] for p in phases]),
        ):
            entry[key] = {**bl.over_runs(values), "values": values}
        entry["unit"] = phases[0]["cpu"]["unit"]
        entry["errors"] = sum(p["errors"] for p in phases)
        entry["error_kinds"] = dict(sum((Counter(p["error_kinds"]) for p in phases), Counter()))
        out[name] = entry
    return out


SUMMARY_HEADERS = [
    "phase",
    "clients",
    "route",
    *bl.SUMMARY_LATENCY_HEADERS,
    "ack/s med (min–max)",
    "min 1 s (worst)",
    "srv CPU ms/unit med (min–max)",
    "srv CPU% med",
    "gen CPU% med",
]


def summary_rows(summary, runs):
    rows = []
    for name, e in summary.items():
        first = True
        for route, s in e["routes"].items():

            def vals(k, name=name, route=route):
                return [next(p for p in r["phases"] if p["phase"] == name)["routes"][route][k] for r in runs]

            rows.append(
                [
                    name,
                    e["clients"],
                    route,
                    *bl.summary_latency_cells(s, vals),
                    bl.fmt_spread(e["acks_per_s"]["values"], 0) if first and e["with_post"] else "",
                    bl.fmt(e["acks_min_1s"]["min"]) if first and e["with_post"] else "",
                    (bl.fmt_spread(e["server_cpu_ms_per_unit"]["values"], 2) + f"/{e['unit']}") if first else "",
                    bl.fmt(e["server_pct"]["median"], 0) if first else "",
                    bl.fmt(e["loadgen_pct"]["median"], 0) if first else "",
                ]
            )
            first = False
    return rows


CHECK_HEADERS = [
    "run",
    "acks (all phases)",
    "rows",
    "lost",
    "content ≠",
    "extra rows (of unacked POSTs)",
    "distinct tokens / receipt nos",
    "journal_mode",
    "synchronous (app connect)",
    "integrity",
    "ok",
]


def check_rows(runs):
    return [
        [
            r["repeat"],
            c["acks"],
            c["rows"],
            c["lost"],
            c["content_mismatch"],
            f"{c['extra_rows']} ({c['extra_rows_from_unacknowledged_posts']})",
            f"{c['distinct_form_tokens']} / {c['distinct_receipt_numbers']}",
            c["journal_mode"],
            c["synchronous_app_connect"],
            c["integrity"],
            "yes" if c["ok"] else "NO",
        ]
        for r in runs
        for c in [r["check"]]
    ]


def verdict(summary, runs):
    lines = []
    p = summary.get("P")
    if p:
        acks = p["acks_per_s"]
        lines.append(
            f"ack/s {bl.fmt(acks['median'], 0)} median, {bl.fmt(acks['min'], 0)} worst run "
            f"(target ≥ {TARGET_ACKS_PER_S:g}): {'met' if acks['median'] >= TARGET_ACKS_PER_S else 'MISSED'}"
            f"{'' if acks['min'] >= TARGET_ACKS_PER_S else ' (not in every run)'}"
        )
        p99 = p["routes"]["POST /suggest"]["p99_ms"]
        lines.append(
            f"POST p99 {bl.fmt(p99['median'])} ms median, {bl.fmt(p99['max'])} ms worst run "
            f"(target < {TARGET_P99_MS:g} ms): {'met' if p99['median'] < TARGET_P99_MS else 'MISSED'}"
            f"{'' if p99['max'] < TARGET_P99_MS else ' (not in every run)'}"
        )
        both = p["routes"]["GET+POST"]["p99_ms"]["median"]
        get = p["routes"]["GET /suggest"]["p99_ms"]["median"]
        lines.append(f"   (for reference in P: GET p99 {bl.fmt(get)} ms, whole GET+POST p99 {bl.fmt(both)} ms)")
    errors = sum(ph["errors"] for r in runs for ph in r["phases"]) + sum(r["warmup_errors"] for r in runs)
    lines.append(
        f"errors {errors} over all phases and runs, warm-up included (target 0): {'met' if errors == 0 else 'MISSED'}"
    )
    bad = [r["repeat"] for r in runs if not r["check"]["ok"]]
    lines.append(
        f"database check (rows = acks, none lost/doubled, content intact, WAL, synchronous FULL): "
        f"{'passed in every run' if not bad else f'FAILED in run(s) {bad}'}"
    )
    return lines


# ---------------------------------------------------------------- main


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    bl.add_server_options(p)
    p.add_argument("--duration", type=float, default=20, help="seconds of phases G and P (default 20)")
    p.add_argument("--seq-duration", type=float, default=5, help="seconds of phase S (default 5)")
    p.add_argument("--warmup", type=float, default=3, help="seconds of discarded submit load first (default 3)")
    p.add_argument("--clients", type=int, default=50, help="concurrent phone clients in G and P (default 50)")
    p.add_argument("--repeat", type=int, default=3, help="runs, each a fresh instance and server (default 3)")
    p.add_argument("--phases", default="S,G,P", help="which phases, in order (default S,G,P)")
    p.add_argument(
        "--think-ms",
        type=float,
        default=0,
        help="in G and P, each client pauses T × U(0.5, 1.5) ms after loading the form (the visitor "
        "typing) before submitting or loading again (default 0: closed loop, as the issue asks)",
    )
    p.add_argument(
        "--fresh-session",
        action="store_true",
        help="drop the session cookie before every form load (each iteration a new visitor)",
    )
    p.add_argument(
        "--as-kiosk-screen",
        action="store_true",
        help="don't send kiosk_screen=0 (loopback clients then count as the kiosk's own screen)",
    )
    p.add_argument(
        "--code-dir",
        metavar="DIR",
        default=None,
        help="benchmark the code in DIR (a copy of the repository, e.g. with an experimental change) "
        "instead of the work tree",
    )
    args = p.parse_args(argv)
    args.phases = bl.parse_phases(p, args.phases, "SGP")
    args.cookies = {} if args.as_kiosk_screen else {"kiosk_screen": "0"}
    bl.check_demo_pack()

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-suggest-"))
    runs, background = [], []
    try:
        code_root, code_commit = (Path(args.code_dir).resolve() if args.code_dir else bl.ROOT), None
        if args.code_at and args.code_dir:
            p.error("--code-at and --code-dir exclude each other")
        if args.code_at:
            code_root, code_commit = bl.extract_code(args.code_at, tmp / "code")
            print(f"Code: {args.code_at} = {code_commit[:10]}, extracted to {code_root}", flush=True)
        for repeat in range(1, args.repeat + 1):
            background.append(pg.idle_check(args.wait_idle))
            instance = tmp / f"instance-{repeat}"
            server = pg.Server(instance, args.threads, tmp / f"server-{repeat}.log", code_root, args.cpus)
            code = bl.code_fingerprint(code_root, code_commit)
            if args.code_dir:  # not the repository's history: only the hash of the files says what ran
                code.update(commit=None, dirty=None, code_dir=str(code_root))
            t = time.perf_counter()
            server.start(ready_timeout=180)
            started = time.perf_counter() - t
            affinity = sorted(os.sched_getaffinity(server.proc.pid))
            print(
                f"Run {repeat}/{args.repeat}: server pid {server.proc.pid} on {HOST}:{server.port}, CPUs {affinity} "
                f"(fresh instance, demo pack imported at start: ready after {started:.1f} s)",
                flush=True,
            )
            try:
                phases, acks, unacked, warmup_errors = asyncio.run(one_run(server, args, repeat))
            finally:
                queue_warnings = server.count_log("Task queue depth")
                tracebacks = server.count_log("Traceback")
                locked = server.count_log("database is locked")
                exceptions = server_exceptions(server)
                server.stop()
            check = verify(instance / "kiosk.db", acks, unacked, code_root)
            print(
                f"  check: {check['acks']} acks, {check['rows']} rows, lost {check['lost']}, "
                f"journal_mode {check['journal_mode']}, synchronous {check['synchronous_app_connect']}: "
                f"{'ok' if check['ok'] else 'FAILED'}",
                flush=True,
            )
            runs.append(
                {
                    "repeat": repeat,
                    "code": code,
                    "server_ready_s": started,
                    "server_cpus": affinity,
                    "phases": phases,
                    "warmup_errors": warmup_errors,
                    "check": check,
                    "server_log": {
                        "waitress_queue_warnings": queue_warnings,
                        "tracebacks": tracebacks,
                        "database_is_locked": locked,
                        "exceptions": exceptions,
                    },
                }
            )
            if exceptions:
                print(f"  server log exceptions: {exceptions}", flush=True)
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            bl.rmtree_quiet(tmp)

    summary = summarise(runs)
    print()
    print(
        bl.table(
            RUN_HEADERS,
            run_rows(runs),
            title="Every run (latency in ms; srv = server process, gen = this load generator, % of one core; "
            "srv CPU per ack in S/P, per GET in G)",
        )
    )
    print()
    print(
        bl.table(
            SUMMARY_HEADERS,
            summary_rows(summary, runs),
            title=f"Summary over {len(runs)} run(s): median (min–max across runs)",
        )
    )
    print()
    print(bl.table(CHECK_HEADERS, check_rows(runs), title="Database after each run (sqlite3 on the file)"))
    sync_code = runs[0]["check"]["synchronous_in_code"]
    print(
        "kiosk/db.py sets: "
        + ", ".join(f"PRAGMA synchronous={v} in {f}()" for f, v in sync_code)
        + " (every connection get_db() hands out is opened with connect())"
    )
    if "G" in summary and "P" in summary:
        g, pp = summary["G"], summary["P"]
        get_ms, ack_ms = g["server_cpu_ms_per_unit"]["median"], pp["server_cpu_ms_per_unit"]["median"]
        print(
            f"Cost of the durable write: server CPU {bl.fmt(ack_ms, 2)} ms per acknowledged submission "
            f"(its GET + POST) vs {bl.fmt(get_ms, 2)} ms per form GET alone → ≈ {bl.fmt(ack_ms - get_ms, 2)} ms "
            f"for the POST; throughput {bl.fmt(pp['acks_per_s']['median'], 0)} submissions/s vs "
            f"{bl.fmt(g['routes']['GET /suggest']['rps']['median'], 0)} form loads/s alone."
        )
    print()
    mode = f"think {args.think_ms:g} ms × U(0.5,1.5) between GET and POST" if args.think_ms else "closed loop"
    pinned = f", cpus={args.cpus or 'run.py default'} (server on CPUs {runs[0]['server_cpus']})" if runs else ""
    print(
        f"Server: run.py, waitress, threads={args.threads or 'run.py default'}{pinned}; clients: {args.clients} {mode} "
        f"({'new session every form' if args.fresh_session else 'one session cookie per client'}, "
        f"{'as kiosk screen' if args.as_kiosk_screen else 'kiosk_screen=0 i.e. phones'}); content 100–600 Chinese "
        f"characters; load generator: one asyncio process on the same {os.cpu_count()} cores."
    )
    print(
        "Server log per run (waitress queue warnings / tracebacks / 'database is locked'): "
        + ", ".join(
            f"{r['server_log']['waitress_queue_warnings']}/{r['server_log']['tracebacks']}/"
            f"{r['server_log']['database_is_locked']}"
            for r in runs
        )
    )
    lines = verdict(summary, runs)
    data = {
        "benchmark": "suggest",
        "config": {k: v for k, v in vars(args).items()},
        "targets": {"acks_per_s": TARGET_ACKS_PER_S, "post_p99_ms": TARGET_P99_MS, "errors": 0},
        "environment": bl.environment(),
        "background_cpu_pct_before_each_run": background,
        "runs": runs,
        "summary": summary,
        "verdict": lines,
    }
    print()
    bl.finish("suggest", data, lines, [r["code"] for r in runs], bl.disturbed_runs(runs))


if __name__ == "__main__":
    main()
