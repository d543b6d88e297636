"""What a run learned about density survives it: kept in state, used by the next run."""

from __future__ import annotations

import datetime as dt

from tap_wolkvox.state import SIZING_KEY
from tests.conftest import run_tap, tap_config
from tests.fake_wolkvox import Call, FakeWolkvox, report_rows_at


def steady_rows() -> list[dict]:
    """About 1,500 rows a day through March 2026, two rows every 115 seconds."""
    start = dt.datetime(2026, 3, 1)
    moments = [start + dt.timedelta(seconds=115 * n) for n in range(31 * 86400 // 115)]
    return report_rows_at("diagram_9", moments + moments)


def call_span(call: Call) -> dt.timedelta:
    def read(text: str) -> dt.datetime:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S")

    return read(call.date_end) - read(call.date_ini)


def floats_in(value: object) -> list[float]:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for item in value.values() for f in floats_in(item)]
    if isinstance(value, list):
        return [f for item in value for f in floats_in(item)]
    return []


def stream_state(states: list[dict]) -> dict:
    return states[-1]["bookmarks"]["chatbot_interactions"]


def test_a_backfill_in_end_date_chunks_resumes_with_the_density_it_saw(
    fake: FakeWolkvox, tmp_path
) -> None:
    fake.set_rows(steady_rows())
    first = run_tap(tmp_path, tap_config(fake, start_date="2026-03-01", end_date="2026-03-10"))
    assert first.returncode == 0, first.stderr
    saved = stream_state(first.states)
    assert saved[SIZING_KEY]["density"]["hourly"]  # the hourly counts it read
    # Whole numbers and strings only: target-postgres reads state numbers back as decimals.
    assert not floats_in(saved[SIZING_KEY])

    fake.calls.clear()
    second = run_tap(
        tmp_path,
        tap_config(fake, start_date="2026-03-01", end_date="2026-03-31", lookback_minutes=0),
        state=first.states[-1],
    )
    assert second.returncode == 0, second.stderr
    # Sized from the kept density: the first window holds most of a call's worth
    # (about 4 days at 1,500 a day), not the one-day probe of a stream with no history.
    assert call_span(fake.calls[0]) > dt.timedelta(days=2)
    assert all(call.rows < fake.cap_for("diagram_9") for call in fake.calls)

    # The same run from a 0.2.0 state (no sizing kept) still works: it probes a day first.
    fake.calls.clear()
    older = {"bookmarks": {"chatbot_interactions": dict(stream_state(first.states))}}
    del older["bookmarks"]["chatbot_interactions"][SIZING_KEY]
    third = run_tap(
        tmp_path,
        tap_config(fake, start_date="2026-03-01", end_date="2026-03-31", lookback_minutes=0),
        state=older,
    )
    assert third.returncode == 0, third.stderr
    assert {r["record_key"] for r in third.records} == {r["record_key"] for r in second.records}
    assert call_span(fake.calls[0]) < dt.timedelta(days=1)


def test_a_run_that_catches_up_drops_the_sizing(fake: FakeWolkvox, tmp_path) -> None:
    """Caught up, the next runs read minutes: every later STATE stays small."""
    fake.set_rows(steady_rows())
    run = run_tap(tmp_path, tap_config(fake, start_date="2026-03-01", end_date=None))
    assert run.returncode == 0, run.stderr
    assert any(SIZING_KEY in stream_state([state]) for state in run.states)  # while behind
    assert SIZING_KEY not in stream_state(run.states)
