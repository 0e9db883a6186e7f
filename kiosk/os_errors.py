"""Operating system errors as staff read them: in Chinese, named by errno, never the system's English text."""

import errno

TEXTS = {
    errno.ENOSPC: "{place}已满",
    errno.EDQUOT: "{place}已满（超出配额）",
    errno.EROFS: "{place}是只读的，不能写入",
    errno.EIO: "{place}读写出错（可能已损坏或被拔出）",
    errno.EACCES: "没有写入{place}的权限",
    errno.EPERM: "没有写入{place}的权限",
    errno.ENOENT: "找不到要写入的文件或目录",
}


def describe(error, place="本机磁盘"):
    """Return an OSError in Chinese, naming the place written to (本机磁盘, U盘)."""
    text = TEXTS.get(getattr(error, "errno", None))
    return text.format(place=place) if text else f"系统错误（代码 {getattr(error, 'errno', '?')}）"
