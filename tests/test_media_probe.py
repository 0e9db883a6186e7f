"""Tests for kiosk.media_probe against the ffmpeg-made fixtures (see fixtures/make_media_fixtures.sh)."""

import struct
import time
from pathlib import Path

import pytest

from kiosk.media.probe import ProbeError, probe_mp3, probe_mp4

MEDIA = Path(__file__).parent / "fixtures" / "media"
TRUNCATED = "文件不完整（被截断）"
MP4S = ["faststart.mp4", "not-faststart.mp4", "hevc.mp4"]
MP3S = ["tone.mp3", "tone-cbr-noid3.mp3", "tone-id3v1.mp3", "tone-22k-mono.mp3"]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8 + b"\xff\xd9"


def _write(tmp_path, name, data):
    """Write data to tmp_path/name and return the path."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _top_boxes(data):
    """Return {type: (offset, size)} of an MP4's top-level boxes."""
    boxes, pos = {}, 0
    while pos < len(data):
        size, typ = struct.unpack_from(">I4s", data, pos)
        boxes.setdefault(typ, (pos, size))
        pos += size
    return boxes


def _box(typ, *payload):
    """Build one ISO-BMFF box."""
    body = b"".join(payload)
    return struct.pack(">I4s", 8 + len(body), typ) + body


def _synthetic_mp4(mdat_payload=b"\0" * 1000, large_mdat=False):
    """Build an MP4 with version-1 mvhd/tkhd, a co64 table and optionally a 64-bit mdat header."""
    ftyp = _box(b"ftyp", b"isom\0\0\2\0isomiso2")
    mvhd = _box(b"mvhd", b"\1\0\0\0", bytes(16), struct.pack(">IQ", 1000, 7500), bytes(80))
    tkhd = _box(b"tkhd", b"\1\0\0\7", bytes(32), bytes(16), bytes(36), struct.pack(">II", 1920 << 16, 1080 << 16))
    hdlr = _box(b"hdlr", bytes(8), b"vide", bytes(12), b"\0")
    entry = struct.pack(">I4s", 86, b"avc1") + bytes(24) + struct.pack(">HH", 1920, 1080) + bytes(50)
    stsd = _box(b"stsd", bytes(4), struct.pack(">I", 1), entry)
    stsc = _box(b"stsc", bytes(4), struct.pack(">IIII", 1, 1, 10, 1))
    stsz = _box(b"stsz", bytes(4), struct.pack(">II", 100, 10))

    def build(chunk_offset):
        co64 = _box(b"co64", bytes(4), struct.pack(">IQ", 1, chunk_offset))
        stbl = _box(b"stbl", stsd, stsc, stsz, co64)
        trak = _box(b"trak", tkhd, _box(b"mdia", hdlr, _box(b"minf", stbl)))
        return _box(b"moov", mvhd, trak)

    head_len = 16 if large_mdat else 8
    offset = len(ftyp) + len(build(0)) + head_len
    mdat_head = (
        struct.pack(">I4sQ", 1, b"mdat", 16 + len(mdat_payload))
        if large_mdat
        else struct.pack(">I4s", 8 + len(mdat_payload), b"mdat")
    )
    return ftyp + build(offset) + mdat_head + mdat_payload


def _mp3_frame_offsets(data):
    """Return the frame offsets of the 44.1 kHz 64 kbps MPEG-1 fixtures (208 bytes, +1 when padded)."""
    pos = 0
    if data[:3] == b"ID3":
        pos = 10 + ((data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9])
    offsets = []
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        offsets.append(pos)
        pos += 208 + ((data[pos + 2] >> 1) & 1)
    return offsets


# --- MP4 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, codec, audio, faststart",
    [
        ("faststart.mp4", "h264", "aac", True),
        ("not-faststart.mp4", "h264", "aac", False),
        ("hevc.mp4", "hevc", None, True),
    ],
)
def test_mp4_fixtures(name, codec, audio, faststart):
    info = probe_mp4(MEDIA / name)
    assert info == {
        "format": "mp4",
        "duration": pytest.approx(2.0, abs=0.05),
        "width": 320,
        "height": 180,
        "video_codec": codec,
        "audio_codec": audio,
        "faststart": faststart,
    }


def test_mp4_other_fourcc_and_hev1(tmp_path):
    data = (MEDIA / "faststart.mp4").read_bytes()
    at = data.index(b"avc1", data.index(b"stsd"))  # the sample entry, not the ftyp brand

    def patched(fourcc):
        return data[:at] + fourcc + data[at + 4 :]

    assert probe_mp4(_write(tmp_path, "a.mp4", patched(b"mp4v")))["video_codec"] == "mp4v"
    assert probe_mp4(_write(tmp_path, "b.mp4", patched(b"hev1")))["video_codec"] == "hevc"


@pytest.mark.parametrize("name", MP4S)
@pytest.mark.parametrize("keep", [0.5, 0.9, -1])
def test_mp4_truncated(tmp_path, name, keep):
    data = (MEDIA / name).read_bytes()
    cut = len(data) - 1 if keep == -1 else int(len(data) * keep)
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, name, data[:cut]))


def test_mp4_cut_with_rewritten_mdat_size_is_caught_by_chunk_offsets(tmp_path):
    data = (MEDIA / "faststart.mp4").read_bytes()
    pos, size = _top_boxes(data)[b"mdat"]
    assert pos + size == len(data)
    cut = bytearray(data[: pos + size - 2000])
    struct.pack_into(">I", cut, pos, size - 2000)
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, "cut.mp4", bytes(cut)))
    struct.pack_into(">I", cut, pos, 0)  # size 0: "runs to the end of the file"
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, "cut0.mp4", bytes(cut)))


def test_mp4_size_zero_mdat_runs_to_eof(tmp_path):
    data = bytearray((MEDIA / "faststart.mp4").read_bytes())
    struct.pack_into(">I", data, _top_boxes(data)[b"mdat"][0], 0)
    assert probe_mp4(_write(tmp_path, "z.mp4", bytes(data)))["duration"] == pytest.approx(2.0, abs=0.05)


def test_mp4_largesize_mdat(tmp_path):
    data = bytearray((MEDIA / "not-faststart.mp4").read_bytes())
    boxes = _top_boxes(data)
    free_pos, mdat_pos = boxes[b"free"][0], boxes[b"mdat"][0]
    assert mdat_pos == free_pos + 8  # ffmpeg reserves this 'free' so mdat can grow a 64-bit size in place
    mdat_size = boxes[b"mdat"][1]
    data[free_pos : mdat_pos + 8] = struct.pack(">I4sQ", 1, b"mdat", mdat_size + 8)
    info = probe_mp4(_write(tmp_path, "large.mp4", bytes(data)))
    assert (info["width"], info["faststart"]) == (320, False)


def test_mp4_version1_boxes_co64_and_largesize(tmp_path):
    for large in (False, True):
        info = probe_mp4(_write(tmp_path, "v1.mp4", _synthetic_mp4(large_mdat=large)))
        assert info == {
            "format": "mp4",
            "duration": 7.5,
            "width": 1920,
            "height": 1080,
            "video_codec": "h264",
            "audio_codec": None,
            "faststart": True,
        }
    # The mdat is complete as declared, but the co64 chunk (10 samples x 100 bytes) needs 1000 bytes.
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, "short.mp4", _synthetic_mp4(mdat_payload=b"\0" * 999)))


def test_mp4_missing_moov_or_mdat_is_truncated(tmp_path):
    data = (MEDIA / "not-faststart.mp4").read_bytes()
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, "nomoov.mp4", data[: _top_boxes(data)[b"moov"][0]]))
    data = (MEDIA / "faststart.mp4").read_bytes()
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp4(_write(tmp_path, "nomdat.mp4", data[: _top_boxes(data)[b"mdat"][0]]))


@pytest.mark.parametrize(
    "content",
    [
        JPEG,
        "这不是视频，只是一个改了扩展名的文本文件。\n".encode() * 20,
        b"hello world\n" * 100,
        (MEDIA / "tone.mp3").read_bytes(),
        b"\0\0\0\x08ftyp",
    ],
)
def test_mp4_refuses_other_files(tmp_path, content):
    with pytest.raises(ProbeError, match="不是 MP4 文件"):
        probe_mp4(_write(tmp_path, "fake.mp4", content))


def test_mp4_damaged_moov(tmp_path):
    data = bytearray((MEDIA / "faststart.mp4").read_bytes())
    moov = _top_boxes(data)[b"moov"][0]
    struct.pack_into(">I", data, moov + 8, 0x7FFFFFFF)  # first child of moov claims to be huge
    with pytest.raises(ProbeError):
        probe_mp4(_write(tmp_path, "bad.mp4", bytes(data)))


def test_empty_files(tmp_path):
    for probe, name in ((probe_mp4, "e.mp4"), (probe_mp3, "e.mp3")):
        with pytest.raises(ProbeError):
            probe(_write(tmp_path, name, b""))


# --- MP3 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, frames, rate, channels, kbps",
    [
        ("tone.mp3", 78, 44100, 2, 64),
        ("tone-cbr-noid3.mp3", 78, 44100, 1, 64),
        ("tone-id3v1.mp3", 78, 44100, 1, 64),
        ("tone-22k-mono.mp3", 79, 22050, 1, 32),
    ],
)
def test_mp3_fixtures(name, frames, rate, channels, kbps):
    spf = 1152 if rate == 44100 else 576
    assert probe_mp3(MEDIA / name) == {
        "format": "mp3",
        "duration": pytest.approx(frames * spf / rate),
        "sample_rate": rate,
        "channels": channels,
        "bitrate_kbps": kbps,
    }


@pytest.mark.parametrize("name", MP3S)
@pytest.mark.parametrize("keep", [0.5, 0.9, -1])
def test_mp3_truncated(tmp_path, name, keep):
    data = (MEDIA / name).read_bytes()
    cut = len(data) - 1 if keep == -1 else int(len(data) * keep)
    if name == "tone-cbr-noid3.mp3" and cut in _mp3_frame_offsets(data):
        cut += 1  # a clean cut between frames of a bare stream is undetectable (see the frame-boundary test)
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp3(_write(tmp_path, name, data[:cut]))


def test_mp3_cut_on_frame_boundary_caught_by_info_frame_count(tmp_path):
    data = (MEDIA / "tone.mp3").read_bytes()
    offsets = _mp3_frame_offsets(data)
    assert len(offsets) == 79  # the LAME Info frame plus 78 audio frames
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp3(_write(tmp_path, "cut.mp3", data[: offsets[-10]]))
    # Without an Info header a clean cut between frames is undetectable: just a shorter file.
    bare = (MEDIA / "tone-cbr-noid3.mp3").read_bytes()
    info = probe_mp3(_write(tmp_path, "short.mp3", bare[: _mp3_frame_offsets(bare)[-10]]))
    assert info["duration"] == pytest.approx(68 * 1152 / 44100)


def test_mp3_trailing_tags(tmp_path):
    bare = (MEDIA / "tone-cbr-noid3.mp3").read_bytes()
    id3v1 = b"TAG" + b"title".ljust(30, b"\0") + bytes(95)
    ape_footer = b"APETAGEX" + struct.pack("<IIII", 2000, 32 + 20, 0, 0) + bytes(8)
    ape = b"APETAGEX" + struct.pack("<IIII", 2000, 32 + 20, 0, 0xA0000000) + bytes(8) + bytes(20) + ape_footer
    expected = probe_mp3(MEDIA / "tone-cbr-noid3.mp3")
    for i, tail in enumerate([id3v1, ape, ape + id3v1]):
        assert probe_mp3(_write(tmp_path, f"t{i}.mp3", bare + tail)) == expected
    with pytest.raises(ProbeError, match=TRUNCATED):
        probe_mp3(_write(tmp_path, "cut-tag.mp3", bare + id3v1[:-1]))


def test_mp3_resyncs_over_a_little_garbage_but_not_a_lot(tmp_path):
    bare = (MEDIA / "tone-cbr-noid3.mp3").read_bytes()
    mid = _mp3_frame_offsets(bare)[40]
    info = probe_mp3(_write(tmp_path, "junk.mp3", bare[:mid] + b"\x00junk\xff" * 50 + bare[mid:]))
    assert info["duration"] == pytest.approx(78 * 1152 / 44100)
    mostly = bare[:mid] + bytes(range(256)) * 200
    with pytest.raises(ProbeError, match="MP3"):
        probe_mp3(_write(tmp_path, "mostly.mp3", mostly))


@pytest.mark.parametrize(
    "content",
    [
        JPEG,
        "这不是音频，只是一个改了扩展名的文本文件。\n".encode() * 20,
        b"hello world\n" * 100,
        (MEDIA / "faststart.mp4").read_bytes(),
        b"\xff\xfb\x50\xc4" + bytes(300),
    ],
)
def test_mp3_refuses_other_files(tmp_path, content):
    with pytest.raises(ProbeError, match="不是 MP3 文件"):
        probe_mp3(_write(tmp_path, "fake.mp3", content))


def test_mp3_30s_probes_fast(tmp_path):
    bare = (MEDIA / "tone-cbr-noid3.mp3").read_bytes()
    path = _write(tmp_path, "long.mp3", bare * 15)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        info = probe_mp3(path)
        best = min(best, time.perf_counter() - start)
    assert info["duration"] == pytest.approx(15 * 78 * 1152 / 44100)
    assert best < 0.05
