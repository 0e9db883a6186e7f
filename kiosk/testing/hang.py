"""For tests only, never registered by the kiosk: a kiosk-screen page whose main thread hangs after a while."""

from flask import Blueprint, render_template_string, request

bp = Blueprint("testing_hang", __name__, url_prefix="/testing")
PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>hang</title>
<script src="/static/alive.js" defer></script>
<script src="/testing/hang.js?after={{ after }}" defer></script></head>
<body data-kiosk-screen="true"><p>这一页会在 {{ after }} 秒后卡死。</p></body></html>"""


@bp.get("/hang")
def hang_page():
    """Show a page that beats like the kiosk screen, then blocks its main thread for good."""
    return render_template_string(PAGE, after=request.args.get("after", 5, type=float))


@bp.get("/hang.js")
def hang_script():
    """Send the script that spins forever after the asked seconds."""
    after = request.args.get("after", 5, type=float)
    body = f"setTimeout(function () {{ for (;;) {{}} }}, {after * 1000:.0f});"
    return body, 200, {"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-store"}
