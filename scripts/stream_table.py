"""Print README's stream table from the report registry, or rewrite it in README.md.

The table has one row per entry of :data:`tap_wolkvox.reports.REPORTS`, in registry
order. README.md holds it between two marker lines, and ``tests/test_stream_table.py``
fails when the two differ. From the repository root::

    .venv/bin/python scripts/stream_table.py            # print the table
    .venv/bin/python scripts/stream_table.py --write    # rewrite README.md's block
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from tap_wolkvox.records import KEY_FIELD, column_name
from tap_wolkvox.reports import DEFAULT_ROW_CAP, REPORTS, Report

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START_MARKER = "<!-- streams:start -->"
END_MARKER = "<!-- streams:end -->"
WRITE_COMMAND = ".venv/bin/python scripts/stream_table.py --write"

HEADER = (
    "stream",
    "report id",
    "what a row is",
    "time fields",
    "key",
    "selected by default",
    "notes",
)


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _code(name: str) -> str:
    """A name as inline code, whatever backticks it holds."""
    fence = "``" if "`" in name else "`"
    pad = " " if "`" in name else ""
    return f"{fence}{pad}{name}{pad}{fence}"


def _codes(names: Iterable[str]) -> str:
    """Column names as a comma-separated list of inline code."""
    return ", ".join(_code(column_name(name)) for name in names)


def _time_fields(report: Report) -> str:
    """The time fields, the filter field marked when there is a choice."""
    if len(report.time_fields) == 1:
        return _code(column_name(report.filter_field))
    return ", ".join(
        f"{_code(column_name(name))} (filter)"
        if name == report.filter_field
        else _code(column_name(name))
        for name in report.time_fields
    )


def _key(report: Report) -> str:
    """What ``record_key`` is computed from."""
    if report.key_fields is None:
        return f"`{KEY_FIELD}` from every documented field"
    return f"`{KEY_FIELD}` from {_codes(report.key_fields)}"


def _utc_offset(hours: int) -> str:
    """A whole-hour UTC offset as Wolkvox's pages write it, e.g. ``GMT-5``."""
    return f"GMT{hours:+d}" if hours else "GMT"


def _param(name: str, value: str) -> str:
    """One query parameter as sent."""
    return f"`{name}={value}` (empty)" if value == "" else f"`{name}={value}`"


def _white_space(name: str) -> str:
    """The white space around ``name``, in words, e.g. ``"a trailing space"``."""
    head = name[: len(name) - len(name.lstrip())]
    tail = name[len(name.rstrip()) :]
    sides = " and ".join(side for side, extra in (("leading", head), ("trailing", tail)) if extra)
    around = head + tail
    if set(around) != {" "}:
        return f"{sides} white space"
    return f"a {sides} space" if len(around) == 1 else f"{sides} spaces"


def _notes(report: Report) -> str:
    """The report's quirks a user should know about, or an empty string."""
    notes: list[str] = []
    if report.fixed_utc_offset_hours is not None:
        zone = _utc_offset(report.fixed_utc_offset_hours)
        notes.append(f"times always {zone}, whatever `timezone` says")
    if report.row_cap != DEFAULT_ROW_CAP:
        notes.append(f"{report.row_cap:,} rows per call at most")
    if report.params:
        notes.append("sends " + ", ".join(_param(name, value) for name, value in report.params))
    if report.filter_field in report.known_extra_fields:
        field = _code(column_name(report.filter_field))
        notes.append(f"the date range applies to {field}, which the docs omit")
    for name in (*report.fields, *report.known_extra_fields):
        if column_name(name) != name:
            column = _code(column_name(name))
            notes.append(f"Wolkvox sends {column} with {_white_space(name)}, which the tap strips")
    return "; ".join(notes)


def _row(cells: Sequence[str]) -> str:
    """One Markdown table row."""
    return "|" + "|".join(f" {_cell(cell)} " if cell else " " for cell in cells) + "|"


def stream_table(reports: Sequence[Report] = REPORTS) -> str:
    """README's stream table: one Markdown row per report, in registry order.

    Args:
        reports: The registry entries to list; every stream of the tap by default.

    Returns:
        The table, without a final newline.
    """
    lines = [_row(HEADER), "|" + "---|" * len(HEADER)]
    lines.extend(
        _row(
            (
                _code(report.stream),
                _code(report.api),
                report.description,
                _time_fields(report),
                _key(report),
                "yes" if report.selected_by_default else "no",
                _notes(report),
            )
        )
        for report in reports
    )
    return "\n".join(lines)


def _markers(lines: Sequence[str]) -> tuple[int, int]:
    """The indexes of the start and end marker lines.

    Raises:
        ValueError: The marker lines are missing, repeated or out of order.
    """
    starts = [i for i, line in enumerate(lines) if line.strip() == START_MARKER]
    ends = [i for i, line in enumerate(lines) if line.strip() == END_MARKER]
    if len(starts) != 1 or len(ends) != 1 or starts[0] > ends[0]:
        msg = (
            f"expected one line {START_MARKER!r} and, after it, one line {END_MARKER!r}; "
            f"found {len(starts)} start and {len(ends)} end marker line(s)"
        )
        raise ValueError(msg)
    return starts[0], ends[0]


def readme_block(text: str) -> str:
    """What ``text`` holds between its marker lines, without the blank lines around it.

    Raises:
        ValueError: The marker lines are missing, repeated or out of order.
    """
    lines = text.splitlines()
    start, end = _markers(lines)
    return "\n".join(lines[start + 1 : end]).strip("\n")


def replace_block(text: str, table: str) -> str:
    """``text`` with the lines between the marker lines replaced by ``table``.

    A blank line separates the table from each marker, so that every Markdown renderer
    sees the comments and the table as separate blocks.

    Raises:
        ValueError: The marker lines are missing, repeated or out of order.
    """
    lines = text.splitlines(keepends=True)
    start, end = _markers(lines)
    return "".join([*lines[: start + 1], "\n", table, "\n\n", *lines[end:]])


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table, or with ``--write`` rewrite README's block; the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write",
        action="store_true",
        help=f"rewrite the block between {START_MARKER} and {END_MARKER} in README.md",
    )
    parser.add_argument("--readme", type=Path, default=README, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    table = stream_table()
    if not args.write:
        print(table)
        return 0
    path: Path = args.readme
    text = path.read_text(encoding="utf-8")
    try:
        updated = replace_block(text, table)
    except ValueError as error:
        print(
            f"{path}: {error}. Put the two marker lines where the stream table belongs, "
            f"then run `{WRITE_COMMAND}` again.",
            file=sys.stderr,
        )
        return 1
    if updated != text:
        path.write_text(updated, encoding="utf-8")
        print(f"{path}: stream table rewritten ({len(REPORTS)} streams)")
    else:
        print(f"{path}: stream table already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
