"""Presenter mode: how long from a tap on the presenter's phone to the big screen showing it.

    .venv/bin/python bench/presenter.py [--repeat 3] [--commands 120] [--visitors 50]

Per repeat, a fresh run.py on a fresh temporary instance (the demo pack), then two real Chromium pages:
the big screen at 1920×1080 on the kiosk's own screen listener (loopback: the kiosk screen), and a phone
at 390×844 on the phones' listener, paired with the screen's code. The phone taps 下一项 and ‹ 上一项 in
turn, --commands times. Both pages stamp events on the same machine clock (performance.timeOrigin +
performance.now()): the phone when its button gets the pointerdown, the screen when a MutationObserver
sees another winner shown. Latency = screen stamp − phone stamp, per command.

Phases: `alone`, then `visitors`: the same while --visitors threads in this process load / and /a/<id>
on the phones' listener (keep-alive HTTP/1.1), each waiting --think seconds between pages (default 1 s:
a busy crowd of phones; --think 0 is a flood, far beyond 50 people, on the same two cores).
Target (issue 12): p95 < 300 ms.
"""

import argparse
import http.client
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib as bl  # noqa: E402
import pages as pg  # noqa: E402

WATCH_SCREEN = """() => {
  window.__shown = [];
  const stage = document.getElementById('stage');
  new MutationObserver(() => {
    const on = document.querySelector('.show:not([hidden])');
    if (on) window.__shown.push([on.dataset.id, performance.timeOrigin + performance.now()]);
  }).observe(stage, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
}"""
WATCH_PHONE = """() => {
  window.__taps = [];
  document.addEventListener('pointerdown', () => window.__taps.push(performance.timeOrigin + performance.now()), true);
}"""
IDS = ["TJ2024-001", "TJ2024-002", "TJ2024-003", "TJ2024-004", "TJ2024-005", "JS2024-001"]


def crowd(port, stop, counts, think):
    """Load / and /a/<id> over one keep-alive connection, think seconds apart, until stop is set; count them."""
    conn = http.client.HTTPConnection(pg.HOST, port, timeout=10)
    n = 0
    while not stop.is_set():
        path = "/" if n % 2 == 0 else f"/a/{IDS[n % len(IDS)]}"
        try:
            conn.request("GET", path, headers={"Cookie": "kiosk_screen=0"})
            conn.getresponse().read()
            counts.append(1)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection(pg.HOST, port, timeout=10)
        n += 1
        stop.wait(think)
    conn.close()


def run_commands(screen, phone, count):
    """Tap next / previous count times; return the latencies in ms."""
    latencies = []
    for i in range(count):
        before = screen.evaluate("window.__shown.length")
        name = "下一项 ›" if i % 2 == 0 else "‹ 上一项"
        phone.get_by_role("button", name=name).click()
        deadline = time.monotonic() + 5
        while screen.evaluate("window.__shown.length") <= before:
            if time.monotonic() > deadline:
                state = phone.evaluate("fetch('/remote/state').then(r => r.text())")
                raise SystemExit(f"第 {i + 1} 个命令 5 秒内没有到达大屏幕：{state[:300]}")
            time.sleep(0.005)
        shown_at = screen.evaluate("window.__shown[window.__shown.length - 1][1]")
        tapped_at = phone.evaluate("window.__taps[window.__taps.length - 1]")
        latencies.append(shown_at - tapped_at)
    return latencies


def stats(values):
    """Return n, p50, p95 and max in ms."""
    ordered = sorted(values)
    return {"n": len(ordered), "p50": bl.percentile(ordered, 50), "p95": bl.percentile(ordered, 95), "max": ordered[-1]}


def one_run(browser, server, args):
    """Pair a phone with the screen and measure both phases; return {phase: stats}."""
    screen_port = server.screen_port
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(f"http://{pg.HOST}:{screen_port}/present")
    screen.wait_for_function("() => /^\\d{6}$/.test(document.getElementById('pairing-code').textContent)")
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    context.add_cookies([{"name": "kiosk_screen", "value": "0", "url": f"http://{pg.HOST}:{server.port}"}])
    phone = context.new_page()
    phone.goto(f"http://{pg.HOST}:{server.port}/remote")
    phone.get_by_label("配对码").fill(screen.locator("#pairing-code").inner_text())
    phone.get_by_role("button", name="配对").click()
    phone.get_by_text("您正在控制大屏幕").wait_for()  # remote.js has run: taps now send commands
    screen.evaluate(WATCH_SCREEN)
    phone.evaluate(WATCH_PHONE)
    result = {"alone": stats(run_commands(screen, phone, args.commands))}
    stop, counts = threading.Event(), []
    threads = [
        threading.Thread(target=crowd, args=(server.port, stop, counts, args.think)) for _ in range(args.visitors)
    ]
    for t in threads:
        t.start()
    time.sleep(1)
    started, before = time.monotonic(), len(counts)
    try:
        result["visitors"] = stats(run_commands(screen, phone, args.commands))
    finally:
        stop.set()
        for t in threads:
            t.join()
    result["visitors"]["visitor_pages_per_s"] = (len(counts) - before) / (time.monotonic() - started)
    context.close()
    screen.close()
    return result


def main(argv=None):
    """Run the repeats and print median (min–max) of each figure."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--commands", type=int, default=120)
    p.add_argument("--visitors", type=int, default=50)
    p.add_argument(
        "--think", type=float, default=1.0, help="seconds each visitor waits between pages (0: a flood; default 1)"
    )
    args = p.parse_args(argv)
    bl.check_demo_pack()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="kiosk-bench-presenter-"))
    runs = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for repeat in range(1, args.repeat + 1):
                server = pg.Server(tmp / f"instance-{repeat}", None, tmp / f"server-{repeat}.log", bl.ROOT)
                server.start(ready_timeout=180)
                try:
                    run = one_run(browser, server, args)
                finally:
                    server.stop()
                runs.append(run)
                print(
                    f"Run {repeat}: alone p50 {run['alone']['p50']:.0f} p95 {run['alone']['p95']:.0f} ms; "
                    f"with {args.visitors} visitors p50 {run['visitors']['p50']:.0f} "
                    f"p95 {run['visitors']['p95']:.0f} ms "
                    f"({run['visitors']['visitor_pages_per_s']:.0f} pages/s served)",
                    flush=True,
                )
            browser.close()
    finally:
        bl.rmtree_quiet(tmp)
    rows = []
    for phase in ("alone", "visitors"):
        for key in ("p50", "p95", "max"):
            rows.append([f"{phase} {key} ms", bl.fmt_spread([r[phase][key] for r in runs], 0)])
    rows.append(["visitor pages/s meanwhile", bl.fmt_spread([r["visitors"]["visitor_pages_per_s"] for r in runs], 0)])
    print(bl.table(["tap → big screen", "median (min–max)"], rows, title=f"{args.commands} commands a phase"))
    worst = max(r[phase]["p95"] for r in runs for phase in ("alone", "visitors"))
    print(f"Target p95 < 300 ms: {'met' if worst < 300 else 'NOT MET'} (worst run p95 {worst:.0f} ms)")
    print(f"Written: {bl.write_result('presenter', {'runs': runs, 'environment': bl.environment()})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
