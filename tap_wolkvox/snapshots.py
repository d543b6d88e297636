"""Which days a summary stream reads, and in which calls (pure logic, no network).

A summary report answers totals for the range asked for, so its grain is the local
calendar day in the operation's zone. A day's totals can still change after it ends
(late rows, late coding): a day is *settled* once ``settle_days`` whole days have passed
after it, and the bookmark is the last settled day read. Every run reads the days after
the bookmark up to today: a settled day always (then never again), a day not yet settled
only when its last read is older than the refresh interval, so a 5-minute schedule does
not read the same unsettled day 288 times a day.

Reports whose rows carry their own day (kind ``daily``) read runs of consecutive days in
one call, never across a calendar month (the API refuses it) and never longer than the
largest window; the others (kind ``one_day``) read one day per call.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)
# A day not yet settled is due again a minute before its refresh interval has passed:
# a run on an hourly refresh and a 5-minute schedule then reads on the hour, rather
# than at 65 minutes because the previous run started a few seconds later.
REFRESH_GRACE = dt.timedelta(minutes=1)
MINUTES_PER_DAY = 24 * 60
# An event stream reads at every run: one call per run at least.
RUNS_A_DAY_AT_5_MINUTES = MINUTES_PER_DAY // 5


@dataclass(frozen=True)
class DayWindow:
    """Local calendar days ``first`` to ``last`` (both included), read in one call."""

    first: dt.date
    last: dt.date

    @property
    def days(self) -> list[dt.date]:
        """Every day of the window, in order."""
        return list(days_between(self.first, self.last))

    def single_days(self) -> list[DayWindow]:
        """The window split into one window per day."""
        return [DayWindow(day, day) for day in self.days]

    def __str__(self) -> str:
        """``2026-03-01..2026-03-31``, or one day."""
        if self.first == self.last:
            return self.first.isoformat()
        return f"{self.first.isoformat()}..{self.last.isoformat()}"


def days_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    """``first`` to ``last``, both included."""
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


def is_settled(day: dt.date, today: dt.date, settle_days: int) -> bool:
    """Whether ``settle_days`` whole days have passed after ``day`` by ``today``.

    With ``settle_days=1`` yesterday is not settled (today has not passed yet); the day
    before yesterday is.
    """
    return (today - day).days > settle_days


def is_due(last_read: dt.datetime | None, now: dt.datetime, refresh: dt.timedelta) -> bool:
    """Whether a day not yet settled, last read at ``last_read``, is read again ``now``."""
    return last_read is None or now - last_read >= refresh - min(REFRESH_GRACE, refresh / 2)


def plan_days(  # noqa: PLR0913  # each is one fact the plan depends on
    *,
    first_day: dt.date,
    last_day: dt.date,
    bookmark: dt.date | None,
    today: dt.date,
    settle_days: int,
    last_reads: Mapping[dt.date, dt.datetime],
    now: dt.datetime,
    refresh: dt.timedelta,
    many_days: bool,
) -> list[dt.date]:
    """The days a run reads: after the bookmark (or from ``first_day``) to ``last_day``.

    Args:
        first_day: The first day the stream reads at all (``start_date``'s day).
        last_day: The last day it may read (today, or the day before ``end_date``).
        bookmark: The last settled day read; None before the first.
        today: Today in the operation's zone.
        settle_days: Whole days after which a day's totals are final.
        last_reads: When each day not yet settled was last read.
        now: This run's instant.
        refresh: How old an unsettled day's last read must be before it is read again.
        many_days: Whether one call reads several days (kind ``daily``): then every
            day after the first one read is read too.
    """
    begin = first_day if bookmark is None else max(first_day, bookmark + ONE_DAY)
    candidates = list(days_between(begin, min(last_day, today)))
    days = [
        day
        for day in candidates
        if is_settled(day, today, settle_days) or is_due(last_reads.get(day), now, refresh)
    ]
    if many_days and days:
        # The later days ride along in the same calls: reading them together keeps
        # their refreshes in step, one call an hour rather than one per day read.
        return candidates[candidates.index(days[0]) :]
    return days


def plan_windows(days: Sequence[dt.date], *, many_days: bool, max_days: int) -> list[DayWindow]:
    """The calls that read ``days`` (in order).

    Args:
        days: The days to read, ascending.
        many_days: Whether one call may read several days (kind ``daily``): runs of
            consecutive days of one calendar month, at most ``max_days`` long.
        max_days: The longest window, in days.
    """
    windows: list[DayWindow] = []
    for day in days:
        if many_days and windows:
            current = windows[-1]
            joins = (
                day - current.last == ONE_DAY
                and (day.year, day.month) == (current.first.year, current.first.month)
                and (day - current.first).days < max_days
            )
            if joins:
                windows[-1] = DayWindow(current.first, day)
                continue
        windows.append(DayWindow(day, day))
    return windows


def simulate_schedule(  # noqa: PLR0913  # the schedule, then what a run keeps
    *,
    start: dt.datetime,
    runs: int,
    run_every: dt.timedelta,
    first_day: dt.date,
    settle_days: int,
    refresh: dt.timedelta,
    many_days: bool,
    bookmark: dt.date | None = None,
    last_reads: Mapping[dt.date, dt.datetime] | None = None,
) -> list[tuple[dt.datetime, list[DayWindow]]]:
    """The calls of ``runs`` runs every ``run_every`` from ``start``, planned as the tap does.

    Each run reads what ``plan_days`` says, bookmarks the settled days it read and notes
    when it read the others, as a stream does (today is ``now``'s UTC date here).
    """
    reads = dict(last_reads or {})
    schedule = []
    for run in range(runs):
        now = start + run * run_every
        today = now.date()
        days = plan_days(
            first_day=first_day,
            last_day=today,
            bookmark=bookmark,
            today=today,
            settle_days=settle_days,
            last_reads=reads,
            now=now,
            refresh=refresh,
            many_days=many_days,
        )
        schedule.append((now, plan_windows(days, many_days=many_days, max_days=31)))
        for day in days:
            if is_settled(day, today, settle_days):
                bookmark = day
            else:
                reads[day] = now
    return schedule


@functools.cache  # a day of simulated runs; the start-up line asks once per stream
def calls_per_day(
    *, many_days: bool, settle_days: int, refresh_minutes: int, run_every_minutes: int = 5
) -> int:
    """The calls one partition of a summary stream costs a day on a steady schedule.

    Simulated with the planner itself over a day of runs (the day after a month's 15th,
    so no month boundary), once the stream has caught up: what the README's table and
    the start-up line quote.
    """
    today = dt.date(2026, 3, 16)
    start = dt.datetime(2026, 3, 16, tzinfo=dt.UTC)
    every = dt.timedelta(minutes=run_every_minutes)
    schedule = simulate_schedule(
        start=start,
        runs=MINUTES_PER_DAY // run_every_minutes,
        run_every=every,
        first_day=today - ONE_DAY * 40,
        settle_days=settle_days,
        refresh=dt.timedelta(minutes=refresh_minutes),
        many_days=many_days,
        # Caught up at the end of the day before: the days it had not settled yet were
        # read by its last run.
        bookmark=today - ONE_DAY * (settle_days + 2),
        last_reads=dict.fromkeys(
            days_between(today - ONE_DAY * (settle_days + 1), today - ONE_DAY), start - every
        ),
    )
    return sum(len(windows) for _, windows in schedule)


def partition_calls_per_day(kind: str, *, settle_days: int, refresh_minutes: int) -> int:
    """The calls one partition of a stream of report ``kind`` costs a day, caught up.

    On a 5-minute schedule: an ``event`` stream one per run; a summary stream what
    ``calls_per_day`` simulates.
    """
    if kind == "event":
        return RUNS_A_DAY_AT_5_MINUTES
    return calls_per_day(
        many_days=kind == "daily", settle_days=settle_days, refresh_minutes=refresh_minutes
    )
