"""Staff's 设置: who the kiosk is, the address phones use (with a test QR code), the idle time, central, the PIN."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from kiosk import settings
from kiosk.appliance import rotation
from kiosk.db import get_db
from kiosk.staff import settings_form, settings_store
from kiosk.staff.auth import (
    PIN_CHECK,
    PIN_PATTERN,
    STAFF_SESSION,
    failures,
    idle_limit,
    no_store,
    now,
    pin_hash,
    pin_stamp,
    save_pin,
    sessions,
    staff_only_here,
    staff_required,
    wait_text,
)
from kiosk.web.lan import lan_address, public_url
from kiosk.web.qr import qr_svg

bp = Blueprint("settings_page", __name__, url_prefix="/staff/settings")
bp.after_request(no_store)
bp.before_request(staff_only_here)

LABELS = {
    "KIOSK_ID": "本机编号",
    "KIOSK_NAME": "本机名称",
    "KIOSK_EVENT_ID": "活动编号",
    "KIOSK_EVENT_NAME": "活动名称",
    "KIOSK_PUBLIC_URL": "手机访问地址",
    "KIOSK_IDLE_SECONDS": "无人操作返回待机（秒）",
    "KIOSK_SCREEN_ROTATION": "屏幕方向",
    "KIOSK_OPEN_HOURS": "开放时间",
    "KIOSK_CENTRAL_URL": "中央系统地址",
    "KIOSK_CENTRAL_TOKEN": "本机令牌",
}
NOTES = {
    "KIOSK_ID": "同一场活动的几台展示机各不相同；已收集的建议保留原来的编号。",
    "KIOSK_NAME": "给人看的名字，例如“展厅A 1号机”；可不填。",
    "KIOSK_EVENT_ID": "同一场活动的各台展示机相同。",
    "KIOSK_EVENT_NAME": "例如“2024 年职工五小创新成果展”；可不填。",
    "KIOSK_PUBLIC_URL": "留空则自动使用本机的局域网地址；只在手机扫码打不开时填写。",
    "KIOSK_IDLE_SECONDS": f"{settings_form.IDLE_RANGE[0]}–{settings_form.IDLE_RANGE[1]} 秒；到时先提示 10 秒。",
    "KIOSK_SCREEN_ROTATION": "按显示器的安装方向选；画面和触摸一起转。保存后屏幕会重新启动，约 10 秒。",
    "KIOSK_OPEN_HOURS": "按北京时间。开放时间以外展示屏幕变黑，到点自动亮起；留空表示全天开放。"
    "例如 08:30-17:30，或两段 08:30-12:00,13:30-17:30。",
    "KIOSK_CENTRAL_URL": "联网同步用；不联网的场馆可不填，用U盘带回数据。",
    "KIOSK_CENTRAL_TOKEN": "由中央系统发给本机；保存后不再显示。",
}


def source_text(name):
    """Return where a setting's value comes from, as staff read it."""
    source = settings.source_of(current_app, name)
    if source == "env":
        return f"由环境变量 {name} 设定"
    if source == "toml":
        return f"由 instance/kiosk.toml 设定（{settings.BY_NAME[name].key}）"
    if source == "code":
        return "由启动程序设定"
    if source == "page":
        return "在本页设定"
    return "首次启动时生成" if name == "KIOSK_ID" else "默认值"


def shown_value(name):
    """Return a setting's value as the form shows it (never the token)."""
    value = current_app.config.get(name)
    return "" if value is None or name == settings_store.TOKEN else str(value)


def fields(typed=None, errors=None):
    """Return the form's fields: label, value (what was typed, after an error), where it comes from, error, and
    whether it is the first in error (it takes the caret, so staff land on it)."""
    typed, errors = typed or {}, errors or {}
    first = next((name for name in settings_store.PAGE_SETTINGS if name in errors), None)
    return [
        {
            "name": name,
            "field": settings_form.field(name),
            "label": LABELS[name],
            "note": NOTES[name],
            "value": typed.get(name, shown_value(name)),
            "source": source_text(name),
            "fixed": settings.is_fixed(current_app, name),
            "error": errors.get(name),
            "first": name == first,
        }
        for name in settings_store.PAGE_SETTINGS
    ]


def context(typed=None, errors=None, pin_errors=None):
    """Return what the settings page shows."""
    url = public_url(current_app.config)
    return {
        "fields": {f["name"]: f for f in fields(typed, errors)},
        "test_url": url,
        "phones_qr": qr_svg(url + "/"),
        "lan": lan_address(),
        "rotations": [(d, rotation.NAMES[d]) for d in rotation.ROTATIONS],
        "token_set": bool(current_app.config.get(settings_store.TOKEN)),
        "errors": errors or {},
        "pin_errors": pin_errors or {},
    }


def fixed():
    """Return the settings of the page the environment or kiosk.toml fixes, with where."""
    return {name: source_text(name) for name in settings_store.PAGE_SETTINGS if settings.is_fixed(current_app, name)}


@bp.get("/")
@staff_required
def page():
    """Show the settings, where each comes from, and the test QR code of the address phones use."""
    return render_template("staff/settings.html", **context())


@bp.post("/")
@staff_required
def save():
    """Check and save the settings staff typed; they apply at once. Errors stay next to their fields."""
    values, typed, errors = settings_form.read(request.form, current_app.config, fixed())
    if errors:
        wrong = "、".join(LABELS[n] for n in settings_store.PAGE_SETTINGS if n in errors)
        flash_text = f"没有保存：{wrong}填写有误，请按红字改正后再点“保存设置”。"
        return render_template("staff/settings.html", **context(typed, errors), notice=flash_text), 400
    changed = {n: v for n, v in values.items() if n == settings_store.TOKEN or current_app.config.get(n) != v}
    if changed:
        settings_store.save(current_app._get_current_object(), get_db(), changed)
        names = "、".join(LABELS[n] for n in settings_store.PAGE_SETTINGS if n in changed)
        turned = "屏幕会自己重新启动，约 10 秒后按新方向显示；" if "KIOSK_SCREEN_ROTATION" in changed else ""
        flash(f"已保存：{names}。{turned}已立即生效，无需重启。", "info")
    else:
        flash("没有改动。", "info")
    return redirect(url_for("settings_page.page"))


def check_pin_change(form, hashed):
    """Return the errors of a PIN change by field, or {} when the new PIN may be saved."""
    current, new, again = (form.get(k, "").strip() for k in ("current_pin", "new_pin", "new_pin_again"))
    address = request.remote_addr or "?"
    left = failures().locked_for(address, now())
    if left:
        return {"current_pin": f"PIN 输错次数过多，请{wait_text(left)}后再试。"}
    with PIN_CHECK:
        right = bool(PIN_PATTERN.fullmatch(current)) and check_password_hash(hashed, current)
    if not right:
        config = current_app.config
        failures().fail(address, now(), config["KIOSK_STAFF_MAX_FAILURES"], config["KIOSK_STAFF_LOCKOUT_MINUTES"] * 60)
        return {"current_pin": "当前 PIN 不正确。"}
    if not PIN_PATTERN.fullmatch(new):
        return {"new_pin": "新 PIN 须为 4–12 位数字。"}
    if again != new:
        return {"new_pin_again": "两次输入的新 PIN 不一致。"}
    return {}


@bp.post("/pin")
@staff_required
def change_pin():
    """Change the staff PIN: the current one first; every other session ends, this one goes on."""
    db = get_db()
    errors = check_pin_change(request.form, pin_hash(db))
    if errors:
        return render_template("staff/settings.html", **context(pin_errors=errors)), 400
    save_pin(db, request.form["new_pin"].strip())
    failures().succeed(request.remote_addr or "?")
    sessions().end(session.get(STAFF_SESSION))
    session[STAFF_SESSION] = sessions().begin(pin_stamp(pin_hash(db)), now(), idle_limit())
    flash("新 PIN 已保存。其他已登录的设备都已退出，需用新 PIN 重新登录。", "info")
    return redirect(url_for("settings_page.page"))


def init_app(app):
    """Apply what staff set on this page at start."""
    settings_store.init_app(app)
