"""Lossy decodes: UTF-8 read with a legacy CJK codec that also replaced unreadable bytes.

A decoder such as ``bytes.decode("gbk", "replace")`` turns UTF-8 Chinese into
mojibake and writes U+FFFD for every byte it cannot pair (``鎴戜滑鐨�``); a
second save in the legacy codec turns each U+FFFD into ``?``.  Each replacement
mark stands for one lost byte (rarely two) that the decoder rejected.

Repair works on one segment of a line at a time (a maximal run of characters
the wrong codec can encode), for the one wrong decoder that explains the line
best.  The segment is encoded back with that codec and each replacement mark
becomes a wildcard byte, restricted to the bytes the codec really rejects in
front of the byte that follows.  A lattice then holds every reading of the
bytes: the characters as they stand (text already repaired, clean text, or a
mark kept as one unknown character) and every UTF-8 character the bytes and
wildcards can form (never one made of lost bytes only).  The character
language model finds the best path (Viterbi over character bigrams) and, for
each recovered character, the best path that avoids it (max-marginals).  A
recovered character is kept only with a clear margin over every alternative;
otherwise it stays lost and is written as one U+FFFD, which the lost-data class
reports.  A quote or bracket that would balance the line, as the first reading
leaves it, gets a bonus; a ``?`` that stands for lost bytes is scored as the
U+FFFD it replaced.  Segments where most bytes were lost (Big5 and EUC readings
of UTF-8) are left alone, and nothing changes unless the segment becomes clearly
more plausible.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache
from typing import NamedTuple

from fixer import lm
from fixer.chardata import (
    BRACKET_PAIRS,
    CJK_PUNCTUATION,
    CODEC_FAMILIES,
    CODEC_LABELS,
    SMALL_FORM_CLOSERS,
    SMALL_FORM_OPENERS,
    SMALL_FORM_STOPS,
)
from fixer.codecs import encode_char
from fixer.config import FixerConfig
from fixer.damage import misaligned
from fixer.damage.base import DamageClass, LineMemo, Proposal, apply_proposals
from fixer.damage.language import same_character, script_of, written_in, written_in_language
from fixer.fastpath import is_suspicious, lines_matching

#: Decoders whose replacement marks are searched, each with its own rejection rules.
LOSSY_DECODERS: tuple[str, ...] = (
    "gbk",
    "gb18030",
    "cp932",
    "shift_jis",
    "big5",
    "big5hkscs",
    "euc_kr",
    "cp949",
    "euc_jp",
)
#: Characters a later Windows-1252 repair may have made of a byte a decoder kept as C1 control.
_C1_REPAIRED = {"cp932": {"\u20ac": b"\x80"}}

REPLACEMENT = "\ufffd"
QUESTION = "?"
#: A run of ``?`` with a non-ASCII character on one side (the match starts on a ``?``).
_QUESTION_BESIDE_NON_ASCII = re.compile(r"(?<=[^\x00-\x7f])\?|\?+(?=[^\x00-\x7f])")
#: A mark right after a non-ASCII character (the match is the mark): where a decoder lost bytes.
MARK_AFTER_NON_ASCII = re.compile(f"(?<=[^\\x00-\\x7f])[{REPLACEMENT}?]")
#: A replacement mark (a fast scan for the lines to look at).
_MARK_SITE = re.compile(f"[{REPLACEMENT}{QUESTION}]")
#: Minimum log-likelihood gain of the repaired segment over the damaged one.
MIN_GAIN = 6.0
#: Lead (natural log) a recovered character needs over every alternative reading.
#: Calibrated on held-out web text by scripts/calibrate_lossy.py: from 2.5 down to 0.5,
#: 138 of 300 damaged cases came out better and 2 worse (CER 0.0265 -> 0.0152);
#: below 0.5 the gain flattens.
MIN_MARGIN = 0.5
#: Extra lead needed where a recovered character has no CJK neighbour on either side (line
#: ends, ASCII, punctuation): the model then knows little more than how common it is.
ISOLATED_MARGIN = 2.0
#: A ``?`` needs no more lead than U+FFFD: it is a wildcard only where it interrupts a
#: UTF-8 character (see _question_is_wildcard).  On held-out text (scripts/calibrate_lossy.py)
#: an extra 0.5 left 21 of 158 ``?`` paragraphs worse and none better.
#: Score of keeping a replacement mark as it is: the reading of clean text with one
#: unknown character, which recovered bytes must beat by MIN_MARGIN.
KEEP_LOST = 0.0
#: Bonus for a recovered quote or bracket that balances its line (see _unbalanced): a lost
#: closer at a line end otherwise reads as the likelier 。 or ，.  Calibrated on held-out web
#: text by scripts/calibrate_lossy.py: 0 -> 10 made 12 of 300 cases better and none
#: worse (CER 0.0167 -> 0.0160); above 10 nothing changes.
BALANCE_BONUS = 10.0
#: Bonus for a recovered character that completes, with its neighbours in the first
#: reading, a run of three characters found inside dictionary words (``lm.word_trigrams``:
#: 星期 + 一, 不動 + 產): the bigram model alone cannot see that far.  Calibrated on held-out
#: web text by scripts/calibrate_lossy.py: 0 -> 3 made 10 of 300 cases better and none
#: worse (CER 0.0147 -> 0.0143); 4 made 6 worse, 6 made 6 worse.
WORD_BONUS = 3.0
#: Decoders whose best readings of a line score within this many nats of the best one explain
#: it equally well; the one that recovers most with a clear margin is chosen among them.
CODEC_TIE = 1.0
#: Model gain per mark (nats) from which a lossy reading of a line is not weighed against the
#: misaligned class's.  On the corpus, every line the misaligned reading won gained at most
#: 2.5 per mark from the lossy one, and most lossy lines gain well over 5.
ARBITRATION_GAIN = 5.0
#: Penalty for a recovered kana or hangul character in text that has none elsewhere:
#: large enough that no reading needs one (a lost byte of Chinese text is not Korean).
FOREIGN_SCRIPT_PENALTY = -1000.0
#: Characters formed from wildcard bytes must be at least this plausible on their own.
MIN_CHAR_SCORE = -9.0
#: Readings of one character enumerated at most; beyond that the character stays lost.
MAX_COMBINATIONS = 4096
#: The same limit in a second search of a segment whose first search had to drop readings:
#: a character that lost two of its bytes then stays lost instead of costing the whole
#: segment its repair.
FALLBACK_COMBINATIONS = 64
#: Partial paths this far behind the best at the same byte are not extended.
PRUNE_DELTA = 16.0
#: Readings kept per byte position; a search that must drop more proposes nothing.
MAX_STATES = 256
#: Segments where more than this share of the bytes was lost are left alone: too few
#: bytes survive (Big5 and EUC readings of UTF-8) for the model to be sure of anything.
MAX_DENSITY = 0.2

#: Within-class preference among CJK punctuation the model scores alike (log weights),
#: and the marks that do not end a line.
_PUNCT_PRIOR = {"。": 0.0, "，": 0.0, "、": -1.5, "；": -2.5, "：": -2.0, "？": -2.0, "！": -2.0}
_NOT_LINE_FINAL = "、，；：（《「『【〈“‘々"
_LINE_FINAL_PENALTY = -3.0

_CONTINUATION = range(0x80, 0xC0)
_LEADS = range(0xC2, 0xF5)
_OPEN_CLASSES = frozenset(
    {"cjk", "fullwidth_alnum", "fullwidth_symbol", "latin_letter", "latin_symbol"}
)
#: CJK punctuation of every kind (．in １７２．３４, ﹐, 〔): surviving bytes may read as any.
_PUNCTUATION_CLASSES = frozenset({"cjk_stop", "cjk_open", "cjk_close", "cjk_mark"})
#: Other characters a recovered byte may belong to: common CJK punctuation and marks.
_ALLOWED_MARKS = frozenset(
    CJK_PUNCTUATION
    + SMALL_FORM_STOPS
    + SMALL_FORM_OPENERS
    + SMALL_FORM_CLOSERS
    + "\u3000・〃〜※→←↑↓○●■□★☆△▲◆◇×÷°℃№"
)


@cache
def _char_decodable(char: str) -> bool:
    """Can surviving bytes read as *char*?  Only characters CJK text holds: a Cyrillic or
    Arabic letter there is a legacy double-byte character whose bytes happen to be UTF-8."""
    return (
        char.isascii()
        or lm.char_class(char) in _OPEN_CLASSES
        or lm.char_class(char) in _PUNCTUATION_CLASSES
        or char in _ALLOWED_MARKS
    )


def _utf8_length(lead: int) -> int:
    if lead < 0x80:
        return 1
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


class _Rejections(NamedTuple):
    """Bytes a codec replaces alone (with U+FFFD) instead of reading them."""

    pairs: frozenset[tuple[int, int]]  # (byte, next byte) where the byte is replaced
    at_end: frozenset[int]  # replaced as the last byte of the input
    before_any: frozenset[int]  # replaced before some byte >= 0x80
    before: tuple[frozenset[int], ...]  # before[next byte]: the bytes replaced in front of it


@cache
def _rejects(codec: str) -> _Rejections:
    """Bytes *codec* replaces alone: (byte, next byte) pairs, bytes at the end, bytes before any."""
    tails = [bytes((second,)) + b"AA" for second in range(0x100)]
    alone = [REPLACEMENT + tail.decode(codec, "replace") for tail in tails]
    pairs = {
        (first, second)
        for first in range(0x80, 0x100)
        for second, tail in enumerate(tails)
        if (bytes((first,)) + tail).decode(codec, "replace") == alone[second]
    }
    at_end = frozenset(
        byte
        for byte in range(0x80, 0x100)
        if bytes((byte,)).decode(codec, "replace") == REPLACEMENT
    )
    before_any = frozenset(first for first, second in pairs if second >= 0x80)
    before: list[set[int]] = [set() for _ in range(0x100)]
    for first, second in pairs:
        before[second].add(first)
    return _Rejections(
        frozenset(pairs), at_end, before_any, tuple(frozenset(firsts) for firsts in before)
    )


@cache
def _char_allowed(char: str) -> bool:
    """Can a recovered character be *char*? (No controls, private use or rare Han.)"""
    kind = lm.char_class(char)
    if kind not in _OPEN_CLASSES:
        return char in _ALLOWED_MARKS
    if kind == "cjk":
        return lm.get_model().char_score(char) >= MIN_CHAR_SCORE
    return True


def _label(codec: str) -> str:
    return CODEC_LABELS.get(CODEC_FAMILIES.get(codec, codec), codec)


class Edge(NamedTuple):
    """One reading of bytes start..end of a segment: a character and how it was read."""

    start: int
    end: int
    char: str
    literal: bool
    wildcards: int
    fills: tuple[tuple[int, int], ...]


class Segment(NamedTuple):
    """A run of a line encoded back with the wrong codec."""

    start: int
    chars: str
    tokens: list[int | None]
    char_bytes: list[int]
    question_slots: frozenset[int]


def _encode(char: str, codec: str) -> bytes | None:
    extra = _C1_REPAIRED.get(codec)
    if extra and char in extra:
        return extra[char]
    return encode_char(char, codec)


def _question_is_wildcard(line: str, index: int, codec: str) -> bool:
    """A run of ``?`` may stand for lost bytes only where it interrupts a UTF-8 character."""
    first = index
    while first > 0 and line[first - 1] == QUESTION:
        first -= 1
    last = index + 1
    while last < len(line) and line[last] == QUESTION:
        last += 1
    before = b""
    for char in reversed(line[max(0, first - 3) : first]):
        encoded = _encode(char, codec)
        if encoded is None:
            break
        before = encoded + before
    after = _encode(line[last], codec) if last < len(line) else None
    broken_before = not before.isascii() and _ends_inside_char(before)
    broken_after = after is not None and not after.isascii() and after[0] in _CONTINUATION
    return broken_before or broken_after


def _ends_inside_char(data: bytes) -> bool:
    """Do *data* end with the incomplete start of a UTF-8 character?"""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte in _CONTINUATION:
            continue
        length = _utf8_length(byte)
        return length > back
    return False


def _segments(line: str, codec: str) -> Iterator[Segment]:
    """Runs of *line* encodable in *codec* holding a replacement mark next to non-ASCII text."""
    start = 0
    while start < len(line):
        end = start
        tokens: list[int | None] = []
        char_bytes = [0]
        questions: set[int] = set()
        while end < len(line) and line[end] not in "\r\n":
            char = line[end]
            if char == REPLACEMENT:
                tokens.append(None)
            else:
                encoded = _encode(char, codec)
                if encoded is None:
                    break
                if char == QUESTION and _question_is_wildcard(line, end, codec):
                    questions.add(len(tokens))
                tokens.extend(encoded)
            char_bytes.append(len(tokens))
            end += 1
        if end > start:
            chars = line[start:end]
            has_mark = REPLACEMENT in chars or bool(questions)
            if has_mark and not chars.replace(REPLACEMENT, "").isascii():
                yield Segment(start, chars, tokens, char_bytes, frozenset(questions))
        start = end + 1


class _Lattice:
    """Every reading of one segment's bytes, with Viterbi and max-marginal scores."""

    def __init__(
        self,
        segment: Segment,
        codec: str,
        left: str | None,
        right: str | None,
        followers: frozenset[int],
        max_combinations: int = MAX_COMBINATIONS,
    ) -> None:
        self.segment = segment
        self.codec = codec
        self.max_combinations = max_combinations
        self.model = lm.get_model()
        self.left = left
        self.right = right
        self.followers = followers
        #: Scripts absent from the rest of the text, unlikely in a recovered character.
        self.foreign: frozenset[str] = frozenset()
        #: The line around the segment, and the quotes and brackets a recovered character
        #: would balance there (set from the first reading, see solve_consistently): by the
        #: byte where the first reading recovered a character, the line without that one.
        self.around: tuple[str, str] = ("", "")
        self.balancing: frozenset[str] = frozenset()
        self.balancing_at: dict[int, frozenset[str]] = {}
        #: The language (lm name) the decoded text is written in, where it shows one.
        self.language: str | None = None
        #: Recovered characters that complete a dictionary word there (see _word_bonuses).
        self.word_bonuses: dict[Edge, float] = {}
        #: Set when the search dropped readings: rivals' scores are then only lower bounds.
        self.pruned = False
        self.size = len(segment.tokens)
        self._utf8_starts = {
            segment.char_bytes[index]: char.encode("utf-8")[0]
            for index, char in enumerate(segment.chars)
            if not char.isascii() and char != REPLACEMENT
        }
        self._option_cache: dict[tuple[int, int], list[int]] = {}
        self.edges_from: list[list[Edge]] = [[] for _ in range(self.size + 1)]
        self.edges_to: list[list[Edge]] = [[] for _ in range(self.size + 1)]
        self._build()

    # -- construction ------------------------------------------------------------------
    def _wild(self, position: int) -> bool:
        return self.segment.tokens[position] is None or position in self.segment.question_slots

    def _options(self, position: int, wanted: range) -> list[int]:
        """Byte values a token may take inside a UTF-8 character (known byte or wildcard)."""
        key = (position, wanted.start)
        values = self._option_cache.get(key)
        if values is None:
            token = self.segment.tokens[position]
            values = [token] if token is not None and token in wanted else []
            if self._wild(position):
                lost = self._lost_bytes(position)
                values.extend(byte for byte in wanted if byte in lost)
            self._option_cache[key] = values
        return values

    def _lost_bytes(self, position: int) -> frozenset[int]:
        """Bytes the wrong codec could have replaced here, given the byte after it."""
        rejections = _rejects(self.codec)
        following = position + 1
        if following >= self.size:
            lost = frozenset().union(*(rejections.before[nxt] for nxt in self.followers))
            return lost if self.followers else lost | rejections.at_end
        nxt = self.segment.tokens[following]
        if nxt is None:
            return rejections.before_any
        if following in self.segment.question_slots:
            return rejections.before_any | rejections.before[nxt]
        lost = rejections.before[nxt]
        # The next character may already be repaired text, once UTF-8 in the damaged stream.
        original = self._utf8_starts.get(following)
        return lost if original is None else lost | rejections.before[original]

    def _add(self, edge: Edge) -> None:
        self.edges_from[edge.start].append(edge)
        self.edges_to[edge.end].append(edge)

    def _build(self) -> None:
        segment = self.segment
        seen: set[tuple[int, int, str]] = set()
        for index, char in enumerate(segment.chars):
            begin, finish = segment.char_bytes[index], segment.char_bytes[index + 1]
            seen.add((begin, finish, char))
            self._add(Edge(begin, finish, char, True, 0, ()))
        for start in range(self.size):
            for edge in self._utf8_edges(start):
                key = (edge.start, edge.end, edge.char)
                if key not in seen:
                    seen.add(key)
                    self._add(edge)

    def _utf8_edges(self, start: int) -> Iterator[Edge]:
        leads = self._options(start, range(0x00, 0x80)) + self._options(start, _LEADS)
        by_length: dict[int, list[int]] = {}
        for lead in leads:
            length = _utf8_length(lead)
            if length and start + length <= self.size:
                by_length.setdefault(length, []).append(lead)
        for length, lead_bytes in by_length.items():
            continuations = [
                self._options(start + offset, _CONTINUATION) for offset in range(1, length)
            ]
            combinations = len(lead_bytes) * math.prod(len(options) for options in continuations)
            if not combinations:
                continue
            positions = range(start, start + length)
            wild = sum(1 for position in positions if self._wild(position))
            if combinations > self.max_combinations:
                # Too many bytes lost in one character to tell: it stays one lost character.
                yield Edge(start, start + length, REPLACEMENT, False, wild, ())
                continue
            if wild == length:
                continue  # a character made only of lost bytes would be invented
            for lead in lead_bytes:
                yield from self._character_edges(start, lead, continuations)

    def _character_edges(
        self, start: int, lead: int, continuations: list[list[int]]
    ) -> Iterator[Edge]:
        tokens = self.segment.tokens
        pairs = _rejects(self.codec).pairs
        prefixes: list[tuple[bytes, tuple[tuple[int, int], ...]]] = [
            (bytes((lead,)), ((start, lead),) if tokens[start] != lead else ())
        ]
        for offset, options in enumerate(continuations, 1):
            position = start + offset
            grown: list[tuple[bytes, tuple[tuple[int, int], ...]]] = []
            for data, fills in prefixes:
                for byte in options:
                    if tokens[position] == byte:
                        grown.append((data + bytes((byte,)), fills))
                    # Lost bytes side by side must each have been replaced by the decoder.
                    elif not fills or fills[-1][0] != position - 1 or (fills[-1][1], byte) in pairs:
                        grown.append((data + bytes((byte,)), (*fills, (position, byte))))
            prefixes = grown
        length = len(continuations) + 1
        for data, fills in prefixes:
            if len(fills) >= length:
                continue  # a character made only of lost bytes would be invented
            try:
                char = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            if fills and not _char_allowed(char):
                continue
            if not fills and not _char_decodable(char):
                continue
            yield Edge(start, start + length, char, False, len(fills), fills)

    # -- scoring -----------------------------------------------------------------------
    def _llr(self, prev: str | None, edge: Edge) -> float:
        if edge.literal and edge.char == REPLACEMENT:
            return KEEP_LOST  # an unknown character of clean text, neither good nor bad
        score = self.model.llr(None if prev == REPLACEMENT else prev, edge.char)
        if not edge.literal:
            score += _PUNCT_PRIOR.get(edge.char, 0.0)
            if self.foreign and script_of(edge.char) in self.foreign:
                score += FOREIGN_SCRIPT_PENALTY
            if (
                edge.wildcards
                and self.language
                and not written_in_language(edge.char, self.language)
            ):
                score += FOREIGN_SCRIPT_PENALTY
            if edge.wildcards and edge.char in self.balancing_at.get(edge.start, self.balancing):
                score += BALANCE_BONUS
            if edge.wildcards:
                score += self.word_bonuses.get(edge, 0.0)
        return score

    def _final(self, edge: Edge) -> float:
        right = "\n" if self.right is None else self.right
        score = self.model.llr(None if edge.char == REPLACEMENT else edge.char, right)
        at_line_end = right in "\r\n"
        if at_line_end and not edge.literal and edge.char in _NOT_LINE_FINAL:
            score += _LINE_FINAL_PENALTY
        return score

    def solve(self) -> tuple[float, list[Edge], dict[Edge, float]] | None:
        """Best path, its score, and for each edge the best score of a path through it."""
        forward: dict[Edge, tuple[float, Edge | None]] = {}
        for position in range(self.size + 1):
            arrivals, pruned = _leaders(
                [(forward[prev][0], prev) for prev in self.edges_to[position] if prev in forward]
            )
            self.pruned |= pruned
            for edge in self.edges_from[position]:
                if position == 0:
                    forward[edge] = (self._llr(self.left, edge), None)
                    continue
                best: tuple[float, Edge | None] | None = None
                for score, prev in arrivals:
                    score += self._llr(prev.char, edge)
                    if best is None or score > best[0]:
                        best = (score, prev)
                if best is not None:
                    forward[edge] = best
        backward: dict[Edge, float] = {}
        for position in range(self.size, -1, -1):
            departures, pruned = _leaders(
                [(backward[nxt], nxt) for nxt in self.edges_from[position] if nxt in backward]
            )
            self.pruned |= pruned
            for edge in self.edges_to[position]:
                if position == self.size:
                    backward[edge] = self._final(edge)
                    continue
                scores = [score + self._llr(edge.char, nxt) for score, nxt in departures]
                if scores:
                    backward[edge] = max(scores)
        ends = [edge for edge in self.edges_to[self.size] if edge in forward]
        if not ends:
            return None
        last = max(ends, key=lambda edge: forward[edge][0] + backward[edge])
        total = forward[last][0] + backward[last]
        path: list[Edge] = []
        cursor: Edge | None = last
        while cursor is not None:
            path.append(cursor)
            cursor = forward[cursor][1]
        path.reverse()
        through = {edge: forward[edge][0] + backward[edge] for edge in forward if edge in backward}
        return total, path, through

    def solve_consistently(self) -> tuple[float, list[Edge], dict[Edge, float]] | None:
        """Solve, then again where the first reading shows what the rest of the line wants:
        kana or hangul penalised where the text has none, and recovered quotes or brackets
        favoured where they balance the line as that reading leaves it, recovered characters
        where they complete a dictionary word between its neighbours."""
        solved = self.solve()
        if solved is None:
            return None
        known = {script_of(edge.char) for edge in solved[1] if not edge.wildcards}
        recovered = {
            script_of(edge.char) for edges in self.edges_from for edge in edges if edge.wildcards
        }
        foreign = frozenset(recovered - known - {"han", "other"})
        reading = [edge.char for edge in solved[1]]
        balancing = _unbalanced(self.around[0] + "".join(reading) + self.around[1])
        # Where the first reading recovered a character, what balances the line is asked
        # without it: a closer that reading guessed must not make the line look balanced.
        balancing_at = {
            edge.start: _unbalanced(
                self.around[0] + "".join(reading[:index] + reading[index + 1 :]) + self.around[1]
            )
            for index, edge in enumerate(solved[1])
            if edge.wildcards and edge.char in _BRACKETS
        }
        decoded = "".join(
            edge.char for edge in solved[1] if not edge.literal and not edge.wildcards
        )
        language = written_in(decoded)
        word_bonuses = _word_bonuses(self, solved[1])
        wanted = balancing or any(balancing_at.values())
        if not foreign and not wanted and language is None and not word_bonuses:
            return solved
        self.word_bonuses = word_bonuses
        self.foreign = foreign
        self.balancing = balancing
        self.balancing_at = balancing_at
        self.language = language
        return self.solve()

    def margin(self, edge: Edge, total: float, through: dict[Edge, float]) -> float:
        """How much better the best path is than the best path that avoids *edge*.

        Paths through another spelling of the same character in the same script (說 and
        説) are not rivals: either way the character is known, and the better-scored
        spelling stands."""
        rivals = [
            score
            for start in range(max(0, edge.start - 3), edge.end)
            for other in self.edges_from[start]
            if other is not edge
            and other.end > edge.start
            and not same_character(edge.char, other.char)
            and (score := through.get(other)) is not None
        ]
        return total - max(rivals) if rivals else math.inf


def _word_bonuses(lattice: _Lattice, path: list[Edge]) -> dict[Edge, float]:
    """WORD_BONUS for each recovered character that, between its neighbours in the first
    reading *path*, completes a run of three characters found inside dictionary words."""
    starts = {edge.start: index for index, edge in enumerate(path)}
    ends = {edge.end: index + 1 for index, edge in enumerate(path)}
    # The first reading with two characters of the line on each side (one per edge).
    before, after_text = lattice.around[0][-2:], lattice.around[1][:2]
    reading = before + "".join(edge.char for edge in path) + after_text
    shift = len(before)
    trigrams = lm.word_trigrams()
    bonuses: dict[Edge, float] = {}
    for edges in lattice.edges_from:
        for edge in edges:
            first, after = starts.get(edge.start), ends.get(edge.end)
            if not edge.wildcards or edge.char == REPLACEMENT or first is None or after is None:
                continue
            left = reading[max(0, shift + first - 2) : shift + first]
            right = reading[shift + after : shift + after + 2]
            if not lm.is_cjk(edge.char):
                continue  # the runs hold CJK characters only
            window = left + edge.char + right
            if any(
                all(map(lm.is_cjk, run)) and run in trigrams
                for begin in range(max(0, len(left) - 2), len(left) + 1)
                if len(run := window[begin : begin + 3]) == 3
            ):
                bonuses[edge] = WORD_BONUS
    return bonuses


def _leaders(scored: list[tuple[float, Edge]]) -> tuple[list[tuple[float, Edge]], bool]:
    """The best readings that end (or start) at one byte: at most MAX_STATES, within PRUNE_DELTA."""
    if not scored:
        return scored, False
    scored.sort(key=lambda item: -item[0])
    top = scored[0][0]
    kept = [(score, edge) for score, edge in scored[:MAX_STATES] if score >= top - PRUNE_DELTA]
    return kept, len(kept) == MAX_STATES < len(scored)


class _Repair(NamedTuple):
    start: int
    end: int
    text: str
    gain: float
    path_gain: float
    recovered: int
    lost: int
    worst_margin: float


def _repair_segment(line: str, segment: Segment, codec: str) -> _Repair | None:
    wildcards = segment.tokens.count(None) + len(segment.question_slots)
    if not wildcards or wildcards > max(3, MAX_DENSITY * len(segment.tokens)):
        return None
    end_index = segment.start + len(segment.chars)
    left = line[segment.start - 1] if segment.start > 0 else None
    right = line[end_index] if end_index < len(line) else None
    followers: set[int] = set()
    if right is not None and right not in "\r\n":
        for encoded in (_encode(right, codec), right.encode("utf-8")):
            if encoded:
                followers.add(encoded[0])
    best_total: float | None = None  # the best path over all readings, pruned or not
    for limit in (MAX_COMBINATIONS, FALLBACK_COMBINATIONS):
        lattice = _Lattice(segment, codec, left, right, frozenset(followers), limit)
        lattice.around = (line[: segment.start], line[end_index:])
        solved = lattice.solve_consistently()
        if solved is not None and best_total is None:
            best_total = solved[0]
        if solved is not None and not lattice.pruned:
            break
    else:
        return None  # rivals were dropped: no margin can be trusted
    total, path, through = solved
    assert best_total is not None
    pieces: list[str] = []
    recovered = lost = decoded = 0
    worst = math.inf
    for index, edge in enumerate(path):
        if edge.literal or not edge.wildcards:
            pieces.append(edge.char)
            decoded += not edge.literal and not edge.char.isascii()
            continue
        if edge.char == REPLACEMENT:
            pieces.append(REPLACEMENT)
            lost += 1
            continue
        needed = MIN_MARGIN
        before = pieces[-1] if pieces else left
        after = path[index + 1].char if index + 1 < len(path) else right
        if not (_is_context(before) or _is_context(after) or _is_number(before)):
            needed += ISOLATED_MARGIN
        margin = lattice.margin(edge, total, through)
        if margin >= needed:
            pieces.append(edge.char)
            recovered += edge.wildcards
            worst = min(worst, margin)
        else:
            pieces.append(REPLACEMENT)
            lost += 1
    repaired = "".join(pieces)
    if not (recovered or decoded):
        # Only lost characters: each is the debris of one character (a mojibake character
        # and its mark) merged into one U+FFFD, and nothing else may change.
        merged_only = all(edge.literal or edge.wildcards for edge in path)
        if not (lost and merged_only):
            return None
    # A ``?`` standing for lost bytes is scored as what it stands for, like U+FFFD.
    damaged = "".join(
        REPLACEMENT if segment.char_bytes[index] in segment.question_slots else char
        for index, char in enumerate(segment.chars)
    )
    gain = _gain(left, right, damaged, repaired)
    if gain < MIN_GAIN:
        return None
    model = lm.get_model()
    if model.mean_score(repaired.replace(REPLACEMENT, "")) < lm.thresholds()["clean_min"]:
        return None
    # How well this decoder explains the bytes: its best reading among all of them, also
    # where the margins had to come from the second search.
    path_gain = best_total - _context_score(left, right, segment.chars)
    return _Repair(segment.start, end_index, repaired, gain, path_gain, recovered, lost, worst)


_BRACKETS = frozenset(BRACKET_PAIRS) | frozenset(BRACKET_PAIRS.values())


def _unbalanced(line: str) -> frozenset[str]:
    """Quotes and brackets that would balance *line*: the closer of each opener it holds
    more often than that closer, and the opener of each closer it holds more often."""
    wanted = set()
    for closer, opener in BRACKET_PAIRS.items():
        opened, closed = line.count(opener), line.count(closer)
        if opened > closed:
            wanted.add(closer)
        elif closed > opened:
            wanted.add(opener)
    return frozenset(wanted)


def _is_number(char: str | None) -> bool:
    """Is *char* a digit, which the model knows the next character of (年, 月, 个...)?"""
    return char is not None and char.isascii() and char.isdigit()


def _is_context(char: str | None) -> bool:
    """Does *char* tell the model something about its neighbour (a CJK character)?"""
    return char is not None and char != REPLACEMENT and lm.is_cjk(char)


def _context_score(left: str | None, right: str | None, text: str) -> float:
    """Model score of *text* after its left neighbour, up to its right one (a line end if none)."""
    model = lm.get_model()
    before = model.llr(None, left) if left is not None else 0.0
    return model.score((left or "") + text + (right or "\n")) - before


def _gain(left: str | None, right: str | None, before: str, after: str) -> float:
    return _context_score(left, right, after) - _context_score(left, right, before)


def _trim(start: int, before: str, after: str) -> tuple[int, int, str]:
    """The smallest span of *before* (at *start*) that must change to give *after*."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(before), len(after)) - head
        and before[len(before) - 1 - tail] == after[len(after) - 1 - tail]
    ):
        tail += 1
    return start + head, start + len(before) - tail, after[head : len(after) - tail]


def _search_line(line: str) -> list[Proposal]:
    """Repairs of one line, all read with the one wrong decoder that explains the line best.

    The decoder whose best reading gains most wins; decoders within CODEC_TIE of it
    explain the bytes as well (cp932 and Shift-JIS differ in a few rows), and among those
    the one whose output gains most, i.e. recovers most with a clear margin, wins."""
    readings: list[tuple[float, float, list[Proposal]]] = []
    for codec in LOSSY_DECODERS:
        path_gain = gain = 0.0
        proposals: list[Proposal] = []
        for segment in _segments(line, codec):
            repair = _repair_segment(line, segment, codec)
            if repair is None:
                continue
            start, end, after = _trim(repair.start, segment.chars, repair.text)
            message = (
                f"lossy decode: UTF-8 read as {_label(codec)} with replacement characters; "
                f"{repair.recovered} lost byte(s) recovered"
                + (f", {repair.lost} character(s) still lost" if repair.lost else "")
            )
            confidence = (
                1.0
                if repair.worst_margin == math.inf
                else min(1.0, repair.worst_margin / (3 * MIN_MARGIN))
            )
            path_gain += repair.path_gain
            gain += repair.gain
            proposals.append(Proposal(start, end, after, message, confidence))
        if proposals:
            readings.append((path_gain, gain, proposals))
    if not readings:
        return []
    best = max(path_gain for path_gain, _, _ in readings)
    tied = [reading for reading in readings if reading[0] >= best - CODEC_TIE]
    return max(tied, key=lambda reading: (reading[1], reading[0]))[2]


_line_proposals = LineMemo(_search_line)


def _has_marks(text: str) -> bool:
    return REPLACEMENT in text or (QUESTION in text and not text.isascii())


def _worth_searching(line: str) -> bool:
    """Does *line* hold a mark that can stand for lost bytes?

    Wrongly decoded UTF-8 leaves rare characters; without any, a mark is ordinary
    punctuation and the language model is not needed (nor loaded), unless it
    follows a character whose bytes open a three-byte UTF-8 character (what is
    left once another repair has read the rest of the line).  A ``?`` counts only
    where it interrupts a UTF-8 character in some decoder's bytes.
    """
    if not _has_marks(line):
        return False
    if not is_suspicious(line):
        # Another repair may already have read the rest of the line, leaving one common
        # character whose bytes are the first two of a three-byte UTF-8 character.
        return any(
            _cuts_three_byte_char(line, match.start(), codec)
            for match in MARK_AFTER_NON_ASCII.finditer(line)
            for codec in LOSSY_DECODERS
        )
    if REPLACEMENT in line:
        return True
    return any(
        _question_is_wildcard(line, match.start(), codec)
        for match in _QUESTION_BESIDE_NON_ASCII.finditer(line)
        for codec in LOSSY_DECODERS
    )


def _cuts_three_byte_char(line: str, index: int, codec: str) -> bool:
    """Does the character before the mark at *index* encode in *codec* as the lead and first
    continuation byte of a three-byte UTF-8 character (all CJK text in UTF-8)?"""
    encoded = _encode(line[index - 1], codec) if index > 0 else None
    return (
        encoded is not None
        and len(encoded) == 2
        and 0xE0 <= encoded[0] <= 0xEF
        and encoded[1] in _CONTINUATION
    )


def might_apply(text: str) -> bool:
    """Does a line hold a replacement mark among rare characters?"""
    return _has_marks(text) and any(
        _worth_searching(line) for _, line in lines_matching(text, _MARK_SITE)
    )


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Recover the bytes behind replacement marks in lines of wrongly decoded UTF-8."""
    if not _has_marks(text):
        return []
    proposals: list[Proposal] = []
    for offset, line in lines_matching(text, _MARK_SITE):
        if _worth_searching(line):
            found = _line_proposals(line, 0)
            if found and not _misaligned_explains_better(line, found):
                proposals.extend(
                    p._replace(start=p.start + offset, end=p.end + offset) for p in found
                )
    return proposals


def _misaligned_explains_better(line: str, proposals: list[Proposal]) -> bool:
    """Is *line* more plausible repaired as a legacy byte stream with orphan bytes?

    Both classes read a mark as lost bytes: this one as bytes of UTF-8 read with
    a legacy codec, the misaligned class as bytes of a legacy stream damaged
    across character boundaries.  The line goes to the reading the model prefers
    (the misaligned class runs next and repairs it).  Only a weak lossy reading,
    one that gains less than ARBITRATION_GAIN per mark, is put to the question (the
    misaligned search is the costliest in fixer), or any reading of a line where a mark
    swallowed the '(' of an injected annotation (``?chē)``): no lossy decode leaves that.
    """
    model = lm.get_model()
    ours = model.score(apply_proposals(line, proposals))
    marks = sum(line.count(mark) for mark in (REPLACEMENT, QUESTION))
    # Only what the reading makes of the marks counts as its strength: debris elsewhere
    # in the line reads as something under any decoder (茪 in Big5 text is UTF-8 ƚ).
    at_marks = [
        proposal
        for proposal in proposals
        if REPLACEMENT in line[proposal.start : proposal.end]
        or QUESTION in line[proposal.start : proposal.end]
    ]
    strength = (
        ours if len(at_marks) == len(proposals) else model.score(apply_proposals(line, at_marks))
    ) - model.score(line)
    if strength >= ARBITRATION_GAIN * max(1, marks) and not misaligned.shows_swallowed_annotation(
        line
    ):
        # A reading this strong is not the weak one arbitration is for, unless the line
        # shows the misaligned class's own signature.
        return False
    theirs = misaligned.repaired_line(line)
    return theirs is not None and model.score(theirs) > ours


LOSSY = DamageClass(
    "lossy",
    "UTF-8 decoded with a legacy CJK codec that replaced unreadable bytes; lost bytes recovered",
    propose,
    might_apply,
)
