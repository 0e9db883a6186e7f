"""The kiosk's installed packs: import one into this app's database and media store, and list them."""

import json
from pathlib import Path

from flask import current_app

from kiosk.db import get_db
from kiosk.media.store import MediaStore
from kiosk.packs.importer import import_pack
from kiosk.web.page_cache import catalogue_changed


def run_import(source, force=False, max_unpacked=None, progress=None, on_total=None):
    """Import a pack into the current app's database and media store."""
    app = current_app
    result = import_pack(
        get_db(),
        MediaStore(app.instance_path),
        source,
        Path(app.instance_path) / "tmp",
        max_unpacked or app.config["KIOSK_PACK_MAX_UNPACKED_BYTES"],
        force,
        progress,
        on_total,
    )
    if result.status == "imported":
        catalogue_changed(app.instance_path)
    return result


def installed_packs(db):
    """Return the installed packs with their number of achievements and of warnings, by pack id."""
    rows = db.execute(
        "SELECT p.pack_id, p.version, p.title, p.imported_at, p.report, COUNT(a.id) FROM packs p "
        "LEFT JOIN achievements a ON a.pack_id = p.pack_id GROUP BY p.pack_id ORDER BY p.pack_id"
    ).fetchall()
    return [
        {
            "pack_id": r[0],
            "version": r[1],
            "title": r[2],
            "imported_at": r[3],
            "warnings": len(json.loads(r[4] or "[]")),
            "achievements": r[5],
        }
        for r in rows
    ]


def remove_pack(db, pack_id):
    """Take a pack's winners off the screens: its rows go, visitors' suggestions and figures stay; return its title.

    The media files stay in the store: they are shared by checksum with other packs and cost only disk."""
    row = db.execute("SELECT title FROM packs WHERE pack_id = ?", [pack_id]).fetchone()
    if row is None:
        return None
    with db.atomic():
        for table in ("achievement_media", "quiz_questions"):
            db.execute(
                f"DELETE FROM {table} WHERE achievement_id IN (SELECT id FROM achievements WHERE pack_id = ?)",
                [pack_id],
            )
        for table in ("achievements", "pack_files", "packs"):
            db.execute(f"DELETE FROM {table} WHERE pack_id = ?", [pack_id])
    catalogue_changed(current_app.instance_path)
    return row[0]
