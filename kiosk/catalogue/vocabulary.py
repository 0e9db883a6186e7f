"""The words of the 五小 campaign, defined once: awards, categories, kinds, originality, patents, question types."""

AWARDS = {"first": "一等奖", "second": "二等奖", "third": "三等奖", "encouragement": "鼓励奖"}
# The order the screens list winners in; None is an achievement shown without an award.
AWARD_ORDER = ("first", "second", "third", "encouragement", None)
AWARD_NAMES = {**AWARDS, None: "展示成果"}
AWARD_RANK_SQL = (
    "CASE award WHEN 'first' THEN 1 WHEN 'second' THEN 2 WHEN 'third' THEN 3 WHEN 'encouragement' THEN 4 ELSE 5 END"
)
CATEGORIES = ("小发明", "小创造", "小革新", "小设计", "小建议")
KINDS = ("设备革新", "方法创新", "工作创意")
ORIGINALITY = ("全部自主独创", "部分自主创新", "综合应用")
PATENTS = ("发明专利", "实用新型专利", "软著")
QUESTION_TYPES = {"single": "单选题", "multiple": "多选题", "judge": "判断题"}
JUDGE_OPTIONS = ["正确", "错误"]
