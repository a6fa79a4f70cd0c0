"""The pre-commit hooks, run by the real pre-commit framework against this repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

DAMAGED = "鏁版嵁搴撹繛鎺ュけ璐ヤ簡\n"  # UTF-8 of 数据库连接失败了 read as GBK
REPAIRED = "数据库连接失败了\n"


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which(
        "pre-commit"
    )
    if exe is None:
        pytest.skip("pre-commit is not installed (pip install 'fixer[test]')")
    return [exe]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("precommit")
    work = root / "project"
    work.mkdir()
    _git(work, "init", "-q")
    _git(work, "config", "user.email", "test@example.invalid")
    _git(work, "config", "user.name", "test")
    env = {**os.environ, "PRE_COMMIT_HOME": str(root / "cache"), "PRE_COMMIT_COLOR": "never"}
    return work, env


def _try_repo(
    work: Path, env: dict[str, str], hook: str, *files: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*_pre_commit(), "try-repo", str(REPO), hook, "--verbose", "--files", *files],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_fixing_hook_fails_repairs_then_passes(project: tuple[Path, dict[str, str]]) -> None:
    work, env = project
    target = work / "notes.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    (work / "clean.md").write_text("# 标题\n\n正常的中文。\n", encoding="utf-8")
    _git(work, "add", "notes.txt", "clean.md")

    first = _try_repo(work, env, "fixer", "notes.txt", "clean.md")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "Failed" in first.stdout
    assert target.read_text(encoding="utf-8") == REPAIRED
    assert (work / "clean.md").read_text(encoding="utf-8") == "# 标题\n\n正常的中文。\n"

    second = _try_repo(work, env, "fixer", "notes.txt", "clean.md")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout


@pytest.mark.slow
def test_checking_hook_reports_without_changing(project: tuple[Path, dict[str, str]]) -> None:
    work, env = project
    target = work / "report.txt"
    target.write_text(DAMAGED, encoding="utf-8")
    _git(work, "add", "report.txt")
    result = _try_repo(work, env, "fixer-check", "report.txt")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "report.txt:1:1: mojibake" in result.stdout
    assert target.read_text(encoding="utf-8") == DAMAGED
