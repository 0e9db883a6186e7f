"""The fast urlencoded reader gives exactly what werkzeug's own parser gives, and is what the app uses."""

from urllib.parse import parse_qsl as urllib_parse_qsl
from urllib.parse import quote_plus, urlencode

from hypothesis import given
from hypothesis import strategies as st

from kiosk.web.form_parsing import ERRORS, KioskRequest, parse_qsl


def reference(query):
    """What werkzeug 3's FormDataParser does with an urlencoded body."""
    return urllib_parse_qsl(query, keep_blank_values=True, errors=ERRORS)


# Bodies built from the pieces that matter: escapes (valid, truncated, invalid hex, lone bytes of
# multi-byte sequences), '+', '=', '&', ASCII and Chinese characters.
PIECES = st.sampled_from(
    [
        "%",
        "%E4",
        "%B8",
        "%AD",
        "%e4%b8%ad",
        "%2",
        "%zz",
        "%41",
        "%FF",
        "%C3%A9",
        "+",
        "=",
        "&",
        "a",
        "Z",
        "0",
        " ",
        "中",
        "文",
        "，",
        "%0A",
        "%25",
        "%26",
        "%3D",
        "%2B",
    ]
)


@given(st.lists(PIECES, max_size=40).map("".join))
def test_same_pairs_as_werkzeug_for_any_body(query):
    assert parse_qsl(query) == reference(query)


@given(st.text(max_size=60))
def test_same_pairs_as_werkzeug_for_any_text(query):
    assert parse_qsl(query) == reference(query)


@given(st.dictionaries(st.text(max_size=10), st.text(max_size=200), max_size=8))
def test_round_trips_what_a_browser_encodes(fields):
    query = urlencode(fields)
    assert parse_qsl(query) == list(fields.items())


def test_chinese_suggestion_is_read_back():
    content = "建议在巡检终端上增加扫码录入功能，扫一下设备上的二维码就能自动带出设备编号。 A+B=C & 100%"
    query = "content=" + quote_plus(content) + "&title=&consent=on&empty"
    assert parse_qsl(query) == [("content", content), ("title", ""), ("consent", "on"), ("empty", "")]


def test_the_app_reads_forms_with_it(app):
    assert app.request_class is KioskRequest
    body = "content=" + quote_plus("小建议%zz")
    with app.test_request_context(
        "/suggest", method="POST", data=body, content_type="application/x-www-form-urlencoded"
    ):
        from flask import request

        assert request.form["content"] == "小建议%zz"
