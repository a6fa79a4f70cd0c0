"""Misaligned double-byte damage: byte edits that ignored character boundaries.

A converter working on GBK (or Big5) bytes rewrote full-width ASCII pairs
(``A3 xx``) to half-width bytes and inserted ``(pinyin)`` after the codes of
certain characters, and both edits also matched byte pairs straddling two
characters.  The stream then decoded with an orphan lead byte (shown as ``?``
or U+FFFD, sometimes swallowing the next ASCII byte) and every following pair
shifted by one byte until it happened to resync.

Repair works in the byte domain: the span from the orphan to the end of the
line is mapped back to bytes, the lost byte is searched, the half-width
substitution and the pinyin insertion are undone where the bytes say so, the
candidate is re-decoded, and the language model picks the candidate.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import NamedTuple

from fixer import lm
from fixer.chardata import DOUBLE_BYTE_LEADS, FULLWIDTH_LEAD, PINYIN_LETTERS
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal
from fixer.damage.pinyin import is_syllable

#: Replacement marks a decoder leaves for an orphan lead byte.
ORPHAN_MARKS = "?\ufffd"
#: How far past the orphan a window reaches (characters); resync happens well before.
WINDOW = 48
#: Marks closer than this are repaired together.
CLUSTER_GAP = 3
#: Log-likelihood gain a repair must bring, and its lead over the runner-up.
MIN_GAIN = 8.0
MIN_MARGIN = 1.5
#: Bonus for a candidate that closes a quote or bracket left open on the line.
BALANCE_BONUS = 6.0
#: Partial repairs kept while searching clustered orphan marks.
BEAM = 12

_ORPHAN_SITE = re.compile(f"(?<=[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e“”‘’])[{ORPHAN_MARKS}]")
#: What a swallowed byte can be recognised as from what follows it.
_SWALLOWED = (
    ("(", re.compile(f"[{PINYIN_LETTERS}]{{1,6}}\\)")),
    ("<", re.compile(r"/?[A-Za-z][A-Za-z0-9]*[ />]")),
)
_PAIRS = {"”": "“", "’": "‘", "）": "（", "」": "「", "』": "『", "》": "《", "】": "【"}


class Candidate(NamedTuple):
    """One way the damaged window could have been: the text it decodes to and how."""

    text: str
    how: str


def _encode(text: str, codec: str) -> bytes | None:
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        return None


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _pinyin_prefix(text: str) -> int:
    """Length of an injected ``syllable)`` or ``(syllable)`` at the start of *text* (0 if none)."""
    match = re.match(f"\\(?([{PINYIN_LETTERS}]{{1,6}})\\)", text)
    if match and is_syllable(match.group(1)):
        return match.end()
    return 0


def _variants(after: str, codec: str) -> Iterator[tuple[bytes, str, str]]:
    """Ways the bytes right after an orphan byte can be restored: (prefix bytes, consumed text, how)."""
    yield b"", "", "orphan byte"
    skip = _pinyin_prefix(after)
    if skip:
        yield b"", after[:skip], "orphan byte and injected pinyin"
    for byte, follows in _SWALLOWED:
        if byte == "<" and follows.match(after):
            yield byte.encode(), "", "orphan byte that swallowed '<'"
    lead = FULLWIDTH_LEAD.get(codec)
    if lead is not None and after[:1].isascii() and "!" <= after[:1] <= "~":
        yield bytes([lead, ord(after[0]) + 0x80]), after[0], "orphan byte and half-width rewrite"


def _decode_prefix(data: bytes, codec: str) -> str | None:
    """Decode *data*, allowing it to stop in the middle of a character."""
    try:
        return codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except UnicodeDecodeError:
        return None


def candidates(line_before: str, window: str, codec: str) -> list[Candidate]:
    """Decodable repairs of *window* (which starts with an orphan mark), best first.

    Orphan marks within CLUSTER_GAP characters of each other are searched
    together with a beam over the lost bytes, scored as they decode.
    """
    leads = DOUBLE_BYTE_LEADS[codec]
    scorer = WindowScorer(line_before, window)
    beam: list[tuple[bytes, int, str]] = [(b"", 0, "")]
    finished: list[tuple[float, Candidate]] = []
    while beam:
        grown: list[tuple[float, bytes, int, str]] = []
        for data, position, how in beam:
            after = window[position + 1 :]
            for prefix, consumed, variant in _variants(after, codec):
                resume = position + 1 + len(consumed)
                for lead in leads:
                    grown.append((0.0, data + bytes([lead]) + prefix, resume, _join(how, variant, lead)))
        beam = []
        scored: list[tuple[float, bytes, int, str]] = []
        for _, data, resume, how in grown:
            following = _next_mark(window, resume)
            middle = _encode(window[resume:following], codec)
            if middle is None:
                continue
            if following < len(window):
                text = _decode_prefix(data + middle, codec)
                if text is not None:
                    scored.append((_score(line_before, text), data + middle, following, how))
                continue
            text = _decode(data + middle, codec)
            if text is not None:
                finished.append((scorer(text), Candidate(text, how)))
        scored.sort(key=lambda item: -item[0])
        beam = [(data, resume, how) for _, data, resume, how in scored[:BEAM]]
    finished.sort(key=lambda item: -item[0])
    return [candidate for _, candidate in finished]


class WindowScorer:
    """Scores candidates for one window, reusing the score of the tail they share with it.

    A candidate re-decodes the same bytes as the window, so after the stream
    resyncs it is the window's own text; only the part before that is scored afresh.
    """

    def __init__(self, line_before: str, window: str) -> None:
        self.line_before = line_before
        self.window = window
        model = lm.get_model()
        # tail[k]: log-probability of window[k:] given window[k - 1].
        self.tail = [0.0] * (len(window) + 1)
        for index in range(len(window) - 1, 0, -1):
            self.tail[index] = self.tail[index + 1] + model.logp(window[index - 1], window[index])

    def __call__(self, text: str) -> float:
        shared = min(_common_suffix(self.window, text), len(self.window) - 1)
        if shared <= 0:
            return _log_probability(self.line_before, text) + _structure(self.line_before, text)
        head = text[: len(text) - shared]
        tail_start = len(self.window) - shared
        score = _log_probability(self.line_before, head + self.window[tail_start : tail_start + 1])
        return score + self.tail[tail_start + 1] + _structure(self.line_before, text)


def _next_mark(window: str, start: int) -> int:
    """Index of the next orphan mark close enough to repair together, else len(window)."""
    for index in range(start, min(len(window), start + CLUSTER_GAP + 1)):
        if window[index] in ORPHAN_MARKS:
            return index
    return len(window)


def _join(how: str, variant: str, lead: int) -> str:
    step = f"{variant}, lost byte {lead:02X}"
    return f"{how}; {step}" if how else step


def _balance(line_before: str, text: str) -> float:
    """Reward closing a quote or bracket that is open on the line before the window."""
    bonus = 0.0
    for closer, opener in _PAIRS.items():
        if line_before.count(opener) > line_before.count(closer) and closer in text[:4]:
            bonus += BALANCE_BONUS
    return bonus


#: Tag tails (``/p>``) with no ``<``: malformed markup a lost byte leaves behind.
_ORPHAN_TAG = re.compile(r"(?<![<A-Za-z0-9/])/?[A-Za-z][A-Za-z0-9]*>")
ORPHAN_TAG_PENALTY = 12.0


def _log_probability(line_before: str, text: str) -> float:
    """Log-probability of *text* after the line so far.

    Candidates explain the same bytes, so they are ranked by plain
    log-probability (not by likelihood ratio, which would favour candidates
    with more Han characters).
    """
    model = lm.get_model()
    previous = line_before[-1:] or None
    total = 0.0
    for char in text:
        total += model.logp(previous, char)
        previous = char
    return total


def _structure(line_before: str, text: str) -> float:
    """Quote balance and markup well-formedness, which a character bigram cannot see."""
    return _balance(line_before, text) - ORPHAN_TAG_PENALTY * len(_ORPHAN_TAG.findall(text))


def _score(line_before: str, text: str) -> float:
    return _log_probability(line_before, text) + _structure(line_before, text)


def _damage_evident(window: str) -> bool:
    """Is there damage after the orphan mark (shifted garbage, pinyin debris, orphan tag)?"""
    rest = window[1:]
    if _pinyin_prefix(rest) or any(f.match(rest) for b, f in _SWALLOWED if b == "<"):
        return True
    if rest[:1] in "!\"#$%&'*+,-./:;=@[\\]^_`{|}~" and rest[:1] != "":
        return True
    garbage = rest[:8]
    model = lm.get_model()
    return bool(garbage) and model.mean_score(garbage) < lm.thresholds()["clean_min"]


def repair_window(line_before: str, window: str) -> tuple[str, str, float] | None:
    """Best repair of *window* (starting at an orphan mark): (text, how, confidence), or None."""
    if not _damage_evident(window):
        return None
    scorer = WindowScorer(line_before, window)
    original = _score(line_before, window)
    ranked: list[tuple[float, Candidate]] = []
    for codec in DOUBLE_BYTE_LEADS:
        for candidate in candidates(line_before, window, codec)[:BEAM]:
            ranked.append((scorer(candidate.text), candidate))
    if not ranked:
        return None
    ranked.sort(key=lambda item: -item[0])
    best_score, best = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else original
    if best_score - original < MIN_GAIN or best_score - runner_up < MIN_MARGIN:
        return None
    confidence = min(1.0, (best_score - runner_up) / (4 * MIN_MARGIN))
    return best.text, best.how, confidence


def _common_suffix(a: str, b: str) -> int:
    count = 0
    while count < min(len(a), len(b)) and a[-1 - count] == b[-1 - count]:
        count += 1
    return count


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Propose byte-domain repairs for every orphan mark with damage after it."""
    if "?" not in text and "\ufffd" not in text:
        return []
    proposals: list[Proposal] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        proposals.extend(_line_proposals(line, offset))
        offset += len(line)
    return proposals


def _line_proposals(line: str, offset: int) -> list[Proposal]:
    proposals: list[Proposal] = []
    position = 0
    while True:
        match = _ORPHAN_SITE.search(line, position)
        if match is None:
            return proposals
        start = match.start()
        end = min(len(line.rstrip("\r\n")), start + WINDOW)
        window = line[start:end]
        repaired = repair_window(line[:start], window)
        if repaired is None:
            position = start + 1
            continue
        new_text, how, confidence = repaired
        same = _common_suffix(window, new_text)
        old_end = end - same
        new_text = new_text[: len(new_text) - same]
        proposals.append(
            Proposal(offset + start, offset + old_end, new_text, f"misaligned double-byte edit: {how}", confidence)
        )
        position = max(old_end, start + 1)


MISALIGNED = DamageClass(
    "misaligned", "byte edits across double-byte character boundaries (orphan bytes)", propose
)
