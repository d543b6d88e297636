"""The HTTP conversation: envelope, error classes, retries, one call at a time."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import multiprocessing
import time
from pathlib import Path

import pytest

from tap_wolkvox.client import (
    FatalApiError,
    InvalidTokenError,
    MaintenanceError,
    QuotaExhaustedError,
    ServerTimeoutError,
    TokenLock,
    TransientApiError,
    WolkvoxClient,
    classify_error,
    read_envelope,
)
from tap_wolkvox.config import parse_settings
from tests.fake_wolkvox import (
    BAD_TOKEN_MSG,
    MAINTENANCE_MSG,
    QUOTA_MSG,
    SIMULTANEOUS_MSG,
    FakeWolkvox,
    Fault,
)

FIRST, LAST = dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 31, 23, 59, 59)


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
    rows = client_for(fake, tmp_path, sleeps).fetch(FIRST, LAST, shrinkable=True)
    assert rows == [{"date": "2026-01-02 00:00:00", "session_id": "a"}]
    assert len(fake.calls) == 3
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0]  # exponential


def test_maintenance_waits_minutes_not_seconds(fake, tmp_path) -> None:
    fake.faults.append(Fault("status", 403, MAINTENANCE_MSG))
    sleeps: list[float] = []
    assert client_for(fake, tmp_path, sleeps).fetch(FIRST, LAST, shrinkable=True) == []
    assert sleeps and sleeps[0] >= 45  # maintenance_wait_seconds=60, jitter >= 0.75


def test_retries_are_bounded(fake, tmp_path) -> None:
    fake.faults.extend([Fault("status", 500)] * 10)
    sleeps: list[float] = []
    client = client_for(fake, tmp_path, sleeps, max_attempts=3)
    with pytest.raises(TransientApiError, match="gave up after 3 attempts: HTTP 500"):
        client.fetch(FIRST, LAST, shrinkable=True)
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
        client_for(fake, tmp_path, sleeps).fetch(FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1
    assert sleeps == []


def test_a_wrong_token_is_refused_by_the_fake_and_fails_at_once(fake, tmp_path) -> None:
    with pytest.raises(InvalidTokenError):
        client_for(fake, tmp_path, [], token="not-the-token").fetch(FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1


def test_a_slow_answer_is_a_timeout_handed_back_when_the_window_can_shrink(fake, tmp_path):
    fake.faults.append(Fault("slow", seconds=1.5))
    with pytest.raises(ServerTimeoutError):
        client_for(fake, tmp_path, []).fetch(FIRST, LAST, shrinkable=True)
    assert len(fake.calls) == 1


def test_a_slow_answer_is_retried_when_the_window_cannot_shrink(fake, tmp_path):
    fake.faults.append(Fault("slow", seconds=1.2))
    client = client_for(fake, tmp_path, [])
    client.sleep = lambda seconds: time.sleep(0.5)  # let the abandoned call finish
    assert client.fetch(FIRST, FIRST, shrinkable=False) == []
    assert len(fake.calls) == 2


def test_calls_are_counted(fake, tmp_path) -> None:
    fake.faults.append(Fault("status", 500))
    client = client_for(fake, tmp_path, [])
    client.fetch(FIRST, LAST, shrinkable=True)
    assert (client.log.calls, client.log.failed_calls) == (2, 1)
    assert client.log.statuses == {"500": 1, "404": 1}


def test_requests_carry_the_token_header_and_the_window(fake, tmp_path) -> None:
    client_for(fake, tmp_path, []).fetch(FIRST, LAST, shrinkable=True)
    assert fake.windows() == [("20260101000000", "20260131235959")]
    assert fake.calls[0].status == 404  # authenticated, and empty


def _hammer(token: str, base_url: str, lock_dir: str, calls: int) -> None:
    config = {"server": "0032", "token": token, "api_url": base_url, "start_date": "2026-01-01"}
    client = WolkvoxClient(parse_settings(config), lock=TokenLock(token, Path(lock_dir)))
    for _ in range(calls):
        client.fetch(FIRST, LAST, shrinkable=True)


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
