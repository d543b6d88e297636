"""Turning the user's settings into checked, typed values (no network).

Every problem is reported as one line that names the setting and says what to fix, and
all problems are collected before any request is made. The token is never echoed.
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import re
import urllib.parse
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pendulum

DEFAULT_TIMEZONE = "America/Bogota"
DEFAULT_LOOKBACK_MINUTES = 15
DEFAULT_MAX_RECORDS_PER_REQUEST = 6000
DEFAULT_REQUEST_TIMEOUT = 90.0  # above the server's own 60 s execution limit
DEFAULT_MAX_WINDOW_DAYS = 31
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_RETRY_WAIT_SECONDS = 2.0
DEFAULT_MAINTENANCE_WAIT_SECONDS = 120.0
API_MAX_RECORDS = 60_000
API_MAX_WINDOW_DAYS = 31

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
    token: str
    start: dt.datetime  # aware
    end: dt.datetime | None  # aware, exclusive
    timezone: zoneinfo.ZoneInfo
    lookback: dt.timedelta
    max_records_per_request: int
    request_timeout: float
    api_url: str  # without a trailing slash
    max_window: dt.timedelta
    max_attempts: int
    retry_wait_seconds: float
    maintenance_wait_seconds: float

    @property
    def report_url(self) -> str:
        """The Reports Manager endpoint of this operation."""
        return f"{self.api_url}/api/v2/reports_manager.php"


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
    """Parse an RFC 3339 date-time; a value without an offset is read in ``tz``.

    Raises:
        ValueError: when the value is not a date or date-time.
    """
    text = str(value).strip()
    try:
        parsed = pendulum.parse(text, exact=True, strict=True, tz=None)
    except ValueError:  # pendulum's ParserError is a ValueError
        parsed = None
    if isinstance(parsed, dt.datetime):
        result = parsed
    elif isinstance(parsed, dt.date):
        result = dt.datetime(parsed.year, parsed.month, parsed.day)  # noqa: DTZ001
    else:
        msg = f"{name}: {text!r} is not a date-time; use RFC 3339, e.g. 2026-01-31T00:00:00-05:00"
        raise ValueError(msg)  # noqa: TRY004  # a bad value, reported like every other
    if result.tzinfo is None:
        result = result.replace(tzinfo=tz)
    # pendulum's own datetime subclass is not wanted past this point.
    return dt.datetime.fromtimestamp(result.timestamp(), tz=dt.timezone.utc)


def check_api_url(value: object) -> str:
    """Return the base URL without a trailing slash.

    Plain ``http://`` is accepted only for loopback hosts so the token never crosses a
    network in clear text.

    Raises:
        ValueError: when the URL is unusable or unsafe.
    """
    text = str(value).strip().rstrip("/")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        msg = f"api_url: {text!r} is not an http(s) URL; e.g. https://wv0032.wolkvox.com"
        raise ValueError(msg)  # a bad value, reported like every other
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


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _number(  # noqa: PLR0913
    problems: list[str],
    config: dict[str, Any],
    name: str,
    default: float,
    *,
    low: float,
    high: float,
    integer: bool,
) -> float:
    value = config.get(name)
    if value is None:
        return default
    kind = "a whole number" if integer else "a number"
    shown = repr(value) if isinstance(value, str) else str(value)
    wanted = f"give {kind} from {low:g} to {high:g}"
    number: float | None = None
    if not isinstance(value, bool) and isinstance(value, (int, float, decimal.Decimal, str)):
        try:
            number = int(value) if integer else float(value)
        except (ValueError, ArithmeticError):
            number = None
        if integer and number is not None and float(value) != number:
            number = None
    if number is None:
        problems.append(f"{name}: {shown} is not {kind}; {wanted}")
        return default
    if not low <= number <= high:
        problems.append(f"{name}: {shown} is out of range; {wanted}")
        return default
    return number


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
        f"{name}: missing; it is required"
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
    current = now or dt.datetime.now(tz=dt.timezone.utc)
    if start and start > current:
        problems.append("start_date: is in the future; give a past date-time")

    lookback = _number(
        problems,
        config,
        "lookback_minutes",
        DEFAULT_LOOKBACK_MINUTES,
        low=0,
        high=7 * 24 * 60,
        integer=True,
    )
    max_records = _number(
        problems,
        config,
        "max_records_per_request",
        DEFAULT_MAX_RECORDS_PER_REQUEST,
        low=2,
        high=API_MAX_RECORDS,
        integer=True,
    )
    timeout = _number(
        problems,
        config,
        "request_timeout",
        DEFAULT_REQUEST_TIMEOUT,
        low=1,
        high=3600,
        integer=False,
    )
    max_window_days = _number(
        problems,
        config,
        "max_window_days",
        DEFAULT_MAX_WINDOW_DAYS,
        low=1,
        high=API_MAX_WINDOW_DAYS,
        integer=True,
    )
    max_attempts = _number(
        problems,
        config,
        "max_attempts",
        DEFAULT_MAX_ATTEMPTS,
        low=1,
        high=50,
        integer=True,
    )
    retry_wait = _number(
        problems,
        config,
        "retry_wait_seconds",
        DEFAULT_RETRY_WAIT_SECONDS,
        low=0,
        high=600,
        integer=False,
    )
    maintenance_wait = _number(
        problems,
        config,
        "maintenance_wait_seconds",
        DEFAULT_MAINTENANCE_WAIT_SECONDS,
        low=0,
        high=3600,
        integer=False,
    )
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
        max_records_per_request=int(max_records),
        request_timeout=timeout,
        api_url=api_url,
        max_window=dt.timedelta(days=max_window_days),
        max_attempts=int(max_attempts),
        retry_wait_seconds=retry_wait,
        maintenance_wait_seconds=maintenance_wait,
    )
