"""The staff's suggestions list: order, search, filters, pages, personal fields, moderation, escaping."""

import json
import re
from datetime import datetime

import pytest

from tests.staff_helpers import add_suggestion, read_suggestion, sign_in, store_pin, token
from tests.support import DEMO_PACK

DEMO = json.loads((DEMO_PACK / "pack.json").read_text(encoding="utf-8"))
HTMX = {"HX-Request": "true", "HX-Target": "suggestion-results"}


@pytest.fixture
def staff_client(app, client):
    """Return a client signed in as staff."""
    store_pin(app)
    assert sign_in(client).status_code == 302
    return client


def receipts(html):
    """Return the receipt numbers of the listed rows, top to bottom."""
    return re.findall(r'<td class="staff-when">\s*<strong>([^<]+)</strong>', html)


def page(client, query=""):
    """Return the list page's HTML for a query string."""
    response = client.get("/staff/suggestions" + query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def moderate(client, row, moderation, **extra):
    """Post a moderation decision for row; return the response."""
    return client.post(
        f"/staff/suggestions/{row['uuid']}/moderation",
        data={"csrf_token": token(client), "moderation": moderation, **extra.pop("data", {})},
        **extra,
    )


def test_list_is_newest_first(app, staff_client):
    old = add_suggestion(app, created_at="2024-10-21T09:00:00+08:00")
    new = add_suggestion(app, created_at="2024-10-22T08:00:00+08:00")
    mid = add_suggestion(app, created_at="2024-10-21T17:30:00+08:00")
    assert receipts(page(staff_client)) == [new["receipt_no"], mid["receipt_no"], old["receipt_no"]]


def test_empty_list_says_so(staff_client):
    assert "还没有观众建议" in page(staff_client)


def test_row_shows_time_source_and_related_achievement(demo_app, demo_client):
    store_pin(demo_app)
    sign_in(demo_client)
    achievement = DEMO["achievements"][0]
    add_suggestion(
        demo_app,
        source="phone",
        related_achievement_id=achievement["id"],
        created_at="2024-10-21T10:42:07+08:00",
        title="外业核查照片自动命名",
    )
    add_suggestion(demo_app, source="kiosk", related_achievement_id="GONE-001")
    html = page(demo_client)
    assert "2024-10-21 10:42" in html and "手机" in html and "现场触摸屏" in html
    assert f"相关成果：{achievement['title']}" in html
    assert "相关成果：GONE-001" in html
    assert "外业核查照片自动命名" in html


def test_long_content_is_clipped_with_the_full_text_behind_a_toggle(app, staff_client):
    add_suggestion(app, content="长" * 1000, background="背景在这里")
    html = page(staff_client)
    assert "长" * 150 + "……" in html and "查看全部内容" in html
    assert "长" * 1000 in html and "背景在这里" in html


def test_personal_fields_are_hidden_unless_asked_for(app, staff_client):
    add_suggestion(app, proposer_name="王小明", proposer_unit="测绘院", proposer_phone="13800000000")
    add_suggestion(app)
    hidden = page(staff_client)
    assert "王小明" not in hidden and "13800000000" not in hidden and "测绘院" not in hidden
    shown = page(staff_client, "?personal=1")
    assert "王小明 · 测绘院 · 13800000000" in shown and "匿名" in shown
    assert 'name="personal" value="1" checked' in shown


def test_search_finds_title_content_background_and_proposer(app, staff_client):
    a = add_suggestion(app, title="无人机巡检")
    b = add_suggestion(app, content="建议把照片按坐标自动命名")
    c = add_suggestion(app, background="外业工作量大")
    d = add_suggestion(app, proposer_unit="天津市测绘院")
    add_suggestion(app, title="别的")
    assert receipts(page(staff_client, "?q=无人机")) == [a["receipt_no"]]
    assert receipts(page(staff_client, "?q=坐标")) == [b["receipt_no"]]
    assert receipts(page(staff_client, "?q=外业")) == [c["receipt_no"]]
    assert receipts(page(staff_client, "?q=测绘院")) == [d["receipt_no"]]
    assert receipts(page(staff_client, "?q=" + d["receipt_no"])) == [d["receipt_no"]]


def test_search_every_word_must_match(app, staff_client):
    both = add_suggestion(app, title="照片命名", content="外业")
    add_suggestion(app, title="照片压缩")
    assert receipts(page(staff_client, "?q=照片+外业")) == [both["receipt_no"]]


@pytest.mark.parametrize(
    "term, hit, miss",
    [
        ("100%", "合格率100%达标", "合格率1000达标"),
        ("a_b", "编号a_b", "编号axb"),
        ("\\", "路径C:\\data", "路径C:/data"),
    ],
)
def test_search_takes_like_wildcards_literally(app, staff_client, term, hit, miss):
    wanted = add_suggestion(app, content=hit)
    add_suggestion(app, content=miss)
    response = staff_client.get("/staff/suggestions", query_string={"q": term})
    assert receipts(response.get_data(as_text=True)) == [wanted["receipt_no"]]


def test_filter_by_moderation_with_counts(app, staff_client):
    add_suggestion(app)
    spam = add_suggestion(app, moderation="spam")
    add_suggestion(app, moderation="approved")
    html = page(staff_client, "?m=spam")
    assert receipts(html) == [spam["receipt_no"]]
    for text in ("全部 3", "待审 1", "已通过 1", "垃圾 1"):
        assert text in html
    assert len(receipts(page(staff_client, "?m=nonsense"))) == 3


def test_pagination_50_a_page(app, staff_client):
    rows = [add_suggestion(app) for _ in range(120)]
    newest = [r["receipt_no"] for r in reversed(rows)]
    first = page(staff_client)
    assert receipts(first) == newest[:50] and "第 1 / 3 页" in first and "page=2" in first
    assert receipts(page(staff_client, "?page=2")) == newest[50:100]
    last = page(staff_client, "?page=3")
    assert receipts(last) == newest[100:] and "下一页" not in last and "上一页" in last
    assert receipts(page(staff_client, "?page=99")) == newest[100:]
    assert receipts(page(staff_client, "?page=abc")) == newest[:50]


def test_htmx_search_gets_only_the_results_fragment(app, staff_client):
    wanted = add_suggestion(app, title="无人机")
    response = staff_client.get("/staff/suggestions?q=无人机", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "<html" not in html and receipts(html) == [wanted["receipt_no"]]
    assert 'name="q" value="无人机"' in html, "the export form follows the search"


def test_approve_spam_and_back_to_pending_set_moderated_at(app, staff_client):
    row = add_suggestion(app)
    assert read_suggestion(app, row["uuid"])["moderated_at"] is None
    for decision in ("approved", "spam", "pending"):
        response = moderate(staff_client, row, decision, data={"back": "/staff/suggestions?m=pending&page=2"})
        assert response.status_code == 302
        assert response.headers["Location"] == "/staff/suggestions?m=pending&page=2"
        stored = read_suggestion(app, row["uuid"])
        assert stored["moderation"] == decision
        assert datetime.fromisoformat(stored["moderated_at"]).tzinfo is not None


def test_moderation_by_htmx_returns_the_new_row(app, staff_client):
    row = add_suggestion(app, proposer_name="王小明")
    add_suggestion(app, title="别的")
    response = moderate(
        staff_client, row, "approved", headers={"HX-Request": "true"}, data={"back": "/staff/suggestions?personal=1"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.lstrip().startswith("<tr")
    assert '<span class="badge badge-approved">已通过</span>' in html
    assert re.search(r'value="approved"\s+disabled', html) and "王小明" in html
    chips = html[html.index('<nav id="staff-filters"') :]
    assert 'hx-swap-oob="true"' in chips and "待审 1" in chips and "已通过 1" in chips
    assert 'value="/staff/suggestions?personal=1"' in html
    assert read_suggestion(app, row["uuid"])["moderation"] == "approved"


def test_moderation_goes_back_only_to_the_list(app, staff_client):
    row = add_suggestion(app)
    for back in ("https://evil.example/", "/staff/login", "//evil.example"):
        response = moderate(staff_client, row, "spam", data={"back": back})
        assert response.headers["Location"] == "/staff/suggestions"


def test_moderation_refuses_unknown_values_and_rows(app, staff_client):
    row = add_suggestion(app)
    assert moderate(staff_client, row, "deleted").status_code == 400
    assert moderate(staff_client, {"uuid": "no-such-uuid"}, "approved").status_code == 404
    assert read_suggestion(app, row["uuid"])["moderation"] == "pending"


def test_moderation_without_csrf_token_changes_nothing(app, staff_client):
    row = add_suggestion(app)
    response = staff_client.post(f"/staff/suggestions/{row['uuid']}/moderation", data={"moderation": "spam"})
    assert response.status_code == 400
    assert read_suggestion(app, row["uuid"])["moderation"] == "pending"


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def test_hostile_strings_are_shown_escaped(app, staff_client):
    add_suggestion(
        app,
        title=HOSTILE,
        content=HOSTILE,
        background=HOSTILE,
        proposer_name=HOSTILE,
        related_achievement_id=HOSTILE,
        receipt_no=HOSTILE,
    )
    for query in ("", "?personal=1", "?q=%3Cscript%3E"):
        html = page(staff_client, query)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
