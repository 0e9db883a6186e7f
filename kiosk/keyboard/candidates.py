"""Candidates for what a visitor typed in pinyin: split it into syllables, find words, most frequent first."""

import math
import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import lru_cache

LETTERS = re.compile(r"[a-z]{1,60}")
INITIALS = {"zh", "ch", "sh"} | set("bpmfdtnlgkhjqxrzcsyw")
# An initial alone ("zg" for 中国) costs more than a whole syllable, so "xian" stays one syllable.
INITIAL_COST = 10
LONGEST = 8
SHOWN = 60

_local = threading.local()


@dataclass(frozen=True)
class Candidate:
    """A word to offer, and how many of the typed letters choosing it uses up."""

    text: str
    consumes: int


class Syllables:
    """The pinyin syllables of the dictionary, and every beginning of one."""

    def __init__(self, syllables):
        self.whole = frozenset(syllables)
        self.starts = frozenset(s[:i] for s in syllables for i in range(1, len(s) + 1))

    def split(self, letters):
        """Split letters into syllables: whole ones, initials alone, and a last one that may be unfinished."""
        n = len(letters)
        best = [None] * (n + 1)  # best[i]: (cost, segments) for letters[i:]
        best[n] = (0, ())
        for i in range(n - 1, -1, -1):
            for j in range(min(n, i + 6), i, -1):
                piece = letters[i:j]
                if piece in self.whole:
                    cost = 1
                elif piece in INITIALS:
                    cost = INITIAL_COST
                elif j == n and piece in self.starts:
                    cost = 2
                else:
                    continue
                if best[j] is not None and (best[i] is None or cost + best[j][0] < best[i][0]):
                    best[i] = (cost + best[j][0], (piece,) + best[j][1])
        return list(best[0][1]) if best[0] else []


@lru_cache(maxsize=4)
def syllables_of(path):
    """Return the Syllables stored in the dictionary at path."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'syllables'").fetchone()
    return Syllables(row[0].split())


def connection(path):
    """Return this thread's read-only connection to the dictionary at path."""
    cache = getattr(_local, "connections", None)
    if cache is None:
        cache = _local.connections = {}
    if path not in cache:
        cache[path] = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=True)
    return cache[path]


def fits(reading, segments, syllables):
    """Return whether a word read as `reading` is what the segments spell: whole syllables equal, others begin it."""
    for said, typed in zip(reading, segments):
        if typed in syllables.whole and typed not in INITIALS - syllables.whole:
            if said != typed:
                return False
        elif not said.startswith(typed):
            return False
    return True


def words_for(db, segments, syllables):
    """Yield (word, frequency) spelled by exactly these segments, most frequent first."""
    initials = "".join(s[0] for s in segments)
    rows = db.execute(
        "SELECT word, pinyin, freq FROM words WHERE initials = ? AND length = ? ORDER BY freq DESC",
        (initials, len(segments)),
    )
    for word, reading, freq in rows:
        if fits(reading.split(), segments, syllables):
            yield word, freq


def compose(db, segments, syllables):
    """Return the phrase spelled by all the segments in the fewest words, the most frequent of those; or None."""
    n = len(segments)
    best = [None] * (n + 1)  # best[i]: (words, -sum of log frequency, text) for segments[i:]
    best[n] = (0, 0.0, "")
    for i in range(n - 1, -1, -1):
        for k in range(min(LONGEST, n - i), 0, -1):
            if best[i + k] is None:
                continue
            top = next(words_for(db, segments[i : i + k], syllables), None)
            if top is None:
                continue
            rest = best[i + k]
            option = (rest[0] + 1, rest[1] - math.log(top[1] + 1), top[0] + rest[2])
            if best[i] is None or option[:2] < best[i][:2]:
                best[i] = option
    return best[0][2] if best[0] and best[0][0] > 1 else None


def lookup(path, typed, limit=SHOWN):
    """Return (segments, candidates) for the letters typed: a whole phrase, then longest words, most frequent first."""
    letters = typed.lower()
    if not LETTERS.fullmatch(letters):
        return [], []
    syllables = syllables_of(str(path))
    segments = syllables.split(letters)
    db = connection(str(path))
    found, seen = [], set()

    def offer(text, consumes):
        if text not in seen and len(found) < limit:
            seen.add(text)
            found.append(Candidate(text, consumes))

    whole = len(segments) <= LONGEST and next(words_for(db, segments, syllables), None)
    if not whole and len(segments) > 1:
        phrase = compose(db, segments, syllables)
        if phrase:
            offer(phrase, len(letters))
    for k in range(min(len(segments), LONGEST), 0, -1):
        used = sum(len(s) for s in segments[:k])
        for word, _ in words_for(db, segments[:k], syllables):
            offer(word, used)
            if len(found) >= limit:
                break
    # Letters that read as another split too ("xian": 西安 besides 先) come right after the first few.
    other = db.execute(
        "SELECT word FROM words WHERE joined = ? AND length > ? ORDER BY freq DESC LIMIT 3", (letters, len(segments))
    )
    for at, (word,) in enumerate(other, start=2):
        if word not in seen:
            seen.add(word)
            found.insert(min(at, len(found)), Candidate(word, len(letters)))
    return segments, found[:limit]
