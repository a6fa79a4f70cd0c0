"""Character language model for CJK text: is this span plausible text or damage?

The model answers two questions for the repair stages: which of several candidate
re-decodings of a damaged byte span is the real text (noisy-channel ranking), and whether a
window of text reads like CJK text at all.

Model (all numbers come from the files in ``fixer/data``, built by ``scripts/build_lm.py``;
see ``fixer/data/LM-SOURCES.md`` for sources and licenses):

* Every character belongs to one *class* (:data:`CLASSES`): ``cjk`` (Han, kana, hangul) or
  one of the non-CJK classes (CJK punctuation by role, full-width forms, ASCII letters,
  digits, whitespace, ASCII punctuation, Latin-1/Latin extended letters and symbols, other
  letters, symbols, U+FFFD, controls, private use, other).
* After a cjk character ``prev``: ``P(ch | prev) = kept(prev) Pbigram(ch | prev) +
  dropped(prev) Pcont(ch | L(prev)) + (1 - kept - dropped) T(K(ch) | cjk) Pstart(ch | L(prev))``
  (``P(ch | K(ch))`` for a non-cjk ``ch``). ``kept + dropped`` is the share of ``prev``'s
  occurrences that continue inside a word, split between the stored bigram table and the
  dictionary bigrams it leaves out; ``Pcont`` is the distribution of non-initial characters,
  ``Pstart`` that of word-initial characters, each mixed over the languages (Simplified and
  Traditional Chinese, Japanese, Korean) by ``prev``'s language posterior ``L(prev)``.
  After any other class: ``T(K(ch) | K(prev)) * P(ch | K(ch))``; after a digit, ``P(ch | cjk)``
  is half ``Pstart`` and half ``Pnum``, what follows a number (年, 月, 个, 万...: the in-word
  followers of the Chinese numerals). ``T`` is the
  class-transition matrix. Inside the punctuation classes and the space class characters have
  measured/typographic shares (``。`` far above ``．``, ``”`` above ``〉``); other classes are
  uniform over their members.
* Line ends: ``logp(prev, "\\n")`` is the line-end rate after ``prev`` (per character for the
  CJK stops, per class otherwise: a line ends after ``。`` far more often than after ``，``);
  the other continuations are scaled to keep the distribution normalised.
* The *background* (garbage) model is ``B(ch | prev) = Q(K(ch) | K(prev)) / size(K(ch))``:
  class frequencies of what legacy decoders emit for arbitrary high bytes, uniform inside the
  class. Transitions into neutral classes (ASCII letters, digits, whitespace, ASCII
  punctuation) get the same probability in both models, so ASCII is neutral.
* :meth:`CharModel.score` is the log-likelihood ratio ``sum log P - log B``: positive for
  plausible CJK text, negative for mojibake.
"""

from __future__ import annotations

import functools
import gc
import json
import math
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from fixer.chardata import SMALL_FORM_CLOSERS, SMALL_FORM_OPENERS, SMALL_FORM_STOPS

DATA_DIR = Path(__file__).resolve().parent / "data"
META_FILE = "lm-meta.json"
UNIGRAM_FILE = "lm-unigrams.tsv"
BIGRAM_FILE = "lm-bigrams.tsv"
TRIGRAM_FILE = "lm-trigrams.txt"
COMMON_FILE = "common-chars.txt"
CALIBRATION_FILE = "lm-calibration.json"
#: Version of the data files this module reads (``format`` in ``lm-meta.json``).
MODEL_FORMAT = 2

#: Character classes, in the order used by the transition matrices of the data files.
CLASSES: tuple[str, ...] = (
    "cjk",  # Han (all blocks), kana, hangul: modelled character by character
    "cjk_stop",  # 。，、；：？！ and their full-width/ideographic forms
    "cjk_open",  # opening quotes and brackets “‘《〈「『【（...
    "cjk_close",  # closing quotes and brackets ”’》〉」』】）...
    "cjk_mark",  # other CJK punctuation: · ・ … — ～ 〃 and the CJK symbols block
    "fullwidth_alnum",  # ０-９ Ａ-Ｚ ａ-ｚ
    "fullwidth_symbol",  # other full-width forms ＃＄％...￥
    "halfwidth",  # half-width katakana and hangul (U+FF61-FFDC)
    "ascii_letter",
    "digit",
    "space",  # ASCII whitespace and the ideographic space U+3000
    "ascii_punct",
    "latin_letter",  # Latin-1 supplement and Latin extended letters
    "latin_symbol",  # Latin-1 symbols and the cp1252 extras (€ ‚ „ † ‡ ‰ ‹ › ™ • –)
    "other_letter",  # Greek, Cyrillic and every other script
    "symbol",  # box drawing, arrows, maths, enclosed numbers, ...
    "replacement",  # U+FFFD
    "control",  # C0/C1 controls and DEL (except whitespace)
    "private",  # private use areas
    "other",  # unassigned, combining marks, format characters
)
CLASS_INDEX = {name: index for index, name in enumerate(CLASSES)}
#: Classes whose arrival is never evidence either way (same probability in both models).
NEUTRAL_CLASSES = frozenset({"ascii_letter", "digit", "space", "ascii_punct"})

_STOP = "。、\uff0c\uff1b\uff1a\uff1f\uff01\uff0e" + SMALL_FORM_STOPS
_OPEN = "“‘《〈「『【〔〖〘〚（［｛｟〝" + SMALL_FORM_OPENERS
_CLOSE = "”’》〉」』】〕〗〙〛）］｝｠〞〟" + SMALL_FORM_CLOSERS
_MARK = "·・…‥—―～〜〃※〒〓〽"
_LATIN_EXTRA_SYMBOLS = "‚„†‡‰‹›™€•–ˆ˜"
_EXPLICIT: dict[str, str] = {}
for _chars, _name in (
    (_STOP, "cjk_stop"),
    (_OPEN, "cjk_open"),
    (_CLOSE, "cjk_close"),
    (_MARK, "cjk_mark"),
    (_LATIN_EXTRA_SYMBOLS, "latin_symbol"),
    ("\u3000", "space"),
    ("\ufffd", "replacement"),
    ("\u3005\u3006\u3007", "cjk"),  # 々 〆 〇 behave as Han characters
):
    for _ch in _chars:
        _EXPLICIT[_ch] = _name

# Script=Han ranges (radicals, ideographs, extensions, compatibility), kana and hangul.
_HAN_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3FFFF),
)
_KANA_RANGES = (
    (0x3041, 0x309F),
    (0x30A0, 0x30FA),
    (0x30FC, 0x30FF),
    (0x31F0, 0x31FF),
    (0x1AFF0, 0x1B16F),
)
_HANGUL_RANGES = (
    (0x1100, 0x11FF),
    (0x3131, 0x318E),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7FF),
)
_CJK_RANGES = _HAN_RANGES + _KANA_RANGES + _HANGUL_RANGES


def _in_ranges(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


@functools.cache
def _in_cjk_ranges(ch: str) -> bool:
    return _in_ranges(ord(ch), _CJK_RANGES) or ch in "\u3005\u3006\u3007"


def is_cjk(ch: str) -> bool:
    """True for a Han (any block), kana or hangul character (not their half-width forms)."""
    return ch >= "\u1100" and _in_cjk_ranges(ch)


def _classify(ch: str) -> str:
    code = ord(ch)
    if code < 0x80:
        if ch.isalpha():
            return "ascii_letter"
        if ch.isdigit():
            return "digit"
        if ch in " \t\n\r\f\v":
            return "space"
        if code < 0x20 or code == 0x7F:
            return "control"
        return "ascii_punct"
    explicit = _EXPLICIT.get(ch)
    if explicit is not None:
        return explicit
    if is_cjk(ch):
        return "cjk"
    if code < 0xA0:
        return "control"
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin_letter" if ch.isalpha() else "latin_symbol"
    if 0xFF10 <= code <= 0xFF19 or 0xFF21 <= code <= 0xFF3A or 0xFF41 <= code <= 0xFF5A:
        return "fullwidth_alnum"
    if 0xFF01 <= code <= 0xFF5E or 0xFFE0 <= code <= 0xFFEE:
        return "fullwidth_symbol"
    if 0xFF61 <= code <= 0xFFDC:
        return "halfwidth"
    if 0x3000 <= code <= 0x303F:
        return "cjk_mark"
    if 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return "private"
    category = unicodedata.category(ch)
    if category[0] == "L":
        return "other_letter"
    if category[0] in "SPN":
        return "symbol"
    if category == "Zs":
        return "space"
    if category == "Cc":
        return "control"
    return "other"


@functools.lru_cache(maxsize=65536)
def char_class(ch: str) -> str:
    """The class name (one of :data:`CLASSES`) of one character."""
    return _classify(ch)


@functools.cache
def common_chars() -> frozenset[str]:
    """CJK characters frequent enough to be unsuspicious (from a small file, no model load).

    The file lists every cjk-class character whose :meth:`CharModel.char_score` is at least
    the ``common_min_char_score`` stated in ``lm-meta.json``.
    """
    text = (DATA_DIR / COMMON_FILE).read_text(encoding="utf-8")
    return frozenset(text.replace("\n", ""))


class WordTrigrams:
    """Sorted runs of three characters kept in one flat string and searched by bisection:
    loading takes one read, and no object is made per entry."""

    def __init__(self, flat: str) -> None:
        self._flat = flat
        self._count = len(flat) // 3

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return (self._flat[index : index + 3] for index in range(0, 3 * self._count, 3))

    def __contains__(self, run: object) -> bool:
        if not isinstance(run, str) or len(run) != 3:
            return False
        flat, low, high = self._flat, 0, self._count
        while low < high:
            middle = (low + high) // 2
            probe = flat[3 * middle : 3 * middle + 3]
            if probe < run:
                low = middle + 1
            elif probe > run:
                high = middle
            else:
                return True
        return False


@functools.cache
def word_trigrams() -> WordTrigrams:
    """The most frequent runs of three CJK characters inside dictionary words (星期一, 不動產,
    心がけ), from a file of their own (one per line, sorted): the model does not load it,
    the searches that weigh recovered characters against whole words do."""
    text = (DATA_DIR / TRIGRAM_FILE).read_text(encoding="utf-8")
    return WordTrigrams(text.replace("\n", ""))


@functools.cache
def thresholds() -> dict[str, float]:
    """Calibrated mean_score thresholds (see ``lm-calibration.json``).

    ``clean_min``: a window whose mean_score is above it is plausible text (at least 99.9 %
    of clean calibration windows pass). ``damaged_max``: at least 99.9 % of damaged
    calibration windows score at or below it. ``window_chars``: the window length they were
    measured on.
    """
    data = json.loads((DATA_DIR / CALIBRATION_FILE).read_text(encoding="utf-8"))
    return {key: float(value) for key, value in data["thresholds"].items()}


class _Languages(NamedTuple):
    """Per-language figures of one character (languages in the order of ``lm-meta.json``)."""

    #: P(language | this character): its share of each language list's (weighted) count,
    #: mixed with the language weights by ``language_posterior_floor``.
    posterior: tuple[float, ...]
    #: P(ch | a word starts, language): word-initial share (mixed with the plain character
    #: share by ``word_start_share``).
    word_start: tuple[float, ...]
    #: P(ch | inside a word, not first, language): share of the non-initial occurrences.
    continuation: tuple[float, ...]


class CharModel:
    """Interpolated character bigram / word-boundary / class model with a background model."""

    def __init__(self, data_dir: Path = DATA_DIR) -> None:
        meta = json.loads((data_dir / META_FILE).read_text(encoding="utf-8"))
        if meta.get("format") != MODEL_FORMAT or tuple(meta["classes"]) != CLASSES:
            raise ValueError(f"{data_dir / META_FILE}: unsupported model format or classes")
        self.meta = meta
        n_classes = len(CLASSES)
        transition = meta["transition"]
        background = meta["background"]
        sizes = meta["class_size"]
        self._t = [list(map(float, row)) for row in transition]
        neutral = [name in NEUTRAL_CLASSES for name in CLASSES]
        garbage_rest = sum(
            g for g, is_neutral in zip(background, neutral, strict=True) if not is_neutral
        )
        # log Q(K | K'): rows = previous class, columns = class.
        self._log_q: list[list[float]] = []
        for row in transition:
            neutral_mass = sum(p for p, is_neutral in zip(row, neutral, strict=True) if is_neutral)
            self._log_q.append(
                [
                    math.log(row[k])
                    if neutral[k]
                    else math.log((1.0 - neutral_mass) * background[k] / garbage_rest)
                    for k in range(n_classes)
                ]
            )
        self._log_size = [math.log(sizes[name]) for name in CLASSES]
        self._log_bg_cjk_size = math.log(meta["cjk_background_size"])
        self._start = CLASS_INDEX["space"]
        self._cjk = CLASS_INDEX["cjk"]
        self._lambda_max = float(meta["lambda_max"])
        # P(ch | K) inside the non-cjk classes: listed shares, else the class's per-member rest.
        self._share: dict[str, float] = {}
        self._rest = [1.0 / sizes[name] for name in CLASSES]
        for name, shares in meta["class_shares"].items():
            self._rest[CLASS_INDEX[name]] = float(shares[""])
            self._share.update((ch, float(p)) for ch, p in shares.items() if ch)
        # Line ends: P("\n" | prev) for non-neutral prev, and the factor that renormalises the
        # other continuations (the class model alone gives "\n" the probability `base`).
        newline_share = self._newline_share = self._share["\n"]
        space = CLASS_INDEX["space"]
        self._eol_class: list[float | None] = [None] * n_classes
        self._eol_factor_class = [1.0] * n_classes
        for name, p_end in meta["line_end_class"].items():
            k = CLASS_INDEX[name]
            base = self._t[k][space] * newline_share
            self._eol_class[k] = float(p_end)
            self._eol_factor_class[k] = (1.0 - p_end) / (1.0 - base)
        self._eol_char: dict[str, tuple[float, float]] = {}
        for ch, p_end in meta["line_end_char"].items():
            base = self._t[CLASS_INDEX[char_class(ch)]][space] * newline_share
            self._eol_char[ch] = (float(p_end), (1.0 - p_end) / (1.0 - base))

        languages = meta["languages"]
        weights = meta["language_weights"]
        self._language_prior = tuple(float(weights[lang]) for lang in languages)
        self._posterior_floor = float(meta["language_posterior_floor"])
        floor = float(meta["unigram_floor"])
        n_lang = len(languages)
        initial_scale = tuple((1.0 - floor) / meta["initial_total"][lang] for lang in languages)
        self._language_scale = tuple(
            (1.0 - floor) / meta["language_total"][lang] for lang in languages
        )
        self._word_start_share = float(meta["word_start_share"])
        self._after_number = {ch: float(p) for ch, p in meta["after_number"].items()}
        self._after_number_share = float(meta["after_number_share"])
        self._digit = CLASS_INDEX["digit"]
        self._continuation_scale = tuple(
            (1.0 - floor) / meta["continuation_total"][lang] for lang in languages
        )
        gc_was_enabled = gc.isenabled()
        gc.disable()  # ~200k small objects: collection passes would only cost time
        try:
            # Keys are CJK characters, which never contain whitespace: split() tokenises.
            width = 4 + 2 * n_lang
            fields = (data_dir / UNIGRAM_FILE).read_text(encoding="utf-8").split()
            chars = fields[0::width]
            self._unigram: dict[str, int] = dict(
                zip(chars, map(int, fields[1::width]), strict=True)
            )
            self._rowsum: dict[str, int] = {
                ch: int(rowsum)
                for ch, rowsum in zip(chars, fields[2::width], strict=True)
                if rowsum != "0"
            }
            self._full_rowsum: dict[str, int] = {
                ch: int(rowsum)
                for ch, rowsum in zip(chars, fields[3::width], strict=True)
                if rowsum != "0"
            }
            # Per-language columns are parsed on first use of a character (see _languages).
            self._unigram_fields = fields
            self._unigram_row = dict(zip(chars, range(0, len(fields), width), strict=True))
            fields = (data_dir / BIGRAM_FILE).read_text(encoding="utf-8").split()
            # Counts stay strings until looked up: converting 160k of them costs load time.
            self._bigram: dict[str, str] = dict(zip(fields[0::2], fields[1::2], strict=True))
        finally:
            if gc_was_enabled:
                gc.enable()
        self._uni_scale = (1.0 - floor) / int(meta["unigram_total"])
        self._uni_floor = floor / sizes["cjk"]
        self._n_languages = n_lang
        self._initial_scale = initial_scale
        self._languages_cache: dict[str, _Languages | None] = {}
        self._continuation_cache: dict[str, tuple[float, float, float]] = {}
        # Pair scores, keyed by prev + ch (ch alone at the start of text): the searches ask
        # for the same few thousand pairs over and over.
        self._logp_cache: dict[str, float] = {}
        self._llr_cache: dict[str, float] = {}

    # -- probabilities -------------------------------------------------------------------
    def _p_cjk_unigram(self, ch: str) -> float:
        return self._unigram.get(ch, 0) * self._uni_scale + self._uni_floor

    def _languages(self, ch: str) -> _Languages | None:
        """Per-language figures of a listed character (see :class:`_Languages`), or None."""
        if ch in self._languages_cache:
            return self._languages_cache[ch]
        row = self._unigram_row.get(ch)
        result = None
        if row is not None:
            n = self._n_languages
            values = self._unigram_fields[row + 4 : row + 4 + 2 * n]
            counts = [int(value) for value in values[:n]]
            starts = [int(value) for value in values[n:]]
            start_share = self._word_start_share
            word_start = tuple(
                start_share * start * start_scale + (1.0 - start_share) * count * scale
                for start, start_scale, count, scale in zip(
                    starts, self._initial_scale, counts, self._language_scale, strict=True
                )
            )
            continuation = tuple(
                max(0, count - start) * scale
                for count, start, scale in zip(
                    counts, starts, self._continuation_scale, strict=True
                )
            )
            total = sum(counts)
            keep = 1.0 - self._posterior_floor
            posterior = (
                tuple(
                    keep * count / total + self._posterior_floor * prior
                    for count, prior in zip(counts, self._language_prior, strict=True)
                )
                if total
                else self._language_prior
            )
            result = _Languages(posterior, word_start, continuation)
        self._languages_cache[ch] = result
        return result

    def _p_given_language(self, prev: str | None, ch: str, continues: bool) -> float:
        """P(ch | a word starts after prev) or P(ch | prev's word continues, unlisted bigram).

        Per-language distributions mixed by prev's language posterior.
        """
        languages = self._languages(ch)
        if languages is None:
            return self._uni_floor
        before = self._languages(prev) if prev is not None else None
        posterior = self._language_prior if before is None else before.posterior
        shares = languages.continuation if continues else languages.word_start
        return sum(p * share for p, share in zip(posterior, shares, strict=True)) + self._uni_floor

    def _continuation(self, prev: str) -> tuple[float, float, float]:
        """(weight of the bigram table, weight of unlisted in-word continuations, line-end
        factor) after the cjk character prev.

        The first two sum to the share of prev's occurrences that continue inside a word
        (capped at ``lambda_max``), split in proportion to the kept and the dropped bigram
        counts. The factor rescales every other continuation after a line end got its
        measured rate instead of the class model's.
        """
        cached = self._continuation_cache.get(prev)
        if cached is not None:
            return cached
        full = self._full_rowsum.get(prev)
        kept = dropped = 0.0
        if full is not None:
            share = min(self._lambda_max, full / self._unigram[prev])
            kept = share * self._rowsum.get(prev, 0) / full
            dropped = share - kept
        base = (1.0 - kept - dropped) * self._t[self._cjk][self._start] * self._newline_share
        line_end = self._eol_class[self._cjk]
        assert line_end is not None
        result = (kept, dropped, (1.0 - line_end) / (1.0 - base))
        self._continuation_cache[prev] = result
        return result

    def _class_of(self, ch: str | None) -> int:
        return self._start if ch is None else CLASS_INDEX[char_class(ch)]

    def _within(self, ch: str, k: int) -> float:
        """P(ch | its class K) for a non-cjk class."""
        share = self._share.get(ch)
        return self._rest[k] if share is None else share

    def logp(self, prev: str | None, ch: str) -> float:
        """Natural-log P(ch | prev); ``prev=None`` is the start of text. Never -inf.

        ``ch="\\n"`` is the line-end event: after CJK text and punctuation its probability
        is the measured line-end rate of prev (higher after 。 than after ，).
        """
        key = ch if prev is None else prev + ch
        cached = self._logp_cache.get(key)
        if cached is None:
            cached = _remember(self._logp_cache, key, self._logp(prev, ch))
        return cached

    def _logp(self, prev: str | None, ch: str) -> float:
        k_prev = self._class_of(prev)
        k = self._class_of(ch)
        eol_factor = 1.0
        if prev is not None and self._eol_class[k_prev] is not None:
            per_char = self._eol_char.get(prev)
            if ch == "\n":
                return math.log(per_char[0] if per_char else self._eol_class[k_prev])  # type: ignore[arg-type]
            eol_factor = per_char[1] if per_char else self._eol_factor_class[k_prev]
        if k_prev != self._cjk:
            if k != self._cjk:
                within = self._within(ch, k)
            elif k_prev == self._digit:
                share = self._after_number_share
                within = (1.0 - share) * self._p_given_language(
                    None, ch, False
                ) + share * self._after_number.get(ch, 0.0)
            else:
                within = self._p_given_language(None, ch, False)
            return math.log(eol_factor * self._t[k_prev][k] * within)
        kept, dropped, eol_factor = self._continuation(prev)  # type: ignore[arg-type]
        if k != self._cjk:
            return math.log(
                eol_factor * (1.0 - kept - dropped) * self._t[k_prev][k] * self._within(ch, k)
            )
        probability = (
            (1.0 - kept - dropped) * self._t[k_prev][k] * self._p_given_language(prev, ch, False)
        )
        if dropped:
            probability += dropped * self._p_given_language(prev, ch, True)
        if kept:
            count = self._bigram.get(prev + ch)  # type: ignore[operator]
            if count:
                probability += kept * int(count) / self._rowsum[prev]  # type: ignore[index]
        return math.log(eol_factor * probability)

    def _log_background(self, prev: str | None, ch: str) -> float:
        k_prev = self._class_of(prev)
        k = self._class_of(ch)
        if k == self._cjk:
            return self._log_q[k_prev][k] - self._log_bg_cjk_size
        if k == self._start:  # space is neutral: same within-class shares as the model
            return self._log_q[k_prev][k] + math.log(self._within(ch, k))
        return self._log_q[k_prev][k] - self._log_size[k]

    def llr(self, prev: str | None, ch: str) -> float:
        """Log-likelihood ratio of ch after prev: model vs background."""
        key = ch if prev is None else prev + ch
        cached = self._llr_cache.get(key)
        if cached is None:
            value = self.logp(prev, ch) - self._log_background(prev, ch)
            cached = _remember(self._llr_cache, key, value)
        return cached

    def forget_pair_scores(self) -> None:
        """Empty the pair-score caches (to time scoring from cold)."""
        self._logp_cache.clear()
        self._llr_cache.clear()

    # -- public scores -------------------------------------------------------------------
    def score(self, text: str) -> float:
        """Sum of per-character LLRs: positive = plausible CJK text, negative = garbage."""
        if not text:
            return 0.0
        cache = self._llr_cache
        llr = self.llr
        total = llr(None, text[0])
        for index in range(1, len(text)):
            value = cache.get(text[index - 1 : index + 1])
            total += llr(text[index - 1], text[index]) if value is None else value
        return total

    def scored_chars(self, text: str) -> int:
        """How many characters of text count for mean_score (all but neutral classes)."""
        return sum(1 for ch in text if char_class(ch) not in NEUTRAL_CLASSES)

    def mean_score(self, text: str) -> float:
        """score / number of scored (non-neutral) characters; 0.0 if there are none."""
        count = self.scored_chars(text)
        return self.score(text) / count if count else 0.0

    def language_shares(self, ch: str) -> dict[str, float]:
        """Each language's share of *ch*'s (weighted) occurrences, by ``lm-meta.json`` name
        (``zh-Hans``, ``zh-Hant``, ``ja``, ``ko``); empty for a character no list holds."""
        languages = self._languages(ch)
        if languages is None:
            return {}
        floor = self._posterior_floor
        return {
            name: max(0.0, (posterior - floor * prior) / (1.0 - floor))
            for name, posterior, prior in zip(
                self.meta["languages"], languages.posterior, self._language_prior, strict=True
            )
        }

    def language_frequencies(self, ch: str) -> dict[str, float]:
        """*ch*'s relative frequency in each language's own lists (its count over the
        language's total), by ``lm-meta.json`` name; empty for a character no list holds."""
        row = self._unigram_row.get(ch)
        if row is None:
            return {}
        n = self._n_languages
        counts = self._unigram_fields[row + 4 : row + 4 + n]
        return {
            name: int(count) * scale
            for name, count, scale in zip(
                self.meta["languages"], counts, self._language_scale, strict=True
            )
        }

    def char_score(self, ch: str) -> float:
        """Context-free LLR of one character.

        For cjk characters: log P(ch | cjk) minus the log of the uniform background over the
        CJK characters of the legacy codecs (rare/unknown Han chars are clearly negative).
        For other classes: log of the model's class frequency times the character's share
        inside its class, over the background's (uniform inside the class); 0.0 for the
        neutral classes.
        """
        k = self._class_of(ch)
        if k == self._cjk:
            return math.log(self._p_cjk_unigram(ch)) + self._log_bg_cjk_size
        if CLASSES[k] in NEUTRAL_CLASSES:
            return 0.0
        return (
            self.meta["class_llr"][CLASSES[k]] + math.log(self._within(ch, k)) + self._log_size[k]
        )


#: Most pair scores each cache of a :class:`CharModel` holds; a full cache starts over.
PAIR_CACHE_SIZE = 1 << 17


def _remember(cache: dict[str, float], key: str, value: float) -> float:
    if len(cache) >= PAIR_CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


_MODEL_LOCK = threading.Lock()


@functools.cache
def _load_model() -> CharModel:
    return CharModel()


def get_model() -> CharModel:
    """The shared model, loaded once per process on first use."""
    with _MODEL_LOCK:
        return _load_model()
