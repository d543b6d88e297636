"""Window sizing on every traffic shape, in process: the calls a backfill makes, no HTTP.

    .venv/bin/python -m benchmarks.sizing [--seeds 6]

The tap's own walk (``windows.read_windows`` and ``WindowSizer``) reads each shape of
``benchmarks.traffic`` against an in-memory answer that cuts capped windows off in date
order or at random, as the fake API does. Seconds per shape instead of a minute: the
quick loop for changing the sizing; ``benchmarks.run --only sizing`` gives the same table
through the real tap and the fake API over HTTP. The "told rate" column is
``known_rate_calls`` over the fewest: a reader told the data's mean rate and daily spread.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import math
import random
import statistics
from collections import Counter
from collections.abc import Callable, Sequence

from benchmarks import traffic
from benchmarks.run import fewest_calls
from tap_wolkvox.density import DAY, normal_tail
from tap_wolkvox.reports import by_api
from tap_wolkvox.windows import (
    ONE_SECOND,
    WalkTally,
    Window,
    WindowSizer,
    clamp_window,
    floor_second,
    read_windows,
)

ORDERS = ("date-order", "random")


def data_set(make: Callable[..., list[dt.datetime]], number: int) -> list[dt.datetime]:
    """Data set ``number`` of a shape: 0 is the shape's own (the HTTP table's), then others.

    The others are seeded from 101 on, apart from every shape's own seed (1 to 6): seeding
    data set ``n`` with ``n + 1`` repeated some shapes' own data set (weekly and daily among
    three, more among six).
    """
    return make() if number == 0 else make(100 + number)


def simulate(
    moments: Sequence[dt.datetime], cap: int, order: str, seed: int = 7
) -> tuple[int, int, int]:
    """Calls, capped calls and rows read by one backfill of ``moments`` over the span."""
    rng = random.Random(seed)
    texts = [{"date": m.strftime("%Y-%m-%d %H:%M:%S")} for m in moments]
    keys = [row["date"] for row in texts]
    calls = 0

    def fetch(window: Window) -> list[dict[str, str]]:
        nonlocal calls
        calls += 1
        low = bisect.bisect_left(keys, window.start.strftime("%Y-%m-%d %H:%M:%S"))
        high = bisect.bisect_right(keys, window.last_second.strftime("%Y-%m-%d %H:%M:%S"))
        rows = texts[low:high]
        if len(rows) > cap:
            rows = rows[:cap] if order == "date-order" else rng.sample(rows, cap)
        return rows

    tally = WalkTally()
    read = 0
    for _window, rows in read_windows(
        traffic.START,
        traffic.END,
        WindowSizer(cap),
        fetch,
        max_timeouts=5,
        filter_field="date",
        tally=tally,
    ):
        read += len(rows)
    if read != len(moments):
        raise SystemExit(f"{read} rows read of {len(moments)}")
    return calls, tally.capped, read


def known_rate_calls(
    dates: Sequence[dt.datetime], start: dt.datetime, end: dt.datetime, cap: int
) -> int:
    """Calls of a forward reader told the data's mean daily rate and day-to-day spread.

    It is told nothing else: each month (or what is left of it) is cut into the number of
    equal windows that costs fewest calls on average; a window at the cap costs one more
    call for an exact piece of ``cap - 1`` rows, as in date order. On a smooth shape this
    is about the least any reader that goes forward can hope for; it foresees no burst or
    silence either.
    """
    totals = Counter(moment.date() for moment in dates)
    day_count = (end - start) / DAY
    rate = len(dates) / day_count
    logs = [math.log(total / rate) for total in totals.values()]
    middle = statistics.fmean(logs) if logs else 0.0
    day_spread = max(1e-3, math.sqrt(statistics.fmean((x - middle) ** 2 for x in logs or [0])))

    def average_calls(count: int, expected: float) -> float:
        share = expected / count
        spread = day_spread / math.sqrt(max(1.0, share / rate))
        return count * (1 + normal_tail(math.log(cap / share) / spread))

    calls, cursor = 0, start
    while cursor < end:
        limit = clamp_window(cursor, end, end).end  # 31 days, the month, the range
        expected = max(1.0, rate * ((limit - cursor) / DAY))
        fewest = math.ceil(expected / cap)
        count = min(range(fewest, fewest + 4), key=lambda n: average_calls(n, expected))
        window_end = max(cursor + ONE_SECOND, floor_second(cursor + (limit - cursor) / count))
        first = bisect.bisect_left(dates, cursor)
        calls += 1
        if first + cap - 1 < len(dates) and dates[first + cap - 1] < window_end:
            calls += 1  # capped: the exact piece up to the cap's row
            cursor = floor_second(dates[first + cap - 1])
        else:
            cursor = window_end
    return calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6, help="data sets per shape (medians)")
    args = parser.parse_args()
    print(
        f"{'shape':<18}{'order':<12}{'rows':>9}{'calls':>7}{'capped':>8}{'fewest':>8}{'ratio':>7}"
        f"{'told rate':>11}"
    )
    worst = 0.0
    for name, make, api in traffic.BACKFILLS:
        cap = by_api(api).row_cap
        for order in ORDERS:
            results = []
            for seed in range(args.seeds):
                moments = data_set(make, seed)
                fewest = fewest_calls(moments, traffic.START, traffic.END, cap)
                calls, capped, rows = simulate(moments, cap, order, seed=7 + seed)
                told = known_rate_calls(moments, traffic.START, traffic.END, cap)
                results.append((calls, capped, fewest, rows, told))
            calls = statistics.median(r[0] for r in results)
            capped = statistics.median(r[1] for r in results)
            fewest = statistics.median(r[2] for r in results)
            rows = statistics.median(r[3] for r in results)
            told = statistics.median(r[4] for r in results)
            ratio = max(r[0] / r[2] for r in results)
            if fewest >= 20:
                worst = max(worst, ratio)
            print(
                f"{name:<18}{order:<12}{rows:>9,.0f}{calls:>7g}{capped:>8g}{fewest:>8g}"
                f"{calls / fewest:>7.2f}{told / fewest:>11.2f}  (worst seed {ratio:.2f})"
            )
    print(f"worst ratio where fewest >= 20: {worst:.2f}")


if __name__ == "__main__":
    main()
