"""Misaligned double-byte damage: simulated byte rewrites are undone, clean text is left alone."""

from __future__ import annotations

import itertools

import pytest

import fixer
from fixer.config import make_config
from fixer.damage.base import Proposal
from fixer.damage.misaligned import (
    _ANNOTATION,
    MISALIGNED,
    _reannotate,
    _split,
    _windows,
    propose,
)
from fixer.damage.pinyin import is_reading, is_usual_reading


def _halve(data: bytes) -> bytes:
    """Rewrite GBK full-width ASCII (A3 xx) to half-width at every byte offset."""
    out, index = bytearray(), 0
    while index < len(data):
        if data[index] == 0xA3 and index + 1 < len(data) and data[index + 1] >= 0xA1:
            out.append(data[index + 1] - 0x80)
            index += 2
        else:
            out.append(data[index])
            index += 1
    return bytes(out)


def _annotate(data: bytes, readings: dict[str, str], codec: str = "gbk") -> bytes:
    """Insert ``(syllable)`` after the code of each given character, at every byte offset."""
    codes = {
        char.encode(codec): f"({syllable})".encode(codec) for char, syllable in readings.items()
    }
    out, index = bytearray(), 0
    while index < len(data):
        pair = data[index : index + 2]
        if pair in codes:
            out += pair + codes[pair]
            index += 2
        else:
            out.append(data[index])
            index += 1
    return bytes(out)


def _decode_with_orphans(data: bytes, codec: str = "gbk") -> str:
    """Decode pair by pair; an undecodable lead byte becomes '?' and swallows '(' or '<'."""
    out, index = [], 0
    while index < len(data):
        if data[index] < 0x80:
            out.append(chr(data[index]))
            index += 1
            continue
        try:
            out.append(data[index : index + 2].decode(codec))
            index += 2
        except UnicodeDecodeError:
            out.append("?")
            swallow = index + 1 < len(data) and data[index + 1] in b"(<"
            index += 2 if swallow else 1
    return "".join(out)


def damage(text: str, readings: dict[str, str] | None = None) -> str:
    """The converter's byte rewrites on the GBK bytes of *text*, decoded as the crawler did."""
    return _decode_with_orphans(_annotate(_halve(text.encode("gbk")), readings or {}))


@pytest.mark.parametrize(
    ("clean", "readings"),
    [
        ("白日依山盡,黃河入海流。\n", {}),  # half-width byte hidden in a trail byte
        ("至3月5日結束,共計40天。預計全國鐵路發送旅客4.8億人次。", {}),
        ("這是一項長期工作,要推動東北全面振興。", {"訓": "xùn"}),  # pinyin across a boundary
    ],
)
def test_simulated_damage_is_undone(clean: str, readings: dict[str, str]) -> None:
    damaged = damage(clean, readings)
    assert damaged != clean
    assert "?" in damaged
    assert fixer.fix_text(damaged) == clean


@pytest.mark.parametrize("clean", ["我們應該保護環境,節約用水。", "這是一部關於保護海洋的紀錄片。"])
def test_rewrite_hidden_in_trail_bytes_without_any_mark(clean: str) -> None:
    # 保 ends in A3 and 護 starts with D7: the rewrite turned that pair into 'W', which then
    # read as the trail of 盬, and 護's own trail was left as an 'o'. No byte was orphaned.
    damaged = damage(clean)
    assert "?" not in damaged and "盬o" in damaged
    assert fixer.fix_text(damaged) == clean


@pytest.mark.parametrize(
    ("clean", "shifted"),
    [
        ("他往常上課都很早,從不遲到。", "矷险n"),
        ("這種模式顯然行不通。", "腏斤@"),
        ("這個模式現在很流行。", "腏浆F"),
        ("我們已經精疲力盡了,只想休息。", "艫ΡM"),
    ],
)
def test_rewrite_absorbed_as_a_trail_byte_shifts_the_pairs_after_it(
    clean: str, shifted: str
) -> None:
    # 常 (B3 A3) before 上 (C9 CF): the rewrite turned A3 C9 into 'I', which read as the
    # trail of 矷 (B3 49); the pairs after it stay shifted by one byte, past common
    # characters (险), until a trail byte reads as ASCII. No mark anywhere.
    damaged = damage(clean)
    assert "?" not in damaged and shifted in damaged
    assert fixer.fix_text(damaged, punct="keep") == clean


def test_windows_hold_annotations_whole() -> None:
    # A window (or a part of one) that ended inside "(xià)" was weighed against the literal
    # reading with that annotation whole, and its repair lost.
    readings = {"這": "zhè", "的": "de", "就": "jiù", "多": "duō", "而": "ér", "最": "zuì"}
    readings |= {"下": "xià", "來": "lái", "人": "rén", "會": "huì", "少": "shǎo"}
    line = damage("說起這樣的事情。本身喜歡的人就不多,而學會的人最後堅持下來的更少。", readings)
    groups = [(match.start(2) - 1, match.end()) for match in _ANNOTATION.finditer(line)]
    bounds = []
    for start, end, sites in _windows(line):
        assert len(sites) > 1
        parts = _split(line, start, end, sites)
        bounds += [start, end, *(bound for part in parts for bound in part)]
    assert groups and bounds
    spans = [(start, end) for start, end, _ in _windows(line)]
    assert all(end <= start for (_, end), (start, _) in itertools.pairwise(spans))
    assert [bound for bound in bounds if any(first < bound < last for first, last in groups)] == []


@pytest.mark.parametrize(
    "clean", ["会议结束了。记者随后采访了他。", "比赛已经结束。技术统计显示主队占优。"]
)
def test_swallowed_bracket_the_rewrite_made(clean: str) -> None:
    # 。 (A1 A3) before a character led by BC: the rewrite turned A3 BC into '<', and the
    # decoder, finding A1 before it, orphaned A1 and swallowed the '<'.
    damaged = damage(clean)
    assert "。" not in damaged[: damaged.index("?") + 1]
    assert fixer.fix_text(damaged) == clean


def test_full_width_pair_whose_lead_a_rewrite_consumed() -> None:
    # 。ＡＢＣ: the rewrite took A3 A3 (the end of 。 and the lead of Ａ) for ＃, so Ａ's own
    # pair escaped it; the repair gives Ａ the half-width form the converter meant, like B, C.
    damaged = damage("比赛结果是。ＡＢＣ三队并列第一。")
    assert damaged.startswith("比赛结果是?#")
    assert fixer.fix_text(damaged, to="keep", punct="keep") == "比赛结果是。ABC三队并列第一。"


def test_one_unexplained_site_does_not_block_the_others() -> None:
    # Two sites close enough to share a window: the first (a hidden rewrite) is repairable,
    # the second is a lone mark no reconstruction explains.  The first is still repaired.
    damaged = damage("請大家保護好自己的眼睛。") + "看見\ufffd?書"
    repaired = fixer.fix_text(damaged)
    assert repaired.startswith("請大家保護好自己的眼睛。")


@pytest.mark.parametrize(
    ("codec", "clean", "straddle", "reading"),
    [
        # Big5: 選 is BF EF; EF 73 ("s") is 鮢, read zhū.
        ("big5", "打開設定頁面後點選save按鈕儲存變更。", "選s", "zhū"),
        # GBK: 入 is C8 EB; EB 68 ("h") is 雋, read juàn.
        ("gbk", "请在终端输入help查看说明。", "入h", "juàn"),
    ],
)
def test_pinyin_after_a_pair_that_straddles_into_ascii(
    codec: str, clean: str, straddle: str, reading: str
) -> None:
    # The converter read a character's trail byte and the ASCII letter after it as one code
    # and annotated it: no mark anywhere, only the group after the letter.
    before, letter = straddle
    pair = bytes((before.encode(codec)[-1], ord(letter))).decode(codec)
    assert is_reading(pair, reading)
    at = clean.index(straddle) + 2
    damaged = f"{clean[:at]}({reading}){clean[at:]}"
    assert fixer.fix_text(damaged) == clean


def test_restored_character_gets_the_annotation_the_repair_itself_restored() -> None:
    # The converter annotated the pair straddling 便 and 活 (xiàng), which skipped 活's own
    # annotation; the second 活's '(' was swallowed by an orphan, so its annotation exists
    # only in the repair's output.  Both 活 carry it afterwards, as the pinyin class needs.
    text = "我們今(jīn)天(tiān)去(qù)公(gōng)園(yuán)散(sàn)步(bù),順便?xiàng)顒踊?huó)動筋骨。"
    start, end = text.index("?xiàng"), text.index("動筋")
    proposal = Proposal(start, end, "活動活(huó)", "re-paired bytes", 1.0)
    (restored,) = _reannotate(text, [proposal])
    assert restored.after == "活(huó)動活(huó)"


@pytest.mark.parametrize("clean", ["拼音字母a(ā)和o(ō)是單韻母。", "漢語拼音的e(ē)讀音。"])
def test_annotated_latin_letters_stay(clean: str) -> None:
    assert fixer.fix_text(clean) == clean


def test_weaker_repair_where_the_text_shows_the_converter() -> None:
    # 校 (D0 A3) + 正 (D5 FD): A3 D5 became 'U', read with D0 as 蠻; FD was orphaned.  The
    # repair gains under MIN_GAIN: enough only where the converter's pinyin shows.
    readings = {"說": "shuō", "時": "shí", "會": "huì", "這": "zhè", "對": "duì",
                "現": "xiàn", "動": "dòng", "開": "kāi", "後": "hòu", "檔": "dàng"}  # fmt: skip
    first = "這時候打開自動校正功能,輸入的錯字會自動改過來。\n"
    clean = (
        first + "他說這個功能對寫文章的人很有用,現在大家都會用。\n"
        "開會的時候,他說以後每一份檔案都要這樣檢查。\n"
    )
    damaged = damage(clean, readings)
    assert "蠻?" in damaged
    assert fixer.fix_text(damaged) == clean
    alone = damage(first)
    assert "蠻?" in alone
    assert fixer.fix_text(alone) == alone


def test_swallowed_bracket_lead_is_ranked_in_context() -> None:
    # 埃 (B0 A3) + 及 (BC B0): the rewrite made '<' of A3 BC and the orphan B0 swallowed it.
    # 埃 is not among the most frequent characters ending in A3; after 在 it is likely.
    clean = "我的朋友在埃及工作,他很喜歡那裡。"
    damaged = damage(clean)
    assert "埃" not in damaged and "?" in damaged
    assert fixer.fix_text(damaged) == clean


@pytest.mark.parametrize(
    "second_line", ["用一個數組來代替堆棧，然後再看結果。", "他用鏈表實現堆棧，效果也不錯。"]
)
def test_halved_punctuation_scores_as_what_it_stands_for(second_line: str) -> None:
    # 棧 (97 A3) + ， (A3 AC): the rewrite halved A3 A3 to '#' and orphaned AC.  Read as
    # ASCII, ',' is no likelier than '*' or "'"; it stands for '，', which follows 棧 often.
    clean = "我們應該保護環境，節約用水。\n" + second_line
    damaged = damage(clean)
    assert "?#?" in damaged
    assert fixer.fix_text(damaged) == clean.replace("，", ",")


@pytest.mark.parametrize(
    "clean",
    [
        "他們是一支能打硬仗的隊伍,相對來說任務很急。",
        "那是一支能吃苦的隊伍,任務完成得很好,相對輕鬆。",
    ],
)
def test_annotation_favours_the_usual_reading(clean: str) -> None:
    # 是 (CA C7) 一 (D2 BB): the converter found 且 (C7 D2) across the boundary and annotated
    # it, so 是's lead byte was orphaned, and 支's trail byte swallowed the '(' of (zhī).
    # 只 (D6 BB) and 支 (D6 A7) both read zhī, but only 支 is annotated so by a converter:
    # 只 is usually zhǐ (只能 is far commoner than 支能).
    readings = {
        "且": "qiě",
        "支": "zhī",
        "任": "rèn",
        "務": "wù",
        "急": "jí",
        "相": "xiāng",
        "對": "duì",
    }
    damaged = damage(clean, readings)
    assert "恢?zhī)" in damaged
    assert is_usual_reading("支", "zhī") and not is_usual_reading("只", "zhī")
    assert fixer.fix_text(damaged) == clean


def test_mark_that_swallowed_an_annotation_is_not_read_as_lossy_utf8() -> None:
    # Big5: 囿 (AB AA) spans 市 (A5 AB) and 的 (AA BA); its (yòu) orphaned AA, and 車's trail
    # AE swallowed the '(' of (chē).  In between, 單 (B3 E6) 車 (A8 AE) read shifted as 熙璅,
    # and 璅 + a lost byte is also UTF-8 樂 (E6 A8 82) read as Big5: a strong lossy reading
    # of one mark, which no lossy decode can have left before "chē)".
    clean = "我們在城市的單車道上騎車,又快又安全。"
    readings = {"囿": "yòu", "車": "chē", "騎": "qí", "快": "kuài", "安": "ān"}
    damaged = _decode_with_orphans(
        _annotate(clean.encode("big5hkscs"), readings, "big5hkscs"), "big5hkscs"
    )
    assert "?yòu)熙璅?chē)" in damaged
    assert fixer.fix_text(damaged) == clean


def test_misaligned_edits_explain_lost_bytes() -> None:
    damaged = damage("白日依山盡,黃河入海流。\n")
    proposals = propose(damaged, make_config(None))
    assert proposals
    for proposal in proposals:
        assert "lost byte" in proposal.message
        assert 0.0 < proposal.confidence <= 1.0
        assert damaged[proposal.start : proposal.end] != proposal.after


@pytest.mark.parametrize(
    "text",
    [
        "你今天去哪裏?我們一起去吧。",
        "這個問題?還沒有答案?\n下一行也很正常。",
        "什麼是“人工智能”?它能做什麼?",
        "价格是多少?请告诉我。",
        "ASCII only? yes.",
        "안 그래도 얼마 전에 봐??? 정말",
        # Runs of marks and punctuation between CJK characters: emphasis, or characters an
        # encoder could not write.  Nothing else in the text shows the converter.
        "真的吗???我不信。",
        "えっ、そんなことあるの?!?\nうそでしょ。",
        "ログには文字列 ?????? が残ります。",
        "请选择属于???组的文件。",
    ],
)
def test_question_marks_in_clean_text_stay(text: str) -> None:
    assert propose(text, make_config(None)) == []
    assert fixer.fix_text(text) == text


def test_punctuation_only_site_needs_the_converter_shown_elsewhere() -> None:
    # 海 (BA A3) + ， (A3 AC): the rewrite halved A3 A3 to '#', orphaning BA and AC; the
    # site is marks and punctuation only.  保護 shifted into 盬o is the converter's work.
    damaged = damage("我們要保護大海，但是沒有人來。")
    assert damaged == "我們要盬o大?#?但是沒有人來。"
    repaired = fixer.fix_text(damaged)
    assert repaired.startswith("我們要保護大")
    assert "?#?" not in repaired
    # The same site alone: a guess of every byte, with nothing to show it is damage.
    alone = damaged.replace("盬o", "保護")
    assert propose(alone, make_config(None)) == []
    assert fixer.fix_text(alone) == alone


def test_corroboration_is_local_to_the_damage() -> None:
    # A file of unrelated texts, one per line (reviews, a corpus): one damaged line does not
    # make a '???' of emphasis many lines further on an orphan byte.
    damaged = damage("白日依山盡,黃河入海流。\n")
    reviews = "".join(f"第{index}條評論,內容很好。\n" for index in range(8))
    text = damaged + reviews + "憑什麼???\n"
    assert fixer.fix_text(text) == "白日依山盡,黃河入海流。\n" + reviews + "憑什麼???\n"


def test_marks_for_whole_characters_between_common_ones_stay() -> None:
    # An encoder that could not write a character left one '?' for it.  Reading '??' as the
    # bytes of a pair and rewriting a common neighbour (统 of 系统, 协) is the model's guess,
    # not evidence of the misaligned converter, and must not corroborate the other marks.
    text = (
        "分布式系统中的各个节点通过网络?信协??成任务。"
        "?于网络可能出现延迟或中断，?统?计时必须考虑节点失效?消息丢???况。"
    )
    assert fixer.fix_text(text) == text


def test_marks_in_text_read_with_another_wrong_codec_stay() -> None:
    # GBK bytes of Traditional text read as Big5, unreadable pairs replaced by '?': the whole
    # line is garbage, and re-pairing the bytes around its marks only makes other garbage.
    # Misaligned damage is a few sites in good text.
    clean = "中央氣象署表示，明天起東北季風增強，北部及東北部地區氣溫明顯下降，最低溫可能只有12度。"
    damaged = clean.encode("gbk").decode("big5", errors="replace").replace("\ufffd", "?")
    assert "?" in damaged
    assert fixer.fix_text(damaged) == damaged


def test_class_is_registered_under_its_name() -> None:
    assert MISALIGNED.name == "misaligned"
    assert MISALIGNED.propose is propose
