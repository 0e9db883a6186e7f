"""Suggestions as spreadsheets for staff: CSV (UTF-8 with BOM) and a minimal XLSX written by hand."""

import csv
import io
import re
import zipfile
from xml.sax.saxutils import escape, quoteattr

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
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(headers, body, widths):
    """Return the worksheet: a frozen header row, column widths and inline-string cells."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews><cols>"
    ]
    parts += [f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1)]
    parts.append("</cols><sheetData>")
    for r, cells in enumerate([headers, *body], 1):
        parts.append(f'<row r="{r}">')
        for c, value in enumerate(cells):
            if value:
                parts.append(
                    f'<c r="{column_letter(c)}{r}" t="inlineStr"><is>'
                    f'<t xml:space="preserve">{escape(value)}</t></is></c>'
                )
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def to_xlsx(headers, body, widths, sheet_name="观众建议"):
    """Return the table as the bytes of a minimal valid .xlsx workbook with one sheet."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{head}<Relationships xmlns="{package_rel}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'{head}<Relationships xmlns="{package_rel}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet_xml(headers, body, widths),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(clock.zip_entry(name), text.encode("utf-8"))
    return out.getvalue()
