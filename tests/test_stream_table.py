"""README's stream tables are what ``scripts/stream_table.py`` prints from the registry."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
import subprocess
import sys
import zoneinfo
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tap_wolkvox.dates import LocalDates
from tap_wolkvox.records import KEY_FIELD, SummaryShaper, column_name
from tap_wolkvox.reports import (
    ALL_REPORTS,
    PARAMETER_EVENT_REPORTS,
    REPORTS,
    SUMMARY_REPORTS,
    Report,
    by_stream,
)
from tap_wolkvox.streams import ReportStream
from tap_wolkvox.tap import TapWolkvox, calls_a_day
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "stream_table.py"
WRITE = ".venv/bin/python scripts/stream_table.py --write"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stream_table", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stream_table = _load_script()


def _printed() -> str:
    """What the script prints, run from the repository root as the README says."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.rstrip("\n")


def _tables(block: str) -> list[list[list[str]]]:
    """Each Markdown table of ``block``: its rows (header and rule left out) as cells."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in block.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        if current is None:
            current = []
            tables.append(current)
        current.append([cell.strip() for cell in line.split("|")[1:-1]])
    return [table[2:] for table in tables]


def _by_stream(rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0].strip("`"): row for row in rows}


EVENT_ROWS = _by_stream(_tables(stream_table.event_table())[0])
SUMMARY_ROWS = _by_stream(_tables(stream_table.summary_table())[0])
SUMMARY_COLUMNS = {name: i for i, name in enumerate(stream_table.SUMMARY_HEADER)}


def _codes(cell: str) -> list[str]:
    """The inline-code names of a cell, in order."""
    return re.findall(r"`([^`]+)`", cell)


@pytest.fixture(scope="module")
def default_tap() -> TapWolkvox:
    """A tap at the default settings: every stream, with its partitions."""
    config = {"server": "0032", "token": "t", "start_date": "2026-01-01"}
    return TapWolkvox(config=config, parse_env_config=False, validate_config=True)


def test_readme_block_is_what_the_script_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    try:
        block = stream_table.readme_block(readme)
    except ValueError as error:
        pytest.fail(f"README.md: {error}; add the marker lines, then run `{WRITE}`")
    assert block == _printed(), f"README.md's stream tables are stale: run `{WRITE}`"


def test_every_stream_appears_once_in_registry_order() -> None:
    event, summary = _tables(stream_table.stream_table())
    streams = [row[0].strip("`") for row in (*event, *summary)]
    repeated = [name for name, count in Counter(streams).items() if count > 1]
    assert repeated == []
    assert streams == [report.stream for report in ALL_REPORTS]
    assert [row[0].strip("`") for row in event] == [
        report.stream for report in (*REPORTS, *PARAMETER_EVENT_REPORTS)
    ]
    assert [row[0].strip("`") for row in summary] == [report.stream for report in SUMMARY_REPORTS]


def test_each_table_says_how_many_streams_it_lists() -> None:
    block = stream_table.stream_table()
    events = len(REPORTS) + len(PARAMETER_EVENT_REPORTS)
    assert f"**Event streams** ({events})" in block
    assert f"**Summary streams** ({len(SUMMARY_REPORTS)})" in block
    assert (events, len(SUMMARY_REPORTS), len(ALL_REPORTS)) == (43, 60, 103)


def test_event_rows_show_the_registry_facts() -> None:
    rows = EVENT_ROWS
    assert rows["chatbot_interactions"] == [
        "`chatbot_interactions`",
        "`diagram_9`",
        "one row per chatbot turn: a customer message and the routing point's answer",
        "`date`",
        "`record_key` from every documented field",
        "288",
        "yes",
        "6,000 rows per call at most",
    ]
    chats = rows["chats"]
    assert chats[3] == "`date`, `date_close` (filter)"
    assert "`agent_anwers` with a trailing space" in chats[7]
    assert "`agent_anwers `" not in chats[7]
    assert rows["whatsapp_campaign_records"][4] == (
        "`record_key` from `campaing_id`, `telephone`, `date`"
    )
    assert "times always GMT-5" in rows["campaign_attempts"][7]
    assert rows["ivr_calls"][7] == "sends `customer_id=` (empty)"
    assert rows["chat_cases"][7] == "sends `attach_array=no`, `include_attachments=false`"
    assert rows["calls"][5:] == ["288", "no", ""]


def test_partitioned_event_rows_show_their_partitions_in_key_calls_and_notes() -> None:
    coded = EVENT_ROWS["coded_interactions"]
    assert coded[4] == "`record_key` from `cod_act_group` and every documented field"
    assert coded[5] == "576 (2 partitions x 288)"
    assert "`cod_act` (`cod_act1`, `cod_act2`)" in coded[7]
    preview = EVENT_ROWS["preview_campaign_calls"]
    assert preview[4] == (
        "`record_key` from `campaign_filter`, `type_of_row`, `campaign_id`, `conn_id`, "
        "`telephone`, `date`"
    )
    assert preview[5] == "288 per id of `campaign_ids`"
    assert "needs explicit `campaign_ids`" in preview[7]


def _calls_figure(cell: str) -> int:
    match = re.match(r"[\d,]+", cell)
    assert match is not None, cell
    return int(match[0].replace(",", ""))


def test_calls_a_day_are_what_the_tap_plans_at_the_default_settings(
    default_tap: TapWolkvox,
) -> None:
    """Each figure is the tap's own ``calls_a_day`` with ``campaign_ids`` at ``["all"]``."""
    settings = default_tap.settings
    assert (settings.settle_days, settings.snapshot_refresh, settings.campaign_ids) == (
        1,
        dt.timedelta(minutes=60),
        ("all",),
    )
    wrong = {}
    for name, row in (*EVENT_ROWS.items(), *SUMMARY_ROWS.items()):
        stream = default_tap.streams[name]
        assert isinstance(stream, ReportStream)
        planned = calls_a_day(stream, settings)
        if _calls_figure(row[5]) != planned:
            wrong[name] = (row[5], planned)
    assert wrong == {}
    assert len(EVENT_ROWS) + len(SUMMARY_ROWS) == len(default_tap.streams)


def test_calls_a_day_by_kind_and_partition() -> None:
    """The issue's figures: event 288, one_day 49 (today and yesterday hourly, plus the
    settling day), daily 24; times 2 for the cod_act groups; per campaign id."""
    assert SUMMARY_ROWS["agent_daily_states"][5] == "49"
    assert SUMMARY_ROWS["skill_hourly_service_levels"][5] == "49"
    assert SUMMARY_ROWS["agent_half_hourly_states"][5] == "24"
    assert SUMMARY_ROWS["daily_closed_interactions"][5] == "24"
    assert SUMMARY_ROWS["agent_daily_code_counts"][5] == "98 (2 partitions x 49)"
    assert SUMMARY_ROWS["campaign_daily_final_results"][5] == "49 per id of `campaign_ids`"
    for report in SUMMARY_REPORTS:
        figure = _calls_figure(SUMMARY_ROWS[report.stream][5])
        groups = 2 if report.partition is not None and report.partition.values else 1
        assert figure == groups * {"daily": 24, "one_day": 49}[report.kind], report.stream
    text = stream_table.stream_table()
    assert "per partition: 24 for `daily`, 49 for `one_day`" in text
    assert "288 on a 5-minute schedule" in text


def test_summary_rows_show_kind_and_dimensions_from_the_registry() -> None:
    for report in SUMMARY_REPORTS:
        row = SUMMARY_ROWS[report.stream]
        assert row[SUMMARY_COLUMNS["kind"]] == f"`{report.kind}`"
        partition = [] if report.partition is None else [report.partition.record_field]
        dimensions = [column_name(name) for name in report.dimension_fields]
        expected = ["report_date", *partition, *dimensions]
        assert _codes(row[SUMMARY_COLUMNS["dimensions (the key)"]]) == expected, report.stream
    assert SUMMARY_ROWS["agent_daily_code_counts"][4] == (
        "`report_date`, `cod_act_group`, `agent_dni`, `agent_name`, `cod_act`"
    )
    assert SUMMARY_ROWS["campaign_daily_amd_totals"][4] == (
        "`report_date`, `campaign_filter`, `campaign_id`"
    )
    assert SUMMARY_ROWS["click_to_whatsapp_daily_totals"][4] == "`report_date`"
    assert SUMMARY_ROWS["agent_hourly_states"][4] == "`report_date`, `date`, `agent_id`, `hour`"


def _raw_row(report: Report, value: str) -> dict[str, str]:
    return {name: f"{value}-{name}" for name in report.row_fields}


@pytest.mark.parametrize("report", SUMMARY_REPORTS, ids=lambda report: report.api)
def test_the_listed_dimensions_are_what_the_key_hashes(report: Report) -> None:
    """A measure's change keeps the key; a listed column's change (the day, the partition
    value, each dimension) changes it: the table's dimensions are the key's."""
    dates = LocalDates(zoneinfo.ZoneInfo("America/Bogota"))
    day = dt.date(2026, 3, 10)
    value = None if report.partition is None else "cod_act1"

    def key(row: dict[str, str], *, on: dt.date = day, partition: str | None = value) -> str:
        shaped = SummaryShaper(report, dates, partition).shape([row], on, on)
        return str(shaped[0][KEY_FIELD])

    base = _raw_row(report, "a")
    listed = _codes(SUMMARY_ROWS[report.stream][4])
    for name in report.row_fields:
        changed = {**base, name: f"b-{name}"}
        if column_name(name) in listed[1:]:
            assert key(changed) != key(base), f"{name} is listed but not hashed"
        else:
            assert key(changed) == key(base), f"{name} is hashed but not listed"
    assert key(base, on=day + dt.timedelta(days=1)) != key(base)
    if report.partition is not None:
        assert key(base, partition="cod_act2") != key(base)


def test_summary_notes_show_days_buckets_shapes_and_quirks() -> None:
    notes = {name: row[SUMMARY_COLUMNS["notes"]] for name, row in SUMMARY_ROWS.items()}
    assert notes["agent_daily_hour_breakdowns"] == (
        "`bucket_start` in each object of `status_x_hour`, from `hour` (60-minute buckets); "
        "`status_x_hour` kept as an array of objects"
    )
    assert "`agents` kept as an array of objects" in notes["skill_daily_agent_states"]
    assert "`conversation` kept as an array of objects" in notes["chat_conversations"]
    assert notes["daily_call_duration_breakdowns"].startswith(
        "Wolkvox answers one object, not a list: one row a day"
    )
    assert "Wolkvox refuses ranges over 24 hours" in notes["skill_hourly_workforce_needs"]
    assert "`report_date` from `day` (`YYYY-MM-DD-HH`)" in notes["ivr_hourly_totals"]
    assert "`report_date` from `date` (`YYYY-MM-DD`)" in notes["agent_half_hourly_states"]
    assert "`bucket_start` from `hour` (30-minute buckets)" in notes["agent_half_hourly_states"]
    assert "`login`, `logout` in UTC" in notes["agent_daily_states"]
    for report in SUMMARY_REPORTS:
        note = notes[report.stream]
        assert ("sends `skill_id=all`" in note) == (("skill_id", "all") in report.params)
        assert ("`bucket_start`" in note) == bool(report.bucket_field), report.stream
        for name, _ in report.nested_fields:
            assert f"`{name}` kept as an array of objects" in note
        if report.partition is not None:
            assert f"`{report.partition.record_field}` holds the value" in note
        assert ("selected by default" in note) == report.selected_by_default


def test_no_summary_stream_is_selected_by_default() -> None:
    assert [report.stream for report in SUMMARY_REPORTS if report.selected_by_default] == []
    assert by_stream("agent_daily_states").kind == "one_day"


def test_write_rewrites_only_the_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    before, after = "# Title\n\nText.\n\n", "\nMore text.\n"
    markers = f"{stream_table.START_MARKER}\nold table\n{stream_table.END_MARKER}\n"
    readme.write_text(before + markers + after, encoding="utf-8")
    assert stream_table.main(["--write", "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(before + stream_table.START_MARKER + "\n")
    assert text.endswith(stream_table.END_MARKER + "\n" + after)
    assert stream_table.readme_block(text) == stream_table.stream_table()
    assert stream_table.main(["--write", "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "body",
    [
        "# Title\n\nNo markers.\n",
        "<!-- streams:start -->\nonly a start\n",
        "<!-- streams:end -->\n<!-- streams:start -->\n",
    ],
)
def test_write_without_markers_fails_clearly(
    tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(body, encoding="utf-8")
    assert stream_table.main(["--write", "--readme", str(readme)]) == 1
    assert readme.read_text(encoding="utf-8") == body
    error = capsys.readouterr().err
    assert "<!-- streams:start -->" in error
    assert "<!-- streams:end -->" in error
    assert "scripts/stream_table.py --write" in error
