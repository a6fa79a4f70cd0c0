"""Development check of fixer.lm on held-out damage (chardet GB2312/Big5 test files).

Usage: python scripts/dev_lm_ranking.py [--shared DIR] [--cases N] [--end-to-end]

Not used to build the model: it only measures how often the true text wins. Sentences are cut
from the chardet GB2312 and Big5 test files (blog feeds; markup stripped). Tasks:

* ``lost-lead`` / ``lost-trail``: one character of a sentence loses the lead (trail) byte of
  its legacy code, as the misaligned damage does; the candidates are every character sharing
  the kept byte. Each candidate is scored as the misaligned repair does (sum of ``logp`` over
  the character and the next one, in context) and the true text must rank first
  (strictly: a tie counts as a miss).
  Reported separately for Han targets and punctuation targets.
* ``line-end``: the true last character of a line that ends with a CJK stop, against the other
  stops (needs ``logp(prev, "\\n")``).
* with ``--end-to-end``: the damage of ``corpus/make_corpus.py`` (``damage_misaligned`` on
  GBK and Big5 bytes, and UTF-8 read as GBK with ``errors='replace'``) repaired by
  ``fixer.fix_text``; exact-match rate and character error rate.

Deterministic (fixed seeds, sorted files).
"""

from __future__ import annotations

import argparse
import html
import importlib.util
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fixer import lm  # noqa: E402

SEED = 7
CONTEXT = 8
FOLDERS = {"GB2312": ("gbk", "gbk"), "Big5": ("big5hkscs", "big5")}
_TAG = re.compile(r"<[^>]*>")
_SPLIT = re.compile(r"[\r\n]+")


def sentences(shared: Path, folder: str, codec: str) -> list[str]:
    """Distinct CJK-rich lines of one chardet folder, markup and entities removed."""
    seen: dict[str, None] = {}
    for path in sorted((shared / "peer-cases" / "chardet" / "tests" / folder).glob("*")):
        text = path.read_bytes().decode(codec, errors="replace")
        for _ in range(2):
            text = _TAG.sub("\n", html.unescape(text))
        for line in _SPLIT.split(text):
            line = line.strip()
            cjk = sum(1 for ch in line if lm.is_cjk(ch))
            if cjk >= 12 and "\ufffd" not in line and len(line) <= 240:
                seen.setdefault(line, None)
    return list(seen)


def code_tables(codec: str) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Characters by trail byte and by lead byte of their two-byte code."""
    by_trail: dict[int, list[str]] = {}
    by_lead: dict[int, list[str]] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                ch = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) != 1:
                continue
            by_trail.setdefault(trail, []).append(ch)
            by_lead.setdefault(lead, []).append(ch)
    return by_trail, by_lead


def candidate_score(model: lm.CharModel, left: str, ch: str, right: str) -> float:
    """Sum of logp over ch and the character after it (a line end when none follows)."""
    return model.logp(left[-1] if left else None, ch) + model.logp(ch, right[:1] or "\n")


def ranking(model: lm.CharModel, shared: Path, cases: int) -> dict[str, dict[str, float]]:
    """Top-1 rates of the lost-byte tasks per folder and target kind."""
    result: dict[str, dict[str, float]] = {}
    for folder, (codec, plain) in FOLDERS.items():
        by_trail, by_lead = code_tables(plain)
        rng = random.Random(f"{SEED}-{folder}")
        lines = sentences(shared, folder, codec)
        tallies: dict[str, list[int]] = {}
        for _ in range(cases):
            line = rng.choice(lines)
            positions = [
                i
                for i, ch in enumerate(line)
                if lm.char_class(ch) in ("cjk", "cjk_stop", "cjk_close", "cjk_open")
            ]
            index = rng.choice(positions)
            true = line[index]
            try:
                code = true.encode(plain)
            except UnicodeEncodeError:
                continue
            if len(code) != 2:
                continue
            kind = "han" if lm.is_cjk(true) else "punct"
            left, right = line[max(0, index - CONTEXT) : index], line[index + 1 :]
            for task, pool in (("lost-lead", by_trail[code[1]]), ("lost-trail", by_lead[code[0]])):
                true_score = candidate_score(model, left, true, right)
                won = all(
                    candidate_score(model, left, ch, right) < true_score
                    for ch in pool
                    if ch != true
                )
                tally = tallies.setdefault(f"{task}/{kind}", [0, 0])
                tally[0] += won
                tally[1] += 1
        result[folder] = {
            key: round(hit / total, 4) for key, (hit, total) in sorted(tallies.items())
        }
        result[folder]["n"] = sum(total for _, total in tallies.values())
    return result


def line_end(model: lm.CharModel, shared: Path) -> dict[str, float]:
    """How often the true final stop of a line beats the other stops before a line end."""
    stops = "。，、；：？！"
    hits = total = 0
    for folder, (codec, _) in FOLDERS.items():
        for line in sentences(shared, folder, codec):
            if line[-1] not in stops or len(line) < 2:
                continue

            def score(ch: str, line: str = line) -> float:
                return model.logp(line[-2], ch) + model.logp(ch, "\n")

            true_score = score(line[-1])
            hits += all(score(ch) < true_score for ch in stops if ch != line[-1])
            total += 1
    return {"top1": round(hits / total, 4), "n": total}


def load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", REPO / "corpus" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def end_to_end(shared: Path, cases: int) -> dict[str, dict[str, float]]:
    """make_corpus damage of held-out sentences, repaired by fixer.fix_text."""
    import fixer
    from fixer.evaluation import character_error_rate

    corpus = load_make_corpus()
    result: dict[str, dict[str, float]] = {}
    jobs = []
    for folder, (codec, _) in FOLDERS.items():
        lines = sentences(shared, folder, codec)
        rng = random.Random(f"{SEED}-e2e-{folder}")
        rng.shuffle(lines)
        legacy = corpus.GBK if folder == "GB2312" else corpus.BIG5
        made = []
        for line in lines:
            text = corpus.S2T.convert(line) if folder == "GB2312" else line
            damage = corpus.damage_misaligned(text, legacy, rng)
            if damage is not None:
                made.append((damage[0], damage[1]))
            if len(made) >= cases:
                break
        jobs.append((f"misaligned-{folder}", made))
        lossy = []
        for line in lines:
            decoded = line.encode("utf-8").decode("gbk", errors="replace")
            if "\ufffd" in decoded and decoded.count("\ufffd") <= len(line) * 0.1:
                lossy.append((decoded, line))
            if len(lossy) >= cases:
                break
        jobs.append((f"lossy-fffd-{folder}", lossy))
    for name, pairs in jobs:
        repaired = [fixer.fix_text(damaged, to="keep", punct="keep") for damaged, _ in pairs]
        expected = [text for _, text in pairs]
        result[name] = {
            "exact": round(sum(map(str.__eq__, repaired, expected)) / len(pairs), 4),
            "cer": round(character_error_rate(repaired, expected), 5),
            "n": len(pairs),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--end-to-end", action="store_true")
    parser.add_argument("--e2e-cases", type=int, default=60)
    args = parser.parse_args()
    model = lm.get_model()
    report: dict[str, object] = {"ranking": ranking(model, args.shared, args.cases)}
    report["line-end"] = line_end(model, args.shared)
    if args.end_to_end:
        report["end-to-end"] = end_to_end(args.shared, args.e2e_cases)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
