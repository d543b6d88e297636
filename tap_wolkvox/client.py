"""The HTTP conversation with the Wolkvox Reports Manager: auth, envelope, errors, retries.

``../shared/wolkvox-api.md`` is the contract. In short: one GET per window, no
pagination; the envelope ``{code, error, msg, data}``; an empty window answered with
HTTP 404 "Validate dates entered"; HTTP 403 meaning four things told apart by ``msg``;
one token never used by two calls at once; every call costs one unit of a daily quota.

Retries are a small explicit loop rather than the SDK's ``backoff`` decorator: the wait
depends on the error (seconds for a busy token, minutes for maintenance), the daily
quota and a bad token must stop at once, and a server time-out is handed back to the
stream so it can ask for a smaller window instead of repeating the same one.

Every answer's ``Date`` header is kept, so callers can ask what time the server thinks
it was when it selected the rows of the last call (``WolkvoxClient.server_time_of_last_call``)
rather than trusting this host's clock.

With ``quota_reserve`` set, a ``QuotaGuard`` sees every call before it is made: it reads
``information.php?api=token_info`` when its last reading is stale, counts the calls made
since, and stops the run (``QuotaReserveReachedError``) before a call would spend the calls
the reserve keeps for the operation's other integrations.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import random
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
import requests
from urllib3.exceptions import ReadTimeoutError

from tap_wolkvox import __version__
from tap_wolkvox.config import Settings
from tap_wolkvox.errors import (
    FatalApiError,
    InvalidTokenError,
    MaintenanceError,
    QuotaExhaustedError,
    ServerTimeoutError,
    TransientApiError,
    WolkvoxError,
)
from tap_wolkvox.quota import QuotaGuard, QuotaReading
from tap_wolkvox.reports import Report
from tap_wolkvox.token_lock import TokenLock, TokenLockError

API_DATE_FORMAT = "%Y%m%d%H%M%S"
_MSG_LIMIT = 200
_LOGGER = logging.getLogger("tap-wolkvox")
# Clocks this far apart are worth a word: NTP keeps real ones within a second.
CLOCK_SKEW_WARNING = dt.timedelta(minutes=1)
_INFO_PARAMS = (("api", "token_info"),)


def describe(status: int, msg: str) -> str:
    """``HTTP 403 "TOKEN LIMIT EXCEEDED"``: status and the server's own words, bounded."""
    shown = " ".join(msg.split())[:_MSG_LIMIT]
    return f'HTTP {status} "{shown}"' if shown else f"HTTP {status}"


def classify_error(status: int, msg: str) -> WolkvoxError:  # noqa: PLR0911  # one return per kind
    """The error for a non-success answer, told apart by status and ``msg`` keywords."""
    text = msg.upper()
    seen = describe(status, msg)
    if status == 401:  # noqa: PLR2004
        return InvalidTokenError(f"{seen}: Wolkvox did not receive the token; set `token`")
    if status == 403:  # noqa: PLR2004
        return _classify_403(text, seen)
    if status == 429:  # noqa: PLR2004
        return TransientApiError(f"{seen}: too many requests")
    if status == 504:  # noqa: PLR2004
        return ServerTimeoutError(f"{seen}: the server timed out")
    if status >= 500:  # noqa: PLR2004
        return TransientApiError(f"{seen}: server error")
    if "DOES NOT EXIST" in text:
        return FatalApiError(f"{seen}: this report is not available on this server")
    if status == 404:  # noqa: PLR2004
        return FatalApiError(
            f"{seen}: not an empty-window answer; check `server`/`api_url` and that the "
            "operation has this report"
        )
    return FatalApiError(f"{seen}: Wolkvox refused the request")


def _classify_403(text: str, seen: str) -> WolkvoxError:
    if "SIMULTANEOUS" in text or "CONCURREN" in text:
        return TransientApiError(f"{seen}: another client is using this token right now")
    if "LIMIT EXCEEDED" in text or "QUOTA" in text or "DAILY" in text:
        return QuotaExhaustedError(
            f"{seen}: the operation's daily API quota is spent; everything read so far is "
            "saved, and the next run after the quota resets carries on from there"
        )
    if any(word in text for word in ("TOKEN", "INVALID", "EXPIRED", "MALFORMED", "INCORRECT")):
        return InvalidTokenError(
            f"{seen}: the token is invalid, expired or not for this server; "
            "generate a new one in Wolkvox Manager and check `server`"
        )
    if any(word in text for word in ("MAINTENANCE", "MANTENIMIENTO", "BACKUP", "DISABLED")):
        return MaintenanceError(f"{seen}: Wolkvox is in maintenance")
    return MaintenanceError(f"{seen}: unrecognised refusal, treated as temporary")


def read_envelope(status: int, body: bytes) -> list[dict[str, Any]]:
    """The rows of one answer, or the error it stands for.

    Raises:
        WolkvoxError: a classified error; see ``classify_error``.
    """
    try:
        envelope = msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError):  # nested deeper than msgspec goes
        envelope = None
    if not isinstance(envelope, dict):
        shown = f"HTTP {status} with a body that is not a Wolkvox JSON envelope ({len(body)} bytes)"
        if status == 200 or status >= 500 or status == 403:  # noqa: PLR2004
            raise TransientApiError(shown)  # truncated or garbled: worth another try
        shown += "; check `server`/`api_url`"
        raise FatalApiError(shown)
    msg = str(envelope.get("msg") or "")
    code = str(envelope.get("code"))
    effective = status
    if status == 200 and code.isdigit() and code not in {"200", "0"}:  # noqa: PLR2004
        effective = int(code)  # an error carried in a 200 body
    if effective == 404 and "VALIDATE DATE" in msg.upper():  # noqa: PLR2004
        return []  # Wolkvox's way of saying the window has no rows
    if effective != 200:  # noqa: PLR2004
        raise classify_error(effective, msg)
    data = envelope.get("data")
    if data is None:
        return []
    if isinstance(data, dict):
        data = rows_of_object(data)
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        msg = "HTTP 200 whose `data` is not a list of objects"
        raise TransientApiError(msg)
    return data


def rows_of_object(data: dict[str, Any]) -> list[Any]:
    """The rows of a ``data`` object: numbered rows, or the object as one row.

    PHP writes an array as ``{"0": row, "1": row, ...}`` when it is forced to an object
    (and an empty one as ``{}``); such rows must count against the row cap like a list.
    Only keys exactly ``"0"`` to ``"n-1"`` whose values are all objects mean that; any
    other object (cdr_4's buckets, a single row) is one row.
    """
    numbered = [data.get(str(number)) for number in range(len(data))]
    if all(isinstance(row, dict) for row in numbered):
        return numbered  # n keys and every "0".."n-1" among them: exactly those
    return [data]


def parse_http_date(value: str | None) -> dt.datetime | None:
    """The instant of an HTTP ``Date`` header, in UTC; None when missing or unreadable."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):  # 3.10 raises TypeError
        return None
    if parsed.tzinfo is None:  # "-0000": UTC, in RFC 5322's words "source unknown"
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


@dataclass
class CallLog:
    """What the calls of one run cost."""

    calls: int = 0  # every call, token_info's included: each costs one unit of quota
    failed_calls: int = 0
    seconds: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    info_calls: int = 0  # calls to token_info
    failed_info_calls: int = 0

    def add(self, status: str, seconds: float, *, failed: bool, info: bool = False) -> None:
        """Count one call; ``info`` for a call to token_info."""
        self.calls += 1
        self.failed_calls += failed
        self.seconds += seconds
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.info_calls += info
        self.failed_info_calls += failed and info

    @property
    def report_calls(self) -> int:
        """The calls for report windows."""
        return self.calls - self.info_calls

    @property
    def failed_report_calls(self) -> int:
        """The calls for report windows that failed."""
        return self.failed_calls - self.failed_info_calls


class WolkvoxClient:
    """Fetches report windows, one call at a time, with retries."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        lock: TokenLock | None = None,
        quota: QuotaGuard | None = None,
    ) -> None:
        """Talk to the operation described by ``settings``; ``quota`` sees every call."""
        self.settings = settings
        self.sleep = sleep
        # Long enough for a couple of other processes' calls, each up to a time-out.
        self.lock = lock or TokenLock(settings.token, wait=3 * settings.request_timeout)
        self.log = CallLog()
        self.quota = quota
        self._reading_quota = False  # a token_info call is under way
        # The last answer's Date header and time.monotonic() when that answer arrived.
        self._last_call_server_time: dt.datetime | None = None
        self._clock_skew: dt.timedelta | None = None
        self._skew_reported = False
        self.session = requests.Session()
        self.session.headers.update(
            {
                "wolkvox-token": settings.token,
                "Accept": "application/json",
                "User-Agent": f"tap-wolkvox/{__version__}",
            }
        )

    def server_time_of_last_call(self) -> dt.datetime | None:
        """The server's time (UTC) when it received the last answered call.

        The answer's ``Date`` header minus the time the answer took: the rows of a slow
        query were selected when it began, not when it ended. The header has whole
        seconds, cut down, so this errs early, the safe side for a bookmark. None until an
        answer with a readable ``Date`` header arrived.
        """
        return self._last_call_server_time

    @property
    def clock_skew(self) -> dt.timedelta | None:
        """This host's time minus the server's, at the last answer; None before one."""
        return self._clock_skew

    def fetch(
        self,
        report: Report,
        first: dt.datetime,
        last: dt.datetime,
        *,
        shrinkable: bool,
        params: tuple[tuple[str, str], ...] = (),
    ) -> list[dict[str, Any]]:
        """The rows of ``report`` from ``first`` to ``last`` (wall-clock, both inclusive).

        ``params`` are sent after the report's own: a partition's value.

        Transient failures are retried with exponential backoff, up to ``max_attempts``
        calls. When ``shrinkable``, a server time-out is raised at once so the caller can
        ask for less.

        Raises:
            ServerTimeoutError: on a time-out, when ``shrinkable``.
            TransientApiError: when every attempt failed.
            QuotaReserveReachedError: before a call that would spend ``quota_reserve``.
            WolkvoxError: a fatal error, the quota stop or a bad token, at once.
        """
        return self._with_retries(
            lambda: self._call(report, first, last, params), shrinkable=shrinkable
        )

    def token_info(self) -> QuotaReading:
        """The operation's quota and its use today, from ``information.php?api=token_info``.

        One call, which costs one unit of quota like any other, made as report calls
        are (same token header, token lock, time-outs, envelope) but never retried: a
        reading is taken when the margin may be thin, and retries would spend it
        unchecked. A failed reading costs one call; the run goes on without the reserve.

        Raises:
            WolkvoxError: the call failed, or its answer has no readable numbers.
            TokenLockError: the token lock could not be taken.
        """
        rows = self._get(self.settings.info_url, _INFO_PARAMS, info=True)
        return QuotaReading.from_answer(rows, dt.datetime.now(dt.UTC))

    def _with_retries(
        self, call: Callable[[], list[dict[str, Any]]], *, shrinkable: bool
    ) -> list[dict[str, Any]]:
        attempt = 1
        while True:
            try:
                return call()
            except TransientApiError as exc:
                if shrinkable and isinstance(exc, ServerTimeoutError):
                    raise
                if attempt >= self.settings.max_attempts:
                    msg = f"gave up after {attempt} attempts: {exc}"
                    raise TransientApiError(msg) from None
                wait = self.backoff_seconds(attempt, maintenance=isinstance(exc, MaintenanceError))
                _LOGGER.warning(
                    "Attempt %d of %d failed (%s); retrying in %.1f s",
                    attempt,
                    self.settings.max_attempts,
                    exc,
                    wait,
                )
                self.sleep(wait)
            attempt += 1

    def _before_call(self) -> None:
        """Let the quota guard take a reading first, or stop the run, before a call.

        Raises:
            QuotaReserveReachedError: the call would spend calls the reserve keeps.
            QuotaExhaustedError: token_info itself was refused for the spent quota.
        """
        guard = self.quota
        if guard is None or self._reading_quota:
            return
        now = dt.datetime.now(dt.UTC)
        if guard.reading_due(now):
            self._reading_quota = True
            try:
                guard.take(self.token_info())
            except QuotaExhaustedError:
                raise  # the day's quota is already spent: no report call can succeed
            except (WolkvoxError, TokenLockError) as exc:
                guard.fail(exc)
            finally:
                self._reading_quota = False
        guard.check(now)

    def _count(self, status: str, seconds: float, *, failed: bool, info: bool) -> None:
        """Count a call that was made, in the run's log and against the day's quota."""
        self.log.add(status, seconds, failed=failed, info=info)
        if self.quota is not None:
            self.quota.count()

    def backoff_seconds(self, attempt: int, *, maintenance: bool) -> float:
        """Exponential wait before retry ``attempt`` + 1, with jitter against lockstep."""
        base = (
            self.settings.maintenance_wait_seconds
            if maintenance
            else self.settings.retry_wait_seconds
        )
        jitter: float = random.uniform(0.75, 1.0)  # noqa: S311
        return base * min(1 << (attempt - 1), 16) * jitter

    def _call(
        self,
        report: Report,
        first: dt.datetime,
        last: dt.datetime,
        extra: tuple[tuple[str, str], ...],
    ) -> list[dict[str, Any]]:
        params = (
            ("api", report.api),
            ("date_ini", first.strftime(API_DATE_FORMAT)),
            ("date_end", last.strftime(API_DATE_FORMAT)),
            *report.params,
            *extra,
        )
        return self._get(self.settings.report_url, params, info=False)

    def _get(
        self, url: str, params: tuple[tuple[str, str], ...], *, info: bool
    ) -> list[dict[str, Any]]:
        """One call: asked of the quota guard first, made under the token lock, counted."""
        self._before_call()
        timeout = self.settings.request_timeout
        with self.lock.held():
            started = time.monotonic()
            try:
                response = self.session.get(
                    url,
                    params=params,
                    timeout=(min(30.0, timeout), timeout),
                    # A redirect would carry the token header to another host.
                    allow_redirects=False,
                )
                status, body = response.status_code, response.content
            except requests.exceptions.ReadTimeout:
                self._count("timeout", time.monotonic() - started, failed=True, info=info)
                msg = f"no answer within {timeout:g} s"
                raise ServerTimeoutError(msg) from None
            except requests.exceptions.RequestException as exc:
                if _stalled_body(exc):
                    # The server is still producing the window: as slow as no answer.
                    self._count("timeout", time.monotonic() - started, failed=True, info=info)
                    msg = f"the answer stalled for over {timeout:g} s while arriving"
                    raise ServerTimeoutError(msg) from None
                self._count("network", time.monotonic() - started, failed=True, info=info)
                msg = f"network error talking to Wolkvox ({type(exc).__name__})"
                raise TransientApiError(msg) from None
        elapsed = time.monotonic() - started
        self._note_server_clock(response, started)
        if response.is_redirect or 300 <= status < 400:  # noqa: PLR2004
            self._count(str(status), elapsed, failed=True, info=info)
            raise FatalApiError(_refused_redirect(status, response))
        try:
            rows = read_envelope(status, body)
        except WolkvoxError:
            self._count(str(status), elapsed, failed=True, info=info)
            raise
        self._count(str(status), elapsed, failed=False, info=info)
        return rows

    def _note_server_clock(self, response: requests.Response, started: float) -> None:
        date = parse_http_date(response.headers.get("Date"))
        if date is None:
            return
        now_monotonic = time.monotonic()
        now = dt.datetime.now(dt.UTC)
        # The server wrote the header as the headers left; a long body came after.
        arrived = min(started + response.elapsed.total_seconds(), now_monotonic)
        self._last_call_server_time = date - response.elapsed
        self._clock_skew = now - dt.timedelta(seconds=now_monotonic - arrived) - date
        if abs(self._clock_skew) > CLOCK_SKEW_WARNING and not self._skew_reported:
            self._skew_reported = True
            _LOGGER.warning(
                "This machine's clock is %+.0f s off Wolkvox's; bookmarks follow Wolkvox's "
                "clock, but fix this machine's time (NTP) so `end_date` and logs agree",
                self._clock_skew.total_seconds(),
            )


def _stalled_body(exc: requests.exceptions.RequestException) -> bool:
    """Whether ``exc`` is a read time-out while the body arrived.

    requests reports that as a ConnectionError wrapping urllib3's ReadTimeoutError,
    unlike a time-out waiting for the headers (ReadTimeout).
    """
    return isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(arg, ReadTimeoutError) for arg in exc.args
    )


def _refused_redirect(status: int, response: requests.Response) -> str:
    """Why a redirect stops the run, naming where it pointed (scheme, host, port only).

    Following it would send the ``wolkvox-token`` header to wherever it points.
    """
    location = response.headers.get("Location")
    where = "an address it did not give"
    if location:
        target = urllib.parse.urlsplit(urllib.parse.urljoin(response.url, location))
        try:
            port = f":{target.port}" if target.port else ""
        except ValueError:
            port = ""
        where = " ".join(f"{target.scheme}://{target.hostname or '?'}{port}".split())[:_MSG_LIMIT]
    return (
        f"HTTP {status}: Wolkvox answered with a redirect to {where}; the tap does not "
        "follow redirects, so the token is not sent there; check `server`/`api_url`"
    )
