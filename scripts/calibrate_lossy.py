"""Calibrate the lossy class's margin on held-out text: how sure must a recovered character be?

The lossy class keeps U+FFFD unless the best reading of the lost bytes leads
every alternative by ``fixer.damage.lossy.MIN_MARGIN`` (natural log).  This
script measures that trade-off on text the project's corpus and model never
saw: Chinese web pages in legacy encodings (by default chardet's GB2312 and Big5
test feeds, which are read in place and never copied).  Each paragraph is
damaged the way the corpus damages its texts (UTF-8 read as GBK with
``errors="replace"``, then the same with ``?``), repaired at several margins,
and scored against the clean paragraph.

    python scripts/calibrate_lossy.py [--pages DIR:CODEC ...] [--margins 2.5,1,0.5,0.25]
        [--balance-bonuses 0,6,10,14] [--word-bonuses 0,3,6]

Each row is one set of settings (``MIN_MARGIN``; ``BALANCE_BONUS``, the lead
a recovered quote or bracket gets where it balances its line; ``WORD_BONUS``,
the lead a recovered character gets where it completes a dictionary word).  Columns:
character error rate, exact repairs, and how many cases come out better or
worse than at the first row.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

import fixer
from fixer.damage import lossy
from fixer.damage.base import forget_searched_lines
from fixer.evaluation import levenshtein

REPO = Path(__file__).resolve().parents[1]
CHARDET = REPO.parent / "shared" / "peer-cases" / "chardet" / "tests"
DEFAULT_PAGES = (f"{CHARDET / 'GB2312'}:gb18030", f"{CHARDET / 'Big5'}:big5hkscs")
#: Paragraph length bounds, the CJK share a paragraph needs, and the lost-byte density
#: the corpus allows (denser damage is left alone by design).
MIN_CHARS, MAX_CHARS, MIN_CJK_SHARE, MAX_LOST_SHARE = 20, 300, 0.6, 0.1
SEED = 7
_TAG = re.compile(r"<[^>]*>")


#: Pages read under a folder (its subfolders too): markup and plain text.
PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".xml", ".txt"}


def paragraphs(folder: Path, codec: str) -> list[str]:
    """Mostly-Chinese lines of every page under *folder*, markup removed."""
    found = []
    for page in sorted(folder.rglob("*")):
        if not page.is_file() or page.suffix not in PAGE_SUFFIXES:
            continue
        text = _TAG.sub(" ", page.read_bytes().decode(codec, errors="ignore"))
        for line in (line.strip() for line in text.splitlines()):
            han = sum(1 for char in line if "\u4e00" <= char <= "\u9fff")
            if MIN_CHARS <= len(line) <= MAX_CHARS and han > MIN_CJK_SHARE * len(line):
                found.append(line)
    return found


def damaged_cases(clean: list[str], limit: int) -> list[tuple[str, str]]:
    """(damaged, clean) pairs: UTF-8 read as GBK with U+FFFD, and with ``?``."""
    cases = []
    for paragraph in clean:
        damaged = paragraph.encode("utf-8").decode("gbk", errors="replace")
        lost = damaged.count("\ufffd")
        if 0 < lost < MAX_LOST_SHARE * len(paragraph):
            cases += [(damaged, paragraph), (damaged.replace("\ufffd", "?"), paragraph)]
    return cases[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=list(DEFAULT_PAGES), metavar="DIR:CODEC")
    parser.add_argument("--margins", default="2.5,1.5,1,0.5,0.25")
    parser.add_argument("--balance-bonuses", default=str(lossy.BALANCE_BONUS))
    parser.add_argument("--word-bonuses", default=str(lossy.WORD_BONUS))
    parser.add_argument("--limit", type=int, default=300)
    args = parser.parse_args()
    clean: list[str] = []
    for spec in args.pages:
        folder, _, codec = spec.rpartition(":")
        if not Path(folder).is_dir():
            raise SystemExit(f"{folder}: no such folder (pass --pages DIR:CODEC)")
        clean += paragraphs(Path(folder), codec)
    random.Random(SEED).shuffle(clean)
    cases = damaged_cases(clean, args.limit)
    print(f"{len(cases)} cases from {len(clean)} paragraphs\n")
    print("| margin | balance bonus | word bonus | CER | exact | better | worse |")
    print("| -----: | ------------: | ---------: | --: | ----: | -----: | ----: |")
    strictest: list[str] | None = None
    settings = [
        (float(margin), float(bonus), float(word))
        for margin in args.margins.split(",")
        for bonus in args.balance_bonuses.split(",")
        for word in args.word_bonuses.split(",")
    ]
    for margin, bonus, word in settings:
        lossy.MIN_MARGIN = margin
        lossy.BALANCE_BONUS = bonus
        lossy.WORD_BONUS = word
        forget_searched_lines()
        outputs = [fixer.fix_text(damaged) for damaged, _ in cases]
        errors = [levenshtein(out, clean) for out, (_, clean) in zip(outputs, cases, strict=True)]
        cer = sum(errors) / sum(len(clean) for _, clean in cases)
        exact = errors.count(0)
        if strictest is None:
            strictest = outputs
        before = [levenshtein(out, clean) for out, (_, clean) in zip(strictest, cases, strict=True)]
        better = sum(now < then for now, then in zip(errors, before, strict=True))
        worse = sum(now > then for now, then in zip(errors, before, strict=True))
        print(
            f"| {margin} | {bonus} | {word} | {cer:.4f} | {exact} | {better} | {worse} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
