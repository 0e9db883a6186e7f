"""One sync at a time: a second start, in this process or another, says so and does nothing."""

import os
import subprocess
import sys

import pytest

from sync import lock, runs
from tests.staff_helpers import add_suggestion, database

HOLDER = """
import sys, time
from sync import lock, runs
with lock.hold(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_second_hold_is_refused_until_the_first_ends(tmp_path):
    with lock.hold(tmp_path):
        assert lock.holder(tmp_path) == os.getpid()
        with pytest.raises(lock.Busy, match=f"另一个同步正在进行（进程 {os.getpid()}）"):
            with lock.hold(tmp_path):
                pytest.fail("entered twice")
        assert lock.holder(tmp_path) == os.getpid()
    assert lock.holder(tmp_path) is None
    with lock.hold(tmp_path):
        pass


def test_a_killed_holder_leaves_no_lock_behind(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    assert lock.holder(tmp_path) == process.pid
    process.kill()
    process.wait()
    process.stdin.close()
    process.stdout.close()
    assert lock.holder(tmp_path) is None
    with lock.hold(tmp_path):
        assert lock.holder(tmp_path) == os.getpid()


@pytest.fixture
def other_process(app):
    """Hold the app's sync lock from another process until the test ends; return its pid."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, app.instance_path], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held"
    yield process.pid
    process.stdin.close()
    process.stdout.close()
    assert process.wait(timeout=10) == 0


@pytest.mark.parametrize("command", [["push"], ["pull"], ["export", "bundle.zip"]])
def test_a_sync_started_while_another_runs_does_nothing(app, runner, other_process, command, tmp_path):
    add_suggestion(app)
    app.config.update(KIOSK_CENTRAL_URL="http://127.0.0.1:9", KIOSK_CENTRAL_TOKEN="t")
    if command[0] == "export":
        command = ["export", str(tmp_path / "bundle.zip")]
    result = runner.invoke(args=["sync", *command])
    assert result.exit_code == 3
    assert "另一个同步正在进行" in result.stderr and str(other_process) in result.stderr
    assert not (tmp_path / "bundle.zip").exists()
    with database(app) as db:
        assert db.execute("SELECT COUNT(*) FROM sync_runs").fetchone()[0] == 0
        assert db.execute("SELECT state, attempts FROM outbox").fetchall() == [("pending", 0)]
    assert f"有一个同步正在进行（进程 {other_process}）" in runner.invoke(args=["sync", "status"]).output


def test_a_run_cut_off_by_a_power_cut_is_shown_as_such(app, runner):
    with database(app) as db:
        runs.start(db, "push")
    assert "结果：未正常结束（进程被中断或断电）" in runner.invoke(args=["sync", "status"]).output
