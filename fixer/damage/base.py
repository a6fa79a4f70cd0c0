"""The one interface every damage class implements: find spans, propose repairs."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from fixer.config import FixerConfig


class Proposal(NamedTuple):
    """A span a damage class found, with its repair (``after``) or None when only reported."""

    start: int
    end: int
    after: str | None
    message: str
    confidence: float


class DamageClass(NamedTuple):
    """A kind of damage: its name, what it does, and how it finds and repairs spans.

    propose(text, config) returns non-overlapping proposals against *text*.
    might_apply(text) is the class's cheap, model-free gate: False only when
    propose could find nothing in *text*.  The fast path asks every class, so
    a clean file is left alone without loading a model.
    applies(config) says whether the class runs at all under *config*
    (script conversion and punctuation width run only when asked).
    """

    name: str
    description: str
    propose: Callable[[str, FixerConfig], list[Proposal]]
    might_apply: Callable[[str], bool]
    applies: Callable[[FixerConfig], bool] = lambda config: True


def resolve_overlaps(proposals: list[tuple[float, Proposal]]) -> list[Proposal]:
    """Keep the highest-ranked proposals that do not overlap, in text order."""
    chosen: list[Proposal] = []
    taken: list[tuple[int, int]] = []
    for _, proposal in sorted(proposals, key=lambda item: -item[0]):
        if any(proposal.start < end and start < proposal.end for start, end in taken):
            continue
        chosen.append(proposal)
        taken.append((proposal.start, proposal.end))
    return sorted(chosen, key=lambda proposal: proposal.start)
