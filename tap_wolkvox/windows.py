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
import itertools
import logging
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tap_wolkvox.config import API_MAX_WINDOW_DAYS
from tap_wolkvox.dates import LocalDates
from tap_wolkvox.density import Density, best_fill, normal_tail
from tap_wolkvox.records import row_dates, valid_date_texts

_LOGGER = logging.getLogger("tap-wolkvox")
ONE_SECOND = dt.timedelta(seconds=1)
API_MAX_SPAN = dt.timedelta(days=API_MAX_WINDOW_DAYS)
# How many bins of equal expected rows a capped sample is compared with the forecast in.
SAMPLE_BINS = 8
# What is left of a month after a window, as a share of its span, that it takes too.
STUB_SHARE = 0.02
# The first window of a stream with no history: long enough for a density, short enough
# to come back whole for most reports.
PROBE_SPAN = dt.timedelta(days=1)
PROBED_RANGE = dt.timedelta(days=7)
# The first piece of a capped window assumes this many times the estimated rows: a piece
# too small wastes part of a call, one too large wastes a whole call.
FIRST_PIECE_MARGIN = 1.3
# A piece that comes back capped held at least the cap where its sample said fewer: the
# scale grows by that ratio and this much more.
CAPPED_PIECE_GROWTH = 1.5
# A piece guided by a sample whose share was measured aims this full: the measure is
# good to a few percent once it rests on this many sample rows.
MEASURED_FILL = 0.93
MEASURING_ROWS = 400
# The latest sample rows that say how dense traffic is where the sample ends.
TAIL_ROWS = 64
# A cursor this many of the sample's mean gaps past its last row is past what it shows.
SILENCE_GAPS = 10
# Where a sample ends this many times denser than the forecast's rate, a burst is on.
BURST_RATE = 2.0
# Truncation orders a capped answer can show.
DATE_ORDER, RANDOM_ORDER = "date-order", "random"


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

    * Without a capped sample, the window ends where the forecast of ``Density``
      expects ``fill`` of the cap: a share chosen from how far the forecast misses
      (``density.best_fill``). What is left of the month (or range) is cut into
      the number of equal windows that costs fewest calls on average, overshoots
      counted: no stub at the month's end. With no history yet, the first window is one
      day (``PROBE_SPAN``).
    * A capped window is fetched again in pieces. Its rows (the "sample") are real rows
      of the window, so their dates show where rows are. If Wolkvox cuts off in date
      order, the sample is the window's first rows: a piece ending where the sample
      reaches the cap is exact. If it cuts off anywhere else, the sample is a share of
      the window's rows and each sample row stands for ``scale`` rows. The forecast,
      compared bin by bin with the sample (the median bin, so bursts aside), estimates
      that share; the first piece errs on the small side, and each completed piece
      measures the share. Where the sample runs to where the window must end anyway
      (the month's or range's end), the rows it shows still to read are cut in equal
      pieces, as few as hold them. A capped piece's own rows refine the sample inside it;
      the outer sample still guides past it.
    * Which order Wolkvox used is learned from the first piece: a piece placed as if in
      date order that comes back capped, or with more rows than its sample, shows it.
    * A server time-out halves the size.
    """

    def __init__(
        self,
        max_records: int,
        max_span: dt.timedelta = API_MAX_SPAN,
        density: Density | None = None,
        order: str | None = None,
    ) -> None:
        """Size windows for a cap of ``max_records`` from what ``density`` saw."""
        self.max_records = max_records
        self.max_span = min(max_span, API_MAX_SPAN)
        self.density = density if density is not None else Density()
        self.order = order  # DATE_ORDER, RANDOM_ORDER or None while unknown
        self._limit = self.max_span  # lowered by time-outs until a window comes back
        # Sample rows as (date, source): source indexes ``_scales``, the rows of the
        # window each sample row of that capped answer stands for.
        self._points: list[tuple[dt.datetime, int]] = []
        self._scales: list[float] = []
        self._guided: Window | None = None  # the last window the sample placed
        self._planned: Window | None = None  # the last window the forecast placed
        self._last_cap: Window | None = None  # the last window that came back capped
        self._by_tail = False  # whether the sample's latest rows placed the last window
        self._measured: set[int] = set()  # sources whose scale a completed piece measured
        self._sample_end: dt.datetime | None = None  # the end of the capped windows sampled

    @classmethod
    def from_state(cls, max_records: int, max_span: dt.timedelta, saved: object) -> WindowSizer:
        """A sizer that starts from what an earlier run kept (``to_state``), if anything."""
        saved_map = saved if isinstance(saved, dict) else {}
        order = saved_map.get("truncation")
        return cls(
            max_records,
            max_span,
            Density.from_state(saved_map.get("density")),
            order if order in (DATE_ORDER, RANDOM_ORDER) else None,
        )

    def to_state(self) -> dict[str, Any]:
        """What the next run should start from: the density seen, the order learned."""
        saved: dict[str, Any] = {"density": self.density.to_state()}
        if self.order is not None:
            saved["truncation"] = self.order
        return saved

    def fill(self, least_spread: float = 0.0) -> float:
        """The share of the cap a forecast window aims at; ``least_spread`` floors its spread."""
        spread = max(self.density.error_spread(self.max_records), least_spread)
        return best_fill(spread, self._overshoot_cost())

    def _overshoot_cost(self) -> float:
        # After an overshoot in date order the next piece is exact: the cap costs one call.
        # In any other order the pieces must find the scale too.
        return 1.0 if self.order == DATE_ORDER else 1.5

    def next_window(self, cursor: dt.datetime, range_end: dt.datetime) -> Window:
        """The window to fetch next, starting at ``cursor``."""
        limit = min(range_end, cursor + self._limit)
        self._guided = self._planned = None
        self._by_tail = False
        proposed = self._sample_cut(cursor, limit)
        if proposed is None:
            proposed = self._forecast_end(cursor, limit)
        capped = self._last_cap
        if capped is not None and capped.start == cursor and proposed >= capped.end:
            # Nothing placed a smaller window than the one that just came back capped
            # (say its rows share one second): halve it, so the walk always ends.
            proposed = cursor + max(ONE_SECOND, floor_timedelta(capped.span / 2))
        window = self._without_stub(
            clamp_window(cursor, floor_second(proposed), limit, self.max_span), limit
        )
        if self._guided is not None:
            self._guided = window
        elif not self._by_tail:
            self._planned = window  # only these test the forecast
        return window

    def _latest_end(self, cursor: dt.datetime, limit: dt.datetime) -> dt.datetime:
        """Where a window from ``cursor`` must end at the latest.

        ``limit`` is the range's end (or a time-out's); the month's end and ``max_span``.
        """
        return clamp_window(cursor, limit, limit, self.max_span).end

    def _without_stub(self, window: Window, limit: dt.datetime) -> Window:
        """``window``, or it stretched to the month's (or range's) end when only a stub is left.

        A stub a few minutes long costs a whole call for a handful of rows; the window
        takes them when the sample there (or, without one, the forecast) puts no more
        than a few per cent of the cap in them. Never a date-order piece: it holds the
        cap less one row already.
        """
        end = self._latest_end(window.start, limit)
        if window.end >= end or end - window.end > window.span * STUB_SHARE:
            return window
        capped = self._last_cap
        if capped is not None and capped.start == window.start and end >= capped.end:
            return window  # never back to a window known to come back capped
        sources, expected = self._sources_in(Window(window.end, end))
        if any(self._scales[source] == 1 for source in sources):
            return window
        if not sources:
            name = self.density.chosen()
            forecast = self.density.forecast(window.end, end, name) if name else None
            if forecast is None:
                return window
            expected = forecast
        if expected > STUB_SHARE * self.max_records:
            return window
        return Window(window.start, end)

    def _forecast_end(self, cursor: dt.datetime, limit: dt.datetime) -> dt.datetime:
        """Where the forecast expects ``fill`` of the cap; ``limit`` when worth the risk."""
        name = self.density.chosen()
        if name is None:
            # Nothing read yet. Before a long range, one day shows the density at the
            # cost of at most one call, where a capped month would leave the sample's
            # scale unknown; a short range is read whole.
            return cursor + PROBE_SPAN if limit - cursor > PROBED_RANGE else limit
        limit = self._latest_end(cursor, limit)
        end = self.density.end_for(cursor, self.fill() * self.max_records, limit)
        if end is None or end >= limit:
            return limit
        expected = self.density.forecast(cursor, limit, name) or 0.0
        # The rest of the month or range takes some whole number of calls: aim at an
        # equal share of it, the number of windows that costs least on average, rather
        # than full windows and a stub at the end.
        windows = self._windows_for(expected)
        if windows <= 1:
            return limit
        return self.density.end_for(cursor, expected / windows, limit) or end

    def _windows_for(self, expected: float) -> int:
        """How many equal windows ``expected`` rows cost least in, overshoots counted."""
        cost = self._overshoot_cost()
        most = max(1, math.ceil(expected / (self.fill() * self.max_records)))

        def average_calls(count: int) -> float:
            share = max(expected / count, 1.0)
            spread = self.density.error_spread(share)
            p = normal_tail(math.log(self.max_records / share) / spread)
            return count * (1 + cost * p)

        fewest = max(1, math.ceil(expected / self.max_records))
        return min(range(fewest, max(fewest, most) + 1), key=average_calls)

    def _sample_cut(self, cursor: dt.datetime, limit: dt.datetime) -> dt.datetime | None:
        """The end of a piece the sample places from ``cursor``; None past the sample.

        ``limit`` is the range's end, or a time-out's, whichever is earlier.
        """
        if not self._points:
            return None
        first = bisect.bisect_left(self._points, (cursor, -1))
        # A sample not yet known to be a share of its window is taken as its first rows.
        as_date_order = self.order == DATE_ORDER or (
            self.order is None
            and first < len(self._points)
            and self._scales[self._points[first][1]] == 1
        )
        if as_date_order:
            target = self.max_records - 1.0
        elif first < len(self._points) and self._points[first][1] in self._measured:
            # A random share: each sample row stands for the same number of rows all over
            # its window, and a completed piece measured that number to a few percent.
            target = MEASURED_FILL * self.max_records
            hard_end = self._latest_end(cursor, limit)
            sources = (
                [source for _, source in self._points[first:]]
                if self._sample_end is not None and self._sample_end >= hard_end
                else []
            )
            if sources and self._measured.issuperset(sources):
                # The sample shows every row left before the window must end anyway, each
                # row's share measured: as few pieces at 93 % as hold them, cut equal,
                # rather than full ones and a stub (a stub's few rows ride along).
                rows = sum(self._scales[source] for source in sources)
                count = math.ceil((rows - STUB_SHARE * self.max_records) / target)
                if count <= 1:
                    self._guided = Window(cursor, hard_end)
                    return hard_end
                target = rows / count
        else:
            target = self.fill() * self.max_records
        total = 0.0
        for date, source in itertools.islice(self._points, first, None):
            total += self._scales[source]
            if total > target and date > cursor:
                self._guided = Window(cursor, date)
                return date
        return self._past_sample(cursor, limit, total)

    def _past_sample(
        self, cursor: dt.datetime, limit: dt.datetime, total: float
    ) -> dt.datetime | None:
        """Where to end a window that starts at the sample's end, or None for the forecast.

        The sample's latest rows say how dense traffic is where it ends (a burst may
        still be on), which the forecast from history cannot know. ``total`` rows of the
        sample lie after ``cursor``.
        """
        tail = self._points[-TAIL_ROWS:]
        scales = self._scales
        self._forget_sample()
        if len(tail) < 2 or tail[-1][0] <= tail[0][0]:  # noqa: PLR2004
            return None
        last, span = tail[-1][0], tail[-1][0] - tail[0][0]
        if cursor - last > SILENCE_GAPS * span / (len(tail) - 1):
            return None  # long past the sample's end: it says nothing about here
        rate = sum(scales[source] for _, source in tail) / span.total_seconds()
        if rate * 3600 < BURST_RATE * self.density.flat_rate():
            fill = self.fill()
            if last <= cursor or total < self.max_records * (1 - fill):
                return None
            # Rows the sample still holds past the cursor (a burst that ended inside its
            # window) count: the forecast adds the rest from where the sample ends.
            room = max(0.0, fill * self.max_records - total)
            end = self.density.end_for(last, room, self._latest_end(cursor, limit))
            self._by_tail = end is not None
            return end
        self._by_tail = True
        # A rate from the sample's last rows is good to 1 / sqrt(their number) at best:
        # aim as a forecast that far off would.
        room = max(0.0, self.fill(1 / math.sqrt(len(tail))) * self.max_records - total)
        by_tail = max(cursor, last) + dt.timedelta(seconds=room / rate)
        by_forecast = self._forecast_end(cursor, limit)
        return max(cursor + ONE_SECOND, min(by_tail, by_forecast))

    def _sources_in(self, window: Window) -> tuple[list[int], float]:
        """Sources of the sample rows inside ``window``, and the rows they stand for."""
        low = bisect.bisect_left(self._points, (window.start, -1))
        high = bisect.bisect_left(self._points, (window.end, -1))
        sources = [source for _, source in self._points[low:high]]
        return sources, sum(self._scales[source] for source in sources)

    def _rescale(self, sources: Sequence[int], factor: float) -> None:
        for source in set(sources):
            self._scales[source] *= factor

    def record_rows(self, window: Window, dates: Sequence[str]) -> None:
        """A window came back complete; ``dates`` are its rows' API dates (filter field)."""
        self._limit = self.max_span
        if self._guided == window:
            sources, expected = self._sources_in(window)
            if sources and len(dates) > len(sources):
                # More rows than the sample held there: the sample is a share of them.
                self.order = RANDOM_ORDER
                self._rescale(sources, len(dates) / expected)
                if len(sources) >= MEASURING_ROWS:
                    self._measured.update(sources)
            elif sources and self.order is None:
                self.order = DATE_ORDER
                # Then the sample was the window's first rows, each standing for itself.
                self._scales = [1.0] * len(self._scales)
        self.density.record(window.start, window.end, dates, judge=self._planned == window)

    def record_cap(self, window: Window, sample: Sequence[dt.datetime]) -> None:
        """A window came back at the cap; ``sample`` holds the dates of its rows."""
        self._last_cap = window
        inside = sorted(floor_second(d) for d in sample if window.start <= d < window.end)
        if self._planned == window:
            # At least the cap: a lower bound, telling only where the forecast was lower.
            self.density.judge(window.start, window.end, self.max_records, at_least=True)
        if self._guided == window:
            sources, expected = self._sources_in(window)
            if self.order != RANDOM_ORDER and all(self._scales[s] == 1 for s in sources):
                self.order = RANDOM_ORDER  # a date-order piece cannot come back capped
            # The rows the piece was thought to hold were too few: grow the outer scales.
            self._rescale(sources, CAPPED_PIECE_GROWTH * self.max_records / max(expected, 1.0))
            self._measured.difference_update(sources)
            scale = 2.0
        elif self.order == DATE_ORDER or (
            self.order is None and inside and not self._reaches_end(window, inside)
        ):
            scale = 1.0  # the window's first rows (or looks like them)
        else:
            scale = FIRST_PIECE_MARGIN * self._estimated_scale(window, inside)
        low = bisect.bisect_left(self._points, (window.start, -1))
        high = bisect.bisect_left(self._points, (window.end, -1))
        source = len(self._scales)
        self._scales.append(scale)
        self._points[low:high] = [(date, source) for date in inside]
        if inside:
            self._sample_end = max(window.end, self._sample_end or window.end)

    def _reaches_end(self, window: Window, inside: Sequence[dt.datetime]) -> bool:
        """Whether the sample runs to the window's end, as a random cut-off's would."""
        gap = (inside[-1] - inside[0]) / max(1, len(inside) - 1)
        return window.end - inside[-1] <= max(SAMPLE_BINS * gap, window.span / 20)

    def _estimated_scale(self, window: Window, inside: Sequence[dt.datetime]) -> float:
        """Rows of ``window`` per sample row, from the forecast; at least 1.05."""
        name = self.density.chosen() or "flat"
        per_bin = window.span / SAMPLE_BINS
        active = self.density.active_rate * (per_bin / dt.timedelta(hours=1))
        ratios = []
        for number in range(SAMPLE_BINS):
            low = window.start + per_bin * number
            # Where the forecast is silent but traffic flowed before, expect that traffic.
            expected = max(self.density.forecast(low, low + per_bin, name) or 0.0, active)
            held = bisect.bisect_left(inside, low + per_bin) - bisect.bisect_left(inside, low)
            if held and expected > 0:
                ratios.append(held / expected)
        if not ratios:
            return 2.0  # nothing to compare with
        ratios.sort()
        share = ratios[len(ratios) // 2]  # sample rows per expected row, bursts aside
        return max(1.05, 1 / share)

    def _forget_sample(self) -> None:
        self._points, self._scales, self._measured = [], [], set()
        self._sample_end = None

    def record_timeout(self, window: Window) -> None:
        """The server gave up on a window: try half as much."""
        self._forget_sample()
        self._limit = max(ONE_SECOND, floor_timedelta(window.span / 2))


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
        sizer.record_rows(window, valid_date_texts(rows, filter_field))
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
