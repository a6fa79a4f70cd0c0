"""Tests of the character language model (fixer.lm)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from fixer import lm

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONSTITUTION = SHARED / "peer-cases" / "opencc" / "golden" / "input" / "us_constitution_zhs.txt"

CLEAN_SENTENCES = [
    "今天天气很好，我们一起去公园散步吧。",
    "這本書的作者是一位著名的歷史學家，他住在台北。",
    "东京是日本的首都，也是亚洲最大的城市之一。",
    "東京は日本の首都で、人口が多い都市です。",
    "오늘은 날씨가 좋아서 친구와 함께 공원에 갔습니다.",
    "<p>2024年新产品发布会将在上海举行。</p>",
]


@pytest.fixture(scope="module")
def model() -> lm.CharModel:
    return lm.get_model()


def candidates(before: str, after: str, trail: int) -> list[str]:
    """Every text before + X + after where the GBK pair (X, trail) decodes, X a lead byte."""
    texts = []
    for lead in range(0x81, 0xFF):
        try:
            char = bytes((lead, trail)).decode("gbk")
        except UnicodeDecodeError:
            continue
        texts.append(before + char + after)
    return texts


def test_is_cjk() -> None:
    for ch in "中東かカー한ㄱ々〇\u3400\U00020000\U00030000\uf900":
        assert lm.is_cjk(ch), ch
    for ch in "Aé。，“ｶ\uff9e·\u3000\ufffd\ue000":
        assert not lm.is_cjk(ch), ch


def test_char_classes_cover_mojibake_alphabet() -> None:
    assert lm.char_class("Î") == "latin_letter"
    assert lm.char_class("\x85") == "control"
    assert lm.char_class("€") == "latin_symbol"
    assert lm.char_class("ｶ") == "halfwidth"
    assert lm.char_class("。") == "cjk_stop"
    assert lm.char_class("”") == "cjk_close"
    assert lm.char_class("\ufffd") == "replacement"
    assert lm.char_class("\ue000") == "private"
    assert lm.char_class("﹐") == "cjk_stop"  # Big5's small form comma
    assert lm.char_class("﹙") == "cjk_open" and lm.char_class("﹚") == "cjk_close"


def test_get_model_is_cached(model: lm.CharModel) -> None:
    assert lm.get_model() is model


def test_logp_is_finite_probability(model: lm.CharModel) -> None:
    odd = ["中", "a", "\ufffd", "\ue000", "\x00", "\u0378", "\U0010fffd", "é", "。", " "]
    for prev in [None, *odd]:
        for ch in odd:
            value = model.logp(prev, ch)
            assert math.isfinite(value) and value <= 0.0, (prev, ch)


def test_pair_caches_return_the_computed_scores_and_stay_bounded(
    model: lm.CharModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "我们在上海。Hello 中文\ufffd文字"
    expected_score = model.score(text)
    monkeypatch.setattr(lm, "PAIR_CACHE_SIZE", 4)
    model.forget_pair_scores()
    pairs = list(zip([None, *text], text, strict=False))
    for prev, ch in pairs:
        first = model.logp(prev, ch)
        assert model.logp(prev, ch) == first
        assert model.llr(prev, ch) == first - model._log_background(prev, ch)
        assert len(model._logp_cache) <= 4 and len(model._llr_cache) <= 4
    # score() reads the same cache: cold, partly warm and warm it gives one number.
    assert model.score(text) == expected_score
    assert model.score(text) == expected_score
    model.forget_pair_scores()
    assert model.score(text) == expected_score
    # A start-of-text score is not confused with a pair that begins with the same character.
    assert model.llr(None, "中") != model.llr("中", "中")


def test_counters_and_date_parts_follow_numbers(model: lm.CharModel) -> None:
    for counter in "年月个次万":
        assert model.logp("4", counter) > model.logp(None, counter) + 0.5, counter
    # Arabic digits are not followed by Chinese numerals, and ordinary words gain nothing.
    assert model.logp("4", "五") < model.logp(None, "五")
    assert model.logp("4", "有") < model.logp(None, "有")


def test_logp_prefers_in_word_continuation(model: lm.CharModel) -> None:
    assert model.logp("東", "北") > model.logp("東", "霳")
    assert model.logp("中", "国") > model.logp(None, "国")


def test_word_continuation_beats_frequent_unrelated_character(model: lm.CharModel) -> None:
    """A dictionary bigram outranks a character that is only frequent on its own."""
    for prev, inside, frequent in [("作", "客", "口"), ("車", "位", "为"), ("知", "者", "著")]:
        assert model.logp(prev, inside) > model.logp(prev, frequent), (prev, inside)


def test_language_of_previous_character_shapes_the_next(model: lm.CharModel) -> None:
    """After a Chinese-only character kana is unlikely; after kana it is common."""
    assert model.logp("们", "は") < model.logp("们", "在") - 3.0
    assert model.logp("が", "は") > model.logp("们", "は") + 3.0
    assert model.logp("습", "니") > model.logp("们", "니") + 3.0


def test_dropped_dictionary_bigrams_keep_continuation_mass(model: lm.CharModel) -> None:
    """A character whose dictionary bigrams fell out of the table still continues words."""
    rare_rows = [
        ch
        for ch, full in model._full_rowsum.items()
        if ch not in model._rowsum and full > 0.5 * model._unigram[ch]
    ]
    assert rare_rows
    for ch in rare_rows[:50]:
        kept, dropped, _ = model._continuation(ch)
        assert kept == 0.0 and dropped > 0.4, ch


def test_punctuation_shares_inside_classes(model: lm.CharModel) -> None:
    """Common CJK punctuation outranks rare members of the same class."""
    for common, rare in [("。", "．"), ("，", "；"), ("”", "〉"), ("）", "〕"), ("“", "〈")]:
        assert lm.char_class(common) == lm.char_class(rare)
        assert model.logp("中", common) > model.logp("中", rare) + 1.0, (common, rare)
        assert model.char_score(common) > model.char_score(rare), (common, rare)
    for name, shares in model.meta["class_shares"].items():
        listed = [ch for ch in shares if ch]
        rest = model.meta["class_size"][name] - len(listed)
        total = sum(shares[ch] for ch in listed) + rest * shares[""]
        assert abs(total - 1.0) < 1e-6, name


def test_line_end_after_full_stop_beats_comma(model: lm.CharModel) -> None:
    assert model.logp("。", "\n") > model.logp("，", "\n") + 2.0
    assert model.logp("！", "\n") > model.logp("、", "\n") + 2.0
    assert model.llr("。", "\n") > 0 > model.llr("，", "\n")


@pytest.mark.parametrize("prev", ["，", "。", "中", "”", "a"])
def test_logp_is_normalised(model: lm.CharModel, prev: str) -> None:
    """P(. | prev) sums to one over every code point (line end included)."""
    total = math.fsum(
        math.exp(model.logp(prev, chr(code)))
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
    )
    assert abs(total - 1.0) < 1e-3, total


def test_lead_byte_candidates_pick_the_real_character(model: lm.CharModel) -> None:
    """推動 + (X, 0x7C) + 北: the lost GBK lead byte X is 0x96 (東)."""
    texts = candidates("推動", "北", 0x7C)
    assert len(texts) > 50
    ranked = sorted(texts, key=model.score, reverse=True)
    assert ranked[0] == "推動東北"
    assert model.score(ranked[0]) - model.score(ranked[1]) > 2.0


def test_misaligned_punctuation_candidates_pick_full_stop(model: lm.CharModel) -> None:
    """化 + (X, 0xA3) + ”前來: the pair that decodes to 。 must rank first."""
    texts = candidates("化", "”前來", 0xA3)
    assert len(texts) > 50
    assert max(texts, key=model.score) == "化。”前來"


def test_clean_text_passes_threshold(model: lm.CharModel) -> None:
    clean_min = lm.thresholds()["clean_min"]
    for text in CLEAN_SENTENCES:
        assert model.mean_score(text) > clean_min, text
        assert model.score(text) > 0, text


@pytest.mark.parametrize("codec", ["gbk", "big5", "shift_jis", "euc_kr", "euc_jp"])
def test_utf8_misread_scores_as_damage(model: lm.CharModel, codec: str) -> None:
    thresholds = lm.thresholds()
    for text in CLEAN_SENTENCES:
        damaged = text.encode("utf-8").decode(codec, errors="replace")
        assert model.mean_score(damaged) < thresholds["clean_min"], (codec, damaged)
        assert model.mean_score(damaged) < model.mean_score(text)


@pytest.mark.parametrize("legacy", ["gbk", "big5", "shift_jis", "euc_kr"])
@pytest.mark.parametrize("target", ["latin-1", "cp1252"])
def test_legacy_bytes_read_as_latin_score_as_damage(
    model: lm.CharModel, legacy: str, target: str
) -> None:
    damaged_max = lm.thresholds()["damaged_max"]
    tested = 0
    for text in CLEAN_SENTENCES:
        try:
            raw = text.encode(legacy)
        except UnicodeEncodeError:
            continue
        tested += 1
        assert model.mean_score(raw.decode(target, errors="replace")) < damaged_max
    assert tested


def test_ascii_is_neutral(model: lm.CharModel) -> None:
    for text in ['<p class="x">Hello, world 42!</p>', "a = b + 1;\n\tprint(a)"]:
        assert abs(model.score(text)) < 1e-9
        assert model.mean_score(text) == 0.0
    assert model.mean_score("") == 0.0


def test_latin1_letters_are_not_cjk_text(model: lm.CharModel) -> None:
    assert model.mean_score("ÎÒÃÇ") < lm.thresholds()["damaged_max"]
    assert model.mean_score("中文ÎÒÃÇ") < model.mean_score("中文我们")


def test_char_score(model: lm.CharModel) -> None:
    assert model.char_score("的") > 0
    assert model.char_score("東") > 0
    assert model.char_score("\U0002a6a5") < -5  # an unattested Extension B character
    assert model.char_score("\ue000") < 0
    assert model.char_score("a") == 0.0


def test_common_chars_agree_with_model(model: lm.CharModel) -> None:
    common = lm.common_chars()
    assert {"的", "東", "の", "한"} <= common
    minimum = model.meta["common_min_char_score"]
    assert all(lm.is_cjk(ch) and model.char_score(ch) >= minimum for ch in common)
    assert "\U0002a6a5" not in common


def test_common_chars_do_not_load_the_model() -> None:
    code = (
        "from fixer import lm\n"
        "assert '的' in lm.common_chars()\n"
        "assert lm._load_model.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_thresholds_are_ordered() -> None:
    thresholds = lm.thresholds()
    assert {"clean_min", "damaged_max"} <= thresholds.keys()
    assert thresholds["damaged_max"] < thresholds["clean_min"]


def test_model_files_are_compact_and_consistent() -> None:
    files = [
        lm.META_FILE,
        lm.UNIGRAM_FILE,
        lm.BIGRAM_FILE,
        lm.TRIGRAM_FILE,
        lm.COMMON_FILE,
        lm.CALIBRATION_FILE,
    ]
    assert sum((lm.DATA_DIR / name).stat().st_size for name in files) <= 6 * 1024 * 1024
    meta = json.loads((lm.DATA_DIR / lm.META_FILE).read_text(encoding="utf-8"))
    lines = (lm.DATA_DIR / lm.BIGRAM_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == meta["bigram_top_n"]
    assert lines == sorted(lines)
    trigrams = (lm.DATA_DIR / lm.TRIGRAM_FILE).read_text(encoding="utf-8").splitlines()
    assert len(trigrams) == meta["trigram_top_n"] == len(lm.word_trigrams())
    assert trigrams == sorted(trigrams)


def test_build_reproduces_committed_files(tmp_path: Path) -> None:
    if not CONSTITUTION.is_file():
        pytest.skip("shared OpenCC constitution text not present")
    meta = json.loads((lm.DATA_DIR / lm.META_FILE).read_text(encoding="utf-8"))
    installed = {}
    for package in meta["sources"]:
        try:
            installed[package] = version(package)
        except PackageNotFoundError:
            pytest.skip(f"{package} is not installed: pip install 'fixer[build-model]'")
    if installed != meta["sources"]:
        pytest.skip(f"installed sources {installed} differ from the build's {meta['sources']}")
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_lm.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in (lm.META_FILE, lm.UNIGRAM_FILE, lm.BIGRAM_FILE, lm.TRIGRAM_FILE, lm.COMMON_FILE):
        assert (tmp_path / name).read_bytes() == (lm.DATA_DIR / name).read_bytes(), name


def test_language_shares_tell_the_scripts_apart() -> None:
    model = lm.get_model()
    assert model.language_shares("這")["zh-Hans"] < 0.01 < model.language_shares("這")["zh-Hant"]
    assert model.language_shares("这")["zh-Hant"] < 0.01 < model.language_shares("这")["zh-Hans"]
    assert model.language_shares("の")["ja"] > 0.9
    shares = model.language_shares("的")
    assert abs(sum(shares.values()) - 1.0) < 1e-6
    assert model.language_shares("\U0002a6d6") == {}  # a character no list holds


def test_language_frequencies_are_within_each_language() -> None:
    model = lm.get_model()
    # 了 is ten times rarer among Japanese characters than among Chinese ones, yet common in
    # Japanese (完了): its share of all occurrences is under 1 %, its frequency is not.
    frequencies = model.language_frequencies("了")
    assert model.language_shares("了")["ja"] < 0.01
    assert frequencies["ja"] > 1e-5
    assert frequencies["zh-Hans"] > 10 * frequencies["ja"]
    japanese_only = model.language_frequencies("払")
    assert japanese_only["zh-Hans"] == 0.0 < japanese_only["ja"]
    assert model.language_frequencies("\U0002a6d6") == {}
