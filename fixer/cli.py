"""The ``fixer`` command line: check, fix and diff files, or clean a corpus.

Exit codes follow ruff and pre-commit-hooks: 0 nothing to do, 1 something
was (or would be) changed, 2 usage or I/O errors.  Output order is stable
whatever the number of jobs.
"""

from __future__ import annotations

import contextlib
import difflib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import click

from fixer import __version__
from fixer import config as _config
from fixer.config import (
    PUNCT_POLICIES,
    SCRIPT_TARGETS,
    FixerConfig,
    load_pyproject_settings,
)

#: Below this much input the work runs in-process: starting a pool of workers costs more
#: than it saves (most files take the fast path at tens of MB/s).
PARALLEL_MIN_BYTES = 4_000_000
#: Show a progress bar on a terminal from this many files on.
PROGRESS_THRESHOLD = 200


class Outcome(NamedTuple):
    """What happened to one path."""

    path: str
    status: str  # clean | changed | skipped | error
    findings: tuple[dict[str, Any], ...] = ()
    diff: str = ""
    message: str = ""


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of *offset* in *text*."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of the repair, as ``git diff`` shows it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def colorize_diff(diff: str) -> str:
    """Colour a unified diff for a terminal."""
    out = []
    for line in diff.splitlines(keepends=True):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        else:
            out.append(line)
    return "".join(out)


def _finding_records(
    shown: str, original: str, findings: Iterable[Any]
) -> tuple[dict[str, Any], ...]:
    records = []
    for finding in findings:
        line, column = line_col(original, finding.start)
        excerpt = finding.excerpt if len(finding.excerpt) <= 40 else finding.excerpt[:37] + "..."
        records.append(
            {
                "path": shown,
                "line": line,
                "column": column,
                "kind": finding.kind,
                "message": finding.message,
                "excerpt": excerpt,
                "confidence": round(finding.confidence, 3),
                "repairable": finding.repairable,
            }
        )
    return tuple(records)


def process_path(path: Path, config: FixerConfig, mode: str) -> Outcome:
    """Check, diff or fix one file; never raises for a bad file, reports it instead."""
    from fixer import files

    shown = files.display_path(path)
    try:
        if os.lstat(path).st_size > _config.CHUNK_BYTES:
            return _process_large(path, config, mode)
        snapshot = files.read_snapshot(path, config.max_size)
    except files.FileError as error:
        return Outcome(shown, "error", message=str(error))
    except OSError as error:
        return Outcome(shown, "error", message=f"{shown}: cannot read: {error.strerror}")
    reason = files.binary_reason(snapshot.data)
    if reason is not None:
        return Outcome(shown, "skipped", message=f"{shown}: skipped: binary ({reason})")
    if _clean_utf8(snapshot.data, config):
        return Outcome(shown, "clean")
    from fixer.result import fix_bytes

    result = fix_bytes(snapshot.data, config)
    if result.error is not None:
        return Outcome(shown, "error", message=f"{shown}: left unchanged: {result.error}")
    findings = _finding_records(shown, result.original, result.findings)
    if not result.verification.ok:
        why = "; ".join(result.verification.problems)
        return Outcome(
            shown,
            "error",
            findings,
            message=f"{shown}: left unchanged: repair failed verification: {why}",
        )
    if result.output is None:
        return Outcome(shown, "clean", findings)
    diff = unified_diff(shown, result.original, result.text) if mode in ("diff", "fix-diff") else ""
    if mode.startswith("fix"):
        try:
            files.write_atomic(snapshot, result.output)
        except files.FileError as error:
            return Outcome(shown, "error", findings, diff, f"{error} (left unchanged)")
    return Outcome(shown, "changed", findings, diff)


def _clean_utf8(data: bytes, config: FixerConfig) -> bool:
    """The fast path: UTF-8 (no BOM) text in which no damage class could find anything."""
    from fixer.fastpath import nothing_to_repair

    if data.isascii():
        return True
    if data.startswith(b"\xef\xbb\xbf"):
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return nothing_to_repair(text, config)


class _Unchanged(Exception):
    """Raised inside a streamed write to abandon it: nothing needed changing."""


def _process_large(path: Path, config: FixerConfig, mode: str) -> Outcome:
    """Check, diff or fix a file too large to hold, chunk by chunk on line boundaries.

    Memory stays bounded by the chunk size.  A chunk that cannot be decoded or
    fails verification abandons the whole file, which is left as it was.
    """
    from fixer import files
    from fixer.result import DecodeError, fix_chunks, line_chunks

    shown = files.display_path(path)
    snapshot = files.stat_snapshot(path, config.max_size)
    records: list[dict[str, Any]] = []
    diffs: list[str] = []
    state = {"changed": False, "lines": 0}

    def repaired_chunks(handle: Any) -> Iterable[bytes]:
        head = handle.read(8192)
        reason = files.binary_reason(head)
        if reason is not None:
            raise DecodeError(f"binary ({reason})")
        handle.seek(0)
        for index, result in enumerate(fix_chunks(line_chunks(handle.read), config)):
            if not result.verification.ok:
                raise DecodeError(
                    "repair failed verification: " + "; ".join(result.verification.problems)
                )
            for record in _finding_records(shown, result.original, result.findings):
                if index and record["kind"] == "encoding":
                    continue
                record["line"] += state["lines"]
                records.append(record)
            if mode in ("diff", "fix-diff") and result.output is not None:
                diffs.append(unified_diff(shown, result.original, result.text))
            state["lines"] += result.original.count("\n")
            if result.output is not None:
                state["changed"] = True
                yield result.output
            else:
                yield result.original.encode(result.output_encoding)

    try:
        with open(path, "rb") as handle:
            if mode.startswith("fix"):

                def until_end() -> Iterable[bytes]:
                    yield from repaired_chunks(handle)
                    if not state["changed"]:
                        raise _Unchanged

                with contextlib.suppress(_Unchanged):
                    files.write_atomic(snapshot, until_end())
            else:
                for _ in repaired_chunks(handle):
                    pass
    except DecodeError as error:
        return Outcome(shown, "error", tuple(records), message=f"{shown}: left unchanged: {error}")
    except files.FileError as error:
        return Outcome(shown, "error", tuple(records), message=f"{error} (left unchanged)")
    status = "changed" if state["changed"] else "clean"
    return Outcome(shown, status, tuple(records), "".join(diffs))


def _run_all(
    paths: Sequence[Path], config: FixerConfig, mode: str, jobs: int, excludes: Sequence[str] = ()
) -> Iterable[Outcome]:
    from fixer import files

    targets: list[Path] = []
    missing = [path for path in paths if not os.path.lexists(path)]
    for path in missing:
        shown = files.display_path(path)
        yield Outcome(shown, "error", message=f"{shown}: no such file or folder")
    paths = [path for path in paths if path not in missing]
    for entry in files.walk(paths, excludes, config.max_size):
        if isinstance(entry, files.Skip):
            yield Outcome(
                files.display_path(entry.path),
                "skipped",
                message=f"{files.display_path(entry.path)}: skipped: {entry.reason}",
            )
        else:
            targets.append(entry.path)
    progress = _progress(len(targets))
    if jobs <= 1 or len(targets) < 2 or _total_size(targets) < PARALLEL_MIN_BYTES:
        for path in targets:
            yield process_path(path, config, mode)
            progress(1)
        progress(None)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, min(64, len(targets) // (jobs * 8)))
        for outcome in pool.map(
            process_path, targets, [config] * len(targets), [mode] * len(targets), chunksize=chunk
        ):
            yield outcome
            progress(1)
    progress(None)


def _total_size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.lstat(path).st_size
    return total


def _progress(total: int) -> Any:
    """A progress callback: a bar on a terminal for long runs, silent otherwise."""
    if total < PROGRESS_THRESHOLD or not sys.stderr.isatty():
        return lambda advance: None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("fixer", total=total)
    bar.start()

    def advance(step: int | None) -> None:
        if step is None:
            bar.stop()
        else:
            bar.advance(task, step)

    return advance


def _stdin(config: FixerConfig, mode: str) -> int:
    from fixer.result import fix_bytes

    data = sys.stdin.buffer.read()
    result = fix_bytes(data, config)
    if result.error is not None or not result.verification.ok:
        why = result.error or "; ".join(result.verification.problems)
        click.echo(f"-: left unchanged: {why}", err=True)
        if mode.startswith("fix"):
            sys.stdout.buffer.write(data)
        return 2
    output = result.output if result.output is not None else data
    if mode.startswith("fix"):
        sys.stdout.buffer.write(output)
        if mode == "fix-diff":
            click.echo(unified_diff("-", result.original, result.text), err=True, nl=False)
    elif mode == "diff":
        click.echo(unified_diff("-", result.original, result.text), nl=False)
    else:
        for record in _finding_records("-", result.original, result.findings):
            click.echo(_format_finding(record))
    return 1 if result.output is not None else 0


def _format_finding(record: dict[str, Any]) -> str:
    note = "" if record["repairable"] else " (reported only)"
    return (
        f"{record['path']}:{record['line']}:{record['column']}: {record['kind']}: "
        f"{record['message']}{note}: {record['excerpt']!r}"
    )


def _report(outcomes: Iterable[Outcome], mode: str, output_format: str, color: bool) -> int:
    changed = errors = 0
    collected: list[dict[str, Any]] = []
    for outcome in outcomes:
        if outcome.status == "changed":
            changed += 1
        elif outcome.status == "error":
            errors += 1
        if output_format == "json":
            collected.append(outcome._asdict())
            continue
        if mode == "check":
            for record in outcome.findings:
                click.echo(_format_finding(record))
        if outcome.diff:
            click.echo(colorize_diff(outcome.diff) if color else outcome.diff, nl=False)
        if mode.startswith("fix") and outcome.status == "changed":
            click.echo(f"fixed {outcome.path}", err=True)
        if outcome.message:
            click.echo(outcome.message, err=True)
    if output_format == "json":
        click.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    if errors:
        return 2
    return 1 if changed else 0


def _options(function: Any) -> Any:
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path)),
        click.option(
            "--to",
            type=click.Choice(SCRIPT_TARGETS),
            default=None,
            help="Script target for Chinese text (default: keep).",
        ),
        click.option(
            "--punct",
            type=click.Choice(PUNCT_POLICIES),
            default=None,
            help="cjk: restore full-width punctuation between CJK characters.",
        ),
        click.option("--encoding", default=None, help="Input encoding (default: auto)."),
        click.option(
            "--keep-encoding/--no-keep-encoding",
            default=None,
            help="Write legacy-encoded files back in their encoding where it round-trips.",
        ),
        click.option("--exclude", multiple=True, help="Glob of paths to leave out (repeatable)."),
        click.option(
            "--jobs", "-j", type=int, default=None, help="Parallel jobs (default: all cores)."
        ),
        click.option(
            "--max-size", type=int, default=None, help="Skip files larger than this (bytes)."
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(["text", "json"]),
            default="text",
            help="Output format.",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def _execute(mode: str, paths: tuple[Path, ...], options: dict[str, Any]) -> None:
    output_format = options.pop("output_format")
    try:
        settings = load_pyproject_settings(Path.cwd())
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    excludes = tuple(settings.pop("exclude", ())) + tuple(options.pop("exclude") or ())
    jobs = options.pop("jobs") or settings.pop("jobs", None) or os.cpu_count() or 1
    settings.pop("jobs", None)
    chosen = {**settings, **{key: value for key, value in options.items() if value is not None}}
    try:
        config = FixerConfig(**chosen).validate()
    except (TypeError, ValueError) as error:
        raise click.UsageError(str(error)) from error
    if paths == (Path("-"),):
        sys.exit(_stdin(config, mode))
    if mode.startswith("fix"):
        from fixer.files import cleanup_leftovers

        cleanup_leftovers(list(paths))
    color = sys.stdout.isatty() and output_format == "text"
    outcomes = _run_all(paths, config, mode, jobs, excludes)
    sys.exit(_report(outcomes, mode, output_format, color))


class _Commands(click.Group):
    """The command group; ``corpus`` (pyarrow, process pools, Dask) is imported only when used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), "corpus"])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name == "corpus":
            from fixer.corpus import corpus_command

            return corpus_command
        return super().get_command(ctx, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="fixer")
def cli() -> None:
    """Find and repair damaged text: mojibake, legacy encodings, CJK debris, script variants."""


@cli.command()
@_options
def check(paths: tuple[Path, ...], **options: Any) -> None:
    """Report what fix would change, one line per finding; exit 1 if anything would change."""
    _execute("check", paths, options)


@cli.command()
@_options
@click.option("--diff", "show_diff", is_flag=True, help="Also print the diff of each change.")
def fix(paths: tuple[Path, ...], show_diff: bool, **options: Any) -> None:
    """Repair files in place (atomic, verified); exit 1 if a file was changed. '-' filters stdin."""
    _execute("fix-diff" if show_diff else "fix", paths, options)


@cli.command()
@_options
def diff(paths: tuple[Path, ...], **options: Any) -> None:
    """Print the unified diff of what fix would do; writes nothing."""
    _execute("diff", paths, options)


def main() -> None:
    """Console-script entry point."""
    cli()
