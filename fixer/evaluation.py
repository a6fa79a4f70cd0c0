"""Measures of repair quality shared by the benchmarks and the tests."""

from __future__ import annotations

from collections.abc import Sequence


def levenshtein(first: str, second: str) -> int:
    """Edit distance (insertions, deletions, substitutions) between two strings."""
    if first == second:
        return 0
    start = 0
    shortest = min(len(first), len(second))
    while start < shortest and first[start] == second[start]:
        start += 1
    end_first, end_second = len(first), len(second)
    while (
        end_first > start and end_second > start and first[end_first - 1] == second[end_second - 1]
    ):
        end_first -= 1
        end_second -= 1
    first, second = first[start:end_first], second[start:end_second]
    if len(first) < len(second):
        first, second = second, first
    if not second:
        return len(first)
    previous = list(range(len(second) + 1))
    for row, char in enumerate(first, 1):
        current = [row]
        for column, other in enumerate(second, 1):
            current.append(
                min(
                    previous[column] + 1,
                    current[column - 1] + 1,
                    previous[column - 1] + (char != other),
                )
            )
        previous = current
    return previous[-1]


def character_error_rate(got: Sequence[str], expected: Sequence[str]) -> float:
    """Total edit distance of *got* from *expected*, over the total expected length."""
    distance = sum(levenshtein(g, e) for g, e in zip(got, expected, strict=True))
    return distance / max(1, sum(len(e) for e in expected))
