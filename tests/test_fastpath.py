"""The fast path: every damage class's gate is a necessary condition of its proposals, clean
text passes every gate without loading anything heavy, and damaged text never slips through."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fixer.config import FixerConfig, make_config
from fixer.damage import DAMAGE_CLASSES, DamageClass, lossy, misaligned, mojibake, pinyin
from fixer.fastpath import cluster_windows, lines_matching, nothing_to_repair
from tests.conftest import check_in_fresh_process

CASES_DIR = Path(__file__).resolve().parents[1] / "corpus" / "cases"
#: Corpus classes whose damaged text is clean text (it must come back unchanged).
CLEAN_CLASSES = {"clean-zh-hans", "clean-zh-hant", "clean-ja", "clean-ko", "clean-code"}
UNCHANGED_CLASSES = CLEAN_CLASSES | {"pinyin-legit"}


def _cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.jsonl")):
        cases += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return cases


CASES = _cases()


@pytest.mark.parametrize("damage", DAMAGE_CLASSES, ids=lambda damage: damage.name)
def test_gate_is_a_necessary_condition_of_proposals(damage: DamageClass) -> None:
    """Where a class's gate says no, its propose() finds nothing, on every corpus text."""
    missed = []
    for case in CASES:
        config = make_config(**case.get("options", {}))
        if not damage.applies(config):
            continue
        for text in (case["damaged"], case["expected"]):
            if not damage.might_apply(text) and damage.propose(text, config):
                missed.append(case["id"])
    assert missed == []


def test_clean_text_takes_the_fast_path() -> None:
    slow = [
        case["id"]
        for case in CASES
        if case["class"] in UNCHANGED_CLASSES
        and not nothing_to_repair(case["damaged"], make_config(**case.get("options", {})))
    ]
    assert slow == []


def test_damaged_text_never_takes_the_fast_path() -> None:
    missed = [
        case["id"]
        for case in CASES
        if case["class"] not in UNCHANGED_CLASSES
        and case["damaged"] != case["expected"]
        and nothing_to_repair(case["damaged"], make_config(**case.get("options", {})))
    ]
    assert missed == []


@pytest.mark.parametrize(
    "text",
    [
        "独在异乡为异客，每逢佳节倍思亲。遥知兄弟登高处，遍插茱萸少一人。",  # rare characters
        "他读作 shì sì，不是 sī shí。",  # pinyin tone marks a syllable apart
        "“蜻蜓（qīng tíng）”和“蝴蝶”……——都是昆虫·吗？",  # CJK typography
    ],
)
def test_mojibake_gate_passes_clean_text(text: str) -> None:
    assert not mojibake.might_apply(text)


@pytest.mark.parametrize(
    "clean",
    ["我们的文件编码坏了", "東京都の天気は晴れです", "测试一下"],
)
def test_mojibake_gate_catches_every_wrong_reading(clean: str) -> None:
    """UTF-8 read as each CJK codec, and legacy bytes read as Latin-1, pass the gate."""
    data = clean.encode("utf-8")
    readings = [data.decode(codec, errors="replace") for codec in ("gb18030", "cp932")]
    readings.append(clean.encode("gb18030").decode("latin-1"))
    readings.append(data.decode("latin-1"))
    for damaged in readings:
        assert mojibake.might_apply(damaged), damaged


def test_marks_in_code_pass_the_lossy_and_misaligned_gates() -> None:
    """A ``?`` far from any non-ASCII character is code, not a lost byte."""
    code = 'const price = "¥" + value.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ","); // 价格\n'
    assert not lossy.might_apply(code)
    assert not misaligned.might_apply(code)


def test_a_textbook_gloss_is_not_a_pinyin_pattern() -> None:
    assert not pinyin.might_apply("你好(nǐ hǎo)！我们学习汉语(hàn yǔ)。")


def test_cluster_windows_cover_each_cluster_with_margin() -> None:
    text = "正常的文字abc鎴戜滑正常"
    windows = cluster_windows(text, 2)
    assert len(windows) == 1
    start, end = windows[0]
    assert text[start:end].find("鎴戜滑") != -1


def test_lines_matching_yields_each_line_once() -> None:
    import re

    found = lines_matching("a?b?\nc\n?d", re.compile(r"\?"), re.compile("d"))
    assert list(found) == [(0, "a?b?\n"), (7, "?d")]


def test_clean_files_with_rare_characters_load_nothing_heavy(tmp_path: Path) -> None:
    """Clean corpus prose and code (rare names, kana, hangul, pinyin) never load the model."""
    for case in CASES:
        if case["class"] in CLEAN_CLASSES:
            (tmp_path / f"{case['id']}.txt").write_text(case["damaged"], encoding="utf-8")
    outcome = check_in_fresh_process(tmp_path)
    assert outcome["exit"] == 0
    assert not outcome["model"]
    assert "opencc" not in outcome["loaded"] and "pypinyin" not in outcome["loaded"]


def test_fast_path_respects_conversion_settings() -> None:
    """Asking for a script or punctuation conversion always takes the full path."""
    text = "這是繁體中文。"
    assert nothing_to_repair(text, FixerConfig())
    assert not nothing_to_repair(text, make_config(to="hans"))
    assert not nothing_to_repair(text, make_config(punct="cjk"))
