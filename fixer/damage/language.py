"""Which script a character belongs to and which language a text shows it is written in.

The lossy and misaligned searches both choose characters the damage hid; a candidate must
agree with the text around it: no kana in Chinese text, no Simplified-only character in
Traditional text (and the reverse), no Han character Japanese does not use in Japanese.
Two spellings of one character in one script (說 and 説) are the same choice.
"""

from __future__ import annotations

from functools import cache

from fixer import lm, script

#: Share of a character's occurrences a language's lists must hold for it to count as written
#: in that language: a recovered 它 in Japanese, or 這 in Simplified Chinese, is foreign.
MIN_LANGUAGE_SHARE = 0.01


def script_of(char: str) -> str:
    """``kana``, ``hangul``, ``han`` or ``other``: scripts a recovered character must agree with."""
    if "\u3040" <= char <= "\u30ff" or char in "々〆ヶ\u31f0\u31f1\u31f2\u31f3\u31f4\u31f5":
        return "kana"
    if "\uac00" <= char <= "\ud7af" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f":
        return "hangul"
    if lm.is_cjk(char):
        return "han"
    return "other"


def written_in(text: str, min_share: float = 1.0) -> str | None:
    """The language *text* shows it is written in: ``ja`` where it holds kana, ``zh-Hans`` or
    ``zh-Hant`` where at least *min_share* of its distinct script-specific Han characters
    (written in one of the two scripts only) are of that script; else None."""
    if any(script_of(char) == "kana" for char in text):
        return "ja"
    counts = {"zh-Hans": 0, "zh-Hant": 0}
    for char in set(text):
        languages = languages_of(char)
        for name, other in (("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")):
            if name in languages and other not in languages:
                counts[name] += 1
    specific = counts["zh-Hans"] + counts["zh-Hant"]
    for name, count in counts.items():
        if count and count >= min_share * specific:
            return name
    return None


def written_in_language(char: str, language: str) -> bool:
    """Is *char* (a recovered character) written in *language* text?  Only Han characters are
    judged (kana and hangul have their own rules in the searches)."""
    return script_of(char) != "han" or language in languages_of(char)


@cache
def languages_of(char: str) -> frozenset[str]:
    """The languages that write the Han character *char* (at least MIN_LANGUAGE_SHARE of its
    occurrences); empty for any other character."""
    if script_of(char) != "han":
        return frozenset()
    shares = lm.get_model().language_shares(char)
    return frozenset(name for name, share in shares.items() if share >= MIN_LANGUAGE_SHARE)


@cache
def same_character(first: str, second: str) -> bool:
    """Are two Han characters spellings of one character in a language both are written in
    (說 and 説 in Traditional Chinese; not 学 and 學, one per script)?  One Simplified form
    (OpenCC ``t2s``) and a shared language."""
    if first == second or script_of(first) != "han" or script_of(second) != "han":
        return first == second
    if not languages_of(first) & languages_of(second):
        return False
    return script.convert(first, "t2s") == script.convert(second, "t2s")
