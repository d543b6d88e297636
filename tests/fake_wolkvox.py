"""A local fake of the Wolkvox Reports Manager API, as ``../shared/wolkvox-api.md`` describes it.

It serves ``GET /api/v2/reports_manager.php?api=diagram_9&date_ini=...&date_end=...`` on
loopback and behaves like the contract says: the ``{code, error, msg, data}`` envelope
(``code`` as a string or an integer), 404 "Validate dates entered" for an empty window,
a row cap past which rows are cut off silently, refusal of ranges over 31 days, the 403
variants, and scripted faults (5xx, dropped connections, truncated or non-JSON bodies,
slow answers, bodies that stall half-way, redirects). It can also answer ``data`` as an
object keyed by row numbers (what PHP APIs produce) and lie about its clock in the
``Date`` header. Every call is recorded so tests can check windows, call counts and that
no two calls overlapped. ``HeaderRecorder`` is a second loopback server that only notes
what reaches it, to prove a token never travels there.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TOKEN = "fake-token-3f9a1c"
PATH = "/api/v2/reports_manager.php"
API_DATE = "%Y%m%d%H%M%S"
ROW_DATE = "%Y-%m-%d %H:%M:%S"
MAX_SPAN = dt.timedelta(days=31)

QUOTA_MSG = "TOKEN LIMIT EXCEEDED"
BAD_TOKEN_MSG = "PLEASE VALIDATE TOKEN"
SIMULTANEOUS_MSG = "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)"
MAINTENANCE_MSG = "API CONSUMPTION DISABLED DURING SERVER MAINTENANCE"
EMPTY_MSG = "Validate dates entered"


def serve_on_loopback(
    handler: type[BaseHTTPRequestHandler], port: int = 0
) -> tuple[ThreadingHTTPServer, str]:
    """Serve ``handler`` on loopback (a free port by default) in a thread, and its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
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
    """One call the fake received."""

    date_ini: str
    date_end: str
    started: float
    ended: float = 0.0
    status: int = 0
    rows: int = 0
    fault: str = ""


@dataclass
class FakeWolkvox:
    """The fake API's data, behaviour and record of calls."""

    token: str = TOKEN
    cap: int = 6000
    # "date-order": the first ``cap`` rows by date; "random": any ``cap`` rows.
    truncation: str = "date-order"
    code_as_int: bool = False
    shuffle: bool = True
    refuse_month_crossing: bool = True
    # Rows as {"0": row, "1": row, ...} instead of a list, like a PHP API's array.
    data_as_object: bool = False
    # Added to the real time in the Date header: a server whose clock is off.
    clock_offset: dt.timedelta = dt.timedelta(0)
    quota: int | None = None  # calls allowed before TOKEN LIMIT EXCEEDED
    faults: deque[Fault] = field(default_factory=deque)
    rule: Callable[[Call], Fault | None] | None = None
    calls: list[Call] = field(default_factory=list)
    max_in_flight: int = 0
    base_url: str = ""
    _dates: list[str] = field(default_factory=list)
    _rows: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: int = 0
    _server: ThreadingHTTPServer | None = None
    _rng: random.Random = field(default_factory=lambda: random.Random(7))

    # -- data -------------------------------------------------------------------------

    def add_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Make ``rows`` visible to later calls (rows need a ``date`` string)."""
        with self._lock:
            for row in rows:
                index = bisect.bisect_right(self._dates, row["date"])
                self._dates.insert(index, row["date"])
                self._rows.insert(index, row)

    def set_rows(self, rows: Iterable[dict[str, Any]]) -> None:
        """Replace all data with ``rows``."""
        ordered = sorted(rows, key=lambda row: row["date"])
        with self._lock:
            self._rows = ordered
            self._dates = [row["date"] for row in ordered]

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every row, in date order."""
        return list(self._rows)

    def rows_between(self, first: str, last: str) -> list[dict[str, Any]]:
        """Rows dated from ``first`` to ``last`` inclusive (``YYYY-mm-dd HH:MM:SS``)."""
        low = bisect.bisect_left(self._dates, first)
        high = bisect.bisect_right(self._dates, last)
        return self._rows[low:high]

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
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        call = Call(query.get("date_ini", ""), query.get("date_end", ""), time.monotonic())
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
        if path != PATH:
            self._send(request, call, 404, {"code": 404, "error": "NOT FOUND", "msg": "NOT FOUND"})
            return
        if not token:
            self._error(request, call, 401, "PLEASE ENTER THE WOLKVOX-TOKEN")
            return
        if token != self.token:
            self._error(request, call, 403, BAD_TOKEN_MSG)
            return
        if self.quota is not None:
            with self._lock:
                self.quota -= 1
                spent = self.quota < 0
            if spent:
                self._error(request, call, 403, QUOTA_MSG)
                return
        if query.get("api") != "diagram_9":
            self._error(request, call, 400, "THE API YOU WANT TO CONSULT DOES NOT EXIST")
            return
        try:
            first = dt.datetime.strptime(query["date_ini"], API_DATE)
            last = dt.datetime.strptime(query["date_end"], API_DATE)
        except (KeyError, ValueError):
            self._error(request, call, 400, "SOME PARAMETERS ARE REQUIRED")
            return
        if last < first or last - first > MAX_SPAN:
            self._error(request, call, 400, "THE DATE RANGE MAY NOT EXCEED 31 DAYS")
            return
        if self.refuse_month_crossing and (first.year, first.month) != (last.year, last.month):
            self._error(request, call, 400, "ONLY REPORTS FROM THE SAME MONTH")
            return
        rows = self.rows_between(first.strftime(ROW_DATE), last.strftime(ROW_DATE))
        if not rows:
            self._error(request, call, 404, EMPTY_MSG)
            return
        if len(rows) > self.cap:
            rows = (
                rows[: self.cap]
                if self.truncation == "date-order"
                else self._rng.sample(rows, self.cap)
            )
        elif self.shuffle:
            rows = self._rng.sample(rows, len(rows))
        code: int | str = 200 if self.code_as_int else "200"
        data: list[dict[str, Any]] | dict[str, dict[str, Any]] = rows
        if self.data_as_object:
            data = {str(number): row for number, row in enumerate(rows)}
        envelope = {
            "code": code,
            "error": None,
            "msg": f"{len(rows)} records were found",
            "data": data,
        }
        call.rows = len(rows)
        self._send(request, call, 200, envelope)

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

    def windows(self) -> list[tuple[str, str]]:
        """``(date_ini, date_end)`` of every call, in order."""
        return [(call.date_ini, call.date_end) for call in self.calls]

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
FIRST_NAMES = ("Ana", "Luis", "María", "José", "Camila", "Andrés", "Valentina", "Juan", "Sofía")
LAST_NAMES = ("García", "Rodríguez", "Martínez", "López", "Gómez", "Díaz", "Pérez", "Muñoz")
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


def sandbox_rows(today: dt.datetime, weeks: int = 3) -> list[dict[str, Any]]:
    """A few weeks up to ``today``: ordinary days, quiet nights and one busy burst."""
    start = (today - dt.timedelta(weeks=weeks)).replace(hour=0, minute=0, second=0)
    rows = generate_rows(start, today, per_day=900, seed=11)
    burst_day = (start + dt.timedelta(days=weeks * 7 // 2)).replace(hour=10)
    rows += generate_burst(burst_day, dt.timedelta(hours=2), 8000, seed=12)
    return rows


def trickle(fake: FakeWolkvox, timezone: str, every: float, stop: threading.Event) -> None:
    """Add a chatbot session dated "now" every ``every`` seconds, like live traffic."""
    zone = zoneinfo.ZoneInfo(timezone)
    number = 0
    while not stop.wait(every):
        now = dt.datetime.now(zone).replace(tzinfo=None, microsecond=0)
        half_minute = dt.timedelta(seconds=30)
        fake.add_rows(generate_burst(now - half_minute, half_minute, 3, seed=1000 + number))
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
    stop = threading.Event()
    if args.trickle_seconds > 0:
        threading.Thread(
            target=trickle, args=(fake, args.timezone, args.trickle_seconds, stop), daemon=True
        ).start()
    fake.start(args.port)
    print(
        f"Fake Wolkvox API on {fake.base_url} with {len(fake.rows)} rows from "
        f"{fake.rows[0]['date']} to {fake.rows[-1]['date']} ({args.timezone} wall-clock); "
        f"token: {fake.token}. Ctrl-C stops it.",
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
