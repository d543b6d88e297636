"""What earlier windows showed about row density, and the forecast it gives (pure logic).

The history is the number of rows in each wall-clock hour of the last four weeks read,
kept contiguous: ``[since, until)``. Two forecasts come from it, and each window the
forecast placed scores both:

* *flat*: the mean hourly rate since the last silence, for steady or noisy traffic;
* *weekly*: the mean of the same hour of the week, for weekly and daily cycles.

Hours far above the history's busy hours (a burst) are clipped before forecasting: a
burst says nothing about the next week. How far the chosen forecast missed each whole day
of the history, divided by the root of a window's days, sets how full a window may be
planned (``fill``); the windows it placed choose the forecast. The state keeps the last
week of it (at most 169 numbers, ``STATE_MEMORY``), so a resumed backfill starts from what
the stopped one saw.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
# How far back the history goes: four weeks average out day-to-day noise and give the
# weekly forecast four samples of each hour of the week.
MEMORY = 4 * WEEK
# What the state keeps of it: a week, every hour of the week once.
STATE_MEMORY = WEEK
# More rows in an hour than any contact centre sends: a state saying so is damaged.
MOST_ROWS_AN_HOUR = 10_000_000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2200
HOURS_A_WEEK = 168
STATE_DATE = "%Y-%m-%d %H:%M:%S"
# An hour above this many times the busy hour at CLIP_QUANTILE of the history is a burst,
# clipped. Not the median hour: where nights and weekends are quiet (calls) it sits far
# below the weekday afternoons, and clipping at four times it cut a fifth of ordinary
# traffic, so every forecast ran low. The price: a burst filling more than a tenth of the
# busy hours (three hours of a first day read) is taken for traffic, and windows come out
# smaller than they could until it ages out. That costs calls, never rows.
BURST_FACTOR = 4.0
CLIP_QUANTILE = 0.9
# Hours without a row in a row that make a silence: traffic stopped, and what came before
# says nothing about how dense it is when it resumes.
SILENCE_HOURS = 48
# Or this many quiet hours where traffic would have brought this many rows: it stopped.
QUIET_HOURS = 2
STOPPED_ROWS = 100
# Judged windows in a row, both forecasts off the same way by more than SHIFT_ERROR (log
# scale: 35 %), that show traffic changed level (``_watch_for_shift``).
SHIFT_EVIDENCE = 3
SHIFT_ERROR = 0.3
# Recent errors each forecast is judged by.
ERROR_MEMORY = 12
# The fullest a forecast window is planned, however right the forecast has been: the
# next burst is never in the history.
MOST_FILL_PERCENT = 92
# The spread assumed before a forecast has been judged: about ±30 %.
PRIOR_SPREAD = 0.3
# Whole days of history, compared day by day with the forecast, that measure its spread
# (``day_spread``); with fewer, the judged windows' errors do. Six: the week a state keeps
# holds six whole days when it ends within a day, and a resumed backfill keeps the measure.
SPREAD_DAYS = 6
# A day is compared only when the forecast expected at least this many rows.
COMPARED_DAY_ROWS = 24
# A window is judged only when the forecast expected at least this many rows: counts of a
# few rows are noise.
JUDGED_ROWS = 50
FORECASTS = ("flat", "weekly")


def _floor_hour(value: dt.datetime) -> dt.datetime:
    return value.replace(minute=0, second=0, microsecond=0)


def normal_tail(z: float) -> float:
    """P(X > z) for a standard normal X."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def best_fill(spread: float, overshoot_cost: float) -> float:
    """The share of the cap a window should aim at, given the forecast's log errors.

    Errors ``log(actual / forecast)`` are taken as normal with mean 0 and standard
    deviation ``spread``. A window aiming at ``f`` of the cap reads about ``f`` of a
    call's worth, and with probability ``p(f)`` it overshoots and costs
    ``overshoot_cost`` more calls: minimise ``(1 + overshoot_cost * p(f)) / f``.
    """
    best, best_cost = 0.5, math.inf
    for percent in range(30, MOST_FILL_PERCENT + 1):
        fill = percent / 100
        p = normal_tail(math.log(1 / fill) / max(spread, 1e-3))
        cost = (1 + overshoot_cost * p) / fill
        if cost < best_cost:
            best, best_cost = fill, cost
    return best


@dataclass
class Density:
    """Hourly row counts of the last week read, and how well each forecast did."""

    since: dt.datetime | None = None
    until: dt.datetime | None = None
    hours: dict[dt.datetime, int] = field(default_factory=dict)
    errors: dict[str, deque[float]] = field(
        default_factory=lambda: {name: deque(maxlen=ERROR_MEMORY) for name in FORECASTS}
    )
    # Rows per hour while traffic last flowed: the scale when the week was silent.
    active_rate: float = 0.0
    _clip: float | None = None
    _resumed: tuple[dt.datetime | None] | None = None
    _flat: float | None = None
    _profile: list[float] | None = None
    # Per forecast: the robust spread of its day-by-day errors over the history, cached.
    _day_deviation: dict[str, float | None] = field(default_factory=dict)
    # Where traffic last changed level for good: the forecasts look no further back.
    regime_since: dt.datetime | None = None
    _shift_sign: int = 0
    _shift_start: dt.datetime | None = None
    _shift_count: int = 0

    # -- learning -----------------------------------------------------------------------

    def record(
        self, start: dt.datetime, end: dt.datetime, dates: Iterable[str], *, judge: bool = True
    ) -> None:
        """A window ``[start, end)`` came back whole; ``dates`` are its rows' API dates.

        Only the part after ``until`` is new (a lookback re-reads rows already counted).
        A window that leaves a gap after ``until`` or starts before ``since`` starts a new
        history. With ``judge``, the window scores the forecasts: only windows the
        forecast placed do, not pieces a capped sample placed inside a burst.
        """
        if self.until is None or self.since is None or start > self.until or start < self.since:
            self.since, self.until, self.hours = start, start, {}
            self._clip = self._flat = self._profile = None
            self._resumed = self.regime_since = None
            self._day_deviation = {}
        if end <= self.until:
            return
        low, high = self.until.strftime(STATE_DATE), end.strftime(STATE_DATE)
        counts = Counter(text[:13] for text in dates if low <= text < high)
        if judge:
            self.judge(self.until, end, sum(counts.values()))
        for text, count in counts.items():
            try:
                hour = dt.datetime.fromisoformat(text)  # naive wall-clock, as every API date
            except ValueError:
                continue  # "24:00:00" and the like: kept as rows, no use for a density
            self.hours[hour] = self.hours.get(hour, 0) + count
        self.until = end
        self._forget()

    def judge(
        self, start: dt.datetime, end: dt.datetime, actual: int, *, at_least: bool = False
    ) -> None:
        """Score both forecasts on ``[start, end)``, which held ``actual`` rows.

        With ``at_least`` it held that many or more (a capped answer): only a forecast
        below ``actual`` is scored, by that lower bound.

        Errors are clipped to a factor of e either way: a silence beginning or a burst
        says the traffic changed, not that the forecast is always that wrong.
        """
        signs = set()
        for name in FORECASTS:
            expected = self.forecast(start, end, name)
            if expected is None or expected < JUDGED_ROWS or (at_least and expected >= actual):
                continue
            error = max(-1.0, min(1.0, math.log((actual + 1) / (expected + 1))))
            self.errors[name].append(error)
            signs.add(0 if abs(error) <= SHIFT_ERROR else int(math.copysign(1, error)))
        self._watch_for_shift(start, signs)

    def _watch_for_shift(self, start: dt.datetime, signs: set[int]) -> None:
        """Start the history again where traffic changed level for good.

        ``SHIFT_EVIDENCE`` judged windows in a row that both forecasts (the weekly one
        usable, so a weekly cycle is not taken for a change) missed the same way by more
        than ``SHIFT_ERROR`` mean traffic rose or fell (a campaign began or ended): the
        weeks before say nothing about it, and would size windows wrongly until they aged
        out.
        """
        sign = next(iter(signs)) if len(signs) == 1 and self.usable("weekly") else 0
        if sign == 0 or sign != self._shift_sign:
            self._shift_sign, self._shift_start, self._shift_count = sign, start, 0
        if sign == 0:
            return
        self._shift_count += 1
        if self._shift_count >= SHIFT_EVIDENCE:
            self.regime_since = self._shift_start
            for name in FORECASTS:
                self.errors[name].clear()
            self._shift_sign, self._shift_count = 0, 0
            self._clip = self._flat = self._profile = None
            self._resumed = None
            self._day_deviation = {}

    def _forget(self) -> None:
        assert self.until is not None  # noqa: S101 - set by record
        oldest = _floor_hour(self.until - MEMORY)
        self.hours = {hour: count for hour, count in self.hours.items() if hour >= oldest}
        if self.since is not None and self.since < oldest:
            self.since = oldest
        self._clip = self._flat = self._profile = None
        self._resumed = None
        self._day_deviation = {}
        rate = self.flat_rate()
        if rate:
            self.active_rate = rate

    # -- forecasting --------------------------------------------------------------------

    def covered_hours(self) -> float:
        """How many hours the history covers."""
        if self.since is None or self.until is None:
            return 0.0
        return (self.until - self.since) / HOUR

    def _clipped(self, count: int) -> float:
        if self._clip is None:
            busy = sorted(c for c in self.hours.values() if c > 0)
            self._clip = BURST_FACTOR * busy[int(len(busy) * CLIP_QUANTILE)] if busy else 0.0
        return min(float(count), self._clip)

    def _traffic_since(self) -> dt.datetime | None:
        """Where traffic resumed after the history's last silence; None while silent."""
        if self._resumed is not None:
            return self._resumed[0]
        if self.since is None or self.until is None:
            return None
        first, hour, quiet = _floor_hour(self.since), _floor_hour(self.until - HOUR), 0
        resumed: dt.datetime | None = self.since
        while hour >= first:
            if self.hours.get(hour, 0):
                quiet = 0
            else:
                quiet += 1
                if quiet >= SILENCE_HOURS:
                    resumed = (
                        None if hour + HOUR * quiet >= self.until - HOUR else hour + HOUR * quiet
                    )
                    break
            hour -= HOUR
        if resumed is not None and resumed < self.since:
            resumed = self.since
        if resumed is not None and self.regime_since is not None:
            resumed = max(resumed, self.regime_since)
        if resumed is not None and self._stopped(resumed):
            resumed = None
        self._resumed = (resumed,)
        return resumed

    def _stopped(self, resumed: dt.datetime) -> bool:
        """Whether traffic stopped where the history ends, before SILENCE_HOURS tell.

        The history ends in QUIET_HOURS or more without a row, where the rate since
        ``resumed`` and the same hours a day and a week before (a centre closed at night
        or on Sundays) would all have brought STOPPED_ROWS or more: no lull is that
        quiet, and a stop seen a window earlier saves a call for an empty window.
        """
        assert self.until is not None  # noqa: S101 - set by the caller
        start = _floor_hour(resumed)
        quiet_start = _floor_hour(self.until - HOUR) + HOUR
        while quiet_start > start and not self.hours.get(quiet_start - HOUR, 0):
            quiet_start -= HOUR
        quiet = (_floor_hour(self.until - HOUR) + HOUR - quiet_start) / HOUR
        active = (quiet_start - start) / HOUR
        if quiet < QUIET_HOURS or active < QUIET_HOURS:
            return False
        rows = sum(self._clipped(c) for h, c in self.hours.items() if start <= h < quiet_start)
        expected = rows / active * quiet
        for back in (DAY, WEEK):
            # The same hours a day or a week before: a centre closed at night or on Sunday.
            before = quiet_start - back
            if self.since is not None and before >= self.since:
                expected = min(
                    expected, sum(self.hours.get(before + HOUR * n, 0) for n in range(int(quiet)))
                )
        return expected >= STOPPED_ROWS

    def flat_rate(self) -> float:
        """Rows per hour since the last silence, bursts clipped; 0 without history."""
        if self._flat is None:
            self._flat = self._rate_since_silence()
        return self._flat

    def _rate_since_silence(self) -> float:
        if self.covered_hours() <= 0:
            return 0.0
        rows, hours = self._flat_sums()
        return rows / hours if hours > 0 else 0.0

    def _flat_sums(self) -> tuple[float, float]:
        """Rows (bursts clipped) and hours read since traffic resumed; 0, 0 while silent."""
        since = self._traffic_since()
        if since is None or self.until is None:
            return 0.0, 0.0  # silent for two days or more: nothing says when it resumes
        first = _floor_hour(since)
        rows = sum(self._clipped(c) for h, c in self.hours.items() if h >= first)
        return rows, (self.until - since) / HOUR

    def _weekly_profile(self) -> list[float]:
        """Rows per hour for each hour of the week (Monday 00:00 first), cached.

        The mean of that hour over the weeks read since traffic last resumed; the flat
        rate where the history holds no such hour.
        """
        if self._profile is not None:
            return self._profile
        flat = self.flat_rate()
        totals, seen = self._weekly_sums()
        self._profile = [t / n if n else flat for t, n in zip(totals, seen, strict=True)]
        return self._profile

    def _weekly_sums(self) -> tuple[list[float], list[int]]:
        """Per hour of the week: rows (bursts clipped) and hours read since traffic resumed."""
        totals, seen = [0.0] * HOURS_A_WEEK, [0] * HOURS_A_WEEK
        since = self._traffic_since()
        if since is not None and self.until is not None:
            hour = _floor_hour(since)
            while hour + HOUR <= self.until:
                slot = _week_slot(hour)
                totals[slot] += self._clipped(self.hours.get(hour, 0))
                seen[slot] += 1
                hour += HOUR
        return totals, seen

    def _hour_rate(self, hour: dt.datetime, name: str) -> float:
        if name == "weekly":
            return self._weekly_profile()[_week_slot(hour)]
        return self.flat_rate()

    def _walk(
        self, start: dt.datetime, name: str
    ) -> Iterable[tuple[dt.datetime, dt.datetime, float]]:
        """Consecutive pieces ``[a, b)`` from ``start`` with the rows each is expected to hold."""
        cursor = start
        while True:
            hour = _floor_hour(cursor)
            piece_end = hour + HOUR
            rate = self._hour_rate(hour, name)
            yield cursor, piece_end, rate * ((piece_end - cursor) / HOUR)
            cursor = piece_end

    def usable(self, name: str) -> bool:
        """Whether forecast ``name`` can say anything yet."""
        if name == "weekly":
            return self.covered_hours() >= WEEK / HOUR - 1
        return self.covered_hours() >= 1

    def forecast(self, start: dt.datetime, end: dt.datetime, name: str) -> float | None:
        """Rows expected in ``[start, end)``, or None when the forecast cannot say."""
        if not self.usable(name):
            return None
        if name == "flat":
            return self.flat_rate() * max(0.0, (end - start) / HOUR)
        total = 0.0
        for a, b, rows in self._walk(start, name):
            if b >= end:
                return total + rows * ((end - a) / (b - a))
            total += rows
        return total  # pragma: no cover - the walk is endless

    def end_for(self, start: dt.datetime, rows: float, limit: dt.datetime) -> dt.datetime | None:
        """Where a window from ``start`` is expected to hold ``rows`` rows, before ``limit``.

        None when the forecast cannot say; ``limit`` when the rows do not come before it.
        """
        name = self.chosen()
        if name is None:
            return None
        if name == "flat":
            rate = self.flat_rate()
            return limit if rate <= 0 else min(limit, start + HOUR * (rows / rate))
        total = 0.0
        for a, b, expected in self._walk(start, name):
            if a >= limit:
                return limit
            if total + expected >= rows:
                share = (rows - total) / expected
                return min(limit, a + (b - a) * share)
            total += expected
        return limit  # pragma: no cover - the walk is endless

    def chosen(self) -> str | None:
        """The forecast with the smaller recent errors; None without history."""
        usable = [name for name in FORECASTS if self.usable(name)]
        if not usable:
            return None
        judged = [name for name in usable if len(self.errors[name]) >= 3]  # noqa: PLR2004
        if not judged:
            return usable[0]
        return min(judged, key=lambda name: _mean_square(self.errors[name]))

    def error_spread(self, rows: float | None = None) -> float:
        """The chosen forecast's error spread (log scale) for a window of ``rows`` rows.

        Once the history holds ``SPREAD_DAYS`` whole days since traffic last resumed, it
        comes from those days (``day_spread``): four weeks of days say more than the last
        dozen windows, and the spread of a window depends on how many days it spans.
        Before that, and without ``rows``, it is the judged windows' median deviation
        (``PRIOR_SPREAD`` before three).

        The forecast is taken as unbiased. The median of the judged windows' errors, once
        used to correct its level, mostly measured the forecast's youth (a first day's
        rate, wrong for a week after) and made up for peaks clipped as bursts; with those
        peaks kept, it moved nothing (benchmarks/README.md, part 7, fifth round).
        """
        spread = self.day_spread(rows) if rows is not None else None
        if spread is None:
            name = self.chosen()
            errors = list(self.errors[name]) if name else []
            spread = _robust_spread(errors) if len(errors) >= 3 else PRIOR_SPREAD  # noqa: PLR2004
        return max(0.03, spread)

    def day_spread(self, rows: float) -> float | None:
        """The spread (log scale) of the chosen forecast over a window of ``rows`` rows.

        Each whole day since traffic last resumed is compared with what the forecast
        expected of it; the median deviation of those log errors (bursts and odd days
        aside) is a day's spread, and a window of ``n`` days' worth of rows has ``1 /
        sqrt(n)`` of it, as busy and quiet days even out. None with fewer than
        ``SPREAD_DAYS`` days to compare.
        """
        name = self.chosen()
        rate = self.flat_rate()
        if name is None or rate <= 0:
            return None
        if name not in self._day_deviation:
            self._day_deviation[name] = self._day_deviation_of(name)
        deviation = self._day_deviation[name]
        if deviation is None:
            return None
        return deviation / math.sqrt(max(1.0, rows / (rate * 24)))

    def _day_deviation_of(self, name: str) -> float | None:
        """The median deviation of the log errors of forecast ``name``, day by day.

        Each day is compared with the forecast made without it: one made with it misses
        by less than the next day will (a week read once is its own weekly forecast).
        """
        since = self._traffic_since()
        if since is None or self.until is None:
            return None
        if name == "weekly":
            totals, seen = self._weekly_sums()

            def forecast_without(day: dt.datetime, clipped: list[float]) -> float:
                slots = [_week_slot(day + HOUR * n) for n in range(24)]
                if any(seen[slot] < 2 for slot in slots):  # noqa: PLR2004
                    return 0.0  # no other week to forecast it from
                pairs = zip(slots, clipped, strict=True)
                return sum((totals[slot] - own) / (seen[slot] - 1) for slot, own in pairs)

        else:
            rows, hours = self._flat_sums()

            def forecast_without(day: dt.datetime, clipped: list[float]) -> float:
                del day  # every hour alike
                return (rows - sum(clipped)) / (hours - 24) * 24 if hours > 24 else 0.0  # noqa: PLR2004

        day = since.replace(hour=0, minute=0, second=0, microsecond=0)
        if day < since:
            day += DAY
        errors = []
        while day + DAY <= self.until:
            counts = [self.hours.get(day + HOUR * n, 0) for n in range(24)]
            expected = forecast_without(day, [self._clipped(c) for c in counts])
            if expected >= COMPARED_DAY_ROWS:
                errors.append(math.log((sum(counts) + 1) / (expected + 1)))
            day += DAY
        if len(errors) < SPREAD_DAYS:
            return None
        return _robust_spread(errors)

    # -- state --------------------------------------------------------------------------

    def to_state(self) -> dict[str, Any]:
        """A JSON-ready summary to keep next to the bookmark: the last week of the history.

        A week keeps every hour of the week once (the weekly forecast) in at most 169
        numbers; the older weeks are left out to keep every STATE message small.
        """
        if self.since is None or self.until is None:
            return {}
        since = max(self.since, self.until - STATE_MEMORY, self.regime_since or self.since)
        first = _floor_hour(since)
        count = math.ceil((self.until - first) / HOUR)
        return {
            "since": since.strftime(STATE_DATE),
            "until": self.until.strftime(STATE_DATE),
            "hourly": [self.hours.get(first + HOUR * n, 0) for n in range(count)],
            # Whole numbers only: some targets read state numbers back as decimals.
            "errors_per_mille": {
                name: [round(e * 1000) for e in self.errors[name]] for name in FORECASTS
            },
            "active_rows_per_day": round(self.active_rate * 24),
        }

    @classmethod
    def from_state(cls, value: object) -> Density:
        """The density kept in state; an empty one when ``value`` is missing or unreadable.

        What a run learned only sizes windows: a damaged summary costs calls, never rows,
        so it is dropped rather than refused. Values no API could have produced (counts
        past ``MOST_ROWS_AN_HOUR``, dates outside 2000-2199) count as damage.
        """
        density = cls()
        if not isinstance(value, dict):
            return density
        try:
            since = dt.datetime.fromisoformat(value["since"])
            until = dt.datetime.fromisoformat(value["until"])
            hourly = [int(c) for c in value["hourly"]]
            errors = {
                name: [int(e) / 1000 for e in value["errors_per_mille"][name]] for name in FORECASTS
            }
            active = int(value.get("active_rows_per_day", 0)) / 24
        except (KeyError, TypeError, ValueError, ArithmeticError):
            return density
        plausible = (
            since.tzinfo is None
            and until.tzinfo is None
            and since.year >= EARLIEST_YEAR
            and until.year < LATEST_YEAR
            and since <= until
            and until - since <= STATE_MEMORY + HOUR
            and len(hourly) == math.ceil((until - _floor_hour(since)) / HOUR)
            and all(0 <= c <= MOST_ROWS_AN_HOUR for c in hourly)
            and 0 <= active <= MOST_ROWS_AN_HOUR
            and all(abs(e) <= 1 for name in FORECASTS for e in errors[name])
        )
        if not plausible:
            return density
        first = _floor_hour(since)
        density.since, density.until, density.active_rate = since, until, active
        density.hours = {first + HOUR * n: c for n, c in enumerate(hourly) if c}
        for name in FORECASTS:
            density.errors[name].extend(errors[name][-ERROR_MEMORY:])
        return density


def _robust_spread(values: list[float]) -> float:
    """The median deviation of ``values`` from their median, as a standard deviation.

    One burst or silence among them says the traffic changed once, not that every
    forecast is that uncertain: it does not move the figure.
    """
    ordered = sorted(values)
    middle = ordered[len(ordered) // 2]
    deviations = sorted(abs(value - middle) for value in ordered)
    return 1.4826 * deviations[len(deviations) // 2]


def _week_slot(hour: dt.datetime) -> int:
    return hour.weekday() * 24 + hour.hour


def _mean_square(values: Iterable[float]) -> float:
    items = list(values)
    return sum(v * v for v in items) / len(items)
