"""Lossy decodes (being written): placeholder with no proposals."""

from __future__ import annotations

from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """No proposals yet."""
    return []


LOSSY = DamageClass("lossy", "lossy decode", propose)
