"""The HTTP conversation: envelope, error classes, retries, one call at a time."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import http.client
import json
import logging
import multiprocessing
import os
import random
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tap_wolkvox.client import WolkvoxClient, classify_error, parse_http_date, read_envelope
from tap_wolkvox.config import parse_settings
from tap_wolkvox.errors import (
    FatalApiError,
    InvalidTokenError,
    MaintenanceError,
    QuotaExhaustedError,
    ServerTimeoutError,
    TransientApiError,
    WolkvoxError,
)
from tap_wolkvox.reports import by_api
from tap_wolkvox.token_lock import (
    LockTimeoutError,
    TokenLock,
    TokenLockError,
    UnsafeLockDirectoryError,
)
from tests.fake_wolkvox import (
    BAD_TOKEN_MSG,
    MAINTENANCE_MSG,
    PATH,
    QUOTA_MSG,
    SIMULTANEOUS_MSG,
    FakeWolkvox,
    Fault,
    HeaderRecorder,
)

# POSIX owners, modes and XDG directories; the Windows CI job deselects these.
posix_only = pytest.mark.posix

FIRST, LAST = dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 31, 23, 59, 59)
CHATBOT = by_api("diagram_9")


def body(**envelope) -> bytes:
    return json.dumps(envelope).encode()


@pytest.mark.parametrize("code", [200, "200"])
def test_rows_come_from_data_whether_code_is_text_or_number(code) -> None:
    rows = [{"session_id": "a"}]
    assert (
        read_envelope(200, body(code=code, error=None, msg="1 records were found", data=rows))
        == rows
    )


def test_an_empty_window_is_a_404_validate_dates_entered() -> None:
    assert read_envelope(404, body(code="404", error="x", msg="Validate dates entered")) == []
    assert read_envelope(404, body(code=404, msg="VALIDATE DATES ENTERED")) == []


def test_data_as_one_object_or_missing() -> None:
    assert read_envelope(200, body(code="200", data={"a": "1"})) == [{"a": "1"}]
    assert read_envelope(200, body(code="200", data=None)) == []


def test_data_keyed_by_row_numbers_holds_rows_in_number_order() -> None:
    # What a PHP API sends for an array: keys "0".."n-1", here shuffled and past "9" so
    # that text order ("10" < "2") would be wrong.
    numbers = list(range(12))
    random.Random(3).shuffle(numbers)
    data = {str(n): {"session_id": f"s{n}"} for n in numbers}
    rows = read_envelope(200, body(code="200", data=data))
    assert rows == [{"session_id": f"s{n}"} for n in range(12)]
    # PHP's JSON_FORCE_OBJECT writes an empty array as {}: no rows, not one empty row.
    assert read_envelope(200, body(code="200", data={})) == []


@pytest.mark.parametrize(
    "data",
    [
        {"a": "1"},
        {"0": {"x": "1"}, "2": {"x": "2"}},  # a gap
        {"0": {"x": "1"}, "1": "2"},  # not every value an object
        {"00": {"x": "1"}},  # not exactly "0"
        {"0": {"x": "1"}, "a": {"x": "2"}},
        {"bucket": {"calls": "3"}, "total": {"calls": "5"}},  # cdr_4's buckets
    ],
)
def test_any_other_object_is_one_row(data) -> None:
    assert read_envelope(200, body(code="200", data=data)) == [data]


@pytest.mark.parametrize(
    "nested",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        b'{"code": "200", "data": [' + b"[" * 100_000 + b"]" * 100_000 + b"]}",
    ],
    ids=["arrays", "objects", "inside-data"],
)
def test_a_deeply_nested_body_is_garbled_not_a_crash(nested) -> None:
    with pytest.raises(TransientApiError, match="not a Wolkvox JSON envelope"):
        read_envelope(200, nested)


@pytest.mark.parametrize(
    ("status", "msg", "kind", "fragment"),
    [
        (400, "THE API YOU WANT TO CONSULT DOES NOT EXIST", FatalApiError, "not available"),
        (400, "SOME PARAMETERS ARE REQUIRED", FatalApiError, "refused the request"),
        (401, "PLEASE ENTER THE WOLKVOX-TOKEN", InvalidTokenError, "set `token`"),
        (403, BAD_TOKEN_MSG, InvalidTokenError, "generate a new one"),
        (403, "The token is incorrect, expired or malformed", InvalidTokenError, "token"),
        (403, QUOTA_MSG, QuotaExhaustedError, "daily API quota is spent"),
        (403, SIMULTANEOUS_MSG, TransientApiError, "another client"),
        (403, MAINTENANCE_MSG, MaintenanceError, "maintenance"),
        (403, "SOMETHING NEW", MaintenanceError, "unrecognised refusal"),
        (404, "NOT FOUND", FatalApiError, "check `server`/`api_url`"),
        (429, "", TransientApiError, "too many"),
        (500, "", TransientApiError, "server error"),
        (503, "busy", TransientApiError, "server error"),
        (504, "", ServerTimeoutError, "timed out"),
    ],
)
def test_errors_are_classified_by_status_and_message(status, msg, kind, fragment) -> None:
    error = classify_error(status, msg)
    assert type(error) is kind
    assert fragment in str(error)
    assert f"HTTP {status}" in str(error)
    with pytest.raises(kind):
        read_envelope(status, body(code=str(status), error="E", msg=msg))


def test_an_error_inside_a_200_body_is_not_taken_for_rows() -> None:
    with pytest.raises(QuotaExhaustedError):
        read_envelope(200, body(code="403", error="FORBIDDEN", msg=QUOTA_MSG))


@pytest.mark.parametrize("status", [200, 500, 403])
def test_garbled_bodies_are_transient(status) -> None:
    with pytest.raises(TransientApiError, match="not a Wolkvox JSON envelope"):
        read_envelope(status, b'{"code": "200", "data": [{"se')


def test_a_garbled_404_points_at_the_url() -> None:
    with pytest.raises(FatalApiError, match="check `server`/`api_url`"):
        read_envelope(404, b"<html>Not Found</html>")


def test_a_long_server_message_is_cut() -> None:
    assert len(str(classify_error(400, "X" * 5000))) < 400


# -- against the fake server ------------------------------------------------------------


def client_for(fake: FakeWolkvox, tmp_path: Path, sleeps: list[float], **overrides):
    config = {
        "server": "0032",
        "token": fake.token,
        "api_url": fake.base_url,
        "start_date": "2026-01-01",
        "retry_wait_seconds": 1,
        "maintenance_wait_seconds": 60,
        "request_timeout": 1,
        **overrides,
    }
    return WolkvoxClient(
        parse_settings(config), sleep=sleeps.append, lock=TokenLock(fake.token, tmp_path)
    )


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", 500, "INTERNAL"),
        Fault("status", 502),
        Fault("drop"),
        Fault("truncated"),
        Fault("short-read"),
        Fault("not-json"),
        Fault("status", 403, SIMULTANEOUS_MSG),
        Fault("status", 429),
    ],
)
def test_transient_faults_are_retried(fake, tmp_path, fault) -> None:
    fake.set_rows([{"date": "2026-01-02 00:00:00", "session_id": "a"}])
    fake.faults.extend([fault, fault])
    sleeps: list[float] = []
    rows = client_for(fake, tmp_path, sleeps).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert rows == [{"date": "2026-01-02 00:00:00", "session_id": "a"}]
    assert len(fake.calls) == 3
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0]  # exponential


def test_maintenance_waits_minutes_not_seconds(fake, tmp_path) -> None:
    fake.faults.append(Fault("status", 403, MAINTENANCE_MSG))
    sleeps: list[float] = []
    assert client_for(fake, tmp_path, sleeps).fetch(CHATBOT, FIRST, LAST, shrinkable=True) == []
    assert sleeps and sleeps[0] >= 45  # maintenance_wait_seconds=60, jitter >= 0.75


def test_retries_are_bounded(fake, tmp_path) -> None:
    fake.faults.extend([Fault("status", 500)] * 10)
    sleeps: list[float] = []
    client = client_for(fake, tmp_path, sleeps, max_attempts=3)
    with pytest.raises(TransientApiError, match="gave up after 3 attempts: HTTP 500"):
        client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 3


@pytest.mark.parametrize(
    ("fault", "kind"),
    [
        (Fault("status", 403, QUOTA_MSG), QuotaExhaustedError),
        (Fault("status", 403, BAD_TOKEN_MSG), InvalidTokenError),
        (Fault("status", 400, "SOME PARAMETERS ARE REQUIRED"), FatalApiError),
    ],
)
def test_fatal_answers_stop_at_once(fake, tmp_path, fault, kind) -> None:
    fake.faults.append(fault)
    sleeps: list[float] = []
    with pytest.raises(kind):
        client_for(fake, tmp_path, sleeps).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1
    assert sleeps == []


def test_a_wrong_token_is_refused_by_the_fake_and_fails_at_once(fake, tmp_path) -> None:
    with pytest.raises(InvalidTokenError):
        client_for(fake, tmp_path, [], token="not-the-token").fetch(
            CHATBOT, FIRST, LAST, shrinkable=True
        )
    assert len(fake.calls) == 1


def test_a_slow_answer_is_a_timeout_handed_back_when_the_window_can_shrink(fake, tmp_path):
    fake.faults.append(Fault("slow", seconds=1.5))
    with pytest.raises(ServerTimeoutError):
        client_for(fake, tmp_path, []).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1


def test_a_slow_answer_is_retried_when_the_window_cannot_shrink(fake, tmp_path):
    fake.faults.append(Fault("slow", seconds=1.2))
    client = client_for(fake, tmp_path, [])
    client.sleep = lambda seconds: time.sleep(0.5)  # let the abandoned call finish
    assert client.fetch(CHATBOT, FIRST, FIRST, shrinkable=False) == []
    assert len(fake.calls) == 2


def test_a_body_that_stalls_is_a_timeout_not_a_network_error(fake, tmp_path):
    # Headers arrive, then the body stops for longer than the read time-out (1 s): the
    # server is struggling with the window, so the stream must get a chance to halve it.
    fake.faults.append(Fault("stall-body", seconds=1.5))
    client = client_for(fake, tmp_path, [])
    with pytest.raises(ServerTimeoutError, match="stalled"):
        client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1
    assert client.log.statuses == {"timeout": 1}


@pytest.fixture
def recorder() -> Iterator[HeaderRecorder]:
    server = HeaderRecorder()
    server.start()
    yield server
    server.stop()


def test_a_redirect_is_refused_and_the_token_stays_home(fake, tmp_path, recorder) -> None:
    fake.faults.append(Fault("redirect", location=f"{recorder.base_url}{PATH}?api=diagram_9"))
    sleeps: list[float] = []
    error: WolkvoxError | None = None
    try:
        client_for(fake, tmp_path, sleeps).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    except WolkvoxError as exc:
        error = exc
    # Following the redirect would have sent the wolkvox-token header to the other host.
    assert recorder.received == []
    assert isinstance(error, FatalApiError)
    assert "HTTP 302" in str(error)
    assert "redirect" in str(error)
    assert recorder.base_url in str(error)  # where it pointed, without path or query
    assert "diagram_9" not in str(error)
    assert len(fake.calls) == 1
    assert sleeps == []


def test_rows_keyed_by_number_count_against_the_cap(fake, tmp_path) -> None:
    fake.data_as_object = True
    fake.cap = 3
    fake.set_rows([{"date": f"2026-01-02 00:00:0{n}", "session_id": str(n)} for n in range(5)])
    rows = client_for(fake, tmp_path, []).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert rows == fake.rows[:3]  # three rows, so the stream sees the cap and splits


# -- the server's clock ----------------------------------------------------------------


def test_the_fake_sends_one_date_header_shifted_by_its_clock_offset(fake) -> None:
    fake.clock_offset = dt.timedelta(hours=-2)
    host, port = fake.base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", f"{PATH}?api=diagram_9", headers={"wolkvox-token": fake.token})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    dates = response.msg.get_all("Date")
    assert dates is not None
    assert len(dates) == 1
    sent = email.utils.parsedate_to_datetime(dates[0])
    expected = dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)
    assert abs(expected - sent) < dt.timedelta(seconds=2)


def test_the_client_reads_the_server_clock_from_the_date_header(fake, tmp_path) -> None:
    fake.clock_offset = dt.timedelta(minutes=-10)  # the server is ten minutes behind
    client = client_for(fake, tmp_path, [])
    assert client.server_time_of_last_call() is None
    assert client.clock_skew is None
    client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    skew = client.clock_skew
    assert skew is not None
    # The header has whole seconds, cut down: the skew is ten minutes and up to a second.
    assert dt.timedelta(minutes=10, seconds=-0.5) < skew < dt.timedelta(minutes=10, seconds=2)
    received = client.server_time_of_last_call()
    assert received is not None
    assert received.utcoffset() == dt.timedelta(0)
    # When the server received the call: never later than its clock now, at most a bit earlier.
    server_now = dt.datetime.now(dt.UTC) - skew
    assert dt.timedelta(0) <= server_now - received < dt.timedelta(seconds=1)
    # A slow answer: the rows were selected when the call arrived, not when it ended.
    fake.faults.append(Fault("slow", seconds=0.8))
    client.fetch(CHATBOT, FIRST, LAST, shrinkable=False)
    slow = client.server_time_of_last_call()
    assert slow is not None
    assert (
        dt.timedelta(seconds=0.6) < dt.datetime.now(dt.UTC) - skew - slow < dt.timedelta(seconds=3)
    )


def test_an_error_answer_also_tells_the_server_time(fake, tmp_path) -> None:
    client = client_for(fake, tmp_path, [], token="not-the-token")
    with pytest.raises(InvalidTokenError):
        client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    received = client.server_time_of_last_call()
    assert received is not None
    assert abs(dt.datetime.now(dt.UTC) - received) < dt.timedelta(seconds=2)


MOMENT = dt.datetime(2015, 10, 21, 7, 28, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed, 21 Oct 2015 07:28:00 GMT", MOMENT),
        ("Wed, 21 Oct 2015 07:28:00 -0000", MOMENT),
        ("Wed, 21 Oct 2015 02:28:00 -0500", MOMENT),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_http_dates_are_read_as_utc_or_ignored(value, expected) -> None:
    parsed = parse_http_date(value)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() == dt.timedelta(0)


def test_calls_are_counted(fake, tmp_path) -> None:
    fake.faults.append(Fault("status", 500))
    client = client_for(fake, tmp_path, [])
    client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert (client.log.calls, client.log.failed_calls) == (2, 1)
    assert client.log.statuses == {"500": 1, "404": 1}


def test_requests_carry_the_token_header_and_the_window(fake, tmp_path) -> None:
    client_for(fake, tmp_path, []).fetch(CHATBOT, FIRST, LAST, shrinkable=True)
    assert fake.windows() == [("20260101000000", "20260131235959")]
    assert fake.calls[0].status == 404  # authenticated, and empty


def _hammer(token: str, base_url: str, lock_dir: str, calls: int) -> None:
    config = {"server": "0032", "token": token, "api_url": base_url, "start_date": "2026-01-01"}
    client = WolkvoxClient(parse_settings(config), lock=TokenLock(token, Path(lock_dir)))
    for _ in range(calls):
        client.fetch(CHATBOT, FIRST, LAST, shrinkable=True)


def test_processes_sharing_a_token_queue_instead_of_colliding(fake, tmp_path) -> None:
    # Every answer takes a while, so unserialised callers would overlap.
    fake.rule = lambda call: Fault("slow", seconds=0.05)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_hammer, args=(fake.token, fake.base_url, str(tmp_path), 5))
        for _ in range(3)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(fake.calls) == 15
    assert not fake.overlapped()


def test_the_lock_file_name_does_not_contain_the_token(tmp_path) -> None:
    lock = TokenLock("my-secret-token", tmp_path)
    assert "my-secret-token" not in str(lock.path)
    with lock.held():
        assert lock.path.exists()
    for path in tmp_path.iterdir():
        assert "my-secret-token" not in path.name
        assert b"my-secret-token" not in path.read_bytes()


def _take(lock: TokenLock) -> None:
    with lock.held():
        pass


def _hold_until(token: str, lock_dir: str, ready, done) -> None:
    with TokenLock(token, Path(lock_dir)).held():
        ready.set()
        done.wait(30)


def _hog(token: str, lock_dir: str, ready, seconds: float) -> None:
    """Call after call with no pause between them, like a tap with many empty windows."""
    lock = TokenLock(token, Path(lock_dir))
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with lock.held():
            ready.set()
            time.sleep(0.1)


def test_a_lock_held_too_long_fails_clearly_after_the_bounded_wait(tmp_path, caplog) -> None:
    context = multiprocessing.get_context("spawn")
    ready, done = context.Event(), context.Event()
    holder = context.Process(target=_hold_until, args=("tok", str(tmp_path), ready, done))
    holder.start()
    try:
        assert ready.wait(30)
        lock = TokenLock("tok", tmp_path, wait=0.5)
        started = time.monotonic()
        with (
            caplog.at_level(logging.INFO, logger="tap-wolkvox"),
            pytest.raises(LockTimeoutError) as caught,
        ):
            _take(lock)
        waited = time.monotonic() - started
    finally:
        done.set()
        holder.join(30)
    assert 0.5 <= waited < 5
    message = str(caught.value)
    assert "\n" not in message
    assert f"another tap-wolkvox process (pid {holder.pid}) has held" in message
    assert re.search(r"held the Wolkvox token for \d+ s, longer than the 0.5 s", message)
    waiting = [r.getMessage() for r in caplog.records if "waiting" in r.getMessage().lower()]
    assert len(waiting) == 1
    assert f"pid {holder.pid}" in waiting[0]


def test_a_waiting_process_gets_its_turn_from_a_busy_one(tmp_path) -> None:
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    hog = context.Process(target=_hog, args=("tok", str(tmp_path), ready, 4.0))
    hog.start()
    try:
        assert ready.wait(30)
        started = time.monotonic()
        _take(TokenLock("tok", tmp_path, wait=2.0))
        took = time.monotonic() - started
    finally:
        hog.join(30)
    assert hog.exitcode == 0
    assert took < 1.0


def _symlinked(tmp_path: Path, monkeypatch) -> Path:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    return link


def _foreign(tmp_path: Path, monkeypatch) -> Path:
    directory = tmp_path / "theirs"
    directory.mkdir(mode=0o700)
    uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: uid + 1)  # as if another user made it
    return directory


def _open_to_others(tmp_path: Path, monkeypatch) -> Path:
    directory = tmp_path / "open"
    directory.mkdir()
    directory.chmod(0o777)
    return directory


@posix_only
@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (_symlinked, "is a symbolic link"),
        (_foreign, "belongs to another user"),
        (_open_to_others, "writable by other users"),
    ],
    ids=["symlink", "foreign", "open"],
)
def test_an_unsafe_lock_directory_is_refused(tmp_path, monkeypatch, make, fragment) -> None:
    directory = make(tmp_path, monkeypatch)
    with pytest.raises(UnsafeLockDirectoryError, match=fragment):
        _take(TokenLock("tok", directory))
    assert list(directory.iterdir()) == []  # nothing was created in it


@posix_only
def test_the_lock_makes_a_fresh_private_directory(tmp_path) -> None:
    directory = tmp_path / "new" / "locks"
    lock = TokenLock("tok", directory)
    _take(lock)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert lock.path.parent == directory
    assert lock.path.exists()
    _take(lock)  # and it is accepted the next time


def test_an_unusable_lock_file_is_a_clear_error_not_a_traceback(tmp_path) -> None:
    lock = TokenLock("tok", tmp_path)
    lock.path.mkdir()  # something that cannot be opened as a file sits where the lock goes
    with pytest.raises(TokenLockError, match=r"cannot use this token's lock file"):
        _take(lock)


@posix_only
def test_the_default_lock_directory_is_per_user(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert TokenLock("tok").path.parent == tmp_path / "cache" / "tap-wolkvox"


def test_the_client_waits_three_request_timeouts_for_the_lock(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    config = {"server": "0032", "token": "t", "start_date": "2026-01-01", "request_timeout": 7}
    assert WolkvoxClient(parse_settings(config)).lock.wait == 21


def test_the_fake_detects_overlap(fake) -> None:
    """The overlap check itself can fail: two simultaneous raw calls trip it."""
    import threading  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    fake.rule = lambda call: Fault("slow", seconds=0.3)
    url = f"{fake.base_url}/api/v2/reports_manager.php?api=diagram_9"

    def call() -> None:
        request = urllib.request.Request(url, headers={"wolkvox-token": fake.token})  # noqa: S310
        with contextlib.suppress(OSError):
            urllib.request.urlopen(request, timeout=5).read()  # noqa: S310

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert fake.overlapped()
