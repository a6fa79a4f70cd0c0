"""The mojibake class on short strings: one UI message, one quoted value, one word."""

from __future__ import annotations

import pytest

import fixer


@pytest.mark.parametrize(
    ("clean", "true", "wrong"),
    [
        ("サイトマップ", "cp932", "cp1252"),  # trail bytes in ASCII: ƒTƒCƒgƒ}ƒbƒv
        ("義大利語", "big5", "cp1252"),  # ¸q¤j§Q»y
        ("알바니아어", "euc_kr", "latin-1"),
        ("日志记录", "gbk", "latin-1"),
    ],
)
def test_quoted_legacy_word(clean: str, true: str, wrong: str) -> None:
    # In a message catalogue or source code the word sits between ASCII quotes, which are
    # not part of the word: its high characters are still half of it.
    damaged = clean.encode(true).decode(wrong)
    assert fixer.fix_text(f'msgstr "{damaged}"') == f'msgstr "{clean}"'
    assert fixer.fix_text(f"name = '{damaged}'") == f"name = '{clean}'"


@pytest.mark.parametrize(
    ("clean", "true", "wrong"),
    [
        ('msgstr "%(count)s分前"', "cp932", "cp1252"),  # •ª‘O glued to the placeholder
        ('msgstr "日曜日"', "cp932", "cp1252"),  # “ú—j“ú: no two rare characters side by side
        ("IPv4アドレス", "cp932", "cp1252"),
    ],
)
def test_short_legacy_word_beside_ascii(clean: str, true: str, wrong: str) -> None:
    # A double-byte code never holds a byte below 0x40 (digits, '%', brackets, quotes), so
    # the word the mojibake belongs to ends there.
    assert fixer.fix_text(clean.encode(true).decode(wrong)) == clean


@pytest.mark.parametrize(
    "clean",
    [
        "房間的隔音太差，浴室也太小，整間房間只有一台空調，不推薦這家酒店。",
        "常見問題",  # 盽ǎ拜肈: no private-use character, a pinyin letter beside Han
        "回到首頁\n\n搜尋結果",  # the second line shows no sign of its own
    ],
)
def test_big5_read_as_gbk(clean: str) -> None:
    # Big5's commonest characters sit in GBK's user-defined and symbol rows: 的 reads as a
    # private-use character, 不 as ぃ, 我 as и, 見 as ǎ.
    damaged = clean.encode("big5").decode("gb18030")
    assert damaged != clean
    assert fixer.fix_text(damaged) == clean


@pytest.mark.parametrize(
    "text",
    [
        "i à è ì ò ù",  # pinyin letters read as Big5 are 角 豕 足 ...
        "日本語の文章です。ひらがなとカタカナ、そして漢字を使います。",
        "Α和Ω是希腊字母的第一个和最后一个。",
    ],
)
def test_text_that_reads_as_big5_by_coincidence_stays(text: str) -> None:
    assert fixer.fix_text(text) == text


@pytest.mark.parametrize(
    "clean",
    ["就像在沙漠裡一樣，在這種情形下，華視一旦", "這種關懷社會的態度值得肯定，引起了不滿意見。"],
)
def test_utf8_read_as_gbk_with_lost_bytes_is_not_read_as_big5(clean: str) -> None:
    # UTF-8 read as GBK shows GBK's symbol rows too (鍦ㄩ), and with bytes lost it reads
    # as no UTF-8: a Big5 reading of a piece (嗵車) is a coincidence.  The lossy class's.
    damaged = clean.encode().decode("gbk", errors="replace")
    assert "\ufffd" in damaged
    _, steps = fixer.fix_and_explain(damaged)
    assert not any("Big5 read as GBK" in step.reason for step in steps)


def test_utf8_reading_of_many_scripts_does_not_block_the_legacy_one() -> None:
    # EUC-KR 알바니아어 read as Latin-1 is ¾Ë¹Ù´Ï¾Æ¾î, whose middle is also well-formed
    # UTF-8: ˹ٴϾƾ, letters of four scripts.  That is a coincidence, not a UTF-8 reading.
    damaged = "알바니아어".encode("euc_kr").decode("latin-1")
    assert "˹ٴϾƾ" in damaged.encode("latin-1")[1:-1].decode("utf-8")
    assert fixer.fix_text(damaged) == "알바니아어"


def test_words_of_utf8_mojibake_apart_from_latin_text() -> None:
    # Each word is one character, but each stands apart, as words do; the accented letters
    # of a European word are glued to its other letters.
    clean = 'msgstr "全 %(count)s 件"'
    damaged = clean.encode().decode("cp1252")
    assert "å…¨" in damaged
    assert fixer.fix_text(damaged) == clean


@pytest.mark.parametrize(
    "text",
    [
        'msgstr "Domínio"',
        "name = 'päivämäärää'",
        "« Il est occupé\xa0»",
        "Elle produit un e accent aigu (« é\xa0»). Ces combinaisons sont décrites ici.",
        'title = "Láá Láá"',
        'msgstr "É"',
    ],
)
def test_quoted_european_words_stay(text: str) -> None:
    assert fixer.fix_text(text) == text


def test_character_inventory_in_source_code_stays() -> None:
    # A list of characters in code-point order: a piece of it (聫聬聭聮聯聰) reads as
    # Shift-JIS read as Latin-1 then UTF-8 read as GBK (署葬灯), by coincidence.
    inventory = "".join(chr(code) for code in range(0x8040, 0x8080))
    source = f'CHARACTERS = "{inventory}"\n'
    assert fixer.fix_text(source) == source
