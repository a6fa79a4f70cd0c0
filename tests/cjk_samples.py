"""Sample Chinese words and the GBK mojibake of their UTF-8 bytes, for record-level tests."""

from __future__ import annotations

#: Two-character words whose UTF-8 bytes also read as GBK.
WORDS = (
    "我们", "国家", "发展", "科技", "成果", "人民", "记者", "报道", "会议", "今天",
    "数据", "文本", "中文", "清洗", "公园", "天气", "产业", "推动", "东北", "转化",
)  # fmt: skip


def gbk_mojibake(source: str) -> str:
    """*source*'s UTF-8 bytes read as GBK."""
    return source.encode("utf-8").decode("gbk")


def readable_words() -> list[str]:
    """The words whose UTF-8 bytes decode as GBK on their own."""
    usable = []
    for word in WORDS:
        try:
            gbk_mojibake(word)
        except UnicodeDecodeError:
            continue
        usable.append(word)
    assert len(usable) >= 8, "too few words survive the GBK round trip"
    return usable
