"""Standalone HTML reports of what fixer changed in a corpus.

:func:`render_corpus_report` turns the JSON summary written by
``fixer corpus --stats`` into one self-contained page (inline CSS, no
scripts, nothing loaded from elsewhere). Every piece of text from the corpus
is HTML-escaped, so a record holding ``<script>`` shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { font-family: ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
del { background: #fdd; text-decoration: none; } ins { background: #dfd; text-decoration: none; }
.context { color: #777; } .muted { color: #777; }
"""


def _text(value: Any) -> str:
    """Escape any value for HTML text or attribute content."""
    return escape("" if value is None else str(value), quote=True)


def _number(value: Any) -> str:
    if isinstance(value, int):
        return f'<td class="num">{value:,}</td>'
    return f"<td>{_text(value)}</td>"


def _table(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    head = "".join(f"<th>{_text(header)}</th>" for header in headers)
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    body = "".join(f"<tr>{''.join(cells)}</tr>" for cells in rows)
    return f"<table>{thead}<tbody>{body}</tbody></table>"


def _side(example: Mapping[str, Any], key: str, tag: str) -> str:
    return (
        f'<td class="text"><span class="context">{_text(example.get("left", ""))}</span>'
        f"<{tag}>{_text(example.get(key, ''))}</{tag}>"
        f'<span class="context">{_text(example.get("right", ""))}</span></td>'
    )


def _class_section(kind: str, tally: Mapping[str, Any]) -> str:
    parts = [
        f"<h3>{_text(kind)}</h3>",
        f"<p>{tally.get('steps', 0):,} steps in {tally.get('records', 0):,} records</p>",
    ]
    examples = tally.get("examples") or []
    if examples:
        rows = (
            [
                _side(example, "before", "del"),
                _side(example, "after", "ins"),
                f"<td>{_text(example.get('reason', ''))}</td>",
            ]
            for example in examples
        )
        parts.append(_table(["before", "after", "reason"], rows))
    return "\n".join(parts)


def render_corpus_report(summary: Mapping[str, Any], title: str = "fixer corpus report") -> str:
    """Render a ``--stats`` summary as a complete, standalone HTML page."""
    records = summary.get("records", {})
    classes: Mapping[str, Any] = summary.get("classes", {})
    reported: Mapping[str, Any] = summary.get("reported", {})
    passed = summary.get("passed_through", {})
    options = summary.get("options", {})
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_text(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_text(title)}</h1>",
    ]
    run_rows = [
        [f"<th>{_text(name)}</th>", f"<td>{_text(summary.get(key, ''))}</td>"]
        for name, key in (
            ("input", "input"),
            ("output", "output"),
            ("field", "field"),
            ("engine", "engine"),
        )
        if key in summary
    ]
    run_rows += [
        [f"<th>{_text(name)}</th>", f"<td>{_text(value)}</td>"] for name, value in options.items()
    ]
    if run_rows:
        parts.append("<h2>Run</h2>" + _table([], run_rows))
    parts.append("<h2>Records</h2>")
    parts.append(
        _table(
            ["read", "changed", "unchanged", "passed through"],
            [
                [
                    _number(records.get(key, 0))
                    for key in ("read", "changed", "unchanged", "passed_through")
                ]
            ],
        )
    )
    if any(passed.values()):
        parts.append(
            _table(
                ["passed through because", "records"],
                [
                    [f"<td>{_text(reason)}</td>", _number(count)]
                    for reason, count in passed.items()
                    if count
                ],
            )
        )
    parts.append("<h2>Repairs by damage class</h2>")
    if classes:
        parts.append(
            _table(
                ["damage class", "steps", "records"],
                [
                    [
                        f'<td><a href="#class-{_text(kind)}">{_text(kind)}</a></td>',
                        _number(tally.get("steps", 0)),
                        _number(tally.get("records", 0)),
                    ]
                    for kind, tally in classes.items()
                ],
            )
        )
        for kind, tally in classes.items():
            parts.append(
                f'<section id="class-{_text(kind)}">{_class_section(kind, tally)}</section>'
            )
    else:
        parts.append('<p class="muted">No repairs.</p>')
    parts.append("<h2>Reported only (not repaired)</h2>")
    if reported:
        for kind, tally in reported.items():
            parts.append(f"<h3>{_text(kind)}</h3>")
            parts.append(
                f"<p>{tally.get('findings', 0):,} findings in "
                f"{tally.get('records', 0):,} records</p>"
            )
            examples = tally.get("examples") or []
            if examples:
                parts.append(
                    _table(
                        ["excerpt", "message"],
                        [
                            [
                                f'<td class="text">{_text(example.get("excerpt", ""))}</td>',
                                f"<td>{_text(example.get('message', ''))}</td>",
                            ]
                            for example in examples
                        ],
                    )
                )
    else:
        parts.append('<p class="muted">Nothing reported.</p>')
    timing = summary.get("timing")
    if timing:
        parts.append(
            f'<p class="muted">{_text(timing.get("seconds", ""))} s, '
            f"{_text(timing.get('records_per_second', ''))} records/s</p>"
        )
    parts.append("</body></html>\n")
    return "\n".join(parts)
