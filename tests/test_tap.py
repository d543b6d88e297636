"""The tap as users run it (``tap-wolkvox --config ... --state ...``) against the fake API."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import zoneinfo
from collections import Counter
from collections.abc import Callable

import pytest

from tap_wolkvox.records import LocalDates
from tests.conftest import TAP, TapRun, parse_messages, run_tap, tap_config
from tests.fake_wolkvox import (
    BAD_TOKEN_MSG,
    QUOTA_MSG,
    FakeWolkvox,
    Fault,
    generate_burst,
    generate_rows,
)

BOGOTA = zoneinfo.ZoneInfo("America/Bogota")
JAN, MAY = dt.datetime(2026, 1, 1), dt.datetime(2026, 5, 1)
MAY_TEXT = "2026-05-01"


def backfill_rows() -> list[dict]:
    rows = generate_rows(JAN, dt.datetime(2026, 2, 15), per_day=50, seed=3)
    # Two empty weeks, then quiet again, and a 15,000-row burst in two hours.
    rows += generate_rows(dt.datetime(2026, 3, 1), MAY, per_day=40, seed=4)
    rows += generate_burst(dt.datetime(2026, 3, 10, 10), dt.timedelta(hours=2), 15000)
    return rows


def run_until_state(
    tmp_path,
    config: dict,
    signum: int,
    when: Callable[[int, str], bool],
    extra: list[str] | None = None,
) -> TapRun:
    """Run the tap (with ``extra`` arguments) and send it ``signum`` at the first bookmark
    STATE line for which ``when(number of such lines so far, line)`` holds; what it wrote
    until it ended."""
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [*TAP, "--config", str(config_path), *(extra or [])],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines, states = [], 0
    for line in process.stdout:
        lines.append(line)
        if line.startswith('{"type":"STATE"') and '"replication_key_value"' in line:
            states += 1
            if when(states, line):
                process.send_signal(signum)
                break
    rest, stderr = process.communicate(timeout=60)
    output = "".join(lines) + rest
    return TapRun(process.returncode, output, stderr, parse_messages(output))


def expected_records(fake: FakeWolkvox, first: str, last: str) -> Counter:
    """(converted date, session, query) of every row in a wall-clock range."""
    dates = LocalDates(BOGOTA)
    return Counter(
        (dates.to_rfc3339(row["date"]), row["session_id"], row["customer_query"])
        for row in fake.rows_between(first, last)
    )


def got_records(*runs: TapRun) -> Counter:
    return Counter(
        (record["date"], record["session_id"], record["customer_query"])
        for run in runs
        for record in run.records
    )


def our_errors(run: TapRun) -> list[str]:
    """The tap's own error lines (the SDK adds a generic "unhandled error" line of its own)."""
    return [
        line for line in run.stderr.splitlines() if "ERROR" in line and "| tap-wolkvox  " in line
    ]


def unique_by_key(*runs: TapRun) -> dict[str, dict]:
    return {record["record_key"]: record for run in runs for record in run.records}


def test_a_backfill_with_a_burst_reads_every_row_exactly_once(fake, tmp_path) -> None:
    fake.set_rows(backfill_rows())
    run = run_tap(tmp_path, tap_config(fake, start_date="2026-01-01", end_date="2026-05-01"))
    assert run.returncode == 0, run.stderr
    keys = [record["record_key"] for record in run.records]
    assert len(keys) == len(set(keys)) == len(fake.rows)
    assert got_records(run) == expected_records(fake, "2026-01-01 00:00:00", "2026-04-30 23:59:59")
    assert run.bookmark == "2026-05-01T05:00:00+00:00"  # the end of the range, in UTC
    assert not fake.overlapped()
    assert len(fake.calls) <= 12
    assert any(
        call.rows == fake.cap_for("diagram_9") for call in fake.calls
    )  # the burst did hit the cap
    # Bookmarks only move forward, one STATE per completed window.
    bookmarks = [
        s["bookmarks"]["chatbot_interactions"].get("replication_key_value") for s in run.states
    ]
    assert bookmarks == sorted(bookmarks)
    assert (
        len(set(bookmarks))
        >= len([c for c in fake.calls if c.rows < fake.cap_for("diagram_9")]) - 1
    )
    assert "calls" in run.stderr and "windows" in run.stderr


def test_dates_carry_the_right_instant(fake, tmp_path) -> None:
    fake.set_rows([{"session_id": "s", "date": "2026-01-05 10:00:07", "customer_query": "hola"}])
    run = run_tap(tmp_path, tap_config(fake, timezone="America/Bogota"))
    assert [r["date"] for r in run.records] == ["2026-01-05T15:00:07+00:00"]
    run = run_tap(tmp_path, tap_config(fake, timezone="Europe/Madrid"))
    assert [r["date"] for r in run.records] == ["2026-01-05T09:00:07+00:00"]


def test_empty_windows_advance_the_state(fake, tmp_path) -> None:
    run = run_tap(tmp_path, tap_config(fake, start_date="2026-01-01", end_date="2026-04-01"))
    assert run.returncode == 0, run.stderr
    assert run.records == []
    assert [c.status for c in fake.calls] == [404, 404, 404, 404]  # a probe day, then months
    bookmarks = [
        s["bookmarks"]["chatbot_interactions"]["replication_key_value"]
        for s in run.states
        if s["bookmarks"].get("chatbot_interactions")
    ]
    assert "2026-02-01T05:00:00+00:00" in bookmarks
    assert "2026-03-01T05:00:00+00:00" in bookmarks
    assert run.bookmark == "2026-04-01T05:00:00+00:00"


def test_an_incremental_run_reads_only_new_rows_and_the_lookback(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 20), per_day=100))
    state = {
        "bookmarks": {
            "chatbot_interactions": {
                "replication_key": "date",
                "replication_key_value": "2026-01-10T05:00:00+00:00",
            }
        }
    }
    run = run_tap(tmp_path, tap_config(fake, lookback_minutes=30), state=state)
    assert run.returncode == 0, run.stderr
    assert fake.calls[0].date_ini == "20260109233000"  # bookmark - 30 min, Bogota time
    assert got_records(run) == expected_records(fake, "2026-01-09 23:30:00", "2026-01-31 23:59:59")
    # With nothing new, a run costs one call.
    fake.calls.clear()
    again = run_tap(tmp_path, tap_config(fake, lookback_minutes=30), state=run.states[-1])
    assert len(fake.calls) == 1
    assert again.bookmark == run.bookmark


def test_late_rows_inside_the_lookback_are_picked_up(fake, tmp_path) -> None:
    fake.set_rows([{"session_id": "a", "date": "2026-01-10 09:00:00", "customer_query": "1"}])
    config = tap_config(
        fake, start_date="2026-01-10T08:00:00", end_date="2026-01-10T10:00:00", lookback_minutes=60
    )
    first = run_tap(tmp_path, config)
    assert [r["customer_query"] for r in first.records] == ["1"]
    # Recorded after the first run had passed its date, with a date inside the lookback.
    fake.add_rows([{"session_id": "b", "date": "2026-01-10 09:45:00", "customer_query": "late"}])
    later = {**config, "end_date": "2026-01-10T11:00:00"}
    second = run_tap(tmp_path, later, state=first.states[-1])
    # The lookback reads "1" again, under the same key, so an upserting target keeps one.
    assert sorted(r["customer_query"] for r in second.records) == ["1", "late"]
    assert first.records[0]["record_key"] in {r["record_key"] for r in second.records}
    assert fake.calls[-1].date_ini == "20260110090000"


@pytest.mark.posix
def test_a_killed_run_resumes_without_a_hole(fake, tmp_path) -> None:
    fake.set_rows(backfill_rows())
    fake.rule = lambda call: Fault("slow", seconds=0.15)
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-05-01")
    killed = run_until_state(tmp_path, config, signal.SIGKILL, lambda number, _line: number == 3)
    assert killed.returncode == -signal.SIGKILL
    assert killed.bookmark is not None
    assert killed.bookmark < "2026-05-01"
    fake.rule = None
    resumed = run_tap(tmp_path, config, state=killed.states[-1])
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.bookmark == "2026-05-01T05:00:00+00:00"
    everything = unique_by_key(killed, resumed)
    assert len(everything) == len(fake.rows)
    assert Counter(
        (r["date"], r["session_id"], r["customer_query"]) for r in everything.values()
    ) == expected_records(fake, "2026-01-01 00:00:00", "2026-04-30 23:59:59")


def test_a_quota_stop_keeps_what_was_read_and_the_next_run_completes(fake, tmp_path) -> None:
    fake.set_rows(backfill_rows())
    fake.quota = 4
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-05-01")
    stopped = run_tap(tmp_path, config)
    assert stopped.returncode == 1
    errors = our_errors(stopped)
    assert len(errors) == 1
    assert QUOTA_MSG in errors[0]
    assert "next run" in errors[0]
    assert "Traceback" not in stopped.stderr
    assert "unhandled error" not in stopped.stderr  # the SDK's crash line, for an expected stop
    assert stopped.bookmark is not None
    assert len(stopped.records) > 0
    fake.quota = None
    calls_before = len(fake.calls)
    resumed = run_tap(tmp_path, config, state=stopped.states[-1])
    assert resumed.returncode == 0, resumed.stderr
    # The resumed run starts where the stopped one was bookmarked (minus the lookback).
    first_resumed = fake.calls[calls_before]
    assert first_resumed.date_ini >= "2026"
    everything = unique_by_key(stopped, resumed)
    assert len(everything) == len(fake.rows)


def test_a_bad_token_fails_at_once_with_one_line(fake, tmp_path) -> None:
    run = run_tap(tmp_path, tap_config(fake, token="not-the-right-token"))
    assert run.returncode == 1
    assert len(fake.calls) == 1
    errors = our_errors(run)
    assert len(errors) == 1
    assert BAD_TOKEN_MSG in errors[0]
    assert "Traceback" not in run.stderr
    assert "unhandled error" not in run.stderr


@pytest.mark.parametrize(
    "override",
    [
        {"server": "evil.example.com"},
        {"token": ""},
        {"start_date": "tomorrow"},
        {"timezone": "Mars/Olympus"},
        {"lookback_minutes": -5},
        {"max_records_per_request": 0},
        {"api_url": "http://192.0.2.10:8080"},
        {"end_date": "2025-01-01"},
        {"request_timeout": "soon"},
        # Accepted once, then every later run crashed reading them back.
        {"start_date": "2026"},
        {"start_date": "2026-01"},
        {"start_date": "2026-001"},
        {"api_url": "http://127.0.0.1:99999"},
        {"api_url": "http://local\nhost:8765"},
        {"quota_reserve": -1},
        {"quota_reserve": 2.5},
    ],
)
def test_every_bad_setting_is_refused_before_any_call(fake, tmp_path, override) -> None:
    run = run_tap(tmp_path, tap_config(fake, **override))
    assert run.returncode == 1
    assert fake.calls == []
    assert "Traceback" not in run.stderr
    assert run.messages == []
    problem = [line for line in run.stderr.splitlines() if "ERROR" in line]
    assert problem, run.stderr
    assert any(next(iter(override)) in line for line in problem), run.stderr


def test_the_token_appears_in_no_output(fake, tmp_path) -> None:
    secret = "tok-7f3e9b2c-SECRET"
    fake.token = secret
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 3), per_day=20))
    outputs = [
        run_tap(tmp_path, tap_config(fake, token=secret)),  # success
        run_tap(tmp_path, tap_config(fake, token=secret + "x")),  # refused token
        run_tap(tmp_path, tap_config(fake, token=secret, server="nope")),  # bad config
        run_tap(tmp_path, tap_config(fake, token=secret), args=["--discover"]),
        run_tap(tmp_path, tap_config(fake, token=secret), args=["--about"]),
    ]
    fake.faults.extend([Fault("status", 500)] * 10)
    outputs.append(run_tap(tmp_path, tap_config(fake, token=secret, max_attempts=2)))
    assert outputs[0].records
    for run in outputs:
        assert secret not in run.stdout
        assert secret not in run.stderr


def test_undocumented_fields_survive(fake, tmp_path) -> None:
    fake.set_rows(
        [
            {
                "session_id": "a",
                "date": "2026-01-02 10:00:00",
                "sentiment": "positive",
                "agent_average_response_time": "00:00:12",
            },
            {"session_id": "b", "date": "2026-01-03 10:00:00", "sentiment": "negative"},
        ]
    )
    run = run_tap(tmp_path, tap_config(fake))
    extras = sorted((r["session_id"], r["additional_fields"]) for r in run.records)
    assert extras == [
        ("a", {"agent_average_response_time": "00:00:12", "sentiment": "positive"}),
        ("b", {"sentiment": "negative"}),
    ]
    assert run.stderr.count("undocumented fields") == 1
    assert "sentiment" in run.stderr


def test_code_as_a_number_works_too(fake, tmp_path) -> None:
    fake.code_as_int = True
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 5), per_day=30))
    run = run_tap(tmp_path, tap_config(fake))
    assert run.returncode == 0
    assert len(run.records) == len(fake.rows)


def test_transient_faults_mid_backfill_lose_nothing(fake, tmp_path) -> None:
    fake.set_rows(backfill_rows())
    fake.faults.extend(
        [
            Fault("status", 500),
            Fault("drop"),
            Fault("truncated"),
            Fault("short-read"),
            Fault("not-json"),
        ]
    )
    run = run_tap(
        tmp_path, tap_config(fake, start_date="2026-01-01", end_date="2026-05-01", max_attempts=6)
    )
    assert run.returncode == 0, run.stderr
    assert len(unique_by_key(run)) == len(run.records) == len(fake.rows)


def test_a_server_timeout_shrinks_the_window(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 2, 1), per_day=30))
    fake.faults.append(Fault("slow", seconds=2))
    # The abandoned call still runs on the server; the next call meets "simultaneous
    # requests" until it ends, and waits that out.
    run = run_tap(tmp_path, tap_config(fake, request_timeout=1, retry_wait_seconds=0.5))
    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(fake.rows)
    (first, _), (second, _) = fake.windows()[:2]
    assert first == second == "20260101000000"
    assert fake.windows()[1][1] < fake.windows()[0][1]  # a smaller window


def test_a_one_second_window_at_the_cap_stops_the_sync(fake, tmp_path) -> None:
    same_second = [{"session_id": str(i), "date": "2026-01-05 10:00:00"} for i in range(12)]
    fake.set_rows(same_second)
    run = run_tap(tmp_path, tap_config(fake, max_records_per_request=10))
    assert run.returncode == 1
    assert "one second" in run.stderr
    assert "max_records_per_request" in run.stderr
    assert run.records == []
    assert "Traceback" not in run.stderr


def test_about_lists_every_setting() -> None:
    result = subprocess.run(
        [*TAP, "--about", "--format=json"], capture_output=True, text=True, check=True
    )
    settings = json.loads(result.stdout)["settings"]["properties"]
    for name in (
        "server",
        "token",
        "start_date",
        "end_date",
        "timezone",
        "lookback_minutes",
        "max_records_per_request",
        "request_timeout",
        "api_url",
        "max_window_days",
        "max_attempts",
        "retry_wait_seconds",
        "maintenance_wait_seconds",
        "quota_reserve",
    ):
        assert settings[name].get("description"), name
    assert settings["token"]["secret"] is True


def test_two_taps_with_one_token_take_turns(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, MAY, per_day=30))
    fake.rule = lambda call: Fault("slow", seconds=0.05)  # long enough to overlap if unserialised
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-05-01", max_window_days=7)
    processes = []
    for number in range(2):
        path = tmp_path / f"config{number}.json"
        path.write_text(json.dumps(config))
        processes.append(
            subprocess.Popen(
                [*TAP, "--config", str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
    assert [process.wait(120) for process in processes] == [0, 0]
    assert len(fake.calls) >= 2 * 17  # each tap read 4 months in weeks
    assert not fake.overlapped()


@pytest.mark.parametrize(
    ("config_text", "state_text", "fragment"),
    [
        ("{not json", None, "Cannot read an input file"),
        (None, None, "was not found"),
        ('{"server": "0032", "token": "t", "start_date": "2026-01-01"}', "{bad", "state.json"),
        ('{"server": "0032", "token": "t", "start_date": "2026-01-01"}', "", "is empty"),
        (
            '{"server": "0032", "token": "t", "start_date": "2026-01-01", "lookback_minutes": "x"}',
            None,
            "lookback_minutes",
        ),
    ],
)
def test_unreadable_input_files_give_one_line_not_a_traceback(
    fake, tmp_path, config_text, state_text, fragment
) -> None:
    config_path = tmp_path / "config.json"
    if config_text is not None:
        config_path.write_text(config_text)
    command = [*TAP, "--config", str(config_path)]
    if state_text is not None:
        (tmp_path / "state.json").write_text(state_text)
        command += ["--state", str(tmp_path / "state.json")]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert fragment in result.stderr
    assert fake.calls == []


def bookmark_state(value: object, **extra: object) -> dict:
    return {
        "bookmarks": {
            "chatbot_interactions": {
                "replication_key": "date",
                "replication_key_value": value,
                **extra,
            }
        }
    }


@pytest.mark.parametrize("value", ["garbage", 1700000000, "2026-13-01T00:00:00+00:00"])
def test_an_unreadable_bookmark_stops_with_one_line_that_says_how_to_clear_it(
    fake, tmp_path, value
) -> None:
    run = run_tap(tmp_path, tap_config(fake), state=bookmark_state(value))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert fake.calls == []
    assert run.records == []
    (line,) = our_errors(run)
    assert repr(value) in line
    assert "meltano state clear" in line
    # The saved state is passed on untouched, never replaced by a guess.
    assert all(s == bookmark_state(value) for s in run.states)


def test_a_bookmark_in_the_future_is_reported_not_confirmed(fake, tmp_path) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    state = bookmark_state(future.isoformat())
    run = run_tap(tmp_path, tap_config(fake, end_date=None), state=state)
    assert run.returncode == 1
    (line,) = our_errors(run)
    assert "later than now" in line
    assert fake.calls == []
    assert all(s == state for s in run.states)


def test_a_state_with_partitions_is_read_once_and_adds_no_field(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 10), per_day=40))
    partitions = [
        {"context": {"channel": "web"}, "replication_key": "date"},
        {"context": {"channel": "email"}, "replication_key": "date"},
    ]
    state = bookmark_state("2026-01-05T05:00:00+00:00", partitions=partitions)
    run = run_tap(tmp_path, tap_config(fake), state=state)
    assert run.returncode == 0, run.stderr
    # One range, not one per partition: the probe day (no sizing kept yet), then the rest.
    assert len(fake.calls) == 2
    assert "ignoring partitions" in run.stderr
    (schema,) = [m["schema"] for m in run.messages if m["type"] == "SCHEMA"]
    assert {frozenset(record) for record in run.records} == {frozenset(schema["properties"])}
    assert got_records(run) == expected_records(fake, "2026-01-04 23:45:00", "2026-01-31 23:59:59")
    assert "partitions" not in run.states[-1]["bookmarks"]["chatbot_interactions"]


def test_a_backfill_ending_before_the_bookmark_never_moves_it_back(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 3, 1), per_day=40))
    state = bookmark_state("2026-02-20T05:00:00+00:00")
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-01-15")
    run = run_tap(tmp_path, config, state=state)
    assert run.returncode == 0, run.stderr
    bookmarks = [
        s["bookmarks"]["chatbot_interactions"]["replication_key_value"] for s in run.states
    ]
    assert bookmarks
    assert all(b == "2026-02-20T05:00:00+00:00" for b in bookmarks)


def test_a_host_clock_ahead_never_bookmarks_past_the_servers_time(fake, tmp_path) -> None:
    # The server's clock is ten minutes behind this machine's: for it, "now" is earlier.
    fake.clock_offset = -dt.timedelta(minutes=10)
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 5), per_day=40))
    started = dt.datetime.now(dt.UTC)
    run = run_tap(tmp_path, tap_config(fake, start_date="2026-01-01", end_date=None))
    assert run.returncode == 0, run.stderr
    bookmark = dt.datetime.fromisoformat(run.bookmark)
    assert bookmark <= dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    assert bookmark >= started - dt.timedelta(minutes=11)
    assert re.search(r"clock is \+60[01] s off Wolkvox's", run.stderr), run.stderr


@pytest.mark.posix
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_with_a_failing_code_and_the_next_run_loses_nothing(
    fake, tmp_path, signum
) -> None:
    fake.set_rows(backfill_rows())
    fake.rule = lambda call: Fault("slow", seconds=0.15)
    config = tap_config(fake, start_date="2026-01-01", end_date=MAY_TEXT)
    stopped = run_until_state(tmp_path, config, signum, lambda _n, line: "2026-02" in line)
    assert stopped.returncode == 128 + signum
    assert stopped.bookmark is not None
    assert stopped.bookmark < "2026-05-01"
    assert f"Stopped by {signal.Signals(signum).name}" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    fake.rule = None
    resumed = run_tap(tmp_path, config, state=stopped.states[-1])
    assert resumed.returncode == 0, resumed.stderr
    assert len(unique_by_key(stopped, resumed)) == len(fake.rows)


def test_a_token_given_as_a_number_is_never_echoed(fake, tmp_path) -> None:
    run = run_tap(tmp_path, tap_config(fake, token=918273645546372819))
    assert run.returncode == 1
    assert "918273645546372819" not in run.stderr + run.stdout
    assert any(line.startswith("token:") for line in config_problems(run)), run.stderr
    assert fake.calls == []


def config_problems(run: TapRun) -> list[str]:
    return [line.split("Config: ", 1)[1] for line in run.stderr.splitlines() if "Config: " in line]


def run_with_environment(fake, tmp_path, **variables: str) -> TapRun:
    """``tap-wolkvox --config ENV`` with the fake's settings plus ``variables``."""
    env = {
        "TAP_WOLKVOX_SERVER": "0032",
        "TAP_WOLKVOX_TOKEN": fake.token,
        "TAP_WOLKVOX_API_URL": fake.base_url,
        "TAP_WOLKVOX_START_DATE": "2026-01-01",
        **{f"TAP_WOLKVOX_{name.upper()}": value for name, value in variables.items()},
    }
    result = subprocess.run(
        [*TAP, "--config", "ENV"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**os.environ, **env},
    )
    return TapRun(result.returncode, result.stdout, result.stderr, parse_messages(result.stdout))


def test_environment_settings_of_the_wrong_kind_are_one_line_each(fake, tmp_path) -> None:
    run = run_with_environment(fake, tmp_path, lookback_minutes="x")
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert config_problems(run) == [
        (
            "lookback_minutes: TAP_WOLKVOX_LOOKBACK_MINUTES='x' is not a whole number; "
            "give a whole number from 0 to 10080"
        )
    ]
    assert fake.calls == []


def test_number_settings_work_from_the_environment(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 3), per_day=20))
    run = run_with_environment(
        fake, tmp_path, end_date="2026-01-03", request_timeout="30", retry_wait_seconds="0.5"
    )
    assert run.returncode == 0, run.stderr
    assert len(run.records) == len(fake.rows)


def test_the_connection_test_fails_with_a_bad_token(fake, tmp_path) -> None:
    good = run_tap(tmp_path, tap_config(fake), args=["--test"])
    assert good.returncode == 0, good.stderr
    bad = run_tap(tmp_path, tap_config(fake, token="wrong"), args=["--test"])
    assert bad.returncode == 1
    (line,) = our_errors(bad)
    assert BAD_TOKEN_MSG in line


def test_the_logs_say_only_what_is_true_and_needed(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 3), per_day=20))
    run = run_tap(tmp_path, tap_config(fake, end_date="2026-01-03"))
    assert run.returncode == 0, run.stderr
    for noise in (
        "Skipping parse of env var",
        "Skipping deselected stream",
        "1 calls",
        "1 windows",
    ):
        assert noise not in run.stderr
    assert "chatbot_interactions: 1 call (0 failed, 0 capped, 0 timed out) for 1 window" in (
        run.stderr
    )
    # UTC instants and the operation's wall-clock are labelled as what they are.
    assert (
        "from 2026-01-01T05:00:00+00:00 to 2026-01-03T05:00:00+00:00 (2026-01-01 00:00:00 to "
        "2026-01-03 00:00:00 wall-clock in America/Bogota)" in run.stderr
    )
    test = run_tap(tmp_path, tap_config(fake), args=["--test"])
    assert test.returncode == 0, test.stderr
    assert "ERROR" not in test.stderr
    discover = subprocess.run(
        [*TAP, "--discover"], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert discover.returncode == 0
    assert "Config validation failed" not in discover.stderr
