"""The favicon, the health answer and error pages a person's browser tab gets, through Flask's client."""

import io

from PIL import Image

NAVIGATION = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_favicon_is_the_brand_mark_and_every_page_links_it(demo_client):
    response = demo_client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/x-icon"
    icon = Image.open(io.BytesIO(response.data))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    icon.size = (32, 32)
    red, green, _ = icon.convert("RGB").getpixel((3, 16))
    assert red > 150 and green < 80, "the red disc"
    assert '<link rel="icon" href="/favicon.ico"' in demo_client.get("/").get_data(as_text=True)


def test_health_answers_without_being_cached(client):
    response = client.get("/health")
    assert response.status_code == 200 and response.data == b"ok" and response.headers["Cache-Control"] == "no-store"


def test_a_missing_media_url_opened_in_a_tab_gets_the_chinese_page_with_a_way_home(demo_client):
    response = demo_client.get("/media/nope", headers=NAVIGATION)
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "找不到这个页面" in html and "返回首页" in html and 'href="/"' in html and "kiosk.css" in html


def test_a_missing_media_file_asked_by_a_player_or_an_image_gets_a_short_answer(demo_client):
    for headers in ({"Accept": "*/*", "Range": "bytes=0-"}, {"Accept": "image/avif,image/webp,*/*;q=0.8"}, {}):
        response = demo_client.get("/media/nope/photo.jpg", headers=headers)
        assert response.status_code == 404 and response.mimetype == "text/plain", headers
        assert response.get_data(as_text=True) == "找不到这个页面"
    ranged = demo_client.get("/media/nope/a.mp4", headers={**NAVIGATION, "Range": "bytes=0-"})
    assert ranged.mimetype == "text/plain"
