"""Re-encoding text: characters back to bytes, and the byte runs that read in another codec.

Mojibake repair, the lossy-decode lattice and the fast path's structural test
all ask the same two questions, answered here once: what bytes did this
character come from under a codec, and which spans of a line, encoded with
the codec that wrongly decoded them, are well-formed in the true encoding.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from fixer.chardata import well_formed_run

_ENCODED: dict[str, dict[str, bytes | None]] = {}


def ensure_codec(codec: str) -> None:
    """Register ftfy's ``sloppy-`` codecs the first time one is needed."""
    if codec.startswith("sloppy-"):
        import ftfy.bad_codecs  # noqa: F401


def encode_char(char: str, codec: str) -> bytes | None:
    """*char* encoded with *codec* (cached), or None when the codec has no such character.

    U+FFFD is never encodable: it marks bytes a decoder already lost.
    """
    table = _ENCODED.setdefault(codec, {})
    try:
        return table[char]
    except KeyError:
        ensure_codec(codec)
        try:
            encoded: bytes | None = None if char == "\ufffd" else char.encode(codec)
        except UnicodeEncodeError:
            encoded = None
        table[char] = encoded
        return encoded


def encodable_segments(line: str, codec: str) -> Iterator[tuple[int, bytes, list[int]]]:
    """Maximal runs of *line* encodable in *codec*: (start, bytes, byte boundaries)."""
    start = 0
    buffer = bytearray()
    boundaries: list[int] = [0]
    for index, char in enumerate(line):
        encoded = encode_char(char, codec)
        if encoded is None:
            if len(boundaries) > 1:
                yield start, bytes(buffer), boundaries
            start = index + 1
            buffer = bytearray()
            boundaries = [0]
            continue
        buffer += encoded
        boundaries.append(len(buffer))
    if len(boundaries) > 1:
        yield start, bytes(buffer), boundaries


def _aligned_run(
    pattern: re.Pattern[bytes], data: bytes, boundaries: list[int], begin: int, finish: int
) -> re.Match[bytes] | None:
    """The well-formed run starting at the first character boundary inside
    ``data[begin:finish]`` where one starts, or None."""
    for index in range(bisect.bisect_right(boundaries, begin), len(boundaries)):
        boundary = boundaries[index]
        if boundary >= finish:
            return None
        found = pattern.match(data, boundary)
        if found is not None:
            return found
    return None


def decode_runs(line: str, wrong: str, true: str) -> Iterator[tuple[int, int, str]]:
    """Spans of *line* whose bytes in *wrong* are well-formed in *true*: (start, end, text).

    Runs start on a character boundary of *line*; one that ends inside a
    character is extended over a swallowed ASCII byte or pulled back to the
    last shared boundary.  Spans that decode to themselves are skipped.
    """
    pattern = well_formed_run(true)
    for offset, data, boundaries in encodable_segments(line, wrong):
        if data.isascii():
            continue
        position = {byte: index for index, byte in enumerate(boundaries)}
        for match in pattern.finditer(data):
            begin, finish = match.start(), match.end()
            if begin not in position:
                # The run starts inside a character: read it from the first character
                # boundary inside it where a well-formed run starts.
                inner = _aligned_run(pattern, data, boundaries, begin, finish)
                if inner is None:
                    continue
                begin, finish = inner.start(), inner.end()
            if finish not in position:
                # The last wrongly-decoded character may have swallowed a following ASCII
                # byte; otherwise pull the end back to the last shared boundary.
                later = [b for b in boundaries if b > finish]
                if later and data[finish : later[0]].isascii():
                    finish = later[0]
                else:
                    finish = max(b for b in boundaries if b <= finish)
                    if finish <= begin:
                        continue
            try:
                decoded = data[begin:finish].decode(true)
            except UnicodeDecodeError:
                # Pulled back inside a character: the run was cut by a lost byte.  Such
                # lines belong to the lossy class, which reads the run with its marks.
                continue
            start, end = offset + position[begin], offset + position[finish]
            if decoded != line[start:end]:
                yield start, end, decoded
