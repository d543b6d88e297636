"""The sizing benchmark's yardsticks: the fewest calls and the told-rate reader."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from benchmarks import traffic
from benchmarks.run import fewest_calls, skewed_rows
from benchmarks.sizing import data_set, known_rate_calls, simulate

MARCH, APRIL = dt.datetime(2026, 3, 1), dt.datetime(2026, 4, 1)


def test_a_told_rate_reader_on_even_traffic_needs_the_fewest_calls() -> None:
    # One row a minute for 31 days: 44,640 rows, 8 windows of 5,580 under a 6,000 cap.
    minutes = [MARCH + dt.timedelta(minutes=n) for n in range(31 * 24 * 60)]
    assert fewest_calls(minutes, MARCH, APRIL, 6000) == 8
    assert known_rate_calls(minutes, MARCH, APRIL, 6000) == 8


def test_a_capped_window_costs_the_told_rate_reader_one_more_call() -> None:
    # Rows in the first 15 days only, told as a month's mean rate: each window of the
    # first half comes back capped and costs its call plus the exact piece after it.
    dates = [MARCH + dt.timedelta(minutes=n) for n in range(15 * 24 * 60)]
    fewest = fewest_calls(dates, MARCH, APRIL, 6000)
    assert fewest == 4
    assert known_rate_calls(dates, MARCH, APRIL, 6000) >= 2 * fewest


@pytest.mark.parametrize("number", [0, 1])
@pytest.mark.parametrize(("name", "make", "api"), traffic.BACKFILLS[:5])
def test_no_reader_beats_the_fewest(
    name: str, make: Callable[..., list[dt.datetime]], api: str, number: int
) -> None:
    del name, api  # all diagram_9: cap 6,000
    dates = data_set(make, number)
    assert known_rate_calls(dates, traffic.START, traffic.END, 6000) >= fewest_calls(
        dates, traffic.START, traffic.END, 6000
    )


def test_data_sets_differ() -> None:
    for _name, make, _api in traffic.BACKFILLS:
        first, second, third = (data_set(make, n) for n in range(3))
        assert first != second != third != first


@pytest.mark.parametrize("order", ["date-order", "random"])
def test_the_burst_backfill_of_part_2_costs_two_calls_over_the_fewest(order: str) -> None:
    """Part 2's four months: quiet weeks, two empty weeks, 15,000 rows in two hours. The
    capped month and the piece that meets the burst's end are the two extra calls. The
    piece after a date-order piece inside the burst is sized by the burst's rate from the
    sample's last 64 rows, good to about 1/8: aimed at 92 % of the cap, as a day forecast
    that good would allow, it came back capped (10 calls)."""
    dates = sorted(dt.datetime.fromisoformat(row["date"]) for row in skewed_rows())
    assert fewest_calls(dates, traffic.START, traffic.END, 6000) == 6
    calls, capped, _ = simulate(dates, 6000, order)  # it checks every row was read once
    assert calls <= 8, (calls, capped)
