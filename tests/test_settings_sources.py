"""Every setting of ``--about`` reaches the tap unchanged, however it is given; one declaration.

The ways in: a JSON file (``--config file``), environment variables (``--config ENV``) and
Meltano, with values from its environment or from ``meltano.yml``. What Meltano hands the
tap is the file ``meltano invoke --dump=config`` prints; a probe (the tap's own command
line, stopped where the sync would start) says what the tap made of each source.

The Meltano tests (marked ``e2e``: they need ``meltano install``, though no PostgreSQL) run
in copies of this project's ``meltano.yml`` in temporary folders, whose ``.meltano`` links
to this project's installed plugins.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tap_wolkvox.tap import InputFileError, TapWolkvox, read_state_file
from tests.conftest import ROOT, TAP, parse_messages, run_tap, tap_config
from tests.fake_wolkvox import FakeWolkvox, generate_rows

MELTANO = str(Path(sys.executable).with_name("meltano"))
PREFIX = "TAP_WOLKVOX_"
SALT = "Salt-8842-never-shown"

# The settings schema as `--about` prints it (test_about_is_this_schema checks that).
SCHEMA: dict[str, Any] = copy.deepcopy(TapWolkvox.config_jsonschema)
TapWolkvox.append_builtin_config(SCHEMA)
NAMES = list(SCHEMA["properties"])

# A valid value for every setting, none of them its default, all usable together.
VALUES: dict[str, Any] = {
    "server": "wv0045",
    "token": "Token-5521-secret",
    "start_date": "2026-02-01T08:30:00",
    "end_date": "2026-03-01",
    "timezone": "America/Lima",
    "lookback_minutes": 60,
    "max_records_per_request": 5000,
    "request_timeout": 75.5,
    "api_url": "https://proxy.example.com/wolkvox",
    "max_window_days": 7,
    "max_attempts": 3,
    "retry_wait_seconds": 0.5,
    "maintenance_wait_seconds": 30.5,
    "quota_reserve": 50,
    "settle_days": 3,
    "snapshot_refresh_minutes": 180,
    "campaign_ids": ["101", "102"],
    "stream_map_config": {"hash_salt": SALT},
    "stream_maps": {
        "chatbot_interactions": {
            "customer_name": "sha256(config['hash_salt'] + (customer_name or ''))"
        }
    },
    "faker_config": {"seed": 7, "locale": "es_CO"},
    "flattening_enabled": True,
    "flattening_max_depth": 2,
    "flattening_max_key_length": 40,
    "flattening_separator": "__",
}

# Meltano kinds by JSON type, as in the plugin definition (scripts/plugin_definition.py).
# A JSON number is `integer` for Meltano: Meltano 4.4 fails to serialise its `decimal` kind
# when the value comes from an environment variable. The two dates are `date_iso8601`.
MELTANO_KINDS = {
    "string": "string",
    "integer": "integer",
    "number": "integer",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
}
DATES = {"start_date", "end_date"}


def json_type(prop: Mapping[str, Any]) -> str:
    types = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    (kind,) = [kind for kind in types if kind != "null"]
    return str(kind)


def expected(way: str, name: str) -> Any:
    """The value of ``name`` given ``way``: through Meltano's environment, whole numbers."""
    value = VALUES[name]
    if way == "meltano-env" and json_type(SCHEMA["properties"][name]) == "number":
        return int(value)
    return value


def as_text(value: Any) -> str:
    """A value as an environment variable holds it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


def environment(way: str) -> dict[str, str]:
    return {PREFIX + name.upper(): as_text(expected(way, name)) for name in NAMES}


def clean_environ() -> dict[str, str]:
    """This process's environment without any tap-wolkvox or Meltano setting."""
    return {
        key: value for key, value in os.environ.items() if not key.startswith((PREFIX, "MELTANO_"))
    }


@dataclass
class Command:
    args: list[str]
    cwd: Path
    env: dict[str, str]


def run_together(*commands: Command) -> list[subprocess.CompletedProcess[str]]:
    """Run the commands at the same time (each Meltano start costs a second or two)."""
    processes = [
        subprocess.Popen(
            command.args,
            cwd=command.cwd,
            env=command.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    results = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=180)
        results.append(
            subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
        )
    return results


# The tap's command line as users run it, with the sync replaced by printing the config
# the tap ended up with (after reading files or variables and validating every setting).
# The SDK reads a fraction in a config file as a Decimal, printed here as a float.
PROBE = """
import json
from tap_wolkvox.tap import TapWolkvox

class Probe(TapWolkvox):
    def sync_all(self):
        print("PROBE " + json.dumps(dict(self.config), default=float))

Probe.cli()
"""


def probe(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Command:
    return Command([sys.executable, "-c", PROBE, *args], cwd, {**clean_environ(), **(env or {})})


def meltano_project(root: Path, config: dict[str, Any] | None = None) -> Path:
    """A copy of this project's meltano.yml in ``root``; ``config`` replaces the tap's config."""
    yaml = YAML()
    project = yaml.load((ROOT / "meltano.yml").read_text())
    if config is not None:
        (extractor,) = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-wolkvox"]
        extractor["config"] = config
    root.mkdir()
    with (root / "meltano.yml").open("w") as file:
        yaml.dump(project, file)
    (root / ".meltano" / "extractors").mkdir(parents=True)
    for installed in (ROOT / ".meltano" / "extractors").iterdir():
        (root / ".meltano" / "extractors" / installed.name).symlink_to(installed)
    return root


DATABASES = itertools.count()


def meltano(project: Path, *args: str, env: dict[str, str] | None = None) -> Command:
    return Command(
        [MELTANO, *args],
        project,
        {
            **clean_environ(),
            # One system database per command: they run at the same time.
            "MELTANO_DATABASE_URI": f"sqlite:///{project / f'meltano-{next(DATABASES)}.db'}",
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            **(env or {}),
        },
    )


# In meltano.yml, the hash salt's object is given as one JSON text that names a variable:
# nested keys under it would be listed by Meltano as plain settings of their own.
YML_CONFIG = {
    **VALUES,
    "stream_map_config": '{"hash_salt": "${WOLKVOX_HASH_SALT}"}',
}
YML_ENV = {"WOLKVOX_HASH_SALT": SALT}


@dataclass
class MeltanoProjects:
    env: Path  # the shipped meltano.yml; values in environment variables
    yml: Path  # values in meltano.yml's config


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> MeltanoProjects:
    base = tmp_path_factory.mktemp("meltano")
    return MeltanoProjects(
        env=meltano_project(base / "env"), yml=meltano_project(base / "yml", YML_CONFIG)
    )


def config_reached(run: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The config the probe says the tap ended up with."""
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    (line,) = [line for line in run.stdout.splitlines() if line.startswith("PROBE ")]
    config: dict[str, Any] = json.loads(line.removeprefix("PROBE "))
    return config


@pytest.fixture(scope="module")
def without_meltano(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[str]]:
    work = tmp_path_factory.mktemp("probe")
    (work / "config.json").write_text(json.dumps(VALUES))
    file_run, env_run = run_together(
        probe(["--config", "config.json"], work),
        probe(["--config", "ENV"], work, environment("env")),
    )
    return {"file": file_run, "env": env_run}


@dataclass
class ThroughMeltano:
    runs: dict[str, subprocess.CompletedProcess[str]]  # the probe, or the step that failed
    invoked: subprocess.CompletedProcess[str]  # `meltano invoke tap-wolkvox --test=schema`


@pytest.fixture(scope="module")
def through_meltano(
    projects: MeltanoProjects, tmp_path_factory: pytest.TempPathFactory
) -> ThroughMeltano:
    work = tmp_path_factory.mktemp("probe")
    meltano_env = environment("meltano-env")
    env_dump, yml_dump, invoked = run_together(
        meltano(projects.env, "invoke", "--dump=config", "tap-wolkvox", env=meltano_env),
        meltano(projects.yml, "invoke", "--dump=config", "tap-wolkvox", env=YML_ENV),
        # Once for real: Meltano starts the tap, which checks every setting.
        meltano(projects.env, "invoke", "tap-wolkvox", "--test=schema", env=meltano_env),
    )
    runs = {"meltano-env": env_dump, "meltano-yml": yml_dump}
    dumped = {way: run for way, run in runs.items() if run.returncode == 0}
    for way, dump in dumped.items():
        (work / f"{way}.json").write_text(dump.stdout)
    probes = run_together(*(probe(["--config", f"{way}.json"], work) for way in dumped))
    runs.update(zip(dumped, probes, strict=True))
    return ThroughMeltano(runs, invoked)


@pytest.mark.e2e
def test_meltano_starts_the_tap_with_every_setting(through_meltano: ThroughMeltano) -> None:
    invoked = through_meltano.invoked
    assert invoked.returncode == 0, invoked.stderr
    assert "Config: " not in invoked.stderr
    schemas = [m for m in parse_messages(invoked.stdout) if m["type"] == "SCHEMA"]
    assert schemas, invoked.stdout[-2000:]


@pytest.fixture(scope="module")
def about() -> dict[str, Any]:
    result = subprocess.run(
        [*TAP, "--about", "--format=json"], capture_output=True, text=True, check=True
    )
    settings: dict[str, Any] = json.loads(result.stdout)["settings"]
    return settings


def test_about_is_this_schema(about: dict[str, Any]) -> None:
    assert about == SCHEMA


def test_every_setting_has_a_test_value_that_is_not_its_default() -> None:
    assert list(VALUES) == NAMES
    for name, prop in SCHEMA["properties"].items():
        assert expected("meltano-env", name) != prop.get("default"), name
        assert VALUES[name] != prop.get("default"), name


def assert_reached(config: dict[str, Any], way: str, name: str) -> None:
    got = config.get(name)
    assert got == expected(way, name)
    assert type(got) is type(expected(way, name))  # 1 is not True, 75 is not 75.5


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("way", ["file", "env"])
def test_every_setting_reaches_the_tap_unchanged(
    without_meltano: dict[str, subprocess.CompletedProcess[str]], way: str, name: str
) -> None:
    assert_reached(config_reached(without_meltano[way]), way, name)


@pytest.mark.e2e  # needs `meltano install`
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("way", ["meltano-env", "meltano-yml"])
def test_every_setting_reaches_the_tap_unchanged_through_meltano(
    through_meltano: ThroughMeltano, way: str, name: str
) -> None:
    assert_reached(config_reached(through_meltano.runs[way]), way, name)


# --- One declaration: meltano.yml says what --about says --------------------------------


def extractor_definition() -> dict[str, Any]:
    project = YAML(typ="safe").load((ROOT / "meltano.yml").read_text())
    (extractor,) = [p for p in project["plugins"]["extractors"] if p["name"] == "tap-wolkvox"]
    definition: dict[str, Any] = extractor
    return definition


def meltano_setting(name: str, prop: Mapping[str, Any]) -> dict[str, Any]:
    """The meltano.yml entry for a setting of ``--about`` (no default: the tap's own apply)."""
    kind = "date_iso8601" if name in DATES else MELTANO_KINDS[json_type(prop)]
    entry: dict[str, Any] = {"name": name, "kind": kind}
    if prop.get("secret"):
        entry["sensitive"] = True
    entry["label"] = prop["title"]
    entry["description"] = prop["description"]
    return entry


def test_meltano_yml_declares_every_setting_as_about_does(about: dict[str, Any]) -> None:
    definition = extractor_definition()
    wanted = [meltano_setting(name, prop) for name, prop in about["properties"].items()]
    assert definition["settings"] == wanted
    assert definition["settings_group_validation"] == [about["required"]]


def test_number_settings_show_their_range_and_refuse_values_outside_it(
    about: dict[str, Any], tmp_path: Path
) -> None:
    numbers = {
        name: prop
        for name, prop in about["properties"].items()
        if "minimum" in prop or "maximum" in prop
    }
    assert set(numbers) == {
        "lookback_minutes",
        "max_records_per_request",
        "request_timeout",
        "max_window_days",
        "max_attempts",
        "retry_wait_seconds",
        "maintenance_wait_seconds",
        "quota_reserve",
        "settle_days",
        "snapshot_refresh_minutes",
    }
    config = {**VALUES, **{name: prop["maximum"] + 1 for name, prop in numbers.items()}}
    result = run_tap(tmp_path, config)
    assert result.returncode == 1
    problems = [
        line.split("Config: ", 1)[1] for line in result.stderr.splitlines() if "Config: " in line
    ]
    assert sorted(problem.split(":", 1)[0] for problem in problems) == sorted(numbers)
    for problem in problems:
        name = problem.split(":", 1)[0]
        low, high = numbers[name]["minimum"], numbers[name]["maximum"]
        assert "is out of range; give a" in problem
        assert problem.endswith(f"from {low} to {high}"), problem


def test_a_fraction_where_a_whole_number_is_wanted_names_the_setting(tmp_path: Path) -> None:
    result = run_tap(tmp_path, {**VALUES, "max_window_days": 7.5})
    assert result.returncode == 1
    assert (
        "Config: max_window_days: 7.5 is not a whole number; give a whole number from 1 to 31"
        in result.stderr
    )


# --- The hash salt stays hidden ------------------------------------------------------------


def test_about_marks_stream_map_config_secret(about: dict[str, Any]) -> None:
    prop = about["properties"]["stream_map_config"]
    assert prop["secret"] is True
    assert prop["writeOnly"] is True
    assert prop["type"] == ["object", "null"]
    assert prop["additionalProperties"] is True


LISTINGS = [("config", "list", "tap-wolkvox"), ("config", "print", "tap-wolkvox")]


@pytest.fixture(scope="module")
def listings(projects: MeltanoProjects) -> dict[tuple[str, tuple[str, ...]], str]:
    """What Meltano prints of the tap's settings, salt given by variable or in meltano.yml."""
    salted = {f"{PREFIX}STREAM_MAP_CONFIG": json.dumps({"hash_salt": SALT})}
    commands = {
        (where, listing): meltano(project, *listing, env=env)
        for where, project, env in (("env", projects.env, salted), ("yml", projects.yml, YML_ENV))
        for listing in LISTINGS
    }
    results = run_together(*commands.values())
    printed = {}
    for key, result in zip(commands, results, strict=True):
        assert result.returncode == 0, result.stderr
        printed[key] = result.stdout + result.stderr
    return printed


@pytest.mark.e2e  # needs `meltano install`
@pytest.mark.parametrize("where", ["env", "yml"])
@pytest.mark.parametrize("listing", LISTINGS)
def test_meltano_never_shows_the_hash_salt(
    listings: dict[tuple[str, tuple[str, ...]], str], where: str, listing: tuple[str, ...]
) -> None:
    printed = listings[where, listing]
    assert "STREAM_MAP_CONFIG" in printed.upper()  # the setting is there...
    assert SALT not in printed  # ...and its value is not


# --- --state: a first run has no file yet --------------------------------------------------

JAN = dt.datetime(2026, 1, 1)


def run_tap_with_state(
    fake: FakeWolkvox, tmp_path: Path, state: Path
) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.json"
    config.write_text(json.dumps(tap_config(fake)))
    return subprocess.run(
        [*TAP, "--config", str(config), "--state", str(state)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=clean_environ(),
    )


def test_a_first_run_without_its_state_file_starts_at_start_date(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    fake.set_rows(generate_rows(JAN, dt.datetime(2026, 1, 20), per_day=40))
    state = tmp_path / "state.json"
    first = run_tap_with_state(fake, tmp_path, state)
    assert first.returncode == 0, first.stderr
    (line,) = [line for line in first.stderr.splitlines() if "does not exist yet" in line]
    assert "INFO" in line
    assert f"--state {state} does not exist yet" in line
    assert not state.exists()  # the tap never writes it
    assert fake.calls[0].date_ini == "20260101000000"
    records = [m for m in parse_messages(first.stdout) if m["type"] == "RECORD"]
    assert len(records) == len(fake.rows)
    # As a scheduled job does: keep the last STATE line, and the next run starts there.
    last_state = [line for line in first.stdout.splitlines() if line.startswith('{"type":"STATE"')]
    state.write_text(json.dumps(json.loads(last_state[-1])["value"]))
    fake.calls.clear()
    second = run_tap_with_state(fake, tmp_path, state)
    assert second.returncode == 0, second.stderr
    assert "does not exist yet" not in second.stderr
    assert len(fake.calls) == 1
    assert fake.calls[0].date_ini > "20260131"  # the bookmark, less the lookback


def test_an_empty_state_file_stops_the_run_with_one_line_naming_it(
    fake: FakeWolkvox, tmp_path: Path
) -> None:
    state = tmp_path / "state.json"
    state.write_text("")
    result = run_tap_with_state(fake, tmp_path, state)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1
    assert f"--state {state} is empty; give a file holding a JSON object" in errors[0]
    assert fake.calls == []


FIX = "give a file holding a JSON object"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "is empty; " + FIX),
        (b" \n", "is empty; " + FIX),
        (
            b"{bad",
            "is not JSON (Expecting property name enclosed in double quotes, line 1); " + FIX,
        ),
        (b'{"bookmarks": {}}\n{"bookmarks": {}}', "is not JSON (Extra data, line 2); " + FIX),
        (b"[1]", "holds JSON that is not an object; give a JSON object"),
        (b"null", "holds JSON that is not an object; give a JSON object"),
        (b"\xff\xfe{}", "is not UTF-8 text; " + FIX),
    ],
)
def test_an_unreadable_state_file_is_an_error_naming_it(
    tmp_path: Path, content: bytes, problem: str
) -> None:
    state = tmp_path / "state.json"
    state.write_bytes(content)
    with pytest.raises(InputFileError) as caught:
        read_state_file(state)
    assert str(caught.value) == f"--state {state} {problem}"


def test_a_state_path_that_cannot_be_a_first_run_is_an_error_naming_it(tmp_path: Path) -> None:
    missing_folder = tmp_path / "missing" / "state.json"
    with pytest.raises(InputFileError, match=r"its folder .*missing does not exist"):
        read_state_file(missing_folder)
    with pytest.raises(InputFileError, match=f"--state {tmp_path} cannot be read"):
        read_state_file(tmp_path)  # a folder


@pytest.fixture
def tap_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    with caplog.at_level(logging.INFO, logger="tap-wolkvox"):
        yield caplog


def test_a_missing_state_file_is_no_state_and_one_info_line(
    tmp_path: Path, tap_logs: pytest.LogCaptureFixture
) -> None:
    state = tmp_path / "state.json"
    assert read_state_file(state) is None
    assert [(r.levelno, r.getMessage()) for r in tap_logs.records] == [
        (
            logging.INFO,
            (
                f"--state {state} does not exist yet: no saved state, so every stream starts "
                "at start_date"
            ),
        )
    ]


def test_a_state_file_is_read_as_it_is(
    tmp_path: Path, tap_logs: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = {"bookmarks": {"chatbot_interactions": {"replication_key_value": "2026-01-02"}}}
    state = tmp_path / "state.json"
    state.write_text(json.dumps(saved))
    assert read_state_file(state) == saved
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(saved)))
    assert read_state_file(Path("-")) == saved
    assert read_state_file(None) is None
    assert tap_logs.records == []
