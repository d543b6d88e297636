"""tap-wolkvox benchmarks against the local fake Wolkvox API. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.run [--runs 5] [--backfill-runs 3] [--only PART ...]

1. Throughput, diagram_9: one day of 59,999 rows served in one response (cap and
   max_records_per_request raised to 60,000; a response of 60,000 rows would count as
   possibly cut off). tap-wolkvox with stdout to /dev/null against the floor script
   (benchmarks/floor.py), alternated; medians of whole-process CPU, wall and peak RSS.
2. Calls, diagram_9: a four-month backfill over quiet weeks, empty weeks and a
   15,000-row burst in two hours, with the 6,000-row cap, against the fewest calls the
   same rules allow.
3. Cadence: 5-minute incremental runs on top of that backfill.
4. Throughput, cdr_1 (stream calls, a 60,000-row cap): as 1, one response of 59,999 rows.
5. Calls, cdr_1: a four-month backfill of steady traffic and three bursts that each
   overflow the 60,000-row cap in the window that meets them, against the fewest calls.
6. Multi-stream: chatbot_interactions, calls, chats and agent_events selected together
   for the same four months, each with its report's own cap: calls per stream against
   the fewest possible, rows per second over all.
7. Sizing: a four-month backfill of each traffic shape of ``benchmarks.traffic`` (steady
   with noise, weekly cycle, daily cycle, bursts, long silences; diagram_9 at 6,000 a
   call, and cdr_1 at 60,000) with capped answers cut off in date order and at random:
   calls, capped calls, the fewest possible and the extra calls.

Parts 5 and 6 share one data set (about 700,000 rows, some 20 s to generate), made once
per run, as are the one-day responses of 1 and 4.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import traffic
from tap_wolkvox.reports import by_api
from tap_wolkvox.windows import clamp_window
from tests.fake_wolkvox import (
    FakeWolkvox,
    generate_burst,
    generate_report_burst,
    generate_report_rows,
    generate_rows,
    report_rows_at,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TAP = [PYTHON, "-m", "tap_wolkvox"]
ZONE = "America/Bogota"
ONE_SECOND = dt.timedelta(seconds=1)
API_CAP = 60_000
BUSY_DAY = dt.datetime(2026, 3, 10)
BACKFILL_START, BACKFILL_END = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
# Part 6's streams, by report id, in the order printed.
MULTI_STREAM = ("diagram_9", "cdr_1", "chat_1", "agent_14")
PARTS = ("throughput", "calls", "cdr1-throughput", "cdr1-backfill", "multi-stream", "sizing")


# Runs a command with stdout and stderr to /dev/null and prints its exit status, CPU
# seconds, wall seconds and peak RSS MiB as JSON. The command is the child of this small
# process, not of the benchmark: Linux carries ru_maxrss across exec, so a command
# started straight from the benchmark (1 GiB once part 5's data is made) would report
# the benchmark's size as its own peak.
LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
with open(os.devnull, "wb") as sink:
    process = subprocess.Popen(sys.argv[1:], stdout=sink, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
wall = time.perf_counter() - started
print(json.dumps({
    "status": os.waitstatus_to_exitcode(status),
    "cpu": usage.ru_utime + usage.ru_stime,
    "wall": wall,
    "rss": usage.ru_maxrss / 1024,
}))
"""


def measure(command: list[str]) -> dict[str, float]:
    """Run ``command`` with stdout to /dev/null: CPU seconds, wall seconds, peak RSS MiB."""
    result = subprocess.run(
        [PYTHON, "-c", LAUNCHER, *command], capture_output=True, text=True, cwd=ROOT, check=True
    )
    figures = json.loads(result.stdout)
    if figures.pop("status"):
        raise SystemExit(f"{command[:3]} failed with {figures}")
    return figures


def medians(samples: Sequence[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def write_config(folder: Path, name: str, config: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(config))
    return path


def write_catalog(folder: Path, name: str, config: Path, streams: Sequence[str]) -> Path:
    """The discovered catalog with exactly ``streams`` (stream names) selected."""
    result = subprocess.run(
        [*TAP, "--config", str(config), "--discover"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    catalog = json.loads(result.stdout)
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    path = folder / name
    path.write_text(json.dumps(catalog))
    return path


def filter_dates(rows: Sequence[dict[str, Any]], field: str) -> list[dt.datetime]:
    """The sorted wall-clock times in ``field`` (``YYYY-MM-DD HH:MM:SS``) of ``rows``."""
    return sorted(dt.datetime.fromisoformat(row[field]) for row in rows)


def fewest_calls(
    dates: Sequence[dt.datetime], start: dt.datetime, end: dt.datetime, cap: int
) -> int:
    """Greedy windows (optimal here): each as long as the rules allow with < cap rows.

    ``dates`` are the rows' filter-field times, sorted. The rules: at most 31 days,
    never across a calendar month, fewer than ``cap`` rows (a window of exactly ``cap``
    rows may have been cut off).
    """
    calls, cursor = 0, start
    while cursor < end:
        limit = clamp_window(cursor, end, end).end  # 31 days, the month, the range
        first = bisect.bisect_left(dates, cursor)
        if first + cap - 1 < len(dates) and dates[first + cap - 1] < limit:
            limit = dates[first + cap - 1].replace(microsecond=0)
            if limit <= cursor:
                raise SystemExit("more rows in one second than the cap")
        calls += 1
        cursor = limit
    return calls


# -- data, made once per run -------------------------------------------------------------


@functools.cache
def busy_day(api: str) -> list[dict[str, Any]]:
    """59,999 rows of report ``api`` on one day, ordered by its filter field."""
    end = BUSY_DAY + dt.timedelta(days=1)
    if api == "diagram_9":
        rows = generate_rows(BUSY_DAY, end, per_day=70_000, seed=21, quiet_nights=False)
        rows.sort(key=lambda r: r["date"])
    else:
        rows = generate_report_rows(api, BUSY_DAY, end, per_day=70_000, seed=21)
    return rows[: API_CAP - 1]


@functools.cache
def skewed_rows() -> list[dict[str, Any]]:
    """Four months: quiet weeks, two empty weeks, a 15,000-row burst in two hours."""
    rows = generate_rows(dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 9), per_day=60, seed=31)
    # 2026-02-09 .. 2026-02-23: empty.
    rows += generate_rows(dt.datetime(2026, 2, 23), dt.datetime(2026, 5, 1), per_day=60, seed=32)
    rows += generate_burst(dt.datetime(2026, 3, 17, 10), dt.timedelta(hours=2), 15_000, seed=33)
    return rows


# cdr_1's bursts (start, duration, rows): a campaign that tips January over the cap, a
# mass outage whose two hours alone hold more than one call may return, a two-day
# campaign in April.
CALL_BURSTS = (
    (dt.datetime(2026, 1, 26, 9), dt.timedelta(hours=6), 45_000),
    (dt.datetime(2026, 3, 17, 10), dt.timedelta(hours=2), 75_000),
    (dt.datetime(2026, 4, 14, 8), dt.timedelta(days=2), 50_000),
)


@functools.cache
def backfill_rows() -> dict[str, list[dict[str, Any]]]:
    """Four months of each report of ``MULTI_STREAM``, by report id."""
    start, end = BACKFILL_START, BACKFILL_END
    calls = generate_report_rows("cdr_1", start, end, per_day=600, seed=41)
    for number, (burst_start, duration, count) in enumerate(CALL_BURSTS):
        calls += generate_report_burst("cdr_1", burst_start, duration, count, seed=42 + number)
    chats = generate_report_rows("chat_1", start, end, per_day=1_000, seed=51)
    chats += generate_report_burst(
        "chat_1", dt.datetime(2026, 4, 6, 8), dt.timedelta(hours=12), 40_000, seed=52
    )
    return {
        "diagram_9": skewed_rows(),
        "cdr_1": calls,
        "chat_1": chats,
        # Agents change state all day: about 75,000 rows a month, over one call's worth.
        "agent_14": generate_report_rows("agent_14", start, end, per_day=2_500, seed=61),
    }


# -- 1 and 4: throughput -------------------------------------------------------------------


def throughput(number: int, api: str, runs: int, folder: Path) -> None:
    report = by_api(api)
    rows = busy_day(api)
    fake = FakeWolkvox(cap=API_CAP)
    fake.set_report_rows(api, rows)
    fake.start()
    config = write_config(
        folder,
        f"throughput_{api}.json",
        {
            "server": "0032",
            "token": fake.token,
            "api_url": fake.base_url,
            "start_date": BUSY_DAY.isoformat(),
            "end_date": (BUSY_DAY + dt.timedelta(days=1)).isoformat(),
            "max_records_per_request": API_CAP,
            "timezone": ZONE,
        },
    )
    tap = [*TAP, "--config", str(config)]
    if not report.selected_by_default:
        catalog = write_catalog(folder, f"catalog_{api}.json", config, [report.stream])
        tap += ["--catalog", str(catalog)]
    floor = [
        PYTHON,
        str(ROOT / "benchmarks" / "floor.py"),
        fake.base_url,
        fake.token,
        f"{BUSY_DAY:%Y%m%d}000000",
        f"{BUSY_DAY:%Y%m%d}235959",
        ZONE,
        api,
    ]
    results: dict[str, list[dict[str, float]]] = {"tap": [], "floor": []}
    measure(tap)  # warm caches (page cache, .pyc) before timing
    measure(floor)
    for _ in range(runs):
        results["tap"].append(measure(tap))
        results["floor"].append(measure(floor))
    fake.stop()
    calls = len(fake.calls) // (2 * runs + 2)
    print(
        f"\n{number}. Throughput, {api} ({report.stream}): {len(rows):,} rows in one response,"
        f" {runs} runs each, alternated"
    )
    print(f"   {'':<10}{'CPU s':>9}{'wall s':>9}{'peak RSS MiB':>14}{'records/s (wall)':>18}")
    med = {name: medians(samples) for name, samples in results.items()}
    for name, figures in med.items():
        print(
            f"   {name:<10}{figures['cpu']:>9.2f}{figures['wall']:>9.2f}{figures['rss']:>14.1f}"
            f"{len(rows) / figures['wall']:>18,.0f}"
        )
    ratio = {key: med["tap"][key] / med["floor"][key] for key in med["tap"]}
    print(f"   {'tap/floor':<10}{ratio['cpu']:>9.2f}{ratio['wall']:>9.2f}{ratio['rss']:>14.2f}")
    print(f"   (calls per tap run: {calls})")


# -- 2 and 3: diagram_9 calls and cadence --------------------------------------------------


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
    start, end = BACKFILL_START, BACKFILL_END
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
    minimum = fewest_calls(filter_dates(rows, "date"), start, end, 6000)
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


# -- 5 and 6: cdr_1 backfill, multi-stream backfill ----------------------------------------


def backfill(
    fake: FakeWolkvox, folder: Path, apis: Sequence[str], runs: int
) -> tuple[dict[str, float], dict[str, tuple[int, int]]]:
    """Back-fill reports ``apis`` together ``runs`` times.

    Returns the median figures, and per report the calls made and how many of them came
    back at the cap (the same in every run: the windows depend on the data only).
    """
    config = write_config(
        folder,
        "backfill_multi.json",
        {
            "server": "0032",
            "token": fake.token,
            "api_url": fake.base_url,
            "timezone": ZONE,
            "start_date": BACKFILL_START.isoformat(),
            "end_date": BACKFILL_END.isoformat(),
        },
    )
    streams = [by_api(api).stream for api in apis]
    catalog = write_catalog(folder, f"catalog_{'_'.join(apis)}.json", config, streams)
    command = [*TAP, "--config", str(config), "--catalog", str(catalog)]
    samples = []
    for _ in range(runs):
        fake.calls.clear()
        samples.append(measure(command))
    calls = {
        api: (
            sum(call.api == api for call in fake.calls),
            sum(call.api == api and call.rows == fake.cap_for(api) for call in fake.calls),
        )
        for api in apis
    }
    return medians(samples), calls


def backfills(parts: set[str], runs: int, folder: Path) -> None:
    data = backfill_rows()
    fake = FakeWolkvox()  # each report's own cap: 6,000 for diagram_9, 60,000 for the others
    for api, rows in data.items():
        fake.set_report_rows(api, rows)
    fake.start()
    fewest = {
        api: fewest_calls(
            filter_dates(rows, by_api(api).filter_field),
            BACKFILL_START,
            BACKFILL_END,
            by_api(api).row_cap,
        )
        for api, rows in data.items()
    }
    span = f"{BACKFILL_START:%Y-%m-%d} to {BACKFILL_END:%Y-%m-%d}"
    if "cdr1-backfill" in parts:
        figures, calls = backfill(fake, folder, ["cdr_1"], runs)
        rows = len(data["cdr_1"])
        bursts = ", ".join(
            f"{count:,} in {_duration(duration)} on {moment:%m-%d}"
            for moment, duration, count in CALL_BURSTS
        )
        print(
            f"\n5. Calls, cdr_1 (calls): four-month backfill {span}, {rows:,} rows (600 a day,"
            f" and bursts of {bursts}), cap 60,000"
        )
        made, capped = calls["cdr_1"]
        print(
            f"   calls made {made} ({capped} at the cap), fewest possible {fewest['cdr_1']},"
            f" ratio {made / fewest['cdr_1']:.2f}"
        )
        print(f"   {_figures(figures, rows)} (median of {runs})")
    if "multi-stream" in parts:
        figures, calls = backfill(fake, folder, MULTI_STREAM, runs)
        total = sum(len(data[api]) for api in MULTI_STREAM)
        print(
            f"\n6. Multi-stream backfill: {len(MULTI_STREAM)} streams selected together, {span},"
            f" each report's own cap"
        )
        print(
            f"   {'stream':<22}{'report':<11}{'cap':>7}{'rows':>10}{'calls':>7}{'capped':>8}"
            f"{'fewest':>8}{'ratio':>7}"
        )
        for api in MULTI_STREAM:
            report = by_api(api)
            made, capped = calls[api]
            print(
                f"   {report.stream:<22}{api:<11}{report.row_cap:>7,}{len(data[api]):>10,}"
                f"{made:>7}{capped:>8}{fewest[api]:>8}{made / fewest[api]:>7.2f}"
            )
        made = sum(made for made, _ in calls.values())
        capped = sum(capped for _, capped in calls.values())
        least = sum(fewest[api] for api in MULTI_STREAM)
        print(f"   {'total':<40}{total:>10,}{made:>7}{capped:>8}{least:>8}{made / least:>7.2f}")
        print(f"   {_figures(figures, total)} (median of {runs})")
    fake.stop()


# -- 7: window sizing on every traffic shape, both truncation orders ------------------------


def sizing(folder: Path) -> None:
    """Calls of a four-month backfill on each shape of ``benchmarks.traffic``, through HTTP."""
    print(
        f"\n7. Window sizing: four-month backfills ({traffic.START:%Y-%m-%d} to"
        f" {traffic.END:%Y-%m-%d}) of each traffic shape, capped answers cut off in date order"
        " or at random"
    )
    print(
        f"   {'shape':<18}{'report':<11}{'order':<12}{'rows':>9}{'calls':>7}{'capped':>8}"
        f"{'fewest':>8}{'extra':>7}{'ratio':>7}"
    )
    for name, make, api in traffic.BACKFILLS:
        report = by_api(api)
        moments = make()
        rows = report_rows_at(api, moments)
        fewest = fewest_calls(moments, traffic.START, traffic.END, report.row_cap)
        for order in ("date-order", "random"):
            fake = FakeWolkvox(truncation=order)
            fake.set_report_rows(api, rows)
            fake.start()
            config = write_config(
                folder,
                "sizing.json",
                {
                    "server": "0032",
                    "token": fake.token,
                    "api_url": fake.base_url,
                    "timezone": ZONE,
                    "start_date": traffic.START.isoformat(),
                    "end_date": traffic.END.isoformat(),
                },
            )
            command = [*TAP, "--config", str(config)]
            if not report.selected_by_default:
                catalog = write_catalog(folder, f"catalog_{api}.json", config, [report.stream])
                command += ["--catalog", str(catalog)]
            measure(command)
            fake.stop()
            made = sum(call.api == api for call in fake.calls)
            capped = sum(call.api == api and call.rows == report.row_cap for call in fake.calls)
            print(
                f"   {name:<18}{api:<11}{order:<12}{len(rows):>9,}{made:>7}{capped:>8}"
                f"{fewest:>8}{made - fewest:>7}{made / fewest:>7.2f}"
            )


def _duration(span: dt.timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours / 24:g} days" if hours >= 48 else f"{hours:g} h"


def _figures(figures: dict[str, float], rows: int) -> str:
    return (
        f"{figures['cpu']:.1f} s CPU, {figures['wall']:.1f} s wall, {figures['rss']:.0f} MiB"
        f" peak RSS, {rows / figures['wall']:,.0f} records/s (wall),"
        f" {rows / figures['cpu']:,.0f} per CPU s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each throughput part")
    parser.add_argument(
        "--backfill-runs", type=int, default=3, help="runs of each of parts 5 and 6"
    )
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run this part only (repeatable): throughput (1), calls (2 and 3),"
        " cdr1-throughput (4), cdr1-backfill (5), multi-stream (6), sizing (7)",
    )
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {platform.platform()}"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if "throughput" in parts:
            throughput(1, "diagram_9", args.runs, folder)
        if "calls" in parts:
            calls_and_cadence(folder)
        if "cdr1-throughput" in parts:
            throughput(4, "cdr_1", args.runs, folder)
        if parts & {"cdr1-backfill", "multi-stream"}:
            backfills(parts, args.backfill_runs, folder)
        if "sizing" in parts:
            sizing(folder)


if __name__ == "__main__":
    main()
