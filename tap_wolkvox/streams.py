"""What a stream is: one Reports Manager report, read window by window.

Every report is the same ``ReportStream``; what differs between reports (fields, time
fields, filter field, parameters, row cap, zone, key) is data in ``reports.py``.

The bookmark is the end of the last window read completely, not the newest row seen:
rows come in no known order, and an empty window must advance the bookmark too. A
STATE message follows every completed window, so a run killed at any moment resumes
from its last STATE without a hole.

SDK coupling (pinned to ``singer-sdk>=0.54.9,<0.55``, guarded by
``tests/test_sdk_contract.py``): per-record bookmark updates are switched off by
overriding ``_increment_stream_state``, and the per-window STATE is written through
``state_manager`` and ``_write_state_message``. The SDK has no public hook for either.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams import Stream
from typing_extensions import override

from tap_wolkvox.client import WolkvoxClient
from tap_wolkvox.config import Settings
from tap_wolkvox.dates import LocalDates
from tap_wolkvox.errors import (
    InvalidTokenError,
    QuotaExhaustedError,
    QuotaReserveReachedError,
    ServerTimeoutError,
    TransientApiError,
    WolkvoxError,
)
from tap_wolkvox.records import (
    EXTRA_FIELD,
    KEY_FIELD,
    RecordShaper,
    column_name,
)
from tap_wolkvox.reports import Report
from tap_wolkvox.state import SIZING_KEY, StateError, StreamState, read_stream_state
from tap_wolkvox.token_lock import TokenLockError
from tap_wolkvox.windows import (
    ONE_SECOND,
    WalkTally,
    Window,
    WindowError,
    WindowSizer,
    read_instants,
    sync_range,
)

if TYPE_CHECKING:
    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context, Record

_UTC = dt.UTC
_LOGGER = logging.getLogger("tap-wolkvox")
# What ends one stream with a clear line; anything else is a bug and keeps its traceback.
STREAM_ERRORS = (WolkvoxError, WindowError, StateError, TokenLockError)
# What ends the whole run: no other stream could do better.
RUN_STOPPERS = (QuotaExhaustedError, InvalidTokenError, TransientApiError, TokenLockError)
# What ends the whole run as planned, not as a failure: the exit code stays 0.
PLANNED_STOPS = (QuotaReserveReachedError,)


def counted(number: int, noun: str) -> str:
    """``1 call``, ``2 calls``: a count for the logs, in plain English."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass
class RunOutcome:
    """The failures the streams of one run met; the tap's exit code comes from here.

    A planned stop (``PLANNED_STOPS``: the quota reserve) stops the other streams too,
    with its own one line, but is not a failure.
    """

    failures: list[str] = field(default_factory=list)
    stopped: bool = False
    planned_stop: str | None = None  # the line of a planned stop, once one happened

    def fail(self, stream: str, api: str, error: Exception) -> None:
        """Record and log ``error``, which ended ``stream`` (report ``api``)."""
        if isinstance(error, PLANNED_STOPS):
            self.stop_as_planned(error)
            return
        line = f"{stream} (report {api}): {error}"
        if isinstance(error, RUN_STOPPERS):
            self.stopped = True
        else:
            line += (
                "; the other streams carry on. To stop reading this one, deselect it "
                f"(`meltano select tap-wolkvox --exclude {stream} '*'`, or "
                '`"selected": false` in the catalog)'
            )
        _LOGGER.error("%s", line)
        self.failures.append(line)

    def stop_as_planned(self, reason: Exception) -> None:
        """Stop the run for ``reason``, said in one line; the exit code stays 0."""
        self.stopped = True
        if self.planned_stop is None:
            self.planned_stop = str(reason)
            _LOGGER.warning("%s", reason)


def report_schema(report: Report) -> dict[str, Any]:
    """JSON schema of a record of ``report``; its description names the report."""
    properties: dict[str, Any] = {
        KEY_FIELD: {
            "type": "string",
            "description": "Deterministic key of the row: see README, 'Record key'.",
        },
    }
    for name in report.columns:
        properties[column_name(name)] = (
            {
                "type": ["string", "null"],
                "format": "date-time",
                "description": "An instant, RFC 3339 in UTC.",
            }
            if name in report.time_fields
            else {"type": ["string", "null"]}
        )
    properties[EXTRA_FIELD] = {
        "type": ["object", "null"],
        "additionalProperties": True,
        "description": "Fields Wolkvox sent that its documentation does not list.",
    }
    return {
        "type": "object",
        "description": f"Wolkvox report {report.api}: {report.description}.",
        "properties": properties,
        "required": [KEY_FIELD],
    }


def report_timezone(report: Report, operation: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    """The zone of ``report``'s times: the operation's, unless the report fixes one."""
    if report.fixed_utc_offset_hours is None:
        return operation
    # POSIX-style names invert the sign: Etc/GMT+5 is UTC-5.
    return zoneinfo.ZoneInfo(f"Etc/GMT{-report.fixed_utc_offset_hours:+d}")


def run_range(
    report: Report, settings: Settings, bookmark: dt.datetime | None, now: dt.datetime
) -> tuple[LocalDates, dt.datetime, dt.datetime]:
    """The report's wall clock, and the instants ``[start, end)`` a run of it reads."""
    dates = LocalDates(report_timezone(report, settings.timezone))
    start, end = sync_range(settings.start, settings.end, bookmark, settings.lookback, now)
    return dates, start, end


def utc_rfc3339(instant: dt.datetime) -> str:
    """An instant as RFC 3339 in UTC, at whole seconds: the format of ``date``."""
    return instant.astimezone(_UTC).replace(microsecond=0).isoformat()


class ReportStream(Stream):
    """One Reports Manager report, read window by window; its registry entry says how."""

    primary_keys: ClassVar[list[str]] = [KEY_FIELD]
    # Bookmarks advance window by window in time order: resumable at every STATE.
    is_sorted = True
    # Records are built with the schema's types already; conforming them again per
    # record would only cost time.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    def __init__(self, tap: Tap, report: Report) -> None:
        """Create the stream of ``report`` for ``tap``."""
        self.report = report
        self.selected_by_default = report.selected_by_default
        super().__init__(tap, schema=report_schema(report), name=report.stream)
        # The bookmark's key: the column of the field the API selects rows by.
        self.bookmark_key = column_name(report.filter_field)
        self.replication_key = self.bookmark_key
        self._extra_names_logged: set[str] = set()
        self._bookmark: dt.datetime | None = None  # what the latest STATE says
        self._sizer: WindowSizer | None = None  # kept in state next to the bookmark

    @property
    def settings(self) -> Settings:
        """The tap's checked settings."""
        settings: Settings = self._tap.settings  # type: ignore[attr-defined]
        return settings

    @override
    def get_replication_key_signpost(
        self,
        context: Context | None = None,
    ) -> dt.datetime | None:
        """No signpost: the bookmark is a window end, never a record's value."""
        return None

    @override
    def _increment_stream_state(
        self,
        latest_record: Record,
        *,
        context: Context | None = None,
    ) -> None:
        """Records do not move the bookmark; completed windows do (``_complete_window``)."""

    @override
    def compare_start_date(self, value: str, start_date_value: str) -> str:
        """The saved bookmark, unparsed: ``get_records`` reads it (``read_stream_state``).

        The SDK's own comparison parses both values and would crash on a bookmark it
        cannot read, before the tap could say what is wrong with it.
        """
        return value

    @property
    @override
    def partitions(self) -> list[dict[str, Any]] | None:
        """No partitions, whatever a saved state says (see ``read_stream_state``)."""
        return None

    def saved_state(self, now: dt.datetime) -> StreamState:
        """What the tap uses of this stream's saved state.

        Raises:
            StateError: a bookmark the tap cannot trust.
        """
        saved = read_stream_state(self.name, self.bookmark_key, self.stream_state, now=now)
        if "partitions" in saved.ignored:
            del self.stream_state["partitions"]
        if saved.ignored:
            self.logger.warning(
                "%s: ignoring %s in the saved state; this version does not use it%s",
                self.name,
                " and ".join(saved.ignored),
                "" if saved.bookmark else ", so the stream starts again at start_date",
            )
        return saved

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Every row of the sync range, window by window.

        A failure is recorded on the tap's ``outcome`` rather than raised: what was read
        before it is already delivered and bookmarked, the SDK ends the stream cleanly,
        and the tap's exit code says the run failed.
        """
        outcome: RunOutcome = self._tap.outcome  # type: ignore[attr-defined]
        if outcome.stopped:
            why = " at the quota reserve" if outcome.planned_stop else ""
            self.logger.info("%s: not read; the run was stopped%s", self.name, why)
            return
        try:
            yield from self._read_range()
        except STREAM_ERRORS as exc:
            outcome.fail(self.name, self.report.api, exc)

    def _read_range(self) -> Iterator[dict[str, Any]]:
        settings = self.settings
        report = self.report
        now = dt.datetime.now(tz=_UTC).replace(microsecond=0)
        saved = self.saved_state(now)
        self._bookmark = saved.bookmark
        dates, start, end = run_range(report, settings, self._bookmark, now)
        first, last = dates.wall_clock_range(start, end)
        self.logger.info(
            "Reading %s from %s to %s (%s to %s wall-clock in %s)",
            self.name,
            utc_rfc3339(start),
            utc_rfc3339(end),
            first,
            last,
            dates.timezone.key,
        )
        client: WolkvoxClient = self._tap.client  # type: ignore[attr-defined]
        shaper = RecordShaper(report, dates)
        sizer = WindowSizer.from_state(
            settings.max_records_per_request or report.row_cap, settings.max_window, saved.sizing
        )
        self._sizer = sizer
        tally = WalkTally()
        # Report calls only: token_info's, made for the whole run, are in the run's total.
        calls_before, failed_before = client.log.report_calls, client.log.failed_report_calls

        def fetch(window: Window) -> list[dict[str, Any]] | None:
            try:
                return client.fetch(
                    report, window.start, window.last_second, shrinkable=window.span > ONE_SECOND
                )
            except ServerTimeoutError:
                return None

        try:
            for window, rows, read_until in read_instants(
                start,
                end,
                dates=dates,
                sizer=sizer,
                fetch=fetch,
                max_timeouts=settings.max_attempts,
                filter_field=report.filter_field,
                tally=tally,
                server_clock=client.server_time_of_last_call,
            ):
                yield from shaper.shape(rows)
                del rows  # one answer in memory at a time (peak RSS of a backfill)
                self._report_data_quirks(shaper, window)
                self._complete_window(read_until)
                if self.ABORT_AT_RECORD_COUNT is not None:
                    break  # a connection test (--test): one call is enough
            if tally.windows == 0 and self._bookmark is not None:
                # Nothing to read (end_date before the bookmark): confirm the bookmark.
                self._complete_window(self._bookmark)
            if settings.end is None or settings.end >= now:
                # Caught up: the next run reads minutes, which need no sizing. Dropping it
                # keeps every later STATE message small (it carries every stream's state);
                # a backfill that stops before now keeps it for the run that resumes it.
                self._sizer = None
                self.stream_state.pop(SIZING_KEY, None)
        finally:
            log = client.log
            self.logger.info(
                "%s: %s (%d failed, %d capped, %d timed out) for %s and %s",
                self.name,
                counted(log.report_calls - calls_before, "call"),
                log.failed_report_calls - failed_before,
                tally.capped,
                tally.timeouts,
                counted(tally.windows, "window"),
                counted(tally.rows, "row"),
            )

    def _report_data_quirks(self, shaper: RecordShaper, window: Window) -> None:
        new_names = shaper.extra_field_names - self._extra_names_logged
        if new_names:
            self.logger.info(
                "%s: Wolkvox sent undocumented fields, kept under %s: %s",
                self.name,
                EXTRA_FIELD,
                ", ".join(sorted(new_names)),
            )
            self._extra_names_logged |= new_names
        if shaper.bad_dates:
            self.logger.warning(
                "%s: %d rows in window %s have a time field that cannot be read; kept, "
                "with the column null and the raw value under %s",
                self.name,
                shaper.bad_dates,
                window,
                EXTRA_FIELD,
            )
            shaper.bad_dates = 0

    def _complete_window(self, read_until: dt.datetime) -> None:
        """Bookmark ``read_until`` (never moving backwards) and emit STATE."""
        previous = self._bookmark
        self._bookmark = read_until if previous is None else max(previous, read_until)
        state = self.stream_state
        state["replication_key"] = self.bookmark_key
        state["replication_key_value"] = utc_rfc3339(self._bookmark)
        if self._sizer is not None:
            state[SIZING_KEY] = self._sizer.to_state()
        self.state_manager.is_flushed = False
        self._write_state_message()
