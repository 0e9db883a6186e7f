"""The Chinese names staff see for the outbox's states, the kinds of sync run and how a run ended."""

STATE_NAMES = {"pending": "待发送", "delivered": "已送达", "conflict": "内容冲突", "invalid": "不合格"}
RESULT_NAMES = {
    "ok": "完成",
    "incomplete": "未全部完成",
    "unreachable": "中央系统无法连接",
    "stopped": "被中央拒绝",
    "failed": "失败",
    "interrupted": "被中断",
}
KIND_NAMES = {"push": "推送", "pull": "拉取内容包", "export": "导出离线包"}
