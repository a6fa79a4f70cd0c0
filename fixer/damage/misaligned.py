"""Misaligned double-byte damage: byte edits that ignored character boundaries.

A converter working on GBK (or Big5) bytes rewrote full-width ASCII pairs to
half-width bytes and inserted ``(pinyin)`` after the codes of certain
characters, and both edits also matched byte pairs straddling two characters.
The stream then decoded with orphan lead bytes (shown as ``?`` or U+FFFD,
sometimes swallowing the next ``(`` or ``<``) and with pairs shifted by one
byte until it happened to resync; the shift can start before the mark, inside
the trail byte of a character.

Repair inverts that process over a window around each damage site: a mark, an
annotation that does not read its character, or a half-width byte hidden in a
trail byte with no mark at all (ASCII glued between a rare double-byte character
and more double-byte text, or a rare pair whose trail is that byte, with the
shifted pairs after it running into a half-width byte). The window is mapped
back to the bytes the decoder saw, each mark being an unknown byte, and a
Viterbi beam walks those bytes while rebuilding the original stream: every byte
is kept, or (when it is ASCII and falls inside a character of the original)
expanded back to its full-width pair, a ``(syllable)`` that splits a character
of the original is dropped when the syllable reads the pair it follows, and a
``<`` or ``(`` an orphan swallowed may itself have been such a rewritten pair.
Only byte streams the damage could have produced survive (a mark must be a byte
the decoder could not pair, a misaligned full-width pair must have been
rewritten), and the language model ranks the decoded candidates. Sites close
together share a window; when it yields nothing, each site is searched in its
own. A repair must gain MIN_GAIN over the text as it is, or half that where the
text shows the converter's work elsewhere (the injected-pinyin pattern, or a repair that
rewrites shifted pairs); a site of marks and punctuation alone needs that evidence too.
"""

from __future__ import annotations

import bisect
import functools
import heapq
import itertools
import re
from collections.abc import Iterator
from typing import NamedTuple

from fixer import lm
from fixer.chardata import (
    BRACKET_PAIRS,
    DOUBLE_BYTE_LEADS,
    FULLWIDTH_LEAD,
    HALFWIDTH_TO_FULLWIDTH,
    PINYIN_LETTERS,
)
from fixer.codecs import encode_char
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, LineMemo, Proposal, apply_proposals
from fixer.damage.language import script_of, written_in, written_in_language
from fixer.damage.pinyin import (
    TONED_GROUP_END,
    annotation_pattern_holds,
    is_reading,
    is_syllable,
    is_usual_reading,
)
from fixer.fastpath import is_suspicious, line_bounds, lines_at, suspicious_pattern

#: Replacement marks a decoder leaves for an orphan lead byte.
ORPHAN_MARKS = "?\ufffd"
#: Codec used to decode each double-byte family (the damaged text was decoded with it).
DECODERS: dict[str, str] = {"gbk": "gbk", "big5": "big5hkscs"}
#: Characters searched before the first mark (a shift can start inside an earlier character).
BEFORE = 10
#: Characters after the last mark by which the stream must have resynced.
AFTER = 40
#: Marks closer than this are repaired in one window.
CLUSTER_GAP = 24
#: Log-likelihood gain a repair must bring over the text as it is.
MIN_GAIN = 8.0
#: The gain that suffices where the text shows the converter's work (see _corroborated):
#: there a mark is far likelier an orphan byte than a question mark.
CORROBORATED_MIN_GAIN = 4.0
#: Lines from an anchored edit within which it corroborates other repairs (see _corroborated).
CORROBORATION_LINES = 3
#: Lead over the runner-up at which a repair is fully confident (a smaller lead still repairs:
#: the best reconstruction beats leaving the debris in place).
CONFIDENT_MARGIN = 6.0
#: Bonus for a candidate that closes a quote or bracket left open on the line.
BALANCE_BONUS = 6.0
#: Scored hypotheses kept after each character of the window, and how far (in nats) below
#: the best one a hypothesis may fall.
BEAM = 64
BEAM_WIDTH = 25.0
#: Hypotheses whose lost lead byte is not yet paired (unscored) are kept up to this many.
PENDING_CAP = 4096
#: Characters a lost trail byte may complete, best first, tried per hypothesis.
LOST_TRAILS = 64
#: Lost lead bytes tried per hypothesis before a swallowed bracket the rewrite made, best first.
HIDDEN_BRACKET_LEADS = 16
#: Commonest characters before such a pair that the text before the mark ranks.
BRACKET_LEAD_POOL = 48
#: pending_token of a lead byte that is a lost byte (its character is not scored yet).
LOST = -2
#: pending_token of a lead byte that is the second half of a pair a rewrite made one byte of.
REWRITTEN = -1

_MARK = re.compile(f"[{ORPHAN_MARKS}]")
#: How close to a mark a non-ASCII character must be for the mark to be searched.
SITE_REACH = 3
#: An orphan mark directly followed by ASCII: the shape a half-width byte rewrite leaves.
MARK_GLUED_TO_ASCII = re.compile(f"[{ORPHAN_MARKS}][!-~]")
#: An annotation-shaped group: the character before it decides whether it is debris.
_ANNOTATION = re.compile(f"(.)\\(([{PINYIN_LETTERS}]{{1,6}})\\)")
_PINYIN_GROUP = re.compile(f"([{PINYIN_LETTERS}]{{1,6}})\\)")
#: A mark followed by an annotation with no '(': the orphan byte swallowed it.
_SWALLOWED_ANNOTATION = re.compile(f"[{ORPHAN_MARKS}][{PINYIN_LETTERS}]{{1,6}}\\)")
#: The group of an annotation with its opening parenthesis (a literal to scan for).
_PARENTHESISED_GROUP = re.compile(f"\\([{PINYIN_LETTERS}]{{1,6}}\\)")
_LINE_END = re.compile("\n")
_TAG_AFTER = re.compile(r"/?[A-Za-z][A-Za-z0-9]*[ />]")
#: Tag tails (``/p>``) with no ``<``: malformed markup a lost byte leaves behind.
_ORPHAN_TAG = re.compile(r"(?<![<A-Za-z0-9/])/?[A-Za-z][A-Za-z0-9]*>")
ORPHAN_TAG_PENALTY = 12.0
#: Cost of reading an injected ``(syllable)`` as another than its character's usual reading:
#: a converter annotates each character with the reading pypinyin lists first (all 219
#: annotations of the seed do), so 喜 (usual xǐ) is a poor guess before ``(xī)``.
UNUSUAL_READING_PENALTY = 5.0
#: Score of a character the window did not hold that the rest of the line's language or
#: scripts rule out (see fixer.damage.language).
FOREIGN_PENALTY = -12.0
#: Share of the line's script-specific common Han characters that shows its script: the
#: damage leaves characters of either script (and kana) behind, mostly rare ones, which do
#: not count; and a line need not be unanimous.
LANGUAGE_SHARE = 0.8
#: Builds a Hypothesis from a finished tuple of its fields (faster than its constructor).
_NEW_TUPLE = tuple.__new__
#: The edit note of each lost byte value.
_LOST_NOTES = tuple(f"lost byte {byte:02X}" for byte in range(0x100))
#: Output characters a hypothesis remembers for the markup check.
_TAIL = 12
#: How far after a pair that absorbed a half-width byte the shifted run may end.
SHIFT_REACH = 8


#: Half-width punctuation after CJK text, as the model scores it: the converter halved every
#: full-width mark, so there ``,`` stands for ``，`` (and ``*`` for nothing common).
_SCORED_AS = HALFWIDTH_TO_FULLWIDTH.get


def _scored(before: str | None, char: str) -> str:
    """*char* as the model scores it after the character *before* (None: start of text)."""
    return _SCORED_AS(char, char) if before is not None and before >= _DOUBLE_BYTE_FROM else char


def _scored_last(tail: str) -> str | None:
    """The last character of *tail* as the model scores it (None for an empty tail)."""
    if not tail:
        return None
    return _scored(tail[-2] if len(tail) > 1 else None, tail[-1])


#: Characters from here up are double-byte text (CJK and full-width forms).
_DOUBLE_BYTE_FROM = "\u2e80"
#: An annotation's group: pinyin letters only.
_GROUP_LETTERS = re.compile(f"[{PINYIN_LETTERS}]{{1,6}}")


def _hidden_rewrites(text: str) -> Iterator[int]:
    """Positions of half-width bytes hidden in a trail byte, with no mark: printable ASCII
    glued between a rare double-byte character (a lead byte with the wrong trail) and more
    double-byte text, or a rare pair whose trail is such a byte with shifted pairs after it
    (see _shift_ends_near).  Scans for the rare characters (few, and fastpath's compiled
    pattern)."""
    last = len(text) - 1
    for match in suspicious_pattern().finditer(text):
        index = match.end()
        if (
            index < last
            and "!" <= text[index] <= "~"
            and text[index + 1] >= _DOUBLE_BYTE_FROM
            and text[index - 1] >= _DOUBLE_BYTE_FROM
        ):
            yield index
        elif _absorbs_rewrite(text[index - 1]) and _shift_ends_near(text, index - 1):
            yield index - 1


@functools.lru_cache(maxsize=4096)
def _absorbs_rewrite(char: str) -> bool:
    """Is *char* a pair whose trail byte is printable ASCII in a double-byte family, so that
    a half-width byte the rewrite left may hide in it (盚 = B1 48: the ``H`` of ``Ｈ``)?"""
    if char < _DOUBLE_BYTE_FROM:
        return False
    for codec in DECODERS.values():
        encoded = encode_char(char, codec)
        if encoded is not None and len(encoded) == 2 and 0x21 <= encoded[1] <= 0x7E:
            return True
    return False


def _shift_ends_near(text: str, index: int) -> bool:
    """Does a run of non-ASCII characters after *index* end, within SHIFT_REACH, in a
    half-width byte (a trail byte the shifted pairs left alone: ``矷险n兩``)?"""
    for position in range(index + 1, min(len(text), index + 1 + SHIFT_REACH)):
        char = text[position]
        if char.isascii():
            return position > index + 1 and "@" <= char <= "~"
        if "\uff01" <= char <= "\uff5e":
            return False  # a full-width form the rewrite would have turned half-width
    return False


def _straddled_annotations(text: str) -> Iterator[int]:
    """Positions of the ``(`` of tone-marked annotations that follow a pair straddling a
    double-byte character and the printable ASCII byte after it (``成o(yǐ)pen``: the pair
    is 成's trail and ``o``).  Scans for tone marks, which code and prose rarely hold."""
    if "(" not in text:
        return
    for match in TONED_GROUP_END.finditer(text):
        opening = text.rfind("(", max(0, match.start() - 6), match.start())
        if opening < 2 or not _GROUP_LETTERS.fullmatch(text, opening + 1, match.end() - 1):
            continue
        glued = text[opening - 1]
        if "!" <= glued <= "~" and glued not in "()" and text[opening - 2] >= _DOUBLE_BYTE_FROM:
            yield opening


class CodecTables(NamedTuple):
    """Byte structure of one double-byte family, as the damage and its decoder saw it."""

    codec: str
    #: pair_text[(lead - 0x80) * 256 + trail]: the decoded pair, or None when invalid.
    pair_text: list[str | None]
    #: Valid trail bytes >= 0x80 of each lead (what a lost byte after that lead can be).
    high_trails: dict[int, list[int]]
    #: Full-width pairs the rewrite turned into one ASCII byte, and the inverse.
    halfwidth: dict[tuple[int, int], int]
    fullwidth: dict[int, tuple[int, int]]


@functools.cache
def tables(family: str) -> CodecTables:
    """Decode tables of one family (built once, on first use)."""
    codec = DECODERS[family]
    pair_text: list[str | None] = [None] * (128 * 256)
    high_trails: dict[int, list[int]] = {}
    for lead in range(0x80, 0x100):
        for trail in range(0x100):
            try:
                text = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1 and lead < 0x81:
                continue  # single-byte extensions: not a pair
            pair_text[(lead - 0x80) * 256 + trail] = text
            if trail >= 0x80:
                high_trails.setdefault(lead, []).append(trail)
    halfwidth: dict[tuple[int, int], int] = {}
    lead = FULLWIDTH_LEAD.get(family)
    if lead is not None:
        for ascii_byte in range(0x21, 0x7F):
            if pair_text[(lead - 0x80) * 256 + ascii_byte + 0x80] is not None:
                halfwidth[(lead, ascii_byte + 0x80)] = ascii_byte
    else:
        for code in range(0xFF01, 0xFF5F):
            try:
                encoded = chr(code).encode(family)
            except UnicodeEncodeError:
                continue
            if len(encoded) == 2:
                halfwidth[(encoded[0], encoded[1])] = code - 0xFF01 + 0x21
    fullwidth = {ascii_byte: pair for pair, ascii_byte in halfwidth.items()}
    return CodecTables(codec, pair_text, high_trails, halfwidth, fullwidth)


@functools.lru_cache(maxsize=4096)
def _lost_leads(family: str, last_trail: int, orphan: int) -> tuple[int, ...]:
    """Lead bytes a lost byte can be after *last_trail*, when *orphan* was lost before it.

    Not the second half of a full-width pair the rewrite would have caught, and not a
    byte the earlier orphan would have paired with.
    """
    table = tables(family)
    paired: set[int] = set()
    if orphan >= 0x80:
        row = (orphan - 0x80) * 256
        paired = {byte for byte in range(0x100) if table.pair_text[row + byte] is not None}
    return tuple(
        byte
        for byte in range(0x81, 0x100)
        if (last_trail, byte) not in table.halfwidth and byte not in paired
    )


@functools.cache
def _common_leads(family: str, trail: int) -> tuple[tuple[int, str], ...]:
    """(lead, character) of the BRACKET_LEAD_POOL commonest characters whose trail byte is
    *trail*: the pool the context ranks (scoring every lead in context costs more than the
    search it feeds)."""
    table = tables(family)
    model = lm.get_model()
    pairs = [
        (lead, text)
        for lead in range(0x81, 0x100)
        if (text := table.pair_text[(lead - 0x80) * 256 + trail]) is not None and len(text) == 1
    ]
    ranked = heapq.nlargest(BRACKET_LEAD_POOL, pairs, key=lambda pair: model.char_score(pair[1]))
    return tuple(ranked)


class Hypothesis(NamedTuple):
    """One partial reconstruction of the original byte stream."""

    score: float
    gap: float  # lead over the best different reconstruction merged into this one
    pending: int  # lead byte of the original waiting for its trail, or -1
    pending_token: int  # window index of the pending byte (or REWRITTEN, LOST)
    last_trail: int  # trail byte that ended the last original character, or -1
    halved: tuple[int, int]  # last two bytes of the stream the pinyin insertion saw
    orphan: int  # lost byte the decoder could not pair with the next byte, or -1
    tail: str  # last output characters (line context included)
    text_id: int  # rolling hash of the output, to tell different reconstructions apart
    rewarded: frozenset[str]  # closers already given the balance bonus
    history: tuple | None  # (parent history, token index, output piece, edit note, in sync)


#: A successor hypothesis with the output it adds and a note on the edit it made.
Successor = tuple[Hypothesis, str, str]


class _Search:
    """Viterbi beam over the bytes of one window, for one codec family."""

    def __init__(self, family: str, line: str, start: int, end: int) -> None:
        self.t = tables(family)
        self.family = family
        self.line = line
        self.start = start
        self.end = end
        self.window = line[start:end]
        self.model = lm.get_model()
        visible = line[:end]
        self.open_closers = frozenset(
            closer
            for closer, opener in BRACKET_PAIRS.items()
            if visible.count(opener) > visible.count(closer)
        )
        common = lm.common_chars()
        han = "".join(char for char in line if char in common and script_of(char) == "han")
        self.language = written_in(han, LANGUAGE_SHARE)
        self.foreign_scripts = {"kana", "hangul"} - {script_of(char) for char in line}
        self._penalties: dict[str, float] = {}
        self._bracket_leads: dict[tuple[str | None, int], list[int]] = {}

    def _penalty(self, char: str) -> float:
        """FOREIGN_PENALTY for a character the window did not hold and the line's language
        or scripts rule out (這 in Simplified text, kana in Chinese text), else 0."""
        penalty = self._penalties.get(char)
        if penalty is None:
            foreign = char not in self.window and (
                script_of(char) in self.foreign_scripts
                or (self.language is not None and not written_in_language(char, self.language))
            )
            penalty = self._penalties[char] = FOREIGN_PENALTY if foreign else 0.0
        return penalty

    # -- byte-level steps ------------------------------------------------------------
    def _emit(self, hyp: Hypothesis, text: str) -> tuple[float, str, frozenset[str], int]:
        score = hyp.score
        tail = hyp.tail
        rewarded = hyp.rewarded
        text_id = hyp.text_id
        logp = self.model.logp
        penalty = self._penalty
        raw = tail[-1] if tail else None
        previous = _scored_last(tail)
        for char in text:
            scored = _scored(raw, char)
            score += logp(previous, scored) + penalty(char)
            raw, previous = char, scored
            text_id = (text_id * 1_000_003 + ord(char)) & 0xFFFFFFFFFFFF
            tail = (tail + char)[-_TAIL:]
            if char in self.open_closers and char not in rewarded:
                score += BALANCE_BONUS
                rewarded = rewarded | {char}
        return score, tail, rewarded, text_id

    def _after(
        self,
        hyp: Hypothesis,
        text: str,
        pending: int,
        pending_token: int,
        last_trail: int,
        halved: tuple[int, int],
        orphan: int,
    ) -> Hypothesis:
        """*hyp* after emitting *text*, with the given byte state (built positionally: the
        search makes hundreds of thousands of these)."""
        score, tail, rewarded, text_id = self._emit(hyp, text)
        return Hypothesis(
            score,
            hyp.gap,
            pending,
            pending_token,
            last_trail,
            halved,
            orphan,
            tail,
            text_id,
            rewarded,
            hyp.history,
        )

    def feed(self, hyp: Hypothesis, byte: int, token: int, expandable: bool) -> list[Successor]:
        """Successors of *hyp* after the decoder-side byte *byte*: (hypothesis, output, note)."""
        if hyp.orphan >= 0 and (byte in (0x28, 0x3C) or self._pair(hyp.orphan, byte) is not None):
            return []  # the decoder would have paired (or swallowed) this byte
        halved = (hyp.halved[1], byte)
        if hyp.pending < 0:
            if (hyp.last_trail, byte) in self.t.halfwidth:
                return []  # a misaligned full-width pair the rewrite would have caught
            if byte < 0x80:
                text = chr(byte)
                grown = self._after(hyp, text, hyp.pending, hyp.pending_token, -1, halved, -1)
                return [(grown, text, "")]
            score, gap, _, _, _, _, _, *rest = hyp
            return [(Hypothesis(score, gap, byte, token, -1, halved, -1, *rest), "", "")]
        results: list[Successor] = []
        lead = hyp.pending
        text = self._pair(lead, byte)
        # A full-width pair the rewrite would have caught cannot stand, unless it is a visible
        # character or its lead came out of a rewrite (the rewrite had consumed that byte).
        if text is not None and not (
            (lead, byte) in self.t.halfwidth and hyp.pending_token not in (token, REWRITTEN)
        ):
            text = self._as_converted(lead, byte, hyp.pending_token, text)
            grown = self._after(hyp, text, -1, hyp.pending_token, byte, halved, -1)
            results.append((grown, text, ""))
        pair = self.t.fullwidth.get(byte) if expandable else None
        if pair is not None:
            first, second = pair
            text = self._pair(lead, first)
            if text is not None:
                grown = self._after(hyp, text, -1, hyp.pending_token, first, halved, -1)
                note = f"half-width {chr(byte)!r} was full-width"
                if second < 0x80:
                    more = chr(second)
                    grown = self._after(grown, more, -1, grown.pending_token, -1, halved, -1)
                    results.append((grown, text + more, note))
                else:
                    grown = grown._replace(pending=second, pending_token=REWRITTEN)
                    results.append((grown, text, note))
        return results

    def _as_converted(self, lead: int, trail: int, pending_token: int, text: str) -> str:
        """*text* of the pair as the converter meant it: a full-width pair whose lead a
        misaligned rewrite consumed escaped the rewrite, which would have made it half-width."""
        if pending_token == REWRITTEN and (lead, trail) in self.t.halfwidth:
            return chr(self.t.halfwidth[(lead, trail)])
        return text

    def _pair(self, lead: int, trail: int) -> str | None:
        if lead < 0x80:
            return None
        return self.t.pair_text[(lead - 0x80) * 256 + trail]

    def lost_byte(self, hyp: Hypothesis, token: int) -> list[Successor]:
        """Successors of *hyp* when the decoder dropped a byte (the orphan mark)."""
        results: list[Successor] = []
        if hyp.pending < 0:
            for byte in _lost_leads(self.family, hyp.last_trail, hyp.orphan):
                results.append((self._lost_lead(hyp, byte), "", _LOST_NOTES[byte]))
            return results
        lead = hyp.pending
        # Ranked by the score _emit gives (computed the same way, without building the
        # rest of the state): only the LOST_TRAILS best are emitted.
        before = _scored_last(hyp.tail)
        last = hyp.tail[-1] if hyp.tail else None
        logp, penalty = self.model.logp, self._penalty
        options = []
        for byte in self.t.high_trails.get(lead, ()):
            if (lead, byte) in self.t.halfwidth and hyp.pending_token != REWRITTEN:
                continue
            if hyp.orphan >= 0 and self._pair(hyp.orphan, byte) is not None:
                continue
            text = self.t.pair_text[(lead - 0x80) * 256 + byte]
            assert text is not None
            text = self._as_converted(lead, byte, hyp.pending_token, text)
            if len(text) == 1:
                score = hyp.score + (logp(before, _scored(last, text)) + penalty(text))
                if text in self.open_closers and text not in hyp.rewarded:
                    score += BALANCE_BONUS
            else:
                score = self._emit(hyp, text)[0]
            options.append((score, byte, text))
        previous = hyp.halved[1]
        for _, byte, text in heapq.nlargest(LOST_TRAILS, options, key=lambda option: option[0]):
            score, tail, rewarded, text_id = self._emit(hyp, text)
            grown = Hypothesis(
                score,
                hyp.gap,
                -1,
                hyp.pending_token,
                byte,
                (previous, byte),
                byte,
                tail,
                text_id,
                rewarded,
                hyp.history,
            )
            results.append((grown, text, _LOST_NOTES[byte]))
        return results

    @staticmethod
    def _lost_lead(hyp: Hypothesis, byte: int) -> Hypothesis:
        """*hyp* after a lost lead byte: pending, lost and orphaned (built field by field:
        this is the hottest constructor of the search)."""
        score, gap, _, _, _, (_, previous), _, *rest = hyp
        return Hypothesis(score, gap, byte, LOST, -1, (previous, byte), byte, *rest)

    def _hidden_bracket(self, hyp: Hypothesis, index: int, record) -> None:
        """Successors where the orphaned lead byte swallowed a '<' or '(' that the rewrite
        had made of a full-width pair: the pair is restored after the lead."""
        allowed = _lost_leads(self.family, hyp.last_trail, hyp.orphan)
        for bracket in (0x3C, 0x28):
            for lead in self._leads_in_context(hyp, bracket):
                if lead not in allowed:
                    continue
                swallowed = self._lost_lead(hyp, lead)._replace(orphan=-1)
                note = f"{_LOST_NOTES[lead]} that swallowed {chr(bracket)!r}"
                for grown, piece, extra in self.feed(swallowed, bracket, index, True):
                    if extra:  # the full-width reading (the plain one never pairs)
                        record(index + 1, grown, piece, f"{note}; {extra}")

    def _leads_in_context(self, hyp: Hypothesis, ascii_byte: int) -> list[int]:
        """The lead bytes likeliest, after *hyp*'s text, before the full-width pair that
        *ascii_byte* was rewritten from: HIDDEN_BRACKET_LEADS of them."""
        pair = self.t.fullwidth.get(ascii_byte)
        if pair is None:
            return []
        before = _scored_last(hyp.tail)
        key = (before, ascii_byte)
        leads = self._bracket_leads.get(key)
        if leads is None:
            logp, penalty = self.model.logp, self._penalty
            scored = [
                (logp(before, text) + penalty(text), lead)
                for lead, text in _common_leads(self.family, pair[0])
            ]
            leads = [lead for _, lead in heapq.nlargest(HIDDEN_BRACKET_LEADS, scored)]
            self._bracket_leads[key] = leads
        return leads

    def pinyin_pair_reads(self, hyp: Hypothesis, syllable: str) -> float | None:
        """The cost of reading the pair before the insertion point as a character this
        syllable reads (0.0 for its usual reading), or None when it reads no such character."""
        first, second = hyp.halved
        text = self._pair(first, second) if first >= 0 else None
        if text is None or len(text) != 1 or not is_reading(text, syllable):
            return None
        return 0.0 if is_usual_reading(text, syllable) else UNUSUAL_READING_PENALTY

    # -- the walk ----------------------------------------------------------------------
    def run(self) -> tuple[Hypothesis, str, list[tuple[int, int, str, str]]] | None:
        """Best reconstruction: (hypothesis, output, pieces (start, end, output, note))."""
        before = self.line[: self.start]
        last_trail, halved = -1, (-1, -1)
        if before:
            encoded = encode_char(before[-1], self.t.codec)
            if encoded is not None and len(encoded) == 2:
                last_trail, halved = encoded[1], (encoded[0], encoded[1])
            elif encoded is not None and len(before) > 1:
                halved = (-1, encoded[-1])
        start = Hypothesis(
            0.0, float("inf"), -1, -1, last_trail, halved, -1, before[-_TAIL:], 0, frozenset(), None
        )
        # frontier[i]: hypotheses that have consumed window[:i]
        frontier: dict[int, dict[tuple, Hypothesis]] = {0: {self._key(start): start}}
        window = self.window
        for index in range(len(window) + 1):
            current = frontier.pop(index, None)
            if not current:
                continue
            hyps = self._prune(list(current.values()))
            if index == len(window):
                return self._finish(hyps)
            for hyp in hyps:
                for target, grown in self._advance(hyp, index):
                    bucket = frontier.setdefault(target, {})
                    key = self._key(grown)
                    other = bucket.get(key)
                    if other is None:
                        bucket[key] = grown
                    elif grown.text_id == other.text_id:
                        if grown.score > other.score:
                            bucket[key] = grown
                    elif grown.score > other.score:
                        bucket[key] = grown._replace(gap=min(grown.gap, grown.score - other.score))
                    else:
                        bucket[key] = other._replace(gap=min(other.gap, other.score - grown.score))
        return None

    @staticmethod
    def _key(hyp: Hypothesis) -> tuple:
        return (
            hyp.pending,
            hyp.last_trail,
            hyp.halved,
            hyp.orphan,
            hyp.tail[-1:],
            hyp.pending_token,
        )

    @staticmethod
    def _prune(hyps: list[Hypothesis]) -> list[Hypothesis]:
        scored = [hyp for hyp in hyps if not (hyp.pending >= 0 and hyp.pending_token == LOST)]
        waiting = [hyp for hyp in hyps if hyp.pending >= 0 and hyp.pending_token == LOST]
        kept = heapq.nlargest(BEAM, scored, key=lambda hyp: hyp.score)
        if kept:
            floor = kept[0].score - BEAM_WIDTH
            kept = [hyp for hyp in kept if hyp.score >= floor]
        if len(waiting) > PENDING_CAP:
            waiting = heapq.nlargest(PENDING_CAP, waiting, key=lambda hyp: hyp.score)
        return kept + waiting

    def _advance(self, hyp: Hypothesis, index: int) -> list[tuple[int, Hypothesis]]:
        """Every way to consume the window character at *index* (or a pinyin group from it)."""
        window = self.window
        char = window[index]
        out: list[tuple[int, Hypothesis]] = []

        def record(target: int, grown: Hypothesis, piece: str, note: str) -> None:
            in_sync = grown.pending < 0 and grown.orphan < 0
            history = (hyp.history, index, target, piece, note, in_sync)
            out.append((target, _NEW_TUPLE(Hypothesis, (*grown[:-1], history))))

        def drop_pinyin(base: Hypothesis, group_start: int, piece: str, note: str) -> bool:
            """Handle an injected ``(syllable)``; True when it applies at all."""
            match = _PINYIN_GROUP.match(window, group_start)
            if match is None or not is_syllable(match.group(1)):
                return False
            cost = self.pinyin_pair_reads(base, match.group(1))
            if cost is None:
                return False
            if cost:
                base = base._replace(score=base.score - cost)
            if base.pending < 0 and base.last_trail >= 0 and base.last_trail == base.halved[1]:
                # Inserted after a whole character: kept for the pinyin class, invisible to scoring.
                kept = base._replace(halved=(-1, 0x29), last_trail=-1, orphan=-1)
                record(match.end(), kept, piece + "(" + window[group_start : match.end()], note)
                return True
            extra = f"injected pinyin ({match.group(1)}) removed"
            record(match.end(), base, piece, f"{note}; {extra}" if note else extra)
            return True

        if char in ORPHAN_MARKS:
            after = window[index + 1 :]
            # Markup after the mark lost its '<' unless the mark swallowed it (a tag tail
            # is not evidence about anything else, so the penalty is charged here, once).
            tag_tail = bool(_TAG_AFTER.match(after))
            unswallowed = ORPHAN_TAG_PENALTY if tag_tail else 0.0
            pinyin_after = _PINYIN_GROUP.match(after) is not None
            # A lost lead byte is paired only by a half-width byte the rewrite made (printable
            # ASCII) or through an annotation; any other next character ends it unpaired.
            lead_pairs = "!" <= after[:1] <= "~"
            lost_lead = hyp.pending < 0
            # A '?' (a lead byte orphaned by a rewrite) may have swallowed a '<' or '(' that
            # the rewrite itself made of the full-width pair after it.
            hidden_bracket = char == "?"
            if lost_lead and not (lead_pairs or pinyin_after or tag_tail):
                lost: list[Successor] = []
            else:
                lost = self.lost_byte(hyp, index)
            for grown, piece, note in lost:
                if lead_pairs or not lost_lead:
                    charged = grown
                    if unswallowed:
                        charged = grown._replace(score=grown.score - unswallowed)
                    record(index + 1, charged, piece, note)
                if not (pinyin_after or tag_tail):
                    continue
                swallowed = grown._replace(orphan=-1)
                if pinyin_after:
                    drop_pinyin(swallowed, index + 1, piece, note + " that swallowed '('")
                # The orphan swallowed the '(' of an annotation or the '<' of a tag.
                for bracket, follows in ((0x28, pinyin_after), (0x3C, tag_tail)):
                    if not follows:
                        continue
                    swallow_note = f"{note} that swallowed {chr(bracket)!r}"
                    for again, more, extra in self.feed(swallowed, bracket, index, False):
                        record(
                            index + 1,
                            again,
                            piece + more,
                            swallow_note + (f"; {extra}" if extra else ""),
                        )
            if hidden_bracket and lost_lead:
                self._hidden_bracket(hyp, index, record)
            if char == "?" or hyp.pending < 0:
                literal: list[tuple[int, Hypothesis]] = []
                self._plain(hyp, index, char, lambda t, g, p, n: literal.append((t, g, p, n)))
                for target, grown, piece, note in literal:
                    if unswallowed:
                        grown = grown._replace(score=grown.score - unswallowed)
                    record(target, grown, piece, note)
            return out
        if char == "(" and drop_pinyin(hyp, index + 1, "", "") and hyp.pending < 0:
            return out
        self._plain(hyp, index, char, record)
        return out

    def _plain(self, hyp: Hypothesis, index: int, char: str, record) -> None:
        """Consume a visible character through its bytes in the codec."""
        encoded = encode_char(char, self.t.codec)
        if encoded is None:
            if hyp.pending >= 0 or hyp.orphan >= 0:
                return
            score, tail, rewarded, text_id = self._emit(hyp, char)
            record(
                index + 1,
                hyp._replace(
                    score=score,
                    last_trail=-1,
                    halved=(-1, -1),
                    tail=tail,
                    rewarded=rewarded,
                    text_id=text_id,
                ),
                char,
                "",
            )
            return
        states: list[Successor] = [(hyp, "", "")]
        for byte in encoded:
            grown_states = []
            for state, piece, note in states:
                for grown, more, extra in self.feed(state, byte, index, 0x21 <= byte <= 0x7E):
                    grown_states.append(
                        (
                            grown,
                            piece + more,
                            f"{note}; {extra}" if note and extra else note or extra,
                        )
                    )
            states = grown_states
        for grown, piece, note in states:
            record(index + 1, grown, piece, note)

    def _finish(self, hyps: list[Hypothesis]) -> tuple[Hypothesis, str, list] | None:
        following = self.line[self.end : self.end + 1]
        first_byte = -1
        if following:
            encoded = encode_char(following, self.t.codec)
            first_byte = encoded[0] if encoded else -1
        finals: list[Hypothesis] = []
        for hyp in hyps:
            if hyp.pending >= 0:
                continue
            if (
                hyp.orphan >= 0
                and first_byte >= 0
                and (first_byte in (0x28, 0x3C) or self._pair(hyp.orphan, first_byte) is not None)
            ):
                continue
            if first_byte >= 0 and (hyp.last_trail, first_byte) in self.t.halfwidth:
                continue
            score = hyp.score
            if following:
                last = hyp.tail[-1] if hyp.tail else None
                score += self.model.logp(_scored_last(hyp.tail), _scored(last, following))
            finals.append(hyp._replace(score=score))
        if not finals:
            return None
        finals.sort(key=lambda hyp: -hyp.score)
        best = finals[0]
        for other in finals[1:]:
            if other.text_id != best.text_id:
                best = best._replace(gap=min(best.gap, best.score - other.score))
                break
        pieces = []
        node = best.history
        while node is not None:
            parent, index, target, piece, note, in_sync = node
            pieces.append((index, target, piece, note, in_sync))
            node = parent
        pieces.reverse()
        return best, "".join(piece[2] for piece in pieces), pieces


class Repair(NamedTuple):
    """The best reconstruction of a window and its edits against the window."""

    text: str
    score: float
    runner_up: float
    edits: list[tuple[int, int, str, str]]  # (start, end, replacement, note) in window offsets


def _edits(window: str, pieces: list) -> list[tuple[int, int, str, str]]:
    """Group consecutive pieces between in-sync points into edits where the text changed."""
    edits: list[tuple[int, int, str, str]] = []
    group_start, group_text, notes = 0, [], []
    for index, target, piece, note, in_sync in pieces:
        if not group_text and not notes:
            group_start = index
        group_text.append(piece)
        if note:
            notes.append(note)
        if in_sync:
            replacement = "".join(group_text)
            if replacement != window[group_start:target]:
                edits.append((group_start, target, replacement, "; ".join(notes)))
            group_text, notes = [], []
    if group_text:
        target = pieces[-1][1]
        replacement = "".join(group_text)
        if replacement != window[group_start:target]:
            edits.append((group_start, target, replacement, "; ".join(notes)))
    return edits


def repair_window(line: str, start: int, end: int) -> Repair | None:
    """Best repair of ``line[start:end]`` over every double-byte family, or None."""
    best: Repair | None = None
    others: list[float] = []
    for family in DOUBLE_BYTE_LEADS:
        if family not in DECODERS:
            continue
        codec = DECODERS[family]
        if any(
            char not in ORPHAN_MARKS and encode_char(char, codec) is None
            for char in line[start:end]
        ):
            continue  # not text a decoder of this family produced
        found = _Search(family, line, start, end).run()
        if found is None:
            continue
        hyp, text, pieces = found
        if best is None or hyp.score > best.score:
            if best is not None:
                others.append(best.score)
            best = Repair(text, hyp.score, hyp.score - hyp.gap, _edits(line[start:end], pieces))
        else:
            others.append(hyp.score)
    if best is None:
        return None
    if others:
        best = best._replace(runner_up=max(best.runner_up, *others))
    return best


def _literal_score(line: str, start: int, end: int) -> float:
    """Log-probability of the window as it is, with the structural terms."""
    model = lm.get_model()
    before = line[:start]
    raw = before[-1] if before else None
    previous = _scored_last(before[-2:])
    total = 0.0
    for char in _without_annotations(line[start : end + 1]):
        scored = _scored(raw, char)
        total += model.logp(previous, scored)
        raw, previous = char, scored
    window = line[start:end]
    visible = line[:end]
    for closer, opener in BRACKET_PAIRS.items():
        if visible.count(opener) > visible.count(closer) and closer in window:
            total += BALANCE_BONUS
    context = before[-_TAIL:] + window
    tags = len(_ORPHAN_TAG.findall(context)) - len(_ORPHAN_TAG.findall(before[-_TAIL:]))
    return total - ORPHAN_TAG_PENALTY * tags


def _without_annotations(text: str) -> str:
    """*text* without the ``(syllable)`` annotations that read the character before them."""
    return _ANNOTATION.sub(
        lambda m: m.group(1) if is_reading(m.group(1), m.group(2)) else m.group(0), text
    )


def _near_non_ascii(line: str, index: int) -> bool:
    """Is there a non-ASCII character other than a mark within SITE_REACH of *index*?"""
    around = line[max(0, index - SITE_REACH) : index] + line[index + 1 : index + 1 + SITE_REACH]
    return any(ord(char) >= 0x80 and char not in ORPHAN_MARKS for char in around)


def _windows(line: str) -> list[tuple[int, int, list[int]]]:
    """Windows around clusters of damage sites in one line (without its line break): orphan
    marks, hidden rewrites and annotations that do not read their character; each window
    with the sites it holds."""
    sites = [mark.start() for mark in _MARK.finditer(line) if _near_non_ascii(line, mark.start())]
    sites += _hidden_rewrites(line)
    # Pinyin after a character it does not read: inserted after a pair straddling two characters.
    sites += [
        match.start(2) - 1
        for match in _ANNOTATION.finditer(line)
        if not is_reading(match.group(1), match.group(2)) and _near_non_ascii(line, match.start(1))
    ]
    sites = sorted(set(sites))
    windows: list[tuple[int, int, list[int]]] = []
    # Bounds never cut a ``(syllable)``: the literal reading a repair is weighed against
    # holds each annotation whole, so the window must too.
    for site in sites:
        end = _past_annotation(line, min(len(line), site + AFTER))
        if windows and site - BEFORE < windows[-1][1]:
            start, _, held = windows[-1]
            windows[-1] = (start, end, [*held, site])
            continue
        windows.append((_past_annotation(line, max(0, site - BEFORE)), end, [site]))
    return windows


def _past_annotation(line: str, bound: int) -> int:
    """*bound*, or the end of the ``(syllable)`` annotation it falls inside."""
    for match in _ANNOTATION.finditer(line, max(0, bound - 9), bound + 9):
        if match.start(2) - 1 < bound < match.end():
            return match.end()
    return bound


def _split(line: str, start: int, end: int, sites: list[int]) -> list[tuple[int, int]]:
    """One window per site of the window ``start..end``: each ends where the next one's
    context begins (BEFORE characters ahead of its site), and always after its own site."""
    bounds = []
    for site, following in itertools.pairwise(sites):
        bound = max(site + 1, following - BEFORE)
        moved = _past_annotation(line, bound)
        bounds.append(moved if moved <= following else bound)  # keep each site in its part
    return list(zip([start, *bounds], [*bounds, end], strict=True))


def might_apply(text: str) -> bool:
    """Does a line hold an orphan mark with damage around it, or a hidden rewrite, to search?"""
    if not _has_sites(text):
        return False
    return any(_worth_searching(line) and _windows(line) for line in _lines_with_sites(text))


def _has_sites(text: str) -> bool:
    """A cheap look at all of *text*: a mark, or ASCII glued between rare and CJK text."""
    if "?" in text or "\ufffd" in text:
        return True
    return _has_unmarked_sites(text)


def _has_unmarked_sites(text: str) -> bool:
    """Sites with no mark: a hidden rewrite, or an annotation after a straddling pair."""
    return (
        next(_hidden_rewrites(text), None) is not None
        or next(_straddled_annotations(text), None) is not None
    )


def _lines_with_sites(text: str) -> Iterator[str]:
    """Lines that may hold a site: a mark with non-ASCII text within SITE_REACH, or a mark
    and an annotation-shaped group (each line once)."""
    starts: set[int] = set()
    for match in _MARK.finditer(text):
        index = match.start()
        if text[max(0, index - SITE_REACH) : index + SITE_REACH + 1].isascii():
            continue
        start, end = line_bounds(text, index)
        if start not in starts:
            starts.add(start)
            yield text[start:end]
    for index in itertools.chain(_hidden_rewrites(text), _straddled_annotations(text)):
        start, end = line_bounds(text, index)
        if start not in starts:
            starts.add(start)
            yield text[start:end]
    if "(" not in text:
        return
    for match in _PARENTHESISED_GROUP.finditer(text):
        start, end = line_bounds(text, match.start())
        if start not in starts and _MARK.search(text, start, end):
            starts.add(start)
            yield text[start:end]


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Propose byte-domain repairs for clusters of orphan marks with damage around them."""
    if not _has_sites(text):
        return []
    sites = itertools.chain(
        (mark.start() for mark in _MARK.finditer(text)),
        _hidden_rewrites(text),
        _straddled_annotations(text),
    )
    found: list[tuple[float, Proposal]] = []
    for offset, line in lines_at(text, sites):
        if _worth_searching(line):
            found.extend(_line_proposals(line, offset))
    proposals = [proposal for gain, proposal in found if gain >= MIN_GAIN]
    anchored = [proposal for proposal in proposals if _anchored(text, proposal)]
    if len(anchored) < len(found):  # some need the converter shown elsewhere
        proposals = _corroborated(text, anchored, [proposal for _, proposal in found])
    if proposals and "(" in text:
        proposals = _reannotate(text, proposals)
    return proposals


def _anchored(text: str, proposal: Proposal) -> bool:
    """Does the edit rest on more than punctuation: rewrite a rare character a decoder made of
    two bytes, or take an ASCII letter or digit for a byte of a pair?

    An edit of marks and ASCII punctuation alone that keeps every character around it
    (``?!?``, ``???``, ``?#?``) rests on the model's guess of every byte: clean text holds
    such runs too, as punctuation or as characters an encoder could not write.
    """
    before = text[proposal.start : proposal.end]
    if any(char.isascii() and char.isalnum() for char in before):
        return True
    decoded = (char for char in before if ord(char) >= 0x80 and char not in ORPHAN_MARKS)
    after = iter(proposal.after or "")
    rewritten = [char for char in decoded if char not in after]  # not kept in order
    # A shifted pair reads as a rare character (矷, 盬); rewriting only common ones (款, 开)
    # rests on the model's guess as much as marks do.
    return any(suspicious_pattern().match(char) for char in rewritten)


def _corroborated(text: str, anchored: list[Proposal], found: list[Proposal]) -> list[Proposal]:
    """The proposals of *found* the text corroborates: the anchored ones (see _anchored,
    each gaining MIN_GAIN), and the others where the text shows the converter's work: the
    injected-pinyin pattern anywhere, or an anchored edit within CORROBORATION_LINES lines.

    The reach is local because a file can be a collection of unrelated texts (one review
    per line): one damaged line does not make every ``???`` in it an orphan byte."""
    if "(" in text and annotation_pattern_holds(text):
        return found
    if not anchored:
        return []
    ends = [match.start() for match in _LINE_END.finditer(text)]
    anchor_lines = [bisect.bisect_left(ends, proposal.start) for proposal in anchored]
    return [
        proposal
        for proposal in found
        if proposal in anchored
        or any(
            abs(bisect.bisect_left(ends, proposal.start) - line) <= CORROBORATION_LINES
            for line in anchor_lines
        )
    ]


def shows_swallowed_annotation(line: str) -> bool:
    """Does *line* hold a mark followed by an annotation that lost its '(' (``?chē)``)?
    Only an orphan lead byte that swallowed the bracket leaves that."""
    return ")" in line and _SWALLOWED_ANNOTATION.search(line) is not None


def repaired_line(line: str) -> str | None:
    """*line* with this class's repairs applied, or None when it has none to make."""
    if not _worth_searching(line):
        return None
    proposals = [proposal for gain, proposal in _line_proposals(line, 0) if gain >= MIN_GAIN]
    return apply_proposals(line, proposals) if proposals else None


def _worth_searching(line: str) -> bool:
    """Cheap gate (no model): does the line hold a mark and any sign of damage around it?

    Damage leaves rare characters, Latin letters of pinyin or a mark glued to
    ASCII (a half-width byte); a ``?`` ending a sentence has none of these, so
    most clean files never load the language model here.
    """
    if "?" not in line and "\ufffd" not in line:
        return _has_unmarked_sites(line)
    return is_suspicious(line) or MARK_GLUED_TO_ASCII.search(line) is not None


def _reannotate(text: str, proposals: list[Proposal]) -> list[Proposal]:
    """Give restored characters the annotation the document gives them everywhere else.

    The converter scanned bytes left to right, so a pinyin inserted after a misaligned pair
    skipped the annotation of the character that pair started in.  Restoring that
    annotation lets the document-level pinyin repair treat every occurrence alike.
    """
    annotated = annotation_pattern_holds(text)
    if not annotated:
        return proposals
    # Every character the document annotates with one of its readings: a restored character
    # whose annotation the converter skipped is exactly one that is not yet consistent.
    # The repairs' own output counts: an annotation whose '(' the orphan swallowed exists
    # only there.
    syllables: dict[str, str] = {}
    for source in (text, *(proposal.after or "" for proposal in proposals)):
        for match in _ANNOTATION.finditer(source):
            if is_reading(match.group(1), match.group(2)):
                syllables.setdefault(match.group(1), match.group(2))
    result = []
    for proposal in proposals:
        after = proposal.after or ""
        following = text[proposal.end : proposal.end + 1]
        pieces = []
        for index, char in enumerate(after):
            pieces.append(char)
            next_char = after[index + 1] if index + 1 < len(after) else following
            if char in syllables and next_char != "(":
                pieces.append(f"({syllables[char]})")
        result.append(proposal._replace(after="".join(pieces)))
    return result


def _search_line(line: str) -> list[tuple[float, Proposal]]:
    """Repairs of the windows of one line, at offsets within it, each with its window's gain
    (every repair gaining at least CORROBORATED_MIN_GAIN)."""
    proposals: list[tuple[float, Proposal]] = []
    body = line.rstrip("\r\n")
    if lm.get_model().mean_score(body) < lm.thresholds()["damaged_max"]:
        # Garbage throughout (text read with another wrong codec): misaligned damage is a
        # few sites in good text, and repairing sites in garbage only makes other garbage.
        return []
    line = body + "\n"  # a line end (or the end of the text) follows the last window
    for start, end, sites in _windows(body):
        found = _window_proposals(line, start, end)
        if len(sites) > 1 and not any(gain >= MIN_GAIN for gain, _ in found):
            # One site no reconstruction explains must not cost the others their repair.
            parts = [
                repair
                for part_start, part_end in _split(line, start, end, sites)
                for repair in _window_proposals(line, part_start, part_end)
            ]
            if parts:
                found = parts
        proposals += found
    return proposals


def _window_proposals(line: str, start: int, end: int) -> list[tuple[float, Proposal]]:
    """The edits of the best repair of ``line[start:end]`` with its gain, when it gains at
    least CORROBORATED_MIN_GAIN over the text as it is."""
    repaired = repair_window(line, start, end)
    if repaired is None or not repaired.edits:
        return []
    gain = repaired.score - _literal_score(line, start, end)
    margin = repaired.score - repaired.runner_up
    if gain < CORROBORATED_MIN_GAIN:
        return []
    confidence = min(1.0, 0.5 + 0.5 * margin / CONFIDENT_MARGIN)
    return [
        (
            gain,
            Proposal(
                start + edit_start,
                start + edit_end,
                replacement,
                f"misaligned double-byte edit: {note or 're-paired bytes'}",
                confidence,
            ),
        )
        for edit_start, edit_end, replacement, note in repaired.edits
    ]


_line_proposals = LineMemo(_search_line)


MISALIGNED = DamageClass(
    "misaligned",
    "byte edits across double-byte character boundaries (orphan bytes)",
    propose,
    might_apply,
)
