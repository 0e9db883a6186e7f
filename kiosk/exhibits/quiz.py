"""The quiz on an achievement: a few questions drawn from its bank, one per screen, then the score."""

import json
import random
import secrets
import threading
import time
from collections import OrderedDict

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for

from kiosk.catalogue.vocabulary import QUESTION_TYPES
from kiosk.db import get_db
from kiosk.exhibits import usage
from kiosk.web.htmx import wants_part

bp = Blueprint("quiz", __name__)
STATE = "quiz"
JUDGE_MARKS = {"正确": "✓", "错误": "✗"}
STATE_SECONDS = 30 * 60
LEDGER_SIZE = 4096

LEDGER = "kiosk.quiz_ledger"


class Ledger:
    """Quizzes under way, kept by the server (the session holds only which one), and the answers counted.

    A cookie replayed from before an answer finds the quiz as it is now: it cannot answer again or change a
    score, and a replayed or concurrent POST counts once."""

    def __init__(self):
        """Start with no quiz and nothing counted."""
        self.seen = OrderedDict()
        self.quizzes = OrderedDict()
        self.lock = threading.Lock()

    def first_time(self, key):
        """Return True the first time key is seen, False after; the oldest keys are forgotten first."""
        with self.lock:
            return self._remember(self.seen, key, True)

    def get(self, nonce):
        """Return a copy of the quiz with this nonce as it is now, or None."""
        with self.lock:
            found = self.quizzes.get(nonce)
            return dict(found) if found else None

    def put(self, state):
        """Keep the quiz's state under its nonce."""
        with self.lock:
            self.quizzes.pop(state["k"], None)
            self._remember(self.quizzes, state["k"], dict(state))

    def _remember(self, kept, key, value):
        """Add key to kept unless there, dropping the oldest past LEDGER_SIZE; return whether it was new."""
        if key in kept:
            return False
        kept[key] = value
        while len(kept) > LEDGER_SIZE:
            kept.popitem(last=False)
        return True


def draw(bank, n, rng=random):
    """Return n positions from bank [(position, type)], one of each type first, in random order."""
    by_type = {}
    for position, kind in bank:
        by_type.setdefault(kind, []).append(position)
    kinds = list(by_type)
    rng.shuffle(kinds)
    picked = [rng.choice(by_type[kind]) for kind in kinds[:n]]
    if len(picked) < n:
        rest = [position for position, _ in bank if position not in picked]
        picked += rng.sample(rest, min(n - len(picked), len(rest)))
    rng.shuffle(picked)
    return picked


def is_right(question, chosen):
    """Return whether the chosen option indexes are exactly the right ones."""
    return sorted(chosen) == sorted(question["answer"])


def first_time(*key):
    """Return True the first time this key is seen by this kiosk, False after."""
    return current_app.extensions[LEDGER].first_time(key)


def init_app(app):
    """Give the app its ledger of counted answers."""
    app.extensions[LEDGER] = Ledger()


def achievement_title(db, achievement_id):
    """Return the achievement's title, or abort with the 404 page."""
    row = db.execute("SELECT title FROM achievements WHERE id = ?", [achievement_id]).fetchone()
    if row is None:
        abort(404)
    return row[0]


def question_bank(db, achievement_id):
    """Return [(position, type)] of the achievement's questions, in pack order."""
    return db.execute(
        "SELECT position, type FROM quiz_questions WHERE achievement_id = ? ORDER BY position", [achievement_id]
    ).fetchall()


def load_question(db, achievement_id, position):
    """Return one question with its options and answer decoded, or None."""
    row = db.execute(
        "SELECT type, question, options, answer, explanation FROM quiz_questions "
        "WHERE achievement_id = ? AND position = ?",
        [achievement_id, position],
    ).fetchone()
    if row is None:
        return None
    return {
        "type": row[0],
        "question": row[1],
        "options": json.loads(row[2]),
        "answer": json.loads(row[3]),
        "explanation": row[4] or "",
    }


def quiz_size():
    """Return how many questions a quiz draws (app.config['KIOSK_QUIZ_QUESTIONS'], at least 1)."""
    return max(1, int(current_app.config["KIOSK_QUIZ_QUESTIONS"]))


def current_state(db, achievement_id):
    """Return this visitor's quiz on the achievement as the server keeps it, or None if none is usable."""
    mine = session.get(STATE)
    if not isinstance(mine, dict) or mine.get("a") != achievement_id:
        return None
    state = current_app.extensions[LEDGER].get(mine.get("k"))
    if state is None or state["a"] != achievement_id or abs(time.time() - state.get("t", 0)) > STATE_SECONDS:
        return None
    positions = {p for p, _ in question_bank(db, achievement_id)}
    if not state.get("q") or not set(state["q"]) <= positions:
        return None  # a new pack changed the bank under it
    return state


def save(state):
    """Keep the quiz state on the server, stamped with now; the session says only which quiz is this visitor's."""
    state["t"] = int(time.time())
    current_app.extensions[LEDGER].put(state)
    session[STATE] = {"a": state["a"], "k": state["k"]}


def parse_choices(question):
    """Return the posted option indexes as a sorted list, or None if they are not a valid pick."""
    try:
        chosen = sorted({int(v) for v in request.form.getlist("choice")})
    except ValueError:
        return None
    if any(not 0 <= i < len(question["options"]) for i in chosen):
        return None
    if question["type"] != "multiple" and len(chosen) > 1:
        return None
    return chosen


def option_rows(question, chosen):
    """Return the options as the templates show them: mark (A, B… or ✓/✗), text, whether right and chosen."""
    rows = []
    for i, text in enumerate(question["options"]):
        mark = chr(ord("A") + i)
        if question["type"] == "judge":
            mark = JUDGE_MARKS.get(text, mark)
        rows.append(
            {"index": i, "mark": mark, "text": text, "right": i in question["answer"], "chosen": i in (chosen or [])}
        )
    return rows


def screen_context(db, achievement_id, state):
    """Return what the quiz panel shows for this state: start, question, answer, score or none."""
    bank = question_bank(db, achievement_id)
    context = {
        "achievement_id": achievement_id,
        "title": achievement_title(db, achievement_id),
        "type_names": QUESTION_TYPES,
    }
    if not bank:
        return {**context, "screen": "none"}
    if state is None:
        size = min(len(bank), quiz_size())
        kinds = [name for k, name in QUESTION_TYPES.items() if k in {kind for _, kind in bank}]
        return {**context, "screen": "start", "size": size, "kinds": kinds}
    total, index = len(state["q"]), state["i"]
    context.update(total=total, index=index, score=state["s"])
    if index >= total:
        return {**context, "screen": "score"}
    question = load_question(db, achievement_id, state["q"][index])
    chosen = state.get("c")
    context.update(question=question, options=option_rows(question, chosen), last=index + 1 == total)
    if chosen is None:
        return {**context, "screen": "question"}
    return {**context, "screen": "answer", "right": is_right(question, chosen)}


def start(db, achievement_id, state):
    """Draw a new quiz unless one is under way (a double tap on 开始答题 starts one, counted once)."""
    if state is not None and state["i"] < len(state["q"]):
        return
    bank = question_bank(db, achievement_id)
    if not bank:
        return
    # A phone's quizzes count (taken, then each answer) once per window: further ones are played, not counted.
    counted = usage.count_visit("quiz_taken", achievement_id)
    save(
        {
            "a": achievement_id,
            "k": secrets.token_hex(8),
            "q": draw(bank, quiz_size()),
            "i": 0,
            "s": 0,
            "c": None,
            "counted": counted,
        }
    )


def answer(db, achievement_id, state):
    """Mark the posted answer to the current question, once; anything stale only re-shows the screen."""
    if state is None or state["i"] >= len(state["q"]) or state.get("c") is not None:
        return
    if request.form.get("n") != str(state["i"]):
        return
    question = load_question(db, achievement_id, state["q"][state["i"]])
    chosen = parse_choices(question)
    if chosen is None:
        return
    if not chosen:
        flash("请至少选择一项，再点“提交答案”")
        return
    right = is_right(question, chosen)
    save({**state, "c": chosen, "s": state["s"] + int(right)})
    if state.get("counted") and first_time(state.get("k"), state["i"]):
        usage.count("quiz_answered", achievement_id)
        if right:
            usage.count("quiz_correct", achievement_id)
        usage.count_question(achievement_id, question["question"], right)


def next_question(state):
    """Move on from an answered question to the next one, or to the score."""
    if state is None or state.get("c") is None or request.form.get("n") != str(state["i"]):
        return
    save({**state, "i": state["i"] + 1, "c": None})


def wants_panel():
    """Return whether htmx asked for the #quiz panel alone."""
    return wants_part("quiz")


def render_quiz(db, achievement_id, state):
    """Render the quiz: the panel alone for htmx swapping #quiz, the whole page otherwise."""
    context = screen_context(db, achievement_id, state)
    if wants_panel():
        return render_template("quiz/_panel.html", **context)
    return render_template("quiz/quiz.html", **context)


@bp.before_app_request
def forget_quiz_on_attract():
    """End any quiz when the kiosk screen goes back to its attract loop: the next visitor starts afresh."""
    if request.endpoint == "exhibits.attract":
        session.pop(STATE, None)


@bp.get("/a/<achievement_id>/quiz")
def show(achievement_id):
    """Show the quiz where this visitor is: the start screen, a question, its answer or the score."""
    db = get_db()
    return render_quiz(db, achievement_id, current_state(db, achievement_id))


@bp.post("/a/<achievement_id>/quiz")
def act(achievement_id):
    """Start, answer or move on; the panel for htmx, a redirect to the quiz otherwise."""
    db = get_db()
    achievement_title(db, achievement_id)
    action = request.form.get("action")
    state = current_state(db, achievement_id)
    if action == "start":
        start(db, achievement_id, state)
    elif action == "answer":
        answer(db, achievement_id, state)
    elif action == "next":
        next_question(state)
    if wants_panel():
        return render_quiz(db, achievement_id, current_state(db, achievement_id))
    return redirect(url_for("quiz.show", achievement_id=achievement_id), 303)
