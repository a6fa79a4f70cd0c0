"""Script detection, idempotent conversion, round-trip report and code protection."""

from __future__ import annotations

from pathlib import Path

import opencc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixer import script

try:
    from tests.test_opencc_cases import CASES
except ImportError:  # tests/ itself is on sys.path (pytest's default import mode)
    from test_opencc_cases import CASES

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLDEN = SHARED / "peer-cases" / "opencc" / "golden"
GOLDEN_INPUT = GOLDEN / "input" / "us_constitution_zhs.txt"

OFFICIAL = script.backend_name() == script.OFFICIAL_BACKEND
needs_official = pytest.mark.skipif(not OFFICIAL, reason="needs the official opencc backend")


def golden_path(name: str) -> Path:
    """The Simplified golden input (``input``) or the golden output of one config."""
    return (
        GOLDEN_INPUT if name == "input" else GOLDEN / "output" / f"us_constitution_zhs.{name}.txt"
    )


def golden(name: str) -> str:
    """A golden file's text; skips the test when the shared data is absent."""
    path = golden_path(name)
    if not path.is_file():
        pytest.skip(f"shared OpenCC golden data not found ({path.name})")
    return path.read_text("utf-8")


def paragraphs(text: str) -> list[str]:
    return [line for line in text.splitlines() if len(line) > 20]


# --------------------------------------------------------------------------- backend


def test_backend_is_the_installed_package() -> None:
    expected = (
        script.OFFICIAL_BACKEND if hasattr(opencc, "__version__") else script.REIMPLEMENTED_BACKEND
    )
    assert script.backend_name() == expected
    assert set(script.available_configs()) <= set(script.CONFIGS)
    assert len(script.CONFIGS) == 16


@pytest.mark.parametrize("name", ["s2t", "s2t.json", "S2T", "config/s2t.json"])
def test_config_names_are_normalised(name: str) -> None:
    assert script.normalise_config(name) == "s2t"
    assert script.convert("汉字", name) == "漢字"


def test_unknown_config_is_rejected() -> None:
    with pytest.raises(script.UnsupportedConfig, match="unknown"):
        script.convert("汉字", "s2x")


def test_config_missing_from_backend_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    real = script._backend()
    fewer = real._replace(available=real.available - {"tw2t"})
    monkeypatch.setattr(script, "_backend", lambda: fewer)
    monkeypatch.setattr(script, "_CONVERTERS", {})
    with pytest.raises(script.UnsupportedConfig, match="tw2t"):
        script.convert("裡", "tw2t")
    assert not script.has_config("tw2t")


@pytest.mark.skipif(OFFICIAL, reason="only the reimplementation lacks configs")
@pytest.mark.parametrize("config", ["tw2t", "hk2t", "s2hkp", "hk2sp", "jp2t", "t2jp"])
def test_reimplementation_lacks_configs(config: str) -> None:
    with pytest.raises(script.UnsupportedConfig, match=script.REIMPLEMENTED_BACKEND):
        script.convert("字", config)


def test_converters_are_built_once() -> None:
    script.convert("汉字", "s2t")
    first = script._CONVERTERS["s2t"]
    script.convert("汉字", "s2t.json")
    assert script._CONVERTERS["s2t"] is first


# --------------------------------------------------------------------------- detection


def test_simplified_document() -> None:
    report = script.detect_script(golden("input"))
    assert report.script == "hans"
    assert report.hans > 1000 and report.hant == 0
    assert report.region is None and report.minority_spans == []
    assert report.confidence > 0.9


@pytest.mark.parametrize(("config", "region"), [("s2t", None), ("s2tw", "tw"), ("s2hk", "hk")])
def test_traditional_document_and_region(config: str, region: str | None) -> None:
    report = script.detect_script(golden(config))
    assert report.script == "hant"
    assert report.hant > 1000 and report.hans < 0.01 * report.hant
    assert report.region == region


def test_counts_are_evidence_not_every_character() -> None:
    report = script.detect_script("我们的数据。")  # 的 is the same in both scripts
    assert (report.script, report.hans, report.hant, report.han_total) == ("hans", 3, 0, 5)


def test_mixed_document_lists_minority_spans() -> None:
    simplified = paragraphs(golden("input"))[:6]
    traditional = paragraphs(golden("s2t"))[6:8]
    text = "\n".join(simplified[:3] + traditional + simplified[3:])
    report = script.detect_script(text)
    assert report.script == "mixed"
    minority_start = text.index(traditional[0])
    minority_end = text.index(traditional[1]) + len(traditional[1])
    assert report.minority_spans
    for start, end, kind in report.minority_spans:
        assert kind == "hant"
        assert minority_start <= start < end <= minority_end
    covered = sum(end - start for start, end, _ in report.minority_spans)
    assert covered > 0.8 * (minority_end - minority_start)


def test_one_rare_character_does_not_make_a_document_mixed() -> None:
    text = golden("input")
    index = text.index("国")
    text = text[:index] + "國" + text[index + 1 :]
    report = script.detect_script(text)
    assert report.script == "hans"
    assert report.hant == 1
    assert all(start <= index < end for start, end, _ in report.minority_spans)
    assert script.convert_to(text, "auto") == text


def test_a_lone_traditional_line_is_listed_but_not_mixed() -> None:
    text = golden("input") + "\n資料來源。\n"
    report = script.detect_script(text)
    assert report.script == "hans"
    start = text.index("資料來源")
    assert report.minority_spans == [(start, start + 4, "hant")]


def test_surname_yu_in_traditional_text_stays_traditional() -> None:
    text = "于先生說：" + golden("s2t")[:2000]
    report = script.detect_script(text)
    assert report.script == "hant"
    assert script.convert_to(text, "hant") == text


@pytest.mark.parametrize("text", ["国際会議の準備", "国際会議準備", "駅前の広場で待ち合わせ"])
def test_japanese_is_not_chinese(text: str) -> None:
    report = script.detect_script(text)
    assert report.script == "japanese"
    assert report.japanese > 0
    for target in script.TARGETS:
        assert script.convert_to(text, target) == text


def test_japanese_clause_inside_chinese_is_left_alone() -> None:
    quote = "「ありがとうございます」"
    text = "他说" + quote + "。" + "我们今天去公园散步，然后回家吃饭。" * 5
    report = script.detect_script(text)
    assert report.script == "hans"
    assert any(kind == "japanese" for _, _, kind in report.minority_spans)
    converted = script.convert_to(text, "hant")
    assert quote in converted
    assert "我們" in converted


@pytest.mark.parametrize("text", ["", "Hello, world!", "x = 1  # ascii only\n"])
def test_ascii_text_has_no_script(text: str) -> None:
    report = script.detect_script(text)
    assert report.script == "none"
    assert report.han_total == 0 and report.hans == report.hant == 0


def test_neutral_chinese_has_no_script() -> None:
    report = script.detect_script("中文")  # the same in both scripts
    assert report.script == "none" and report.han_total == 2 and report.confidence == 0.0


# --------------------------------------------------------------------------- conversion


def test_simplified_to_traditional_matches_opencc() -> None:
    text = golden("input")
    assert script.convert_to(text, "hant") == script.convert(text, "s2t")
    assert script.convert_to(text, "twp") == script.convert(text, "s2twp")


@needs_official
@pytest.mark.parametrize(("target", "config"), [("hant", "s2t"), ("tw", "s2tw"), ("hk", "s2hk")])
def test_whole_document_matches_golden(target: str, config: str) -> None:
    assert script.convert_to(golden("input"), target) == golden(config)


@pytest.mark.parametrize(
    ("name", "target"),
    [("input", "hans"), ("s2t", "hant"), ("s2tw", "tw"), ("s2twp", "twp"), ("s2hk", "hk")],
)
def test_text_already_in_target_is_unchanged(name: str, target: str) -> None:
    text = golden(name)
    assert script.convert_to(text, target) == text
    assert script.convert_to(text, "auto") == text


def test_plain_opencc_is_not_idempotent_but_convert_to_is() -> None:
    once = script.convert("于是他看到了尸体", "s2t")
    assert script.convert(once, "s2t") == once or "于" not in once  # OpenCC is stable here
    traditional = "于先生與屍體"  # 于 is a surname in Traditional text
    assert script.convert(traditional, "s2t") != traditional
    assert script.convert_to(traditional, "hant") == traditional


def test_taiwan_traditional_to_simplified_uses_the_regional_config() -> None:
    text = golden("s2tw")
    assert script.convert_to(text, "hans") == script.convert(text, "tw2s")


def test_auto_converts_only_the_minority() -> None:
    simplified = paragraphs(golden("input"))[:6]
    traditional = paragraphs(golden("s2t"))[6:8]
    text = "\n".join(simplified[:3] + traditional + simplified[3:])
    converted = script.convert_to(text, "auto")
    for paragraph in simplified:
        assert paragraph in converted
    for paragraph in traditional:
        assert script.convert(paragraph, "t2s") in converted
    assert script.detect_script(converted).script == "hans"


def test_auto_leaves_a_single_rare_character() -> None:
    text = "于先生說：" + golden("s2t")[:3000]
    assert script.convert_to(text, "auto") == text


def test_keep_and_bad_target() -> None:
    assert script.convert_to("汉字", "keep") == "汉字"
    with pytest.raises(ValueError, match="target"):
        script.convert_to("汉字", "zh")


def _sentence_pool() -> list[str]:
    pool = [case["input"] for case in CASES]
    pool += [answer for case in CASES for answer in case["expected"].values()]
    for name in ("input", "s2t", "s2tw", "s2hk", "s2twp"):
        path = golden_path(name)
        if path.is_file():
            pool += paragraphs(path.read_text("utf-8"))[:40]
    return pool


SENTENCES = _sentence_pool()
SEPARATORS = ["", "。", "，", "\n", " ", "\n\n"]
DOCUMENTS = st.lists(
    st.tuples(st.sampled_from(SENTENCES), st.sampled_from(SEPARATORS)), min_size=1, max_size=6
).map(lambda parts: "".join(sentence + separator for sentence, separator in parts))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=DOCUMENTS, target=st.sampled_from(script.TARGETS))
def test_convert_to_is_idempotent(text: str, target: str) -> None:
    once = script.convert_to(text, target)
    assert script.convert_to(once, target) == once


@settings(max_examples=60, deadline=None)
@given(text=DOCUMENTS)
def test_converted_text_reads_as_its_target(text: str) -> None:
    if script.detect_script(text).script in ("japanese", "none"):
        return
    for target, other in (("hans", "hant"), ("hant", "hans")):
        after = script.detect_script(script.convert_to(text, target))
        if after.script in ("hans", "hant", "mixed"):
            assert getattr(after, target) > getattr(after, other)


# --------------------------------------------------------------------------- round trip


def test_roundtrip_of_context_dependent_characters() -> None:
    text = "头发和发展，后来和皇后"
    assert script.roundtrip_report(text, "s2t") == []
    converted = script.convert(text, "s2t")
    assert converted[:2] == "頭髮" and converted[3:5] == "發展"  # 发 is 髮 (hair) or 發
    assert converted[6:8] == "後來" and converted[9:] == "皇后"  # 后 is 後 (after) or 后 (queen)


def test_roundtrip_reports_lossy_characters() -> None:
    # 發 written for 髮 (hair) and 後 written for 后 (queen): the round trip cannot restore them
    text = "頭發，皇後"
    report = script.roundtrip_report(text, "t2s")
    assert [(offset, original) for offset, original, _, _ in report] == [(1, "發"), (4, "後")]
    for _, original, converted, back in report:
        assert converted == script.convert(original, "t2s")
        assert back != original
    assert report[0][3] == "髮"


@pytest.mark.parametrize(
    ("text", "config"),
    [("我用鼠标打开软件。", "s2twp"), ("对乙酰氨基酚和扑热息痛都是常用的退烧止痛药", "s2twp")],
)
def test_roundtrip_with_length_changing_phrases(text: str, config: str) -> None:
    report = script.roundtrip_report(text, config)
    back = script.convert(script.convert(text, config), script.INVERSE_CONFIG[config])
    assert bool(report) == (back != text)
    for offset, original, _, back_converted in report:
        assert text[offset : offset + len(original)] == original
        assert original != back_converted


# --------------------------------------------------------------------------- protection

MARKDOWN = """# 说明

这是简体中文的说明，请看代码：

```python
# 这里的注释不能转换
def 计算(数据):
    return 数据
```

运行 `打印("简体")` 以后，访问 https://example.com/docs/简体?q=1 或写信给 dev.team@example.org，
变量 user_name 和 HTTPServer 保持原样。
"""


def test_protected_spans_cover_code_urls_and_identifiers() -> None:
    spans = script.protected_spans(MARKDOWN)
    texts = [MARKDOWN[start:end] for start, end in spans]
    fence = MARKDOWN[MARKDOWN.index("```python") : MARKDOWN.rindex("```") + 3]
    assert fence in texts
    assert '`打印("简体")`' in texts
    assert "https://example.com/docs/简体?q=1" in texts
    assert "dev.team@example.org" in texts
    assert "user_name" in texts and "HTTPServer" in texts
    assert all(start < end for start, end in spans)
    assert spans == sorted(spans)


def test_url_stops_before_trailing_punctuation() -> None:
    text = "见 https://example.com/a.html。"
    assert [text[start:end] for start, end in script.protected_spans(text)][-1] == (
        "https://example.com/a.html"
    )


def test_code_is_never_converted() -> None:
    converted = script.convert_to(MARKDOWN, "hant")
    fence = MARKDOWN[MARKDOWN.index("```python") : MARKDOWN.rindex("```") + 3]
    assert fence in converted
    assert '`打印("简体")`' in converted
    assert "dev.team@example.org" in converted and "user_name" in converted
    assert "https://example.com/docs/简体?q=1" in converted
    assert "這是簡體中文的說明" in converted
    assert script.convert_to(converted, "hant") == converted


def test_code_does_not_count_as_evidence() -> None:
    text = "```\n" + "这里的注释说明数据库连接。\n" * 20 + "```\n說明文件，請參閱。\n"
    report = script.detect_script(text)
    assert report.script == "hant"
    assert report.hans == 0
