"""A local fake of the Wolkvox Reports Manager API, as ``../shared/wolkvox-api.md`` describes it.

It serves ``GET /api/v2/reports_manager.php?api=<report>&date_ini=...&date_end=...`` on
loopback for every report of the tap's registry (:func:`tap_wolkvox.reports.by_api`: the
event reports, the partitioned event reports and the summary reports) and behaves like
the contract says: the ``{code, error, msg, data}`` envelope (``code`` as a string or an
integer), 404 "Validate dates entered" for an empty window, 400 for a report it does not
offer or a report parameter missing or wrong, a row cap past which rows are cut off
silently (each report's own, or one override for all), refusal of ranges over 31 days
(and over a report's ``max_window_hours``: skill_5's 24), the 403 variants, and scripted
faults (5xx, dropped connections, truncated or non-JSON bodies, slow answers, bodies that
stall half-way, redirects). It can also answer ``data`` as an object keyed by row numbers
(what PHP APIs produce) and lie about its clock in the ``Date`` header. Every call is
recorded so tests can check reports, parameters, windows, call counts and that no two
calls overlapped. ``HeaderRecorder`` is a second loopback server that only notes what
reaches it, to prove a token never travels there.

It also serves ``GET /api/v2/information.php?api=token_info``: the operation's daily limit
and the calls spent today, every call with the right token counted (token_info's own
included), the operation's other integrations' calls given by ``used_by_others``. The
limit is ``daily_limit`` and ``quota`` (calls allowed from now), whichever leaves fewer
calls: past it every call is refused with 403 TOKEN LIMIT EXCEEDED.

Event reports answer the rows given to them (``add_report_rows``), selected by the
registry entry's ``filter_field``, the timestamp the live API filters on: chat_1 by its
undocumented ``date_close``, not by ``date``. ``generate_report_rows`` and
``generate_report_burst`` make plausible rows for any event report from its fields;
``generate_rows`` and ``generate_burst`` stay the session-shaped diagram_9 generators the
older tests were written against.

Summary reports (kinds ``daily`` and ``one_day``) answer totals computed from the events
given to them (``add_summary_events``; made by ``tests.fake_summaries``, which says how
rows, days, buckets and nested fields are made): the range asked for is their grain. cdr_4
answers its single object, never capped nor shuffled.

Partitions: a report with a ``partition`` needs its parameter, else 400 SOME PARAMETERS
ARE REQUIRED. ``cod_act`` must be ``cod_act1`` or ``cod_act2``; ``campaign_id`` one of
``campaigns`` or ``all`` (every campaign), but campaign_5 (``explicit_only``) refuses
``all``. A call answers the partition asked for: a partitioned event report's rows are
filed under one value each (``add_report_rows(..., partition="cod_act1")``), a summary's
events carry theirs.

Run it as a sandbox: ``python -m tests.fake_wolkvox --port 8765`` (see ``--help``).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import email.utils
import json
import random
import socket
import threading
import time
import zoneinfo
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tap_wolkvox.reports import RESERVED_PARAMS, Partition, Report, by_api
from tests.fake_summaries import (
    ALL,
    CAMPAIGNS,
    CODE_DESCRIPTIONS,
    FIRST_NAMES,
    LAST_NAMES,
    ROW_DATE,
    SKILL_NAMES,
    SummaryEvent,
    generate_summary_events,
    summary_answer,
)

TOKEN = "fake-token-3f9a1c"
PATH = "/api/v2/reports_manager.php"
INFO_PATH = "/api/v2/information.php"
TOKEN_INFO = "token_info"
# What token_info says the limit is when neither daily_limit nor quota limits the calls.
DEFAULT_DAILY_LIMIT = 1000
API_DATE = "%Y%m%d%H%M%S"
MAX_SPAN = dt.timedelta(days=31)

QUOTA_MSG = "TOKEN LIMIT EXCEEDED"
BAD_TOKEN_MSG = "PLEASE VALIDATE TOKEN"
SIMULTANEOUS_MSG = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
MAINTENANCE_MSG = "API CONSUMPTION DISABLED DURING SERVER MAINTENANCE"
EMPTY_MSG = "Validate dates entered"
NO_REPORT_MSG = "THE API YOU WANT TO CONSULT DOES NOT EXIST"
PARAMS_MSG = "SOME PARAMETERS ARE REQUIRED"
SPAN_MSG = "THE DATE RANGE MAY NOT EXCEED 31 DAYS"
MONTH_MSG = "ONLY REPORTS FROM THE SAME MONTH"
CHATBOT = "diagram_9"


def serve_on_loopback(
    handler: type[BaseHTTPRequestHandler], port: int = 0
) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``handler`` on loopback (a free port by default) in a thread, and its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    # A short poll interval: stopping waits for the next poll, and tests stop a fake each.
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def stop_serving(server: ThreadingHTTPServer | None) -> None:
    """Stop a server of ``serve_on_loopback``, if any."""
    if server is not None:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Fault:
    """What the fake does instead of a normal answer to one call.

    kind: ``status`` (answer ``status`` with ``msg``), ``drop`` (close the connection
    without answering), ``truncated`` (a 200 whose JSON body stops half-way),
    ``short-read`` (a body shorter than its Content-Length), ``not-json`` (an HTML
    page), ``slow`` (answer normally after ``seconds``), ``stall-body`` (send the headers
    and half the body, then nothing for ``seconds``), ``redirect`` (answer ``status``,
    302 by default, with ``Location: location``).
    """

    kind: str
    status: int = 0
    msg: str = ""
    seconds: float = 0.0
    location: str = ""


@dataclass
class Call:
    """One call the fake received.

    ``api`` is the report asked for (``""`` when the call named none); ``params`` holds
    every other query parameter as received, besides ``api``, ``date_ini`` and
    ``date_end``, so tests can check what a stream sends. Both come last with defaults
    so the older positional constructors keep working.
    """

    date_ini: str
    date_end: str
    started: float
    ended: float = 0.0
    status: int = 0
    rows: int = 0
    fault: str = ""
    api: str = CHATBOT
    params: dict[str, str] = field(default_factory=dict)
    path: str = PATH


def _filter_value(row: dict[str, Any], name: str) -> str:
    """A row's value in its report's filter field; ``""`` (never selected) if unusable."""
    value = row.get(name)
    return value if isinstance(value, str) else ""


class _RefusedError(Exception):
    """A call the server refuses with 400 and this message."""


@dataclass
class _Table:
    """One report's rows, sorted by its filter field so a window is two bisections."""

    filter_field: str
    keys: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    def between(self, first: str, last: str) -> list[dict[str, Any]]:
        # Rows with no usable filter value sort first under the key "": skip them even
        # when ``first`` is "" too, as the live API can select no row by a missing date.
        low = max(bisect.bisect_left(self.keys, first), bisect.bisect_right(self.keys, ""))
        high = bisect.bisect_right(self.keys, last)
        return self.rows[low:high] if low < high else []


@dataclass
class FakeWolkvox:
    """The fake API's data, behaviour and record of calls."""

    token: str = TOKEN
    # Rows per answer past which the rest is cut off silently. None: each report's own
    # ``row_cap`` (6,000 for diagram_9, 60,000 for the others); an int: that, for all.
    cap: int | None = None
    # "date-order": the first ``cap`` rows by the report's filter field; "random": any.
    truncation: str = "date-order"
    code_as_int: bool = False
    shuffle: bool = True
    refuse_month_crossing: bool = True
    # Rows as {"0": row, "1": row, ...} instead of a list, like a PHP API's array.
    data_as_object: bool = False
    # Added to the real time in the Date header: a server whose clock is off.
    clock_offset: dt.timedelta = dt.timedelta(0)
    quota: int | None = None  # calls allowed before TOKEN LIMIT EXCEEDED
    # The operation's calls a day (token_info's token_limit); None: no daily limit.
    daily_limit: int | None = None
    used_by_others: int = 0  # calls the operation's other integrations spent today
    used_by_token: int = 0  # calls with this token today (answered, not refused)
    # Report ids the server pretends not to offer (400 "... DOES NOT EXIST"), although
    # the registry has them: a report missing on an operation's server.
    unavailable: set[str] = field(default_factory=set)
    faults: deque[Fault] = field(default_factory=deque)
    rule: Callable[[Call], Fault | None] | None = None
    calls: list[Call] = field(default_factory=list)
    max_in_flight: int = 0
    base_url: str = ""
    # The campaign ids campaign_id may name (besides "all", where the report takes it).
    campaigns: tuple[str, ...] = CAMPAIGNS
    _tables: dict[tuple[str, str], _Table] = field(default_factory=dict)
    _summaries: dict[str, list[SummaryEvent]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: int = 0
    _server: ThreadingHTTPServer | None = None
    _rng: random.Random = field(default_factory=lambda: random.Random(7))

    # -- data -------------------------------------------------------------------------

    def _table(self, api: str, partition: str) -> _Table:
        """The rows of event report ``api`` in ``partition``.

        KeyError for a report the registry lacks (a typo), ValueError for a summary
        report or a partition the report cannot be asked for.
        """
        table = self._tables.get((api, partition))
        if table is None:
            report = by_api(api)
            if report.kind != "event":
                msg = f"{api} is a summary report: give it events (add_summary_events)"
                raise ValueError(msg)
            # Rows are filed under one value each ("all" gathers values), "" without a partition.
            if report.partition is None:
                filed = not partition
            else:
                filed = partition != ALL and self._accepts(report.partition, partition)
            if not filed:
                msg = f"{api} has no partition {partition!r}"
                raise ValueError(msg)
            table = self._tables.setdefault((api, partition), _Table(report.filter_field))
        return table

    def add_report_rows(
        self, api: str, rows: Iterable[dict[str, Any]], *, partition: str = ""
    ) -> None:
        """Make ``rows`` of event report ``api`` visible to later calls.

        A row is selected by its report's ``filter_field`` (a ``YYYY-mm-dd HH:MM:SS``
        string); a row without one is kept but never returned, like a live row the
        date filter cannot match. A partitioned report's rows belong to the
        ``partition`` given (act_3: ``cod_act1`` or ``cod_act2``; campaign_5: a campaign
        id of ``campaigns``), answered only to calls for it; other reports take none.
        """
        with self._lock:
            table = self._table(api, partition)
            for row in rows:
                key = _filter_value(row, table.filter_field)
                index = bisect.bisect_right(table.keys, key)
                table.keys.insert(index, key)
                table.rows.insert(index, row)

    def set_report_rows(
        self, api: str, rows: Iterable[dict[str, Any]], *, partition: str = ""
    ) -> None:
        """Replace the rows of ``api`` (in ``partition``) with ``rows`` (``add_report_rows``)."""
        with self._lock:
            table = self._table(api, partition)
            ordered = sorted(rows, key=lambda row: _filter_value(row, table.filter_field))
            table.rows = ordered
            table.keys = [_filter_value(row, table.filter_field) for row in ordered]

    def report_rows(self, api: str, *, partition: str = "") -> list[dict[str, Any]]:
        """Every row of report ``api`` (in ``partition``), in order of its filter field."""
        with self._lock:
            return list(self._table(api, partition).rows)

    def report_rows_between(
        self, api: str, first: str, last: str, *, partition: str = ""
    ) -> list[dict[str, Any]]:
        """Rows of ``api`` (in ``partition``) whose filter field is from ``first`` to ``last``.

        Both ends included: exactly what a call for that wall-clock window selects,
        before the cap.
        """
        with self._lock:
            return self._table(api, partition).between(first, last)

    def _summary_report(self, api: str) -> Report:
        report = by_api(api)
        if report.kind == "event":
            msg = f"{api} is an event report: give it rows (add_report_rows)"
            raise ValueError(msg)
        return report

    def add_summary_events(self, api: str, events: Iterable[SummaryEvent]) -> None:
        """Add ``events`` to what summary report ``api``'s answers are computed from."""
        self._summary_report(api)
        with self._lock:
            self._summaries.setdefault(api, []).extend(events)

    def set_summary_events(self, api: str, events: Iterable[SummaryEvent]) -> None:
        """Replace the events of summary report ``api`` with ``events``."""
        self._summary_report(api)
        with self._lock:
            self._summaries[api] = list(events)

    def summary_events(self, api: str) -> list[SummaryEvent]:
        """The events of summary report ``api``, as added."""
        self._summary_report(api)
        with self._lock:
            return list(self._summaries.get(api, ()))

    def add_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """``add_report_rows`` for diagram_9 (rows selected by their ``date``)."""
        self.add_report_rows(CHATBOT, rows)

    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """``set_report_rows`` for diagram_9: replace its data with ``rows``."""
        self.set_report_rows(CHATBOT, rows)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every diagram_9 row, in date order."""
        return self.report_rows(CHATBOT)

    def rows_between(self, first: str, last: str) -> list[dict[str, Any]]:
        """diagram_9 rows dated from ``first`` to ``last`` inclusive (``YYYY-mm-dd HH:MM:SS``)."""
        return self.report_rows_between(CHATBOT, first, last)

    def cap_for(self, api: str) -> int:
        """The rows one answer of report ``api`` holds at most: ``cap`` or the report's own."""
        return self.cap if self.cap is not None else by_api(api).row_cap

    # -- serving ----------------------------------------------------------------------

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                fake.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

            def date_time_string(self, timestamp: float | None = None) -> str:
                # send_response() sends the Date header from here, so overriding this keeps
                # it to exactly one Date header, shifted by the fake's clock offset.
                if timestamp is None:
                    timestamp = time.time() + fake.clock_offset.total_seconds()
                return email.utils.formatdate(timestamp, usegmt=True)

        return Handler

    def start(self, port: int = 0) -> str:
        """Serve on loopback (a free port by default) in a thread; returns the base URL."""
        self._server, self.base_url = serve_on_loopback(self._handler(), port)
        return self.base_url

    def stop(self) -> None:
        """Stop serving."""
        stop_serving(self._server)
        self._server = None

    # -- one call ---------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        """Answer one request."""
        parts = urlsplit(request.path)
        # Blank values kept: diagram_1 is asked for with an empty ``customer_id=``.
        parsed = parse_qs(parts.query, keep_blank_values=True)
        query = {key: values[0] for key, values in parsed.items()}
        call = Call(
            query.get("date_ini", ""),
            query.get("date_end", ""),
            time.monotonic(),
            api=query.get("api", ""),
            params={k: v for k, v in query.items() if k not in RESERVED_PARAMS},
            path=parts.path,
        )
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            overlapping = self._in_flight > 1
            self.calls.append(call)
            fault = self.faults.popleft() if self.faults else None
        try:
            if fault is None and self.rule is not None:
                fault = self.rule(call)
            if overlapping:
                fault = Fault("status", 403, SIMULTANEOUS_MSG)
            self._answer(request, parts.path, query, call, fault)
        finally:
            self._finish(call)

    def _finish(self, call: Call) -> None:
        """The call stops counting as in flight (once), as soon as its answer is ready."""
        with self._lock:
            if not call.ended:
                call.ended = time.monotonic()
                self._in_flight -= 1

    def _answer(
        self,
        request: BaseHTTPRequestHandler,
        path: str,
        query: dict[str, str],
        call: Call,
        fault: Fault | None,
    ) -> None:
        token = request.headers.get("wolkvox-token")
        if fault is not None:
            call.fault = fault.kind
            if fault.kind == "slow":
                time.sleep(fault.seconds)
            elif self._fault(request, call, fault):
                return
        if path not in {PATH, INFO_PATH}:
            self._send(request, call, 404, {"code": 404, "error": "NOT FOUND", "msg": "NOT FOUND"})
            return
        if not token:
            self._error(request, call, 401, "PLEASE ENTER THE WOLKVOX-TOKEN")
            return
        if token != self.token:
            self._error(request, call, 403, BAD_TOKEN_MSG)
            return
        if not self._spend():
            self._error(request, call, 403, QUOTA_MSG)
            return
        if path == INFO_PATH:
            self._token_info(request, call)
        else:
            self._report_answer(request, query, call)

    def _report_answer(
        self, request: BaseHTTPRequestHandler, query: dict[str, str], call: Call
    ) -> None:
        """Answer a call for a report, the token and quota already checked."""
        report = self._report(call.api)
        if report is None:
            self._error(request, call, 400, NO_REPORT_MSG)
            return
        try:
            first, last, partition = self._asked(report, query)
        except _RefusedError as refused:
            self._error(request, call, 400, str(refused))
            return
        data = self._select(report, first, last, partition)
        if not data:
            self._error(request, call, 404, EMPTY_MSG)
            return
        self._send_data(request, call, report, data)

    def _asked(self, report: Report, query: dict[str, str]) -> tuple[dt.datetime, dt.datetime, str]:
        """The window and partition value a call asks ``report`` for, if it may."""
        partition = "" if report.partition is None else query.get(report.partition.param, "")
        if any(query.get(name) != value for name, value in report.params) or not self._accepts(
            report.partition, partition
        ):
            raise _RefusedError(PARAMS_MSG)
        try:
            first = dt.datetime.strptime(query["date_ini"], API_DATE)
            last = dt.datetime.strptime(query["date_end"], API_DATE)
        except (KeyError, ValueError):
            raise _RefusedError(PARAMS_MSG) from None
        if last < first or last - first > MAX_SPAN:
            raise _RefusedError(SPAN_MSG)
        if self.refuse_month_crossing and (first.year, first.month) != (last.year, last.month):
            raise _RefusedError(MONTH_MSG)
        hours = report.max_window_hours
        if hours is not None and last - first > dt.timedelta(hours=hours):
            msg = f"THE DATE RANGE MAY NOT EXCEED {hours} HOURS"
            raise _RefusedError(msg)
        return first, last, partition

    def _accepts(self, partition: Partition | None, value: str) -> bool:
        """Whether a report with ``partition`` may be asked for ``value`` of it."""
        if partition is None:
            return True
        if partition.values:
            return value in partition.values
        return value in self.campaigns or (value == ALL and not partition.explicit_only)

    def _select(
        self, report: Report, first: dt.datetime, last: dt.datetime, partition: str
    ) -> list[dict[str, Any]] | dict[str, dict[str, str]] | None:
        """What a call selects, before the cap: an event report's rows, a summary's totals."""
        if report.kind == "event":
            return self.report_rows_between(
                report.api, first.strftime(ROW_DATE), last.strftime(ROW_DATE), partition=partition
            )
        with self._lock:
            events = list(self._summaries.get(report.api, ()))
        return summary_answer(report, events, first, last, partition)

    def _send_data(
        self,
        request: BaseHTTPRequestHandler,
        call: Call,
        report: Report,
        data: list[dict[str, Any]] | dict[str, dict[str, str]],
    ) -> None:
        """Answer 200 with ``data``: rows capped, shuffled and maybe keyed by number."""
        if isinstance(data, dict):  # cdr_4's one object: nothing to cap or shuffle
            self._send_envelope(request, call, data, 1)
            return
        rows = data
        cap = self.cap_for(report.api)
        if len(rows) > cap:
            rows = rows[:cap] if self.truncation == "date-order" else self._rng.sample(rows, cap)
        elif self.shuffle:
            rows = self._rng.sample(rows, len(rows))
        if self.data_as_object:
            numbered = {str(number): row for number, row in enumerate(rows)}
            self._send_envelope(request, call, numbered, len(rows))
        else:
            self._send_envelope(request, call, rows, len(rows))

    def _send_envelope(
        self, request: BaseHTTPRequestHandler, call: Call, data: object, rows: int
    ) -> None:
        code: int | str = 200 if self.code_as_int else "200"
        envelope = {"code": code, "error": None, "msg": f"{rows} records were found", "data": data}
        call.rows = rows
        self._send(request, call, 200, envelope)

    @property
    def used_today(self) -> int:
        """The operation's calls today: its other integrations' and this token's."""
        return self.used_by_others + self.used_by_token

    def calls_left(self) -> int | None:
        """Calls still answered today; None when nothing limits them."""
        with self._lock:
            return self._calls_left()

    def _calls_left(self) -> int | None:
        limits = []
        if self.daily_limit is not None:
            limits.append(self.daily_limit - self.used_today)
        if self.quota is not None:
            limits.append(self.quota)
        return max(0, min(limits)) if limits else None

    def _spend(self) -> bool:
        """Count one call with the right token against the day; False when it is refused."""
        with self._lock:
            refused = False
            if self.quota is not None:
                self.quota -= 1
                refused = self.quota < 0
            if self.daily_limit is not None and self.used_today >= self.daily_limit:
                refused = True
            if not refused:
                self.used_by_token += 1
            return not refused

    def _token_info(self, request: BaseHTTPRequestHandler, call: Call) -> None:
        """Answer ``information.php?api=token_info``, this call already counted."""
        if call.api != TOKEN_INFO:
            self._error(request, call, 400, NO_REPORT_MSG)
            return
        with self._lock:
            left = self._calls_left()
            used = self.used_today
            limit = max(DEFAULT_DAILY_LIMIT, used) if left is None else used + left
            row = {
                "description": "fake operation token",
                "token_limit": str(limit),
                "token_use_today": str(self.used_by_token),
                "all_token_today": str(used),
                "available_consumption_options": "",
            }
        code: int | str = 200 if self.code_as_int else "200"
        envelope = {"code": code, "error": None, "msg": " 1 records were found", "data": [row]}
        call.rows = 1
        self._send(request, call, 200, envelope)

    def info_calls(self) -> list[Call]:
        """The calls to token_info, in order."""
        return [call for call in self.calls if call.path == INFO_PATH]

    def report_calls(self) -> list[Call]:
        """The calls for report windows, in order."""
        return [call for call in self.calls if call.path != INFO_PATH]

    def _report(self, api: str) -> Report | None:
        """The registry entry the server offers as ``api``, if it offers one."""
        if api in self.unavailable:
            return None
        try:
            return by_api(api)
        except KeyError:
            return None

    def _fault(self, request: BaseHTTPRequestHandler, call: Call, fault: Fault) -> bool:
        """Act out ``fault``; True when the call is answered (or dropped) by it."""
        if fault.kind == "status":
            self._error(request, call, fault.status, fault.msg)
        elif fault.kind == "drop":
            call.status = -1
            self._finish(call)
            request.close_connection = True
            request.connection.shutdown(socket.SHUT_RDWR)
        elif fault.kind == "truncated":
            body = b'{"code": "200", "error": null, "msg": "2 records were found", "data": [{"se'
            self._raw(request, call, 200, body, len(body))
        elif fault.kind == "short-read":
            body = b'{"code": "200", "error": null, "msg": "1 records were found", "data": ['
            self._raw(request, call, 200, body, len(body) + 500)
        elif fault.kind == "not-json":
            self._raw(request, call, 502, b"<html>Bad gateway</html>", 24)
        elif fault.kind == "stall-body":
            body = json.dumps({"code": "404", "error": "ERROR", "msg": EMPTY_MSG}).encode()
            self._raw(request, call, 404, body, len(body), stall=fault.seconds)
        elif fault.kind == "redirect":
            body = b"<html>Moved</html>"
            headers = {"Location": fault.location}
            self._raw(request, call, fault.status or 302, body, len(body), headers=headers)
        else:
            return False
        return True

    def _error(self, request: BaseHTTPRequestHandler, call: Call, status: int, msg: str) -> None:
        code: int | str = status if self.code_as_int else str(status)
        self._send(request, call, status, {"code": code, "error": "ERROR", "msg": msg})

    def _send(
        self, request: BaseHTTPRequestHandler, call: Call, status: int, envelope: dict[str, Any]
    ) -> None:
        body = json.dumps(envelope, ensure_ascii=False).encode()
        self._raw(request, call, status, body, len(body))

    def _raw(
        self,
        request: BaseHTTPRequestHandler,
        call: Call,
        status: int,
        body: bytes,
        length: int,
        *,
        stall: float = 0.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        call.status = status
        # The server is done with the call once it starts answering: the client may send
        # its next call the moment the last byte arrives.
        self._finish(call)
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json; charset=utf-8")
            request.send_header("Content-Length", str(length))
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            if length != len(body):
                request.send_header("Connection", "close")
                request.close_connection = True
            request.end_headers()
            if stall:
                # Headers and half the body arrive, then nothing: the client's read
                # time-out fires while it reads the body, not while it waits for headers.
                half = len(body) // 2
                request.wfile.write(body[:half])
                request.wfile.flush()
                time.sleep(stall)
                body = body[half:]
            request.wfile.write(body)
            if length != len(body):
                request.wfile.flush()
                request.connection.shutdown(socket.SHUT_RDWR)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # -- checks for tests -------------------------------------------------------------

    def windows(self, api: str | None = None) -> list[tuple[str, str]]:
        """``(date_ini, date_end)`` of every call (of report ``api`` if given), in order."""
        return [
            (call.date_ini, call.date_end) for call in self.calls if api is None or call.api == api
        ]

    def overlapped(self) -> bool:
        """Whether any two calls were in flight at the same time."""
        return self.max_in_flight > 1


@dataclass
class HeaderRecorder:
    """A loopback server that answers every GET with a 404 envelope and keeps its headers.

    The target of the fake's ``redirect`` fault: what it records is what a client would
    have leaked by following the redirect.
    """

    received: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> str:
        """Serve on a free loopback port in a thread; returns the base URL."""
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                recorder.received.append({k.lower(): v for k, v in self.headers.items()})
                body = json.dumps({"code": "404", "error": "ERROR", "msg": EMPTY_MSG}).encode()
                self.send_response(404)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server, self.base_url = serve_on_loopback(Handler)
        return self.base_url

    def stop(self) -> None:
        """Stop serving."""
        stop_serving(self._server)
        self._server = None


# -- realistic data ---------------------------------------------------------------------

CHANNELS = (
    ("whatsapp", 40),
    ("whatsapp official direct", 15),
    ("web", 20),
    ("facebook", 6),
    ("facebook_page", 4),
    ("instagram", 8),
    ("email", 5),
    ("crm+webhook", 1),
    ("configurationbox", 1),
)
# Each channel repeated by its weight, for random.choice.
WEIGHTED_CHANNELS = [name for name, weight in CHANNELS for _ in range(weight)]
QUERIES = (
    "hola",
    "1",
    "2",
    "quiero saber el estado de mi pedido",
    "necesito hablar con un asesor",
    "¿cuál es el horario de atención?",
    "gracias",
    "mi número de documento es 1020304050",
    "no me llegó la factura",
    "sí",
    "no",
)
ANSWERS = (
    "¡Hola! Soy el asistente virtual. Elige una opción: 1. Pedidos 2. Facturas 3. Asesor",
    "transfer_skill",
    "MaskedText: xxxxx",
    "Tu pedido está en camino.",
    "Nuestro horario es de lunes a sábado de 7:00 a 19:00.",
    "¿Te puedo ayudar en algo más?",
)


def generate_rows(
    start: dt.datetime,
    end: dt.datetime,
    *,
    per_day: float,
    seed: int = 1,
    quiet_nights: bool = True,
) -> list[dict[str, Any]]:
    """Chatbot turns between naive wall-clock ``start`` and ``end``.

    Sessions of 2 to 8 turns; about ``per_day`` turns a day; fewer at night when
    ``quiet_nights``.
    """
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    seconds = int((end - start).total_seconds())
    if seconds <= 0 or per_day <= 0:
        return rows
    sessions = max(1, int(per_day * seconds / 86400 / 5))
    for number in range(sessions):
        moment = start + dt.timedelta(seconds=rng.randrange(seconds))
        if quiet_nights and moment.hour < 7 and rng.random() < 0.85:
            moment = moment.replace(hour=rng.randrange(8, 20))
        rows.extend(_session(rng, moment, end, seed * 1_000_000 + number))
    return rows


def generate_burst(
    start: dt.datetime, duration: dt.timedelta, count: int, *, seed: int = 2
) -> list[dict[str, Any]]:
    """``count`` turns packed into ``duration`` from ``start`` (a campaign, an outage)."""
    rng = random.Random(seed)
    seconds = max(1, int(duration.total_seconds()))
    rows: list[dict[str, Any]] = []
    number = 0
    while len(rows) < count:
        moment = start + dt.timedelta(seconds=rng.randrange(seconds))
        rows.extend(_session(rng, moment, start + duration, seed * 1_000_000 + number))
        number += 1
    return rows[:count]


def _session(
    rng: random.Random, moment: dt.datetime, end: dt.datetime, number: int
) -> list[dict[str, Any]]:
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    phone = f"57{rng.randrange(3000000000, 3509999999)}"
    channel = rng.choice(WEIGHTED_CHANNELS)
    session_id = f"{number:x}{rng.randrange(16**6):06x}"
    turns = []
    for _ in range(rng.randrange(2, 9)):
        if moment >= end:
            break
        turns.append(
            {
                "session_id": session_id,
                "channel": channel,
                "rp_id": str(rng.choice((12, 15, 31))),
                "date": moment.strftime(ROW_DATE),
                "customer_name": name,
                "customer_email": f"{name.split(maxsplit=1)[0].lower()}{rng.randrange(100)}@example.com"
                if channel == "email"
                else "",
                "customer_phone": phone if channel.startswith("whatsapp") else "",
                "customer_query": rng.choice(QUERIES),
                "routing_answer": rng.choice(ANSWERS),
                "customer_id": str(rng.randrange(10**9)) if rng.random() < 0.3 else "",
                "conn_id": "0" if rng.random() < 0.7 else str(rng.randrange(10**8)),
            }
        )
        moment += dt.timedelta(seconds=rng.randrange(3, 90))
    return turns


# -- rows of any report -----------------------------------------------------------------

Maker = Callable[[random.Random], str]
"""Makes one plausible value of one field."""

MAILBOXES = ("ana", "luis", "maria", "jose", "camila", "andres", "valentina", "juan", "sofia")
ROUTING_POINTS = ("IVR principal", "Bot WhatsApp", "Encuesta postllamada", "Menú cobranza")
SENTENCES = (
    "Cliente solicita estado de su pedido",
    "Se envía factura al correo registrado",
    "Llamada cortada por el cliente",
    "Solicitud escalada a segundo nivel",
    "Pago confirmado",
    "",
)
TEXTS = (*QUERIES, *ANSWERS, *SENTENCES)
# Undocumented fields real rows carry (chat_1 shows some); drawn for ``extra_share`` rows.
EXTRA_FIELDS = (
    "sentiment",
    "agent_average_response_time",
    "transfer",
    "tags",
    "queue_position",
    "customer_country",
)
# Later time fields that stay empty until something happens (an open case, no callback
# yet), and the status such a row shows meanwhile.
OPEN_TIME_FIELDS = {"close_date": "open", "date_last_outbound_call": "YES"}
# Fields holding the seconds between a report's two timestamps, where it has two.
DURATION_FIELDS = ("time", "total_time", "chat_duration")
# Name parts of time fields that come last in a row's life: a report filtered by one of
# them (chat_1's date_close) has its other timestamps before it, the others after.
_LATE_MARKS = ("close", "end", "last", "update")
_NUMBER_MARKS = (
    "time",
    "duration",
    "asa",
    "ring",
    "ready",
    "talk",
    "acw",
    "attempt",
    "chars",
    "credits",
    "units",
    "minutes",
    "characters",
    "total",
    "second",
    "auxiliary",
)
_BLANK_SHARE = 0.03  # documented values sent as "" besides the fields that often are


def _int(rng: random.Random, low: int, high: int) -> int:
    """``rng.randrange(low, high)`` at a fraction of the cost: the generators draw millions."""
    return low + int(rng.random() * (high - low))


def _one(rng: random.Random, values: Sequence[str]) -> str:
    """``rng.choice(values)``, as cheaply as ``_int``."""
    return values[int(rng.random() * len(values))]


def _pick(*values: str) -> Maker:
    return lambda rng: _one(rng, values)


def _digits(low: int, high: int) -> Maker:
    return lambda rng: str(_int(rng, low, high))


def _phone(rng: random.Random) -> str:
    return f"57{_int(rng, 3000000000, 3509999999)}"


def _person(rng: random.Random) -> str:
    return f"{_one(rng, FIRST_NAMES)} {_one(rng, LAST_NAMES)}"


def _email(rng: random.Random) -> str:
    return f"{_one(rng, MAILBOXES)}{_int(rng, 0, 1000)}@example.com"


def _channel(rng: random.Random) -> str:
    return _one(rng, WEIGHTED_CHANNELS)


def _text(rng: random.Random) -> str:
    return _one(rng, TEXTS)


_EXACT: dict[str, Maker] = {
    "channel": _channel,
    "nlp_channel": _channel,
    "session_id": lambda rng: f"{_int(rng, 0, 16**10):010x}",
    "conn_id": lambda rng: "0" if rng.random() < 0.1 else str(_int(rng, 10**7, 10**9)),
    "customer_id": lambda rng: str(_int(rng, 10**6, 10**10)) if rng.random() < 0.6 else "",
    "rp_id": _pick("12", "15", "31"),
    "type_interaction": _pick("inbound", "outbound", "chat", "email", "callback"),
    "result": _pick("ANSWERED", "NO ANSWER", "BUSY", "ABANDON", "OK", "FAIL", "MACHINE"),
    "status": _pick("closed", "answered", "delivered", "submitted", "failed", "OK", "FAIL"),
    "agent_status": _pick("ready", "talk", "acw", "not_ready", "break", "lunch", "training"),
    "type_action": _pick("hold", "mute"),
    "type_call": _pick("inbound", "outbound", "preview", "transfer", "conference"),
    "language": _pick("es-CO", "es-MX", "en-US"),
    "feeling": _pick("positive", "neutral", "negative", ""),
    "sentiment": _pick("positive", "neutral", "negative"),
    "yes/no": _pick("yes", "no"),
    "hang_up": _pick("agent", "customer", "system"),
    "hung_up": _pick("agent", "customer"),
    "go_to_agent": _pick("yes", "no"),
    "transfer": _pick("yes", "no"),
    "last_participant_who_spoke": _pick("agent", "customer"),
    "last_sender": _pick("agent", "customer", "bot"),
    "id_type": _pick("CC", "CE", "NIT", "PA"),
    "media_type": _pick("image", "video", "text"),
    "source_type": _pick("ad", "post"),
    "type_nlp": _pick("dialogflow", "openai", "watson"),
    "template": _pick("bienvenida", "recordatorio_pago", "encuesta_satisfaccion"),
    "type_error": _pick("critical", "non_critical", ""),
    "survey": _pick("Calidad voz", "Calidad chat"),
    "category": _pick("Protocolo", "Solución", "Actitud"),
    "attribute": _pick("Saludo", "Empatía", "Cierre", "Validación de datos"),
    "operation": _pick("release", "restrict"),
    "item": _pick("telephone", "email", "sms"),
    "value": _phone,
    "errors": lambda rng: "" if rng.random() < 0.9 else "131026: message undeliverable",
    "attachments": _pick("", "", "factura.pdf", "foto.jpg"),
    "evaluation_survey": _pick("", "1", "2", "3", "4", "5"),
    "greeting": _pick("yes", "no"),
    "slow_to_greet": _pick("yes", "no"),
    "greeting_agent_name": _pick("yes", "no"),
    "cost": lambda rng: f"{_int(rng, 0, 50000) / 100:.2f}",
    "time_min": lambda rng: f"{_int(rng, 0, 3600) / 60:.2f}",
    "accuracy": lambda rng: f"{_int(rng, 500, 1001) / 10:.1f}",
    "preview_percent": lambda rng: f"{_int(rng, 0, 1001) / 10:.1f}",
    "tags": _pick("vip", "mora", ""),
    "queue_position": _digits(1, 50),
    "customer_country": _pick("CO", "MX", "PE"),
    "protected_nit": _digits(10**8, 10**10),
}


def _name_maker(key: str) -> Maker:
    if "skill" in key:
        return _pick(*SKILL_NAMES)
    if key.startswith("rp_"):
        return _pick(*ROUTING_POINTS)
    if "last_name" in key:
        return _pick(*LAST_NAMES)
    if key.startswith("file"):
        return lambda rng: f"rec_{_int(rng, 0, 10**8)}.wav"
    return _person


def _id_maker(key: str) -> Maker:
    if "agent" in key:
        return _digits(1000, 1100)
    if "skill" in key:
        return _digits(1, 40)
    if "campaign" in key or "campaing" in key:
        return _digits(1, 30)
    if key.startswith("rp"):
        return _EXACT["rp_id"]
    return _digits(10**6, 10**9)


def _maker(name: str) -> Maker:
    """How to make a plausible value of the field called ``name``, from its name alone."""
    key = name.strip().lower()
    if key in _EXACT:
        return _EXACT[key]
    if "email" in key or key in {"from", "to"}:
        return _email
    if "phone" in key or key in {"ani", "dnis", "telephone", "destiny", "destinity"}:
        return _phone
    if key == "dn_transfer":
        return _phone
    if "url" in key:
        return lambda rng: f"https://example.com/p/{_int(rng, 0, 10**6)}"
    if key.endswith("_name") or key in {"name_agent", "quality_analyst"}:
        return _name_maker(key)
    if key.endswith("_dni"):
        return _digits(10**7, 10**10)
    if key.endswith("_id") or key.startswith("id_") or key == "conn_id_transfer":
        return _id_maker(key)
    if "description" in key:
        return _pick(*CODE_DESCRIPTIONS)
    if key.startswith("cod_"):
        return _digits(1, 60)
    if key[:1] == "q" and key[1:].isdigit():
        return _pick("1", "2", "3", "4", "5", "")
    if any(mark in key for mark in _NUMBER_MARKS):
        return _digits(0, 3600)
    return _text


@dataclass(frozen=True)
class _Plan:
    """What generating rows of one report needs, worked out once per generator call."""

    report: Report
    order: tuple[str, ...]  # documented fields in the API's order, then known extras
    makers: tuple[tuple[str, Maker], ...]  # every non-time field, documented then extra
    blankable: tuple[str, ...]  # documented fields a row may send as "" or leave out
    extras: tuple[str, ...]  # undocumented fields the report does not know of
    earlier: bool  # other time fields lie before the filter field (chat_1)
    unique: str | None  # the key field made unique, for reports with key_fields
    key_fields: tuple[str, ...]


def _plan(report: Report) -> _Plan:
    times = set(report.time_fields)
    keys = report.key_fields or ()
    names = [*report.fields, *report.known_extra_fields]
    unique = next((name for name in reversed(keys) if name not in times), None)
    return _Plan(
        report=report,
        order=tuple(names),
        makers=tuple((name, _maker(name)) for name in names if name not in times),
        blankable=tuple(name for name in report.fields if name not in times and name not in keys),
        extras=tuple(name for name in EXTRA_FIELDS if name not in names),
        earlier=any(mark in report.filter_field for mark in _LATE_MARKS),
        unique=unique,
        key_fields=keys,
    )


def _earlier_by(rng: random.Random) -> dt.timedelta:
    """How long before a chat's close it was opened: seconds to hours, or a day's time-out."""
    draw = rng.random()
    if draw < 0.6:
        return dt.timedelta(seconds=_int(rng, 5, 1800))
    if draw < 0.9:
        return dt.timedelta(seconds=_int(rng, 1800, 6 * 3600))
    return dt.timedelta(seconds=_int(rng, 22 * 3600, 23 * 3600 + 1800))


def _later_by(rng: random.Random) -> dt.timedelta:
    """How long after a row's start its other timestamp comes: mostly minutes."""
    if rng.random() < 0.8:
        return dt.timedelta(seconds=_int(rng, 5, 900))
    return dt.timedelta(seconds=_int(rng, 900, 4 * 3600))


def _times(
    plan: _Plan, rng: random.Random, moment: dt.datetime, end: dt.datetime
) -> dict[str, dt.datetime | None]:
    """Every time field of one row whose filter field is ``moment``, consistent with it.

    Earlier timestamps (chat_1's ``date``) may fall before the generator's start: that is
    the point. Later ones stop at ``end``, less a second, so nothing is dated in the
    future of the data set. None is a timestamp not there yet (sent as ``""``).
    """
    report = plan.report
    values: dict[str, dt.datetime | None] = {report.filter_field: moment}
    for name in report.time_fields:
        if name == report.filter_field:
            continue
        if plan.earlier:
            values[name] = moment - _earlier_by(rng)
        elif name in OPEN_TIME_FIELDS and rng.random() < 0.15:
            values[name] = None
        else:
            latest = max(moment, end - dt.timedelta(seconds=1))
            values[name] = min(moment + _later_by(rng), latest)
    return values


def _row(
    plan: _Plan,
    rng: random.Random,
    moment: dt.datetime,
    end: dt.datetime,
    shares: tuple[float, float],
    seen: set[tuple[str, ...]],
) -> dict[str, Any]:
    """One plausible row of ``plan.report`` whose filter field is ``moment``."""
    times = _times(plan, rng, moment, end)
    values = {name: make(rng) for name, make in plan.makers}
    # One draw instead of one per field: about _BLANK_SHARE of the values end up "".
    if plan.blankable and rng.random() < _BLANK_SHARE * len(plan.blankable):
        values[_one(rng, plan.blankable)] = ""
    for name, stamp in times.items():
        values[name] = "" if stamp is None else stamp.strftime(ROW_DATE)
        if stamp is None and "status" in values:
            values["status"] = OPEN_TIME_FIELDS[name]
    stamps = [stamp for stamp in times.values() if stamp is not None]
    if len(stamps) == 2:  # a start and an end: say how long it lasted where a field does
        duration = str(int(abs((stamps[1] - stamps[0]).total_seconds())))
        for name in DURATION_FIELDS:
            if name in values:
                values[name] = duration
                break
    if plan.key_fields:
        _make_unique(plan, rng, values, seen)
    row = {name: values[name] for name in plan.order}
    extra_share, missing_share = shares
    if plan.extras and rng.random() < extra_share:
        for name in rng.sample(plan.extras, min(len(plan.extras), _int(rng, 1, 3))):
            row[name] = _maker(name)(rng)
    if plan.blankable and rng.random() < missing_share:
        del row[_one(rng, plan.blankable)]
    return row


def _make_unique(
    plan: _Plan, rng: random.Random, values: dict[str, str], seen: set[tuple[str, ...]]
) -> None:
    """Redraw the row's distinguishing key field until its key is new in this call."""
    unique = plan.unique
    key = tuple(values[name] for name in plan.key_fields)
    if unique is not None:  # else every key field is a time field: nothing to redraw
        make = _maker(unique)
        draws = 0
        while key in seen or not values[unique]:
            draws += 1
            # A field with few values (a code) would redraw forever: number it instead.
            values[unique] = make(rng) if draws < 20 else f"{make(rng)}{len(seen)}"
            key = tuple(values[name] for name in plan.key_fields)
    seen.add(key)


def _as_report(report: Report | str) -> Report:
    return report if isinstance(report, Report) else by_api(report)


def _rows_at(
    report: Report | str,
    moments: Sequence[dt.datetime],
    end: dt.datetime,
    rng: random.Random,
    shares: tuple[float, float],
) -> list[dict[str, Any]]:
    plan = _plan(_as_report(report))
    seen: set[tuple[str, ...]] = set()
    # In filter-field order, as the fake stores them.
    return [_row(plan, rng, moment, end, shares, seen) for moment in sorted(moments)]


def generate_report_rows(
    report: Report | str,
    start: dt.datetime,
    end: dt.datetime,
    *,
    per_day: float,
    seed: int = 1,
    extra_share: float = 0.1,
    missing_share: float = 0.05,
) -> list[dict[str, Any]]:
    """Plausible rows of any registry entry, its filter field between ``start`` and ``end``.

    About ``per_day`` rows a day, spread uniformly over naive wall-clock ``[start, end)``
    with quiet nights (most rows drawn before 07:00 move into the day), in filter-field
    order. Every value is a string made from the field's name (ids as digits, names,
    phones, e-mails, codes, texts, ``""`` now and then); every time field is
    ``YYYY-MM-DD HH:MM:SS``. Other time fields follow the filter field: an end after its
    start (never past ``end``), a case's ``close_date`` sometimes still empty, and
    chat_1's ``date`` seconds to about a day BEFORE its ``date_close``, so a window can
    return chats opened before it. ``extra_share`` of the rows carry one or two
    undocumented fields besides the report's ``known_extra_fields`` (which every row
    carries, as live chat_1 rows do); ``missing_share`` of the rows leave out one
    documented field that is neither a time field nor a key field. Rows of a report with
    ``key_fields`` have unique keys within one call. Deterministic for a seed.
    """
    report = _as_report(report)
    rng = random.Random(f"{report.api}:{seed}")
    seconds = int((end - start).total_seconds())
    if seconds <= 0 or per_day <= 0:
        return []
    moments = []
    for _ in range(max(1, round(per_day * seconds / 86400))):
        moment = start + dt.timedelta(seconds=_int(rng, 0, seconds))
        if moment.hour < 7 and rng.random() < 0.85:  # quiet nights
            daytime = moment.replace(hour=_int(rng, 8, 20))
            if start <= daytime < end:
                moment = daytime
        moments.append(moment)
    return _rows_at(report, moments, end, rng, (extra_share, missing_share))


def report_rows_at(
    report: Report | str, moments: Sequence[dt.datetime], *, seed: int = 3
) -> list[dict[str, Any]]:
    """Rows of any report whose filter field holds exactly ``moments`` (a traffic shape).

    Rows as ``generate_report_rows`` makes them, in filter-field order.
    """
    report = _as_report(report)
    rng = random.Random(f"{report.api}:at:{seed}")
    end = max(moments) + dt.timedelta(seconds=1) if moments else dt.datetime.max
    return _rows_at(report, moments, end, rng, (0.1, 0.05))


def generate_report_burst(
    report: Report | str,
    start: dt.datetime,
    duration: dt.timedelta,
    count: int,
    seed: int = 2,
    *,
    extra_share: float = 0.1,
    missing_share: float = 0.05,
) -> list[dict[str, Any]]:
    """``count`` rows of any report packed into ``[start, start + duration)`` (a campaign).

    Rows as ``generate_report_rows`` makes them; dense enough to reach a cap and make a
    stream split its windows.
    """
    report = _as_report(report)
    rng = random.Random(f"{report.api}:burst:{seed}")
    seconds = max(1, int(duration.total_seconds()))
    moments = [start + dt.timedelta(seconds=_int(rng, 0, seconds)) for _ in range(count)]
    end = start + dt.timedelta(seconds=seconds)
    return _rows_at(report, moments, end, rng, (extra_share, missing_share))


def sandbox_rows(today: dt.datetime, weeks: int = 3) -> list[dict[str, Any]]:
    """A few weeks up to ``today``: ordinary days, quiet nights and one busy burst."""
    start = (today - dt.timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0)
    rows = generate_rows(start, today, per_day=900, seed=11)
    burst_day = (start + dt.timedelta(days=weeks * 7 // 2)).replace(hour=10)
    rows += generate_burst(burst_day, dt.timedelta(hours=2), 8000, seed=12)
    return rows


# Reports the sandbox fills besides diagram_9, with rows a day: a few streams of
# different shapes (one time field; chat_1 filtered by its close; a start and an end).
SANDBOX_REPORTS = (("cdr_1", 300.0), ("chat_1", 120.0), ("agent_14", 400.0))


def sandbox_report_rows(today: dt.datetime, weeks: int = 3) -> dict[str, list[dict[str, Any]]]:
    """A few weeks up to ``today`` of each of ``SANDBOX_REPORTS``, by report id."""
    start = (today - dt.timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0)
    return {
        api: generate_report_rows(api, start, today, per_day=per_day, seed=21)
        for api, per_day in SANDBOX_REPORTS
    }


# Summary reports the sandbox fills: agents' daily totals and skills' hourly ones.
SANDBOX_SUMMARIES = ("agent_1", "skill_4")


def sandbox_summary_events(today: dt.datetime, weeks: int = 3) -> dict[str, list[SummaryEvent]]:
    """A few weeks up to ``today`` of events behind each of ``SANDBOX_SUMMARIES``."""
    first = (today - dt.timedelta(weeks=weeks)).date()
    days = (today.date() - first).days + 1
    return {
        api: [
            event
            for event in generate_summary_events(api, first, days, seed=31)
            if event.at <= today
        ]
        for api in SANDBOX_SUMMARIES
    }


def trickle(
    fake: FakeWolkvox,
    timezone: str,
    every: float,
    stop: threading.Event,
    reports: Sequence[str] = (),
) -> None:
    """Add a chatbot session dated "now" every ``every`` seconds, like live traffic.

    Each report of ``reports`` gets one row dated (by its filter field) in the last half
    minute too.
    """
    zone = zoneinfo.ZoneInfo(timezone)
    number = 0
    while not stop.wait(every):
        now = dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)
        half_minute = dt.timedelta(seconds=30)
        fake.add_rows(generate_burst(now - half_minute, half_minute, 3, seed=1000 + number))
        for api in reports:
            rows = generate_report_burst(api, now - half_minute, half_minute, 1, 1000 + number)
            fake.add_report_rows(api, rows)
        number += 1


def main() -> None:
    """Serve the sandbox data set until interrupted."""
    parser = argparse.ArgumentParser(description="Serve a fake Wolkvox API on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--weeks", type=int, default=3, help="weeks of data up to now")
    parser.add_argument("--timezone", default="America/Bogota")
    parser.add_argument(
        "--trickle-seconds",
        type=float,
        default=5.0,
        help="add a new session dated now this often, like live traffic (0: never)",
    )
    args = parser.parse_args()
    now = dt.datetime.now(zoneinfo.ZoneInfo(args.timezone)).replace(tzinfo=None, microsecond=0)
    fake = FakeWolkvox()
    fake.set_rows(sandbox_rows(now, args.weeks))
    others = sandbox_report_rows(now, args.weeks)
    for api, rows in others.items():
        fake.set_report_rows(api, rows)
    summaries = sandbox_summary_events(now, args.weeks)
    for api, events in summaries.items():
        fake.set_summary_events(api, events)
    stop = threading.Event()
    if args.trickle_seconds > 0:
        threading.Thread(
            target=trickle,
            args=(fake, args.timezone, args.trickle_seconds, stop, tuple(others)),
            daemon=True,
        ).start()
    fake.start(args.port)
    print(
        f"Fake Wolkvox API on {fake.base_url} with {len(fake.rows)} rows from "
        f"{fake.rows[0]['date']} to {fake.rows[-1]['date']} ({args.timezone} wall-clock); "
        f"token: {fake.token}. Ctrl-C stops it.",
        flush=True,
    )
    counts = ", ".join(f"{api} {len(rows)}" for api, rows in others.items())
    totals = ", ".join(f"{api} ({len(events)} events)" for api, events in summaries.items())
    print(
        f"Also serving rows of {counts} and totals of {totals}; every other report answers "
        "404 (no rows).",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        stop.set()
        fake.stop()


if __name__ == "__main__":
    main()
