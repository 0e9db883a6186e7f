"""Finding achievements: Chinese substrings (two characters are enough) and pinyin initials."""

import re

from pypinyin import Style, lazy_pinyin

from kiosk.db import like_pattern

LETTERS = re.compile(r"[a-z0-9]+")


def initials_of(text):
    """Return the pinyin initials of text, lowercased: 无人机巡检 → wrjxj; Latin letters and digits kept."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(p.lower() for p in parts if LETTERS.fullmatch(p.lower()))


def search_clause(query):
    """Return (SQL condition, params) matching every word of query in the text or the initials."""
    conditions, params = [], []
    for word in query.lower().split()[:8]:
        pattern = like_pattern(word)
        if LETTERS.fullmatch(word):
            conditions.append("(search_text LIKE ? ESCAPE '\\' OR search_initials LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        else:
            conditions.append("search_text LIKE ? ESCAPE '\\'")
            params.append(pattern)
    return " AND ".join(conditions) or "1", params
