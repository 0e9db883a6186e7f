"""Page latency of the kiosk under load, alone and while visitors stream a video.

    .venv/bin/python bench/pages.py [--threads N] [--duration 15] [--repeat 3] [--think-ms 0] ...

Starts the real server (`run.py`, waitress) as a subprocess on a free 127.0.0.1 port with a fresh
temporary instance folder, into which it first imports a copy of the demo pack whose first video
is padded to ~200 MB with a top-level ISO-BMFF `free` box (so a stream lasts longer than a phase).
Then, per repeat (a fresh server process each time):

  warm-up  WARMUP s of the page load, discarded;
  S        one client, sequential, closed loop: the per-request latency and server CPU cost;
  A        CLIENTS clients fetching `/` and `/a/<id>` (alternately, ids cycled over the pack);
  B        the same while STREAMS clients each read the padded video with `Range: bytes=0-`
           at STREAM_RATE MB/s (throttled reads, like a browser buffering a <video>), starting
           over when the file ends.

The load generator is this process: one asyncio event loop, raw asyncio streams, HTTP/1.1
keep-alive (one connection per client), no HTTP library; its own CPU use and event-loop lag
are reported so you can see whether it, rather than the server, limited a figure. It shares
the machine's cores with the server.

Closed loop (default): each client sends its next request as soon as the previous answer is
read, so with C clients latency ≈ C / throughput once the server is saturated (Little's law).
`--think-ms T`: each client pauses T × U(0.5, 1.5) ms between requests (open-ish load).
MB = 1,000,000 bytes. Latency = from writing the request to reading the last body byte.
"""

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

HOST = "127.0.0.1"
MB = 1_000_000
READ_CHUNK = 64 * 1024
STREAM_RAMP_S = 2.0
TARGET_P99_MS = 100.0
TARGET_RATIO = 1.5
ROUTES = ("/", "/a/<id>")


# ---------------------------------------------------------------- the padded pack and the instance


def pad_mp4(path, target_bytes):
    """Append one top-level `free` box so the file is target_bytes long; return the new size."""
    extra = target_bytes - path.stat().st_size
    if extra < 16:
        return path.stat().st_size
    with open(path, "ab") as f:
        if extra < 2**32:
            f.write(struct.pack(">I4s", extra, b"free"))
            body = extra - 8
        else:  # 64-bit "largesize" box
            f.write(struct.pack(">I4sQ", 1, b"free", extra))
            body = extra - 16
        zeros = bytes(1 << 20)
        while body:
            n = min(body, len(zeros))
            f.write(zeros[:n])
            body -= n
    return path.stat().st_size


def prepare_instance(tmp, pack_src, pad_mb, video_arg, code_root):
    """Copy the pack, pad one video, import it into tmp/instance; return facts about the setup."""
    pack = tmp / "pack"
    shutil.copytree(pack_src, pack)
    meta = json.loads((pack / "pack.json").read_text(encoding="utf-8"))
    ids = [a["id"] for a in meta["achievements"]]
    videos = [v["file"] for a in meta["achievements"] for v in a.get("videos") or []]
    if not videos:
        sys.exit("内容包里没有视频，无法做视频流测试")
    video = video_arg or videos[0]
    original = (pack / video).stat().st_size
    size = pad_mp4(pack / video, int(pad_mb * MB)) if pad_mb else original
    instance = tmp / "instance"
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance)}
    t = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "kiosk", "pack", "import", str(pack)],
        cwd=code_root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        sys.exit(f"导入测试内容包失败：\n{done.stdout}\n{done.stderr}")
    shutil.rmtree(pack)  # the store holds its own copy
    return {
        "instance": instance,
        "pack_id": meta["pack_id"],
        "version": meta["version"],
        "ids": ids,
        "video": video,
        "video_original_bytes": original,
        "video_bytes": size,
        "import_seconds": round(seconds, 2),
    }


# ---------------------------------------------------------------- the server subprocess


class Server:
    """run.py on a free loopback port, its output in a log file."""

    def __init__(self, instance, threads, log_path, code_root, cpus=None):
        self.instance, self.threads, self.log_path, self.code_root = instance, threads, log_path, Path(code_root)
        self.cpus = cpus
        self.port = self.proc = None

    def start(self, ready_timeout=60):
        self.port = bl.free_port()
        self.screen_port = bl.free_port()
        cmd = [sys.executable, str(self.code_root / "run.py"), "--host", HOST, "--port", str(self.port)]
        if self.threads:
            cmd += ["--threads", str(self.threads)]
        if self.cpus:
            cmd += ["--cpus", self.cpus]
        # The screen's own listener on a free port too (an environment variable: older code measured with
        # --code-at has no --screen-port option, and ignores the variable).
        env = {
            **os.environ,
            "KIOSK_INSTANCE_PATH": str(self.instance),
            "PYTHONUNBUFFERED": "1",
            "KIOSK_SCREEN_PORT": str(self.screen_port),
        }
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            cmd, cwd=self.code_root, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"服务器退出（{self.proc.returncode}）：\n{self.log_tail()}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/")
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"服务器 {ready_timeout} 秒内未就绪：\n{self.log_tail()}")

    def log_tail(self, n=30):
        self.log.flush()
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-n:])

    def count_log(self, text):
        self.log.flush()
        return Path(self.log_path).read_text(errors="replace").count(text)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.log.close()


# ---------------------------------------------------------------- the load generator


class Conn:
    """One HTTP/1.1 keep-alive connection over asyncio streams."""

    def __init__(self, port):
        self.port, self.reader, self.writer = port, None, None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port, limit=READ_CHUNK)

    def close(self):
        if self.writer is not None:
            self.writer.transport.abort()
        self.reader = self.writer = None

    async def send(self, path, extra=""):
        if self.writer is None:
            await self.open()
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nUser-Agent: kiosk-bench/1\r\n"
            f"Accept: */*\r\n{extra}\r\n".encode("latin-1")
        )

    async def head(self):
        """Read the status line and headers; return (status, {lower-case name: value})."""
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        return status, headers

    async def body(self, headers):
        """Read a whole body; return its length."""
        if "content-length" in headers:
            n = int(headers["content-length"])
            while n:  # readexactly would need the whole body to fit the stream's buffer limit at once
                chunk = await self.reader.read(min(n, READ_CHUNK))
                if not chunk:
                    raise ConnectionError("connection closed mid-body")
                n -= len(chunk)
            return int(headers["content-length"])
        if headers.get("transfer-encoding", "").lower() == "chunked":
            total = 0
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    return total
                await self.reader.readexactly(size + 2)
                total += size
        data = await self.reader.read()
        self.close()
        return len(data)


class PagePaths:
    """Alternate `/` and `/a/<id>`, the ids cycled over the pack's achievements (shared by all clients).

    With bust, every URL gets a unique `?bench=<n>` (ignored by the views) so no page cache can answer."""

    def __init__(self, ids, bust=False):
        self.ids, self.n, self.bust = ids, 0, bust

    def next(self):
        n, self.n = self.n, self.n + 1
        route, path = ("/", "/") if n % 2 == 0 else ("/a/<id>", "/a/" + quote(self.ids[(n // 2) % len(self.ids)]))
        return route, (f"{path}?bench={n}" if self.bust else path)


async def page_client(conn, paths, start, t_end, think_s, rng, timeout, records):
    """Fetch pages until t_end; append (start, latency s, route, status or error name) per request."""
    await start.wait()
    if think_s:
        await asyncio.sleep(rng.uniform(0, think_s))
    while time.perf_counter() < t_end:
        route, path = paths.next()
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                await conn.send(path)
                status, headers = await conn.head()
                await conn.body(headers)
            records.append((t0, time.perf_counter() - t0, route, status))
            if headers.get("connection", "").lower() == "close":
                conn.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as e:
            records.append((t0, time.perf_counter() - t0, route, type(e).__name__))
            conn.close()
        if think_s:
            await asyncio.sleep(think_s * rng.uniform(0.5, 1.5))
    conn.close()


class Stream:
    """What one video client achieved."""

    def __init__(self):
        self.bytes = self.completed = 0
        self.errors = Counter()
        self.first_byte = []  # seconds from request to response headers


async def stream_client(port, path, rate, stop, st, timeout):
    """Read the video with `Range: bytes=0-` at `rate` bytes/s, starting over at its end, until stop."""
    conn = Conn(port)
    t_start = time.perf_counter()
    while not stop.is_set():
        try:
            t0 = time.perf_counter()
            async with asyncio.timeout(timeout):
                await conn.send(path, "Range: bytes=0-\r\n")
                status, headers = await conn.head()
            st.first_byte.append(time.perf_counter() - t0)
            if status != 206:
                st.errors[f"HTTP {status}"] += 1
                conn.close()
                await asyncio.sleep(0.5)
                continue
            left = int(headers["content-length"])
            while left and not stop.is_set():
                async with asyncio.timeout(timeout):
                    chunk = await conn.reader.read(min(READ_CHUNK, left))
                if not chunk:
                    raise ConnectionError("connection closed mid-body")
                left -= len(chunk)
                st.bytes += len(chunk)
                delay = t_start + st.bytes / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            if not left:
                st.completed += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError, ValueError) as e:
            st.errors[type(e).__name__] += 1
            conn.close()
            await asyncio.sleep(0.2)
    conn.close()


async def lag_monitor(stop, out, interval=0.01):
    """Measure how late the load generator's event loop wakes up (its own saturation)."""
    while not stop.is_set():
        t = time.perf_counter()
        await asyncio.sleep(interval)
        out.append(time.perf_counter() - t - interval)


def snapshot(pid):
    """CPU counters of the server (total and per thread), this process and the machine."""
    user, system = bl.proc_cpu(pid, split=True)
    return {
        "t": time.perf_counter(),
        "server": user + system,
        "server_sys": system,
        "threads": bl.thread_cpu(pid),
        "self": bl.self_cpu(),
        "machine": bl.machine_cpu(),
    }


def cpu_between(a, b, pid):
    """Return CPU use between two snapshots, in % of one core (machine: % of all cores busy)."""
    wall = b["t"] - a["t"]
    io = b["threads"].get(pid, ("", 0))[1] - a["threads"].get(pid, ("", 0))[1]
    server = b["server"] - a["server"]
    busy = (b["machine"][0] - a["machine"][0]) / max(b["machine"][1] - a["machine"][1], 1)
    return {
        "server_cpu_s": server,
        "server_pct": 100 * server / wall,
        "server_sys_pct": 100 * (b["server_sys"] - a["server_sys"]) / wall,
        "server_io_thread_pct": 100 * io / wall,
        "server_workers_pct": 100 * (server - io) / wall,
        "loadgen_pct": 100 * (b["self"] - a["self"]) / wall,
        "machine_busy_pct": 100 * busy,
        # CPU used by everything else on the machine (other processes), % of one core
        "other_pct": max(0.0, 100 * busy * (os.cpu_count() or 1) - 100 * (server + b["self"] - a["self"]) / wall),
    }


def latency_stats(records, window):
    """Summarise (start, latency, route, status) records: counts, req/s, percentiles in ms."""
    ok = sorted(lat for _, lat, _, status in records if status == 200)
    errors = Counter(str(status) for _, _, _, status in records if status != 200)
    return bl.latency_stats(ok, errors, len(records), window)


async def run_phase(
    name, port, pid, ids, clients, duration, think_ms, streams, stream_rate, video_url, timeout, seed, cache_bust=False
):
    """Run one phase and return its measurements."""
    stop_streams, stop_lag = asyncio.Event(), asyncio.Event()
    lags, stream_stats, stream_tasks = [], [Stream() for _ in range(streams)], []
    lag_task = asyncio.create_task(lag_monitor(stop_lag, lags))
    for st in stream_stats:
        stream_tasks.append(
            asyncio.create_task(stream_client(port, video_url, stream_rate * MB, stop_streams, st, timeout))
        )
    if streams:
        await asyncio.sleep(STREAM_RAMP_S)
    conns = [Conn(port) for _ in range(clients)]
    await asyncio.gather(*(c.open() for c in conns))
    records, paths, start = [], PagePaths(ids, cache_bust), asyncio.Event()
    rng = random.Random(seed)
    lags.clear()
    before = snapshot(pid)
    bytes_before = [st.bytes for st in stream_stats]
    t_end = before["t"] + duration
    tasks = [
        asyncio.create_task(
            page_client(c, paths, start, t_end, think_ms / 1000, random.Random(rng.random()), timeout, records)
        )
        for c in conns
    ]
    start.set()
    await asyncio.gather(*tasks)
    after = snapshot(pid)
    bytes_after = [st.bytes for st in stream_stats]
    stop_streams.set()
    stop_lag.set()
    await asyncio.gather(*stream_tasks, lag_task)
    window = after["t"] - before["t"]
    mode = f"think {think_ms:g} ms" if think_ms else "closed loop"
    result = {
        "phase": name,
        "mode": mode + (", cache-bust" if cache_bust else ""),
        "clients": clients,
        "streams": streams,
        "window_s": window,
        "all": latency_stats(records, window),
        **{route: latency_stats([r for r in records if r[2] == route], window) for route in ROUTES},
        "cpu": cpu_between(before, after, pid),
    }
    result["cpu"]["server_cpu_ms_per_request"] = (
        1000 * result["cpu"]["server_cpu_s"] / len(records) if records else None
    )
    lags.sort()
    result["loadgen_loop_lag_ms"] = {
        "p50": 1000 * bl.percentile(lags, 50) if lags else None,
        "p99": 1000 * bl.percentile(lags, 99) if lags else None,
        "max": 1000 * lags[-1] if lags else None,
    }
    if streams:
        rates = [(b - a) / window / MB for a, b in zip(bytes_before, bytes_after)]
        first = sorted(x for st in stream_stats for x in st.first_byte)
        result["streams_detail"] = {
            "target_MBps": stream_rate,
            "MBps_per_stream": rates,
            "MBps_min": min(rates),
            "MBps_mean": sum(rates) / len(rates),
            "MBps_max": max(rates),
            "completed_files": sum(st.completed for st in stream_stats),
            "errors": sum(sum(st.errors.values()) for st in stream_stats),
            "error_kinds": dict(sum((st.errors for st in stream_stats), Counter())),
            "first_byte_ms_max": 1000 * first[-1] if first else None,
        }
    return result


async def one_run(server, prep, args, repeat):
    """Warm up, then run the phases against a started server."""
    video_url = f"/media/{quote(prep['pack_id'])}/{quote(prep['video'])}"
    common = dict(
        port=server.port,
        pid=server.proc.pid,
        ids=prep["ids"],
        stream_rate=args.stream_rate,
        video_url=video_url,
        timeout=args.timeout,
        cache_bust=args.cache_bust,
    )
    if args.warmup:
        await run_phase(
            "warm-up", clients=args.clients, duration=args.warmup, think_ms=0, streams=0, seed=repeat, **common
        )
    phases = []
    for name in args.phases:
        await asyncio.sleep(1)
        if name == "S":
            res = await run_phase(
                "S", clients=1, duration=args.seq_duration, think_ms=0, streams=0, seed=repeat, **common
            )
        elif name == "A":
            res = await run_phase(
                "A",
                clients=args.clients,
                duration=args.duration,
                think_ms=args.think_ms,
                streams=0,
                seed=repeat,
                **common,
            )
        else:
            res = await run_phase(
                "B",
                clients=args.clients,
                duration=args.duration,
                think_ms=args.think_ms,
                streams=args.streams,
                seed=repeat,
                **common,
            )
        phases.append(res)
        print(f"  {res['phase']}: {res['all']['requests']} requests, p99 {bl.fmt(res['all']['p99_ms'])} ms", flush=True)
    return phases


# ---------------------------------------------------------------- reporting


def run_rows(runs):
    rows = []
    for run in runs:
        for ph in run["phases"]:
            for route in ("all",) + ROUTES:
                s = ph[route]
                sd = ph.get("streams_detail")
                rows.append(
                    [
                        run["repeat"],
                        ph["phase"],
                        ph["mode"],
                        route,
                        *bl.latency_cells(s),
                        (f"{ph['cpu']['server_pct']:.0f} ({ph['cpu']['server_sys_pct']:.0f})")
                        if route == "all"
                        else "",
                        bl.fmt(ph["cpu"]["server_cpu_ms_per_request"], 2) if route == "all" else "",
                        bl.fmt(ph["cpu"]["loadgen_pct"], 0) if route == "all" else "",
                        bl.fmt(ph["loadgen_loop_lag_ms"]["p99"]) if route == "all" else "",
                        bl.fmt(ph["cpu"]["other_pct"], 0) if route == "all" else "",
                        (
                            f"{sd['MBps_min']:.2f}/{sd['MBps_mean']:.2f}/{sd['MBps_max']:.2f}"
                            if sd and route == "all"
                            else ""
                        ),
                    ]
                )
    return rows


RUN_HEADERS = [
    "run",
    "phase",
    "mode",
    "route",
    *bl.LATENCY_HEADERS,
    "srv CPU% (sys)",
    "srv CPU ms/req",
    "gen CPU%",
    "gen lag p99 ms",
    "other CPU%",
    "stream MB/s min/mean/max",
]


def summarise(runs):
    """Median and min–max over the repeats, per phase and route."""
    out = {}
    for name in [ph["phase"] for ph in runs[0]["phases"]]:
        phases = [next(p for p in run["phases"] if p["phase"] == name) for run in runs]
        entry = {"mode": phases[0]["mode"], "clients": phases[0]["clients"], "streams": phases[0]["streams"]}
        for route in ("all",) + ROUTES:
            entry[route] = {
                k: bl.over_runs([p[route][k] for p in phases]) for k in ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms")
            }
            entry[route]["requests"] = sum(p[route]["requests"] for p in phases)
            entry[route]["errors"] = sum(p[route]["errors"] for p in phases)
        entry["server_cpu_ms_per_request"] = bl.median([p["cpu"]["server_cpu_ms_per_request"] for p in phases])
        entry["server_pct"] = bl.median([p["cpu"]["server_pct"] for p in phases])
        entry["server_io_thread_pct"] = bl.median([p["cpu"]["server_io_thread_pct"] for p in phases])
        entry["loadgen_pct"] = bl.median([p["cpu"]["loadgen_pct"] for p in phases])
        if phases[0].get("streams_detail"):
            entry["stream_MBps_mean"] = bl.median([p["streams_detail"]["MBps_mean"] for p in phases])
            entry["stream_MBps_min"] = min(p["streams_detail"]["MBps_min"] for p in phases)
            entry["stream_errors"] = sum(p["streams_detail"]["errors"] for p in phases)
        out[name] = entry
    return out


def summary_rows(summary, runs):
    rows = []
    for name, e in summary.items():
        for route in ("all",) + ROUTES:
            s = e[route]

            def vals(k, name=name, route=route):
                return [next(p for p in r["phases"] if p["phase"] == name)[route][k] for r in runs]

            rows.append(
                [
                    name,
                    e["mode"],
                    e["clients"],
                    e["streams"],
                    route,
                    *bl.summary_latency_cells(s, vals),
                    bl.fmt(e["server_cpu_ms_per_request"], 2) if route == "all" else "",
                    (
                        f"{e['stream_MBps_mean']:.2f} (min {e['stream_MBps_min']:.2f})"
                        if route == "all" and "stream_MBps_mean" in e
                        else ""
                    ),
                ]
            )
    return rows


SUMMARY_HEADERS = [
    "phase",
    "mode",
    "clients",
    "streams",
    "route",
    *bl.SUMMARY_LATENCY_HEADERS,
    "srv CPU ms/req",
    "stream MB/s mean (min)",
]


def verdict(summary):
    """Check the issue's targets against the medians."""
    lines = []
    a, b = summary.get("A"), summary.get("B")
    if a:
        p99 = a["all"]["p99_ms"]["median"]
        lines.append(
            f"A  p99 {bl.fmt(p99)} ms  (target < {TARGET_P99_MS:g} ms): "
            f"{'met' if p99 is not None and p99 < TARGET_P99_MS else 'MISSED'}  [{a['mode']}]"
        )
    if a and b:
        pa, pb = a["all"]["p99_ms"]["median"], b["all"]["p99_ms"]["median"]
        ratio = pb / pa if pa and pb else None
        lines.append(
            f"B  p99 {bl.fmt(pb)} ms = {bl.fmt(ratio, 2)}× A  (target ≤ {TARGET_RATIO:g}× A): "
            f"{'met' if ratio is not None and ratio <= TARGET_RATIO else 'MISSED'}; "
            f"vs {TARGET_RATIO * TARGET_P99_MS:g} ms (1.5× the 100 ms target): "
            f"{'met' if pb is not None and pb <= TARGET_RATIO * TARGET_P99_MS else 'MISSED'}  [{b['mode']}]"
        )
    return lines


# ---------------------------------------------------------------- main


def busy_pct(seconds=2.0):
    """Return the machine's CPU use over a few seconds, in % of one core."""
    a = bl.machine_cpu()
    time.sleep(seconds)
    b = bl.machine_cpu()
    return 100 * (b[0] - a[0]) / max(b[1] - a[1], 1) * (os.cpu_count() or 1)


def idle_check(wait=0, threshold=10):
    """Wait up to `wait` s for the machine to be idle (other processes < threshold % of one core); warn if not."""
    deadline = time.monotonic() + wait
    pct = busy_pct()
    while pct > threshold and time.monotonic() < deadline:
        pct = busy_pct()
    if pct > threshold:
        print(
            f"WARNING: the machine is busy ({pct:.0f}% of one core in use by other processes); "
            f"figures will be disturbed.",
            flush=True,
        )
    return pct


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    bl.add_server_options(p)
    p.add_argument("--duration", type=float, default=15, help="seconds per measured phase A and B (default 15)")
    p.add_argument("--seq-duration", type=float, default=5, help="seconds of phase S (default 5)")
    p.add_argument("--warmup", type=float, default=3, help="seconds of discarded load first (default 3)")
    p.add_argument("--clients", type=int, default=50, help="concurrent page clients (default 50)")
    p.add_argument("--streams", type=int, default=10, help="video streams in phase B (default 10)")
    p.add_argument("--stream-rate", type=float, default=2.0, help="MB/s each stream reads (default 2)")
    p.add_argument(
        "--think-ms", type=float, default=0, help="mean pause between a client's requests (default 0: closed loop)"
    )
    p.add_argument("--repeat", type=int, default=3, help="runs, each with a fresh server process (default 3)")
    p.add_argument("--phases", default="S,A,B", help="which phases, in order (default S,A,B)")
    p.add_argument("--pad-mb", type=float, default=200, help="size the streamed video is padded to (default 200)")
    p.add_argument("--video", default=None, help="path in the pack of the video to pad and stream (default: the first)")
    p.add_argument("--pack", default=str(bl.DEMO_PACK), help="pack to copy (default media/demo-pack)")
    p.add_argument(
        "--cache-bust",
        action="store_true",
        help="add a unique ?bench=<n> to every page URL so no page cache answers (worst case: every page rendered)",
    )
    args = p.parse_args(argv)
    args.phases = bl.parse_phases(p, args.phases, "SAB")
    bl.check_demo_pack(args.pack)

    background = []
    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-pages-"))
    try:
        print(
            f"Preparing: copy of {args.pack}, video padded to {args.pad_mb:g} MB, import into {tmp}/instance ...",
            flush=True,
        )
        code_root, code_commit = bl.ROOT, None
        if args.code_at:
            code_root, code_commit = bl.extract_code(args.code_at, tmp / "code")
            print(
                f"Code: {args.code_at} = {code_commit[:10]}, extracted to {code_root} (the work tree is not used)",
                flush=True,
            )
        prep = prepare_instance(tmp, Path(args.pack), args.pad_mb, args.video, code_root)
        print(
            f"  pack {prep['pack_id']} v{prep['version']}: {len(prep['ids'])} achievements; streaming "
            f"{prep['video']} ({prep['video_original_bytes'] / MB:.2f} MB -> {prep['video_bytes'] / MB:.1f} MB); "
            f"import took {prep['import_seconds']} s",
            flush=True,
        )
        runs = []
        for repeat in range(1, args.repeat + 1):
            background.append(idle_check(args.wait_idle))
            server = Server(prep["instance"], args.threads, tmp / f"server-{repeat}.log", code_root, args.cpus)
            code = bl.code_fingerprint(code_root, code_commit)
            server.start()
            print(f"Run {repeat}/{args.repeat}: server pid {server.proc.pid} on {HOST}:{server.port}", flush=True)
            try:
                phases = asyncio.run(one_run(server, prep, args, repeat))
            finally:
                queue_warnings = server.count_log("Task queue depth")
                server.stop()
            runs.append({"repeat": repeat, "code": code, "phases": phases, "waitress_queue_warnings": queue_warnings})
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            bl.rmtree_quiet(tmp)

    summary = summarise(runs)
    mode = f"think {args.think_ms:g} ms × U(0.5,1.5)" if args.think_ms else "closed loop (no pause between requests)"
    print()
    print(
        bl.table(
            RUN_HEADERS,
            run_rows(runs),
            title="Every run (latency in ms; srv = server process, gen = this load generator, % of one core)",
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
    print(
        f"Server: run.py, waitress, threads={args.threads or 'run.py default'}, "
        f"cpus={args.cpus or 'run.py default'}; page clients: {args.clients}, "
        f"{mode}{', every URL unique (?bench=<n>, page cache bypassed)' if args.cache_bust else ''}; "
        f"routes alternate / and /a/<id> over {len(prep['ids'])} ids; streams in B: {args.streams} × "
        f"{args.stream_rate:g} MB/s on a {prep['video_bytes'] / MB:.0f} MB video; load generator: one asyncio "
        f"process, keep-alive, on the same {os.cpu_count()} cores."
    )
    print(
        "waitress 'Task queue depth' warnings logged per run: "
        + ", ".join(str(r["waitress_queue_warnings"]) for r in runs)
    )
    data = {
        "benchmark": "pages",
        "config": {k: v for k, v in vars(args).items()},
        "setup": {k: (str(v) if isinstance(v, Path) else v) for k, v in prep.items() if k != "instance"},
        "environment": bl.environment(),
        "background_cpu_pct_before_each_run": background,
        "runs": runs,
        "summary": summary,
        "verdict": verdict(summary),
    }
    for run in data["runs"]:
        for ph in run["phases"]:
            ph["cpu"].pop("threads", None)
    bl.finish("pages", data, data["verdict"], [r["code"] for r in runs], bl.disturbed_runs(runs))


if __name__ == "__main__":
    main()
