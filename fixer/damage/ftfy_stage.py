"""What ftfy already knows, configured so it never damages CJK text.

ftfy's defaults fold full-width punctuation (``，`` → ``,``), uncurl ``“”``,
unescape HTML, normalise to NFC (which rewrites CJK compatibility ideographs)
and change line breaks.  fixer keeps only ftfy's encoding repairs, which never
touch clean text.
"""

from __future__ import annotations

import re

import ftfy

from fixer.chardata import CJK_CLASS
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal
from fixer.explain import diff_edits

#: ftfy restricted to its encoding repairs.
CJK_SAFE_FTFY = ftfy.TextFixerConfig(
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


#: Text made only of ASCII, CJK characters, CJK and full-width punctuation and the
#: typographic quotes and dashes CJK text uses holds nothing ftfy's encoding repairs
#: work on (they need Latin, Greek, Cyrillic, symbols, U+FFFD or surrogates).
NOTHING_FOR_FTFY = re.compile(
    f"[\\x00-\\x7f{CJK_CLASS}\u3000-\u303f\uff01-\uffee\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]*"
)


def needs_ftfy(text: str) -> bool:
    """Could ftfy change *text*?  Only if it holds the characters its repairs work on."""
    return not text.isascii() and NOTHING_FOR_FTFY.fullmatch(text) is None


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Run ftfy's encoding repairs on the lines that need them and report each changed span."""
    if not needs_ftfy(text):
        return []
    proposals: list[Proposal] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if needs_ftfy(line):
            fixed = ftfy.fix_text(line, CJK_SAFE_FTFY)
            if fixed != line:
                proposals.extend(
                    Proposal(
                        offset + e.start, offset + e.end, e.after, "mojibake: repaired by ftfy", 0.9
                    )
                    for e in diff_edits(line, fixed, "ftfy")
                )
        offset += len(line)
    return proposals


FTFY = DamageClass(
    "ftfy", "UTF-8 decoded as a Western codec, and ftfy's other encoding fixes", propose
)
