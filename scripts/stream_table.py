"""Print README's stream tables from the report registry, or rewrite them in README.md.

Every entry of :data:`tap_wolkvox.reports.ALL_REPORTS` is one row, in registry order, in
one of two tables: the event streams (``REPORTS``, then ``PARAMETER_EVENT_REPORTS``) and
the summary streams (``SUMMARY_REPORTS``, kinds ``daily`` and ``one_day``). Each row gives
the calls a day the stream costs on a 5-minute schedule at the default settings.
README.md holds the tables between two marker lines, and ``tests/test_stream_table.py``
fails when the two differ. From the repository root::

    .venv/bin/python scripts/stream_table.py            # print the tables
    .venv/bin/python scripts/stream_table.py --write    # rewrite README.md's block
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from tap_wolkvox.config import DEFAULT_SETTLE_DAYS, DEFAULT_SNAPSHOT_REFRESH_MINUTES
from tap_wolkvox.records import BUCKET_START_FIELD, KEY_FIELD, REPORT_DATE_FIELD, column_name
from tap_wolkvox.reports import (
    ALL_REPORTS,
    DEFAULT_ROW_CAP,
    PARAMETER_EVENT_REPORTS,
    REPORTS,
    SUMMARY_REPORTS,
    Partition,
    Report,
)
from tap_wolkvox.snapshots import (
    RUNS_A_DAY_AT_5_MINUTES,
    calls_per_day,
    partition_calls_per_day,
)

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START_MARKER = "<!-- streams:start -->"
END_MARKER = "<!-- streams:end -->"
WRITE_COMMAND = ".venv/bin/python scripts/stream_table.py --write"

EVENT_REPORTS: tuple[Report, ...] = REPORTS + PARAMETER_EVENT_REPORTS
"""The rows of the event table, in registry order."""

EVENT_HEADER = (
    "stream",
    "report id",
    "what a row is",
    "time fields",
    "key",
    "calls a day",
    "selected by default",
    "notes",
)
SUMMARY_HEADER = (
    "stream",
    "report id",
    "kind",
    "what a row is",
    "dimensions (the key)",
    "calls a day",
    "notes",
)

# strftime directives of the registry's day layouts, as the README spells them.
_LAYOUT_WORDS = (("%Y", "YYYY"), ("%m", "MM"), ("%d", "DD"), ("%H", "HH"))


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
    """What an event stream's ``record_key`` is computed from."""
    partition = () if report.partition is None else (report.partition.record_field,)
    if report.key_fields is None:
        if partition:
            return f"`{KEY_FIELD}` from {_codes(partition)} and every documented field"
        return f"`{KEY_FIELD}` from every documented field"
    return f"`{KEY_FIELD}` from {_codes((*partition, *report.key_fields))}"


def key_columns(report: Report) -> tuple[str, ...]:
    """The columns a summary stream's ``record_key`` hashes, in order.

    ``report_date``, the partition's record field when the report has a partition, then
    the report's dimension fields: never a measure.
    """
    partition = () if report.partition is None else (report.partition.record_field,)
    return (REPORT_DATE_FIELD, *partition, *(column_name(n) for n in report.dimension_fields))


def calls_a_day(report: Report) -> int:
    """The calls one partition of ``report`` costs a day on a 5-minute schedule, caught up.

    At the default ``settle_days`` and ``snapshot_refresh_minutes``; the same figure as
    ``tap_wolkvox.tap.calls_a_day`` gives a stream with one partition.
    """
    return partition_calls_per_day(
        report.kind,
        settle_days=DEFAULT_SETTLE_DAYS,
        refresh_minutes=DEFAULT_SNAPSHOT_REFRESH_MINUTES,
    )


def _calls(report: Report) -> str:
    """The calls-a-day cell: the stream's total at the defaults, and how it is made up."""
    per_partition = calls_a_day(report)
    partition = report.partition
    if partition is None:
        return f"{per_partition:,}"
    if partition.values:
        count = len(partition.values)
        return f"{per_partition * count:,} ({count} partitions x {per_partition:,})"
    return f"{per_partition:,} per id of `{partition.setting}`"


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


def _layout(day_format: str) -> str:
    """A ``strptime`` layout as the README writes it, e.g. ``YYYY-MM-DD``."""
    for directive, word in _LAYOUT_WORDS:
        day_format = day_format.replace(directive, word)
    return day_format


def _partition_note(partition: Partition) -> str:
    """How a partitioned report is read, and where the value it was read with goes."""
    field = _code(partition.record_field)
    if partition.values:
        values = ", ".join(_code(value) for value in partition.values)
        note = f"read once per `{partition.param}` ({values}), each with its own bookmark"
    else:
        note = f"read once per id of `{partition.setting}`, each with its own bookmark"
    note += f"; {field} holds the value"
    if partition.explicit_only:
        note += f"; needs explicit `{partition.setting}` (Wolkvox documents no `all` for it)"
    return note


def _common_notes(report: Report) -> list[str]:
    """The quirks both kinds of report can have."""
    notes: list[str] = []
    if report.fixed_utc_offset_hours is not None:
        zone = _utc_offset(report.fixed_utc_offset_hours)
        notes.append(f"times always {zone}, whatever `timezone` says")
    if report.row_cap != DEFAULT_ROW_CAP:
        notes.append(f"{report.row_cap:,} rows per call at most")
    if report.params:
        notes.append("sends " + ", ".join(_param(name, value) for name, value in report.params))
    if report.partition is not None:
        notes.append(_partition_note(report.partition))
    return notes


def _white_space_notes(report: Report) -> list[str]:
    """The field names Wolkvox sends with white space around them."""
    return [
        f"Wolkvox sends {_code(column_name(name))} with {_white_space(name)}, which the tap strips"
        for name in (*report.fields, *report.known_extra_fields)
        if column_name(name) != name
    ]


def _notes(report: Report) -> str:
    """An event report's quirks a user should know about, or an empty string."""
    notes = _common_notes(report)
    if report.filter_field in report.known_extra_fields:
        field = _code(column_name(report.filter_field))
        notes.append(f"the date range applies to {field}, which the docs omit")
    notes.extend(_white_space_notes(report))
    return "; ".join(notes)


def _summary_notes(report: Report) -> str:
    """A summary report's day, buckets, shapes and quirks, or an empty string."""
    notes: list[str] = []
    if report.single_object:
        notes.append("Wolkvox answers one object, not a list: one row a day")
    if report.day_field:
        layout = _code(_layout(report.day_format))
        notes.append(f"`{REPORT_DATE_FIELD}` from {_code(report.day_field)} ({layout})")
    if report.bucket_field:
        minutes = f" ({report.bucket_minutes}-minute buckets)" if report.bucket_minutes else ""
        where = f"in each object of {_code(report.bucket_parent)}, " if report.bucket_parent else ""
        notes.append(f"`{BUCKET_START_FIELD}` {where}from {_code(report.bucket_field)}{minutes}")
    notes.extend(
        f"{_code(column_name(name))} kept as an array of objects"
        for name, _ in report.nested_fields
    )
    if report.object_fields:
        notes.append(f"{_codes(name for name, _ in report.object_fields)} kept as objects")
    if report.time_fields:
        notes.append(f"{_codes(report.time_fields)} in UTC")
    if report.max_window_hours is not None:
        notes.append(f"Wolkvox refuses ranges over {report.max_window_hours} hours")
    notes.extend(_common_notes(report))
    notes.extend(_white_space_notes(report))
    if report.selected_by_default:
        notes.append("selected by default")
    return "; ".join(notes)


def _row(cells: Sequence[str]) -> str:
    """One Markdown table row."""
    return "|" + "|".join(f" {_cell(cell)} " if cell else " " for cell in cells) + "|"


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table, without a final newline."""
    return "\n".join([_row(header), "|" + "---|" * len(header), *(_row(row) for row in rows)])


def event_table(reports: Sequence[Report] = EVENT_REPORTS) -> str:
    """The event streams' table: one Markdown row per report, in registry order.

    Args:
        reports: The registry entries to list, of kind ``event``.

    Returns:
        The table, without a final newline.
    """
    return _table(
        EVENT_HEADER,
        (
            (
                _code(report.stream),
                _code(report.api),
                report.description,
                _time_fields(report),
                _key(report),
                _calls(report),
                "yes" if report.selected_by_default else "no",
                _notes(report),
            )
            for report in reports
        ),
    )


def summary_table(reports: Sequence[Report] = SUMMARY_REPORTS) -> str:
    """The summary streams' table: one Markdown row per report, in registry order.

    Args:
        reports: The registry entries to list, of kind ``daily`` or ``one_day``.

    Returns:
        The table, without a final newline.
    """
    return _table(
        SUMMARY_HEADER,
        (
            (
                _code(report.stream),
                _code(report.api),
                _code(report.kind),
                report.description,
                ", ".join(_code(name) for name in key_columns(report)),
                _calls(report),
                _summary_notes(report),
            )
            for report in reports
        ),
    )


def stream_table() -> str:
    """README's block: both tables, each after a line saying what it lists.

    Returns:
        The block, without a final newline.
    """
    daily = calls_per_day(
        many_days=True,
        settle_days=DEFAULT_SETTLE_DAYS,
        refresh_minutes=DEFAULT_SNAPSHOT_REFRESH_MINUTES,
    )
    one_day = calls_per_day(
        many_days=False,
        settle_days=DEFAULT_SETTLE_DAYS,
        refresh_minutes=DEFAULT_SNAPSHOT_REFRESH_MINUTES,
    )
    events = (
        f"**Event streams** ({len(EVENT_REPORTS)}): one row per event, replicated on the "
        f"time field marked (filter) where there are two. Calls a day: one per run and "
        f"partition, {RUNS_A_DAY_AT_5_MINUTES} on a 5-minute schedule."
    )
    summaries = (
        f"**Summary streams** ({len(SUMMARY_REPORTS)}): totals per local day, replicated on "
        f'`{REPORT_DATE_FIELD}` (see "Summary streams"). Kind `daily`: the rows carry '
        f"their own day, read up to 31 days per call; kind `one_day`: one call per day. "
        f"Calls a day on a 5-minute schedule at the defaults (`settle_days` "
        f"{DEFAULT_SETTLE_DAYS}, `snapshot_refresh_minutes` {DEFAULT_SNAPSHOT_REFRESH_MINUTES}), "
        f"per partition: {daily} for `daily`, {one_day} for `one_day`."
    )
    return f"{events}\n\n{event_table()}\n\n{summaries}\n\n{summary_table()}"


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
        print(f"{path}: stream tables rewritten ({len(ALL_REPORTS)} streams)")
    else:
        print(f"{path}: stream table already up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
