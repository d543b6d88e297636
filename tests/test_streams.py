"""Every report of the registry as a stream: generated tests, one per stream, against the fake.

The registry (``tap_wolkvox/reports.py``) drives both the tap and the fake, so a report
added there is discovered, read and checked here without a new test.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import zoneinfo
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tap_wolkvox.records import column_name
from tap_wolkvox.reports import (
    ALL_REPORTS,
    PARAMETER_EVENT_REPORTS,
    REPORTS,
    Report,
    by_api,
    by_stream,
)
from tap_wolkvox.tap import TapWolkvox
from tests.conftest import TapRun, run_tap, tap_config
from tests.fake_wolkvox import (
    QUOTA_MSG,
    FakeWolkvox,
    Fault,
    generate_report_burst,
    generate_report_rows,
)
from tests.test_tap import our_errors, run_until_state

ZONE = zoneinfo.ZoneInfo("America/Bogota")
JAN, FEB_15 = dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 15)
SMALL_CAP = 50  # small enough that a burst of a few hundred rows needs splits
FOUR = ("chatbot_interactions", "calls", "chats", "agent_events")


def selecting(config: dict[str, Any], streams: tuple[str, ...]) -> dict[str, Any]:
    """The discovered catalog with exactly ``streams`` selected."""
    catalog = TapWolkvox(config=config).catalog_dict
    for entry in catalog["streams"]:
        for metadata in entry["metadata"]:
            if metadata["breadcrumb"] == []:
                metadata["metadata"]["selected"] = entry["tap_stream_id"] in streams
    return catalog


def sync_in_process(config: dict[str, Any], streams: tuple[str, ...], capsys) -> list[dict]:
    TapWolkvox(config=config, catalog=selecting(config, streams)).sync_all()
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def records_of(messages: list[dict], stream: str) -> list[dict]:
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


def bookmark_of(messages: list[dict], stream: str) -> str | None:
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    for state in reversed(states):
        value = state.get("bookmarks", {}).get(stream, {}).get("replication_key_value")
        if value:
            return str(value)
    return None


def expected_record(report: Report, row: dict[str, Any]) -> str:
    """The record a raw row must become, without its key, as canonical JSON."""
    # Computed here from the zone database, not with the tap's own converter.
    zone = (
        ZONE
        if report.fixed_utc_offset_hours is None
        else dt.timezone(dt.timedelta(hours=report.fixed_utc_offset_hours))
    )
    record: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for name, value in row.items():
        if name in report.columns:
            record[column_name(name)] = value
        else:
            extras[name] = value
    for name in report.columns:
        record.setdefault(column_name(name), None)
    for name in report.time_fields:
        column = column_name(name)
        raw = record[column]
        record[column] = (
            dt.datetime.fromisoformat(raw).replace(tzinfo=zone).astimezone(dt.UTC).isoformat()
            if raw
            else None
        )
    record["additional_fields"] = extras or None
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def without_key(record: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in record.items() if k != "record_key"}, sort_keys=True, ensure_ascii=False
    )


def test_discovery_lists_every_registry_stream(fake, tmp_path) -> None:
    run = run_tap(tmp_path, tap_config(fake), args=["--discover"])
    assert run.returncode == 0, run.stderr
    entries = {entry["tap_stream_id"]: entry for entry in json.loads(run.stdout)["streams"]}
    # Every report of the catalogue but agent_2 (agent_14 has every agent's events).
    assert sorted(entries) == sorted(report.stream for report in ALL_REPORTS)
    assert len(entries) == 41 + 2 + 60
    assert "agent_2" not in {report.api for report in ALL_REPORTS}
    for report in (*REPORTS, *PARAMETER_EVENT_REPORTS):
        entry = entries[report.stream]
        assert entry["key_properties"] == ["record_key"]
        assert entry["replication_key"] == column_name(report.filter_field)
        assert entry["replication_method"] == "INCREMENTAL"
        schema = entry["schema"]
        assert schema["description"].startswith(f"Wolkvox report {report.api}: ")
        for name in report.time_fields:
            assert schema["properties"][column_name(name)]["format"] == "date-time"
        (top,) = [m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == []]
        assert top["selected-by-default"] is report.selected_by_default


@pytest.mark.parametrize("report", REPORTS, ids=[report.stream for report in REPORTS])
def test_a_backfill_with_a_burst_reads_every_row_once_with_the_right_instants(
    report: Report, capsys
) -> None:
    fake = FakeWolkvox(cap=SMALL_CAP)
    rows = generate_report_rows(report, JAN, FEB_15, per_day=6, seed=5)
    rows += generate_report_burst(report, dt.datetime(2026, 1, 20, 10), dt.timedelta(hours=2), 180)
    fake.set_report_rows(report.api, rows)
    fake.start()
    try:
        config = tap_config(
            fake, start_date="2026-01-01", end_date="2026-02-15", max_records_per_request=SMALL_CAP
        )
        if report.fixed_utc_offset_hours is not None:  # its rows are GMT-5 wall-clock
            config.update(
                start_date="2026-01-01T00:00:00-05:00", end_date="2026-02-15T00:00:00-05:00"
            )
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    records = records_of(messages, report.stream)
    selected = fake.report_rows_between(report.api, "2026-01-01 00:00:00", "2026-02-14 23:59:59")
    assert any(call.rows == SMALL_CAP for call in fake.calls)  # the burst needed splits
    assert not fake.overlapped()
    assert len({record["record_key"] for record in records}) == len(records) == len(selected)
    assert Counter(without_key(record) for record in records) == Counter(
        expected_record(report, row) for row in selected
    )
    assert {call.api for call in fake.calls} == {report.api}
    assert bookmark_of(messages, report.stream) is not None


@pytest.mark.parametrize("stream", ["calls", "chats", "agent_events", "chat_cases", "ivr_calls"])
def test_an_incremental_run_reads_only_new_rows_and_the_lookback(stream: str, capsys) -> None:
    report = by_stream(stream)
    fake = FakeWolkvox()
    fake.set_report_rows(report.api, generate_report_rows(report, JAN, FEB_15, per_day=30))
    fake.start()
    try:
        config = tap_config(fake, start_date="2026-01-01", end_date="2026-01-10")
        first = sync_in_process(config, (stream,), capsys)
        assert bookmark_of(first, stream) == "2026-01-10T05:00:00+00:00"
        fake.calls.clear()
        later = {**config, "end_date": "2026-01-20", "lookback_minutes": 30}
        TapWolkvox(
            config=later,
            catalog=selecting(later, (stream,)),
            state={"bookmarks": {stream: first[-1]["value"]["bookmarks"][stream]}},
        ).sync_all()
        second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finally:
        fake.stop()
    assert fake.calls[0].date_ini == "20260109233000"  # the bookmark minus 30 minutes, local
    expected = fake.report_rows_between(report.api, "2026-01-09 23:30:00", "2026-01-19 23:59:59")
    assert Counter(without_key(r) for r in records_of(second, stream)) == Counter(
        expected_record(report, row) for row in expected
    )


def test_chats_are_selected_by_their_close_and_may_be_dated_before_the_window(capsys) -> None:
    report = by_api("chat_1")
    fake = FakeWolkvox()
    rows = [
        {"conn_id": "1", "date": "2026-01-09 23:50:00", "date_close": "2026-01-10 00:10:00"},
        {"conn_id": "2", "date": "2026-01-10 08:00:00", "date_close": "2026-01-10 08:30:00"},
    ]
    fake.set_report_rows(report.api, rows)
    fake.start()
    try:
        config = tap_config(fake, start_date="2026-01-10", end_date="2026-01-11")
        records = records_of(sync_in_process(config, ("chats",), capsys), "chats")
    finally:
        fake.stop()
    # Chat 1 began before the range and is read for its close inside it: once, right dates.
    assert sorted((r["conn_id"], r["date"], r["date_close"]) for r in records) == [
        ("1", "2026-01-10T04:50:00+00:00", "2026-01-10T05:10:00+00:00"),
        ("2", "2026-01-10T13:00:00+00:00", "2026-01-10T13:30:00+00:00"),
    ]


def test_campaign_attempts_are_read_in_gmt_minus_5_whatever_the_timezone(capsys) -> None:
    report = by_api("campaign_3")
    fake = FakeWolkvox()
    fake.set_report_rows(report.api, [{"campaign_id": "7", "date": "2026-01-05 10:00:00"}])
    fake.start()
    try:
        config = tap_config(
            fake, timezone="Europe/Madrid", start_date="2026-01-05", end_date="2026-01-06"
        )
        records = records_of(
            sync_in_process(config, ("campaign_attempts",), capsys), "campaign_attempts"
        )
    finally:
        fake.stop()
    assert [r["date"] for r in records] == ["2026-01-05T15:00:00+00:00"]
    # 2026-01-05 00:00 in Madrid is 18:00 the day before in GMT-5: the window is asked so.
    assert fake.calls[0].date_ini == "20260104180000"
    assert fake.calls[0].params == {"campaign_id": "all"}


def test_chatbot_interactions_keep_the_keys_of_version_0_1_0(capsys) -> None:
    """Keys computed by tap-wolkvox 0.1.0 for these rows; an upgrade must not change them."""
    row = {
        "session_id": "5f2a",
        "channel": "whatsapp",
        "rp_id": "12",
        "date": "2026-01-05 10:00:07",
        "customer_name": "Ana García",
        "customer_email": "",
        "customer_phone": "573001234567",
        "customer_query": "hola",
        "routing_answer": "transfer_skill",
        "customer_id": "",
        "conn_id": "0",
        "sentiment": "x",
    }
    fake = FakeWolkvox()
    fake.set_rows([row, dict(row), dict(row, sentiment="y")])
    fake.start()
    try:
        messages = sync_in_process(tap_config(fake), ("chatbot_interactions",), capsys)
    finally:
        fake.stop()
    assert sorted(r["record_key"] for r in records_of(messages, "chatbot_interactions")) == [
        "108ddf6b4e31659665561b5a27b623f2",
        "48384941fead740357bc2454aefc8e07",
        "aed9928d2fa8b3e0574e5467db968592",
    ]


def four_streams(fake: FakeWolkvox) -> None:
    """Data for ``FOUR``, with a burst in each that needs a few calls."""
    for number, stream in enumerate(FOUR):
        report = by_stream(stream)
        rows = generate_report_rows(report, JAN, dt.datetime(2026, 4, 1), per_day=8, seed=number)
        rows += generate_report_burst(
            report, dt.datetime(2026, 2, 10, 9), dt.timedelta(hours=3), 150, seed=number
        )
        fake.set_report_rows(report.api, rows)


def write_catalog(tmp_path: Path, config: dict[str, Any], streams: tuple[str, ...]) -> list[str]:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(selecting(config, streams)))
    return ["--catalog", str(path)]


def keys_by_stream(*runs: TapRun) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for run in runs:
        for message in run.messages:
            if message["type"] == "RECORD":
                found.setdefault(message["stream"], set()).add(message["record"]["record_key"])
    return found


def expected_counts(fake: FakeWolkvox) -> dict[str, int]:
    return {
        stream: len(
            fake.report_rows_between(
                by_stream(stream).api, "2026-01-01 00:00:00", "2026-03-31 23:59:59"
            )
        )
        for stream in FOUR
    }


def test_four_streams_keep_their_own_bookmarks_and_a_kill_loses_nothing(fake, tmp_path) -> None:
    four_streams(fake)
    fake.cap = SMALL_CAP
    fake.rule = lambda call: Fault("slow", seconds=0.05)
    config = tap_config(
        fake, start_date="2026-01-01", end_date="2026-04-01", max_records_per_request=SMALL_CAP
    )
    catalog = write_catalog(tmp_path, config, FOUR)
    (tmp_path / "config.json").write_text(json.dumps(config))
    third: set[str] = set()  # streams run in name order: agent_events, calls, chatbot_..., chats

    def in_the_third(_number: int, line: str) -> bool:
        bookmarks = json.loads(line)["value"]["bookmarks"]
        third.add(bookmarks.get("chatbot_interactions", {}).get("replication_key_value", ""))
        return len(third - {""}) == 2  # the third stream has completed two windows

    killed = run_until_state(tmp_path, config, signal.SIGKILL, in_the_third, extra=catalog)
    assert killed.returncode == -signal.SIGKILL
    state = killed.states[-1]
    assert set(state["bookmarks"]) >= {"agent_events", "calls", "chatbot_interactions"}
    assert "chats" not in state["bookmarks"]
    fake.rule = None
    resumed = run_tap(tmp_path, config, state=state, args=catalog)
    assert resumed.returncode == 0, resumed.stderr
    bookmarks = resumed.states[-1]["bookmarks"]
    for stream in FOUR:
        assert bookmarks[stream]["replication_key"] == column_name(by_stream(stream).filter_field)
        assert bookmarks[stream]["replication_key_value"] == "2026-04-01T05:00:00+00:00"
    found = keys_by_stream(killed, resumed)
    assert {stream: len(keys) for stream, keys in found.items()} == expected_counts(fake)


def test_a_quota_stop_in_the_middle_keeps_everything_before_it(fake, tmp_path) -> None:
    four_streams(fake)
    fake.cap = SMALL_CAP
    config = tap_config(
        fake, start_date="2026-01-01", end_date="2026-04-01", max_records_per_request=SMALL_CAP
    )
    catalog = write_catalog(tmp_path, config, FOUR)
    fake.quota = 12
    stopped = run_tap(tmp_path, config, args=catalog)
    assert stopped.returncode == 1
    (line,) = our_errors(stopped)
    assert QUOTA_MSG in line
    assert "unhandled error" not in stopped.stderr
    read_before = {call.api for call in fake.calls}
    assert len(read_before) < len(FOUR)  # the stop came before the last stream
    fake.quota = None
    resumed = run_tap(tmp_path, config, state=stopped.states[-1], args=catalog)
    assert resumed.returncode == 0, resumed.stderr
    found = keys_by_stream(stopped, resumed)
    assert {stream: len(keys) for stream, keys in found.items()} == expected_counts(fake)


def test_a_report_missing_on_the_server_fails_only_its_stream(fake, tmp_path) -> None:
    four_streams(fake)
    fake.unavailable = {"chat_1"}
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-04-01")
    run = run_tap(tmp_path, config, args=write_catalog(tmp_path, config, FOUR))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    (line,) = our_errors(run)
    assert line.split("| ")[-1].startswith("chats (report chat_1): HTTP 400")
    assert "meltano select tap-wolkvox --exclude chats" in line
    bookmarks = run.states[-1]["bookmarks"]
    for stream in ("chatbot_interactions", "calls", "agent_events"):
        assert bookmarks[stream]["replication_key_value"] == "2026-04-01T05:00:00+00:00"
    assert "replication_key_value" not in bookmarks.get("chats", {})


def test_the_plain_command_line_reads_only_chatbot_interactions(fake, tmp_path) -> None:
    four_streams(fake)
    run = run_tap(tmp_path, tap_config(fake, start_date="2026-01-01", end_date="2026-02-01"))
    assert run.returncode == 0, run.stderr
    assert {call.api for call in fake.calls} == {"diagram_9"}
    assert {m["stream"] for m in run.messages if m["type"] == "RECORD"} == {"chatbot_interactions"}
    assert "Selected streams (1): chatbot_interactions;" in run.stderr
    assert "288 calls a day" in run.stderr
    assert "more than half" not in run.stderr


def test_the_start_up_log_warns_when_the_selection_would_eat_the_quota(fake, tmp_path) -> None:
    config = tap_config(fake, start_date="2026-01-01", end_date="2026-01-02")
    run = run_tap(tmp_path, config, args=write_catalog(tmp_path, config, FOUR))
    assert run.returncode == 0, run.stderr
    assert "Selected streams (4): agent_events, calls, chatbot_interactions, chats; at one" in (
        run.stderr
    )
    assert "at one run every 5 minutes that is about 1152 calls a day" in run.stderr
    assert "1152 calls a day is more than half the daily quota" in run.stderr


def test_the_connection_test_costs_one_call(fake, tmp_path) -> None:
    """``--test`` reads the first window of chatbot_interactions and stops: one call, even
    over a long, empty range. (The SDK's ``--test`` reads no ``--catalog``.)"""
    run = run_tap(tmp_path, tap_config(fake, start_date="2025-01-01"), args=["--test"])
    assert run.returncode == 0, run.stderr
    assert len(fake.calls) == 1
