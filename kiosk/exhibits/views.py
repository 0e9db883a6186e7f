"""The visitor's screens: the attract loop, home with search and filters, an achievement's detail and captions."""

from flask import Blueprint, abort, current_app, render_template, request

from kiosk.appliance import heartbeat
from kiosk.catalogue import achievements as catalogue
from kiosk.catalogue.vocabulary import CATEGORIES, KINDS
from kiosk.db import get_db
from kiosk.exhibits import captions, usage
from kiosk.media.store import MediaStore
from kiosk.web.htmx import wants_part
from kiosk.web.lan import public_url
from kiosk.web.page_cache import cached_page
from kiosk.web.qr import qr_svg
from kiosk.web.screen import is_kiosk_screen, mark_kiosk_screen

bp = Blueprint("exhibits", __name__)
bp.add_app_template_filter(captions.sentences, "sentences")


@bp.get("/")
@cached_page(vary=is_kiosk_screen)
def home():
    """Show the winners grouped by award, with search and filters; a fragment for htmx."""
    query = request.args.get("q", "").strip()[:40]
    kind, category = request.args.get("kind"), request.args.get("category")
    found = catalogue.list_achievements(get_db(), query, kind, category)
    context = {
        "groups": catalogue.group_by_award(found),
        "count": len(found),
        "q": query,
        "kind": kind if kind in KINDS else None,
        "category": category if category in CATEGORIES else None,
        "kinds": KINDS,
        "categories": CATEGORIES,
    }
    if wants_part("results"):
        return render_template("exhibits/_results.html", **context)
    return render_template("exhibits/home.html", **context)


@bp.get("/a/<achievement_id>")
@cached_page(vary=is_kiosk_screen)
def detail(achievement_id):
    """Show every field of one achievement, its photos, video, audio, a QR code and its neighbours in award order."""
    a = catalogue.get_achievement(get_db(), MediaStore(current_app.instance_path), achievement_id)
    if a is None:
        abort(404)
    page_url = public_url(current_app.config) + request.path
    previous, following = catalogue.neighbours(get_db(), a["id"])
    return render_template(
        "exhibits/detail.html", a=a, qr=qr_svg(page_url), page_url=page_url, previous=previous, following=following
    )


@bp.after_app_request
def count_detail_view(response):
    """Count a shown detail page (cached or not) as a detail_view of its achievement."""
    if request.endpoint == "exhibits.detail" and response.status_code == 200 and request.method == "GET":
        usage.count_visit("detail_view", request.view_args["achievement_id"])
    return response


@bp.get("/attract")
def attract():
    """Show the full-screen loop of the winners (a black screen outside the opening hours); marks this browser as
    the kiosk screen."""
    state = heartbeat.screen_state_now()
    if not state["open"]:
        return mark_kiosk_screen(current_app.make_response(render_template("exhibits/closed.html", state=state)))
    slides = catalogue.attract_slides(get_db(), MediaStore(current_app.instance_path))
    return mark_kiosk_screen(current_app.make_response(render_template("exhibits/attract.html", slides=slides)))


@bp.get("/a/<achievement_id>/<any(audio, video):kind>/<int:number>/captions.vtt")
def clip_captions(achievement_id, kind, number):
    """Send the captions of an achievement's audio or video clip (1-based), timed from its transcript."""
    a = catalogue.get_achievement(get_db(), MediaStore(current_app.instance_path), achievement_id)
    clips = (a or {}).get("videos" if kind == "video" else "audio", [])
    clip = clips[number - 1] if 0 < number <= len(clips) else None
    if clip is None or not clip.transcript or not clip.duration:
        abort(404)
    body = captions.webvtt(clip.transcript, clip.duration)
    return body, {"Content-Type": "text/vtt; charset=utf-8", "Cache-Control": "no-cache"}
