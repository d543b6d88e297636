"""Print the Meltano plugin definition of tap-wolkvox, or rewrite tap-wolkvox.yml.

Users add the extractor to their own Meltano project from that file, without Meltano Hub::

    meltano add --plugin-type extractor --from-ref <path or URL of tap-wolkvox.yml> tap-wolkvox

Everything in it comes from ``tap-wolkvox --about --format=json`` (capabilities, settings
with their titles, descriptions and secrecy, the required settings) and from pyproject.toml
(the version ``pip_url`` pins, the Python versions of the classifiers), so that nothing is
written twice by hand.
``tests/test_plugin_definition.py`` fails when the file differs from what this prints.
From the repository root::

    .venv/bin/python scripts/plugin_definition.py            # print the definition
    .venv/bin/python scripts/plugin_definition.py --write    # rewrite tap-wolkvox.yml
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFINITION = ROOT / "tap-wolkvox.yml"
PYPROJECT = ROOT / "pyproject.toml"
WRITE_COMMAND = ".venv/bin/python scripts/plugin_definition.py --write"

REPOSITORY = "https://github.com/tap-wolkvox/tap-wolkvox"
NAMESPACE = "tap_wolkvox"
LABEL = "Wolkvox"

# Strings Meltano should treat as dates (it also accepts relative dates such as
# "3 days ago" for them); their JSON schema says only "string", since they accept both
# YYYY-MM-DD and RFC 3339 date-times.
DATE_SETTINGS = frozenset({"start_date", "end_date"})

# The Meltano kind of a JSON schema "number" setting. Not "decimal": Meltano 4.4 turns a
# decimal given in an environment variable (TAP_WOLKVOX_REQUEST_TIMEOUT=30.5) into a
# Decimal it then fails to write into the tap's config file ("Object of type Decimal is
# not JSON serializable"). Not "string" either: Meltano would then hand the tap "30" as a
# string, which a number setting refuses. "integer" passes whole numbers from everywhere.
NUMBER_KIND = "integer"


def about() -> dict[str, Any]:
    """What ``tap-wolkvox --about --format=json`` prints, parsed."""
    result = subprocess.run(
        [sys.executable, "-m", "tap_wolkvox", "--about", "--format=json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    info: dict[str, Any] = json.loads(result.stdout)
    return info


def _project(pyproject: Path) -> dict[str, Any]:
    with pyproject.open("rb") as file:
        project: dict[str, Any] = tomllib.load(file)["project"]
    return project


def project_version(pyproject: Path = PYPROJECT) -> str:
    """The version written in pyproject.toml, the only place it is written."""
    version: str = _project(pyproject)["version"]
    return version


def python_versions(pyproject: Path = PYPROJECT) -> list[str]:
    """The Python versions pyproject.toml's classifiers name, e.g. ``["3.11", "3.12"]``."""
    pattern = re.compile(r"Programming Language :: Python :: (3\.\d+)")
    found = (pattern.fullmatch(c) for c in _project(pyproject).get("classifiers", []))
    return [match.group(1) for match in found if match]


def json_types(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a setting's schema allows, ``null`` left out."""
    declared = schema.get("type")
    if declared is None:
        alternatives = [*schema.get("anyOf", ()), *schema.get("oneOf", ())]
        return set().union(*(json_types(alt) for alt in alternatives if isinstance(alt, dict)))
    types = {declared} if isinstance(declared, str) else set(declared)
    return types - {"null"}


def setting_kind(name: str, schema: Mapping[str, Any]) -> str:
    """The Meltano setting kind for the JSON schema of setting ``name``.

    Raises:
        ValueError: A schema this mapping does not know; extend it rather than guess.
    """
    types = json_types(schema)
    if types in ({"integer", "number"}, {"number"}):
        return NUMBER_KIND
    if len(types) == 1:
        (kind,) = types
        if kind == "string" and name in DATE_SETTINGS:
            return "date_iso8601"
        if kind == "string" and "enum" in schema:
            return "options"
        if kind in {"string", "integer", "boolean", "object", "array"}:
            return kind
    msg = f"setting {name!r}: no Meltano kind for JSON schema types {sorted(types)}"
    raise ValueError(msg)


def setting(name: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """One entry of the definition's ``settings``.

    Raises:
        ValueError: The setting has no description, or a schema without a Meltano kind.
    """
    description = schema.get("description")
    if not description:
        msg = f"setting {name!r} has no description: give it one in tap_wolkvox/tap.py"
        raise ValueError(msg)
    kind = setting_kind(name, schema)
    entry: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "label": schema.get("title", name),
        "description": description,
    }
    if kind == "options":
        entry["options"] = [{"label": str(value), "value": value} for value in schema["enum"]]
    if schema.get("secret"):
        entry["sensitive"] = True
    return entry


def definition(info: Mapping[str, Any], version: str, pythons: Sequence[str]) -> dict[str, Any]:
    """The plugin definition for the ``--about`` output ``info``, ``version`` and ``pythons``.

    ``supported_python_versions`` lets ``meltano add`` give the plugin a Python it supports
    when Meltano's own is not one of them.

    Defaults are left out on purpose: ``meltano add`` copies a definition into the user's
    meltano.yml, where a default would stay frozen at this version's value; the tap applies
    its own defaults.
    """
    settings = info["settings"]
    return {
        "name": info["name"],
        "namespace": NAMESPACE,
        "label": LABEL,
        "description": info["description"],
        "repo": REPOSITORY,
        "docs": f"{REPOSITORY}#readme",
        "pip_url": f"{info['name']}=={version}",
        "executable": info["name"],
        "supported_python_versions": list(pythons),
        "capabilities": list(info["capabilities"]),
        "settings_group_validation": [list(settings.get("required", []))],
        "settings": [setting(name, schema) for name, schema in settings["properties"].items()],
    }


def header(name: str, version: str) -> str:
    """The comment lines at the top of the file: how to use it and how it is made."""
    url = f"https://raw.githubusercontent.com/tap-wolkvox/tap-wolkvox/v{version}/{name}.yml"
    return (
        f"# Meltano plugin definition of the {name} extractor, version {version}. Add it to\n"
        "# any Meltano project, without Meltano Hub:\n"
        "#\n"
        f"#   meltano add --plugin-type extractor --from-ref {url} {name}\n"
        "#\n"
        "# Generated from `tap-wolkvox --about` and pyproject.toml by\n"
        "# scripts/plugin_definition.py; do not edit it by hand: change those, then run\n"
        f"# `{WRITE_COMMAND}`.\n"
    )


class _Dumper(yaml.SafeDumper):
    """YAML as written by hand: a list of plain values on one line, the rest in blocks."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.SequenceNode:
    plain = all(isinstance(item, str | int | float | bool) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=plain)


_Dumper.add_representer(list, _represent_list)


def render(info: Mapping[str, Any], version: str, pythons: Sequence[str]) -> str:
    """The whole file: header comments, then the definition as YAML."""
    body = yaml.dump(
        definition(info, version, pythons),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=92,
        default_flow_style=False,
    )
    return header(info["name"], version) + body


def main(argv: Sequence[str] | None = None) -> int:
    """Print the definition, or with ``--write`` rewrite tap-wolkvox.yml; the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {DEFINITION.name}")
    args = parser.parse_args(argv)
    text = render(about(), project_version(), python_versions())
    if not args.write:
        print(text, end="")
        return 0
    current = DEFINITION.read_text(encoding="utf-8") if DEFINITION.exists() else None
    if current == text:
        print(f"{DEFINITION.name}: already up to date")
    else:
        with DEFINITION.open("w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        print(f"{DEFINITION.name}: rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main())
