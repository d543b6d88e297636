"""Turning a report's rows into records (pure logic, no network).

A record carries every documented field as the API sent it (strings; ``""`` stays
``""``; an absent field is null), every time field as an RFC 3339 instant in UTC, a
deterministic ``record_key``, and any field the documentation does not list under
``additional_fields``. What differs between reports comes from their registry entry.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tap_wolkvox.dates import API_DATE, LocalDates
from tap_wolkvox.reports import Report

KEY_FIELD = "record_key"
EXTRA_FIELD = "additional_fields"


def column_name(field: str) -> str:
    """The column of an API field: its name without surrounding white space.

    Names are otherwise kept as the API spells them (``campaing_id``), so they can be
    matched with Wolkvox's documentation; chat_1's ``"agent_anwers "`` becomes
    ``agent_anwers``, because a trailing space in a column name breaks most SQL.
    """
    return field.strip()


def _as_text(value: Any) -> str | None:  # noqa: ANN401
    """Documented fields are strings; anything else is kept as its JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def identity_of(values: Iterable[object]) -> str:
    """Values as one canonical string: what a record key hashes."""
    return json.dumps(list(values), ensure_ascii=False, separators=(",", ":"))


def documented_identity(row: dict[str, Any], fields: Sequence[str]) -> str:
    """The values of ``fields`` in a raw row, as one canonical string."""
    return identity_of(_as_text(row.get(name)) for name in fields)


def record_key(identity: str, occurrence: int) -> str:
    """A 32-hex-digit key from a row's documented fields and its occurrence number.

    ``occurrence`` tells apart rows whose documented fields are all equal (the same turn
    sent twice in one second); it is 0 for the first such row.
    """
    digest = hashlib.blake2b(digest_size=16)
    digest.update(identity.encode())
    if occurrence:
        digest.update(f"#{occurrence}".encode())
    return digest.hexdigest()


def key_rows(
    rows: Sequence[dict[str, Any]], identities: Sequence[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Pair each raw row with the key of its identity (``identities[i]`` for ``rows[i]``).

    Rows of one identity are numbered in the order of their full content, which does
    not depend on the API's row order. Equal rows always share a second, and a second
    never spans two windows, so both reads of a row see the same set of equal rows.
    """
    counts = Counter(identities)
    groups: dict[str, list[int]] = {}
    for index, identity in enumerate(identities):
        if counts[identity] > 1:
            groups.setdefault(identity, []).append(index)
    occurrence_of = {
        index: number
        for members in groups.values()
        for number, index in enumerate(sorted(members, key=lambda i: _canonical(rows[i])))
    }
    for index, (identity, row) in enumerate(zip(identities, rows, strict=True)):
        yield record_key(identity, occurrence_of.get(index, 0)), row


def identity_fields(report: Report) -> tuple[str, ...]:
    """The fields a row's key hashes when the report names no natural id.

    The documented fields, plus the filter field where the documentation omits it
    (chat_1's ``date_close``): rows equal in everything else but closed at different
    times must not share a key, and two rows that share a key must fall in one window.
    """
    if report.filter_field in report.fields:
        return report.fields
    return (*report.fields, report.filter_field)


class RecordShaper:
    """Builds records of one report from raw rows and remembers which extra fields it saw."""

    def __init__(
        self,
        report: Report,
        dates: LocalDates,
        partition_value: str | None = None,
        added_columns: Sequence[str] = (),
    ) -> None:
        """Shape rows of ``report``, converting its time fields with ``dates``.

        ``partition_value`` is the value of the report's partition parameter the rows
        were read with: every record holds it, and its key includes it.
        ``added_columns`` are columns the tap fills in itself (``report_date``), null
        until then.
        """
        self.dates = dates
        self.key_fields = report.key_fields or identity_fields(report)
        self.columns = {name: column_name(name) for name in report.columns}
        self._blank: dict[str, Any] = {
            KEY_FIELD: None,
            **dict.fromkeys(self.columns.values()),
            **dict.fromkeys(added_columns),
        }
        self.partition_value = partition_value
        if report.partition is not None:
            self._blank[report.partition.record_field] = partition_value
        self.time_columns = tuple(column_name(name) for name in report.time_fields)
        self.extra_field_names: set[str] = set()
        self.bad_dates = 0

    def shape(self, rows: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Records for the raw rows of one complete window."""
        identities = [documented_identity(row, self.key_fields) for row in rows]
        if self.partition_value is not None:
            # Two partitions' answers can hold rows equal in every field.
            identities = [identity_of((self.partition_value, text)) for text in identities]
        for key, row in key_rows(rows, identities):
            yield self.shape_row(row, key)

    def shape_row(self, row: dict[str, Any], key: str) -> dict[str, Any]:
        """One record from one raw row."""
        record = self._blank.copy()
        record[KEY_FIELD] = key
        extras: dict[str, Any] = {}
        columns = self.columns
        for name, value in row.items():
            column = columns.get(name)
            if column is None:
                extras[name] = value
                self.extra_field_names.add(name)
            else:
                record[column] = _as_text(value)
        for column in self.time_columns:
            raw = record[column]
            if not raw:
                record[column] = None  # absent or empty (a case not closed yet)
                continue
            converted = self.dates.to_rfc3339(raw)
            if converted is None:
                # Keep the row: its unreadable time goes with the extras, never lost.
                self.bad_dates += 1
                extras[column] = raw
            record[column] = converted
        record[EXTRA_FIELD] = extras or None
        return record


def valid_date_texts(rows: Iterable[dict[str, Any]], field: str) -> list[str]:
    """The ``field`` values of raw rows that are valid API dates."""
    texts = []
    for row in rows:
        value = row.get(field)
        if isinstance(value, str) and API_DATE.fullmatch(value):
            texts.append(value)
    return texts


def row_dates(rows: Iterable[dict[str, Any]], field: str) -> list[dt.datetime]:
    """The wall-clock times in ``field`` of raw rows, skipping unreadable ones."""
    parsed = (LocalDates.parse(text) for text in valid_date_texts(rows, field))
    return [value for value in parsed if value is not None]


# --- Summary reports: totals per day, keyed by the day and their dimensions

REPORT_DATE_FIELD = "report_date"
BUCKET_START_FIELD = "bucket_start"
# A bucket of the day: "13", "13:00", "13:30:00", "13:00 - 13:30" start at 13:xx, and
# "1330" (military time) at 13:30; anything else is no bucket name the tap can read.
_BUCKET_TIME = re.compile(r"\s*(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*(?:-.*)?")
_MILITARY_TIME = re.compile(r"\s*(\d{1,2})(\d{2})\s*")
_DAY_NAMES = ("day", "date")
_SHOWN_CHARS = 40


class UnreadableDayError(ValueError):
    """A row of a window of several days whose own day cannot be read."""


def read_day(value: object, day_format: str) -> dt.datetime | None:
    """The wall-clock time in ``value`` laid out as ``day_format``, or None.

    The value may carry more after the layout (a time after ``%Y-%m-%d``): its leading
    part is read, as long as the layout's own example is.
    """
    if not isinstance(value, str):
        return None
    for text in (value, value[: _layout_width(day_format)]):
        try:
            return dt.datetime.strptime(text, day_format)  # noqa: DTZ007  # wall-clock
        except ValueError:
            continue
    return None


@functools.cache
def _layout_width(day_format: str) -> int:
    """How many characters a date written in ``day_format`` takes."""
    return len(dt.datetime(2000, 1, 1).strftime(day_format))  # noqa: DTZ001  # a layout only


def bucket_time(value: object) -> dt.time | None:
    """The start of a bucket named like ``"13"``, ``"13:00"`` or ``"13:30 - 14:00"``."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    match = _BUCKET_TIME.fullmatch(value) or _MILITARY_TIME.fullmatch(value)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:  # noqa: PLR2004
        return None
    return dt.time(hour, minute)


class SummaryShaper:
    """Builds records of one summary report, window of days by window of days.

    Each record gets ``report_date`` (its day in ``timezone``); bucketed rows whose
    bucket has no full date get ``bucket_start`` (RFC 3339, UTC), in each nested object
    when the buckets are nested (agent_5). The key hashes the day, the partition value
    and the dimension fields, never the measures: re-reading a day replaces its rows.
    """

    def __init__(
        self, report: Report, dates: LocalDates, partition_value: str | None = None
    ) -> None:
        """Shape rows of ``report`` read with ``partition_value``, in ``dates``' zone."""
        self.report = report
        self.dates = dates
        self.partition_value = partition_value
        bucketed_rows = bool(report.bucket_field) and not report.bucket_parent
        added = (REPORT_DATE_FIELD, BUCKET_START_FIELD) if bucketed_rows else (REPORT_DATE_FIELD,)
        self.rows = RecordShaper(report, dates, partition_value, added)
        self.nested = dict(report.nested_fields)
        self.objects = dict(report.object_fields)
        # Where a row's own day is: day_field, else the report's other name for a day
        # among its dimensions (diagram_1_2's example says day, its table date).
        self.day_names = tuple(
            name
            for name in (report.day_field, *report.dimension_fields)
            if name and (name == report.day_field or name in _DAY_NAMES)
        )

    def shape(
        self, rows: Sequence[dict[str, Any]], first: dt.date, last: dt.date
    ) -> list[dict[str, Any]]:
        """Records for the raw rows of the window of days ``first`` to ``last``.

        Raises:
            UnreadableDayError: in a window of several days, a row whose own day is
                unreadable or outside the window (read its days one by one instead).
        """
        days = [self._day_of(row, first, last) for row in rows]
        dimensions = self.report.dimension_fields
        identities = [
            identity_of(
                (day.isoformat(), self.partition_value, *(_as_text(row.get(n)) for n in dimensions))
            )
            for day, row in zip(days, rows, strict=True)
        ]
        records = []
        for (key, row), day in zip(key_rows(rows, identities), days, strict=True):
            record = self.rows.shape_row(row, key)
            record[REPORT_DATE_FIELD] = day.isoformat()
            self._shape_inner(row, record, day)
            records.append(record)
        return records

    def _own_day(self, item: dict[str, Any]) -> dt.datetime | None:
        """The day (and hour) a row or nested object carries, if the report has one."""
        for name in self.day_names:
            read = read_day(item.get(name), self.report.day_format)
            if read is not None:
                return read
        return None

    def _day_of(self, row: dict[str, Any], first: dt.date, last: dt.date) -> dt.date:
        """The row's own day wherever it is readable: the key must not depend on the call.

        A login session of the day before still open on the day asked for keeps its own
        day whether it comes in a call of one day or of several.
        """
        own = self._own_day(row)
        if own is not None:
            return own.date()
        if first == last:
            return first  # one day asked: a row that cannot say its day is that day's
        value = row.get(self.report.day_field)
        shown = (
            repr(value) if len(repr(value)) <= _SHOWN_CHARS else repr(value)[:_SHOWN_CHARS] + "..."
        )
        msg = f"a row's {self.report.day_field} ({shown}) is not a day ({self.report.day_format})"
        raise UnreadableDayError(msg)

    def _bucket_start(self, item: dict[str, Any], day: dt.date) -> str | None:
        """The start, in UTC, of the bucket a row or nested object names; None if unreadable."""
        report = self.report
        if report.bucket_field == report.day_field:  # the day's value holds the hour
            local = self._own_day(item)
        else:
            start = bucket_time(item.get(report.bucket_field))
            local = None if start is None else dt.datetime.combine(day, start)
        if local is None:
            return None
        return self.dates.to_utc(local).isoformat()

    def _shape_inner(self, row: dict[str, Any], record: dict[str, Any], day: dt.date) -> None:
        """Nested arrays and objects as JSON arrays and objects, and the bucket's start."""
        report = self.report
        if BUCKET_START_FIELD in record:
            record[BUCKET_START_FIELD] = self._bucket_start(row, day)
        extras: dict[str, Any] = record[EXTRA_FIELD] or {}
        for name in (*self.nested, *self.objects):
            column = column_name(name)
            raw = row.get(name)
            shaped = (
                self._array(raw, day, bucketed=name == report.bucket_parent)
                if name in self.nested
                else _inner_object(raw)
            )
            record[column] = shaped
            if shaped is None and raw is not None:
                extras[column] = raw  # an unexpected shape, kept as sent
        record[EXTRA_FIELD] = extras or None

    def _array(self, raw: object, day: dt.date, *, bucketed: bool) -> list[Any] | None:
        items = list(raw.values()) if isinstance(raw, dict) else raw  # PHP's numbered object
        if not isinstance(items, list):
            return None
        shaped = [_inner_object(item) for item in items]
        if any(item is None for item in shaped):
            return None
        objects = [item for item in shaped if item is not None]
        if bucketed:
            for item, original in zip(objects, items, strict=True):
                item[BUCKET_START_FIELD] = self._bucket_start(original, day)
        return objects


def _inner_object(raw: object) -> dict[str, Any] | None:
    """A nested object with its values as text (numbers as their JSON text), or None."""
    if not isinstance(raw, dict):
        return None
    return {str(name): _as_text(value) for name, value in raw.items()}
