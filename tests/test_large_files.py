"""Large files are repaired in chunks split on line boundaries, with the same result as whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from fixer import config
from fixer.cli import cli
from fixer.result import fix_bytes, line_chunks

MOJIBAKE = "数据库连接失败了".encode().decode("gbk")


def _document(lines: int) -> bytes:
    rows = []
    for index in range(lines):
        if index % 40 == 7:
            rows.append(f"{MOJIBAKE} {index}\r\n")
        else:
            rows.append(f"第{index}行：正常的中文内容，用来测试大文件的分块处理。\r\n")
    return "".join(rows).encode()


def test_line_chunks_split_only_after_newlines() -> None:
    data = _document(500)
    pieces = [data[i : i + 777] for i in range(0, len(data), 777)]
    reader = iter([*pieces, b""])
    chunks = list(line_chunks(lambda size: next(reader), 1000))
    assert b"".join(chunks) == data
    assert len(chunks) > 10
    assert all(chunk.endswith(b"\n") for chunk in chunks)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(config, "CHUNK_BYTES", 64 * 1024)
    return 64 * 1024


def test_chunked_fix_equals_whole_file_fix(tmp_path: Path, small_chunks: int) -> None:
    data = _document(6000)
    assert len(data) > 5 * small_chunks
    whole = fix_bytes(data, config.FixerConfig())
    assert whole.verification.ok and whole.output is not None
    target = tmp_path / "big.txt"
    target.write_bytes(data)
    result = CliRunner().invoke(cli, ["fix", str(target)])
    assert result.exit_code == 1, result.output
    assert target.read_bytes() == whole.output


def test_chunked_check_reports_lines_across_chunks(tmp_path: Path, small_chunks: int) -> None:
    target = tmp_path / "big.txt"
    target.write_bytes(_document(6000))
    result = CliRunner().invoke(cli, ["check", str(target)])
    assert result.exit_code == 1
    lines = [int(row.split(":")[1]) for row in result.output.splitlines() if ": mojibake:" in row]
    assert lines == [index + 1 for index in range(6000) if index % 40 == 7]


def test_chunked_clean_file_is_not_rewritten(tmp_path: Path, small_chunks: int) -> None:
    target = tmp_path / "clean.txt"
    target.write_bytes("正常的中文内容，没有任何问题。\n".encode() * 20000)
    before = target.stat()
    result = CliRunner().invoke(cli, ["fix", str(target)])
    assert result.exit_code == 0, result.output
    after = target.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_chunked_binary_file_is_left_alone(tmp_path: Path, small_chunks: int) -> None:
    target = tmp_path / "blob.txt"
    data = b"\x00\x01binary" * 50000
    target.write_bytes(data)
    result = CliRunner().invoke(cli, ["fix", str(target)])
    assert result.exit_code == 2
    assert target.read_bytes() == data
