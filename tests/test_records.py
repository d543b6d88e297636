"""Records: right instants, stable keys, nothing dropped."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tap_wolkvox.dates import LocalDates
from tap_wolkvox.records import (
    RecordShaper,
)
from tap_wolkvox.reports import by_api

CHATBOT = by_api("diagram_9")


def keyed_rows(rows):
    shaper = RecordShaper(CHATBOT, LocalDates(zoneinfo.ZoneInfo("UTC")))
    return [
        (record["record_key"], raw) for record, raw in zip(shaper.shape(rows), rows, strict=True)
    ]


def row(**fields: str) -> dict[str, str]:
    base = dict.fromkeys(CHATBOT.fields, "")
    base.update(session_id="s1", channel="whatsapp", date="2026-01-05 10:00:07", conn_id="0")
    base.update(fields)
    return base


@pytest.mark.parametrize(
    ("zone", "local", "expected"),
    [
        ("America/Bogota", "2026-01-05 10:00:07", "2026-01-05T15:00:07+00:00"),
        ("America/Bogota", "2026-12-31 23:59:59", "2027-01-01T04:59:59+00:00"),
        ("UTC", "2026-01-05 10:00:07", "2026-01-05T10:00:07+00:00"),
        ("Asia/Kolkata", "2026-01-05 10:00:07", "2026-01-05T04:30:07+00:00"),
        ("Asia/Kathmandu", "2026-01-05 00:10:00", "2026-01-04T18:25:00+00:00"),
        # Daylight saving: summer and winter offsets of the same zone.
        ("America/Mexico_City", "2026-07-01 12:00:00", "2026-07-01T18:00:00+00:00"),
        ("Europe/Madrid", "2026-07-01 12:00:00", "2026-07-01T10:00:00+00:00"),
        ("Europe/Madrid", "2026-01-01 12:00:00", "2026-01-01T11:00:00+00:00"),
        # The repeated hour when clocks go back: the earlier instant.
        ("Europe/Madrid", "2026-10-25 02:30:00", "2026-10-25T00:30:00+00:00"),
    ],
)
def test_dates_become_the_right_utc_instant(zone: str, local: str, expected: str) -> None:
    assert LocalDates(zoneinfo.ZoneInfo(zone)).to_rfc3339(local) == expected


@given(
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2040, 1, 1)),
    st.sampled_from(["America/Bogota", "Europe/Madrid", "Asia/Kolkata", "UTC", "America/New_York"]),
)
def test_cached_conversion_matches_the_zone_database(moment: dt.datetime, zone: str) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    dates = LocalDates(tz)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    first = dates.to_rfc3339(text)
    again = dates.to_rfc3339(text)  # from the cache
    truth = moment.replace(microsecond=0, tzinfo=tz).astimezone(dt.UTC).isoformat()
    assert first == again == truth


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "2026-01-05",
        "2026-01-05T10:00:07",
        "2026-13-05 10:00:07",
        "2026-01-05 10:00:60",
        "2026-01-05 24:00:00",
        "05/01/2026 10:00:07",
        "x" * 19,
    ],
)
def test_unreadable_dates_are_refused(bad: str) -> None:
    assert LocalDates(zoneinfo.ZoneInfo("UTC")).to_rfc3339(bad) is None


def test_keys_are_stable_distinct_and_order_independent() -> None:
    rows = [row(customer_query=f"q{i}", date=f"2026-01-05 10:00:{i % 60:02d}") for i in range(50)]
    rows += [row(), row()]  # the same turn twice in one second
    rows += [row(extra="a"), row(extra="b")]  # equal but for an undocumented field
    keys = [key for key, _ in keyed_rows(rows)]
    assert len(set(keys)) == len(rows)
    shuffled = rows[:]
    random.Random(1).shuffle(shuffled)
    again = {id(r): key for key, r in keyed_rows(shuffled)}
    by_content = sorted(zip([repr(sorted(r.items())) for r in rows], keys, strict=True))
    by_content_again = sorted((repr(sorted(r.items())), again[id(r)]) for r in shuffled)
    assert sorted(k for _, k in by_content) == sorted(k for _, k in by_content_again)
    for key in keys:
        assert len(key) == 32
        int(key, 16)


def content(raw: dict) -> str:
    return repr(sorted(raw.items()))


def keys_by_content(rows) -> dict[str, list[str]]:
    """Each distinct row content with the keys its copies got (identical copies cannot
    be told apart, so only their set of keys is theirs)."""
    found: dict[str, list[str]] = {}
    for key, raw in keyed_rows(rows):
        found.setdefault(content(raw), []).append(key)
    return {text: sorted(keys) for text, keys in found.items()}


@given(st.randoms(use_true_random=False), st.integers(0, 6))
def test_each_row_keeps_its_own_key_whatever_the_order_and_the_window(rng, neighbours) -> None:
    """Rows equal in every documented field (the same turn twice in one second) are told
    apart by undocumented fields or not at all: each keeps the key it had, whatever the
    API's order and whatever else the window holds; not merely the same set of keys."""
    equals = [row(), row(), row(extra="a"), row(extra="b"), row(extra="a", more="z")]
    others = [row(customer_query=f"q{i}", date="2026-01-05 10:00:0{i}") for i in range(neighbours)]
    reference = keys_by_content(equals)
    assert len({key for keys in reference.values() for key in keys}) == len(equals)
    shuffled = equals + others
    rng.shuffle(shuffled)
    again = keys_by_content(shuffled)
    assert {text: again[text] for text in reference} == reference


def test_a_new_undocumented_field_does_not_change_a_key() -> None:
    ((before, _),) = keyed_rows([row()])
    ((after, _),) = keyed_rows([row(brand_new_field="x")])
    assert before == after


def test_records_keep_every_value_and_every_field() -> None:
    shaper = RecordShaper(CHATBOT, LocalDates(zoneinfo.ZoneInfo("America/Bogota")))
    raw = row(
        customer_email="",
        routing_answer="transfer_skill",
        date_close="2026-01-05",
        agent_average_response_time="00:00:12",
    )
    del raw["customer_id"]  # a documented field can be absent
    (record,) = shaper.shape([raw])
    assert record["customer_email"] == ""
    assert record["routing_answer"] == "transfer_skill"
    assert record["customer_id"] is None
    assert record["date"] == "2026-01-05T15:00:07+00:00"
    assert record["additional_fields"] == {
        "date_close": "2026-01-05",
        "agent_average_response_time": "00:00:12",
    }
    assert shaper.extra_field_names == {"date_close", "agent_average_response_time"}


def test_a_row_with_an_unreadable_date_is_kept_with_its_raw_value() -> None:
    shaper = RecordShaper(CHATBOT, LocalDates(zoneinfo.ZoneInfo("UTC")))
    (record,) = shaper.shape([row(date="ayer")])
    assert record["date"] is None
    assert record["additional_fields"] == {"date": "ayer"}
    assert shaper.bad_dates == 1


def test_non_string_values_become_their_json_text() -> None:
    shaper = RecordShaper(CHATBOT, LocalDates(zoneinfo.ZoneInfo("UTC")))
    (record,) = shaper.shape([row(conn_id=17, rp_id=None)])  # type: ignore[arg-type]
    assert record["conn_id"] == "17"
    assert record["rp_id"] is None


def test_chats_closed_at_different_times_never_share_a_key() -> None:
    """chat_1 is selected by its undocumented date_close: it is part of the key, so two
    chats equal in every documented field get distinct keys in one window or two."""
    chats = by_api("chat_1")
    shaper = RecordShaper(chats, LocalDates(zoneinfo.ZoneInfo("UTC")))
    first = {"conn_id": "1", "date": "2026-01-05 10:00:00", "date_close": "2026-01-05 10:05:00"}
    second = dict(first, date_close="2026-01-07 09:00:00")
    together = {r["date_close"]: r["record_key"] for r in shaper.shape([first, second])}
    apart = {
        r["date_close"]: r["record_key"] for r in [*shaper.shape([first]), *shaper.shape([second])]
    }
    assert together == apart
    assert len(set(together.values())) == 2
