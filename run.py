"""Start the kiosk with waitress: `python run.py [--host H] [--port P] [--threads N] [--cpus auto|all|0,1]`."""

import argparse
import logging
import sys
import threading

from kiosk import create_app, server_cpus
from kiosk.appliance import notify
from kiosk.db import get_db
from kiosk.keyboard import dictionary
from kiosk.listeners import listeners
from kiosk.packs.library import run_import
from kiosk.settings import SettingsError
from kiosk.terminal import print_report
from kiosk.web import lan
from sync import runner


def import_demo_if_empty(app):
    """On the very first start, with no achievements, import the bundled demo pack (once: packs staff removed
    later stay removed)."""
    with app.app_context():
        db = get_db()
        offered = db.execute("SELECT 1 FROM settings WHERE key = 'demo_offered'").fetchone()
        with db.conn:
            db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('demo_offered', '1')")
        if offered or db.execute("SELECT COUNT(*) FROM achievements").fetchone()[0]:
            return
        print("首次启动：正在导入演示内容包……", flush=True)
        result = run_import(app.config["DEMO_PACK"])
        print_report(result)
        print(result.message if result.ok else "演示内容包导入失败，请查看上面的报告。", flush=True)


def ensure_pinyin_dictionary(app):
    """Build the on-screen keyboard's pinyin dictionary if it is missing; the kiosk starts without it if it fails."""
    try:
        dictionary.ensure(app.config["PINYIN_DICT"], say=lambda text: print(text, flush=True))
    except (ImportError, OSError) as e:
        print(f"拼音输入法词典没能生成（{e}）：屏幕键盘只能输入字母和数字。", flush=True)


def main(argv=None):
    """Parse options, prepare the database and serve until stopped."""
    parser = argparse.ArgumentParser(description="职工“五小”创新成果展 kiosk")
    parser.add_argument("--host", default="0.0.0.0", help="listen address (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=None, help="port (default 8080 or KIOSK_PORT)")
    parser.add_argument(
        "--screen-port",
        type=int,
        default=None,
        help="loopback port of the kiosk's own screen (default 8081 or KIOSK_SCREEN_PORT)",
    )
    parser.add_argument("--threads", type=int, default=4, help="worker threads (default 4)")
    parser.add_argument(
        "--cpus",
        default=None,
        help="CPUs to run on: auto (one, the default), all, or a list like 0,1 (or KIOSK_SERVER_CPUS)",
    )
    args = parser.parse_args(argv)
    try:
        app = create_app()
    except SettingsError as e:
        sys.exit(f"无法启动：{e}")
    if args.port:
        app.config["KIOSK_PORT"] = args.port
    port = app.config["KIOSK_PORT"]
    screen_port = args.screen_port or app.config["KIOSK_SCREEN_PORT"]
    # Before any thread starts, so that every thread inherits it.
    try:
        server_cpus.pin_server(args.cpus or app.config["KIOSK_SERVER_CPUS"])
    except server_cpus.CPUSpecError as e:
        sys.exit(f"无法启动：{e}")
    import_demo_if_empty(app)
    ensure_pinyin_dictionary(app)
    runner.start_auto_sync(app)
    logging.basicConfig(level=logging.INFO)
    # waitress logs every moment all workers are busy; under a crowd that is thousands of lines a minute.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    public = lan.public_url(app.config)
    if not lan.phones_can_reach(app.config):
        print(lan.NO_LAN_ADVICE, flush=True)
    # The kiosk's own screen has a listener, threads and connections of its own on loopback: however many
    # connections phones hold on the phones' port, the touchscreen's pages and media keep answering.
    phones, screen = listeners(app, args.host, port, screen_port, args.threads)
    threading.Thread(target=screen.run, name="screen-listener", daemon=True).start()
    print(f"展示端已启动：http://127.0.0.1:{screen_port}/attract （手机访问 {public}）", flush=True)
    # Both listeners hold their sockets now: systemd (Type=notify) may start the screen, and the watchdog
    # beats only while the screen's listener answers.
    notify.notify(f"READY=1\nSTATUS=展示端已启动，手机访问 {public}")
    notify.start_watchdog(f"http://127.0.0.1:{screen_port}/health")
    phones.print_listen("Serving on http://{}:{}")
    phones.run()


if __name__ == "__main__":
    main()
