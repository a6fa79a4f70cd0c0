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


def shared_or_skip(*parts: str) -> Path:
    """A path under the shared peer data, or skip the test saying why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(
            f"{'/'.join(parts)} not present: the shared peer-case folder is not beside this repo"
        )
    return path
