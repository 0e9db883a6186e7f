"""Captions from a transcript: its sentences, timed by their share of the text, written as WebVTT."""

import re


def sentences(text):
    """Split a transcript into sentences, keeping their closing punctuation, for captions."""
    return [s for s in re.findall(r"[^。！？；!?;\n]+[。！？；!?;]*", text or "") if s.strip()]


def cue_times(parts, duration):
    """Return [(start, end, sentence)]: each sentence gets the clip's time in proportion to its characters."""
    total = sum(len(p) for p in parts)
    cues, seen = [], 0
    for part in parts:
        start = duration * seen / total
        seen += len(part)
        cues.append((start, duration * seen / total, part))
    return cues


def timestamp(seconds):
    """Return seconds as a WebVTT timestamp, HH:MM:SS.mmm."""
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def escape(text):
    """Escape cue text: `&` and `<` would start markup, `>` would let `-->` read as a timing line."""
    return " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(transcript, duration):
    """Return the WebVTT file of a transcript spoken over `duration` seconds; cue ids s1, s2… as on the page."""
    lines = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cue_times(sentences(transcript), duration), 1):
        lines += [f"s{number}", f"{timestamp(start)} --> {timestamp(end)}", escape(text), ""]
    return "\n".join(lines)
