"""Cutting a time range into API windows and sizing them (pure logic, no network).

All times here are naive wall-clock times of the operation, at whole seconds: that is
what the API reads in ``date_ini``/``date_end`` and writes in ``date``. A window is
half-open, ``[start, end)``; it is requested as ``[start, end - 1 s]`` because the API
works at second resolution and may treat ``date_end`` as inclusive. Consecutive
windows therefore neither overlap nor leave a gap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tap_wolkvox.config import API_MAX_WINDOW_DAYS
from tap_wolkvox.dates import LocalDates
from tap_wolkvox.records import latest_dates, row_dates

_LOGGER = logging.getLogger("tap-wolkvox")
ONE_SECOND = dt.timedelta(seconds=1)
API_MAX_SPAN = dt.timedelta(days=API_MAX_WINDOW_DAYS)
# Share of the row cap an estimated window aims for: headroom for uneven traffic.
DENSITY_FILL = 0.9
# The fewest latest rows that estimate the density following a window: enough to keep
# the estimate within about 12 % (a Gamma(64) spread), few enough to see a burst end.
TAIL_ROWS = 64
# A silence this many mean gaps long would happen by chance once in e**10 (22,000)
# windows of steady traffic.
SILENCE_GAPS = 10


@dataclass(frozen=True, order=True)
class Window:
    """A half-open range ``[start, end)`` of wall-clock seconds."""

    start: dt.datetime
    end: dt.datetime

    @property
    def last_second(self) -> dt.datetime:
        """The inclusive end sent as ``date_end``."""
        return self.end - ONE_SECOND

    @property
    def span(self) -> dt.timedelta:
        """How long the window is."""
        return self.end - self.start

    def __str__(self) -> str:
        """Render as the API sees it."""
        return f"[{self.start:%Y-%m-%d %H:%M:%S} .. {self.last_second:%Y-%m-%d %H:%M:%S}]"


def floor_second(value: dt.datetime) -> dt.datetime:
    """Drop sub-second digits."""
    return value.replace(microsecond=0)


def next_month_start(value: dt.datetime) -> dt.datetime:
    """The first second of the calendar month after ``value``'s."""
    if value.month == 12:  # noqa: PLR2004
        return value.replace(year=value.year + 1, month=1, day=1, hour=0, minute=0, second=0)
    return value.replace(month=value.month + 1, day=1, hour=0, minute=0, second=0)


def clamp_window(
    start: dt.datetime,
    proposed_end: dt.datetime,
    range_end: dt.datetime,
    max_span: dt.timedelta = API_MAX_SPAN,
) -> Window:
    """The window from ``start`` that ends as near ``proposed_end`` as the rules allow.

    The rules: at least one second, at most ``max_span`` (itself at most 31 days), never
    past ``range_end``, never across a calendar month.
    """
    span = min(max_span, API_MAX_SPAN)
    end = min(
        max(proposed_end, start + ONE_SECOND),
        start + span,
        range_end,
        next_month_start(start),
    )
    return Window(start, end)


class WindowSizer:
    """Chooses each next window from what earlier windows showed about row density.

    * A window that came back under the cap sets the next size from the density of its
      latest rows (the best guess for what follows), aiming at ``DENSITY_FILL`` of the
      cap. After an empty window the size jumps to the largest allowed.
    * A capped window is fetched again in pieces. The rows it did return are real rows of
      that window, so their dates (the "sample") show where rows are: the next piece ends
      where the sample would reach the cap. If Wolkvox cuts off in date order, that piece
      is exact. If it cuts off anywhere else, a piece cut this way can come back capped
      too; each such repeat halves the share of the sample a piece may take, so the
      pieces converge on the true density.
    * Past the sample, the size comes from the density of the sample's latest rows.
    * A server time-out halves the size.
    """

    def __init__(self, max_records: int, max_span: dt.timedelta = API_MAX_SPAN) -> None:
        """Size windows for a cap of ``max_records``, starting at the largest allowed."""
        self.max_records = max_records
        self.max_span = min(max_span, API_MAX_SPAN)
        self.size = self.max_span
        self._sample: list[dt.datetime] = []
        self._share = 1.0  # of cap - 1 sample rows a guided piece may hold
        self._last_was_guided = False

    @property
    def target_rows(self) -> int:
        """Rows an estimated window aims to hold."""
        return max(1, int(self.max_records * DENSITY_FILL))

    def tail_rows(self, rows: int) -> int:
        """How many of a window's latest rows ``record_rows`` wants to see."""
        return max(TAIL_ROWS, rows // 4)

    def next_window(self, cursor: dt.datetime, range_end: dt.datetime) -> Window:
        """The window to fetch next, starting at ``cursor``."""
        proposed = cursor + self.size
        self._last_was_guided = False
        if self._sample and cursor > self._sample[-1]:
            self._sample = []  # the sample says nothing past its last row
        if self._sample:
            first = bisect.bisect_left(self._sample, cursor)
            allowed = max(1, int((self.max_records - 1) * self._share))
            cut = first + allowed
            if cut < len(self._sample):
                # End at the second of the first sample row that would not fit.
                proposed = floor_second(self._sample[cut])
                self._last_was_guided = True
        return clamp_window(cursor, proposed, range_end, self.max_span)

    def record_rows(self, window: Window, rows: int, latest: Sequence[dt.datetime]) -> None:
        """A window came back complete with ``rows`` rows; ``latest`` are its latest dates.

        ``latest`` is sorted and holds ``tail_rows(rows)`` dates (or all of them). The
        density of the latest quarter of the rows sizes the next window; where the last
        ``TAIL_ROWS`` rows disagree with it by more than twice, traffic has just changed
        (a burst began or ended) and they decide.
        """
        self._share = 1.0
        if rows == 0 or not latest:
            # Nothing says how dense what follows is; a wrong guess costs one capped
            # call, whose rows then guide the pieces, so guess big.
            self.size = self.max_span
            return
        since = window.start if rows <= len(latest) else floor_second(latest[0])
        broad = max(ONE_SECOND, window.end - since) * (self.target_rows / len(latest))
        recent = latest[-TAIL_ROWS:]
        near = max(ONE_SECOND, window.end - floor_second(recent[0])) * (
            self.target_rows / len(recent)
        )
        changed = near > 2 * broad or near < broad / 2
        size = near if changed and len(recent) < len(latest) else broad
        # A silence at the window's end ten times longer than the latest rows' mean gap
        # means traffic has stopped (a burst ended, night fell): size from the silence.
        silence = window.end - floor_second(latest[-1])
        mean_gap = (latest[-1] - recent[0]) / max(1, len(recent) - 1)
        if len(recent) >= 2 and silence > SILENCE_GAPS * max(mean_gap, ONE_SECOND):  # noqa: PLR2004
            size = max(size, silence * self.target_rows)
        self.size = self._bounded(size)

    def record_cap(self, window: Window, sample: Sequence[dt.datetime]) -> None:
        """A window came back at the cap; ``sample`` holds the dates of its rows."""
        if self._last_was_guided:
            self._share /= 2
        inside = sorted(floor_second(d) for d in sample if window.start <= d < window.end)
        self._sample = inside
        if inside and inside[-1] - window.start > window.span * 0.9:
            # The rows reach the window's end, so the cut-off was not in date order and
            # the window holds more rows than the sample: a piece of (almost) all of it
            # would come back capped again.
            self._share = min(self._share, 0.5)
        tail = inside[-TAIL_ROWS:]
        if len(tail) >= 2 and tail[-1] > tail[0]:  # noqa: PLR2004
            estimate = (tail[-1] - tail[0]) * (self.target_rows / len(tail))
        else:
            estimate = window.span / 2
        self.size = self._bounded(min(estimate, window.span / 2))

    def record_timeout(self, window: Window) -> None:
        """The server gave up on a window: try half as much."""
        self._sample = []
        self.size = self._bounded(window.span / 2)

    def _bounded(self, size: dt.timedelta) -> dt.timedelta:
        return max(ONE_SECOND, min(self.max_span, floor_timedelta(size)))


def floor_timedelta(value: dt.timedelta) -> dt.timedelta:
    """Drop sub-second digits of a duration."""
    return dt.timedelta(seconds=int(value.total_seconds()))


class WindowError(Exception):
    """A range could not be read completely; the message says why and what to do."""


@dataclass
class WalkTally:
    """What a walk over a range did, for the closing log line."""

    windows: int = 0
    rows: int = 0
    capped: int = 0
    timeouts: int = 0


Rows = Sequence[dict[str, Any]]


def read_windows(  # noqa: PLR0913
    start: dt.datetime,
    end: dt.datetime,
    sizer: WindowSizer,
    fetch: Callable[[Window], Rows | None],
    *,
    max_timeouts: int,
    filter_field: str,
    tally: WalkTally | None = None,
) -> Iterator[tuple[Window, Rows]]:
    """Yield every complete window of ``[start, end)`` with its rows, in time order.

    ``fetch`` returns a window's rows, or None when the server timed out. The API
    selects rows by their ``filter_field``, whose times guide the window sizes. A window with
    ``sizer.max_records`` rows or more may be cut off: it is never yielded, only split.
    Windows come back consecutive, so the end of the last one yielded is always safe to
    bookmark.

    Raises:
        WindowError: a one-second window at the cap, or too many time-outs in a row.
    """
    tally = tally if tally is not None else WalkTally()
    cursor = start
    timeouts_in_a_row = 0
    while cursor < end:
        window = sizer.next_window(cursor, end)
        rows = fetch(window)
        if rows is None:
            tally.timeouts += 1
            timeouts_in_a_row += 1
            if timeouts_in_a_row >= max_timeouts:
                msg = (
                    f"window {window} timed out {timeouts_in_a_row} times in a row; raise "
                    "request_timeout or try again when Wolkvox is less busy"
                )
                raise WindowError(msg)
            _LOGGER.warning("Window %s timed out; trying a smaller one", window)
            sizer.record_timeout(window)
            continue
        timeouts_in_a_row = 0
        if len(rows) >= sizer.max_records:
            if window.span <= ONE_SECOND:
                msg = (
                    f"window {window} (one second) returned {len(rows)} rows, at "
                    f"max_records_per_request={sizer.max_records}: rows may be cut off and no "
                    "smaller window exists; raise max_records_per_request (at most 60000) if "
                    "Wolkvox returns more rows per call"
                )
                raise WindowError(msg)
            tally.capped += 1
            _LOGGER.info("Window %s returned %d rows, at the cap: splitting it", window, len(rows))
            sizer.record_cap(window, row_dates(rows, filter_field))
            del rows  # not held during the next call: a capped answer is the largest
            continue
        latest = latest_dates(rows, sizer.tail_rows(len(rows)), filter_field)
        sizer.record_rows(window, len(rows), latest)
        tally.windows += 1
        tally.rows += len(rows)
        yield window, rows
        del rows  # the caller has them; the next call must not hold two answers at once
        cursor = window.end


# How far behind the server's own clock a bookmark stays: rows dated in the second the
# server is living through may still be written.
SERVER_CLOCK_MARGIN = dt.timedelta(seconds=2)


def sync_range(
    first_start: dt.datetime,
    end_date: dt.datetime | None,
    bookmark: dt.datetime | None,
    lookback: dt.timedelta,
    now: dt.datetime,
) -> tuple[dt.datetime, dt.datetime]:
    """The instants ``[start, end)`` a run reads.

    From ``first_start`` (the ``start_date``) on a first run, else from the bookmark
    minus ``lookback``; up to ``end_date`` or ``now``, whichever is earlier.
    """
    start = first_start if bookmark is None else max(first_start, bookmark - lookback)
    end = now if end_date is None else min(end_date, now)
    return start, end


def read_instants(  # noqa: PLR0913
    start: dt.datetime,
    end: dt.datetime,
    *,
    dates: LocalDates,
    sizer: WindowSizer,
    fetch: Callable[[Window], Rows | None],
    max_timeouts: int,
    filter_field: str,
    tally: WalkTally | None = None,
    server_clock: Callable[[], dt.datetime | None] = lambda: None,
) -> Iterator[tuple[Window, Rows, dt.datetime]]:
    """Yield the complete windows that hold ``[start, end)``, with rows and progress.

    Each window comes with its rows and the instant before which everything has now
    been read. The walk is over the wall-clock range of ``dates.wall_clock_range``. The instant
    yielded is never past ``end``, never past what the walk has certainly covered
    (repeated and skipped wall-clock hours), and never past the server's own clock
    (``server_clock``: its time when it received the window's call, when known) minus
    ``SERVER_CLOCK_MARGIN``, so a host clock that runs ahead cannot bookmark rows that do
    not exist yet.
    """
    first, last = dates.wall_clock_range(start, end)
    for window, rows in read_windows(
        first, last, sizer, fetch, max_timeouts=max_timeouts, filter_field=filter_field, tally=tally
    ):
        read_until = min(end, dates.covered_until(window.end))
        server = server_clock()
        if server is not None:
            read_until = min(read_until, server - SERVER_CLOCK_MARGIN)
        yield window, rows, read_until
        del rows
