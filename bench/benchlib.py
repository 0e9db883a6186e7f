"""Helpers shared by the benchmarks: statistics, tables, JSON results, process CPU, environment facts."""

import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
DEMO_PACK = ROOT / "media" / "demo-pack"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, p):
    """Return the p-th percentile (0-100) of already sorted values, linear interpolation; None if empty."""
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def median(values):
    """Return the median of the non-None values, or None."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    """Return (min, max) of the non-None values, or (None, None)."""
    values = [v for v in values if v is not None]
    return (min(values), max(values)) if values else (None, None)


def fmt(value, digits=1):
    """Format a number for a table ('-' for None)."""
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:.{digits}f}"


def latency_stats(ok, errors, requests, window):
    """Summarise one route: ok latencies in s (sorted), a Counter of error kinds -> counts, req/s, percentiles in ms."""
    return {
        "requests": requests,
        "ok": len(ok),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "rps": requests / window if window else None,
        "mean_ms": 1000 * sum(ok) / len(ok) if ok else None,
        **{f"p{p}_ms": (1000 * percentile(ok, p) if ok else None) for p in (50, 90, 99)},
        "max_ms": 1000 * ok[-1] if ok else None,
    }


def fmt_n(value):
    """Format a rate: whole numbers from 100 up, one decimal below."""
    return fmt(value, 0) if value is not None and value >= 100 else fmt(value)


# The headers of latency_cells and of summary_latency_cells, in the same order.
LATENCY_HEADERS = ["requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors"]
SUMMARY_LATENCY_HEADERS = [
    "requests (all runs)",
    "req/s med (min–max)",
    "p50 ms med (min–max)",
    "p90 ms med",
    "p99 ms med (min–max)",
    "max ms (worst)",
    "errors",
]


def latency_cells(stats):
    """Return one route's table cells: requests, req/s, p50, p90, p99 and max in ms, errors."""
    return [
        stats["requests"],
        fmt_n(stats["rps"]),
        fmt(stats["p50_ms"]),
        fmt(stats["p90_ms"]),
        fmt(stats["p99_ms"]),
        fmt(stats["max_ms"]),
        stats["errors"],
    ]


def summary_latency_cells(stats, per_run):
    """Return one route's summary cells over the runs: requests, req/s, p50, p90, p99 and worst max, errors.

    stats holds each figure's median/min/max (over_runs); per_run(key) gives that figure in every run."""
    return [
        stats["requests"],
        fmt_spread(per_run("rps"), 0),
        fmt_spread(per_run("p50_ms")),
        fmt(stats["p90_ms"]["median"]),
        fmt_spread(per_run("p99_ms")),
        fmt(stats["max_ms"]["max"]),
        stats["errors"],
    ]


def fmt_spread(values, digits=1):
    """Format 'median (min–max)' of several runs."""
    lo, hi = spread(values)
    if lo is None:
        return "-"
    if len([v for v in values if v is not None]) == 1:
        return fmt(lo, digits)
    return f"{fmt(median(values), digits)} ({fmt(lo, digits)}–{fmt(hi, digits)})"


def table(headers, rows, title=None):
    """Return a plain-text table (columns padded to fit, numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row):
        return "  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(row, widths)).rstrip()

    out = [title, ""] if title else []
    out.append(line(cells[0]))
    out.append("  ".join("-" * w for w in widths))
    out += [line(r) for r in cells[1:]]
    return "\n".join(out)


def _numeric(text):
    return text == "-" or re.match(r"^-?[0-9.]", text) is not None


def free_port():
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_cpu(pid, split=False):
    """Return user+system CPU seconds used so far by a process (all its threads); (user, system) if split."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    user, system = int(fields[11]) / CLK_TCK, int(fields[12]) / CLK_TCK
    return (user, system) if split else user + system


def thread_cpu(pid):
    """Return {thread id: (name, CPU seconds)} for every thread of a process."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as f:
                head, rest = f.read().rsplit(")", 1)
            fields = rest.split()
            out[int(tid)] = (head.split("(", 1)[1], (int(fields[11]) + int(fields[12])) / CLK_TCK)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def machine_cpu():
    """Return (busy, total) jiffies of the whole machine from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def self_cpu():
    """Return CPU seconds used so far by this process."""
    t = os.times()
    return t.user + t.system


def git_state():
    """Return the commit and whether the work tree has changes outside bench/."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", ".", ":!bench"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
        return {"commit": commit or None, "dirty": bool(dirty)}
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}


CODE_PATHS = ("kiosk", "templates", "static", "run.py", "pyproject.toml")


def code_fingerprint(root=None, commit=None):
    """Return the git commit and a short hash of the code the server runs (kiosk/, templates/, static/,
    run.py, pyproject.toml as they are on disk now, committed or not): the tree changes under a benchmark
    when others commit while it runs, and each run must say which code it measured."""
    import hashlib

    root = Path(root or ROOT)
    digest = hashlib.sha256()
    for name in CODE_PATHS:
        base = root / name
        files = (
            [base]
            if base.is_file()
            else sorted(
                f for f in base.rglob("*") if f.is_file() and "__pycache__" not in f.parts and f.suffix != ".pyc"
            )
        )
        for f in files:
            digest.update(str(f.relative_to(root)).encode() + b"\0")
            try:
                digest.update(f.read_bytes())
            except OSError:
                pass
    state = {"commit": commit, "dirty": False} if commit else git_state()
    return {**state, "code_sha256": digest.hexdigest()[:12], "root": str(root)}


def extract_code(rev, dest):
    """Write the tree of git revision rev into dest (git archive; the repository is not touched) and return
    (dest, full commit). Benchmarks run that copy, so edits and commits made meanwhile don't leak in."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True, text=True, timeout=30
    )
    if commit.returncode != 0:
        sys.exit(f"unknown git revision: {rev}")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.Popen(
        ["git", "archive", "--format=tar", commit.stdout.strip()], cwd=ROOT, stdout=subprocess.PIPE
    )
    subprocess.run(["tar", "-x", "-C", str(dest)], stdin=archive.stdout, check=True, timeout=120)
    archive.stdout.close()
    if archive.wait(60) != 0:
        sys.exit(f"git archive {rev} failed")
    return dest, commit.stdout.strip()


def environment():
    """Return facts about the machine and software the numbers were measured on."""
    versions = {}
    for name in ("waitress", "Flask", "Werkzeug", "Jinja2", "sqlite-utils", "Pillow"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    model = None
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), None)
    except OSError:
        pass
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "versions": versions,
        "worktree_git": git_state(),
    }


def write_result(name, data):
    """Write data as JSON to bench/results/<name>-<timestamp>.json and return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return path


def check_demo_pack(pack=DEMO_PACK):
    """Exit with a clear message unless the demo pack is there."""
    if not (Path(pack) / "pack.json").is_file():
        sys.exit(f"没有找到内容包 {pack}/pack.json（演示内容包由 scripts/make_demo_pack.py 生成）")


def rmtree_quiet(path):
    """Remove a temporary folder, ignoring errors."""
    shutil.rmtree(path, ignore_errors=True)


def add_server_options(p):
    """Add the options every run.py benchmark takes: threads, CPUs, timeout, code revision, idle wait, keep."""
    p.add_argument("--threads", type=int, default=None, help="waitress worker threads (default: run.py's default)")
    p.add_argument(
        "--cpus",
        default=None,
        metavar="SPEC",
        help="run.py --cpus: auto (one CPU), all (unpinned: shows what the GIL costs when its threads "
        "spread over cores) or a list like 0,1 (default: run.py's default)",
    )
    p.add_argument("--timeout", type=float, default=10, help="per-request timeout, seconds (default 10)")
    p.add_argument(
        "--code-at",
        metavar="REV",
        default=None,
        help="benchmark the code of this git revision (e.g. HEAD), extracted with git archive to the temp "
        "folder, instead of the work tree as it is on disk (which others may edit while it runs)",
    )
    p.add_argument(
        "--wait-idle",
        type=float,
        default=0,
        metavar="S",
        help="before each run, wait up to S seconds for other processes to leave the CPU idle (default 0)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (instances, server logs)")


def parse_phases(p, text, allowed):
    """Return the phase letters in text, in order, or stop with a usage error naming the allowed ones."""
    phases = [x.strip().upper() for x in text.split(",") if x.strip()]
    if set(phases) - set(allowed):
        p.error(f"--phases takes {', '.join(allowed[:-1])} and/or {allowed[-1]}")
    return phases


def over_runs(values):
    """Return one figure over the repeats: its median, min and max."""
    lo, hi = spread(values)
    return {"median": median(values), "min": lo, "max": hi}


def disturbed_runs(runs, threshold=25):
    """Return the repeats in which other processes used more than threshold % of a core in some phase."""
    return [r["repeat"] for r in runs if max(p["cpu"]["other_pct"] for p in r["phases"]) > threshold]


def code_label(code):
    """Return which code was measured: short commit, +dirty, and the hash of the code itself."""
    commit = code["commit"][:7] if code["commit"] else "?"
    return f"{commit}{'+dirty' if code['dirty'] else ''} code {code['code_sha256']}"


def finish(name, data, verdict, codes, disturbed=()):
    """Print how every benchmark ends (the code measured, warnings, the verdict) and save its JSON result."""
    labels = [code_label(c) for c in codes]
    print(("Code measured per run: " if len(labels) > 1 else "Code measured: ") + "; ".join(labels))
    if len({c["code_sha256"] for c in codes}) > 1:
        print(
            "WARNING: the code changed between runs (someone edited or committed while the benchmark ran); "
            "the runs are not comparable."
        )
    elif len(set(labels)) > 1:
        print("(commits were made during the benchmark, but the code measured was the same in every run)")
    if disturbed:
        print(
            f"WARNING: other processes used more than 25% of a core during run(s) {list(disturbed)}; "
            "those figures are disturbed."
        )
    for line in verdict:
        print(line)
    print(f"\nJSON: {write_result(name, data)}")
