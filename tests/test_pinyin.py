"""Injected pinyin: a machine pattern is removed, a writer's glosses are left alone."""

from __future__ import annotations

import pytest

import fixer
from fixer.damage.pinyin import annotation_pattern_holds


def fix(text: str) -> str:
    return fixer.fix_text(text, to="keep", punct="keep")


def test_many_distinct_annotated_characters_are_a_machine_pattern() -> None:
    damaged = "東(dōng)北(běi)科(kē)技(jì)成(chéng)果交流會在瀋陽舉行。"
    assert fix(damaged) == "東北科技成果交流會在瀋陽舉行。"


def test_a_few_everyday_characters_glossed_plainly_are_a_machine_pattern() -> None:
    # Only three distinct characters, but 多, 錢 and 成 glossed with the reading everybody
    # knows them by: no writer does that, a converter does.
    damaged = "他有很多(duō)的錢(qián)，這是他成(chéng)功的原因。"
    assert annotation_pattern_holds(damaged) == {"多", "錢", "成"}
    assert fix(damaged) == "他有很多的錢，這是他成功的原因。"


@pytest.mark.parametrize(
    "text",
    [
        # Rare characters glossed by a writer.
        "犇(bēn)、猋(biāo)和骉(biāo)都是由三個相同部件組成的字。",
        # Polyphonic characters glossed with their other reading.
        "银行的行(háng)、快乐的乐(lè)和音乐的乐(yuè)要分清。",
        # Two glosses only.
        "他姓曾(zēng)，不是曾(céng)经的曾。",
    ],
)
def test_a_writer_s_glosses_stay(text: str) -> None:
    assert not annotation_pattern_holds(text)
    assert fix(text) == text
