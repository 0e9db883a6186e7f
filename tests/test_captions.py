"""Captions: WebVTT made from an audio clip's transcript, timed by sentence, and the track on the detail page."""

import json
import re

from kiosk.db import get_db
from kiosk.exhibits.captions import sentences
from kiosk.packs.library import run_import
from tests.pack_runs import small_pack
from tests.packs import write_pack_json
from tests.support import demo_achievement

FIRST = demo_achievement(award="first")
AUDIO_URL = f"/a/{FIRST['id']}/audio/1/captions.vtt"
TIMING = re.compile(r"^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$")


def seconds(h, m, s, ms):
    """Return a WebVTT timestamp's parts as seconds."""
    return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000


def parse_vtt(text):
    """Return [(id, start, end, text)] of a WebVTT file, checking its header and block shape."""
    header, *blocks = text.strip("\n").split("\n\n")
    assert header == "WEBVTT"
    cues = []
    for block in blocks:
        cue_id, timing, *lines = block.split("\n")
        match = TIMING.match(timing)
        assert match, timing
        assert lines and all("-->" not in line for line in lines), block
        cues.append((cue_id, seconds(*match.groups()[:4]), seconds(*match.groups()[4:]), "\n".join(lines)))
    return cues


def clip_duration(app, path_end):
    """Return the probed duration of the installed pack file whose path ends with path_end."""
    with app.app_context():
        row = (
            get_db()
            .execute(
                "SELECT m.probe FROM pack_files f JOIN media_files m ON m.sha256 = f.sha256 WHERE f.path LIKE ?",
                [f"%{path_end}"],
            )
            .fetchone()
        )
    return json.loads(row[0])["duration"]


def test_audio_captions_are_webvtt_cues_by_sentence_covering_the_clip(demo_app):
    response = demo_app.test_client().get(AUDIO_URL)
    assert response.status_code == 200
    assert response.mimetype == "text/vtt" and response.mimetype_params["charset"] == "utf-8"
    text = response.get_data(as_text=True)
    assert text.startswith("WEBVTT\n")
    cues = parse_vtt(text)
    spoken = sentences(FIRST["audio"][0]["transcript"])
    assert len(spoken) > 2
    assert [c[3] for c in cues] == spoken
    assert [c[0] for c in cues] == [f"s{i}" for i in range(1, len(spoken) + 1)]
    duration = clip_duration(demo_app, FIRST["audio"][0]["file"])
    assert cues[0][1] == 0 and abs(cues[-1][2] - duration) < 0.001
    for (_, start, end, said), (_, next_start, _, _) in zip(cues, cues[1:] + [(None, duration, None, None)]):
        assert start < end and abs(end - next_start) < 0.001
        # Each sentence has the clip's time in proportion to its characters.
        assert abs((end - start) - duration * len(said) / sum(map(len, spoken))) < 0.002


def test_cue_text_is_escaped_so_it_stays_text(app, tmp_path):
    pack = small_pack(tmp_path / "pack")
    pack["achievements"][0]["audio"][0]["transcript"] = "测量 <b>A&B</b> 数据 --> 结果。\n第二句。"
    write_pack_json(tmp_path / "pack", pack)
    with app.app_context():
        assert run_import(tmp_path / "pack").ok
    text = app.test_client().get("/a/A1/audio/1/captions.vtt").get_data(as_text=True)
    cues = parse_vtt(text)
    assert [c[3] for c in cues] == ["测量 &lt;b&gt;A&amp;B&lt;/b&gt; 数据 --&gt; 结果。", "第二句。"]
    assert text.count("-->") == 2


def test_missing_clip_or_achievement_is_the_chinese_404_page(demo_app):
    client = demo_app.test_client()
    for url in (
        "/a/NOPE/audio/1/captions.vtt",
        f"/a/{FIRST['id']}/audio/2/captions.vtt",
        f"/a/{FIRST['id']}/audio/0/captions.vtt",
        f"/a/{FIRST['id']}/video/1/captions.vtt",  # the pack gives videos no transcript
        f"/a/{FIRST['id']}/photo/1/captions.vtt",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.mimetype == "text/html" and "找不到这个页面" in response.get_data(as_text=True), url


def test_detail_page_gives_the_audio_a_chinese_captions_track_and_the_video_none(demo_app):
    html = demo_app.test_client().get(f"/a/{FIRST['id']}").get_data(as_text=True)
    audio = re.search(r"<audio [^>]*>(.*?)</audio>", html, re.S)[1]
    assert re.search(
        rf'<track kind="captions" srclang="zh" label="中文字幕" src="{re.escape(AUDIO_URL)}" default>', audio
    )
    assert "<track" not in re.search(r"<video [^>]*>(.*?)</video>", html, re.S)[1]
    spans = re.findall(r'<span class="cue" data-cue="(s\d+)">', html)
    assert spans == [f"s{i}" for i in range(1, len(sentences(FIRST["audio"][0]["transcript"])) + 1)]


def test_a_clip_of_unknown_length_gets_no_track(demo_app):
    with demo_app.app_context():
        db = get_db()
        db.execute(
            "UPDATE media_files SET probe = '{}' WHERE sha256 IN (SELECT sha256 FROM pack_files WHERE path = ?)",
            [FIRST["audio"][0]["file"]],
        )
        db.commit()
    client = demo_app.test_client()
    assert "<track" not in client.get(f"/a/{FIRST['id']}").get_data(as_text=True)
    assert client.get(AUDIO_URL).status_code == 404
