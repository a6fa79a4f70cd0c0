"""Fuzz ``fixer.fix_bytes`` (and the file layer's binary check) with atheris.

Any bytes are valid input: fix_bytes must return a result, never crash, and
raise nothing but the errors its docstring documents (``DOCUMENTED_ERRORS``).
Run it as described in ``fuzz/README.md``.
"""

from __future__ import annotations

import codecs
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    import fixer
    from fixer.files import binary_reason
    from fixer.result import Result

#: Exceptions fix_bytes documents for some inputs; anything else is a crash.  With the
#: default config it documents none: undecodable input comes back as ``Result.error``.
DOCUMENTED_ERRORS: tuple[type[BaseException], ...] = ()


def check_result(data: bytes, result: Result) -> None:
    """Invariants every result must hold, whatever the input."""
    assert isinstance(result, Result), f"fix_bytes returned {type(result).__name__}"
    assert isinstance(result.text, str) and isinstance(result.original, str)
    if result.error is not None:
        assert result.output is None, "an undecodable input must not produce output"
        return
    if result.output is None:
        return
    assert isinstance(result.output, bytes)
    assert result.verification.ok, "output produced although verification failed"
    assert result.output != data, "output equal to the input counts as a change"
    assert fixer.apply_plan(result.original, result.steps) == result.text
    again = fixer.fix_bytes(result.output)
    assert again.output is None, "a second run would change the repaired bytes again"


def test_one_input(data: bytes) -> None:
    reason = binary_reason(data)
    assert reason is None or isinstance(reason, str)
    try:
        result = fixer.fix_bytes(data)
    except DOCUMENTED_ERRORS:
        return
    check_result(data, result)


def make_seeds(folder: Path) -> int:
    """Write a small synthetic seed corpus (damaged CJK text in common shapes)."""
    han = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 400, 7))
    kana = "".join(chr(code) for code in range(0x3041, 0x3097, 3))
    hangul = "".join(chr(code) for code in range(0xAC00, 0xAC00 + 300, 11))
    text = f"{han[:20]}，{han[20:40]}。\n{kana}\n{hangul}\nASCII line, 1.0\n"
    seeds = {
        "utf8": text.encode(),
        "utf8-bom": codecs.BOM_UTF8 + text.encode(),
        "utf16": text.encode("utf-16"),
        "gbk": han.encode("gbk", "replace"),
        "big5": han.encode("big5", "replace"),
        "sjis": kana.encode("shift_jis", "replace"),
        "latin1-mojibake": text.encode().decode("latin-1").encode(),
        "cp1252-mojibake": text.encode().decode("cp1252", "replace").encode(),
        "gbk-mojibake": text.encode().decode("gbk", "replace").encode(),
        "double-mojibake": text.encode().decode("latin-1").encode().decode("latin-1").encode(),
        "crlf-mixed": text.replace("\n", "\r\n").encode() + han.encode("gbk", "replace"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / name).write_bytes(data)
    return len(seeds)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--make-seeds":
        count = make_seeds(Path(sys.argv[2]))
        print(f"wrote {count} seeds to {sys.argv[2]}")
        return
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
