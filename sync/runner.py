"""Push runs started from the staff page or by the timer: in a background thread, with live progress in memory."""

import threading

from kiosk import clock
from kiosk.db import get_db
from sync import lock, runs
from sync.names import RESULT_NAMES
from sync.push import Push
from sync.settings import SettingsProblem, central, retry_policy

PHASES = {"suggestions": "发送建议", "stats": "上传使用统计", "done": "完成"}


class Progress:
    """One run's live progress, read by page requests while the run's thread writes it."""

    def __init__(self, trigger="staff"):
        """Start at the first phase with nothing sent."""
        self.lock = threading.Lock()
        self.state = {
            "trigger": trigger,
            "phase": "suggestions",
            "done": 0,
            "total": 0,
            "running": True,
            "result": None,
            "message": "",
            "left": {},
            "started_at": clock.now().strftime("%H:%M:%S"),
        }

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
            return {
                **self.state,
                "phase_name": PHASES[self.state["phase"]],
                "result_name": RESULT_NAMES.get(self.state["result"], ""),
            }


class LiveRun:
    """The app's latest push started in this process: at most one running at a time."""

    def __init__(self):
        """Start with no run."""
        self.lock = threading.Lock()
        self.progress = None

    def begin(self, trigger="staff"):
        """Return a new Progress, or None while the latest one is still running."""
        with self.lock:
            if self.progress is not None and self.progress.snapshot()["running"]:
                return None
            self.progress = Progress(trigger)
            return self.progress

    def get(self):
        """Return the latest run's Progress, or None."""
        with self.lock:
            return self.progress


def live(app):
    """Return the app's live run, kept on the app."""
    return app.extensions.setdefault("sync.live_run", LiveRun())


class TrackedPush(Push):
    """A push that also says when it moves on to the usage figures."""

    def push_stats(self):
        """Mark the figures phase, then send them."""
        if self.progress:
            self.progress.update(phase="stats")
        super().push_stats()


def settings_problem(app):
    """Return why a push cannot start with these settings (in Chinese), or None."""
    try:
        central(app.config)
    except SettingsProblem as e:
        return str(e)
    return None


def run_push(app, progress):
    """Run one push in the caller's thread, recording it in sync_runs; return its result (busy when locked)."""
    with app.app_context():
        try:
            with runs.recorded(get_db(), app.instance_path, "push") as run:
                try:
                    report = TrackedPush(get_db(), central(app.config), retry_policy(app.config), progress).run()
                    run.update(
                        result=report.result, message=report.stopped or report.gave_up or "", counts=report.counts()
                    )
                    progress.finish(run["result"], run["message"], report.left)
                except SettingsProblem as e:
                    run.update(result="failed", message=str(e))
                    progress.finish("failed", str(e))
                except Exception as e:
                    run.update(result="failed", message=f"同步出错：{e.__class__.__name__}")
                    progress.finish("failed", run["message"])
                    raise
                return run["result"]
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
    progress = live(app).begin(trigger="auto")
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
