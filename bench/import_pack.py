"""How long importing the demo pack takes: from scratch, again unchanged, and again forced.

    .venv/bin/python bench/import_pack.py [--repeat 3] [--mode both|inprocess|subprocess] [--pack PATH]

Per repeat, into a fresh temporary instance folder:

  fresh      import the pack into an empty instance (every file hashed, probed, copied; photo
             derivatives made; rows inserted);
  unchanged  import the same pack again (same version, no --force): expected to stop at the
             version check, a no-op;
  force      import it again with force=True: files are hashed and recognised by checksum in
             media_files, so nothing should be probed or copied again; the rows are rewritten.

Modes:
  inprocess   kiosk.create_app(instance_path=...) + kiosk.pack_cli.run_import in an app context,
              timing only run_import; the importer's steps are wrapped (not changed) to count and
              time sha256 hashing, probing (photo/poster derivatives, MP4, MP3), copies into the
              media store and the database transaction.
  subprocess  `flask --app kiosk pack import PACK [--force]` as the operator runs it, wall time
              including interpreter start-up and app creation; `flask --app kiosk pack list` on
              the same instance is timed as the start-up baseline.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402

SCENARIOS = ("fresh", "unchanged", "force")
EXPECTED = {"fresh": "imported", "unchanged": "unchanged", "force": "imported"}


class Probe:
    """Wrap the importer's steps to count and time them (the kiosk code itself is untouched)."""

    def __init__(self):
        import kiosk.media.store
        import kiosk.packs.importer
        import kiosk.packs.media_checks

        self.modules = (kiosk.packs.media_checks, kiosk.packs.importer, kiosk.media.store)
        self.originals = []
        self.reset()
        pm, pi, ms = self.modules
        self._wrap(pm, "file_sha256", lambda args: "sha256")
        self._wrap(pm, "_probe", lambda args: f"probe {args[1]}")
        self._wrap(pi, "install_pack", lambda args: "db install")
        self._wrap(ms.MediaStore, "keep", self._keep_label)

    def _keep_label(self, args):
        store, src, sha256 = args
        dest = store.original(sha256)
        same = dest.exists() and dest.stat().st_size == Path(src).stat().st_size
        return "store keep (present)" if same else "store keep (copied)"

    def _wrap(self, owner, name, label):
        original = getattr(owner, name)
        self.originals.append((owner, name, original))

        def wrapper(*args, **kwargs):
            key = label(args)
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times[key] = self.times.get(key, 0.0) + time.perf_counter() - t
                self.counts[key] = self.counts.get(key, 0) + 1

        setattr(owner, name, wrapper)

    def reset(self):
        self.counts, self.times = {}, {}

    def restore(self):
        for owner, name, original in self.originals:
            setattr(owner, name, original)


def run_inprocess(pack, repeat, probe):
    """Run the three scenarios in one fresh instance; return their measurements."""
    from kiosk import create_app
    from kiosk.packs.library import run_import

    out = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-import-") as tmp:
        app = create_app(instance_path=Path(tmp) / "instance")
        for scenario in SCENARIOS:
            probe.reset()
            with app.app_context():
                t = time.perf_counter()
                result = run_import(str(pack), force=scenario == "force")
                seconds = time.perf_counter() - t
            steps = {k: {"count": probe.counts[k], "seconds": probe.times[k]} for k in sorted(probe.counts)}
            out.append(
                {
                    "repeat": repeat,
                    "mode": "inprocess",
                    "scenario": scenario,
                    "seconds": seconds,
                    "status": result.status,
                    "message": result.message,
                    "achievements": result.achievements,
                    "errors": len(result.report.errors),
                    "warnings": len(result.report.warnings),
                    "steps": steps,
                }
            )
    return out


def run_subprocess(pack, repeat, code_root):
    """Run the three scenarios (and the start-up baseline) with the flask CLI; return their measurements."""
    out = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-import-") as tmp:
        env = {**os.environ, "KIOSK_INSTANCE_PATH": str(Path(tmp) / "instance")}
        flask = [sys.executable, "-m", "flask", "--app", "kiosk", "pack"]
        for scenario, cmd in (
            ("fresh", ["import", str(pack)]),
            ("unchanged", ["import", str(pack)]),
            ("force", ["import", str(pack), "--force"]),
            ("startup baseline (pack list)", ["list"]),
        ):
            t = time.perf_counter()
            done = subprocess.run(flask + cmd, cwd=code_root, env=env, capture_output=True, text=True, timeout=900)
            seconds = time.perf_counter() - t
            status = "ok" if done.returncode == 0 else f"exit {done.returncode}"
            if scenario in EXPECTED and done.returncode == 0:
                status = "unchanged" if "无需重复导入" in done.stdout else "imported"
            out.append(
                {
                    "repeat": repeat,
                    "mode": "subprocess",
                    "scenario": scenario,
                    "seconds": seconds,
                    "status": status,
                    "message": done.stdout.strip().splitlines()[-1:] if done.stdout else [],
                    "stderr_tail": done.stderr.strip().splitlines()[-3:] if done.returncode else [],
                }
            )
    return out


def main(argv=None):
    p = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repeat", type=int, default=3, help="repeats of each scenario (default 3)")
    p.add_argument("--mode", choices=("both", "inprocess", "subprocess"), default="both")
    p.add_argument("--pack", default=str(bl.DEMO_PACK), help="pack folder or .zip (default media/demo-pack)")
    p.add_argument(
        "--code-at",
        metavar="REV",
        default=None,
        help="measure the code of this git revision (extracted with git archive to a temp folder) "
        "instead of the work tree",
    )
    args = p.parse_args(argv)
    code_tmp = None
    code_root, code_commit = bl.ROOT, None
    if args.code_at:
        code_tmp = tempfile.mkdtemp(prefix="kiosk-bench-code-")
        code_root, code_commit = bl.extract_code(args.code_at, code_tmp)
        print(f"Code: {args.code_at} = {code_commit[:10]}, extracted to {code_root}", flush=True)
    sys.path.insert(0, str(code_root))  # in-process imports take kiosk from there
    code = bl.code_fingerprint(code_root, code_commit)
    bl.check_demo_pack(args.pack) if Path(args.pack).is_dir() else None
    pack = Path(args.pack).resolve()
    size = sum(f.stat().st_size for f in pack.rglob("*") if f.is_file()) if pack.is_dir() else pack.stat().st_size
    files = sum(1 for f in pack.rglob("*") if f.is_file()) if pack.is_dir() else 1
    print(f"Pack {pack}: {files} files, {size / 1e6:.2f} MB; {args.repeat} repeat(s), mode {args.mode}", flush=True)

    runs = []
    modes = ("inprocess", "subprocess") if args.mode == "both" else (args.mode,)
    probe = Probe() if "inprocess" in modes else None
    try:
        for repeat in range(1, args.repeat + 1):
            for mode in modes:
                res = (
                    run_inprocess(pack, repeat, probe)
                    if mode == "inprocess"
                    else run_subprocess(pack, repeat, code_root)
                )
                for r in res:
                    print(
                        f"  run {repeat} {mode:10} {r['scenario']:30} {r['seconds']:7.3f} s  {r['status']}", flush=True
                    )
                runs += res
    finally:
        if probe:
            probe.restore()
        if code_tmp:
            bl.rmtree_quiet(code_tmp)

    rows, summary, step_rows = [], [], []
    for mode in modes:
        for scenario in dict.fromkeys(r["scenario"] for r in runs if r["mode"] == mode):
            sel = [r for r in runs if r["mode"] == mode and r["scenario"] == scenario]
            secs = [r["seconds"] for r in sel]
            statuses = sorted({r["status"] for r in sel})
            expected = EXPECTED.get(scenario)
            ok = expected is None or statuses == [expected]
            entry = {
                "mode": mode,
                "scenario": scenario,
                "runs": len(sel),
                "median_s": bl.median(secs),
                "min_s": min(secs),
                "max_s": max(secs),
                "each_s": secs,
                "status": statuses,
                "as_expected": ok,
            }
            if mode == "inprocess":
                keys = sorted({k for r in sel for k in r["steps"]})
                entry["steps"] = {
                    k: {
                        "count": bl.median([r["steps"].get(k, {}).get("count", 0) for r in sel]),
                        "median_s": bl.median([r["steps"].get(k, {}).get("seconds", 0.0) for r in sel]),
                    }
                    for k in keys
                }
                for k, v in entry["steps"].items():
                    step_rows.append([scenario, k, f"{v['count']:g}", f"{v['median_s']:.3f}"])
            summary.append(entry)
            rows.append(
                [
                    mode,
                    scenario,
                    len(sel),
                    f"{entry['median_s']:.3f}",
                    f"{entry['min_s']:.3f}–{entry['max_s']:.3f}",
                    ",".join(statuses) + ("" if ok else " (!)"),
                ]
            )

    print()
    print(
        bl.table(
            ["mode", "scenario", "runs", "median s", "min–max s", "status"],
            rows,
            title="Importing the pack: median and min–max over the repeats",
        )
    )
    if step_rows:
        print()
        print(
            bl.table(
                ["scenario", "step (inprocess)", "calls", "median s"],
                step_rows,
                title="Where the in-process import time goes (median per import; steps not listed = the rest)",
            )
        )
    if "inprocess" in modes:
        import kiosk

        code["kiosk_module"] = kiosk.__file__
    print(f"\nCode from {code_root}.")
    print(
        "inprocess: only run_import is timed. subprocess: wall time of the flask CLI, start-up included "
        "(compare with the pack list baseline)."
    )
    data = {
        "benchmark": "import_pack",
        "config": vars(args),
        "pack": {"path": str(pack), "files": files, "bytes": size},
        "environment": bl.environment(),
        "code": code,
        "runs": runs,
        "summary": summary,
    }
    bl.finish("import_pack", data, [], [code])


if __name__ == "__main__":
    main()
