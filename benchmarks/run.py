"""tap-wolkvox benchmarks against the local fake Wolkvox API. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.run [--runs 5]

1. Throughput: one day of 59,999 rows served in one response (cap and
   max_records_per_request raised to 60,000; a response of 60,000 rows would count as
   possibly cut off). tap-wolkvox with stdout to /dev/null against the floor script
   (benchmarks/floor.py), alternated; medians of whole-process CPU, wall and peak RSS.
2. Calls: a four-month backfill over quiet weeks, empty weeks and a 15,000-row burst in
   two hours, with the 6,000-row cap, against the fewest calls the same rules allow.
3. Cadence: 5-minute incremental runs on top of that backfill.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.fake_wolkvox import FakeWolkvox, generate_burst, generate_rows

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TAP = [PYTHON, "-m", "tap_wolkvox"]
ZONE = "America/Bogota"
ONE_SECOND = dt.timedelta(seconds=1)


def measure(command: list[str]) -> dict[str, float]:
    """Run ``command`` with stdout to /dev/null: CPU seconds, wall seconds, peak RSS MiB."""
    with open(os.devnull, "wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{command[:3]} failed with {process.returncode}")
    return {"cpu": usage.ru_utime + usage.ru_stime, "wall": wall, "rss": usage.ru_maxrss / 1024}


def write_config(folder: Path, name: str, config: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(config))
    return path


def throughput(runs: int, folder: Path) -> None:
    day = dt.datetime(2026, 3, 10)
    rows = generate_rows(
        day, day + dt.timedelta(days=1), per_day=70_000, seed=21, quiet_nights=False
    )
    rows = sorted(rows, key=lambda r: r["date"])[:59_999]
    fake = FakeWolkvox(cap=60_000)
    fake.set_rows(rows)
    fake.start()
    config = write_config(
        folder,
        "throughput.json",
        {
            "server": "0032",
            "token": fake.token,
            "api_url": fake.base_url,
            "start_date": "2026-03-10T00:00:00",
            "end_date": "2026-03-11T00:00:00",
            "max_records_per_request": 60_000,
            "timezone": ZONE,
        },
    )
    tap = [*TAP, "--config", str(config)]
    floor = [
        PYTHON,
        str(ROOT / "benchmarks" / "floor.py"),
        fake.base_url,
        fake.token,
        "20260310000000",
        "20260310235959",
        ZONE,
    ]
    results: dict[str, list[dict[str, float]]] = {"tap": [], "floor": []}
    measure(tap)  # warm caches (page cache, .pyc) before timing
    measure(floor)
    for _ in range(runs):
        results["tap"].append(measure(tap))
        results["floor"].append(measure(floor))
    fake.stop()
    calls = len(fake.calls) // (2 * runs + 2)
    print(f"\n1. Throughput: {len(rows):,} rows in one response, {runs} runs each, alternated")
    print(f"   {'':<8}{'CPU s':>9}{'wall s':>9}{'peak RSS MiB':>14}{'records/s (wall)':>18}")
    medians = {}
    for name, samples in results.items():
        med = {key: statistics.median(s[key] for s in samples) for key in samples[0]}
        medians[name] = med
        print(
            f"   {name:<8}{med['cpu']:>9.2f}{med['wall']:>9.2f}{med['rss']:>14.1f}"
            f"{len(rows) / med['wall']:>18,.0f}"
        )
    ratio = {key: medians["tap"][key] / medians["floor"][key] for key in medians["tap"]}
    print(f"   {'tap/floor':<8}{ratio['cpu']:>9.2f}{ratio['wall']:>9.2f}{ratio['rss']:>14.2f}")
    print(f"   (calls per tap run: {calls})")


def skewed_rows() -> list[dict[str, Any]]:
    """Four months: quiet weeks, two empty weeks, a 15,000-row burst in two hours."""
    rows = generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 9), per_day=60, seed=31)
    # 2026-02-09 .. 2026-02-23: empty.
    rows += generate_rows(dt.datetime(2026, 2, 23), dt.datetime(2026, 5, 1), per_day=60, seed=32)
    rows += generate_burst(dt.datetime(2026, 3, 17, 10), dt.timedelta(hours=2), 15_000, seed=33)
    return rows


def fewest_calls(rows: list[dict[str, Any]], start: dt.datetime, end: dt.datetime, cap: int) -> int:
    """Greedy windows (optimal here): each as long as the rules allow with < cap rows."""
    dates = sorted(dt.datetime.strptime(r["date"], "%Y-%m-%d %H:%M:%S") for r in rows)
    calls, cursor = 0, start
    while cursor < end:
        month_end = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(
            day=1, hour=0, minute=0, second=0
        )
        limit = min(end, cursor + dt.timedelta(days=31), month_end)
        first = bisect.bisect_left(dates, cursor)
        if first + cap - 1 < len(dates) and dates[first + cap - 1] < limit:
            limit = dates[first + cap - 1].replace(microsecond=0)
            if limit <= cursor:
                raise SystemExit("more rows in one second than the cap")
        calls += 1
        cursor = limit
    return calls


def run_tap(config: Path, state: Path | None = None) -> tuple[float, list[dict[str, Any]]]:
    command = [*TAP, "--config", str(config)] + (["--state", str(state)] if state else [])
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    wall = time.perf_counter() - started
    states = [
        json.loads(line)["value"]
        for line in result.stdout.splitlines()
        if line.startswith('{"type":"STATE"')
    ]
    return wall, states


def calls_and_cadence(folder: Path) -> None:
    start, end = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
    rows = skewed_rows()
    fake = FakeWolkvox(cap=6000)
    fake.set_rows(rows)
    fake.start()
    base = {
        "server": "0032",
        "token": fake.token,
        "api_url": fake.base_url,
        "timezone": ZONE,
        "start_date": "2026-01-01T00:00:00",
    }
    config = write_config(folder, "backfill.json", {**base, "end_date": "2026-05-01T00:00:00"})
    wall, states = run_tap(config)
    minimum = fewest_calls(rows, start, end, 6000)
    made = len(fake.calls)
    print(
        f"\n2. Calls: four-month backfill, {len(rows):,} rows (quiet weeks, two empty weeks,"
        f" 15,000 rows in two hours), cap 6,000"
    )
    print(
        f"   calls made {made}, fewest possible {minimum}, ratio {made / minimum:.2f};"
        f" {wall:.1f} s wall"
    )

    # 3. Cadence: every 5 minutes after the backfill, with and without new rows.
    state_path = folder / "state.json"
    state_path.write_text(json.dumps(states[-1]))
    print("\n3. Cadence: 5-minute incremental runs after the backfill (lookback 15 min)")
    moment = end
    runs = (
        ("first hour of May (crosses the month: 2 windows)", 60, 3),
        ("5 minutes, 3 new sessions", 5, 3),
        ("5 minutes, nothing new", 5, 0),
    )
    for label, minutes, new_rows in runs:
        moment += dt.timedelta(minutes=minutes)
        if new_rows:
            fake.add_rows(
                generate_burst(
                    moment - dt.timedelta(minutes=4), dt.timedelta(minutes=3), new_rows * 4, seed=34
                )
            )
        config = write_config(folder, "cadence.json", {**base, "end_date": moment.isoformat()})
        before = len(fake.calls)
        wall, states = run_tap(config, state_path)
        state_path.write_text(json.dumps(states[-1]))
        print(f"   {label:<50} calls {len(fake.calls) - before}, {wall:.2f} s wall")
    fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=["throughput", "calls"], help="run one part")
    args = parser.parse_args()
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as folder:
        if args.only in {None, "throughput"}:
            throughput(args.runs, Path(folder))
        if args.only in {None, "calls"}:
            calls_and_cadence(Path(folder))


if __name__ == "__main__":
    main()
