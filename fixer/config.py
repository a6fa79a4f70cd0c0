"""The one options object passed through every stage of fixer.

Like ftfy's ``TextFixerConfig``, options live in an immutable NamedTuple whose
fields are the documented settings; callers override fields with ``_replace``
or :func:`make_config`.  Settings can also come from ``[tool.fixer]`` in the
nearest ``pyproject.toml`` (see :func:`load_pyproject_settings`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NamedTuple

#: Script targets accepted by ``--to``.
SCRIPT_TARGETS = ("keep", "hans", "hant", "tw", "twp", "hk", "auto")
#: Files larger than this are repaired in chunks that split on line boundaries.
CHUNK_BYTES = 4 * 1024 * 1024
#: Punctuation policies accepted by ``--punct``.
PUNCT_POLICIES = ("keep", "cjk")


class FixerConfig(NamedTuple):
    """Every option that changes what fixer does to text or files.

    to: script target: ``keep`` (never convert), ``hans``, ``hant``, ``tw``,
        ``twp``, ``hk``, or ``auto`` (convert only the minority spans of a
        mixed document to its majority script).
    punct: ``keep`` or ``cjk`` (restore full-width punctuation between CJK
        characters).
    encoding: ``auto`` to detect the encoding of raw bytes, or a codec name.
    keep_encoding: write a legacy-encoded file back in its own encoding
        (only where that round-trips) instead of UTF-8.
    max_size: files larger than this many bytes are skipped unless raised.
    """

    to: str = "keep"
    punct: str = "keep"
    encoding: str = "auto"
    keep_encoding: bool = False
    max_size: int = 64 * 1024 * 1024

    def validate(self) -> FixerConfig:
        """Return self, or raise ValueError naming the bad option."""
        if self.to not in SCRIPT_TARGETS:
            raise ValueError(f"to={self.to!r}: expected one of {', '.join(SCRIPT_TARGETS)}")
        if self.punct not in PUNCT_POLICIES:
            raise ValueError(f"punct={self.punct!r}: expected one of {', '.join(PUNCT_POLICIES)}")
        if self.max_size <= 0:
            raise ValueError("max_size must be positive")
        return self


DEFAULT_CONFIG = FixerConfig()


def make_config(config: FixerConfig | None = None, **options: Any) -> FixerConfig:
    """Build a validated config from an optional base and keyword overrides."""
    base = config if config is not None else DEFAULT_CONFIG
    unknown = set(options) - set(FixerConfig._fields)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    return base._replace(**options).validate()


def find_pyproject(start: Path) -> Path | None:
    """Return the nearest ``pyproject.toml`` at or above *start*, if any."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_pyproject_settings(start: Path) -> dict[str, Any]:
    """Read ``[tool.fixer]`` from the nearest pyproject.toml (keys use dashes or underscores)."""
    path = find_pyproject(start)
    if path is None:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path.name}: cannot read [tool.fixer]: {error}") from error
    section = data.get("tool", {}).get("fixer", {})
    settings = {key.replace("-", "_"): value for key, value in section.items()}
    allowed = set(FixerConfig._fields) | {"exclude", "jobs"}
    unknown = set(settings) - allowed
    if unknown:
        raise ValueError(f"{path}: unknown [tool.fixer] key(s): {', '.join(sorted(unknown))}")
    return settings
