"""Turning a report's rows into records (pure logic, no network).

A record carries every documented field as the API sent it (strings; ``""`` stays
``""``; an absent field is null), every time field as an RFC 3339 instant in UTC, a
deterministic ``record_key``, and any field the documentation does not list under
``additional_fields``. What differs between reports comes from their registry entry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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


def documented_identity(row: dict[str, Any], fields: Sequence[str]) -> str:
    """The values of ``fields`` in a raw row, as one canonical string."""
    return json.dumps(
        [_as_text(row.get(name)) for name in fields],
        ensure_ascii=False,
        separators=(",", ":"),
    )


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


def keyed_rows(
    rows: Sequence[dict[str, Any]], fields: Sequence[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Pair each raw row of one response with its key, made from ``fields``.

    ``fields`` are the report's documented fields, or its natural id for rows updated
    in place; either way a new undocumented field does not change the key of a row
    already loaded. Rows whose documented fields are equal are numbered
    in the order of their full content, which does not depend on the API's row order.
    Equal rows always share a second, and a second never spans two windows, so both
    reads of a row see the same set of equal rows.
    """
    identities = [documented_identity(row, fields) for row in rows]
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

    def __init__(self, report: Report, dates: LocalDates) -> None:
        """Shape rows of ``report``, converting its time fields with ``dates``."""
        self.dates = dates
        self.key_fields = report.key_fields or identity_fields(report)
        self.columns = {name: column_name(name) for name in report.columns}
        self._blank: dict[str, Any] = {KEY_FIELD: None, **dict.fromkeys(self.columns.values())}
        self.time_columns = tuple(column_name(name) for name in report.time_fields)
        self.extra_field_names: set[str] = set()
        self.bad_dates = 0

    def shape(self, rows: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Records for the raw rows of one complete window."""
        for key, row in keyed_rows(rows, self.key_fields):
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
