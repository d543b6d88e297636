"""The density history and its forecasts: pure logic, no network."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from tap_wolkvox.density import MEMORY, Density, best_fill
from tap_wolkvox.windows import WindowSizer

START = dt.datetime(2026, 3, 2)  # a Monday
HOUR = dt.timedelta(hours=1)


def dates_at(hourly: list[int], start: dt.datetime = START) -> list[str]:
    """API dates with ``hourly[n]`` rows in hour ``n`` after ``start``."""
    out = []
    for number, count in enumerate(hourly):
        hour = start + HOUR * number
        out += [
            (hour + dt.timedelta(seconds=s)).strftime("%Y-%m-%d %H:%M:%S") for s in range(count)
        ]
    return out


def fed(hourly: list[int], days_per_window: int = 1) -> Density:
    density = Density()
    step = 24 * days_per_window
    for first in range(0, len(hourly), step):
        chunk = hourly[first : first + step]
        start = START + HOUR * first
        density.record(start, start + HOUR * len(chunk), dates_at(chunk, start))
    return density


def test_the_flat_forecast_is_the_mean_rate() -> None:
    density = fed([10] * 24 * 3)
    assert density.chosen() == "flat"  # a week is needed for the weekly one
    end = START + HOUR * 72
    assert density.forecast(end, end + HOUR * 5, "flat") == pytest.approx(50)
    assert density.end_for(end, 100, end + dt.timedelta(days=30)) == end + HOUR * 10


def test_a_burst_is_clipped_out_of_the_forecast() -> None:
    hourly = [10] * 24 * 3
    hourly[30] = 5000  # one hour of a campaign
    density = fed(hourly)
    end = START + HOUR * 72
    assert density.forecast(end, end + HOUR * 10, "flat") == pytest.approx(
        100 + 4 * 10 / 72 * 10 - 10 / 72 * 10, rel=0.05
    )


def test_the_busy_hours_of_a_cycle_are_not_clipped_as_bursts() -> None:
    """Calls: weekday afternoons at 30 times the nights, quiet weekends. The median hour
    is a night's; clipping at four times it cut most of the traffic, and every forecast
    ran low. A burst on top of the cycle is still clipped."""
    weekday = [2] * 7 + [60] * 10 + [2] * 7
    week = weekday * 5 + [2] * 24 * 2
    density = fed(week * 2)
    assert density.flat_rate() == pytest.approx(sum(week) / len(week))
    week[40] = 3000  # a campaign's hour, a Tuesday afternoon
    density = fed(week * 2)
    assert density.flat_rate() == pytest.approx((sum(week) - (3000 - 4 * 60)) / len(week))


def test_the_weekly_forecast_follows_quiet_weekends() -> None:
    week = [20] * 24 * 5 + [1] * 24 * 2
    density = fed(week * 3)
    monday = START + dt.timedelta(weeks=3)
    saturday = monday + dt.timedelta(days=5)
    assert density.forecast(saturday, saturday + dt.timedelta(days=2), "weekly") == pytest.approx(
        48
    )
    assert density.forecast(monday, monday + dt.timedelta(days=1), "weekly") == pytest.approx(480)
    # Judged on windows of each part of the week, the weekly forecast wins.
    for day in range(7):
        start = monday + dt.timedelta(days=day)
        density.record(
            start, start + dt.timedelta(days=1), dates_at(week[day * 24 : day * 24 + 24], start)
        )
    assert density.chosen() == "weekly"


def test_a_silence_is_not_averaged_into_the_rate_that_follows_it() -> None:
    density = fed([30] * 24 * 5 + [0] * 24 * 10 + [30] * 24 * 2)
    end = START + dt.timedelta(days=17)
    assert density.flat_rate() == pytest.approx(30)
    silent = fed([30] * 24 * 5 + [0] * 24 * 10)
    assert silent.flat_rate() == 0  # still silent: nothing says when traffic resumes
    assert 20 <= silent.active_rate <= 30  # about what it was when it flowed
    assert density.forecast(end, end + HOUR, "flat") == pytest.approx(30)


def test_a_lookback_re_read_is_not_counted_twice() -> None:
    density = fed([10] * 24)
    end = START + dt.timedelta(days=1)
    # The next run re-reads the last 15 minutes, then 5 new minutes.
    again = dates_at([10], end - HOUR)[-3:] + dates_at([2], end)
    density.record(end - dt.timedelta(minutes=15), end + dt.timedelta(minutes=5), again)
    assert sum(density.hours.values()) == 240 + 2


def test_the_history_keeps_four_weeks() -> None:
    density = fed([1] * 24 * 40, days_per_window=5)
    assert density.until is not None and density.since is not None
    assert density.until - density.since <= MEMORY + HOUR
    assert len(json.dumps(density.to_state())) < 4000  # small enough for every STATE


def test_the_state_round_trip_keeps_the_forecast() -> None:
    density = fed(([20] * 24 * 5 + [1] * 24 * 2) * 2)
    again = Density.from_state(json.loads(json.dumps(density.to_state())))
    later = START + dt.timedelta(weeks=2)
    for name in ("flat", "weekly"):
        assert again.forecast(later, later + dt.timedelta(days=3), name) == pytest.approx(
            density.forecast(later, later + dt.timedelta(days=3), name)
        )
    assert again.error_spread() == pytest.approx(density.error_spread(), abs=1e-3)


def saved_day(**changes: object) -> dict:
    """A plausible saved density of one day (24 hours), with ``changes`` applied."""
    saved = {
        "since": "2026-03-02 00:00:00",
        "until": "2026-03-03 00:00:00",
        "hourly": [5] * 24,
        "errors_per_mille": {"flat": [100, -50, 20], "weekly": []},
        "active_rows_per_day": 120,
    }
    saved.update(changes)
    return saved


def test_a_plausible_saved_day_is_used() -> None:
    assert Density.from_state(saved_day()).chosen() == "flat"


@pytest.mark.parametrize(
    "saved",
    [
        None,
        [],
        {"since": "2026-03-02 00:00:00"},
        saved_day(since=5),
        saved_day(until="x"),
        saved_day(since="2026-03-03 00:00:00", until="2026-03-02 00:00:00"),
        saved_day(since="2026-03-02 00:00:00+05:00"),
        saved_day(since="0001-01-01 00:00:00", until="0001-01-02 00:00:00"),
        saved_day(hourly=[5] * 23),
        saved_day(hourly=[-1] + [5] * 23),
        saved_day(hourly=[10**400] + [5] * 23),
        saved_day(hourly=[float("inf")] + [5] * 23),
        saved_day(active_rows_per_day="many"),
        saved_day(active_rows_per_day=float("inf")),
        saved_day(errors_per_mille={"flat": [10**6], "weekly": []}),
        saved_day(errors_per_mille={"flat": []}),
        saved_day(since="2026-02-02 00:00:00", hourly=[5] * (29 * 24)),  # over a week
    ],
)
def test_a_damaged_state_gives_an_empty_history(saved: object) -> None:
    assert Density.from_state(saved).chosen() is None


def test_hours_no_clock_has_are_skipped_not_fatal() -> None:
    density = Density()
    density.record(START, START + HOUR * 24, ["2026-03-02 10:00:00", "2026-03-02 24:00:00"])
    assert sum(density.hours.values()) == 1


def test_a_lasting_fall_in_traffic_restarts_the_history() -> None:
    busy = [600] * 24 * 14
    density = fed(busy, days_per_window=1)
    quiet_start = START + dt.timedelta(days=14)
    windows = 0
    cursor = quiet_start
    while density.regime_since is None and windows < 6:
        # Windows the forecast would plan, each holding a tenth of what it expects.
        end = cursor + dt.timedelta(hours=6)
        density.record(cursor, end, dates_at([6] * 6, cursor))
        cursor, windows = end, windows + 1
    assert density.regime_since == quiet_start  # after three windows, from the fall on
    assert density.flat_rate() == pytest.approx(6)


def test_windows_the_forecast_missed_one_way_do_not_move_the_fill() -> None:
    """A young forecast misses one way for a while (a quiet first day set its rate).
    The fill rests on how far it misses, not on which way it missed lately."""
    days = [40, 60, 50, 45, 55, 50, 52]
    hourly = [rate for rate in days for _ in range(24)][:-4]  # short of a week: flat only
    judged, unjudged = fed(hourly), fed(hourly)
    until = judged.until
    assert until is not None
    for number in range(3):  # three windows 20 % over the forecast, as after a quiet day
        start = until + dt.timedelta(days=number)
        expected = judged.forecast(start, start + dt.timedelta(days=1), "flat")
        assert expected is not None
        judged.judge(start, start + dt.timedelta(days=1), round(expected * 1.2))
    assert len(judged.errors["flat"]) == len(unjudged.errors["flat"]) + 3
    assert WindowSizer(6000, density=judged).fill() == WindowSizer(6000, density=unjudged).fill()


@pytest.mark.parametrize("spread", [0.05, 0.15, 0.3])
def test_the_fill_leaves_more_room_for_a_noisier_forecast(spread: float) -> None:
    fill = best_fill(spread, 1.5)
    assert 0.3 <= fill < 1
    assert best_fill(spread / 2, 1.5) > fill
    # The chance to overshoot at that fill stays modest.
    assert 0.5 * math.erfc(math.log(1 / fill) / spread / math.sqrt(2)) < 0.25


def test_traffic_that_stops_is_seen_before_two_days_pass() -> None:
    # 14 hours without a row where 30 an hour came: stopped, sized as a silence.
    assert fed([30] * 24 * 5 + [0] * 14).flat_rate() == 0
    # So are 2 hours where 60 an hour came: 120 rows would have come, none did.
    assert fed([60] * 24 * 5 + [0] * 2).flat_rate() == 0
    # 2 quiet hours (60 rows expected) may be a lull: the rate stands.
    assert fed([30] * 24 * 5 + [0] * 2).flat_rate() > 0


def test_a_centre_closed_at_night_is_not_taken_for_stopped_in_its_first_week() -> None:
    # Open 06:00 to 24:00; before a week is read, the night before says the same hours
    # were as quiet, where the day's rate would have brought 6 x 40 rows.
    day = [0] * 6 + [40] * 18
    density = fed(day * 3 + [0] * 6)
    assert density.flat_rate() > 0


def test_a_centre_closed_at_night_is_not_taken_for_stopped() -> None:
    # Open 08:00 to 20:00: each night is 12 quiet hours, as quiet as the week before.
    day = [0] * 8 + [40] * 12 + [0] * 4
    density = fed(day * 14 + [0] * 8)  # two weeks, then the night up to 08:00
    assert density.flat_rate() > 0


def noisy_days(days: int, hourly: int = 100, step: float = 0.1) -> list[int]:
    """Whole days at e^-2step, e^-step, 1, e^step and e^2step times ``hourly``, in turn."""
    out: list[int] = []
    for day in range(days):
        out += [round(hourly * math.exp(step * (day % 5 - 2)))] * 24
    return out


def test_the_spread_comes_from_whole_days_and_shrinks_with_the_window() -> None:
    density = fed(noisy_days(15))
    day = 24 * 100  # a day's rows
    # Days 0, 10 or 20 % off, each against the mean of the other 14 days: the median miss
    # is about 11 %, a spread of 1.4826 x 0.11.
    one_day = density.day_spread(day)
    assert one_day == pytest.approx(0.16, rel=0.1)
    # Four days even out: half of it; a few hours are a day's worth at least.
    assert density.day_spread(4 * day) == pytest.approx(one_day / 2, rel=0.02)
    assert density.day_spread(day / 6) == one_day
    # error_spread uses it for a window of that many rows, the windows' errors without.
    assert density.error_spread(4 * day) == pytest.approx(one_day / 2, rel=0.02)
    assert density.error_spread() != pytest.approx(one_day / 2, rel=0.1)


def test_a_burst_day_does_not_widen_the_spread() -> None:
    hourly = noisy_days(15)
    calm = fed(hourly).day_spread(2400)
    hourly[24 * 9 + 10 : 24 * 9 + 14] = [4000] * 4  # four hours of a campaign on day 10
    assert fed(hourly).day_spread(2400) == pytest.approx(calm, rel=0.25)


def test_the_spread_from_days_survives_the_state() -> None:
    # The state keeps a week: ending at 10:00, that is six whole days and two part days.
    density = fed(noisy_days(15) + [100] * 10)
    again = Density.from_state(json.loads(json.dumps(density.to_state())))
    spread = again.day_spread(2400)
    assert spread is not None
    assert spread == pytest.approx(density.day_spread(2400), rel=0.35)


def test_a_week_read_once_is_not_its_own_weekly_forecast() -> None:
    # Busy weekdays, quiet weekends, days 0-20 % off: the weekly forecast wins. A week kept
    # in state holds each hour of the week once; compared with itself it would never
    # miss (spread 0, windows planned 92 % full): with no other week, the windows'
    # errors give the spread.
    week = [100] * 24 * 5 + [10] * 24 * 2
    hourly = [round(c * math.exp(0.1 * (h // 24 % 5 - 2))) for h, c in enumerate(week * 3)]
    density = fed(hourly + [100] * 10)
    assert density.chosen() == "weekly"
    assert density.day_spread(2400) is not None
    again = Density.from_state(json.loads(json.dumps(density.to_state())))
    assert again.chosen() == "weekly"
    assert again.day_spread(2400) is None
    assert again.error_spread(2400) == again.error_spread()
    assert again.error_spread(2400) > 0.05


def test_the_spread_follows_the_history() -> None:
    density = fed(noisy_days(15))
    calm = density.day_spread(2400)
    end = START + dt.timedelta(days=15)
    wild = noisy_days(15, step=0.3)
    density.record(end, end + HOUR * len(wild), dates_at(wild, end))
    assert calm is not None
    wider = density.day_spread(2400)  # the 15 days 0-60 % off now count as well
    assert wider is not None
    assert wider > 1.5 * calm


def test_six_whole_days_since_a_silence_give_the_spread_fewer_do_not() -> None:
    assert fed(noisy_days(6)).day_spread(2400) is not None
    silent = noisy_days(10) + [0] * 24 * 3
    assert fed(silent + noisy_days(5)).day_spread(2400) is None
    assert fed(silent + noisy_days(6)).day_spread(2400) is not None


def test_before_six_whole_days_the_windows_errors_give_the_spread() -> None:
    density = fed(noisy_days(5))
    assert density.day_spread(2400) is None
    assert density.error_spread(2400) == density.error_spread()
