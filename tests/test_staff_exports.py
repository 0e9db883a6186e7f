"""CSV and XLSX exports of suggestions: columns, personal fields on request, formula guard, valid files."""

import csv
import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree

import pytest

from kiosk.staff import exports
from tests.staff_helpers import add_suggestion, sign_in, store_pin

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
PARTS = {
    "[Content_Types].xml",
    "_rels/.rels",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/worksheets/sheet1.xml",
}


@pytest.fixture
def staff_client(app, client):
    """Return a client signed in as staff, with two suggestions in the database (one with contact details)."""
    store_pin(app)
    sign_in(client)
    add_suggestion(
        app,
        title="照片自动命名",
        content="外业核查照片按坐标命名",
        moderation="approved",
        proposer_name="王小明",
        proposer_unit="测绘院",
        proposer_phone="13800000000",
        consent_contact=1,
    )
    add_suggestion(app, title="无人机电池保温", content="冬季续航短", source="phone")
    return client


def read_csv(response):
    """Return the rows of a CSV download, checking the BOM Excel needs."""
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data):
    """Return the rows of the first sheet of an .xlsx, as lists of cell texts, checking every part parses."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert PARTS <= set(z.namelist())
        for name in z.namelist():
            ElementTree.fromstring(z.read(name))
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iterfind("m:sheetData/m:row", NS):
        cells = {}
        for cell in row.iterfind("m:c", NS):
            assert cell.get("t") == "inlineStr"
            column = re.match(r"[A-Z]+", cell.get("r"))[0]
            cells[column] = "".join(t.text or "" for t in cell.iterfind("m:is/m:t", NS))
        width = max((index_of(c) for c in cells), default=-1) + 1
        rows.append([cells.get(exports.column_letter(i), "") for i in range(width)])
    return rows


def index_of(letters):
    """Return the 0-based index of a column's letters."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def as_records(rows):
    """Return the rows after the header as dicts keyed by the header."""
    header = rows[0]
    return [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:]]


def test_csv_has_chinese_headers_with_contract_keys_and_no_personal_fields(staff_client):
    response = staff_client.get("/staff/suggestions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"{date.today():%Y-%m-%d}.csv" in disposition
    rows = read_csv(response)
    assert "建议内容 (content)" in rows[0] and "审核状态 (moderation)" in rows[0] and "来源 (source)" in rows[0]
    assert not any("proposer" in h for h in rows[0])
    records = as_records(rows)
    assert [r["建议名称 (title)"] for r in records] == ["无人机电池保温", "照片自动命名"]
    assert records[1]["审核状态 (moderation)"] == "已通过" and records[0]["来源 (source)"] == "手机"
    assert "王小明" not in response.get_data(as_text=True) and "13800000000" not in response.get_data(as_text=True)


def test_csv_with_personal_fields_when_asked(staff_client):
    records = as_records(read_csv(staff_client.get("/staff/suggestions.csv?personal=1")))
    named = records[1]
    assert named["姓名 (proposer.name)"] == "王小明" and named["手机号 (proposer.phone)"] == "13800000000"
    assert named["单位 (proposer.unit)"] == "测绘院" and named["同意联系 (consent.contact)"] == "是"
    assert records[0]["姓名 (proposer.name)"] == ""


def test_export_follows_the_search_and_filter(staff_client):
    records = as_records(read_csv(staff_client.get("/staff/suggestions.csv?q=无人机")))
    assert [r["建议名称 (title)"] for r in records] == ["无人机电池保温"]
    records = as_records(read_csv(staff_client.get("/staff/suggestions.csv?m=approved")))
    assert [r["建议名称 (title)"] for r in records] == ["照片自动命名"]


def test_xlsx_is_a_valid_workbook_with_the_same_table(staff_client):
    response = staff_client.get("/staff/suggestions.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert f"{date.today():%Y-%m-%d}.xlsx" in response.headers["Content-Disposition"]
    rows = read_xlsx(response.get_data())
    assert rows == read_csv(staff_client.get("/staff/suggestions.csv"))
    assert "王小明" not in str(rows)


def test_xlsx_with_personal_fields_when_asked(staff_client):
    records = as_records(read_xlsx(staff_client.get("/staff/suggestions.xlsx?personal=1").get_data()))
    assert records[1]["姓名 (proposer.name)"] == "王小明" and records[1]["手机号 (proposer.phone)"] == "13800000000"


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil","点我")',
        "+1+2",
        "-3",
        "@SUM(A1)",
        "\t=1",
        '＝HYPERLINK("http://evil")',
        ";=1+1",
        "|calc",
        "＋1",
        "－1",
        "＠SUM(A1)",
        "'=1",
        " =1",
    ],
)
def test_formula_injection_is_guarded_in_csv_and_xlsx(app, client, value):
    store_pin(app)
    sign_in(client)
    add_suggestion(app, title=value, content="正常内容", proposer_name=value)
    for rows in (
        read_csv(client.get("/staff/suggestions.csv?personal=1")),
        read_xlsx(client.get("/staff/suggestions.xlsx?personal=1").get_data()),
    ):
        record = as_records(rows)[0]
        assert record["建议名称 (title)"] == "'" + value
        assert record["姓名 (proposer.name)"] == "'" + value
        assert record["建议内容 (content)"] == "正常内容"


def test_characters_xml_forbids_are_dropped_line_breaks_kept_and_markup_escaped(app, client):
    store_pin(app)
    sign_in(client)
    add_suggestion(app, title="a\x00b\x01c\x0bd\ufffee", content="<b>&amp;</b> ]]> \"引号\" 'x'\r\n第二行  ")
    record = as_records(read_xlsx(client.get("/staff/suggestions.xlsx").get_data()))[0]
    assert record["建议名称 (title)"] == "abcde"
    assert record["建议内容 (content)"] == "<b>&amp;</b> ]]> \"引号\" 'x'\n第二行  "
    assert as_records(read_csv(client.get("/staff/suggestions.csv")))[0]["建议名称 (title)"] == "abcde"


def test_empty_export_still_has_its_header(app, client):
    store_pin(app)
    sign_in(client)
    assert len(read_xlsx(client.get("/staff/suggestions.xlsx").get_data())) == 1
    assert len(read_csv(client.get("/staff/suggestions.csv"))) == 1


def test_guard_and_column_letters():
    assert exports.guard(None) == "" and exports.guard(42) == "42" and exports.guard("正常") == "正常"
    assert exports.guard("=1") == "'=1" and exports.guard("\x00=1") == "'=1"
    assert (
        exports.guard("“五小”建议") == "“五小”建议"
        and exports.guard("5G 巡检") == "5G 巡检"
        and exports.guard("") == ""
    )
    assert [exports.column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
