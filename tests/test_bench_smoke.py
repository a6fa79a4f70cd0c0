"""The bench scripts (and the held-out measurement script) run end to end at their smallest
settings and print their tables.

Only that they finish and report is asserted: figures depend on the machine, so no timing
or accuracy threshold is checked here (the scripts exist to print them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import shared_or_skip

BENCH = Path(__file__).resolve().parents[1] / "bench"


def run_bench(script: str, *arguments: str) -> str:
    """Run ``bench/<script>`` in a subprocess; assert it exits 0 and return its stdout."""
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_accuracy_prints_corpus_and_ftfy_tables() -> None:
    output = run_bench("accuracy.py", "--classes", "clean-ja,utf8-as-gbk", "--limit", "2")
    assert "| class" in output and "fixer exact" in output and "ftfy-cjk CER" in output
    rows = [line for line in output.splitlines() if line.startswith(("| clean-ja ", "| total "))]
    assert len(rows) >= 2
    assert "ftfy's test cases" in output


def test_accuracy_rejects_an_unknown_class() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "accuracy.py"), "--classes", "no-such"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2
    assert "no-such" in done.stderr


@pytest.mark.parametrize(
    "section, header",
    [
        ("1", "| what"),
        ("2", "| command"),
        ("3", "| class"),
        ("4", "peak RSS MiB"),
    ],
)
def test_speed_section_prints_its_table(section: str, header: str) -> None:
    output = run_bench("speed.py", "--quick", "--runs", "1", "--sections", section)
    assert f"### {section}." in output
    assert header in output


def test_speed_skips_memory_section_when_big_file_is_zero() -> None:
    output = run_bench("speed.py", "--quick", "--sections", "4", "--big-mb", "0")
    assert "### 4." not in output


def test_heldout_misaligned_prints_its_table() -> None:
    shared_or_skip("peer-cases", "chardet", "tests", "GB2312")
    script = Path(__file__).resolve().parents[1] / "scripts" / "heldout_misaligned.py"
    done = subprocess.run(
        [sys.executable, str(script), "--limit", "2"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split("|") for line in done.stdout.splitlines()]
    rows = [row for row in rows if len(row) > 3 and row[2].strip() in ("gbk", "big5")]
    assert [(row[1].strip(), row[2].strip()) for row in rows] == [
        ("GB2312", "gbk"),
        ("Big5", "big5"),
    ]
    assert all(row[3].strip() == "2" for row in rows)


def test_calibrate_lossy_prints_one_row_per_setting() -> None:
    shared_or_skip("peer-cases", "chardet", "tests", "GB2312")
    script = Path(__file__).resolve().parents[1] / "scripts" / "calibrate_lossy.py"
    done = subprocess.run(
        [sys.executable, str(script), "--limit", "4", "--margins", "0.5", "--word-bonuses", "0,3"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 0.5 ")]
    assert [row.split("|")[3].strip() for row in rows] == ["0.0", "3.0"]
