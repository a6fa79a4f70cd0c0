"""The one interface every damage class implements: find spans, propose repairs."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, NamedTuple

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


def forget_searched_lines() -> None:
    """Make every per-line search start afresh (after changing a setting it depends on, or
    to time searches from cold)."""
    for memo in _MEMOS:
        memo.clear()


class LineMemo:
    """A per-line search, remembered for lines it has seen.

    Repair runs to a fixed point, so every line a class searched is searched
    again on the next pass, and again when a verification repairs the output;
    lines no repair touched give the same answer.  *search* maps a line to
    proposals, or ranked ``(score, Proposal)`` pairs, at offsets within the line.
    Lines longer than *longest* characters are searched without being remembered.
    Safe to share between threads (the search itself runs outside the lock).
    """

    def __init__(
        self, search: Callable[[str], list[Any]], size: int = 1024, longest: int = 1024
    ) -> None:
        self.search = search
        self.size = size
        self.longest = longest
        self.seen: OrderedDict[str, list[Any]] = OrderedDict()
        self.lock = threading.Lock()
        _MEMOS.append(self)

    def clear(self) -> None:
        """Forget every line (after changing a setting the search depends on)."""
        with self.lock:
            self.seen.clear()

    def __call__(self, line: str, offset: int) -> list[Any]:
        """The search's results for *line*, which starts at *offset* in its text."""
        with self.lock:
            found = self.seen.get(line)
            if found is not None:
                self.seen.move_to_end(line)
        if found is None:
            found = self.search(line)
            if len(line) <= self.longest:
                with self.lock:
                    self.seen[line] = found
                    if len(self.seen) > self.size:
                        self.seen.popitem(last=False)
        return [_shifted(item, offset) for item in found]


_MEMOS: list[LineMemo] = []


def _shifted(item: Any, offset: int) -> Any:
    if isinstance(item, Proposal):
        return item._replace(start=item.start + offset, end=item.end + offset)
    score, proposal = item
    return score, _shifted(proposal, offset)


def apply_proposals(text: str, proposals: list[Proposal]) -> str:
    """*text* with non-overlapping *proposals* applied (reported-only ones change nothing)."""
    for proposal in sorted(proposals, reverse=True):
        if proposal.after is not None:
            text = text[: proposal.start] + proposal.after + text[proposal.end :]
    return text


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
