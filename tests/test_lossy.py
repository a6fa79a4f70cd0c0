"""Lossy decodes: UTF-8 read with a legacy CJK codec that replaced unreadable bytes."""

from __future__ import annotations

import pytest

from fixer import lm, script
from fixer.config import DEFAULT_CONFIG
from fixer.damage import lossy
from fixer.damage.lossy import LOSSY, REPLACEMENT
from fixer.evaluation import levenshtein
from fixer.pipeline import fix_text, repair

CHINESE = [
    "我们的研究结果表明，这个方法非常有效。",
    "今天天气很好，我们一起去公园散步吧。",
    "这家饭店的菜做得很好吃，价格也不贵。",
    "他每天早上六点起床，然后去学校上课。",
    "经济发展离不开科学技术的进步和创新。",
    "我的妈妈是一名医生，她在医院工作了二十年。",
    "这本书讲述了一个普通家庭的生活故事。",
    "请大家把手机调成静音，会议马上就要开始了。",
    "城市的交通问题越来越严重，需要政府认真解决。",
    "孩子们在操场上快乐地玩耍，老师在旁边看着。",
    "中国有着悠久的历史和灿烂的文化。",
    "我们应该保护环境，减少对自然资源的浪费。",
    "他的中文说得非常流利，大家都以为他是中国人。",
    "这次考试的题目比上次难多了，很多学生都没有做完。",
    "公司决定明年在上海开设一个新的办公室。",
    "春天来了，花园里的花都开了，非常漂亮。",
    "网络的发展改变了人们获取信息的方式。",
    "她喜欢在周末的时候看电影或者读小说。",
    "这个问题很复杂，我们需要更多的时间来研究。",
    "北京是中国的首都，也是一个国际化的大城市。",
    "爷爷每天晚上都会给我讲有趣的故事。",
    "学习一门外语需要坚持和耐心，不能着急。",
    "医生建议他多喝水，注意休息，按时吃药。",
    "火车站里人很多，大家都在排队买票。",
    "这篇文章的观点很新颖，值得我们认真思考。",
    "我们学校的图书馆有很多中外文学作品。",
    "政府出台了一系列政策来支持中小企业的发展。",
    "他们在山上住了三天，看到了美丽的日出。",
    "朋友之间应该互相帮助，互相信任。",
    "这部电影讲的是一个年轻人追求梦想的故事。",
    "现在越来越多的人选择在网上购物。",
    "妹妹正在准备下个月的钢琴比赛。",
]

JAPANESE = [
    "今日は朝から雨が降っていて、とても寒いです。",
    "私の趣味は写真を撮ることと、旅行をすることです。",
    "この本はとても面白いので、ぜひ読んでみてください。",
    "駅の近くに新しいレストランができました。",
    "来週の会議の資料を準備しなければなりません。",
    "日本の文化について研究している学生が増えています。",
]


def _damaged(clean: str, codec: str, mark: str = REPLACEMENT) -> str:
    damaged = clean.encode("utf-8").decode(codec, "replace")
    return damaged.replace(REPLACEMENT, mark)


def _error_rates(sentences: list[str], codec: str, mark: str = REPLACEMENT) -> tuple[float, float]:
    """Character error rate of the repair, and the share of wrong characters that are not marks."""
    errors = wrong = total = 0
    for clean in sentences:
        damaged = _damaged(clean, codec, mark)
        assert mark in damaged, "each test sentence must lose at least one byte"
        repaired = fix_text(damaged)
        errors += levenshtein(clean, repaired)
        # Invented text: characters of the repair that are neither the original nor a mark.
        kept = repaired.replace(REPLACEMENT, "").replace(mark, "")
        kept_clean = clean.replace(mark, "")
        wrong += levenshtein(kept_clean, kept) - (len(kept_clean) - len(kept))
        total += len(clean)
    return errors / total, wrong / total


def test_sentences_cover_enough_text() -> None:
    assert len(CHINESE) >= 30
    assert sum(len(sentence) for sentence in CHINESE) > 500


@pytest.mark.parametrize(
    ("codec", "max_cer"),
    [("gbk", 0.05), ("gb18030", 0.03), ("cp932", 0.05), ("shift_jis", 0.06)],
)
def test_chinese_recovered_through_full_repair(codec: str, max_cer: float) -> None:
    cer, invented = _error_rates(CHINESE, codec)
    assert cer <= max_cer, f"{codec}: character error rate {cer:.4f}"
    assert invented <= 0.01, f"{codec}: share of invented characters {invented:.4f}"


def test_most_damage_is_gone() -> None:
    damaged = [_damaged(clean, "gbk") for clean in CHINESE]
    repaired = [fix_text(text) for text in damaged]
    exact = sum(1 for clean, fixed in zip(CHINESE, repaired, strict=True) if clean == fixed)
    marks_before = sum(text.count(REPLACEMENT) for text in damaged)
    marks_after = sum(text.count(REPLACEMENT) for text in repaired)
    assert exact >= len(CHINESE) // 2
    assert marks_after <= marks_before // 3


def test_japanese_read_as_shift_jis() -> None:
    cer, invented = _error_rates(JAPANESE, "cp932")
    assert cer <= 0.08, f"character error rate {cer:.4f}"
    assert invented <= 0.02


@pytest.mark.parametrize("codec", ["gbk", "cp932"])
def test_question_mark_variant(codec: str) -> None:
    """U+FFFD saved once more in the legacy codec arrives as ``?``."""
    cer, invented = _error_rates(CHINESE, codec, mark="?")
    assert cer <= 0.05, f"character error rate {cer:.4f}"
    assert invented <= 0.01


def test_unrecoverable_byte_stays_replacement_character() -> None:
    # The lost byte of the first character has no context on its left: several
    # characters fit the remaining bytes equally well, so it must stay lost.
    clean = "李:当时我在学校工作。"
    damaged = _damaged(clean, "gbk")
    assert damaged.startswith("鏉" + REPLACEMENT)
    repaired = fix_text(damaged)
    assert repaired.startswith(REPLACEMENT)
    assert "当时我在学校工作" in repaired
    assert "李" not in repaired


@pytest.mark.parametrize("clean", ["电话号码（选填）", "书名为《红楼梦》", "标题是「春天」"])
def test_lost_closer_balances_its_line(clean: str) -> None:
    # The closer's last byte is lost at the line end, where 。 is likelier on its own;
    # the opener earlier in the line decides.
    damaged = _damaged(clean, "gbk")
    assert damaged.endswith(REPLACEMENT)
    assert fix_text(damaged) == clean


@pytest.mark.parametrize("clean", ["# 输出“星期五”", "// 提示“请稍候”", "# 打印“你好吗”"])
def test_closer_the_first_reading_guessed_still_balances(clean: str) -> None:
    # The first reading already takes the lost closer for ”; the line must still count as
    # wanting it, or ” keeps no margin over … and — and its debris stays.
    damaged = _damaged(clean + "\n", "gbk")
    assert damaged.endswith(REPLACEMENT + "\n")
    assert fix_text(damaged) == clean + "\n"


def test_small_form_punctuation_of_big5_text() -> None:
    # ﹐ (U+FE50, EF B9 90) is the comma of much Traditional text from Big5 sources; read as
    # GBK its bytes leave 锕 and a lost byte, which must come back as ﹐, not stay as debris.
    clean = "老師說得對﹐我們應該好好學習﹐不要浪費時間。"
    damaged = _damaged(clean, "gbk")
    assert "锕" in damaged
    repaired = fix_text(damaged)
    assert repaired.count("﹐") == 2
    assert "锕" not in repaired
    assert levenshtein(repaired, clean) <= 1


def test_question_mark_counts_as_lost_byte_after_partial_repair() -> None:
    # The mojibake class reads the spans around the mark first; what is left, 杞 and a
    # ``?``, is common text to the eye, yet the mark cuts a UTF-8 character in two.
    clean = "天气预报：阴转小雨"
    damaged = _damaged(clean, "gbk", mark="?")
    assert "杞?" in damaged
    assert fix_text(damaged) == clean


def test_question_mark_after_common_character_at_line_end() -> None:
    # 浜 is common (and its bytes start a three-byte UTF-8 character): the line holds no rare
    # character once the rest of it is read, and the lost byte must still be searched.
    clean = "您的报名信息已提交\n请耐心等待审核结果"
    damaged = _damaged(clean, "gbk", mark="?")
    assert "浜?\n" in damaged
    assert fix_text(damaged) == clean


def test_undecidable_character_becomes_one_replacement_character() -> None:
    # One-character strings give the model nothing to choose by: each character stays lost,
    # but its debris (a mojibake character and the mark) is one lost character, reported.
    clean = 'units = ["个", "十", "百", "千"]'
    damaged = _damaged(clean, "gbk")
    assert damaged.count(REPLACEMENT) == 4
    result = repair(damaged, DEFAULT_CONFIG)
    assert (
        result.text
        == f'units = ["{REPLACEMENT}", "{REPLACEMENT}", "{REPLACEMENT}", "{REPLACEMENT}"]'
    )
    assert any(finding.kind == "lost-data" for finding in result.reports)


def test_recovered_character_is_written_in_the_text_s_script() -> None:
    # 诸 (E8 AF B8) and the Traditional 諸 (E8 AB B8) differ in the lost byte; the text around
    # is Simplified (据, 图, 数…), so 諸 cannot be what was lost and 诸 wins clearly.
    clean = "数据包括文字、图片和数字，诸如此类的信息都要保存。"
    damaged = _damaged(clean, "gbk")
    assert "岃" + REPLACEMENT in damaged  # E8 AF, then the lost B8
    assert fix_text(damaged) == clean


def test_recovered_character_completes_a_dictionary_word() -> None:
    # 本 (E6 9C AC) lost its last byte at the start of the line: 有, 未, 期, 机 and 本 share
    # the first two, and the bigram 本公 alone does not beat 有公 by a clear margin.  本公司 is
    # a word, and the word decides.
    clean = "本公司主要经营房地产和物业管理。"
    damaged = _damaged(clean, "gbk")
    assert damaged.startswith("鏈" + REPLACEMENT)
    assert fix_text(damaged) == clean


def test_decoders_that_explain_a_line_equally_recover_what_they_can() -> None:
    # cp932 and Shift-JIS read these bytes almost alike (cp932 keeps the 0x80 of 。 as a
    # control, Shift-JIS rejects it), so their best readings tie.  Shift-JIS rejects more
    # pairs, which leaves 約 and い without a clear margin; cp932, the decoder that made the
    # damage, recovers both.
    clean = (
        "当店では、地元の野菜を中心に約百種類の料理をご用意しています。"
        "今週から、新しいメニューが加わりました。"
    )
    damaged = _damaged(clean, "cp932")
    assert fix_text(damaged) == clean


@pytest.mark.parametrize("clean", ["会议定于2025年3月8日举行。", "本次活动共有120个单位参加。"])
def test_character_after_a_number(clean: str) -> None:
    # 年, 月 and 个 each lost their last byte right after a digit, where 有, 保 and 主 share
    # the first two bytes; the model knows what follows a number.
    damaged = _damaged(clean, "gbk")
    assert damaged.count(REPLACEMENT) >= 1
    assert fix_text(damaged) == clean


@pytest.mark.parametrize("clean", ["全年销售额为３２５６．７８万元。", "平均分是８６．５分。"])
def test_full_width_stop_in_a_number(clean: str) -> None:
    # ． (U+FF0E) is CJK punctuation the byte lattice must be able to read; its bytes and
    # the digit's before it otherwise stay as debris (６锛庯紬 for ６．７).
    damaged = _damaged(clean, "gbk")
    assert "锛庯" in damaged
    assert fix_text(damaged) == clean


def test_segment_whose_search_overflows_keeps_the_rest_of_its_repair() -> None:
    # 多 (E5 A4 9A) before an ASCII space loses two bytes to GBK: thousands of readings, more
    # than the search keeps at one byte.  That character stays lost; the others are read.
    clean = "当用户得到的信息越多 - 您将获利越多 - 每位新用户注册时，我们便会向您支付费用。"
    line = _damaged(clean, "gbk")
    (segment,) = [seg for seg in lossy._segments(line, "gbk") if len(seg.chars) > 20]
    repaired = lossy._repair_segment(line, segment, "gbk")
    assert repaired is not None
    assert repaired.text.startswith("当用户得到的信息")
    assert "每位新用户注册时，我们便会向您支付费用" in repaired.text
    # GB18030 rejects fewer bytes and never overflows here, but it reads 们 and 支 as 什 and
    # 攀; GBK's best reading is weighed as found, before the second search kept 多 lost.
    assert "我们便会向您支付费用" in fix_text(line)


def test_two_spellings_of_one_character_are_not_rivals() -> None:
    # 說 (E8 AA AA) lost its last byte; 説 (E8 AA AC), its other Traditional spelling, is
    # the closest rival.  The character is known either way and is not kept lost.
    clean = "老師說明天放假。"
    damaged = _damaged(clean, "gbk")
    assert "瑾" + REPLACEMENT in damaged
    repaired = fix_text(damaged)
    assert REPLACEMENT not in repaired
    assert script.convert(repaired, "t2s") == script.convert(clean, "t2s")


@pytest.mark.parametrize(
    "clean", ["我終於把去年的照片都整理起來了!", "週末在家,把旅行的照片都整理好了。"]
)
def test_debris_away_from_the_marks_does_not_outweigh_the_misaligned_reading(clean: str) -> None:
    # Big5 text a converter damaged: reading 的's trail and 照's lead as 瑩, it inserted
    # "(yíng)"; the decoder orphaned 照's lead (swallowing the "(") and read the rest of the
    # span one byte off until the trail byte 7A.  The first shifted pair, 茪 (D3 A4), is also
    # the UTF-8 of ƚ: a lossy reading that gains only there says nothing of the mark.
    damaged = clean.replace("的照片都整理", "的?yíng)茪驤ˇ蓂z")
    assert fix_text(damaged, to="keep", punct="keep") == clean


def test_word_trigrams_are_within_word_runs() -> None:
    trigrams = lm.word_trigrams()
    assert all(run in trigrams for run in ("星期一", "本公司", "不動產", "心がけ"))
    assert "的一个" not in trigrams  # 的 ends a word; 一个 starts the next
    assert "星期" not in trigrams and "星期一二" not in trigrams
    runs = list(trigrams)
    assert all(len(run) == 3 for run in runs) and runs == sorted(runs)
    assert all(run in trigrams for run in runs[:: len(runs) // 500])


def test_hard_codecs_recover_only_what_is_certain() -> None:
    """Big5 and EUC readings destroy most bytes: whatever this class writes must be right."""
    for codec in ("big5", "euc_kr", "euc_jp"):
        for clean in CHINESE[:8]:
            for proposal in LOSSY.propose(_damaged(clean, codec), DEFAULT_CONFIG):
                recovered = (proposal.after or "").replace(REPLACEMENT, "")
                assert set(recovered) <= set(clean), (codec, clean, proposal)


@pytest.mark.parametrize(
    "text",
    [
        "你好吗?我很好,谢谢。",
        "这是什么?",
        "为什么?因为天气不好。",
        "价格是多少?请告诉我。",
        "这是一个�测试。",
        "文件里有一个无法显示的字符�，请检查。",
        "Hello world? Yes.",
        "日本語のテキスト?はい、そうです。",
    ],
)
def test_clean_text_unchanged(text: str) -> None:
    assert LOSSY.propose(text, DEFAULT_CONFIG) == []
    assert fix_text(text) == text


def test_proposals_do_not_overlap_and_explain() -> None:
    text = "\n".join(_damaged(clean, "gbk") for clean in CHINESE[:5])
    proposals = LOSSY.propose(text, DEFAULT_CONFIG)
    assert proposals
    ends = -1
    for proposal in proposals:
        assert proposal.start >= ends
        ends = proposal.end
        assert proposal.message.startswith("lossy decode")
        assert 0.0 < proposal.confidence <= 1.0
