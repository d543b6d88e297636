"""Every setting is checked before any call, with a one-line message that says what to fix."""

from __future__ import annotations

import copy
import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
from jsonschema.exceptions import ValidationError
from singer_sdk.plugin_base import JSONSchemaValidator

from tap_wolkvox import config
from tap_wolkvox.config import (
    SettingsError,
    normalise_server,
    parse_campaign_ids,
    parse_settings,
)

TOKEN = "s3cr3t-token-value"
BASE = {"server": "0032", "token": TOKEN, "start_date": "2026-01-01"}


@pytest.mark.parametrize(
    "value",
    [
        "0032",
        "wv0032",
        "WV0032",
        "wv0032.wolkvox.com",
        "https://wv0032.wolkvox.com",
        "https://wv0032.wolkvox.com/",
        " 0032 ",
    ],
)
def test_server_shapes_normalise(value: str) -> None:
    assert normalise_server(value) == "wv0032"


@pytest.mark.parametrize(
    "value",
    [
        "32",
        "00320",
        "wv32",
        "evil.com",
        "wv0032.evil.com",
        "http://wv0032.wolkvox.com",
        "https://wv0032.wolkvox.com.evil.com",
        "wv0032.wolkvox.com/x",
        "",
        "wv00a2",
    ],
)
def test_other_servers_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match=r"server: .* 4-digit server number"):
        normalise_server(value)


def test_defaults() -> None:
    settings = parse_settings(BASE)
    assert settings.server == "wv0032"
    assert settings.api_url == "https://wv0032.wolkvox.com"
    assert settings.report_url == "https://wv0032.wolkvox.com/api/v2/reports_manager.php"
    assert settings.timezone.key == "America/Bogota"
    assert settings.lookback == dt.timedelta(minutes=15)
    assert settings.max_records_per_request is None  # each report's own cap
    assert settings.request_timeout > 60
    assert settings.end is None


def test_naive_dates_are_read_in_the_timezone() -> None:
    settings = parse_settings(
        {
            **BASE,
            "start_date": "2026-01-01T00:00:00",
            "end_date": "2026-01-02",
            "timezone": "America/Bogota",
        }
    )
    assert settings.start == dt.datetime(2026, 1, 1, 5, tzinfo=dt.UTC)
    assert settings.end == dt.datetime(2026, 1, 2, 5, tzinfo=dt.UTC)


def test_dates_with_an_offset_keep_it() -> None:
    settings = parse_settings(
        {**BASE, "start_date": "2026-01-01T00:00:00Z", "timezone": "Asia/Tokyo"}
    )
    assert settings.start == dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ({"server": None}, "server: missing"),
        ({"token": None}, "token: missing"),
        ({"token": ""}, "token: missing"),
        ({"start_date": None}, "start_date: missing"),
        ({"token": " " + TOKEN}, "token: has leading or trailing spaces"),
        ({"server": "wv32"}, "server: 'wv32' is not a Wolkvox server"),
        (
            {"start_date": "yesterday-ish"},
            "start_date: 'yesterday-ish' is not a date or date-time",
        ),
        ({"start_date": "2999-01-01"}, "start_date: is in the future"),
        ({"end_date": "2025-01-01"}, "end_date: must be later than start_date"),
        ({"end_date": "31/01/2026"}, "end_date: '31/01/2026' is not a date or date-time"),
        ({"timezone": "Bogota"}, "timezone: 'Bogota' is not an IANA time zone"),
        ({"lookback_minutes": -1}, "lookback_minutes: -1 is out of range"),
        ({"lookback_minutes": "ten"}, "lookback_minutes: 'ten' is not a whole number"),
        ({"lookback_minutes": 1.5}, "lookback_minutes: 1.5 is not a whole number"),
        ({"lookback_minutes": True}, "lookback_minutes: True is not a whole number"),
        ({"max_records_per_request": 60001}, "max_records_per_request: 60001 is out of range"),
        ({"max_records_per_request": 1}, "max_records_per_request: 1 is out of range"),
        ({"request_timeout": 0}, "request_timeout: 0 is out of range"),
        ({"max_window_days": 32}, "max_window_days: 32 is out of range"),
        ({"max_attempts": 0}, "max_attempts: 0 is out of range"),
        ({"retry_wait_seconds": -2}, "retry_wait_seconds: -2 is out of range"),
        ({"maintenance_wait_seconds": "x"}, "maintenance_wait_seconds: 'x' is not a number"),
        ({"api_url": "ftp://host"}, "api_url: 'ftp://host' is not an http(s) URL"),
        ({"api_url": "http://wv0032.wolkvox.com"}, "api_url: http:// is allowed only for loopback"),
        ({"api_url": "http://10.0.0.5:8000"}, "api_url: http:// is allowed only for loopback"),
        ({"api_url": "https://host/x?token=1"}, "api_url: give only scheme, host, port and path"),
        ({"batch_config": {"encoding": {"format": "jsonl"}}}, "batch_config: tap-wolkvox does"),
    ],
)
def test_bad_settings_are_refused_with_a_fix(override: dict, fragment: str) -> None:
    config = {**BASE, **override}
    with pytest.raises(SettingsError) as caught:
        parse_settings({key: value for key, value in config.items() if value is not None})
    assert any(fragment in problem for problem in caught.value.problems), caught.value.problems
    for problem in caught.value.problems:
        assert "\n" not in problem
        assert TOKEN not in problem


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({"server": "x", "token": TOKEN, "start_date": "nope", "timezone": "Mars"})
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765",
        "http://localhost:1/",
        "http://[::1]:9",
        "https://proxy.example.com/wolkvox/",
    ],
)
def test_loopback_http_and_any_https_are_allowed(url: str) -> None:
    assert parse_settings({**BASE, "api_url": url}).api_url == url.rstrip("/")


def test_numbers_may_come_as_text_from_environment_variables() -> None:
    settings = parse_settings({**BASE, "lookback_minutes": "30", "request_timeout": "75.5"})
    assert settings.lookback == dt.timedelta(minutes=30)
    assert settings.request_timeout == 75.5


# --- One line per problem, secrets never shown (schema errors, environment) ----------------

SECRET_NOTE = "the value is not shown because the setting is secret"
LINE_SHAPE = re.compile(r"[\w.\[\]]+: [^\n]+; [^\n]+")


@pytest.fixture(scope="module")
def tap_schema() -> dict[str, Any]:
    """The tap's settings schema with the SDK's built-in settings, as the SDK validates it."""
    from tap_wolkvox.tap import TapWolkvox  # noqa: PLC0415  # only these tests need the tap

    schema = copy.deepcopy(TapWolkvox.config_jsonschema)
    TapWolkvox.append_builtin_config(schema)
    return schema


def schema_errors(schema: dict[str, Any], settings: dict[str, Any]) -> list[ValidationError]:
    return list(JSONSchemaValidator(schema).iter_errors(copy.deepcopy(settings)))


def test_secret_settings_are_the_schemas_secret_properties(tap_schema: dict[str, Any]) -> None:
    # stream_map_config holds hash salts: declared by the tap, not left to the SDK.
    assert config.secret_settings(tap_schema) == frozenset({"token", "stream_map_config"})
    nested = {
        "properties": {
            "a": {"type": "string", "secret": True},
            "b": {"type": "object", "properties": {"c": {"type": "string", "secret": True}}},
            "d": {"type": "string", "secret": False},
        }
    }
    assert config.secret_settings(nested) == frozenset({"a", "b.c"})


def test_number_ranges_are_the_schemas(tap_schema: dict[str, Any]) -> None:
    """One table: every numeric setting of the tap takes its type and range from it."""
    own = {
        name: prop
        for name, prop in tap_schema["properties"].items()
        if {"integer", "number"} & set(prop["type"]) and not name.startswith("flattening_")
    }
    assert set(own) == set(config.NUMBER_RANGES)
    for name, limits in config.NUMBER_RANGES.items():
        prop = own[name]
        assert prop["type"] == ["integer" if limits.integer else "number", "null"], name
        assert (prop["minimum"], prop["maximum"]) == (limits.low, limits.high), name
        wanted = config.number_expectation(name, integer=limits.integer)
        assert prop["description"].endswith(f" {wanted[0].upper()}{wanted[1:]}."), name
        default = prop.get("default")
        assert default is None or limits.low <= default <= limits.high, name


@pytest.mark.parametrize(
    ("override", "line"),
    [
        (
            {"token": 918273645546372819},
            "token: must be text (a string); " + SECRET_NOTE,
        ),
        (
            {"lookback_minutes": "x"},
            "lookback_minutes: 'x' is not a whole number; give a whole number from 0 to 10080",
        ),
        (
            {"request_timeout": "fast"},
            "request_timeout: 'fast' is not a number; give a number from 1 to 3600",
        ),
        (
            {"flattening_max_depth": "x"},
            "flattening_max_depth: 'x' is not a whole number; give a whole number",
        ),
        # Ranges are the schema's own (minimum, maximum), from config.NUMBER_RANGES.
        (
            {"lookback_minutes": -1},
            "lookback_minutes: -1 is out of range; give a whole number from 0 to 10080",
        ),
        (
            {"max_records_per_request": 60001},
            ("max_records_per_request: 60001 is out of range; give a whole number from 2 to 60000"),
        ),
        (
            {"request_timeout": 0.5},
            "request_timeout: 0.5 is out of range; give a number from 1 to 3600",
        ),
        (
            {"max_window_days": 32},
            "max_window_days: 32 is out of range; give a whole number from 1 to 31",
        ),
        ({"max_attempts": 0}, "max_attempts: 0 is out of range; give a whole number from 1 to 50"),
        (
            {"retry_wait_seconds": 601},
            "retry_wait_seconds: 601 is out of range; give a number from 0 to 600",
        ),
        (
            {"maintenance_wait_seconds": -1},
            "maintenance_wait_seconds: -1 is out of range; give a number from 0 to 3600",
        ),
        (
            {"max_window_days": 7.5},
            "max_window_days: 7.5 is not a whole number; give a whole number from 1 to 31",
        ),
        ({"server": None}, "server: missing; it is required"),
        ({"start_date": None}, "start_date: missing; it is required"),
        ({"server": 32}, "server: 32 is not text (a string); give it as text, in quotes"),
        (
            {"flattening_enabled": "maybe"},
            "flattening_enabled: 'maybe' is not true or false; give true or false",
        ),
        ({"stream_maps": "x"}, "stream_maps: 'x' is not a JSON object; give a JSON object"),
        (
            {"stream_maps": {"s": 5}},
            (
                "stream_maps.s: 5 is not one of the allowed forms; "
                "give '__NULL__', null or a JSON object"
            ),
        ),
        (
            {"stream_maps": {"s": {"__alias__": 5}}},
            "stream_maps.s.__alias__: 5 is not text (a string); give it as text, in quotes",
        ),
        (
            {"stream_maps": {"s": {"new_column": 5}}},
            (
                "stream_maps.s.new_column: 5 is not one of the allowed forms; "
                "give '__NULL__', null or text (a string)"
            ),
        ),
        (
            {"faker_config": {"locale": [1]}},
            "faker_config.locale[0]: 1 is not text (a string); give it as text, in quotes",
        ),
    ],
)
def test_schema_errors_name_the_setting_and_the_fix(
    tap_schema: dict[str, Any], override: dict[str, Any], line: str
) -> None:
    settings = {key: value for key, value in {**BASE, **override}.items() if value is not None}
    errors = schema_errors(tap_schema, settings)
    assert len(errors) == 1, errors
    described = config.describe_schema_error(errors[0], config.secret_settings(tap_schema))
    assert described == line
    assert LINE_SHAPE.fullmatch(described)
    assert "918273645546372819" not in described


def test_secret_values_never_appear_in_schema_errors(tap_schema: dict[str, Any]) -> None:
    secrets = config.secret_settings(tap_schema)
    hidden = "Hidden-Value-7731"
    settings = {**BASE, "token": [hidden], "stream_map_config": hidden}
    lines = [config.describe_schema_error(e, secrets) for e in schema_errors(tap_schema, settings)]
    assert sorted(lines) == [
        "stream_map_config: must be a JSON object; " + SECRET_NOTE,
        "token: must be text (a string); " + SECRET_NOTE,
    ]


@pytest.mark.parametrize(
    ("settings", "start"),
    [
        ({"short": "ab"}, "short: 'ab' "),
        ({"lowered": "X"}, "lowered: 'X' "),
        ({"pin": "abc"}, "pin: "),  # secret: pattern errors must not echo the value
        ({"pin": 123456789}, "pin: "),
        ({"level": "loud"}, "level: 'loud' "),
        ({"token": "abc", "pin": "1234", "short": "abcd"}, "config: "),  # holds a secret
        ({"vault": {"known": "x", "abc": 1}}, "vault: "),  # names inside a secret stay hidden
        ({"short": "abcd", "typo": 1}, "typo: not a known setting; remove it"),
    ],
)
def test_other_schema_rules_still_name_the_setting(settings: dict[str, Any], start: str) -> None:
    schema = {
        "type": "object",
        "properties": {
            "short": {"type": "string", "minLength": 3},
            "lowered": {"type": "string", "not": {"pattern": "[A-Z]"}},
            "pin": {"type": "string", "pattern": "^[0-9]{4}$", "secret": True},
            "level": {"enum": ["quiet", "normal"]},
            "token": {"type": "string", "secret": True},
            "vault": {
                "type": "object",
                "secret": True,
                "properties": {"known": {"type": "string"}},
                "additionalProperties": False,
            },
        },
        "maxProperties": 2,
        "additionalProperties": False,
    }
    errors = schema_errors(schema, settings)
    assert len(errors) == 1, errors
    line = config.describe_schema_error(errors[0], config.secret_settings(schema))
    assert line.startswith(start), line
    assert LINE_SHAPE.fullmatch(line), line
    for value in ("abc", "123456789"):
        assert value not in line


PREFIX = "TAP_WOLKVOX_"


@pytest.mark.parametrize(
    ("environ", "settings"),
    [
        ({"TAP_WOLKVOX_LOOKBACK_MINUTES": "30"}, {"lookback_minutes": 30}),
        ({"TAP_WOLKVOX_LOOKBACK_MINUTES": "30.0"}, {"lookback_minutes": 30}),
        ({"TAP_WOLKVOX_LOOKBACK_MINUTES": " -3 "}, {"lookback_minutes": -3}),
        ({"TAP_WOLKVOX_REQUEST_TIMEOUT": "30"}, {"request_timeout": 30}),
        ({"TAP_WOLKVOX_REQUEST_TIMEOUT": "30.5"}, {"request_timeout": 30.5}),
        ({"TAP_WOLKVOX_REQUEST_TIMEOUT": "1e2"}, {"request_timeout": 100.0}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "yes"}, {"flattening_enabled": True}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "TRUE"}, {"flattening_enabled": True}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "1"}, {"flattening_enabled": True}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "no"}, {"flattening_enabled": False}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "0"}, {"flattening_enabled": False}),
        ({"TAP_WOLKVOX_FLATTENING_ENABLED": "false"}, {"flattening_enabled": False}),
        ({"TAP_WOLKVOX_STREAM_MAPS": '{"s": null}'}, {"stream_maps": {"s": None}}),
        ({"TAP_WOLKVOX_SERVER": " 0032 "}, {"server": " 0032 "}),
        ({"TAP_WOLKVOX_TOKEN": "30"}, {"token": "30"}),
        ({"TAP_WOLKVOX_START_DATE": "2026-01-01"}, {"start_date": "2026-01-01"}),
        ({"OTHER_LOOKBACK_MINUTES": "x", "TAP_WOLKVOX_NOT_A_SETTING": "x"}, {}),
    ],
)
def test_environment_values_take_the_schemas_type(
    tap_schema: dict[str, Any], environ: dict[str, str], settings: dict[str, Any]
) -> None:
    read, problems = config.read_environment(tap_schema, PREFIX, environ)
    assert problems == []
    assert read == settings
    assert {key: type(value) for key, value in read.items()} == {
        key: type(value) for key, value in settings.items()
    }


def test_environment_numbers_pass_the_sdks_validation(tap_schema: dict[str, Any]) -> None:
    environ = {"TAP_WOLKVOX_REQUEST_TIMEOUT": "30", "TAP_WOLKVOX_RETRY_WAIT_SECONDS": "0.5"}
    read, problems = config.read_environment(tap_schema, PREFIX, environ)
    assert problems == []
    assert schema_errors(tap_schema, {**BASE, **read}) == []


@pytest.mark.parametrize(
    ("environ", "problem"),
    [
        (
            {"TAP_WOLKVOX_LOOKBACK_MINUTES": "x"},
            (
                "lookback_minutes: TAP_WOLKVOX_LOOKBACK_MINUTES='x' is not a whole number; "
                "give a whole number from 0 to 10080"
            ),
        ),
        (
            {"TAP_WOLKVOX_LOOKBACK_MINUTES": "30.5"},
            (
                "lookback_minutes: TAP_WOLKVOX_LOOKBACK_MINUTES='30.5' is not a whole number; "
                "give a whole number from 0 to 10080"
            ),
        ),
        (
            {"TAP_WOLKVOX_LOOKBACK_MINUTES": "1_000"},
            (
                "lookback_minutes: TAP_WOLKVOX_LOOKBACK_MINUTES='1_000' is not a whole number; "
                "give a whole number from 0 to 10080"
            ),
        ),
        (
            {"TAP_WOLKVOX_MAX_ATTEMPTS": ""},
            (
                "max_attempts: TAP_WOLKVOX_MAX_ATTEMPTS='' is not a whole number; "
                "give a whole number from 1 to 50"
            ),
        ),
        (
            {"TAP_WOLKVOX_REQUEST_TIMEOUT": "nan"},
            (
                "request_timeout: TAP_WOLKVOX_REQUEST_TIMEOUT='nan' is not a number; "
                "give a number from 1 to 3600"
            ),
        ),
        (
            {"TAP_WOLKVOX_REQUEST_TIMEOUT": "1e999"},
            (
                "request_timeout: TAP_WOLKVOX_REQUEST_TIMEOUT='1e999' is not a number; "
                "give a number from 1 to 3600"
            ),
        ),
        (
            {"TAP_WOLKVOX_FLATTENING_ENABLED": "maybe"},
            (
                "flattening_enabled: TAP_WOLKVOX_FLATTENING_ENABLED='maybe' is not true or false; "
                "give true, false, yes, no, 1 or 0"
            ),
        ),
        (
            {"TAP_WOLKVOX_FLATTENING_ENABLED": "on"},
            (
                "flattening_enabled: TAP_WOLKVOX_FLATTENING_ENABLED='on' is not true or false; "
                "give true, false, yes, no, 1 or 0"
            ),
        ),
        (
            {"TAP_WOLKVOX_STREAM_MAPS": "[1]"},
            "stream_maps: TAP_WOLKVOX_STREAM_MAPS='[1]' is not a JSON object; give a JSON object",
        ),
        (
            {"TAP_WOLKVOX_STREAM_MAPS": "{bad"},
            "stream_maps: TAP_WOLKVOX_STREAM_MAPS='{bad' is not a JSON object; give a JSON object",
        ),
    ],
)
def test_environment_values_of_the_wrong_kind_are_problems(
    tap_schema: dict[str, Any], environ: dict[str, str], problem: str
) -> None:
    read, problems = config.read_environment(tap_schema, PREFIX, environ)
    assert read == {}
    assert problems == [problem]


def test_environment_problems_never_show_a_secret(tap_schema: dict[str, Any]) -> None:
    environ = {"TAP_WOLKVOX_STREAM_MAP_CONFIG": "Hidden-Value-7731"}
    read, problems = config.read_environment(tap_schema, PREFIX, environ)
    assert read == {}
    assert problems == [
        "stream_map_config: TAP_WOLKVOX_STREAM_MAP_CONFIG is not a JSON object; give a JSON object"
    ]


def test_environment_reads_type_lists_and_alternatives() -> None:
    schema = {
        "properties": {
            "count": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
            "seed": {"oneOf": [{"type": ["number"]}, {"type": ["string"]}, {"type": "null"}]},
            "word": {"oneOf": [{"type": ["number"]}, {"type": ["string"]}]},
            "flag": {"type": ["boolean", "null"]},
            "names": {"type": ["array", "null"], "items": {"type": "string"}},
            "mode": {"anyOf": [{"const": "__NULL__"}, {"type": "object"}]},
            "free": {},
        }
    }
    environ = {
        "X_COUNT": "5",
        "X_SEED": "2.5",
        "X_WORD": "abc",
        "X_FLAG": "no",
        "X_NAMES": '["a", "b"]',
        "X_MODE": "__NULL__",
        "X_FREE": "anything",
    }
    read, problems = config.read_environment(schema, "X_", environ)
    assert problems == []
    assert read == {
        "count": 5,
        "seed": 2.5,
        "word": "abc",
        "flag": False,
        "names": ["a", "b"],
        "mode": "__NULL__",
        "free": "anything",
    }
    _, problems = config.read_environment(schema, "X_", {"X_NAMES": "a,b", "X_COUNT": "five"})
    assert problems == [
        "count: X_COUNT='five' is not a whole number; give a whole number",
        "names: X_NAMES='a,b' is not a JSON array; give a JSON array",
    ]


# --- The token stays out of logs and tracebacks -------------------------------------------


def test_settings_repr_and_str_hide_the_token() -> None:
    settings = parse_settings(BASE)
    for text in (repr(settings), str(settings)):
        assert TOKEN not in text
        assert "wv0032" in text  # the rest is still there to debug with


# --- Dates the SDK can read again on every later run ---------------------------------------

DATE_FIX = "give YYYY-MM-DD or an RFC 3339 date-time such as 2026-01-31T00:00:00-05:00"


@pytest.mark.parametrize(
    "value",
    [
        "2026",
        "2026-01",
        "2026-001",
        "2026-W01",
        "2026-W01-1",
        "20260101",
        "2026-1-5",
        "2026-01-01T00",
        "2026-01-01T0000",
        "2026-01-01T00:00:00.1234567",
        "2026-01-01T00:00:00+0500",
        "2026-01-01T00:00:00+05",
        "2026-01-01t00:00:00z",
        " 2026-01-01",
        "2026-01-01\n",
        "\u0662\u0660\u0662\u0666-01-01",  # Arabic-Indic digits
        "2026-01-01T00:00:00 America/Bogota",
    ],
)
def test_partial_and_odd_iso_forms_are_refused(value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({**BASE, "start_date": value})
    assert caught.value.problems == [
        f"start_date: {value!r} is not a date or date-time; {DATE_FIX}"
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-02-30", "there is no day 30 in 2026-02"),
        ("2025-02-29", "there is no day 29 in 2025-02"),
        ("2026-04-00", "there is no day 00 in 2026-04"),
        ("2026-13-01", "month must be 01 to 12"),
        ("0000-01-01", "year must be 0001 to 9999"),
        ("2026-01-01T24:00", "hour must be 00 to 23"),
        ("2026-01-01T23:60", "minute must be 00 to 59"),
        ("2026-01-01T23:59:60Z", "second must be 00 to 59"),
        ("2026-01-01T00:00:00+24:00", "offset hours must be 00 to 23"),
        ("2026-01-01T00:00:00+05:60", "offset minutes must be 00 to 59"),
        ("0001-01-01T00:00:00+05:00", "outside the dates that can be handled"),
    ],
)
def test_dates_that_do_not_exist_are_refused(value: str, reason: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({**BASE, "end_date": value})
    assert caught.value.problems == [
        f"end_date: {value!r} is not a date or date-time ({reason}); {DATE_FIX}"
    ]


@pytest.mark.parametrize(
    "value",
    [
        "2026-01-31",
        "2024-02-29",
        "2026-01-31T00:00",
        "2026-01-31 00:00",
        "2026-01-31T10:20:30",
        "2026-01-31T10:20:30.5",
        "2026-01-31T10:20:30.123456",
        "2026-01-31T10:20:30Z",
        "2026-01-31T10:20Z",
        "2026-01-31T10:20:30+05:30",
        "2026-01-31 10:20:30.25-05:00",
        "2026-01-31T10:20:30-00:00",
    ],
)
def test_accepted_dates_read_as_the_sdk_reads_them(value: str) -> None:
    settings = parse_settings({**BASE, "start_date": value, "timezone": "Asia/Tokyo"})
    # The SDK reads start_date again with fromisoformat on every run that has a bookmark.
    sdk_reading = dt.datetime.fromisoformat(value)
    if sdk_reading.tzinfo is None:
        sdk_reading = sdk_reading.replace(tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
    assert settings.start == sdk_reading
    assert settings.start.tzinfo is dt.UTC
    assert type(settings.start) is dt.datetime


# --- api_url problems found at start-up, not as network errors later -------------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "http://local\nhost:8765",
            (
                r"api_url: 'http://local\nhost:8765' contains a space or control character; "
                "remove it"
            ),
        ),
        (
            "https://proxy.example.com/wol kvox",
            (
                "api_url: 'https://proxy.example.com/wol kvox' contains a space or control "
                "character; remove it"
            ),
        ),
        (
            "https://proxy.example.com/\twolkvox",
            (
                r"api_url: 'https://proxy.example.com/\twolkvox' contains a space or control "
                "character; remove it"
            ),
        ),
        (
            "http://127.0.0.1:8765\x00/x",
            (
                r"api_url: 'http://127.0.0.1:8765\x00/x' contains a space or control "
                "character; remove it"
            ),
        ),
        (
            "https://exa\u200bmple.com",
            (
                r"api_url: 'https://exa\u200bmple.com' contains a space or control "
                "character; remove it"
            ),
        ),
        (
            "http://127.0.0.1:99999",
            "api_url: port 99999 is out of range; give a port from 1 to 65535",
        ),
        ("http://127.0.0.1:0", "api_url: port 0 is out of range; give a port from 1 to 65535"),
        ("http://[::1]:70000", "api_url: port 70000 is out of range; give a port from 1 to 65535"),
        (
            "http://127.0.0.1:+80",
            "api_url: port '+80' is not a number; give a port from 1 to 65535",
        ),
        (
            "https://host:abc/x",
            "api_url: port 'abc' is not a number; give a port from 1 to 65535",
        ),
        (
            "http://[::1:80",  # urlsplit raised a bare "Invalid IPv6 URL" before
            "api_url: 'http://[::1:80' is not an http(s) URL; e.g. https://wv0032.wolkvox.com",
        ),
    ],
)
def test_unusable_api_urls_are_refused_at_start_up(url: str, problem: str) -> None:
    with pytest.raises(SettingsError) as caught:
        parse_settings({**BASE, "api_url": url})
    assert caught.value.problems == [problem]


@pytest.mark.parametrize(
    "url", ["http://localhost:65535", "https://host:1/x", "http://[::1]:9", " https://host/ "]
)
def test_ports_in_range_are_allowed(url: str) -> None:
    assert parse_settings({**BASE, "api_url": url}).api_url == url.strip().rstrip("/")


@pytest.mark.parametrize(
    "url",
    ["ftp://user:s3cr3t-pw@host", "https://user:s3cr3t-pw@host/\\n", "https://u:s3cr3t-pw@h x"],
)
def test_an_api_url_with_a_password_is_never_echoed(url: str) -> None:
    config = {"server": "0032", "token": "t", "start_date": "2026-01-01", "api_url": url}
    with pytest.raises(SettingsError) as caught:
        parse_settings(config)
    assert "s3cr3t-pw" not in str(caught.value)
    assert str(caught.value).startswith("api_url: ")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ("all",)), (["all"], ("all",)), (["ALL"], ("all",)), ([" 101 ", 102], ("101", "102"))],
)
def test_campaign_ids_are_read_as_ids_or_all(value: object, expected: tuple[str, ...]) -> None:
    assert parse_campaign_ids(value) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ([], "is not a non-empty list"),
        ("101", "is not a non-empty list"),
        (["101", ""], "not an id"),
        (["101", True], "not an id"),
        (["101", "101"], "lists an id twice"),
        (["ALL", "101"], "lists all beside other ids"),
    ],
)
def test_campaign_ids_that_cannot_work_are_one_line_each(value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words) as raised:
        parse_campaign_ids(value)
    assert str(raised.value).startswith("campaign_ids: ")
    assert "\n" not in str(raised.value)
