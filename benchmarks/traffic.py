"""Traffic shapes for the window-sizing benchmark: sorted wall-clock row times, no rows.

Each shape is deterministic for its seed and spans ``SPAN`` (four months). The rates are
chosen so that the fewest calls possible at the 6,000-row cap of diagram_9 is at least 20:
fewer, and one unforeseeable burst decides the ratio.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Callable

START, END = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
DAY = 86_400


def _day_rate(rng: random.Random, mean: float, noise: float) -> float:
    return mean * rng.uniform(1 - noise, 1 + noise)


def _spread(
    rng: random.Random, day: dt.datetime, count: int, hours: list[float]
) -> list[dt.datetime]:
    """``count`` moments on ``day``, drawn from the relative hourly weights ``hours``."""
    cumulative = []
    total = 0.0
    for weight in hours:
        total += weight
        cumulative.append(total)
    moments = []
    for _ in range(count):
        hour = bisect.bisect_left(cumulative, rng.random() * total)
        moments.append(day + dt.timedelta(seconds=hour * 3600 + rng.randrange(3600)))
    return moments


FLAT = [1.0] * 24
# Quiet nights, busy afternoons: an inbound contact centre's day.
DAILY = [
    0.1,
    0.05,
    0.05,
    0.05,
    0.1,
    0.3,
    0.8,
    2,
    3,
    3.5,
    3.5,
    3,
    2.5,
    3,
    4,
    4.5,
    4.5,
    4,
    3,
    2,
    1.2,
    0.8,
    0.4,
    0.2,
]


def _days(
    seed: int, per_day: Callable[[random.Random, dt.datetime], float], hours: list[float]
) -> list[dt.datetime]:
    rng = random.Random(seed)
    moments: list[dt.datetime] = []
    day = START
    while day < END:
        moments += _spread(rng, day, round(per_day(rng, day)), hours)
        day += dt.timedelta(days=1)
    return moments


def steady(seed: int = 1) -> list[dt.datetime]:
    """1,200 rows a day, each day's total drawn within ±40 %."""
    return sorted(_days(seed, lambda rng, _day: _day_rate(rng, 1_200, 0.4), FLAT))


def weekly(seed: int = 2) -> list[dt.datetime]:
    """1,600 rows a weekday (±20 %), 150 a weekend day."""

    def rate(rng: random.Random, day: dt.datetime) -> float:
        return _day_rate(rng, 150 if day.weekday() >= 5 else 1_600, 0.2)

    return sorted(_days(seed, rate, FLAT))


def daily(seed: int = 3) -> list[dt.datetime]:
    """1,200 rows a day (±20 %), quiet nights and busy afternoons."""
    return sorted(_days(seed, lambda rng, _day: _day_rate(rng, 1_200, 0.2), DAILY))


def bursts(seed: int = 4) -> list[dt.datetime]:
    """1,000 rows a day (±20 %) and five bursts of 10 to 50 times that rate, 2 to 10 h long.

    No reader going forward can foresee a burst: each costs at least one capped call.
    """
    rng = random.Random(seed)
    moments = _days(seed, lambda r, _day: _day_rate(r, 1_000, 0.2), FLAT)
    hourly = 1_000 / 24
    for number in range(5):
        begin = START + dt.timedelta(days=8 + number * 22 + rng.uniform(0, 6))
        hours = rng.uniform(2, 10)
        count = round(hourly * rng.uniform(10, 50) * hours)
        moments += [
            begin + dt.timedelta(seconds=rng.uniform(0, hours * 3600)) for _ in range(count)
        ]
    return sorted(m.replace(microsecond=0) for m in moments if m < END)


# Silences: a service paused over the holidays, a migration, a seasonal campaign's end.
EMPTY = (
    (dt.datetime(2026, 1, 9), dt.datetime(2026, 1, 25)),
    (dt.datetime(2026, 2, 19), dt.datetime(2026, 3, 14)),
    (dt.datetime(2026, 4, 3, 13), dt.datetime(2026, 4, 12, 9)),
)


def empty_stretches(seed: int = 5) -> list[dt.datetime]:
    """``steady`` at 1,600 a day with three long silences (16 days, 23 days, 9 days)."""
    moments = _days(seed, lambda rng, _day: _day_rate(rng, 1_600, 0.4), FLAT)
    return sorted(m for m in moments if not any(a <= m < b for a, b in EMPTY))


SHAPES: dict[str, Callable[[], list[dt.datetime]]] = {
    "steady ±40 %": steady,
    "weekly cycle": weekly,
    "daily cycle": daily,
    "bursts 10-50x": bursts,
    "empty stretches": empty_stretches,
}


def calls_traffic(seed: int = 6) -> list[dt.datetime]:
    """The calls report (cdr_1, 60,000-row cap): 9,000 calls a weekday (±20 %), quiet weekends."""

    def rate(rng: random.Random, day: dt.datetime) -> float:
        return _day_rate(rng, 1_500 if day.weekday() >= 5 else 9_000, 0.2)

    return sorted(_days(seed, rate, DAILY))


# Every backfill the sizing benchmarks run: (shape, its rows' times, report id).
BACKFILLS: list[tuple[str, Callable[[], list[dt.datetime]], str]] = [
    *((name, make, "diagram_9") for name, make in SHAPES.items()),
    ("calls (cdr_1)", calls_traffic, "cdr_1"),
]
