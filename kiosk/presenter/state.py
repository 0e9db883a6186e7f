"""A 路演 in memory: which winner the big screen shows, who drives it, and every command applied once, in order.

One presentation per kiosk process. The big screen and the phones read its state by version; the phone that
controls it sends numbered commands, and a command numbered no higher than the last one applied is ignored
(a retry after a Wi-Fi drop, a late duplicate), so the screen never jumps twice."""

import secrets
import threading
import time
from dataclasses import dataclass, field

CODE_DIGITS = 6
# Wrong codes an address may try in a window, and the whole LAN's budget: guessing a 6-digit code is hopeless.
TRIES_PER_ADDRESS, TRIES_ALL, TRY_WINDOW = 5, 30, 60.0
MEDIA_ACTIONS = {"play", "pause", "seek"}
TEXT_SIZES = (1.0, 1.25, 1.5)


class NotAllowed(Exception):
    """A phone tried what it may not (not paired, not the controller); the message says why in Chinese."""


@dataclass
class Phone:
    """A paired phone: its secret token, a name the screen shows, the last command number it had applied."""

    token: str
    name: str
    last_seq: int = 0


@dataclass
class Presentation:
    """The presenter's session on this kiosk."""

    active: bool = False
    code: str = ""
    playlist: list = field(default_factory=list)
    index: int = 0
    photo: int = 0
    blackout: bool = False
    frozen: bool = False
    frozen_at: dict = None
    captions: bool = True
    text_size: float = 1.0
    media: dict = field(default_factory=dict)  # {"kind": "video"|"audio", "n", "action", "at", "stamp"}
    phones: dict = field(default_factory=dict)  # token -> Phone
    controller: str = None
    version: int = 0
    started: float = None
    shown_since: float = None
    failures: dict = field(default_factory=dict)  # address -> [monotonic times of wrong codes]
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _changed(self):
        self.version += 1

    def start(self, playlist, now=None):
        """Begin a 路演 over the playlist of achievement ids, with a fresh pairing code and no phones."""
        with self.lock:
            now = time.monotonic() if now is None else now
            self.active, self.playlist, self.index, self.photo = True, list(playlist), 0, 0
            self.blackout = self.frozen = False
            self.frozen_at, self.media, self.phones, self.controller = None, {}, {}, None
            self.code = new_code()
            self.started = self.shown_since = now
            self._changed()

    def end(self):
        """End the 路演: every phone is unpaired and the kiosk goes back to visitors."""
        with self.lock:
            self.active, self.phones, self.controller, self.code = False, {}, None, ""
            self._changed()

    def pair(self, code, address, now=None):
        """Pair a phone that typed the screen's code; return its token. Wrong codes are throttled per address."""
        now = time.monotonic() if now is None else now
        with self.lock:
            if not self.active:
                raise NotAllowed("大屏幕现在不在演示模式。")
            recent = {a: [t for t in ts if t > now - TRY_WINDOW] for a, ts in self.failures.items()}
            self.failures = {a: ts for a, ts in recent.items() if ts}
            mine = self.failures.get(address, [])
            if len(mine) >= TRIES_PER_ADDRESS or sum(map(len, self.failures.values())) >= TRIES_ALL:
                oldest = min(mine) if len(mine) >= TRIES_PER_ADDRESS else min(min(ts) for ts in self.failures.values())
                wait = int(oldest + TRY_WINDOW - now) + 1
                raise NotAllowed(f"试错次数太多，请 {max(1, wait)} 秒后再输入配对码。")
            if not secrets.compare_digest(str(code).strip(), self.code):
                self.failures.setdefault(address, []).append(now)
                raise NotAllowed("配对码不对，请看大屏幕上的 6 位数字再输入。")
            token = secrets.token_urlsafe(24)
            self.phones[token] = Phone(token, f"手机 {len(self.phones) + 1}")
            if self.controller is None:
                self.controller = token
            self.code = new_code()  # a code pairs one phone: read off the screen later, it opens nothing
            self._changed()
            return token

    def set_playlist(self, token, ids):
        """Run the 路演 over a new playlist from its start (the controlling phone only)."""
        with self.lock:
            self._check(token, control=True)
            self.playlist, self.index, self.photo, self.media, self.frozen_at, self.frozen = (
                list(ids),
                0,
                0,
                {},
                None,
                False,
            )
            self._changed()

    def hand_over(self, token, to_name):
        """Let the controlling phone hand control to another paired phone, by the name the screen shows."""
        with self.lock:
            self._check(token, control=True)
            target = next((p for p in self.phones.values() if p.name == to_name), None)
            if target is None:
                raise NotAllowed("没有这台已配对的手机。")
            self.controller = target.token
            self._changed()

    def _check(self, token, control=False):
        """Return the phone of token, refusing one that is not paired (or not in control, when asked)."""
        phone = self.phones.get(token or "")
        if not self.active or phone is None:
            raise NotAllowed("这台手机还没有配对，请输入大屏幕上的配对码。")
        if control and token != self.controller:
            raise NotAllowed("现在由另一台手机控制；请它把控制权交给您。")
        return phone

    def command(self, token, seq, action, value=None, now=None):
        """Apply one numbered command from the controlling phone; return whether it was applied (not a repeat)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            phone = self._check(token, control=True)
            if seq <= phone.last_seq:
                return False
            phone.last_seq = seq
            apply(self, action, value, now)
            self._changed()
            return True

    def key(self, action, now=None):
        """Apply a key of the kiosk's own keyboard or a USB clicker (it needs no pairing: it is at the screen)."""
        now = time.monotonic() if now is None else now
        with self.lock:
            if self.active:
                apply(self, action, None, now)
                self._changed()

    def view(self, token=None, now=None):
        """Return the state as JSON-ready data; the paired phones' names and control only for a paired phone."""
        now = time.monotonic() if now is None else now
        with self.lock:
            shown = self.frozen_at or {"index": self.index, "photo": self.photo}
            data = {
                "version": self.version,
                "active": self.active,
                "playlist": self.playlist,
                "index": self.index,
                "photo": self.photo,
                "shown": shown,
                "blackout": self.blackout,
                "frozen": self.frozen,
                "captions": self.captions,
                "text_size": self.text_size,
                "media": dict(self.media),
                "phones": [p.name for p in self.phones.values()],
                "controller": self.phones[self.controller].name if self.controller in self.phones else None,
                "talk_seconds": int(now - self.started) if self.active and self.started else 0,
                "winner_seconds": int(now - self.shown_since) if self.active and self.shown_since else 0,
            }
            if token is not None:
                phone = self.phones.get(token)
                data["me"] = phone.name if phone else None
                data["in_control"] = bool(phone) and token == self.controller
                data["last_seq"] = phone.last_seq if phone else 0
            return data


def new_code():
    """Return a fresh 6-digit pairing code."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def apply(p, action, value, now):
    """Change the presentation by one action (called with its lock held)."""
    count = len(p.playlist)
    if action in ("next", "previous", "goto") and count:
        target = {"next": p.index + 1, "previous": p.index - 1}.get(action, value)
        target = max(0, min(count - 1, int(target if target is not None else p.index)))
        if target != p.index:
            p.index, p.photo, p.media, p.shown_since = target, 0, {}, now
    elif action == "photo":
        p.photo = max(0, int(value or 0))
    elif action == "blackout":
        p.blackout = not p.blackout if value is None else bool(value)
    elif action == "freeze":
        p.frozen = not p.frozen if value is None else bool(value)
        p.frozen_at = {"index": p.index, "photo": p.photo} if p.frozen else None
    elif action == "captions":
        p.captions = not p.captions if value is None else bool(value)
    elif action == "text_size":
        p.text_size = float(value) if value in TEXT_SIZES else TEXT_SIZES[0]
    elif action in MEDIA_ACTIONS:
        media = value if isinstance(value, dict) else {}
        p.media = {
            "kind": "audio" if media.get("kind") == "audio" else "video",
            "n": int(media.get("n") or 0),
            "action": action,
            "at": float(media.get("at") or 0),
            "stamp": p.version + 1,
        }
