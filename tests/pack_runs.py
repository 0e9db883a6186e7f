"""Import packs from tests through the importer itself and read back its structured report and what the kiosk holds."""

import copy
import json
import re
import sqlite3
import zipfile
from contextlib import closing
from pathlib import Path

from kiosk.db import DB_FILE
from kiosk.packs import library
from tests.packs import make_pack, photo, write_pack_json

# Every report line the CLI prints: two spaces, then `achievement id · field · reason`.
LINE = re.compile(r"^  (\S.*?) · (\S.*?) · (\S.*)$")
CJK = re.compile(r"[\u4e00-\u9fff]")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def small_pack(root, **options):
    """Write make_pack's valid pack with small photos (screen derivatives are slow to make); return pack.json."""
    pack = make_pack(root, **options)
    for path in Path(root).rglob("photo-*.jpg"):
        photo(path, size=(320, 240))
    return pack


def printed_problems(text):
    """Return the (id, field, reason) lines the CLI printed, checking that every indented line is one."""
    found = []
    for line in text.splitlines():
        if line.startswith("  "):
            match = LINE.match(line)
            assert match, f"report line not `id · field · reason`: {line!r}"
            assert CJK.search(match[3]), f"reason not in Chinese: {line!r}"
            found.append(match.groups())
    return found


def run_import(app, path, force=False, max_unpacked=None):
    """Import a pack into the app with the importer; return its ImportResult, every problem named and in Chinese."""
    with app.app_context():
        result = library.run_import(path, force, max_unpacked)
    for p in result.report.problems:
        assert p.level in ("error", "warning") and p.achievement and p.field, p
        assert CJK.search(p.reason), f"reason not in Chinese: {p}"
    return result


def as_tuples(problems):
    """Return report problems as (achievement id, field, reason)."""
    return [(p.achievement, p.field, p.reason) for p in problems]


def errors(result):
    """Return the report's errors as (id, field, reason)."""
    return as_tuples(result.report.errors)


def warnings(result):
    """Return the report's warnings as (id, field, reason)."""
    return as_tuples(result.report.warnings)


def refused(app, path, **options):
    """Import and expect a refusal naming at least one error; return the errors."""
    result = run_import(app, path, **options)
    assert result.status == "refused" and not result.ok, result
    found = errors(result)
    assert found, result
    return found


def imported(app, path, **options):
    """Import and expect success with no errors; return the result."""
    result = run_import(app, path, **options)
    assert result.ok, errors(result)
    assert errors(result) == []
    return result


def has(found, aid, field, fragment):
    """Return whether one of the (id, field, reason) problems matches; fragment is part of the reason."""
    return any(p == (aid, field, p[2]) and fragment in p[2] for p in found)


def query(app, sql, params=()):
    """Return the rows of a query on the app's database."""
    with closing(sqlite3.connect(Path(app.instance_path) / DB_FILE)) as conn:
        return conn.execute(sql, params).fetchall()


def shown(app):
    """Return what the kiosk holds: ({pack_id: version}, [(achievement id, title)] in order)."""
    packs = dict(query(app, "SELECT pack_id, version FROM packs"))
    rows = query(app, "SELECT id, title FROM achievements ORDER BY pack_id, position")
    return packs, rows


def zip_folder(folder, dest, prefix=""):
    """Zip a folder's contents (optionally under a top folder named prefix) and return the zip path."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return dest


def clone(pack, aid, **changes):
    """Append a copy of the first achievement under a new id, sharing its files; return it."""
    a = copy.deepcopy(pack["achievements"][0])
    a.update(id=aid, **changes)
    pack["achievements"].append(a)
    return a


def resident_id(first17):
    """Return first17 completed with its valid GB 11643 check character."""
    return first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11]


def wrong_check(number):
    """Return the same 18 characters with a check character that does not fit."""
    return number[:17] + ("0" if number[17] != "0" else "1")


def edit_pack(folder, change):
    """Apply change(pack) to the pack.json in folder and write it back."""
    pack = json.loads((Path(folder) / "pack.json").read_text(encoding="utf-8"))
    change(pack)
    write_pack_json(folder, pack)
