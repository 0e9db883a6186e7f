"""The receiver as a process of its own, for tests and benchmarks: `python -m central serve` on a free port."""

import re
import select
import subprocess
import sys
from pathlib import Path

import central

# The folder holding the `central` package: the child runs this very code, wherever it is installed.
HOME = Path(central.__file__).resolve().parent.parent
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:(\d+)/\S*)")


class ReceiverDidNotStart(RuntimeError):
    """The receiver ended, or said nothing in time, instead of saying where it listens."""


class ReceiverProcess:
    """`python -m central serve` on a free 127.0.0.1 port over the given files; a context manager that stops it."""

    def __init__(self, db, tokens, log, packs=None, faults=None, prefix="", threads=8):
        """Keep the files to serve with (stderr goes to log, faults is a `--test-faults` plan); start() starts it."""
        self.db, self.tokens, self.log_path = Path(db).resolve(), Path(tokens).resolve(), Path(log).resolve()
        self.packs = Path(packs).resolve() if packs is not None else None
        self.faults = Path(faults).resolve() if faults is not None else None
        self.prefix, self.threads = prefix, threads
        self.process = self.url = self.port = None

    def command(self):
        """Return the command line that serves on a free port."""
        command = [
            sys.executable,
            "-m",
            "central",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--db",
            str(self.db),
            "--tokens",
            str(self.tokens),
            "--threads",
            str(self.threads),
        ]
        if self.packs is not None:
            command += ["--packs", str(self.packs)]
        if self.faults is not None:
            command += ["--test-faults", str(self.faults)]
        if self.prefix:
            command += ["--prefix", self.prefix]
        return command

    def start(self, timeout=20):
        """Start the process and wait until it listens; return self, with url (the kiosk's base URL) and port."""
        with open(self.log_path, "wb") as log:
            # The child writes to its own copy of the descriptor, so ours can be closed at once.
            self.process = subprocess.Popen(self.command(), cwd=HOME, stdout=subprocess.PIPE, stderr=log, text=True)
        # `serve` prints this line once its socket listens: from then on a request is answered, and no probe
        # request is sent, which would count against a fault plan.
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        match = LISTENING.search(line)
        if match is None:
            self.stop()
            raise ReceiverDidNotStart(f"central did not start: {line!r} {self.log_text()}")
        self.url, self.port = match.group(1), int(match.group(2))
        return self

    def log_text(self):
        """Return what the receiver has logged so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self):
        """Stop the process (killed if it has not ended 10 s after SIGTERM) and close its pipe; safe to call twice."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()

    def __enter__(self):
        """Start the receiver unless it runs already."""
        return self if self.process is not None else self.start()

    def __exit__(self, *exc):
        """Stop the receiver."""
        self.stop()
