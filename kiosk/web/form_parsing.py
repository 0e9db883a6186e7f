"""Reading urlencoded forms fast: a Chinese suggestion arrives as thousands of %XX escapes."""

import re

import flask
import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" codec error handler)
from werkzeug.formparser import FormDataParser

# Werkzeug's own handler: invalid UTF-8 stays %XX-quoted, as werkzeug's parser leaves it.
ERRORS = "werkzeug.url_quote"
_ESCAPE_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def _decode_run(match):
    """Decode one run of consecutive %XX escapes as UTF-8."""
    return bytes.fromhex(match.group().replace("%", "")).decode("utf-8", ERRORS)


def unquote_plus(text):
    """Return text with '+' as space and %XX escapes decoded, as urllib.parse.unquote_plus does."""
    text = text.replace("+", " ")
    if "%" not in text:
        return text
    # One C-level decode per run of escapes instead of urllib's Python loop per escape (~6× faster
    # on Chinese text). A UTF-8 sequence cannot span a literal ASCII character, so decoding run by
    # run gives the same text as decoding the whole field.
    return _ESCAPE_RUN.sub(_decode_run, text)


def parse_qsl(query):
    """Split an urlencoded body into (name, value) pairs, blank values kept, like urllib's parse_qsl."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote_plus(name), unquote_plus(value)))
    return pairs


class KioskFormDataParser(FormDataParser):
    """Werkzeug's form parser with a faster urlencoded reader; multipart is untouched."""

    def _parse_urlencoded(self, stream, mimetype, content_length, options):
        """Parse an urlencoded body (already limited to MAX_CONTENT_LENGTH) into the form."""
        return stream, self.cls(parse_qsl(stream.read().decode())), self.cls()


class KioskRequest(flask.Request):
    """The kiosk's request: Flask's, reading forms with KioskFormDataParser."""

    form_data_parser_class = KioskFormDataParser
