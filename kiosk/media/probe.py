"""Read the few facts the importer needs from MP4 and MP3 files, in pure Python (no ffprobe at run time)."""

import functools
import os
import struct

NOT_MP4 = "不是 MP4 文件"
NOT_MP3 = "不是 MP3 文件"
TRUNCATED = "文件不完整（被截断）"
EMPTY = "文件为空"
MP4_DAMAGED = "MP4 文件结构损坏"
MP3_DAMAGED = "MP3 文件损坏（无法识别的数据过多）"
MOOV_CAP = 64 * 1024 * 1024
CHUNK = 256 * 1024

_CODECS = {b"avc1": "h264", b"avc3": "h264", b"hvc1": "hevc", b"hev1": "hevc", b"mp4a": "aac"}


class ProbeError(Exception):
    """The file is not of the expected format, or is truncated; str(e) is a short Chinese reason for the operator."""


def probe_mp4(path) -> dict:
    """Return {"format", "duration", "width", "height", "video_codec", "audio_codec", "faststart"} of an MP4."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise ProbeError(EMPTY)
        first = {}
        for box in _top_level_boxes(f, size):
            first.setdefault(box[0], box)
        moov, mdat = first.get(b"moov"), first.get(b"mdat")
        if moov is None:
            # ftyp + mdat without moov is what an interrupted recording or a cut download looks like.
            raise ProbeError(TRUNCATED if mdat else NOT_MP4)
        if mdat is None:
            raise ProbeError(TRUNCATED)
        _, moov_pos, moov_body, moov_end = moov
        if moov_end - moov_body > MOOV_CAP:
            raise ProbeError("MP4 索引（moov）过大")
        f.seek(moov_body)
        buf = f.read(moov_end - moov_body)
    try:
        info = _parse_moov(buf, size)
    except (struct.error, IndexError, ValueError, ZeroDivisionError):
        raise ProbeError(MP4_DAMAGED) from None
    info["faststart"] = moov_pos < mdat[1]
    return info


def _top_level_boxes(f, size):
    """List (type, offset, body offset, end) of the top-level boxes, refusing non-MP4 and cut files."""
    head = f.read(8)
    if len(head) < 8 or head[4:8] != b"ftyp" or not 8 <= int.from_bytes(head[:4], "big") <= 4096:
        raise ProbeError(NOT_MP4)
    boxes, pos = [], 0
    while pos < size:
        f.seek(pos)
        try:
            typ, body, end = _box_header(f.read(16), pos, size)
        except struct.error:
            raise ProbeError(TRUNCATED) from None
        except ValueError:
            raise ProbeError(MP4_DAMAGED) from None
        if end > size:
            raise ProbeError(TRUNCATED)
        boxes.append((typ, pos, body, end))
        pos = end
    return boxes


def _box_header(head, pos, limit):
    """Decode the box header in head (found at offset pos) into (type, body offset, end offset)."""
    size, typ = struct.unpack_from(">I4s", head)
    if size == 1:
        size, body = struct.unpack_from(">Q", head, 8)[0], pos + 16
    else:
        size, body = (limit - pos if size == 0 else size), pos + 8
    if size < body - pos:
        raise ValueError("box smaller than its header")
    return typ, body, pos + size


def _children(buf, start, end):
    """Yield (type, body start, end) of the boxes packed in buf[start:end]."""
    pos = start
    # Fewer than 8 bytes left is QuickTime's optional 32-bit zero terminator, not a box.
    while end - pos >= 8:
        typ, body, box_end = _box_header(buf[pos : pos + 16], pos, end)
        if box_end > end:
            raise ValueError("box overruns its parent")
        yield typ, body, box_end
        pos = box_end


def _find(buf, start, end, *path):
    """Return (body start, end) of the first box along path under buf[start:end], or None."""
    for typ, body, box_end in _children(buf, start, end):
        if typ == path[0]:
            return (body, box_end) if len(path) == 1 else _find(buf, body, box_end, *path[1:])
    return None


def _parse_moov(buf, file_size):
    """Pull duration, video size and codecs out of the moov body, checking sample data lies in the file."""
    info = {"format": "mp4", "duration": 0.0, "width": None, "height": None, "video_codec": None, "audio_codec": None}
    mvhd = _find(buf, 0, len(buf), b"mvhd")
    if mvhd is None:
        raise ValueError("no mvhd")
    v1 = buf[mvhd[0]] == 1
    timescale, duration = struct.unpack_from(">IQ" if v1 else ">II", buf, mvhd[0] + (20 if v1 else 12))
    if duration == 2 ** (64 if v1 else 32) - 1:  # all ones means "unknown"
        duration = 0
    mehd = _find(buf, 0, len(buf), b"mvex", b"mehd")
    if duration == 0 and mehd:  # fragmented files keep their length in mvex/mehd
        duration = struct.unpack_from(">Q" if buf[mehd[0]] == 1 else ">I", buf, mehd[0] + 4)[0]
    info["duration"] = duration / timescale  # ZeroDivisionError is caught as damage
    tracks = [_parse_trak(buf, s, e, file_size) for typ, s, e in _children(buf, 0, len(buf)) if typ == b"trak"]
    video = next((t for t in tracks if t and t[0] == b"vide"), None)
    audio = next((t for t in tracks if t and t[0] == b"soun"), None)
    if video:
        info["video_codec"], info["width"], info["height"] = video[1:]
    if audio:
        info["audio_codec"] = audio[1]
    return info


def _parse_trak(buf, start, end, file_size):
    """Return (handler, codec, width, height) of one trak box, or None if it has no sample table."""
    hdlr = _find(buf, start, end, b"mdia", b"hdlr")
    stbl = _find(buf, start, end, b"mdia", b"minf", b"stbl")
    if hdlr is None or stbl is None:
        return None
    _check_chunks(buf, *stbl, file_size)
    handler = buf[hdlr[0] + 8 : hdlr[0] + 12]
    stsd = _find(buf, *stbl, b"stsd")
    entry = stsd[0] + 8 if stsd and struct.unpack_from(">I", buf, stsd[0] + 4)[0] else None
    fourcc = buf[entry + 4 : entry + 8] if entry is not None else None
    codec = _CODECS.get(fourcc, fourcc.decode("latin-1")) if fourcc else None
    width = height = 0
    if handler == b"vide":
        tkhd = _find(buf, start, end, b"tkhd")
        if tkhd:
            off = tkhd[0] + (88 if buf[tkhd[0]] == 1 else 76)
            width, height = (v >> 16 for v in struct.unpack_from(">II", buf, off))
        if not (width and height) and entry is not None:
            width, height = struct.unpack_from(">HH", buf, entry + 32)
    return handler, codec, width or None, height or None


def _check_chunks(buf, start, end, file_size):
    """Refuse a track whose last chunk of samples ends past the end of the file."""
    table, fmt = _find(buf, start, end, b"stco"), ">I"
    if table is None:
        table, fmt = _find(buf, start, end, b"co64"), ">Q"
    count = struct.unpack_from(">I", buf, table[0] + 4)[0] if table else 0
    if count == 0:
        return
    width = struct.calcsize(fmt)
    if table[0] + 8 + count * width > table[1]:
        raise ValueError("chunk table overruns its box")
    last = struct.unpack_from(fmt, buf, table[0] + 8 + (count - 1) * width)[0]
    tail = 1
    stsc, stsz = _find(buf, start, end, b"stsc"), _find(buf, start, end, b"stsz")
    if stsc and stsz and struct.unpack_from(">I", buf, stsc[0] + 4)[0]:
        entries = struct.unpack_from(">I", buf, stsc[0] + 4)[0]
        per_chunk = struct.unpack_from(">I", buf, stsc[0] + 8 + (entries - 1) * 12 + 4)[0]
        uniform, samples = struct.unpack_from(">II", buf, stsz[0] + 4)
        n = min(per_chunk, samples)
        if uniform:
            tail = uniform * n
        elif n:
            tail = sum(struct.unpack_from(f">{n}I", buf, stsz[0] + 12 + (samples - n) * 4))
    if last + tail > file_size:
        raise ProbeError(TRUNCATED)


_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
_SAME_STREAM = 0xFFFE0C00  # sync, version, layer and sample-rate bits must not change between frames


@functools.lru_cache(maxsize=4096)
def _frame(word):
    """Decode a 32-bit Layer III header into (length, samples, rate, channels, kbps), or None."""
    version, layer = (word >> 19) & 3, (word >> 17) & 3
    br_idx, sr_idx = (word >> 12) & 15, (word >> 10) & 3
    if (word >> 21) != 0x7FF or version == 1 or layer != 1 or not 0 < br_idx < 15 or sr_idx == 3 or (word & 3) == 2:
        return None
    kbps = _BITRATES[3 if version == 3 else 2][br_idx]
    rate = _RATES[version][sr_idx]
    length = (144000 if version == 3 else 72000) * kbps // rate + ((word >> 9) & 1)
    return length, 1152 if version == 3 else 576, rate, 1 if (word >> 6) & 3 == 3 else 2, kbps


class _Reader:
    """Random access to a file through one sliding read buffer."""

    def __init__(self, f):
        self.f, self.base, self.buf = f, 0, b""

    def get(self, pos, n):
        """Return up to n bytes at pos."""
        off = pos - self.base
        if off < 0 or off + n > len(self.buf):
            self.f.seek(pos)
            self.base, self.buf, off = pos, self.f.read(max(n, CHUNK)), 0
        return self.buf[off : off + n]

    def frame(self, pos, first_word):
        """Return the decoded header at pos if it continues the stream begun by first_word, else None."""
        b = self.get(pos, 4)
        word = int.from_bytes(b, "big")
        return _frame(word) if len(b) == 4 and (word ^ first_word) & _SAME_STREAM == 0 else None


def probe_mp3(path) -> dict:
    """Return {"format", "duration", "sample_rate", "channels", "bitrate_kbps"} of an MP3."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise ProbeError(EMPTY)
        r = _Reader(f)
        pos = _skip_id3v2(r, size)
        end = _audio_end(r, pos, size)
        head = r.get(pos, 4)
        first_word = int.from_bytes(head, "big") if len(head) == 4 else 0
        first = _frame(first_word)
        if first is None or pos + first[0] > end or r.frame(pos + first[0], first_word) is None:
            raise ProbeError(NOT_MP3)
        length, spf, rate, channels, _ = first
        expected = _xing_frames(r, pos, first_word, channels)
        if expected is not None:
            pos += length  # the Xing/Info/VBRI frame carries no audio
        frames = audio_bytes = garbage = 0
        rates = set()
        while pos < end:
            hdr = r.frame(pos, first_word) if end - pos >= 4 else None
            if hdr is None:
                if (r.get(pos, 3) == b"TAG" and pos + 128 > size) or (end - pos < 4 and r.get(pos, 1) == b"\xff"):
                    raise ProbeError(TRUNCATED)
                nxt = _resync(r, pos + 1, first_word, end)
                garbage, pos = garbage + nxt - pos, nxt
                continue
            if pos + hdr[0] > end:
                raise ProbeError(TRUNCATED)
            frames, audio_bytes, pos = frames + 1, audio_bytes + hdr[0], pos + hdr[0]
            rates.add(hdr[4])
    if frames == 0:
        raise ProbeError(NOT_MP3)
    # Resync tolerates a damaged spot; a file that is mostly unparseable is refused.
    if garbage * 5 > garbage + audio_bytes:
        raise ProbeError(MP3_DAMAGED)
    # One frame of slack: encoders disagree on whether the count includes the Info frame itself.
    if expected is not None and frames + 1 < expected:
        raise ProbeError(TRUNCATED)
    duration = frames * spf / rate
    bitrate = rates.pop() if len(rates) == 1 else round(audio_bytes * 8 / duration / 1000)
    return {"format": "mp3", "duration": duration, "sample_rate": rate, "channels": channels, "bitrate_kbps": bitrate}


def _skip_id3v2(r, size):
    """Return the offset after any leading ID3v2 tags (and zero padding some taggers leave after them)."""
    pos = 0
    while r.get(pos, 3) == b"ID3":
        head = r.get(pos, 10)
        if len(head) < 10 or any(b & 0x80 for b in head[6:10]):
            raise ProbeError(TRUNCATED if len(head) < 10 else NOT_MP3)
        body = (head[6] << 21) | (head[7] << 14) | (head[8] << 7) | head[9]
        pos += 10 + body + (10 if head[5] & 0x10 else 0)
        if pos > size:
            raise ProbeError(TRUNCATED)
    limit = min(size, pos + 64 * 1024)
    while pos < limit and r.get(pos, 1) == b"\x00":
        pos += 1
    return pos


def _audio_end(r, start, size):
    """Return where the frames stop: before a trailing ID3v1 and/or APEv2 tag."""
    end = size
    if end - start >= 128 and r.get(end - 128, 3) == b"TAG":
        end -= 128
    if end - start >= 32 and r.get(end - 32, 8) == b"APETAGEX":
        tag_size, _, flags = struct.unpack("<III", r.get(end - 20, 12))
        end -= tag_size + (32 if flags & 0x80000000 else 0)
    return end


def _resync(r, pos, first_word, end):
    """Return the first offset >= pos where a frame is followed by another (or by the end), else end."""
    while pos < end - 4:
        # A small window: asking for more than the buffer holds would re-read it at every candidate.
        i = r.get(pos, min(4096, end - pos)).find(b"\xff")
        if i < 0:
            pos += min(4096, end - pos)
            continue
        hdr = r.frame(pos + i, first_word)
        nxt = pos + i + hdr[0] if hdr else end + 1
        if nxt == end or (nxt < end and r.frame(nxt, first_word)):
            return pos + i
        pos += i + 1
    return end


def _xing_frames(r, pos, word, channels):
    """Return the frame count of a Xing/Info/VBRI header in the frame at pos (0: no count), or None if none."""
    mpeg1 = (word >> 19) & 3 == 3
    side = (32 if channels == 2 else 17) if mpeg1 else (17 if channels == 2 else 9)
    side += 0 if word & 0x10000 else 2  # a CRC follows the header when the protection bit is 0
    tag = r.get(pos + 4 + side, 12)
    if tag[:4] in (b"Xing", b"Info"):
        flags = int.from_bytes(tag[4:8], "big")
        return int.from_bytes(tag[8:12], "big") if flags & 1 and len(tag) == 12 else 0
    vbri = r.get(pos + 36, 18)
    if vbri[:4] == b"VBRI" and len(vbri) == 18:
        return int.from_bytes(vbri[14:18], "big")
    return None
