"""Wall-clock time around clock changes: no row is lost, no bookmark runs ahead."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tap_wolkvox.dates import LocalDates
from tap_wolkvox.windows import (
    SERVER_CLOCK_MARGIN,
    Window,
    WindowSizer,
    read_instants,
    sync_range,
)

UTC = dt.UTC
# Zones whose clocks change, with an hour (or half an hour, Lord Howe) repeated or skipped.
DST_ZONES = ("Europe/Madrid", "America/New_York", "America/Santiago", "Australia/Lord_Howe")


def clock_changes(zone: str, year: int = 2026) -> list[dt.datetime]:
    """The instants of ``year`` at which the zone's offset changes."""
    tz = zoneinfo.ZoneInfo(zone)
    changes = []
    moment = dt.datetime(year, 1, 1, tzinfo=UTC)
    offset = moment.astimezone(tz).utcoffset()
    while moment.year == year:
        following = moment + dt.timedelta(minutes=30)
        if following.astimezone(tz).utcoffset() != offset:
            changes.append(following)
            offset = following.astimezone(tz).utcoffset()
        moment = following
    return changes


def local_text(instant: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.parametrize("zone", DST_ZONES)
def test_each_zone_changes_clocks_both_ways(zone: str) -> None:
    dates = LocalDates(zoneinfo.ZoneInfo(zone))
    changes = clock_changes(zone)
    repeated = [c for c in changes if dates.repeated_span(dates.to_local(c)) is not None]
    assert len(changes) == 2
    assert len(repeated) == 1  # one change goes back (repeats), the other forward (skips)


def test_the_repeated_hour_is_found_to_the_second() -> None:
    dates = LocalDates(zoneinfo.ZoneInfo("America/New_York"))
    span = (dt.datetime(2026, 11, 1, 1), dt.datetime(2026, 11, 1, 2))
    assert dates.repeated_span(dt.datetime(2026, 11, 1, 1, 0)) == span
    assert dates.repeated_span(dt.datetime(2026, 11, 1, 1, 59, 59)) == span
    assert dates.repeated_span(dt.datetime(2026, 11, 1, 0, 59, 59)) is None
    assert dates.repeated_span(dt.datetime(2026, 11, 1, 2, 0)) is None
    assert dates.repeated_span(dt.datetime(2026, 3, 8, 2, 30)) is None  # skipped, not repeated


def test_a_range_touching_the_repeated_hour_covers_it_whole() -> None:
    dates = LocalDates(zoneinfo.ZoneInfo("America/New_York"))
    # 05:40Z is 01:40 in the first pass, 06:10Z is 01:10 in the second pass.
    first_pass = dt.datetime(2026, 11, 1, 5, 40, tzinfo=UTC)
    second_pass = dt.datetime(2026, 11, 1, 6, 10, tzinfo=UTC)
    whole = (dt.datetime(2026, 11, 1, 1), dt.datetime(2026, 11, 1, 2))
    assert dates.wall_clock_range(first_pass, second_pass) == whole
    assert dates.wall_clock_range(second_pass, second_pass + dt.timedelta(minutes=5)) == whole
    # Far from any clock change, the range is the plain wall-clock range.
    noon = dt.datetime(2026, 7, 1, 16, tzinfo=UTC)
    assert dates.wall_clock_range(noon, noon + dt.timedelta(hours=1)) == (
        dt.datetime(2026, 7, 1, 12),
        dt.datetime(2026, 7, 1, 13),
    )


def test_coverage_never_claims_an_instant_not_read() -> None:
    dates = LocalDates(zoneinfo.ZoneInfo("America/New_York"))
    # A walk up to 01:30 has read the first pass up to 01:30 EDT (05:30Z) only.
    assert dates.covered_until(dt.datetime(2026, 11, 1, 1, 30)) == dt.datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
    # 02:30 never happens on 8 March; the walk has read everything before 02:00 EST.
    assert dates.covered_until(dt.datetime(2026, 3, 8, 2, 30)) <= dt.datetime(
        2026, 3, 8, 7, 0, tzinfo=UTC
    )


def simulate_runs(
    zone: str,
    change: dt.datetime,
    *,
    cadence: dt.timedelta,
    lookback: dt.timedelta,
    phase: dt.timedelta,
    row_every: int,
    cap: int,
) -> tuple[set[int], dict[int, dt.datetime], dt.datetime]:
    """Scheduled runs across ``change``, against rows that appear at their own instant.

    Returns the rows read, every row's instant, and the final bookmark.
    """
    tz = zoneinfo.ZoneInfo(zone)
    dates = LocalDates(tz)
    first = change - dt.timedelta(hours=3)
    instants = {
        number: first + dt.timedelta(seconds=number * row_every)
        for number in range(int(6 * 3600 / row_every))
    }
    rows = [{"date": local_text(instant, tz), "id": number} for number, instant in instants.items()]
    seen: set[int] = set()
    bookmark: dt.datetime | None = None
    now = first + phase

    def fetch(window: Window) -> list[dict[str, object]]:
        low, high = (
            window.start.strftime("%Y-%m-%d %H:%M:%S"),
            window.last_second.strftime("%Y-%m-%d %H:%M:%S"),
        )
        # The server holds the rows whose instant has come, selected by wall-clock text.
        return [
            row
            for row in rows
            if low <= str(row["date"]) <= high and instants[int(str(row["id"]))] < now
        ]

    while now < change + dt.timedelta(hours=2, minutes=30):
        start, end = sync_range(first, None, bookmark, lookback, now)
        for _window, got, read_until in read_instants(
            start,
            end,
            dates=dates,
            sizer=WindowSizer(cap),
            fetch=fetch,
            max_timeouts=1,
            filter_field="date",
            server_clock=lambda at=now: at,
        ):
            seen.update(int(str(row["id"])) for row in got)
            assert read_until <= now - SERVER_CLOCK_MARGIN
            bookmark = read_until if bookmark is None else max(bookmark, read_until)
        now += cadence
    assert bookmark is not None
    return seen, instants, bookmark


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(DST_ZONES),
    direction=st.sampled_from([0, 1]),
    cadence_minutes=st.integers(1, 90),
    lookback_minutes=st.sampled_from([0, 1, 5, 15, 30, 60]),
    phase_seconds=st.integers(0, 5399),
    row_every=st.integers(17, 300),
    cap=st.sampled_from([3, 7, 6000]),
)
def test_no_row_is_lost_when_clocks_change(
    zone: str,
    direction: int,
    cadence_minutes: int,
    lookback_minutes: int,
    phase_seconds: int,
    row_every: int,
    cap: int,
) -> None:
    change = clock_changes(zone)[direction]
    cadence = dt.timedelta(minutes=cadence_minutes)
    seen, instants, bookmark = simulate_runs(
        zone,
        change,
        cadence=cadence,
        lookback=dt.timedelta(minutes=lookback_minutes),
        phase=dt.timedelta(seconds=phase_seconds) % cadence,
        row_every=row_every,
        cap=cap,
    )
    lost = sorted(at for n, at in instants.items() if at < bookmark and n not in seen)
    assert not lost, f"{len(lost)} rows lost, first at {lost[0]}"


def test_the_measured_case_hourly_runs_in_madrid_lose_nothing() -> None:
    """The outside review's case: hourly runs, default lookback, one row a minute."""
    change = clock_changes("Europe/Madrid")[1]
    for phase_minutes in range(0, 60, 5):
        seen, instants, bookmark = simulate_runs(
            "Europe/Madrid",
            change,
            cadence=dt.timedelta(hours=1),
            lookback=dt.timedelta(minutes=15),
            phase=dt.timedelta(minutes=phase_minutes),
            row_every=60,
            cap=6000,
        )
        assert all(n in seen for n, at in instants.items() if at < bookmark), phase_minutes
