"""What ftfy already knows, configured so it never damages CJK text.

ftfy's defaults fold full-width punctuation (``，`` → ``,``), uncurl ``“”``,
unescape HTML, normalise to NFC (which rewrites CJK compatibility ideographs)
and change line breaks.  fixer keeps only ftfy's encoding repairs, which never
touch clean text.
"""

from __future__ import annotations

import ftfy

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


def needs_ftfy(text: str) -> bool:
    """ftfy can only change text that is not pure ASCII (or holds surrogates/C1 controls)."""
    return not text.isascii()


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Run ftfy's encoding repairs and report each changed span."""
    if not needs_ftfy(text):
        return []
    fixed = ftfy.fix_text(text, CJK_SAFE_FTFY)
    if fixed == text:
        return []
    return [
        Proposal(edit.start, edit.end, edit.after, "mojibake: repaired by ftfy", 0.9)
        for edit in diff_edits(text, fixed, "ftfy")
    ]


FTFY = DamageClass(
    "ftfy", "UTF-8 decoded as a Western codec, and ftfy's other encoding fixes", propose
)
