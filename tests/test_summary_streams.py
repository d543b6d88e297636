"""Every summary report and partitioned event report as a stream, against the fake API.

Generated from the registry: a report added to ``SUMMARY_REPORTS`` is discovered, read
and checked here without a new test. The fake computes each answer from events it
holds (``tests/fake_summaries.py``), so late events change totals as they would live.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections import Counter
from typing import Any

import pytest

from tap_wolkvox.records import REPORT_DATE_FIELD
from tap_wolkvox.reports import PARAMETER_EVENT_REPORTS, SUMMARY_REPORTS, Report, by_api
from tap_wolkvox.state import READS_KEY
from tap_wolkvox.tap import TapWolkvox
from tests.conftest import run_tap, tap_config
from tests.fake_summaries import generate_summary_events, late_summary_events, summary_answer
from tests.fake_wolkvox import PARAMS_MSG, FakeWolkvox, Fault, generate_report_rows
from tests.test_streams import records_of, selecting, sync_in_process

ZONE = zoneinfo.ZoneInfo("America/Bogota")
FIRST = dt.date(2026, 1, 5)
DAYS = 40  # 2026-01-05 to 2026-02-13: two months, so a daily report needs two calls
END_DATE = "2026-02-14"
ONE_DAY = dt.timedelta(days=1)
COD_ACT = ("cod_act1", "cod_act2")


def ids(reports: tuple[Report, ...]) -> list[str]:
    return [report.stream for report in reports]


def partitions(report: Report) -> list[str | None]:
    """The partition values a run with the default settings reads."""
    if report.partition is None:
        return [None]
    return list(report.partition.values or ("all",))


def day_range(first: dt.date, days: int) -> list[dt.date]:
    return [first + offset * ONE_DAY for offset in range(days)]


def expected_rows(
    report: Report, events: list, day: dt.date, partition: str | None
) -> list[dict[str, Any]]:
    """The rows the fake holds for ``day``: what a one-day call answers."""
    answer = summary_answer(
        report,
        events,
        dt.datetime.combine(day, dt.time()),
        dt.datetime.combine(day, dt.time(23, 59, 59)),
        partition,
    )
    if answer is None:
        return []
    return [answer] if isinstance(answer, dict) else answer


def identity(report: Report, record: dict[str, Any], day: str, partition: Any) -> tuple:
    return (day, partition, *(record.get(name) for name in report.dimension_fields))


def as_record(report: Report, row: dict[str, Any]) -> dict[str, Any]:
    """A raw row's time fields as the record holds them: instants in UTC."""
    converted = dict(row)
    for name in report.time_fields:
        if row.get(name):
            local = dt.datetime.fromisoformat(row[name]).replace(tzinfo=ZONE)
            converted[name] = local.astimezone(dt.UTC).isoformat()
    return converted


def backfill(report: Report, capsys, **settings: Any) -> tuple[FakeWolkvox, list, list[dict]]:
    fake = FakeWolkvox()
    events = generate_summary_events(report, FIRST, DAYS, per_day=12, entities=3, seed=3)
    fake.set_summary_events(report.api, events)
    fake.start()
    try:
        config = tap_config(
            fake, start_date=FIRST.isoformat(), end_date=END_DATE, timezone=ZONE.key, **settings
        )
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    return fake, events, messages


CATALOG = {
    entry["tap_stream_id"]: entry
    for entry in TapWolkvox(
        config={"server": "0032", "token": "t", "start_date": "2026-01-01"}
    ).catalog_dict["streams"]
}


@pytest.mark.parametrize("report", SUMMARY_REPORTS, ids=ids(SUMMARY_REPORTS))
def test_discovery_keys_a_summary_stream_by_record_key_and_bookmarks_report_date(
    report: Report,
) -> None:
    entry = CATALOG[report.stream]
    assert entry["key_properties"] == ["record_key"]
    assert entry["replication_key"] == REPORT_DATE_FIELD
    assert entry["replication_method"] == "INCREMENTAL"
    properties = entry["schema"]["properties"]
    assert properties[REPORT_DATE_FIELD]["format"] == "date"
    for name, inner in report.nested_fields:
        assert properties[name]["type"] == ["array", "null"]
        assert set(inner) <= set(properties[name]["items"]["properties"])
    for name in report.inner_fields:
        if name not in report.row_fields:
            assert name not in properties  # an inner field is no top-level column
    (top,) = [m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == []]
    assert top["selected-by-default"] is False


@pytest.mark.parametrize("report", SUMMARY_REPORTS, ids=ids(SUMMARY_REPORTS))
def test_a_40_day_backfill_reads_each_day_once_with_its_report_date_and_keys(
    report: Report, capsys
) -> None:
    fake, events, messages = backfill(report, capsys)
    calls = fake.report_calls()
    per_partition = 2 if report.kind == "daily" else DAYS
    assert len(calls) == per_partition * len(partitions(report))
    assert all(call.status in {200, 404} for call in calls), [c.status for c in calls]
    if report.kind == "one_day":
        asked = Counter((call.date_ini, call.date_end) for call in calls)
        assert asked == Counter(
            {
                (f"{day:%Y%m%d}000000", f"{day:%Y%m%d}235959"): len(partitions(report))
                for day in day_range(FIRST, DAYS)
            }
        )
    else:
        assert sorted({(c.date_ini, c.date_end) for c in calls}) == [
            ("20260105000000", "20260131235959"),
            ("20260201000000", "20260213235959"),
        ]
    records = records_of(messages, report.stream)
    field = report.partition.record_field if report.partition else None
    got = Counter(
        identity(report, r, r[REPORT_DATE_FIELD], r.get(field) if field else None) for r in records
    )
    wanted = Counter(
        identity(report, as_record(report, row), day.isoformat(), value)
        for value in partitions(report)
        for day in day_range(FIRST, DAYS)
        for row in expected_rows(report, events, day, value)
    )
    assert got == wanted
    assert sum(wanted.values()) >= DAYS  # every day has rows: nothing passes vacuously
    assert len({r["record_key"] for r in records}) == len(records)
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    entry = states[-1]["bookmarks"][report.stream]
    settled = [entry] if report.partition is None else entry["partitions"]
    assert [state["replication_key_value"] for state in settled] == ["2026-02-13"] * len(
        partitions(report)
    )


def without_key(record: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in record.items() if k != "record_key"}, sort_keys=True)


@pytest.mark.parametrize("report", SUMMARY_REPORTS, ids=ids(SUMMARY_REPORTS))
def test_a_re_read_after_late_events_changes_measures_not_keys(report: Report, capsys) -> None:
    fake = FakeWolkvox()
    events = generate_summary_events(report, FIRST, 3, per_day=12, entities=3, seed=4)
    fake.set_summary_events(report.api, events)
    fake.start()
    config = tap_config(
        fake, start_date=FIRST.isoformat(), end_date="2026-01-08", timezone=ZONE.key
    )
    try:
        before = records_of(sync_in_process(config, (report.stream,), capsys), report.stream)
        late_day = FIRST + ONE_DAY
        fake.add_summary_events(report.api, late_summary_events(report, events, late_day))
        after = records_of(sync_in_process(config, (report.stream,), capsys), report.stream)
    finally:
        fake.stop()

    def of_day(records: list[dict]) -> dict[str, str]:
        return {
            r["record_key"]: without_key(r)
            for r in records
            if r[REPORT_DATE_FIELD] == late_day.isoformat()
        }

    assert of_day(before)
    assert of_day(after).keys() == of_day(before).keys()  # the same rows: replaced on upsert
    assert of_day(after) != of_day(before)  # with new totals

    def other_days(records: list[dict]) -> dict[str, str]:
        return {
            r["record_key"]: without_key(r)
            for r in records
            if r[REPORT_DATE_FIELD] != late_day.isoformat()
        }

    assert other_days(after) == other_days(before)


@pytest.mark.parametrize("report", PARAMETER_EVENT_REPORTS, ids=ids(PARAMETER_EVENT_REPORTS))
def test_a_partitioned_event_report_reads_each_value_with_its_own_bookmark(
    report: Report, capsys
) -> None:
    assert report.partition is not None
    values = report.partition.values or ("101", "102")
    fake = FakeWolkvox()
    for number, value in enumerate(values):
        rows = generate_report_rows(
            report, dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 20), per_day=5, seed=number
        )
        fake.set_report_rows(report.api, rows, partition=value)
    fake.start()
    config = tap_config(fake, end_date="2026-01-20", campaign_ids=["101", "102"])
    try:
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    asked = {call.params[report.partition.param] for call in fake.report_calls()}
    assert asked == set(values)
    records = records_of(messages, report.stream)
    by_value = Counter(r[report.partition.record_field] for r in records)
    assert by_value == {
        value: len(fake.report_rows(report.api, partition=value)) for value in values
    }
    assert len({r["record_key"] for r in records}) == len(records)
    final = [m["value"] for m in messages if m["type"] == "STATE"][-1]
    saved = final["bookmarks"][report.stream]["partitions"]
    assert sorted(p["context"][report.partition.record_field] for p in saved) == sorted(values)
    assert {p["replication_key_value"] for p in saved} == {"2026-01-20T05:00:00+00:00"}


def test_campaign_5_without_explicit_campaign_ids_is_refused_before_any_call(
    fake: FakeWolkvox, tmp_path
) -> None:
    config = tap_config(fake)
    catalog = selecting(config, ("preview_campaign_calls",))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    run = run_tap(tmp_path, config, args=["--catalog", str(tmp_path / "catalog.json")])
    assert run.returncode == 1
    problems = [line for line in run.stderr.splitlines() if "Config: " in line]
    assert len(problems) == 1
    assert "campaign_ids: preview_campaign_calls is selected" in problems[0]
    assert "Traceback" not in run.stderr
    assert fake.calls == []


def test_campaign_reports_read_one_partition_per_campaign_id(capsys) -> None:
    report = by_api("campaign_1")
    fake = FakeWolkvox()
    fake.set_summary_events(
        report.api, generate_summary_events(report, FIRST, 2, per_day=20, seed=1)
    )
    fake.start()
    config = tap_config(
        fake, start_date=FIRST.isoformat(), end_date="2026-01-07", campaign_ids=["101", "103"]
    )
    try:
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    assert sorted(call.params["campaign_id"] for call in fake.report_calls()) == [
        "101",
        "101",
        "103",
        "103",
    ]
    assert {r["campaign_filter"] for r in records_of(messages, report.stream)} == {"101", "103"}


def test_an_unknown_campaign_id_fails_that_stream_with_the_apis_words(capsys, caplog) -> None:
    report = by_api("campaign_1")
    fake = FakeWolkvox()
    fake.set_summary_events(report.api, generate_summary_events(report, FIRST, 1, seed=1))
    fake.start()
    config = tap_config(
        fake, start_date=FIRST.isoformat(), end_date="2026-01-06", campaign_ids=["999"]
    )
    try:
        sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    assert [call.status for call in fake.report_calls()] == [400]
    assert PARAMS_MSG in caplog.text
    assert "campaign_id=999" in caplog.text


# -- settling and refresh, with days relative to now -------------------------------------


def today_in_zone() -> dt.date:
    return dt.datetime.now(ZONE).date()


def state_entry(messages: list[dict], stream: str) -> dict[str, Any]:
    states = [m["value"] for m in messages if m["type"] == "STATE"]
    return dict(states[-1]["bookmarks"][stream])


@pytest.mark.parametrize("api", ["agent_1", "skill_3"])
def test_settled_days_are_never_read_again_and_fresh_unsettled_days_cost_no_call(
    api: str, capsys
) -> None:
    report = by_api(api)
    today = today_in_zone()
    first = today - 5 * ONE_DAY
    fake = FakeWolkvox()
    events = generate_summary_events(report, first, 6, per_day=12, seed=2)
    fake.set_summary_events(api, events)
    fake.start()
    config = tap_config(fake, start_date=first.isoformat(), end_date=None, timezone=ZONE.key)
    try:
        first_run = sync_in_process(config, (report.stream,), capsys)
        entry = state_entry(first_run, report.stream)
        # Settled: everything up to the day before yesterday; the last two days have reads.
        assert entry["replication_key_value"] == (today - 2 * ONE_DAY).isoformat()
        assert sorted(entry[READS_KEY]) == [(today - ONE_DAY).isoformat(), today.isoformat()]
        calls_after_first = len(fake.report_calls())

        # A run minutes later: the unsettled days were read less than an hour ago.
        state = {"bookmarks": {report.stream: entry}}
        second = TapWolkvox(config=config, state=state, catalog=selecting(config, (report.stream,)))
        second.sync_all()
        capsys.readouterr()
        assert len(fake.report_calls()) == calls_after_first

        # Yesterday's read made stale: only yesterday (and, for a daily report, the later
        # day riding along in the same call) is read; no settled day ever again.
        stale = dict(entry[READS_KEY])
        stale[(today - ONE_DAY).isoformat()] = "2000-01-01T00:00:00+00:00"
        state = {"bookmarks": {report.stream: {**entry, READS_KEY: stale}}}
        TapWolkvox(
            config=config, state=state, catalog=selecting(config, (report.stream,))
        ).sync_all()
        capsys.readouterr()
        new_calls = fake.report_calls()[calls_after_first:]
        assert len(new_calls) == 1
        assert new_calls[0].date_ini == f"{today - ONE_DAY:%Y%m%d}000000"
    finally:
        fake.stop()


# -- caps, stops and odd states ------------------------------------------------------------


def test_a_daily_window_at_the_cap_is_read_day_by_day_and_a_capped_day_fails(
    capsys, caplog
) -> None:
    report = by_api("agent_8_1")  # agents x 48 half hours a day
    fake = FakeWolkvox()
    events = generate_summary_events(report, FIRST, 5, per_day=60, entities=4, seed=6)
    fake.set_summary_events(report.api, events)
    per_day = [len(expected_rows(report, events, FIRST + n * ONE_DAY, None)) for n in range(5)]
    fake.start()
    # A cap above every single day but below the five days together.
    cap = max(per_day) + 1
    config = tap_config(
        fake,
        start_date=FIRST.isoformat(),
        end_date="2026-01-10",
        max_records_per_request=cap,
    )
    try:
        records = records_of(sync_in_process(config, (report.stream,), capsys), report.stream)
        windows = [(c.date_ini[:8], c.date_end[:8]) for c in fake.report_calls()]
        assert windows == [
            ("20260105", "20260109"),
            *[(f"{FIRST + n * ONE_DAY:%Y%m%d}",) * 2 for n in range(5)],
        ]
        assert Counter(r[REPORT_DATE_FIELD] for r in records) == {
            (FIRST + n * ONE_DAY).isoformat(): count for n, count in enumerate(per_day)
        }
        # A cap no single day fits under: the stream fails with one line, nothing bookmarked.
        fake.calls.clear()
        config["max_records_per_request"] = min(per_day)
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    assert "one day cannot be split further" in caplog.text
    entry = state_entry(messages, report.stream)
    assert "replication_key_value" not in entry


def test_a_quota_stop_mid_backfill_then_a_rerun_reads_every_day_once(capsys) -> None:
    report = by_api("agent_1")
    fake = FakeWolkvox(quota=7)
    events = generate_summary_events(report, FIRST, 12, per_day=10, seed=7)
    fake.set_summary_events(report.api, events)
    fake.start()
    config = tap_config(fake, start_date=FIRST.isoformat(), end_date="2026-01-17")
    try:
        first = sync_in_process(config, (report.stream,), capsys)
        entry = state_entry(first, report.stream)
        assert entry["replication_key_value"] == "2026-01-11"  # the 7 days read
        fake.quota = None
        state = {"bookmarks": {report.stream: entry}}
        TapWolkvox(
            config=config, state=state, catalog=selecting(config, (report.stream,))
        ).sync_all()
        second = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    finally:
        fake.stop()
    asked = [call.date_ini[:8] for call in fake.report_calls() if call.status != 403]
    assert asked == [f"{FIRST + n * ONE_DAY:%Y%m%d}" for n in range(12)]  # each day once
    records = records_of(first, report.stream) + records_of(second, report.stream)
    assert Counter(r[REPORT_DATE_FIELD] for r in records) == {
        (FIRST + n * ONE_DAY).isoformat(): len(
            expected_rows(report, events, FIRST + n * ONE_DAY, None)
        )
        for n in range(12)
    }


@pytest.mark.parametrize(
    ("bookmark", "words"),
    [
        ("2026-13-01", "is not a day (YYYY-MM-DD)"),
        ("yesterday", "is not a day (YYYY-MM-DD)"),
        ("2999-01-01", "is after today"),
    ],
)
def test_an_unusable_day_bookmark_stops_the_stream_with_one_line(
    bookmark: str, words: str, fake: FakeWolkvox, tmp_path
) -> None:
    report = by_api("agent_1")
    config = tap_config(fake)
    catalog = selecting(config, (report.stream,))
    (tmp_path / "catalog.json").write_text(json.dumps(catalog))
    state = {
        "bookmarks": {
            report.stream: {"replication_key": "report_date", "replication_key_value": bookmark}
        }
    }
    run = run_tap(tmp_path, config, state, args=["--catalog", str(tmp_path / "catalog.json")])
    assert run.returncode == 1
    errors = [line for line in run.stderr.splitlines() if " ERROR " in line or "[error" in line]
    assert len(errors) == 1, errors
    assert words in errors[0]
    assert "meltano state clear" in errors[0]
    assert "Traceback" not in run.stderr
    assert fake.report_calls() == []


def test_damaged_last_reads_cost_a_call_never_a_day(capsys) -> None:
    report = by_api("agent_1")
    today = today_in_zone()
    fake = FakeWolkvox()
    fake.set_summary_events(
        report.api, generate_summary_events(report, today - 3 * ONE_DAY, 4, seed=5)
    )
    fake.start()
    config = tap_config(
        fake, start_date=(today - 3 * ONE_DAY).isoformat(), end_date=None, timezone=ZONE.key
    )
    state = {
        "bookmarks": {
            report.stream: {
                "replication_key": "report_date",
                "replication_key_value": (today - 2 * ONE_DAY).isoformat(),
                READS_KEY: {(today - ONE_DAY).isoformat(): "garbage", "not a day": "x"},
            }
        }
    }
    try:
        TapWolkvox(
            config=config, state=state, catalog=selecting(config, (report.stream,))
        ).sync_all()
        capsys.readouterr()
    finally:
        fake.stop()
    assert sorted(call.date_ini[:8] for call in fake.report_calls()) == [
        f"{today - ONE_DAY:%Y%m%d}",
        f"{today:%Y%m%d}",
    ]


@pytest.mark.parametrize(
    ("api", "calls"), [("agent_1", 40 * 2 // 2), ("skill_3", 2), ("act_1", 80)]
)
def test_the_quota_plan_counts_a_summary_streams_calls(api: str, calls: int) -> None:
    report = by_api(api)
    config = {
        "server": "0032",
        "token": "t",
        "start_date": FIRST.isoformat(),
        "end_date": END_DATE,
    }
    tap = TapWolkvox(config=config, catalog=selecting(config, (report.stream,)))
    (stream,) = tap.selected_streams()
    assert stream.planned_calls({}, dt.datetime.now(dt.UTC)) == calls


def test_a_day_that_times_out_every_time_fails_its_stream_not_the_run(capsys, caplog) -> None:
    report = by_api("agent_1")
    fake = FakeWolkvox()
    fake.set_summary_events(report.api, generate_summary_events(report, FIRST, 3, seed=2))
    fake.rule = lambda call: (
        Fault("slow", seconds=1.3) if call.date_ini.startswith("20260106") else None
    )
    fake.start()
    # The abandoned call still runs on the server: the next one meets "simultaneous
    # requests" until it ends, and waits that out.
    config = tap_config(
        fake,
        start_date=FIRST.isoformat(),
        end_date="2026-01-08",
        request_timeout=1,
        max_attempts=3,
        retry_wait_seconds=0.5,
    )
    try:
        messages = sync_in_process(config, (report.stream,), capsys)
    finally:
        fake.stop()
    assert "the answer for 2026-01-06 timed out 3 times" in caplog.text
    assert "deselect" in caplog.text
    asked = [call.date_ini[:8] for call in fake.report_calls() if call.status != 403]
    assert asked == ["20260105", "20260106", "20260106", "20260106"]  # stopped: none skipped
    assert state_entry(messages, report.stream)["replication_key_value"] == "2026-01-05"


def test_a_host_clock_ahead_of_the_server_never_settles_a_day_the_server_is_still_in(
    capsys,
) -> None:
    """settle_days 0 settles a day at midnight: the server's midnight, not the host's."""
    report = by_api("agent_1")
    today = today_in_zone()
    # The server's clock is a day behind this host's: for it, today has not begun yet.
    fake = FakeWolkvox(clock_offset=-dt.timedelta(days=1))
    fake.set_summary_events(report.api, generate_summary_events(report, today - 2 * ONE_DAY, 3))
    fake.start()
    config = tap_config(
        fake,
        start_date=(today - 2 * ONE_DAY).isoformat(),
        end_date=None,
        timezone=ZONE.key,
        settle_days=0,
    )
    try:
        entry = state_entry(sync_in_process(config, (report.stream,), capsys), report.stream)
    finally:
        fake.stop()
    # By the host, yesterday is settled; by the server it is its today: not yet.
    assert entry["replication_key_value"] == (today - 2 * ONE_DAY).isoformat()
    assert (today - ONE_DAY).isoformat() in entry[READS_KEY]


def test_damaged_partition_states_are_dropped_with_one_warning(capsys, caplog) -> None:
    report = by_api("act_5")
    fake = FakeWolkvox()
    fake.set_summary_events(report.api, generate_summary_events(report, FIRST, 2, seed=3))
    fake.start()
    config = tap_config(fake, start_date=FIRST.isoformat(), end_date="2026-01-07")
    good = {
        "context": {"cod_act_group": "cod_act1"},
        "replication_key": "report_date",
        "replication_key_value": "2026-01-05",
    }
    state = {"bookmarks": {report.stream: {"partitions": [good, dict(good), {"no": "context"}, 7]}}}
    try:
        TapWolkvox(
            config=config, state=state, catalog=selecting(config, (report.stream,))
        ).sync_all()
        capsys.readouterr()
    finally:
        fake.stop()
    assert f"{report.stream}: dropping 3 partitions of the saved state" in caplog.text
    asked = sorted((call.params["cod_act"], call.date_ini[:8]) for call in fake.report_calls())
    assert asked == [("cod_act1", "20260106"), ("cod_act2", "20260105"), ("cod_act2", "20260106")]


def test_a_last_read_in_the_future_counts_as_no_read(capsys) -> None:
    report = by_api("agent_1")
    today = today_in_zone()
    fake = FakeWolkvox()
    fake.set_summary_events(report.api, generate_summary_events(report, today - ONE_DAY, 2, seed=5))
    fake.start()
    config = tap_config(
        fake, start_date=(today - ONE_DAY).isoformat(), end_date=None, timezone=ZONE.key
    )
    ahead = (dt.datetime.now(dt.UTC) + dt.timedelta(hours=5)).isoformat()
    state = {
        "bookmarks": {
            report.stream: {
                READS_KEY: {(today - ONE_DAY).isoformat(): ahead, today.isoformat(): ahead}
            }
        }
    }
    try:
        TapWolkvox(
            config=config, state=state, catalog=selecting(config, (report.stream,))
        ).sync_all()
        capsys.readouterr()
    finally:
        fake.stop()
    assert len(fake.report_calls()) == 2
