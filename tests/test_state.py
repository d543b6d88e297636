"""The one reader of a stream's saved state: what it trusts, ignores and refuses."""

from __future__ import annotations

import datetime as dt

import pytest

from tap_wolkvox.state import StateError, StreamState, read_stream_state

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def read(state: dict) -> StreamState:
    return read_stream_state("chatbot_interactions", "date", state, now=NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-01T05:00:00+00:00", dt.datetime(2026, 5, 1, 5, tzinfo=dt.UTC)),
        ("2026-05-01T00:00:00-05:00", dt.datetime(2026, 5, 1, 5, tzinfo=dt.UTC)),
        ("2026-05-01T05:00:00Z", dt.datetime(2026, 5, 1, 5, tzinfo=dt.UTC)),
        ("2026-05-01T05:00:00", dt.datetime(2026, 5, 1, 5, tzinfo=dt.UTC)),  # naive: UTC
    ],
)
def test_a_bookmark_is_read_as_an_instant(value: str, expected: dt.datetime) -> None:
    saved = read({"replication_key": "date", "replication_key_value": value})
    assert saved == StreamState(expected)


@pytest.mark.parametrize("state", [{}, {"replication_key": "date"}, {"progress_markers": {}}])
def test_missing_keys_mean_a_first_run(state: dict) -> None:
    assert read(state) == StreamState(None)


@pytest.mark.parametrize("value", ["garbage", 1700000000, "", "2026-13-01", ["2026-01-01"]])
def test_an_unreadable_bookmark_is_refused_with_the_value_and_the_fix(value: object) -> None:
    with pytest.raises(StateError) as caught:
        read({"replication_key": "date", "replication_key_value": value})
    message = str(caught.value)
    assert repr(value) in message
    assert "chatbot_interactions" in message
    assert "meltano state clear" in message
    assert "\n" not in message


def test_a_bookmark_in_the_future_is_refused() -> None:
    soon = NOW + dt.timedelta(seconds=30)  # within the tolerance: clocks differ a little
    assert read({"replication_key_value": soon.isoformat()}).bookmark == soon
    with pytest.raises(StateError, match="later than now"):
        read({"replication_key_value": (NOW + dt.timedelta(hours=1)).isoformat()})


def test_partitions_are_ignored_and_said_so() -> None:
    saved = read(
        {
            "replication_key": "date",
            "replication_key_value": "2026-05-01T05:00:00+00:00",
            "partitions": [{"context": {"channel": "web"}}],
        }
    )
    assert saved.bookmark == dt.datetime(2026, 5, 1, 5, tzinfo=dt.UTC)
    assert saved.ignored == ("partitions",)


def test_a_bookmark_on_another_key_is_not_used() -> None:
    saved = read({"replication_key": "created_at", "replication_key_value": "garbage"})
    assert saved.bookmark is None
    assert saved.ignored == ("a bookmark on 'created_at'",)
