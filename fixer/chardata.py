"""Tables and compiled patterns used across fixer: one place for each concept.

Codec families, the mojibake codec pairs fixer tries, the byte structure of
each legacy CJK encoding, punctuation maps and markers of lost data all live
here, so that adding an encoding or a punctuation mark touches one line.
"""

from __future__ import annotations

import re
from functools import cache

# --- Encodings -----------------------------------------------------------------

#: Legacy CJK encodings fixer repairs, each with the codec used to encode and
#: decode it (the widest member of its family) and the family names it answers to.
CJK_CODECS: dict[str, str] = {
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "euc_jp": "euc_jp",
}

#: Encoding families: names a detector may report, mapped to fixer's codec.
CODEC_FAMILIES: dict[str, str] = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "cp932": "cp932",
    "sjis": "cp932",
    "euc_kr": "cp949",
    "cp949": "cp949",
    "euc_jp": "euc_jp",
}

#: Single-byte Western codecs that CJK bytes are often wrongly decoded with.
WESTERN_CODECS: tuple[str, ...] = ("latin-1", "sloppy-windows-1252")

#: (wrong decoder, true encoding) pairs tried by the mojibake class, most common first.
MOJIBAKE_PAIRS: tuple[tuple[str, str], ...] = (
    ("gb18030", "utf-8"),
    ("big5hkscs", "utf-8"),
    ("cp932", "utf-8"),
    ("cp949", "utf-8"),
    ("euc_jp", "utf-8"),
    ("sloppy-windows-1252", "utf-8"),
    ("latin-1", "utf-8"),
    ("latin-1", "gb18030"),
    ("sloppy-windows-1252", "gb18030"),
    ("latin-1", "big5hkscs"),
    ("sloppy-windows-1252", "big5hkscs"),
    ("latin-1", "cp932"),
    ("sloppy-windows-1252", "cp932"),
    ("latin-1", "cp949"),
    ("sloppy-windows-1252", "cp949"),
    # Big5 read as GBK: private-use characters (GBK's user-defined rows), kana, Greek and
    # Cyrillic among Han (的 AA BA is U+E019, 不 A4 A3 is ぃ, 我 A7 DA is и).
    ("gb18030", "big5hkscs"),
)

#: Human names of codecs for messages.
CODEC_LABELS: dict[str, str] = {
    "gb18030": "GBK",
    "big5hkscs": "Big5",
    "cp932": "Shift-JIS",
    "cp949": "EUC-KR",
    "euc_jp": "EUC-JP",
    "utf-8": "UTF-8",
    "latin-1": "Latin-1",
    "sloppy-windows-1252": "Windows-1252",
}

#: The languages each legacy double-byte encoding is written in (``lm``'s language names): a
#: reading through it must be text of one of them.  Shift-JIS bytes do not decode to a run of
#: Chinese-only characters in a real file, but Finnish read as Latin-1 does (``päivä``).
CODEC_LANGUAGES: dict[str, tuple[str, ...]] = {
    "gb18030": ("zh-Hans", "zh-Hant", "ja"),  # Chinese Windows saves Japanese text in it too
    "big5hkscs": ("zh-Hant",),
    "cp932": ("ja",),
    "euc_jp": ("ja",),
    "cp949": ("ko",),
}

#: Byte patterns of one well-formed run in each true encoding: ASCII and
#: multi-byte sequences, as the encoding's decoder pairs bytes left to right.
_UTF8_SEQUENCE = (
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
MULTIBYTE_SEQUENCE: dict[str, bytes] = {
    "utf-8": _UTF8_SEQUENCE,
    "gb18030": rb"[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]|[\x81-\xfe][\x40-\x7e\x80-\xfe]",
    "big5hkscs": rb"[\x81-\xfe][\x40-\x7e\xa1-\xfe]",
    "cp932": rb"[\x81-\x9f\xe0-\xfc][\x40-\x7e\x80-\xfc]|[\xa1-\xdf]",
    "cp949": rb"[\x81-\xfe][\x41-\x5a\x61-\x7a\x81-\xfe]",
    "euc_jp": rb"\x8f[\xa1-\xfe][\xa1-\xfe]|[\xa1-\xfe][\xa1-\xfe]|\x8e[\xa1-\xdf]",
}


@cache
def well_formed_run(codec: str) -> re.Pattern[bytes]:
    """A bytes pattern for maximal well-formed runs that hold at least one multi-byte sequence."""
    seq = MULTIBYTE_SEQUENCE[codec]
    return re.compile(rb"(?:" + seq + rb")(?:[\x20-\x7e]*(?:" + seq + rb"))*")


#: Double-byte encodings whose byte streams byte-level rewriters damage across
#: character boundaries, with the lead-byte range of each.
DOUBLE_BYTE_LEADS: dict[str, range] = {
    "gbk": range(0x81, 0xFF),
    "big5": range(0x81, 0xFF),
}

#: The lead byte of full-width ASCII (U+FF01..U+FF5E) in encodings where the whole
#: block shares one lead and trail = ASCII + 0x80, so a rewrite to half-width drops it.
FULLWIDTH_LEAD: dict[str, int] = {"gbk": 0xA3}

# --- Characters ------------------------------------------------------------------

#: Sequences that mean data was destroyed before the text reached us.
#: 锟斤拷: UTF-8 of U+FFFD U+FFFD read as GBK; 烫/屯: MSVC's fill bytes 0xCC/0xCD read as GBK.
LOST_DATA_PATTERN = re.compile("(?:锟斤拷)+锟?|烫{3,}|屯{3,}|\ufffd+")

#: ASCII punctuation and the full-width form it stands for in Chinese text.
HALFWIDTH_TO_FULLWIDTH: dict[str, str] = {
    ",": "，",
    ":": "：",
    ";": "；",
    "!": "！",
    "?": "？",
    "(": "（",
    ")": "）",
}

#: Closing CJK quotes and brackets with their openers (a repair that balances a line is likelier).
BRACKET_PAIRS: dict[str, str] = {
    "”": "“",
    "’": "‘",
    "）": "（",
    "」": "「",
    "』": "『",
    "》": "《",
    "】": "【",
}
CJK_PUNCTUATION = "，。、：；！？（）《》〈〉「」『』【】〔〕“”‘’…—·～"
#: Small form variants of CJK punctuation (U+FE50-FE5E): Big5's own punctuation, common in
#: Traditional text from Big5 sources (``稱職的﹐不過``).  Stops, then openers, then closers.
SMALL_FORM_STOPS = "﹐﹑﹒﹔﹕﹖﹗"
SMALL_FORM_OPENERS = "﹙﹛﹝"
SMALL_FORM_CLOSERS = "﹚﹜﹞"

#: Tone-marked letters of Hanyu Pinyin (with ü and its tones).
PINYIN_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
PINYIN_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"

#: Han ideographs (URO, extension A, compatibility) as a regex character class body.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
KANA_CLASS = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL_CLASS = "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK_CLASS = HAN_CLASS + KANA_CLASS + HANGUL_CLASS

#: A run of Latin-1-range characters holding a C1 control, next to CJK text: the tail bytes
#: of a UTF-8 sequence whose lead byte was destroyed, read as Latin-1 (``禀\x8b序``,
#: ``计®\x97表``).  No Western text puts a C1 control there, so it is not cp1252 to map.
C1_DEBRIS_PATTERN = re.compile(
    f"(?<=[{CJK_CLASS}])[\x80-\xff]*[\x80-\x9f][\x80-\xff]*"
    f"|[\x80-\xff]*[\x80-\x9f][\x80-\xff]*(?=[{CJK_CLASS}])"
)
