"""Raw file contents in, verified repair out: decode, repair, verify, encode.

Nothing leaves this module unverified: a :class:`Result` carries either the
exact bytes to write (verification passed) or the reasons it must not be
written.
"""

from __future__ import annotations

from typing import NamedTuple

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


def verify(original: str, repaired: str, steps: list[Step], config: FixerConfig,
           output_encoding: str) -> Verification:
    """Check a repair before it is written (round-trip, idempotence, nothing left, accounting)."""
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
    again = repair(repaired, config)
    if again.text != repaired:
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
        return Result("unknown", 0.0, (), "", "", [], [], "", None,
                      Verification(False, (str(error),)), str(error))
    repaired = repair(decoded.text, config)
    findings = scan_findings(decoded.text, repaired)
    output_encoding = _output_encoding(decoded.encoding, decoded.mixed, config, repaired.text)
    if decoded.encoding != output_encoding or decoded.mixed:
        label = "lines in " + decoded.encoding if decoded.mixed else decoded.encoding
        findings.insert(0, Finding("encoding", 0, 0, "", f"{label} file, written as {output_encoding}",
                                   decoded.confidence, True))
    verification = verify(decoded.text, repaired.text, repaired.steps, config, output_encoding)
    output: bytes | None = None
    if verification.ok:
        bom = decoded.bom if output_encoding in UNICODE_ENCODINGS else b""
        new_data = encode(repaired.text, output_encoding, bom)
        if new_data != data:
            output = new_data
    return Result(decoded.encoding, decoded.confidence, decoded.candidates, decoded.text,
                  repaired.text, repaired.steps, findings, output_encoding, output, verification)


__all__ = ["DecodeError", "Result", "Verification", "fix_bytes", "verify"]
