"""The public Python API: names, types, explanations that replay, bytes in, verified bytes out."""

from __future__ import annotations

import pytest

import fixer
from fixer.explain import PlanMismatch, Step

CLEAN = "数据库连接失败了，请检查网络设置。"
MOJIBAKE = "数据库连接失败了".encode().decode("gbk")  # UTF-8 read as GBK


def test_fix_text_repairs_utf8_read_as_gbk() -> None:
    assert fixer.fix_text(MOJIBAKE) == "数据库连接失败了"


def test_short_mojibake_word_with_one_rare_character() -> None:
    # 棣栭〉 (首页) holds a single rare character, so it forms no cluster of them; its bytes
    # still read as UTF-8 CJK text, which the model scores far above the mojibake.
    clean = "<li>首页</li>\n<li>产品中心</li>\n<li>联系我们</li>"
    damaged = clean.encode().decode("gbk", "replace")
    assert "<li>棣栭〉</li>" in damaged
    assert fixer.fix_text(damaged) == clean
    assert fixer.fix_text("<li>棣栭〉</li>") == "<li>首页</li>"


@pytest.mark.parametrize("clean", ["日志记录", "对象表示", "Django 社群", "字串 (無限)"])
def test_short_string_whose_run_starts_inside_a_character(clean: str) -> None:
    # 日志记录 read as GBK is 鏃ュ織璁板綍: one rare character, and the window around it
    # starts inside a UTF-8 character; the run read from the next boundary is still found.
    damaged = clean.encode().decode("gbk")
    assert fixer.fix_text(damaged) == clean
    assert fixer.fix_text(f'msgstr "{damaged}"') == f'msgstr "{clean}"'


@pytest.mark.parametrize(
    "clean", ["子曰：學而時習之，不亦說乎？", "龘靐齉爩", "<li>龘</li>", "他姓亓官。"]
)
def test_rare_characters_alone_are_not_mojibake(clean: str) -> None:
    assert fixer.fix_text(clean) == clean


def test_fix_text_leaves_clean_text_alone() -> None:
    assert fixer.fix_text(CLEAN) == CLEAN
    assert fixer.fix_text("") == ""
    assert fixer.fix_text("plain ASCII, nothing to do") == "plain ASCII, nothing to do"


def test_fix_and_explain_steps_replay() -> None:
    damaged = f"第一行正常。\n{MOJIBAKE}\n"
    text, steps = fixer.fix_and_explain(damaged)
    assert text == "第一行正常。\n数据库连接失败了\n"
    assert steps and all(isinstance(step, Step) for step in steps)
    assert {step.kind for step in steps} == {"mojibake"}
    assert "GBK" in steps[0].reason
    assert fixer.apply_plan(damaged, steps) == text


def test_apply_plan_refuses_a_plan_for_another_text() -> None:
    _, steps = fixer.fix_and_explain(MOJIBAKE)
    with pytest.raises(PlanMismatch):
        fixer.apply_plan("完全不同的文字内容在这里", steps)


def test_scan_reports_spans_in_input_offsets() -> None:
    damaged = f"正常的开头。{MOJIBAKE}"
    findings = fixer.scan(damaged)
    assert len(findings) == 1
    finding = findings[0]
    assert finding.kind == "mojibake" and finding.repairable
    assert damaged[finding.start : finding.end] == finding.excerpt
    assert finding.start == len("正常的开头。")
    assert 0 < finding.confidence <= 1


def test_lost_data_is_reported_not_rewritten() -> None:
    text = "文件内容锟斤拷锟斤拷已经损坏"
    assert fixer.fix_text(text) == text
    findings = fixer.scan(text)
    assert [f.kind for f in findings] == ["lost-data"]
    assert not findings[0].repairable
    assert findings[0].excerpt == "锟斤拷锟斤拷"


@pytest.mark.parametrize(
    ("text", "debris"),
    [
        ("这是一个测\x8b试文件。", "\x8b"),  # 试's tail byte, its lead lost
        ("系统自动计®\x97结果。", "®\x97"),  # AE 97: 算 without E7
        ("한국어 문장\x8b¤입니다.", "\x8b¤"),
    ],
)
def test_c1_debris_in_cjk_text_is_reported_not_mapped(text: str, debris: str) -> None:
    # ftfy maps C1 controls to cp1252 (\x8b -> ‹): right for Western text, fabricated
    # punctuation between CJK characters, where they are what is left of a UTF-8 sequence.
    assert fixer.fix_text(text) == text
    findings = fixer.scan(text)
    assert [(f.kind, f.excerpt, f.repairable) for f in findings] == [("lost-data", debris, False)]


def test_c1_controls_in_western_text_are_still_cp1252() -> None:
    assert fixer.fix_text("It\x92s \x93quoted\x94.") == "It’s “quoted”."


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="to="):
        fixer.fix_text(CLEAN, to="klingon")
    with pytest.raises(TypeError, match="unknown option"):
        fixer.fix_text(CLEAN, colour="blue")


def test_fix_bytes_decodes_gbk_and_writes_utf8() -> None:
    data = "这是一个用GBK编码保存的文件，内容完全正常。\n".encode("gbk") * 3
    result = fixer.fix_bytes(data)
    assert result.encoding == "gb18030"
    assert result.candidates and result.candidates[0].encoding == "gb18030"
    assert result.verification.ok
    assert result.output == data.decode("gbk").encode("utf-8")
    assert result.findings[0].kind == "encoding"


def test_fix_bytes_keep_encoding_writes_back_in_gbk() -> None:
    data = "这是一个用GBK编码保存的文件，内容完全正常。\n".encode("gbk") * 3
    result = fixer.fix_bytes(data, keep_encoding=True)
    assert result.verification.ok
    assert result.output is None  # nothing to repair, and the encoding is kept


def test_fix_bytes_repairs_and_verifies() -> None:
    data = f"{MOJIBAKE}\r\n第二行\r\n".encode()
    result = fixer.fix_bytes(data)
    assert result.verification.ok, result.verification.problems
    assert result.output == "数据库连接失败了\r\n第二行\r\n".encode()
    assert result.changed


def test_fix_bytes_keeps_utf8_bom() -> None:
    data = b"\xef\xbb\xbf" + MOJIBAKE.encode()
    result = fixer.fix_bytes(data)
    assert result.output == b"\xef\xbb\xbf" + "数据库连接失败了".encode()


def test_fix_bytes_reports_undecodable_input() -> None:
    result = fixer.fix_bytes(bytes(range(128, 256)) * 4)
    assert result.output is None
    assert not result.verification.ok


def test_convert_uses_opencc_configs() -> None:
    assert fixer.convert("汉字", "s2t") == "漢字"
    assert fixer.convert("漢字", "t2s") == "汉字"
    assert fixer.convert("软件", "s2twp") == "軟體"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("東北科技\n" * 500, "东北科技\n" * 500),  # same lines, many repeats
        ("abc\nxyz\n", "abc\nnew line\nxyz\n"),  # a line added
        ("一\n二\n三", "一\n三"),  # a line removed, no final newline
    ],
)
def test_diff_steps_replay(before: str, after: str) -> None:
    from fixer.explain import diff_steps

    steps = diff_steps("script", before, after, "test")
    assert fixer.apply_plan(before, steps) == after
    assert all(step.before != step.after for step in steps)


def test_repair_that_settles_is_idempotent() -> None:
    from fixer.config import FixerConfig
    from fixer.pipeline import repair

    first = repair(f"{MOJIBAKE}\n第二行\n", FixerConfig())
    assert first.settled and first.steps
    assert repair(first.text, FixerConfig()).text == first.text


def test_repair_that_never_settles_fails_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    """A class that changes its own output again is caught, and nothing is written."""
    from fixer import damage, pipeline
    from fixer.damage.base import DamageClass, Proposal

    def grow(text: str, config: object) -> list[Proposal]:
        index = text.find("行")
        return [Proposal(index, index + 1, "行行", "test: grows", 1.0)] if index >= 0 else []

    rogue = DamageClass("punct-width", "grows every pass", grow, lambda text: "行" in text)
    monkeypatch.setattr(pipeline, "DAMAGE_CLASSES", (rogue,))
    monkeypatch.setattr(damage, "DAMAGE_CLASSES", (rogue,))
    data = "第二行\n".encode()
    result = fixer.fix_bytes(data)
    assert not result.verification.ok
    assert any("second repair" in problem for problem in result.verification.problems)
    assert result.output is None


def test_line_memo_remembers_lines_and_shifts_offsets() -> None:
    from fixer.damage.base import LineMemo, Proposal

    calls: list[str] = []

    def search(line: str) -> list[Proposal]:
        calls.append(line)
        index = line.find("x")
        return [Proposal(index, index + 1, "y", "test", 1.0)] if index >= 0 else []

    memo = LineMemo(search, size=2, longest=10)
    assert memo("axb\n", 0)[0][:3] == (1, 2, "y")
    assert memo("axb\n", 100)[0][:3] == (101, 102, "y")  # remembered, shifted
    assert calls == ["axb\n"]
    memo("c\n", 0)
    memo("d\n", 0)  # evicts the oldest line
    memo("axb\n", 0)
    assert calls == ["axb\n", "c\n", "d\n", "axb\n"]
    long_line = "x" * 20
    memo(long_line, 0)
    memo(long_line, 0)
    assert calls.count(long_line) == 2  # too long to remember


def test_line_memo_is_safe_across_threads() -> None:
    """Many threads searching, evicting and clearing at once never fail or mix up lines."""
    from concurrent.futures import ThreadPoolExecutor

    from fixer.damage.base import LineMemo, Proposal

    memo = LineMemo(lambda line: [Proposal(0, len(line), line.upper(), "test", 1.0)], size=4)

    def work(seed: int) -> bool:
        ok = True
        for step in range(300):
            line = f"line {(seed * 7 + step) % 11}\n"
            ok &= memo(line, step)[0][:3] == (step, step + len(line), line.upper())
            if step % 97 == 0:
                memo.clear()
        return ok

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(16)))
