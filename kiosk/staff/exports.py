"""Suggestions as spreadsheets for staff: CSV (UTF-8 with BOM) for other tools, and an Excel workbook (openpyxl)."""

import csv
import io
import re
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from kiosk import clock
from kiosk.staff.queries import MODERATIONS, SOURCES

YES_NO = {1: "是", 0: "否"}
COLUMNS = [
    ("回执编号 (receipt_no)", "receipt_no", 12),
    ("提交时间 (created_at)", "created_at", 20),
    ("来源 (source)", lambda r: SOURCES.get(r["source"], r["source"]), 11),
    ("审核状态 (moderation)", lambda r: MODERATIONS.get(r["moderation"], r["moderation"]), 10),
    ("审核时间 (moderated_at)", "moderated_at", 20),
    ("建议名称 (title)", "title", 24),
    ("建议内容 (content)", "content", 60),
    ("建议背景 (background)", "background", 40),
    ("解决的关键问题 (key_problems)", "key_problems", 40),
    ("应用范畴 (scope)", "scope", 30),
    ("可执行性 (feasibility)", "feasibility", 30),
    ("预期成效 (expected_benefits)", "expected_benefits", 30),
    ("相关成果编号 (related_achievement_id)", "related_achievement_id", 16),
    ("相关成果名称", "achievement_title", 30),
    ("真实性承诺 (consent.authenticity)", lambda r: YES_NO.get(r["consent_authenticity"], ""), 8),
    ("授权 (consent.authorization)", lambda r: YES_NO.get(r["consent_authorization"], ""), 8),
    ("同意联系 (consent.contact)", lambda r: YES_NO.get(r["consent_contact"], ""), 8),
    ("展位编号 (kiosk_id)", "kiosk_id", 12),
    ("活动编号 (event_id)", "event_id", 14),
    ("唯一编号 (uuid)", "uuid", 38),
]
PERSONAL = [
    ("姓名 (proposer.name)", "proposer_name", 10),
    ("单位 (proposer.unit)", "proposer_unit", 24),
    ("手机号 (proposer.phone)", "proposer_phone", 14),
]
# A spreadsheet reads a cell starting with one of these as a formula (tab too, after OWASP).
# A cell may start with a letter or digit of any script (Chinese included) or with one of these marks; any
# other first character might be read as a formula by some spreadsheet (= + - @ | ; tab, space, their
# full-width forms, DDE tricks), so such a cell gets an apostrophe: an allow-list, not a list of dangers.
SAFE_FIRST = set('"#$%&()*,./:<>?[]^_{}~!\\') | set("“”‘’《》〈〉（）【】「」『』、，。：？！…—·")
# Characters XML 1.0 does not allow, which would make the workbook unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
MAX_CELL = 32767  # Excel's limit, apostrophe included
TIME_KEYS = ("created_at", "moderated_at")
TIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
WRAP_FROM = 24  # columns this wide hold long text: wrapped, not cut off at the cell's edge
BOLD = Font(bold=True)
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")


def columns(personal):
    """Return the export's columns: (header, key or function, width), personal ones only when asked."""
    if not personal:
        return COLUMNS
    at = next(i for i, (_, get, _) in enumerate(COLUMNS) if get == "achievement_title") + 1
    return COLUMNS[:at] + PERSONAL + COLUMNS[at:]


def widths(personal):
    """Return the column widths, in characters, for the XLSX export."""
    return [w for _, _, w in columns(personal)]


def guard(value):
    """Return value as cell text a spreadsheet can read and will never run as a formula."""
    text = NOT_XML.sub("", "" if value is None else str(value))
    # Browsers send a textarea's line breaks as CRLF; XML would read a lone CR back as LF anyway.
    text = text.replace("\r\n", "\n").replace("\r", "\n")[: MAX_CELL - 1]
    return text if not text or text[0].isalnum() or text[0] in SAFE_FIRST else "'" + text


def table(rows, personal=False):
    """Return the header and the guarded cell texts of every row (guarded cells are XML-safe too)."""
    cols = columns(personal)
    body = [[guard(get(r) if callable(get) else r.get(get)) for _, get, _ in cols] for r in rows]
    return [header for header, _, _ in cols], body


def to_csv(headers, body):
    """Return the table as CSV bytes, UTF-8 with a BOM so Excel reads Chinese correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(body)
    return out.getvalue().encode("utf-8-sig")


def column_letter(index):
    """Return the spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    return get_column_letter(index + 1)


def beijing_time(text):
    """Return an RFC 3339 time as a Beijing-time datetime a spreadsheet shows as such, or the text if unreadable."""
    try:
        return clock.in_beijing(text).replace(tzinfo=None)
    except (TypeError, ValueError):
        return text


class ClockProofZip(zipfile.ZipFile):
    """A zip openpyxl writes into whatever the clock says (ZIP stores 1980–2107 only; a kiosk may be in 1970)."""

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):
        """Write a member, stamped within ZIP's range."""
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = clock.zip_entry(zinfo_or_arcname)
        return super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):
        """Write a file (openpyxl's write-only sheets), stamped within ZIP's range rather than by its mtime."""
        with open(filename, "rb") as f:
            return self.writestr(clock.zip_entry(arcname or filename), f.read())


def to_xlsx(headers, body, widths, sheet_name="观众建议"):
    """Return the table as .xlsx bytes (openpyxl): bold frozen header, wrapped long text, Beijing times, text cells."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name)
    sheet.freeze_panes = "A2"
    for i, width in enumerate(widths):
        sheet.column_dimensions[column_letter(i)].width = width
    times = {i for i, h in enumerate(headers) if any(f"({key})" in h for key in TIME_KEYS)}
    wrapped = {i for i, w in enumerate(widths) if w >= WRAP_FROM}

    def cell(value, i, header=False):
        c = WriteOnlyCell(sheet, value=beijing_time(value) if i in times and value and not header else value)
        if header:
            c.font, c.alignment = BOLD, HEADER_ALIGN
        elif i in times:
            c.number_format = TIME_FORMAT
        elif i in wrapped:
            c.alignment = WRAP
        else:
            c.number_format = "@"  # text, so a phone number or an id is never read as a number
        return c

    sheet.append([cell(h, i, header=True) for i, h in enumerate(headers)])
    for row in body:
        sheet.append([cell(v or None, i) for i, v in enumerate(row)])
    out = io.BytesIO()
    with ClockProofZip(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return out.getvalue()


METRIC_NAMES = {
    "detail_view": "详情浏览",
    "video_play": "视频播放",
    "video_complete": "视频看完",
    "audio_play": "讲解播放",
    "quiz_taken": "答题次数",
    "quiz_answered": "答题数",
    "quiz_correct": "答对数",
    "suggestion": "建议",
}
FIGURE_WIDTHS = [12, 14, 14, 36, *[10] * len(METRIC_NAMES)]


def figures_table(counts, titles):
    """Return the usage figures as a table: a row per day, event and winner (全馆 for kiosk-wide), a column a metric."""
    rows = {}
    for (day, event_id, achievement_id, metric), value in counts.items():
        key = (day, event_id, achievement_id or "")
        rows.setdefault(key, dict.fromkeys(METRIC_NAMES, 0))[metric] = value
    headers = ["日期", "活动编号", "成果编号", "成果名称", *METRIC_NAMES.values()]
    body = [
        [day, event_id, aid or "—", guard(titles.get(aid, "全馆合计" if not aid else "（已不在内容包中）"))]
        + [str(values[m]) for m in METRIC_NAMES]
        for (day, event_id, aid), values in sorted(rows.items())
    ]
    return headers, body
