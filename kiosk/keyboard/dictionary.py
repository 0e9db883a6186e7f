"""Build the pinyin dictionary at install time: jieba's word frequencies, read by pypinyin, into SQLite."""

import os
import sqlite3
import sys
import time
from importlib import metadata
from pathlib import Path

FORMAT = 2
# The most frequent words cover what visitors type; every single character is kept besides.
TOP_WORDS = 150_000
LONGEST_WORD = 8
RARE_READING = 1000
DEFAULT_PATH = Path(__file__).resolve().parents[2] / "var" / "pinyin.sqlite"


def signature():
    """Return what the dictionary was built from: our format and the two packages' versions."""
    return f"{FORMAT} jieba-{metadata.version('jieba')} pypinyin-{metadata.version('pypinyin')}"


def jieba_words():
    """Yield (word, frequency) from jieba's bundled dictionary, most frequent first."""
    import jieba

    path = Path(jieba.__file__).with_name("dict.txt")
    rows = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                rows.append((parts[0], int(parts[1])))
    rows.sort(key=lambda r: -r[1])
    return rows


def is_chinese(word):
    """Return whether every character of word is a CJK ideograph."""
    return all("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in word)


def readings(word):
    """Return the pinyin readings of word, most usual first: every reading of a character, a word's phrase reading."""
    from pypinyin import Style, lazy_pinyin, pinyin

    if len(word) == 1:
        return [(syllable,) for syllable in pinyin(word, style=Style.NORMAL, heteronym=True)[0] if syllable.isalpha()]
    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(word) or not all(s.isalpha() for s in syllables):
        return []
    return [tuple(syllables)]


def entries(words):
    """Yield (word, pinyin, initials, joined, length, frequency) rows for the dictionary table."""
    kept = 0
    for word, freq in words:
        if not is_chinese(word) or len(word) > LONGEST_WORD:
            continue
        if len(word) > 1:
            if kept >= TOP_WORDS:
                continue
            kept += 1
        for rank, syllables in enumerate(readings(word)):
            # A character's rarer readings (见 read xian) rank far below its usual one.
            weight = freq if rank == 0 else freq // RARE_READING
            yield (word, " ".join(syllables), "".join(s[0] for s in syllables), "".join(syllables), len(word), weight)


def build(path):
    """Write the dictionary to path (atomically) and return the number of entries."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.unlink(missing_ok=True)
    db = sqlite3.connect(part)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE words (word TEXT, pinyin TEXT, initials TEXT, joined TEXT, length INTEGER, freq INTEGER);
        """
    )
    db.executemany("INSERT INTO words VALUES (?, ?, ?, ?, ?, ?)", entries(jieba_words()))
    syllables = {s for (p,) in db.execute("SELECT pinyin FROM words WHERE length = 1") for s in p.split()}
    db.executemany(
        "INSERT INTO meta VALUES (?, ?)", [("signature", signature()), ("syllables", " ".join(sorted(syllables)))]
    )
    db.executescript(
        """
        CREATE INDEX words_initials ON words (initials, freq DESC);
        CREATE INDEX words_joined ON words (joined, freq DESC);
        """
    )
    count = db.execute("SELECT COUNT(*) FROM words").fetchone()[0]
    db.commit()
    db.close()
    os.replace(part, path)
    return count


def is_current(path):
    """Return whether the dictionary at path exists and was built from the packages installed now."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return bool(row) and row[0] == signature()


def ensure(path, say=print):
    """Build the dictionary at path unless a current one is there; return whether it was built."""
    if is_current(path):
        return False
    say("正在生成拼音输入法词典（只在安装后第一次需要，约十秒）……")
    started = time.monotonic()
    count = build(path)
    say(f"拼音输入法词典已生成：{count} 个词条，用时 {time.monotonic() - started:.1f} 秒。")
    return True


def main(argv=None):
    """`python -m kiosk.keyboard.dictionary [PATH]`: build the dictionary if it is missing or stale."""
    argv = sys.argv[1:] if argv is None else argv
    ensure(argv[0] if argv else DEFAULT_PATH)


if __name__ == "__main__":
    main()
