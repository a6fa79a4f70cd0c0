"""Script variant: Simplified or Traditional text converted to the asked-for script.

Not damage but a choice: it runs only when a target script is given, through
:func:`fixer.script.convert_to`, which converts only what detection says is in
the source script (so a second run changes nothing).
"""

from __future__ import annotations

from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal
from fixer.explain import diff_edits


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Propose the conversion of every span not yet in the target script."""
    if text.isascii():
        return []
    from fixer import script

    converted = script.convert_to(text, config.to)
    if converted == text:
        return []
    return [
        Proposal(edit.start, edit.end, edit.after, f"script: converted to {config.to}", 0.9)
        for edit in diff_edits(text, converted, "script")
    ]


SCRIPT = DamageClass(
    "script",
    "Chinese script variant (converted only with a target script)",
    propose,
    lambda text: not text.isascii(),
    lambda config: config.to != "keep",
)
