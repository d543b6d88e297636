"""The ``chatbot_interactions`` stream: report diagram_9, window by window.

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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.streams import Stream

from tap_wolkvox.client import ServerTimeoutError, WolkvoxClient
from tap_wolkvox.config import Settings
from tap_wolkvox.records import (
    DATE_FIELD,
    DOCUMENTED_FIELDS,
    EXTRA_FIELD,
    KEY_FIELD,
    LocalDates,
    RecordShaper,
)
from tap_wolkvox.windows import (
    ONE_SECOND,
    WalkTally,
    Window,
    WindowSizer,
    read_windows,
)

if TYPE_CHECKING:
    from singer_sdk import Tap
    from singer_sdk.helpers.types import Context, Record

_UTC = dt.timezone.utc


def chatbot_interactions_schema() -> dict[str, Any]:
    """JSON schema of a record."""
    nullable_text = {"type": ["string", "null"]}
    properties: dict[str, Any] = {
        KEY_FIELD: {
            "type": "string",
            "description": "Deterministic key of the row: see README, 'Record key'.",
        },
    }
    for name in DOCUMENTED_FIELDS:
        properties[name] = dict(nullable_text)
    properties[DATE_FIELD] = {
        "type": ["string", "null"],
        "format": "date-time",
        "description": "When the turn happened, RFC 3339 in UTC.",
    }
    properties[EXTRA_FIELD] = {
        "type": ["object", "null"],
        "additionalProperties": True,
        "description": "Fields Wolkvox sent that its documentation does not list.",
    }
    return {"type": "object", "properties": properties, "required": [KEY_FIELD]}


def utc_rfc3339(instant: dt.datetime) -> str:
    """An instant as RFC 3339 in UTC, at whole seconds: the format of ``date``."""
    return instant.astimezone(_UTC).replace(microsecond=0).isoformat()


class ChatbotInteractionsStream(Stream):
    """Chatbot turns (query + bot answer), one row per turn, from report diagram_9."""

    name = "chatbot_interactions"
    primary_keys: ClassVar[list[str]] = [KEY_FIELD]
    replication_key = DATE_FIELD
    # Bookmarks advance window by window in time order: resumable at every STATE.
    is_sorted = True
    # Records are built with the schema's types already; conforming them again per
    # record would only cost time.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE

    def __init__(self, tap: Tap) -> None:
        """Create the stream for ``tap``."""
        super().__init__(tap, schema=chatbot_interactions_schema())
        self._extra_names_logged: set[str] = set()

    @property
    def settings(self) -> Settings:
        """The tap's checked settings."""
        settings: Settings = self._tap.settings  # type: ignore[attr-defined]
        return settings

    def get_replication_key_signpost(
        self,
        context: Context | None = None,  # noqa: ARG002
    ) -> dt.datetime | None:
        """No signpost: the bookmark is a window end, never a record's value."""
        return None

    def _increment_stream_state(
        self,
        latest_record: Record,
        *,
        context: Context | None = None,
    ) -> None:
        """Records do not move the bookmark; completed windows do (``_complete_window``)."""

    def bookmark(self) -> dt.datetime | None:
        """The instant up to which an earlier run read everything, if any."""
        state = self.stream_state
        value = state.get("replication_key_value")
        if state.get("replication_key") != DATE_FIELD or not isinstance(value, str):
            return None
        try:
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.logger.warning("Ignoring unreadable bookmark %r; starting from start_date", value)
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=_UTC)

    def sync_range(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """The instants ``[start, end)`` this sync reads."""
        settings = self.settings
        start = settings.start
        previous = self.bookmark()
        if previous is not None:
            start = max(start, previous - settings.lookback)
        end = min(settings.end or now, now)
        return start, end

    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:  # noqa: ARG002
        """Every row of the sync range, window by window."""
        settings = self.settings
        dates = LocalDates(settings.timezone)
        start, end = self.sync_range(dt.datetime.now(tz=_UTC).replace(microsecond=0))
        self.logger.info(
            "Reading %s from %s to %s (%s wall-clock)",
            self.name,
            utc_rfc3339(start),
            utc_rfc3339(end),
            settings.timezone.key,
        )
        client = WolkvoxClient(settings)
        shaper = RecordShaper(dates)
        sizer = WindowSizer(settings.max_records_per_request, settings.max_window)
        tally = WalkTally()

        def fetch(window: Window) -> list[dict[str, Any]] | None:
            try:
                return client.fetch(
                    window.start, window.last_second, shrinkable=window.span > ONE_SECOND
                )
            except ServerTimeoutError:
                return None

        try:
            for window, rows in read_windows(
                dates.to_local(start),
                dates.to_local(end),
                sizer,
                fetch,
                max_timeouts=settings.max_attempts,
                tally=tally,
            ):
                yield from shaper.shape(rows)
                self._report_data_quirks(shaper, window)
                self._complete_window(dates.to_utc(window.end))
            if tally.windows == 0:
                # Nothing to read (end_date before the bookmark): confirm the bookmark.
                self._complete_window(end)
        finally:
            log = client.log
            answers = ", ".join(f"{status}: {n}" for status, n in sorted(log.statuses.items()))
            self.logger.info(
                "%s: %d calls (%d failed, %d capped, %d timed out) for %d windows and "
                "%d rows in %.1f s of API time; answers %s",
                self.name,
                log.calls,
                log.failed_calls,
                tally.capped,
                tally.timeouts,
                tally.windows,
                tally.rows,
                log.seconds,
                answers or "none",
            )

    def _report_data_quirks(self, shaper: RecordShaper, window: Window) -> None:
        new_names = shaper.extra_field_names - self._extra_names_logged
        if new_names:
            self.logger.info(
                "Wolkvox sent undocumented fields, kept under %s: %s",
                EXTRA_FIELD,
                ", ".join(sorted(new_names)),
            )
            self._extra_names_logged |= new_names
        if shaper.bad_dates:
            self.logger.warning(
                "%d rows in window %s have no readable date; kept with date null and the "
                "raw value under %s.date",
                shaper.bad_dates,
                window,
                EXTRA_FIELD,
            )
            shaper.bad_dates = 0

    def _complete_window(self, window_end: dt.datetime) -> None:
        """Bookmark ``window_end`` (never moving backwards) and emit STATE."""
        previous = self.bookmark()
        bookmark = window_end if previous is None else max(previous, window_end)
        state = self.stream_state
        state["replication_key"] = DATE_FIELD
        state["replication_key_value"] = utc_rfc3339(bookmark)
        self.state_manager.is_flushed = False
        self._write_state_message()
