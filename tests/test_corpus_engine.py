"""The corpus engine: formats, odd records, order, exit codes, stats, report, pickling."""

from __future__ import annotations

import gzip
import io
import json
import pickle
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from fixer.config import make_config
from fixer.corpus import (
    BATCHES_IN_FLIGHT_PER_WORKER,
    CorpusStats,
    RecordRepairer,
    _map_local,
    corpus_command,
    iter_jsonl_batches,
    repair_jsonl_batch,
    repair_record,
)
from fixer.report import render_corpus_report
from tests.cjk_samples import gbk_mojibake, readable_words

# Two-character words whose UTF-8 bytes also read as GBK; sentences built from them
# turn into GBK mojibake ("鎴戜滑..."-like) that the repair must undo.
CLEAN = "今天天气很好，我们去公园散步。数据清洗是一项重要的工作。"
LOST = "这段文字在传输中丢失了\ufffd\ufffd一些内容。"


def damaged_sentence(seed: int) -> tuple[str, str]:
    """(UTF-8 source sentence, its mojibake) built from readable words."""
    words = readable_words()
    source = "".join(words[(seed + step * 3) % len(words)] for step in range(10))
    return source, gbk_mojibake(source)


# --------------------------------------------------------------------------- helpers


def sample_records() -> list[Any]:
    records: list[Any] = []
    for index in range(12):
        _, damaged = damaged_sentence(index)
        records.append({"id": index, "text": damaged, "meta": {"url": f"http://x/{index}"}})
        records.append({"id": f"c{index}", "text": CLEAN, "score": 0.5, "tags": ["a", "b"]})
    records.append({"id": "missing", "body": "no text field"})
    records.append({"id": "null", "text": None})
    records.append({"id": "number", "text": 42})
    records.append({"id": "nested", "text": {"inner": damaged_sentence(1)[1]}, "n": [1, 2]})
    records.append({"id": "lost", "text": LOST})
    return records


def write_jsonl(path: Path, records: list[Any]) -> None:
    data = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    raw = data.encode("utf-8")
    if path.suffix == ".gz":
        raw = gzip.compress(raw)
    elif path.suffix == ".zst":
        zstandard = pytest.importorskip("zstandard")
        raw = zstandard.ZstdCompressor().compress(raw)
    path.write_bytes(raw)


def read_jsonl(path: Path) -> list[Any]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    elif path.suffix == ".zst":
        zstandard = pytest.importorskip("zstandard")
        raw = zstandard.ZstdDecompressor().decompressobj().decompress(raw)
    return [json.loads(line) for line in raw.decode("utf-8").splitlines() if line.strip()]


def run_cli(*args: str) -> Any:
    return CliRunner().invoke(corpus_command, list(args), catch_exceptions=False)


def check_repaired(records_in: list[Any], records_out: list[Any]) -> None:
    """Same records in the same order; only damaged texts changed; other fields untouched."""
    assert len(records_out) == len(records_in)
    for before, after in zip(records_in, records_out, strict=True):
        assert after["id"] == before["id"]
        assert {key: value for key, value in after.items() if key != "text"} == {
            key: value for key, value in before.items() if key != "text"
        }
        if isinstance(before.get("text"), str) and before["text"] not in (CLEAN, LOST):
            assert after["text"] != before["text"], before["id"]
        else:
            assert after.get("text") == before.get("text"), before["id"]


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_jsonl_round_trip(tmp_path: Path, suffix: str, jobs: str) -> None:
    records = sample_records()
    source, target = tmp_path / f"in{suffix}", tmp_path / f"out{suffix}"
    write_jsonl(source, records)
    result = run_cli(str(source), "-o", str(target), "--jobs", jobs, "--batch-size", "5")
    assert result.exit_code == 1, result.output
    output = read_jsonl(target)
    check_repaired(records, output)
    # the mojibake of a sentence repairs to that sentence
    assert output[0]["text"] == damaged_sentence(0)[0]


def test_unchanged_jsonl_lines_are_kept_byte_for_byte(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    odd_line = b'{"id": 1,   "text": "\\u4eca\\u5929",  "x": 1.50}\n'
    source.write_bytes(odd_line + b'{"id": 2, "text": "plain"}')
    result = run_cli(str(source), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == odd_line + b'{"id": 2, "text": "plain"}\n'


def test_changed_records_are_written_without_ascii_escapes(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    original, damaged = damaged_sentence(3)
    source.write_text(json.dumps({"text": damaged, "note": "é"}) + "\n", encoding="utf-8")
    assert run_cli(str(source), "-o", str(target)).exit_code == 1
    line = target.read_text(encoding="utf-8")
    assert original in line and "é" in line and "\\u" not in line


def test_parquet_round_trip_keeps_schema(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [
        {"id": index, "text": text, "score": index / 3}
        for index, text in enumerate(
            [damaged_sentence(0)[1], CLEAN, None, damaged_sentence(5)[1], LOST] * 7
        )
    ]
    source, target = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pq.write_table(pa.Table.from_pylist(rows), source)
    result = run_cli(str(source), "-o", str(target), "--batch-size", "4", "--jobs", "2")
    assert result.exit_code == 1, result.output
    table = pq.read_table(target)
    assert table.schema == pq.read_table(source).schema
    output = table.to_pylist()
    assert [row["id"] for row in output] == [row["id"] for row in rows]
    assert [row["score"] for row in output] == [row["score"] for row in rows]
    for before, after in zip(rows, output, strict=True):
        changed = before["text"] not in (CLEAN, LOST, None)
        assert (after["text"] != before["text"]) == changed


def test_parquet_without_the_field_passes_through(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source, target, stats = tmp_path / "in.parquet", tmp_path / "out.parquet", tmp_path / "s.json"
    pq.write_table(pa.table({"body": ["x", "y"], "n": [1, 2]}), source)
    assert run_cli(str(source), "-o", str(target), "--stats", str(stats)).exit_code == 0
    assert pq.read_table(target).equals(pq.read_table(source))
    summary = json.loads(stats.read_text())
    assert summary["passed_through"]["missing"] == 2


# --------------------------------------------------------------------------- odd records


def test_odd_records_pass_through_and_are_counted() -> None:
    config = make_config()
    for record, status in (
        ({"body": "x"}, "missing"),
        ({"text": None}, "null"),
        ({"text": 42}, "not-string"),
        ({"text": {"nested": damaged_sentence(2)[1]}}, "not-string"),
        (["not", "an", "object"], "not-object"),
    ):
        result, stats = repair_record(record, "text", config)
        assert result is record
        assert stats.status == status and stats.passed_through and not stats.changed


def test_repair_record_does_not_mutate_its_input() -> None:
    record = {"a": 1, "text": damaged_sentence(4)[1], "z": 2}
    snapshot = dict(record)
    result, stats = repair_record(record, "text", make_config())
    assert record == snapshot
    assert stats.changed and list(result) == ["a", "text", "z"]
    assert result["text"] == damaged_sentence(4)[0]


def test_blank_lines_are_dropped_and_bad_json_is_an_error(tmp_path: Path) -> None:
    source, target = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text('{"text": "a"}\n\n{"text": "b"}\n', encoding="utf-8")
    assert run_cli(str(source), "-o", str(target)).exit_code == 0
    assert read_jsonl(target) == [{"text": "a"}, {"text": "b"}]
    source.write_text('{"text": "a"}\n{"text": \n', encoding="utf-8")
    result = CliRunner().invoke(corpus_command, [str(source), "-o", str(tmp_path / "o2.jsonl")])
    assert result.exit_code == 2
    assert "line 2" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o2.jsonl").exists()


# --------------------------------------------------------------------------- exit codes


def test_exit_codes(tmp_path: Path) -> None:
    clean, damaged = tmp_path / "clean.jsonl", tmp_path / "damaged.jsonl"
    write_jsonl(clean, [{"text": CLEAN}, {"text": "plain ascii"}])
    write_jsonl(damaged, [{"text": CLEAN}, {"text": damaged_sentence(0)[1]}])
    assert run_cli(str(clean), "-o", str(tmp_path / "o1.jsonl")).exit_code == 0
    assert run_cli(str(damaged), "-o", str(tmp_path / "o2.jsonl")).exit_code == 1
    runner = CliRunner()
    for args in (
        [str(tmp_path / "absent.jsonl"), "-o", str(tmp_path / "o3.jsonl")],
        [str(clean), "-o", str(clean)],
        [str(clean), "-o", str(tmp_path / "o4.parquet")],
        [str(clean), "-o", str(tmp_path / "o5.jsonl"), "--to", "klingon"],
        [str(clean), "-o", str(tmp_path / "o6.jsonl"), "--scheduler", "tcp://127.0.0.1:1"],
    ):
        result = runner.invoke(corpus_command, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_compression_may_change_between_input_and_output(tmp_path: Path) -> None:
    records = sample_records()
    source, target = tmp_path / "in.jsonl.gz", tmp_path / "out.jsonl"
    write_jsonl(source, records)
    assert run_cli(str(source), "-o", str(target)).exit_code == 1
    check_repaired(records, read_jsonl(target))


# --------------------------------------------------------------------------- stats & report


def test_stats_json(tmp_path: Path) -> None:
    records = sample_records()
    source, target, stats = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.json"
    write_jsonl(source, records)
    result = run_cli(str(source), "-o", str(target), "--stats", str(stats), "--batch-size", "3")
    assert result.exit_code == 1
    summary = json.loads(stats.read_text(encoding="utf-8"))
    output = read_jsonl(target)
    changed = sum(before != after for before, after in zip(records, output, strict=True))
    assert summary["records"]["read"] == len(records)
    assert summary["records"]["changed"] == changed == 12
    assert summary["passed_through"] == {"missing": 1, "null": 1, "not-string": 2, "not-object": 0}
    assert summary["records"]["passed_through"] == 4
    assert (
        summary["records"]["changed"] + summary["records"]["unchanged"] + 4
        == summary["records"]["read"]
    )
    assert summary["classes"], "changed records must be explained by steps"
    assert sum(tally["records"] for tally in summary["classes"].values()) >= changed
    for tally in summary["classes"].values():
        assert tally["steps"] >= tally["records"] >= 1
        assert 1 <= len(tally["examples"]) <= 5
        for example in tally["examples"]:
            assert example["before"] != example["after"]
            assert len(example["before"]) <= 80 and len(example["after"]) <= 80
    assert summary["reported"], "the U+FFFD record is reported"
    assert all(tally["findings"] >= 1 for tally in summary["reported"].values())
    assert summary["field"] == "text" and summary["options"]["to"] == "keep"


def test_stats_do_not_depend_on_batching(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    write_jsonl(source, sample_records())
    summaries = []
    for batch_size, jobs in (("1", "1"), ("4", "2"), ("1000", "2")):
        stats = tmp_path / f"s{batch_size}.json"
        run_cli(
            str(source),
            "-o",
            str(tmp_path / f"o{batch_size}.jsonl"),
            "--stats",
            str(stats),
            "--batch-size",
            batch_size,
            "--jobs",
            jobs,
        )
        summary = json.loads(stats.read_text(encoding="utf-8"))
        summaries.append({key: summary[key] for key in ("records", "classes", "reported")})
    assert summaries[0] == summaries[1] == summaries[2]


def test_html_report_escapes_markup(tmp_path: Path) -> None:
    source, target, report = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "r.html"
    _, damaged = damaged_sentence(6)
    write_jsonl(source, [{"text": damaged + "<script>alert(1)</script>"}, {"text": LOST}])
    result = run_cli(str(source), "-o", str(target), "--report", str(report))
    assert result.exit_code == 1
    page = report.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page


def test_render_corpus_report_escapes_every_string() -> None:
    hostile = '<script>alert("x")</script>'
    summary = {
        "input": hostile,
        "field": hostile,
        "options": {"to": hostile},
        "records": {"read": 1, "changed": 1, "unchanged": 0, "passed_through": 0},
        "passed_through": {},
        "classes": {
            hostile: {
                "steps": 1,
                "records": 1,
                "examples": [
                    {
                        "left": hostile,
                        "before": hostile,
                        "after": hostile,
                        "right": hostile,
                        "reason": hostile,
                    }
                ],
            }
        },
        "reported": {
            hostile: {
                "findings": 1,
                "records": 1,
                "examples": [{"excerpt": hostile, "message": hostile}],
            }
        },
    }
    page = render_corpus_report(summary)
    assert "<script" not in page
    assert page.count("&lt;script&gt;") >= 10


# --------------------------------------------------------------------------- pickling


def test_record_repairer_pickles_and_runs() -> None:
    repairer = RecordRepairer("text", make_config(to="keep", punct="keep"), findings=True)
    clone = pickle.loads(pickle.dumps(repairer))
    original, damaged = damaged_sentence(7)
    record, stats = clone({"text": damaged, "k": 1})
    assert stats.changed and record == {"text": original, "k": 1}
    assert clone.field == repairer.field and clone.config == repairer.config
    function = pickle.loads(pickle.dumps(repair_record))
    assert function({"text": CLEAN}, "text", make_config())[1].status == "unchanged"


def test_batch_function_and_stats_pickle() -> None:
    repairer = RecordRepairer("text", make_config(), findings=True)
    lines = [json.dumps({"text": damaged_sentence(8)[1]}).encode() + b"\n", b'{"text": 1}\n']
    data, stats = pickle.loads(pickle.dumps(repair_jsonl_batch))(lines, 1, repairer)
    stats = pickle.loads(pickle.dumps(stats))
    assert isinstance(stats, CorpusStats)
    assert stats.read == 2 and stats.changed == 1 and stats.passed_through == {"not-string": 1}
    assert len(data.splitlines()) == 2


def test_dask_engine_without_distributed_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    source = tmp_path / "in.jsonl"
    write_jsonl(source, [{"text": CLEAN}])
    result = CliRunner().invoke(
        corpus_command, [str(source), "-o", str(tmp_path / "out.jsonl"), "--engine", "dask"]
    )
    assert result.exit_code == 2
    assert "fixer[dask]" in result.output and "Traceback" not in result.output


# --------------------------------------------------------------------------- bounded memory


def test_jsonl_batches_are_bounded_by_count_and_bytes() -> None:
    lines = [b'{"text": "%d"}\n' % index for index in range(10)]
    batches = list(iter_jsonl_batches(io.BytesIO(b"".join(lines)), 4))
    assert [len(batch) for batch, _ in batches] == [4, 4, 2]
    assert [first for _, first in batches] == [1, 5, 9]
    small = list(iter_jsonl_batches(io.BytesIO(b"".join(lines)), 100, byte_limit=30))
    assert all(sum(map(len, batch)) < 30 + len(lines[0]) for batch, _ in small)
    assert [line for batch, _ in small for line in batch] == lines


def _square(value: int) -> int:
    return value * value


@pytest.mark.parametrize("jobs", [1, 2])
def test_local_engine_keeps_order_and_bounds_batches_in_flight(jobs: int) -> None:
    pulled = []

    def arguments() -> Any:
        for value in range(50):
            pulled.append(value)
            yield (value,)

    results = _map_local(_square, arguments(), jobs)
    first = next(results)
    assert first == 0
    assert len(pulled) <= max(1, jobs * BATCHES_IN_FLIGHT_PER_WORKER)
    assert [first, *results] == [value * value for value in range(50)]


def test_lone_surrogates_survive_output_and_stats(tmp_path: Path) -> None:
    source, target, stats = tmp_path / "in.jsonl", tmp_path / "out.jsonl", tmp_path / "s.json"
    _, damaged = damaged_sentence(9)
    source.write_bytes(
        b'{"text": "\\ud800' + json.dumps(damaged)[1:-1].encode() + b'", "note": "\\udfff"}\n'
    )
    result = run_cli(
        str(source), "-o", str(target), "--stats", str(stats), "--report", str(tmp_path / "r.html")
    )
    assert result.exit_code in (0, 1), result.output
    [record] = read_jsonl(target)
    assert record["note"] == "\udfff"
    assert json.loads(stats.read_text(encoding="utf-8"))["records"]["read"] == 1
