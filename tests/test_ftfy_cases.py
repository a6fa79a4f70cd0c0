"""ftfy's own test cases (Apache-2.0, copied in tests/data/ftfy with their notice).

fixer runs ftfy configured so it never damages CJK text, plus its own repairs;
on every case ftfy expects to pass, fixer must give ftfy's ``fixed`` or
``fixed-encoding`` answer.  Known failures are counted, not required.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import fixer

DATA = Path(__file__).resolve().parent / "data" / "ftfy"


def _cases(expect: str) -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(DATA.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            if case["expect"] == expect:
                cases.append((f"{path.stem}: {case['label']}", case))
    return cases


PASSING = _cases("pass")


def test_case_files_are_complete() -> None:
    assert len(PASSING) == 151
    assert len(_cases("fail")) == 10


@pytest.mark.parametrize(("label", "case"), PASSING, ids=[label for label, _ in PASSING])
def test_expected_pass(label: str, case: dict) -> None:
    fixed = case["fixed"]
    answers = {fixed, case.get("fixed-encoding", fixed)}
    assert fixer.fix_text(case["original"]) in answers


def test_negative_cases_are_not_even_reported() -> None:
    for label, case in _cases("pass"):
        if case["original"] == case["fixed"]:
            assert [f for f in fixer.scan(case["original"]) if f.repairable] == [], label


def test_known_failures_never_crash_and_are_counted(capsys: pytest.CaptureFixture[str]) -> None:
    right = 0
    for _, case in _cases("fail"):
        out = fixer.fix_text(case["original"])
        right += out in {case["fixed"], case.get("fixed-encoding", case["fixed"])}
    with capsys.disabled():
        print(f"\nftfy known failures that fixer gets right: {right}/10")
