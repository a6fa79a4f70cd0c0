"""Never touch clean text: peer projects' real-world files and test inputs stay unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import fixer
from fixer.decode import decode
from tests.conftest import shared_or_skip

#: chardet's folders whose files Python can decode, with the codec (folder name = true encoding).
CHARDET_CODECS = {
    "Big5": "big5hkscs",
    "CP932": "cp932",
    "CP949": "cp949",
    "EUC-JP": "euc_jp",
    "EUC-KR": "cp949",
    "GB2312": "gb18030",
    "Johab": "johab",
    "SHIFT_JIS": "cp932",
    "iso-2022-jp": "iso2022_jp",
    "iso-2022-kr": "iso2022_kr",
    "UTF-16": "utf-16",
    "UTF-16BE": "utf-16-be",
    "UTF-16LE": "utf-16-le",
    "UTF-32": "utf-32",
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "ascii": "ascii",
    "iso-8859-1": "latin-1",
    "windows-1252": "cp1252",
}


def _chardet_files() -> list[tuple[str, str]]:
    root = shared_or_skip("peer-cases", "chardet", "tests")
    return [
        (str(path.relative_to(root)), CHARDET_CODECS[folder.name])
        for folder in sorted(root.iterdir())
        if folder.name in CHARDET_CODECS
        for path in sorted(folder.iterdir())
        if path.is_file()
    ]


C1_CONTROL = re.compile("[\x80-\x9f]")


def test_chardet_feeds_are_left_alone() -> None:
    """Decoded with their true encoding, no chardet file is changed or reported as repairable.

    One feed (a Hungarian blog) really holds UTF-8 read as Latin-1 with a C1 control
    (``Ã\x96`` for ``Ö``); a C1 control never occurs in clean text, so repairing a span
    that contains one is the only change allowed.
    """
    root = shared_or_skip("peer-cases", "chardet", "tests")
    changed = []
    for name, codec in _chardet_files():
        text = (root / name).read_bytes().decode(codec)
        repaired = fixer.fix_text(text)
        for before, after in zip(text.splitlines(), repaired.splitlines(), strict=False):
            if before != after and not C1_CONTROL.search(before):
                changed.append(f"{name}: {before[:60]!r} -> {after[:60]!r}")
        if len(text.splitlines()) != len(repaired.splitlines()):
            changed.append(f"{name}: line count changed")
    assert changed == [], "\n".join(changed[:10])
    assert len(_chardet_files()) >= 180


def test_chardet_legacy_files_decode_to_their_true_text() -> None:
    """fix_bytes finds an encoding that gives the same text as the folder's true codec."""
    root = shared_or_skip("peer-cases", "chardet", "tests")
    wrong = []
    for name, codec in _chardet_files():
        if name.split("/")[0] not in {"Big5", "GB2312", "EUC-JP", "EUC-KR", "SHIFT_JIS", "CP932"}:
            continue
        data = (root / name).read_bytes()
        truth = data.decode(codec)
        try:
            decoded = decode(data)
        except ValueError as error:
            wrong.append(f"{name}: {error}")
            continue
        if decoded.text != truth:
            differing = sum(a != b for a, b in zip(decoded.text, truth, strict=False)) + abs(
                len(decoded.text) - len(truth)
            )
            if differing > len(truth) * 0.01:
                wrong.append(f"{name}: decoded as {decoded.encoding}, {differing} chars differ")
    assert len(wrong) <= 3, "\n".join(wrong)


def _opencc_inputs() -> list[str]:
    path = Path(__file__).resolve().parent / "data" / "opencc" / "testcases.json"
    raw = path.read_text(encoding="utf-8")
    pattern = re.compile(r'"(?:[^"\\]|\\.)*"|(/\*[\s\S]*?\*/|//.*)|(,\s*(?=[\]}]))')
    cleaned = pattern.sub(lambda m: "" if m.group(1) or m.group(2) else m.group(0), raw)
    return [case["input"] for case in json.loads(cleaned)["cases"]]


def test_opencc_inputs_are_left_alone() -> None:
    inputs = _opencc_inputs()
    assert len(inputs) > 200
    changed = [text for text in inputs if fixer.fix_text(text) != text]
    assert changed == []


@pytest.mark.parametrize(
    "text",
    [
        "今天天气很好，我们去公园散步吧？",
        "這是一段正體中文，沒有任何損壞。「引號」和（括號）都在。",
        "日本語の文章です。カタカナとひらがなが混ざっています。",
        "한국어 문장입니다. 아무 문제도 없습니다.",
        "# 注释：计算总和\nprint('结果:', total)  # 输出结果\n",
        "价格是 $5? 还是 ￥30? 我不确定?",
        "café crème brûlée, naïve façade — “quotes” and ‘apostrophes’",
        "Ｆｕｌｌｗｉｄｔｈ　ｔｅｘｔ，全角字符。",
        # Finnish: ä (E4) and the ASCII letter after it pair as Shift-JIS kanji, all of
        # them Chinese-only (臺, 蒿): no Shift-JIS text reads like that.
        "Valitse päivämäärä ja paina näppäintä.",
        "Päivämäärää ei voi muuttaa.",
        # Portuguese whose every accented letter pairs with the next byte as GBK (í n: 韓).
        "<p><em>ATENÇÃO</em> Domínio virtual e Domínios Virtuais</p>",
        # Hungarian quotation marks: „t and él pair as GBK (則閘).
        "A mezőbe a „téli” szót írja.",
        # Doubled accents and tone numbers in transcriptions: áá is 後 in GBK, ²¹ is 补.
        "The place is called Láá Láá in the local language.",
        "Naxi: na²¹ɕi³³ gʌ²¹ba²¹ and more.",
        # A Swedish date pattern: ÅÅ is C5 C5, 排 in GBK.
        "Ange ett datum i formatet 'ÅÅÅÅ-MM-DD'.",
        # French typography: é, a no-break space and » are the UTF-8 bytes of 頻.
        "Le statut reste «\xa0occupé\xa0» jusqu'à midi.",
    ],
)
def test_clean_prose_and_code_unchanged(text: str) -> None:
    assert fixer.fix_text(text) == text
    assert [f for f in fixer.scan(text) if f.repairable] == []
