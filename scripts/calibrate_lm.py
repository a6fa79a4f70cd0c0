"""Calibrate fixer.lm: mean_score of clean text windows against the same windows damaged.

Usage: python scripts/calibrate_lm.py [--shared DIR] [--out FILE]

Clean sources (read from the shared peer-case folder next to the repository): the inputs of
OpenCC's testcases.json, OpenCC's US constitution text (Simplified, and converted to
Traditional with OpenCC s2t), and, when present, the chardet test files of GB2312, Big5,
EUC-JP, SHIFT_JIS and EUC-KR decoded with their own codec. Texts are cut into consecutive
windows of WINDOW characters per line; a window counts when it holds at least MIN_CJK cjk
characters. Damage applied to every window: its UTF-8 bytes decoded as gbk, big5, shift_jis,
euc_kr, euc_jp (errors='replace'), and its legacy-encoded bytes (the source's codec; for the
OpenCC texts gbk, else big5) decoded as latin-1 and cp1252. A damaged text equal to the clean
one is dropped. Output (deterministic): fixer/data/lm-calibration.json.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fixer import lm  # noqa: E402

WINDOW = 16
OTHER_WINDOWS = (8, 32)
MIN_CJK_SHARE = 0.25
QUANTILES = (0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999)
UTF8_MISREADS = ("gbk", "big5", "shift_jis", "euc_kr", "euc_jp")
LEGACY_MISREADS = ("latin-1", "cp1252")
CHARDET_FOLDERS = {
    "GB2312": "gbk",
    "Big5": "big5",
    "EUC-JP": "euc_jp",
    "SHIFT_JIS": "shift_jis",
    "EUC-KR": "euc_kr",
}
_JSON_JUNK = re.compile(r'"(?:[^"\\]|\\.)*"|(/\*[\s\S]*?\*/|//.*)|(,\s*(?=[\]}]))')


def load_loose_json(text: str) -> object:
    """Parse OpenCC's testcases.json (comments and trailing commas removed)."""
    return json.loads(
        _JSON_JUNK.sub(lambda m: "" if m.group(1) or m.group(2) else m.group(0), text)
    )


def clean_sources(shared: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(source name, text, legacy codecs to try for byte-level damage)."""
    import opencc

    sources: list[tuple[str, str, tuple[str, ...]]] = []
    opencc_dir = shared / "peer-cases" / "opencc"
    cases = load_loose_json((opencc_dir / "testcases.json").read_text(encoding="utf-8"))
    inputs = "\n".join(case["input"] for case in cases["cases"])  # type: ignore[index]
    sources.append(("opencc-testcases", inputs, ("gbk", "big5")))
    constitution = (opencc_dir / "golden" / "input" / "us_constitution_zhs.txt").read_text(
        encoding="utf-8"
    )
    sources.append(("constitution-zhs", constitution, ("gbk",)))
    sources.append(("constitution-s2t", opencc.OpenCC("s2t").convert(constitution), ("big5",)))
    chardet_dir = shared / "peer-cases" / "chardet" / "tests"
    for folder, codec in CHARDET_FOLDERS.items():
        for path in sorted((chardet_dir / folder).glob("*")):
            if path.is_file():
                text = path.read_bytes().decode(codec, errors="replace")
                sources.append((f"chardet-{folder}", text, (codec,)))
    return sources


def windows(text: str, size: int) -> list[str]:
    result = []
    for line in text.splitlines():
        line = line.strip()
        for start in range(0, len(line), size):
            window = line[start : start + size]
            if len(window) < size // 2 and start > 0:
                continue
            cjk = sum(1 for ch in window if lm.is_cjk(ch))
            if cjk >= max(2, MIN_CJK_SHARE * len(window)) and "\ufffd" not in window:
                result.append(window)
    return result


def damaged_versions(window: str, legacy: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    raw = window.encode("utf-8")
    for codec in UTF8_MISREADS:
        out[f"utf8-as-{codec}"] = raw.decode(codec, errors="replace")
    for codec in legacy:
        try:
            encoded = window.encode(codec)
        except UnicodeEncodeError:
            continue
        for target in LEGACY_MISREADS:
            out[f"legacy-as-{target}"] = encoded.decode(target, errors="replace")
        break
    return {kind: text for kind, text in out.items() if text != window}


def quantile(sorted_values: list[float], q: float) -> float:
    """The value at index floor(q * (n - 1)) (a data point, not interpolated)."""
    return sorted_values[math.floor(q * (len(sorted_values) - 1))]


def summary(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    figures = {f"q{q:g}": round(quantile(values, q), 4) for q in QUANTILES}
    figures["n"] = len(values)
    return figures


def calibrate(shared: Path, size: int) -> dict:
    model = lm.get_model()
    clean: dict[str, list[float]] = defaultdict(list)
    damaged: dict[str, list[float]] = defaultdict(list)
    for name, text, legacy in clean_sources(shared):
        for window in windows(text, size):
            clean[name].append(model.mean_score(window))
            for kind, bad in damaged_versions(window, legacy).items():
                damaged[kind].append(model.mean_score(bad))
    all_clean = sorted(v for values in clean.values() for v in values)
    all_damaged = sorted(v for values in damaged.values() for v in values)
    clean_min = all_clean[math.floor(0.001 * len(all_clean))]
    damaged_max = all_damaged[math.ceil(0.999 * len(all_damaged)) - 1]
    return {
        "window_chars": size,
        "thresholds": {
            "clean_min": round(clean_min, 4),
            "damaged_max": round(damaged_max, 4),
            "window_chars": size,
        },
        "error_rates": {
            "damaged_at_or_above_clean_min": round(
                sum(v >= clean_min for v in all_damaged) / len(all_damaged), 5
            ),
            "clean_at_or_below_damaged_max": round(
                sum(v <= damaged_max for v in all_clean) / len(all_clean), 5
            ),
        },
        "clean": {"all": summary(all_clean)} | {k: summary(v) for k, v in sorted(clean.items())},
        "damaged": {"all": summary(all_damaged)}
        | {k: summary(v) for k, v in sorted(damaged.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--out", type=Path, default=lm.DATA_DIR / lm.CALIBRATION_FILE)
    args = parser.parse_args()
    if not (args.shared / "peer-cases" / "opencc").is_dir():
        parser.error(f"no peer-cases/opencc under {args.shared}")
    result = calibrate(args.shared, WINDOW)
    result["other_window_sizes"] = {}
    for size in OTHER_WINDOWS:
        other = calibrate(args.shared, size)
        result["other_window_sizes"][str(size)] = {
            "thresholds": other["thresholds"],
            "error_rates": other["error_rates"],
            "clean_all": other["clean"]["all"],
            "damaged_all": other["damaged"]["all"],
        }
    result["method"] = __doc__.split("\n\n")[1].replace("\n", " ")
    text = json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    args.out.write_bytes(text.encode("utf-8"))
    print(
        json.dumps(
            {
                "thresholds": result["thresholds"],
                "error_rates": result["error_rates"],
                "clean": result["clean"]["all"],
                "damaged": result["damaged"]["all"],
            }
        )
    )


if __name__ == "__main__":
    main()
