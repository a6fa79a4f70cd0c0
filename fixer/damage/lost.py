"""Lost data: bytes destroyed before the text reached us (``锟斤拷``, ``烫烫烫``, U+FFFD,
C1 controls left inside CJK text by a UTF-8 sequence that lost its lead byte).

Nothing can bring these back, so this class only reports them; it never
rewrites them into other characters.
"""

from __future__ import annotations

import re

from fixer.chardata import C1_DEBRIS_PATTERN, LOST_DATA_PATTERN
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal

#: The shortest text each kind of LOST_DATA_PATTERN match holds (found with a fast scan).
_MARKERS = ("\ufffd", "锟斤拷", "烫烫烫", "屯屯屯")

_MEANINGS = {
    "锟": "U+FFFD written as UTF-8 and read as GBK (the original bytes were already lost)",
    "烫": "uninitialised stack memory (0xCC bytes) read as GBK",
    "屯": "uninitialised heap memory (0xCD bytes) read as GBK",
    "\ufffd": "replacement character: a decoder could not read the original bytes",
}
#: What a C1_DEBRIS_PATTERN match means.
_C1_DEBRIS_MEANING = (
    "C1 controls inside CJK text: the tail bytes of a UTF-8 sequence whose lead byte was "
    "destroyed, read as Latin-1"
)
#: A C1 control: the cheap test before C1_DEBRIS_PATTERN.
_C1 = re.compile("[\x80-\x9f]")


def might_apply(text: str) -> bool:
    """Does *text* hold a lost-data marker or a C1 control?"""
    return any(marker in text for marker in _MARKERS) or _C1.search(text) is not None


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Report every run of lost-data markers and of C1 debris in CJK text."""
    has_c1 = _C1.search(text) is not None
    if not has_c1 and not any(marker in text for marker in _MARKERS):
        return []
    proposals = [
        Proposal(
            match.start(),
            match.end(),
            None,
            f"lost data ({len(match.group())} chars): {_MEANINGS[match.group()[0]]}",
            1.0,
        )
        for match in LOST_DATA_PATTERN.finditer(text)
    ]
    if has_c1:
        proposals += [
            Proposal(
                match.start(),
                match.end(),
                None,
                f"lost data ({len(match.group())} chars): {_C1_DEBRIS_MEANING}",
                1.0,
            )
            for match in C1_DEBRIS_PATTERN.finditer(text)
        ]
        proposals.sort()
    return proposals


LOST_DATA = DamageClass(
    "lost-data", "data destroyed before the text arrived; reported only", propose, might_apply
)
