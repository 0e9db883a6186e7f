"""The suggestion form through Flask's client: fields, validation, receipts, consent, abuse, no loss, no doubles."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.exhibits import usage
from kiosk.suggestions.rules import TEXT_FIELDS
from tests.suggest_helpers import GOOD, PHONE_CLIENT, open_form, submit
from tests.support import beijing_now


def rows(app):
    """Return all stored suggestions as dicts."""
    with app.app_context():
        from kiosk.db import get_db

        cursor = get_db().execute("SELECT * FROM suggestions ORDER BY created_at, receipt_seq")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, r)) for r in cursor.fetchall()]


def errors_in(html):
    """Return the inline field messages of a form page."""
    return re.findall(r'<p class="field-error" id="err-(\w+)">([^<]+)</p>', html)


def test_form_has_every_field_with_a_visible_label(client):
    html, _, _ = open_form(client)
    for label in (
        "建议名称",
        "建议内容",
        "建议背景",
        "解决的关键问题",
        "应用范畴",
        "可执行性",
        "预期成效",
        "姓名",
        "单位",
        "手机号",
    ):
        assert re.search(rf'<label for="f-\w+">{label}<', html), label
    assert "成果真实性承诺" in html and "授权" in html and "非独家" in html and "愿意工会就这条建议与我联系" in html
    assert ">提交</button>" in html and 'autocomplete="off"' in html
    assert "我们保存什么、为什么" in html


def test_each_visitor_gets_own_tokens_from_the_cached_form(demo_app):
    first, second = demo_app.test_client(), demo_app.test_client()
    html_a, csrf_a, token_a = open_form(first, "/suggest?from=TJ2024-001", environ_base=PHONE_CLIENT)
    html_b, csrf_b, token_b = open_form(second, "/suggest?from=TJ2024-001", environ_base=PHONE_CLIENT)
    _, csrf_a2, token_a2 = open_form(first, "/suggest?from=TJ2024-001", environ_base=PHONE_CLIENT)
    assert csrf_a == csrf_a2 != csrf_b
    assert len({token_a, token_b, token_a2}) == 3
    assert "slot" not in html_a + html_b and csrf_a in html_a and token_b in html_b
    for client, csrf, token in ((first, csrf_a, token_a), (second, csrf_b, token_b), (first, csrf_a2, token_a2)):
        sent = client.post(
            "/suggest",
            data={"csrf_token": csrf, "form_token": token, "from": "TJ2024-001", **GOOD},
            environ_base=PHONE_CLIENT,
        )
        assert sent.status_code == 303
    assert len(rows(demo_app)) == 3
    # Another visitor's token from the same cached page is refused.
    refused = second.post(
        "/suggest", data={"csrf_token": csrf_a, "form_token": "x" * 32, **GOOD}, environ_base=PHONE_CLIENT
    )
    assert refused.status_code == 400 and len(rows(demo_app)) == 3


def test_a_suggestion_is_kept_with_its_identity_and_a_receipt(demo_app):
    client = demo_app.test_client()
    response = submit(client, {**GOOD, "title": "照片自动命名", "from": "TJ2024-001"}, "/suggest?from=TJ2024-001")
    assert response.status_code == 303
    [row] = rows(demo_app)
    assert row["content"] == GOOD["content"] and row["title"] == "照片自动命名"
    assert row["related_achievement_id"] == "TJ2024-001" and row["source"] == "kiosk"
    assert row["kiosk_id"] == demo_app.config["KIOSK_ID"] and row["event_id"] == demo_app.config["KIOSK_EVENT_ID"]
    assert row["moderation"] == "pending" and re.fullmatch(r"[0-9a-f-]{36}", row["uuid"])
    assert datetime.datetime.fromisoformat(row["created_at"]).utcoffset() is not None
    receipt = client.get(response.headers["Location"])
    html = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and row["receipt_no"] in html and 'aria-label="二维码"' in html
    assert receipt.headers["Cache-Control"] == "no-store"
    assert re.fullmatch(r"\d{4}-\d{3}", row["receipt_no"])


def test_the_receipt_qr_opens_the_receipt_on_a_phone_and_a_phone_is_told_to_screenshot(demo_app):
    from kiosk.web.qr import qr_svg

    client = demo_app.test_client()
    location = submit(client, GOOD).headers["Location"]
    html = client.get(location).get_data(as_text=True)
    assert str(qr_svg("http://kiosk.test:8080" + location)) in html and "用手机扫码" in html
    client.set_cookie("kiosk_screen", "0")  # the same receipt, opened on the visitor's phone
    html = client.get(location).get_data(as_text=True)
    assert "截图保存" in html and "扫码" not in html and 'aria-label="二维码"' not in html


def test_suggest_from_an_exhibit_names_it_and_offers_the_phone_qr(demo_app):
    html, _, _ = open_form(demo_app.test_client(), "/suggest?from=TJ2024-001")
    assert "由这项成果引发的建议" in html and 'name="from" value="TJ2024-001"' in html
    assert "用手机扫码" in html
    from kiosk.web.qr import qr_svg

    assert str(qr_svg("http://kiosk.test:8080/suggest?from=TJ2024-001")) in html
    html, _, _ = open_form(demo_app.test_client(), "/suggest?from=NOPE")
    assert "由这项成果引发的建议" not in html


def test_detail_page_links_to_the_form_for_its_exhibit(demo_client):
    html = demo_client.get("/a/TJ2024-001").get_data(as_text=True)
    assert 'href="/suggest?from=TJ2024-001">对此成果提建议<' in html


def test_phone_submissions_are_marked_phone(app):
    client = app.test_client()
    assert submit(client, GOOD, environ_base=PHONE_CLIENT).status_code == 303
    assert rows(app)[0]["source"] == "phone"


def test_a_phone_cannot_pose_as_the_kiosk_screen_with_its_cookie(app):
    client = app.test_client()
    client.get("/attract", environ_base=PHONE_CLIENT)  # the cookie the kiosk screen gets, now on a phone
    client.set_cookie("kiosk_screen", "1")
    html, _, _ = open_form(client, environ_base=PHONE_CLIENT)
    assert 'data-kiosk-screen="false"' in html and "用手机扫码" not in html
    assert submit(client, GOOD, environ_base=PHONE_CLIENT).status_code == 303
    assert rows(app)[0]["source"] == "phone"
    # The kiosk's own screen stays the kiosk, and a loopback browser may still say it is a phone (tests, bench).
    assert submit(app.test_client(), GOOD).status_code == 303
    phone_on_loopback = app.test_client()
    phone_on_loopback.set_cookie("kiosk_screen", "0")
    assert submit(phone_on_loopback, GOOD).status_code == 303
    assert sorted(r["source"] for r in rows(app)) == ["kiosk", "phone", "phone"]


def test_receipt_numbers_count_up_per_kiosk_and_day(app):
    client = app.test_client()
    for _ in range(3):
        assert submit(client, GOOD).status_code == 303
    numbers = [r["receipt_no"] for r in rows(app)]
    today = beijing_now()
    assert numbers == [f"{today:%m%d}-001", f"{today:%m%d}-002", f"{today:%m%d}-003"]


def test_the_same_form_sent_twice_is_kept_once(app):
    client = app.test_client()
    _, csrf, form_token = open_form(client)
    data = {"csrf_token": csrf, "form_token": form_token, **GOOD}
    first = client.post("/suggest", data=data)
    second = client.post("/suggest", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert len(rows(app)) == 1


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"content": ""}, "content", "请填写建议内容"),
        ({"content": "   \n "}, "content", "请填写建议内容"),
        ({"content": "好" * 3001}, "content", "建议内容最多 3000 字"),
        ({"title": "名" * 41}, "title", "建议名称最多 40 字"),
        ({"background": "景" * 501}, "background", "建议背景最多 500 字"),
        ({"proposer_name": "张" * 21}, "proposer_name", "姓名最多 20 字"),
        ({"proposer_unit": "单" * 61}, "proposer_unit", "单位最多 60 字"),
        ({"proposer_phone": "12345"}, "proposer_phone", "请填写 11 位手机号码"),
        ({"proposer_phone": "13800000000"}, "proposer_phone", "需同时勾选“愿意被联系”"),
        ({"consent_authenticity": ""}, "consent_authenticity", "成果真实性承诺"),
        ({"consent_authorization": ""}, "consent_authorization", "同意授权"),
    ],
)
def test_each_rule_gives_a_field_message_and_keeps_the_typing(app, fields, field, message):
    client = app.test_client()
    response = submit(client, {**GOOD, "scope": "保留我", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert any(key == field and message in text for key, text in errors_in(html)), errors_in(html)
    assert ">保留我</textarea>" in html and rows(app) == []


def test_limits_at_the_edge_are_accepted(app):
    fields = {
        **GOOD,
        "content": "好" * 3000,
        "title": "名" * 40,
        "proposer_name": "张" * 20,
        "proposer_unit": "单" * 60,
        "proposer_phone": "13800000000",
        "consent_contact": "1",
    }
    for key in ("background", "key_problems", "scope", "feasibility", "expected_benefits"):
        fields[key] = "字" * 500
    assert submit(app.test_client(), fields).status_code == 303
    [row] = rows(app)
    assert row["proposer_phone"] == "13800000000" and row["consent_contact"] == 1


HTMX_FORM = {"HX-Request": "true", "HX-Target": "suggest-form"}  # what htmx sends for the form's hx-post


def test_htmx_submission_gets_the_form_fragment_or_a_redirect(app):
    client = app.test_client()
    _, csrf, form_token = open_form(client)
    bad = client.post("/suggest", data={"csrf_token": csrf, "form_token": form_token, "content": ""}, headers=HTMX_FORM)
    assert bad.status_code == 200
    assert "<html" not in bad.get_data(as_text=True) and "请填写建议内容" in bad.get_data(as_text=True)
    good = client.post("/suggest", data={"csrf_token": csrf, "form_token": form_token, **GOOD}, headers=HTMX_FORM)
    assert good.headers["HX-Redirect"].startswith("/suggest/receipt/")


def test_missing_csrf_token_keeps_the_typing_and_stores_nothing(app):
    client = app.test_client()
    response = client.post("/suggest", data={**GOOD, "title": "过期页面"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "已过期" in html and 'value="过期页面"' in html
    assert rows(app) == []
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    assert client.post("/suggest", data={**GOOD, "csrf_token": fresh, "form_token": form_token}).status_code == 303


def test_honeypot_is_kept_as_spam_and_answered_like_anyone(app):
    response = submit(app.test_client(), {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 303
    [row] = rows(app)
    assert row["moderation"] == "spam" and row["honeypot"] == 1


def test_rate_limit_per_phone_keeps_the_typing(app):
    app.config.update(KIOSK_SUGGEST_RATE_LIMIT=2, KIOSK_SUGGEST_RATE_WINDOW=60)
    client = app.test_client()
    for _ in range(2):
        assert submit(client, GOOD, environ_base=PHONE_CLIENT).status_code == 303
    response = submit(client, {**GOOD, "title": "第三条"}, environ_base=PHONE_CLIENT)
    html = response.get_data(as_text=True)
    assert response.status_code == 429 and "提交太频繁" in html and 'value="第三条"' in html
    other_phone = {"REMOTE_ADDR": "192.168.1.99"}
    assert submit(client, GOOD, environ_base=other_phone).status_code == 303
    assert submit(client, GOOD).status_code == 303, "the kiosk's own screen is not limited"
    assert len(rows(app)) == 4


def test_oversize_request_gets_a_clear_413(app):
    client = app.test_client()
    response = client.post("/suggest", data={"content": "长" * 100_000})
    assert response.status_code == 413 and "提交的内容太大" in response.get_data(as_text=True)


def test_the_longest_suggestion_the_contract_allows_fits_the_size_limit(app):
    fields = {
        **GOOD,
        "content": "长" * 3000,
        "title": "名" * 40,
        "proposer_name": "张" * 20,
        "proposer_unit": "单" * 60,
    }
    for key in ("background", "key_problems", "scope", "feasibility", "expected_benefits"):
        fields[key] = "字" * 500
    response = submit(app.test_client(), fields)
    assert response.status_code == 303


def test_hostile_text_is_shown_escaped(app):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"'
    response = submit(app.test_client(), {**GOOD, "title": hostile, "consent_authorization": ""})
    html = response.get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&#34;" in html


def test_pages_of_the_form_are_not_stored_by_the_browser(client):
    response = client.get("/suggest")
    assert response.headers["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_usage_counts_suggestions_and_detail_views(demo_app):
    client = demo_app.test_client()
    client.get("/a/TJ2024-001")
    client.get("/a/TJ2024-001")
    submit(client, {**GOOD, "from": "TJ2024-001"}, "/suggest?from=TJ2024-001")
    token = client.get("/events/token").get_json()["token"]
    for metric in ("video_play", "video_complete", "audio_play", "video_play", "bogus"):
        client.post("/events", data={"metric": metric, "achievement": "TJ2024-001"}, headers={"X-CSRF-Token": token})
    client.post("/events", data={"metric": "video_play", "achievement": "TJ2024-001"})
    usage.flush(demo_app)
    with demo_app.app_context():
        from kiosk.db import get_db

        counts = {m: v for _, _, a, m, v in get_db().execute("SELECT * FROM usage_counts") if a == "TJ2024-001"}
    assert counts == {"detail_view": 2, "suggestion": 1, "video_play": 2, "video_complete": 1, "audio_play": 1}


FIELD_VALUES = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=600),
    st.sampled_from(
        [
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "\x00\x01",
            "\u202e",
            "13800000000",
            "1",
            "on",
            "=cmd|' /C calc'!A0",
            "😀" * 30,
            "好" * 3001,
            "\r\n" * 5,
            "%s%n",
            "{{ 7*7 }}",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.dictionaries(
        st.sampled_from(
            [
                *TEXT_FIELDS,
                "proposer_phone",
                "consent_authenticity",
                "consent_authorization",
                "consent_contact",
                "from",
                "website",
                "form_token",
            ]
        ),
        FIELD_VALUES,
    )
)
def test_random_and_hostile_values_never_break_the_form(app, values):
    client = app.test_client()
    _, csrf, form_token = open_form(client)
    data = {"csrf_token": csrf, "form_token": form_token, **values}
    response = client.post("/suggest", data=data)
    if len(urlencode(data)) > app.config["MAX_CONTENT_LENGTH"]:
        assert response.status_code == 413 and "提交的内容太大" in response.get_data(as_text=True)
        return
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        html = response.get_data(as_text=True)
        assert errors_in(html) and "<script>alert(1)" not in html
    else:
        assert response.headers["Location"].startswith("/suggest/receipt/")


@pytest.mark.parametrize("path", ["/suggest", "/suggest?from=TJ2024-001"])
def test_a_boosted_link_to_the_form_gets_the_whole_page(demo_app, path):
    """对此成果提建议, 我要提建议 and 再提一条 are boosted links: htmx sends HX-Request and HX-Boosted."""
    client = demo_app.test_client()
    page = client.get(path, headers={"HX-Request": "true", "HX-Boosted": "true", "HX-Current-URL": "http://k/"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<html" in html and "← 返回" in html and "我们保存什么" in html and "idle-warning" in html


@pytest.mark.parametrize(
    "typed", ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "0086 138-1234-5678", "（138）1234 5678"]
)
def test_a_phone_number_with_spaces_dashes_or_86_is_stored_as_its_11_digits(app, typed):
    response = submit(app.test_client(), {**GOOD, "proposer_phone": typed, "consent_contact": "1"})
    assert response.status_code == 303
    [row] = rows(app)
    assert row["proposer_phone"] == "13812345678"


def test_a_refused_phone_number_comes_back_as_it_was_typed(app):
    html = submit(app.test_client(), {**GOOD, "proposer_phone": "+86 138 1234 567", "consent_contact": "1"}).get_data(
        as_text=True
    )
    assert 'value="+86 138 1234 567"' in html and "请填写 11 位手机号码" in html and rows(app) == []


def test_over_long_text_is_refused_with_all_of_it_kept_and_the_first_field_in_error_focused(app):
    long_background = "景" * 482 + "最后这二十个字不能被截掉了一定要保留下来"
    response = submit(app.test_client(), {**GOOD, "title": "名" * 45, "background": long_background})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and rows(app) == []
    assert f">{long_background}</textarea>" in html and f'value="{"名" * 45}"' in html
    assert dict(errors_in(html))["background"].startswith("建议背景最多 500 字，现在是 502 字，请删减 2 字")
    assert re.search(
        r'<p class="counter is-over" id="count-background"[^>]*>\s*<span class="counter-num">502 / 500', html
    )
    assert "超出 5 字，请删减" in html
    # The title comes first on the form: it gets the focus, and only it.
    assert html.count(" autofocus") == 1 and re.search(r'id="f-title"[^>]*autofocus', html)


def test_no_field_cuts_typing_and_each_text_field_has_a_counter(client):
    html, _, _ = open_form(client)
    assert "maxlength" not in html
    for key, (_, limit) in TEXT_FIELDS.items():
        assert re.search(
            rf'data-counter="f-{key}" data-limit="{limit}">\s*<span class="counter-num">0 / {limit}<', html
        )
    assert 'inputmode="tel"' in html
