"""Every answer that is not a success, as JSON `{"error": "…"}`, and the named errors the CLI reports."""

import logging

from flask import jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("central")


class CentralError(Exception):
    """A problem an operator can fix (a file, an option); the CLI prints its message, never a traceback."""


def error_response(status, message, headers=None):
    """Return a JSON error answer."""
    response = jsonify(error=message)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


PLAIN = {404: "没有这个地址（接口在 <基础地址>/api/v1/ 下）", 405: "此地址不接受这种请求方法"}


def http_error(e):
    """Answer an HTTP error (404, 405, …) as JSON, in Chinese where werkzeug's text is its default."""
    message = PLAIN.get(e.code, e.description) if e.description == type(e).description else e.description
    return error_response(e.code, message, {k: v for k, v in e.get_headers() if k != "Content-Type"})


def server_error(e):
    """Log a bug and answer 500 without details."""
    log.exception("unexpected error", exc_info=e)
    return error_response(500, "中央系统内部错误，请稍后重试")


def init_app(app):
    """Answer every error as JSON."""
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, server_error)
