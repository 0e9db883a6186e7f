"""The visitor's pages: home grouped by award, search and filters, detail, attract loop, 404."""

import re
import time

import pytest

from kiosk.db import get_db
from kiosk.exhibits import events, usage
from kiosk.packs.library import run_import
from tests.packs import make_pack, write_pack_json
from tests.support import demo_in_award_order

PHONE = {"REMOTE_ADDR": "192.168.1.23"}


@pytest.fixture
def shown(app, tmp_path):
    """Install a pack with one achievement of each award and known titles; return the app."""
    pack = make_pack(
        tmp_path / "pack",
        ids=("A1", "B1", "B2", "C1", "E1"),
        awards=["first", "second", "second", "third", "encouragement"],
    )
    titles = {
        "A1": "无人机航测外业核查",
        "B1": "焊接工装快速定位",
        "B2": "管线探测创新方法",
        "C1": "耕地监测小程序",
        "E1": "安全帽智能提醒",
    }
    for a in pack["achievements"]:
        a["title"] = titles[a["id"]]
    pack["achievements"][1]["kind"] = "方法创新"
    pack["achievements"][1]["category"] = "小革新"
    pack["achievements"][3]["summary"] = "第一行\n第二行 <b>不是粗体</b>"
    write_pack_json(tmp_path / "pack", pack)
    with app.app_context():
        assert run_import(tmp_path / "pack").ok
    return app


def titles_in(html):
    """Return the card titles of a page, in order."""
    return re.findall(r'class="card-title">([^<]+)<', html)


def test_home_groups_by_award_first_prize_first(shown):
    html = shown.test_client().get("/").get_data(as_text=True)
    headings = re.findall(r'class="badge badge-(\w+)">', html)
    assert headings[:4] == ["first", "second", "third", "encouragement"]
    assert titles_in(html)[0] == "无人机航测外业核查"
    assert "示例单位" in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ("创新", {"管线探测创新方法", "无人机航测外业核查", "焊接工装快速定位", "安全帽智能提醒"}),
        ("wrj", {"无人机航测外业核查"}),
        ("WRJ", {"无人机航测外业核查"}),
        ("hjgz", {"焊接工装快速定位"}),
        ("管线", {"管线探测创新方法"}),
        ("不存在的词", set()),
        ("100%_", set()),
    ],
)
def test_search_finds_two_character_terms_and_pinyin_initials(shown, query, expected):
    html = shown.test_client().get("/", query_string={"q": query}).get_data(as_text=True)
    assert set(titles_in(html)) == expected
    if not expected:
        assert "没有找到相关成果" in html


def test_search_fragment_for_htmx(shown):
    response = shown.test_client().get("/?q=wrj", headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.get_data(as_text=True)
    assert "<html" not in html and titles_in(html) == ["无人机航测外业核查"]


def test_filters_by_kind_and_category(shown):
    client = shown.test_client()
    assert titles_in(client.get("/?kind=方法创新").get_data(as_text=True)) == ["焊接工装快速定位"]
    assert titles_in(client.get("/?category=小革新").get_data(as_text=True)) == ["焊接工装快速定位"]
    assert len(titles_in(client.get("/?kind=设备革新").get_data(as_text=True))) == 4
    assert len(titles_in(client.get("/?kind=胡乱").get_data(as_text=True))) == 5


def test_detail_shows_every_field_under_its_chinese_heading(shown):
    html = shown.test_client().get("/a/A1").get_data(as_text=True)
    for heading in (
        "成果编号",
        "成果名称",
        "奖项",
        "成果类别",
        "申报类型",
        "独创性",
        "专利情况",
        "申报集体或个人",
        "成果完成单位",
        "所属上级工会",
        "成果所属行业分类",
        "成果完成日期",
        "成果实践时间（月）",
        "成果完成人",
        "第一完成人简介",
        "成果简介",
        "成果背景",
        "成果目标/解决的关键问题",
        "成果创新点",
        "经济效益和社会效益",
        "成果应用情况",
        "是否为新质生产力",
        "成果视频",
        "成果音频",
        "成果题库",
    ):
        assert heading in html, heading
    assert "一等奖" in html and "实用新型专利" in html and "李明" in html and "总体设计" in html
    assert html.count('class="slide"') == 3
    assert "<video controls" in html and 'src="/media/test-pack/A1/video.mp4"' in html
    assert 'poster="/media/test-pack/A1/photo-1.jpg?size=screen"' in html
    assert "<audio controls" in html and html.count('class="cue"') == 2
    assert '<svg role="img" aria-label="二维码"' in html


def test_detail_text_is_plain_text_escaped(shown):
    html = shown.test_client().get("/a/C1").get_data(as_text=True)
    assert "&lt;b&gt;不是粗体&lt;/b&gt;" in html and "<b>不是粗体" not in html


def test_detail_qr_points_at_public_url(shown):
    from kiosk.web.qr import qr_svg

    html = shown.test_client().get("/a/A1").get_data(as_text=True)
    assert str(qr_svg("http://kiosk.test:8080/a/A1")) in html


def test_unknown_achievement_is_a_chinese_404_with_a_way_home(shown):
    response = shown.test_client().get("/a/NOPE")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "找不到这个页面" in html and 'href="/"' in html and "返回首页" in html


def test_damaged_media_on_disk_renders_placeholders(shown):
    from kiosk.media.store import MediaStore

    with shown.app_context():
        from kiosk.db import get_db

        rows = (
            get_db()
            .execute("SELECT path, sha256 FROM pack_files WHERE pack_id = 'test-pack' AND path LIKE 'A1/%'")
            .fetchall()
        )
    store = MediaStore(shown.instance_path)
    for path, sha in rows:
        target = store.original(sha)
        if path.endswith(".mp4"):
            target.write_bytes(target.read_bytes()[:100])
        elif path.endswith(".mp3"):
            target.unlink()
        elif path.endswith("photo-2.jpg"):
            store.derived(sha, "screen").unlink()
    response = shown.test_client().get("/a/A1")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "视频暂时无法播放" in html and "音频暂时无法播放" in html and "照片暂时无法显示" in html
    assert shown.test_client().get("/media/test-pack/A1/video.mp4").status_code == 404


def test_attract_loop_lists_the_winners_and_marks_the_screen(shown):
    response = shown.test_client().get("/attract")
    html = response.get_data(as_text=True)
    assert "触摸屏幕开始" in html and html.count("data-slide") == 5
    assert "kiosk_screen=1" in response.headers["Set-Cookie"]
    assert "muted" in html


def test_empty_kiosk_home_still_renders(client):
    html = client.get("/").get_data(as_text=True)
    assert "没有找到相关成果" in html


def test_pages_carry_csp_and_no_server_version(shown):
    response = shown.test_client().get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " onclick=" not in html
    assert "http://" not in html.replace("http://kiosk.test:8080", "")


def test_cached_pages_follow_a_new_pack_version(app, tmp_path):
    pack = make_pack(tmp_path / "pack")
    with app.app_context():
        assert run_import(tmp_path / "pack").ok
    client = app.test_client()
    assert "成果A1" in client.get("/a/A1").get_data(as_text=True)
    assert "成果A1" in client.get("/").get_data(as_text=True)
    pack["version"] = 2
    pack["achievements"][0]["title"] = "改进后的名称"
    write_pack_json(tmp_path / "pack", pack)
    with app.app_context():
        assert run_import(tmp_path / "pack").status == "imported"
    assert "改进后的名称" in client.get("/a/A1").get_data(as_text=True)
    assert "改进后的名称" in client.get("/").get_data(as_text=True)


def phone_figures(app):
    """Flush and return the stored figures as {(achievement id, metric): value}."""
    usage.flush(app)
    with app.app_context():
        return {(a, m): v for (_, _, a, m), v in usage.daily_counts(get_db()).items()}


def test_a_phone_flooding_views_and_events_moves_each_figure_by_one(shown, monkeypatch):
    phone = shown.test_client()
    kiosk_screen = shown.test_client()
    for _ in range(300):
        phone.get("/a/A1", environ_base=PHONE)
    token = phone.get("/events/token", environ_base=PHONE).get_json()["token"]
    answers = [
        phone.post(
            "/events",
            data={"metric": "video_play", "achievement": "A1"},
            headers={"X-CSRF-Token": token},
            environ_base=PHONE,
        ).status_code
        for _ in range(300)
    ]
    assert answers.count(204) == events.PHONE_EVENTS_PER_MINUTE and set(answers) == {204, 429}
    for _ in range(3):
        kiosk_screen.get("/a/A1")  # the kiosk's own screen counts every view: a person is in front of it
    assert phone_figures(shown) == {("A1", "detail_view"): 4, ("A1", "video_play"): 1}
    later = time.monotonic() + usage.PHONE_WINDOW_SECONDS + 1
    monkeypatch.setattr(usage.time, "monotonic", lambda: later)
    phone.get("/a/A1", environ_base=PHONE)
    assert phone_figures(shown)[("A1", "detail_view")] == 5


@pytest.mark.parametrize("query", ["TJ2024-001", "tj2024-001", "tj2024001", "TJ2024-00"])
def test_home_finds_a_winner_by_its_number(demo_client, query):
    html = demo_client.get("/", query_string={"q": query}).get_data(as_text=True)
    assert "TJ2024-001" in html and "无人机航测像控点" in html
    assert "找到 <strong>" in html


def test_home_counts_its_results(demo_client):
    assert "共 <strong>8</strong> 项获奖成果" in demo_client.get("/").get_data(as_text=True)
    part = demo_client.get("/?q=JS2024", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "找到 <strong>3</strong> 项成果" in part.get_data(as_text=True)


def test_detail_links_its_neighbours_in_award_order_and_home_at_the_ends(demo_client):
    order = demo_in_award_order()
    html = demo_client.get(f"/a/{order[1]['id']}").get_data(as_text=True)
    prev_link, next_link = (f'href="/a/{order[i]["id"]}"' for i in (0, 2))
    assert html.index(prev_link) < html.index(next_link)
    assert order[0]["title"] in html and order[2]["title"] in html
    first = demo_client.get(f"/a/{order[0]['id']}").get_data(as_text=True)
    assert "step-prev" not in first and "已是第一项" in first
    last = demo_client.get(f"/a/{order[-1]['id']}").get_data(as_text=True)
    assert "step-next" not in last and "已是最后一项" in last and f'href="/a/{order[-2]["id"]}"' in last
