"""Bytes to text: find the encoding of raw file contents, with ranked candidates and evidence.

UTF-8 (with or without BOM) and BOM-marked UTF-16/32 are recognised exactly.
Anything else goes to charset-normalizer, whose ranked matches become
:class:`Candidate` objects carrying the measures that ranked them.  A file
whose lines are mostly UTF-8 with some lines in a legacy encoding (appended
from elsewhere) is decoded line by line when every odd line is certain.
"""

from __future__ import annotations

import codecs
from typing import NamedTuple

from fixer.chardata import CJK_CODECS, CODEC_FAMILIES

CJK_CODEC_NAMES = frozenset(CJK_CODECS.values())

#: Byte-order marks, longest first, with the codec that decodes the text after them.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Minimum charset-normalizer coherence/confidence to trust a legacy guess.
MIN_CONFIDENCE = 0.5


class Candidate(NamedTuple):
    """An encoding charset-normalizer weighed, with its evidence."""

    encoding: str
    confidence: float
    chaos: float
    coherence: float
    languages: tuple[str, ...]


class Decoded(NamedTuple):
    """Text decoded from bytes, with what is needed to write it back the same way.

    encoding: the codec of the body (per-line files: the legacy one, ``mixed`` set).
    bom: the byte-order mark the file started with (kept on write).
    candidates: what detection weighed, best first.
    mixed: True when lines were decoded with different encodings.
    """

    text: str
    encoding: str
    bom: bytes
    confidence: float
    candidates: tuple[Candidate, ...]
    mixed: bool = False


class DecodeError(ValueError):
    """The bytes have no encoding fixer can be confident about."""


def _family(name: str) -> str:
    key = name.lower().replace("-", "_")
    return CODEC_FAMILIES.get(key, name)


def detect(data: bytes) -> list[Candidate]:
    """charset-normalizer's ranked guesses for *data* (empty when it has none)."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=None, explain=False)
    result = []
    for match in matches:
        chaos = float(match.chaos)
        coherence = float(match.coherence)
        result.append(
            Candidate(
                _family(match.encoding),
                round(max(0.0, 1.0 - chaos) * (0.5 + coherence / 2), 3),
                round(chaos, 3),
                round(coherence, 3),
                tuple(match.languages),
            )
        )
    return result


def decode(data: bytes, encoding: str = "auto") -> Decoded:
    """Decode *data*: a BOM, strict UTF-8, per-line mixed UTF-8, then charset-normalizer."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as error:
                raise DecodeError(
                    f"starts with a {codec} byte-order mark but {error.reason}"
                ) from error
            return Decoded(text, codec, bom, 1.0, (Candidate(codec, 1.0, 0.0, 1.0, ()),))
    if encoding != "auto":
        codec = _family(encoding)
        try:
            return Decoded(
                data.decode(codec), codec, b"", 1.0, (Candidate(codec, 1.0, 0.0, 1.0, ()),)
            )
        except (UnicodeDecodeError, LookupError) as error:
            raise DecodeError(f"not valid {encoding}: {error}") from error
    try:
        return Decoded(
            data.decode("utf-8"), "utf-8", b"", 1.0, (Candidate("utf-8", 1.0, 0.0, 1.0, ()),)
        )
    except UnicodeDecodeError:
        pass
    candidates = detect(data)
    mixed = _decode_mixed_lines(data, candidates)
    if mixed is not None:
        return mixed
    # A CJK reading the language model finds plausible beats a Western one (charset-normalizer
    # sometimes ranks mac_latin2 above cp932); then any reading it is confident about.
    for candidate in sorted(candidates, key=lambda c: c.encoding not in CJK_CODEC_NAMES):
        try:
            text = data.decode(candidate.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if candidate.encoding in CJK_CODEC_NAMES and _plausible_lines([text]):
            return Decoded(
                text,
                candidate.encoding,
                b"",
                max(candidate.confidence, MIN_CONFIDENCE),
                tuple(candidates),
            )
        if candidate.confidence >= MIN_CONFIDENCE:
            return Decoded(text, candidate.encoding, b"", candidate.confidence, tuple(candidates))
    weighed = ", ".join(f"{c.encoding} {c.confidence:.2f}" for c in candidates[:4]) or "none"
    raise DecodeError(f"no confident encoding (weighed: {weighed})")


def _decode_mixed_lines(data: bytes, candidates: list[Candidate]) -> Decoded | None:
    """Decode a mostly-UTF-8 file whose other lines are all valid in one legacy encoding."""
    lines = data.splitlines(keepends=True)
    bad = [index for index, line in enumerate(lines) if not _is_utf8(line)]
    if not bad or len(bad) == len(lines):
        return None
    odd = b"".join(lines[index] for index in bad)
    ranked = detect(odd) or candidates
    for candidate in ranked:
        if candidate.confidence < MIN_CONFIDENCE:
            continue
        pieces = []
        try:
            for index, line in enumerate(lines):
                pieces.append(line.decode(candidate.encoding if index in bad else "utf-8"))
        except (UnicodeDecodeError, LookupError):
            continue
        if not _plausible_lines([pieces[index] for index in bad]):
            continue
        return Decoded(
            "".join(pieces),
            candidate.encoding,
            b"",
            candidate.confidence,
            tuple(ranked),
            mixed=True,
        )
    return None


def _plausible_lines(lines: list[str]) -> bool:
    from fixer import lm

    text = "".join(lines)
    if not any(lm.is_cjk(char) for char in text):
        return False
    return lm.get_model().mean_score(text) >= lm.thresholds()["clean_min"]


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def encode(text: str, encoding: str, bom: bytes = b"") -> bytes:
    """Encode *text* for writing, strictly, with the BOM it came with."""
    return bom + text.encode(encoding)
