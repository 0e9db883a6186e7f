"""A venue Wi-Fi in a network namespace: the kiosk, a hostile phone holding thousands of connections, and
a well-behaved phone and the kiosk screen loading pages meanwhile.

Run as root inside a namespace of its own, which `python -m kiosk.testing.venue_wifi` makes by running
itself again under `unshare --net --mount`: nothing is added to the machine's own interfaces. Prints one JSON object.
"""

import argparse
import collections
import http.client
import json
import multiprocessing
import os
import resource
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

KIOSK, HOSTILE, PHONE = "10.77.0.1", "10.77.0.2", "10.77.0.3"
PORT, SCREEN_PORT = 8080, 8081
# The kiosk's code: run.py beside the `kiosk` package this module belongs to.
HOME = Path(__file__).resolve().parent.parent.parent
# A phase: no attacker; one that dials again 1 s after the kiosk closes a connection; one that does at once.
REDIAL = {"calm": None, "hold": 1.0, "flood": 0.0}
PARTIAL = b"GET / HTTP/1.1\r\nHost: kiosk\r\nUser-Agent: slow"
# A hostile phone gives up on a connection the kiosk leaves unanswered after this long and dials a new one.
ABANDON = 0.5


def build_wifi():
    """Bring up loopback and a veth pair carrying the kiosk's address and two phones' (inside the namespace)."""
    commands = [
        ["ip", "link", "set", "lo", "up"],
        ["ip", "link", "add", "wifi0", "type", "veth", "peer", "name", "wifi1"],
        ["ip", "link", "set", "wifi0", "up"],
        ["ip", "link", "set", "wifi1", "up"],
        ["ip", "addr", "add", f"{KIOSK}/24", "dev", "wifi0"],
        ["ip", "addr", "add", f"{HOSTILE}/24", "dev", "wifi1"],
        ["ip", "addr", "add", f"{PHONE}/24", "dev", "wifi1"],
    ]
    for command in commands:
        subprocess.run(command, check=True)
    steer_packets()


def steer_packets():
    """Process each side's incoming packets on its own CPUs, as two devices would: the kiosk's on the CPU
    run.py pins it to (the last), the phones' on the others. Without this, a veth pair does the receiving
    side's work on the sending CPU, and the hostile phone's kernel work would be charged to the kiosk."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return
    subprocess.run(["mount", "-t", "sysfs", "sysfs", "/sys"], check=True)  # this namespace's devices
    for device, mask in (("wifi0", 1 << cpus[-1]), ("wifi1", sum(1 << c for c in cpus[:-1]))):
        Path(f"/sys/class/net/{device}/queues/rx-0/rps_cpus").write_text(f"{mask:x}\n")


def start_kiosk(instance, log):
    """Start run.py on every address of the namespace and wait (up to 120 s) for both listeners."""
    env = {**os.environ, "KIOSK_INSTANCE_PATH": str(instance), "KIOSK_ID": "venue-1"}
    command = [sys.executable, str(HOME / "run.py"), "--port", str(PORT), "--screen-port", str(SCREEN_PORT)]
    process = subprocess.Popen(command, env=env, cwd=HOME, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the kiosk stopped while starting")
        try:
            load(None, "127.0.0.1", SCREEN_PORT, "/")
            load(PHONE, KIOSK, PORT, "/")
            return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the kiosk did not answer in 120 s")


def load(source, host, port, path):
    """Load one page on a new connection (from source, an address of the namespace); return (status, seconds)."""
    started = time.monotonic()
    source_address = (source, 0) if source else None
    conn = http.client.HTTPConnection(host, port, timeout=5, source_address=source_address)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        conn.close()


def visitor(source, host, port, paths, times, pause, answers):
    """Load each path `times` times in turn, `pause` s apart, appending [path, status or error, seconds] to answers."""
    for _ in range(times):
        for path in paths:
            time.sleep(pause)
            started = time.monotonic()
            try:
                status, seconds = load(source, host, port, path)
            except OSError as e:
                status, seconds = type(e).__name__, time.monotonic() - started
            answers.append([path, status, round(seconds, 4)])


class HostilePhone:
    """One address holding `count` connections to the kiosk: half idle, half trickling a request that never
    ends; every connection the kiosk closes, or leaves unanswered for ABANDON seconds, is opened again `redial`
    seconds later (a new socket: the phone does not wait for its kernel's backoff). Runs in a process of its
    own, so that its busy loop does not slow the visitors measured in this one."""

    def __init__(self, count, redial):
        """Prepare (start() opens the connections)."""
        self.redial, self.due, self.dialled = redial, collections.deque(), collections.deque()
        self.count, self.opened, self.closed_by_kiosk, self.unanswered = count, 0, 0, 0
        self.selector = None
        context = multiprocessing.get_context("fork")
        self.stopping, self.report = context.Event(), context.Queue()
        self.process = context.Process(target=self.run, daemon=True)

    def open_one(self, index):
        """Open connection number index without waiting for it to complete."""
        s = socket.socket()
        s.setblocking(False)
        s.bind((HOSTILE, 0))
        s.connect_ex((KIOSK, PORT))
        self.selector.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, [index, False])
        self.dialled.append((time.monotonic() + ABANDON, s))
        self.opened += 1

    def abandon_unanswered(self, now):
        """Close the connections still not answered after ABANDON seconds, and dial them again later."""
        while self.dialled and self.dialled[0][0] <= now:
            sock = self.dialled.popleft()[1]
            if sock.fileno() == -1:  # already closed by the kiosk and dialled again
                continue
            key = self.selector.get_map().get(sock)
            if key is not None and not key.data[1]:
                self.drop(sock, key.data[0])
                self.unanswered += 1

    def drop(self, sock, index):
        """Forget a connection and dial it again `redial` seconds from now."""
        self.selector.unregister(sock)
        sock.close()
        self.due.append((time.monotonic() + self.redial, index))

    def run(self):
        """Keep every connection open (reopening what the kiosk closes) and trickle the half-open ones."""
        cpus = sorted(os.sched_getaffinity(0))
        if len(cpus) > 1:  # a phone is a device of its own: keep off the CPU run.py pins the kiosk to (the last)
            os.sched_setaffinity(0, cpus[:-1])
        self.selector = selectors.DefaultSelector()
        for index in range(self.count):
            self.open_one(index)
        last_trickle = time.monotonic()
        while not self.stopping.is_set():
            for key, events in self.selector.select(timeout=0.1):
                index, started = key.data
                sock = key.fileobj
                if events & selectors.EVENT_WRITE and not started:
                    key.data[1] = True
                    if index % 2:
                        self.send(sock, PARTIAL)
                    self.selector.modify(sock, selectors.EVENT_READ, key.data)
                    continue
                if events & selectors.EVENT_READ and not self.receive(sock):
                    self.drop(sock, index)
                    self.closed_by_kiosk += 1
            now = time.monotonic()
            self.abandon_unanswered(now)
            while self.due and self.due[0][0] <= now:
                self.open_one(self.due.popleft()[1])
            if time.monotonic() - last_trickle > 5:  # slowloris: a byte now and then, never the end
                last_trickle = time.monotonic()
                for key in list(self.selector.get_map().values()):
                    if key.data[0] % 2 and key.data[1]:
                        self.send(key.fileobj, b"w")
        for key in list(self.selector.get_map().values()):
            key.fileobj.close()
        report = {"connections": self.count, "opened": self.opened, "closed_by_kiosk": self.closed_by_kiosk}
        self.report.put({**report, "unanswered": self.unanswered})

    @staticmethod
    def send(sock, data):
        """Send without caring whether it arrives."""
        try:
            sock.send(data)
        except OSError:
            pass

    @staticmethod
    def receive(sock):
        """Read what the kiosk sent; False once it closed the connection."""
        try:
            return bool(sock.recv(4096))
        except BlockingIOError:
            return True
        except OSError:
            return False

    def start(self):
        """Start holding connections."""
        self.process.start()

    def stop(self):
        """Close every connection and return what happened."""
        self.stopping.set()
        report = self.report.get(timeout=60)
        self.process.join(timeout=10)
        return report


def phase(kind, connections, paths, times, pause):
    """Let the kiosk screen and a good phone load the pages, with or without a hostile phone meanwhile."""
    hostile = HostilePhone(connections, REDIAL[kind]) if REDIAL[kind] is not None else None
    if hostile:
        hostile.start()
        time.sleep(2)  # the attack is under way before the first page
    screen, phone = [], []
    visitors = [
        threading.Thread(target=visitor, args=(None, "127.0.0.1", SCREEN_PORT, paths, times, pause, screen)),
        threading.Thread(target=visitor, args=(PHONE, KIOSK, PORT, paths, times, pause, phone)),
    ]
    for t in visitors:
        t.start()
    for t in visitors:
        t.join()
    return {"kind": kind, "screen": screen, "phone": phone, "hostile": hostile.stop() if hostile else None}


def run_venue(args):
    """Build the Wi-Fi, start the kiosk and run the phases; return the JSON-ready result."""
    build_wifi()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 2 * args.connections + 1024)), hard))
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(args.instance or folder) / "instance"
        with open(Path(folder) / "kiosk.log", "w+") as log:
            kiosk = start_kiosk(instance, log)
            try:
                phase("calm", 0, args.paths, 5, 0)  # warm-up, discarded: the first loads of a page render it
                results = [phase(kind, args.connections, args.paths, args.times, args.pause) for kind in args.phases]
            finally:
                kiosk.send_signal(signal.SIGTERM)
                kiosk.wait(timeout=20)
                log.seek(0)
                tail = log.read()[-4000:]
    return {"phases": results, "kiosk_log_tail": tail}


def phases(text):
    """Parse a comma-separated list of phase kinds."""
    kinds = text.split(",")
    if set(kinds) - set(REDIAL):
        raise argparse.ArgumentTypeError(f"phases are {', '.join(REDIAL)}")
    return kinds


def main(argv=None):
    """Parse options; outside a namespace, run again under `unshare -n`; print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", type=phases, default=["flood"], help="of calm, hold, flood: e.g. calm,flood")
    parser.add_argument("--connections", type=int, default=2000, help="the hostile phone's connections")
    parser.add_argument("--times", type=int, default=20, help="loads of each page per visitor and phase")
    parser.add_argument("--paths", type=lambda s: s.split(","), default=["/"], help="pages, comma-separated")
    parser.add_argument("--pause", type=float, default=0, help="seconds between a visitor's loads")
    parser.add_argument("--instance", default=None, help="folder for the kiosk's instance (default: temporary)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.inside:
        # A mount namespace too, private, so that the namespace's own sysfs is mounted over /sys for it alone.
        unshare = ["unshare", "--net", "--mount", "--propagation", "private"]
        command = [*unshare, sys.executable, "-m", "kiosk.testing.venue_wifi", "--inside", *sys.argv[1:]]
        return subprocess.run(command, cwd=HOME).returncode
    print(json.dumps(run_venue(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
