"""The quota reserve (``quota_reserve``): token_info, the stop, the state, the summary.

Against the fake API, whose ``information.php?api=token_info`` counts every call with the
right token (its own too) against ``daily_limit``, with ``used_by_others`` standing for
the operation's other integrations. A reading's time is simulated by rewriting the one
the state keeps.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from tap_wolkvox.client import WolkvoxClient, read_envelope
from tap_wolkvox.config import parse_settings
from tap_wolkvox.errors import QuotaReserveReachedError, TransientApiError, WolkvoxError
from tap_wolkvox.quota import QUOTA_KEY, QuotaGuard, QuotaReading
from tap_wolkvox.streams import counted
from tap_wolkvox.token_lock import TokenLock
from tests.conftest import TapRun, run_tap, tap_config
from tests.fake_wolkvox import (
    BAD_TOKEN_MSG,
    INFO_PATH,
    NO_REPORT_MSG,
    PATH,
    QUOTA_MSG,
    FakeWolkvox,
    Fault,
    generate_rows,
)
from tests.test_streams import FOUR, four_streams, write_catalog
from tests.test_tap import expected_records, got_records, run_with_environment

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
JAN, MAY = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
STREAM = "chatbot_interactions"
# Four months in weeks: about 19 calls (a month's end cuts a week short).
BACKFILL = {"start_date": "2026-01-01", "end_date": "2026-05-01", "max_window_days": 7}


# -- helpers --------------------------------------------------------------------------


def tap_messages(run: TapRun, *levels: str) -> list[str]:
    """The messages of the tap's own log lines at ``levels`` (not the SDK's, not metrics)."""
    found = []
    for line in run.stderr.splitlines():
        parts = line.split(" | ", 3)
        if (
            len(parts) == 4
            and parts[1].strip() in levels
            and parts[2].strip().startswith("tap-wolkvox")
        ):
            found.append(parts[3])
    return found


def warnings_and_errors(run: TapRun) -> list[str]:
    return tap_messages(run, "WARNING", "ERROR")


def info(run: TapRun, prefix: str) -> str:
    (line,) = [line for line in tap_messages(run, "INFO") if line.startswith(prefix)]
    return line


def stop_line(left: int, limit: int, reserve: int) -> str:
    """The one line of a stop at the reserve, today (in Bogota)."""
    tomorrow = dt.datetime.now(BOGOTA).date() + dt.timedelta(days=1)
    return (
        f"Quota reserve reached: about {left} of the operation's {limit} calls for today are "
        f"left and quota_reserve keeps {reserve}, so the run stops here, everything read so "
        f"far delivered and bookmarked; the quota resets at {tomorrow:%Y-%m-%d} 00:00 "
        "America/Bogota (midnight in `timezone`), and the next run after that carries on"
    )


def reading_of(state: dict[str, Any], stream: str = STREAM) -> dict[str, Any]:
    reading: dict[str, Any] = state["bookmarks"][stream][QUOTA_KEY]
    return reading


def with_reading(state: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """``state`` with its readings changed (``read_at`` given as an aware datetime)."""
    state = json.loads(json.dumps(state))
    if isinstance(changes.get("read_at"), dt.datetime):
        changes["read_at"] = changes["read_at"].astimezone(dt.UTC).isoformat(timespec="seconds")
    for entry in state["bookmarks"].values():
        if QUOTA_KEY in entry:
            entry[QUOTA_KEY].update(changes)
    return state


def bookmark_state(value: str, reading: dict[str, Any] | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"replication_key": "date", "replication_key_value": value}
    if reading is not None:
        entry[QUOTA_KEY] = reading
    return {"bookmarks": {STREAM: entry}}


def fresh(minutes: float = 5) -> dt.datetime:
    """``minutes`` ago, but never before today's midnight in Bogota (a reading of today)."""
    now = dt.datetime.now(dt.UTC)
    midnight = dt.datetime.combine(now.astimezone(BOGOTA).date(), dt.time(0), tzinfo=BOGOTA)
    return max(now - dt.timedelta(minutes=minutes), midnight + dt.timedelta(seconds=1))


def stored(read_at: dt.datetime, limit: int, used: int, calls_since: int = 0) -> dict[str, Any]:
    return QuotaReading(read_at.astimezone(dt.UTC), limit, used, calls_since).to_state()


def local_wall_clock(utc_text: str) -> str:
    return dt.datetime.fromisoformat(utc_text).astimezone(BOGOTA).strftime("%Y-%m-%d %H:%M:%S")


def reading_time(reading: dict[str, Any]) -> str:
    return dt.datetime.fromisoformat(reading["read_at"]).astimezone(BOGOTA).strftime("%H:%M")


# -- the fake's token_info --------------------------------------------------------------


def test_the_fake_counts_every_call_in_token_info_and_refuses_past_its_limit(
    fake: FakeWolkvox,
) -> None:
    fake.daily_limit, fake.used_by_others = 5, 2
    session = requests.Session()
    session.headers["wolkvox-token"] = fake.token

    def token_info() -> dict[str, str]:
        answer = session.get(fake.base_url + INFO_PATH, params={"api": "token_info"}, timeout=5)
        assert answer.status_code == 200
        envelope = answer.json()
        assert envelope["code"] == "200"
        (row,) = envelope["data"]
        assert all(isinstance(value, str) for value in row.values())
        return {key: row[key] for key in ("token_limit", "token_use_today", "all_token_today")}

    assert token_info() == {"token_limit": "5", "token_use_today": "1", "all_token_today": "3"}
    empty = session.get(
        fake.base_url + PATH,
        params={"api": "diagram_9", "date_ini": "20260101000000", "date_end": "20260101235959"},
        timeout=5,
    )
    assert empty.status_code == 404  # an empty window still costs a call
    assert token_info() == {"token_limit": "5", "token_use_today": "3", "all_token_today": "5"}
    refused = session.get(fake.base_url + INFO_PATH, params={"api": "token_info"}, timeout=5)
    assert (refused.status_code, refused.json()["msg"]) == (403, QUOTA_MSG)
    assert fake.calls_left() == 0
    assert [call.path for call in fake.calls] == [INFO_PATH, PATH, INFO_PATH, INFO_PATH]
    assert len(fake.info_calls()) == 3
    assert len(fake.report_calls()) == 1
    # Another api on information.php, and a wrong token, are refused and not counted.
    other = session.get(fake.base_url + INFO_PATH, params={"api": "nope"}, timeout=5)
    assert (other.status_code, other.json()["msg"]) == (403, QUOTA_MSG)  # quota first
    stranger = requests.get(
        fake.base_url + INFO_PATH,
        params={"api": "token_info"},
        headers={"wolkvox-token": "wrong"},
        timeout=5,
    )
    assert (stranger.status_code, stranger.json()["msg"]) == (403, BAD_TOKEN_MSG)
    assert fake.used_by_token == 3


def test_the_fakes_quota_and_daily_limit_agree_with_its_token_info(fake: FakeWolkvox) -> None:
    session = requests.Session()
    session.headers["wolkvox-token"] = fake.token
    url = fake.base_url + INFO_PATH
    fake.quota = 3  # calls allowed from now, with no daily limit
    row = session.get(url, params={"api": "token_info"}, timeout=5).json()["data"][0]
    # limit - used = calls still answered, this one spent.
    assert (row["token_limit"], row["all_token_today"]) == ("3", "1")
    assert fake.calls_left() == 2
    fake.quota = None
    fake.daily_limit = 10
    row = session.get(url, params={"api": "token_info"}, timeout=5).json()["data"][0]
    assert (row["token_limit"], row["all_token_today"]) == ("10", "2")
    wrong = session.get(url, params={"api": "other"}, timeout=5)
    assert (wrong.status_code, wrong.json()["msg"]) == (400, NO_REPORT_MSG)


# -- reading token_info -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "limit", "used"),
    [
        ({"token_limit": "3000", "token_use_today": "12", "all_token_today": "250"}, 3000, 250),
        (
            {"token_limit": "3,000", "token_use_today": "1,200", "all_token_today": "250"},
            3000,
            1200,
        ),
        ({"token_limit": " 3000.00 ", "all_token_today": "0"}, 3000, 0),
        ({"token_limit": 1000, "all_token_today": 10, "token_use_today": ""}, 1000, 10),
    ],
)
def test_token_info_numbers_come_as_text_and_the_operations_use_counts(
    row: dict[str, Any], limit: int, used: int
) -> None:
    now = dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)
    reading = QuotaReading.from_answer([row], now)
    assert (reading.limit, reading.used, reading.calls_since) == (limit, used, 1)
    assert reading.left == limit - used - 1  # its own call errs on the safe side


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [{"token_limit": "3000"}],
        [{"token_limit": "lots", "all_token_today": "1"}],
        [{"token_limit": "0", "all_token_today": "1"}],
        [{"token_limit": "-5", "all_token_today": "1"}],
        [{"token_limit": "10", "all_token_today": "1"}, {"token_limit": "10"}],
    ],
)
def test_an_unreadable_token_info_answer_is_an_error(rows: list[dict[str, Any]]) -> None:
    with pytest.raises(WolkvoxError, match="token_info answered"):
        QuotaReading.from_answer(rows, dt.datetime(2026, 3, 1, tzinfo=dt.UTC))


def test_token_info_as_an_object_is_one_row() -> None:
    body = json.dumps(
        {"code": "200", "msg": " 1 records were found", "data": {"token_limit": "10"}}
    ).encode()
    assert read_envelope(200, body) == [{"token_limit": "10"}]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "x",
        {},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": 10, "used": 1},
        {"read_at": "2026-03-01T10:00:00", "limit": 10, "used": 1, "calls_since": 0},
        {"read_at": "yesterday", "limit": 10, "used": 1, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": "10", "used": 1, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": 10, "used": -1, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": True, "used": 1, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": 0, "used": 0, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": 10, "used": 11, "calls_since": 0},
        {"read_at": "2026-03-01T10:00:00+00:00", "limit": 10, "used": 1, "calls_since": 99},
    ],
)
def test_a_damaged_reading_in_the_state_is_no_reading(value: object) -> None:
    assert QuotaReading.from_state(value) is None


def test_a_reading_round_trips_through_the_state() -> None:
    reading = QuotaReading(dt.datetime(2026, 3, 1, 10, 0, 5, tzinfo=dt.UTC), 3000, 250, 7)
    assert QuotaReading.from_state(json.loads(json.dumps(reading.to_state()))) == reading


def guard(reading: QuotaReading | None, *, reserve: int = 10, planned: int = 1) -> QuotaGuard:
    return QuotaGuard(reserve, BOGOTA, reading, planned=planned)


# 2026-03-01 15:00 UTC is 10:00 in Bogota.
NOON_UTC = dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("read_at", "due"),
    [
        (NOON_UTC - dt.timedelta(minutes=59), False),
        (NOON_UTC - dt.timedelta(minutes=61), True),  # over an hour old
        (NOON_UTC - dt.timedelta(hours=11), True),  # Bogota's previous day (04:00 UTC)
        (NOON_UTC + dt.timedelta(minutes=30), True),  # from the future: a clock moved
        (NOON_UTC + dt.timedelta(seconds=30), False),  # within a clock's tolerance
    ],
)
def test_a_reading_is_due_when_over_an_hour_old_from_another_day_or_the_future(
    read_at: dt.datetime, due: bool
) -> None:
    assert guard(QuotaReading(read_at, 1000, 10, 0)).reading_due(NOON_UTC) is due


def test_a_reading_is_due_without_one_and_when_the_run_plans_more_than_the_margin() -> None:
    assert guard(None).reading_due(NOON_UTC)
    recent = QuotaReading(NOON_UTC - dt.timedelta(minutes=5), 1000, 985, 0)  # margin 5
    assert not guard(recent, planned=5).reading_due(NOON_UTC)
    planning = guard(recent, planned=6)
    assert planning.reading_due(NOON_UTC)  # at the run's first call
    assert not planning.reading_due(NOON_UTC)  # not again before every call


def test_a_spent_margin_is_not_read_again_the_same_day_but_is_the_next() -> None:
    spent = QuotaReading(NOON_UTC - dt.timedelta(hours=3), 1000, 990, 0)  # left 1000-990 = 10
    same_day = guard(spent, planned=50)
    assert not same_day.reading_due(NOON_UTC)  # over an hour old, but could only cost a call
    with pytest.raises(QuotaReserveReachedError, match="about 10 of the operation's 1000 calls"):
        same_day.check(NOON_UTC)
    next_day = NOON_UTC + dt.timedelta(hours=14)  # 00:00 in Bogota
    assert guard(spent).reading_due(next_day)


def test_the_check_lets_a_call_through_only_while_the_reserve_stays_whole() -> None:
    reading = QuotaReading(NOON_UTC, 100, 88, 0)  # 12 left, reserve 10: two calls
    keeper = guard(reading)
    keeper.check(NOON_UTC)
    keeper.count()
    keeper.check(NOON_UTC)
    keeper.count()
    assert keeper.reading is not None
    assert keeper.reading.left == 10
    with pytest.raises(QuotaReserveReachedError) as stop:
        keeper.check(NOON_UTC)
    assert "resets at 2026-03-02 00:00 America/Bogota" in str(stop.value)


# -- through the client ---------------------------------------------------------------


def client_for(fake: FakeWolkvox, tmp_path: Path, **overrides: Any) -> WolkvoxClient:
    config = {
        "server": "0032",
        "token": fake.token,
        "api_url": fake.base_url,
        "start_date": "2026-01-01",
        "retry_wait_seconds": 0,
        "request_timeout": 5,
        **overrides,
    }
    return WolkvoxClient(parse_settings(config), lock=TokenLock(fake.token, tmp_path))


def test_the_client_reads_token_info_as_it_reads_reports_and_counts_the_call(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    fake.daily_limit, fake.used_by_others = 3000, 250
    fake.faults.append(Fault("status", 500))  # never retried: it would spend the margin
    client = client_for(fake, tmp_path)
    with pytest.raises(TransientApiError, match="HTTP 500"):
        client.token_info()
    before = dt.datetime.now(dt.UTC)
    reading = client.token_info()
    # The fake counts the answered call only; the tap counts both, on the safe side.
    assert (reading.limit, reading.used, reading.calls_since) == (3000, 251, 1)
    assert before - dt.timedelta(seconds=1) <= reading.read_at <= dt.datetime.now(dt.UTC)
    assert [(call.path, call.api, call.status) for call in fake.calls] == [
        (INFO_PATH, "token_info", 500),
        (INFO_PATH, "token_info", 200),
    ]
    assert (client.log.calls, client.log.info_calls, client.log.failed_info_calls) == (2, 2, 1)
    assert (client.log.report_calls, client.log.failed_report_calls) == (0, 0)
    assert not fake.overlapped()


# -- through the command line ---------------------------------------------------------


def backfill(fake: FakeWolkvox) -> None:
    fake.set_rows(generate_rows(JAN, MAY, per_day=40, seed=5))


def test_the_reserve_stops_before_the_last_calls_with_exit_0_and_one_line(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    backfill(fake)
    fake.daily_limit, fake.used_by_others = 100, 80
    run = run_tap(tmp_path, tap_config(fake, **BACKFILL, quota_reserve=10))
    assert run.returncode == 0, run.stderr
    # token_info (81 used, its own call counted once more: 18 left), then 8 report calls.
    assert [call.path for call in fake.calls] == [INFO_PATH] + [PATH] * 8
    assert fake.calls_left() == 11  # the reserve, and the call the safe side kept
    assert warnings_and_errors(run) == [stop_line(10, 100, 10)]
    assert "Traceback" not in run.stderr
    assert "unhandled error" not in run.stderr
    # Everything read is delivered, and bookmarked.
    assert run.bookmark is not None
    assert run.bookmark < "2026-05-01"
    until = (dt.datetime.fromisoformat(run.bookmark) - dt.timedelta(seconds=1)).isoformat()
    assert got_records(run) == expected_records(
        fake, "2026-01-01 00:00:00", local_wall_clock(until)
    )
    reading = reading_of(run.states[-1])
    assert {key: reading[key] for key in ("limit", "used", "calls_since")} == {
        "limit": 100,
        "used": 81,
        "calls_since": 9,
    }
    assert info(run, f"{STREAM}: ") == (
        f"{STREAM}: 8 calls (0 failed, 0 capped, 0 timed out) for 8 windows and "
        f"{len(run.records)} rows"
    )
    assert info(run, "All streams: ").startswith("All streams: 9 calls (0 failed)")
    assert info(run, "Quota: ") == (
        "Quota: this run used 9 calls of the operation's daily quota (1 of them token_info); "
        "about 10 of the operation's 100 calls for today are left (token_info at "
        f"{reading_time(reading)} America/Bogota, less this tap's 9 calls since)"
    )


def test_nothing_is_lost_across_a_reserve_stop_and_the_next_days_run(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    backfill(fake)
    fake.daily_limit, fake.used_by_others = 100, 80
    config = tap_config(fake, **BACKFILL, quota_reserve=10, lookback_minutes=0)
    stopped = run_tap(tmp_path, config)
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.bookmark is not None
    assert stopped.bookmark < "2026-05-01"
    # Still today: the margin is spent, so not even token_info is called.
    calls = len(fake.calls)
    again = run_tap(tmp_path, config, state=stopped.states[-1])
    assert again.returncode == 0, again.stderr
    assert len(fake.calls) == calls
    assert warnings_and_errors(again) == [stop_line(10, 100, 10)]
    assert again.records == []
    assert again.bookmark == stopped.bookmark
    # The next day: Wolkvox's count starts again, and the reading is yesterday's.
    fake.used_by_others = fake.used_by_token = 0
    yesterday = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    resumed = run_tap(tmp_path, config, state=with_reading(again.states[-1], read_at=yesterday))
    assert resumed.returncode == 0, resumed.stderr
    assert fake.calls[calls].path == INFO_PATH
    assert warnings_and_errors(resumed) == []
    assert resumed.bookmark == "2026-05-01T05:00:00+00:00"
    # Every row exactly once across the stop and the next run.
    everything = got_records(stopped, again, resumed)
    assert everything == expected_records(fake, "2026-01-01 00:00:00", "2026-04-30 23:59:59")
    keys = Counter(r["record_key"] for run in (stopped, resumed) for r in run.records)
    assert set(keys.values()) == {1}


def test_a_reserve_of_0_stops_before_wolkvox_refuses_a_call(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    backfill(fake)
    fake.daily_limit, fake.used_by_others = 20, 12
    run = run_tap(tmp_path, tap_config(fake, **BACKFILL, quota_reserve=0))
    assert run.returncode == 0, run.stderr
    assert 403 not in {call.status for call in fake.calls}
    assert fake.calls_left() == 1
    assert warnings_and_errors(run) == [stop_line(0, 20, 0)]


def test_the_other_streams_are_not_read_after_a_reserve_stop(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    four_streams(fake)
    fake.daily_limit, fake.used_by_others = 100, 90
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-04-01", quota_reserve=2)
    run = run_tap(tmp_path, config, args=write_catalog(tmp_path, config, FOUR))
    assert run.returncode == 0, run.stderr
    # agent_events, calls, chatbot_interactions, chats: 6 report calls, then the stop.
    assert len(fake.report_calls()) == 6
    selection, stop = warnings_and_errors(run)
    assert selection.startswith("1152 calls a day is more than half the daily quota")
    assert stop == stop_line(2, 100, 2)
    read = {call.api for call in fake.report_calls()}
    assert "chat_1" not in read
    assert "chats: not read; the run was stopped at the quota reserve" in tap_messages(run, "INFO")
    # Every selected stream's state entry keeps the reading, the same one.
    final = run.states[-1]["bookmarks"]
    readings = [final[stream][QUOTA_KEY] for stream in FOUR]
    assert all(reading == readings[0] for reading in readings)
    assert readings[0]["calls_since"] == 7


@pytest.mark.parametrize(
    "fault",
    [
        Fault("status", 403, BAD_TOKEN_MSG),
        Fault("status", 500),
        Fault("not-json"),
        Fault("truncated"),
        Fault("status", 200, "an envelope without data"),
        Fault("slow", seconds=1.5),
    ],
    ids=["bad-token", "5xx", "not-json", "truncated", "no-numbers", "timeout"],
)
def test_a_token_info_failure_is_one_line_and_the_run_goes_on(
    fake: FakeWolkvox, tmp_path: Path, fault: Fault
) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 2, 1), per_day=30))
    fake.rule = lambda call: fault if call.path == INFO_PATH else None
    config = tap_config(
        fake, quota_reserve=10, max_attempts=3, request_timeout=1, retry_wait_seconds=0.3
    )
    run = run_tap(tmp_path, config)
    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(fake.rows)
    lines = [line for line in warnings_and_errors(run) if not line.startswith("Attempt ")]
    (line,) = lines
    assert line.startswith("token_info, which quota_reserve needs, failed (")
    assert line.endswith("); this run goes on without the reserve")
    # Never retried: a reading is due when the margin may be thin, and retries would
    # spend it unchecked. Nor is it repeated as part of the report call that comes next.
    info_calls = len(fake.info_calls())
    assert info_calls == 1
    retries = [line for line in warnings_and_errors(run) if line.startswith("Attempt ")]
    if fault.kind != "slow":  # an abandoned call keeps the token busy a little longer
        assert retries == []
    assert info(run, "Quota: ") == (
        f"Quota: this run used {len(fake.calls)} calls of the operation's daily quota "
        f"({info_calls} of them token_info)"
    )
    assert QUOTA_KEY not in run.states[-1]["bookmarks"][STREAM]
    assert "Traceback" not in run.stderr


def test_token_info_refused_for_the_spent_quota_stops_the_run_before_any_report_call(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 2, 1), per_day=30))
    fake.daily_limit, fake.used_by_others = 1000, 1000  # the operation's day is spent
    run = run_tap(tmp_path, tap_config(fake, quota_reserve=10))
    assert run.returncode == 1
    assert fake.report_calls() == []  # nothing a refused call could have read
    (line,) = warnings_and_errors(run)
    assert QUOTA_MSG in line
    assert "token_info" not in line or "failed" not in line  # not "goes on without it"
    assert run.records == []
    assert "Traceback" not in run.stderr


def test_no_token_info_call_when_the_reserve_is_unset(fake: FakeWolkvox, tmp_path: Path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 2, 1), per_day=30))
    old = stored(dt.datetime.now(dt.UTC) - dt.timedelta(days=3), 1000, 999)
    state = bookmark_state("2026-01-20T05:00:00+00:00", old)
    run = run_tap(tmp_path, tap_config(fake), state=state)
    assert run.returncode == 0, run.stderr
    assert fake.info_calls() == []
    assert len(fake.calls) == len(fake.report_calls()) >= 1
    assert "token_info" not in run.stderr
    assert all(reading_of(s) == old for s in run.states)  # kept as it was, not used
    assert info(run, "Quota: ") == (
        f"Quota: this run used {counted(len(fake.calls), 'call')} of the operation's daily quota"
    )


def test_a_five_minute_cadence_reads_token_info_once_an_hour(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 2, 1), per_day=30))
    fake.daily_limit = 3000
    config = tap_config(fake, quota_reserve=100)  # each run: the end of January again
    state = bookmark_state("2026-02-01T05:00:00+00:00")

    def run_from(saved: dict[str, Any]) -> tuple[TapRun, list[str]]:
        first = len(fake.calls)
        run = run_tap(tmp_path, config, state=saved)
        assert run.returncode == 0, run.stderr
        return run, [call.path for call in fake.calls[first:]]

    run, paths = run_from(state)
    assert paths == [INFO_PATH, PATH]  # no reading yet
    run, paths = run_from(run.states[-1])
    assert paths == [PATH]  # five minutes later: the reading is in the state
    assert reading_of(run.states[-1])["calls_since"] == 3  # its call, and two report calls
    for age, wanted in (
        (fresh(59), [PATH]),
        (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=61), [INFO_PATH, PATH]),
        (dt.datetime.now(dt.UTC) - dt.timedelta(days=1), [INFO_PATH, PATH]),
        (dt.datetime.now(dt.UTC) + dt.timedelta(hours=2), [INFO_PATH, PATH]),
    ):
        _, paths = run_from(with_reading(run.states[-1], read_at=age))
        assert paths == wanted, age


@pytest.mark.parametrize(("used", "reads"), [(895, False), (897, True)])
def test_a_run_that_plans_more_calls_than_the_margin_reads_token_info_first(
    fake: FakeWolkvox, tmp_path: Path, used: int, reads: bool
) -> None:
    backfill(fake)
    fake.daily_limit, fake.used_by_others = 1000, 890
    # Four months, 31 days at most per window: at least 4 calls. The state's reading,
    # five minutes old, leaves a margin of 5 (or 3) above the reserve of 100.
    state = bookmark_state("2026-01-01T05:00:00+00:00", stored(fresh(5), 1000, used))
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-05-01", quota_reserve=100)
    run = run_tap(tmp_path, config, state=state)
    assert run.returncode == 0, run.stderr
    assert (fake.calls[0].path == INFO_PATH) is reads
    assert len(fake.info_calls()) == int(reads)
    if reads:  # the truth: 890 + 1 used and its own call, 9 above the reserve
        assert len(fake.report_calls()) == 8 or run.bookmark == "2026-05-01T05:00:00+00:00"
        left = fake.calls_left()
        assert left is not None
        assert left >= 100


def test_a_spent_margin_stops_before_any_call(fake: FakeWolkvox, tmp_path: Path) -> None:
    backfill(fake)
    fake.daily_limit = 1000
    state = bookmark_state("2026-01-01T05:00:00+00:00", stored(fresh(3 * 60), 1000, 880, 20))
    run = run_tap(tmp_path, tap_config(fake, **BACKFILL, quota_reserve=100), state=state)
    assert run.returncode == 0, run.stderr
    assert fake.calls == []
    assert run.records == []
    assert warnings_and_errors(run) == [stop_line(100, 1000, 100)]
    assert info(run, "All streams: ").startswith("All streams: 0 calls (0 failed)")
    assert run.bookmark == "2026-01-01T05:00:00+00:00"


@pytest.mark.parametrize(
    ("value", "line"),
    [
        (-1, "quota_reserve: -1 is out of range; give a whole number from 0 to 1000000"),
        (1000001, "quota_reserve: 1000001 is out of range; give a whole number from 0 to 1000000"),
        (2.5, "quota_reserve: 2.5 is not a whole number; give a whole number from 0 to 1000000"),
        (
            "many",
            "quota_reserve: 'many' is not a whole number; give a whole number from 0 to 1000000",
        ),
        (True, "quota_reserve: True is not a whole number; give a whole number from 0 to 1000000"),
    ],
)
def test_a_bad_quota_reserve_is_one_line_before_any_call(
    fake: FakeWolkvox, tmp_path: Path, value: object, line: str
) -> None:
    run = run_tap(tmp_path, tap_config(fake, quota_reserve=value))
    assert run.returncode == 1
    assert fake.calls == []
    assert run.messages == []
    assert warnings_and_errors(run) == [f"Config: {line}"]
    assert "Traceback" not in run.stderr


def test_a_bad_quota_reserve_from_the_environment_is_one_line(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    run = run_with_environment(fake, tmp_path, quota_reserve="ten")
    assert run.returncode == 1
    assert fake.calls == []
    assert warnings_and_errors(run) == [
        (
            "Config: quota_reserve: TAP_WOLKVOX_QUOTA_RESERVE='ten' is not a whole number; "
            "give a whole number from 0 to 1000000"
        )
    ]


def test_the_reserve_from_the_environment_works(fake: FakeWolkvox, tmp_path: Path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 3), per_day=20))
    run = run_with_environment(fake, tmp_path, end_date="2026-01-03", quota_reserve="5")
    assert run.returncode == 0, run.stderr
    assert [call.path for call in fake.calls][:2] == [INFO_PATH, PATH]
    assert len(fake.info_calls()) == 1
    assert len(run.records) == len(fake.rows)


def test_the_token_is_in_no_output_with_the_reserve(fake: FakeWolkvox, tmp_path: Path) -> None:
    secret = "tok-41c9e2-SECRET"
    fake.token = secret
    backfill(fake)
    fake.daily_limit, fake.used_by_others = 100, 80
    config = tap_config(fake, token=secret, **BACKFILL, quota_reserve=10)
    runs = [run_tap(tmp_path, config)]  # a stop at the reserve
    fake.rule = lambda call: Fault("status", 403, BAD_TOKEN_MSG) if call.path == INFO_PATH else None
    runs.append(run_tap(tmp_path, config))  # token_info refused
    runs.append(run_tap(tmp_path, {**config, "token": secret + "x"}))  # a wrong token
    assert "Quota reserve reached" in runs[0].stderr
    assert "token_info, which quota_reserve needs, failed" in runs[1].stderr
    for run in runs:
        assert secret not in run.stdout
        assert secret not in run.stderr
