"""The registry of damage classes, in the order a repair applies them.

Adding a class means writing one module with a ``DamageClass`` (its ``propose`` and the
cheap ``might_apply`` gate the fast path asks; ``tests/test_fastpath.py`` checks that the
gate never says no where ``propose`` finds something) and adding it here.
"""

from __future__ import annotations

from fixer.damage.base import DamageClass, Proposal
from fixer.damage.ftfy_stage import FTFY
from fixer.damage.lossy import LOSSY
from fixer.damage.lost import LOST_DATA
from fixer.damage.misaligned import MISALIGNED
from fixer.damage.mojibake import MOJIBAKE
from fixer.damage.pinyin import PINYIN
from fixer.damage.punct import PUNCT
from fixer.damage.script_variant import SCRIPT

#: Damage classes in repair order.  Encoding damage comes first (it changes which
#: characters are there): the CJK codecs before ftfy, whose partial UTF-8 decodes
#: would otherwise break legacy CJK read as Latin-1; then debris inside the text,
#: then optional normalisation.
DAMAGE_CLASSES: tuple[DamageClass, ...] = (
    MOJIBAKE,
    FTFY,
    LOSSY,
    MISALIGNED,
    PINYIN,
    LOST_DATA,
    PUNCT,
    SCRIPT,
)

#: Classes whose repairs can expose more of the same damage (layered mojibake).
REPEATED = {"mojibake": 3, "ftfy": 1, "lossy": 1, "misaligned": 2}

BY_NAME = {damage.name: damage for damage in DAMAGE_CLASSES}

__all__ = ["BY_NAME", "DAMAGE_CLASSES", "REPEATED", "DamageClass", "Proposal"]
