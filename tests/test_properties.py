"""Properties of fix_text over arbitrary and CJK-heavy text (hypothesis).

For any input, ``fixer.fix_text`` returns a str without raising, is idempotent,
and leaves nothing that ``fixer.scan`` would still call repairable.

Profiles: ``fixer-ci`` (default, sized for a 2-core CI), ``fixer-dev`` and
``fixer-long``; choose one with ``FIXER_HYPOTHESIS_PROFILE``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import fixer

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
# fix_text takes up to a second on long mojibake, and shrinking a failure can take many
# minutes, so the CI profile reports the first failing example as found, unshrunk.
settings.register_profile(
    "fixer-ci",
    max_examples=25,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    **_COMMON,
)
settings.register_profile("fixer-dev", max_examples=200, **_COMMON)
settings.register_profile("fixer-long", max_examples=2000, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("FIXER_HYPOTHESIS_PROFILE", "fixer-ci"))

# Code point ranges of common scripts (chosen by block, not by any sample text).
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
HAN_RARE = st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF)
KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FA)
HANGUL = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
CJK_PUNCT = st.sampled_from(list("，。、；：？！「」『』（）《》【】…—·～"))
ASCII_PUNCT = st.sampled_from(list(" ,.;:?!'\"()[]-_/\\\n\t"))
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
FULLWIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)


def _runs(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=1, max_size=12)


CJK_TEXT = st.lists(
    st.one_of(
        _runs(HAN),
        _runs(HAN),
        _runs(KANA),
        _runs(HANGUL),
        _runs(CJK_PUNCT),
        _runs(ASCII_PUNCT),
        _runs(ASCII),
        _runs(FULLWIDTH),
        _runs(HAN_RARE),
    ),
    max_size=8,
).map("".join)

MOJIBAKE_CODECS = ("gbk", "latin-1", "cp1252", "big5", "shift_jis", "euc-kr", "gb18030")


@st.composite
def mojibake(draw: st.DrawFn) -> str:
    """CJK text encoded as UTF-8 and decoded with a legacy codec, possibly twice, in context."""
    text = draw(CJK_TEXT.filter(bool))
    codec = draw(st.sampled_from(MOJIBAKE_CODECS))
    damaged = text.encode("utf-8").decode(codec, "replace")
    if draw(st.booleans()):
        second = draw(st.sampled_from(("latin-1", "cp1252")))
        damaged = damaged.encode("utf-8").decode(second, "replace")
    before = draw(st.text(st.one_of(HAN, ASCII), max_size=10))
    after = draw(st.text(st.one_of(HAN, ASCII), max_size=10))
    return before + damaged + after


@st.composite
def legacy_misread(draw: st.DrawFn) -> str:
    """CJK text encoded in a legacy codec and read back with the wrong one."""
    text = draw(CJK_TEXT.filter(bool))
    source = draw(st.sampled_from(("gbk", "big5", "shift_jis", "euc-kr", "euc-jp")))
    target = draw(st.sampled_from(("latin-1", "cp1252", "gbk", "utf-8")))
    return text.encode(source, "replace").decode(target, "replace")


INPUTS = {
    "arbitrary": st.text(max_size=80),
    "cjk": CJK_TEXT,
    "mojibake": mojibake(),
    "legacy": legacy_misread(),
}


def check_fix(text: str) -> None:
    fixed = fixer.fix_text(text)
    assert isinstance(fixed, str)
    assert fixer.fix_text(fixed) == fixed, "fix_text is not idempotent"
    left = [finding for finding in fixer.scan(fixed) if finding.repairable]
    assert left == [], f"repairable findings remain after fix_text: {left[:3]}"


@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_fix_text_properties(kind: str) -> None:
    @PROFILE
    @given(INPUTS[kind])
    def run(text: str) -> None:
        check_fix(text)

    run()


@settings(PROFILE, max_examples=max(5, PROFILE.max_examples // 3))
@given(st.lists(st.sampled_from(sorted(INPUTS)), min_size=2, max_size=3), st.data())
def test_fix_text_properties_on_mixed_documents(kinds: list[str], data: st.DataObject) -> None:
    pieces = [data.draw(INPUTS[kind]) for kind in kinds]
    check_fix("\n".join(pieces))
