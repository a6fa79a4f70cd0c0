"""Raw file contents in, verified repair out: decode, repair, verify, encode.

Nothing leaves this module unverified: a :class:`Result` carries either the
exact bytes to write (verification passed) or the reasons it must not be
written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from fixer import config as _config
from fixer.config import FixerConfig
from fixer.damage import BY_NAME
from fixer.decode import Candidate, DecodeError, decode, encode
from fixer.explain import Finding, PlanMismatch, Step, apply_plan
from fixer.pipeline import repair, scan_findings

#: Encodings written back as they came (they hold all of Unicode); the rest become UTF-8.
UNICODE_ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


class Verification(NamedTuple):
    """Whether a repair may be written, and why not."""

    ok: bool
    problems: tuple[str, ...]


class Result(NamedTuple):
    """What fixer made of one file's bytes.

    encoding/confidence/candidates: how the input was decoded and what was weighed.
    original: the decoded input text; text: the repaired text.
    steps: the plan from original to text; findings: everything detection saw
    (in offsets of *original*), including what is only reported.
    output_encoding: what the repair would be written in; output: the bytes to
    write, or None when nothing changes or verification failed.
    verification: the outcome of the checks; error: why decoding failed, if it did.
    """

    encoding: str
    confidence: float
    candidates: tuple[Candidate, ...]
    original: str
    text: str
    steps: list[Step]
    findings: list[Finding]
    output_encoding: str
    output: bytes | None
    verification: Verification
    error: str | None = None

    @property
    def changed(self) -> bool:
        """Would writing this result change the file?"""
        return self.output is not None


def verify(
    original: str,
    repaired: str,
    steps: list[Step],
    config: FixerConfig,
    output_encoding: str,
    settled: bool = False,
) -> Verification:
    """Check a repair before it is written (round-trip, idempotence, nothing left, accounting).

    *settled*: the repair's own last pass ran over *repaired* and changed nothing.
    Repair is deterministic, so that pass was the second repair; only an
    unsettled repair (its passes ran out) is repaired once more here.
    """
    problems = []
    try:
        if apply_plan(original, steps) != repaired:
            problems.append("replaying the steps does not give the repair")
    except PlanMismatch as error:
        problems.append(f"a step does not replay: {error}")
    unknown = {step.kind for step in steps} - set(BY_NAME)
    if unknown:
        problems.append(f"changes not made by a damage class: {', '.join(sorted(unknown))}")
    try:
        if repaired.encode(output_encoding).decode(output_encoding) != repaired:
            problems.append(f"does not round-trip through {output_encoding}")
    except UnicodeError as error:
        problems.append(f"cannot be encoded as {output_encoding}: {error.reason}")
    again = None if settled else repair(repaired, config)
    if again is not None and again.text != repaired:
        kinds = ", ".join(sorted({step.kind for step in again.steps}))
        problems.append(f"a second repair changes it again ({kinds})")
    return Verification(not problems, tuple(problems))


def _output_encoding(encoding: str, mixed: bool, config: FixerConfig, text: str) -> str:
    if encoding in UNICODE_ENCODINGS and not mixed:
        return encoding
    if config.keep_encoding and not mixed:
        try:
            if text.encode(encoding).decode(encoding) == text:
                return encoding
        except UnicodeError:
            pass
    return "utf-8"


def fix_bytes(data: bytes, config: FixerConfig) -> Result:
    """Decode, repair and verify *data*; see :class:`Result`."""
    try:
        decoded = decode(data, config.encoding)
    except DecodeError as error:
        return Result(
            "unknown",
            0.0,
            (),
            "",
            "",
            [],
            [],
            "",
            None,
            Verification(False, (str(error),)),
            str(error),
        )
    repaired = repair(decoded.text, config)
    findings = scan_findings(decoded.text, repaired)
    output_encoding = _output_encoding(decoded.encoding, decoded.mixed, config, repaired.text)
    if decoded.encoding != output_encoding or decoded.mixed:
        label = "lines in " + decoded.encoding if decoded.mixed else decoded.encoding
        message = f"{label} file, written as {output_encoding}"
        findings.insert(0, Finding("encoding", 0, 0, "", message, decoded.confidence, True))
    verification = verify(
        decoded.text, repaired.text, repaired.steps, config, output_encoding, repaired.settled
    )
    output: bytes | None = None
    if verification.ok:
        bom = decoded.bom if output_encoding in UNICODE_ENCODINGS else b""
        new_data = encode(repaired.text, output_encoding, bom)
        if new_data != data:
            output = new_data
    return Result(
        decoded.encoding,
        decoded.confidence,
        decoded.candidates,
        decoded.text,
        repaired.text,
        repaired.steps,
        findings,
        output_encoding,
        output,
        verification,
    )


def line_chunks(read: Callable[[int], bytes], size: int | None = None) -> Iterator[bytes]:
    """Read through *read* and yield pieces of about *size* bytes that end on a newline.

    Splitting on ``\n`` is safe for UTF-8 and the legacy CJK encodings fixer
    reads, where the byte 0x0A is never part of a multi-byte character.
    """
    size = size or _config.CHUNK_BYTES
    pending = b""
    while True:
        block = read(size)
        if not block:
            if pending:
                yield pending
            return
        pending += block
        cut = pending.rfind(b"\n")
        if cut == -1:
            continue
        yield pending[: cut + 1]
        pending = pending[cut + 1 :]


def fix_chunks(chunks: Iterator[bytes], config: FixerConfig) -> Iterator[Result]:
    """Repair a large input chunk by chunk (bounded memory); each result is verified alone.

    Raises DecodeError when a chunk cannot be decoded, is UTF-16/32 (whose
    lines cannot be split on a byte) or would be written in another encoding
    than the first chunk: a file is repaired whole or not at all.
    """
    first_encoding: str | None = None
    for index, chunk in enumerate(chunks):
        result = fix_bytes(chunk, config)
        if result.error is not None:
            raise DecodeError(f"chunk {index + 1}: {result.error}")
        if result.output_encoding not in ("utf-8",) and not config.keep_encoding:
            raise DecodeError(f"{result.encoding} cannot be repaired in chunks")
        if first_encoding is None:
            first_encoding = result.output_encoding
        elif result.output_encoding != first_encoding:
            raise DecodeError(
                f"chunk {index + 1} would be written as {result.output_encoding}, "
                f"not {first_encoding}"
            )
        yield result


__all__ = [
    "DecodeError",
    "Result",
    "Verification",
    "fix_bytes",
    "fix_chunks",
    "line_chunks",
    "verify",
]
