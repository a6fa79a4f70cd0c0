"""What ftfy already knows, configured so it never damages CJK text.

ftfy's defaults fold full-width punctuation (``，`` → ``,``), uncurl ``“”``,
unescape HTML, normalise to NFC (which rewrites CJK compatibility ideographs)
and change line breaks.  fixer keeps only ftfy's encoding repairs, which never
touch clean text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from fixer.chardata import C1_DEBRIS_PATTERN, CJK_CLASS
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal
from fixer.explain import diff_edits
from fixer.fastpath import lines_at

if TYPE_CHECKING:
    import ftfy


@cache
def cjk_safe_ftfy() -> ftfy.TextFixerConfig:
    """ftfy restricted to its encoding repairs (ftfy is imported on first use)."""
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=True,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )


#: ASCII, CJK characters, CJK and full-width punctuation and the typographic quotes and
#: dashes CJK text uses: nothing ftfy's encoding repairs work on (they need Latin, Greek,
#: Cyrillic, symbols, U+FFFD or surrogates).
_NOT_FTFY_MATERIAL = (
    f"\\x00-\\x7f{CJK_CLASS}\u3000-\u303f\uff01-\uffee\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
)
#: One character of what ftfy's repairs work on.
_FTFY_MATERIAL = re.compile(f"[^{_NOT_FTFY_MATERIAL}]")
#: The longest match of ftfy's badness patterns (``[a-z]\\s?[ÃÂ][ ]``).
BADNESS_REACH = 4
#: What ftfy's C1-control and surrogate fixes act on.
_C1_OR_SURROGATE = re.compile("[\x80-\x9f\ud800-\udfff]")


def needs_ftfy(text: str) -> bool:
    """Could ftfy change *text*?  Only if it holds the characters its repairs work on."""
    return not text.isascii() and _FTFY_MATERIAL.search(text) is not None


def _bad_spots(text: str) -> Iterator[int]:
    """Where ftfy's own gates for the repairs fixer keeps would act: its badness test, C1
    controls, surrogates.

    ftfy's badness patterns are at most BADNESS_REACH characters long and every
    one holds a character of its material, so only the text around those
    characters is tested.
    """
    from ftfy.badness import is_bad

    for start, end in _material_windows(text):
        if _C1_OR_SURROGATE.search(text, start, end) or is_bad(text[start:end]):
            yield start


def might_apply(text: str) -> bool:
    """Would ftfy's encoding repairs act on some line of *text*?"""
    return needs_ftfy(text) and next(_bad_spots(text), None) is not None


def _material_windows(text: str) -> Iterator[tuple[int, int]]:
    """Spans around runs of ftfy material, BADNESS_REACH - 1 characters wider each side."""
    margin = BADNESS_REACH - 1
    window: list[int] | None = None
    for match in _FTFY_MATERIAL.finditer(text):
        if window is not None and match.start() - margin <= window[1]:
            window[1] = match.end() + margin
            continue
        if window is not None:
            yield window[0], window[1]
        window = [max(0, match.start() - margin), match.end() + margin]
    if window is not None:
        yield window[0], window[1]


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Run ftfy's encoding repairs on the lines that need them and report each changed span."""
    if not needs_ftfy(text):
        return []
    import ftfy

    proposals: list[Proposal] = []
    for offset, line in lines_at(text, _bad_spots(text)):
        fixed = ftfy.fix_text(line, cjk_safe_ftfy())
        debris = [match.span() for match in C1_DEBRIS_PATTERN.finditer(line)]
        proposals.extend(
            Proposal(offset + e.start, offset + e.end, e.after, "mojibake: repaired by ftfy", 0.9)
            for e in diff_edits(line, fixed, "ftfy")
            if not _maps_debris(e.start, e.end, line, debris)
        )
    return proposals


def _maps_debris(start: int, end: int, line: str, debris: list[tuple[int, int]]) -> bool:
    """Is ``line[start:end]`` only C1 controls of debris in CJK text?  ftfy would map them
    to cp1252 punctuation (``禀‹序``); they are lost bytes, which fixer reports instead."""
    return all("\x80" <= char <= "\x9f" for char in line[start:end]) and any(
        low <= start and end <= high for low, high in debris
    )


FTFY = DamageClass(
    "ftfy",
    "UTF-8 decoded as a Western codec, and ftfy's other encoding fixes",
    propose,
    might_apply,
)
