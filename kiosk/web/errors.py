"""Error pages in Chinese, chosen by status; a bug gets a 500 page and a log line, never a trace."""

from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: ("请求有误", "页面没能理解这个请求，请返回首页重试。"),
    403: ("无权访问", "这个页面需要工作人员登录。"),
    404: ("找不到这个页面", "这个成果或页面不存在，可能已下架或地址有误。"),
    405: ("操作不被允许", "请返回首页重试。"),
    413: ("提交的内容太大", "请删减后再提交。"),
    416: ("请求的范围无效", "媒体文件的请求范围超出了文件大小。"),
    429: ("操作太频繁", "请稍等片刻再试。"),
    500: ("系统出了点问题", "请返回首页，或请工作人员帮助。"),
}


def wants_short_answer():
    """Return whether a /media/ error goes to a player or an image (a short text), not a person's browser tab.

    A tab navigating to a media URL names text/html in Accept; <video>, <audio> and <img> ask with */* or
    image/*, and players ask with a Range header."""
    if not request.path.startswith("/media/"):
        return False
    return "text/html" not in request.headers.get("Accept", "") or "Range" in request.headers


def render_error(e):
    """Render the error page for an HTTP error, in Chinese, with a way home."""
    title, text = MESSAGES.get(e.code, (e.name, "请返回首页。"))
    if wants_short_answer():
        return title, e.code, {"Content-Type": "text/plain; charset=utf-8"}
    return render_template("errors/error.html", code=e.code, title=title, text=text), e.code


def handle_http_error(e):
    """Answer an HTTP error with its page; redirects and other non-errors pass through."""
    if e.code is None or e.code < 400:
        return e
    return render_error(e)


def handle_bug(e):
    """Log an unexpected exception and show the 500 page."""
    current_app.logger.exception("未处理的异常：%s %s", request.method, request.path)
    return render_error(InternalServerError())


def init_app(app):
    """Register the error handlers."""
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_bug)
