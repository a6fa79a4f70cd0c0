"""Speed and memory of fixer against ftfy and charset-normalizer; one table per section.

Every figure is the median of ``--runs`` runs (default 5; 1 with ``--quick``).

1. clean tree: a deterministic tree of mostly clean files (Markdown, Python, JavaScript,
   Simplified and Traditional Chinese prose, Japanese; built in a temporary folder from
   ``corpus/texts`` and the clean corpus cases) with a handful of damaged files.  Measures
   ``fixer check TREE`` with all cores and with ``--jobs 1``, ``ftfy.fix_text`` over the
   same files (read + decode + fix, one process), plain reading of the bytes and
   ``charset_normalizer.from_bytes(...).best()``.
2. hook start-up: ``fixer check`` on 20 small files against
   ``python -c "import ftfy, charset_normalizer"`` (wall time of each subprocess).
3. repair: ``fixer.fix_text`` against ``ftfy.fix_text`` on the damaged corpus classes.
4. peak memory: ``fixer fix`` on one big file (``--big-mb``, mostly clean Chinese lines with
   some damaged ones); the largest ``ru_maxrss`` of its process tree.  ``--big-mb 0`` skips.

    python bench/speed.py [--sections 1,2,3,4] [--runs 5] [--tree-mb 32] [--tree-files 1600]
                          [--big-mb 2048] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import charset_normalizer
import ftfy
from common import (
    CASES_DIR,
    MB,
    Case,
    environment_line,
    fixer_command,
    is_clean_class,
    load_cases,
    load_texts,
    measure,
    print_table,
    rate,
    run_command,
)

import fixer
from fixer import lm
from fixer.damage.base import forget_searched_lines

SEED = 20240601
#: Damaged corpus classes whose cases are planted in the clean tree and the big file.
PLANTED_CLASSES = (
    "utf8-as-gbk",
    "double-utf8",
    "gbk-as-latin1",
    "big5-as-cp1252",
    "sjis-as-cp1252",
    "misaligned",
    "pinyin",
    "layered",
)
#: One line in this many of the big file is damaged.
BIG_FILE_DAMAGE_EVERY = 200


# ---------------------------------------------------------------------------- sources


def _paragraphs(text: str) -> list[str]:
    return [part.strip("\n") for part in text.split("\n\n") if part.strip()]


def source_pools() -> dict[str, list[str]]:
    """Clean paragraphs by kind: ``hans``, ``hant``, ``ja``, ``markdown``, ``py``, ``js``."""
    texts = load_texts()
    clean = load_cases([name for name in _class_names() if is_clean_class(name)])
    pools: dict[str, list[str]] = {
        kind: [] for kind in ("hans", "hant", "ja", "markdown", "py", "js")
    }
    for name, text in texts.items():
        if "hans" in name:
            pools["hans"] += _paragraphs(text)
        elif "hant" in name:
            pools["hant"] += _paragraphs(text)
        elif name.startswith("ja"):
            pools["ja"] += _paragraphs(text)
        elif name.endswith((".md", ".html")):
            pools["markdown"] += _paragraphs(text)
        elif name.endswith(".py"):
            pools["py"] += _paragraphs(text)
        elif name.endswith(".js"):
            pools["js"] += _paragraphs(text)
    for kind, name in (
        ("hans", "clean-zh-hans"),
        ("hant", "clean-zh-hant"),
        ("ja", "clean-ja"),
        ("markdown", "clean-code"),
    ):
        pools[kind] += [case.expected for case in clean.get(name, [])]
    return {kind: paragraphs for kind, paragraphs in pools.items() if paragraphs}


def _class_names() -> list[str]:
    return [path.stem for path in sorted(CASES_DIR.glob("*.jsonl"))]


def planted_cases() -> list[Case]:
    """Damaged corpus cases (one per planted class, in a fixed order) to put in clean files."""
    available = set(_class_names())
    chosen = [name for name in PLANTED_CLASSES if name in available]
    return [cases[len(cases) // 2] for cases in load_cases(chosen).values()]


# ---------------------------------------------------------------------------- section 1


#: File kinds of the tree: (pool, extension, share of files, how to render a paragraph).
TREE_KINDS: tuple[tuple[str, str, float], ...] = (
    ("markdown", ".md", 0.2),
    ("py", ".py", 0.15),
    ("js", ".js", 0.1),
    ("hans", ".txt", 0.25),
    ("hant", ".txt", 0.15),
    ("ja", ".txt", 0.15),
)


def _render(kind: str, pools: dict[str, list[str]], rng: random.Random, index: int) -> str:
    """One paragraph of a file of *kind*, varied so that files are not copies of each other."""
    if kind == "markdown":
        roll = rng.random()
        if roll < 0.3:
            return rng.choice(pools["markdown"])
        prose = rng.choice(pools[rng.choice(("hans", "hant"))])
        if roll < 0.45:
            return f"## {index}. {prose.splitlines()[0][:24]}"
        if roll < 0.55:
            return "\n".join(f"- {line}" for line in prose.splitlines()[:6])
        return prose
    if kind in ("py", "js"):
        comment = "#" if kind == "py" else "//"
        if rng.random() < 0.6:
            return rng.choice(pools[kind])
        prose = rng.choice(pools["hans"] + pools["hant"]).splitlines()
        return "\n".join(f"{comment} {line}" for line in prose[:4])
    return rng.choice(pools[kind])


def build_tree(root: Path, total_bytes: int, file_count: int, damaged_count: int) -> list[Path]:
    """Write the benchmark tree under *root*; return its files (damaged ones last).

    Deterministic for given arguments and corpus: the same seed drives every choice.
    """
    rng = random.Random(SEED)
    pools = source_pools()
    kinds = [kind for kind in TREE_KINDS if kind[0] in pools]
    weights = [share for _, _, share in kinds]
    average = total_bytes / max(1, file_count)
    paths: list[Path] = []
    written = 0
    index = 0
    while index < file_count or written < total_bytes:
        kind, extension, _ = rng.choices(kinds, weights)[0]
        target = average * rng.uniform(0.25, 1.75)
        parts: list[str] = []
        size = 0
        while size < target:
            part = _render(kind, pools, rng, len(parts) + 1)
            parts.append(part)
            size += len(part.encode("utf-8")) + 2
        path = root / kind / f"d{index // 50:03d}" / f"{kind}-{index:05d}{extension}"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = ("\n\n".join(parts) + "\n").encode("utf-8")
        path.write_bytes(data)
        paths.append(path)
        written += len(data)
        index += 1
    planted = planted_cases()[:damaged_count]
    for number, case in enumerate(planted):
        parts = [rng.choice(pools["hans"]) for _ in range(20)]
        parts.insert(10, case.damaged)
        path = root / "damaged" / f"damaged-{number:02d}-{case.cls}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(("\n\n".join(parts) + "\n").encode("utf-8"))
        paths.append(path)
    return paths


def _read_all(paths: list[Path]) -> int:
    return sum(len(path.read_bytes()) for path in paths)


def _ftfy_all(paths: list[Path]) -> int:
    return sum(len(ftfy.fix_text(path.read_bytes().decode("utf-8"))) for path in paths)


def _detect_all(paths: list[Path]) -> int:
    return sum(
        charset_normalizer.from_bytes(path.read_bytes()).best() is not None for path in paths
    )


def section_tree(
    work: Path, runs: int, total_bytes: int, file_count: int, damaged_count: int
) -> None:
    tree = work / "tree"
    paths = build_tree(tree, total_bytes, file_count, damaged_count)
    size = _read_all(paths)  # also warms the page cache
    megabytes = size / MB
    fixer_all = run_command([*fixer_command(), "check", str(tree)], runs, (0, 1), cwd=work)
    fixer_one = run_command(
        [*fixer_command(), "check", "--jobs", "1", str(tree)], runs, (0, 1), cwd=work
    )
    ftfy.fix_text("warm-up: Ã©")
    ftfy_time = measure(lambda: _ftfy_all(paths), runs)
    read_time = measure(lambda: _read_all(paths), runs)
    charset_normalizer.from_bytes("预热文本".encode("gbk"))
    detect_time = measure(lambda: _detect_all(paths), runs)
    flagged = _flagged_files(fixer_all.stdout)
    cores = os.cpu_count() or 1
    measured = [
        (f"fixer check ({cores} jobs)", fixer_all.seconds, fixer_all.cpu_seconds),
        ("fixer check --jobs 1", fixer_one.seconds, fixer_one.cpu_seconds),
        ("ftfy.fix_text (read+decode+fix)", *ftfy_time),
        ("charset_normalizer.from_bytes", *detect_time),
        ("read bytes", *read_time),
    ]
    rows = [
        [
            label,
            wall,
            cpu,
            rate(megabytes, wall),
            rate(megabytes, cpu),
            _ratio(ftfy_time.wall, wall),
        ]
        for label, wall, cpu in measured
    ]
    print_table(
        f"1. Clean tree: {len(paths):,} files, {megabytes:.1f} MB ({damaged_count} damaged)",
        ["what", "wall s", "CPU s", "MB/s", "MB per CPU-s", "speed vs ftfy"],
        rows,
        notes=[
            "fixer runs as a subprocess (start-up included, CPU time of all its processes); "
            "ftfy, charset-normalizer and reading run in this process, one core. MB/s: by wall "
            "time; speed vs ftfy: ftfy's wall time / this wall time (above 1 is faster). "
            f"fixer check flagged {flagged} file(s); {damaged_count} were planted damaged. "
            f"Median of {runs} run(s).",
        ],
    )


def _flagged_files(check_output: str) -> int:
    return len({line.split(":", 1)[0] for line in check_output.splitlines() if ":" in line})


def _ratio(reference_seconds: float, seconds: float) -> str:
    return f"{reference_seconds / seconds:.2f}x" if seconds > 0 else "-"


# ---------------------------------------------------------------------------- section 2


def section_startup(work: Path, runs: int) -> None:
    folder = work / "hook"
    folder.mkdir()
    rng = random.Random(SEED + 2)
    pools = source_pools()
    small: list[str] = []
    for number in range(20):
        kind, extension, _ = TREE_KINDS[number % len(TREE_KINDS)]
        if kind not in pools:
            kind, extension = "hans", ".txt"
        path = folder / f"small-{number:02d}{extension}"
        path.write_text(
            "\n\n".join(_render(kind, pools, rng, 1) for _ in range(3)) + "\n", encoding="utf-8"
        )
        small.append(str(path))
    python = sys.executable
    commands: list[tuple[str, list[str]]] = [
        ("python -c pass", [python, "-c", "pass"]),
        (
            'python -c "import ftfy, charset_normalizer"',
            [python, "-c", "import ftfy, charset_normalizer"],
        ),
        ('python -c "import fixer"', [python, "-c", "import fixer"]),
        ("fixer --version", [*fixer_command(), "--version"]),
        ("fixer check (20 small files)", [*fixer_command(), "check", *small]),
        (
            "fixer check --jobs 1 (20 small files)",
            [*fixer_command(), "check", "--jobs", "1", *small],
        ),
    ]
    timings = {label: run_command(argv, runs, (0, 1), cwd=work) for label, argv in commands}
    baseline = timings['python -c "import ftfy, charset_normalizer"'].seconds
    rows = [
        [
            label,
            run.seconds * 1000,
            run.cpu_seconds * 1000,
            _ratio(run.seconds, baseline),
            run.max_rss_kib / 1024,
        ]
        for label, run in timings.items()
    ]
    print_table(
        "2. Hook start-up (wall time of the subprocess)",
        ["command", "wall ms", "CPU ms", "time / import ftfy+charset_normalizer", "peak RSS MiB"],
        rows,
        notes=[
            f"Median of {runs} run(s); the 20 files total "
            f"{sum(Path(path).stat().st_size for path in small):,} bytes."
        ],
    )


# ---------------------------------------------------------------------------- section 3


def section_repair(runs: int, limit: int | None) -> None:
    names = [name for name in _class_names() if not is_clean_class(name)]
    rows: list[list[Any]] = []
    total_bytes = 0
    total_fixer = total_ftfy = 0.0
    skipped_total = 0
    for name, cases in load_cases(names, limit).items():
        usable = [case for case in cases if _fixer_survives(case)]
        skipped = len(cases) - len(usable)
        skipped_total += skipped
        if not usable:
            continue
        size = sum(len(case.damaged.encode("utf-8")) for case in usable)
        # Every timed run starts with fixer's per-line memo and the model's pair scores
        # empty: the cases were repaired once already (the warm-up), and a remembered line
        # costs nothing to repair again.
        fixer_seconds = measure(
            _caller(fixer.fix_text, usable, True),
            runs,
            warmup=True,
            before_each=_start_cold,
        ).wall
        ftfy_seconds = measure(_caller(ftfy.fix_text, usable, False), runs, warmup=True).wall
        rows.append(
            [
                name,
                len(usable),
                size / 1000,
                rate(size / MB, fixer_seconds),
                rate(size / MB, ftfy_seconds),
                _ratio(ftfy_seconds, fixer_seconds),
                skipped,
            ]
        )
        total_bytes += size
        total_fixer += fixer_seconds
        total_ftfy += ftfy_seconds
    rows.append(
        [
            "total",
            sum(row[1] for row in rows),
            total_bytes / 1000,
            rate(total_bytes / MB, total_fixer),
            rate(total_bytes / MB, total_ftfy),
            _ratio(total_ftfy, total_fixer),
            skipped_total,
        ]
    )
    print_table(
        "3. Repair of damaged text (per-case calls)",
        ["class", "cases", "KB", "fixer MB/s", "ftfy MB/s", "fixer speed vs ftfy", "skipped"],
        rows,
        notes=[
            "MB of UTF-8 damaged input per second; fixer.fix_text with each case's "
            "options, ftfy.fix_text with its defaults. skipped: cases on which "
            f"fixer.fix_text raised, left out for both tools. Median of {runs} run(s)."
        ],
    )


def _fixer_survives(case: Case) -> bool:
    try:
        fixer.fix_text(case.damaged, **case.options)
    except Exception:
        return False
    return True


def _start_cold() -> None:
    forget_searched_lines()
    lm.get_model().forget_pair_scores()


def _caller(
    function: Callable[..., str], cases: list[Case], with_options: bool
) -> Callable[[], None]:
    def call_all() -> None:
        for case in cases:
            if with_options:
                function(case.damaged, **case.options)
            else:
                function(case.damaged)

    return call_all


# ---------------------------------------------------------------------------- section 4


def _big_file_lines() -> tuple[list[str], list[str]]:
    """Clean Chinese lines and one-line damaged texts for the big file."""
    pools = source_pools()
    clean = [
        line
        for paragraph in pools["hans"] + pools["hant"]
        for line in paragraph.splitlines()
        if line.strip()
    ]
    damaged = [
        case.damaged
        for name in PLANTED_CLASSES
        for case in load_cases([name]).get(name, [])
        if "\n" not in case.damaged
    ]
    return clean, damaged


def write_big_file(path: Path, total_bytes: int) -> tuple[int, int]:
    """Write about *total_bytes* of lines to *path*; return (lines, damaged lines).

    A clean line joins two to four source lines, so lines rarely repeat, as in a real dump;
    one line in ``BIG_FILE_DAMAGE_EVERY`` is a one-line damaged corpus case instead.
    """
    rng = random.Random(SEED + 4)
    clean, damaged = _big_file_lines()
    written = line_count = damaged_count = 0
    with path.open("wb") as output:
        while written < total_bytes:
            lines = []
            for _ in range(10_000):
                if damaged and rng.randrange(BIG_FILE_DAMAGE_EVERY) == 0:
                    lines.append(rng.choice(damaged))
                    damaged_count += 1
                else:
                    lines.append("".join(rng.choice(clean) for _ in range(rng.randint(2, 4))))
            data = ("\n".join(lines) + "\n").encode("utf-8")
            if written + len(data) > total_bytes:  # the last batch: whole lines up to the size
                data = data[: data.rfind(b"\n", 0, total_bytes - written) + 1]
            output.write(data)
            written += len(data)
            line_count += data.count(b"\n")
            if not data:
                break
    return line_count, damaged_count


def section_memory(work: Path, runs: int, big_mb: float) -> None:
    original = work / "big.orig.txt"
    target = work / "big.txt"
    lines, damaged = write_big_file(original, int(big_mb * MB))
    size = original.stat().st_size

    def restore() -> None:
        shutil.copyfile(original, target)

    argv = [*fixer_command(), "fix", "--max-size", str(size + 1), str(target)]
    try:
        run = run_command(argv, runs, (0, 1, 2), before_each=restore, cwd=work)
    finally:
        original.unlink()
    target.unlink(missing_ok=True)
    peak_mib = run.max_rss_kib / 1024
    rows = [
        [
            "fixer fix (one file)",
            size / MB,
            lines,
            damaged,
            run.seconds,
            run.cpu_seconds,
            rate(size / MB, run.seconds),
            peak_mib,
            f"{peak_mib * 1024 * 1024 / size:.2f}x",
            run.returncode,
        ]
    ]
    print_table(
        "4. Peak memory of fixer fix on one big file",
        [
            "command",
            "file MB",
            "lines",
            "damaged lines (approx.)",
            "wall s",
            "CPU s",
            "MB/s",
            "peak RSS MiB",
            "RSS / file size",
            "exit",
        ],
        rows,
        notes=[
            "Peak RSS: the largest ru_maxrss among the command's processes. The file is "
            "restored before each run. exit: 1 = file repaired, 2 = fixer reported an error. "
            f"Median of {runs} run(s)."
        ],
    )


# ---------------------------------------------------------------------------- main


def progress(section: int) -> None:
    """Say on stderr which section is running (tables go to stdout)."""
    print(f"speed: section {section}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sections", default="1,2,3,4", help="comma-separated sections to run (default: 1,2,3,4)"
    )
    parser.add_argument("--runs", type=int, help="runs per figure, median reported (default 5)")
    parser.add_argument("--tree-mb", type=float, help="clean tree size in MB (default 32)")
    parser.add_argument("--tree-files", type=int, help="clean tree file count (default 1600)")
    parser.add_argument(
        "--big-mb", type=float, help="big file size in MB for section 4 (default 2048; 0 skips)"
    )
    parser.add_argument("--limit", type=int, help="cases per class in section 3 (default all)")
    parser.add_argument(
        "--quick", action="store_true", help="small sizes and 1 run, for a smoke test"
    )
    args = parser.parse_args(argv)
    try:
        sections = {int(part) for part in args.sections.split(",") if part.strip()}
    except ValueError:
        parser.error(f"--sections: expected numbers such as 1,3, got {args.sections!r}")
    if not sections <= {1, 2, 3, 4}:
        parser.error("--sections: sections are 1, 2, 3 and 4")
    quick = args.quick
    runs = args.runs or (1 if quick else 5)
    tree_mb = args.tree_mb if args.tree_mb is not None else (0.1 if quick else 32)
    tree_files = args.tree_files or (20 if quick else 1600)
    big_mb = args.big_mb if args.big_mb is not None else (0.2 if quick else 2048)
    limit = args.limit or (2 if quick else None)
    print(f"{environment_line()}\n")
    with tempfile.TemporaryDirectory(prefix="fixer-bench-") as temporary:
        work = Path(temporary)
        if 1 in sections:
            progress(1)
            section_tree(work, runs, int(tree_mb * MB), tree_files, 2 if quick else 6)
        if 2 in sections:
            progress(2)
            section_startup(work, runs)
        if 3 in sections:
            progress(3)
            section_repair(runs, limit)
        if 4 in sections and big_mb > 0:
            progress(4)
            section_memory(work, runs, big_mb)
    return 0


if __name__ == "__main__":
    sys.exit(main())
