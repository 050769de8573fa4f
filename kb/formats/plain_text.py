"""The `text` format laid out without rich, byte for byte as `kb.formats.text` lays it out with rich, for the
common case: no colour, and every character one cell wide. Importing rich costs a single-page `kb check` ~40 ms.

The layout is rich's: a table grid (columns two spaces apart, the position right-justified, the message column
given what is left of the width and word-wrapped, a word longer than the column folded) indented two spaces under
its file's path, a blank line after each file; headings wrap at the width. `tests/formats/test_plain_text.py`
compares the two on generated findings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from kb.formats.report import ordered
from kb.records import Finding
from kb.text.paths import display_path

if TYPE_CHECKING:
    from kb.formats.report import Report

QUOTED = 240  # characters of the judged sentence shown under a finding (as kb.formats.text)
INDENT, GAP, SEVERITY_WIDTH = 2, 2, len("warning")
MIN_MESSAGE_WIDTH = 20  # a narrower message column: rich decides (its last-resort reductions are not copied here)
# Characters rich measures as one cell (checked against rich.cells in the tests); anything else goes to rich.
ONE_CELL_RANGES = (
    (0x20, 0x7E), (0xA1, 0xAC), (0xAE, 0x2FF),  # Latin
    (0x391, 0x3A1), (0x3A3, 0x3FF), (0x400, 0x482), (0x1E00, 0x1EFF),  # Greek (μ), Cyrillic, more Latin
    (0x2010, 0x2027), (0x2030, 0x205E), (0x2074, 0x208E), (0x20A0, 0x20C0),  # punctuation, ⁴-₎, currency
    (0x2100, 0x218B), (0x2190, 0x22FF), (0x2460, 0x24FF), (0x25A0, 0x25FC),  # ℃ ½ → ≥ ① ■
)  # fmt: skip
ONE_CELL = frozenset(chr(code) for start, end in ONE_CELL_RANGES for code in range(start, end + 1))
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def message_text(finding: Finding) -> str:
    """The message cell: the message, the judged sentence quoted, the fix after an arrow (one line each)."""
    message = finding.message
    judged = finding.sentence or finding.text
    if judged and judged != finding.message:
        shown = judged if len(judged) <= QUOTED else judged[: QUOTED - 1].rstrip() + "…"
        message += f"\n“{shown}”"
    if finding.fix:
        message += f"\n→ {finding.fix}"
    return message


def wrap(text: str, width: int) -> list[str]:
    """`text` (one line) in lines of at most `width` characters, broken as rich's `divide_line` breaks it."""
    breaks: list[int] = []
    offset = 0
    found = _WORD.match(text)
    while found is not None:
        start, word = found.start(), found.group(0)
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # a word longer than the column, folded
            pieces = [word[at : at + width] for at in range(0, len(word), width)]
            for number, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if number == len(pieces) - 1:
                    offset = len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = len(word)
        found = _WORD.match(text, found.end())
    bounds = [0, *breaks, len(text)]
    return [_fit(text[a:b], width) for a, b in zip(bounds, bounds[1:], strict=False)]


def _fit(line: str, width: int) -> str:
    """rich's `rstrip_end` then `truncate`: trailing whitespace beyond the width goes first."""
    excess = len(line) - width
    if excess > 0:
        spaces = _TRAILING_SPACE.search(line)
        if spaces:
            line = line[: len(line) - min(len(spaces.group(0)), excess)]
    return line[:width]


def _lines(text: str, width: int) -> list[str]:
    return [piece for line in text.split("\n") for piece in wrap(line, width)]


def file_rows(findings: Sequence[Finding], width: int) -> list[str] | None:
    """One file's table, indented; None when rich would lay it out differently (a column left too narrow)."""
    cells = [(f"{f.line}:{f.column}", f.severity.label, f.rule, message_text(f)) for f in findings]
    widths = [max(len(cell[column]) for cell in cells) for column in range(3)]
    widths[1] = max(widths[1], SEVERITY_WIDTH)
    fixed = sum(widths) + 3 * GAP
    longest = max(len(line) for cell in cells for line in cell[3].split("\n"))
    message_width = min(longest, width - INDENT - fixed)
    if longest == 0 or (message_width < MIN_MESSAGE_WIDTH and longest > message_width):
        return None  # rich gives an empty column one cell; a narrow one it reduces in ways not copied here
    rows = []
    for position, severity, rule, message in cells:
        for number, line in enumerate(_lines(message, message_width) or [""]):
            left = (position.rjust(widths[0]), severity.ljust(widths[1]), rule.ljust(widths[2]))
            shown = (" " * (GAP)).join(left) if number == 0 else " " * (fixed - GAP)
            rows.append(" " * INDENT + shown + " " * GAP + line)
    return rows


def render_plain(findings: Sequence[Finding], report: Report) -> str | None:
    """The text format without colour, as rich would lay it out; None when rich must (a wider character, a
    control character, a column too narrow)."""
    printed: list[str] = []
    for path, group in groupby(ordered(findings, report.root), key=lambda f: display_path(f.path, report.root)):
        rows = file_rows(list(group), report.width)
        if rows is None:
            return None
        printed += [*_lines(path, report.width), *rows, ""]
    if report.notes:
        printed += _lines("notes", report.width)
        for note in report.notes:
            printed += _lines(f"warning: {note}", report.width)
        printed.append("")
    if not ONE_CELL.issuperset("".join(printed)):
        return None
    lines = [line.rstrip(" ") for line in "\n".join(printed).rstrip().splitlines()]
    return "".join(line + "\n" for line in lines)
