"""The summary reports and the partitioned event reports in the registry.

Generated from the reports catalogue: the catalogue facts the registry must honour are
pinned below (``CATALOGUE``, copied from ``../shared/reference/reports-catalogue.json``)
so the tests run on a clone without it, and one test checks the pin against the
catalogue wherever the catalogue is at hand. The registry's own choices (stream names,
kinds, dimensions) are pinned as literals, so that a change on either side shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from tap_wolkvox import reports
from tap_wolkvox.reports import (
    ALL_REPORTS,
    CAMPAIGN_IDS,
    CAMPAIGN_IDS_EXPLICIT,
    COD_ACT_GROUPS,
    DEFAULT_ROW_CAP,
    PARAMETER_EVENT_REPORTS,
    REPORTS,
    SKILL_ALL,
    SUMMARY_REPORTS,
    Partition,
    Report,
)

SHARED_CATALOGUE = Path(__file__).resolve().parents[2] / "shared/reference/reports-catalogue.json"
SUMMARY_KINDS = {"bucketed", "aggregate over the whole window"}
PARAMETER_KIND = "event, needs a parameter choice"

# The catalogue's facts for every report not of kind event (agent_2 included).
PINNED_KEYS = (
    "kind",
    "fields",
    "extra_params",
    "time_fields",
    "fields_only_in_doc_table",
    "fields_only_in_example",
    "example_data_shape",
    "special_limits_es",
)

# fmt: off
CATALOGUE: dict[str, dict[str, Any]] = {
    "agent_1": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "agent_dni", "agent_name", "calls", "inbound", "outbound", "internal",
            "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time", "login_time",
            "aht", "occupancy", "aux_time", "hits", "rpc", "aht_outbund", "aht_inbound", "login",
            "logout",
        ),
    },
    "agent_2": {
        "kind": "event, needs a parameter choice",
        "fields": (
            "agent_id", "agent_status", "time", "date_ini", "date_end", "conn_id",
            "type_interaction", "destiny", "telephone", "campaign_id",
        ),
        "extra_params": ("agent_id",),
        "fields_only_in_example": (
            "agent_id", "agent_status", "time", "date_ini", "date_end", "conn_id",
            "type_interaction", "destiny", "telephone", "campaign_id",
        ),
    },
    "agent_3": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_id", "agent_dni", "agent_name", "aux_state", "time"),
    },
    "agent_4": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "agent_name", "calls", "inbound", "outbound", "internal", "ready_time",
            "inbound_time", "outbound_time", "acw_time", "ring_time", "login_time", "aht",
            "occupancy", "aux_time", "campaign_id",
        ),
    },
    "agent_5": {
        "kind": "bucketed",
        "fields": (
            "agent_name", "agent_id", "status_x_hour", "hour", "calls", "inbound", "outbound",
            "internal", "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time",
            "login_time", "aht", "occupancy", "aux_time",
        ),
        "time_fields": ("hour (nested in status_x_hour)",),
        "fields_only_in_doc_table": (
            "hour", "calls", "inbound", "outbound", "internal", "ready_time", "inbound_time",
            "outbound_time", "acw_time", "ring_time", "login_time", "aht", "occupancy", "aux_time",
        ),
        "example_data_shape": "list of objects; nested: {'status_x_hour': 'list'}",
    },
    "agent_6": {
        "kind": "bucketed",
        "fields": (
            "hour", "calls", "inbound", "outbound", "internal", "ready_time", "inbound_time",
            "outbound_time", "acw_time", "ring_time", "login_time", "aht", "occupancy", "aux_time",
        ),
        "time_fields": ("hour",),
    },
    "agent_7": {
        "kind": "bucketed",
        "fields": (
            "agent_name", "agent_id", "date", "login", "logout", "login_time", "agent_dni",
        ),
        "time_fields": ("date",),
        "fields_only_in_doc_table": ("agent_dni",),
    },
    "agent_8": {
        "kind": "bucketed",
        "fields": (
            "agent_name", "agent_dni", "agent_id", "date", "hour", "calls", "inbound", "outbound",
            "internal", "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time",
            "login_time", "aht", "occupancy", "aux_time",
        ),
        "time_fields": ("date", "hour"),
    },
    "agent_8_1": {
        "kind": "bucketed",
        "fields": (
            "agent_name", "agent_id", "agent_dni", "date", "hour", "calls", "inbound", "outbound",
            "internal", "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time",
            "login_time", "aht", "occupancy", "aux_time",
        ),
        "time_fields": ("date", "hour"),
        "fields_only_in_doc_table": (
            "agent_name", "agent_id", "agent_dni", "date", "hour", "calls", "inbound", "outbound",
            "internal", "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time",
            "login_time", "aht", "occupancy", "aux_time",
        ),
    },
    "agent_9": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_name", "count", "hold_time", "mute_time", "total_time"),
    },
    "agent_11": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_name", "agents", "agent_name", "agent_dni", "agent_id", "calls", "inbound",
            "outbound", "internal", "ready_time", "inbound_time", "outbound_time", "acw_time",
            "ring_time", "login_time", "aht", "occupancy", "aux_time", "hits", "rpc",
            "aht_outbound", "aht_inbound",
        ),
        "fields_only_in_doc_table": (
            "agent_name", "agent_dni", "agent_id", "calls", "inbound", "outbound", "internal",
            "ready_time", "inbound_time", "outbound_time", "acw_time", "ring_time", "login_time",
            "aht", "occupancy", "aux_time", "hits", "rpc", "aht_outbound", "aht_inbound",
        ),
        "example_data_shape": "list of objects; nested: {'agents': 'list'}",
    },
    "agent_12": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_name", "agent_id", "transfer_calls", "conference_calls", "total_time",
            "skill_name",
        ),
        "fields_only_in_doc_table": ("skill_name",),
        "fields_only_in_example": ("agent_name",),
    },
    "agent_16": {
        "kind": "aggregate over the whole window",
        "fields": (
            "id_agent", "agent_name", "calls", "time_preview", "ready", "talk", "not_ready_acw",
            "auxiliary_times", "ring", "total_duration", "preview_percent",
        ),
        "special_limits_es": (
            "Los parámetros `date_ini` y `date_end` permiten definir el rango de fechas que se desea consultar.",
        ),
    },
    "skill_1": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_name", "skill_id", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "abandon", "asa",
            "ata",
        ),
        "extra_params": ("skill_id",),
    },
    "skill_3": {
        "kind": "bucketed",
        "fields": (
            "skill_name", "date", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "wait_time",
            "abandon", "asa", "ata", "aht",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("date",),
    },
    "skill_4": {
        "kind": "bucketed",
        "fields": (
            "skill_id", "hour", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "asa", "abandon",
            "aht", "ata", "att", "acw",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("hour",),
        "fields_only_in_doc_table": (
            "skill_id", "hour", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "asa", "abandon",
            "aht", "ata", "att", "acw",
        ),
    },
    "skill_4_1": {
        "kind": "bucketed",
        "fields": (
            "skill_id", "hour", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "asa", "abandon",
            "ata", "aht", "att", "acw",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("hour",),
        "fields_only_in_doc_table": (
            "skill_id", "hour", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "asa", "abandon",
            "ata", "aht", "att", "acw",
        ),
    },
    "skill_4_2": {
        "kind": "bucketed",
        "fields": (
            "skill_id", "hour", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "asa", "abandon",
            "ata", "aht", "acw", "att",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("hour",),
        "fields_only_in_doc_table": ("aht", "acw", "att"),
    },
    "skill_5": {
        "kind": "bucketed",
        "fields": (
            "skill_id", "hour", "inbound_calls", "inbound_calls_unique_customers", "aht",
            "agents_needed",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("hour",),
        "special_limits_es": (
            "Límite de rango:** El rango de fecha inicial y final no puede superar las 24 horas.",
            "Límite de días consultados en fechas: 1 día.",
            "Esta API sólo puede ser consumida en un rango máximo de 1 día.",
        ),
    },
    "skill_6": {
        "kind": "aggregate over the whole window",
        "fields": (
            "dnis", "inbound_calls", "answer_calls", "abandon_calls", "service_level_10seg",
            "service_level_20seg", "service_level_30seg", "abandon", "asa", "ata",
        ),
        "extra_params": ("skill_id",),
    },
    "skill_7": {
        "kind": "bucketed",
        "fields": (
            "date", "skill_id", "skill_name", "hour", "inbound_calls", "answer_calls",
            "abandon_calls", "service_level_10seg", "service_level_20seg", "service_level_30seg",
            "wait_time", "abandon", "aht", "asa", "ata",
        ),
        "extra_params": ("skill_id",),
        "time_fields": ("date", "hour"),
    },
    "skill_8": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_id", "skill_name", "answer_calls", "answer_0seg_10seg", "answer_11seg_20seg",
            "answer_21seg_30seg", "answer_31seg_40seg", "answer_41seg_50seg",
            "anwers_greater_than_51seg",
        ),
        "extra_params": ("skill_id",),
    },
    "skill_9": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_id", "skill_name", "abandon_calls", "abandon_0seg_10seg", "abandon_11seg_20_seg",
            "abandon_21seg_30seg", "abandon_31seg_40seg", "abandon_41seg_50seg",
            "abandon_greater_than_51seg", "answer_0seg_10seg", "answer_11seg_20seg",
            "answer_21seg_30seg", "answer_31seg_40seg", "answer_41seg_50seg",
            "anwers_greater_than_51seg",
        ),
        "extra_params": ("skill_id",),
        "fields_only_in_doc_table": (
            "answer_0seg_10seg", "answer_11seg_20seg", "answer_21seg_30seg", "answer_31seg_40seg",
            "answer_41seg_50seg", "anwers_greater_than_51seg",
        ),
        "fields_only_in_example": (
            "abandon_0seg_10seg", "abandon_11seg_20_seg", "abandon_21seg_30seg",
            "abandon_31seg_40seg", "abandon_41seg_50seg", "abandon_greater_than_51seg",
        ),
    },
    "skill_11": {
        "kind": "aggregate over the whole window",
        "fields": (
            "type_interaction", "inbound_calls", "answer_calls", "abandon_calls",
            "service_level_10seg", "service_level_20seg", "service_level_30seg", "abandon", "asa",
            "ata",
        ),
        "extra_params": ("skill_id",),
    },
    "cdr_2": {
        "kind": "aggregate over the whole window",
        "fields": ("calls", "agent_name", "cost"),
    },
    "cdr_4": {
        "kind": "aggregate over the whole window",
        "fields": (
            "0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121", "INTERVAL",
            "calls", "minutes", "cost", "percentage",
        ),
        "fields_only_in_doc_table": ("INTERVAL", "calls", "minutes", "cost", "percentage"),
        "fields_only_in_example": (
            "0_5_seg", "6_20_seg", "21_60_seg", "61_120_seg", "greater_than_121",
        ),
        "example_data_shape": "object (not a list)",
    },
    "cdr_6": {
        "kind": "aggregate over the whole window",
        "fields": ("result", "count"),
    },
    "cdr_8": {
        "kind": "aggregate over the whole window",
        "fields": (
            "type_nlp", "nlp_amount", "chars_send", "chars_answer", "total_chars",
        ),
        "fields_only_in_doc_table": (
            "type_nlp", "nlp_amount", "chars_send", "chars_answer", "total_chars",
        ),
    },
    "act_1": {
        "kind": "aggregate over the whole window",
        "fields": (
            "count", "agent_name", "agent_dni", "cod_act", "description_cod_act",
        ),
        "extra_params": ("cod_act",),
    },
    "act_2": {
        "kind": "aggregate over the whole window",
        "fields": ("count", "skill_id", "cod_act", "description_cod_act"),
        "extra_params": ("cod_act",),
    },
    "act_3": {
        "kind": "event, needs a parameter choice",
        "fields": (
            "conn_id", "agent_id", "agent_name", "agent_dni", "skill_id", "date", "cod_act",
            "description_cod_act", "cod_act_2", "description_cod_act_2", "comments",
            "type_interaction", "telephone", "destiny", "time", "hang_up", "customer_id",
            "campaign_id",
        ),
        "extra_params": ("cod_act",),
    },
    "act_4": {
        "kind": "aggregate over the whole window",
        "fields": ("uncode_calls", "agent_id", "agent_name"),
    },
    "act_5": {
        "kind": "aggregate over the whole window",
        "fields": ("count", "cod_act", "description_cod_act"),
        "extra_params": ("cod_act",),
    },
    "diagram_1_1": {
        "kind": "bucketed",
        "fields": ("day", "calls", "ivr_minutes"),
        "time_fields": ("day",),
    },
    "diagram_1_2": {
        "kind": "bucketed",
        "fields": ("day", "calls", "ivr_minutes", "date"),
        "time_fields": ("day",),
        "fields_only_in_doc_table": ("date",),
        "fields_only_in_example": ("day",),
    },
    "diagram_1_3": {
        "kind": "aggregate over the whole window",
        "fields": ("rp_id", "calls", "time", "cod_opc_menu"),
    },
    "diagram_2": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_id", "treatment", "customer_say_no", "customer_say_yes", "recall_fail",
            "recall_ok", "service_level_up",
        ),
    },
    "diagram_5": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "agent_name", "surveys", "q01", "q02", "q03", "q04", "q05", "q06", "q07",
            "q08", "q09", "q10", "average",
        ),
        "fields_only_in_example": (
            "q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09", "q10",
        ),
    },
    "diagram_6": {
        "kind": "aggregate over the whole window",
        "fields": (
            "skill_id", "skill_name", "surveys", "q01", "q02", "q03", "q04", "q05", "q06", "q07",
            "q08", "q09", "q10", "average",
        ),
        "fields_only_in_example": (
            "q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09", "q10",
        ),
    },
    "diagram_10": {
        "kind": "aggregate over the whole window",
        "fields": ("total", "characters", "tts_text"),
    },
    "diagram_14": {
        "kind": "aggregate over the whole window",
        "fields": ("cod_act", "description_cod_act", "count", "percent"),
    },
    "quality_1": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "agent_name", "evaluations", "precision_unit_critical_error",
            "precision_opportunity_critical_error", "accuracy",
        ),
    },
    "quality_4": {
        "kind": "aggregate over the whole window",
        "fields": ("attribute", "yes", "no", "percent", "survey", "category"),
    },
    "quality_5": {
        "kind": "aggregate over the whole window",
        "fields": (
            "quality_analyst", "evaluations", "precision_unit_critical_error",
            "precision_opportunity_critical_error", "accuracy",
        ),
        "fields_only_in_doc_table": (
            "quality_analyst", "evaluations", "precision_unit_critical_error",
            "precision_opportunity_critical_error", "accuracy",
        ),
    },
    "campaign_1": {
        "kind": "aggregate over the whole window",
        "fields": ("result", "records", "percent"),
        "extra_params": ("campaign_id",),
    },
    "campaign_2": {
        "kind": "aggregate over the whole window",
        "fields": ("cod_act", "records", "percent"),
        "extra_params": ("campaign_id",),
    },
    "campaign_4": {
        "kind": "aggregate over the whole window",
        "fields": ("result", "records", "percent"),
        "extra_params": ("campaign_id",),
    },
    "campaign_5": {
        "kind": "event, needs a parameter choice",
        "fields": (
            "type_of_row", "campaign_id", "customer_name", "customer_last_name", "result",
            "last_code_act", "comments_customer_reg", "customer_id", "agent_id", "conn_id",
            "telephone", "hang_up", "type_interaction", "call_result", "date", "time", "cod_act",
            "comments",
        ),
        "extra_params": ("campaign_id",),
    },
    "campaign_6": {
        "kind": "aggregate over the whole window",
        "fields": ("campaign_id", "total_amd"),
        "extra_params": ("campaign_id",),
    },
    "campaign_8": {
        "kind": "aggregate over the whole window",
        "fields": (
            "telephone", "total_machine_recognitions", "no_answer", "answer_machine", "busy",
            "congestion", "failed",
        ),
        "extra_params": ("campaign_id",),
    },
    "campaign_10": {
        "kind": "aggregate over the whole window",
        "fields": ("machinecode", "cantidad"),
        "extra_params": ("campaign_id",),
    },
    "chat_2": {
        "kind": "aggregate over the whole window",
        "fields": (
            "conn_id", "agent_name", "customer_name", "conversation", "channel", "from",
            "from_name phone", "to_name", "date", "message", "customer_id", "customer_phone",
        ),
        "fields_only_in_doc_table": (
            "channel", "from", "from_name phone", "to_name", "date", "message", "customer_id",
            "customer_phone",
        ),
        "fields_only_in_example": ("conversation",),
        "example_data_shape": "list of objects; nested: {'conversation': 'list'}",
    },
    "chat_3": {
        "kind": "aggregate over the whole window",
        "fields": ("channel", "interactions", "closing_time"),
    },
    "chat_5": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_name", "interactions", "close_time"),
    },
    "chat_6": {
        "kind": "bucketed",
        "fields": ("date", "interactions", "close_time"),
        "time_fields": ("date",),
    },
    "chat_7": {
        "kind": "aggregate over the whole window",
        "fields": ("interactions", "agent_name", "cod_act", "description_cod_act"),
        "fields_only_in_example": ("description_cod_act",),
    },
    "chat_13": {
        "kind": "aggregate over the whole window",
        "fields": ("chanel", "interaction", "channel"),
        "fields_only_in_doc_table": ("channel",),
        "fields_only_in_example": ("chanel",),
    },
    "chat_15": {
        "kind": "aggregate over the whole window",
        "fields": (
            "ad_chatbot", "ad_agents", "post_chatbot", "post_agents", "total_chatbot",
            "total_agents",
        ),
    },
    "chat_16": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "agent_name", "total_chats", "time", "tmo", "percent_transfer",
        ),
    },
    "speech_2": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_id", "agent_name", "agent_dni", "silence"),
    },
    "speech_3": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_id", "agent_name", "agent_dni", "slow_to_greet"),
    },
    "speech_4": {
        "kind": "aggregate over the whole window",
        "fields": ("agent_id", "agent_name", "agent_dni", "feeling"),
    },
    "speech_5": {
        "kind": "aggregate over the whole window",
        "fields": (
            "agent_id", "id_text", "text", "summary", "feeling", "date", "total_chars",
        ),
        "fields_only_in_doc_table": (
            "agent_id", "id_text", "text", "summary", "feeling", "date", "total_chars",
        ),
    },
}
# fmt: on

# api -> (stream, kind, dimension_fields) for every summary report. Stream names and
# dimensions are public: the dimensions make the record key.
EXPECTED = {
    "agent_1": ("agent_daily_states", "one_day", ("agent_id",)),
    "agent_3": ("agent_daily_aux_times", "one_day", ("agent_id", "aux_state")),
    "agent_4": ("agent_daily_campaign_states", "one_day", ("agent_id", "campaign_id")),
    "agent_5": ("agent_daily_hour_breakdowns", "one_day", ("agent_id",)),
    "agent_6": ("operation_hourly_states", "one_day", ("hour",)),
    "agent_7": ("agent_login_sessions", "daily", ("date", "agent_id", "login")),
    "agent_8": ("agent_hourly_states", "daily", ("date", "agent_id", "hour")),
    "agent_8_1": ("agent_half_hourly_states", "daily", ("date", "agent_id", "hour")),
    "agent_9": ("agent_daily_hold_mute_totals", "one_day", ("agent_name",)),
    "agent_11": ("skill_daily_agent_states", "one_day", ("skill_name",)),
    "agent_12": ("agent_daily_transfer_totals", "one_day", ("agent_id", "skill_name")),
    "agent_16": ("agent_daily_preview_times", "one_day", ("id_agent",)),
    "skill_1": ("skill_daily_service_levels", "one_day", ("skill_id",)),
    "skill_3": ("skill_service_level_days", "daily", ("date", "skill_name")),
    "skill_4": ("skill_hourly_service_levels", "one_day", ("skill_id", "hour")),
    "skill_4_1": ("skill_half_hourly_service_levels", "one_day", ("skill_id", "hour")),
    "skill_4_2": ("skill_ten_minute_service_levels", "one_day", ("skill_id", "hour")),
    "skill_5": ("skill_hourly_workforce_needs", "one_day", ("skill_id", "hour")),
    "skill_6": ("dnis_daily_service_levels", "one_day", ("dnis",)),
    "skill_7": ("skill_service_level_hours", "daily", ("date", "skill_id", "hour")),
    "skill_8": ("skill_daily_answer_time_buckets", "one_day", ("skill_id",)),
    "skill_9": ("skill_daily_abandon_time_buckets", "one_day", ("skill_id",)),
    "skill_11": ("interaction_type_daily_service_levels", "one_day", ("type_interaction",)),
    "cdr_2": ("agent_daily_call_costs", "one_day", ("agent_name",)),
    "cdr_4": ("daily_call_duration_breakdowns", "one_day", ("INTERVAL",)),
    "cdr_6": ("daily_unconnected_call_results", "one_day", ("result",)),
    "cdr_8": ("nlp_type_daily_totals", "one_day", ("type_nlp",)),
    "act_1": ("agent_daily_code_counts", "one_day", ("agent_dni", "agent_name", "cod_act")),
    "act_2": ("skill_daily_code_counts", "one_day", ("skill_id", "cod_act")),
    "act_4": ("agent_daily_uncoded_calls", "one_day", ("agent_id",)),
    "act_5": ("code_daily_counts", "one_day", ("cod_act",)),
    "diagram_1_1": ("ivr_daily_totals", "daily", ("day",)),
    "diagram_1_2": ("ivr_hourly_totals", "daily", ("day", "date")),
    "diagram_1_3": ("ivr_menu_option_daily_totals", "one_day", ("rp_id", "cod_opc_menu")),
    "diagram_2": ("skill_daily_smart_wait_totals", "one_day", ("skill_id",)),
    "diagram_5": ("agent_daily_survey_scores", "one_day", ("agent_id",)),
    "diagram_6": ("skill_daily_survey_scores", "one_day", ("skill_id",)),
    "diagram_10": ("tts_text_daily_counts", "one_day", ("tts_text",)),
    "diagram_14": ("menu_code_daily_counts", "one_day", ("cod_act",)),
    "quality_1": ("agent_daily_quality_results", "one_day", ("agent_id",)),
    "quality_4": (
        "quality_attribute_daily_results",
        "one_day",
        ("survey", "category", "attribute"),
    ),
    "quality_5": ("analyst_daily_quality_results", "one_day", ("quality_analyst",)),
    "campaign_1": ("campaign_daily_final_results", "one_day", ("result",)),
    "campaign_2": ("campaign_daily_code_results", "one_day", ("cod_act",)),
    "campaign_4": ("campaign_daily_attempt_results", "one_day", ("result",)),
    "campaign_6": ("campaign_daily_amd_totals", "one_day", ("campaign_id",)),
    "campaign_8": ("campaign_phone_daily_machine_codes", "one_day", ("telephone",)),
    "campaign_10": ("turbo_dial_daily_machine_codes", "one_day", ("machinecode",)),
    "chat_2": ("chat_conversations", "one_day", ("conn_id",)),
    "chat_3": ("channel_daily_closed_interactions", "one_day", ("channel",)),
    "chat_5": ("agent_daily_closed_interactions", "one_day", ("agent_name",)),
    "chat_6": ("daily_closed_interactions", "daily", ("date",)),
    "chat_7": ("agent_code_daily_closed_interactions", "one_day", ("agent_name", "cod_act")),
    "chat_13": ("channel_daily_closed_chats", "one_day", ("chanel", "channel")),
    "chat_15": ("click_to_whatsapp_daily_totals", "one_day", ()),
    "chat_16": ("agent_daily_chat_totals", "one_day", ("agent_id",)),
    "speech_2": ("agent_daily_silence_percentages", "one_day", ("agent_id",)),
    "speech_3": ("agent_daily_slow_greeting_percentages", "one_day", ("agent_id",)),
    "speech_4": ("agent_daily_sentiment_averages", "one_day", ("agent_id",)),
    "speech_5": ("on_demand_speech_analyses", "one_day", ("id_text",)),
}

EXPECTED_EVENTS = {"act_3": "coded_interactions", "campaign_5": "preview_campaign_calls"}

DAILY = {
    "agent_7",
    "agent_8",
    "agent_8_1",
    "skill_3",
    "skill_7",
    "chat_6",
    "diagram_1_1",
    "diagram_1_2",
}

# api -> (bucket_field, minutes, bucket_parent): buckets shorter than a day.
EXPECTED_BUCKETS = {
    "agent_5": ("hour", 60, "status_x_hour"),
    "agent_6": ("hour", 60, ""),
    "agent_8": ("hour", 60, ""),
    "agent_8_1": ("hour", 30, ""),
    "skill_4": ("hour", 60, ""),
    "skill_4_1": ("hour", 30, ""),
    "skill_4_2": ("hour", 10, ""),
    "skill_5": ("hour", 60, ""),
    "skill_7": ("hour", 60, ""),
    "diagram_1_2": ("day", 60, ""),
}

# Reports whose key is the day alone: every field is a measure.
DAY_ONLY_KEYS = {"chat_15"}

# Words that make a Spanish field description one of an amount, never of a dimension.
MEASURE_WORDS = re.compile(r"\b(cantidad|total|porcentaje|promedio)\b", re.IGNORECASE)

SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")

NEW = PARAMETER_EVENT_REPORTS + SUMMARY_REPORTS
BY_API = {report.api: report for report in NEW}
SUMMARY_IDS = [report.api for report in SUMMARY_REPORTS]
NEW_IDS = [report.api for report in NEW]


def catalogue_ids(*kinds: str) -> list[str]:
    return [api for api, entry in CATALOGUE.items() if entry["kind"] in kinds and api != "agent_2"]


def nested_in_shape(api: str) -> set[str]:
    """The nested lists the catalogue's example_data_shape names."""
    shape = CATALOGUE[api].get("example_data_shape", "")
    return set(re.findall(r"'(\w+)': 'list'", shape))


def test_the_pinned_catalogue_is_the_shared_catalogue():
    if not SHARED_CATALOGUE.is_file():
        pytest.skip(f"no catalogue at {SHARED_CATALOGUE}")
    entries = json.loads(SHARED_CATALOGUE.read_text(encoding="utf-8"))["reports"]
    shared = {}
    for entry in entries:
        if entry["kind"] == "event":
            continue
        shared[entry["api"]] = {
            key: tuple(value) if isinstance(value, list) else value
            for key, value in entry.items()
            if key in PINNED_KEYS
        }
    assert shared == CATALOGUE


def test_every_summary_and_parameter_report_but_agent_2_has_exactly_one_entry():
    assert catalogue_ids(*SUMMARY_KINDS) == SUMMARY_IDS  # the catalogue's order
    assert len(SUMMARY_REPORTS) == 60
    assert [report.api for report in PARAMETER_EVENT_REPORTS] == catalogue_ids(PARAMETER_KIND)
    all_ids = [report.api for report in ALL_REPORTS]
    assert len(all_ids) == len(set(all_ids)) == 41 + 2 + 60
    assert "agent_2" not in all_ids
    assert ALL_REPORTS == REPORTS + PARAMETER_EVENT_REPORTS + SUMMARY_REPORTS


def test_the_event_registry_is_left_as_it_was():
    assert len(REPORTS) == 41
    assert {report.api for report in REPORTS}.isdisjoint(NEW_IDS)
    assert all(report.kind == "event" and report.partition is None for report in REPORTS)


def test_stream_names_kinds_and_dimensions_are_the_pinned_ones():
    registry = {
        report.api: (report.stream, report.kind, report.dimension_fields)
        for report in SUMMARY_REPORTS
    }
    assert registry == EXPECTED
    assert {report.api: report.stream for report in PARAMETER_EVENT_REPORTS} == EXPECTED_EVENTS


@pytest.mark.parametrize("api", NEW_IDS)
def test_fields_are_the_catalogues_verbatim_and_in_order(api):
    assert BY_API[api].fields == CATALOGUE[api]["fields"]


def test_stream_names_are_unique_plural_snake_case():
    streams = [report.stream for report in ALL_REPORTS]
    assert len(streams) == len(set(streams))
    for report in NEW:
        assert SNAKE_CASE.fullmatch(report.stream), report.stream
        assert report.stream.endswith("s"), report.stream  # what a row is, plural
        assert report.stream not in {"agent_2", report.api}


@pytest.mark.parametrize("api", NEW_IDS)
def test_every_required_parameter_is_covered(api):
    report = BY_API[api]
    required = set(CATALOGUE[api].get("extra_params", ()))
    fixed = {name for name, _ in report.params}
    partitioned = {report.partition.param} if report.partition else set()
    assert required == fixed | partitioned
    assert fixed.isdisjoint(partitioned)


def test_parameters_are_the_documented_choices():
    for report in NEW:
        required = CATALOGUE[report.api].get("extra_params", ())
        if "skill_id" in required:
            assert report.params == SKILL_ALL == (("skill_id", "all"),), report.api
        else:
            assert report.params == (), report.api
        if "cod_act" in required:
            assert report.partition is COD_ACT_GROUPS, report.api
        elif "campaign_id" in required:
            expected = CAMPAIGN_IDS_EXPLICIT if report.api == "campaign_5" else CAMPAIGN_IDS
            assert report.partition is expected, report.api
        else:
            assert report.partition is None, report.api
    assert COD_ACT_GROUPS.values == ("cod_act1", "cod_act2")
    assert COD_ACT_GROUPS.record_field == "cod_act_group"
    assert (CAMPAIGN_IDS.setting, CAMPAIGN_IDS.values) == ("campaign_ids", ())
    assert not CAMPAIGN_IDS.explicit_only
    assert CAMPAIGN_IDS_EXPLICIT.explicit_only
    # The value a record was read with must not overwrite a field of the row.
    for report in NEW:
        if report.partition:
            assert report.partition.record_field not in report.columns, report.api


def test_the_daily_reports_are_exactly_the_eight_whose_rows_carry_their_day():
    kinds = {report.api: report.kind for report in SUMMARY_REPORTS}
    assert {api for api, kind in kinds.items() if kind == "daily"} == DAILY
    assert {kinds[api] for api in set(kinds) - DAILY} == {"one_day"}
    assert {report.kind for report in PARAMETER_EVENT_REPORTS} == {"event"}


@pytest.mark.parametrize("api", sorted(DAILY))
def test_a_daily_reports_day_field_is_its_catalogue_time_field_and_parses(api):
    report = BY_API[api]
    assert report.day_field == CATALOGUE[api]["time_fields"][0]
    assert report.day_field in report.dimension_fields
    day = dt.datetime(2026, 2, 17, 13, 0)  # wall-clock, as the API sends
    text = day.strftime(report.day_format)
    assert text.startswith("2026-02-17")  # every documented day reads year-month-day
    parsed = dt.datetime.strptime(text, report.day_format)
    assert parsed.date() == day.date()


def test_diagram_1_2s_day_holds_its_hour():
    report = BY_API["diagram_1_2"]
    assert report.day_format == "%Y-%m-%d-%H"
    assert dt.datetime.strptime("2026-02-17-13", report.day_format).hour == 13
    assert (report.bucket_field, report.bucket_minutes) == ("day", 60)
    assert "YYYYMMDDHH" in report.evidence  # the English page's reading, weighed there


def test_the_one_day_reports_have_no_day_field_and_no_filter_field():
    for report in SUMMARY_REPORTS:
        assert report.filter_field == ""
        assert report.key_fields is None
        if report.kind == "one_day":
            assert (report.day_field, report.day_format) == ("", ""), report.api


@pytest.mark.parametrize("api", SUMMARY_IDS)
def test_dimension_fields_are_documented(api):
    report = BY_API[api]
    dimensions = report.dimension_fields
    if api in DAY_ONLY_KEYS:
        assert dimensions == ()
        assert report.dimension_reason
    else:
        assert dimensions
    assert set(dimensions) <= set(CATALOGUE[api]["fields"])
    assert len(set(dimensions)) == len(dimensions)
    assert set(report.dimension_fields).isdisjoint(dict(report.nested_fields))


@pytest.mark.parametrize("api", SUMMARY_IDS)
def test_no_dimension_is_described_as_an_amount(api):
    if not SHARED_CATALOGUE.is_file():
        pytest.skip(f"no catalogue at {SHARED_CATALOGUE}")
    entries = json.loads(SHARED_CATALOGUE.read_text(encoding="utf-8"))["reports"]
    (entry,) = [entry for entry in entries if entry["api"] == api]
    descriptions = entry.get("field_descriptions_es", {})
    for name in BY_API[api].dimension_fields:
        described = descriptions.get(name, "")
        assert not MEASURE_WORDS.search(described), (name, described)


def test_reports_without_an_agent_id_are_keyed_by_what_names_the_agent():
    for report in SUMMARY_REPORTS:
        fields = set(report.fields)
        if "agent_id" in fields and "agent_id" in report.dimension_fields:
            assert "agent_name" not in report.dimension_fields, report.api
    assert BY_API["agent_9"].dimension_fields == ("agent_name",)
    assert BY_API["act_1"].dimension_fields == ("agent_dni", "agent_name", "cod_act")
    for api in ("agent_7", "agent_9", "agent_12", "skill_3", "cdr_4", "act_1", "quality_4"):
        assert BY_API[api].dimension_reason, api


def test_buckets_are_the_catalogues_sub_day_time_fields():
    buckets = {
        report.api: (report.bucket_field, report.bucket_minutes, report.bucket_parent)
        for report in NEW
        if report.bucket_field
    }
    assert buckets == EXPECTED_BUCKETS
    for report in SUMMARY_REPORTS:
        pinned = CATALOGUE[report.api].get("time_fields", ())
        covered = {report.day_field, report.bucket_field} - {""}
        if report.bucket_parent:
            covered = {report.day_field} - {""}
            assert f"{report.bucket_field} (nested in {report.bucket_parent})" in pinned
            pinned = tuple(name for name in pinned if "nested" not in name)
        assert set(pinned) <= covered, report.api
        if report.bucket_minutes:
            assert (24 * 60) % report.bucket_minutes == 0


def test_nested_arrays_and_the_single_object_match_the_catalogues_shapes():
    for report in NEW:
        shape = CATALOGUE[report.api].get("example_data_shape", "")
        assert set(dict(report.nested_fields)) == nested_in_shape(report.api), report.api
        assert report.single_object == shape.startswith("object"), report.api
    nested = {report.api: dict(report.nested_fields) for report in NEW if report.nested_fields}
    assert {api: set(fields) for api, fields in nested.items()} == {
        "agent_5": {"status_x_hour"},
        "agent_11": {"agents"},
        "chat_2": {"conversation"},
    }
    # The page's table lists the inner fields as if they were top level, after the
    # nested field (chat_2's merges from_name and phone into one name).
    for api, fields in nested.items():
        (name, inner), *_ = fields.items()
        table_only = CATALOGUE[api]["fields_only_in_doc_table"]
        assert inner == tuple(field.split(" ")[0] for field in table_only), api
        order = CATALOGUE[api]["fields"]
        assert order.index(name) < order.index(table_only[0])


def test_cdr_4_is_one_object_holding_one_object_per_duration_range():
    report = BY_API["cdr_4"]
    assert report.single_object
    assert [name for name, _ in report.object_fields] == list(
        CATALOGUE["cdr_4"]["fields_only_in_example"]
    )
    measures = set(CATALOGUE["cdr_4"]["fields_only_in_doc_table"]) - {"INTERVAL"}
    assert all(set(inner) == measures for _, inner in report.object_fields)
    assert report.dimension_fields == ("INTERVAL",)
    assert [r.api for r in ALL_REPORTS if r.single_object or r.object_fields] == ["cdr_4"]


def test_only_skill_5_limits_its_window_to_a_day():
    limited = {report.api: report.max_window_hours for report in ALL_REPORTS}
    assert limited.pop("skill_5") == 24
    assert set(limited.values()) == {None}
    assert any("24 horas" in line for line in CATALOGUE["skill_5"]["special_limits_es"])


def test_row_caps_are_the_pages_caps():
    for report in NEW:
        limits = " ".join(CATALOGUE[report.api].get("special_limits_es", ()))
        assert "registros" not in limits  # no summary page states a cap of its own
        assert report.row_cap == DEFAULT_ROW_CAP, report.api


def test_the_parameter_event_reports_are_read_like_events():
    for report in PARAMETER_EVENT_REPORTS:
        assert report.time_fields == ("date",)
        assert report.filter_field == "date"
        assert report.dimension_fields == ()
        assert report.partition is not None
    campaign_5 = BY_API["campaign_5"]
    assert campaign_5.key_fields is not None
    assert "last_code_act" not in campaign_5.key_fields
    assert campaign_5.key_reason


def test_only_login_times_are_timestamps_among_the_summaries():
    timed = {report.api: report.time_fields for report in SUMMARY_REPORTS if report.time_fields}
    assert timed == {"agent_1": ("login", "logout"), "agent_7": ("login", "logout")}


def test_nothing_new_is_selected_by_default():
    assert not [report.api for report in NEW if report.selected_by_default]


def test_descriptions_are_one_english_line_about_a_row():
    for report in NEW:
        assert report.description.startswith("one row per "), report.api
        assert "\n" not in report.description
        assert not report.description.endswith(".")
        assert report.description.isascii(), report.api


def test_skill_1_keeps_the_service_level_its_page_says_it_adds():
    assert BY_API["skill_1"].known_extra_fields == ("service_level_0seg",)
    assert not [r.api for r in NEW if r.known_extra_fields and r.api != "skill_1"]


SUMMARY_BASE: dict[str, Any] = {
    "api": "x_1",
    "stream": "x_hours",
    "description": "one row per x",
    "fields": ("date", "agent_id", "hour", "calls", "status_x_hour"),
    "time_fields": (),
    "kind": "daily",
    "day_field": "date",
    "day_format": "%Y-%m-%d",
    "dimension_fields": ("date", "agent_id", "hour"),
    "bucket_field": "hour",
    "bucket_minutes": 60,
}
EVENT_BASE: dict[str, Any] = {
    "api": "x_1",
    "stream": "x",
    "description": "one row per x",
    "fields": ("conn_id", "date"),
    "time_fields": ("date",),
    "filter_field": "date",
}
NESTED = {"nested_fields": (("status_x_hour", ("hour", "calls")),)}


@pytest.mark.parametrize(
    ("base", "change", "problem"),
    [
        (SUMMARY_BASE, {"kind": "weekly"}, "kind must be event, daily or one_day"),
        (
            SUMMARY_BASE,
            {"fields": (*SUMMARY_BASE["fields"], "calls")},
            "a field is listed twice",
        ),
        (SUMMARY_BASE, {"filter_field": "date"}, "a summary report has no filter_field"),
        (
            SUMMARY_BASE,
            {"key_fields": ("agent_id",), "key_reason": "x"},
            "keyed by its dimension_fields",
        ),
        (
            {**SUMMARY_BASE, "kind": "one_day", "day_field": "", "day_format": ""},
            {"dimension_fields": (), "bucket_field": "", "bucket_minutes": None},
            "empty dimension_fields need a dimension_reason",
        ),
        (
            SUMMARY_BASE,
            {"dimension_fields": ("date", "agent_id", "agent_id", "hour")},
            "a dimension field is listed twice",
        ),
        (
            SUMMARY_BASE,
            {"dimension_fields": ("date", "agent_id", "hour", "nowhere")},
            "dimension_fields must name fields",
        ),
        (SUMMARY_BASE, {"day_field": "nowhere"}, "needs a day_field among its fields"),
        (SUMMARY_BASE, {"day_format": "%d/%m"}, "needs a day_format with %Y, %m and %d"),
        (
            SUMMARY_BASE,
            {"dimension_fields": ("agent_id", "hour")},
            "the day_field must be a dimension",
        ),
        (SUMMARY_BASE, {"kind": "one_day"}, "only daily reports have a day_field"),
        (SUMMARY_BASE, {"max_window_hours": 12}, "window must hold a whole day"),
        (SUMMARY_BASE, {"max_window_hours": 0}, "max_window_hours must be positive"),
        (SUMMARY_BASE, {"time_fields": ("nowhere",)}, "time_fields must name fields"),
        (
            SUMMARY_BASE,
            {"nested_fields": (("status_x_hour", ("hour",)), ("status_x_hour", ("hour",)))},
            "a nested field is listed twice",
        ),
        (
            SUMMARY_BASE,
            {"object_fields": (("nowhere", ("calls",)),)},
            "nested_fields and object_fields must name fields",
        ),
        (
            SUMMARY_BASE,
            {"nested_fields": (("status_x_hour", ("hour", "hour")),)},
            "inner fields must be listed, each once",
        ),
        (
            SUMMARY_BASE,
            {"bucket_field": "calls"},
            "bucket_field must be a dimension or a field of its bucket_parent",
        ),
        (
            {**SUMMARY_BASE, **NESTED},
            {"bucket_parent": "status_x_hour", "bucket_field": "agent_id"},
            "bucket_field must be a dimension or a field of its bucket_parent",
        ),
        (
            SUMMARY_BASE,
            {"bucket_parent": "calls"},
            "bucket_parent must be a nested field",
        ),
        (SUMMARY_BASE, {"bucket_minutes": 7}, "bucket_minutes need a bucket_field"),
        (
            SUMMARY_BASE,
            {"bucket_field": "", "bucket_minutes": 60},
            "bucket_minutes need a bucket_field",
        ),
        (
            SUMMARY_BASE,
            {"partition": COD_ACT_GROUPS, "params": (("cod_act", "x"),)},
            "the partition param is also a fixed param",
        ),
        (
            {**SUMMARY_BASE, "fields": (*SUMMARY_BASE["fields"], "campaign_filter")},
            {"partition": CAMPAIGN_IDS},
            "the partition's record_field is a field of the report",
        ),
        (EVENT_BASE, {"time_fields": (), "filter_field": ""}, "an event report needs time_fields"),
        (
            EVENT_BASE,
            {"dimension_fields": ("conn_id",)},
            "day and dimension fields are for summary reports",
        ),
        (EVENT_BASE, {"day_field": "date"}, "day and dimension fields are for summary reports"),
        (EVENT_BASE, {"bucket_minutes": 60}, "buckets are for summary reports"),
        (EVENT_BASE, {"single_object": True}, "nested shapes are for summary reports"),
        (
            EVENT_BASE,
            {"nested_fields": (("conn_id", ("x",)),)},
            "nested shapes are for summary reports",
        ),
    ],
)
def test_an_inconsistent_entry_is_refused_at_import(base, change, problem):
    Report(**base)  # the base itself is fine
    with pytest.raises(ValueError, match=re.escape(problem)):
        Report(**{**base, **change})


def test_a_nested_bucket_is_accepted_where_its_parent_carries_it():
    report = Report(
        **{
            **SUMMARY_BASE,
            **NESTED,
            "bucket_parent": "status_x_hour",
            "dimension_fields": ("date",),
        }
    )
    assert (report.bucket_parent, report.bucket_field) == ("status_x_hour", "hour")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"param": "date_ini"}, "partition param must not be api or a date"),
        ({"record_field": ""}, "partition needs a record_field"),
        ({"setting": "campaign_ids"}, "partition needs values or a setting"),
        ({"values": ()}, "partition needs values or a setting"),
        ({"values": ("a", "a")}, "a partition value is listed twice"),
        ({"explicit_only": True}, "explicit_only needs a setting"),
    ],
)
def test_an_inconsistent_partition_is_refused_at_import(change, problem):
    base = {"param": "cod_act", "record_field": "cod_act_group", "values": ("a", "b")}
    Partition(**base)
    with pytest.raises(ValueError, match=re.escape(problem)):
        Partition(**{**base, **change})


def test_entries_are_frozen_and_hashable():
    report = SUMMARY_REPORTS[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.kind = "event"  # type: ignore[misc]
    assert len(set(ALL_REPORTS)) == len(ALL_REPORTS)
    assert reports.KINDS == ("event", "daily", "one_day")
