"""Finding achievements: Chinese substrings (two characters are enough), pinyin initials and 成果编号."""

import re

from pypinyin import Style, lazy_pinyin

from kiosk.db import like_pattern

LETTERS = re.compile(r"[a-z0-9]+")


def initials_of(text):
    """Return the pinyin initials of text, lowercased: 无人机巡检 → wrjxj; Latin letters and digits kept."""
    parts = lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return "".join(p.lower() for p in parts if LETTERS.fullmatch(p.lower()))


def search_clause(query, id_column="id"):
    """Return (SQL condition, params) matching every word of query in the text, the initials or the id.

    An id is matched whatever its case and whether the visitor typed its hyphen ("tj2024001" finds TJ2024-001)."""
    conditions, params = [], []
    for word in query.lower().split()[:8]:
        pattern = like_pattern(word)
        by_id = f"replace(lower({id_column}), '-', '') LIKE ? ESCAPE '\\'"
        bare = like_pattern(word.replace("-", ""))
        if LETTERS.fullmatch(word):
            conditions.append(f"(search_text LIKE ? ESCAPE '\\' OR search_initials LIKE ? ESCAPE '\\' OR {by_id})")
            params += [pattern, pattern, bare]
        else:
            conditions.append(f"(search_text LIKE ? ESCAPE '\\' OR {by_id})")
            params += [pattern, bare]
    return " AND ".join(conditions) or "1", params
