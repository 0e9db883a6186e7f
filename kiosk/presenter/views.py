"""Presenter mode's pages: /present on the kiosk screen, /remote on the presenter's phone, and their JSON."""

import json

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, session, url_for

from kiosk.catalogue.achievements import get_achievement
from kiosk.db import get_db
from kiosk.media.store import MediaStore
from kiosk.presenter import playlists
from kiosk.presenter.state import NotAllowed, Presentation
from kiosk.web.lan import public_url
from kiosk.web.qr import qr_svg
from kiosk.web.screen import is_kiosk_screen

bp = Blueprint("presenter", __name__)
EXTENSION = "kiosk.presentation"
TOKEN = "presenter_token"
KEYS = {"next", "previous", "blackout", "freeze"}


def presentation():
    """Return this kiosk's presentation (one per process)."""
    return current_app.extensions.setdefault(EXTENSION, Presentation())


def screen_only():
    """Refuse a browser that is not the kiosk's own screen."""
    if not is_kiosk_screen():
        abort(403)


def winners(ids):
    """Return the achievements of these ids, in order."""
    store = MediaStore(current_app.instance_path)
    found = [get_achievement(get_db(), store, i) for i in ids]
    return [a for a in found if a is not None]


@bp.get("/present")
def present():
    """Show the big-screen view of a 路演, starting one over the event's playlist if none runs."""
    screen_only()
    show = presentation()
    if not show.active:
        show.start(playlists.load(get_db(), current_app.config["KIOSK_EVENT_ID"]))
    remote_url = public_url(current_app.config) + url_for("presenter.remote")
    return render_template(
        "presenter/present.html", winners=winners(show.playlist), qr=qr_svg(remote_url), remote_url=remote_url
    )


@bp.get("/present/state")
def screen_state():
    """Answer the state for the big screen, its pairing code included."""
    screen_only()
    show = presentation()
    data = show.view()
    data["code"] = show.code
    return jsonify(data)


@bp.post("/present/key")
def screen_key():
    """Apply a key of the kiosk's keyboard or clicker: next, previous, blackout, freeze."""
    screen_only()
    action = request.form.get("action", "")
    if action in KEYS:
        presentation().key(action)
    return jsonify(presentation().view())


@bp.post("/present/end")
def end():
    """End the 路演 from the kiosk screen and give the kiosk back to visitors."""
    screen_only()
    presentation().end()
    return redirect(url_for("exhibits.attract"))


@bp.get("/remote")
def remote():
    """The presenter's phone: the code entry until paired, then the controls, thumbnails and notes."""
    show = presentation()
    token = session.get(TOKEN)
    if not show.active or token not in show.phones:
        return render_template("presenter/pair.html", active=show.active, error=None)
    in_list = set(show.playlist)
    everyone = show.playlist + [i for i in playlists.winners_in_award_order(get_db()) if i not in in_list]
    return render_template(
        "presenter/remote.html",
        winners=winners(show.playlist),
        everyone=winners(everyone),
        in_list=in_list,
        state=show.view(token),
    )


@bp.post("/remote/pair")
def pair():
    """Pair this phone with the code the big screen shows."""
    show = presentation()
    try:
        session[TOKEN] = show.pair(request.form.get("code", ""), request.remote_addr or "")
    except NotAllowed as e:
        return render_template("presenter/pair.html", active=show.active, error=str(e)), 403
    return redirect(url_for("presenter.remote"))


def phone_view():
    """Return the state for this phone, or refuse a phone that is not paired."""
    show = presentation()
    token = session.get(TOKEN)
    if not show.active or token not in show.phones:
        return None
    return show.view(token)


@bp.get("/remote/state")
def phone_state():
    """Answer the state for a paired phone; an unpaired phone learns nothing."""
    data = phone_view()
    if data is None:
        return jsonify(error="这台手机还没有配对，请输入大屏幕上的配对码。", paired=False), 403
    return jsonify(data)


@bp.post("/remote/command")
def command():
    """Apply a numbered command from the controlling phone; answer the state it leads to."""
    try:
        seq = int(request.form.get("seq", ""))
        raw = request.form.get("value")
        value = json.loads(raw) if raw else None
    except ValueError:
        return jsonify(error="命令格式不对。"), 400
    try:
        applied = presentation().command(session.get(TOKEN), seq, request.form.get("action", ""), value)
    except NotAllowed as e:
        return jsonify(error=str(e)), 403
    return jsonify(applied=applied, **presentation().view(session.get(TOKEN)))


@bp.post("/remote/handover")
def handover():
    """Give control to another paired phone."""
    try:
        presentation().hand_over(session.get(TOKEN), request.form.get("to", ""))
    except NotAllowed as e:
        return jsonify(error=str(e)), 403
    return jsonify(presentation().view(session.get(TOKEN)))


@bp.post("/remote/playlist")
def playlist():
    """Keep the event's playlist as the controlling phone ordered it, and run the 路演 over it from its start."""
    show = presentation()
    token = session.get(TOKEN)
    if not show.active or token != show.controller:
        return jsonify(error="只有正在控制的手机能改节目单。"), 403
    ids = request.form.getlist("id")
    if not ids:
        return jsonify(error="节目单里至少要有一项成果。"), 400
    show.set_playlist(token, playlists.save(get_db(), current_app.config["KIOSK_EVENT_ID"], ids))
    return jsonify(show.view(token))
