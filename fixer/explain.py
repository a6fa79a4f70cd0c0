"""Findings and steps: the explanation objects of fixer.

A :class:`Finding` is something ``scan`` saw in a text.  A :class:`Step` is
one change ``fix`` made: the damage class that made it, the span it replaced
(offsets into the text as it was *before this step*), the text before and
after, and the reason.  A plan is a list of steps; :func:`apply_plan` replays
it on the original input and must give the same output as the repair did.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Finding(NamedTuple):
    """One thing detection found.

    kind: the damage class name (``mojibake``, ``lost-data``, ``pinyin``...).
    start, end: character offsets into the scanned text.
    excerpt: the text of the span (shortened for display by callers).
    message: a one-line human explanation.
    confidence: 0..1, how sure detection is.
    repairable: True when ``fix`` would change this span with the same
        options; False for findings that are only reported (lost data).
    """

    kind: str
    start: int
    end: int
    excerpt: str
    message: str
    confidence: float
    repairable: bool = True


class Step(NamedTuple):
    """One change in a plan; offsets refer to the text before this step."""

    kind: str
    start: int
    end: int
    before: str
    after: str
    reason: str


class Edit(NamedTuple):
    """A proposed replacement against one fixed text (not yet a step)."""

    start: int
    end: int
    after: str
    reason: str


class PlanMismatch(ValueError):
    """A step does not match the text it is replayed on."""


def apply_step(text: str, step: Step) -> str:
    """Apply one step, checking that its ``before`` is really there."""
    if text[step.start : step.end] != step.before:
        raise PlanMismatch(
            f"step {step.kind} at {step.start}:{step.end} expected {step.before!r}, "
            f"found {text[step.start : step.end]!r}"
        )
    return text[: step.start] + step.after + text[step.end :]


def apply_plan(text: str, steps: Iterable[Step]) -> str:
    """Replay a plan of steps on *text*: the same input gives the same output."""
    pieces_text = text
    for step in steps:
        pieces_text = apply_step(pieces_text, step)
    return pieces_text


def edits_to_steps(kind: str, text: str, edits: Iterable[Edit]) -> tuple[str, list[Step]]:
    """Turn non-overlapping edits against *text* into sequential steps.

    Returns the edited text and the steps whose offsets account for the
    length changes of the edits before them.
    """
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    steps: list[Step] = []
    pieces: list[str] = []
    shift = 0
    cursor = 0
    for edit in ordered:
        if edit.start < cursor:
            raise ValueError(f"overlapping {kind} edits at {edit.start}")
        before = text[edit.start : edit.end]
        if before == edit.after:
            continue
        pieces.append(text[cursor : edit.start])
        pieces.append(edit.after)
        steps.append(
            Step(kind, edit.start + shift, edit.end + shift, before, edit.after, edit.reason)
        )
        shift += len(edit.after) - len(before)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), steps


def diff_edits(before: str, after: str, reason: str) -> list[Edit]:
    """Minimal edits that turn *before* into *after*, line by line then by character."""
    edits: list[Edit] = []
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    line_starts = [0]
    for line in old_lines:
        line_starts.append(line_starts[-1] + len(line))
    if len(old_lines) == len(new_lines):
        # Most repairs keep the lines: pair them directly (linear, even when lines repeat).
        for index, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
            if old != new:
                edits.extend(_char_edits(old, new, line_starts[index], reason))
        return edits
    import difflib

    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_chunk = "".join(old_lines[i1:i2])
        new_chunk = "".join(new_lines[j1:j2])
        edits.extend(_char_edits(old_chunk, new_chunk, line_starts[i1], reason))
    return edits


def _char_edits(old: str, new: str, base: int, reason: str) -> list[Edit]:
    """Character-level edits turning *old* (which starts at *base*) into *new*."""
    import difflib

    chars = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return [
        Edit(base + a1, base + a2, new[b1:b2], reason)
        for tag, a1, a2, b1, b2 in chars.get_opcodes()
        if tag != "equal"
    ]


def diff_steps(kind: str, before: str, after: str, reason: str) -> list[Step]:
    """Steps of class *kind* that turn *before* into *after*."""
    if before == after:
        return []
    result, steps = edits_to_steps(kind, before, diff_edits(before, after, reason))
    assert result == after
    return steps
