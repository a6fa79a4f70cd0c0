"""Tests of fixer.damage.language: the script of a character and the language of a text."""

from __future__ import annotations

import pytest

from fixer.damage import misaligned
from fixer.damage.language import (
    languages_of,
    same_character,
    script_of,
    written_in,
    written_in_language,
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("会議の資料を準備しています", "ja"),
        ("数据包括文字和图片", "zh-Hans"),
        ("數據包括文字和圖片", "zh-Hant"),
        ("文字和数字與圖片", None),  # both scripts
        ("中文", None),  # no script-specific character
    ],
)
def test_language_a_text_is_written_in(text: str, language: str | None) -> None:
    assert written_in(text) == language


def test_a_share_of_script_specific_characters_can_decide() -> None:
    # Damage leaves a few characters of the other script behind: 4 Traditional-only
    # characters against 1 Simplified-only one.
    text = "這個學說們这"
    assert written_in(text) is None
    assert written_in(text, min_share=0.8) == "zh-Hant"


def test_scripts_and_languages_of_characters() -> None:
    assert [script_of(char) for char in "中かカ한A"] == ["han", "kana", "kana", "hangul", "other"]
    assert languages_of("这") == {"zh-Hans"}
    assert written_in_language("這", "zh-Hant") and not written_in_language("这", "zh-Hant")
    assert written_in_language("か", "zh-Hans")  # only Han characters are judged


def test_misaligned_search_penalises_characters_foreign_to_the_line() -> None:
    line = "我們今天在學校裡討论了環境保護的問題，大家都認為應該從自己做起。"
    search = misaligned._Search("gbk", line, 5, 12)
    assert search.language == "zh-Hant"
    assert search._penalty("这") == misaligned.FOREIGN_PENALTY < 0
    assert search._penalty("か") == misaligned.FOREIGN_PENALTY  # no kana in the line
    assert search._penalty("這") == 0.0
    assert search._penalty("论") == 0.0  # Simplified, but the window holds it as it is


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [("說", "説", True), ("戶", "户", True), ("学", "學", False), ("说", "說", False)],
)
def test_same_character_in_one_script(first: str, second: str, same: bool) -> None:
    # One Simplified form and a language both are written in; 学 and 學 belong to one
    # script each, so choosing between them is choosing the script.
    assert same_character(first, second) is same
