"""Build ``variant_tables.json``: character sets for script detection.

Run with the official ``opencc`` package installed (it has the jp2t/t2jp, tw2t and hk2t
configs that the reimplementation lacks)::

    python -m fixer.data.script.build_tables

Each set is derived from OpenCC's own dictionaries by converting every CJK code point
one at a time, so detection works the same whichever backend is installed at run time.
"""

from __future__ import annotations

import json
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("variant_tables.json")

#: CJK Unified Ideographs and extensions A-H (compatibility blocks deliberately left out).
_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0x20000, 0x2EBEF),
    (0x30000, 0x323AF),
)


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _changed_chars(converter: object, chars: list[str]) -> set[str]:
    """Characters that *converter* changes when they stand alone."""
    output = converter.convert("\n".join(chars)).split("\n")  # type: ignore[attr-defined]
    if len(output) != len(chars):
        raise RuntimeError("conversion did not keep one character per line")
    return {char for char, converted in zip(chars, output, strict=True) if converted != char}


def build_tables() -> dict[str, str]:
    """Return the tables as sorted strings keyed by name."""
    import opencc

    if not hasattr(opencc, "CONFIGS"):
        raise SystemExit("build_tables needs the official opencc package (pip install opencc)")
    chars = [chr(code) for low, high in _HAN_RANGES for code in range(low, high + 1)]
    changed = {
        name: _changed_chars(opencc.OpenCC(name), chars)
        for name in ("t2s", "s2t", "jp2t", "t2jp", "tw2t", "hk2t")
    }
    chinese_forms = changed["t2s"] | changed["s2t"] | changed["tw2t"] | changed["hk2t"]
    japanese_only = {
        char
        for char in changed["jp2t"] - chinese_forms
        if not _encodable(char, "gb2312") and not _encodable(char, "big5")
    }
    shinjitai_shared = {char for char in changed["jp2t"] if _encodable(char, "gb2312")}
    return {
        "source": f"OpenCC {opencc.__version__} dictionaries, per-character conversion",
        "japanese_only": "".join(sorted(japanese_only)),
        "shinjitai_shared": "".join(sorted(shinjitai_shared - japanese_only)),
        "kyujitai": "".join(sorted(changed["t2jp"])),
        "regional": "".join(sorted((changed["tw2t"] | changed["hk2t"]) - changed["t2s"])),
    }


def main() -> None:
    """Write the tables next to this file."""
    tables = build_tables()
    TABLE_PATH.write_text(json.dumps(tables, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"wrote {TABLE_PATH.name}: " + ", ".join(f"{k}={len(v)}" for k, v in tables.items()))


if __name__ == "__main__":
    main()
