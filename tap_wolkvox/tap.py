"""tap-wolkvox: settings, streams and the command line."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, ClassVar, NoReturn

import click
import dotenv
import simplejson  # the SDK's JSON reader for --config/--state files
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.helpers._classproperty import classproperty
from singer_sdk.helpers.capabilities import (
    CapabilitiesEnum,
    PluginCapabilities,
    TapCapabilities,
)
from singer_sdk.plugin_base import JSONSchemaValidator
from typing_extensions import override

from tap_wolkvox import config as cfg
from tap_wolkvox.client import WolkvoxClient
from tap_wolkvox.quota import QUOTA_KEY, QuotaGuard, QuotaReading
from tap_wolkvox.reports import ALL_REPORTS
from tap_wolkvox.snapshots import partition_calls_per_day
from tap_wolkvox.state import drop_damaged_partitions
from tap_wolkvox.streams import (
    ReportStream,
    RunOutcome,
    counted,
    partition_values,
    stream_of,
)

if TYPE_CHECKING:
    from singer_sdk.helpers.types import TapState
    from singer_sdk.plugin_base import _ConfigInput

_SUMMARY = "Config validation failed"
CALLS_PER_LICENCE = 1000


def number_setting(
    name: str,
    *,
    default: float | None,
    title: str,
    description: str,
    examples: list[float],
) -> th.Property[Any]:
    """A numeric setting whose type and range come from ``config.NUMBER_RANGES``.

    The range goes into the schema (``minimum``, ``maximum``), so ``--about`` shows it
    and validation refuses values outside it, and into the description's last sentence.
    """
    limits = cfg.NUMBER_RANGES[name]
    kind = th.IntegerType if limits.integer else th.NumberType
    allowed = cfg.number_expectation(name, integer=limits.integer)
    return th.Property(
        name,
        kind(minimum=limits.low, maximum=limits.high),
        default=default,
        title=title,
        description=f"{description} {allowed[0].upper()}{allowed[1:]}.",
        examples=examples,
    )


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
            "Where extraction starts when there is no saved state. YYYY-MM-DD or an RFC "
            "3339 date-time; a value without an offset is read in `timezone`."
        ),
        examples=["2026-01-01T00:00:00-05:00", "2026-01-01"],
    ),
    th.Property(
        "end_date",
        th.StringType,
        title="End date",
        description=(
            "Where extraction stops (exclusive), for backfills. Default: now. YYYY-MM-DD or "
            "an RFC 3339 date-time; a value without an offset is read in `timezone`."
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
    number_setting(
        "lookback_minutes",
        default=cfg.DEFAULT_LOOKBACK_MINUTES,
        title="Lookback (minutes)",
        description=(
            "How far before the saved bookmark each incremental run reads again, to catch "
            "rows Wolkvox records late. Rows read twice keep their `record_key`, so targets "
            "that upsert on the key store them once."
        ),
        examples=[15, 60],
    ),
    number_setting(
        "max_records_per_request",
        default=None,
        title="Row cap per call",
        description=(
            "A response with this many rows or more may have been cut off by Wolkvox, so "
            "its window is split and read again. Unset, each report uses the cap its "
            "documentation states (6000 for chatbot_interactions, 60000 for the others); "
            "set, it applies to every stream."
        ),
        examples=[6000],
    ),
    number_setting(
        "request_timeout",
        default=cfg.DEFAULT_REQUEST_TIMEOUT,
        title="Request timeout (seconds)",
        description=(
            "Seconds allowed per call. Keep it above the server's own 60 s limit. A window "
            "that times out is retried as a smaller window. Another tap-wolkvox process "
            "using the same token is waited for at most three times this long."
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
    number_setting(
        "max_window_days",
        default=cfg.DEFAULT_MAX_WINDOW_DAYS,
        title="Largest window (days)",
        description=(
            "The longest date range asked for in one call. Windows also never cross a "
            "calendar month and shrink on their own where data is dense."
        ),
        examples=[31, 7],
    ),
    number_setting(
        "max_attempts",
        default=cfg.DEFAULT_MAX_ATTEMPTS,
        title="Attempts per call",
        description=(
            "How many times one window is tried on temporary failures (server errors, "
            "dropped connections, a busy token, maintenance) before the run fails."
        ),
        examples=[5],
    ),
    number_setting(
        "retry_wait_seconds",
        default=cfg.DEFAULT_RETRY_WAIT_SECONDS,
        title="First retry wait (seconds)",
        description="Wait before the first retry; it doubles with each further attempt.",
        examples=[2],
    ),
    number_setting(
        "maintenance_wait_seconds",
        default=cfg.DEFAULT_MAINTENANCE_WAIT_SECONDS,
        title="Maintenance wait (seconds)",
        description=(
            "Wait before retrying when Wolkvox says API use is disabled for maintenance; "
            "it doubles with each further attempt."
        ),
        examples=[120],
    ),
    number_setting(
        "quota_reserve",
        default=None,
        title="Quota reserve (calls)",
        description=(
            "Calls of the operation's daily quota this tap leaves for its other "
            "integrations (dialers, CRM, dashboards). Set, the tap reads Wolkvox's "
            "token_info (one call, about once an hour) and stops a run before the calls "
            "left today would fall below this number: what was read is delivered and "
            "bookmarked, the exit code is 0, and a run after midnight in `timezone` "
            "carries on. Unset, no token_info call is made and runs spend calls until "
            "Wolkvox refuses them."
        ),
        examples=[200, 1000],
    ),
    number_setting(
        "settle_days",
        default=cfg.DEFAULT_SETTLE_DAYS,
        title="Days until totals settle",
        description=(
            "Summary streams (one row per day and agent, skill, code...): whole days after "
            "a day before its totals are final (late rows, late coding). Until then the day "
            "is read again at each refresh; once settled it is read one last time and "
            "bookmarked. Raise it if your operation codes calls days later."
        ),
        examples=[1, 3],
    ),
    number_setting(
        "snapshot_refresh_minutes",
        default=cfg.DEFAULT_SNAPSHOT_REFRESH_MINUTES,
        title="Refresh of unsettled days (minutes)",
        description=(
            "Summary streams: how old the last read of a day not yet settled must be "
            "before a run reads it again. On a 5-minute schedule the default costs a "
            "one-call-per-day stream 49 calls a day (README, 'Summary streams'); 0 reads "
            "every unsettled day at every run."
        ),
        examples=[60, 180],
    ),
    th.Property(
        "campaign_ids",
        th.ArrayType(th.StringType),
        default=list(cfg.DEFAULT_CAMPAIGN_IDS),
        title="Campaign ids",
        description=(
            'The campaigns the campaign summary streams read, one partition each: ["all"] '
            "(every campaign, the default) or explicit ids. preview_campaign_calls needs "
            "explicit ids. The event streams campaign_attempts, amd_detections and "
            "whatsapp_campaign_records always read every campaign."
        ),
        examples=[["all"], ["101", "102"]],
    ),
    # Declared here because the SDK would add it as a plain setting: its values (a hash
    # salt) must stay out of messages, `--about` examples and Meltano's listings.
    th.Property(
        "stream_map_config",
        th.ObjectType(additional_properties=True),
        secret=True,
        title="Stream map config",
        description=(
            "Values that stream-map expressions read as `config`, such as the salt of a "
            "hash (README, Personal data). Secret: never shown in the tap's messages."
        ),
    ),
).to_dict()


class SdkNoiseFilter(logging.Filter):
    """Drops SDK log lines that are noise for this tap; every other line passes.

    * "Skipping parse of env var settings..." comes on every start without ``--config
      ENV`` and says nothing a user needs; "Skipping deselected stream 'x'." comes once
      per stream not selected, 40 lines a run, when one line already names the selected.
    * "An unhandled error occurred while syncing" is logged by the SDK when the dry run
      of ``--test`` stops a stream on purpose after one record: not an error at all. The
      tap's own stops never reach it; a real bug still shows its traceback.
    """

    def __init__(self, *, connection_test: bool = False) -> None:
        """Drop the start-up line; with ``connection_test``, the dry-run abort line too."""
        super().__init__()
        self.connection_test = connection_test

    @override
    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith(("Skipping parse of env var settings", "Skipping deselected stream")):
            return False
        return not (self.connection_test and message.startswith("An unhandled error occurred"))


logging.getLogger("tap-wolkvox").addFilter(SdkNoiseFilter())


class TapWolkvox(Tap):
    """Singer tap for the Wolkvox Reports Manager: chatbot turns, calls, chats and more."""

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
        self._client: WolkvoxClient | None = None
        self.outcome = RunOutcome()
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
                raise ConfigValidationError(_SUMMARY, errors=exc.problems) from None
        return self._settings

    @override
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        """Check the settings: the schema's rules, then the tap's own checks.

        Every problem comes out as ``setting: what is wrong; what to do`` and never shows
        a secret's value; the SDK's own wording would echo the token. A private SDK
        hook, guarded by ``tests/test_sdk_contract.py``.

        Raises:
            ConfigValidationError: when ``raise_errors`` and any setting is wrong.
        """
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        secrets = cfg.secret_settings(schema)
        # The SDK's validator, which also fills in the schema's defaults.
        problems = [
            cfg.describe_schema_error(error, secrets)
            for error in JSONSchemaValidator(schema).iter_errors(self._config)
        ]
        named = {problem.split(":", 1)[0] for problem in problems}
        try:
            self._settings = cfg.parse_settings(dict(self._config))
        except cfg.SettingsError as exc:
            problems += [p for p in exc.problems if p.split(":", 1)[0] not in named]
        if problems and raise_errors:
            raise ConfigValidationError(_SUMMARY, errors=problems)
        return problems

    @classproperty
    @override
    def _env_var_config(cls) -> dict[str, Any]:  # noqa: N805
        """Settings given as ``TAP_WOLKVOX_<SETTING>`` variables, by the schema's types.

        Like the SDK, a ``.env`` file is read first (without overriding the
        environment). Unlike it, a value of the wrong kind is a settings problem, not a
        traceback, and a number may be given as ``30`` or ``30.5``.

        Raises:
            ConfigValidationError: a variable that cannot be read.
        """
        schema = cls.config_jsonschema
        cls.append_builtin_config(schema)
        dotenv.load_dotenv(dotenv.find_dotenv(usecwd=True), override=False)
        values, problems = cfg.read_environment(schema, cls._env_var_prefix, os.environ)
        if problems:
            raise ConfigValidationError(_SUMMARY, errors=problems)
        return values

    @override
    def load_state(self, state: dict[str, Any]) -> None:
        """Take the saved state, less partition entries the SDK would crash on.

        Said in one WARNING line per stream; such a partition starts again at start_date.
        """
        for stream, count in drop_damaged_partitions(state).items():
            what = "its partitions" if count < 0 else f"{counted(count, 'partition')}"
            self.logger.warning(
                "%s: dropping %s of the saved state that cannot be read (no context, or "
                "listed twice); they start again at start_date",
                stream,
                what,
            )
        super().load_state(state)

    @property
    def client(self) -> WolkvoxClient:
        """The run's one client: one session, one token lock, one call at a time."""
        if self._client is None:
            self._client = WolkvoxClient(self.settings, quota=self.quota_guard())
        return self._client

    def selected_streams(self) -> list[ReportStream]:
        """The streams this run reads, in the order it reads them."""
        return [
            stream
            for stream in self.streams.values()
            if isinstance(stream, ReportStream) and stream.selected
        ]

    def quota_guard(self) -> QuotaGuard | None:
        """The guard of ``quota_reserve``, from the last reading in the state; None if unset.

        The reading is kept in the state entry of every selected stream, next to its
        bookmark: the SDK keeps only ``bookmarks`` of a state it is given, and Meltano
        stores and merges state per stream entry.
        """
        reserve = self.settings.quota_reserve
        if reserve is None:
            return None
        now = dt.datetime.now(dt.UTC)
        streams = self.selected_streams()
        return QuotaGuard(
            reserve,
            self.settings.timezone,
            latest_quota_reading(self.state),
            planned=sum(
                stream.planned_calls(saved_entry(self.state, stream), now) for stream in streams
            ),
            store=lambda reading: store_quota_reading(self.state, streams, reading),
        )

    def save_quota_reading(self) -> None:
        """Write a last STATE when the quota guard counted calls: those after the last one."""
        client = self._client
        if client is not None and client.quota is not None and client.quota.reading is not None:
            self.state_writer.write_state(self.state)

    @override
    def discover_streams(self) -> list[ReportStream]:
        """One stream per report of the registry."""
        return [stream_of(self, report) for report in ALL_REPORTS]

    def selection_problems(self) -> list[str]:
        """Settings the selected streams cannot run with, one line each (before any call)."""
        problems = []
        for stream in self.selected_streams():
            partition = stream.report.partition
            if partition is None or not partition.explicit_only:
                continue
            if cfg.ALL_CAMPAIGNS in partition_values(partition, self.settings):
                problems.append(
                    f"{partition.setting}: {stream.name} is selected and Wolkvox documents "
                    f"no {partition.param}=all for it (report {stream.report.api}); list the "
                    f'campaigns it should read, e.g. ["101", "102"], or deselect it'
                )
        return problems

    def log_selection(self) -> None:
        """Say which streams this run reads and the quota they imply on a schedule.

        An event stream costs at least one call per run, so a 5-minute schedule spends
        288 calls a day on it; a summary stream what ``calls_a_day`` says. A licence
        gives 1,000 calls a day.
        """
        selected = [name for name, stream in self.streams.items() if stream.selected]
        daily = sum(calls_a_day(stream, self.settings) for stream in self.selected_streams())
        self.logger.info(
            "Selected streams (%d): %s; at one run every 5 minutes that is about %d calls a day",
            len(selected),
            ", ".join(selected) or "none",
            daily,
        )
        if daily > CALLS_PER_LICENCE / 2:
            self.logger.warning(
                "%d calls a day is more than half the daily quota of a one-licence "
                "operation (%d calls, shared by all its integrations): select fewer "
                "streams for the 5-minute schedule and read the others less often "
                "(README, 'Two cadences')",
                daily,
                CALLS_PER_LICENCE,
            )

    @classmethod
    @override
    def get_singer_command(cls) -> click.Command:
        """The SDK's command line, with ``--state`` opened by the tap instead of click.

        click opens a ``click.File`` while parsing and exits with code 2 when it does
        not exist, but a first run without Meltano has no state file yet.
        """
        command = super().get_singer_command()
        command.params = [
            click.Option(
                ["--state"],
                type=click.Path(path_type=Path),
                help=(
                    "Use a bookmarks file for incremental replication. A file that does "
                    "not exist yet means no saved state: every stream starts at start_date."
                ),
            )
            if param.name == "state"
            else param
            for param in command.params
        ]
        return command

    @classmethod
    @override
    def invoke(  # type: ignore[override]
        cls,
        *,
        about: bool = False,
        about_format: str | None = None,
        config: _ConfigInput | None = None,
        state: Path | None = None,
        catalog: IO[str] | None = None,
    ) -> None:
        """Run the tap as the SDK does, then end through ``finish``.

        The SDK's own ``invoke`` builds the tap and calls ``sync_all`` without handing
        the tap back, so the exit code could not reflect a stream that failed.
        """
        if about:
            cls.print_about(about_format)
            sys.exit(0)
        cls.print_version(print_fn=cls.logger.info)
        saved_state = read_state_file(state)
        try:
            tap = cls(
                config=config.config if config else {},
                state=saved_state,
                catalog=read_json_option(catalog, "--catalog"),
                parse_env_config=config.parse_env if config else False,
                validate_config=True,
            )
        except ConfigValidationError as exc:
            exit_on_settings_error(exc)
        problems = tap.selection_problems()
        if problems:
            exit_on_settings_error(ConfigValidationError(_SUMMARY, errors=problems))
        tap.log_selection()
        tap.sync_all()
        tap.save_quota_reading()
        tap.finish()

    @override  # type: ignore[misc]  # final only to type checkers; see test_sdk_contract
    def run_connection_test(self) -> bool:
        """One call: the first window of the first selected stream (or the first stream).

        The SDK's own test reads every stream, which would cost one call per report.
        ``--test`` exits with code 0 whatever this returns, so ``finish`` sets the code.
        """
        streams = list(self.streams.values())
        tested = next((stream for stream in streams if stream.selected), streams[0])
        dry_run_noise = SdkNoiseFilter(connection_test=True)
        tested.logger.addFilter(dry_run_noise)
        try:
            passed = self.run_sync_dry_run(dry_run_record_limit=1, streams=[tested])
        finally:
            tested.logger.removeFilter(dry_run_noise)
        self.finish()  # exits with code 1 on a failure
        return passed

    def finish(self) -> None:
        """Log what the run's calls cost; exit with code 1 if any stream failed.

        Every failure already has its own line, logged where it happened, and whatever
        was read before it is delivered and bookmarked. A stop at the quota reserve is
        not a failure.
        """
        if self._client is not None:
            log = self._client.log
            answers = ", ".join(f"{status}: {n}" for status, n in sorted(log.statuses.items()))
            self.logger.info(
                "All streams: %s (%d failed) in %.1f s of API time; answers %s",
                counted(log.calls, "call"),
                log.failed_calls,
                log.seconds,
                answers or "none",
            )
            self.logger.info("%s", quota_summary(self._client))
        if self.outcome.failures:
            sys.exit(1)

    @override
    def _handle_termination(self, signum: int, frame: FrameType | None) -> None:
        """Stop on SIGTERM or SIGINT with a failing exit code, after the SDK's last STATE.

        The SDK writes the state and exits with code 0, which tells an orchestrator that
        a partial run succeeded.
        """
        with contextlib.suppress(SystemExit):
            super()._handle_termination(signum, frame)
        name = signal.Signals(signum).name
        self.logger.error(
            "Stopped by %s: everything up to the last STATE is delivered and bookmarked; "
            "the next run carries on from there",
            name,
        )
        sys.exit(128 + signum)


def quota_summary(client: WolkvoxClient) -> str:
    """``Quota: this run used 9 calls of the operation's daily quota (1 of them token_info)...``.

    Every call costs one unit of quota, whatever its answer; with ``quota_reserve``, the
    calls left today as far as the last token_info reading and the calls since tell.
    """
    log = client.log
    line = f"Quota: this run used {counted(log.calls, 'call')} of the operation's daily quota"
    if log.info_calls:
        line += f" ({log.info_calls} of them token_info)"
    guard = client.quota
    left = None if guard is None else guard.left_today(dt.datetime.now(dt.UTC))
    if left is not None:
        line += f"; {left}"
    return line


def latest_quota_reading(state: TapState) -> QuotaReading | None:
    """The latest token_info reading kept in any stream's state entry; None without one."""
    readings = [
        QuotaReading.from_state(entry.get(QUOTA_KEY))
        for entry in state.get("bookmarks", {}).values()
        if isinstance(entry, dict)
    ]
    found = [reading for reading in readings if reading is not None]
    if not found:
        return None
    return max(found, key=lambda reading: (reading.read_at, reading.calls_since))


def store_quota_reading(
    state: TapState, streams: list[ReportStream], reading: dict[str, Any]
) -> None:
    """Keep ``reading`` in the state entry of each of ``streams``, next to its bookmark.

    The STATE messages the streams write after each window carry it from there.
    """
    bookmarks = state.setdefault("bookmarks", {})
    for stream in streams:
        entry = bookmarks.setdefault(stream.name, {})
        if isinstance(entry, dict):
            entry[QUOTA_KEY] = dict(reading)


def saved_entry(state: TapState, stream: ReportStream) -> dict[str, Any]:
    """``stream``'s entry of the saved ``state``; empty without one."""
    entry = state.get("bookmarks", {}).get(stream.name, {})
    return entry if isinstance(entry, dict) else {}


def calls_a_day(stream: ReportStream, settings: cfg.Settings) -> int:
    """The calls ``stream`` costs a day on a 5-minute schedule, once caught up."""
    partitions = len(stream.partitions or ()) or 1
    return partitions * partition_calls_per_day(
        stream.report.kind,
        settle_days=settings.settle_days,
        refresh_minutes=int(settings.snapshot_refresh.total_seconds() // 60),
    )


class InputFileError(Exception):
    """A --state or --catalog file that cannot be read; the message names it."""


def read_json_option(source: IO[str] | None, option: str) -> dict[str, Any] | None:
    """The JSON object in the file given to ``option``, or None without one.

    Raises:
        InputFileError: the file is empty, not JSON, or not an object.
    """
    if source is None:
        return None
    name = getattr(source, "name", option)
    text = source.read()
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        what = "is empty" if not text.strip() else f"is not JSON ({exc.msg}, line {exc.lineno})"
        msg = f"{option} {name} {what}; give a file holding a JSON object"
        raise InputFileError(msg) from None
    if not isinstance(value, dict):
        msg = f"{option} {name} holds JSON that is not an object; give a JSON object"
        raise InputFileError(msg)
    return value


def read_state_file(path: Path | None) -> dict[str, Any] | None:
    """The saved state in the file given to ``--state``; None without one.

    A file that does not exist yet, in a folder that does, is a first run: one INFO line
    says so and every stream starts at start_date. A job that saves the last STATE line
    of each run there needs no first step. ``-`` reads standard input.

    Raises:
        InputFileError: naming the file, when its folder does not exist or it cannot
            be read, is empty, is not JSON or holds no JSON object.
    """
    if path is None:
        return None
    if str(path) == "-":
        return read_json_option(sys.stdin, "--state")
    try:
        with path.open(encoding="utf-8") as source:
            return read_json_option(source, "--state")
    except FileNotFoundError:
        if not path.absolute().parent.is_dir():
            msg = (
                f"--state {path}: its folder {path.absolute().parent} does not exist; "
                "check the path"
            )
            raise InputFileError(msg) from None
        logging.getLogger(TapWolkvox.name).info(
            "--state %s does not exist yet: no saved state, so every stream starts at start_date",
            path,
        )
        return None
    except UnicodeDecodeError:
        msg = f"--state {path} is not UTF-8 text; give a file holding a JSON object"
        raise InputFileError(msg) from None
    except OSError as exc:
        msg = f"--state {path} cannot be read ({exc.strerror or exc}); give a readable file"
        raise InputFileError(msg) from None


def exit_on_settings_error(error: ConfigValidationError) -> NoReturn:
    """Log each settings problem on its own line and exit with code 1."""
    logger = logging.getLogger(TapWolkvox.name)
    for problem in error.errors:
        logger.error("Config: %s", problem)
    sys.exit(1)


def main() -> None:
    """Run the tap; settings and input-file errors end with one line and exit code 1.

    Errors met while reading end their stream where they happen (``RunOutcome``), and
    ``TapWolkvox.finish`` sets the exit code.
    """
    logger = logging.getLogger(TapWolkvox.name)
    try:
        TapWolkvox.cli()
    except ConfigValidationError as exc:  # from --discover or --test
        exit_on_settings_error(exc)
    except InputFileError as exc:
        logger.error("%s", exc)  # noqa: TRY400
        sys.exit(1)
    except (FileNotFoundError, json.JSONDecodeError, simplejson.JSONDecodeError) as exc:
        # A --config file that is missing or not JSON.
        logger.error("Cannot read an input file (--config): %s", exc)  # noqa: TRY400
        sys.exit(1)
