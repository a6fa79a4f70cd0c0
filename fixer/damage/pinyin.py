"""Injected pinyin: ``網(wǎng)`` annotations an SEO converter put after Han characters.

A single annotation in prose is legitimate (a textbook writes ``你好（nǐ hǎo）``),
so this class works at document level: it acts only when many annotations
follow the pattern of a machine (ASCII parentheses, one tone-marked syllable,
a real reading of the character before it, per pypinyin's dictionary) and the
annotated characters are annotated consistently.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from functools import cache
from pathlib import Path

from fixer import lm
from fixer.chardata import HAN_CLASS, PINYIN_LETTERS, PINYIN_TONE_MARKS
from fixer.config import FixerConfig
from fixer.damage.base import DamageClass, Proposal

#: A Han character followed by one parenthesised syllable.
ANNOTATION = re.compile(f"([{HAN_CLASS}])\\(([{PINYIN_LETTERS}]{{1,6}})\\)")
#: An annotation's group, found fast from its parenthesis, and the Han character before it.
_GROUP = re.compile(f"\\([{PINYIN_LETTERS}]{{1,6}}\\)")
_HAN = re.compile(f"[{HAN_CLASS}]")
#: The end of a tone-marked annotation, found fast: its tone mark starts the match.
TONED_GROUP_END = re.compile(f"[{PINYIN_TONE_MARKS}][{PINYIN_LETTERS}]{{0,5}}\\)")
#: Document-level evidence needed before any annotation is removed.  A converter
#: annotates many distinct characters (the seed: 40); a writer glosses one or two
#: hard or polyphonic ones, however often the text repeats them.
MIN_ANNOTATIONS = 3
MIN_DISTINCT_CHARS = 5
#: Distinct characters glossed with their everyday reading that show a machine pattern even
#: below MIN_DISTINCT_CHARS (see _plain_glosses).
MIN_PLAIN_GLOSSES = 3
#: Tone-marked annotations a machine pattern holds at least (70 % of MIN_ANNOTATIONS).
MIN_TONED = 3
#: Share of a character's occurrences that must carry the annotation.
MIN_CONSISTENCY = 0.6


@cache
def _pinyin_dict() -> dict[int, str]:
    """pypinyin's dictionary of readings by code point.

    Its module is loaded on its own: importing the pypinyin package also loads
    a phrase dictionary and trains a word segmenter (0.2 s that neither a hook
    nor a tree check should pay for one table).
    """
    spec = importlib.util.find_spec("pypinyin")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "pinyin_dict.py"
        module_spec = importlib.util.spec_from_file_location("_pypinyin_readings", path)
        if path.exists() and module_spec is not None and module_spec.loader is not None:
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
            return module.pinyin_dict
    from pypinyin.pinyin_dict import pinyin_dict  # a layout this loader does not know

    return pinyin_dict


@cache
def _readings_in_order(char: str) -> tuple[str, ...]:
    """Tone-marked readings of *char* from pypinyin's dictionary, the usual one first."""
    value = _pinyin_dict().get(ord(char))
    return tuple(value.split(",")) if value else ()


@cache
def readings(char: str) -> frozenset[str]:
    """Tone-marked readings of *char* from pypinyin's dictionary (empty if unknown)."""
    return frozenset(_readings_in_order(char))


def is_syllable(text: str) -> bool:
    """Does *text* look like one tone-marked (or neutral) pinyin syllable?"""
    return bool(re.fullmatch(f"[{PINYIN_LETTERS}]{{1,6}}", text))


def is_reading(char: str, syllable: str) -> bool:
    """Is *syllable* a reading of *char*?"""
    return syllable in readings(char)


def is_usual_reading(char: str, syllable: str) -> bool:
    """Is *syllable* the reading pypinyin lists first for *char*, the one a converter
    annotates it with?"""
    return _readings_in_order(char)[:1] == (syllable,)


def annotation_pattern_holds(text: str) -> set[str]:
    """The characters whose annotations in *text* form a machine pattern (empty if none)."""
    matches = [m for m in ANNOTATION.finditer(text) if is_reading(m.group(1), m.group(2))]
    if len(matches) < MIN_ANNOTATIONS:
        return set()
    annotated = Counter(m.group(1) for m in matches)
    if len(annotated) < MIN_DISTINCT_CHARS and _plain_glosses(matches) < MIN_PLAIN_GLOSSES:
        return set()
    # A machine marks tone on nearly every syllable; textbooks annotate words with spaces.
    toned = sum(1 for m in matches if any(c in PINYIN_TONE_MARKS for c in m.group(2)))
    if toned < max(MIN_TONED, 0.7 * len(matches)):
        return set()
    occurrences = Counter(re.findall(f"[{re.escape(''.join(annotated))}]", text))
    consistent = {
        char for char, count in annotated.items() if count / occurrences[char] >= MIN_CONSISTENCY
    }
    covered = sum(annotated[char] for char in consistent)
    return consistent if covered >= 0.8 * len(matches) else set()


def _plain_glosses(matches: list[re.Match[str]]) -> int:
    """How many distinct characters are glossed with the reading everybody knows them by: a
    common character with its first reading.  A writer glosses hard characters, or a
    polyphonic one's other reading; a converter glosses 多 as duō and 年 as nián."""
    common = lm.common_chars()
    plain = set()
    for match in matches:
        char, syllable = match.group(1), match.group(2)
        if char in common and is_usual_reading(char, syllable):
            plain.add(char)
    return len(plain)


def might_apply(text: str) -> bool:
    """Do the annotations in *text* form a machine pattern?"""
    if "(" not in text or len(TONED_GROUP_END.findall(text)) < MIN_TONED:
        return False
    annotated = {
        text[match.start() - 1]
        for match in _GROUP.finditer(text, 1)
        if _HAN.match(text, match.start() - 1)
    }
    enough = min(MIN_DISTINCT_CHARS, MIN_PLAIN_GLOSSES)
    return len(annotated) >= enough and bool(annotation_pattern_holds(text))


def propose(text: str, config: FixerConfig) -> list[Proposal]:
    """Remove every annotation of the consistently annotated characters."""
    if not might_apply(text):
        return []
    chars = annotation_pattern_holds(text)
    if not chars:
        return []
    return [
        Proposal(
            match.start(1) + 1,
            match.end(),
            "",
            f"injected pinyin ({match.group(2)}) after {match.group(1)}",
            0.95,
        )
        for match in ANNOTATION.finditer(text)
        if match.group(1) in chars and is_reading(match.group(1), match.group(2))
    ]


PINYIN = DamageClass(
    "pinyin", "pinyin injected after characters by a converter", propose, might_apply
)
