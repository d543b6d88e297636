"""Reading a stream's saved state (pure logic, no network).

One reader for every key the tap keeps in a stream's state. Missing keys are fine (a
first run, an older version's state); a value the tap cannot trust stops the stream
with one line that names it and says how to clear it, because guessing could skip
rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_UTC = dt.UTC
# A bookmark this far past the host's clock cannot come from a window the tap read.
FUTURE_TOLERANCE = dt.timedelta(minutes=1)
# The key of a stream's state that keeps what sized its windows.
SIZING_KEY = "window_sizing"
_CLEAR_IT = (
    "clear it (`meltano state clear <state-id>`, or remove the stream from the --state "
    "file) to start again at start_date"
)
HOW_TO_CLEAR = f"{_CLEAR_IT}, or set it to an RFC 3339 date-time you trust"


class StateError(Exception):
    """The saved state cannot be used; the message says what to do."""


@dataclass(frozen=True)
class StreamState:
    """What the tap uses of one stream's saved state."""

    bookmark: dt.datetime | None  # aware; None: start at start_date
    ignored: tuple[str, ...] = ()  # keys found but not used, for a warning
    # What earlier windows showed about row density (``WindowSizer.to_state``), raw:
    # it only sizes windows, so a damaged one costs calls, never rows.
    sizing: object = None


def parse_bookmark(value: str) -> dt.datetime | None:
    """An RFC 3339 bookmark as an aware instant (naive: UTC), or None if unreadable."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)


def read_stream_state(
    stream: str,
    replication_key: str,
    state: Mapping[str, Any],
    *,
    now: dt.datetime,
) -> StreamState:
    """Read ``state``, the saved state of ``stream``.

    Raises:
        StateError: the bookmark is not a date-time, or lies in the future.
    """
    ignored: list[str] = []
    sizing = state.get(SIZING_KEY)
    if state.get("partitions"):
        # This version reads no stream in partitions: a partitioned state comes from
        # elsewhere, and reading per partition would add fields nobody declared.
        ignored.append("partitions")
    saved_key = state.get("replication_key")
    value = state.get("replication_key_value")
    if value is None:
        return StreamState(None, tuple(ignored), sizing)
    if saved_key is not None and saved_key != replication_key:
        ignored.append(f"a bookmark on {saved_key!r}")
        return StreamState(None, tuple(ignored), sizing)
    where = f"state: the bookmark of stream {stream}"
    bookmark = parse_bookmark(value) if isinstance(value, str) else None
    if bookmark is None:
        msg = f"{where}, {value!r}, is not an RFC 3339 date-time; {HOW_TO_CLEAR}"
        raise StateError(msg)
    if bookmark > now + FUTURE_TOLERANCE:
        msg = (
            f"{where}, {value}, is later than now ({now.isoformat(timespec='seconds')}): a "
            "clock ran ahead when it was saved, and rows dated before it that arrive now "
            f"would be skipped; {HOW_TO_CLEAR}"
        )
        raise StateError(msg)
    return StreamState(bookmark, tuple(ignored), sizing)


# --- Summary streams: the bookmark is a day, and unsettled days remember their last read

# The key of a summary stream's state that keeps when each unsettled day was last read.
READS_KEY = "snapshot_reads"


@dataclass(frozen=True)
class SummaryState:
    """What the tap uses of one summary stream's (or partition's) saved state."""

    bookmark: dt.date | None  # the last settled day read; None: start at start_date
    # When each day after the bookmark was last read; a damaged entry is left out, which
    # costs one call, never a row.
    last_reads: dict[dt.date, dt.datetime]
    ignored: tuple[str, ...] = ()


def read_summary_state(
    stream: str,
    replication_key: str,
    state: Mapping[str, Any],
    *,
    today: dt.date,
    now: dt.datetime,
) -> SummaryState:
    """Read ``state``, the saved state of summary stream ``stream`` (or one partition).

    A last read later than ``now`` (a clock that ran ahead) counts as no read: the day
    is read at once rather than left stale until the clock catches up.

    Raises:
        StateError: the bookmark is not a ``YYYY-MM-DD`` day, or lies after ``today``.
    """
    last_reads = {
        day: instant
        for day, instant in _last_reads(state.get(READS_KEY)).items()
        if instant <= now + FUTURE_TOLERANCE
    }
    saved_key = state.get("replication_key")
    value = state.get("replication_key_value")
    if value is None:
        return SummaryState(None, last_reads)
    if saved_key is not None and saved_key != replication_key:
        return SummaryState(None, last_reads, (f"a bookmark on {saved_key!r}",))
    where = f"state: the bookmark of stream {stream}"
    day = _day(value)
    if day is None:
        msg = f"{where}, {value!r}, is not a day (YYYY-MM-DD); {HOW_TO_CLEAR_DAY}"
        raise StateError(msg)
    if day > today:
        msg = (
            f"{where}, {value}, is after today ({today.isoformat()}): days after it would "
            f"never be read; {HOW_TO_CLEAR_DAY}"
        )
        raise StateError(msg)
    return SummaryState(day, last_reads)


HOW_TO_CLEAR_DAY = f"{_CLEAR_IT}, or set it to the last day (YYYY-MM-DD) whose totals you trust"


def _day(value: object) -> dt.date | None:
    if not isinstance(value, str) or len(value) != len("YYYY-MM-DD"):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _last_reads(saved: object) -> dict[dt.date, dt.datetime]:
    if not isinstance(saved, Mapping):
        return {}
    reads: dict[dt.date, dt.datetime] = {}
    for day_text, instant_text in saved.items():
        day = _day(day_text)
        instant = parse_bookmark(instant_text) if isinstance(instant_text, str) else None
        if day is not None and instant is not None:
            reads[day] = instant
    return reads


def drop_damaged_partitions(state: Mapping[str, Any]) -> dict[str, int]:
    """Drop the saved partition states the SDK would crash on; how many, per stream.

    An entry that is not an object with a ``context`` object, or repeats an earlier
    entry's context, is dropped: its partition starts again at start_date, which costs
    calls, never rows. ``partitions`` that is not a list is dropped whole (counted -1).
    """
    dropped: dict[str, int] = {}
    bookmarks = state.get("bookmarks")
    for stream, entry in bookmarks.items() if isinstance(bookmarks, dict) else ():
        if not isinstance(entry, dict) or "partitions" not in entry:
            continue
        listed = entry["partitions"]
        if not isinstance(listed, list):
            del entry["partitions"]
            dropped[stream] = -1
            continue
        kept: list[dict[str, Any]] = []
        for item in listed:
            context = item.get("context") if isinstance(item, dict) else None
            if isinstance(context, dict) and all(context != k["context"] for k in kept):
                kept.append(item)
        if len(kept) != len(listed):
            entry["partitions"] = kept
            dropped[stream] = len(listed) - len(kept)
    return dropped
