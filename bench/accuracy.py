"""Accuracy of fixer against ftfy on fixer's corpus and on ftfy's own test cases.

Section 1, per corpus class (``corpus/cases/*.jsonl``): cases, exact-match rate, character
error rate (Levenshtein distance to ``expected`` summed over the class, divided by the summed
length of ``expected``) and throughput (thousands of damaged input characters per second,
one pass) of

* ``fixer.fix_text(damaged, **options)`` with the case's options,
* ``ftfy.fix_text(damaged)`` with ftfy's defaults,
* ``ftfy.fix_text(damaged, cjk_safe_ftfy())``: ftfy restricted to its encoding repairs.

A fixer call that raises counts as returning its input and is counted in ``errors``.

Section 2, ftfy's test cases (``tests/data/ftfy/*.json``, else the shared peer copy): on the
expected-pass cases, how often each tool returns ``fixed`` or ``fixed-encoding``; on the
known failures, how many each tool gets right anyway.

    python bench/accuracy.py [--classes utf8-as-gbk,clean-ja] [--limit 10]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ftfy
from common import (
    Case,
    environment_line,
    ftfy_cases_dir,
    load_cases,
    load_ftfy_cases,
    percent,
    print_table,
)

import fixer
from fixer.damage.ftfy_stage import cjk_safe_ftfy
from fixer.evaluation import levenshtein

Repair = Callable[[str, dict[str, Any]], str]


def fixer_repair(text: str, options: dict[str, Any]) -> str:
    return fixer.fix_text(text, **options)


def ftfy_default_repair(text: str, options: dict[str, Any]) -> str:
    return ftfy.fix_text(text)


def ftfy_cjk_safe_repair(text: str, options: dict[str, Any]) -> str:
    return ftfy.fix_text(text, cjk_safe_ftfy())


TOOLS: dict[str, Repair] = {
    "fixer": fixer_repair,
    "ftfy": ftfy_default_repair,
    "ftfy-cjk": ftfy_cjk_safe_repair,
}


class Score(NamedTuple):
    """What one tool did on a set of cases."""

    cases: int
    exact: int
    edits: int
    expected_chars: int
    input_chars: int
    seconds: float
    errors: int

    def __add__(self, other: object) -> Score:  # type: ignore[override]
        assert isinstance(other, Score)
        return Score(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))

    @property
    def cer(self) -> str:
        """The character error rate as a fraction (the lossy target is 0.01)."""
        return f"{self.edits / self.expected_chars:.4f}" if self.expected_chars else "-"

    @property
    def kchars_per_second(self) -> float:
        return self.input_chars / self.seconds / 1000 if self.seconds > 0 else float("inf")


EMPTY = Score(0, 0, 0, 0, 0, 0.0, 0)


def score(repair: Repair, cases: list[Case]) -> Score:
    """Run *repair* once over *cases*; exceptions count as unchanged output and as errors."""
    exact = edits = expected_chars = input_chars = errors = 0
    seconds = 0.0
    for case in cases:
        start = time.perf_counter()
        try:
            output = repair(case.damaged, case.options)
        except Exception:
            output = case.damaged
            errors += 1
        seconds += time.perf_counter() - start
        exact += output == case.expected
        edits += levenshtein(output, case.expected)
        expected_chars += len(case.expected)
        input_chars += len(case.damaged)
    return Score(len(cases), exact, edits, expected_chars, input_chars, seconds, errors)


def corpus_section(classes: list[str] | None, limit: int | None) -> None:
    """Section 1: one row per corpus class and a total row."""
    by_class = load_cases(classes, limit)
    for tool in TOOLS.values():  # warm-up: load models and tables outside the timings
        tool("Ã©æ–‡å­—", {})
    totals = dict.fromkeys(TOOLS, EMPTY)
    rows = []
    for name, cases in by_class.items():
        print(f"accuracy: {name} ({len(cases)} cases)", file=sys.stderr, flush=True)
        scores = {tool: score(repair, cases) for tool, repair in TOOLS.items()}
        rows.append(_corpus_row(name, scores))
        totals = {tool: totals[tool] + scores[tool] for tool in TOOLS}
    rows.append(_corpus_row("total", totals))
    headers = ["class", "cases"]
    for tool in TOOLS:
        headers += [f"{tool} exact", f"{tool} CER", f"{tool} kchar/s"]
    headers.append("fixer errors")
    print_table(
        "Corpus: exact match, character error rate, throughput",
        headers,
        rows,
        notes=[
            "exact: output == expected. CER: Levenshtein(output, expected) summed over the class "
            "/ summed len(expected), as a fraction. kchar/s: thousands of damaged input "
            "characters per second (one pass, per-case calls). fixer runs with each case's "
            "options; ftfy with its defaults, and ftfy-cjk = ftfy with "
            "fixer.damage.ftfy_stage.cjk_safe_ftfy().",
        ],
    )


def _corpus_row(name: str, scores: dict[str, Score]) -> list[Any]:
    first = next(iter(scores.values()))
    row: list[Any] = [name, first.cases]
    for result in scores.values():
        row += [percent(result.exact, result.cases), result.cer, result.kchars_per_second]
    row.append(scores["fixer"].errors)
    return row


def ftfy_section() -> None:
    """Section 2: ftfy's own test cases, by file."""
    folder = ftfy_cases_dir()
    if folder is None:
        print("### ftfy's test cases\n\nnot found (tests/data/ftfy or shared/peer-cases/ftfy)\n")
        return
    rows = []
    totals = {"pass": [0] * (1 + len(TOOLS)), "fail": [0] * (1 + len(TOOLS))}
    for stem, cases in load_ftfy_cases(folder).items():
        for expect in ("pass", "fail"):
            chosen = [case for case in cases if case.get("expect", "pass") == expect]
            if not chosen:
                continue
            right = [
                sum(_ftfy_case_right(repair, case) for case in chosen) for repair in TOOLS.values()
            ]
            rows.append(
                [
                    stem,
                    expect,
                    len(chosen),
                    *(f"{count} ({percent(count, len(chosen))})" for count in right),
                ]
            )
            totals[expect] = [
                total + count
                for total, count in zip(totals[expect], [len(chosen), *right], strict=True)
            ]
    for expect, (count, *right) in totals.items():
        if count:
            rows.append(
                ["total", expect, count, *(f"{value} ({percent(value, count)})" for value in right)]
            )
    print_table(
        "ftfy's test cases: output equals `fixed` or `fixed-encoding`",
        ["file", "expect", "cases", *TOOLS],
        rows,
        notes=[
            f"Cases from {folder.relative_to(folder.parents[2])} (ftfy 6.3.1 test data, "
            "Robyn Speer, Apache-2.0). expect=fail rows are ftfy's known failures: the "
            "count is how many each tool gets right anyway. A fixer exception counts "
            "as wrong. ftfy-cjk: ftfy with cjk_safe_ftfy().",
        ],
    )


def _ftfy_case_right(repair: Repair, case: dict[str, Any]) -> bool:
    wanted = {case["fixed"], case.get("fixed-encoding", case["fixed"])}
    try:
        return repair(case["original"], {}) in wanted
    except Exception:
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", help="comma-separated corpus classes (default: all)")
    parser.add_argument("--limit", type=int, help="at most this many cases per class")
    parser.add_argument(
        "--no-ftfy-cases", action="store_true", help="skip the section on ftfy's own test cases"
    )
    args = parser.parse_args(argv)
    classes = [name.strip() for name in args.classes.split(",")] if args.classes else None
    print(f"{environment_line()}\n")
    try:
        corpus_section(classes, args.limit)
    except ValueError as error:
        parser.error(str(error))
    if not args.no_ftfy_cases:
        ftfy_section()
    return 0


if __name__ == "__main__":
    sys.exit(main())
