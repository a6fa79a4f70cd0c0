"""Rebuild the character language model files in fixer/data from installed packages.

Usage: python scripts/build_lm.py [--top-bigrams N] [--top-trigrams N]

Deterministic: the same installed package versions give byte-identical files. Sources (see
fixer/data/LM-SOURCES.md): jieba's dict.txt (MIT), OpenCC s2t/s2tw/s2hk (Apache-2.0),
wordfreq ja/ko lists (CC-BY-SA 4.0 data), and OpenCC's US constitution test text (Apache-2.0,
class-level statistics only). The constitution is read from the shared peer-case folder next
to the repository, or from --constitution.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

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
#: Chinese numerals whose in-word followers show what follows a number (年, 月, 个, 万, 次...),
#: and the characters that never follow an Arabic digit in text (the numerals themselves).
#: 一 and 十 are left out as rows: their words are mostly not numbers (一样, 十分).
NUMERAL_ROWS = "二三四五六七八九"
NOT_AFTER_DIGITS = "〇零一二三四五六七八九十两"
#: Characters kept in the after-number distribution (the most frequent).
TOP_AFTER_NUMBER = 300
#: Share of P(cjk character | digit) given to the after-number distribution; the rest is the
#: word-start distribution.  Design constant: in CJK text most characters right after a
#: number are counters, units and date parts.
AFTER_NUMBER_SHARE = 0.5
#: Number of within-word trigrams kept (the most frequent by scaled count): the word
#: evidence the lossy search gives a recovered character (see fixer.damage.lossy.WORD_BONUS).
TOP_TRIGRAMS = 200_000
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
COMMON_MIN_CHAR_SCORE = -2.0
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

#: Share of the word-boundary distribution P(ch | prev ends a word) mixed over languages by
#: the language weights instead of prev's language posterior (a character seen only in one
#: language's list still leaves the others possible).
LANGUAGE_POSTERIOR_FLOOR = 0.05
#: After a word ends, the next character is drawn from this share of the word-initial
#: distribution and the rest from the plain character distribution. Measured with
#: scripts/dev_lm_ranking.py: 1.0 ranks lost-byte candidates best (0.85, 0.7, 0.5 and 0.0 lose
#: 0.1-3 points); end to end the lossy repair on GBK text prefers 0.0 (suffixes such as 性
#: after 社会 rank low as word starts) and on Big5 text 1.0.
WORD_START_SHARE = 1.0
#: Typographic priors of the character shares inside the punctuation classes and the space
#: class (design guesses for CJK web text, blended with the constitution's counts, see
#: within_class_shares). The stop shares are those of common Chinese prose (，0.42 。0.32
#: 、0.12 ...); quotes and brackets: “” and （） dominate, then 《》 and 「」; the rare
#: CJK brackets 〈〉〔〕 get 1 %. "" names the rest of the class, spread uniformly over its
#: other members.
SHARE_PRIORS: dict[str, dict[str, float]] = {
    "cjk_stop": {
        "，": 0.41, "。": 0.32, "、": 0.12, "：": 0.04,
        "；": 0.03, "？": 0.03, "！": 0.03, "．": 0.01, "": 0.01,
    },
    "cjk_open": {
        "“": 0.30, "（": 0.25, "《": 0.15, "「": 0.12, "【": 0.05,
        "‘": 0.05, "『": 0.03, "〈": 0.01, "〔": 0.01, "": 0.03,
    },
    "cjk_close": {
        "”": 0.30, "）": 0.25, "》": 0.15, "」": 0.12, "】": 0.05,
        "’": 0.05, "』": 0.03, "〉": 0.01, "〕": 0.01, "": 0.03,
    },
    "cjk_mark": {
        "…": 0.30, "—": 0.25, "·": 0.20, "～": 0.08, "・": 0.06,
        "※": 0.02, "〜": 0.02, "―": 0.02, "〃": 0.01, "": 0.04,
    },
    "space": {" ": 0.6, "\n": 0.3, "\r": 0.03, "\t": 0.03, "\u3000": 0.03, "": 0.01},
}  # fmt: skip
#: Pseudo-count of each class's share prior against the constitution's counts.
SHARE_PRIOR_WEIGHT = 500.0
#: Line ends: P(newline | prev) for CJK punctuation and classes, from the constitution's
#: counts smoothed with this pseudo-count toward the pooled rate of prev's group.
LINE_END_PRIOR_WEIGHT = 20.0
#: Groups pooled for the line-end prior of single punctuation characters.
SENTENCE_FINAL = "。？！．"
CLAUSE_MARKS = "，、；："


class LanguageCounts(NamedTuple):
    """Weighted counts of one language source: characters, word-initial characters,
    within-word bigrams and trigrams."""

    unigram: defaultdict
    initial: defaultdict
    bigram: defaultdict
    trigram: defaultdict

    @classmethod
    def empty(cls) -> LanguageCounts:
        return cls(defaultdict(float), defaultdict(float), defaultdict(float), defaultdict(float))


def add_word(counts: LanguageCounts, word: str, weight: float) -> None:
    """Add one word's cjk characters, word-initial characters, within-word bigrams and
    trigrams (runs of cjk characters only)."""
    run = ""
    for ch in word:
        if lm.char_class(ch) != "cjk":
            run = ""
            continue
        counts.unigram[ch] += weight
        if run:
            counts.bigram[run[-1] + ch] += weight
        else:
            counts.initial[ch] += weight
        if len(run) >= 2:
            counts.trigram[run[-2:] + ch] += weight
        run += ch


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


def language_counts() -> dict[str, LanguageCounts]:
    """Raw counts per language source."""
    import opencc
    import wordfreq

    result: dict[str, LanguageCounts] = {}
    words, dropped = jieba_words()
    DROPPED_JIEBA_CHARS[:] = dropped
    counts = LanguageCounts.empty()
    for word, freq in words:
        add_word(counts, word, freq)
    result["zh-Hans"] = counts

    counts = LanguageCounts.empty()
    joined = "\n".join(word for word, _ in words)
    for config in OPENCC_TRADITIONAL:
        converted = opencc.OpenCC(config).convert(joined).split("\n")
        if len(converted) != len(words):
            raise RuntimeError(f"opencc {config} changed the number of lines")
        for (_, freq), word in zip(words, converted, strict=True):
            add_word(counts, word, freq / len(OPENCC_TRADITIONAL))
    result["zh-Hant"] = counts

    for lang in ("ja", "ko"):
        counts = LanguageCounts.empty()
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="best").items():
            add_word(counts, word, freq)
        result[lang] = counts
    return result


class MergedCounts(NamedTuple):
    """Integer counts, each language scaled to its weight of COUNT_SCALE."""

    unigram: dict[str, int]
    bigram: dict[str, int]
    trigram: dict[str, int]
    #: Per language (order of LANGUAGE_WEIGHTS): character and word-initial counts.
    language_unigram: dict[str, dict[str, int]]
    language_initial: dict[str, dict[str, int]]


def merged_counts() -> MergedCounts:
    """Scale each language to its weight of COUNT_SCALE, sum, round to integers."""
    unigram: dict = defaultdict(float)
    bigram: dict = defaultdict(float)
    trigram: dict = defaultdict(float)
    language_unigram: dict[str, dict[str, int]] = {}
    language_initial: dict[str, dict[str, int]] = {}
    for lang, counts in language_counts().items():
        factor = LANGUAGE_WEIGHTS[lang] * COUNT_SCALE / math.fsum(counts.unigram.values())
        for key in sorted(counts.unigram):
            unigram[key] += counts.unigram[key] * factor
        for key in sorted(counts.bigram):
            bigram[key] += counts.bigram[key] * factor
        for key in sorted(counts.trigram):
            trigram[key] += counts.trigram[key] * factor
        language_unigram[lang] = {
            key: round(value * factor) for key, value in counts.unigram.items()
        }
        language_initial[lang] = {
            key: round(value * factor) for key, value in counts.initial.items()
        }
    uni_int = {k: round(v) for k, v in unigram.items() if round(v) > 0}
    bi_int = {k: round(v) for k, v in bigram.items() if round(v) > 0 and k[0] in uni_int}
    tri_int = {k: round(v) for k, v in trigram.items() if round(v) > 0}
    return MergedCounts(uni_int, bi_int, tri_int, language_unigram, language_initial)


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


def within_class_shares(constitution: str, sizes: dict[str, int]) -> dict[str, dict[str, float]]:
    """P(ch | class) for the classes of SHARE_PRIORS (key "" = each unlisted member).

    share(ch) = (n(ch) + a * prior(ch)) / (n(class) + a), a = SHARE_PRIOR_WEIGHT, n counted
    in the constitution; the prior's rest (and any counted unlisted member) is spread over the
    unlisted members.
    """
    result: dict[str, dict[str, float]] = {}
    for name, prior in SHARE_PRIORS.items():
        counts: dict[str, float] = defaultdict(float)
        for ch in constitution:
            if lm.char_class(ch) == name:
                counts[ch if ch in prior else ""] += 1
        total = sum(counts.values()) + SHARE_PRIOR_WEIGHT
        shares = {
            ch: (counts[ch] + SHARE_PRIOR_WEIGHT * share) / total for ch, share in prior.items()
        }
        unlisted = sizes[name] - (len(prior) - ("" in prior))
        shares[""] = shares.get("", 0.0) / max(1, unlisted)
        result[name] = {ch: rounded(value) for ch, value in shares.items()}
    return result


def line_end_statistics(
    constitution: str, transition: list[list[float]], newline_share: float
) -> tuple[dict[str, float], dict[str, float]]:
    """P(newline | prev): per class for the non-neutral classes, per character for punctuation.

    A class's rate is (n(K, newline) + a * base(K)) / (n(K) + a), base(K) = T(space | K) x
    the newline share of the space class (what the model gave before), a =
    LINE_END_PRIOR_WEIGHT. A stop character's rate is (n(ch, newline) + a * r) / (n(ch) + a),
    r the pooled rate of its group (SENTENCE_FINAL or CLAUSE_MARKS); other punctuation
    characters of the stop and close classes use their class rate.
    """
    space = lm.CLASS_INDEX["space"]
    follows: dict[str, int] = defaultdict(int)
    ends: dict[str, int] = defaultdict(int)
    class_follows: dict[str, int] = defaultdict(int)
    class_ends: dict[str, int] = defaultdict(int)
    for prev, ch in itertools.pairwise(constitution):
        name = lm.char_class(prev)
        follows[prev] += 1
        class_follows[name] += 1
        if ch == "\n":
            ends[prev] += 1
            class_ends[name] += 1
    per_class = {}
    for k, name in enumerate(lm.CLASSES):
        if name in lm.NEUTRAL_CLASSES:
            continue
        base = transition[k][space] * newline_share
        per_class[name] = rounded(
            (class_ends[name] + LINE_END_PRIOR_WEIGHT * base)
            / (class_follows[name] + LINE_END_PRIOR_WEIGHT)
        )
    per_char = {}
    for group in (SENTENCE_FINAL, CLAUSE_MARKS):
        pooled = sum(ends[ch] for ch in group) / max(1, sum(follows[ch] for ch in group))
        for ch in group:
            per_char[ch] = rounded(
                (ends[ch] + LINE_END_PRIOR_WEIGHT * pooled) / (follows[ch] + LINE_END_PRIOR_WEIGHT)
            )
    return per_class, per_char


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


def after_number(bigram: dict[str, int]) -> dict[str, float]:
    """P(ch | a number precedes): the in-word followers of the NUMERAL_ROWS, without the
    numerals, the TOP_AFTER_NUMBER most frequent, normalised."""
    counts: dict[str, int] = defaultdict(int)
    for key, count in bigram.items():
        if key[0] in NUMERAL_ROWS and key[1] not in NOT_AFTER_DIGITS:
            counts[key[1]] += count
    kept = most_frequent(counts, TOP_AFTER_NUMBER)
    total = sum(counts[ch] for ch in kept)
    return {ch: rounded(counts[ch] / total) for ch in kept}


def most_frequent(counts: dict[str, int], top: int) -> list[str]:
    """The *top* keys with the highest counts (ties by key), in key order."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return sorted(key for key, _ in ranked[:top])


def build(
    out_dir: Path, constitution_path: Path, top_bigrams: int, top_trigrams: int = TOP_TRIGRAMS
) -> dict[str, int]:
    merged = merged_counts()
    unigram, bigram = merged.unigram, merged.bigram
    kept_bigram = {key: bigram[key] for key in most_frequent(bigram, top_bigrams)}
    kept_trigrams = most_frequent(merged.trigram, top_trigrams)
    rowsum: dict[str, int] = defaultdict(int)
    for key, count in kept_bigram.items():
        rowsum[key[0]] += count
    full_rowsum: dict[str, int] = defaultdict(int)
    for key, count in bigram.items():
        full_rowsum[key[0]] += count
    unigram_total = sum(unigram.values())

    constitution = constitution_path.read_text(encoding="utf-8")
    transition, prior = class_statistics(constitution)
    background, cjk_background_size = background_statistics()
    sizes = class_sizes()
    shares = within_class_shares(constitution, sizes)
    line_end_class, line_end_char = line_end_statistics(
        constitution, transition, shares["space"]["\n"]
    )
    languages = list(LANGUAGE_WEIGHTS)
    initial_total = {lang: sum(merged.language_initial[lang].values()) for lang in languages}
    class_llr = {
        name: rounded(math.log(prior[k]) - math.log(background[k]))
        for k, name in enumerate(lm.CLASSES)
    }

    def char_score(ch: str) -> float:
        p = unigram.get(ch, 0) * (1 - UNIGRAM_FLOOR) / unigram_total + UNIGRAM_FLOOR / sizes["cjk"]
        return math.log(p) + math.log(cjk_background_size)

    common = sorted(ch for ch in unigram if char_score(ch) >= COMMON_MIN_CHAR_SCORE)

    meta = {
        "format": 2,
        "classes": list(lm.CLASSES),
        "class_size": sizes,
        "cjk_background_size": cjk_background_size,
        "transition": [[rounded(p) for p in row] for row in transition],
        "background": [rounded(p) for p in background],
        "class_llr": class_llr,
        "unigram_total": unigram_total,
        "unigram_floor": UNIGRAM_FLOOR,
        "lambda_max": LAMBDA_MAX,
        "languages": languages,
        "initial_total": initial_total,
        "language_total": {lang: sum(merged.language_unigram[lang].values()) for lang in languages},
        "word_start_share": WORD_START_SHARE,
        "after_number": after_number(bigram),
        "after_number_share": AFTER_NUMBER_SHARE,
        "continuation_total": {
            lang: sum(
                max(0, count - merged.language_initial[lang].get(ch, 0))
                for ch, count in merged.language_unigram[lang].items()
            )
            for lang in languages
        },
        "language_posterior_floor": LANGUAGE_POSTERIOR_FLOOR,
        "class_shares": shares,
        "share_priors": SHARE_PRIORS,
        "share_prior_weight": SHARE_PRIOR_WEIGHT,
        "line_end_class": line_end_class,
        "line_end_char": line_end_char,
        "line_end_prior_weight": LINE_END_PRIOR_WEIGHT,
        "bigram_top_n": top_bigrams,
        "bigrams_available": len(bigram),
        "trigram_top_n": top_trigrams,
        "trigrams_available": len(merged.trigram),
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
        "".join(
            "\t".join(
                [ch, str(count), str(rowsum.get(ch, 0)), str(full_rowsum.get(ch, 0))]
                + [str(merged.language_unigram[lang].get(ch, 0)) for lang in languages]
                + [str(merged.language_initial[lang].get(ch, 0)) for lang in languages]
            )
            + "\n"
            for ch, count in sorted(unigram.items())
        ),
    )
    write(
        out_dir / lm.BIGRAM_FILE, "".join(f"{key}\t{count}\n" for key, count in kept_bigram.items())
    )
    write(out_dir / lm.TRIGRAM_FILE, "".join(f"{key}\n" for key in kept_trigrams))
    write(
        out_dir / lm.COMMON_FILE,
        "".join("".join(common[i : i + 64]) + "\n" for i in range(0, len(common), 64)),
    )
    return {
        "unigrams": len(unigram),
        "bigrams": len(kept_bigram),
        "bigrams_available": len(bigram),
        "trigrams": len(kept_trigrams),
        "trigrams_available": len(merged.trigram),
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
    parser.add_argument("--top-trigrams", type=int, default=TOP_TRIGRAMS)
    args = parser.parse_args()
    if not args.constitution.is_file():
        parser.error(f"constitution text not found: {args.constitution}")
    print(json.dumps(build(args.out, args.constitution, args.top_bigrams, args.top_trigrams)))


if __name__ == "__main__":
    main()
