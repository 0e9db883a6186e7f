"""Serving media: Range (206, 416), Accept-Ranges, ETag and 304, Cache-Control, confinement to the store."""

import pytest

from kiosk.packs.library import run_import
from tests.packs import FIXTURES, make_pack

VIDEO = "/media/test-pack/A1/video.mp4"


@pytest.fixture
def media_client(app, tmp_path):
    """Return a client over a kiosk with one small pack installed."""
    make_pack(tmp_path / "pack")
    with app.app_context():
        assert run_import(tmp_path / "pack").ok
    return app.test_client()


def test_full_file_with_validators(media_client):
    original = (FIXTURES / "faststart.mp4").read_bytes()
    response = media_client.get(VIDEO)
    assert response.status_code == 200 and response.data == original
    assert response.headers["Content-Type"] == "video/mp4"
    assert response.headers["Accept-Ranges"] == "bytes"
    assert response.headers["Content-Length"] == str(len(original))
    assert response.headers["ETag"].startswith('"') and len(response.headers["ETag"]) == 66
    assert "max-age=" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "header, start, stop", [("bytes=0-99", 0, 100), ("bytes=1000-", 1000, None), ("bytes=-100", -100, None)]
)
def test_range_gives_206_with_exact_bytes(media_client, header, start, stop):
    original = (FIXTURES / "faststart.mp4").read_bytes()
    response = media_client.get(VIDEO, headers={"Range": header})
    expected = original[start:stop]
    assert response.status_code == 206 and response.data == expected
    first = start if start >= 0 else len(original) + start
    assert response.headers["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{len(original)}"
    assert response.headers["Content-Length"] == str(len(expected))


def test_unsatisfiable_range_gives_416(media_client):
    size = (FIXTURES / "faststart.mp4").stat().st_size
    response = media_client.get(VIDEO, headers={"Range": f"bytes={size + 10}-"})
    assert response.status_code == 416 and response.headers["Content-Range"] == f"bytes */{size}"


def test_if_none_match_gives_304_and_if_range_mismatch_gives_200(media_client):
    etag = media_client.get(VIDEO).headers["ETag"]
    assert media_client.get(VIDEO, headers={"If-None-Match": etag}).status_code == 304
    assert media_client.get(VIDEO, headers={"Range": "bytes=0-9", "If-Range": etag}).status_code == 206
    assert media_client.get(VIDEO, headers={"Range": "bytes=0-9", "If-Range": '"other"'}).status_code == 200


def test_photo_derivatives_are_jpeg_and_bounded(media_client):
    from io import BytesIO

    from PIL import Image

    for size, longest in (("screen", 1920), ("thumb", 480)):
        response = media_client.get(f"/media/test-pack/A1/photo-1.jpg?size={size}")
        assert response.status_code == 200 and response.headers["Content-Type"] == "image/jpeg"
        assert max(Image.open(BytesIO(response.data)).size) <= longest
    assert media_client.get("/media/test-pack/A1/photo-1.jpg?size=huge").status_code == 404
    assert media_client.get(f"{VIDEO}?size=thumb").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/test-pack/../../etc/passwd",
        "/media/test-pack/..%2f..%2fetc%2fpasswd",
        "/media/test-pack/%2e%2e/pack.json",
        "/media/test-pack/pack.json",
        "/media/test-pack//etc/passwd",
        "/media/other/A1/video.mp4",
        "/media/test-pack/A1/../A1/video.mp4x",
        "/media/..%5c..%5cwindows",
        "/media/test-pack/A1%00/video.mp4",
    ],
)
def test_paths_outside_the_pack_files_are_404(media_client, path):
    response = media_client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert response.request.path.startswith("/media/")
    assert b"root:" not in response.data


def test_head_request_has_headers_and_no_body(media_client):
    response = media_client.head(VIDEO)
    assert response.status_code == 200 and response.data == b""
    assert response.headers["Accept-Ranges"] == "bytes"
