"""What a stream is: one Reports Manager report, read window by window or day by day.

Every event report is the same ``ReportStream``, every summary report the same
``SummaryStream``; what differs between reports (fields, time fields, filter field,
parameters, row cap, zone, key, dimensions, partition) is data in ``reports.py``.

An event stream's bookmark is the end of the last window read completely, not the
newest row seen: rows come in no known order, and an empty window must advance the
bookmark too. A summary stream's is the last settled day read (``snapshots.py``). A
STATE message follows every completed call, so a run killed at any moment resumes from
its last STATE without a hole. A report that needs a parameter choice is read once per
value, as SDK partitions, each with its own state.

SDK coupling (pinned to ``singer-sdk>=0.54.9,<0.55``, guarded by
``tests/test_sdk_contract.py``): per-record bookmark updates are switched off by
overriding ``_increment_stream_state``, and the per-window STATE is written through
``state_manager`` and ``_write_state_message``. The SDK has no public hook for either.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import zoneinfo
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
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
    BUCKET_START_FIELD,
    EXTRA_FIELD,
    KEY_FIELD,
    REPORT_DATE_FIELD,
    RecordShaper,
    SummaryShaper,
    UnreadableDayError,
    column_name,
)
from tap_wolkvox.reports import Partition, Report
from tap_wolkvox.snapshots import DayWindow, is_settled, plan_days, plan_windows
from tap_wolkvox.state import (
    READS_KEY,
    SIZING_KEY,
    StateError,
    StreamState,
    SummaryState,
    read_stream_state,
    read_summary_state,
)
from tap_wolkvox.token_lock import TokenLockError
from tap_wolkvox.windows import (
    API_MAX_SPAN,
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


_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_INSTANT: dict[str, Any] = {
    "type": ["string", "null"],
    "format": "date-time",
    "description": "An instant, RFC 3339 in UTC.",
}


def _inner_schema(names: Iterable[str], *, bucketed: bool) -> dict[str, Any]:
    """An object of a nested array or object field: its documented fields, as text."""
    properties: dict[str, Any] = dict.fromkeys(names, _TEXT)
    if bucketed:
        properties[BUCKET_START_FIELD] = {
            **_INSTANT,
            "description": "The start of the object's bucket, RFC 3339 in UTC.",
        }
    return {"type": "object", "properties": properties, "additionalProperties": True}


def report_schema(report: Report) -> dict[str, Any]:
    """JSON schema of a record of ``report``; its description names the report."""
    properties: dict[str, Any] = {
        KEY_FIELD: {
            "type": "string",
            "description": "Deterministic key of the row: see README, 'Record key'.",
        },
    }
    if report.kind != "event":
        properties[REPORT_DATE_FIELD] = {
            "type": "string",
            "format": "date",
            "description": "The day the row's totals are for, YYYY-MM-DD in `timezone`.",
        }
    if report.partition is not None:
        properties[report.partition.record_field] = {
            "type": "string",
            "description": f"The {report.partition.param} the row was read with.",
        }
    nested = dict(report.nested_fields)
    objects = dict(report.object_fields)
    for name in report.columns:
        if name in nested:
            inner = _inner_schema(nested[name], bucketed=name == report.bucket_parent)
            schema: dict[str, Any] = {"type": ["array", "null"], "items": inner}
        elif name in objects:
            schema = {**_inner_schema(objects[name], bucketed=False), "type": ["object", "null"]}
        elif name in report.time_fields:
            schema = _INSTANT
        else:
            schema = _TEXT
        properties[column_name(name)] = schema
    if report.bucket_field and not report.bucket_parent:
        properties[BUCKET_START_FIELD] = {
            **_INSTANT,
            "description": "The start of the row's bucket, RFC 3339 in UTC.",
        }
    properties[EXTRA_FIELD] = {
        "type": ["object", "null"],
        "additionalProperties": True,
        "description": "Fields Wolkvox sent that its documentation does not list.",
    }
    required = [KEY_FIELD] if report.kind == "event" else [KEY_FIELD, REPORT_DATE_FIELD]
    return {
        "type": "object",
        "description": f"Wolkvox report {report.api}: {report.description}.",
        "properties": properties,
        "required": required,
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


def partition_values(partition: Partition, settings: Settings) -> tuple[str, ...]:
    """The values ``partition`` reads: fixed ones, or those of its setting."""
    if partition.values:
        return partition.values
    values: tuple[str, ...] = getattr(settings, partition.setting)
    return values


def partition_words(report: Report, context: Context | None) -> str:
    """``cod_act=cod_act1`` for a partition's lines; empty without one."""
    if not context or report.partition is None:
        return ""
    return f"{report.partition.param}={context[report.partition.record_field]}"


def partition_label(report: Report, context: Context | None) -> str:
    """`` (cod_act=cod_act1)`` after a stream's name; empty without a partition."""
    words = partition_words(report, context)
    return f" ({words})" if words else ""


class ReportStream(Stream):
    """One Reports Manager event report, read window by window; its registry entry says how.

    A report that needs a parameter choice (``Report.partition``) is read once per
    value, as SDK partitions: each has its own bookmark, and every record holds the
    value it was read with. ``SummaryStream`` reads summary reports, day by day.
    """

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
        self.bookmark_key = column_name(report.filter_field) or REPORT_DATE_FIELD
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
        """One per value of the report's partition parameter; None without one.

        Never the partitions a saved state lists (the SDK's default): values no longer
        configured (a campaign id removed) are not read, and their state is kept.
        """
        partition = self.report.partition
        if partition is None:
            return None
        # Keyed by the record's field, not the query parameter: the SDK copies a
        # context's keys into every record that lacks them.
        return [
            {partition.record_field: value} for value in partition_values(partition, self.settings)
        ]

    def partition_value(self, context: Context | None) -> str | None:
        """The partition parameter's value ``context`` reads; None without a partition."""
        partition = self.report.partition
        if partition is None or not context:
            return None
        return str(context[partition.record_field])

    def request_params(self, context: Context | None) -> tuple[tuple[str, str], ...]:
        """The partition's query parameter for ``context``; none without a partition."""
        value = self.partition_value(context)
        if value is None or self.report.partition is None:
            return ()
        return ((self.report.partition.param, value),)

    def saved_state(self, context: Context | None, now: dt.datetime) -> StreamState:
        """What the tap uses of this stream's (or partition's) saved state.

        Raises:
            StateError: a bookmark the tap cannot trust.
        """
        state = self.get_context_state(context)
        saved = read_stream_state(self.name, self.bookmark_key, state, now=now)
        if "partitions" in saved.ignored:  # only a stream without partitions sees them
            del state["partitions"]
        self._warn_ignored(saved.ignored, restarts=saved.bookmark is None)
        return saved

    def _warn_ignored(self, ignored: tuple[str, ...], *, restarts: bool) -> None:
        if ignored:
            self.logger.warning(
                "%s: ignoring %s in the saved state; this version does not use it%s",
                self.name,
                " and ".join(ignored),
                ", so the stream starts again at start_date" if restarts else "",
            )

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Every row of the sync range (of one partition), window by window.

        A failure is recorded on the tap's ``outcome`` rather than raised: what was read
        before it is already delivered and bookmarked, the SDK ends the stream cleanly,
        and the tap's exit code says the run failed.
        """
        outcome: RunOutcome = self._tap.outcome  # type: ignore[attr-defined]
        label = partition_label(self.report, context)
        if outcome.stopped:
            why = " at the quota reserve" if outcome.planned_stop else ""
            self.logger.info("%s%s: not read; the run was stopped%s", self.name, label, why)
            return
        try:
            yield from self._read_range(context)
        except STREAM_ERRORS as exc:
            words = partition_words(self.report, context)
            outcome.fail(
                self.name, f"{self.report.api}, {words}" if words else self.report.api, exc
            )

    def planned_calls(self, saved: Mapping[str, Any], now: dt.datetime) -> int:
        """The fewest calls this stream needs this run, before any answer says more.

        ``saved`` is its saved state entry. Per partition: one per calendar month it
        reads (windows never cross one) and at least one per ``max_window_days``; none
        when it has nothing to read or its bookmark stops it.
        """
        total = 0
        for state in context_states(self, saved):
            try:
                total += self._partition_calls(state, now)
            except StateError:
                continue  # the stream stops on its bookmark before any call
        return total

    def _partition_calls(self, state: Mapping[str, Any], now: dt.datetime) -> int:
        """The fewest calls of one partition's run, from its own state.

        Raises:
            StateError: a bookmark the tap cannot trust.
        """
        settings = self.settings
        bookmark = read_stream_state(self.name, self.bookmark_key, state, now=now).bookmark
        dates, start, end = run_range(self.report, settings, bookmark, now)
        if start >= end:
            return 0
        first, last = dates.wall_clock_range(start, end)
        if first >= last:
            return 0
        final = last - ONE_SECOND
        months = (final.year - first.year) * 12 + final.month - first.month + 1
        spans = math.ceil((last - first) / min(settings.max_window, API_MAX_SPAN))
        return max(months, spans)

    def _read_range(self, context: Context | None) -> Iterator[dict[str, Any]]:
        settings = self.settings
        report = self.report
        label = partition_label(self.report, context)
        now = dt.datetime.now(tz=_UTC).replace(microsecond=0)
        saved = self.saved_state(context, now)
        self._bookmark = saved.bookmark
        dates, start, end = run_range(report, settings, self._bookmark, now)
        first, last = dates.wall_clock_range(start, end)
        self.logger.info(
            "Reading %s%s from %s to %s (%s to %s wall-clock in %s)",
            self.name,
            label,
            utc_rfc3339(start),
            utc_rfc3339(end),
            first,
            last,
            dates.timezone.key,
        )
        client: WolkvoxClient = self._tap.client  # type: ignore[attr-defined]
        shaper = RecordShaper(report, dates, self.partition_value(context))
        params = self.request_params(context)
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
                    report,
                    window.start,
                    window.last_second,
                    shrinkable=window.span > ONE_SECOND,
                    params=params,
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
                self._report_data_quirks(shaper, str(window))
                self._complete_window(read_until, context)
                if self.ABORT_AT_RECORD_COUNT is not None:
                    break  # a connection test (--test): one call is enough
            if tally.windows == 0 and self._bookmark is not None:
                # Nothing to read (end_date before the bookmark): confirm the bookmark.
                self._complete_window(self._bookmark, context)
            if settings.end is None or settings.end >= now:
                # Caught up: the next run reads minutes, which need no sizing. Dropping it
                # keeps every later STATE message small (it carries every stream's state);
                # a backfill that stops before now keeps it for the run that resumes it.
                self._sizer = None
                self.get_context_state(context).pop(SIZING_KEY, None)
        finally:
            log = client.log
            self.logger.info(
                "%s%s: %s (%d failed, %d capped, %d timed out) for %s and %s",
                self.name,
                label,
                counted(log.report_calls - calls_before, "call"),
                log.failed_report_calls - failed_before,
                tally.capped,
                tally.timeouts,
                counted(tally.windows, "window"),
                counted(tally.rows, "row"),
            )

    def _report_data_quirks(self, shaper: RecordShaper, window: str) -> None:
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

    def _complete_window(self, read_until: dt.datetime, context: Context | None) -> None:
        """Bookmark ``read_until`` (never moving backwards) and emit STATE."""
        previous = self._bookmark
        self._bookmark = read_until if previous is None else max(previous, read_until)
        state = self.get_context_state(context)
        state["replication_key"] = self.bookmark_key
        state["replication_key_value"] = utc_rfc3339(self._bookmark)
        if self._sizer is not None:
            state[SIZING_KEY] = self._sizer.to_state()
        self.state_manager.is_flushed = False
        self._write_state_message()


def context_states(stream: ReportStream, saved: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The saved state of each partition ``stream`` reads, from its state entry ``saved``.

    Without partitions, the entry itself; a partition with no saved state, an empty one.
    """
    contexts = stream.partitions
    if contexts is None:
        return [saved]
    listed = saved.get("partitions")
    entries = (
        [entry for entry in listed if isinstance(entry, dict)] if isinstance(listed, list) else []
    )
    return [
        next((entry for entry in entries if entry.get("context") == context), {})
        for context in contexts
    ]


class SummaryStream(ReportStream):
    """One summary report, read day by day (``snapshots.py`` says which days and calls).

    The bookmark is the last settled day read (``replication_key_value``, YYYY-MM-DD);
    ``snapshot_reads`` keeps when each later day was last read. A STATE message follows
    every call, so a stopped run resumes without re-reading what it finished.
    """

    def _partition_calls(self, state: Mapping[str, Any], now: dt.datetime) -> int:
        """The calls one partition's run plans, before any answer says more."""
        return len(self._plan(state, now)[3])

    def _plan(
        self, state: Mapping[str, Any], now: dt.datetime
    ) -> tuple[LocalDates, dt.date, SummaryState, list[DayWindow]]:
        """The zone, today in it, the saved state and the calls of one partition's run.

        Raises:
            StateError: a bookmark the tap cannot trust.
        """
        settings = self.settings
        dates = LocalDates(report_timezone(self.report, settings.timezone))
        today = dates.to_local(now).date()
        saved = read_summary_state(self.name, self.bookmark_key, state, today=today, now=now)
        last_day = today
        if settings.end is not None:
            last_day = min(today, dates.to_local(settings.end - ONE_SECOND).date())
        many_days = self.report.kind == "daily"
        days = plan_days(
            first_day=dates.to_local(settings.start).date(),
            last_day=last_day,
            bookmark=saved.bookmark,
            today=today,
            settle_days=settings.settle_days,
            last_reads=saved.last_reads,
            now=now,
            refresh=settings.snapshot_refresh,
            many_days=many_days,
        )
        max_days = settings.max_window.days
        return dates, today, saved, plan_windows(days, many_days=many_days, max_days=max_days)

    @override
    def _read_range(self, context: Context | None) -> Iterator[dict[str, Any]]:
        report = self.report
        label = partition_label(self.report, context)
        now = dt.datetime.now(tz=_UTC).replace(microsecond=0)
        state = self.get_context_state(context)
        dates, today, saved, windows = self._plan(state, now)
        self._warn_ignored(saved.ignored, restarts=True)
        settled = "none" if saved.bookmark is None else saved.bookmark.isoformat()
        self.logger.info(
            "Reading %s%s: %s in %s (settled up to %s; days in %s)",
            self.name,
            label,
            counted(sum(len(window.days) for window in windows), "day"),
            counted(len(windows), "call"),
            settled,
            dates.timezone.key,
        )
        client: WolkvoxClient = self._tap.client  # type: ignore[attr-defined]
        shaper = SummaryShaper(report, dates, self.partition_value(context))
        params = self.request_params(context)
        bookmark, last_reads = saved.bookmark, dict(saved.last_reads)
        pending = deque(windows)
        calls_before = client.log.report_calls
        rows_read = 0
        try:
            while pending:
                window = pending.popleft()
                rows = self._answer(client, window, dates.to_local(now), params)
                try:
                    records = (
                        None if rows is None else shaper.shape(rows, window.first, window.last)
                    )
                except UnreadableDayError as exc:
                    self.logger.info(
                        "%s%s: %s; reading %s day by day", self.name, label, exc, window
                    )
                    records = None
                if records is None:
                    pending.extendleft(reversed(window.single_days()))
                    continue
                rows_read += len(records)
                yield from records
                del rows, records
                self._report_data_quirks(shaper.rows, str(window))
                # Settled by the server's clock as well: a host clock running ahead must
                # not make a day final before the server's day has ended.
                server = client.server_time_of_last_call()
                settling = today if server is None else min(today, dates.to_local(server).date())
                for day in window.days:
                    if is_settled(day, settling, self.settings.settle_days):
                        bookmark = day if bookmark is None else max(bookmark, day)
                    else:
                        last_reads[day] = now
                self._complete_days(state, bookmark, last_reads)
                if self.ABORT_AT_RECORD_COUNT is not None:
                    break  # a connection test (--test): one call is enough
        finally:
            self.logger.info(
                "%s%s: %s for %s",
                self.name,
                label,
                counted(client.log.report_calls - calls_before, "call"),
                counted(rows_read, "row"),
            )

    def _answer(
        self,
        client: WolkvoxClient,
        window: DayWindow,
        now_local: dt.datetime,
        params: tuple[tuple[str, str], ...],
    ) -> list[dict[str, Any]] | None:
        """The rows of ``window``; None when its days must be read one by one instead.

        Raises:
            WindowError: one day's answer reached the row cap, or timed out every time.
        """
        first = dt.datetime.combine(window.first, dt.time())
        last = min(dt.datetime.combine(window.last, dt.time(23, 59, 59)), now_local)
        attempts = self.settings.max_attempts
        cap = self.settings.max_records_per_request or self.report.row_cap
        for attempt in range(1, attempts + 1):
            try:
                rows = client.fetch(self.report, first, last, shrinkable=True, params=params)
            except ServerTimeoutError as exc:
                if window.first != window.last:
                    self.logger.info("%s: %s; reading %s day by day", self.name, exc, window)
                    return None
                self.logger.warning(
                    "%s: %s timed out (attempt %d of %d)", self.name, window, attempt, attempts
                )
                continue
            if len(rows) >= cap:
                self._refuse_capped(window, len(rows), cap)
                return None
            return rows
        msg = (
            f"the answer for {window} timed out {attempts} times, and one day cannot be "
            "split further; raise request_timeout or max_attempts, or deselect the stream"
        )
        raise WindowError(msg)

    def _refuse_capped(self, window: DayWindow, rows: int, cap: int) -> None:
        """Let a capped window of several days be split; fail a capped single day.

        Raises:
            WindowError: one day's answer reached the row cap, so rows may be missing.
        """
        if window.first == window.last:
            msg = (
                f"the answer for {window} has {rows} rows, the cap ({cap}): rows may be "
                "missing, and one day cannot be split further; if max_records_per_request "
                "is set below the report's cap, raise or unset it, else deselect the stream"
            )
            raise WindowError(msg)
        self.logger.info(
            "%s: %s came back at the row cap (%d rows); reading it day by day",
            self.name,
            window,
            rows,
        )

    def _complete_days(
        self,
        state: dict[str, Any],
        bookmark: dt.date | None,
        last_reads: dict[dt.date, dt.datetime],
    ) -> None:
        """Bookmark the last settled day read, keep later days' last reads; emit STATE."""
        if bookmark is not None:
            state["replication_key"] = self.bookmark_key
            state["replication_key_value"] = bookmark.isoformat()
        state[READS_KEY] = {
            day.isoformat(): utc_rfc3339(instant)
            for day, instant in sorted(last_reads.items())
            if bookmark is None or day > bookmark
        }
        self.state_manager.is_flushed = False
        self._write_state_message()


def stream_of(tap: Tap, report: Report) -> ReportStream:
    """The stream that reads ``report``: by windows of time or by days."""
    return ReportStream(tap, report) if report.kind == "event" else SummaryStream(tap, report)
