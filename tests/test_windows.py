"""Window planning and sizing: exhaustive and property-based, no network."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tap_wolkvox.windows import (
    API_MAX_SPAN,
    ONE_SECOND,
    WalkTally,
    Window,
    WindowError,
    WindowSizer,
    clamp_window,
    next_month_start,
    read_windows,
)

EPOCH = dt.datetime(2024, 1, 1)
moments = st.integers(min_value=0, max_value=3 * 366 * 86400).map(
    lambda s: EPOCH + dt.timedelta(seconds=s)
)
spans = st.integers(min_value=1, max_value=31).map(lambda d: dt.timedelta(days=d))


def assert_valid_cover(
    windows: list[Window], start: dt.datetime, end: dt.datetime, limit: dt.timedelta
) -> None:
    if start >= end:
        assert windows == []
        return
    assert windows[0].start == start
    assert windows[-1].end == end
    for before, after in itertools.pairwise(windows):
        assert before.end == after.start  # no gap, no overlap
    for window in windows:
        assert window.span >= ONE_SECOND
        assert window.span <= min(limit, API_MAX_SPAN)
        last = window.last_second
        assert (window.start.year, window.start.month) == (last.year, last.month)
        assert window.start.microsecond == window.end.microsecond == 0


def test_the_walk_probes_a_day_then_cuts_windows_at_month_ends() -> None:
    """With no rows, the real walk probes one day, then asks for the largest windows allowed."""
    got, calls, _ = walk([], dt.datetime(2026, 1, 30), dt.datetime(2026, 3, 2), 6000, "date-order")
    assert [str(window) for window, _rows in got] == [
        "[2026-01-30 00:00:00 .. 2026-01-30 23:59:59]",
        "[2026-01-31 00:00:00 .. 2026-01-31 23:59:59]",
        "[2026-02-01 00:00:00 .. 2026-02-28 23:59:59]",
        "[2026-03-01 00:00:00 .. 2026-03-01 23:59:59]",
    ]
    assert len(calls) == 4


def test_month_boundaries_include_december() -> None:
    assert next_month_start(dt.datetime(2025, 12, 31, 23, 59, 59)) == dt.datetime(2026, 1, 1)
    assert next_month_start(dt.datetime(2026, 2, 1)) == dt.datetime(2026, 3, 1)


def test_clamp_window_is_at_least_one_second() -> None:
    start = dt.datetime(2026, 1, 1)
    assert clamp_window(start, start, dt.datetime(2026, 2, 1)).end == start + ONE_SECOND


# -- walking a range against simulated data ---------------------------------------------


def simulated_fetch(
    dates: list[dt.datetime],
    cap: int,
    mode: str,
    calls: list[Window],
    timeouts: set[int] | None = None,
):
    rng = random.Random(5)
    texts = sorted(d.strftime("%Y-%m-%d %H:%M:%S") for d in dates)

    def fetch(window: Window):
        calls.append(window)
        if timeouts and len(calls) in timeouts:
            return None
        low = window.start.strftime("%Y-%m-%d %H:%M:%S")
        high = window.last_second.strftime("%Y-%m-%d %H:%M:%S")
        rows = [{"date": t, "n": i} for i, t in enumerate(texts) if low <= t <= high]
        if len(rows) > cap:
            rows = rows[:cap] if mode == "date-order" else rng.sample(rows, cap)
        return rows

    return fetch


def walk(dates, start, end, cap, mode, span=API_MAX_SPAN, timeouts=None):
    calls: list[Window] = []
    fetch = simulated_fetch(dates, cap, mode, calls, timeouts)
    tally = WalkTally()
    got = list(
        read_windows(
            start,
            end,
            WindowSizer(cap, span),
            fetch,
            max_timeouts=5,
            filter_field="date",
            tally=tally,
        )
    )
    return got, calls, tally


row_sets = st.lists(moments, min_size=0, max_size=400)


@given(
    row_sets,
    moments,
    moments,
    st.sampled_from(["date-order", "random"]),
    st.integers(min_value=2, max_value=60),
    spans,
)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_row_is_read_exactly_once(dates, a, b, mode, cap, span) -> None:
    start, end = min(a, b), max(a, b)
    # Keep any one second under the cap, as the API contract requires for completeness.
    dates = [d for d in dates if sum(1 for e in dates if e == d) < cap]
    got, calls, _ = walk(dates, start, end, cap, mode, span)
    windows = [window for window, _ in got]
    assert_valid_cover(windows, start, end, span)
    read = sorted(row["date"] for _, rows in got for row in rows)
    expected = sorted(d.strftime("%Y-%m-%d %H:%M:%S") for d in dates if start <= d < end)
    assert read == expected
    for window in calls:  # every call, capped or not, obeys the API's limits
        assert window.span <= API_MAX_SPAN
        assert (window.start.year, window.start.month) == (
            window.last_second.year,
            window.last_second.month,
        )


def burst_data(seed: int = 3) -> list[dt.datetime]:
    rng = random.Random(seed)
    start = dt.datetime(2026, 1, 1)
    quiet = [start + dt.timedelta(seconds=rng.randrange(120 * 86400)) for _ in range(6000)]
    burst_start = dt.datetime(2026, 3, 10, 10)
    burst = [burst_start + dt.timedelta(seconds=rng.randrange(7200)) for _ in range(15000)]
    return quiet + burst


@pytest.mark.parametrize("mode", ["date-order", "random"])
def test_burst_backfill_is_exact_and_frugal(mode: str) -> None:
    dates = burst_data()
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
    got, calls, tally = walk(dates, start, end, 6000, mode)
    assert sum(len(rows) for _, rows in got) == len(dates)
    assert tally.capped >= 1
    # 4 months and a 15,000-row burst need at least 6 calls: a probe day, the capped month
    # and a piece that meets the burst's end cost the rest.
    assert len(calls) <= 10, [
        (str(c), len([d for d in dates if c.start <= d < c.end])) for c in calls
    ]


def test_an_empty_range_makes_no_call() -> None:
    start = dt.datetime(2026, 1, 1)
    got, calls, _ = walk([], start, start, 10, "date-order")
    assert got == []
    assert calls == []


def test_timeouts_shrink_the_window() -> None:
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)
    got, calls, tally = walk([start], start, end, 10, "date-order", timeouts={1, 2})
    assert tally.timeouts == 2
    assert calls[1].span == calls[0].span / 2
    assert calls[2].span == calls[1].span / 2
    assert got[-1][0].end == end


def test_timeouts_in_a_row_give_up() -> None:
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1)
    with pytest.raises(WindowError, match="timed out 5 times in a row"):
        walk([], start, end, 10, "date-order", timeouts={1, 2, 3, 4, 5})


def test_a_capped_one_second_window_is_an_error_not_a_loss() -> None:
    moment = dt.datetime(2026, 1, 5, 12)
    with pytest.raises(WindowError, match=r"one second.*raise max_records_per_request"):
        walk([moment] * 10, dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1), 10, "random")


def test_empty_windows_are_yielded_so_state_can_advance() -> None:
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2026, 4, 1)
    got, calls, _ = walk([], start, end, 10, "date-order")
    assert [rows for _, rows in got] == [[], [], [], []]  # the probe day, then months
    assert len(calls) == 4


def test_empty_windows_grow_to_the_largest_allowed() -> None:
    sizer = WindowSizer(6000)
    start = dt.datetime(2026, 1, 1)
    sizer.record_rows(Window(start, start + dt.timedelta(days=1)), [])
    window = sizer.next_window(start + dt.timedelta(days=1), dt.datetime(2026, 6, 1))
    assert window.end == dt.datetime(2026, 2, 1)  # the month's end: nothing says otherwise


def texts(start: dt.datetime, count: int, gap: dt.timedelta) -> list[str]:
    return [(start + gap * n).strftime("%Y-%m-%d %H:%M:%S") for n in range(count)]


def test_the_next_window_aims_below_the_cap_at_the_density_seen() -> None:
    sizer = WindowSizer(6000)
    start = dt.datetime(2026, 1, 1)
    day = Window(start, start + dt.timedelta(days=1))
    sizer.record_rows(day, texts(start, 1440, dt.timedelta(minutes=1)))  # 1 row a minute
    window = sizer.next_window(day.end, dt.datetime(2026, 6, 1))
    minutes = window.span / dt.timedelta(minutes=1)
    assert 0.5 * 6000 < minutes < 6000  # some headroom, not too much


def test_a_damaged_sizing_state_is_dropped_not_trusted() -> None:
    for saved in (
        None,
        "x",
        {"density": {"since": 5}},
        {
            "density": {
                "since": "2026-01-01 00:00:00+00:00",
                "until": "2026-01-02 00:00:00",
                "hourly": [],
                "errors": {},
            }
        },
        {"truncation": "sideways"},
    ):
        sizer = WindowSizer.from_state(6000, API_MAX_SPAN, saved)
        assert sizer.order is None
        assert sizer.density.chosen() is None  # as a first run: the probe day
        start = dt.datetime(2026, 1, 1)
        assert sizer.next_window(start, dt.datetime(2026, 3, 1)).span == dt.timedelta(days=1)


def test_what_a_sizer_learned_survives_in_its_state() -> None:
    sizer = WindowSizer(6000)
    start = dt.datetime(2026, 1, 1)
    sizer.record_rows(
        Window(start, start + dt.timedelta(days=1)), texts(start, 1440, dt.timedelta(minutes=1))
    )
    sizer.order = "random"
    saved = json.loads(json.dumps(sizer.to_state()))
    again = WindowSizer.from_state(6000, API_MAX_SPAN, saved)
    assert again.order == "random"
    cursor, end = start + dt.timedelta(days=1), dt.datetime(2026, 6, 1)
    assert again.next_window(cursor, end) == sizer.next_window(cursor, end)


class ChaoticSizer(WindowSizer):
    """Any sizing policy at all: random windows, shrinking only after a capped answer."""

    def __init__(self, max_records: int, rng: random.Random) -> None:
        super().__init__(max_records)
        self.rng = rng
        self.capped: Window | None = None

    def next_window(self, cursor: dt.datetime, range_end: dt.datetime) -> Window:
        most = API_MAX_SPAN.total_seconds()
        if self.capped is not None and self.capped.start == cursor:
            most = self.capped.span.total_seconds() - 1  # the walk must end somewhere
        seconds = self.rng.randint(1, max(1, int(most)))
        return clamp_window(cursor, cursor + dt.timedelta(seconds=seconds), range_end)

    def record_rows(self, window: Window, dates) -> None:  # noqa: ARG002
        self.capped = None

    def record_cap(self, window: Window, sample) -> None:  # noqa: ARG002
        self.capped = window


@given(
    st.lists(st.integers(0, 75 * 86400), max_size=300),
    moments,
    st.sampled_from(["date-order", "random"]),
    st.integers(2, 30),
    st.integers(0, 2**32),
)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_sizing_policy_reads_every_row_exactly_once(offsets, start, mode, cap, seed) -> None:
    """Exactness rests on the walk, not on the sizing: chaotic windows lose nothing either."""
    end = start + dt.timedelta(days=75)
    dates = [start + dt.timedelta(seconds=s) for s in offsets]
    dates = [d for d in dates if sum(1 for e in dates if e == d) < cap]
    calls: list[Window] = []
    got = list(
        read_windows(
            start,
            end,
            ChaoticSizer(cap, random.Random(seed)),
            simulated_fetch(dates, cap, mode, calls),
            max_timeouts=5,
            filter_field="date",
        )
    )
    assert_valid_cover([window for window, _ in got], start, end, API_MAX_SPAN)
    read = sorted(row["date"] for _, rows in got for row in rows)
    assert read == sorted(d.strftime("%Y-%m-%d %H:%M:%S") for d in dates if start <= d < end)


def test_a_date_no_clock_has_is_read_not_fatal() -> None:
    start = dt.datetime(2026, 1, 5)
    rows = [{"date": "2026-01-05 10:00:00"}, {"date": "2026-01-05 24:00:00"}]
    got = list(
        read_windows(
            start,
            start + dt.timedelta(days=2),
            WindowSizer(6000),
            lambda _window: rows,
            max_timeouts=3,
            filter_field="date",
        )
    )
    assert [len(rows) for _, rows in got] == [2]


# -- what the sizing does with what it saw (each test below failed on the policy before) --

MINUTE = dt.timedelta(minutes=1)


def minute_sizer(start: dt.datetime) -> WindowSizer:
    """A sizer that read one day of one row a minute before ``start``."""
    sizer = WindowSizer(6000)
    day = Window(start - dt.timedelta(days=1), start)
    sizer.record_rows(day, texts(day.start, 1440, MINUTE))
    return sizer


def test_the_rest_of_a_month_is_cut_in_equal_windows_not_a_full_one_and_a_stub() -> None:
    month_end = dt.datetime(2026, 2, 1)
    cursor = month_end - 7000 * MINUTE  # 7,000 rows left: two calls whatever is done
    window = minute_sizer(cursor).next_window(cursor, dt.datetime(2026, 6, 1))
    assert abs(window.span / MINUTE - 3500) <= 35  # half of it, not 75 % of the cap
    # What fits in one call with little risk is taken in one call.
    cursor = month_end - 3000 * MINUTE
    assert minute_sizer(cursor).next_window(cursor, dt.datetime(2026, 6, 1)).end == month_end


def test_a_date_order_sample_taken_for_a_share_counts_each_row_once_when_found_out() -> None:
    """A window just over the cap, cut off in date order, looks like a random share (its
    sample reaches the window's end); once its first piece shows date order, the rest of
    the sample stands for itself, and the next window is sized on that."""
    start = dt.datetime(2026, 1, 10)
    sizer = minute_sizer(start)
    capped = Window(start, start + 6050 * MINUTE)
    sizer.record_cap(capped, [start + MINUTE * n for n in range(6000)])  # the first 6,000
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    assert capped.start < piece.end < capped.end
    sizer.record_rows(piece, texts(start, int(piece.span / MINUTE), MINUTE))
    assert sizer.order == "date-order"
    after = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
    # One row a minute (rows = minutes): it holds the share of the cap aimed at, each
    # sample row past the piece counted once, not as the 1.3 rows or more of a share.
    assert after.span / MINUTE >= 0.95 * sizer.fill() * 6000


def test_rows_a_random_sample_still_holds_past_its_first_piece_size_the_next_window() -> None:
    """A burst inside a capped window, cut off at random: past the first piece, the burst's
    share of the sample counts, so the next window does not meet it blind and overflow."""
    start = dt.datetime(2026, 1, 10)
    sizer = minute_sizer(start)
    capped = Window(start, start + dt.timedelta(days=3.5))
    burst = start + dt.timedelta(days=3)
    rows = [start + MINUTE * n for n in range(int(capped.span / MINUTE))]
    rows = sorted(rows + [burst + dt.timedelta(seconds=n % 3600) for n in range(2500)])
    sizer.record_cap(capped, random.Random(1).sample(rows, 6000))
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    assert piece.end < burst
    held = [d for d in rows if piece.start <= d < piece.end]
    sizer.record_rows(piece, [d.strftime("%Y-%m-%d %H:%M:%S") for d in held])
    after = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
    in_after = sum(1 for d in rows if after.start <= d < after.end) + max(
        0, int((after.end - capped.end) / MINUTE)
    )
    assert 0.5 * 6000 <= in_after < 6000  # the burst and the rest, under the cap


def test_a_measured_sample_that_runs_to_the_month_end_is_cut_in_equal_pieces() -> None:
    """A random sample of 13,000 rows up to the month's end: after the first piece measured
    its share, the rows left take two calls whatever is done. Two equal pieces keep both
    well under the cap, where one at 93 % and the rest would leave one piece at the edge."""
    month_end = dt.datetime(2026, 2, 1)
    minutes = 13_000
    start = month_end - minutes * MINUTE
    sizer = minute_sizer(start)
    rows = [start + MINUTE * n for n in range(minutes)]
    sizer.record_cap(Window(start, month_end), random.Random(5).sample(rows, 6000))
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    first = int(piece.span / MINUTE)
    sizer.record_rows(piece, texts(start, first, MINUTE))
    assert sizer.order == "random"
    held = []
    while piece.end < month_end:
        piece = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
        held.append(int(piece.span / MINUTE))
        sizer.record_rows(piece, texts(piece.start, held[-1], MINUTE))
    assert first + sum(held) == minutes
    assert len(held) == 2
    assert abs(held[0] - held[1]) <= 0.05 * max(held), held
    assert max(held) < 0.85 * 6000


def test_a_measured_sample_that_ends_inside_the_month_is_read_in_full_pieces() -> None:
    """The same sample ending mid-month: rows go on past it, so the piece that reaches its
    end takes the forecast's rows after it too, and pieces before it aim at 93 %."""
    start = dt.datetime(2026, 1, 3)
    minutes = 13_000
    sizer = minute_sizer(start)
    rows = [start + MINUTE * n for n in range(minutes)]
    capped = Window(start, start + minutes * MINUTE)
    sizer.record_cap(capped, random.Random(5).sample(rows, 6000))
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    sizer.record_rows(piece, texts(start, int(piece.span / MINUTE), MINUTE))
    piece = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
    assert abs(piece.span / MINUTE - 0.93 * 6000) <= 0.05 * 6000


def test_a_measured_sample_whose_rows_stop_before_the_month_end_is_read_in_one_piece() -> None:
    """The rows left fit one piece but stop three days before the month's end. The piece
    runs to the month's end: ending it where the forecast puts the room left would leave
    an empty window, a call for nothing."""
    month_end = dt.datetime(2026, 2, 1)
    start = month_end - 12_000 * MINUTE
    minutes = 9_000  # rows every minute, then none for the last 3,000 minutes
    sizer = minute_sizer(start)
    sizer.order = "random"  # known: a sample that stops short could pass for a date-order one
    rows = [start + MINUTE * n for n in range(minutes)]
    sizer.record_cap(Window(start, month_end), random.Random(5).sample(rows, 6000))
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    sizer.record_rows(piece, texts(start, int(piece.span / MINUTE), MINUTE))
    after = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
    assert after.end == month_end
    assert sum(1 for d in rows if after.start <= d < after.end) < 6000


def test_a_piece_that_would_leave_minutes_of_the_month_takes_them() -> None:
    """A random sample's second piece, aimed at 93 % of the cap, would end 80 rows
    (minutes) before the month's end, or 1: a call for a stub. The piece takes them
    instead (one piece holds what is left), and still holds fewer rows than the cap."""
    month_end = dt.datetime(2026, 2, 1)
    for minutes in (9000, 9200):
        start = month_end - minutes * MINUTE
        sizer = minute_sizer(start)
        capped = Window(start, month_end)
        rows = [start + MINUTE * n for n in range(minutes)]
        sizer.record_cap(capped, random.Random(3).sample(rows, 6000))
        piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
        sizer.record_rows(piece, texts(start, int(piece.span / MINUTE), MINUTE))
        assert sizer.order == "random"
        after = sizer.next_window(piece.end, dt.datetime(2026, 6, 1))
        assert after.end == month_end
        assert sum(1 for d in rows if after.start <= d < after.end) < 6000


def test_a_date_order_piece_is_not_stretched_over_its_last_minutes() -> None:
    """A date-order piece holds the cap less one row: the minutes it leaves before the
    month's end are a stub, but taking them would bring the piece back capped."""
    month_end = dt.datetime(2026, 2, 1)
    start = month_end - 6050 * MINUTE
    sizer = minute_sizer(start)
    sizer.order = "date-order"
    sizer.record_cap(Window(start, month_end), [start + MINUTE * n for n in range(6000)])
    piece = sizer.next_window(start, dt.datetime(2026, 6, 1))
    assert piece.end == start + 5999 * MINUTE  # 5,999 rows, 51 minutes before the end
