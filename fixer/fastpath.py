"""The fast path: decide "nothing to do" for most files without loading anything heavy.

Most files in a tree are clean.  Every damage class states, as its
``might_apply`` gate, the cheapest necessary sign of its damage: mojibake a
cluster of rare characters whose bytes re-encode to well-formed UTF-8 or pair
up as legacy double-byte codes, lossy decodes a mark that interrupts a UTF-8
character, misaligned damage an orphan mark beside non-ASCII text, injected
pinyin a pattern of tone-marked annotations, lost data its markers.  Text that
shows none of them is left alone without loading the language model or OpenCC
(ftfy only where the text holds characters ftfy works on).  The shared
primitives live here: rare ("suspicious") characters, their clusters, and the
lines that hold a pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from fixer import lm
from fixer.config import FixerConfig

#: Characters that never occur in clean text often enough to be left unexamined: all
#: but ASCII, common CJK characters and the punctuation CJK text uses.
_SUSPICIOUS_CLASS = "[^\\x00-\\x7f{common}\u3000-\u303f\uff01-\uff5e“”‘’…—·]"
#: Suspicious characters at most this far apart form a cluster.
CLUSTER_REACH = 3


@cache
def suspicious_pattern() -> re.Pattern[str]:
    """One suspicious character (compiled once, on first use)."""
    common = re.escape("".join(sorted(lm.common_chars())))
    return re.compile(_SUSPICIOUS_CLASS.format(common=common))


@cache
def _cluster_pattern() -> re.Pattern[str]:
    char = suspicious_pattern().pattern
    return re.compile(f"{char}(?:[\\s\\S]{{0,{CLUSTER_REACH - 1}}}{char})+")


def is_suspicious(text: str) -> bool:
    """Does *text* contain any character worth a closer look?"""
    if text.isascii():
        return False
    return suspicious_pattern().search(text) is not None


def cluster_windows(text: str, margin: int) -> list[tuple[int, int]]:
    """Spans of *text* around each cluster of suspicious characters, *margin* wider each side."""
    windows: list[tuple[int, int]] = []
    for match in _cluster_pattern().finditer(text):
        start, end = max(0, match.start() - margin), min(len(text), match.end() + margin)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def line_bounds(text: str, index: int) -> tuple[int, int]:
    """Start and end of the line (split on ``\\n``, without it) of *text* around *index*."""
    end = text.find("\n", index)
    return text.rfind("\n", 0, index) + 1, len(text) if end == -1 else end


def lines_matching(text: str, *patterns: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of *text* holding a match of one of *patterns*, once and
    in order; lines split after ``\\n`` and keep it."""
    return lines_at(
        text, (match.start() for pattern in patterns for match in pattern.finditer(text))
    )


def lines_at(text: str, indices: Iterable[int]) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line of *text* holding one of *indices*, once and in order."""
    starts = {text.rfind("\n", 0, index) + 1 for index in indices}
    for start in sorted(starts):
        end = text.find("\n", start)
        yield start, text[start : len(text) if end == -1 else end + 1]


def nothing_to_repair(text: str, config: FixerConfig) -> bool:
    """True when no damage class could find anything in *text* under *config*.

    Every class that runs under *config* answers with its own cheap gate; none
    of them loads the language model, ftfy (unless the text holds characters
    ftfy works on) or OpenCC.
    """
    if text.isascii():
        return True
    from fixer.damage import DAMAGE_CLASSES

    return not any(damage.applies(config) and damage.might_apply(text) for damage in DAMAGE_CLASSES)
