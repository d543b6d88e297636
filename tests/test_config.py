"""Every setting is checked before any call, with a one-line message that says what to fix."""

from __future__ import annotations

import datetime as dt

import pytest

from tap_wolkvox.config import SettingsError, normalise_server, parse_settings

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
    assert settings.max_records_per_request == 6000
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
    assert settings.start == dt.datetime(2026, 1, 1, 5, tzinfo=dt.timezone.utc)
    assert settings.end == dt.datetime(2026, 1, 2, 5, tzinfo=dt.timezone.utc)


def test_dates_with_an_offset_keep_it() -> None:
    settings = parse_settings(
        {**BASE, "start_date": "2026-01-01T00:00:00Z", "timezone": "Asia/Tokyo"}
    )
    assert settings.start == dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ({"server": None}, "server: missing"),
        ({"token": None}, "token: missing"),
        ({"token": ""}, "token: missing"),
        ({"start_date": None}, "start_date: missing"),
        ({"token": " " + TOKEN}, "token: has leading or trailing spaces"),
        ({"server": "wv32"}, "server: 'wv32' is not a Wolkvox server"),
        ({"start_date": "yesterday-ish"}, "start_date: 'yesterday-ish' is not a date-time"),
        ({"start_date": "2999-01-01"}, "start_date: is in the future"),
        ({"end_date": "2025-01-01"}, "end_date: must be later than start_date"),
        ({"end_date": "31/01/2026"}, "end_date: '31/01/2026' is not a date-time"),
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
