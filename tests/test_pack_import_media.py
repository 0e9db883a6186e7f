"""Media in a pack: paths and links refused, bytes checked for what their list says, guideline warnings, derivatives."""

import io
import os
import shutil
import struct

import pytest
from PIL import Image

from kiosk.media.probe import probe_mp4
from kiosk.media.store import MediaStore, file_sha256
from tests.pack_runs import edit_pack, has, imported, query, refused, shown, warnings
from tests.packs import FIXTURES, photo


def edit(folder, change):
    """Apply change(first achievement) to the pack.json in folder."""
    edit_pack(folder, lambda pack: change(pack["achievements"][0]))


def expect_refused(app, folder, field, fragment):
    """Import, expect a refusal naming (A1, field, …fragment…), and an empty kiosk."""
    found = refused(app, folder)
    assert has(found, "A1", field, fragment), found
    assert shown(app) == ({}, [])
    return found


def jpeg_bytes(size=(64, 48)):
    """Return the bytes of a small valid JPEG."""
    out = io.BytesIO()
    Image.new("RGB", size, "green").save(out, "JPEG")
    return out.getvalue()


def patched_mp4(dest, duration=None, size=None):
    """Copy faststart.mp4 to dest, rewriting the movie duration (seconds) and/or the video track size."""
    data = bytearray((FIXTURES / "faststart.mp4").read_bytes())
    if duration is not None:
        mvhd = data.index(b"mvhd") + 4
        assert data[mvhd] == 0, "version 0 mvhd expected"
        timescale = struct.unpack_from(">I", data, mvhd + 12)[0]
        struct.pack_into(">I", data, mvhd + 16, timescale * duration)
    if size is not None:
        tkhd = -1
        while (tkhd := data.find(b"tkhd", tkhd + 1)) >= 0:
            at = tkhd + 4 + 76
            if struct.unpack_from(">I", data, at)[0]:
                struct.pack_into(">II", data, at, size[0] << 16, size[1] << 16)
    dest.write_bytes(data)
    return dest


# --- paths and links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, index, sub, path, fragment",
    [
        ("photos", 0, "file", "/etc/hostname", "不允许绝对路径"),
        ("photos", 0, "file", "C:/photo.jpg", "不允许绝对路径"),
        ("photos", 0, "file", "../outside.jpg", "不允许包含 .."),
        ("photos", 1, "file", "A1/../A1/photo-1.jpg", "不允许包含 .."),
        ("photos", 0, "file", "A1\\photo-1.jpg", "须用 / 分隔"),
        ("photos", 2, "file", "", "文件路径"),
        ("photos", 0, "file", "A1/nope.jpg", "没有这个文件：A1/nope.jpg"),
        ("photos", 0, "file", "A1", "没有这个文件"),
        ("photos", 0, "file", "a1/photo-1.jpg", "没有这个文件"),
        ("videos", 0, "file", "A1/nope.mp4", "没有这个文件"),
        ("videos", 0, "poster", "/tmp/poster.jpg", "不允许绝对路径"),
        ("videos", 0, "poster", "A1/poster.jpg", "没有这个文件"),
        ("audio", 0, "file", "../outside.mp3", "不允许包含 .."),
        ("audio", 0, "file", "A1/nope.mp3", "没有这个文件"),
    ],
    ids=lambda v: repr(v)[:24],
)
def test_bad_media_path(app, pack_dir, key, index, sub, path, fragment):
    shutil.copy(pack_dir / "A1" / "photo-1.jpg", pack_dir.parent / "outside.jpg")
    shutil.copy(FIXTURES / "tone.mp3", pack_dir.parent / "outside.mp3")
    edit(pack_dir, lambda a: a[key][index].update({sub: path}))
    expect_refused(app, pack_dir, f"{key}[{index}].{sub}", fragment)


def test_symlinked_file_in_pack_folder_is_refused(app, pack_dir, tmp_path):
    photo(tmp_path / "elsewhere.jpg")
    (pack_dir / "A1" / "photo-2.jpg").unlink()
    os.symlink(tmp_path / "elsewhere.jpg", pack_dir / "A1" / "photo-2.jpg")
    found = refused(app, pack_dir)
    assert has(found, "pack.json", "A1/photo-2.jpg", "不允许符号链接")
    assert shown(app) == ({}, [])


def test_unreferenced_symlink_is_refused_too(app, pack_dir):
    os.symlink("/etc/passwd", pack_dir / "notes.txt")
    assert has(refused(app, pack_dir), "pack.json", "notes.txt", "不允许符号链接")


def test_symlinked_folder_is_refused(app, pack_dir, tmp_path):
    shutil.move(pack_dir / "A1", tmp_path / "A1-real")
    os.symlink(tmp_path / "A1-real", pack_dir / "A1")
    assert has(refused(app, pack_dir), "pack.json", "A1", "不允许符号链接")


def test_symlinked_wrapping_folder_is_refused(app, pack_dir, tmp_path):
    (tmp_path / "given").mkdir()
    os.symlink(pack_dir, tmp_path / "given" / "pack")
    assert has(refused(app, tmp_path / "given"), "pack.json", "pack", "不允许符号链接")


def test_folder_wrapped_in_one_top_folder_imports(app, pack_dir, tmp_path):
    (tmp_path / "usb").mkdir()
    shutil.move(pack_dir, tmp_path / "usb" / "天津2024")
    imported(app, tmp_path / "usb")


def test_missing_source_is_refused(app, tmp_path):
    assert has(refused(app, tmp_path / "nowhere"), "pack.json", str(tmp_path / "nowhere"), "找不到内容包")


# --- bytes that are not what their list says ------------------------------------------------------------

MP4 = (FIXTURES / "faststart.mp4").read_bytes()
MP3 = (FIXTURES / "tone.mp3").read_bytes()


@pytest.mark.parametrize(
    "name, content, field, fragment",
    [
        ("photo-2.jpg", "这不是图片".encode(), "photos[1].file", "不是可解码的图片"),
        ("photo-2.jpg", b"", "photos[1].file", "不是可解码的图片"),
        ("photo-2.jpg", MP4, "photos[1].file", "不是可解码的图片"),
        ("photo-2.jpg", "half", "photos[1].file", "文件不完整"),
        ("photo-2.jpg", "no-end", "photos[1].file", "文件不完整"),
        ("video.mp4", jpeg_bytes(), "videos[0].file", "不是 MP4 文件"),
        ("video.mp4", MP3, "videos[0].file", "不是 MP4 文件"),
        ("video.mp4", b"", "videos[0].file", "文件为空"),
        ("video.mp4", MP4[: len(MP4) // 2], "videos[0].file", "文件不完整"),
        ("video.mp4", MP4[:-100], "videos[0].file", "文件不完整"),
        ("talk.mp3", jpeg_bytes(), "audio[0].file", "不是 MP3 文件"),
        ("talk.mp3", MP4, "audio[0].file", "不是 MP3 文件"),
        ("talk.mp3", MP3[: len(MP3) * 3 // 5], "audio[0].file", "文件不完整"),
        ("talk.mp3", b"", "audio[0].file", "文件为空"),
    ],
    ids=lambda v: repr(v)[:20] if not isinstance(v, bytes) else f"{len(v)}B",
)
def test_media_bytes_not_what_the_list_says(app, pack_dir, name, content, field, fragment):
    target = pack_dir / "A1" / name
    if content in ("half", "no-end"):
        photo(target, size=(800, 600))
        data = target.read_bytes()
        content = data[: len(data) // 2] if content == "half" else data[:-2]
    target.write_bytes(content)
    expect_refused(app, pack_dir, field, fragment)


def test_truncated_png_is_refused(app, pack_dir):
    data = photo(pack_dir / "A1" / "photo-3.png", fmt="PNG").read_bytes()
    (pack_dir / "A1" / "photo-3.png").write_bytes(data[: len(data) // 2])
    edit(pack_dir, lambda a: a["photos"][2].update(file="A1/photo-3.png"))
    expect_refused(app, pack_dir, "photos[2].file", "文件不完整")


def test_poster_that_is_not_an_image_is_refused(app, pack_dir):
    edit(pack_dir, lambda a: a["videos"][0].update(poster="A1/talk.mp3"))
    expect_refused(app, pack_dir, "videos[0].poster", "不是可解码的图片")


def test_every_reference_to_a_bad_file_is_named(app, pack_dir):
    (pack_dir / "A1" / "photo-1.jpg").write_bytes(b"not a photo")
    found = expect_refused(app, pack_dir, "photos[0].file", "不是可解码的图片")
    assert has(found, "A1", "videos[0].poster", "不是可解码的图片")


# --- guideline warnings (imported) ----------------------------------------------------------------------


def warned(app, folder):
    """Import, expect success, and return its warnings about A1."""
    return [p for p in warnings(imported(app, folder)) if p[0] == "A1"]


@pytest.mark.parametrize("count", [1, 2])
def test_fewer_than_three_photos(app, pack_dir, count):
    edit(pack_dir, lambda a: a.update(photos=a["photos"][:count]))
    assert has(warned(app, pack_dir), "A1", "photos", f"成果照片少于 3 张（现为 {count} 张）")
    assert query(app, "SELECT COUNT(*) FROM achievement_media WHERE kind = 'photo'") == [(count,)]


def test_three_photos_earn_no_count_warning(app, pack_dir):
    assert not any(field == "photos" for _, field, _ in warned(app, pack_dir))


@pytest.mark.parametrize(
    "dpi, fragment",
    [((72, 72), "低于 300 dpi（72）"), ((299, 299), "低于 300 dpi（299）"), (None, "低于 300 dpi（未标注）")],
)
def test_photo_under_300_dpi(app, pack_dir, dpi, fragment):
    path = pack_dir / "A1" / "photo-2.jpg"
    if dpi:
        photo(path, size=(320, 240), dpi=dpi)
    else:
        Image.new("RGB", (320, 240), "olive").save(path, "JPEG")
    assert has(warned(app, pack_dir), "A1", "photos[1].file", fragment)


def noisy_jpeg(path, size):
    """Write an incompressible 300 dpi JPEG (about 4 bytes a pixel at quality 100)."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(
        path, "JPEG", quality=100, subsampling=0, dpi=(300, 300)
    )
    return path.stat().st_size


def size_warnings(found, field):
    """Return the size warnings for one photo field."""
    return [reason for _, f, reason in found if f == field and "MB" in reason]


def test_photo_size_guidelines(app, pack_dir):
    assert 10_000_000 < noisy_jpeg(pack_dir / "A1" / "photo-2.jpg", (2000, 1700))
    assert 1_000_000 < noisy_jpeg(pack_dir / "A1" / "photo-3.jpg", (600, 500)) < 10_000_000
    found = warned(app, pack_dir)
    assert [w[:9] for w in size_warnings(found, "photos[0].file")] == ["照片小于 1 MB"]
    assert [w[:10] for w in size_warnings(found, "photos[1].file")] == ["照片大于 10 MB"]
    assert size_warnings(found, "photos[2].file") == []
    assert not any("dpi" in reason for _, _, reason in found)


def test_png_photo_is_imported_with_a_warning(app, client, pack_dir):
    Image.new("RGBA", (320, 240), (255, 0, 0, 0)).save(pack_dir / "A1" / "photo-2.png", dpi=(300, 300))
    edit(pack_dir, lambda a: a["photos"][1].update(file="A1/photo-2.png"))
    found = warned(app, pack_dir)
    assert has(found, "A1", "photos[1].file", "照片不是 JPEG 格式（PNG），已导入")
    original = client.get("/media/test-pack/A1/photo-2.png")
    assert original.status_code == 200 and original.mimetype == "image/png"
    screen = client.get("/media/test-pack/A1/photo-2.png?size=screen")
    assert screen.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(screen.data)).mode == "RGB"


def test_mpo_photo_counts_as_jpeg(app, pack_dir):
    path = pack_dir / "A1" / "photo-2.jpg"
    Image.new("RGB", (320, 240), "red").save(
        path, "MPO", save_all=True, dpi=(300, 300), append_images=[Image.new("RGB", (320, 240), "blue")]
    )
    with Image.open(path) as image:
        assert image.format == "MPO"
    assert not any("JPEG" in reason for _, _, reason in warned(app, pack_dir))
    assert query(app, "SELECT DISTINCT mime FROM media_files WHERE kind = 'image'") == [("image/jpeg",)]


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda dest: shutil.copy(FIXTURES / "faststart.mp4", dest), "视频不是 1920×1080（320×180）"),
        (lambda dest: shutil.copy(FIXTURES / "hevc.mp4", dest), "视频编码不是 H.264（hevc）"),
        (lambda dest: shutil.copy(FIXTURES / "not-faststart.mp4", dest), "moov 在 mdat 之后"),
        (lambda dest: patched_mp4(dest, duration=301), "视频长于 5 分钟（5.0 分钟）"),
    ],
    ids=["size", "hevc", "not-faststart", "long"],
)
def test_video_guidelines(app, pack_dir, make, fragment):
    make(pack_dir / "A1" / "video.mp4")
    assert has(warned(app, pack_dir), "A1", "videos[0].file", fragment)


def test_video_that_meets_every_guideline_earns_no_warning(app, pack_dir):
    facts = probe_mp4(patched_mp4(pack_dir / "A1" / "video.mp4", duration=300, size=(1920, 1080)))
    assert (facts["width"], facts["height"], facts["duration"]) == (1920, 1080, 300)
    assert not any(field.startswith("videos") for _, field, _ in warned(app, pack_dir))


@pytest.mark.parametrize("transcript", [None, "", "   \n"], ids=["absent", "empty", "blank"])
def test_audio_without_transcript(app, pack_dir, transcript):
    def change(a):
        a["audio"][0].pop("transcript")
        if transcript is not None:
            a["audio"][0]["transcript"] = transcript

    edit(pack_dir, change)
    assert has(warned(app, pack_dir), "A1", "audio[0].transcript", "没有讲解文字")


# --- derivatives ----------------------------------------------------------------------------------------


def derivative(app, source, variant):
    """Return the stored derivative of a pack photo, decoded."""
    with Image.open(MediaStore(app.instance_path).derived(file_sha256(source), variant)) as image:
        return image.copy()


def test_exif_orientation_6_is_upright_in_the_derivatives(app, pack_dir):
    exif = Image.Exif()
    exif[0x0112] = 6
    path = pack_dir / "A1" / "photo-2.jpg"
    Image.new("RGB", (1600, 1200), "navy").save(path, "JPEG", exif=exif.tobytes(), dpi=(300, 300))
    imported(app, pack_dir)
    assert derivative(app, path, "screen").size == (1200, 1600)
    assert derivative(app, path, "thumb").size == (360, 480)


def test_cmyk_jpeg_becomes_rgb(app, pack_dir):
    path = pack_dir / "A1" / "photo-2.jpg"
    Image.new("CMYK", (640, 480), (0, 255, 255, 0)).save(path, "JPEG", dpi=(300, 300))
    imported(app, pack_dir)
    for variant in ("screen", "thumb"):
        image = derivative(app, path, variant)
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((10, 10))
        assert red > 200 and green < 60 and blue < 60


def test_large_photo_gets_screen_and_thumb_sizes(app, client, pack_dir):
    path = photo(pack_dir / "A1" / "photo-2.jpg", size=(4000, 3000))
    imported(app, pack_dir)
    assert derivative(app, path, "screen").size == (1920, 1440)
    assert derivative(app, path, "thumb").size == (480, 360)
    served = client.get("/media/test-pack/A1/photo-2.jpg?size=screen")
    assert served.status_code == 200 and Image.open(io.BytesIO(served.data)).size == (1920, 1440)
    assert client.get("/media/test-pack/A1/photo-2.jpg").data == path.read_bytes()


def test_a_camera_photo_is_decoded_at_the_smallest_scale_that_still_fills_the_screen(tmp_path):
    from PIL import Image

    from kiosk.media.photos import _open_for_screen

    path = tmp_path / "camera.jpg"
    Image.new("RGB", (4000, 3000), (90, 120, 150)).save(path, "JPEG", quality=90)
    image, facts = _open_for_screen(path, 1920)
    assert image.size == (2000, 1500)  # libjpeg's half scale: still ≥ 1920 on the long side
    assert (facts["width"], facts["height"]) == (4000, 3000)
