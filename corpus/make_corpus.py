"""Build the evaluation corpus: damage clean texts, keep the clean text as the expected output.

Run ``python corpus/make_corpus.py [OUTPUT_DIR]`` (default ``corpus/cases``).  The script is
deterministic: a fixed seed per damage class, sorted iteration everywhere, so two runs write
identical files.  Expected outputs come only from the clean texts in ``corpus/texts`` (and, for
the script-variant classes, from OpenCC's conversion of them); the repair tool is never used.

Each case is one JSON object per line in ``<class>.jsonl`` with the keys ``id``, ``class``,
``source`` (text file and paragraph range), ``options`` (keyword arguments of ``fix_text``),
``damaged``, ``expected`` and ``expect_lost``.
"""

from __future__ import annotations

import json
import math
import random
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import opencc
from pypinyin import Style, pinyin

SEED = 20240104
CORPUS_DIR = Path(__file__).resolve().parent
TEXTS_DIR = CORPUS_DIR / "texts"
DEFAULT_OUTPUT = CORPUS_DIR / "cases"
TARGET = 48
#: Strict double-decode cases need this many CJK characters to be a fair detection task.
MIN_CJK_STRICT = 4
#: Lossy cases keep at most this many replacement characters per clean character.
MAX_LOSSY_DENSITY = 0.1

HANS_FILES = ("zh-hans-news.txt", "zh-hans-tech.txt", "classical-tang-poems-hans.txt")
HANS_SHORT = ("zh-hans-short.txt",)
HANT_FILES = ("zh-hant-tw.txt", "zh-hant-hk.txt", "classical-hant.txt")
HANT_SHORT = ("zh-hant-short.txt",)
JA_FILES = ("ja.txt",)
JA_SHORT = ("ja-short.txt",)
KO_FILES = ("ko.txt",)
KO_SHORT = ("ko-short.txt",)
CODE_FILES = ("code-python.py", "code-javascript.js", "code-markdown.md", "html-snippets.html")
PINYIN_NOTES = ("zh-hans-pinyin-notes.txt",)

KEEP = {"to": "keep", "punct": "keep"}
TO_HANS = {"to": "hans", "punct": "keep"}
TO_HANS_CJK = {"to": "hans", "punct": "cjk"}

TONE_LETTERS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ")
SWALLOWED_AFTER_ORPHAN = frozenset(b"(<")
#: Characters that str.splitlines() treats as line ends; escaped in the JSON lines.
LINE_SEPARATORS = ("\x85", "\u2028", "\u2029", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c")

S2T = opencc.OpenCC("s2t")
T2S = opencc.OpenCC("t2s")


class Doc(NamedTuple):
    """A short clean document cut from one text file."""

    source: str
    text: str


class Case(NamedTuple):
    """One corpus entry before numbering."""

    source: str
    options: dict[str, str]
    damaged: str
    expected: str
    expect_lost: bool = False


# --------------------------------------------------------------------------- texts


def load_paragraphs(name: str) -> list[str]:
    """Paragraphs of one clean text file (blocks separated by a blank line)."""
    raw = (TEXTS_DIR / name).read_text(encoding="utf-8")
    return [block.strip("\n") for block in raw.split("\n\n") if block.strip()]


def paragraph_windows(files: tuple[str, ...], max_len: int) -> list[Doc]:
    """Every run of 1..max_len consecutive paragraphs of the given files."""
    docs = []
    for name in files:
        paragraphs = load_paragraphs(name)
        for start in range(len(paragraphs)):
            for length in range(1, max_len + 1):
                if start + length > len(paragraphs):
                    break
                span = f"{start}" if length == 1 else f"{start}-{start + length - 1}"
                docs.append(Doc(f"{name}#{span}", "\n\n".join(paragraphs[start : start + length])))
    return docs


SENTENCE_END = re.compile(r"(?<=[。！？!?」”])(?![」”])|(?<=\n)")


def sentence_windows(files: tuple[str, ...]) -> list[Doc]:
    """Every run of consecutive whole sentences inside one paragraph (for short documents)."""
    docs = []
    for name in files:
        for index, paragraph in enumerate(load_paragraphs(name)):
            sentences = [part for part in SENTENCE_END.split(paragraph) if part.strip()]
            if len(sentences) < 2:
                continue
            for start in range(len(sentences)):
                for stop in range(start + 1, len(sentences) + 1):
                    if (start, stop) == (0, len(sentences)):
                        continue
                    text = "".join(sentences[start:stop]).strip()
                    docs.append(Doc(f"{name}#{index}:s{start}-{stop - 1}", text))
    return docs


# --------------------------------------------------------------------------- codecs


def web_cp1252(data: bytes) -> str:
    """windows-1252 as browsers decode it: the five unassigned bytes become C1 controls."""
    return "".join(
        chr(byte) if byte in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([byte]).decode("cp1252")
        for byte in data
    )


def decode_strict(data: bytes, codec: str) -> str | None:
    """Decode without any replacement, or None; ``web-1252`` is the browser cp1252."""
    if codec == "web-1252":
        return web_cp1252(data)
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def encode_strict(text: str, codec: str) -> bytes | None:
    """Encode or None when a character is missing from the codec."""
    if codec == "web-1252":
        codec = "latin-1"
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def misdecode(text: str, true_codec: str, wrong_codec: str) -> str | None:
    """Text encoded with true_codec then decoded with wrong_codec, only if both are lossless.

    The wrong decode must re-encode to the same bytes (so the damage is reversible) and must
    differ from the clean text.
    """
    data = encode_strict(text, true_codec)
    if data is None:
        return None
    damaged = decode_strict(data, wrong_codec)
    if damaged is None or damaged == text:
        return None
    if wrong_codec != "web-1252" and encode_strict(damaged, wrong_codec) != data:
        return None
    return damaged


# --------------------------------------------------------------------------- helpers


def is_cjk(char: str) -> bool:
    """Han, kana, hangul, CJK punctuation or Chinese quotation marks."""
    code = ord(char)
    return (
        0x3000 <= code <= 0x9FFF
        or 0xAC00 <= code <= 0xD7AF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x20000 <= code <= 0x3FFFF
        or char in "“”‘’…—·"
    )


def is_han(char: str) -> bool:
    """A Han ideograph."""
    return unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH")


def tone_pinyin(char: str) -> str | None:
    """The default tone-marked reading of a Han character, or None for neutral/unknown."""
    reading = pinyin(char, style=Style.TONE, errors="ignore")
    if not reading or not reading[0]:
        return None
    syllable = reading[0][0]
    if not syllable.isalpha() or not TONE_LETTERS & set(syllable):
        return None
    return syllable


def round_trips_s2t(text: str) -> bool:
    """OpenCC s2t changes the text and t2s restores it exactly."""
    converted = S2T.convert(text)
    return converted != text and T2S.convert(converted) == text


CJK_PUNCT_OPENING = set("（")
ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def punctuation_unambiguous(text: str) -> bool:
    """True when restoring full-width punctuation between CJK characters gives the text back.

    Full-width ，：；！？（） must sit next to CJK characters on their CJK side, and no
    ASCII punctuation may touch a CJK character.
    """
    for index, char in enumerate(text):
        before = text[index - 1] if index else "\n"
        after = text[index + 1] if index + 1 < len(text) else "\n"
        if char in "，：；！？）":
            cjk_around = is_cjk(before) and (is_cjk(after) or after == "\n")
            if not cjk_around and not (char == "）" and is_cjk(before)):
                return False
        elif char in CJK_PUNCT_OPENING:
            if not is_cjk(after) or not (is_cjk(before) or before in " \n"):
                return False
        elif char in ASCII_PUNCT and (is_cjk(before) or is_cjk(after)):
            return False
    return True


def class_rng(name: str) -> random.Random:
    """The fixed random source of one class."""
    return random.Random(SEED + zlib.crc32(name.encode("utf-8")))


def pick(
    rng: random.Random,
    docs: list[Doc],
    make: Callable[[Doc], Case | list[Case] | None],
    target: int = TARGET,
    shuffle: bool = True,
) -> list[Case]:
    """Shuffle candidate documents (unless told not to); keep the first cases ``make`` accepts."""
    order = docs[:]
    if shuffle:
        rng.shuffle(order)
    cases: list[Case] = []
    seen: set[str] = set()
    for doc in order:
        made = make(doc)
        if made is None:
            continue
        for case in made if isinstance(made, list) else [made]:
            if case.damaged in seen:
                continue
            seen.add(case.damaged)
            cases.append(case)
        if len(cases) >= target:
            break
    return cases[:target]


def prefer_long(docs: list[Doc], rng: random.Random) -> list[Doc]:
    """Whole paragraphs first (shuffled), then shorter sentence runs (shuffled)."""
    whole = [doc for doc in docs if ":s" not in doc.source]
    parts = [doc for doc in docs if ":s" in doc.source]
    rng.shuffle(whole)
    rng.shuffle(parts)
    return whole + parts


# --------------------------------------------------------------------------- strict classes


class DoubleDecode(NamedTuple):
    """One strict double-decode class: which texts, which true and wrong codec."""

    name: str
    files: tuple[str, ...]
    true_codec: str
    wrong_codec: str


DOUBLE_DECODES = (
    DoubleDecode("utf8-as-gbk", HANS_FILES + HANT_FILES + CODE_FILES + HANS_SHORT, "utf-8", "gbk"),
    DoubleDecode("utf8-as-big5", HANT_FILES + HANT_SHORT, "utf-8", "big5"),
    DoubleDecode("utf8-as-sjis", JA_FILES + JA_SHORT, "utf-8", "cp932"),
    DoubleDecode(
        "utf8-as-euckr",
        KO_FILES + KO_SHORT + HANS_FILES + HANT_FILES + CODE_FILES,
        "utf-8",
        "cp949",
    ),
    DoubleDecode("utf8-as-eucjp", JA_FILES + JA_SHORT, "utf-8", "euc_jp"),
    DoubleDecode("gbk-as-latin1", HANS_FILES + HANS_SHORT + CODE_FILES[:2], "gbk", "latin-1"),
    DoubleDecode("big5-as-cp1252", HANT_FILES + HANT_SHORT, "big5", "web-1252"),
    DoubleDecode("big5-as-gbk", HANT_FILES + HANT_SHORT, "big5", "gb18030"),
    DoubleDecode("sjis-as-cp1252", JA_FILES + JA_SHORT, "cp932", "web-1252"),
    DoubleDecode("euckr-as-latin1", KO_FILES + KO_SHORT, "euc_kr", "latin-1"),
)


def strict_class(spec: DoubleDecode) -> list[Case]:
    """Cases of one strict double decode, whole paragraphs preferred over sentence runs."""
    rng = class_rng(spec.name)
    docs = paragraph_windows(spec.files, 3) + sentence_windows(spec.files)
    docs = [doc for doc in docs if sum(is_cjk(char) for char in doc.text) >= MIN_CJK_STRICT]

    def make(doc: Doc) -> Case | None:
        damaged = misdecode(doc.text, spec.true_codec, spec.wrong_codec)
        if damaged is None:
            return None
        return Case(doc.source, KEEP, damaged, doc.text)

    return pick(rng, prefer_long(docs, rng), make, shuffle=False)


def double_utf8() -> list[Case]:
    """UTF-8 of CJK text with Chinese quotes and punctuation read as cp1252 or latin-1."""
    rng = class_rng("double-utf8")
    files = HANS_FILES + HANT_FILES + JA_FILES + KO_FILES + CODE_FILES
    docs = [doc for doc in paragraph_windows(files, 2) if re.search("[“”，。「」、]", doc.text)]

    def make(doc: Doc) -> Case | None:
        wrong = rng.choice(("web-1252", "latin-1"))
        damaged = misdecode(doc.text, "utf-8", wrong)
        return None if damaged is None else Case(doc.source, KEEP, damaged, doc.text)

    return pick(rng, docs, make)


LAYERS = (
    (("utf-8", "gbk"), ("utf-8", "latin-1")),
    (("utf-8", "gbk"), ("utf-8", "web-1252")),
    (("gbk", "latin-1"), ("utf-8", "web-1252")),
    (("utf-8", "cp932"), ("utf-8", "web-1252")),
    (("utf-8", "web-1252"), ("utf-8", "web-1252")),
)


def layered() -> list[Case]:
    """Two strict wrong decodes on top of each other."""
    rng = class_rng("layered")
    docs = prefer_long(
        paragraph_windows(HANS_FILES + HANT_FILES + JA_FILES + CODE_FILES + HANS_SHORT, 2)
        + sentence_windows(HANS_FILES + JA_FILES),
        rng,
    )

    def make(doc: Doc) -> Case | None:
        first, second = rng.choice(LAYERS)
        if first[1] == "cp932" and not re.search("[ぁ-んァ-ン]", doc.text):
            return None
        middle = misdecode(doc.text, *first)
        if middle is None:
            return None
        damaged = misdecode(middle, *second)
        return None if damaged is None else Case(doc.source, KEEP, damaged, doc.text)

    return pick(rng, docs, make, shuffle=False)


def partial() -> list[Case]:
    """Clean multi-paragraph documents where exactly one paragraph went through a wrong decode."""
    rng = class_rng("partial")
    groups = (HANS_FILES, HANT_FILES, JA_FILES, KO_FILES, CODE_FILES)
    docs = [doc for group in groups for doc in paragraph_windows(group, 5) if "\n\n" in doc.text]
    choices = {
        "zh": (("utf-8", "gbk"), ("gbk", "latin-1"), ("utf-8", "latin-1"), ("utf-8", "web-1252")),
        "hant": (("utf-8", "gbk"), ("big5", "web-1252"), ("utf-8", "latin-1")),
        "ja": (("utf-8", "cp932"), ("cp932", "web-1252"), ("utf-8", "web-1252")),
        "ko": (("euc_kr", "latin-1"), ("utf-8", "cp949"), ("utf-8", "web-1252")),
    }

    def make(doc: Doc) -> Case | None:
        paragraphs = doc.text.split("\n\n")
        if len(paragraphs) < 2:
            return None
        name = doc.source.split("#")[0]
        family = (
            "ja"
            if name.startswith("ja")
            else "ko"
            if name.startswith("ko")
            else "hant"
            if name in HANT_FILES
            else "zh"
        )
        target = rng.randrange(len(paragraphs))
        damaged = misdecode(paragraphs[target], *rng.choice(choices[family]))
        if damaged is None:
            return None
        paragraphs[target] = damaged
        return Case(f"{doc.source}@{target}", KEEP, "\n\n".join(paragraphs), doc.text)

    return pick(rng, docs, make)


# --------------------------------------------------------------------------- lossy classes


LOSSY_CODECS = (
    (HANS_FILES + HANS_SHORT + CODE_FILES, "gbk"),
    (HANT_FILES + HANT_SHORT, "gbk"),
    (HANT_FILES + HANT_SHORT, "big5"),
    (JA_FILES + JA_SHORT, "cp932"),
)


def lossy(name: str, replacement: str) -> list[Case]:
    """UTF-8 decoded with a CJK codec and errors='replace' (U+FFFD, or '?' afterwards)."""
    rng = class_rng(name)
    docs: list[tuple[Doc, str]] = []
    for files, codec in LOSSY_CODECS:
        docs.extend((doc, codec) for doc in paragraph_windows(files, 2))
    rng.shuffle(docs)
    by_codec: dict[str, list[Case]] = {}
    for doc, codec in docs:
        data = doc.text.encode("utf-8")
        decoded = data.decode(codec, errors="replace")
        if "\ufffd" not in decoded:
            continue
        if decoded.count("\ufffd") > len(doc.text) * MAX_LOSSY_DENSITY:
            continue
        damaged = decoded.replace("\ufffd", replacement)
        by_codec.setdefault(codec, []).append(Case(doc.source, KEEP, damaged, doc.text))
    cases = by_codec.get("big5", [])[: TARGET // 6]
    cases += by_codec.get("cp932", [])[: TARGET // 3]
    cases += by_codec.get("gbk", [])[: TARGET - len(cases)]
    return cases


# --------------------------------------------------------------------------- lost data


def lost_data() -> list[Case]:
    """Clean text with unrecoverable markers: 锟斤拷, 烫烫烫, 屯屯屯, runs of U+FFFD."""
    rng = class_rng("lost-data")
    docs = paragraph_windows(HANS_FILES + HANT_FILES + JA_FILES + KO_FILES + CODE_FILES, 2)
    kinds = ("kunkinkao", "tang", "tun", "fffd")

    def make(doc: Doc) -> Case | None:
        text = doc.text
        cjk_positions = [index for index, char in enumerate(text) if is_cjk(char)]
        if len(cjk_positions) < 8:
            return None
        kind = rng.choice(kinds)
        name = doc.source.split("#")[0]
        if kind in ("kunkinkao", "tang", "tun") and (name.startswith(("ja", "ko"))):
            kind = "fffd"
        start = rng.choice(cjk_positions[2:-4])
        width = rng.randint(1, 4)
        if kind == "kunkinkao":
            damaged = text[:start] + "锟斤拷" * math.ceil(width / 2) + text[start + width :]
        elif kind == "fffd":
            damaged = text[:start] + "\ufffd" * rng.randint(1, 3) * width + text[start + width :]
        else:
            marker = "烫" if kind == "tang" else "屯"
            paragraph_end = text.find("\n\n", start)
            rest = "" if paragraph_end < 0 else text[paragraph_end:]
            damaged = text[:start] + marker * rng.randint(4, 16) + rest
        return Case(doc.source, KEEP, damaged, damaged, expect_lost=True)

    return pick(rng, docs, make)


# --------------------------------------------------------------------------- misaligned


class LegacyBytes(NamedTuple):
    """A legacy double-byte encoding as the damaging site saw it."""

    codec: str
    halfwidth: dict[bytes, int]


def halfwidth_table(codec: str) -> dict[bytes, int]:
    """Two-byte codes of full-width ASCII (U+FF01..FF5E) mapped to the half-width byte."""
    table: dict[bytes, int] = {}
    for code in range(0xFF01, 0xFF5F):
        encoded = encode_strict(chr(code), codec)
        if encoded is not None and len(encoded) == 2:
            table[encoded] = code - 0xFF01 + 0x21
    if codec == "gbk":
        table = {
            key: key[1] - 0x80
            for key in [bytes([0xA3, trail]) for trail in range(0xA1, 0xFF)]
            if decode_strict(key, codec) is not None
        }
    return table


GBK = LegacyBytes("gbk", halfwidth_table("gbk"))
BIG5 = LegacyBytes("big5hkscs", halfwidth_table("big5"))


def char_starts(text: str, codec: str) -> set[int]:
    """Byte offsets where a character begins in text encoded with codec."""
    offsets, position = set(), 0
    for char in text:
        offsets.add(position)
        position += len(char.encode(codec))
    return offsets


def rewrite_halfwidth(data: bytes, legacy: LegacyBytes) -> tuple[bytes, list[int]]:
    """Replace full-width codes by half-width bytes scanning every offset; report positions."""
    out, hits, index = bytearray(), [], 0
    while index < len(data):
        pair = data[index : index + 2]
        if len(pair) == 2 and pair in legacy.halfwidth:
            hits.append(index)
            out.append(legacy.halfwidth[pair])
            index += 2
        else:
            out.append(data[index])
            index += 1
    return bytes(out), hits


def insert_pinyin(data: bytes, readings: dict[bytes, bytes]) -> tuple[bytes, list[int]]:
    """Insert ``(pinyin)`` after every two-byte code in readings, at every offset."""
    out, hits, index = bytearray(), [], 0
    while index < len(data):
        pair = data[index : index + 2]
        if len(pair) == 2 and pair in readings:
            hits.append(index)
            out += pair + readings[pair]
            index += 2
        else:
            out.append(data[index])
            index += 1
    return bytes(out), hits


def decode_with_orphans(data: bytes, codec: str) -> str:
    """Decode a double-byte stream; an undecodable lead byte becomes '?'.

    Like the decoder that produced the seed damage, the orphan swallows a following '(' or '<'.
    """
    out, index = [], 0
    while index < len(data):
        byte = data[index]
        if byte < 0x80:
            out.append(chr(byte))
            index += 1
            continue
        pair = data[index : index + 2]
        decoded = decode_strict(pair, codec) if len(pair) == 2 else None
        if decoded is not None and len(pair) == 2:
            out.append(decoded)
            index += 2
            continue
        out.append("?")
        swallow = len(pair) == 2 and pair[1] in SWALLOWED_AFTER_ORPHAN
        index += 2 if swallow else 1
    return "".join(out)


def misaligned_pairs(data: bytes, starts: set[int], codec: str) -> list[str]:
    """Han characters whose code appears at an offset that is not a character start."""
    found = []
    for index in range(len(data) - 1):
        if index in starts or data[index] < 0x81:
            continue
        char = decode_strict(data[index : index + 2], codec)
        if char is not None and len(char) == 1 and is_han(char) and tone_pinyin(char):
            found.append(char)
    return sorted(set(found))


def reading_bytes(char: str, codec: str) -> tuple[bytes, bytes] | None:
    """(code of char, encoded ``(pinyin)``) or None when either is not encodable."""
    syllable = tone_pinyin(char)
    code = encode_strict(char, codec)
    note = encode_strict(f"({syllable})", codec) if syllable else None
    if code is None or note is None or len(code) != 2:
        return None
    return code, note


def damage_misaligned(
    traditional: str, legacy: LegacyBytes, rng: random.Random
) -> tuple[str, str, int] | None:
    """Apply the site's byte rewrites to traditional text; return damaged, keep-expected, events."""
    data = encode_strict(traditional, legacy.codec)
    if data is None or (legacy.codec == "big5hkscs" and encode_strict(traditional, "big5") != data):
        return None
    starts = char_starts(traditional, legacy.codec)
    halved, half_hits = rewrite_halfwidth(data, legacy)
    misaligned_half = [hit for hit in half_hits if hit not in starts]
    han = sorted({char for char in traditional if is_han(char) and tone_pinyin(char)})
    if len(han) < 6:
        return None
    count = max(5, min(40, len(han) // 3))
    chosen = set(rng.sample(han, count))
    halved_starts = char_starts(halfwidth_expected(traditional, legacy), legacy.codec)
    extras = [
        char for char in misaligned_pairs(halved, halved_starts, legacy.codec) if char not in chosen
    ]
    if extras and rng.random() < 0.8:
        chosen.add(rng.choice(extras))
    readings = dict(filter(None, (reading_bytes(char, legacy.codec) for char in sorted(chosen))))
    annotated, pinyin_hits = insert_pinyin(halved, readings)
    misaligned_pinyin = [hit for hit in pinyin_hits if hit not in halved_starts]
    damaged = decode_with_orphans(annotated, legacy.codec)
    expected = halfwidth_expected(traditional, legacy)
    events = len(misaligned_half) + len(misaligned_pinyin)
    if damaged == expected:
        return None
    return damaged, expected, events


def halfwidth_expected(text: str, legacy: LegacyBytes) -> str:
    """Text with the aligned full-width to half-width substitution applied."""
    out = []
    for char in text:
        code = encode_strict(char, legacy.codec)
        out.append(chr(legacy.halfwidth[code]) if code in legacy.halfwidth else char)
    return "".join(out)


def misaligned(name: str, legacy: LegacyBytes) -> list[Case]:
    """The seed's byte-level damage in general, with keep and hans+cjk expectations."""
    rng = class_rng(name)
    simplified = paragraph_windows((*HANS_FILES, "html-snippets.html"), 3)
    native = paragraph_windows(HANT_FILES, 3)
    candidates = [(doc, True) for doc in simplified] + [(doc, False) for doc in native]
    rng.shuffle(candidates)
    with_events: list[Case] = []
    without_events: list[Case] = []
    for doc, is_simplified in candidates:
        if is_simplified:
            if not round_trips_s2t(doc.text):
                continue
            traditional = S2T.convert(doc.text)
        else:
            traditional = doc.text
        result = damage_misaligned(traditional, legacy, rng)
        if result is None:
            continue
        damaged, expected, events = result
        bucket = with_events if events else without_events
        bucket.append(
            Case(doc.source + (" (s2t)" if is_simplified else ""), KEEP, damaged, expected)
        )
        if is_simplified and punctuation_unambiguous(doc.text):
            bucket.append(Case(doc.source + " (s2t)", TO_HANS_CJK, damaged, doc.text))
    wanted = TARGET + TARGET // 4
    cases = with_events[: wanted * 3 // 4]
    cases += without_events[: wanted - len(cases)]
    return cases


# --------------------------------------------------------------------------- pinyin and script


def pinyin_injected() -> list[Case]:
    """Every occurrence of a set of characters annotated with an aligned ``(pinyin)``."""
    rng = class_rng("pinyin")
    groups = (HANS_FILES[:2], HANT_FILES[:2])
    docs = [
        doc
        for group in groups
        for doc in paragraph_windows(group, 5)
        if doc.text.count("\n\n") >= 1
    ]

    def make(doc: Doc) -> Case | None:
        han = sorted({char for char in doc.text if is_han(char) and tone_pinyin(char)})
        if len(han) < 30:
            return None
        chosen = set(rng.sample(han, min(40, max(10, len(han) // 4))))
        damaged = "".join(
            f"{char}({tone_pinyin(char)})" if char in chosen else char for char in doc.text
        )
        return Case(doc.source, KEEP, damaged, doc.text)

    return pick(rng, docs, make)


def pinyin_legit() -> list[Case]:
    """Text with one legitimate pronunciation note: must stay as it is."""
    docs = paragraph_windows(PINYIN_NOTES, 1)
    return [Case(doc.source, KEEP, doc.text, doc.text) for doc in docs]


def script_s2t() -> list[Case]:
    """Simplified text converted whole to Traditional; asked back to Simplified."""
    rng = class_rng("script-s2t")
    docs = paragraph_windows(HANS_FILES + HANS_SHORT + CODE_FILES, 3)

    def make(doc: Doc) -> Case | None:
        # fixer never converts code (Markdown fences and backticks), so a document whose
        # code was converted too has no single right answer: such documents are left out.
        if "`" in doc.text or not round_trips_s2t(doc.text):
            return None
        return Case(doc.source, TO_HANS, S2T.convert(doc.text), doc.text)

    return pick(rng, docs, make)


def clean(name: str, files: tuple[str, ...]) -> list[Case]:
    """Clean documents that must come back unchanged."""
    rng = class_rng(name)

    def make(doc: Doc) -> Case:
        return Case(doc.source, KEEP, doc.text, doc.text)

    return pick(rng, paragraph_windows(files, 4), make)


# --------------------------------------------------------------------------- output


def build() -> dict[str, list[Case]]:
    """Every class with its cases."""
    classes: dict[str, list[Case]] = {}
    for spec in DOUBLE_DECODES:
        classes[spec.name] = strict_class(spec)
    classes["double-utf8"] = double_utf8()
    classes["layered"] = layered()
    classes["partial"] = partial()
    classes["lossy-fffd"] = lossy("lossy-fffd", "\ufffd")
    classes["lossy-question"] = lossy("lossy-question", "?")
    classes["lost-data"] = lost_data()
    classes["misaligned"] = misaligned("misaligned", GBK)
    classes["misaligned-big5"] = misaligned("misaligned-big5", BIG5)
    classes["pinyin"] = pinyin_injected()
    classes["pinyin-legit"] = pinyin_legit()
    classes["script-s2t"] = script_s2t()
    classes["clean-zh-hans"] = clean("clean-zh-hans", HANS_FILES + HANS_SHORT + PINYIN_NOTES)
    classes["clean-zh-hant"] = clean("clean-zh-hant", HANT_FILES + HANT_SHORT)
    classes["clean-ja"] = clean("clean-ja", JA_FILES + JA_SHORT)
    classes["clean-ko"] = clean("clean-ko", KO_FILES + KO_SHORT)
    classes["clean-code"] = clean("clean-code", CODE_FILES)
    return classes


def case_lines(name: str, cases: list[Case]) -> Iterator[str]:
    """JSON lines of one class."""
    for number, case in enumerate(cases, 1):
        record = {
            "id": f"{name}-{number:03d}",
            "class": name,
            "source": case.source,
            "options": case.options,
            "damaged": case.damaged,
            "expected": case.expected,
            "expect_lost": case.expect_lost,
        }
        line = json.dumps(record, ensure_ascii=False)
        for separator in LINE_SEPARATORS:
            line = line.replace(separator, f"\\u{ord(separator):04x}")
        yield line


README_HEAD = """# Corpus cases

Generated by `corpus/make_corpus.py` from the clean texts in `corpus/texts/` (see
`corpus/SOURCES.md`). Do not edit by hand: change the texts or the script and run
`python corpus/make_corpus.py`.

Each `<class>.jsonl` holds one JSON object per line: `id`, `class`, `source` (text file and
paragraph range; `:sA-B` is a sentence range, `@N` the damaged paragraph, `(s2t)` a document
converted with OpenCC s2t before damage), `options` (keyword arguments of `fixer.fix_text`),
`damaged`, `expected`, `expect_lost`.

| class | cases | what |
| --- | ---: | --- |
"""

README_TAIL = """
Notes:

- Strict classes keep only documents whose wrong decode needs no replacement character and
  re-encodes to the same bytes. UTF-8 read as GBK or cp932 is strict-valid only for short
  documents (`。` and `“”` put byte 0x80 in lead position half of the time), so those classes
  hold lines, headings, code blocks and sentence runs. UTF-8 read as Big5 or EUC-JP is never
  strict-valid for real text (UTF-8 continuation bytes 0x80-0xA0 are not valid trail bytes),
  and UTF-8 read as cp949 almost never (a space after an odd byte count): those classes are
  empty or tiny, and that damage is lossy in practice.
- Lossy classes keep documents with at most one replacement per ten characters; UTF-8 read as
  Big5 with replacement exceeds one per character, so it is left out.
- `misaligned` uses the decoder behaviour of the seed: an undecodable lead byte becomes `?`
  and swallows a following `(` or `<`. `misaligned-big5` inserts pinyin as Big5-HKSCS bytes
  (plain Big5 has no tone-marked letters).
- Cases depend on the installed OpenCC and pypinyin data; the reproducibility test runs the
  script again with the same environment.
"""

DESCRIPTIONS = {
    "utf8-as-gbk": "UTF-8 read as GBK (strict-valid only)",
    "utf8-as-big5": "UTF-8 read as Big5, strict-valid only (none exist, see below)",
    "utf8-as-sjis": "UTF-8 read as Shift_JIS/cp932 (strict-valid only)",
    "utf8-as-euckr": "UTF-8 read as EUC-KR/cp949, strict-valid only (rare, see below)",
    "utf8-as-eucjp": "UTF-8 read as EUC-JP, strict-valid only (none exist, see below)",
    "gbk-as-latin1": "GBK bytes read as Latin-1",
    "big5-as-cp1252": "Big5 bytes read as windows-1252 (browser variant)",
    "big5-as-gbk": "Big5 bytes read as GBK (GB18030; user-defined rows as private use)",
    "sjis-as-cp1252": "Shift_JIS bytes read as windows-1252 (browser variant)",
    "euckr-as-latin1": "EUC-KR bytes read as Latin-1",
    "double-utf8": "UTF-8 read as windows-1252 or Latin-1",
    "layered": "two wrong decodes on top of each other",
    "partial": "one paragraph of a clean document damaged",
    "lossy-fffd": "UTF-8 read as GBK or cp932 with U+FFFD replacement (scored by CER)",
    "lossy-question": "as lossy-fffd with '?' replacement (scored by CER)",
    "lost-data": "锟斤拷, 烫烫烫, 屯屯屯, U+FFFD runs: report, never rewrite",
    "misaligned": "GBK byte rewrites ignoring character boundaries (seed damage)",
    "misaligned-big5": "the same on Big5(-HKSCS) bytes",
    "pinyin": "aligned injected (pinyin) after a set of characters",
    "pinyin-legit": "one legitimate pronunciation note: unchanged",
    "script-s2t": "Simplified converted to Traditional; to=hans gives it back",
    "clean-zh-hans": "clean Simplified Chinese: unchanged",
    "clean-zh-hant": "clean Traditional Chinese: unchanged",
    "clean-ja": "clean Japanese: unchanged",
    "clean-ko": "clean Korean: unchanged",
    "clean-code": "clean source code and HTML with CJK: unchanged",
}


def write(output: Path) -> dict[str, int]:
    """Write every class file and the README table into output; return the counts."""
    output.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, cases in build().items():
        lines = list(case_lines(name, cases))
        (output / f"{name}.jsonl").write_text(
            "".join(line + "\n" for line in lines), encoding="utf-8", newline="\n"
        )
        counts[name] = len(lines)
    rows = "".join(
        f"| `{name}` | {count} | {DESCRIPTIONS[name]} |\n" for name, count in counts.items()
    )
    total = f"| total | {sum(counts.values())} | |\n"
    (output / "README.md").write_text(
        README_HEAD + rows + total + README_TAIL, encoding="utf-8", newline="\n"
    )
    return counts


def main(argv: list[str]) -> None:
    """Entry point: optional output directory."""
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    for name, count in write(output).items():
        print(f"{name:18} {count}")


if __name__ == "__main__":
    main(sys.argv)
