"""The command line: exit codes, formats, folders, stdin, options and pyproject settings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixer.cli import cli
from tests.conftest import check_in_fresh_process

MOJIBAKE = "数据库连接失败了".encode().decode("gbk")
REPAIRED = "数据库连接失败了"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "damaged.txt").write_text(f"第一行。\n{MOJIBAKE}\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text("# 标题\n\n正常的中文。\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "crlf.txt").write_bytes(f"{MOJIBAKE}\r\nsecond\r\n".encode())
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text(MOJIBAKE, encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return tmp_path


def run(*args: str, input: bytes | None = None, cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, list(args), input=input)
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return runner.invoke(cli, list(args), input=input)
    finally:
        os.chdir(old)


def test_check_reports_findings_and_exits_1(tree: Path) -> None:
    result = run("check", "--jobs", "1", str(tree))
    assert result.exit_code == 1
    assert f"{tree / 'damaged.txt'}:2:1: mojibake:" in result.output
    assert "crlf.txt:1:1: mojibake" in result.output
    assert "config.txt" not in result.output
    assert (tree / "damaged.txt").read_text(encoding="utf-8") == f"第一行。\n{MOJIBAKE}\n"


def test_check_json_format(tree: Path) -> None:
    result = run("check", "--format", "json", str(tree / "damaged.txt"))
    records = json.loads(result.stdout)
    assert records[0]["status"] == "changed"
    finding = records[0]["findings"][0]
    assert (finding["line"], finding["column"], finding["kind"]) == (2, 1, "mojibake")


def test_fix_repairs_in_place_keeps_line_endings_and_skips_binary(tree: Path) -> None:
    png = (tree / "image.png").read_bytes()
    result = run("fix", str(tree))
    assert result.exit_code == 1
    assert (tree / "damaged.txt").read_text(encoding="utf-8") == f"第一行。\n{REPAIRED}\n"
    assert (tree / "sub" / "crlf.txt").read_bytes() == f"{REPAIRED}\r\nsecond\r\n".encode()
    assert (tree / ".git" / "config.txt").read_text(encoding="utf-8") == MOJIBAKE
    assert (tree / "image.png").read_bytes() == png
    assert "image.png: skipped: binary" in result.output
    again = run("fix", str(tree))
    assert again.exit_code == 0
    assert run("check", str(tree)).exit_code == 0


def test_fix_keeps_file_mode(tree: Path) -> None:
    target = tree / "damaged.txt"
    target.chmod(0o640)
    run("fix", str(target))
    assert target.stat().st_mode & 0o777 == 0o640


def test_diff_prints_and_writes_nothing(tree: Path) -> None:
    before = (tree / "damaged.txt").read_bytes()
    result = run("diff", str(tree / "damaged.txt"))
    assert result.exit_code == 1
    assert f"-{MOJIBAKE}" in result.output and f"+{REPAIRED}" in result.output
    assert (tree / "damaged.txt").read_bytes() == before


def test_fix_diff_flag(tree: Path) -> None:
    result = run("fix", "--diff", str(tree / "damaged.txt"))
    assert f"+{REPAIRED}" in result.output


def test_stdin_filter() -> None:
    result = run("fix", "-", input=f"{MOJIBAKE}\n".encode())
    assert result.exit_code == 1
    assert result.stdout_bytes == f"{REPAIRED}\n".encode()
    clean = run("fix", "-", input="正常。\n".encode())
    assert clean.exit_code == 0 and clean.stdout_bytes == "正常。\n".encode()


def test_exclude_glob(tree: Path) -> None:
    result = run("check", "--exclude", "sub/*", str(tree))
    assert "crlf.txt" not in result.output
    assert "damaged.txt" in result.output


def test_symlink_is_reported_not_followed(tree: Path) -> None:
    link = tree / "link.txt"
    link.symlink_to(tree / "damaged.txt")
    result = run("fix", str(link))
    assert link.is_symlink()
    assert "symlink" in result.output


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    result = run("check", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2


def test_usage_error_exit_2(tree: Path) -> None:
    assert run("check", "--to", "klingon", str(tree)).exit_code == 2


def test_script_and_punct_options(tmp_path: Path) -> None:
    target = tmp_path / "hant.txt"
    target.write_text("東北科技成果轉化交流會在瀋陽舉行,來源:人民網。\n", encoding="utf-8")
    assert run("check", str(target)).exit_code == 0
    result = run("fix", "--to", "hans", "--punct", "cjk", str(target))
    assert result.exit_code == 1
    assert (
        target.read_text(encoding="utf-8") == "东北科技成果转化交流会在沈阳举行，来源：人民网。\n"
    )


def test_pyproject_settings_apply(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.fixer]\nto = "hans"\n', encoding="utf-8")
    target = tmp_path / "a.txt"
    target.write_text("東北\n", encoding="utf-8")
    result = run("fix", str(target), cwd=tmp_path)
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8") == "东北\n"


def test_legacy_file_written_as_utf8_unless_kept(tmp_path: Path) -> None:
    text = "这是一个用GBK编码保存的文件，内容完全正常。\n" * 3
    target = tmp_path / "gbk.txt"
    target.write_bytes(text.encode("gbk"))
    kept = run("fix", "--keep-encoding", str(target))
    assert kept.exit_code == 0 and target.read_bytes() == text.encode("gbk")
    converted = run("fix", str(target))
    assert converted.exit_code == 1 and target.read_bytes() == text.encode("utf-8")


def test_check_of_clean_files_loads_nothing_heavy(tmp_path: Path) -> None:
    """A hook run over clean files must not import ftfy or OpenCC nor load the model."""
    for index in range(5):
        (tmp_path / f"f{index}.md").write_text(
            f"# 标题 {index}\n\n正常的中文内容，没有问题吗?\nprint('ok')\n", encoding="utf-8"
        )
    assert check_in_fresh_process(tmp_path) == {"exit": 0, "loaded": [], "model": False}
