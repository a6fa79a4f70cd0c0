"""fixer: find and repair damaged text — mojibake, legacy encodings, Chinese script
variants and the debris crawlers and old converters leave in CJK text.

Public API::

    fix_text(text, *, to="keep", punct="keep") -> str
    fix_and_explain(text, **options) -> (text, steps)
    apply_plan(text, steps) -> text
    scan(text, **options) -> list[Finding]
    fix_bytes(data, **options) -> Result
    convert(text, config) -> str          # OpenCC conversion by config name
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fixer.config import FixerConfig, make_config
from fixer.explain import Finding, Step, apply_plan

if TYPE_CHECKING:
    from fixer.pipeline import fix_and_explain, fix_text, scan
    from fixer.result import Result

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "FixerConfig",
    "Result",
    "Step",
    "apply_plan",
    "convert",
    "fix_and_explain",
    "fix_bytes",
    "fix_text",
    "make_config",
    "scan",
]


def fix_bytes(data: bytes, config: FixerConfig | None = None, **options: Any) -> Result:
    """Decode raw file contents, repair and verify them (see :class:`fixer.result.Result`)."""
    from fixer.result import fix_bytes as _fix_bytes

    return _fix_bytes(data, make_config(config, **options))


def convert(text: str, config: str) -> str:
    """Convert *text* with an OpenCC configuration such as ``"t2s"`` or ``"s2twp"``."""
    from fixer.script import convert as _convert

    return _convert(text, config)


def __getattr__(name: str) -> Any:
    """Import the repair machinery on first use, so ``import fixer`` stays light."""
    if name in ("fix_text", "fix_and_explain", "scan"):
        from fixer import pipeline

        return getattr(pipeline, name)
    if name == "Result":
        from fixer.result import Result

        return Result
    raise AttributeError(f"module 'fixer' has no attribute {name!r}")
