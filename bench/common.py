"""Shared helpers of the bench scripts: corpus loading, timing, distances and tables.

Imported by ``bench/accuracy.py`` and ``bench/speed.py`` (both put ``bench/`` on
``sys.path`` by being run as scripts), so every figure is timed, measured and printed
the same way.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import fixer

REPO = Path(__file__).resolve().parents[1]
CASES_DIR = REPO / "corpus" / "cases"
TEXTS_DIR = REPO / "corpus" / "texts"
SHARED = REPO.parent / "shared"
FTFY_CASE_DIRS = (REPO / "tests" / "data" / "ftfy", SHARED / "peer-cases" / "ftfy")

#: Corpus classes whose damaged text equals the expected text.
CLEAN_PREFIXES = ("clean-", "pinyin-legit")

MB = 1_000_000


class Case(NamedTuple):
    """One corpus case: damaged input, the expected repair and ``fix_text`` options."""

    id: str
    cls: str
    options: dict[str, Any]
    damaged: str
    expected: str
    expect_lost: bool


def is_clean_class(name: str) -> bool:
    """True for the classes that hold undamaged text (fixer must leave it unchanged)."""
    return name.startswith(CLEAN_PREFIXES)


def load_cases(
    classes: Sequence[str] | None = None, limit: int | None = None, cases_dir: Path = CASES_DIR
) -> dict[str, list[Case]]:
    """Corpus cases by class, in file order; *classes* filters, *limit* caps each class.

    Empty classes are left out.  Unknown names in *classes* raise ``ValueError``.
    """
    available = {path.stem: path for path in sorted(cases_dir.glob("*.jsonl"))}
    wanted = list(classes) if classes else list(available)
    unknown = [name for name in wanted if name not in available]
    if unknown:
        raise ValueError(f"unknown corpus class(es): {', '.join(unknown)}")
    loaded: dict[str, list[Case]] = {}
    for name in wanted:
        cases: list[Case] = []
        with available[name].open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    continue
                record = json.loads(line)
                cases.append(
                    Case(
                        record["id"],
                        record["class"],
                        record.get("options", {}),
                        record["damaged"],
                        record["expected"],
                        bool(record.get("expect_lost", False)),
                    )
                )
                if limit is not None and len(cases) >= limit:
                    break
        if cases:
            loaded[name] = cases
    return loaded


def load_texts(texts_dir: Path = TEXTS_DIR) -> dict[str, str]:
    """The clean source texts of the corpus, by file name."""
    return {
        path.name: path.read_text("utf-8") for path in sorted(texts_dir.iterdir()) if path.is_file()
    }


def ftfy_cases_dir() -> Path | None:
    """Where ftfy's own test cases are: the repository copy first, then the shared one."""
    for folder in FTFY_CASE_DIRS:
        if folder.is_dir() and any(folder.glob("*.json")):
            return folder
    return None


def load_ftfy_cases(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """ftfy's test cases by file stem (``in-the-wild``, ``known-failures``, ...)."""
    return {
        path.stem: json.loads(path.read_text("utf-8")) for path in sorted(folder.glob("*.json"))
    }


class Timing(NamedTuple):
    """Median wall and CPU seconds of several runs of the same work."""

    wall: float
    cpu: float


def measure(
    function: Callable[[], object],
    runs: int,
    warmup: bool = False,
    before_each: Callable[[], object] | None = None,
) -> Timing:
    """Median wall time and CPU time (this process) of *runs* calls of *function*.

    *warmup* makes one untimed call first, so lazy loading is not timed;
    *before_each* runs untimed before every timed call.
    """
    if warmup:
        function()
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(max(1, runs)):
        if before_each is not None:
            before_each()
        cpu_start = time.process_time()
        start = time.perf_counter()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu_start)
    return Timing(statistics.median(walls), statistics.median(cpus))


class CommandRun(NamedTuple):
    """Medians of a command's wall and CPU time, its peak RSS, last exit code and stdout."""

    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    returncode: int
    stdout: str


#: Runs a command, then reports on stderr its wall time, the CPU time of its process tree
#: and the largest ``ru_maxrss`` (KiB) in it: the figures belong to that command alone, not
#: to the wrapper's own start-up nor to earlier children of the caller.
_WRAPPER = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "seconds = time.perf_counter() - start\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "cpu = usage.ru_utime + usage.ru_stime\n"
    "sys.stderr.write('\\nBENCH %.6f %.6f %d\\n' % (seconds, cpu, usage.ru_maxrss))\n"
    "sys.exit(code)\n"
)


@functools.cache
def _installed_environment() -> dict[str, str]:
    """The environment of an installed fixer: its bytecode compiled, bytecode caching on."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    package = Path(fixer.__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True)
    return env


def run_command(
    argv: Sequence[str],
    runs: int,
    ok_codes: Iterable[int] = (0,),
    before_each: Callable[[], object] | None = None,
    cwd: Path | None = None,
) -> CommandRun:
    """Run *argv* *runs* times: median wall and CPU time, peak RSS, last exit code and stdout.

    *before_each* runs untimed before every run (to restore a file ``fixer fix`` rewrote);
    *cwd* is the working directory (a temporary one keeps a project's settings out).
    An exit code outside *ok_codes* raises ``RuntimeError`` with the command's stderr.

    Commands run as on an installed system: fixer's modules compiled to bytecode
    first, as pip does on install, and bytecode caching on whatever the
    environment says.
    """
    allowed = set(ok_codes)
    walls: list[float] = []
    cpus: list[float] = []
    peak = 0
    done = None
    env = _installed_environment()
    for _ in range(max(1, runs)):
        if before_each is not None:
            before_each()
        done = subprocess.run(
            [sys.executable, "-c", _WRAPPER, *argv],
            capture_output=True,
            text=True,
            cwd=cwd,
            env=env,
        )
        stderr, _, figures = done.stderr.rpartition("\nBENCH ")
        if done.returncode not in allowed or not figures:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{stderr[-2000:]}")
        wall, cpu, rss = figures.split()
        walls.append(float(wall))
        cpus.append(float(cpu))
        peak = max(peak, int(rss))
    assert done is not None
    return CommandRun(
        statistics.median(walls), statistics.median(cpus), peak, done.returncode, done.stdout
    )


def fixer_command() -> list[str]:
    """How to call the ``fixer`` console script of this interpreter."""
    script = Path(sys.executable).parent / ("fixer.exe" if os.name == "nt" else "fixer")
    return [str(script)] if script.exists() else [sys.executable, "-m", "fixer"]


def rate(amount: float, seconds: float) -> float:
    """*amount* per second, or infinity when nothing measurable elapsed."""
    return amount / seconds if seconds > 0 else float("inf")


def format_number(value: Any, digits: int = 2) -> str:
    """Numbers for tables: thousands separators for integers, *digits* decimals for floats."""
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "-"
        return f"{value:,.{digits}f}"
    return str(value)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A Markdown table; numbers right-aligned, text left-aligned."""
    cells = [[format_number(value) for value in row] for row in rows]
    widths = [len(header) for header in headers]
    for row in cells:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    numeric = [
        all(_looks_numeric(row[index]) for row in cells) and bool(cells)
        for index in range(len(headers))
    ]
    lines = [
        "| "
        + " | ".join(
            header.ljust(widths[index]) if not numeric[index] else header.rjust(widths[index])
            for index, header in enumerate(headers)
        )
        + " |",
        "| "
        + " | ".join(
            ("-" * (widths[index] - 1) + ":") if numeric[index] else "-" * widths[index]
            for index in range(len(headers))
        )
        + " |",
    ]
    for row in cells:
        lines.append(
            "| "
            + " | ".join(
                cell.rjust(widths[index]) if numeric[index] else cell.ljust(widths[index])
                for index, cell in enumerate(row)
            )
            + " |"
        )
    return "\n".join(lines)


def _looks_numeric(cell: str) -> bool:
    stripped = cell.replace(",", "").replace("%", "").replace("x", "").strip()
    if stripped == "-":
        return True
    try:
        float(stripped)
    except ValueError:
        return False
    return True


def print_table(
    title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], notes: Sequence[str] = ()
) -> None:
    """Print a titled Markdown table, then any notes, then a blank line."""
    print(f"### {title}\n")
    print(format_table(headers, list(rows)))
    for note in notes:
        print(f"\n{note}")
    print(flush=True)


def environment_line() -> str:
    """One line naming the interpreter, the machine, its load and the versions compared."""
    versions = []
    for name in ("fixer", "ftfy", "charset_normalizer", "opencc"):
        try:
            module = __import__(name)
            versions.append(f"{name} {getattr(module, '__version__', '?')}")
        except ImportError:
            versions.append(f"{name} missing")
    load = ""
    if hasattr(os, "getloadavg"):
        load = f", load average {os.getloadavg()[0]:.1f}"
    return (
        f"Python {platform.python_version()}, {os.cpu_count()} cores{load}, "
        f"{platform.system()} {platform.machine()}; " + ", ".join(versions)
    )


def percent(part: float, whole: float) -> str:
    """*part* of *whole* as a percentage with one decimal, or ``-`` for an empty whole."""
    return f"{100 * part / whole:.1f}%" if whole else "-"
