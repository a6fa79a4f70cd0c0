"""Mojibake: text whose bytes were decoded with the wrong codec.

Covers UTF-8 read as GBK, Big5, Shift-JIS, EUC-KR, EUC-JP or a Western
single-byte codec, and GBK/Big5/Shift-JIS/EUC-KR bytes read as Latin-1 or
Windows-1252, including two layers of either.  For each (wrong decoder, true
encoding) pair the suspicious line is encoded back with the wrong decoder,
well-formed runs of the true encoding are located in those bytes and snapped
to character boundaries, and each run is decoded.  The language model decides:
a candidate replaces the span only when it is plausible CJK text in a language its
encoding is written in (no Chinese-only run read as Shift-JIS) and clearly more
probable than what is there.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

from fixer import lm
from fixer.chardata import (
    CODEC_LABELS,
    CODEC_LANGUAGES,
    HAN_CLASS,
    MOJIBAKE_PAIRS,
    PINYIN_TONE_MARKS,
    WESTERN_CODECS,
)
from fixer.codecs import decode_runs, encode_char, ensure_codec
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, LineMemo, Proposal, resolve_overlaps
from fixer.damage.language import script_of
from fixer.damage.lossy import MARK_AFTER_NON_ASCII, REPLACEMENT
from fixer.fastpath import (
    cluster_windows,
    is_suspicious,
    line_bounds,
    lines_at,
    suspicious_pattern,
)

#: Minimum gain in log-likelihood (natural log) a candidate must bring.
MIN_GAIN = 6.0
#: Bonus for a span read with the codec pair that explains most of the document.
DOMINANT_BONUS = 20.0
#: Lead over every other reading a whole-line reading needs: twice DOMINANT_BONUS, so
#: the document's dominant reading could not have overturned it.
WHOLE_LINE_LEAD = 2 * DOMINANT_BONUS
#: Share of high characters in the words around a Western span that marks it as legacy CJK.
HIGH_SHARE_OF_WORDS = 0.5
#: High characters in runs a Western span needs before a legacy CJK reading is tried.
MIN_HIGH_IN_RUNS = 4
#: Share of a Western run that well-formed UTF-8 must cover to rule out legacy readings.
UTF8_PRECEDENCE = 0.8
#: A candidate must decode to at least this many CJK characters: one character from a
#: few Latin letters is a coincidence as often as not.
MIN_CJK_CHARS = 2
#: Extra gain needed per character of a candidate shorter than this.
SHORT_SPAN = 3
#: Share of a legacy reading's known Han characters that may be foreign to the languages
#: its encoding is written in (a name or a quotation in another script), and the relative
#: frequency in a language's lists under which a character is foreign to it.
FOREIGN_HAN_SHARE = 0.2
MIN_LANGUAGE_FREQUENCY = 1e-6
#: Most scripts the letters of a UTF-8 reading may come from to take precedence over legacy
#: readings of the same bytes (see _letter_scripts).
MAX_UTF8_SCRIPTS = 2

_WESTERN_HIGH = re.compile(
    "[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)


#: A UTF-8 lead byte read as Latin-1 followed by a continuation byte read as Latin-1 or
#: Windows-1252: the signature of UTF-8 decoded with a Western codec.
UTF8_AS_WESTERN = re.compile(
    "[\xc2-\xf4][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_HIGH_RUN = re.compile(f"(?:{_WESTERN_HIGH.pattern})+")
#: A non-ASCII character beside an ASCII letter (the character is the match).
_LETTER_BESIDE_ASCII_LETTER = re.compile(r"(?<=[A-Za-z])[^\x00-\x7f]|[^\x00-\x7f](?=[A-Za-z])")
#: Shortest run of characters in code-point order taken for a list (see _in_code_point_order).
MIN_ORDERED_RUN = 5
#: Quotation marks of European typography (Windows-1252 and Latin-1).
_QUOTES = "\u201e\u201c\u201d\u201a\u2018\u2019\xab\xbb\u2039\u203a"
#: High characters of Western mojibake that CJK text does not use as punctuation
#: (it uses curly quotes, dashes, the ellipsis and the middle dot).
_WESTERN_LETTER = re.compile(
    "[\x80-\xb6\xb8-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2020-\u2022\u2030\u2039\u203a\u20ac\u2122]"
)

#: Two high characters at most one character apart, one of them a letter: the lead bytes
#: of two legacy double-byte characters read as a Western codec.  Pinyin tone marks
#: (``shì sì``) are a syllable apart.
_WESTERN_PAIR = re.compile(
    f"{_WESTERN_LETTER.pattern}.?{_WESTERN_HIGH.pattern}|{_WESTERN_HIGH.pattern}.?{_WESTERN_LETTER.pattern}"
)
#: Codec pairs whose wrong decoder turns UTF-8 into CJK-looking text.
_CJK_READINGS = tuple(
    (wrong, true)
    for wrong, true in MOJIBAKE_PAIRS
    if wrong not in WESTERN_CODECS and true == "utf-8"
)
#: Codec pairs whose wrong decoder turns legacy CJK bytes into other CJK-looking text.
_LEGACY_READINGS = tuple(
    (wrong, true)
    for wrong, true in MOJIBAKE_PAIRS
    if wrong not in WESTERN_CODECS and true != "utf-8"
)
#: Characters of GBK's symbol and user-defined rows, where Big5 has its commonest characters:
#: private use (的 AA BA is U+E019), Greek, Cyrillic, box drawing, bopomofo, tone-marked
#: pinyin letters (見 A8 A3 is ǎ).  Beside Han, the sign of Big5 read as GBK (kana are
#: too, but Japanese has them there).
_LEGACY_SIGN = (
    f"[\ue000-\uf8ff\u0391-\u03c9\u0401-\u0451\u2500-\u257f\u3105-\u3129{PINYIN_TONE_MARKS}]"
)
#: The messages of readings in another legacy codec.
_LEGACY_MESSAGES = frozenset(
    f"mojibake: {CODEC_LABELS[true]} read as {CODEC_LABELS[wrong]}"
    for wrong, true in _LEGACY_READINGS
)
_LINE_START = re.compile("(?<=\n)")
_LEGACY_SIGN_BESIDE_HAN = re.compile(
    f"[\ue000-\uf8ff]|[{HAN_CLASS}]{_LEGACY_SIGN}|{_LEGACY_SIGN}[{HAN_CLASS}]"
)
#: What a candidate worth scoring needs in the re-encoded bytes (a fast test before
#: decode_runs): two UTF-8 sequences of three or four bytes (CJK characters), or two of
#: the sequences of Western high characters, in one well-formed run.
_UTF8_LONG = rb"(?:[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3})"
_UTF8_HIGH = rb"(?:[\xc2-\xcb][\x80-\xbf]|\xe2[\x80-\x84][\x80-\xbf])"
_UTF8_ANY = rb"(?:[\x20-\x7e]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2})*"
_TWO_UTF8_SEQUENCES = re.compile(
    _UTF8_LONG + _UTF8_ANY + _UTF8_LONG + b"|" + _UTF8_HIGH + _UTF8_ANY + _UTF8_HIGH
)
#: Characters of context the gate decodes on each side of a cluster of rare characters.
GATE_MARGIN = 4
#: Lines around a mojibake spot in which a single rare character is searched too.
LONE_REACH = 3
#: Longest text searched for single rare characters with no cluster anywhere in it.  Damage
#: of a paragraph or more leaves clusters; a short word alone (鏃ュ織璁板綍, a title or a
#: message) need not.
LONE_TEXT_CHARS = 400


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> float:
    """Share of ``[start, end)`` covered by *spans*."""
    covered = {i for a, b in spans for i in range(max(start, a), min(end, b))}
    return len(covered) / max(1, end - start)


def _looks_legacy(line: str, start: int, end: int) -> bool:
    """Is ``line[start:end]`` shaped like legacy CJK bytes read as a Western codec?

    Either its high characters come in runs, or the words it touches are at
    least half high characters (``µn¥X``, ``ƒvƒ‰ƒC``: double-byte codes whose
    trail bytes fall in ASCII).  European words have a few accented letters
    among many ASCII ones (``järjestetty``, ``keväänä``) and pass neither test.
    """
    if len(set(line[start:end])) < 2:
        return False  # one letter, maybe repeated (Swedish ``ÅÅÅÅ``): see _high_runs_dominate
    if _high_runs_dominate(line[start:end]):
        return True
    # The words end at spaces and at ASCII below 0x40 (digits, quotes, brackets, ``%``):
    # no double-byte code holds such a byte, so ``%(count)s•ª‘O`` is the word ``s•ª‘O``.
    while start > 0 and not _ends_word(line[start - 1]):
        start -= 1
    while end < len(line) and not _ends_word(line[end]):
        end += 1
    # Quotation marks around a word are typography (Hungarian „téli”), not codes.
    words = "".join(word.strip(_QUOTES) for word in line[start:end].split())
    return len(_WESTERN_HIGH.findall(words)) >= HIGH_SHARE_OF_WORDS * len(words)


def _ends_word(char: str) -> bool:
    """Does *char* end a word of legacy mojibake: a space, or ASCII no trail byte can be?"""
    return char < "@" or char.isspace()


def _high_runs_dominate(span: str) -> bool:
    """Are the high characters of *span* mostly in runs, as in legacy CJK read as Latin-1?

    Every CJK character has a high lead byte, so such mojibake is runs of high
    characters (``¾²Ò¹``, ``¦Ñ§^¦Ñ``); a European word has single accented
    letters between ASCII ones (``järjestetty``), whose bytes can pair into a
    CJK character by coincidence.
    """
    # One letter repeated (Swedish ``ÅÅÅÅ`` for a year) is not a run of codes: a CJK
    # character whose lead and trail bytes are equal, repeated, is all it could read as.
    in_runs = sum(
        len(run) for run in _HIGH_RUN.findall(span) if len(run) >= 2 and len(set(run)) > 1
    )
    high = len(_WESTERN_HIGH.findall(span))
    return in_runs >= MIN_HIGH_IN_RUNS and in_runs >= 0.6 * high


def _letter_scripts(text: str) -> int:
    """How many scripts the non-ASCII letters of *text* come from (CJK, kana and hangul
    count as one): text has one or two, and well-formed UTF-8 that is a coincidence of
    legacy bytes has more (EUC-KR 알바니아어 read as Latin-1 is also UTF-8 ``˹ٴϾƾ``:
    modifier, Arabic, Greek and Latin letters)."""
    return len({_letter_script(char) for char in text if not char.isascii() and char.isalpha()})


@functools.cache
def _letter_script(char: str) -> str:
    """The script of a letter: ``CJK``, or the first word of its Unicode name (``GREEK``)."""
    if lm.is_cjk(char):
        return "CJK"
    return unicodedata.name(char, "?").split(" ", 1)[0]


def _cuts_western_run(line: str, start: int, end: int) -> bool:
    """Does a legacy decode of Western mojibake leave high characters of its run undecoded?

    Legacy double-byte text read as Latin-1 decodes as a whole run of high
    characters; a decode that covers only part of such a run is a coincidence.
    """
    before = line[start - 1 : start]
    after = line[end : end + 1]
    if "\ufffd" in (before, after):
        # Latin-1 and Windows-1252 never produce U+FFFD: a UTF-8 decoder lost bytes here,
        # so these bytes were UTF-8, not a legacy CJK encoding.
        return True
    return bool(_WESTERN_HIGH.match(before) or _WESTERN_HIGH.match(after))


def _context_gain(line: str, start: int, end: int, candidate: str) -> float:
    model = lm.get_model()
    left = line[max(0, start - 1) : start]
    right = line[end : end + 1]
    return model.score(left + candidate + right) - model.score(left + line[start:end] + right)


def _plausible(candidate: str, strong: bool = False, true: str = "utf-8") -> bool:
    """Is *candidate* plausible CJK text, decoded from the encoding *true*?  *strong*: the
    bytes were well-formed multi-byte UTF-8 in Western mojibake, evidence enough for a
    single character."""
    model = lm.get_model()
    if sum(1 for char in candidate if lm.is_cjk(char)) < (1 if strong else MIN_CJK_CHARS):
        return False
    if model.mean_score(candidate) < lm.thresholds()["clean_min"]:
        return False
    return true not in CODEC_LANGUAGES or _written_in_codec_languages(candidate, true)


def _written_in_codec_languages(candidate: str, true: str) -> bool:
    """Is *candidate* text of a language the legacy encoding *true* is written in?

    Kana only in Japanese, hangul only in Korean, and at most FOREIGN_HAN_SHARE of the Han
    characters the model lists rarer than MIN_LANGUAGE_FREQUENCY in every one of those
    languages (臺 and 蒿, read from Finnish ``ä`` bytes as Shift-JIS, are Chinese, not
    Japanese).
    """
    languages = CODEC_LANGUAGES[true]
    known = foreign = 0
    for char in candidate:
        script = script_of(char)
        if script == "kana" and "ja" not in languages:
            return False
        if script == "hangul" and "ko" not in languages:
            return False
        if script == "han" and (listed := _foreign_in(char, languages)) is not None:
            known += 1
            foreign += listed
    return foreign <= FOREIGN_HAN_SHARE * known


@functools.cache
def _foreign_in(char: str, languages: tuple[str, ...]) -> bool | None:
    """Is the Han character *char* rarer than MIN_LANGUAGE_FREQUENCY in every one of
    *languages*?  None when the model does not list it."""
    frequencies = lm.get_model().language_frequencies(char)
    if not frequencies:
        return None
    return max(frequencies[language] for language in languages) < MIN_LANGUAGE_FREQUENCY


def _required_gain(candidate: str, strong: bool = False) -> float:
    if strong:
        return MIN_GAIN
    scored = sum(1 for char in candidate if not char.isascii())
    return MIN_GAIN + max(0, SHORT_SPAN - scored) * 3.0


def _whole_line_reading(line: str, signed: bool = True) -> tuple[float, Proposal] | None:
    """The line read back in one piece, when one codec pair reads all of it clearly best.

    A document damaged throughout is damaged line by line: the whole line then
    encodes with the wrong decoder and decodes strictly in the true encoding,
    two C-speed calls instead of a search over spans.  Taken only when one
    plausible reading is clearly better than the line and than every other
    reading (by WHOLE_LINE_LEAD, more than the dominant-reading bonus could
    overturn); otherwise (close readings, or a layer below well-formed UTF-8)
    the span search decides.
    """
    body = line.rstrip("\r\n")
    readings = _strict_readings(body, layers=2, signed=signed)
    if not readings:
        return None
    ranked = sorted(
        ((_context_gain(body, 0, len(body), text), text) for text in readings), reverse=True
    )
    gain, decoded = ranked[0]
    if len(ranked) > 1 and gain - ranked[1][0] < WHOLE_LINE_LEAD:
        return None
    label, strong = readings[decoded]
    if gain < _required_gain(decoded, strong=strong):
        return None
    confidence = min(1.0, gain / (4 * MIN_GAIN))
    proposal = Proposal(0, len(body), decoded, f"mojibake: {label}", confidence)
    return gain, proposal


def _strict_readings(
    text: str, layers: int, signed: bool = True
) -> dict[str, tuple[str, bool]] | None:
    """Plausible readings of all of *text*, each with its label and whether it is UTF-8
    read as a Western codec (strong evidence); None where no whole reading can be trusted.

    Well-formed UTF-8 that is not yet text is another layer: it is read once more (up to
    *layers* in all), or, with no layers left, left to the span search.  *signed*: a
    reading in another legacy codec needs a sign of it in the text (_LEGACY_SIGN_BESIDE_HAN).
    """
    readings: dict[str, tuple[str, bool]] = {}
    legacy_shaped = _high_runs_dominate(text)
    for wrong, true in MOJIBAKE_PAIRS:
        if wrong in WESTERN_CODECS and true != "utf-8" and not legacy_shaped:
            continue  # European text decodes as a legacy codec by coincidence (Domínio)
        if (wrong, true) in _LEGACY_READINGS and not _legacy_reading_allowed(
            text, 0, len(text), signed
        ):
            continue
        ensure_codec(wrong)
        try:
            decoded = text.encode(wrong).decode(true)
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if decoded == text or decoded in readings:
            continue
        label = f"{CODEC_LABELS[true]} read as {CODEC_LABELS[wrong]}"
        strong = wrong in WESTERN_CODECS and true == "utf-8"
        if _plausible(decoded, true=true):
            readings[decoded] = (label, strong)
        elif strong:
            inner = _strict_readings(decoded, layers - 1) if layers > 1 else None
            if not inner:
                return None
            for layered, (inner_label, _) in inner.items():
                readings.setdefault(layered, (f"{inner_label}, then {label}", strong))
    return readings


def _search_line(line: str, signed: bool = True) -> list[tuple[float, Proposal]]:
    """Ranked (gain, proposal) pairs for one line, at offsets within it.  *signed*: a span
    read in another legacy codec needs a sign of it (_LEGACY_SIGN_BESIDE_HAN); unsigned searches are
    for lines beside such a reading."""
    whole = _whole_line_reading(line, signed)
    if whole is not None:
        return [whole]
    ranked: list[tuple[float, Proposal]] = []
    has_western = _WESTERN_HIGH.search(line) is not None
    has_cjk = any(lm.is_cjk(char) for char in line)
    utf8_spans: list[tuple[int, int]] = []
    for wrong, true in MOJIBAKE_PAIRS:
        western = wrong in WESTERN_CODECS
        if (western and not has_western) or (not western and not has_cjk):
            continue
        for start, end, candidate in decode_runs(line, wrong, true):
            if western and true == "utf-8":
                # Well-formed UTF-8 across Western mojibake is near-certain evidence (ftfy's
                # principle): no legacy reading of mostly the same bytes competes with it,
                # unless it reads as letters of many scripts, as EUC-KR bytes do.
                if _letter_scripts(candidate) <= MAX_UTF8_SCRIPTS:
                    utf8_spans.append((start, end))
            elif western and (
                _covered(utf8_spans, start, end) >= UTF8_PRECEDENCE
                or _cuts_western_run(line, start, end)
                or not _looks_legacy(line, start, end)
            ):
                continue
            if (wrong, true) in _LEGACY_READINGS and not _legacy_reading_allowed(
                line, start, end, signed
            ):
                continue
            if sum(1 for char in candidate if not char.isascii()) < MIN_CJK_CHARS and not (
                western and true == "utf-8"
            ):
                # One character is weak evidence, except well-formed multi-byte UTF-8.
                continue
            label = f"{CODEC_LABELS[true]} read as {CODEC_LABELS[wrong]}"
            repaired = candidate
            if not _plausible(candidate, strong=western and true == "utf-8", true=true):
                repaired, label = _second_layer(candidate, label)
                if repaired is None:
                    continue
            gain = _context_gain(line, start, end, repaired)
            if gain < _required_gain(repaired, strong=western and true == "utf-8"):
                continue
            message = f"mojibake: {label}"
            confidence = min(1.0, gain / (4 * MIN_GAIN))
            ranked.append(
                (
                    gain,
                    Proposal(start, end, repaired, message, confidence),
                )
            )
    return ranked


_line_proposals = LineMemo(_search_line)
_unsigned_line_proposals = LineMemo(functools.partial(_search_line, signed=False))


def _favour_dominant_reading(ranked: list[tuple[float, Proposal]]) -> list[tuple[float, Proposal]]:
    """Favour the codec pair that explains most of the document.

    A document is damaged one way throughout; where a short span reads
    plausibly in two codecs (GBK or EUC-KR, say), the reading the rest of the
    document supports wins.
    """
    totals: dict[str, float] = {}
    for gain, proposal in ranked:
        family = _reading_family(proposal.message)
        totals[family] = totals.get(family, 0.0) + gain
    if not totals:
        return ranked
    dominant = max(totals, key=lambda family: totals[family])
    return [
        (gain + DOMINANT_BONUS if _reading_family(proposal.message) == dominant else gain, proposal)
        for gain, proposal in ranked
    ]


def _reading_family(message: str) -> str:
    """A proposal's reading with Latin-1 and Windows-1252 counted as one wrong decoder."""
    return message.replace(CODEC_LABELS["sloppy-windows-1252"], CODEC_LABELS["latin-1"])


def _second_layer(text: str, label: str) -> tuple[str | None, str]:
    """Undo one more layer when the first decode is well-formed but not yet plausible text."""
    best: tuple[float, str, str] | None = None
    for wrong, true in MOJIBAKE_PAIRS:
        if (wrong, true) in _LEGACY_READINGS:
            continue  # legacy read as legacy under another layer: a coincidence, not damage
        for start, end, candidate in decode_runs(text, wrong, true):
            if text[:start].strip() or text[end:].strip():
                continue
            repaired = text[:start] + candidate + text[end:]
            if not _plausible(repaired, true=true):
                continue
            score = lm.get_model().score(repaired)
            if best is None or score > best[0]:
                inner = f"{CODEC_LABELS[true]} read as {CODEC_LABELS[wrong]}"
                best = (score, repaired, f"{inner}, then {label}")
    if best is None:
        return None, label
    return best[1], best[2]


def _decodes_as_cjk(window: str) -> bool:
    """Do some bytes of *window*, encoded with a CJK codec, read as UTF-8 text worth scoring?

    Worth scoring: at least MIN_CJK_CHARS CJK characters, or as many Western
    high characters (the first layer of layered mojibake).
    """
    for wrong, true in _CJK_READINGS:
        if not _TWO_UTF8_SEQUENCES.search(window.encode(wrong, errors="replace")):
            continue
        for _, _, candidate in decode_runs(window, wrong, true):
            if (
                sum(1 for char in candidate if lm.is_cjk(char)) >= MIN_CJK_CHARS
                or len(_WESTERN_HIGH.findall(candidate)) >= MIN_CJK_CHARS
            ):
                return True
    return False


def _legacy_reading_allowed(text: str, start: int, end: int, signed: bool) -> bool:
    """May ``text[start:end]`` be read as text of another legacy codec (Big5 read as GBK)?

    Not where *text* holds marks of lost bytes: UTF-8 read as GBK that lost bytes shows
    GBK's symbol rows too.  And, when *signed*, only with a sign of that codec in the span:
    CJK text reads as another legacy codec almost everywhere (kana as common Big5 Han).
    """
    if _has_lossy_marks(text):
        return False
    return not signed or _LEGACY_SIGN_BESIDE_HAN.search(text, start, end) is not None


def _has_lossy_marks(text: str) -> bool:
    """Does *text* hold a mark a decoder left for bytes it lost (the lossy class's)?"""
    return REPLACEMENT in text or MARK_AFTER_NON_ASCII.search(text) is not None


def _decodes_as_legacy(window: str) -> bool:
    """Does *window*, with a sign of another legacy codec beside Han, read as CJK text in that
    codec (Big5 read as GBK)?"""
    if _LEGACY_SIGN_BESIDE_HAN.search(window) is None:
        return False
    return any(
        sum(1 for char in candidate if lm.is_cjk(char)) >= MIN_CJK_CHARS
        for wrong, true in _LEGACY_READINGS
        for _, _, candidate in decode_runs(window, wrong, true)
    )


def might_apply(text: str) -> bool:
    """Does *text* hold a cluster of rare characters shaped like mojibake (or, in a short
    text, a single one; see _lone_spots)?

    UTF-8 read as a Western codec shows its lead and continuation bytes; legacy
    CJK read as a Western codec shows high Latin-1 characters side by side;
    UTF-8 read as a CJK codec re-encodes, around some cluster, to well-formed UTF-8.
    """
    if not is_suspicious(text):
        return False
    if next(_spots(text), None) is not None:
        return True
    return next(_lone_spots(text, []), None) is not None


def _spots(text: str) -> Iterator[int]:
    """Positions in the lines where mojibake may be (those lines are searched)."""
    for match in UTF8_AS_WESTERN.finditer(text):
        yield match.start()
    for start, end in cluster_windows(text, GATE_MARGIN):
        window = text[start:end]
        if _WESTERN_PAIR.search(window) or _decodes_as_cjk(window) or _decodes_as_legacy(window):
            yield start  # and every other line the window reaches
            yield from (start + index + 1 for index, char in enumerate(window) if char == "\n")


def _lone_spots(text: str, spots: list[int]) -> Iterator[int]:
    """Positions of single rare characters, within LONE_REACH lines of a mojibake spot (or
    anywhere in a text of at most LONE_TEXT_CHARS), whose neighbourhood reads as CJK in
    UTF-8 or pairs Western high characters: a short word of mojibake (``棣栭〉`` for 首页,
    ``“ú—j“ú`` for 日曜日) may hold only one rare character, and damage comes in blocks (a
    menu, a paragraph)."""
    rare = suspicious_pattern()
    searched = {text.rfind("\n", 0, spot) + 1 for spot in spots}  # lines searched anyway
    if spots:
        regions = _regions(text, spots, LONE_REACH)
    elif len(text) <= LONE_TEXT_CHARS:
        regions = [(0, len(text))]  # a short text (a title, a field, a message) is all there is
    else:
        return
    # Legacy CJK read as a Western codec leaves no CJK: a Western pair beside a rare character
    # counts only in text without any (pinyin ``mā）”`` in Chinese prose is not mojibake).
    western = not any(lm.is_cjk(char) for start, end in regions for char in text[start:end])
    for start, end in regions:
        for match in rare.finditer(text, start, end):
            line_start = text.rfind("\n", 0, match.start()) + 1
            if line_start in searched:
                continue
            index = match.start()
            window = text[max(0, index - GATE_MARGIN) : match.end() + GATE_MARGIN]
            if (western and _WESTERN_PAIR.search(window)) or (
                _utf8_shaped_pair(text, index) and _decodes_as_cjk(window)
            ):
                searched.add(line_start)
                yield index


def _utf8_shaped_pair(text: str, index: int) -> bool:
    """Does some CJK codec give both ``text[index]`` and a neighbour bytes of multi-byte
    UTF-8?  (A cheap test before _decodes_as_cjk.)"""
    shaped = _utf8_shaped(text[index])
    return bool(
        shaped & _utf8_shaped(text[index - 1 : index] or " ")
        or shaped & _utf8_shaped(text[index + 1 : index + 2] or " ")
    )


@functools.cache
def _utf8_shaped(char: str) -> int:
    """The CJK codecs (bits by position in _CJK_READINGS) that encode *char* as bytes of
    multi-byte UTF-8 only (continuation and lead bytes): what every character of UTF-8 read
    as that codec is, apart from the ASCII it swallowed."""
    shaped = 0
    for bit, (wrong, _) in enumerate(_CJK_READINGS):
        encoded = encode_char(char, wrong)
        if encoded and all(0x80 <= byte <= 0xBF or 0xC2 <= byte <= 0xF4 for byte in encoded):
            shaped |= 1 << bit
    return shaped


def _regions(text: str, indices: list[int], reach: int) -> list[tuple[int, int]]:
    """Spans of *text* from *reach* lines before to *reach* lines after each index, merged."""
    regions: list[tuple[int, int]] = []
    for index in sorted(indices):
        start, end = line_bounds(text, index)
        for _ in range(reach):
            if start > 0:
                start = text.rfind("\n", 0, start - 1) + 1
            if end < len(text):
                found = text.find("\n", end + 1)
                end = len(text) if found == -1 else found
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Propose a decode for every mojibake span the model is confident about.

    Where the text shows mojibake at all (a cluster of it), lines with a single rare
    character that reads as CJK in UTF-8 are searched too: the same damage, in a short word.
    """
    if not is_suspicious(text):
        return []
    spots = list(_spots(text))
    everything: list[tuple[float, Proposal]] = []
    for offset, line in lines_at(text, itertools.chain(spots, _lone_spots(text, spots))):
        everything.extend(_line_proposals(line, offset))
    if not everything:
        return []
    everything += _beside_legacy_readings(text, everything)
    if (
        all(_scattered(proposal.after or "") for _, proposal in everything)
        and not any(lm.is_cjk(char) for char in text)
        and _shows_european_words(text)
    ):
        # Only lone characters, in a European text with no CJK in it: its letters pair up by
        # coincidence (``occupé\xa0»`` and ``« é\xa0»`` are 頻 in UTF-8, French typography
        # too; the tone numbers of ``to³³ba²¹`` read as GBK 吵 and 补).  A short message of
        # CJK mojibake can be lone characters too (``"å…¨ %s ä»¶"``), but has no such words.
        return []
    favoured = _favour_dominant_reading(everything)
    return [
        proposal
        for proposal in resolve_overlaps(favoured)
        if not _in_code_point_order(text, proposal.start, proposal.end)
    ]


def _beside_legacy_readings(
    text: str, found: list[tuple[float, Proposal]]
) -> list[tuple[float, Proposal]]:
    """Repairs of the lines within LONE_REACH lines of a reading in another legacy codec
    that found none with the sign the search asks for: damage comes in blocks, and a short
    line of Big5 read as GBK (穓碝挡狦, 搜尋結果) may show no sign of its own."""
    legacy = [proposal.start for _, proposal in found if proposal.message in _LEGACY_MESSAGES]
    if not legacy:
        return []
    done = {text.rfind("\n", 0, proposal.start) + 1 for _, proposal in found}
    starts = [
        position
        for start, end in _regions(text, legacy, LONE_REACH)
        for position in itertools.chain(
            [start], (match.end() for match in _LINE_START.finditer(text, start, end))
        )
    ]
    return [
        repair
        for offset, line in lines_at(text, starts)
        if offset not in done
        for repair in _unsigned_line_proposals(line, offset)
    ]


def _in_code_point_order(text: str, start: int, end: int) -> bool:
    """Are the characters of ``text[start:end]``, with one more on each side, in rising
    code-point order?  That is a list of characters (an inventory in source code, a
    charset table), whose pieces can read as mojibake by coincidence; real mojibake is in
    no order (鎴戜滑)."""
    run = text[max(0, start - 1) : end + 1]
    return len(run) >= MIN_ORDERED_RUN and all(
        first < second for first, second in itertools.pairwise(run)
    )


def _scattered(text: str) -> bool:
    """Does *text* hold no two non-ASCII characters side by side (no CJK word)?"""
    return not any(
        not first.isascii() and not second.isascii() for first, second in itertools.pairwise(text)
    )


def _shows_european_words(text: str) -> bool:
    """Does *text* hold a non-ASCII letter glued to an ASCII one (``occupé``, ``Láá``,
    ``gʌ``), as words of European languages and transcriptions do?"""
    return any(match.group().isalpha() for match in _LETTER_BESIDE_ASCII_LETTER.finditer(text))


MOJIBAKE = DamageClass("mojibake", "bytes decoded with the wrong codec", propose, might_apply)
