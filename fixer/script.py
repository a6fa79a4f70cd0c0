"""Chinese script variants: detection and idempotent conversion on top of OpenCC.

Two backends provide module ``opencc``: the official binding (``pip install opencc``, the
default, all 16 configs) and ``opencc-python-reimplemented`` (pure Python, fewer configs).
:func:`backend_name` says which one is installed; converters are built once per process.

Detection counts evidence with the conversion dictionaries themselves: a character that
``t2s`` changes (and ``s2t`` keeps) is Traditional evidence, one that ``s2t`` changes (and
``t2s`` keeps) is Simplified evidence, everything else is neutral.  Both conversions run on
the whole text, so phrase context decides (``后`` in 皇后 is neutral, in 后来 it is
Simplified).  Taiwan and Hong Kong standard
forms that ``s2t`` would change (``秘``, ``温``) are regional, not Simplified, evidence.
Kana and Japanese-only shinjitai (``variant_tables.json``) mark Japanese,
which is never converted as Chinese.

:func:`convert_to` converts clause by clause, only clauses whose evidence says they are in
the source script, and keeps characters that are already evidence of the target script;
it repeats until nothing changes, so ``convert_to(convert_to(x, t), t) == convert_to(x, t)``.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

#: The 16 OpenCC configs, by stem.
CONFIGS: tuple[str, ...] = (
    "hk2s", "hk2sp", "hk2t", "jp2t", "s2hk", "s2hkp", "s2t", "s2tw",
    "s2twp", "t2hk", "t2jp", "t2s", "t2tw", "tw2s", "tw2sp", "tw2t",
)  # fmt: skip
#: Targets accepted by :func:`convert_to` (the same as ``fixer.config.SCRIPT_TARGETS``).
TARGETS: tuple[str, ...] = ("keep", "hans", "hant", "tw", "twp", "hk", "auto")
#: The config that undoes each config, for :func:`roundtrip_report`.
INVERSE_CONFIG: dict[str, str] = {
    "s2t": "t2s", "s2tw": "tw2s", "s2twp": "tw2sp", "s2hk": "hk2s", "s2hkp": "hk2sp",
    "t2tw": "tw2t", "t2hk": "hk2t", "t2jp": "jp2t",
}  # fmt: skip
INVERSE_CONFIG.update({target: source for source, target in list(INVERSE_CONFIG.items())})

OFFICIAL_BACKEND = "opencc"
REIMPLEMENTED_BACKEND = "opencc-python-reimplemented"

#: Minority evidence needed before a document counts as mixed (count and share).
MIXED_MIN_COUNT = 2
MIXED_MIN_SHARE = 0.1
#: Share above which even a single minority character makes a short text mixed.
MIXED_ALWAYS_SHARE = 0.3
#: A regional standard needs this many times more evidence than the alternatives.
REGION_MARGIN = 3
#: Passes of :func:`convert_to` before it settles (one pass nearly always suffices).
MAX_PASSES = 4

_TABLES_PATH = Path(__file__).resolve().parent / "data" / "script" / "variant_tables.json"

_HAN_RE = re.compile(
    "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af]"
)
#: Hiragana, katakana (without the middle dot and length mark that Chinese text uses too).
_KANA_RE = re.compile("[\u3041-\u309f\u30a1-\u30fa\u30fd-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_CJK_RE = re.compile(_HAN_RE.pattern[:-1] + _KANA_RE.pattern[1:])
_CLAUSE_RE = re.compile(r"[^。！？；，、：!?;\s]+[。！？；，、：!?;\s]*|[。！？；，、：!?;\s]+")
_TRAILING_RE = re.compile(r"[。！？；，、：!?;\s]+$")

_FENCE_RE = re.compile(
    r"^[ \t]{0,3}(?P<fence>`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}(?P=fence)[`~]*[ \t]*$|\Z)",
    re.MULTILINE | re.DOTALL,
)
_BACKTICK_RE = re.compile(r"(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)
#: Scheme (or www.) and ASCII host; a path after "/" may hold non-ASCII (IRI) characters
#: up to whitespace or CJK punctuation.
_URL_RE = re.compile(
    r"(?:\b[a-zA-Z][a-zA-Z0-9+.-]*://|\bwww\.)[A-Za-z0-9\-._~:@!$&'*+,;=%\[\]]+"
    r"(?:[/?#][^\s<>\"`，。、；：！？（）「」『』【】《》〈〉“”‘’]*)?"
)
_EMAIL_RE = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\b")
_IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.:/-][A-Za-z_][A-Za-z0-9_]*)*")
_URL_TRAILING = ".,;:!?)]'\""


class UnsupportedConfig(ValueError):
    """The config name is not an OpenCC config, or the installed backend lacks it."""


class ScriptReport(NamedTuple):
    """What :func:`detect_script` found.

    script: ``hans``, ``hant``, ``mixed``, ``japanese`` or ``none`` (no evidence either way).
    region: ``tw`` or ``hk`` when Traditional text shows a regional standard, else None.
    hans, hant: Simplified and Traditional evidence characters.
    japanese: kana plus Japanese-only kanji (plus shinjitai when a kanji-only text reads
        as Japanese).
    han_total: CJK ideographs outside protected spans.
    minority_spans: ``(start, end, script)`` of clauses in a script other than the majority.
    confidence: 0..1.
    """

    script: str
    region: str | None
    hans: int
    hant: int
    japanese: int
    han_total: int
    minority_spans: list[tuple[int, int, str]]
    confidence: float


# --------------------------------------------------------------------------- backends


class _Backend(NamedTuple):
    name: str
    module: Any
    available: frozenset[str]


@cache
def _backend() -> _Backend:
    """Import ``opencc`` once and find out which package provides it."""
    try:
        import opencc
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "fixer.script needs OpenCC: pip install opencc (or opencc-python-reimplemented)"
        ) from error
    if hasattr(opencc, "__version__") and hasattr(opencc, "CONFIGS"):
        stems = {Path(name).name.removesuffix(".json") for name in opencc.CONFIGS}
        return _Backend(OFFICIAL_BACKEND, opencc, frozenset(stems & set(CONFIGS)))
    config_dir = Path(opencc.__file__).resolve().parent / "config"
    stems = {path.stem for path in config_dir.glob("*.json")}
    return _Backend(REIMPLEMENTED_BACKEND, opencc, frozenset(stems & set(CONFIGS)))


def backend_name() -> str:
    """``"opencc"`` (official binding) or ``"opencc-python-reimplemented"``."""
    return _backend().name


def available_configs() -> tuple[str, ...]:
    """The configs the installed backend provides, sorted."""
    return tuple(sorted(_backend().available))


_ALIASES: dict[str, str] = {alias: stem for stem in CONFIGS for alias in (stem, stem + ".json")}


def normalise_config(config: str) -> str:
    """Return the config stem for ``"s2t"``, ``"s2t.json"``, ``"S2T"`` or a path to one."""
    stem = _ALIASES.get(config)
    if stem is None:
        stem = _ALIASES.get(Path(config.strip()).name.lower())
    if stem is None:
        raise UnsupportedConfig(f"unknown OpenCC config {config!r}; known: {', '.join(CONFIGS)}")
    return stem


_CONVERTERS: dict[str, Callable[[str], str]] = {}


def _converter(stem: str) -> Callable[[str], str]:
    """The bound ``convert`` method for *stem*, built once per process."""
    function = _CONVERTERS.get(stem)
    if function is None:
        backend = _backend()
        if stem not in backend.available:
            raise UnsupportedConfig(
                f"config {stem!r} is not provided by the installed backend {backend.name} "
                f"(it has: {', '.join(sorted(backend.available))})"
            )
        function = backend.module.OpenCC(stem).convert
        _CONVERTERS[stem] = function
    return function


def has_config(config: str) -> bool:
    """True when the installed backend provides *config*."""
    return normalise_config(config) in _backend().available


def convert(text: str, config: str) -> str:
    """Plain OpenCC conversion of *text* with *config* (``"t2s"``, ``"s2twp"``, ``"s2t.json"``)."""
    stem = _ALIASES.get(config) or normalise_config(config)
    function = _CONVERTERS.get(stem) or _converter(stem)
    return function(text)


# --------------------------------------------------------------------------- tables


class _Tables(NamedTuple):
    japanese_only: frozenset[str]
    shinjitai: frozenset[str]
    kyujitai: frozenset[str]
    regional: frozenset[str]


@cache
def _tables() -> _Tables:
    data = json.loads(_TABLES_PATH.read_text("utf-8"))
    japanese_only = frozenset(data["japanese_only"])
    return _Tables(
        japanese_only=japanese_only,
        shinjitai=japanese_only | frozenset(data["shinjitai_shared"]),
        kyujitai=frozenset(data["kyujitai"]),
        regional=frozenset(data["regional"]),
    )


# --------------------------------------------------------------------------- protection


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans never converted: Markdown code (fenced, backticks), URLs, e-mail, ASCII words."""
    spans = [match.span() for match in _FENCE_RE.finditer(text)]
    fenced = _merge(spans)

    def outside_fences(start: int) -> bool:
        return not any(low <= start < high for low, high in fenced)

    spans += [m.span() for m in _BACKTICK_RE.finditer(text) if outside_fences(m.start())]
    for match in _URL_RE.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((match.start(), end))
    spans += [match.span() for match in _EMAIL_RE.finditer(text)]
    spans += [match.span() for match in _IDENTIFIER_RE.finditer(text)]
    return _merge(spans)


def _unprotected_regions(text: str) -> list[tuple[int, int]]:
    regions, position = [], 0
    for start, end in protected_spans(text):
        if start > position:
            regions.append((position, start))
        position = end
    if position < len(text):
        regions.append((position, len(text)))
    return regions


# --------------------------------------------------------------------------- detection


def _aligned(text: str, stem: str) -> str:
    """Convert *text* keeping one output character per input character.

    Phrase entries that change the length are undone clause by clause (converted one
    character at a time there), so evidence can be compared position by position.
    """
    output = convert(text, stem)
    if len(output) == len(text):
        return output
    pieces = []
    for match in _CLAUSE_RE.finditer(text):
        clause = match.group()
        converted = convert(clause, stem)
        if len(converted) != len(clause):
            singles = convert("\n".join(clause), stem).split("\n")
            if len(singles) == len(clause) and all(len(single) == 1 for single in singles):
                converted = "".join(singles)
            else:
                converted = clause
        pieces.append(converted)
    return "".join(pieces)


HANS_EVIDENCE = 1  # code in the evidence mask: a Simplified evidence character
HANT_EVIDENCE = 2  # a Traditional evidence character


class _Clause(NamedTuple):
    start: int
    end: int
    hans: int  # Simplified evidence characters
    hant: int  # Traditional evidence characters
    japanese: int  # kana and Japanese-only kanji (plus shinjitai of kanji-only Japanese)
    script: str  # hans, hant, japanese or none


class _Analysis(NamedTuple):
    report: ScriptReport
    majority: str | None  # hans or hant for Chinese text, else None
    clauses: list[_Clause]
    evidence: bytes  # per character: 0, HANS_EVIDENCE or HANT_EVIDENCE
    masked: str  # the text with protected spans blanked out


# Character masks are ints with one 32-bit lane per character (UTF-32), 1 in the lane's
# lowest bit where the mask is set: bitwise work on them runs at C speed.


def _lane_ones(size: int) -> int:
    return int.from_bytes(b"\x00\x00\x00\x01" * size, "big")


def _differs(text: str, converted: str) -> int:
    """Lane mask of the positions where two equally long strings differ."""
    bits = int.from_bytes(text.encode("utf-32-be"), "big") ^ int.from_bytes(
        converted.encode("utf-32-be"), "big"
    )
    for shift in (16, 8, 4, 2, 1):
        bits |= bits >> shift
    return bits & _lane_ones(len(text))


def _positions_mask(pattern: re.Pattern[str], text: str) -> int:
    """Lane mask of the characters that *pattern* matches."""
    flags = bytearray(4 * len(text))
    for match in pattern.finditer(text):
        for position in range(match.start(), match.end()):
            flags[4 * position + 3] = 1
    return int.from_bytes(flags, "big")


def _lane_bytes(mask: int, size: int) -> bytes:
    """One byte per character from a lane mask (the lowest byte of each lane)."""
    return mask.to_bytes(4 * size, "big")[3::4]


@cache
def _char_class(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]") if chars else re.compile("(?!)")


def _evidence_mask(masked: str) -> bytes:
    """HANS_EVIDENCE where ``s2t`` alone changes a character (not a regional form),
    HANT_EVIDENCE where ``t2s`` alone does, 0 elsewhere; phrase context included."""
    size = len(masked)
    if size == 0:
        return b""
    ones = _lane_ones(size)
    to_simplified = _differs(masked, _aligned(masked, "t2s"))
    to_traditional = _differs(masked, _aligned(masked, "s2t"))
    regional = _positions_mask(_char_class("".join(sorted(_tables().regional))), masked)
    hant = to_simplified & (to_traditional ^ ones)
    hans = to_traditional & (to_simplified ^ ones) & (regional ^ ones)
    return _lane_bytes(hans * HANS_EVIDENCE | hant * HANT_EVIDENCE, size)


def _evidence_chars(text: str, evidence: bytes, code: int, start: int, end: int) -> str:
    chars, position = [], evidence.find(code, start, end)
    while position >= 0:
        chars.append(text[position])
        position = evidence.find(code, position + 1, end)
    return "".join(chars)


def _reads_as_japanese(text: str, evidence: bytes, start: int, end: int) -> bool:
    """Kanji-only Japanese: 'Simplified' forms that are all shinjitai, 'Traditional' ones
    that Japanese also writes (none that t2jp would change)."""
    if evidence.count(HANS_EVIDENCE, start, end) < 2 or not evidence.count(
        HANT_EVIDENCE, start, end
    ):
        return False
    tables = _tables()
    hans_chars = _evidence_chars(text, evidence, HANS_EVIDENCE, start, end)
    if not all(char in tables.shinjitai for char in hans_chars):
        return False
    hant_chars = _evidence_chars(text, evidence, HANT_EVIDENCE, start, end)
    return not any(char in tables.kyujitai for char in hant_chars)


def _scan_clause(
    text: str, start: int, end: int, evidence: bytes, japanese_positions: list[int]
) -> _Clause:
    hans = evidence.count(HANS_EVIDENCE, start, end)
    hant = evidence.count(HANT_EVIDENCE, start, end)
    japanese = 0
    if japanese_positions:
        japanese = bisect.bisect_left(japanese_positions, end) - bisect.bisect_left(
            japanese_positions, start
        )
    if japanese:
        script = "japanese"
    elif hans and hant and _reads_as_japanese(text, evidence, start, end):
        script, japanese = "japanese", hans
    elif hans > hant:
        script = "hans"
    elif hant > hans:
        script = "hant"
    else:
        script = "none"
    return _Clause(start, end, hans, hant, japanese, script)


def _region(masked: str) -> str | None:
    """``tw`` / ``hk`` when Traditional text shows one regional standard clearly.

    A character that t2hk changes but t2tw keeps is Taiwan evidence (and the other way
    round); one both change is an OpenCC-standard form that neither region writes.  With
    tw2t/hk2t available, a character only one of them changes is a regional form too.
    """
    available = _backend().available
    not_tw = _differs(masked, _aligned(masked, "t2tw"))
    not_hk = _differs(masked, _aligned(masked, "t2hk"))
    tw_form = _differs(masked, _aligned(masked, "tw2t")) if "tw2t" in available else 0
    hk_form = _differs(masked, _aligned(masked, "hk2t")) if "hk2t" in available else 0
    standard = (not_tw & not_hk).bit_count()
    tw_evidence = (not_hk & ~not_tw).bit_count() + (tw_form & ~hk_form).bit_count()
    hk_evidence = (not_tw & ~not_hk).bit_count() + (hk_form & ~tw_form).bit_count()
    if tw_evidence >= 2 and tw_evidence >= REGION_MARGIN * (hk_evidence + standard):
        return "tw"
    if hk_evidence >= 2 and hk_evidence >= REGION_MARGIN * (tw_evidence + standard):
        return "hk"
    return None


def _spans_of(clauses: list[_Clause], script: str, text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    previous_end = -1
    for clause in clauses:
        if clause.script != script:
            continue
        end = clause.start + len(_TRAILING_RE.sub("", text[clause.start : clause.end]))
        if spans and previous_end == clause.start:
            spans[-1] = (spans[-1][0], end, script)
        else:
            spans.append((clause.start, end, script))
        previous_end = clause.end
    return spans


def _mask_protected(text: str, regions: list[tuple[int, int]]) -> str:
    pieces, position = [], 0
    for start, end in regions:
        pieces.append(" " * (start - position))
        pieces.append(text[start:end])
        position = end
    pieces.append(" " * (len(text) - position))
    return "".join(pieces)


def _analyse(text: str, with_region: bool = True) -> _Analysis:
    regions = _unprotected_regions(text)
    masked = _mask_protected(text, regions)
    evidence = _evidence_mask(masked)
    japanese_pattern = _char_class("".join(sorted(_tables().japanese_only)))
    japanese_positions = [m.start() for m in _KANA_RE.finditer(masked)]
    japanese_positions += [m.start() for m in japanese_pattern.finditer(masked)]
    japanese_positions.sort()
    clauses = [
        _scan_clause(masked, match.start(), match.end(), evidence, japanese_positions)
        for region_start, region_end in regions
        for match in _CLAUSE_RE.finditer(masked, region_start, region_end)
        if _CJK_RE.search(masked, match.start(), match.end())
    ]
    han_total = _HAN_RE.subn("", masked)[1]
    hans = evidence.count(HANS_EVIDENCE)
    hant = evidence.count(HANT_EVIDENCE)
    japanese = sum(clause.japanese for clause in clauses)

    def analysis(script: str, majority: str | None, region: str | None = None,
                 spans: list | None = None, confidence: float = 1.0) -> _Analysis:  # fmt: skip
        report = ScriptReport(
            script, region, hans, hant, japanese, han_total, spans or [], round(confidence, 3)
        )
        return _Analysis(report, majority, clauses, evidence, masked)

    japanese_weight = sum(c.end - c.start for c in clauses if c.script == "japanese")
    chinese_weight = sum(c.end - c.start for c in clauses if c.script != "japanese")
    if japanese_weight and japanese_weight >= chinese_weight:
        return analysis(
            "japanese", None, confidence=japanese_weight / (japanese_weight + chinese_weight)
        )
    if _reads_as_japanese(masked, evidence, 0, len(masked)):
        japanese = max(japanese, hans)
        return analysis("japanese", None, confidence=1 - 0.5 ** (hans + hant))
    total = hans + hant
    if total == 0:
        spans = _spans_of(clauses, "japanese", masked)
        return analysis("none", None, None, spans, 1.0 if han_total == 0 else 0.0)
    majority = "hans" if hans >= hant else "hant"
    minority = "hant" if majority == "hans" else "hans"
    minority_count = min(hans, hant)
    share = minority_count / total
    mixed = share >= MIXED_ALWAYS_SHARE or (
        minority_count >= MIXED_MIN_COUNT and share >= MIXED_MIN_SHARE
    )
    spans = sorted(_spans_of(clauses, minority, masked) + _spans_of(clauses, "japanese", masked))
    region = _region(masked) if majority == "hant" and with_region else None
    strength = 1 - 0.5**total
    if mixed:
        confidence = strength * min(1.0, share / MIXED_ALWAYS_SHARE)
        return analysis("mixed", majority, region, spans, confidence)
    return analysis(majority, majority, region, spans, strength * (1 - share))


def detect_script(text: str) -> ScriptReport:
    """Detect the script of *text* (whole document and minority clauses)."""
    return _analyse(text).report


# --------------------------------------------------------------------------- conversion


def _chain(stems: list[str]) -> Callable[[str], str]:
    available = _backend().available
    usable = [stem for stem in stems if stem in available]

    def run(text: str) -> str:
        for stem in usable:
            text = convert(text, stem)
        return text

    return run


def _to_simplified_chain(region: str | None) -> list[str]:
    return {"tw": ["tw2s"], "hk": ["hk2s"]}.get(region or "", ["t2s"])


class _Plan(NamedTuple):
    chain: list[str]
    keep: str | None = None  # evidence of this script is left as it is after *chain*
    post: tuple[str, ...] = ()  # then these configs (regional forms of the kept characters)


def _plan_for(clause_script: str, target: str, analysis: _Analysis) -> _Plan | None:
    """The conversion for one clause, or None to leave it alone."""
    region = analysis.report.region
    if clause_script == "tie":  # as much evidence of both: convert from whichever is not wanted
        if target == "auto":
            clause_script = "hant" if analysis.majority == "hans" else "hans"
        else:
            clause_script = "hant" if target == "hans" else "hans"
    if clause_script not in ("hans", "hant"):
        return None
    if target == "auto":
        if analysis.report.script != "mixed" or clause_script == analysis.majority:
            return None
        target = {"hans": "hans", "hant": {"tw": "tw", "hk": "hk"}.get(region or "", "hant")}[
            analysis.majority or "hans"
        ]
    if target == "hans":
        return _Plan(_to_simplified_chain(region), "hans") if clause_script == "hant" else None
    if clause_script == "hans":
        config = {"hant": "s2t", "tw": "s2tw", "twp": "s2twp", "hk": "s2hk"}[target]
        post = {"tw": ("t2tw",), "twp": ("t2tw",), "hk": ("t2hk",)}.get(target, ())
        return _Plan([config], "hant", post)
    if target in ("tw", "twp") and region != "tw":
        return _Plan((["hk2t"] if region == "hk" else []) + ["t2tw"])
    if target == "hk" and region != "hk":
        # no tw2t first: its variant reversal turns 參 into 蔘 in common phrases
        return _Plan(["t2hk"])
    return None


def _effective_script(clause: _Clause, analysis: _Analysis) -> str:
    """A clause's script for conversion.

    A clause without evidence, or with as much of both scripts, takes the document's
    majority; when the document itself is a tie such a clause is "tie" (convert it to
    whichever script is wanted).
    """
    if clause.script != "none":
        return clause.script
    if clause.hans and analysis.report.hans == analysis.report.hant:
        return "tie"
    return analysis.majority or "none"


def _convert_pass(text: str, target: str) -> str:
    analysis = _analyse(text, with_region=target != "hant")
    if analysis.majority is None:
        return text
    plans: dict[str, _Plan | None] = {}

    def plan_of(clause: _Clause) -> _Plan | None:
        script = _effective_script(clause, analysis)
        if script not in plans:
            plans[script] = _plan_for(script, target, analysis)
        return plans[script]

    pieces: list[str] = []
    position = 0
    clauses, masked = analysis.clauses, analysis.masked
    index = 0
    while index < len(clauses):
        first = clauses[index]
        plan = plan_of(first)
        index += 1
        if plan is None:
            continue
        end = first.end
        # one backend call for a run of clauses with the same plan, across gaps without
        # CJK or protected text (OpenCC never matches across punctuation anyway)
        while index < len(clauses) and plan_of(clauses[index]) == plan:
            following = clauses[index]
            if (
                following.start != end
                and text[end : following.start] != masked[end : following.start]
            ):
                break
            end = following.end
            index += 1
        original = text[first.start : end]
        converted = _chain(plan.chain)(original)
        if plan.keep and len(converted) == len(original) and converted != original:
            converted = _keep_target_evidence(original, converted, first.start, plan.keep, analysis)
            if plan.post:
                converted = _chain(list(plan.post))(converted)
        pieces.append(text[position : first.start])
        pieces.append(converted)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _keep_target_evidence(
    original: str, converted: str, offset: int, keep: str, analysis: _Analysis
) -> str:
    """Undo changes to characters that are already evidence of the target script."""
    code = HANT_EVIDENCE if keep == "hant" else HANS_EVIDENCE
    evidence = analysis.evidence
    position = evidence.find(code, offset, offset + len(original))
    if position < 0:
        return converted
    chars = list(converted)
    while position >= 0:
        chars[position - offset] = original[position - offset]
        position = evidence.find(code, position + 1, offset + len(original))
    return "".join(chars)


def convert_to(text: str, target: str) -> str:
    """Convert *text* to *target* (keep, hans, hant, tw, twp, hk, auto), idempotently.

    Only clauses detected in the source script are converted (for ``tw``/``hk`` also
    Traditional clauses of another standard); Japanese clauses and protected spans never
    are.  ``auto`` converts the minority clauses of a mixed document to its majority script.
    """
    if target not in TARGETS:
        raise ValueError(f"target={target!r}: expected one of {', '.join(TARGETS)}")
    if target == "keep" or not text:
        return text
    result = text
    for _ in range(MAX_PASSES):
        converted = _convert_pass(result, target)
        if converted == result:
            break
        result = converted
    return result


# --------------------------------------------------------------------------- round trip


def roundtrip_report(text: str, config: str) -> list[tuple[int, str, str, str]]:
    """Where converting with *config* and back does not give the original.

    Returns ``(offset, original, converted, back_converted)``; each is one character where
    the conversions keep the length, else the differing substrings.
    """
    stem = normalise_config(config)
    converted = convert(text, stem)
    back = convert(converted, INVERSE_CONFIG[stem])
    if len(converted) == len(text) == len(back):
        return [
            (index, char, converted[index], back[index])
            for index, char in enumerate(text)
            if back[index] != char
        ]
    forward = _position_map(text, converted)
    result = []
    matcher = difflib.SequenceMatcher(None, text, back, autojunk=False)
    for tag, start, end, back_start, back_end in matcher.get_opcodes():
        if tag == "equal":
            continue
        if end - start == back_end - back_start:
            for offset in range(end - start):
                index = start + offset
                result.append(
                    (index, text[index], forward(index, index + 1), back[back_start + offset])
                )
        else:
            result.append((start, text[start:end], forward(start, end), back[back_start:back_end]))
    return result


def _position_map(text: str, converted: str) -> Callable[[int, int], str]:
    """Map a span of *text* to the corresponding span of *converted* (via a diff)."""
    opcodes = difflib.SequenceMatcher(None, text, converted, autojunk=False).get_opcodes()

    def lookup(start: int, end: int) -> str:
        pieces = []
        for tag, low, high, out_low, out_high in opcodes:
            overlaps = low < end and high > start
            inserted_inside = low == high and start <= low < end
            if not (overlaps or inserted_inside):
                continue
            if tag == "equal" or (high - low == out_high - out_low and tag == "replace"):
                clip_low, clip_high = max(low, start), min(high, end)
                pieces.append(converted[out_low + clip_low - low : out_low + clip_high - low])
            else:
                pieces.append(converted[out_low:out_high])
        return "".join(pieces)

    return lookup
