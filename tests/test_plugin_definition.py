"""tap-wolkvox.yml, the Meltano plugin definition users add the tap from.

The fast tests check it against ``tap-wolkvox --about`` and pyproject.toml. The end-to-end
test does what the README tells a new user to do: a new Meltano project outside this
repository adds the extractor from the file (its ``pip_url`` pointed at a wheel built from
this checkout, since the version may not be on PyPI yet), installs it, selects a stream and
runs it into target-jsonl against the fake API.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from meltano.core.plugin import PluginType
from meltano.core.plugin.base import PluginDefinition
from meltano.core.setting_definition import SettingDefinition, SettingKind
from ruamel.yaml import YAML

from tests.conftest import ROOT, TAP
from tests.fake_wolkvox import FakeWolkvox, generate_rows
from tests.test_packaging import VERSION, build

SCRIPT = ROOT / "scripts" / "plugin_definition.py"
DEFINITION = ROOT / "tap-wolkvox.yml"
WRITE = ".venv/bin/python scripts/plugin_definition.py --write"
MELTANO = str(Path(sys.executable).with_name("meltano"))


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plugin_definition", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


plugin_definition = _load_script()


@pytest.fixture(scope="module")
def about() -> dict[str, Any]:
    result = subprocess.run(
        [*TAP, "--about", "--format=json"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    info: dict[str, Any] = json.loads(result.stdout)
    return info


@pytest.fixture(scope="module")
def shipped() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DEFINITION.read_text(encoding="utf-8"))
    return loaded


def test_the_file_is_what_the_script_prints(about) -> None:
    expected = plugin_definition.render(
        about, plugin_definition.project_version(), plugin_definition.python_versions()
    )
    assert DEFINITION.read_text(encoding="utf-8") == expected, (
        f"tap-wolkvox.yml is stale: run `{WRITE}`"
    )


# What each JSON type of --about is in Meltano, written out here rather than taken from
# the script, so that a wrong mapping in the script cannot pass unnoticed.
KINDS = {"string": "string", "integer": "integer", "boolean": "boolean", "object": "object"}
KINDS |= {"array": "array", "number": "integer"}  # number: see NUMBER_KIND in the script
DATES = {"start_date", "end_date"}


def _json_type(schema: dict[str, Any]) -> str:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    (kind,) = {t for t in types if t != "null"}
    return str(kind)


def test_every_setting_of_about_is_in_the_definition_in_order(about, shipped) -> None:
    names = [setting["name"] for setting in shipped["settings"]]
    assert names == list(about["settings"]["properties"])


def test_kinds_descriptions_labels_and_secrecy_agree_with_about(about, shipped) -> None:
    for setting in shipped["settings"]:
        schema = about["settings"]["properties"][setting["name"]]
        kind = "date_iso8601" if setting["name"] in DATES else KINDS[_json_type(schema)]
        assert setting["kind"] == kind, setting["name"]
        assert setting["description"] == schema["description"], setting["name"]
        assert setting["label"] == schema["title"], setting["name"]
        assert setting.get("sensitive", False) == schema.get("secret", False), setting["name"]
        assert "value" not in setting, f"{setting['name']}: defaults belong to the tap"


def test_secrets_are_sensitive(shipped) -> None:
    sensitive = {s["name"] for s in shipped["settings"] if s.get("sensitive")}
    assert "token" in sensitive


def test_capabilities_required_settings_and_names_agree_with_about(about, shipped) -> None:
    assert shipped["name"] == shipped["executable"] == about["name"] == "tap-wolkvox"
    assert shipped["namespace"] == "tap_wolkvox"
    assert shipped["capabilities"] == about["capabilities"]
    assert shipped["settings_group_validation"] == [about["settings"]["required"]]
    assert shipped["description"] == about["description"]


def test_the_shipped_pip_url_names_the_current_version(shipped) -> None:
    assert shipped["pip_url"] == f"tap-wolkvox=={VERSION}"
    header = DEFINITION.read_text(encoding="utf-8").split("\nname:", 1)[0]
    assert re.findall(r"/v(\d[^/]*)/tap-wolkvox\.yml", header) == [VERSION]


def test_supported_python_versions_are_the_classifiers(about, shipped) -> None:
    assert shipped["supported_python_versions"] == plugin_definition.python_versions()
    assert "3.14" in shipped["supported_python_versions"]


def test_meltano_knows_every_key_and_kind_of_the_file(shipped) -> None:
    # `meltano add --from-ref` silently drops plugin keys it does not know.
    parsed = PluginDefinition.parse({"plugin_type": PluginType.EXTRACTORS, **shipped})
    assert parsed.extras == {}
    known = set(inspect.signature(SettingDefinition.__init__).parameters) - {"self", "attrs"}
    for setting in shipped["settings"]:
        assert set(setting) <= known, setting["name"]
    (variant,) = parsed.variants
    for setting in variant.settings:
        assert isinstance(setting.kind, SettingKind), setting.name


def test_the_script_refuses_a_schema_it_cannot_map() -> None:
    with pytest.raises(ValueError, match="no Meltano kind"):
        plugin_definition.setting_kind("odd", {"type": ["string", "integer"]})
    with pytest.raises(ValueError, match="no description"):
        plugin_definition.setting("bare", {"type": ["string"]})


# -- a new Meltano project, end to end --------------------------------------------------

TARGET_JSONL = {
    "name": "target-jsonl",
    "namespace": "target_jsonl",
    "pip_url": "target-jsonl==0.1.4",
    "executable": "target-jsonl",
    "settings": [
        {"name": "destination_path", "kind": "string"},
        {"name": "do_timestamp_file", "kind": "boolean"},
    ],
}


class NewProject:
    """A Meltano project in ``directory``, with nothing of this repository's environment."""

    def __init__(self, directory: Path, fake: FakeWolkvox) -> None:
        self.directory = directory
        self.timings: dict[str, float] = {}
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("MELTANO_", "TAP_WOLKVOX_", "TARGET_JSONL_", "VIRTUAL_ENV"))
        }
        self.env = {
            **inherited,
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "TAP_WOLKVOX_SERVER": "0032",
            "TAP_WOLKVOX_TOKEN": fake.token,
            "TAP_WOLKVOX_API_URL": fake.base_url,
            "TAP_WOLKVOX_START_DATE": "2026-01-01",
            "TAP_WOLKVOX_END_DATE": "2026-02-01",
            # A number setting through Meltano's environment: the kind the definition gives.
            "TAP_WOLKVOX_REQUEST_TIMEOUT": "30",
            "TAP_WOLKVOX_RETRY_WAIT_SECONDS": "0",
            "TARGET_JSONL_DESTINATION_PATH": "output",
            "TARGET_JSONL_DO_TIMESTAMP_FILE": "false",
        }

    def meltano(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        started = time.monotonic()
        result = subprocess.run(
            [MELTANO, *args],
            cwd=cwd or self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        self.timings[args[0]] = self.timings.get(args[0], 0.0) + time.monotonic() - started
        assert result.returncode == 0, f"meltano {' '.join(args)}:\n{result.stderr[-4000:]}"
        return result

    def plugins(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load((self.directory / "meltano.yml").read_text())
        return loaded.get("plugins", {})

    def set_pip_url(self, name: str, pip_url: str) -> None:
        """What the README's offline variant says: edit ``pip_url`` in meltano.yml."""
        path = self.directory / "meltano.yml"
        round_trip = YAML()
        document = round_trip.load(path.read_text())
        (plugin,) = (p for p in document["plugins"]["extractors"] if p["name"] == name)
        plugin["pip_url"] = pip_url
        with path.open("w") as file:
            round_trip.dump(document, file)


@pytest.mark.e2e
def test_a_new_project_outside_the_repository_runs_the_tap_from_the_definition(
    fake, tmp_path
) -> None:
    rows = generate_rows(dt.datetime(2026, 1, 3), dt.datetime(2026, 1, 10), per_day=40)
    fake.set_rows(rows)
    started = time.monotonic()
    wheel = build(tmp_path / "dist").wheel
    built = time.monotonic() - started

    project = NewProject(tmp_path / "project", fake)
    assert not project.directory.resolve().is_relative_to(ROOT)
    project.meltano("init", "project", "--no-usage-stats", cwd=tmp_path)
    (tmp_path / "target-jsonl.yml").write_text(yaml.safe_dump(TARGET_JSONL))
    project.meltano(
        "add", "--plugin-type", "loader", "--from-ref", str(tmp_path / "target-jsonl.yml"),
        "target-jsonl", "--no-install",
    )  # fmt: skip
    # The README's command. `meltano add extractor tap-wolkvox --from-ref ...` would also
    # add a stray utility named tap-wolkvox.
    project.meltano(
        "add", "--plugin-type", "extractor", "--from-ref", str(DEFINITION), "tap-wolkvox",
        "--no-install",
    )  # fmt: skip
    plugins = project.plugins()
    assert {kind: [p["name"] for p in listed] for kind, listed in plugins.items()} == {
        "extractors": ["tap-wolkvox"],
        "loaders": ["target-jsonl"],
    }
    assert plugins["extractors"][0]["pip_url"] == f"tap-wolkvox=={VERSION}"  # as shipped
    project.set_pip_url("tap-wolkvox", str(wheel))

    project.meltano("install")
    project.meltano("select", "tap-wolkvox", "chatbot_interactions", "*")
    project.meltano("run", "tap-wolkvox", "target-jsonl")

    lines = (project.directory / "output" / "chatbot_interactions.jsonl").read_text()
    records = [json.loads(line) for line in lines.splitlines()]
    assert len(records) == len({r["record_key"] for r in records}) == len(rows)
    assert {r["session_id"] for r in records} == {r["session_id"] for r in rows}
    assert {call.api for call in fake.calls} == {"diagram_9"}  # only the selected stream
    assert [path.name for path in (project.directory / "output").glob("*.jsonl")] == [
        "chatbot_interactions.jsonl"
    ]
    print(f"wheel built in {built:.1f} s; " + ", ".join(
        f"meltano {step}: {seconds:.1f} s" for step, seconds in project.timings.items()
    ))  # fmt: skip
