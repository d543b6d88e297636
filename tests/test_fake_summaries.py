"""The fake's summary reports and partitioned event reports, over HTTP.

The summary streams will trust these answers: if the fake repeated a row within a day,
dropped a partition's filter or wrote an hour the registry does not expect, the tap's
tests would pass against a server that does not exist. Expected values are spelled out
here, not taken from the fake's own tables.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from collections import Counter
from typing import Any

import pytest

from tap_wolkvox.reports import (
    CDR_4_MEASURES,
    CDR_4_RANGES,
    COD_ACT_GROUPS,
    SUMMARY_REPORTS,
    Report,
    by_api,
)
from tests.fake_summaries import (
    SummaryEvent,
    generate_summary_events,
    late_summary_events,
    summary_answer,
)
from tests.fake_wolkvox import (
    EMPTY_MSG,
    PARAMS_MSG,
    FakeWolkvox,
    Fault,
    generate_report_rows,
)
from tests.test_fake_wolkvox import ask

JAN_4 = dt.date(2026, 1, 4)
JAN_5 = dt.date(2026, 1, 5)
JAN_6 = dt.date(2026, 1, 6)
SUMMARY_APIS = [report.api for report in SUMMARY_REPORTS]
LISTS = [report.api for report in SUMMARY_REPORTS if not report.single_object]
DAILY = [report.api for report in SUMMARY_REPORTS if report.kind == "daily"]
COD_ACT = [report.api for report in SUMMARY_REPORTS if report.partition == COD_ACT_GROUPS]
CAMPAIGN = [
    report.api
    for report in SUMMARY_REPORTS
    if report.partition is not None and report.partition.param == "campaign_id"
]
# What each bucketed report writes for events at 13:47:12 and 07:05:00 on 2026-01-05.
BUCKETS = {
    "agent_5": ("13", "7"),
    "agent_6": ("13", "7"),
    "skill_4": ("13", "07"),
    "skill_5": ("13", "07"),
    "skill_7": ("13", "07"),
    "agent_8": ("13:00", "07:00"),
    "agent_8_1": ("13:30", "07:00"),
    "skill_4_1": ("13:30", "07:00"),
    "skill_4_2": ("13:40", "07:00"),
    "diagram_1_2": ("2026-01-05-13", "2026-01-05-07"),
}
BUCKET_PATTERNS = {
    "agent_5": r"(1?[0-9]|2[0-3])",
    "agent_6": r"(1?[0-9]|2[0-3])",
    "skill_4": r"([01][0-9]|2[0-3])",
    "skill_5": r"([01][0-9]|2[0-3])",
    "skill_7": r"([01][0-9]|2[0-3])",
    "agent_8": r"([01][0-9]|2[0-3]):00",
    "agent_8_1": r"([01][0-9]|2[0-3]):[03]0",
    "skill_4_1": r"([01][0-9]|2[0-3]):[03]0",
    "skill_4_2": r"([01][0-9]|2[0-3]):[0-5]0",
    "diagram_1_2": r"2026-01-0[4-6]-([01][0-9]|2[0-3])",
}


def api_day(day: dt.date, days: int = 1) -> tuple[str, str]:
    """``date_ini`` and ``date_end`` of a call for ``days`` whole days from ``day``."""
    last = day + dt.timedelta(days=days - 1)
    return f"{day:%Y%m%d}000000", f"{last:%Y%m%d}235959"


def read(fake: FakeWolkvox, api: str, window: tuple[str, str], partition: str | None = None):
    """(status, envelope) of a call for ``api`` with its parameters and ``partition``."""
    report = by_api(api)
    params = dict(report.params)
    if report.partition is not None and partition is not None:
        params[report.partition.param] = partition
    return ask(fake, api, *window, **params)


def covering(report: Report) -> list[str | None]:
    """Partition values whose answers together hold every event of a report."""
    if report.partition is None:
        return [None]
    return list(report.partition.values) or ["all"]


def answers(fake: FakeWolkvox, api: str, window: tuple[str, str]) -> dict[str | None, Any]:
    """The data of every covering partition for ``window`` (None where it answered 404)."""
    result = {}
    for partition in covering(by_api(api)):
        status, envelope = read(fake, api, window, partition)
        assert status in {200, 404}, envelope
        result[partition] = envelope.get("data")
    return result


def canonical(data: Any) -> Counter[str]:
    rows = [data] if isinstance(data, dict) else data or []
    return Counter(json.dumps(row, sort_keys=True) for row in rows)


def as_counters(data: dict[str | None, Any]) -> dict[str | None, Counter[str]]:
    return {partition: canonical(rows) for partition, rows in data.items()}


def longest(report: Report) -> int:
    """The most days a test reads at once: 3, or 1 for skill_5 (24 hours at most)."""
    return 3 if report.max_window_hours is None else 1


def dimensions(report: Report, data: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [tuple(row[name] for name in report.dimension_fields) for row in data]


def with_events(fake: FakeWolkvox, api: str, days: int = 3, **options: Any) -> list[SummaryEvent]:
    events = generate_summary_events(api, JAN_4, days, **options)
    fake.set_summary_events(api, events)
    return events


def measure_total(data: list[dict[str, Any]] | None, name: str) -> int:
    return sum(int(row[name]) for row in data or [])


# -- shapes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("api", SUMMARY_APIS)
def test_every_summary_report_answers_rows_of_its_row_fields(fake, api) -> None:
    report = by_api(api)
    events = with_events(fake, api)
    partition = covering(report)[0]
    status, envelope = read(fake, api, api_day(JAN_5), partition)
    assert status == 200
    data = envelope["data"]
    first, last = dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 5, 23, 59, 59)
    assert canonical(data) == canonical(summary_answer(api, events, first, last, partition))
    if report.single_object:
        assert list(data) == list(CDR_4_RANGES)
        for totals in data.values():
            assert list(totals) == list(CDR_4_MEASURES)
            assert all(value.isdigit() for value in totals.values())
        assert envelope["msg"] == "1 records were found"
        return
    assert envelope["msg"] == f"{len(data)} records were found"
    nested = dict(report.nested_fields)
    for row in data:
        assert list(row) == list(report.row_fields)
        for name, value in row.items():
            if name in nested:
                assert value
                assert all(list(inner) == list(nested[name]) for inner in value)
                assert all(isinstance(v, str) for inner in value for v in inner.values())
            else:
                assert isinstance(value, str)


@pytest.mark.parametrize("api", LISTS)
def test_dimension_values_never_repeat_within_an_answer(fake, api) -> None:
    report = by_api(api)
    with_events(fake, api, per_day=80)
    days = longest(report) if report.kind == "daily" else 1
    for partition, data in answers(fake, api, api_day(JAN_4, days)).items():
        assert data, partition
        keys = dimensions(report, data)
        assert len(keys) == len(set(keys))
        if not report.dimension_fields:  # chat_15: one row a day
            assert len(data) == 1


@pytest.mark.parametrize("api", ["agent_5", "agent_11"])
def test_nested_objects_do_not_repeat_within_a_row(fake, api) -> None:
    report = by_api(api)
    with_events(fake, api, per_day=120)
    ((name, _),) = report.nested_fields
    key = "hour" if api == "agent_5" else "agent_id"
    (data,) = answers(fake, api, api_day(JAN_5)).values()
    for row in data:
        values = [inner[key] for inner in row[name]]
        assert len(values) == len(set(values))
    assert any(len(row[name]) > 1 for row in data)


def test_agent_5_hours_are_in_order_and_its_chat_2_messages_in_time(fake) -> None:
    with_events(fake, "agent_5", per_day=120)
    with_events(fake, "chat_2", per_day=120)
    (agents,) = answers(fake, "agent_5", api_day(JAN_5)).values()
    for row in agents:
        hours = [int(inner["hour"]) for inner in row["status_x_hour"]]
        assert hours == sorted(hours)
    (chats,) = answers(fake, "chat_2", api_day(JAN_5)).values()
    for row in chats:
        dates = [message["date"] for message in row["conversation"]]
        assert dates == sorted(dates)
        assert all(date.startswith("2026-01-05 ") for date in dates)
        names = {row["agent_name"], row["customer_name"]}
        assert all({m["from_name"], m["to_name"]} == names for m in row["conversation"])


def test_chat_2_keeps_every_message_even_a_repeated_one(fake) -> None:
    (message, *_) = generate_summary_events("chat_2", JAN_5, 1)
    fake.set_summary_events("chat_2", [message, message])
    (row,) = read(fake, "chat_2", api_day(JAN_5))[1]["data"]
    assert row["conversation"] == [message.inner, message.inner]


@pytest.mark.parametrize(
    ("api", "key", "attributes"),
    [
        ("agent_1", "agent_id", ("agent_name", "agent_dni")),
        ("skill_7", "skill_id", ("skill_name",)),
        ("act_1", "cod_act", ("description_cod_act",)),
        ("agent_12", "agent_id", ("agent_name",)),
    ],
)
def test_attributes_follow_their_entity_across_days(fake, api, key, attributes) -> None:
    with_events(fake, api)
    seen: dict[str, set[tuple[str, ...]]] = {}
    for day in (JAN_4, JAN_5, JAN_6):
        for data in answers(fake, api, api_day(day)).values():
            for row in data:
                seen.setdefault(row[key], set()).add(tuple(row[name] for name in attributes))
    assert len(seen) > 1
    assert all(len(values) == 1 for values in seen.values()), seen


def test_agent_11_agents_keep_their_name_and_dni(fake) -> None:
    with_events(fake, "agent_11")
    seen: dict[str, set[tuple[str, str]]] = {}
    for day in (JAN_4, JAN_5, JAN_6):
        (data,) = answers(fake, "agent_11", api_day(day)).values()
        for row in data:
            for agent in row["agents"]:
                seen.setdefault(agent["agent_id"], set()).add(
                    (agent["agent_name"], agent["agent_dni"])
                )
    assert len(seen) > 1
    assert all(len(values) == 1 for values in seen.values())


@pytest.mark.parametrize("api", ["agent_1", "agent_7"])
def test_login_and_logout_are_the_first_and_last_event_of_the_row(fake, api) -> None:
    events = with_events(fake, api)
    (data,) = answers(fake, api, api_day(JAN_5)).values()
    for row in data:
        times = [
            event.at
            for event in events
            if event.subject["agent_id"] == row["agent_id"] and event.at.date() == JAN_5
        ]
        assert row["login"] == f"{min(times):%Y-%m-%d %H:%M:%S}"
        assert row["logout"] == f"{max(times):%Y-%m-%d %H:%M:%S}"


def test_measures_are_the_sums_of_the_events(fake) -> None:
    events = with_events(fake, "agent_1")
    (data,) = answers(fake, "agent_1", api_day(JAN_4, 3)).values()
    for row in data:
        mine = [event for event in events if event.subject["agent_id"] == row["agent_id"]]
        assert row["calls"] == str(sum(event.measures["calls"] for event in mine))
        assert row["aht_outbund"] == str(sum(event.measures["aht_outbund"] for event in mine))


# -- days and buckets -------------------------------------------------------------------------


@pytest.mark.parametrize("api", DAILY)
def test_daily_rows_carry_a_day_of_the_range_in_its_format(fake, api) -> None:
    report = by_api(api)
    with_events(fake, api, days=5)  # Jan 4 to 8; the call asks for Jan 5 to 7
    (data,) = answers(fake, api, api_day(JAN_5, 3)).values()
    days = {dt.datetime.strptime(row[report.day_field], report.day_format).date() for row in data}
    assert days == {JAN_5, JAN_6, dt.date(2026, 1, 7)}
    if api == "diagram_1_2":  # the table's date and the example's day: the same hour
        assert all(row["date"] == row["day"] for row in data)
    if api == "skill_7":
        assert all(re.fullmatch(r"2026-01-0[5-7]", row["date"]) for row in data)


def test_bucketed_reports_are_the_ones_the_tests_know() -> None:
    bucketed = {report.api for report in SUMMARY_REPORTS if report.bucket_field}
    assert bucketed == set(BUCKETS) == set(BUCKET_PATTERNS)


def bucket_values(report: Report, data: list[dict[str, Any]]) -> list[str]:
    if report.bucket_parent:
        return [inner[report.bucket_field] for row in data for inner in row[report.bucket_parent]]
    return [row[report.bucket_field] for row in data]


@pytest.mark.parametrize("api", sorted(BUCKETS))
def test_a_bucket_is_written_as_the_report_writes_it(fake, api) -> None:
    report = by_api(api)
    (model, *_) = generate_summary_events(api, JAN_5, 1)
    afternoon = dataclasses.replace(model, at=dt.datetime(2026, 1, 5, 13, 47, 12))
    morning = dataclasses.replace(model, at=dt.datetime(2026, 1, 5, 7, 5, 0))
    fake.set_summary_events(api, [afternoon, morning])
    status, envelope = read(fake, api, api_day(JAN_5), model.partition or None)
    assert status == 200
    assert sorted(bucket_values(report, envelope["data"])) == sorted(BUCKETS[api])


@pytest.mark.parametrize("api", sorted(BUCKET_PATTERNS))
def test_every_generated_bucket_has_the_report_s_layout(fake, api) -> None:
    report = by_api(api)
    with_events(fake, api, per_day=200)
    values = [
        value
        for data in answers(fake, api, api_day(JAN_4, longest(report))).values()
        for value in bucket_values(report, data)
    ]
    assert len(set(values)) > 10
    assert all(re.fullmatch(BUCKET_PATTERNS[api], value) for value in values), values


# -- late events ------------------------------------------------------------------------------


@pytest.mark.parametrize("api", SUMMARY_APIS)
def test_late_events_change_a_day_s_totals_not_its_rows(fake, api) -> None:
    report = by_api(api)
    events = with_events(fake, api)
    before = answers(fake, api, api_day(JAN_5))
    other_day = answers(fake, api, api_day(JAN_6))
    late = late_summary_events(api, events, JAN_5)
    assert len(late) == 5
    assert all(event.at.date() == JAN_5 for event in late)
    fake.add_summary_events(api, late)
    after = answers(fake, api, api_day(JAN_5))
    assert after.keys() == before.keys()
    changed = False
    for partition, data in after.items():
        if report.single_object:
            assert data.keys() == before[partition].keys()
        else:
            assert set(dimensions(report, data)) == set(dimensions(report, before[partition]))
            assert len(data) == len(before[partition])
        changed |= canonical(data) != canonical(before[partition])
    assert changed
    assert as_counters(answers(fake, api, api_day(JAN_6))) == as_counters(other_day)


def test_no_late_events_for_a_day_without_events() -> None:
    events = generate_summary_events("agent_1", JAN_4, 1)
    assert late_summary_events("agent_1", events, JAN_6) == []


# -- refusals and the common behaviour --------------------------------------------------------


@pytest.mark.parametrize("api", SUMMARY_APIS)
def test_a_range_without_events_is_404(fake, api) -> None:
    with_events(fake, api, days=1)  # Jan 4 only
    for partition in covering(by_api(api)):
        status, envelope = read(fake, api, api_day(JAN_5), partition)
        assert (status, envelope["msg"]) == (404, EMPTY_MSG)


def test_the_cap_and_truncation_apply_to_summary_rows(fake) -> None:
    events = with_events(fake, "agent_8")
    first, last = dt.datetime(2026, 1, 4), dt.datetime(2026, 1, 6, 23, 59, 59)
    full = summary_answer("agent_8", events, first, last, None)
    assert isinstance(full, list)
    assert len(full) > 5
    fake.cap = 5
    status, envelope = read(fake, "agent_8", api_day(JAN_4, 3))
    assert (status, envelope["data"]) == (200, full[:5])
    assert envelope["msg"] == "5 records were found"
    fake.truncation = "random"
    rows = read(fake, "agent_8", api_day(JAN_4, 3))[1]["data"]
    assert len(rows) == 5
    assert canonical(rows) <= canonical(full)
    assert fake.calls[-1].rows == 5


def test_cdr_4_s_single_object_is_neither_capped_nor_shuffled(fake) -> None:
    with_events(fake, "cdr_4")
    fake.cap = 1
    fake.data_as_object = True
    status, envelope = read(fake, "cdr_4", api_day(JAN_5))
    assert status == 200
    assert list(envelope["data"]) == list(CDR_4_RANGES)


def test_envelope_variants_faults_and_call_records_apply_to_summaries(fake) -> None:
    with_events(fake, "skill_4")
    fake.code_as_int, fake.data_as_object = True, True
    fake.faults.append(Fault("status", 503, "SERVICE UNAVAILABLE"))
    assert read(fake, "skill_4", api_day(JAN_5))[0] == 503
    status, envelope = read(fake, "skill_4", api_day(JAN_5))
    assert (status, envelope["code"]) == (200, 200)
    assert list(envelope["data"]) == [str(number) for number in range(len(envelope["data"]))]
    call = fake.calls[-1]
    assert (call.api, call.params, call.rows) == (
        "skill_4",
        {"skill_id": "all"},
        len(envelope["data"]),
    )
    assert [call.fault for call in fake.calls] == ["status", ""]


def test_skill_reports_need_skill_id_all(fake) -> None:
    with_events(fake, "skill_1")
    status, envelope = ask(fake, "skill_1", *api_day(JAN_5))
    assert (status, envelope["msg"]) == (400, PARAMS_MSG)
    assert ask(fake, "skill_1", *api_day(JAN_5), skill_id="3")[0] == 400


def test_skill_5_refuses_a_range_over_24_hours(fake) -> None:
    with_events(fake, "skill_5")
    assert read(fake, "skill_5", api_day(JAN_5))[0] == 200
    assert read(fake, "skill_5", ("20260105000000", "20260106000000"))[0] == 200  # 24 h
    status, envelope = read(fake, "skill_5", ("20260105000000", "20260106000001"))
    assert status == 400
    assert "24 HOURS" in envelope["msg"]
    with_events(fake, "skill_4")
    assert read(fake, "skill_4", api_day(JAN_4, 3))[0] == 200  # only skill_5 has the limit


def test_summaries_refuse_month_crossing_and_long_ranges(fake) -> None:
    fake.set_summary_events("agent_1", generate_summary_events("agent_1", dt.date(2026, 1, 31), 2))
    assert read(fake, "agent_1", ("20260131000000", "20260201235959"))[0] == 400
    assert read(fake, "agent_1", ("20260101000000", "20260201000001"))[0] == 400
    assert read(fake, "agent_1", api_day(dt.date(2026, 1, 31)))[0] == 200


# -- partitions -------------------------------------------------------------------------------


@pytest.mark.parametrize("api", COD_ACT)
def test_cod_act_groups_are_required_and_disjoint(fake, api) -> None:
    events = with_events(fake, api)
    for wrong in (None, "", "cod_act3", "all", "COD_ACT1"):
        status, envelope = read(fake, api, api_day(JAN_5), wrong)
        assert (status, envelope["msg"]) == (400, PARAMS_MSG), wrong
    groups = answers(fake, api, api_day(JAN_5))
    codes = [{row["cod_act"] for row in groups[group]} for group in ("cod_act1", "cod_act2")]
    assert codes[0]
    assert codes[1]
    assert not codes[0] & codes[1]
    of_the_day = [event for event in events if event.at.date() == JAN_5]
    total = sum(event.measures["count"] for event in of_the_day)
    assert (
        measure_total(groups["cod_act1"], "count") + measure_total(groups["cod_act2"], "count")
        == total
    )
    assert {event.partition for event in of_the_day} == {"cod_act1", "cod_act2"}


@pytest.mark.parametrize("api", CAMPAIGN)
def test_campaign_reports_answer_all_or_one_known_campaign(fake, api) -> None:
    report = by_api(api)
    events = with_events(fake, api)
    for wrong in (None, "", "999", "ALL"):
        status, envelope = read(fake, api, api_day(JAN_5), wrong)
        assert (status, envelope["msg"]) == (400, PARAMS_MSG), wrong
    status, envelope = read(fake, api, api_day(JAN_5), "all")
    assert status == 200
    every = envelope["data"]
    measure = next(name for name in report.row_fields if name not in report.dimension_fields)
    per_campaign = 0
    for campaign in ("101", "102", "103"):
        status, envelope = read(fake, api, api_day(JAN_5), campaign)
        assert status == 200  # every campaign has events on a generated day
        per_campaign += measure_total(envelope["data"], measure)
        if api == "campaign_6":
            assert {row["campaign_id"] for row in envelope["data"]} == {campaign}
    assert per_campaign == measure_total(every, measure)
    assert {event.partition for event in events} == {"101", "102", "103"}


def test_the_campaigns_the_fake_knows_can_change(fake) -> None:
    fake.campaigns = ("7",)
    fake.set_summary_events(
        "campaign_1", generate_summary_events("campaign_1", JAN_5, 1, campaigns=("7",))
    )
    assert read(fake, "campaign_1", api_day(JAN_5), "7")[0] == 200
    assert read(fake, "campaign_1", api_day(JAN_5), "101")[0] == 400


def test_act_3_answers_the_rows_of_the_group_asked_for(fake) -> None:
    start, end = dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 6)
    first = generate_report_rows("act_3", start, end, per_day=30, seed=1)
    second = generate_report_rows("act_3", start, end, per_day=20, seed=2)
    fake.set_report_rows("act_3", first, partition="cod_act1")
    fake.set_report_rows("act_3", second, partition="cod_act2")
    for group, rows in (("cod_act1", first), ("cod_act2", second)):
        status, envelope = read(fake, "act_3", api_day(JAN_5), group)
        assert status == 200
        assert canonical(envelope["data"]) == canonical(rows)
    for wrong in (None, "all", "cod_act3"):
        assert read(fake, "act_3", api_day(JAN_5), wrong) == (
            400,
            {"code": "400", "error": "ERROR", "msg": PARAMS_MSG},
        )
    assert fake.report_rows("act_3", partition="cod_act2") == sorted(
        second, key=lambda row: row["date"]
    )


def test_campaign_5_answers_one_explicit_campaign_and_refuses_all(fake) -> None:
    start, end = dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 6)
    rows = [
        {**row, "campaign_id": "102"}
        for row in generate_report_rows("campaign_5", start, end, per_day=25)
    ]
    fake.add_report_rows("campaign_5", rows, partition="102")
    status, envelope = read(fake, "campaign_5", api_day(JAN_5), "102")
    assert status == 200
    assert canonical(envelope["data"]) == canonical(rows)
    assert read(fake, "campaign_5", api_day(JAN_5), "101")[0] == 404
    for wrong in (None, "all", "999"):
        status, envelope = read(fake, "campaign_5", api_day(JAN_5), wrong)
        assert (status, envelope["msg"]) == (400, PARAMS_MSG), wrong


def test_rows_and_events_go_only_where_they_can_be_read(fake) -> None:
    rows = [{"date": "2026-01-05 10:00:00"}]
    with pytest.raises(ValueError, match="partition"):
        fake.add_report_rows("act_3", rows)  # no group: no call could read them
    with pytest.raises(ValueError, match="partition"):
        fake.add_report_rows("act_3", rows, partition="cod_act3")
    with pytest.raises(ValueError, match="partition"):
        fake.add_report_rows("campaign_5", rows, partition="all")
    with pytest.raises(ValueError, match="partition"):
        fake.add_report_rows("cdr_1", rows, partition="cod_act1")
    with pytest.raises(ValueError, match="summary"):
        fake.add_report_rows("agent_1", rows)
    with pytest.raises(ValueError, match="event report"):
        fake.add_summary_events("cdr_1", [])
    with pytest.raises(KeyError):
        fake.add_summary_events("agent_99", [])


# -- generated events -------------------------------------------------------------------------


def test_generated_events_are_deterministic_and_mostly_in_working_hours() -> None:
    events = generate_summary_events("agent_8", JAN_4, 7, seed=3)
    assert events == generate_summary_events("agent_8", JAN_4, 7, seed=3)
    assert events != generate_summary_events("agent_8", JAN_4, 7, seed=4)
    assert len(events) == 7 * 40
    assert [event.at for event in events] == sorted(event.at for event in events)
    assert {event.at.date() for event in events} == {JAN_4 + dt.timedelta(n) for n in range(7)}
    working = sum(8 <= event.at.hour < 20 for event in events)
    assert working > 0.8 * len(events)


def test_generated_subjects_recur_from_day_to_day() -> None:
    events = generate_summary_events("agent_1", JAN_4, 2, entities=4)
    agents = [{e.subject["agent_id"] for e in events if e.at.date() == d} for d in (JAN_4, JAN_5)]
    assert len(agents[0]) == 4
    assert agents[0] == agents[1]
    assert generate_summary_events("chat_15", JAN_4, 1)[0].subject == {}


@pytest.mark.parametrize("api", SUMMARY_APIS)
def test_generated_events_add_something(api) -> None:
    events = generate_summary_events(api, JAN_4, 1, per_day=10)
    assert all(event.measures or event.inner for event in events)
    assert all(any(event.measures.values()) for event in events if event.measures)
