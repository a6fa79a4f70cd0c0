"""Lost data: bytes destroyed before the text reached us (``锟斤拷``, ``烫烫烫``, U+FFFD).

Nothing can bring these back, so this class only reports them; it never
rewrites them into other characters.
"""

from __future__ import annotations

from fixer.chardata import LOST_DATA_PATTERN
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


def might_apply(text: str) -> bool:
    """Does *text* hold a lost-data marker?"""
    return any(marker in text for marker in _MARKERS)


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Report every run of lost-data markers."""
    if not might_apply(text):
        return []
    return [
        Proposal(
            match.start(),
            match.end(),
            None,
            f"lost data ({len(match.group())} chars): {_MEANINGS[match.group()[0]]}",
            1.0,
        )
        for match in LOST_DATA_PATTERN.finditer(text)
    ]


LOST_DATA = DamageClass(
    "lost-data", "data destroyed before the text arrived; reported only", propose, might_apply
)
