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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

ONE_SECOND = dt.timedelta(seconds=1)
API_MAX_SPAN = dt.timedelta(days=31)
# Share of the row cap an estimated window aims for: headroom for uneven traffic.
DENSITY_FILL = 0.8
# How many of a window's latest rows estimate the density that follows it: enough to
# keep the estimate within about 12 % (a Gamma(64) spread), few enough to see a burst end.
TAIL_ROWS = 64


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


def ceil_second(value: dt.datetime) -> dt.datetime:
    """Round up to the next whole second unless already whole."""
    whole = value.replace(microsecond=0)
    return whole if whole == value else whole + ONE_SECOND


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


def plan_windows(
    start: dt.datetime,
    end: dt.datetime,
    size: dt.timedelta,
    max_span: dt.timedelta = API_MAX_SPAN,
) -> Iterator[Window]:
    """Cut ``[start, end)`` into consecutive windows of at most ``size``.

    Both ends must be whole seconds; ``size`` at least one second.
    """
    cursor = start
    while cursor < end:
        window = clamp_window(cursor, cursor + size, end, max_span)
        yield window
        cursor = window.end


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

    def __init__(
        self,
        max_records: int,
        max_span: dt.timedelta = API_MAX_SPAN,
        initial: dt.timedelta | None = None,
    ) -> None:
        """Start at ``initial`` (default: the largest window allowed)."""
        self.max_records = max_records
        self.max_span = min(max_span, API_MAX_SPAN)
        self.size = min(initial or self.max_span, self.max_span)
        self._sample: list[dt.datetime] = []
        self._share = 1.0  # of cap - 1 sample rows a guided piece may hold
        self._last_was_guided = False

    @property
    def target_rows(self) -> int:
        """Rows an estimated window aims to hold."""
        return max(1, int(self.max_records * DENSITY_FILL))

    @property
    def tail_rows(self) -> int:
        """How many of a window's latest rows estimate the density that follows it."""
        return max(2, min(TAIL_ROWS, self.target_rows // 2))

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

        ``latest`` is sorted and holds at most ``tail_rows`` dates.
        """
        self._share = 1.0
        if rows == 0:
            # Nothing says how dense what follows is; a wrong guess costs one capped
            # call, whose rows then guide the pieces, so guess big.
            self.size = self.max_span
        elif rows <= len(latest) or not latest:
            self.size = self._bounded(window.span * (self.target_rows / rows))
        else:
            tail_span = max(ONE_SECOND, window.end - floor_second(latest[0]))
            self.size = self._bounded(tail_span * (self.target_rows / len(latest)))

    def record_cap(self, window: Window, sample: Sequence[dt.datetime]) -> None:
        """A window came back at the cap; ``sample`` holds the dates of its rows."""
        if self._last_was_guided:
            self._share /= 2
        inside = sorted(floor_second(d) for d in sample if window.start <= d < window.end)
        self._sample = inside
        tail = inside[-self.tail_rows :]
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
