"""The seed document end to end: every kind of damage in it is repaired, nothing else changes."""

from __future__ import annotations

import re
import subprocess
import sys

import fixer
from tests.conftest import REPO, SEED

EXPECTED_HANT = REPO / "corpus" / "seed" / "000_expected_hant.txt"
PINYIN_AFTER_HAN = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def test_script_kept_repair_equals_the_analysed_original(seed_text: str) -> None:
    repaired = fixer.fix_text(seed_text)
    assert repaired == EXPECTED_HANT.read_text(encoding="utf-8")


def test_repair_leaves_no_debris(seed_text: str) -> None:
    repaired = fixer.fix_text(seed_text)
    assert "?" not in repaired
    assert not PINYIN_AFTER_HAN.search(repaired)
    assert "化。”前來參加活動的長三角" in repaired
    assert "合作。”</p>" in repaired
    assert "推動東北" in repaired
    assert [f for f in fixer.scan(repaired) if f.repairable] == []


def test_simplified_with_punctuation_reads_as_the_published_article(seed_text: str) -> None:
    repaired = fixer.fix_text(seed_text, to="hans", punct="cjk")
    assert (
        "人民网沈阳1月4日电 （记者孝媛）1月4日，东北科技成果转化交流会暨沈阳产业技术研究院"
        in repaired
    )
    assert "2024年01月04日18:20" in repaired  # digits keep ASCII punctuation
    assert "促进创新成果转化。”前来参加活动的长三角" in repaired
    assert fixer.fix_text(repaired, to="hans", punct="cjk") == repaired


def test_every_change_is_a_named_step_that_replays(seed_text: str) -> None:
    repaired, steps = fixer.fix_and_explain(seed_text)
    kinds = {step.kind for step in steps}
    assert kinds == {"pinyin", "misaligned"}
    assert fixer.apply_plan(seed_text, steps) == repaired
    misaligned = [step for step in steps if step.kind == "misaligned"]
    assert len(misaligned) == 4
    assert all("lost byte" in step.reason for step in misaligned)


def test_cli_fix_then_check_is_clean(tmp_path) -> None:
    target = tmp_path / SEED.name
    target.write_bytes(SEED.read_bytes())
    fix = subprocess.run([sys.executable, "-m", "fixer", "fix", str(target)], capture_output=True)
    assert fix.returncode == 1, fix.stderr
    assert target.read_text(encoding="utf-8") == EXPECTED_HANT.read_text(encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "fixer", "check", str(target)], capture_output=True
    )
    assert check.returncode == 0, check.stdout


def test_cli_diff_leaves_the_seed_as_it_came(tmp_path) -> None:
    target = tmp_path / SEED.name
    target.write_bytes(SEED.read_bytes())
    diff = subprocess.run(
        [sys.executable, "-m", "fixer", "diff", str(tmp_path)], capture_output=True, text=True
    )
    assert diff.returncode == 1
    assert "-人民網(wǎng)" in diff.stdout and "+人民網\n" in diff.stdout
    assert target.read_bytes() == SEED.read_bytes()
