"""Window sizing on every traffic shape, in process: the calls a backfill makes, no HTTP.

    .venv/bin/python -m benchmarks.sizing [--seeds 6]

The tap's own walk (``windows.read_windows`` and ``WindowSizer``) reads each shape of
``benchmarks.traffic`` against an in-memory answer that cuts capped windows off in date
order or at random, as the fake API does. Seconds per shape instead of a minute: the
quick loop for changing the sizing; ``benchmarks.run --only sizing`` gives the same table
through the real tap and the fake API over HTTP.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import random
import statistics
from collections.abc import Callable, Sequence

from benchmarks import traffic
from benchmarks.run import fewest_calls
from tap_wolkvox.reports import by_api
from tap_wolkvox.windows import WalkTally, Window, WindowSizer, read_windows

ORDERS = ("date-order", "random")


def data_set(make: Callable[..., list[dt.datetime]], number: int) -> list[dt.datetime]:
    """Data set ``number`` of a shape: 0 is the shape's own (the HTTP table's), then others.

    The others are seeded from 101 on, apart from every shape's own seed (1 to 6): seeding
    them 1, 2, ... repeated the weekly and daily cycles' own data sets among the three.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6, help="data sets per shape (medians)")
    args = parser.parse_args()
    print(
        f"{'shape':<18}{'order':<12}{'rows':>9}{'calls':>7}{'capped':>8}{'fewest':>8}{'ratio':>7}"
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
                results.append((calls, capped, fewest, rows))
            calls = statistics.median(r[0] for r in results)
            capped = statistics.median(r[1] for r in results)
            fewest = statistics.median(r[2] for r in results)
            rows = statistics.median(r[3] for r in results)
            ratio = max(r[0] / r[2] for r in results)
            if fewest >= 20:
                worst = max(worst, ratio)
            print(
                f"{name:<18}{order:<12}{rows:>9,.0f}{calls:>7g}{capped:>8g}{fewest:>8g}"
                f"{calls / fewest:>7.2f}  (worst seed {ratio:.2f})"
            )
    print(f"worst ratio where fewest >= 20: {worst:.2f}")


if __name__ == "__main__":
    main()
