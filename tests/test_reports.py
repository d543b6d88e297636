"""The report registry: complete, consistent, and diagram_9 exactly as the tap reads it.

Self-contained on purpose: the catalogue it was written from lives outside the repo, so
the facts that make the public interface (stream names, parameters, caps) are pinned
here as literals.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import sys
from pathlib import Path

import pytest

from tap_wolkvox import reports
from tap_wolkvox.reports import REPORTS, Report, by_api, by_stream

# Report id -> stream name, for all 41 `event` reports. Stream names are public.
EXPECTED_STREAMS = {
    "diagram_9": "chatbot_interactions",
    "agent_10": "hold_mute_events",
    "agent_13": "agent_transfers",
    "agent_13_1": "transfer_details",
    "agent_14": "agent_events",
    "agent_15": "preview_calls",
    "skill_2": "abandoned_calls",
    "skill_10": "answered_calls",
    "cdr_1": "calls",
    "cdr_3": "sms",
    "cdr_5": "unconnected_calls",
    "cdr_7": "nlp_usage",
    "cdr_9": "emails",
    "cdr_10": "cobrowsing_sessions",
    "cdr_11": "released_customers",
    "diagram_1": "ivr_calls",
    "diagram_3": "smart_wait_callbacks",
    "diagram_4": "survey_responses",
    "diagram_7": "asr_events",
    "diagram_8": "tts_events",
    "diagram_11": "ivr_to_agent_calls",
    "diagram_12": "sentiment_events",
    "diagram_13": "menu_option_events",
    "diagram_15": "voice_conversations",
    "quality_2": "quality_evaluations",
    "quality_3": "quality_evaluation_attributes",
    "campaign_3": "campaign_attempts",
    "campaign_7": "amd_detections",
    "campaign_9": "whatsapp_campaign_records",
    "chat_1": "chats",
    "chat_4": "chat_cases",
    "chat_8": "chatbot_handoffs",
    "chat_9": "interaction_transfers",
    "chat_10": "whatsapp_billing",
    "chat_11": "chat_transfers",
    "chat_12": "agent_sent_interactions",
    "chat_14": "click_to_whatsapp",
    "speech_1": "speech_calls",
    "wizard_1": "copilot_answers",
    "wizard_2": "copilot_positive_ratings",
    "wizard_3": "copilot_negative_ratings",
}

EXPECTED_PARAMS = {
    "skill_2": (("skill_id", "all"),),
    "skill_10": (("skill_id", "all"),),
    "diagram_1": (("customer_id", ""),),
    "campaign_3": (("campaign_id", "all"),),
    "campaign_7": (("campaign_id", "all"),),
    "campaign_9": (("campaign_id", "all"),),
    "chat_4": (("attach_array", "no"), ("include_attachments", "false")),
}

TWO_TIMESTAMP_REPORTS = {"chat_4", "chat_8", "diagram_3", "campaign_9", "agent_14", "cdr_10"}

# What the tap has always read from diagram_9, copied rather than imported so that a
# change on either side shows.
DIAGRAM_9_FIELDS = (
    "session_id",
    "channel",
    "rp_id",
    "date",
    "customer_name",
    "customer_email",
    "customer_phone",
    "customer_query",
    "routing_answer",
    "customer_id",
    "conn_id",
)

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
REPORT_ID = re.compile(r"[a-z]+_[0-9]+(?:_[0-9]+)?")


def known_fields(report: Report) -> set[str]:
    return set(report.fields) | set(report.known_extra_fields)


def test_every_event_report_once_with_its_catalogue_stream_name():
    assert len(REPORTS) == 41
    assert {report.api: report.stream for report in REPORTS} == EXPECTED_STREAMS


def test_names_are_unique_and_well_formed():
    streams = [report.stream for report in REPORTS]
    apis = [report.api for report in REPORTS]
    assert len(set(streams)) == len(streams)
    assert len(set(apis)) == len(apis)
    assert all(SNAKE_CASE.fullmatch(name) for name in streams), streams
    assert all(REPORT_ID.fullmatch(api) for api in apis), apis


def test_lookups_find_every_entry_and_refuse_unknown_names():
    for report in REPORTS:
        assert by_stream(report.stream) is report
        assert by_api(report.api) is report
    with pytest.raises(KeyError, match="nope"):
        by_stream("nope")
    with pytest.raises(KeyError, match="agent_99"):
        by_api("agent_99")


def test_chatbot_interactions_comes_first_exactly_as_today():
    first = REPORTS[0]
    assert first.api == "diagram_9"
    assert first.stream == "chatbot_interactions"
    assert first.fields == DIAGRAM_9_FIELDS
    assert first.time_fields == ("date",)
    assert first.filter_field == "date"
    assert first.row_cap == 6000
    assert first.params == ()
    assert first.key_fields is None
    assert first.known_extra_fields == ()
    assert first.fixed_utc_offset_hours is None


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.stream)
def test_time_fields_and_filter_field_are_known_fields(report: Report):
    assert report.time_fields
    assert len(set(report.time_fields)) == len(report.time_fields)
    assert set(report.time_fields) <= known_fields(report)
    assert report.filter_field in known_fields(report)
    assert report.filter_field in report.time_fields
    assert set(report.fields).isdisjoint(report.known_extra_fields)
    assert len(set(report.fields)) == len(report.fields)


def test_reports_with_two_timestamps_say_why_they_filter_on_one():
    for report in REPORTS:
        if len(report.time_fields) > 1 or report.filter_field != report.time_fields[0]:
            assert report.filter_reason, report.api
    two = {
        report.api
        for report in REPORTS
        if len(set(report.time_fields) & set(report.fields)) == 2  # documented ones only
    }
    assert two == TWO_TIMESTAMP_REPORTS


def test_chat_1_filters_on_its_undocumented_close_date():
    chats = by_api("chat_1")
    assert chats.filter_field == "date_close"
    assert "date_close" not in chats.fields
    assert set(chats.known_extra_fields) == {
        "date_close",
        "agent_average_response_time",
        "transfer",
    }
    assert "date" in chats.time_fields


def test_row_caps_are_the_pages_caps():
    caps = {report.api: report.row_cap for report in REPORTS}
    assert caps.pop("diagram_9") == 6000
    assert set(caps.values()) == {60_000}


def test_params_are_the_catalogues_send_params():
    params = {report.api: report.params for report in REPORTS if report.params}
    assert params == EXPECTED_PARAMS
    for report in REPORTS:
        names = [name for name, _ in report.params]
        assert reports.RESERVED_PARAMS.isdisjoint(names)
        assert all(isinstance(value, str) for _, value in report.params)


def test_only_campaign_3_has_a_fixed_zone():
    offsets = {report.api: report.fixed_utc_offset_hours for report in REPORTS}
    assert offsets.pop("campaign_3") == -5
    assert set(offsets.values()) == {None}


def test_key_fields_are_documented_fields_with_a_reason():
    keyed = {report.api: report for report in REPORTS if report.key_fields is not None}
    assert set(keyed) == {"chat_4", "campaign_9", "diagram_3"}
    for report in keyed.values():
        assert report.key_fields
        assert set(report.key_fields) <= set(report.fields)
        assert report.key_reason
    # The fields that change after a first read must not be part of the id.
    assert not {"status", "close_date"} & set(keyed["chat_4"].key_fields or ())
    assert not {"status", "last_update"} & set(keyed["campaign_9"].key_fields or ())


def test_only_chatbot_interactions_is_selected_by_default():
    selected = [report.stream for report in REPORTS if report.selected_by_default]
    assert selected == ["chatbot_interactions"]


def test_field_names_are_kept_verbatim():
    assert by_api("campaign_9").fields[0] == "campaing_id"
    assert by_api("chat_1").fields[-1] == "agent_anwers "  # trailing space, as sent
    assert "destinity" in by_api("agent_14").fields
    assert "explation" in by_api("wizard_3").fields
    assert "yes/no" in by_api("quality_3").fields


def test_descriptions_are_one_english_line_about_a_row():
    for report in REPORTS:
        assert report.description.startswith("one row per "), report.api
        assert "\n" not in report.description
        assert not report.description.endswith(".")
    assert by_api("cdr_1").description == "one row per call"


def test_entries_are_frozen_and_hashable():
    report = REPORTS[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.row_cap = 1  # type: ignore[misc]
    assert len(set(REPORTS)) == len(REPORTS)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"filter_field": "conn_id"}, "filter_field must be a time field"),
        ({"time_fields": ("nowhere",), "filter_field": "nowhere"}, "time_fields"),
        ({"key_fields": ("status",)}, "key_fields must name documented fields"),
        ({"key_fields": ("date",)}, "key_fields need a reason"),
        ({"params": (("date_ini", "x"),)}, "params must not repeat"),
        ({"known_extra_fields": ("date",)}, "also documented"),
        ({"time_fields": ("date", "conn_id")}, "filter_reason is needed"),
        ({"row_cap": 0}, "row_cap must be positive"),
    ],
)
def test_an_inconsistent_entry_is_refused_at_import(change, problem):
    base = {
        "api": "x_1",
        "stream": "x",
        "description": "one row per x",
        "fields": ("conn_id", "date"),
        "time_fields": ("date",),
        "filter_field": "date",
    }
    Report(**base)  # the base itself is fine
    with pytest.raises(ValueError, match=problem):
        Report(**{**base, **change})


def test_the_registry_imports_nothing_outside_the_standard_library():
    source = Path(reports.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import"
            imported.add((node.module or "").split(".")[0])
    assert imported, "the check saw no import at all"
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
