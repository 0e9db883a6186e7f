"""One sync at a time across processes: an flock on a file in the instance folder."""

import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

LOCK_FILE = "sync.lock"


class Busy(Exception):
    """Another sync holds the lock; the message says which process."""


@contextmanager
def hold(folder):
    """Hold the sync lock for the block; raise Busy at once when another run holds it."""
    path = Path(folder) / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise Busy(f"另一个同步正在进行（进程 {holder or '未知'}），本次没有做任何事。请等它结束后再试。") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def holder(folder):
    """Return the pid of the process running a sync now, or None; never takes the lock, so never gets in a run's way."""
    try:
        text = (Path(folder) / LOCK_FILE).read_text().strip()
    except FileNotFoundError:
        return None
    if not text.isdigit():
        return None
    # The pid stays in the file when its process was killed; the kernel dropped that process's lock.
    try:
        os.kill(int(text), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return int(text)
