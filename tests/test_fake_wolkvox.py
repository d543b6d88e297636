"""The fake Wolkvox API itself, against the contract, for reports of different shapes.

Every stream test trusts the fake: if it selected chat_1 rows by the wrong timestamp,
ignored a report's cap or accepted a call without the report's parameters, the tap's
tests would pass against a server that does not exist. These tests pin what the fake
does over HTTP, and that its generated rows look like the registry says real rows do.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
import time
from collections import Counter
from typing import Any

import pytest
import requests

from tap_wolkvox.reports import REPORTS, Report, by_api
from tests.conftest import ROOT
from tests.fake_wolkvox import (
    EMPTY_MSG,
    NO_REPORT_MSG,
    OPEN_TIME_FIELDS,
    PARAMS_MSG,
    PATH,
    QUOTA_MSG,
    ROW_DATE,
    Call,
    FakeWolkvox,
    Fault,
    generate_report_burst,
    generate_report_rows,
    trickle,
)

JAN_1 = dt.datetime(2026, 1, 1)
JAN_11 = dt.datetime(2026, 1, 11)
ALL_APIS = [report.api for report in REPORTS]
TWO_TIMESTAMPS = [report.api for report in REPORTS if len(report.time_fields) > 1]
WITH_PARAMS = [report.api for report in REPORTS if report.params]
WITH_KEYS = [report.api for report in REPORTS if report.key_fields]


def ask(fake: FakeWolkvox, api: str | None, first: str, last: str, **params: str):
    """(HTTP status, envelope) of one call, as a client without retries sees it."""
    query = {"api": api, "date_ini": first, "date_end": last, **params}
    response = requests.get(
        f"{fake.base_url}{PATH}",
        params={k: v for k, v in query.items() if v is not None},
        headers={"wolkvox-token": fake.token},
        timeout=10,
        allow_redirects=False,
    )
    return response.status_code, response.json()


def ask_report(fake: FakeWolkvox, api: str, first: str, last: str):
    """A call for ``api`` with the parameters the registry says to send."""
    return ask(fake, api, first, last, **dict(by_api(api).params))


def canonical(rows: list[dict[str, Any]]) -> Counter:
    return Counter(json.dumps(row, sort_keys=True) for row in rows)


def readable(value: str) -> dt.datetime:
    return dt.datetime.strptime(value, ROW_DATE)


# -- selection ---------------------------------------------------------------------------


@pytest.mark.parametrize("api", ALL_APIS)
def test_every_registry_report_is_served_by_its_filter_field(fake, api) -> None:
    report = by_api(api)
    fake.set_report_rows(api, generate_report_rows(api, JAN_1, JAN_11, per_day=40, seed=3))
    status, envelope = ask_report(fake, api, "20260103000000", "20260105235959")
    assert status == 200
    expected = fake.report_rows_between(api, "2026-01-03 00:00:00", "2026-01-05 23:59:59")
    assert expected  # the window does hold rows
    assert canonical(envelope["data"]) == canonical(expected)
    assert envelope["msg"] == f"{len(expected)} records were found"
    for row in envelope["data"]:
        assert "2026-01-03 00:00:00" <= row[report.filter_field] <= "2026-01-05 23:59:59"
    (call,) = fake.calls
    assert (call.api, call.params, call.rows) == (api, dict(report.params), len(expected))
    assert fake.windows(api) == [("20260103000000", "20260105235959")]


def test_chat_1_is_selected_by_its_close_date_not_by_date(fake) -> None:
    opened_before = {
        "conn_id": "1",
        "date": "2026-01-04 22:00:00",
        "date_close": "2026-01-05 08:45:00",
    }
    closed_after = {
        "conn_id": "2",
        "date": "2026-01-05 23:00:00",
        "date_close": "2026-01-06 00:30:00",
    }
    never_closed = {"conn_id": "3", "date": "2026-01-05 10:00:00"}
    blank_close = {"conn_id": "4", "date": "2026-01-05 11:00:00", "date_close": ""}
    fake.set_report_rows("chat_1", [opened_before, closed_after, never_closed, blank_close])
    status, envelope = ask_report(fake, "chat_1", "20260105000000", "20260105235959")
    assert status == 200
    assert envelope["data"] == [opened_before]
    status, envelope = ask_report(fake, "chat_1", "20260106000000", "20260106235959")
    assert envelope["data"] == [closed_after]
    assert len(fake.report_rows("chat_1")) == 4  # kept, just never selected


@pytest.mark.parametrize("api", TWO_TIMESTAMPS)
def test_reports_with_two_timestamps_filter_on_the_registry_choice(fake, api) -> None:
    report = by_api(api)
    (other,) = [name for name in report.time_fields if name != report.filter_field]
    inside = {report.filter_field: "2026-01-05 12:00:00", other: "2026-01-07 12:00:00"}
    outside = {report.filter_field: "2026-01-03 12:00:00", other: "2026-01-05 12:00:00"}
    fake.set_report_rows(api, [inside, outside])
    status, envelope = ask_report(fake, api, "20260105000000", "20260105235959")
    assert (status, envelope["data"]) == (200, [inside])


def test_rows_without_a_filter_value_are_never_returned(fake) -> None:
    fake.set_rows([{"session_id": "a", "date": ""}, {"session_id": "b"}])
    fake.add_rows([{"session_id": "c", "date": "2026-01-05 00:00:00"}])
    status, envelope = ask(fake, "diagram_9", "20260101000000", "20260131235959")
    assert (status, [row["session_id"] for row in envelope["data"]]) == (200, ["c"])
    assert fake.rows_between("", "2026-12-31 23:59:59") == [fake.rows[-1]]


def test_an_empty_window_is_404_validate_dates_for_any_report(fake) -> None:
    fake.set_report_rows("cdr_1", [{"date": "2026-01-05 00:00:00"}])
    status, envelope = ask(fake, "cdr_1", "20260106000000", "20260106235959")
    assert (status, envelope["msg"]) == (404, EMPTY_MSG)


def test_the_diagram_9_methods_are_the_report_methods(fake) -> None:
    rows = [{"session_id": str(n), "date": f"2026-01-0{n} 10:00:00"} for n in (3, 1, 2)]
    fake.set_rows(rows)
    assert fake.rows == fake.report_rows("diagram_9") == sorted(rows, key=lambda r: r["date"])
    fake.add_report_rows("diagram_9", [{"session_id": "4", "date": "2026-01-04 00:00:00"}])
    assert [row["session_id"] for row in fake.rows] == ["1", "2", "3", "4"]
    assert fake.rows_between("2026-01-02 00:00:00", "2026-01-03 10:00:00") == fake.rows[1:3]
    assert fake.report_rows("cdr_1") == []
    with pytest.raises(KeyError):
        fake.set_report_rows("diagram_99", rows)  # a typo fails loudly, not silently


def test_old_call_records_still_construct() -> None:
    call = Call("20260101000000", "20260101235959", 0.0)
    assert (call.api, call.params, call.rows) == ("diagram_9", {}, 0)


# -- caps and truncation -------------------------------------------------------------------


def test_each_report_has_its_own_cap_unless_one_is_set() -> None:
    fake = FakeWolkvox()
    assert fake.cap is None
    assert fake.cap_for("diagram_9") == 6000
    assert {fake.cap_for(api) for api in ALL_APIS if api != "diagram_9"} == {60_000}
    fake.cap = 25
    assert {fake.cap_for(api) for api in ALL_APIS} == {25}


def test_the_cap_cuts_diagram_9_at_6000_and_other_reports_later(fake) -> None:
    hour = dt.timedelta(hours=1)
    start = dt.datetime(2026, 1, 5, 10)
    fake.set_rows(generate_report_burst("diagram_9", start, hour, 6001, seed=4))
    fake.set_report_rows("cdr_1", generate_report_burst("cdr_1", start, hour, 6001, seed=4))
    assert ask(fake, "diagram_9", "20260105000000", "20260105235959")[1]["msg"] == (
        "6000 records were found"
    )
    assert ask(fake, "cdr_1", "20260105000000", "20260105235959")[1]["msg"] == (
        "6001 records were found"
    )
    fake.cap = 100
    assert ask(fake, "cdr_1", "20260105000000", "20260105235959")[1]["msg"] == (
        "100 records were found"
    )
    assert [call.rows for call in fake.calls] == [6000, 6001, 100]


def chats_closing_one_a_minute(count: int) -> list[dict[str, Any]]:
    close = dt.datetime(2026, 1, 5, 8)
    return [
        {
            "conn_id": str(number),
            "date": (close - dt.timedelta(hours=3)).strftime(ROW_DATE),  # all opened together
            "date_close": (close + dt.timedelta(minutes=number)).strftime(ROW_DATE),
        }
        for number in range(count)
    ]


def test_date_order_truncation_keeps_the_earliest_by_the_filter_field(fake) -> None:
    rows = chats_closing_one_a_minute(40)
    fake.set_report_rows("chat_1", reversed(rows))
    fake.cap = 10
    status, envelope = ask_report(fake, "chat_1", "20260105000000", "20260105235959")
    assert status == 200
    assert canonical(envelope["data"]) == canonical(rows[:10])


def test_random_truncation_and_shuffling_apply_to_any_report(fake) -> None:
    rows = chats_closing_one_a_minute(40)
    fake.set_report_rows("chat_1", rows)
    fake.cap, fake.truncation = 10, "random"
    answers = [ask_report(fake, "chat_1", "20260105000000", "20260105235959")[1] for _ in range(3)]
    stored = canonical(rows)
    for envelope in answers:
        assert len(envelope["data"]) == 10
        assert not canonical(envelope["data"]) - stored
    assert any(canonical(envelope["data"]) != canonical(rows[:10]) for envelope in answers)
    fake.cap = None
    data = ask_report(fake, "chat_1", "20260105000000", "20260105235959")[1]["data"]
    assert canonical(data) == stored
    assert data != rows  # shuffled: the API's row order is unknown


# -- refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize("api", ["diagram_99", "", None, "DIAGRAM_9"])
def test_a_report_the_registry_lacks_does_not_exist(fake, api) -> None:
    status, envelope = ask(fake, api, "20260101000000", "20260101235959")
    assert (status, envelope["msg"]) == (400, NO_REPORT_MSG)


def test_a_report_the_server_does_not_offer_does_not_exist(fake) -> None:
    fake.set_report_rows("cdr_1", [{"date": "2026-01-05 10:00:00"}])
    fake.set_report_rows("chat_1", [{"date_close": "2026-01-05 10:00:00"}])
    fake.unavailable = {"cdr_1"}
    status, envelope = ask(fake, "cdr_1", "20260105000000", "20260105235959")
    assert (status, envelope["msg"]) == (400, NO_REPORT_MSG)
    assert ask(fake, "chat_1", "20260105000000", "20260105235959")[0] == 200
    assert [call.api for call in fake.calls] == ["cdr_1", "chat_1"]


@pytest.mark.parametrize("api", WITH_PARAMS)
def test_a_report_parameter_missing_or_different_is_refused(fake, api) -> None:
    params = dict(by_api(api).params)
    window = ("20260105000000", "20260105235959")
    assert ask(fake, api, *window, **params) == (
        404,
        {"code": "404", "error": "ERROR", "msg": EMPTY_MSG},
    )
    for name, value in params.items():
        missing = {k: v for k, v in params.items() if k != name}
        assert ask(fake, api, *window, **missing)[1]["msg"] == PARAMS_MSG
        different = {**params, name: value + "x"}
        assert ask(fake, api, *window, **different) == (
            400,
            {"code": "400", "error": "ERROR", "msg": PARAMS_MSG},
        )
    assert fake.calls[0].params == params


def test_diagram_1_wants_its_customer_id_sent_empty(fake) -> None:
    fake.set_report_rows("diagram_1", [{"date": "2026-01-05 10:00:00", "customer_id": "9"}])
    assert ask(fake, "diagram_1", "20260105000000", "20260105235959", customer_id="")[0] == 200
    assert fake.calls[-1].params == {"customer_id": ""}
    assert ask(fake, "diagram_1", "20260105000000", "20260105235959")[1]["msg"] == PARAMS_MSG


def test_a_report_without_parameters_ignores_extra_ones(fake) -> None:
    fake.set_report_rows("cdr_1", [{"date": "2026-01-05 10:00:00"}])
    assert ask(fake, "cdr_1", "20260105000000", "20260105235959", skill_id="all")[0] == 200


# -- faults, quota and the rest apply to any report ----------------------------------------


def test_faults_rules_and_the_quota_apply_to_any_report(fake) -> None:
    fake.set_report_rows("agent_14", [{"date_ini": "2026-01-05 10:00:00"}])
    fake.set_report_rows("cdr_1", [{"date": "2026-01-05 10:00:00"}])
    window = ("20260105000000", "20260105235959")
    fake.faults.append(Fault("status", 503, "SERVICE UNAVAILABLE"))
    assert ask(fake, "cdr_1", *window)[0] == 503
    fake.rule = lambda call: Fault("status", 500, "BOOM") if call.api == "agent_14" else None
    assert ask(fake, "agent_14", *window)[0] == 500
    assert ask(fake, "cdr_1", *window)[0] == 200
    fake.rule = None
    fake.quota = 1
    assert ask(fake, "agent_14", *window)[0] == 200
    assert ask(fake, "cdr_1", *window) == (403, {"code": "403", "error": "ERROR", "msg": QUOTA_MSG})
    assert [call.fault for call in fake.calls] == ["status", "status", "", "", ""]
    assert not fake.overlapped()


def test_the_envelope_variants_apply_to_any_report(fake) -> None:
    row = {"date_ini": "2026-01-05 10:00:00", "agent_id": "1001"}
    fake.set_report_rows("agent_14", [row])
    fake.code_as_int, fake.data_as_object = True, True
    status, envelope = ask(fake, "agent_14", "20260105000000", "20260105235959")
    assert (status, envelope["code"], envelope["data"]) == (200, 200, {"0": row})


def test_a_month_crossing_or_too_long_window_is_refused_for_any_report(fake) -> None:
    assert ask(fake, "chat_1", "20260131000000", "20260201000000")[0] == 400
    assert ask(fake, "chat_1", "20260101000000", "20260201000001")[0] == 400


# -- generated rows ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> dict[str, list[dict[str, Any]]]:
    return {api: generate_report_rows(api, JAN_1, JAN_11, per_day=60, seed=5) for api in ALL_APIS}


@pytest.mark.parametrize("api", ALL_APIS)
def test_generated_rows_have_every_time_field_readable_and_in_range(generated, api) -> None:
    report = by_api(api)
    rows = generated[api]
    assert 500 <= len(rows) <= 700  # about per_day a day
    filters = [row[report.filter_field] for row in rows]
    assert filters == sorted(filters)
    for row in rows:
        assert all(isinstance(value, str) for value in row.values())
        moment = readable(row[report.filter_field])
        assert JAN_1 <= moment < JAN_11
        for name in report.time_fields:
            if name == report.filter_field:
                continue
            value = row[name]
            if value == "":
                assert name in OPEN_TIME_FIELDS  # not there yet: an open case, no callback
                continue
            other = readable(value)
            if api == "chat_1":
                assert moment - dt.timedelta(hours=24) < other <= moment  # opened, then closed
            else:
                assert moment <= other < JAN_11


@pytest.mark.parametrize("api", ALL_APIS)
def test_generated_rows_carry_extras_and_miss_fields_like_live_rows(generated, api) -> None:
    report = by_api(api)
    rows = generated[api]
    known = set(report.fields) | set(report.known_extra_fields)
    with_extras = [row for row in rows if set(row) - known]
    assert 0.05 * len(rows) < len(with_extras) < 0.2 * len(rows)
    assert all(len(set(row) - known) <= 2 for row in rows)
    missing = [set(report.fields) - set(row) for row in rows]
    assert 0.01 * len(rows) < sum(1 for gap in missing if gap) < 0.12 * len(rows)
    never_missing = set(report.time_fields) | set(report.key_fields or ())
    assert all(len(gap) <= 1 and not gap & never_missing for gap in missing)
    assert all(set(report.known_extra_fields) <= set(row) for row in rows)
    assert any("" in row.values() for row in rows)


def test_generated_values_look_like_their_fields(generated) -> None:
    calls = generated["cdr_1"]
    assert all(row["agent_id"].isdigit() for row in calls if row.get("agent_id"))
    assert all(row["telephone"].startswith("57") for row in calls if row.get("telephone"))
    assert any(" " in row["agent_name"] for row in calls if row.get("agent_name"))
    agent_states = generated["agent_14"]
    for row in agent_states:
        start, end = readable(row["date_ini"]), readable(row["date_end"])
        assert row.get("time", "") in {"", str(int((end - start).total_seconds()))}
    cases = generated["chat_4"]
    assert {row.get("status", "open") for row in cases if row["close_date"] == ""} == {"open"}
    assert "open" not in {row.get("status") for row in cases if row["close_date"]}


def test_chat_1_windows_return_chats_opened_before_them(fake, generated) -> None:
    fake.set_report_rows("chat_1", generated["chat_1"])
    status, envelope = ask_report(fake, "chat_1", "20260105000000", "20260105235959")
    assert status == 200
    opened = [row["date"] for row in envelope["data"]]
    assert any(date < "2026-01-05 00:00:00" for date in opened)
    assert all(row["date"] <= row["date_close"] for row in envelope["data"])


@pytest.mark.parametrize("api", WITH_KEYS)
def test_rows_of_reports_with_key_fields_have_unique_keys(api) -> None:
    fields = by_api(api).key_fields or ()
    burst = generate_report_burst(api, JAN_1, dt.timedelta(seconds=20), 3000, seed=6)
    keys = [tuple(row[name] for name in fields) for row in burst]
    assert len(set(keys)) == len(keys) == 3000
    assert all(all(key) for key in keys)


def test_generation_is_deterministic_for_a_seed() -> None:
    chats = by_api("chat_1")
    assert generate_report_rows(chats, JAN_1, JAN_11, per_day=30, seed=8) == (
        generate_report_rows("chat_1", JAN_1, JAN_11, per_day=30, seed=8)
    )
    assert generate_report_rows(chats, JAN_1, JAN_11, per_day=30, seed=8) != (
        generate_report_rows(chats, JAN_1, JAN_11, per_day=30, seed=9)
    )
    burst = generate_report_burst("cdr_1", JAN_1, dt.timedelta(minutes=5), 50, 3)
    assert burst == generate_report_burst("cdr_1", JAN_1, dt.timedelta(minutes=5), 50, 3)


def test_nights_are_quiet(generated) -> None:
    night = [row for row in generated["cdr_1"] if readable(row["date"]).hour < 7]
    assert len(night) < 0.15 * len(generated["cdr_1"])


def test_nothing_is_generated_for_an_empty_range() -> None:
    assert generate_report_rows("cdr_1", JAN_11, JAN_1, per_day=100) == []
    assert generate_report_rows("cdr_1", JAN_1, JAN_11, per_day=0) == []


@pytest.mark.parametrize("api", ["diagram_9", "chat_1", "agent_14", "chat_4"])
def test_a_burst_packs_exactly_count_rows_into_its_duration(api) -> None:
    report: Report = by_api(api)
    start, duration = dt.datetime(2026, 1, 5, 10), dt.timedelta(minutes=10)
    burst = generate_report_burst(report, start, duration, 700, seed=7)
    assert len(burst) == 700
    assert all(start <= readable(row[report.filter_field]) < start + duration for row in burst)


# -- the sandbox ---------------------------------------------------------------------------


def test_trickle_adds_rows_dated_now_to_the_reports_it_is_given() -> None:
    fake = FakeWolkvox()
    stop = threading.Event()
    thread = threading.Thread(target=trickle, args=(fake, "UTC", 0.01, stop, ("chat_1",)))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not fake.report_rows("chat_1") and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    (row, *_) = fake.report_rows("chat_1")
    age = dt.datetime.now(dt.UTC).replace(tzinfo=None) - readable(row["date_close"])
    assert dt.timedelta(0) <= age < dt.timedelta(minutes=2)
    assert fake.rows  # diagram_9 still trickles too


def test_the_sandbox_serves_diagram_9_and_a_few_other_reports() -> None:
    command = [sys.executable, "-m", "tests.fake_wolkvox", "--port", "0", "--trickle-seconds", "0"]
    started = time.monotonic()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            banner = process.stdout.readline()
            others = process.stdout.readline()
            took = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=10)
    assert banner.startswith("Fake Wolkvox API on http://127.0.0.1:")
    assert "token: fake-token-3f9a1c" in banner
    for api in ("cdr_1", "chat_1", "agent_14"):
        assert f" {api} " in others
    assert took < 10  # about 1 s here; generous for slow CI machines
