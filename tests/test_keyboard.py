"""The on-screen keyboard's dictionary and candidates, through the URL the keyboard asks."""

import sqlite3

import pytest

from kiosk.keyboard import dictionary
from tests.support import make_test_app

PHONE = {"REMOTE_ADDR": "192.168.1.23"}


@pytest.fixture
def kiosk(tmp_path, pinyin_dictionary):
    """Return a test client of a kiosk with the built dictionary."""
    return make_test_app(tmp_path / "instance", PINYIN_DICT=str(pinyin_dictionary)).test_client()


def words(client, letters):
    """Return the candidates' texts for the letters, checking the answer's shape."""
    response = client.get("/keyboard/candidates", query_string={"p": letters})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return [c["text"] for c in response.get_json()["candidates"]]


@pytest.mark.parametrize(
    "letters, word",
    [("zhongguo", "中国"), ("jianyi", "建议"), ("chejian", "车间"), ("anquan", "安全"), ("wo", "我"), ("de", "的")],
)
def test_a_whole_word_comes_first(kiosk, letters, word):
    assert words(kiosk, letters)[0] == word


@pytest.mark.parametrize(
    "letters, word",
    [("zg", "中国"), ("zhongg", "中国"), ("xian", "西安"), ("zhiyuanzhe", "志愿者"), ("lv", "绿"), ("fangan", "方案")],
)
def test_initials_unfinished_syllables_and_other_splits_are_offered_among_the_first_five(kiosk, letters, word):
    assert word in words(kiosk, letters)[:5]


def test_a_phrase_no_word_spells_is_offered_whole_first_then_its_first_word_uses_up_its_letters(kiosk):
    answer = kiosk.get("/keyboard/candidates?p=wojianyizaichejian").get_json()
    assert answer["segments"] == ["wo", "jian", "yi", "zai", "che", "jian"]
    assert answer["candidates"][0] == {"text": "我建议在车间", "consumes": 18}
    assert {"text": "我", "consumes": 2} in answer["candidates"]


def test_rare_readings_of_a_character_rank_below_its_usual_ones(kiosk):
    # 见 can be read xian; visitors typing xian mean 先, 县, 现……
    assert "见" not in words(kiosk, "xian")[:10]


@pytest.mark.parametrize("letters", ["", "中文", "<script>", "abc'd", "x" * 500, "ZHONG GUO", "vvvvv", "iiiii"])
def test_anything_else_typed_gets_an_answer_never_an_error(kiosk, letters):
    assert isinstance(words(kiosk, letters), list)


def test_without_its_dictionary_the_keyboard_is_told_in_chinese(tmp_path):
    client = make_test_app(tmp_path / "instance", PINYIN_DICT=str(tmp_path / "missing.sqlite")).test_client()
    response = client.get("/keyboard/candidates?p=zhongguo")
    assert response.status_code == 503
    assert "拼音词典" in response.get_json()["error"]


def test_the_kiosk_screen_gets_the_keyboard_and_phones_do_not(kiosk):
    screen = kiosk.get("/suggest").get_data(as_text=True)
    assert 'id="ime"' in screen and "keyboard.js" in screen and "用手机填写" in screen
    phone = kiosk.get("/suggest", environ_base=PHONE).get_data(as_text=True)
    assert 'id="ime"' not in phone and "keyboard.js" not in phone


def test_a_dictionary_from_other_package_versions_is_rebuilt(tmp_path, pinyin_dictionary):
    assert dictionary.is_current(pinyin_dictionary)
    stale = tmp_path / "stale.sqlite"
    with sqlite3.connect(stale) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('signature', '0 jieba-0 pypinyin-0')")
    db.close()
    assert not dictionary.is_current(stale)
    assert not dictionary.is_current(tmp_path / "none.sqlite")
    assert not dictionary.ensure(pinyin_dictionary, say=lambda text: None)  # current: nothing to do
