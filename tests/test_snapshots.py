"""Which days a summary stream reads and in which calls (``tap_wolkvox.snapshots``)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tap_wolkvox.snapshots import (
    DayWindow,
    calls_per_day,
    days_between,
    is_due,
    is_settled,
    plan_days,
    plan_windows,
    simulate_schedule,
)

TODAY = dt.date(2026, 3, 16)
NOW = dt.datetime(2026, 3, 16, 15, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def plan(
    *,
    bookmark: dt.date | None = None,
    first_day: dt.date = dt.date(2026, 3, 1),
    last_day: dt.date = TODAY,
    settle_days: int = 1,
    last_reads: dict[dt.date, dt.datetime] | None = None,
    now: dt.datetime = NOW,
    refresh: dt.timedelta = HOUR,
    many_days: bool = False,
) -> list[dt.date]:
    return plan_days(
        first_day=first_day,
        last_day=last_day,
        bookmark=bookmark,
        today=TODAY,
        settle_days=settle_days,
        last_reads=last_reads or {},
        now=now,
        refresh=refresh,
        many_days=many_days,
    )


def test_a_day_settles_once_settle_days_whole_days_have_passed_after_it() -> None:
    assert not is_settled(TODAY, TODAY, 0)
    assert is_settled(TODAY - dt.timedelta(days=1), TODAY, 0)
    assert not is_settled(TODAY - dt.timedelta(days=1), TODAY, 1)
    assert is_settled(TODAY - dt.timedelta(days=2), TODAY, 1)
    assert not is_settled(TODAY - dt.timedelta(days=3), TODAY, 3)
    assert is_settled(TODAY - dt.timedelta(days=4), TODAY, 3)


def test_an_unsettled_day_is_due_once_its_last_read_is_older_than_the_refresh() -> None:
    assert is_due(None, NOW, HOUR)
    assert not is_due(NOW - 58 * dt.timedelta(minutes=1), NOW, HOUR)
    # A minute's grace: an hourly refresh on a 5-minute schedule lands on the hour.
    assert is_due(NOW - 59 * dt.timedelta(minutes=1), NOW, HOUR)
    assert is_due(NOW - HOUR, NOW, HOUR)
    assert is_due(NOW, NOW, dt.timedelta(0))  # 0: every run


def test_a_first_run_reads_every_day_from_start_date_to_today() -> None:
    assert plan() == list(days_between(dt.date(2026, 3, 1), TODAY))


def test_days_after_the_bookmark_are_read_settled_always_and_unsettled_when_due() -> None:
    bookmark = TODAY - dt.timedelta(days=4)
    yesterday = TODAY - dt.timedelta(days=1)
    fresh = {yesterday: NOW - dt.timedelta(minutes=10), TODAY: NOW - dt.timedelta(minutes=10)}
    # The settled days after the bookmark are read; the unsettled ones, read 10 min ago, not.
    assert plan(bookmark=bookmark, last_reads=fresh) == [
        TODAY - dt.timedelta(days=3),
        TODAY - dt.timedelta(days=2),
    ]
    stale = {yesterday: NOW - 2 * HOUR, TODAY: NOW - dt.timedelta(minutes=10)}
    assert plan(bookmark=TODAY - dt.timedelta(days=2), last_reads=stale) == [yesterday]


def test_a_settled_day_read_while_unsettled_is_read_again_once_settled() -> None:
    # Read a minute ago, before it settled at midnight: its last totals may differ.
    day = TODAY - dt.timedelta(days=2)
    assert plan(bookmark=day - dt.timedelta(days=1), last_reads={day: NOW})[:1] == [day]


def test_nothing_after_the_last_day_or_today_is_read() -> None:
    assert plan(last_day=dt.date(2026, 3, 5)) == list(
        days_between(dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    )
    assert plan(bookmark=TODAY) == []  # settle_days 0 would have settled nothing later
    assert plan(first_day=TODAY + dt.timedelta(days=1)) == []


def test_daily_reports_read_the_later_days_in_the_same_call() -> None:
    # Yesterday is due, today was read 10 minutes ago: a daily report reads both at once.
    reads = {TODAY - dt.timedelta(days=1): NOW - 2 * HOUR, TODAY: NOW - dt.timedelta(minutes=10)}
    bookmark = TODAY - dt.timedelta(days=2)
    assert plan(bookmark=bookmark, last_reads=reads) == [TODAY - dt.timedelta(days=1)]
    assert plan(bookmark=bookmark, last_reads=reads, many_days=True) == [
        TODAY - dt.timedelta(days=1),
        TODAY,
    ]


def test_one_day_reports_read_one_day_per_call() -> None:
    days = list(days_between(dt.date(2026, 1, 30), dt.date(2026, 2, 2)))
    assert plan_windows(days, many_days=False, max_days=31) == [DayWindow(d, d) for d in days]


def test_daily_windows_never_cross_a_month_nor_a_gap_nor_the_largest_window() -> None:
    days = [
        *days_between(dt.date(2026, 1, 1), dt.date(2026, 2, 3)),
        *days_between(dt.date(2026, 2, 6), dt.date(2026, 2, 7)),
    ]
    assert plan_windows(days, many_days=True, max_days=31) == [
        DayWindow(dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        DayWindow(dt.date(2026, 2, 1), dt.date(2026, 2, 3)),
        DayWindow(dt.date(2026, 2, 6), dt.date(2026, 2, 7)),
    ]
    assert plan_windows(days[:10], many_days=True, max_days=4) == [
        DayWindow(dt.date(2026, 1, 1), dt.date(2026, 1, 4)),
        DayWindow(dt.date(2026, 1, 5), dt.date(2026, 1, 8)),
        DayWindow(dt.date(2026, 1, 9), dt.date(2026, 1, 10)),
    ]


def test_a_years_backfill_of_a_daily_report_costs_twelve_calls() -> None:
    days = list(days_between(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert len(plan_windows(days, many_days=True, max_days=31)) == 12
    assert len(plan_windows(days, many_days=False, max_days=31)) == 365


@given(
    days=st.lists(st.dates(dt.date(2024, 1, 1), dt.date(2026, 12, 31)), unique=True, max_size=80),
    many_days=st.booleans(),
    max_days=st.integers(1, 31),
)
def test_windows_read_every_day_exactly_once_within_the_limits(
    days: list[dt.date], *, many_days: bool, max_days: int
) -> None:
    ordered = sorted(days)
    windows = plan_windows(ordered, many_days=many_days, max_days=max_days)
    assert [day for window in windows for day in window.days] == ordered
    for window in windows:
        assert (window.first.year, window.first.month) == (window.last.year, window.last.month)
        assert len(window.days) <= (max_days if many_days else 1)


@pytest.mark.parametrize(
    ("many_days", "settle_days", "refresh", "expected"),
    [
        # one_day: today and yesterday each read once an hour, plus the day that settles.
        (False, 1, 60, 2 * 24 + 1),
        (False, 0, 60, 24 + 1),
        (False, 2, 60, 3 * 24 + 1),
        (False, 1, 0, 2 * 288 + 1),
        # daily: the unsettled days share one call an hour; the settled one rides along.
        (True, 1, 60, 24),
        (True, 1, 0, 288),
        (True, 1, 24 * 60, 1),
    ],
)
def test_calls_per_day_at_a_5_minute_schedule(
    *, many_days: bool, settle_days: int, refresh: int, expected: int
) -> None:
    assert (
        calls_per_day(many_days=many_days, settle_days=settle_days, refresh_minutes=refresh)
        == expected
    )


def test_a_day_that_settles_is_read_exactly_once_more_and_then_never() -> None:
    """Walk 10 days of 5-minute runs: each day's last read comes after it settled."""
    start = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    schedule = simulate_schedule(
        start=start,
        runs=10 * 288,
        run_every=dt.timedelta(minutes=5),
        first_day=dt.date(2026, 3, 1),
        settle_days=1,
        refresh=HOUR,
        many_days=False,
    )
    reads: dict[dt.date, list[dt.datetime]] = {}
    for now, windows in schedule:
        for window in windows:
            reads.setdefault(window.first, []).append(now)
    for day in days_between(dt.date(2026, 3, 1), dt.date(2026, 3, 8)):
        settled_at = dt.datetime.combine(day + dt.timedelta(days=2), dt.time(), dt.UTC)
        after = [instant for instant in reads[day] if instant >= settled_at]
        assert after == [settled_at]  # read once when it settled, never again
        assert len(reads[day]) == 2 * 24 + 1
