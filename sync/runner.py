"""Push runs started from the staff page or by the timer: in a background thread, with live progress in memory."""
import threading
from datetime import datetime

import click

from sync import lock, runs
from sync.push import Push

from kiosk.db import get_db
from sync.cli import RESULT_NAMES, central, retry_policy

PHASES = {"suggestions": "发送建议", "stats": "上传使用统计", "done": "完成"}


class Progress:
    """One run's live progress, read by page requests while the run's thread writes it."""

    def __init__(self, trigger="staff"):
        """Start at the first phase with nothing sent."""
        self.lock = threading.Lock()
        self.state = {"trigger": trigger, "phase": "suggestions", "done": 0, "total": 0, "running": True,
                      "result": None, "message": "", "left": {}, "started_at": datetime.now().strftime("%H:%M:%S")}

    def __call__(self, done, total):
        """Record that done of total suggestions were sent (Push's progress callback)."""
        self.update(done=done, total=total)

    def update(self, **changes):
        """Change some fields at once."""
        with self.lock:
            self.state.update(changes)

    def finish(self, result, message="", left=None):
        """Record how the run ended."""
        self.update(running=False, phase="done", result=result, message=message, left=left or {})

    def snapshot(self):
        """Return a copy of the state for a template."""
        with self.lock:
            return {**self.state, "phase_name": PHASES[self.state["phase"]],
                    "result_name": RESULT_NAMES.get(self.state["result"], "")}


class Registry:
    """The live run of each instance folder in this process: at most one running at a time."""

    def __init__(self):
        """Start with no runs."""
        self.lock = threading.Lock()
        self.by_instance = {}

    def begin(self, instance_path, trigger="staff"):
        """Return a new Progress for this instance, or None while one is still running."""
        with self.lock:
            current = self.by_instance.get(instance_path)
            if current is not None and current.snapshot()["running"]:
                return None
            self.by_instance[instance_path] = Progress(trigger)
            return self.by_instance[instance_path]

    def get(self, instance_path):
        """Return the latest run's Progress for this instance, or None."""
        with self.lock:
            return self.by_instance.get(instance_path)


live = Registry()


class TrackedPush(Push):
    """A push that also says when it moves on to the usage figures."""

    def push_stats(self):
        """Mark the figures phase, then send them."""
        if self.progress:
            self.progress.update(phase="stats")
        super().push_stats()


def settings_problem(app):
    """Return why a push cannot start with these settings (in Chinese), or None."""
    with app.app_context():
        try:
            central()
        except click.ClickException as e:
            return e.message
    return None


def run_push(app, progress):
    """Run one push in the caller's thread, recording it in sync_runs; return its result (busy when locked)."""
    with app.app_context():
        try:
            with lock.hold(app.instance_path):
                db = get_db()
                run_id = runs.start(db, "push")
                result, message, counts = "interrupted", "", {}
                try:
                    report = TrackedPush(db, central(), retry_policy(), progress).run()
                    result, counts = report.result, report.counts()
                    message = report.stopped or report.gave_up or ""
                    progress.finish(result, message, report.left)
                except click.ClickException as e:
                    result, message = "failed", e.message
                    progress.finish(result, message)
                except Exception as e:
                    result, message = "failed", f"同步出错：{e.__class__.__name__}"
                    progress.finish(result, message)
                    raise
                finally:
                    runs.finish(db, run_id, result, message, counts)
                return result
        except lock.Busy as e:
            progress.finish("busy", str(e))
            return "busy"


def start_push(app, progress):
    """Run one push in a daemon thread and return the thread; failures go to the log."""
    def work():
        try:
            run_push(app, progress)
        except Exception:
            app.logger.exception("同步出错")

    thread = threading.Thread(target=work, name="sync-push", daemon=True)
    thread.start()
    return thread


def auto_tick(app):
    """Attempt one timed push if central is configured; skip quietly while another run holds the lock."""
    if not app.config.get("KIOSK_CENTRAL_URL"):
        return "off"
    if lock.holder(app.instance_path) is not None:
        return "busy"
    progress = live.begin(app.instance_path, trigger="auto")
    if progress is None:
        return "busy"
    try:
        result = run_push(app, progress)
    except Exception:
        app.logger.exception("自动同步出错")
        return "failed"
    if result not in ("ok", "busy"):
        app.logger.warning("自动同步未完成：%s %s", RESULT_NAMES.get(result, result), progress.snapshot()["message"])
    return result


def start_auto_sync(app):
    """When KIOSK_SYNC_AUTO_MINUTES > 0, push every that many minutes in a daemon thread; return its stop event."""
    minutes = float(app.config.get("KIOSK_SYNC_AUTO_MINUTES") or 0)
    if minutes <= 0:
        return None
    stop = threading.Event()

    def loop():
        while not stop.wait(minutes * 60):
            auto_tick(app)

    threading.Thread(target=loop, name="sync-auto", daemon=True).start()
    return stop
