"""The Dask engine on a real scheduler and worker (loopback) gives the local engine's output."""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixer import corpus
from fixer.corpus import corpus_command
from tests.cjk_samples import gbk_mojibake, readable_words

distributed = pytest.importorskip(
    "distributed", reason="Dask's distributed scheduler is not installed (pip install fixer[dask])"
)

CLEAN = "今天天气很好，我们去公园散步。"


def damaged_texts(count: int) -> list[str]:
    words = readable_words()
    return [
        gbk_mojibake("".join(words[(seed + step * 7) % len(words)] for step in range(12)))
        for seed in range(count)
    ]


def corpus_records() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for index, damaged in enumerate(damaged_texts(40)):
        records.append({"id": f"d{index}", "text": damaged, "lang": "zh"})
        records.append({"id": f"c{index}", "text": CLEAN, "extra": {"k": [1, 2]}})
    records += [{"id": "none", "text": None}, {"id": "nofield"}, {"id": "lost", "text": "丢\ufffd"}]
    return records


@pytest.fixture
def worker_preload() -> list[str]:
    """Worker preload modules: none, the workers import fixer's real repair core."""
    return []


@pytest.fixture
def scheduler_address(worker_preload: list[str]) -> Iterator[str]:
    """A real scheduler and one worker process on loopback."""
    cluster = distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
        preload=worker_preload,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def run(args: list[str]) -> Any:
    return CliRunner().invoke(corpus_command, args, catch_exceptions=False)


def summary_core(path: Path) -> dict[str, Any]:
    summary = json.loads(path.read_text(encoding="utf-8"))
    return {key: summary[key] for key in ("records", "passed_through", "classes", "reported")}


def test_dask_engine_matches_local_engine_jsonl(tmp_path: Path, scheduler_address: str) -> None:
    records = corpus_records()
    source = tmp_path / "in.jsonl.gz"
    source.write_bytes(
        gzip.compress(
            "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode()
        )
    )
    local, dask_out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    local_stats, dask_stats = tmp_path / "local.json", tmp_path / "dask.json"
    common = ["--batch-size", "7"]
    local_result = run(
        [str(source), "-o", str(local), "--jobs", "1", "--stats", str(local_stats), *common]
    )
    dask_result = run(
        [
            str(source),
            "-o",
            str(dask_out),
            "--engine",
            "dask",
            "--scheduler",
            scheduler_address,
            "--stats",
            str(dask_stats),
            *common,
        ]
    )
    assert local_result.exit_code == dask_result.exit_code == 1, dask_result.output
    local_lines = local.read_bytes().splitlines()
    dask_lines = dask_out.read_bytes().splitlines()
    assert len(local_lines) == len(dask_lines) == len(records)
    for local_line, dask_line in zip(local_lines, dask_lines, strict=True):
        assert json.loads(local_line) == json.loads(dask_line)
    assert local.read_bytes() == dask_out.read_bytes()
    assert summary_core(local_stats) == summary_core(dask_stats)
    changed = [
        json.loads(line) != record for line, record in zip(local_lines, records, strict=True)
    ]
    assert sum(changed) == 40


def test_dask_engine_matches_local_engine_parquet(tmp_path: Path, scheduler_address: str) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(corpus_records()), source)
    local, dask_out = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    assert run([str(source), "-o", str(local), "--jobs", "1", "--batch-size", "9"]).exit_code == 1
    result = run(
        [
            str(source),
            "-o",
            str(dask_out),
            "--engine",
            "dask",
            "--scheduler",
            scheduler_address,
            "--batch-size",
            "9",
        ]
    )
    assert result.exit_code == 1, result.output
    assert pq.read_table(local).equals(pq.read_table(dask_out))
    assert pq.read_table(local).to_pylist() != pq.read_table(source).to_pylist()


def test_dask_engine_without_scheduler_starts_a_local_cluster(
    tmp_path: Path, worker_preload: list[str]
) -> None:
    import dask

    source = tmp_path / "in.jsonl"
    source.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in corpus_records()),
        encoding="utf-8",
    )
    local, dask_out = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    assert run([str(source), "-o", str(local), "--jobs", "1"]).exit_code == 1
    with dask.config.set({"distributed.worker.preload": worker_preload}):
        result = run(
            [
                str(source),
                "-o",
                str(dask_out),
                "--engine",
                "dask",
                "--jobs",
                "1",
                "--batch-size",
                "10",
            ]
        )
    assert result.exit_code == 1, result.output
    assert local.read_bytes() == dask_out.read_bytes()


def test_unreachable_scheduler_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus, "DASK_CONNECT_TIMEOUT", "1s")
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "x"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        corpus_command,
        [
            str(source),
            "-o",
            str(tmp_path / "out.jsonl"),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
    )
    assert result.exit_code == 2
    assert "Dask scheduler" in result.output and "Traceback" not in result.output
