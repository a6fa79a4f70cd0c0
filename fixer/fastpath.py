"""The single pass that decides "nothing to do" for most files, without loading anything heavy.

Most files in a tree are clean: ASCII, or UTF-8 whose characters are
common CJK characters, CJK punctuation and ASCII with at most a rare
character here and there.  Every damage class needs more: mojibake and lossy
decodes leave clusters of rare characters or Latin-1 letters, injected
pinyin has tone marks inside parentheses, lost data is U+FFFD or a marker
run, a byte rewrite leaves an orphan mark.  Text with none of these is left
alone without importing ftfy, the language model or OpenCC.
"""

from __future__ import annotations

import re
from functools import cache

from fixer import lm
from fixer.chardata import LOST_DATA_PATTERN, PINYIN_TONE_MARKS
from fixer.config import FixerConfig

#: An orphan mark directly followed by ASCII: the shape a half-width byte rewrite leaves.
MARK_GLUED_TO_ASCII = re.compile(r"[?\ufffd][!-~]")
#: A UTF-8 lead byte read as Latin-1 followed by a continuation byte read as Latin-1 or
#: Windows-1252: the signature of UTF-8 decoded with a Western codec.
UTF8_AS_WESTERN = re.compile(
    "[\xc2-\xf4][\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6"
    "\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
#: A tone-marked pinyin letter (injected annotations always carry one).
PINYIN_TONE_MARK = re.compile(f"[{PINYIN_TONE_MARKS}]")


@cache
def _suspicious_pattern() -> re.Pattern[str]:
    """Characters that never occur in clean text often enough to be left unexamined."""
    common = re.escape("".join(sorted(lm.common_chars())))
    return re.compile(f"[^\\x00-\\x7f{common}\u3000-\u303f\uff01-\uff5e“”‘’…—·]")


def is_suspicious(text: str) -> bool:
    """Does *text* contain any character worth a closer look?"""
    if text.isascii():
        return False
    return _suspicious_pattern().search(text) is not None


def suspicious_cluster(text: str, reach: int = 3) -> bool:
    """Are two suspicious characters within *reach* of each other somewhere in *text*?

    Mojibake makes nearly every character rare; clean text has rare characters
    (names, variants) one at a time.
    """
    if text.isascii():
        return False
    if UTF8_AS_WESTERN.search(text):
        return True
    previous = -reach - 1
    for match in _suspicious_pattern().finditer(text):
        if match.start() - previous <= reach:
            return True
        previous = match.start()
    return False


def nothing_to_repair(text: str, config: FixerConfig) -> bool:
    """True when no damage class could find anything in *text* under *config*."""
    if text.isascii():
        return True
    if config.to != "keep" or config.punct != "keep":
        return False
    if "\ufffd" in text or suspicious_cluster(text):
        return False
    if not is_suspicious(text):
        return not (MARK_GLUED_TO_ASCII.search(text) or LOST_DATA_PATTERN.search(text))
    # Isolated rare CJK characters (names, variants) are not damage by themselves; they
    # matter only beside an orphan mark or a pinyin annotation.  Anything else unusual
    # (Latin-1 letters, C1 controls, symbols) is ftfy's material: look closer.
    if any(not lm.is_cjk(char) for char in _suspicious_pattern().findall(text)):
        return False
    return not (
        "?" in text
        or ("(" in text and PINYIN_TONE_MARK.search(text))
        or LOST_DATA_PATTERN.search(text)
    )
