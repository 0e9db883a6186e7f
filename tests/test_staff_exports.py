"""CSV and XLSX exports of suggestions: columns, personal fields on request, formula guard, valid files."""

import csv
import io
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest

from kiosk.staff import exports
from tests.staff_helpers import add_suggestion, sign_in, store_pin
from tests.support import beijing_now


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
    """Return the rows of the first sheet, opened with openpyxl, as lists of cell texts (times as shown)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [
        ["" if v is None else f"{v:%Y-%m-%d %H:%M:%S}" if isinstance(v, datetime) else str(v) for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def in_beijing_time(rows):
    """Return CSV rows with their RFC 3339 times as the workbook shows them: Beijing time, to the second."""
    times = [i for i, h in enumerate(rows[0]) if "(created_at)" in h or "(moderated_at)" in h]
    out = [rows[0]]
    for row in rows[1:]:
        row = list(row)
        for i in times:
            if row[i]:
                row[i] = f"{datetime.fromisoformat(row[i]).astimezone(timezone(timedelta(hours=8))):%Y-%m-%d %H:%M:%S}"
        out.append(row)
    return out


def as_records(rows):
    """Return the rows after the header as dicts keyed by the header."""
    header = rows[0]
    return [dict(zip(header, row + [""] * (len(header) - len(row)))) for row in rows[1:]]


def test_csv_has_chinese_headers_with_contract_keys_and_no_personal_fields(staff_client):
    response = staff_client.get("/staff/suggestions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"{beijing_now():%Y-%m-%d}.csv" in disposition
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
    assert f"{beijing_now():%Y-%m-%d}.xlsx" in response.headers["Content-Disposition"]
    rows = read_xlsx(response.get_data())
    assert rows == in_beijing_time(read_csv(staff_client.get("/staff/suggestions.csv")))
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


def test_the_workbook_reads_well_in_excel_cell_by_cell(staff_client):
    data = staff_client.get("/staff/suggestions.xlsx?personal=1").get_data()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    column = {h: exports.column_letter(i) for i, h in enumerate(header)}
    phone_row = next(r for r in range(2, sheet.max_row + 1) if sheet[f"{column['姓名 (proposer.name)']}{r}"].value)
    phone = sheet[f"{column['手机号 (proposer.phone)']}{phone_row}"]
    assert phone.value == "13800000000" and phone.data_type == "s" and phone.number_format == "@"
    created = sheet[f"{column['提交时间 (created_at)']}{phone_row}"]
    assert isinstance(created.value, datetime) and created.number_format == "yyyy-mm-dd hh:mm:ss"
    # Stored n minutes after 09:00 +08:00 (n counts up across the session): Beijing time, not UTC's 01:00.
    after_nine = created.value - datetime(2024, 10, 21, 9, 0)
    assert after_nine.total_seconds() % 60 == 0 and 0 < after_nine.total_seconds() < 6 * 3600
    content = sheet[f"{column['建议内容 (content)']}{phone_row}"]
    assert content.alignment.wrap_text and content.value == "外业核查照片按坐标命名"
    assert sheet.column_dimensions[column["建议内容 (content)"]].width == 60


def test_usage_figures_export_per_day_and_winner_with_titles(demo_app):
    from kiosk.exhibits import usage
    from tests.staff_helpers import database

    store_pin(demo_app)
    staff = demo_app.test_client()
    sign_in(staff)
    visitor = demo_app.test_client()
    for _ in range(3):
        visitor.get("/a/TJ2024-001", environ_base={"REMOTE_ADDR": "192.168.1.50"})
    usage.flush(demo_app)
    with database(demo_app) as db:
        expected = usage.daily_counts(db)
    data = staff.get("/staff/figures.xlsx")
    assert data.status_code == 200 and data.mimetype.endswith("spreadsheetml.sheet")
    assert "%E4%BD%BF%E7%94%A8%E7%BB%9F%E8%AE%A1-kiosk-1-" in data.headers["Content-Disposition"]  # 使用统计-kiosk-1-
    sheet = openpyxl.load_workbook(io.BytesIO(data.get_data())).worksheets[0]
    assert sheet.title == "使用统计" and sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    header = [c.value for c in sheet[1]]
    drone = next(r for r in rows if r[2] == "TJ2024-001")
    assert drone[3] == "无人机航测像控点快速布设与识别装置"
    day = drone[0]
    assert drone[header.index("详情浏览")] == str(expected[(day, "event", "TJ2024-001", "detail_view")])
    csv_rows = read_csv(staff.get("/staff/figures.csv"))
    assert csv_rows[0][:4] == ["日期", "活动编号", "成果编号", "成果名称"] and len(csv_rows) == len(rows) + 1
