"""Records of summary reports: report_date, bucket_start, nested shapes and keys."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from tap_wolkvox.dates import LocalDates
from tap_wolkvox.records import (
    BUCKET_START_FIELD,
    REPORT_DATE_FIELD,
    SummaryShaper,
    UnreadableDayError,
    bucket_time,
    read_day,
)
from tap_wolkvox.reports import by_api

BOGOTA = LocalDates(zoneinfo.ZoneInfo("America/Bogota"))
DAY = dt.date(2026, 3, 10)


def shape(api: str, rows: list[dict], first: dt.date = DAY, last: dt.date | None = None, **kw):
    shaper = SummaryShaper(by_api(api), kw.pop("dates", BOGOTA), kw.pop("partition", None))
    return shaper.shape(rows, first, last or first)


def agent_1_row(agent: str, calls: str) -> dict:
    return {"agent_id": agent, "agent_name": f"Agent {agent}", "calls": calls, "login": ""}


def test_a_one_day_answer_is_that_day_and_keyed_by_day_and_dimensions_only() -> None:
    first = shape("agent_1", [agent_1_row("1001", "5"), agent_1_row("1002", "7")])
    again = shape("agent_1", [agent_1_row("1002", "9"), agent_1_row("1001", "6")])
    assert [r[REPORT_DATE_FIELD] for r in first] == ["2026-03-10", "2026-03-10"]
    by_agent = {r["agent_id"]: r["record_key"] for r in first}
    # New measures, other row order: the same keys, so an upserting target replaces rows.
    assert {r["agent_id"]: r["record_key"] for r in again} == by_agent
    assert len(set(by_agent.values())) == 2
    other_day = shape("agent_1", [agent_1_row("1001", "5")], dt.date(2026, 3, 11))
    assert other_day[0]["record_key"] != by_agent["1001"]


def test_the_partition_value_is_in_the_record_and_its_key() -> None:
    row = {"cod_act": "Venta", "description_cod_act": "Venta", "total": "3"}
    one = shape("act_5", [row], partition="cod_act1")
    two = shape("act_5", [row], partition="cod_act2")
    assert one[0]["cod_act_group"] == "cod_act1"
    assert two[0]["cod_act_group"] == "cod_act2"
    assert one[0]["record_key"] != two[0]["record_key"]


def test_rows_with_the_same_dimensions_get_occurrence_numbers() -> None:
    records = shape("agent_1", [agent_1_row("1001", "5"), agent_1_row("1001", "7")])
    assert len({r["record_key"] for r in records}) == 2


def test_a_daily_window_takes_each_rows_own_day() -> None:
    rows = [
        {"date": "2026-03-01", "skill_name": "Ventas", "inbound_calls": "4"},
        {"date": "2026-03-02", "skill_name": "Ventas", "inbound_calls": "6"},
    ]
    records = shape("skill_3", rows, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert [r[REPORT_DATE_FIELD] for r in records] == ["2026-03-01", "2026-03-02"]
    assert records[0]["record_key"] != records[1]["record_key"]


@pytest.mark.parametrize("day", ["", "03/01/2026", None, "2026-02-30", "x" * 500])
def test_a_row_of_a_daily_window_with_an_unreadable_day_splits_the_window(
    day: str | None,
) -> None:
    rows = [{"date": day, "skill_name": "Ventas"}]
    with pytest.raises(UnreadableDayError) as raised:
        shape("skill_3", rows, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert len(str(raised.value)) < 120  # one short line, whatever the value
    # Read alone, the day is the one asked for, and the raw value is kept.
    (record,) = shape("skill_3", rows, dt.date(2026, 3, 5))
    assert record[REPORT_DATE_FIELD] == "2026-03-05"
    assert record["date"] == day


def test_a_rows_own_day_keys_it_whatever_the_days_asked_for() -> None:
    """A session of the day before, still open on the day asked, keeps its own day."""
    row = {
        "date": "2026-03-04",
        "agent_id": "1001",
        "login": "2026-03-04 22:00:00",
        "logout": "",
    }
    (alone,) = shape("agent_7", [dict(row)], dt.date(2026, 3, 5))
    (within,) = shape("agent_7", [dict(row)], dt.date(2026, 3, 4), dt.date(2026, 3, 5))
    (beyond,) = shape("agent_7", [dict(row)], dt.date(2026, 3, 5), dt.date(2026, 3, 9))
    assert alone[REPORT_DATE_FIELD] == within[REPORT_DATE_FIELD] == "2026-03-04"
    assert alone["record_key"] == within["record_key"] == beyond["record_key"]


def test_a_day_sent_under_the_reports_other_name_for_it_is_read() -> None:
    # diagram_1_2's example names the field day, its table date: either gives the day.
    for name in ("day", "date"):
        (record,) = shape(
            "diagram_1_2", [{name: "2026-03-02-14", "calls": "3"}], DAY.replace(day=1), DAY
        )
        assert record[REPORT_DATE_FIELD] == "2026-03-02"
        assert record[BUCKET_START_FIELD] == "2026-03-02T19:00:00+00:00"


def test_day_layouts_read_their_leading_part() -> None:
    assert read_day("2026-03-01", "%Y-%m-%d") == dt.datetime(2026, 3, 1)
    assert read_day("2026-03-01 13", "%Y-%m-%d") == dt.datetime(2026, 3, 1)  # skill_7
    assert read_day("2026-03-01-13", "%Y-%m-%d-%H") == dt.datetime(2026, 3, 1, 13)
    assert read_day("2026-03-01", "%Y-%m-%d-%H") is None
    assert read_day(20260301, "%Y-%m-%d") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", dt.time(0)),
        ("7", dt.time(7)),
        ("07", dt.time(7)),
        ("23", dt.time(23)),
        (13, dt.time(13)),
        ("13:00", dt.time(13)),
        ("13:30", dt.time(13, 30)),
        ("13:50:00", dt.time(13, 50)),
        ("13:00 - 13:30", dt.time(13)),
        ("1330", dt.time(13, 30)),  # military time
        ("930", dt.time(9, 30)),
        ("24", None),
        ("2026-03-09 13:00:00", None),
        ("1:00 PM", None),
        ("13h", None),
        ("12:60", None),
        ("", None),
        ("noon", None),
        (None, None),
        (True, None),
    ],
)
def test_bucket_names_give_their_start(value: object, expected: dt.time | None) -> None:
    assert bucket_time(value) == expected


def test_bucket_start_is_the_buckets_instant_in_utc_across_a_clock_change() -> None:
    santiago = LocalDates(zoneinfo.ZoneInfo("America/Santiago"))
    # 2026-04-05: Chile's clocks go back at midnight (00:00 -04 -> 23:00 -03 the day before).
    day = dt.date(2026, 4, 5)
    rows = [{"skill_id": "1", "hour": "01"}, {"skill_id": "1", "hour": "13:00"}]
    records = shape("skill_4", rows, day, dates=santiago)
    expected = [
        dt.datetime(2026, 4, 5, 1, tzinfo=santiago.timezone).astimezone(dt.UTC).isoformat(),
        dt.datetime(2026, 4, 5, 13, tzinfo=santiago.timezone).astimezone(dt.UTC).isoformat(),
    ]
    assert [r[BUCKET_START_FIELD] for r in records] == expected
    assert records[1][BUCKET_START_FIELD] == "2026-04-05T17:00:00+00:00"


def test_an_hour_in_the_day_value_gives_the_bucket_start() -> None:
    (record,) = shape("diagram_1_2", [{"day": "2026-03-10-14", "calls": "3"}])
    assert record[BUCKET_START_FIELD] == "2026-03-10T19:00:00+00:00"  # Bogota is UTC-5


def test_nested_hours_stay_an_array_of_objects_each_with_its_bucket_start() -> None:
    row = {
        "agent_id": "1001",
        "agent_name": "Ana",
        "status_x_hour": [{"hour": "8", "calls": 3}, {"hour": "9", "calls": "4"}],
    }
    (record,) = shape("agent_5", [row])
    assert record["status_x_hour"] == [
        {"hour": "8", "calls": "3", BUCKET_START_FIELD: "2026-03-10T13:00:00+00:00"},
        {"hour": "9", "calls": "4", BUCKET_START_FIELD: "2026-03-10T14:00:00+00:00"},
    ]
    assert BUCKET_START_FIELD not in record  # the hours are nested, not the row
    assert record["additional_fields"] is None


def test_a_nested_array_sent_as_a_numbered_object_is_still_an_array() -> None:
    row = {"skill_name": "Ventas", "agents": {"0": {"agent_id": "1"}, "1": {"agent_id": "2"}}}
    (record,) = shape("agent_11", [row])
    assert record["agents"] == [{"agent_id": "1"}, {"agent_id": "2"}]


def test_a_nested_field_of_an_unexpected_shape_is_kept_raw() -> None:
    row = {"skill_name": "Ventas", "agents": "n/a"}
    (record,) = shape("agent_11", [row])
    assert record["agents"] is None
    assert record["additional_fields"] == {"agents": "n/a"}


def test_cdr_4s_single_object_is_one_row_with_its_ranges_as_objects() -> None:
    data = {
        name: {"calls": 2, "minutes": "1", "cost": "0.5", "percentage": "10"}
        for name in ("0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121")
    }
    (record,) = shape("cdr_4", [data])
    assert record["0_5_seg"] == {"calls": "2", "minutes": "1", "cost": "0.5", "percentage": "10"}
    assert record[REPORT_DATE_FIELD] == "2026-03-10"
    assert record["INTERVAL"] is None
