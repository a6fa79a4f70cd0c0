"""Corpus engine: repair one text field of millions of JSON-lines or Parquet records.

The engine sits at the edge of fixer: every record goes through
``fixer.pipeline.repair`` (steps and report-only findings in one pass)
with the same options as ``fixer fix``; nothing here knows about damage.

Records are streamed in batches, so memory stays bounded whatever the input
size. Batches run on local processes (:class:`concurrent.futures.ProcessPoolExecutor`)
or on a Dask cluster; results are written in input order either way, so both
engines give the same output, record for record.

For Spark, Ray or Dask pipelines of your own, :func:`repair_record` and the
picklable :class:`RecordRepairer` repair one record dict at a time.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import click

from fixer.config import (
    DEFAULT_CONFIG,
    PUNCT_POLICIES,
    SCRIPT_TARGETS,
    FixerConfig,
    load_pyproject_settings,
    make_config,
)

#: Before/after examples kept per damage class in the statistics.
EXAMPLES_PER_CLASS = 5
#: Longest excerpt (characters) stored for an example's before/after text.
EXCERPT_CHARS = 80
#: Characters of surrounding text shown on each side of an example.
CONTEXT_CHARS = 16
#: Steps of one record replayed to give examples their context.
EXAMPLE_STEP_LIMIT = 64
#: A JSON-lines batch also closes once its lines reach this many bytes.
BATCH_BYTE_LIMIT = 8 * 1024 * 1024
#: Batches in flight per worker (bounds memory on the submitting side).
BATCHES_IN_FLIGHT_PER_WORKER = 2
#: How long the Dask engine waits to reach a scheduler.
DASK_CONNECT_TIMEOUT = "10s"

#: Record statuses: repaired or not, or why the field was passed through untouched.
CHANGED, UNCHANGED = "changed", "unchanged"
MISSING, NULL, NOT_STRING, NOT_OBJECT = "missing", "null", "not-string", "not-object"
PASS_THROUGH_STATUSES = (MISSING, NULL, NOT_STRING, NOT_OBJECT)

JSONL, PARQUET = "jsonl", "parquet"


class CorpusError(Exception):
    """A problem with the input, output or engine; its message is one line for the user."""


# --------------------------------------------------------------------------- statistics


@dataclass
class ClassTally:
    """Counts for one damage class: steps (or findings), records, and a few examples."""

    count: int = 0
    records: int = 0
    examples: list[dict[str, str]] = field(default_factory=list)

    def merge(self, other: ClassTally) -> None:
        """Add *other*'s counts; keep the earliest distinct examples."""
        self.count += other.count
        self.records += other.records
        self.add_examples(other.examples)

    def add_examples(self, examples: Iterable[dict[str, str]]) -> None:
        """Keep up to :data:`EXAMPLES_PER_CLASS` examples, skipping repeated changes."""
        for example in examples:
            if len(self.examples) >= EXAMPLES_PER_CLASS:
                return
            if not any(_same_change(example, kept) for kept in self.examples):
                self.examples.append(example)

    def as_dict(self, count_name: str) -> dict[str, Any]:
        """The JSON form: ``{count_name: n, "records": n, "examples": [...]}``."""
        return {count_name: self.count, "records": self.records, "examples": list(self.examples)}


@dataclass
class RecordStats:
    """What happened to one record.

    status: ``changed``, ``unchanged``, or why the record passed through
        untouched (``missing``, ``null``, ``not-string``, ``not-object``).
    steps: repair steps per damage class (``Step.kind``).
    reported: report-only findings (not repairable) per damage class.
    examples, reported_examples: a few excerpts per class for the report.
    """

    status: str
    steps: dict[str, int] = field(default_factory=dict)
    reported: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    reported_examples: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """True when the field's text was repaired."""
        return self.status == CHANGED

    @property
    def passed_through(self) -> bool:
        """True when the field was missing or not a string (record left as is)."""
        return self.status in PASS_THROUGH_STATUSES


@dataclass
class CorpusStats:
    """Mergeable totals over many records; merging in input order is deterministic."""

    read: int = 0
    changed: int = 0
    unchanged: int = 0
    passed_through: dict[str, int] = field(default_factory=dict)
    classes: dict[str, ClassTally] = field(default_factory=dict)
    reported: dict[str, ClassTally] = field(default_factory=dict)

    def add(self, record: RecordStats) -> None:
        """Count one record."""
        self.read += 1
        if record.status == CHANGED:
            self.changed += 1
        elif record.status == UNCHANGED:
            self.unchanged += 1
        else:
            self.passed_through[record.status] = self.passed_through.get(record.status, 0) + 1
        _tally(self.classes, record.steps, record.examples)
        _tally(self.reported, record.reported, record.reported_examples)

    def merge(self, other: CorpusStats) -> None:
        """Add the totals of *other* (a later part of the input)."""
        self.read += other.read
        self.changed += other.changed
        self.unchanged += other.unchanged
        for status, count in other.passed_through.items():
            self.passed_through[status] = self.passed_through.get(status, 0) + count
        for mine, theirs in ((self.classes, other.classes), (self.reported, other.reported)):
            for kind, tally in theirs.items():
                mine.setdefault(kind, ClassTally()).merge(tally)

    def needs_example(self, kind: str) -> bool:
        """True while fewer than :data:`EXAMPLES_PER_CLASS` examples of *kind* are kept."""
        tally = self.classes.get(kind)
        return tally is None or len(tally.examples) < EXAMPLES_PER_CLASS

    def needs_reported_example(self, kind: str) -> bool:
        """Like :meth:`needs_example`, for report-only findings."""
        tally = self.reported.get(kind)
        return tally is None or len(tally.examples) < EXAMPLES_PER_CLASS

    def as_dict(self) -> dict[str, Any]:
        """The JSON summary written by ``--stats`` (without run metadata)."""
        return {
            "records": {
                "read": self.read,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "passed_through": sum(self.passed_through.values()),
            },
            "passed_through": {
                status: self.passed_through.get(status, 0) for status in PASS_THROUGH_STATUSES
            },
            "classes": {kind: self.classes[kind].as_dict("steps") for kind in sorted(self.classes)},
            "reported": {
                kind: self.reported[kind].as_dict("findings") for kind in sorted(self.reported)
            },
        }


def _tally(
    totals: dict[str, ClassTally],
    counts: dict[str, int],
    examples: dict[str, list[dict[str, str]]],
) -> None:
    for kind, count in counts.items():
        tally = totals.setdefault(kind, ClassTally())
        tally.count += count
        tally.records += 1
        tally.add_examples(examples.get(kind, []))


def _same_change(one: dict[str, str], other: dict[str, str]) -> bool:
    """True when two examples show the same change (before/after, or excerpt)."""
    keys = ("before", "after") if "before" in one else ("excerpt",)
    return all(one.get(key) == other.get(key) for key in keys)


# --------------------------------------------------------------------------- record repair


def _core_repair() -> Callable[..., Any]:
    """fixer's own repair, which returns the steps and the reported findings in one pass."""
    from fixer.pipeline import repair

    return repair


def _excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _step_examples(
    text: str, steps: list[Any], wanted: Callable[[str], bool]
) -> dict[str, list[dict[str, str]]]:
    """Before/after excerpts with a little context, for the classes still wanting examples."""
    examples: dict[str, list[dict[str, str]]] = {}
    current = text
    for step in steps[:EXAMPLE_STEP_LIMIT]:
        kept = examples.setdefault(step.kind, [])
        if len(kept) < EXAMPLES_PER_CLASS and wanted(step.kind):
            kept.append(
                {
                    "left": current[max(0, step.start - CONTEXT_CHARS) : step.start],
                    "before": _excerpt(step.before),
                    "after": _excerpt(step.after),
                    "right": current[step.end : step.end + CONTEXT_CHARS],
                    "reason": step.reason,
                }
            )
        current = current[: step.start] + step.after + current[step.end :]
    return {kind: kept for kind, kept in examples.items() if kept}


def _repair_value(
    value: Any,
    config: FixerConfig,
    findings: bool,
    wanted: Callable[[str], bool],
    wanted_reported: Callable[[str], bool],
) -> tuple[Any, RecordStats]:
    """Repair one field value: the single code path of every engine and API."""
    if value is None:
        return value, RecordStats(NULL)
    if not isinstance(value, str):
        return value, RecordStats(NOT_STRING)
    result = _core_repair()(value, config)
    repaired, steps = result.text, result.steps
    stats = RecordStats(CHANGED if repaired != value else UNCHANGED)
    for step in steps:
        stats.steps[step.kind] = stats.steps.get(step.kind, 0) + 1
    if steps and any(wanted(kind) for kind in stats.steps):
        stats.examples = _step_examples(value, steps, wanted)
    if findings:
        for finding in result.reports:
            stats.reported[finding.kind] = stats.reported.get(finding.kind, 0) + 1
            kept = stats.reported_examples.setdefault(finding.kind, [])
            if len(kept) < EXAMPLES_PER_CLASS and wanted_reported(finding.kind):
                kept.append({"excerpt": _excerpt(finding.excerpt), "message": finding.message})
        stats.reported_examples = {k: v for k, v in stats.reported_examples.items() if v}
    return repaired, stats


def _always(_kind: str) -> bool:
    return True


def repair_record(
    record: Any, field: str, config: FixerConfig = DEFAULT_CONFIG, *, findings: bool = False
) -> tuple[Any, RecordStats]:
    """Repair ``record[field]`` with fixer's repair and the options in *config*.

    Returns the record (a new dict when the text changed; other keys and their
    order kept) and its :class:`RecordStats`. A record that is not a dict, or
    whose field is missing, null or not a string, is returned unchanged and
    counted as passed through. With ``findings=True`` the text is also scanned
    for report-only (non-repairable) findings.
    """
    if not isinstance(record, dict):
        return record, RecordStats(NOT_OBJECT)
    if field not in record:
        return record, RecordStats(MISSING)
    repaired, stats = _repair_value(record[field], config, findings, _always, _always)
    if stats.changed:
        record = {**record, field: repaired}
    return record, stats


class RecordRepairer:
    """Picklable callable ``record -> (record, RecordStats)`` for Spark, Ray or Dask maps."""

    def __init__(
        self, field: str, config: FixerConfig | None = None, *, findings: bool = False
    ) -> None:
        self.field = field
        self.config = (config if config is not None else DEFAULT_CONFIG).validate()
        self.findings = findings

    def __call__(self, record: Any) -> tuple[Any, RecordStats]:
        return repair_record(record, self.field, self.config, findings=self.findings)

    def __repr__(self) -> str:
        return f"RecordRepairer(field={self.field!r}, config={self.config!r})"


# --------------------------------------------------------------------------- batch workers


def _json_line(record: Any) -> bytes:
    try:
        return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # lone surrogates from \ud8xx escapes: keep them escaped
        return json.dumps(record).encode("ascii") + b"\n"


def repair_jsonl_batch(
    lines: list[bytes], first_line: int, repairer: RecordRepairer
) -> tuple[bytes, CorpusStats]:
    """Repair a batch of raw JSON lines; return the output bytes and the batch's stats.

    Unchanged records are written back byte for byte; changed ones are
    re-serialised with ``ensure_ascii=False``. Blank lines are dropped.
    """
    stats = CorpusStats()
    out: list[bytes] = []
    field_name = repairer.field
    for number, line in enumerate(lines, start=first_line):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            reason = error.msg if isinstance(error, json.JSONDecodeError) else error.reason
            raise CorpusError(f"line {number}: not valid JSON ({reason})") from None
        if not isinstance(record, dict):
            record_stats = RecordStats(NOT_OBJECT)
        elif field_name not in record:
            record_stats = RecordStats(MISSING)
        else:
            repaired, record_stats = _repair_value(
                record[field_name],
                repairer.config,
                repairer.findings,
                stats.needs_example,
                stats.needs_reported_example,
            )
            if record_stats.changed:
                record[field_name] = repaired
        stats.add(record_stats)
        if record_stats.changed:
            out.append(_json_line(record))
        else:
            out.append(line if line.endswith(b"\n") else line + b"\n")
    return b"".join(out), stats


def repair_arrow_batch(batch: Any, repairer: RecordRepairer) -> tuple[Any, CorpusStats]:
    """Repair the field column of a ``pyarrow.RecordBatch``; other columns are untouched."""
    import pyarrow as pa

    stats = CorpusStats()
    index = batch.schema.get_field_index(repairer.field)
    if index < 0:
        for _ in range(batch.num_rows):
            stats.add(RecordStats(MISSING))
        return batch, stats
    column = batch.column(index)
    values = column.to_pylist()
    repaired_values: list[Any] = []
    any_changed = False
    for value in values:
        repaired, record_stats = _repair_value(
            value,
            repairer.config,
            repairer.findings,
            stats.needs_example,
            stats.needs_reported_example,
        )
        stats.add(record_stats)
        any_changed = any_changed or record_stats.changed
        repaired_values.append(repaired)
    if not any_changed:
        return batch, stats
    try:
        new_column = pa.array(repaired_values, type=column.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        new_column = pa.array(repaired_values).cast(column.type)
    columns = list(batch.columns)
    columns[index] = new_column
    return pa.RecordBatch.from_arrays(columns, schema=batch.schema), stats


# --------------------------------------------------------------------------- formats


@dataclass(frozen=True)
class FileFormat:
    """How a path is read or written: ``jsonl`` or ``parquet``, and its compression."""

    kind: str
    compression: str | None = None

    @classmethod
    def of(cls, path: Path) -> FileFormat:
        """Decide the format from the file name's suffixes."""
        suffixes = [suffix.lower() for suffix in path.suffixes]
        last = suffixes[-1] if suffixes else ""
        if last in (".parquet", ".pq"):
            return cls(PARQUET)
        if last in (".gz", ".gzip"):
            return cls(JSONL, "gzip")
        if last in (".zst", ".zstd"):
            return cls(JSONL, "zstd")
        return cls(JSONL)


def _zstandard() -> Any:
    try:
        import zstandard
    except ImportError as error:
        raise CorpusError(
            "zstandard files need the zstandard package: pip install 'fixer[corpus]'"
        ) from error
    return zstandard


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as error:
        raise CorpusError("Parquet files need pyarrow: pip install 'fixer[corpus]'") from error
    return pq


@contextlib.contextmanager
def _open_jsonl_input(path: Path, compression: str | None) -> Iterator[tuple[BinaryIO, BinaryIO]]:
    """Yield (line reader, raw file) so progress can follow the raw file's position."""
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(path.open("rb"))
        if compression == "gzip":
            reader: BinaryIO = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))
        elif compression == "zstd":
            stream = (
                _zstandard()
                .ZstdDecompressor()
                .stream_reader(raw, read_across_frames=True, closefd=False)
            )
            stack.enter_context(stream)
            reader = stack.enter_context(io.BufferedReader(stream, buffer_size=1 << 20))
        else:
            reader = raw
        yield reader, raw


@contextlib.contextmanager
def _open_jsonl_output(path: Path, compression: str | None) -> Iterator[BinaryIO]:
    with contextlib.ExitStack() as stack:
        raw = stack.enter_context(path.open("wb"))
        if compression == "gzip":
            yield stack.enter_context(gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6))
        elif compression == "zstd":
            compressor = _zstandard().ZstdCompressor(level=3)
            yield stack.enter_context(compressor.stream_writer(raw, closefd=False))
        else:
            yield raw


def iter_jsonl_batches(
    reader: BinaryIO, batch_size: int, byte_limit: int = BATCH_BYTE_LIMIT
) -> Iterator[tuple[list[bytes], int]]:
    """Yield (raw lines, number of the first line) of at most *batch_size* lines."""
    lines: list[bytes] = []
    size = 0
    first = 1
    number = 0
    for number, line in enumerate(reader, start=1):
        lines.append(line)
        size += len(line)
        if len(lines) >= batch_size or size >= byte_limit:
            yield lines, first
            lines, size, first = [], 0, number + 1
    if lines:
        yield lines, first


# --------------------------------------------------------------------------- engines


def _map_local(
    function: Callable[..., Any], arguments: Iterable[tuple[Any, ...]], jobs: int
) -> Iterator[Any]:
    """``function(*args)`` for each args, in order, on *jobs* processes (inline for 1)."""
    if jobs <= 1:
        for args in arguments:
            yield function(*args)
        return
    window = jobs * BATCHES_IN_FLIGHT_PER_WORKER
    pending: deque[Any] = deque()
    executor = ProcessPoolExecutor(max_workers=jobs)
    try:
        for args in arguments:
            pending.append(executor.submit(function, *args))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _map_dask(
    function: Callable[..., Any],
    arguments: Iterable[tuple[Any, ...]],
    scheduler: str | None,
    jobs: int,
) -> Iterator[Any]:
    """The same ordered map on a Dask cluster (an existing one, or a LocalCluster)."""
    try:
        import logging

        from distributed import Client, LocalCluster
    except ImportError as error:
        raise CorpusError(
            "the dask engine needs Dask's distributed scheduler: pip install 'fixer[dask]'"
        ) from error
    with contextlib.ExitStack() as stack:
        if scheduler:
            try:
                client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as error:
                raise CorpusError(
                    f"cannot reach the Dask scheduler at {scheduler}: {error}"
                ) from error
        else:
            cluster = LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
                silence_logs=logging.ERROR,
            )
            stack.callback(cluster.close)
            client = Client(cluster)
        stack.callback(client.close)
        threads = sum(client.nthreads().values()) or 1
        window = threads * BATCHES_IN_FLIGHT_PER_WORKER
        pending: deque[Any] = deque()

        def submit(args: tuple[Any, ...]) -> Any:
            payload, *rest = args
            [scattered] = client.scatter([payload], hash=False)
            return client.submit(function, scattered, *rest, pure=False)

        def collect() -> Any:
            future = pending.popleft()
            result = future.result()
            future.release()
            return result

        for args in arguments:
            pending.append(submit(args))
            if len(pending) >= window:
                yield collect()
        while pending:
            yield collect()


def _ordered_map(
    function: Callable[..., Any],
    arguments: Iterable[tuple[Any, ...]],
    engine: str,
    scheduler: str | None,
    jobs: int,
) -> Iterator[Any]:
    if engine == "dask":
        return _map_dask(function, arguments, scheduler, jobs)
    if engine != "local":
        raise CorpusError(f"unknown engine {engine!r}: expected local or dask")
    return _map_local(function, arguments, jobs)


# --------------------------------------------------------------------------- progress


class _Progress:
    """A rich progress bar with records/s on a terminal; silent otherwise."""

    def __init__(self, enabled: bool, total: int | None, unit: str) -> None:
        self._bar: Any = None
        self._task: Any = None
        self._started = time.perf_counter()
        if not enabled:
            return
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
        except ImportError:
            return
        self._bar = Progress(
            TextColumn("fixer corpus"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[records]:,} records"),
            TextColumn("{task.fields[rate]:,.0f} records/s"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task(unit, total=total, records=0, rate=0.0)
        self._bar.start()

    def update(self, completed: int, records: int) -> None:
        if self._bar is None:
            return
        elapsed = max(time.perf_counter() - self._started, 1e-9)
        self._bar.update(self._task, completed=completed, records=records, rate=records / elapsed)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


# --------------------------------------------------------------------------- the run


@dataclass
class CorpusRun:
    """The outcome of :func:`run_corpus`: totals plus what was run, for ``--stats``."""

    stats: CorpusStats
    input: str
    output: str
    field: str
    engine: str
    config: FixerConfig
    seconds: float
    input_bytes: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON summary written by ``--stats``."""
        summary: dict[str, Any] = {
            "input": self.input,
            "output": self.output,
            "field": self.field,
            "engine": self.engine,
            "options": {"to": self.config.to, "punct": self.config.punct},
        }
        summary.update(self.stats.as_dict())
        rate = self.stats.read / self.seconds if self.seconds > 0 else 0.0
        summary["timing"] = {
            "seconds": round(self.seconds, 3),
            "records_per_second": round(rate, 1),
            "input_megabytes_per_second": round(self.input_bytes / 1e6 / self.seconds, 2)
            if self.seconds > 0
            else 0.0,
        }
        return summary


def _partial_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.partial-{os.getpid()}")


def run_corpus(
    input_path: Path | str,
    output_path: Path | str,
    field: str = "text",
    config: FixerConfig = DEFAULT_CONFIG,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    jobs: int | None = None,
    batch_size: int = 1000,
    findings: bool = False,
    progress: bool = False,
) -> CorpusRun:
    """Repair *field* in every record of *input_path* into *output_path* (same format).

    The output is written to a temporary file beside *output_path* and moved
    into place at the end. Raises :class:`CorpusError` with a one-line message.
    """
    source, target = Path(input_path), Path(output_path)
    if not source.is_file():
        raise CorpusError(f"{source}: no such file")
    if source.resolve() == target.resolve():
        raise CorpusError("the output must be a different file from the input")
    if batch_size < 1:
        raise CorpusError("--batch-size must be at least 1")
    source_format, target_format = FileFormat.of(source), FileFormat.of(target)
    if source_format.kind != target_format.kind:
        raise CorpusError(
            f"{target.name}: output must have the input's format "
            f"({source_format.kind} in, {source_format.kind} out); only compression may change"
        )
    jobs = jobs or os.cpu_count() or 1
    repairer = RecordRepairer(field, config, findings=findings)
    partial = _partial_path(target)
    started = time.perf_counter()
    try:
        if source_format.kind == PARQUET:
            stats = _run_parquet(
                source, partial, repairer, engine, scheduler, jobs, batch_size, progress
            )
        else:
            stats = _run_jsonl(
                source,
                partial,
                source_format,
                target_format,
                repairer,
                engine,
                scheduler,
                jobs,
                batch_size,
                progress,
            )
        os.replace(partial, target)
    except CorpusError as error:
        raise CorpusError(f"{source.name}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return CorpusRun(
        stats=stats,
        input=str(source),
        output=str(target),
        field=field,
        engine=engine,
        config=repairer.config,
        seconds=time.perf_counter() - started,
        input_bytes=source.stat().st_size,
    )


def _run_jsonl(
    source: Path,
    partial: Path,
    source_format: FileFormat,
    target_format: FileFormat,
    repairer: RecordRepairer,
    engine: str,
    scheduler: str | None,
    jobs: int,
    batch_size: int,
    progress: bool,
) -> CorpusStats:
    stats = CorpusStats()
    bar = _Progress(progress, source.stat().st_size, "bytes")
    positions: deque[int] = deque()
    try:
        with (
            _open_jsonl_input(source, source_format.compression) as (reader, raw),
            _open_jsonl_output(partial, target_format.compression) as writer,
        ):

            def arguments() -> Iterator[tuple[Any, ...]]:
                for lines, first in iter_jsonl_batches(reader, batch_size):
                    positions.append(raw.tell())
                    yield lines, first, repairer

            for data, batch_stats in _ordered_map(
                repair_jsonl_batch, arguments(), engine, scheduler, jobs
            ):
                writer.write(data)
                stats.merge(batch_stats)
                bar.update(positions.popleft(), stats.read)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise CorpusError(f"cannot read or write: {error}") from error
    except Exception as error:
        if type(error).__name__ == "ZstdError":
            raise CorpusError(f"invalid zstandard data: {error}") from error
        raise
    finally:
        bar.close()
    return stats


def _run_parquet(
    source: Path,
    partial: Path,
    repairer: RecordRepairer,
    engine: str,
    scheduler: str | None,
    jobs: int,
    batch_size: int,
    progress: bool,
) -> CorpusStats:
    pq = _pyarrow_parquet()
    import pyarrow as pa

    stats = CorpusStats()
    try:
        parquet = pq.ParquetFile(source)
    except (OSError, pa.ArrowException) as error:
        raise CorpusError(f"not a readable Parquet file: {error}") from error
    compression = "snappy"
    with contextlib.suppress(Exception):
        compression = parquet.metadata.row_group(0).column(0).compression.lower()
    bar = _Progress(progress, parquet.metadata.num_rows, "records")
    try:
        with pq.ParquetWriter(partial, parquet.schema_arrow, compression=compression) as writer:
            arguments = ((batch, repairer) for batch in parquet.iter_batches(batch_size=batch_size))
            for batch, batch_stats in _ordered_map(
                repair_arrow_batch, arguments, engine, scheduler, jobs
            ):
                writer.write_batch(batch)
                stats.merge(batch_stats)
                bar.update(stats.read, stats.read)
    except (OSError, pa.ArrowException) as error:
        raise CorpusError(f"cannot read or write Parquet: {error}") from error
    finally:
        bar.close()
    return stats


# --------------------------------------------------------------------------- CLI


def _settings_config(source: Path, to: str | None, punct: str | None) -> tuple[FixerConfig, Any]:
    """Options from ``[tool.fixer]`` (nearest pyproject.toml of the input), then the flags."""
    settings = load_pyproject_settings(source)
    jobs_setting = settings.pop("jobs", None)
    settings.pop("exclude", None)
    if to is not None:
        settings["to"] = to
    if punct is not None:
        settings["punct"] = punct
    return make_config(**settings), jobs_setting


@click.command(
    "corpus",
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.argument("input_path", metavar="IN", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "output_path",
    required=True,
    metavar="OUT",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Output file; its suffix decides compression (.jsonl, .jsonl.gz, .jsonl.zst, .parquet).",
)
@click.option("--field", default="text", show_default=True, help="Record field to repair.")
@click.option(
    "--to",
    type=click.Choice(SCRIPT_TARGETS),
    default=None,
    help="Script target, as for `fixer fix` (default: keep).",
)
@click.option(
    "--punct",
    type=click.Choice(PUNCT_POLICIES),
    default=None,
    help="Punctuation policy, as for `fixer fix` (default: keep).",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run on local processes or on a Dask cluster.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Dask scheduler address (tcp://host:port); default: start a LocalCluster.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: all cores).",
)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Records per batch sent to a worker.",
)
@click.option(
    "--stats",
    "stats_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a JSON summary of the run here.",
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write a standalone HTML report here.",
)
@click.pass_context
def corpus_command(
    ctx: click.Context,
    input_path: Path,
    output_path: Path,
    field: str,
    to: str | None,
    punct: str | None,
    engine: str,
    scheduler: str | None,
    jobs: int | None,
    batch_size: int,
    stats_path: Path | None,
    report_path: Path | None,
) -> None:
    """Repair the FIELD of every record of a JSON-lines or Parquet corpus.

    Same repair and options as `fixer fix`, record order and other fields kept.
    Exit status: 0 nothing changed, 1 records changed, 2 error.
    """
    try:
        config, jobs_setting = _settings_config(input_path, to, punct)
        if scheduler and engine != "dask":
            raise CorpusError("--scheduler needs --engine dask")
        run = run_corpus(
            input_path,
            output_path,
            field,
            config,
            engine=engine,
            scheduler=scheduler,
            jobs=jobs or jobs_setting,
            batch_size=batch_size,
            findings=bool(stats_path or report_path),
            progress=sys.stderr.isatty(),
        )
        summary = run.as_dict()
        if stats_path is not None:
            text = json.dumps(summary, ensure_ascii=False, indent=2)
            try:
                stats_path.write_text(text + "\n", encoding="utf-8")
            except UnicodeEncodeError:  # lone surrogates in an excerpt: escape everything
                stats_path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        if report_path is not None:
            from fixer.report import render_corpus_report

            report_path.write_text(
                render_corpus_report(summary), encoding="utf-8", errors="backslashreplace"
            )
    except (CorpusError, ValueError, TypeError, OSError) as error:
        click.echo(f"fixer corpus: error: {error}", err=True)
        ctx.exit(2)
    except Exception as error:  # a failure inside a worker: still one line, status 2
        click.echo(f"fixer corpus: error: {type(error).__name__}: {error}", err=True)
        ctx.exit(2)
    stats = run.stats
    passed = sum(stats.passed_through.values())
    rate = stats.read / run.seconds if run.seconds > 0 else 0.0
    click.echo(
        f"fixer corpus: {stats.read:,} records, {stats.changed:,} changed, "
        f"{passed:,} passed through -> {output_path} ({run.seconds:.1f} s, {rate:,.0f} records/s)",
        err=True,
    )
    ctx.exit(1 if stats.changed else 0)


if __name__ == "__main__":  # pragma: no cover - `python -m fixer.corpus`
    # Run the command from the imported module, so workers unpickle fixer.corpus functions.
    from fixer.corpus import corpus_command as command

    command()
