"""OpenCC's own test cases through ``fixer.script.convert``, one test per (case, config).

The data (tests/data/opencc, Apache-2.0, see NOTICE.txt there) is not strict JSON: comments
and trailing commas are stripped the way OpenCC's Python test does.  Configs the installed
backend lacks are skipped.  With the reimplementation, a case the backend itself gets wrong
is an expected failure, and fixer must never do worse than calling the backend directly.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import opencc
import pytest

from fixer import script

CASES_PATH = Path(__file__).resolve().parent / "data" / "opencc" / "testcases.json"
_JSON_NOISE = re.compile(r'"(?:[^"\\]|\\.)*"|(/\*[\s\S]*?\*/|//.*)|(,\s*(?=[\]}]))')


def load_cases(path: Path = CASES_PATH) -> list[dict]:
    """Read OpenCC's testcases.json, dropping comments and trailing commas."""

    def strip(match: re.Match[str]) -> str:
        return "" if match.group(1) or match.group(2) else match.group(0)

    return json.loads(_JSON_NOISE.sub(strip, path.read_text("utf-8")))["cases"]


CASES = load_cases()
PAIRS = [
    (case["id"], config, case["input"], expected)
    for case in CASES
    for config, expected in case["expected"].items()
]


@cache
def direct_converter(config: str) -> opencc.OpenCC:
    """The installed backend called directly, without fixer."""
    if script.backend_name() == script.OFFICIAL_BACKEND:
        return opencc.OpenCC(config + ".json")
    return opencc.OpenCC(config)


def test_loader_strips_comments_and_trailing_commas(tmp_path: Path) -> None:
    noisy = tmp_path / "cases.json"
    noisy.write_text(
        '{"cases": [ // line comment\n /* block */ {"id": "a", "input": "x // not a comment",'
        ' "expected": {"s2t": "y",},},\n],}',
        "utf-8",
    )
    assert load_cases(noisy) == [
        {"id": "a", "input": "x // not a comment", "expected": {"s2t": "y"}}
    ]


def test_every_config_in_the_data_is_known() -> None:
    assert {config for _, config, _, _ in PAIRS} <= set(script.CONFIGS)
    assert len(PAIRS) >= 500


@pytest.mark.parametrize(
    ("case_id", "config", "text", "expected"),
    PAIRS,
    ids=[f"{case_id}-{config}" for case_id, config, _, _ in PAIRS],
)
def test_case(case_id: str, config: str, text: str, expected: str) -> None:
    if not script.has_config(config):
        pytest.skip(f"{script.backend_name()} has no {config} config")
    got = script.convert(text, config)
    if got == expected:
        return
    if script.backend_name() == script.REIMPLEMENTED_BACKEND:
        direct = direct_converter(config).convert(text)
        assert got == direct, "fixer differs from the backend it calls"
        pytest.xfail(
            f"{script.backend_name()} itself gives {direct!r}, OpenCC expects {expected!r}"
        )
    assert got == expected


def test_pass_counts_per_config(record_property: pytest.RecordProperty) -> None:
    """Per-config pass counts of fixer and of the backend called directly."""
    fixer_passed: Counter[str] = Counter()
    direct_passed: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for _, config, text, expected in PAIRS:
        totals[config] += 1
        if not script.has_config(config):
            skipped[config] += 1
            continue
        fixer_passed[config] += script.convert(text, config) == expected
        direct_passed[config] += direct_converter(config).convert(text) == expected
    lines = [f"backend {script.backend_name()}: config fixer/direct/total (skipped)"]
    for config in sorted(totals):
        lines.append(
            f"  {config:6} {fixer_passed[config]:3}/{direct_passed[config]:3}/{totals[config]:3}"
            + (f"  skipped {skipped[config]}" if skipped[config] else "")
        )
    fixer_total, direct_total = sum(fixer_passed.values()), sum(direct_passed.values())
    lines.append(
        f"  total  {fixer_total}/{direct_total}/{sum(totals.values())}"
        f"  skipped {sum(skipped.values())}"
    )
    print("\n".join(lines))
    record_property("opencc_pass_counts", dict(fixer_passed))
    record_property("opencc_skipped", dict(skipped))
    for config in totals:
        assert fixer_passed[config] >= direct_passed[config], config
    if script.backend_name() == script.OFFICIAL_BACKEND:
        assert sum(fixer_passed.values()) == sum(totals.values())
