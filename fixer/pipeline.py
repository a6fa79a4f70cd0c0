"""The repair pipeline: run each damage class in order and record every change as a step."""

from __future__ import annotations

from typing import Any, NamedTuple

from fixer.config import FixerConfig, make_config
from fixer.damage import DAMAGE_CLASSES, REPEATED
from fixer.explain import Edit, Finding, Step, edits_to_steps
from fixer.fastpath import nothing_to_repair

#: Passes over all classes: a repair can expose damage an earlier class could not see
#: (a decoded span revealing pinyin, say); repairing to a fixed point keeps fix idempotent.
MAX_PASSES = 3


class Repair(NamedTuple):
    """The outcome of repairing one text.

    text: the repaired text.  steps: the plan that turns the input into it.
    reports: findings that are only reported (lost data), in input offsets.
    settled: the last pass over ``text`` changed nothing, so repairing ``text``
    again is known to change nothing (False when MAX_PASSES ran out first).
    """

    text: str
    steps: list[Step]
    reports: list[Finding]
    settled: bool = True


def original_span(steps: list[Step], upto: int, start: int, end: int) -> tuple[int, int]:
    """Map a span of the text after ``steps[:upto]`` back to offsets in the input."""
    for step in reversed(steps[:upto]):
        growth = len(step.after) - (step.end - step.start)
        start = _map_back(step, growth, start)
        end = max(start, _map_back(step, growth, end))
    return start, end


def _map_back(step: Step, growth: int, position: int) -> int:
    if position <= step.start:
        return position
    if position >= step.start + len(step.after):
        return position - growth
    return step.start


def repair(text: str, config: FixerConfig) -> Repair:
    """Run every damage class that applies under *config* and collect steps and reports."""
    steps: list[Step] = []
    reports: list[tuple[int, Finding]] = []
    if nothing_to_repair(text, config):
        return Repair(text, steps, [])
    settled = False
    for _ in range(MAX_PASSES):
        before = len(steps)
        text = _one_pass(text, config, steps, reports)
        if len(steps) == before:
            settled = True
            break
    findings = []
    seen = set()
    for upto, finding in reports:
        start, end = original_span(steps, upto, finding.start, finding.end)
        if (finding.kind, start, end) in seen:
            continue
        seen.add((finding.kind, start, end))
        findings.append(finding._replace(start=start, end=end))
    return Repair(text, steps, findings, settled)


def _one_pass(
    text: str, config: FixerConfig, steps: list[Step], reports: list[tuple[int, Finding]]
) -> str:
    """Run every damage class once, appending to *steps* and *reports*; return the text."""
    for damage in DAMAGE_CLASSES:
        if not damage.applies(config):
            continue
        for _ in range(REPEATED.get(damage.name, 1)):
            proposals = damage.propose(text, config)
            if not proposals:
                break
            edits = []
            for proposal in proposals:
                if proposal.after is None:
                    reports.append(
                        (
                            len(steps),
                            Finding(
                                damage.name,
                                proposal.start,
                                proposal.end,
                                text[proposal.start : proposal.end],
                                proposal.message,
                                proposal.confidence,
                                False,
                            ),
                        )
                    )
                else:
                    edits.append(
                        Edit(proposal.start, proposal.end, proposal.after, proposal.message)
                    )
            if not edits:
                break
            text, new_steps = edits_to_steps(damage.name, text, edits)
            steps.extend(new_steps)
    return text


def fix_and_explain(
    text: str, config: FixerConfig | None = None, **options: Any
) -> tuple[str, list[Step]]:
    """Repair *text* and return it with the plan of named steps that produced it."""
    result = repair(text, make_config(config, **options))
    return result.text, result.steps


def fix_text(text: str, config: FixerConfig | None = None, **options: Any) -> str:
    """Repair *text*: mojibake, lossy decodes, byte debris, pinyin; script and punctuation."""
    return repair(text, make_config(config, **options)).text


def scan(text: str, config: FixerConfig | None = None, **options: Any) -> list[Finding]:
    """Everything detection finds in *text*, in input offsets, repairable or only reported."""
    return scan_findings(text, repair(text, make_config(config, **options)))


def scan_findings(text: str, result: Repair) -> list[Finding]:
    """Findings of a finished repair of *text*: every step (repairable) and every report."""
    findings = [
        Finding(
            step.kind,
            *original_span(result.steps, index, step.start, step.end),
            step.before,
            step.reason,
            1.0,
            True,
        )
        for index, step in enumerate(result.steps)
    ]
    findings.extend(result.reports)
    findings.sort(key=lambda finding: (finding.start, finding.end))
    return [
        finding._replace(excerpt=text[finding.start : finding.end] or finding.excerpt)
        for finding in findings
    ]
