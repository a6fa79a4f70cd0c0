"""Shared fixtures: where the repository's and the shared peer data live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = REPO / "seeds" / "000_5a649c74cb501400.txt"


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def check_in_fresh_process(folder: Path) -> dict[str, object]:
    """``fixer check --jobs 1 FOLDER`` in a new interpreter: exit code and what it loaded."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, sys; from click.testing import CliRunner; from fixer.cli import cli; "
        "from fixer import lm; "
        "result = CliRunner().invoke(cli, ['check', '--jobs', '1', sys.argv[1]]); "
        "print(json.dumps({'exit': result.exit_code, "
        "'loaded': sorted(name for name in ('ftfy', 'opencc', 'pypinyin') if name in sys.modules), "
        "'model': lm._load_model.cache_info().currsize > 0}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def shared_or_skip(*parts: str) -> Path:
    """A path under the shared peer data, or skip the test saying why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{'/'.join(parts)} not present: the shared peer-case folder is not beside this repo"
        )
    return path
