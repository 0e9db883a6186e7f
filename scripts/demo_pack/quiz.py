"""Each achievement's question bank: questions on its own facts, then general 五小 knowledge, options shuffled."""

import json
import random

from demo_pack.content import content
from kiosk.catalogue.vocabulary import AWARDS, CATEGORIES, KINDS, ORIGINALITY

SEED = 20241018


def shuffled(q: dict, rng: random.Random) -> dict:
    """Return a copy of the question with its options shuffled and the answer moved with them."""
    q = json.loads(json.dumps(q))
    if q["type"] == "judge":
        return q
    order = list(range(len(q["options"])))
    rng.shuffle(order)
    q["options"] = [q["options"][i] for i in order]
    q["answer"] = sorted(order.index(a) for a in q["answer"])
    return q


def specific_quiz(ach: dict, all_units: list[str], rng: random.Random) -> list[dict]:
    """Return the questions on this achievement's own facts."""
    t = f"“{ach['title']}”"
    qs = [
        {
            "type": "single",
            "question": f"{t}属于哪一类“五小”成果？",
            "options": list(CATEGORIES),
            "answer": [CATEGORIES.index(ach["category"])],
            "explanation": f"该成果申报的成果类别是{ach['category']}。",
        },
        {
            "type": "single",
            "question": f"{t}的申报类型是？",
            "options": list(KINDS),
            "answer": [KINDS.index(ach["kind"])],
            "explanation": f"该成果的申报类型是{ach['kind']}。"
            + ("小建议对应工作创意（合理化建议）。" if ach["kind"] == "工作创意" else ""),
        },
        {
            "type": "single",
            "question": f"{t}获得了什么奖项？",
            "options": ["一等奖", "二等奖", "三等奖", "鼓励奖"],
            "answer": [["first", "second", "third", "encouragement"].index(ach["award"])],
            "explanation": f"该成果获得{AWARDS[ach['award']]}。",
        },
        {
            "type": "judge",
            "question": f"{t}被申报为新质生产力成果。",
            "options": ["正确", "错误"],
            "answer": [0 if ach["new_quality_productivity"] else 1],
            "explanation": "申报时填写为新质生产力。"
            if ach["new_quality_productivity"]
            else "申报时填写为不属于新质生产力。",
        },
        {
            "type": "single",
            "question": f"{t}的独创性属于哪一种？",
            "options": ["全部自主独创", "部分自主创新", "综合应用（无自主独创）"],
            "answer": [ORIGINALITY.index(ach["originality"])],
            "explanation": f"推荐表中该成果的独创性为{ach['originality']}。",
        },
    ]
    others = [u for u in dict.fromkeys(all_units) if u != ach["unit"]]
    opts = [ach["unit"]] + rng.sample(others, 3)
    qs.append(
        {
            "type": "single",
            "question": f"{t}的成果完成单位是？",
            "options": opts,
            "answer": [0],
            "explanation": f"成果完成单位是{ach['unit']}。",
        }
    )
    if ach["patents"]:
        qs.append(
            {
                "type": "judge",
                "question": f"{t}已取得{ach['patents'][0]}。",
                "options": ["正确", "错误"],
                "answer": [0],
                "explanation": "专利情况：" + "、".join(ach["patents"]) + "。",
            }
        )
    else:
        qs.append(
            {
                "type": "judge",
                "question": f"{t}已取得发明专利。",
                "options": ["正确", "错误"],
                "answer": [1],
                "explanation": "该成果的专利情况为“无”；小建议类成果通常以合理化建议的形式推广。",
            }
        )
    qs += ach["_extra_quiz"]
    return qs


def build_quiz(ach: dict, all_units: list[str]) -> list[dict]:
    """Return the achievement's bank: its own questions and 12 general ones, shuffled with a fixed seed."""
    rng = random.Random(f"{SEED}-{ach['id']}-quiz")
    general = rng.sample(content()["general_quiz"], 12)
    qs = specific_quiz(ach, all_units, rng) + general
    return [shuffled(q, rng) for q in qs]
