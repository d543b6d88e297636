"""Shared fixtures: the fake Wolkvox API and a way to run the real tap against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.fake_wolkvox import FakeWolkvox

ROOT = Path(__file__).resolve().parent.parent
TAP = [sys.executable, "-m", "tap_wolkvox"]


@pytest.fixture
def fake() -> Iterator[FakeWolkvox]:
    server = FakeWolkvox()
    server.start()
    yield server
    server.stop()


def tap_config(fake: FakeWolkvox, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "server": "0032",
        "token": fake.token,
        "api_url": fake.base_url,
        "start_date": "2026-01-01T00:00:00",
        "end_date": "2026-02-01T00:00:00",
        "retry_wait_seconds": 0.01,
        "maintenance_wait_seconds": 0.02,
        "request_timeout": 5,
    }
    config.update(overrides)
    return {key: value for key, value in config.items() if value is not None}


@dataclass
class TapRun:
    returncode: int
    stdout: str
    stderr: str
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def records(self) -> list[dict[str, Any]]:
        return [m["record"] for m in self.messages if m["type"] == "RECORD"]

    @property
    def states(self) -> list[dict[str, Any]]:
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    @property
    def bookmark(self) -> str | None:
        if not self.states:
            return None
        stream = self.states[-1].get("bookmarks", {}).get("chatbot_interactions", {})
        return stream.get("replication_key_value")


def parse_messages(stdout: str) -> list[dict[str, Any]]:
    """Singer messages on stdout; other output (--about, --discover) yields none."""
    lines = stdout.splitlines()
    if lines and not stdout.endswith("\n"):
        lines.pop()  # a run killed mid-line leaves a partial last line
    return [json.loads(line) for line in lines if line.startswith('{"type":')]


def run_tap(
    tmp_path: Path,
    config: dict[str, Any],
    state: dict[str, Any] | None = None,
    args: list[str] | None = None,
    env: dict[str, str] | None = None,
) -> TapRun:
    config_path = tmp_path / "config.json"
    config_path.write_text(json.dumps(config))
    command = [*TAP, "--config", str(config_path)]
    if state is not None:
        state_path = tmp_path / "state.json"
        state_path.write_text(json.dumps(state))
        command += ["--state", str(state_path)]
    command += args or []
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
    )
    return TapRun(result.returncode, result.stdout, result.stderr, parse_messages(result.stdout))
