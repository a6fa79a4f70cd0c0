"""Punctuation width: ASCII punctuation standing where Chinese text has full-width marks.

Byte-level converters that map GBK ``A3 xx`` pairs to ASCII leave ``1月4日,東北``
and ``來源:人民網``.  With ``punct="cjk"`` fixer restores the full-width mark when
it stands between CJK characters; ``18:20`` and ASCII prose keep ASCII.
"""

from __future__ import annotations

import re

from fixer.chardata import CJK_PUNCTUATION, HALFWIDTH_TO_FULLWIDTH, HAN_CLASS, KANA_CLASS
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal

_CJK = HAN_CLASS + KANA_CLASS
_OPENERS = "“‘《「『【（〈"

#: A separator mark with CJK (or a closing mark) on its left and CJK, an opening mark,
#: a digit or the end of the line on its right.
_SEPARATOR = re.compile(
    f"(?<=[{_CJK}{re.escape(CJK_PUNCTUATION)}])([,:;!?])(?=[{_CJK}{_OPENERS}0-9]|\\r?\\n|$)"
)
#: ASCII parentheses around a short phrase that holds Han and no ASCII letters.
_PARENTHESES = re.compile(f"\\(([^()\\n]{{0,60}}[{HAN_CLASS}][^()\\n]{{0,60}})\\)")
_ASCII_LETTER = re.compile("[A-Za-z]")


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Propose full-width forms for ASCII punctuation inside CJK text."""
    proposals: list[Proposal] = []
    for match in _PARENTHESES.finditer(text):
        if _ASCII_LETTER.search(match.group(1)):
            continue
        for position in (match.start(), match.end() - 1):
            mark = text[position]
            proposals.append(
                Proposal(
                    position,
                    position + 1,
                    HALFWIDTH_TO_FULLWIDTH[mark],
                    f"half-width {mark} in CJK text",
                    0.8,
                )
            )
    for match in _SEPARATOR.finditer(text):
        mark = match.group(1)
        proposals.append(
            Proposal(
                match.start(),
                match.end(),
                HALFWIDTH_TO_FULLWIDTH[mark],
                f"half-width {mark} in CJK text",
                0.8,
            )
        )
    return sorted(proposals)


PUNCT = DamageClass(
    "punct-width",
    "ASCII punctuation inside CJK text (restored only with punct='cjk')",
    propose,
    lambda text: not text.isascii(),
    lambda config: config.punct == "cjk",
)
