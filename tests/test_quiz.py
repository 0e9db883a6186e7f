"""The quiz: drawing a mix of questions, one per screen, the verdict, the score, and stale or forged posts."""

import random
import re

import pytest

from kiosk.db import get_db
from kiosk.exhibits import quiz, usage
from kiosk.packs.library import run_import
from tests.packs import make_pack, write_pack_json
from tests.support import make_test_app


def bank():
    """Return a bank of 12 questions: 6 single, 3 multiple, 3 judge, each with its own text."""
    singles = [
        {
            "type": "single",
            "question": f"单选第{i}题？",
            "options": ["甲", "乙", "丙", "丁"],
            "answer": [i % 4],
            "explanation": f"单选解析{i}：选 {'ABCD'[i % 4]}。",
        }
        for i in range(6)
    ]
    multiples = [
        {
            "type": "multiple",
            "question": f"多选第{i}题？",
            "options": ["子", "丑", "寅", "卯"],
            "answer": [0, 2],
            "explanation": f"多选解析{i}",
        }
        for i in range(3)
    ]
    judges = [
        {"type": "judge", "question": f"判断第{i}题。", "options": ["正确", "错误"], "answer": [i % 2]}
        for i in range(3)
    ]
    return singles + multiples + judges


def install(app, tmp_path):
    """Install A1 (12 questions), A2 (2 questions) and A3 (none); return A1's and A2's banks."""
    pack = make_pack(tmp_path / "pack", ids=("A1", "A2", "A3"))
    pack["achievements"][0]["quiz"] = bank()
    pack["achievements"][1]["quiz"] = bank()[:1] + bank()[-1:]
    pack["achievements"][2].pop("quiz")
    write_pack_json(tmp_path / "pack", pack)
    with app.app_context():
        assert run_import(tmp_path / "pack").ok
    return {"A1": pack["achievements"][0]["quiz"], "A2": pack["achievements"][1]["quiz"]}


@pytest.fixture
def banks(app, tmp_path):
    """Install the quiz pack into the app; return the banks by achievement."""
    return install(app, tmp_path)


def token(client):
    """Return the client's CSRF token, making its session first."""
    client.get("/a/A1/quiz")
    with client.session_transaction() as s:
        return s["csrf_token"]


def post(client, aid="A1", follow=True, **form):
    """POST a quiz action as a plain form (no JavaScript)."""
    form.setdefault("csrf_token", token(client))
    return client.post(f"/a/{aid}/quiz", data=form, follow_redirects=follow)


def state(client):
    """Return the client's quiz as the kiosk keeps it (its session says only which quiz is its own)."""
    with client.session_transaction() as s:
        mine = s.get("quiz")
    return client.application.extensions[quiz.LEDGER].get(mine["k"]) if mine else None


def current(client, banks):
    """Return (index, question) the client is on."""
    st = state(client)
    return st["i"], banks[st["a"]][st["q"][st["i"]]]


def right_choice(question):
    """Return the right option indexes as form values."""
    return [str(i) for i in question["answer"]]


def answer_until(client, banks, wanted):
    """Answer rightly and go on until the current question is one wanted(question) accepts."""
    while not wanted(current(client, banks)[1]):
        index, question = current(client, banks)
        post(client, action="answer", n=str(index), choice=right_choice(question))
        post(client, action="next", n=str(index))


def wrong_choice(question):
    """Return a wrong pick: another option, or only one of a multiple's answers."""
    if question["type"] == "multiple":
        return [str(question["answer"][0])]
    return [str(next(i for i in range(len(question["options"])) if i not in question["answer"]))]


def counts(app):
    """Flush and return today's quiz usage for A1 as {metric: value}."""
    usage.flush(app)
    with app.app_context():
        rows = usage.daily_counts(get_db())
    return {m: v for (_, _, aid, m), v in rows.items() if aid == "A1" and m.startswith("quiz")}


def test_detail_offers_the_quiz_only_with_questions(app, banks):
    client = app.test_client()
    assert 'href="/a/A1/quiz"' in client.get("/a/A1").get_data(as_text=True)
    assert "答题挑战" in client.get("/a/A1").get_data(as_text=True)
    assert "/quiz" not in client.get("/a/A3").get_data(as_text=True)


def test_start_screen_counts_questions_and_posts_a_form(app, banks):
    client = app.test_client()
    response = client.get("/a/A1/quiz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "开始答题" in html and '共 <strong class="quiz-number">5</strong> 道题' in html
    assert "单选题、多选题、判断题都有" in html
    assert 'method="post"' in html and 'name="csrf_token"' in html and 'href="/a/A1"' in html
    assert "style=" not in html and "<script>" not in html
    assert state(client) is None


def test_draw_mixes_every_type_in_random_order():
    positions = [(i, "single") for i in range(10)] + [(10, "multiple"), (11, "judge")]
    orders = set()
    for seed in range(200):
        drawn = quiz.draw(positions, 5, random.Random(seed))
        kinds = {dict(positions)[p] for p in drawn}
        assert len(drawn) == len(set(drawn)) == 5 and kinds == {"single", "multiple", "judge"}
        orders.add(tuple(drawn))
    assert len(orders) > 100
    two = quiz.draw(positions, 2, random.Random(1))
    assert len({dict(positions)[p] for p in two}) == 2
    assert sorted(quiz.draw(positions[:3], 5)) == [0, 1, 2]


def test_quiz_runs_to_its_score(app, banks):
    client = app.test_client()
    html = post(client, action="start").get_data(as_text=True)
    assert "第 <strong>1</strong> / 5 题" in html
    seen, expected = set(), 0
    for n in range(5):
        index, question = current(client, banks)
        assert index == n and question["question"] in html
        seen.add(question["type"])
        right = n % 2 == 0
        expected += right
        html = post(
            client, action="answer", n=str(n), choice=right_choice(question) if right else wrong_choice(question)
        ).get_data(as_text=True)
        assert ("回答正确" if right else "回答错误") in html
        assert html.count("is-answer") == len(question["answer"])
        assert question.get("explanation", "正确答案：") in html
        assert ("查看得分" if n == 4 else "下一题") in html
        html = post(client, action="next", n=str(n)).get_data(as_text=True)
    assert seen == {"single", "multiple", "judge"}
    assert f"答对 <strong>{expected}</strong> / 5" in html
    assert "再答一次" in html and 'href="/a/A1"' in html and "返回成果介绍" in html
    html = post(client, action="start").get_data(as_text=True)
    assert "第 <strong>1</strong> / 5 题" in html and state(client)["s"] == 0


def test_answers_show_options_in_pack_order_with_letters(app, banks):
    client = app.test_client()
    post(client, action="start")
    answer_until(client, banks, lambda q: q["type"] == "single")
    html = client.get("/a/A1/quiz").get_data(as_text=True)
    texts = re.findall(r'class="quiz-letter">([A-D])</span>\s*<span class="quiz-text">(.)<', html)
    assert texts == [("A", "甲"), ("B", "乙"), ("C", "丙"), ("D", "丁")]


def test_the_number_comes_from_config_and_a_small_bank_uses_what_it_has(tmp_path):
    app = make_test_app(tmp_path / "instance", KIOSK_QUIZ_QUESTIONS=3)
    banks = install(app, tmp_path)
    client = app.test_client()
    post(client, action="start")
    assert len(state(client)["q"]) == 3
    assert {banks["A1"][p]["type"] for p in state(client)["q"]} == {"single", "multiple", "judge"}
    assert '共 <strong class="quiz-number">2</strong> 道题' in client.get("/a/A2/quiz").get_data(as_text=True)
    html = post(client, "A2", action="start").get_data(as_text=True)
    assert sorted(state(client)["q"]) == [0, 1] and "/ 2 题" in html


def test_usage_counts_each_question_once_even_when_replayed(app, banks):
    client = app.test_client()
    post(client, action="start")
    post(client, action="start")
    index, question = current(client, banks)
    before = client.get_cookie("session").value
    for _ in range(2):
        post(client, action="answer", n=str(index), choice=right_choice(question))
    client.set_cookie("session", before)
    html = post(client, action="answer", n=str(index), choice=right_choice(question)).get_data(as_text=True)
    assert "回答正确" in html
    assert counts(app) == {"quiz_taken": 1, "quiz_answered": 1, "quiz_correct": 1}
    post(client, action="next", n=str(index))
    index, question = current(client, banks)
    post(client, action="answer", n=str(index), choice=wrong_choice(question))
    assert counts(app) == {"quiz_taken": 1, "quiz_answered": 2, "quiz_correct": 1}
    assert state(client)["s"] == 1


def test_a_replayed_cookie_cannot_answer_again_or_raise_the_score(app, banks):
    client = app.test_client()
    post(client, action="start")
    total = len(state(client)["q"])
    for _ in range(total):
        index, question = current(client, banks)
        before = client.get_cookie("session").value
        assert "回答错误" in post(client, action="answer", n=str(index), choice=wrong_choice(question)).get_data(
            as_text=True
        )
        client.set_cookie("session", before)  # back to before the wrong answer, as a prize hunter would
        html = post(client, action="answer", n=str(index), choice=right_choice(question)).get_data(as_text=True)
        assert "回答正确" not in html
        post(client, action="next", n=str(index))
    assert state(client)["s"] == 0 and state(client)["i"] == total
    assert f"答对 <strong>0</strong> / {total}" in client.get("/a/A1/quiz").get_data(as_text=True)


@pytest.mark.parametrize(
    "form",
    [
        {"action": "answer", "n": "3", "choice": ["0"]},
        {"action": "answer", "n": "0", "choice": ["x"]},
        {"action": "answer", "n": "0", "choice": ["9"]},
        {"action": "answer", "n": "0"},
        {"action": "next", "n": "0"},
        {"action": "bogus"},
        {},
    ],
)
def test_stale_or_forged_posts_show_the_current_question_again(app, banks, form):
    client = app.test_client()
    post(client, action="start")
    before = state(client)
    response = post(client, **form)
    html = response.get_data(as_text=True)
    _, question = current(client, banks)
    assert response.status_code == 200 and question["question"] in html
    assert "回答正确" not in html and "回答错误" not in html
    assert {k: v for k, v in state(client).items() if k != "t"} == {k: v for k, v in before.items() if k != "t"}
    assert counts(app) == {"quiz_taken": 1}


def test_two_picks_on_a_single_choice_question_are_refused(app, banks):
    client = app.test_client()
    post(client, action="start")
    answer_until(client, banks, lambda q: q["type"] != "multiple")
    index, _ = current(client, banks)
    post(client, action="answer", n=str(index), choice=["0", "1"])
    assert state(client)["c"] is None and state(client)["i"] == index


def test_multiple_choice_with_nothing_picked_asks_to_pick(app, banks):
    client = app.test_client()
    post(client, action="start")
    answer_until(client, banks, lambda q: q["type"] == "multiple")
    index, question = current(client, banks)
    html = post(client, action="answer", n=str(index)).get_data(as_text=True)
    assert "请至少选择一项" in html and 'type="checkbox"' in html and "提交答案" in html
    assert state(client)["c"] is None
    assert "请至少选择一项" not in client.get("/a/A1/quiz").get_data(as_text=True)


def test_a_post_for_another_achievement_leaves_this_quiz_alone(app, banks):
    client = app.test_client()
    post(client, action="start")
    before = state(client)
    html = post(client, "A2", action="answer", n="0", choice=["0"]).get_data(as_text=True)
    assert "开始答题" in html and state(client) == before
    html = client.get("/a/A1/quiz").get_data(as_text=True)
    assert current(client, banks)[1]["question"] in html


def test_a_reload_resumes_where_the_visitor_was(app, banks):
    client = app.test_client()
    post(client, action="start")
    index, question = current(client, banks)
    assert question["question"] in client.get("/a/A1/quiz").get_data(as_text=True)
    post(client, action="answer", n=str(index), choice=right_choice(question))
    html = client.get("/a/A1/quiz").get_data(as_text=True)
    assert "回答正确" in html and "下一题" in html


def test_the_attract_loop_ends_a_quiz_left_on_the_kiosk_screen(app, banks):
    client = app.test_client()
    post(client, action="start")
    client.get("/attract")
    assert state(client) is None
    assert "开始答题" in client.get("/a/A1/quiz").get_data(as_text=True)


def test_a_quiz_left_for_half_an_hour_starts_over(app, banks, monkeypatch):
    client = app.test_client()
    post(client, action="start")
    later = quiz.time.time() + quiz.STATE_SECONDS + 5
    assert "开始答题" not in client.get("/a/A1/quiz").get_data(as_text=True)
    monkeypatch.setattr(quiz.time, "time", lambda: later)
    assert "开始答题" in client.get("/a/A1/quiz").get_data(as_text=True)


def test_htmx_gets_the_panel_and_a_plain_form_is_redirected(app, banks):
    client = app.test_client()
    response = post(client, follow=False, action="start")
    assert response.status_code == 303 and response.headers["Location"] == "/a/A1/quiz"
    index, question = current(client, banks)
    response = client.post(
        "/a/A1/quiz",
        headers={"HX-Request": "true", "HX-Target": "quiz"},
        data={"csrf_token": token(client), "action": "answer", "n": str(index), "choice": right_choice(question)},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<section id="quiz"' in html and "<html" not in html and "回答正确" in html
    assert 'hx-target="#quiz"' in html


def test_unknown_achievement_is_404_and_no_questions_is_a_friendly_page(app, banks):
    client = app.test_client()
    response = client.get("/a/NOPE/quiz")
    assert response.status_code == 404 and "找不到这个页面" in response.get_data(as_text=True)
    assert post(client, "NOPE", action="start").status_code == 404
    response = client.get("/a/A3/quiz")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "暂时还没有答题挑战" in html and 'href="/a/A3"' in html
    assert "暂时还没有答题挑战" in post(client, "A3", action="start").get_data(as_text=True)


def test_a_post_without_the_csrf_token_is_refused(app, banks):
    client = app.test_client()
    client.get("/a/A1/quiz")
    assert client.post("/a/A1/quiz", data={"action": "start"}).status_code == 400
    assert state(client) is None


def test_the_session_cookie_stays_small(tmp_path):
    app = make_test_app(tmp_path / "instance", KIOSK_QUIZ_QUESTIONS=12)
    install(app, tmp_path)
    client = app.test_client()
    post(client, action="start")
    assert len(client.get_cookie("session").value) < 400


def test_a_phone_taking_quiz_after_quiz_counts_once_per_window(app, banks):
    phone = {"REMOTE_ADDR": "192.168.1.23"}
    for _ in range(3):
        client = app.test_client()
        client.environ_base.update(phone)
        post(client, action="start")
        index, question = current(client, banks)
        post(client, action="answer", n=str(index), choice=right_choice(question))
    assert counts(app) == {"quiz_taken": 1, "quiz_answered": 1, "quiz_correct": 1}
