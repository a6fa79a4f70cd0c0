"""Write the expected repair of the seed document from its published damage analysis.

The corrections below are transcribed from the byte-by-byte analysis of the seed
(what each damaged span was before the byte-level rewrite), and the injected
pinyin is removed by its documented shape: a Han character followed by one
tone-marked syllable in ASCII parentheses.  Nothing here runs fixer, so the
expected text is independent of the code it tests.

Usage: python corpus/seed/make_expected.py   (rewrites corpus/seed/000_expected_hant.txt)
"""

from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "seeds" / "000_5a649c74cb501400.txt"
OUTPUT = HERE / "000_expected_hant.txt"

#: Damaged span -> original text, as the analysis derives them from the GBK bytes.
CORRECTIONS = {
    "化?!鼻皝韰⒓踊顒拥拈L三角": "化。”前來參加活動的長三角",
    "合作?!?/p>": "合作。”</p>",
    "化?!?/p>": "化。”</p>",
    "推動?xùn)|北": "推動東北",
}
#: Injected annotations: Han + "(" + tone-marked syllable + ")".
ANNOTATION = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def expected(seed: str) -> str:
    """The traditional article with the analysed damage undone and the script kept."""
    for damaged, original in CORRECTIONS.items():
        assert damaged in seed, damaged
        seed = seed.replace(damaged, original)
    return ANNOTATION.sub("", seed)


if __name__ == "__main__":
    OUTPUT.write_text(expected(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {OUTPUT.name}")
