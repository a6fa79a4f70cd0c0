"""Throughput of fixer.script against the OpenCC backends it wraps.

Measures, on the same text (OpenCC's Simplified constitution golden input, repeated to
``--size-mb``), the median of ``--runs`` timings of:

* the backend called directly (``opencc.OpenCC("s2t").convert``),
* ``fixer.script.convert(text, "s2t")`` (the plain wrapper: target under 10% overhead),
* ``fixer.script.convert_to(text, "hant")`` (detection, clause selection, idempotence check).

The installed backend of this interpreter is measured in-process.  The other backend,
opencc-python-reimplemented, is measured by running this script in its own virtualenv,
given by ``--reimpl-venv`` or the ``FIXER_REIMPL_VENV`` environment variable; without one
the table says it was not measured.

    python bench/convert.py [--size-mb 2] [--runs 5] [--reimpl-venv DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUT = REPO.parent / "shared/peer-cases/opencc/golden/input/us_constitution_zhs.txt"
CONFIG = "s2t"
TARGET = "hant"


def build_text(path: Path, size_mb: float) -> str:
    """*path*'s text repeated until it is at least *size_mb* MB of UTF-8."""
    base = path.read_text("utf-8")
    size = len(base.encode("utf-8"))
    return base * max(1, round(size_mb * 1_000_000 / size))


def median_seconds(function: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def measure(text: str, runs: int) -> list[dict]:
    """Time the installed backend directly and through fixer; one row per operation."""
    sys.path.insert(0, str(REPO))
    import opencc

    from fixer import script

    backend = script.backend_name()
    direct_name = CONFIG + ".json" if backend == script.OFFICIAL_BACKEND else CONFIG
    direct = opencc.OpenCC(direct_name)
    megabytes = len(text.encode("utf-8")) / 1_000_000
    direct.convert(text[:1000])
    script.convert(text[:1000], CONFIG)  # build the cached converter outside the timing
    operations = [
        ("direct opencc.OpenCC.convert", lambda: direct.convert(text)),
        (f"fixer.script.convert({CONFIG})", lambda: script.convert(text, CONFIG)),
        (f"fixer.script.convert_to({TARGET})", lambda: script.convert_to(text, TARGET)),
    ]
    rows = []
    for name, function in operations:
        seconds = median_seconds(function, runs)
        rows.append(
            {
                "backend": backend,
                "operation": name,
                "seconds": seconds,
                "mb_per_s": megabytes / seconds,
            }
        )
    return rows


def measure_in_venv(venv: Path, input_path: Path, size_mb: float, runs: int) -> list[dict]:
    """Run this script with ``--worker`` under *venv*'s interpreter."""
    python = venv / "bin" / "python"
    if not python.exists():
        python = venv / "Scripts" / "python.exe"
    if not python.exists():
        raise FileNotFoundError(f"no python interpreter in {venv}")
    command = [
        str(python), str(Path(__file__).resolve()), "--worker",
        "--input", str(input_path), "--size-mb", str(size_mb), "--runs", str(runs),
    ]  # fmt: skip
    environment = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(command, capture_output=True, text=True, env=environment, check=True)
    return json.loads(done.stdout)


def print_table(rows: list[dict], megabytes: float, runs: int) -> None:
    print(f"text: {megabytes:.2f} MB, config {CONFIG} / target {TARGET}, median of {runs} runs")
    header = f"{'backend':30} {'operation':34} {'median s':>9} {'MB/s':>8} {'vs direct':>10}"
    print(header)
    print("-" * len(header))
    direct_by_backend = {
        row["backend"]: row["seconds"] for row in rows if row["operation"].startswith("direct")
    }
    for row in rows:
        base = direct_by_backend.get(row["backend"])
        ratio = f"{(row['seconds'] / base - 1) * 100:+9.1f}%" if base else ""
        print(
            f"{row['backend']:30} {row['operation']:34} {row['seconds']:9.3f} "
            f"{row['mb_per_s']:8.2f} {ratio:>10}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="text to repeat")
    parser.add_argument("--size-mb", type=float, default=2.0, help="size of the text (MB)")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument(
        "--reimpl-venv",
        type=Path,
        default=os.environ.get("FIXER_REIMPL_VENV"),
        help="virtualenv with opencc-python-reimplemented (default: $FIXER_REIMPL_VENV)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if not options.input.is_file():
        print(f"input text not found: {options.input} (use --input)", file=sys.stderr)
        return 2
    text = build_text(options.input, options.size_mb)
    if options.worker:
        print(json.dumps(measure(text, options.runs)))
        return 0
    rows = measure(text, options.runs)
    notes = []
    if options.reimpl_venv is None:
        notes.append(
            "opencc-python-reimplemented not measured: pass --reimpl-venv DIR or set "
            "FIXER_REIMPL_VENV to a virtualenv that has it installed"
        )
    elif not Path(options.reimpl_venv).is_dir():
        notes.append(f"opencc-python-reimplemented not measured: {options.reimpl_venv} is absent")
    else:
        other = measure_in_venv(
            Path(options.reimpl_venv), options.input, options.size_mb, options.runs
        )
        if other and other[0]["backend"] == rows[0]["backend"]:
            notes.append(f"{options.reimpl_venv} has the same backend ({other[0]['backend']})")
        rows += other
    print_table(rows, len(text.encode("utf-8")) / 1_000_000, options.runs)
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
