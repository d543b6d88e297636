"""tap-wolkvox: settings, streams and the command line."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any, ClassVar

import simplejson  # the SDK's JSON reader for --config/--state files
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.helpers.capabilities import (
    CapabilitiesEnum,
    PluginCapabilities,
    TapCapabilities,
)

from tap_wolkvox import config as cfg
from tap_wolkvox.client import WolkvoxError
from tap_wolkvox.streams import ChatbotInteractionsStream
from tap_wolkvox.windows import WindowError

SETTINGS = th.PropertiesList(
    th.Property(
        "server",
        th.StringType(nullable=False),
        required=True,
        title="Server",
        description=(
            "Your operation's 4-digit Wolkvox server number, as shown in the address of "
            "Wolkvox Manager (wvNNNN.wolkvox.com). 0032, wv0032, wv0032.wolkvox.com and "
            "https://wv0032.wolkvox.com are all accepted."
        ),
        examples=["0032", "wv0032", "https://wv0032.wolkvox.com"],
    ),
    th.Property(
        "token",
        th.StringType(nullable=False),
        required=True,
        secret=True,
        title="API token",
        description=(
            "The wolkvox-token generated in Wolkvox Manager (Configuration > API token). "
            "Sent only in the request header; never logged."
        ),
        examples=["<your wolkvox-token>"],
    ),
    th.Property(
        "start_date",
        th.StringType(nullable=False),
        required=True,
        title="Start date",
        description=(
            "Where extraction starts when there is no saved state. RFC 3339; a value "
            "without an offset is read in `timezone`."
        ),
        examples=["2026-01-01T00:00:00-05:00", "2026-01-01"],
    ),
    th.Property(
        "end_date",
        th.StringType,
        title="End date",
        description=(
            "Where extraction stops (exclusive), for backfills. Default: now. RFC 3339; a "
            "value without an offset is read in `timezone`."
        ),
        examples=["2026-04-01T00:00:00-05:00"],
    ),
    th.Property(
        "timezone",
        th.StringType,
        default=cfg.DEFAULT_TIMEZONE,
        title="Time zone",
        description=(
            "IANA time zone in which your operation's API reads and writes dates. Records "
            "carry `date` in UTC whatever this is."
        ),
        examples=["America/Bogota", "America/Mexico_City"],
    ),
    th.Property(
        "lookback_minutes",
        th.IntegerType,
        default=cfg.DEFAULT_LOOKBACK_MINUTES,
        title="Lookback (minutes)",
        description=(
            "How far before the saved bookmark each incremental run reads again, to catch "
            "rows Wolkvox records late. Rows read twice keep their `record_key`, so targets "
            "that upsert on the key store them once. 0 to 10080."
        ),
        examples=[15, 60],
    ),
    th.Property(
        "max_records_per_request",
        th.IntegerType,
        default=cfg.DEFAULT_MAX_RECORDS_PER_REQUEST,
        title="Row cap per call",
        description=(
            "A response with this many rows or more may have been cut off by Wolkvox, so "
            "its window is split and read again. Wolkvox documents 6000 for this report; "
            "raise it (at most 60000) only if your operation is known to return more."
        ),
        examples=[6000],
    ),
    th.Property(
        "request_timeout",
        th.NumberType,
        default=cfg.DEFAULT_REQUEST_TIMEOUT,
        title="Request timeout (seconds)",
        description=(
            "Seconds allowed per call. Keep it above the server's own 60 s limit. A window "
            "that times out is retried as a smaller window."
        ),
        examples=[90],
    ),
    th.Property(
        "api_url",
        th.StringType,
        title="API base URL",
        description=(
            "Overrides https://wv{server}.wolkvox.com, for proxies and local testing. "
            "http:// is accepted only for loopback hosts, so the token never crosses a "
            "network in clear text."
        ),
        examples=["https://proxy.example.com/wolkvox", "http://127.0.0.1:8765"],
    ),
    th.Property(
        "max_window_days",
        th.IntegerType,
        default=cfg.DEFAULT_MAX_WINDOW_DAYS,
        title="Largest window (days)",
        description=(
            "The longest date range asked for in one call, 1 to 31. Windows also never "
            "cross a calendar month and shrink on their own where data is dense."
        ),
        examples=[31, 7],
    ),
    th.Property(
        "max_attempts",
        th.IntegerType,
        default=cfg.DEFAULT_MAX_ATTEMPTS,
        title="Attempts per call",
        description=(
            "How many times one window is tried on temporary failures (server errors, "
            "dropped connections, a busy token, maintenance) before the run fails. 1 to 50."
        ),
        examples=[5],
    ),
    th.Property(
        "retry_wait_seconds",
        th.NumberType,
        default=cfg.DEFAULT_RETRY_WAIT_SECONDS,
        title="First retry wait (seconds)",
        description="Wait before the first retry; it doubles with each further attempt.",
        examples=[2],
    ),
    th.Property(
        "maintenance_wait_seconds",
        th.NumberType,
        default=cfg.DEFAULT_MAINTENANCE_WAIT_SECONDS,
        title="Maintenance wait (seconds)",
        description=(
            "Wait before retrying when Wolkvox says API use is disabled for maintenance; "
            "it doubles with each further attempt."
        ),
        examples=[120],
    ),
).to_dict()


class TapWolkvox(Tap):
    """Singer tap for Wolkvox chatbot interactions."""

    name = "tap-wolkvox"
    config_jsonschema = SETTINGS
    message_writer_class = MsgSpecWriter
    # No BATCH (its files would be written after the per-window STATE, so a killed run
    # could bookmark rows never delivered) and no ACTIVATE_VERSION (full-table only).
    capabilities: ClassVar[list[CapabilitiesEnum]] = [
        TapCapabilities.CATALOG,
        TapCapabilities.STATE,
        TapCapabilities.DISCOVER,
        PluginCapabilities.ABOUT,
        PluginCapabilities.STREAM_MAPS,
        PluginCapabilities.FLATTENING,
        PluginCapabilities.STRUCTURED_LOGGING,
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        """Create the tap; with ``validate_config`` (the default), check every setting."""
        self._settings: cfg.Settings | None = None
        super().__init__(*args, **kwargs)
        if kwargs.get("validate_config", True):
            _ = self.settings

    @property
    def settings(self) -> cfg.Settings:
        """Checked settings.

        Raises:
            ConfigValidationError: listing every problem, one line each.
        """
        if self._settings is None:
            try:
                self._settings = cfg.parse_settings(dict(self.config))
            except cfg.SettingsError as exc:
                summary = "Config validation failed"
                raise ConfigValidationError(summary, errors=exc.problems) from None
        return self._settings

    def discover_streams(self) -> list[ChatbotInteractionsStream]:
        """The tap's one stream."""
        return [ChatbotInteractionsStream(self)]


def main() -> None:
    """Run the tap; Wolkvox and settings errors end with one line and exit code 1.

    Every window completed before such an error has already been emitted and
    bookmarked: a STATE follows each window.
    """
    logger = logging.getLogger(TapWolkvox.name)
    try:
        TapWolkvox.cli()
    except (WolkvoxError, WindowError) as exc:
        logger.error("%s", exc)  # noqa: TRY400
        sys.exit(1)
    except ConfigValidationError as exc:
        for problem in exc.errors:
            logger.error("Config: %s", problem)  # noqa: TRY400
        sys.exit(1)
    except (FileNotFoundError, json.JSONDecodeError, simplejson.JSONDecodeError) as exc:
        # A --config, --state or --catalog file that is missing or not JSON.
        logger.error(  # noqa: TRY400
            "Cannot read an input file (--config, --state or --catalog): %s", exc
        )
        sys.exit(1)
