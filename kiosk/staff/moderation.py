"""Staff's suggestion screens: the list with search and filter, moderation, and CSV/XLSX export."""

import io
import re
from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from werkzeug.datastructures import MultiDict

from kiosk import clock
from kiosk.db import get_db
from kiosk.exhibits import usage
from kiosk.staff import exports, health
from kiosk.staff import queries as found
from kiosk.staff.auth import no_store, staff_only_here, staff_required
from kiosk.web.htmx import wants_part

bp = Blueprint("moderation", __name__, url_prefix="/staff")
bp.after_request(no_store)
bp.before_request(staff_only_here)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def list_filters(values):
    """Return the list's filters from request values: q, m (moderation), personal and page."""
    try:
        page = max(1, int(values.get("page", 1)))
    except ValueError:
        page = 1
    m = values.get("m")
    return {
        "q": values.get("q", "").strip()[:100],
        "m": m if m in found.MODERATIONS else None,
        "personal": values.get("personal") == "1",
        "page": page,
    }


def list_url(filters, **changes):
    """Return the list's URL for these filters, with some changed; defaults are left out."""
    f = {**filters, **changes}
    return url_for(
        "moderation.suggestions",
        q=f["q"] or None,
        m=f["m"],
        personal="1" if f["personal"] else None,
        page=f["page"] if f["page"] > 1 else None,
    )


@bp.app_template_filter("staff_time")
def staff_time(value):
    """Show an RFC 3339 time in Beijing time, to the minute (2024-10-21 10:42)."""
    try:
        return clock.in_beijing(value).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return value or ""


@bp.get("/suggestions")
@staff_required
def suggestions():
    """List suggestions newest first, searched and filtered; the results fragment for htmx."""
    filters = list_filters(request.args)
    db = get_db()
    counts = found.counts(db, filters["q"])
    total = counts[filters["m"] or "all"]
    pages = max(1, -(-total // found.PER_PAGE))
    filters["page"] = min(filters["page"], pages)
    rows = found.find(db, filters["q"], filters["m"], found.PER_PAGE, (filters["page"] - 1) * found.PER_PAGE)
    context = {
        "rows": rows,
        "filters": filters,
        "counts": counts,
        "total": total,
        "pages": pages,
        "list_url": list_url,
        "moderations": found.MODERATIONS,
        "sources": found.SOURCES,
        "back": list_url(filters),
    }
    if wants_part("suggestion-results"):
        return render_template("staff/_results.html", **context)
    return render_template("staff/suggestions.html", h=health.health(db), **context)


def safe_back(target):
    """Return target when it is the suggestions list, else the list's plain URL."""
    plain = url_for("moderation.suggestions")
    if target and (target == plain or target.startswith(plain + "?")):
        return target
    return plain


@bp.post("/suggestions/<uuid>/moderation")
@staff_required
def moderate(uuid):
    """Mark one suggestion approved, spam or pending again; htmx gets the row, others go back to the list."""
    moderation = request.form.get("moderation")
    if moderation not in found.MODERATIONS:
        abort(400)
    db = get_db()
    if not found.set_moderation(db, uuid, moderation):
        abort(404)
    back = safe_back(request.form.get("back"))
    if not request.headers.get("HX-Request"):
        return redirect(back)
    # The list's filters travel in `back`; the chips' counts are redrawn for them beside the row.
    filters = list_filters(MultiDict(parse_qsl(urlsplit(back).query)))
    context = {
        "filters": filters,
        "counts": found.counts(db, filters["q"]),
        "list_url": list_url,
        "back": back,
        "moderations": found.MODERATIONS,
        "sources": found.SOURCES,
        "oob": True,
    }
    return render_template("staff/_row.html", row=found.get(db, uuid), **context) + render_template(
        "staff/_filters.html", **context
    )


def download_name(extension, what="五小建议"):
    """Return the export's file name: what it holds, this kiosk and today's date on its clock."""
    kiosk = re.sub(r"[^A-Za-z0-9_-]", "", current_app.config["KIOSK_ID"]) or "kiosk"
    return f"{what}-{kiosk}-{clock.today()}.{extension}"


def export_rows():
    """Return whether personal fields were asked for, and every suggestion under the current search and filter."""
    filters = list_filters(request.args)
    return filters["personal"], found.find(get_db(), filters["q"], filters["m"])


@bp.get("/suggestions.csv")
@staff_required
def export_csv():
    """Download the suggestions as CSV; personal fields only with personal=1."""
    personal, rows = export_rows()
    data = exports.to_csv(*exports.table(rows, personal))
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True, download_name=download_name("csv"))


@bp.get("/suggestions.xlsx")
@staff_required
def export_xlsx():
    """Download the suggestions as an Excel workbook; personal fields only with personal=1."""
    personal, rows = export_rows()
    data = exports.to_xlsx(*exports.table(rows, personal), exports.widths(personal))
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=download_name("xlsx"))


def figures():
    """Return the usage figures as a table, the winners' titles beside their numbers."""
    db = get_db()
    usage.flush(current_app)  # the last few seconds' counts too
    # Titles outlive their pack (winner_titles), so a replaced pack's figures still name their winners.
    titles = dict(db.execute("SELECT achievement_id, title FROM winner_titles").fetchall())
    return exports.figures_table(usage.daily_counts(db), titles)


@bp.get("/figures.xlsx")
@staff_required
def figures_xlsx():
    """Download the usage figures per day and winner as an Excel workbook."""
    data = exports.to_xlsx(*figures(), exports.FIGURE_WIDTHS, sheet_name="使用统计")
    return send_file(
        io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=download_name("xlsx", "使用统计")
    )


@bp.get("/figures.csv")
@staff_required
def figures_csv():
    """Download the usage figures per day and winner as CSV."""
    data = exports.to_csv(*figures())
    return send_file(
        io.BytesIO(data), mimetype="text/csv", as_attachment=True, download_name=download_name("csv", "使用统计")
    )
