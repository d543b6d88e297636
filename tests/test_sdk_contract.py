"""The private singer-sdk hooks tap-wolkvox relies on still behave as it expects.

``streams.py`` switches off per-record bookmarks by overriding
``Stream._increment_stream_state`` and writes one STATE per window through
``Stream.state_manager`` and ``Stream._write_state_message``. ``tap.py`` overrides
``_validate_config`` and ``_env_var_config`` (one wording for every settings problem),
``invoke`` and the final ``run_connection_test`` (one exit path), and
``_handle_termination`` (a failing exit code on SIGTERM/SIGINT). If a singer-sdk release
renames or changes them, these tests fail before users lose a bookmark.
"""

from __future__ import annotations

import inspect
import json
from importlib.metadata import version

from singer_sdk import Tap
from singer_sdk.plugin_base import PluginBase
from singer_sdk.streams import Stream

from tap_wolkvox.state import SIZING_KEY
from tap_wolkvox.streams import ReportStream
from tap_wolkvox.tap import TapWolkvox
from tests.conftest import tap_config


def test_the_sdk_is_in_the_pinned_range() -> None:
    major, minor, *_ = (int(part) for part in version("singer-sdk").split(".")[:3])
    assert (major, minor) == (0, 54)


def test_the_private_hooks_exist_with_the_expected_shape() -> None:
    assert "latest_record" in inspect.signature(Stream._increment_stream_state).parameters
    assert "self._increment_stream_state(record" in inspect.getsource(Stream._sync_records)
    assert callable(Stream._write_state_message)
    assert "is_flushed" in inspect.getsource(Stream._write_state_message)
    assert ReportStream._increment_stream_state is not (Stream._increment_stream_state)


def test_the_tap_level_hooks_are_still_called_where_the_tap_expects() -> None:
    init = inspect.getsource(PluginBase.__init__)
    assert "self._validate_config(raise_errors=validate_config)" in init
    assert "config_dict.update(self._env_var_config)" in init
    assert "signal.SIGTERM, self._handle_termination" in inspect.getsource(
        PluginBase._setup_signal_handlers
    )
    assert "sys.exit(0)" in inspect.getsource(PluginBase._handle_termination)
    assert "write_state" in inspect.getsource(Tap._handle_termination)
    assert "tap.run_connection_test()" in inspect.getsource(Tap.cb_test)
    # invoke is re-implemented: the SDK's must still take the same options.
    assert list(inspect.signature(Tap.invoke).parameters) == list(
        inspect.signature(TapWolkvox.invoke).parameters
    )
    assert "tap.sync_all()" in inspect.getsource(Tap.invoke)


def test_the_stream_level_hooks_are_still_called_where_the_stream_expects() -> None:
    assert "compare_start_date_fn=self.compare_start_date" in inspect.getsource(
        Stream._write_starting_replication_value
    )
    assert "get_state_partitions" in inspect.getsource(Stream.partitions.fget)


def run_in_process(config: dict, state: dict | None, capsys) -> list[dict]:
    TapWolkvox(config=config, state=state).sync_all()
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_lookback_records_older_than_the_bookmark_do_not_break_the_sort_check(fake, capsys):
    """With the SDK's own per-record bookmarks, a re-read row older than the saved
    bookmark raises InvalidStreamSortException; the override must keep that away."""
    fake.set_rows(
        [
            {"session_id": "a", "date": "2026-01-10 09:30:00"},
            {"session_id": "b", "date": "2026-01-10 09:10:00"},
        ]
    )
    state = {
        "bookmarks": {
            "chatbot_interactions": {
                "replication_key": "date",
                "replication_key_value": "2026-01-10T15:00:00+00:00",
            }
        }
    }
    messages = run_in_process(tap_config(fake, lookback_minutes=60), state, capsys)
    records = [m for m in messages if m["type"] == "RECORD"]
    assert len(records) == 2
    bookmarks = [
        m["value"]["bookmarks"]["chatbot_interactions"]["replication_key_value"]
        for m in messages
        if m["type"] == "STATE"
    ]
    # Never behind the saved bookmark, never a record's date: window ends only.
    assert all(b >= "2026-01-10T15:00:00+00:00" for b in bookmarks)
    assert bookmarks[-1] == "2026-02-01T05:00:00+00:00"


def test_one_state_message_per_completed_window(fake, capsys) -> None:
    messages = run_in_process(
        tap_config(fake, start_date="2026-01-01", end_date="2026-04-01"), None, capsys
    )
    kinds = [m["type"] for m in messages]
    assert kinds.count("STATE") >= 3
    bookmarks = [
        m["value"]["bookmarks"]["chatbot_interactions"].get("replication_key_value")
        for m in messages
        if m["type"] == "STATE"
    ]
    assert {
        "2026-02-01T05:00:00+00:00",
        "2026-03-01T05:00:00+00:00",
        "2026-04-01T05:00:00+00:00",
    } <= set(bookmarks)
    final = messages[-1]["value"]["bookmarks"]["chatbot_interactions"]
    # No progress markers: the bookmark, and what sized the windows (kept for the next run).
    assert set(final) == {"replication_key", "replication_key_value", SIZING_KEY}
