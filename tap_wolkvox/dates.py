"""The operation's wall-clock time and UTC instants (pure logic, no network).

The API reads and writes naive wall-clock times of the operation (``YYYY-MM-DD
HH:MM:SS``, no offset). Two facts of wall-clock time matter for reading without a hole:

* when clocks go back, an hour of wall-clock time happens twice (the first and the
  second *pass*); the API cannot tell them apart, so a window that names a repeated
  wall-clock time returns the rows of both passes;
* when clocks go forward, an hour of wall-clock time never happens.

``LocalDates.wall_clock_range`` widens every range to whole repeated hours and
``LocalDates.covered_until`` says how far a walk over wall-clock time has covered the
instants, never further than is certain.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

API_DATE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:[0-5]\d")
_UTC = dt.UTC


class LocalDates:
    """Converts between the operation's wall-clock time and UTC instants.

    Conversions of row dates are cached per wall-clock minute: zone offsets only change
    at whole minutes, and a busy window repeats each minute many times.
    """

    def __init__(self, timezone: zoneinfo.ZoneInfo) -> None:
        """Convert from ``timezone``."""
        self.timezone = timezone
        self._minutes: dict[str, str] = {}

    def to_rfc3339(self, value: str) -> str | None:
        """``"2026-01-05 10:00:07"`` in Bogota gives ``"2026-01-05T15:00:07+00:00"``.

        A repeated wall-clock time (clocks going back) gives the instant of its first
        pass: the API sends no offset, so nothing tells the two passes apart.

        Returns None when ``value`` is not a valid API date.
        """
        if not API_DATE.fullmatch(value):
            return None
        minute = value[:16]
        prefix = self._minutes.get(minute)
        if prefix is None:
            local = self.parse(minute + ":00")  # also refuses month 13, hour 24 and the like
            if local is None:
                return None
            prefix = self.to_utc(local).strftime("%Y-%m-%dT%H:%M")
            if len(self._minutes) > 100_000:  # noqa: PLR2004  # bound memory on long runs
                self._minutes.clear()
            self._minutes[minute] = prefix
        return f"{prefix}:{value[17:]}+00:00"

    @staticmethod
    def parse(value: str) -> dt.datetime | None:
        """The naive wall-clock time of an API date, or None if it is not one."""
        if not API_DATE.fullmatch(value):
            return None
        try:
            # Once the pattern matched, fromisoformat reads exactly this layout, in C:
            # about 30 times faster than strptime.
            return dt.datetime.fromisoformat(value)
        except ValueError:  # month 13, 30 February and the like
            return None

    def to_utc(self, local: dt.datetime) -> dt.datetime:
        """The instant of a naive wall-clock time (the first pass when it is repeated)."""
        return local.replace(tzinfo=self.timezone, fold=0).astimezone(_UTC)

    def to_local(self, instant: dt.datetime) -> dt.datetime:
        """The naive wall-clock time of an instant, at whole seconds."""
        return instant.astimezone(self.timezone).replace(tzinfo=None, microsecond=0, fold=0)

    def covered_until(self, local: dt.datetime) -> dt.datetime:
        """How far a walk that has read all wall-clock time before ``local`` has read.

        Every instant before the one returned has a wall-clock time before ``local``.
        For a repeated wall-clock time that is its first pass; for one that never
        happened (clocks going forward) it is no later than the jump. Both are the
        earlier of the two readings of ``local``.
        """
        first = local.replace(tzinfo=self.timezone, fold=0).astimezone(_UTC)
        second = local.replace(tzinfo=self.timezone, fold=1).astimezone(_UTC)
        return min(first, second)

    def repeated_span(self, local: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
        """The wall-clock span ``[first, end)`` that happens twice and holds ``local``.

        None when ``local`` happens once (or never).
        """
        first_pass = local.replace(tzinfo=self.timezone, fold=0).astimezone(_UTC)
        second_pass = local.replace(tzinfo=self.timezone, fold=1).astimezone(_UTC)
        if second_pass <= first_pass:  # happens once, or falls in a gap
            return None
        # The clocks went back between the two passes: find that instant to the second.
        low, high = first_pass, second_pass
        after = second_pass.astimezone(self.timezone).utcoffset()
        while high - low > dt.timedelta(seconds=1):
            middle = low + (high - low) / 2
            if middle.astimezone(self.timezone).utcoffset() == after:
                high = middle
            else:
                low = middle
        span_start = self.to_local(high.replace(microsecond=0))
        return span_start, span_start + (second_pass - first_pass)

    def wall_clock_range(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[dt.datetime, dt.datetime]:
        """The wall-clock range whose rows hold every instant of ``[start, end)``.

        A range that starts or ends inside a repeated hour is widened to the whole
        repeated hour: a bookmark in its first pass would otherwise leave the second
        pass before it unread, and the walk would start or stop in the middle of rows
        the API cannot tell apart.
        """
        first, last = self.to_local(start), self.to_local(end)
        first_span = self.repeated_span(first)
        if first_span is not None:
            first = first_span[0]
        last_span = self.repeated_span(last)
        if last_span is not None:
            last = max(last, last_span[1])
        return first, last
