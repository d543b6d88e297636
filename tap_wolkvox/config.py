"""Turning the user's settings into checked, typed values (no network).

Every problem is reported as one line, ``setting: what is wrong; what to do``, and all
problems are collected before any request is made. The value of a secret setting (the
schema's ``secret: true`` properties, such as the token) is never echoed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import decimal
import ipaddress
import json
import math
import re
import unicodedata
import urllib.parse
import zoneinfo
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

DEFAULT_TIMEZONE = "America/Bogota"
DEFAULT_LOOKBACK_MINUTES = 15
DEFAULT_REQUEST_TIMEOUT = 90.0  # above the server's own 60 s execution limit
DEFAULT_MAX_WINDOW_DAYS = 31
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_WAIT_SECONDS = 2.0
DEFAULT_MAINTENANCE_WAIT_SECONDS = 120.0
DEFAULT_SETTLE_DAYS = 1
DEFAULT_SNAPSHOT_REFRESH_MINUTES = 60
ALL_CAMPAIGNS = "all"
DEFAULT_CAMPAIGN_IDS = (ALL_CAMPAIGNS,)
API_MAX_RECORDS = 60_000
API_MAX_WINDOW_DAYS = 31
MAX_PORT = 65_535
MAX_QUOTA_RESERVE = 1_000_000


@dataclass(frozen=True)
class NumberRange:
    """The values a numeric setting accepts: whole numbers or any, from low to high."""

    low: int
    high: int
    integer: bool


# The one table of numeric settings: the settings schema (tap.py) takes each one's type,
# minimum and maximum from it, and so do parse_settings and the wording of every number
# problem, whether found by the schema check, in an environment variable or here.
NUMBER_RANGES: Mapping[str, NumberRange] = {
    "lookback_minutes": NumberRange(0, 7 * 24 * 60, integer=True),
    "max_records_per_request": NumberRange(2, API_MAX_RECORDS, integer=True),
    "request_timeout": NumberRange(1, 3600, integer=False),
    "max_window_days": NumberRange(1, API_MAX_WINDOW_DAYS, integer=True),
    "max_attempts": NumberRange(1, 50, integer=True),
    "retry_wait_seconds": NumberRange(0, 600, integer=False),
    "maintenance_wait_seconds": NumberRange(0, 3600, integer=False),
    # Up to the quota of a 1,000-licence operation (licences x 1,000 calls a day).
    "quota_reserve": NumberRange(0, MAX_QUOTA_RESERVE, integer=True),
    "settle_days": NumberRange(0, 31, integer=True),
    "snapshot_refresh_minutes": NumberRange(0, 7 * 24 * 60, integer=True),
}

HIDDEN_VALUE_NOTE = "the value is not shown because the setting is secret"
_HIDDEN_INSIDE_NOTE = "the value is not shown because it holds a secret setting"
_SHOWN_MAX_CHARS = 60

# YYYY-MM-DD and RFC 3339 date-times (also with a space, without seconds or offset): forms
# that datetime.fromisoformat, the SDK's reader of start_date on every run with a bookmark
# (backported by the SDK on Python 3.10), reads as this module does.
_INSTANT = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[T ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,6}))?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_DATE_FIX = "give YYYY-MM-DD or an RFC 3339 date-time such as 2026-01-31T00:00:00-05:00"

_SERVER_SHAPES = (
    re.compile(r"(?P<n>\d{4})"),
    re.compile(r"wv(?P<n>\d{4})", re.IGNORECASE),
    re.compile(r"wv(?P<n>\d{4})\.wolkvox\.com\.?", re.IGNORECASE),
    re.compile(r"https://wv(?P<n>\d{4})\.wolkvox\.com/?", re.IGNORECASE),
)


class SettingsError(ValueError):
    """One or more settings are wrong; each message says what to fix."""

    def __init__(self, problems: list[str]) -> None:
        """Keep every problem so they can all be shown at once."""
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """The tap's settings, checked and normalised."""

    server: str  # always "wvNNNN"
    token: str = field(repr=False)  # kept out of logs and tracebacks that print settings
    start: dt.datetime  # aware
    end: dt.datetime | None  # aware, exclusive
    timezone: zoneinfo.ZoneInfo
    lookback: dt.timedelta
    max_records_per_request: int | None  # None: each report's own cap
    request_timeout: float
    api_url: str  # without a trailing slash
    max_window: dt.timedelta
    max_attempts: int
    retry_wait_seconds: float
    maintenance_wait_seconds: float
    # Calls of the operation's day left unspent for others; None: no reserve, no token_info.
    quota_reserve: int | None = None
    # Summary reports: whole days after a day before its totals are final, how often a
    # day not yet final is read again, and the campaigns the campaign reports read.
    settle_days: int = DEFAULT_SETTLE_DAYS
    snapshot_refresh: dt.timedelta = dt.timedelta(minutes=DEFAULT_SNAPSHOT_REFRESH_MINUTES)
    campaign_ids: tuple[str, ...] = DEFAULT_CAMPAIGN_IDS

    @property
    def report_url(self) -> str:
        """The Reports Manager endpoint of this operation."""
        return f"{self.api_url}/api/v2/reports_manager.php"

    @property
    def info_url(self) -> str:
        """The endpoint of ``information.php?api=token_info``: the quota used today."""
        return f"{self.api_url}/api/v2/information.php"


def normalise_server(value: object) -> str:
    """Return ``wvNNNN`` for any accepted way of writing the server number.

    Raises:
        ValueError: with a message a user can act on.
    """
    text = str(value).strip()
    for shape in _SERVER_SHAPES:
        match = shape.fullmatch(text)
        if match:
            return f"wv{int(match['n']):04d}"
    msg = (
        f"server: {text!r} is not a Wolkvox server; give the operation's 4-digit server number, "
        "e.g. 0032, wv0032, wv0032.wolkvox.com or https://wv0032.wolkvox.com"
    )
    raise ValueError(msg)


def parse_timezone(value: object) -> zoneinfo.ZoneInfo:
    """Return the IANA zone named by ``value``.

    Raises:
        ValueError: when the name is not a known IANA zone.
    """
    name = str(value).strip()
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        msg = f"timezone: {name!r} is not an IANA time zone name; use e.g. America/Bogota"
        raise ValueError(msg) from None


def parse_instant(name: str, value: object, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """Parse ``YYYY-MM-DD`` or an RFC 3339 date-time; a value without an offset is read in ``tz``.

    Partial ISO forms (``2026``, ``2026-01``, ``2026-W01``...) are refused: the SDK reads
    start_date again on every later run and cannot read them.

    Args:
        name: The setting, for the message.
        value: The value as given.
        tz: The zone of values without an offset.

    Returns:
        The instant, in UTC.

    Raises:
        ValueError: when the value is not a date or date-time, or names one that does not exist.
    """
    text = str(value)
    match = _INSTANT.fullmatch(text)
    if match is None:
        msg = f"{name}: {text!r} is not a date or date-time; {_DATE_FIX}"
        raise ValueError(msg)
    reason = _impossible_instant(match)
    if reason is None:
        try:
            local = dt.datetime(
                int(match["year"]),
                int(match["month"]),
                int(match["day"]),
                int(match["hour"] or 0),
                int(match["minute"] or 0),
                int(match["second"] or 0),
                int((match["fraction"] or "0").ljust(6, "0")),
                tzinfo=_offset(match["offset"]) or tz,
            )
            return local.astimezone(dt.UTC)
        except (ValueError, OverflowError):  # 0001-01-01T00:00+05:00 is before year 1 in UTC
            reason = "outside the dates that can be handled"
    msg = f"{name}: {text!r} is not a date or date-time ({reason}); {_DATE_FIX}"
    raise ValueError(msg)


def _impossible_instant(match: re.Match[str]) -> str | None:
    """Say which part of a well-shaped date-time does not exist, or None when all do."""
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    # Checked here rather than left to datetime(), whose messages differ between Pythons.
    limits = [
        ("year", year, "0001", "9999"),
        ("month", month, "01", "12"),
        ("hour", int(match["hour"] or 0), "00", "23"),
        ("minute", int(match["minute"] or 0), "00", "59"),
        ("second", int(match["second"] or 0), "00", "59"),  # no leap seconds in Python
    ]
    if match["offset"] and match["offset"] != "Z":
        limits.append(("offset hours", int(match["offset"][1:3]), "00", "23"))
        limits.append(("offset minutes", int(match["offset"][4:6]), "00", "59"))
    for part, number, low, high in limits:
        if not int(low) <= number <= int(high):
            return f"{part} must be {low} to {high}"
    last_day = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last_day:
        return f"there is no day {day:02d} in {year:04d}-{month:02d}"
    return None


def _offset(text: str | None) -> dt.tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return dt.UTC
    sign = -1 if text[0] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(text[1:3]), minutes=int(text[4:6])))


def check_api_url(value: object) -> str:
    """Return the base URL without a trailing slash.

    Plain ``http://`` is accepted only for loopback hosts so the token never crosses a
    network in clear text. Spaces around the URL are ignored; a space or control character
    inside it, or a port outside 1 to 65535, is refused here rather than failing later as
    a network error.

    Raises:
        ValueError: when the URL is unusable or unsafe.
    """
    text = str(value).strip()
    # A URL with user information may hold a password: never echo it.
    shown = "the URL (not shown: it holds user information)" if "@" in text else repr(text)
    if any(_is_space_or_control(char) for char in text):
        # urlsplit silently drops tabs and newlines, so such a URL would seem fine here.
        msg = f"api_url: {shown} contains a space or control character; remove it"
        raise ValueError(msg)
    text = text.rstrip("/")
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:  # an unclosed IPv6 bracket
        parts = urllib.parse.SplitResult("", "", "", "", "")
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        msg = f"api_url: {shown} is not an http(s) URL; e.g. https://wv0032.wolkvox.com"
        raise ValueError(msg)  # a bad value, reported like every other
    _check_port(parts.netloc)
    if parts.query or parts.fragment or parts.username or parts.password:
        msg = "api_url: give only scheme, host, port and path (no query, fragment or user)"
        raise ValueError(msg)
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        msg = (
            f"api_url: http:// is allowed only for loopback hosts (localhost, 127.0.0.1, ::1); "
            f"use https:// for {parts.hostname}"
        )
        raise ValueError(msg)
    return text


def _is_space_or_control(char: str) -> bool:
    # Cf covers invisible characters such as the zero-width space.
    return char.isspace() or unicodedata.category(char) in {"Cc", "Cf"}


def _check_port(netloc: str) -> None:
    """Refuse a port that is not a number from 1 to 65535 (an empty port means the default).

    Raises:
        ValueError: naming the port.
    """
    host_and_port = netloc.rpartition("@")[2]
    if host_and_port.startswith("["):  # an IPv6 address holds colons of its own
        host_and_port = host_and_port.partition("]")[2]
    port = host_and_port.partition(":")[2]
    if not port:
        return
    wanted = f"give a port from 1 to {MAX_PORT}"
    if not (port.isascii() and port.isdigit()):
        msg = f"api_url: port {port!r} is not a number; {wanted}"
        raise ValueError(msg)
    if not 1 <= int(port) <= MAX_PORT:
        msg = f"api_url: port {int(port)} is out of range; {wanted}"
        raise ValueError(msg)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _number(problems: list[str], config: Mapping[str, Any], name: str, default: float) -> float:
    """Return the setting as a number within its range, or the default after noting a problem."""
    value = config.get(name)
    if value is None:
        return default
    limits = NUMBER_RANGES[name]
    kind = _KINDS["integer" if limits.integer else "number"]
    wanted = f"give {number_expectation(name, integer=limits.integer)}"
    number: float | None = None
    if not isinstance(value, bool) and isinstance(value, (int, float, decimal.Decimal, str)):
        try:
            number = int(value) if limits.integer else float(value)
        except (ValueError, ArithmeticError):
            number = None
        if limits.integer and number is not None and float(value) != number:
            number = None
    if number is None:
        problems.append(f"{name}: {_shown(value)} is not {kind}; {wanted}")
        return default
    if not limits.low <= number <= limits.high:
        problems.append(f"{name}: {_shown(value)} is out of range; {wanted}")
        return default
    return number


def number_expectation(name: str, *, integer: bool) -> str:
    """Say which numbers a setting takes, e.g. ``a whole number from 0 to 10080``.

    Args:
        name: The setting; its range is given when it has one.
        integer: Whether only whole numbers are accepted.

    Returns:
        The words that follow "give".
    """
    kind = _KINDS["integer" if integer else "number"]
    limits = NUMBER_RANGES.get(name)
    if limits is None:
        return kind
    return f"{kind} from {limits.low} to {limits.high}"


def missing_problem(name: str) -> str:
    """The one line for a required setting that was not given."""
    return f"{name}: missing; it is required"


def _shown(value: object) -> str:
    """A value as the user would recognise it, on one line and cut short."""
    text = str(value) if isinstance(value, (int, float, decimal.Decimal)) else repr(value)
    if len(text) > _SHOWN_MAX_CHARS:
        text = text[: _SHOWN_MAX_CHARS - 3] + "..."
    return text


def parse_settings(  # a flat list of checks reads best
    config: dict[str, Any], *, now: dt.datetime | None = None
) -> Settings:
    """Check every setting and return them normalised.

    Raises:
        SettingsError: listing every problem found, one line each.
    """
    problems: list[str] = []

    def attempt(func: Any, *args: Any) -> Any:  # noqa: ANN401
        try:
            return func(*args)
        except ValueError as exc:
            problems.append(str(exc))
            return None

    if config.get("batch_config"):
        problems.append("batch_config: tap-wolkvox does not support BATCH messages; remove it")
    problems.extend(
        missing_problem(name)
        for name in ("server", "token", "start_date")
        if config.get(name) in (None, "")
    )
    token = str(config.get("token") or "")
    if token and token.strip() != token:
        problems.append("token: has leading or trailing spaces; paste the token exactly")

    server = attempt(normalise_server, config["server"]) if config.get("server") else None
    tz = attempt(parse_timezone, config.get("timezone") or DEFAULT_TIMEZONE)
    zone = tz or zoneinfo.ZoneInfo(DEFAULT_TIMEZONE)
    start = (
        attempt(parse_instant, "start_date", config["start_date"], zone)
        if config.get("start_date")
        else None
    )
    end = (
        attempt(parse_instant, "end_date", config["end_date"], zone)
        if config.get("end_date")
        else None
    )
    if start and end and end <= start:
        problems.append("end_date: must be later than start_date")
    current = now or dt.datetime.now(tz=dt.UTC)
    if start and start > current:
        problems.append("start_date: is in the future; give a past date-time")

    lookback = _number(problems, config, "lookback_minutes", DEFAULT_LOOKBACK_MINUTES)
    max_records = (
        None
        if config.get("max_records_per_request") is None
        else int(_number(problems, config, "max_records_per_request", API_MAX_RECORDS))
    )
    timeout = _number(problems, config, "request_timeout", DEFAULT_REQUEST_TIMEOUT)
    max_window_days = _number(problems, config, "max_window_days", DEFAULT_MAX_WINDOW_DAYS)
    max_attempts = _number(problems, config, "max_attempts", DEFAULT_MAX_ATTEMPTS)
    retry_wait = _number(problems, config, "retry_wait_seconds", DEFAULT_RETRY_WAIT_SECONDS)
    maintenance_wait = _number(
        problems, config, "maintenance_wait_seconds", DEFAULT_MAINTENANCE_WAIT_SECONDS
    )
    quota_reserve = (
        None
        if config.get("quota_reserve") is None
        else int(_number(problems, config, "quota_reserve", 0))
    )
    settle_days = _number(problems, config, "settle_days", DEFAULT_SETTLE_DAYS)
    refresh_minutes = _number(
        problems, config, "snapshot_refresh_minutes", DEFAULT_SNAPSHOT_REFRESH_MINUTES
    )
    campaign_ids = attempt(parse_campaign_ids, config.get("campaign_ids"))
    api_url = None
    if config.get("api_url"):
        api_url = attempt(check_api_url, config["api_url"])
    elif server:
        api_url = f"https://{server}.wolkvox.com"

    if problems:
        raise SettingsError(problems)
    # Every None above was reported as a problem, so these hold.
    assert server is not None  # noqa: S101
    assert tz is not None  # noqa: S101
    assert start is not None  # noqa: S101
    assert api_url is not None  # noqa: S101
    return Settings(
        server=server,
        token=token,
        start=start,
        end=end,
        timezone=tz,
        lookback=dt.timedelta(minutes=lookback),
        max_records_per_request=max_records,
        request_timeout=timeout,
        api_url=api_url,
        max_window=dt.timedelta(days=max_window_days),
        max_attempts=int(max_attempts),
        retry_wait_seconds=retry_wait,
        maintenance_wait_seconds=maintenance_wait,
        quota_reserve=quota_reserve,
        settle_days=int(settle_days),
        snapshot_refresh=dt.timedelta(minutes=refresh_minutes),
        campaign_ids=campaign_ids or DEFAULT_CAMPAIGN_IDS,
    )


def _campaign_id(item: str | int) -> str:
    text = str(item).strip()
    return ALL_CAMPAIGNS if text.lower() == ALL_CAMPAIGNS else text  # "ALL" is all too


def parse_campaign_ids(value: object) -> tuple[str, ...]:
    """The campaign ids the campaign reports read: ``("all",)`` or explicit ids.

    Raises:
        ValueError: not a list of ids, an id listed twice, or ``all`` beside other ids
            (their rows would be read twice).
    """
    if value is None:
        return DEFAULT_CAMPAIGN_IDS
    fix = 'give a list of campaign ids such as ["101", "102"], or ["all"]'
    if not isinstance(value, list | tuple) or not value:
        msg = f"campaign_ids: {_shown(value)} is not a non-empty list; {fix}"
        raise ValueError(msg)  # a settings problem, reported as one line
    ids = tuple(
        _campaign_id(item)
        for item in value
        if isinstance(item, str | int) and not isinstance(item, bool)
    )
    if len(ids) != len(value) or not all(ids):
        msg = f"campaign_ids: {_shown(value)} holds something that is not an id; {fix}"
        raise ValueError(msg)
    if len(set(ids)) != len(ids):
        msg = f"campaign_ids: {_shown(value)} lists an id twice; list each campaign once"
        raise ValueError(msg)
    if ALL_CAMPAIGNS in ids and len(ids) > 1:
        msg = (
            f"campaign_ids: {_shown(value)} lists all beside other ids, which would read "
            'those campaigns twice; give ["all"] alone or only explicit ids'
        )
        raise ValueError(msg)
    return ids


# --- Problems found by the SDK's schema check, and settings given as environment variables

_KINDS: Mapping[str, str] = {
    "string": "text (a string)",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a JSON object",
    "array": "a JSON array",
    "null": "null",
}
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),  # before int: True is an int in Python
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (dict, "object"),
    (list, "array"),
    (type(None), "null"),
)
_ENV_TRUE = frozenset({"true", "yes", "1"})
_ENV_FALSE = frozenset({"false", "no", "0"})
_ENV_INTEGER = re.compile(r"[+-]?[0-9]+(?:\.0+)?")
_ENV_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SEE_ABOUT = "see the setting's description in `tap-wolkvox --about`"


def secret_settings(schema: Mapping[str, Any]) -> frozenset[str]:
    """Name every property marked ``secret: true``; nested ones as ``outer.inner``.

    Args:
        schema: A settings JSON schema, such as the tap's ``config_jsonschema``.

    Returns:
        The names whose values must never be shown.
    """
    names: set[str] = set()

    def collect(properties: object, prefix: str) -> None:
        if not isinstance(properties, Mapping):
            return
        for name, subschema in properties.items():
            if not isinstance(subschema, Mapping):
                continue
            if subschema.get("secret") is True:
                names.add(prefix + name)
            collect(subschema.get("properties"), f"{prefix}{name}.")

    collect(schema.get("properties"), "")
    return frozenset(names)


@dataclass(frozen=True)
class _Explanation:
    """What is wrong with a value and what a right one looks like."""

    wrong: str  # follows the shown value: "is not a whole number"
    expected: str | None  # follows "give" or "must be"; None when it cannot be said
    fix: str | None = None  # what to do, when "give <expected>" would read badly


def describe_schema_error(error: ValidationError, secrets: frozenset[str]) -> str:
    """Turn one JSON-schema error about the settings into ``setting: what is wrong; what to do``.

    Args:
        error: An error from validating the settings against the tap's settings schema.
        secrets: Settings whose values must not be shown, from :func:`secret_settings`.

    Returns:
        One line that names the setting (``stream_maps.x`` for nested ones) and never
        holds the value of a secret.
    """
    error = _most_specific(error)
    path = tuple(error.absolute_path)
    name = _setting_name(path)
    hidden = _hiding_reason(path, secrets)
    if error.validator == "required":
        return missing_problem(_setting_name((*path, _missing_property(error))))
    if (
        error.validator == "additionalProperties"
        and isinstance(error.instance, Mapping)
        and hidden != HIDDEN_VALUE_NOTE  # inside a secret even the names stay hidden
    ):
        unknown = _unknown_properties(error)
        if unknown:
            listed = ", ".join(_setting_name((*path, key)) for key in unknown)
            return f"{listed}: not a known setting; remove it or check the spelling"
    explained = _explain(error, name)
    if hidden is not None:
        if explained.expected is None:
            return f"{name}: is not valid (the schema's {error.validator!r} rule); {hidden}"
        return f"{name}: must be {explained.expected}; {hidden}"
    if explained.expected is None:
        return f"{name}: {_one_line(error.message)}; {_SEE_ABOUT}"
    fix = explained.fix or f"give {explained.expected}"
    return f"{name}: {_shown(error.instance)} {explained.wrong}; {fix}"


def _most_specific(error: ValidationError) -> ValidationError:
    """Step into the alternative of an anyOf/oneOf that fits the value's kind.

    ``{"s": {"__alias__": 5}}`` fails every stream map alternative, but only the object one
    says something useful: that ``__alias__`` must be text.
    """
    while error.validator in {"anyOf", "oneOf"} and error.context:
        by_alternative: dict[object, list[ValidationError]] = {}
        for sub in error.context:
            by_alternative.setdefault(sub.relative_schema_path[0], []).append(sub)
        fitting = [
            subs
            for subs in by_alternative.values()
            if not any(_is_kind_mismatch(sub) for sub in subs)
        ]
        if not fitting:
            break
        error = fitting[0][0]
    return error


def _is_kind_mismatch(error: ValidationError) -> bool:
    return not error.relative_path and error.validator in {"type", "const", "enum"}


def _setting_name(path: Iterable[object]) -> str:
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name or "config"


def _hiding_reason(path: tuple[object, ...], secrets: Collection[str]) -> str | None:
    """Why the value at ``path`` must not be shown, or None when it may be."""
    keys = tuple(str(part) for part in path)
    for secret in secrets:
        secret_keys = tuple(secret.split("."))
        if keys[: len(secret_keys)] == secret_keys:
            return HIDDEN_VALUE_NOTE
        if secret_keys[: len(keys)] == keys:  # e.g. the whole config, token included
            return _HIDDEN_INSIDE_NOTE
    return None


def _missing_property(error: ValidationError) -> str:
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    missing = [name for name in error.validator_value if name not in instance]
    # jsonschema reports each missing property separately, its name first in the message.
    for name in missing:
        if error.message.startswith(repr(name)):
            return str(name)
    return str(missing[0]) if missing else "?"


def _unknown_properties(error: ValidationError) -> list[str]:
    known = error.schema.get("properties", {}) if isinstance(error.schema, Mapping) else {}
    patterns = (
        error.schema.get("patternProperties", {}) if isinstance(error.schema, Mapping) else {}
    )
    return [
        str(key)
        for key in error.instance
        if key not in known and not any(re.search(pattern, str(key)) for pattern in patterns)
    ]


def _explain(error: ValidationError, name: str) -> _Explanation:  # noqa: PLR0911  # one per rule
    rule, expected_value = error.validator, error.validator_value
    if rule == "type":
        return _explain_type(_type_names(expected_value), name)
    if rule in {"anyOf", "oneOf"}:
        alternatives = _or_list(_alternatives(expected_value))
        return _Explanation("is not one of the allowed forms", alternatives or None)
    if rule == "const":
        return _Explanation(f"is not {_shown(expected_value)}", _shown(expected_value))
    if rule == "enum":
        return _Explanation(
            "is not one of the allowed values", _or_list([_shown(v) for v in expected_value])
        )
    if rule in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        limits = NUMBER_RANGES.get(name)
        if limits is not None:
            return _Explanation("is out of range", number_expectation(name, integer=limits.integer))
        bound = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }[rule]
        return _Explanation("is out of range", f"a number {bound} {expected_value}")
    if rule in {"minLength", "maxLength"}:
        bound = "at least" if rule == "minLength" else "at most"
        return _Explanation(
            f"is too {'short' if rule == 'minLength' else 'long'}",
            f"text of {bound} {expected_value} characters",
        )
    if rule == "pattern":
        return _Explanation(
            f"does not match the pattern {expected_value}", f"text matching {expected_value}"
        )
    if rule == "format":
        return _Explanation(f"is not a valid {expected_value}", f"a valid {expected_value}")
    return _Explanation("is not valid", None)


def _explain_type(kinds: list[str], name: str) -> _Explanation:
    wanted = [kind for kind in kinds if kind != "null"] or kinds
    wrong = f"is not {_or_list([_KINDS.get(kind, kind) for kind in wanted])}"
    expected = _or_list([_expectation(kind, name) for kind in wanted])
    fix = "give it as text, in quotes" if wanted == ["string"] else None
    return _Explanation(wrong, expected, fix)


def _expectation(kind: str, name: str) -> str:
    if kind in {"integer", "number"}:
        return number_expectation(name, integer=kind == "integer")
    return _KINDS.get(kind, kind)


def _alternatives(subschemas: object) -> list[str]:
    """Name each allowed form of an anyOf/oneOf: ``'__NULL__'``, ``null``, ``a JSON object``."""
    phrases: list[str] = []
    for subschema in subschemas if isinstance(subschemas, list) else []:
        if isinstance(subschema, str):  # the SDK writes a bare "null" into some anyOf lists
            found = [_KINDS.get(subschema, subschema)]
        elif not isinstance(subschema, Mapping):
            found = []
        elif "const" in subschema:
            found = [_shown(subschema["const"])]
        elif "enum" in subschema:
            found = [_shown(value) for value in subschema["enum"]]
        elif "type" in subschema:
            found = [_KINDS.get(kind, kind) for kind in _type_names(subschema["type"])]
        else:
            found = _alternatives(subschema.get("anyOf", []))
        phrases.extend(phrase for phrase in found if phrase not in phrases)
    return phrases


def _type_names(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(kind) for kind in value]
    return []


def _or_list(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return f"{', '.join(phrases[:-1])} or {phrases[-1]}"


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 3 * _SHOWN_MAX_CHARS else flat[: 3 * _SHOWN_MAX_CHARS - 3] + "..."


def read_environment(
    schema: Mapping[str, Any], prefix: str, environ: Mapping[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Read the settings given as environment variables ``<prefix><NAME upper>``.

    Each value is converted by the schema's type, as a JSON config file would have given
    it: whole numbers, numbers, booleans (true/false, yes/no, 1/0), JSON objects and
    arrays; text is kept as is. Where a setting allows several types they are tried as
    whole number, number, boolean, object, array, and text last.

    Args:
        schema: The settings JSON schema, with the SDK's built-in settings.
        prefix: The variables' prefix, e.g. ``TAP_WOLKVOX_``.
        environ: The environment, e.g. ``os.environ``.

    Returns:
        The settings read, and one problem line per variable that could not be read;
        a secret's value never appears in a problem.
    """
    secrets = secret_settings(schema)
    settings: dict[str, Any] = {}
    problems: list[str] = []
    for name, subschema in schema.get("properties", {}).items():
        variable = prefix + name.upper().replace("-", "_")
        if variable not in environ:
            continue
        text = environ[variable]
        kinds = [kind for kind in _schema_kinds(subschema) if kind != "null"]
        try:
            settings[name] = _from_environment(text, kinds)
        except ValueError:
            hidden = _hiding_reason((name,), secrets) is not None
            given = variable if hidden else f"{variable}={_shown(text)}"
            wrong = _or_list([_KINDS[kind] for kind in kinds])
            expected = _or_list([_environment_expectation(kind, name) for kind in kinds])
            problems.append(f"{name}: {given} is not {wrong}; give {expected}")
    return settings, problems


def _schema_kinds(subschema: object) -> list[str]:
    """The JSON types a schema allows, in order, from ``type``, ``const``, ``enum``, ``anyOf``..."""
    if isinstance(subschema, str):  # the SDK's bare "null" inside anyOf
        return [subschema]
    if not isinstance(subschema, Mapping):
        return []
    found = _type_names(subschema.get("type"))
    values = [subschema["const"]] if "const" in subschema else list(subschema.get("enum", []))
    found += [_json_type(value) for value in values]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for alternative in subschema.get(keyword, []):
            found += _schema_kinds(alternative)
    return [
        kind for index, kind in enumerate(found) if kind in _KINDS and kind not in found[:index]
    ]


def _json_type(value: object) -> str:
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "string")


def _from_environment(text: str, kinds: list[str]) -> object:
    """Read ``text`` as the first of ``kinds`` it fits; text itself when "string" is allowed.

    Raises:
        ValueError: when it fits none of them.
    """
    if not kinds:
        return text  # an untyped setting: as the SDK does, keep the text
    for kind in ("integer", "number", "boolean", "object", "array"):
        if kind in kinds:
            try:
                return _ENVIRONMENT_READERS[kind](text)
            except ValueError:
                continue
    if "string" in kinds:
        return text
    msg = f"not {' or '.join(kinds)}"
    raise ValueError(msg)


def _integer_from_text(text: str) -> int:
    # Stricter than int(): no "1_000", no non-ASCII digits; "30.0" is still thirty.
    stripped = text.strip()
    if not _ENV_INTEGER.fullmatch(stripped):
        raise ValueError(text)
    return int(stripped.partition(".")[0])


def _number_from_text(text: str) -> float:
    stripped = text.strip()
    if not _ENV_NUMBER.fullmatch(stripped):  # also refuses "nan" and "inf"
        raise ValueError(text)
    if _ENV_INTEGER.fullmatch(stripped) and "." not in stripped:
        return int(stripped)  # as a JSON file would give 30
    number = float(stripped)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _boolean_from_text(text: str) -> bool:
    word = text.strip().lower()
    if word in _ENV_TRUE:
        return True
    if word in _ENV_FALSE:
        return False
    raise ValueError(text)


def _json_from_text(kind: type) -> Callable[[str], object]:
    def read(text: str) -> object:
        value = json.loads(text)  # its JSONDecodeError is a ValueError
        if not isinstance(value, kind):
            raise ValueError(text)  # noqa: TRY004  # wrong kind of JSON, reported as unreadable
        return value

    return read


_ENVIRONMENT_READERS: Mapping[str, Callable[[str], object]] = {
    "integer": _integer_from_text,
    "number": _number_from_text,
    "boolean": _boolean_from_text,
    "object": _json_from_text(dict),
    "array": _json_from_text(list),
}


def _environment_expectation(kind: str, name: str) -> str:
    if kind == "boolean":
        return "true, false, yes, no, 1 or 0"
    return _expectation(kind, name)
