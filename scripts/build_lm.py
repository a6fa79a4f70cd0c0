"""Rebuild the character language model files in fixer/data from installed packages.

Usage: python scripts/build_lm.py [--top-bigrams N]

Deterministic: the same installed package versions give byte-identical files. Sources (see
fixer/data/LM-SOURCES.md): jieba's dict.txt (MIT), OpenCC s2t/s2tw/s2hk (Apache-2.0),
wordfreq ja/ko lists (CC-BY-SA 4.0 data), and OpenCC's US constitution test text (Apache-2.0,
class-level statistics only). The constitution is read from the shared peer-case folder next
to the repository, or from --constitution.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fixer import lm  # noqa: E402

DEFAULT_CONSTITUTION = (
    REPO.parent
    / "shared"
    / "peer-cases"
    / "opencc"
    / "golden"
    / "input"
    / "us_constitution_zhs.txt"
)

#: Share of the cjk unigram mass given to each language source (design constants: the
#: product repairs mostly Chinese text, Simplified and Traditional equally; Japanese and
#: Korean are kept so their text is not mistaken for damage).
LANGUAGE_WEIGHTS = {"zh-Hans": 0.35, "zh-Hant": 0.35, "ja": 0.2, "ko": 0.1}
#: Scaled counts: the sum over all languages of the unigram counts is about this number.
COUNT_SCALE = 1_000_000_000
#: Number of bigrams kept (the most frequent by scaled count).
TOP_BIGRAMS = 160_000
#: Probability mass of P(ch | cjk) spread uniformly over all cjk code points (unseen chars).
UNIGRAM_FLOOR = 1e-4
#: Upper bound of the in-word continuation weight lambda(prev).
LAMBDA_MAX = 0.9
#: Pseudo-count of the class-transition prior added to every row of T.
TRANSITION_PRIOR_WEIGHT = 100.0
#: Design prior of class shares in CJK web text, for what the constitution (a legal text with
#: no markup, Latin, symbols or damage) cannot show; blended half and half with its counts.
#: Guesses, not measurements: Han-dominated text with some ASCII markup and digits, a little
#: Latin/Greek/symbols, almost never U+FFFD, controls or private use.
CLASS_PRIOR_DESIGN = {
    "cjk": 0.6,
    "cjk_stop": 0.08,
    "cjk_open": 0.01,
    "cjk_close": 0.01,
    "cjk_mark": 0.01,
    "fullwidth_alnum": 0.005,
    "fullwidth_symbol": 0.005,
    "halfwidth": 0.001,
    "ascii_letter": 0.1,
    "digit": 0.05,
    "space": 0.05,
    "ascii_punct": 0.05,
    "latin_letter": 0.002,
    "latin_symbol": 0.002,
    "other_letter": 0.002,
    "symbol": 0.01,
    "replacement": 1e-5,
    "control": 1e-5,
    "private": 1e-5,
    "other": 1e-4,
}
#: Share of the background spread uniformly over the classes (no class impossible in garbage).
BACKGROUND_UNIFORM_SHARE = 0.01
#: A cjk char is "common" when its char_score is at least this (P(ch|cjk) >= e^-1 x the
#: uniform background probability).
COMMON_MIN_CHAR_SCORE = -1.0
#: Codecs whose output for arbitrary high bytes defines the background model.
BACKGROUND_CODECS = ("gbk", "big5", "shift_jis", "euc_jp", "euc_kr", "latin-1", "cp1252")
OPENCC_TRADITIONAL = ("s2t", "s2tw", "s2hk")
#: jieba's dict.txt lists thousands of single characters that are UTF-8-as-GBK mojibake of
#: its training corpus (鐨 5901, 紝 11651, 銆 6982, ...). A single-character entry is dropped
#: when its jieba relative frequency exceeds wordfreq's independent 'zh' frequency of that
#: character (floor 1e-9) by more than this factor; the characters still count through the
#: multi-character words that contain them.
JIEBA_SINGLE_CHAR_MAX_RATIO = 100.0


DROPPED_JIEBA_CHARS: list[str] = []


def add_word(unigram: dict, bigram: dict, word: str, weight: float) -> None:
    """Add one word's characters and within-word cjk bigrams with weight."""
    previous = ""
    for ch in word:
        if lm.char_class(ch) != "cjk":
            previous = ""
            continue
        unigram[ch] += weight
        if previous:
            bigram[previous + ch] += weight
        previous = ch


def jieba_words() -> tuple[list[tuple[str, int]], list[str]]:
    """jieba's (word, frequency) entries, minus mojibake single characters (and those)."""
    import jieba
    import wordfreq

    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            words.append((parts[0], int(parts[1])))
    total = sum(freq for _, freq in words)
    kept, dropped = [], []
    for word, freq in words:
        if len(word) == 1:
            independent = max(wordfreq.word_frequency(word, "zh"), 1e-9)
            if freq / total > JIEBA_SINGLE_CHAR_MAX_RATIO * independent:
                dropped.append(word)
                continue
        kept.append((word, freq))
    return kept, dropped


def language_counts() -> dict[str, tuple[dict, dict]]:
    """Raw (unigram, bigram) counts per language source."""
    import opencc
    import wordfreq

    result: dict[str, tuple[dict, dict]] = {}
    words, dropped = jieba_words()
    DROPPED_JIEBA_CHARS[:] = dropped
    uni: dict = defaultdict(float)
    bi: dict = defaultdict(float)
    for word, freq in words:
        add_word(uni, bi, word, freq)
    result["zh-Hans"] = (uni, bi)

    uni, bi = defaultdict(float), defaultdict(float)
    joined = "\n".join(word for word, _ in words)
    for config in OPENCC_TRADITIONAL:
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        if len(converted) != len(words):
            raise RuntimeError(f"opencc {config} changed the number of lines")
        for (_, freq), word in zip(words, converted, strict=True):
            add_word(uni, bi, word, freq / len(OPENCC_TRADITIONAL))
    result["zh-Hant"] = (uni, bi)

    for lang in ("ja", "ko"):
        uni, bi = defaultdict(float), defaultdict(float)
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            add_word(uni, bi, word, freq)
        result[lang] = (uni, bi)
    return result


def merged_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Scale each language to its weight of COUNT_SCALE, sum, round to integers."""
    unigram: dict = defaultdict(float)
    bigram: dict = defaultdict(float)
    for lang, (uni, bi) in language_counts().items():
        factor = LANGUAGE_WEIGHTS[lang] * COUNT_SCALE / math.fsum(uni.values())
        for key in sorted(uni):
            unigram[key] += uni[key] * factor
        for key in sorted(bi):
            bigram[key] += bi[key] * factor
    uni_int = {k: round(v) for k, v in unigram.items() if round(v) > 0}
    bi_int = {k: round(v) for k, v in bigram.items() if round(v) > 0 and k[0] in uni_int}
    return uni_int, bi_int


def class_statistics(constitution: str) -> tuple[list[list[float]], list[float]]:
    """Class-transition matrix T and smoothed class unigram P0 from running text.

    T(K | K') = (n(K', K) + a * P0(K)) / (n(K') + a), a = TRANSITION_PRIOR_WEIGHT;
    P0 = half the class unigram of the text, half CLASS_PRIOR_DESIGN (normalised).
    Text start counts as following a newline (class space).
    """
    n = len(lm.CLASSES)
    counts = [[0.0] * n for _ in range(n)]
    unigram = [0.0] * n
    previous = lm.CLASS_INDEX["space"]
    for ch in constitution:
        k = lm.CLASS_INDEX[lm.char_class(ch)]
        counts[previous][k] += 1
        unigram[k] += 1
        previous = k
    total = sum(unigram)
    design_total = math.fsum(CLASS_PRIOR_DESIGN.values())
    prior = [
        0.5 * u / total + 0.5 * CLASS_PRIOR_DESIGN[name] / design_total
        for u, name in zip(unigram, lm.CLASSES, strict=True)
    ]
    transition = []
    for row in counts:
        row_total = sum(row)
        transition.append(
            [
                (row[k] + TRANSITION_PRIOR_WEIGHT * prior[k])
                / (row_total + TRANSITION_PRIOR_WEIGHT)
                for k in range(n)
            ]
        )
    return transition, prior


def background_statistics() -> tuple[list[float], int]:
    """Class distribution of legacy-decoder output for arbitrary bytes (the garbage model).

    For each codec, every two-byte sequence whose first byte is >= 0x80 is decoded with
    errors='replace'; each resulting char counts 1/len. Codecs weigh equally;
    BACKGROUND_UNIFORM_SHARE of the mass is uniform over the classes. Also returns how many
    distinct cjk chars the codecs produced.
    """
    n = len(lm.CLASSES)
    totals = [0.0] * n
    cjk_seen: set[str] = set()
    for codec in BACKGROUND_CODECS:
        counts = [0.0] * n
        for lead in range(0x80, 0x100):
            for trail in range(0x100):
                text = bytes((lead, trail)).decode(codec, errors="replace")
                for ch in text:
                    name = lm.char_class(ch)
                    counts[lm.CLASS_INDEX[name]] += 1 / len(text)
                    if name == "cjk":
                        cjk_seen.add(ch)
        codec_total = sum(counts)
        for k in range(n):
            totals[k] += counts[k] / codec_total / len(BACKGROUND_CODECS)
    share = BACKGROUND_UNIFORM_SHARE
    return [(1 - share) * t + share / n for t in totals], len(cjk_seen)


def class_sizes() -> dict[str, int]:
    sizes = dict.fromkeys(lm.CLASSES, 0)
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        sizes[lm._classify(chr(code))] += 1
    return sizes


def rounded(value: float) -> float:
    return float(f"{value:.9g}")


def build(out_dir: Path, constitution_path: Path, top_bigrams: int) -> dict[str, int]:
    unigram, bigram = merged_counts()
    kept = sorted(bigram.items(), key=lambda item: (-item[1], item[0]))[:top_bigrams]
    kept_bigram = dict(sorted(kept))
    rowsum: dict[str, int] = defaultdict(int)
    for key, count in kept_bigram.items():
        rowsum[key[0]] += count
    unigram_total = sum(unigram.values())

    transition, prior = class_statistics(constitution_path.read_text(encoding="utf-8"))
    background, cjk_background_size = background_statistics()
    sizes = class_sizes()
    class_llr = {
        name: rounded(math.log(prior[k]) - math.log(background[k]))
        for k, name in enumerate(lm.CLASSES)
    }

    def char_score(ch: str) -> float:
        p = unigram.get(ch, 0) * (1 - UNIGRAM_FLOOR) / unigram_total + UNIGRAM_FLOOR / sizes["cjk"]
        return math.log(p) + math.log(cjk_background_size)

    common = sorted(ch for ch in unigram if char_score(ch) >= COMMON_MIN_CHAR_SCORE)

    meta = {
        "format": 1,
        "classes": list(lm.CLASSES),
        "class_size": sizes,
        "cjk_background_size": cjk_background_size,
        "transition": [[rounded(p) for p in row] for row in transition],
        "background": [rounded(p) for p in background],
        "class_llr": class_llr,
        "unigram_total": unigram_total,
        "unigram_floor": UNIGRAM_FLOOR,
        "lambda_max": LAMBDA_MAX,
        "bigram_top_n": top_bigrams,
        "bigrams_available": len(bigram),
        "jieba_single_char_max_ratio": JIEBA_SINGLE_CHAR_MAX_RATIO,
        "jieba_single_chars_dropped": len(DROPPED_JIEBA_CHARS),
        "common_min_char_score": COMMON_MIN_CHAR_SCORE,
        "language_weights": LANGUAGE_WEIGHTS,
        "transition_prior_weight": TRANSITION_PRIOR_WEIGHT,
        "class_prior_design": CLASS_PRIOR_DESIGN,
        "background_uniform_share": BACKGROUND_UNIFORM_SHARE,
        "background_codecs": list(BACKGROUND_CODECS),
        "sources": source_versions(),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    write(
        out_dir / lm.META_FILE,
        json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
    )
    write(
        out_dir / lm.UNIGRAM_FILE,
        "".join(f"{ch}\t{count}\t{rowsum.get(ch, 0)}\n" for ch, count in sorted(unigram.items())),
    )
    write(
        out_dir / lm.BIGRAM_FILE, "".join(f"{key}\t{count}\n" for key, count in kept_bigram.items())
    )
    write(
        out_dir / lm.COMMON_FILE,
        "".join("".join(common[i : i + 64]) + "\n" for i in range(0, len(common), 64)),
    )
    return {
        "unigrams": len(unigram),
        "bigrams": len(kept_bigram),
        "bigrams_available": len(bigram),
        "common": len(common),
    }


def source_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {package: version(package) for package in ("jieba", "OpenCC", "wordfreq")}


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=lm.DATA_DIR)
    parser.add_argument("--constitution", type=Path, default=DEFAULT_CONSTITUTION)
    parser.add_argument("--top-bigrams", type=int, default=TOP_BIGRAMS)
    args = parser.parse_args()
    if not args.constitution.is_file():
        parser.error(f"constitution text not found: {args.constitution}")
    print(json.dumps(build(args.out, args.constitution, args.top_bigrams)))


if __name__ == "__main__":
    main()
