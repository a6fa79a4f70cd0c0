"""Fuzz ``fixer.fix_bytes`` (and the file layer's binary check) with atheris.

Any bytes are valid input: fix_bytes must return a result, never crash, and
raise nothing but the errors its docstring documents (``DOCUMENTED_ERRORS``).
Run it as described in ``fuzz/README.md``.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    import fixer
    from fixer.files import binary_reason

#: Exceptions fix_bytes documents for some inputs; anything else is a crash.
DOCUMENTED_ERRORS: tuple[type[BaseException], ...] = ()


def check_result(result: object) -> None:
    """Invariants every result must hold, whatever the input."""
    assert result is not None, "fix_bytes returned None"
    text = getattr(result, "text", None)
    if text is not None:
        assert isinstance(text, str), f"result.text is {type(text).__name__}"
    data = getattr(result, "data", None)
    if data is not None:
        assert isinstance(data, bytes), f"result.data is {type(data).__name__}"


def test_one_input(data: bytes) -> None:
    reason = binary_reason(data)
    assert reason is None or isinstance(reason, str)
    try:
        result = fixer.fix_bytes(data)
    except DOCUMENTED_ERRORS:
        return
    check_result(result)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
