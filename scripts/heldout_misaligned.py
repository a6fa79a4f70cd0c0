"""Measure the misaligned class on held-out text: web pages the corpus and model never saw.

The corpus measures misaligned repair on its own texts.  This script damages
paragraphs of chardet's GB2312 and Big5 test feeds (read in place, never copied)
exactly as the corpus generator does (``corpus/make_corpus.py``: the Simplified
pages are converted to Traditional first, as the site did, then the half-width
rewrite and the pinyin insertion run over the GBK or Big5 bytes at every offset
and the bytes are decoded with orphan marks) and repairs them with the script
kept and punctuation as it is.

    python scripts/heldout_misaligned.py [--pages [NAME=]DIR:CODEC:FAMILY ...] [--limit 200]

Any folder of pages works (read recursively): ``scripts/debian_docs.py`` fetches Debian's
translated documentation, a second held-out source of another genre.

Prints one table: per family, how many paragraphs the damage touched across
character boundaries, the exact-repair rate and the character error rate, for
fixer and for the damaged text left as it is.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import fixer
from fixer.evaluation import levenshtein

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "corpus"))
sys.path.insert(0, str(REPO / "scripts"))

import make_corpus  # noqa: E402
from calibrate_lossy import CHARDET, paragraphs  # noqa: E402

#: Feeds and the family whose bytes are damaged.
DEFAULT_PAGES = (f"{CHARDET / 'GB2312'}:gb18030:gbk", f"{CHARDET / 'Big5'}:big5hkscs:big5")
SEED = 11


def cases(folder: Path, codec: str, family: str, limit: int) -> list[tuple[str, str]]:
    """(damaged, expected) pairs whose damage crossed a character boundary at least once."""
    legacy = make_corpus.GBK if family == "gbk" else make_corpus.BIG5
    rng = random.Random(SEED)
    texts = paragraphs(folder, codec)
    rng.shuffle(texts)
    found = []
    for text in texts:
        if make_corpus.round_trips_s2t(text):
            text = make_corpus.S2T.convert(text)
        result = make_corpus.damage_misaligned(text, legacy, rng)
        if result is None:
            continue
        damaged, expected, events = result
        if events:
            found.append((damaged, expected))
        if len(found) == limit:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages",
        nargs="+",
        default=list(DEFAULT_PAGES),
        metavar="[NAME=]DIR:CODEC:FAMILY",
        help="pages (read recursively) and the family whose bytes are damaged",
    )
    parser.add_argument("--limit", type=int, default=200)
    args = parser.parse_args()
    print("| pages | family | paragraphs | fixer exact | fixer CER | left as it is: CER |")
    print("| ----- | ------ | ---------: | ----------: | --------: | -----------------: |")
    for spec in args.pages:
        name, _, spec = spec.rpartition("=")
        folder, codec, family = spec.rsplit(":", 2)
        name = name or Path(folder).name
        if not Path(folder).is_dir():
            raise SystemExit(f"{folder}: no such folder (pass --pages DIR:CODEC:FAMILY)")
        pairs = cases(Path(folder), codec, family, args.limit)
        total = sum(len(expected) for _, expected in pairs) or 1
        outputs = [fixer.fix_text(damaged, to="keep", punct="keep") for damaged, _ in pairs]
        errors = [levenshtein(out, exp) for out, (_, exp) in zip(outputs, pairs, strict=True)]
        untouched = sum(levenshtein(dmg, exp) for dmg, exp in pairs)
        exact = errors.count(0) / len(pairs) if pairs else 0.0
        print(
            f"| {name} | {family} | {len(pairs)} | {exact:.1%} | {sum(errors) / total:.4f} "
            f"| {untouched / total:.4f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
