"""Pushing a backlog of suggestions to the central receiver: time, exactly-once under faults, peak memory.

    .venv/bin/python bench/sync_push.py [--n 10000] [--small 1000] [--repeat 3] [--fraction 0.3] ...

Issue targets: push 10,000 suggestions to the receiver on loopback in under 10 s with no faults; all
delivered exactly once within 60 s when 30% of requests fail in mixed ways; the sync run's peak memory
flat between 1,000 and 10,000 pending (here: within +15%).

Per repeat, each phase gets a fresh kiosk instance (`kiosk.create_app(instance_path=...)`, migrations
run) filled with N varied, realistic suggestions in one transaction (executemany straight into
`suggestions`; the outbox trigger makes them pending), and a fresh reference receiver
(`python -m central serve` started by `central.testing.receiver`, its own SQLite file and tokens file,
`--port 0` on 127.0.0.1).
Then `python -m flask --app kiosk sync push` runs as a subprocess under `/usr/bin/time -v`
(wall time, CPU, peak RSS of the sync process) with KIOSK_INSTANCE_PATH, KIOSK_CENTRAL_URL,
KIOSK_CENTRAL_TOKEN and KIOSK_ID in its environment.

  0  baseline: N=0 — what the process costs with nothing pending (start-up, imports, migrations);
  1  clean:    N (10,000), no faults;                      target: wall < 10 s
  2  faults:   N, `--test-faults` with a seeded random mix on the suggestions path: `fraction` of requests
               fail as 500/503/429 (Retry-After 1 s) before the store, 500/dropped/truncated answer after
               the store (lost ack), a late answer past the kiosk's timeout (`delay_after_store`), and
               413 (the kiosk splits the batch); retries are made fast (base 0.05 s, cap 0.5 s, 10 tries);
               target: exit 0 and every suggestion delivered exactly once, wall < 60 s;
  3  memory:   SMALL (1,000), no faults; peak RSS compared with phase 1's (target: within +15%).

After each run the receiver's SQLite is read: exactly N rows for this kiosk, N distinct uuids, and every
stored item's content and moderation equal to the kiosk's own contract item (all of them compared); the
kiosk's outbox must show N delivered. Wall time is the whole process (start-up included: see phase 0).
"""

import argparse
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

sys.path.insert(0, str(bl.ROOT))
bl.CODE_PATHS = (*bl.CODE_PATHS, "sync", "central")  # this benchmark measures sync/ and the receiver too
from central.testing.faults import MIXED  # noqa: E402
from central.testing.receiver import ReceiverDidNotStart, ReceiverProcess  # noqa: E402

KIOSK_ID = "bench-hall-1"
TOKEN = "bench-token-0123456789abcdef"
EVENT_ID = "tj-2024-expo"
TIME_BIN = "/usr/bin/time"
TARGET_CLEAN_S = 10.0
TARGET_FAULTS_S = 60.0
TARGET_MEM_RATIO = 1.15
RUN_TIMEOUT_S = 300
# The receiver's mix of network and server faults, and a batch refused as too large.
FAULT_MODES = [*MIXED, "413"]
FAST_RETRY = {
    "KIOSK_SYNC_TRIES": "10",
    "KIOSK_SYNC_RETRY_BASE": "0.05",
    "KIOSK_SYNC_RETRY_CAP": "0.5",
    "KIOSK_SYNC_LONGEST_WAIT": "30",
}

# ---------------------------------------------------------------- realistic suggestions

PHRASES = [
    "外业核查照片按点位自动命名",
    "省去手工整理的时间",
    "建议在车间入口增加扫码登记",
    "减少纸质表格的重复填写",
    "班组交接时用平板记录设备状态",
    "把常用工具的定位做成看板",
    "焊接工位加装局部排风",
    "夜班巡检路线优化",
    "库房物料按使用频次重新摆放",
    "建立小改小革成果的共享目录",
    "对新员工开展五小成果案例培训",
    "用废旧托盘改制工具架，成本低、见效快",
    "检测数据自动上传，避免抄录错误",
    "在配电室增设温湿度报警",
    "让一线职工的点子有人跟进、有结果反馈",
    "测绘院内业处理流程中可以合并两道质检工序",
]
UNITS = ["测绘院", "第二机修车间", "供电公司运维班", "市政养护所", "港务集团装卸队", "轨道交通维保中心"]
NAMES = ["王小明", "李红", "张伟", "刘洋", "陈静", "赵磊", "孙丽", "周强"]


def text(rng, chars):
    """Return about `chars` characters of Chinese prose made of the phrases, punctuated."""
    out, size = [], 0
    while size < chars:
        p = rng.choice(PHRASES) + rng.choice("，。；")
        out.append(p)
        size += len(p)
    return "".join(out)[: chars - 1].rstrip("，；") + "。"  # at most `chars` in all


def suggestion_rows(n, seed=1):
    """Yield n suggestion rows as visitors leave them: mostly short, some long, optional fields sometimes."""
    rng = random.Random(seed)
    start = datetime(2024, 10, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    seq_by_day = {}
    for i in range(n):
        created = start + timedelta(seconds=i * 37)  # a busy exhibition: many days of suggestions
        day = created.date().isoformat()
        seq = seq_by_day[day] = seq_by_day.get(day, 0) + 1
        r = rng.random()
        content_len = (
            rng.randint(20, 200) if r < 0.7 else rng.randint(200, 1000) if r < 0.95 else rng.randint(1000, 3000)
        )
        contact = rng.random() < 0.3
        yield {
            "uuid": str(uuid.uuid4()),
            "form_token": f"bench-form-{i}",
            "kiosk_id": KIOSK_ID,
            "event_id": EVENT_ID,
            "created_at": created.isoformat(timespec="seconds"),
            "source": rng.choice(("kiosk", "phone")),
            "receipt_day": day,
            "receipt_seq": seq,
            "receipt_no": f"{created:%m%d}-{seq:03d}",
            "title": text(rng, rng.randint(6, 38)) if rng.random() < 0.6 else None,
            "content": text(rng, content_len),
            "background": text(rng, rng.randint(20, 480)) if rng.random() < 0.4 else None,
            "key_problems": text(rng, rng.randint(20, 300)) if rng.random() < 0.3 else None,
            "scope": text(rng, rng.randint(4, 60)) if rng.random() < 0.3 else None,
            "feasibility": text(rng, rng.randint(20, 300)) if rng.random() < 0.2 else None,
            "expected_benefits": text(rng, rng.randint(10, 200)) if rng.random() < 0.3 else None,
            "related_achievement_id": f"TJ2024-{rng.randint(1, 40):03d}" if rng.random() < 0.2 else None,
            "proposer_name": rng.choice(NAMES) if contact or rng.random() < 0.2 else None,
            "proposer_unit": rng.choice(UNITS) if contact or rng.random() < 0.2 else None,
            "proposer_phone": f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}" if contact else None,
            "consent_authenticity": 1,
            "consent_authorization": 1,
            "consent_contact": int(contact),
            "moderation": rng.choices(("pending", "approved", "spam"), (6, 3, 1))[0],
            "honeypot": 0,
        }


def make_kiosk(instance, n, seed):
    """Create a fresh kiosk instance (migrations run) and insert n suggestions in one transaction."""
    from kiosk import create_app

    create_app(instance_path=str(instance))
    started = time.perf_counter()
    conn = sqlite3.connect(instance / "kiosk.db")
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        rows = suggestion_rows(n, seed)
        first = next(rows, None)
        if first:
            columns = list(first)
            sql = f"INSERT INTO suggestions ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            with conn:
                conn.execute(sql, [first[c] for c in columns])
                conn.executemany(sql, ([row[c] for c in columns] for row in rows))
        pending = conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'pending'").fetchone()[0]
    finally:
        conn.close()
    if pending != n:
        sys.exit(f"the outbox trigger made {pending} pending rows for {n} suggestions")
    return time.perf_counter() - started


# ---------------------------------------------------------------- the receiver


class Receiver:
    """The reference receiver (central.testing.receiver) on a free 127.0.0.1 port, with its own database and tokens."""

    def __init__(self, folder, faults=None, threads=8):
        folder.mkdir(parents=True, exist_ok=True)
        self.db = folder / "central.db"
        tokens = folder / "tokens.json"
        tokens.write_text(json.dumps({KIOSK_ID: TOKEN}), encoding="utf-8")
        os.chmod(tokens, 0o600)
        faults_file = None
        if faults is not None:
            faults_file = folder / "faults.json"
            faults_file.write_text(json.dumps(faults), encoding="utf-8")
        self.server = ReceiverProcess(self.db, tokens, folder / "central.log", faults=faults_file, threads=threads)
        try:
            self.server.start()
        except ReceiverDidNotStart as e:
            sys.exit(str(e))
        self.url = self.server.url

    def cpu(self):
        return bl.proc_cpu(self.server.process.pid)

    def faults_injected(self):
        """Return {mode: count} of the faults the receiver logged."""
        found = {}
        for mode in re.findall(r"injected fault (\S+) on", self.server.log_text()):
            found[mode] = found.get(mode, 0) + 1
        return found

    def stop(self):
        self.server.stop()


# ---------------------------------------------------------------- one sync run


def parse_time_v(path):
    """Return wall, user, sys seconds and max RSS (KiB) from /usr/bin/time -v output."""
    out = {}
    for line in Path(path).read_text(errors="replace").splitlines():
        key, _, value = line.strip().rpartition(": ")
        if key == "Maximum resident set size (kbytes)":
            out["rss_kib"] = int(value)
        elif key == "User time (seconds)":
            out["user_s"] = float(value)
        elif key == "System time (seconds)":
            out["sys_s"] = float(value)
        elif key.startswith("Elapsed (wall clock) time"):
            parts = [float(p) for p in value.split(":")]
            out["time_wall_s"] = sum(p * 60**i for i, p in enumerate(reversed(parts)))
    return out


def run_push(instance, receiver, folder, extra_env, timeout=RUN_TIMEOUT_S):
    """Run `flask --app kiosk sync push` under /usr/bin/time -v; return its figures and output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        {
            "KIOSK_INSTANCE_PATH": str(instance),
            "KIOSK_CENTRAL_URL": receiver.url,
            "KIOSK_CENTRAL_TOKEN": TOKEN,
            "KIOSK_ID": KIOSK_ID,
            "KIOSK_EVENT_ID": EVENT_ID,
            "PYTHONIOENCODING": "utf-8",
            **extra_env,
        }
    )
    time_file = folder / "time-v.txt"
    command = [TIME_BIN, "-v", "-o", str(time_file), sys.executable, "-m", "flask", "--app", "kiosk", "sync", "push"]
    cpu_before = receiver.cpu()
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=bl.ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        return {"exit": "timeout", "wall_s": time.perf_counter() - started, "stdout": e.stdout, "stderr": e.stderr}
    wall = time.perf_counter() - started
    figures = {
        "exit": done.returncode,
        "wall_s": wall,
        "receiver_cpu_s": receiver.cpu() - cpu_before,
        **parse_time_v(time_file),
    }
    (folder / "push.out").write_text(done.stdout + "\n--- stderr ---\n" + done.stderr, encoding="utf-8")
    figures["stdout_tail"] = done.stdout.strip().splitlines()[-4:]
    figures["stderr_tail"] = [line for line in done.stderr.strip().splitlines() if "推送建议" not in line][-4:]
    return figures


def verify(instance, receiver, n):
    """Compare what the receiver stored with the kiosk's items; return the facts and a list of problems."""
    from kiosk.db import connect
    from sync import outbox

    problems = []
    central = sqlite3.connect(receiver.db)
    try:
        rows = central.execute(
            "SELECT uuid, content, moderation FROM suggestions WHERE kiosk_id = ?", [KIOSK_ID]
        ).fetchall()
        other = central.execute("SELECT COUNT(*) FROM suggestions WHERE kiosk_id != ?", [KIOSK_ID]).fetchone()[0]
        keys = central.execute("SELECT COUNT(*) FROM batches").fetchone()[0]
    finally:
        central.close()
    stored = {}
    for u, content, moderation in rows:
        stored.setdefault(u.lower(), []).append((json.loads(content), moderation))
    if len(rows) != n:
        problems.append(f"receiver holds {len(rows)} rows for {n} suggestions")
    if len(stored) != n:
        problems.append(f"receiver holds {len(stored)} distinct uuids for {n} suggestions")
    twice = sum(1 for v in stored.values() if len(v) > 1)
    if twice or other:
        problems.append(f"{twice} uuids stored more than once, {other} rows of another kiosk")
    db = connect(instance / "kiosk.db")
    try:
        items = {s["uuid"].lower(): s for s in outbox.every_suggestion(db)}
        states = outbox.counts(db)
        attempts = db.execute("SELECT SUM(attempts), MAX(attempts) FROM outbox").fetchone()
        last = db.execute("SELECT result, counts FROM sync_runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.conn.close()
    missing = set(items) - set(stored)
    extra = set(stored) - set(items)
    differ = 0
    for u, item in items.items():
        if u in stored:
            content, moderation = stored[u][0]
            if content != {k: v for k, v in item.items() if k != "moderation"} or moderation != item["moderation"]:
                differ += 1
    if missing or extra or differ:
        problems.append(
            f"{len(missing)} kiosk items missing at the receiver, {len(extra)} unknown there, "
            f"{differ} stored with different content or moderation"
        )
    if states["delivered"] != n:
        problems.append(f"kiosk outbox: {states}")
    answers = json.loads(last[1] or "{}").get("answers", {}) if last else {}
    return {
        "stored": len(rows),
        "distinct": len(stored),
        "compared": len(items) - len(missing),
        "differ": differ,
        "outbox": states,
        "attempts_sum": attempts[0],
        "attempts_max": attempts[1],
        "run_result": last and last[0],
        "answers": answers,
        "batches_keys": keys,
        "ok": not problems,
    }, problems


def one_phase(tmp, name, n, seed, faults=None, extra_env=None):
    """Fresh kiosk with n pending, fresh receiver; push once; verify. Return the phase record."""
    folder = tmp / name
    instance = folder / "instance"
    insert_s = make_kiosk(instance, n, seed)
    receiver = Receiver(folder / "central", faults)
    try:
        figures = run_push(instance, receiver, folder, extra_env or {})
        injected = receiver.faults_injected()
    finally:
        receiver.stop()
    facts, problems = verify(instance, receiver, n)
    record = {
        "phase": name,
        "n": n,
        "insert_s": round(insert_s, 3),
        **figures,
        "verify": facts,
        "problems": problems,
        "faults_injected": injected,
    }
    if figures["exit"] != 0:
        problems.append(f"sync push exit {figures['exit']}: {figures.get('stderr_tail')}")
    record["ok"] = not problems
    bl.rmtree_quiet(instance)
    return record


def fault_plan(fraction, seed, seconds):
    """Return the receiver's faults file: a seeded random mix on the suggestions path only."""
    return {
        "rules": [],
        "random": {
            "path": "/suggestions",
            "fraction": fraction,
            "seed": seed,
            "modes": FAULT_MODES,
            "seconds": seconds,
            "retry_after": 1,
        },
    }


# ---------------------------------------------------------------- report


def show(record):
    v = record["verify"]
    mem = f"{record['rss_kib'] / 1024:.1f} MiB" if "rss_kib" in record else "-"
    inj = sum(record["faults_injected"].values())
    print(
        f"  {record['phase']:<8} N={record['n']:<6} exit {record['exit']}  wall {record['wall_s']:.2f} s  "
        f"user {record.get('user_s', 0):.2f} s sys {record.get('sys_s', 0):.2f} s  peak RSS {mem}  "
        f"receiver CPU {record.get('receiver_cpu_s', 0):.2f} s  faults {inj}  stored {v['stored']} "
        f"distinct {v['distinct']} differ {v['differ']}  delivered {v['outbox']['delivered']}  "
        f"keys {v['batches_keys']}  {'OK' if record['ok'] else 'PROBLEM: ' + '; '.join(record['problems'])}",
        flush=True,
    )
    if record["faults_injected"]:
        print(
            f"           faults by mode: {record['faults_injected']}; answers {v['answers']}; "
            f"attempts per item max {v['attempts_max']}",
            flush=True,
        )


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--n", type=int, default=10_000, help="suggestions pending in phases 1 and 2 (default 10000)")
    p.add_argument("--small", type=int, default=1_000, help="suggestions pending in phase 3 (default 1000)")
    p.add_argument("--repeat", type=int, default=3, help="repeats of every phase (default 3)")
    p.add_argument("--phases", default="0,1,2,3", help="which phases (default 0,1,2,3)")
    p.add_argument("--fraction", type=float, default=0.3, help="share of suggestion requests faulted in phase 2")
    p.add_argument("--seed", type=int, default=7, help="fault seed of repeat 1 (repeat r uses seed+r-1)")
    p.add_argument(
        "--timeout",
        type=float,
        default=3.0,
        help="KIOSK_CENTRAL_TIMEOUT in phase 2; delay_after_store answers 1 s after it (default 3)",
    )
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (receiver logs, push output)")
    args = p.parse_args(argv)
    phases = {x.strip() for x in args.phases.split(",")}
    if not Path(TIME_BIN).exists():
        sys.exit(f"{TIME_BIN} is missing (Debian package `time`)")

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-sync-"))
    runs = []
    code = bl.code_fingerprint()
    try:
        for repeat in range(1, args.repeat + 1):
            print(f"Run {repeat}/{args.repeat}", flush=True)
            seed = args.seed + repeat - 1
            records = []
            plan = [
                ("0", "baseline", 0, None, {}),
                ("1", "clean", args.n, None, {}),
                (
                    "2",
                    "faults",
                    args.n,
                    fault_plan(args.fraction, seed, args.timeout + 1),
                    {**FAST_RETRY, "KIOSK_CENTRAL_TIMEOUT": str(args.timeout)},
                ),
                ("3", "small", args.small, None, {}),
            ]
            for key, name, n, faults, env in plan:
                if key in phases:
                    record = one_phase(tmp / f"r{repeat}", name, n, seed=repeat, faults=faults, extra_env=env)
                    show(record)
                    records.append(record)
            runs.append({"repeat": repeat, "seed": seed, "phases": records})
    finally:
        if args.keep:
            print(f"Kept {tmp}")
        else:
            bl.rmtree_quiet(tmp)

    def values(phase, key, scale=1.0):
        return [r[key] / scale for run in runs for r in run["phases"] if r["phase"] == phase and key in r]

    rows = []
    for phase, n in (("baseline", 0), ("clean", args.n), ("faults", args.n), ("small", args.small)):
        if not values(phase, "wall_s"):
            continue
        recs = [r for run in runs for r in run["phases"] if r["phase"] == phase]
        rows.append(
            [
                phase,
                n,
                bl.fmt_spread(values(phase, "wall_s"), 2),
                bl.fmt_spread(values(phase, "user_s"), 2),
                bl.fmt_spread(values(phase, "sys_s"), 2),
                bl.fmt_spread(values(phase, "receiver_cpu_s"), 2),
                bl.fmt_spread(values(phase, "rss_kib", 1024), 1),
                bl.fmt_spread([sum(r["faults_injected"].values()) for r in recs], 0),
                f"{sum(r['ok'] for r in recs)}/{len(recs)}",
            ]
        )
    print()
    print(
        bl.table(
            [
                "phase",
                "N",
                "wall s",
                "sync user s",
                "sync sys s",
                "receiver CPU s",
                "peak RSS MiB",
                "faults",
                "verified",
            ],
            rows,
            title=f"Summary over {len(runs)} run(s): median (min–max); wall = the whole `flask sync push` process",
        )
    )
    print()
    verdict = []
    clean, faulted = values("clean", "wall_s"), values("faults", "wall_s")
    if clean:
        ok = max(clean) < TARGET_CLEAN_S and all(
            r["ok"] for run in runs for r in run["phases"] if r["phase"] == "clean"
        )
        verdict.append(
            f"{'MET' if ok else 'MISSED'}: {args.n} suggestions, no faults, in under {TARGET_CLEAN_S:g} s "
            f"(median {bl.median(clean):.2f} s, worst {max(clean):.2f} s)"
        )
    if faulted:
        recs = [r for run in runs for r in run["phases"] if r["phase"] == "faults"]
        ok = max(faulted) < TARGET_FAULTS_S and all(r["ok"] for r in recs)
        verdict.append(
            f"{'MET' if ok else 'MISSED'}: {args.n} suggestions with {args.fraction:.0%} of requests faulted, "
            f"all delivered exactly once in under {TARGET_FAULTS_S:g} s (median {bl.median(faulted):.2f} s, "
            f"worst {max(faulted):.2f} s; verified {sum(r['ok'] for r in recs)}/{len(recs)})"
        )
    big, small = values("clean", "rss_kib", 1024), values("small", "rss_kib", 1024)
    if big and small:
        ratio = bl.median(big) / bl.median(small)
        base = values("baseline", "rss_kib", 1024)
        extra = (
            f"; over the N=0 baseline {bl.median(base):.1f} MiB: +{bl.median(small) - bl.median(base):.1f} vs "
            f"+{bl.median(big) - bl.median(base):.1f} MiB"
            if base
            else ""
        )
        verdict.append(
            f"{'MET' if ratio <= TARGET_MEM_RATIO else 'MISSED'}: peak RSS flat, {args.small} → {args.n} "
            f"pending: {bl.median(small):.1f} → {bl.median(big):.1f} MiB (×{ratio:.3f}, limit "
            f"×{TARGET_MEM_RATIO}){extra}"
        )
    data = {
        "benchmark": "sync_push",
        "config": vars(args),
        "fault_modes": FAULT_MODES,
        "fast_retry": FAST_RETRY,
        "environment": bl.environment(),
        "code": code,
        "runs": runs,
        "verdict": verdict,
    }
    bl.finish("sync_push", data, verdict, [code])


if __name__ == "__main__":
    main()
