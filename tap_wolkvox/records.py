"""Turning diagram_9 rows into records (pure logic, no network).

A record carries every documented field as the API sent it (strings; ``""`` stays
``""``), ``date`` as an RFC 3339 instant in UTC, a deterministic ``record_key``, and any
field the documentation does not list under ``additional_fields``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tap_wolkvox.dates import API_DATE, LocalDates

DOCUMENTED_FIELDS = (
    "session_id",
    "channel",
    "rp_id",
    "date",
    "customer_name",
    "customer_email",
    "customer_phone",
    "customer_query",
    "routing_answer",
    "customer_id",
    "conn_id",
)
_DOCUMENTED = frozenset(DOCUMENTED_FIELDS)
KEY_FIELD = "record_key"
EXTRA_FIELD = "additional_fields"
DATE_FIELD = "date"


def _as_text(value: Any) -> str | None:  # noqa: ANN401
    """Documented fields are strings; anything else is kept as its JSON text."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def documented_identity(row: dict[str, Any]) -> str:
    """The documented fields of a raw row, as one canonical string."""
    return json.dumps(
        [_as_text(row.get(name)) for name in DOCUMENTED_FIELDS],
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


def keyed_rows(rows: Sequence[dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Pair each raw row of one response with its key.

    Keys depend only on documented fields, so a new undocumented field does not change
    the key of a row already loaded. Rows whose documented fields are equal are numbered
    in the order of their full content, which does not depend on the API's row order.
    Equal rows always share a second, and a second never spans two windows, so both
    reads of a row see the same set of equal rows.
    """
    identities = [documented_identity(row) for row in rows]
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


class RecordShaper:
    """Builds records from raw rows and remembers which extra fields it has seen."""

    def __init__(self, dates: LocalDates) -> None:
        """Convert dates with ``dates``."""
        self.dates = dates
        self.extra_field_names: set[str] = set()
        self.bad_dates = 0

    def shape(self, rows: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Records for the raw rows of one complete window."""
        for key, row in keyed_rows(rows):
            yield self.shape_row(row, key)

    def shape_row(self, row: dict[str, Any], key: str) -> dict[str, Any]:
        """One record from one raw row."""
        record: dict[str, Any] = {KEY_FIELD: key}
        extras: dict[str, Any] = {}
        for name, value in row.items():
            if name in _DOCUMENTED:
                record[name] = _as_text(value)
            else:
                extras[name] = value
        for name in DOCUMENTED_FIELDS:
            record.setdefault(name, None)
        raw_date = record[DATE_FIELD]
        converted = self.dates.to_rfc3339(raw_date) if isinstance(raw_date, str) else None
        if converted is None:
            # Keep the row: its unreadable date goes with the extras, never lost.
            self.bad_dates += 1
            extras[DATE_FIELD] = raw_date
        record[DATE_FIELD] = converted
        if extras:
            self.extra_field_names.update(name for name in extras if name != DATE_FIELD)
        record[EXTRA_FIELD] = extras or None
        return record


def valid_date_texts(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The ``date`` strings of raw rows that are valid API dates."""
    texts = []
    for row in rows:
        value = row.get(DATE_FIELD)
        if isinstance(value, str) and API_DATE.fullmatch(value):
            texts.append(value)
    return texts


def row_dates(rows: Iterable[dict[str, Any]]) -> list[dt.datetime]:
    """The wall-clock dates of raw rows, skipping unreadable ones."""
    parsed = (LocalDates.parse(text) for text in valid_date_texts(rows))
    return [value for value in parsed if value is not None]


def latest_dates(rows: Iterable[dict[str, Any]], count: int) -> list[dt.datetime]:
    """The ``count`` latest wall-clock dates of raw rows, oldest first.

    API dates sort as text in time order, so only ``count`` of them are parsed.
    """
    latest = sorted(heapq.nlargest(count, valid_date_texts(rows)))
    parsed = (LocalDates.parse(text) for text in latest)
    return [value for value in parsed if value is not None]
