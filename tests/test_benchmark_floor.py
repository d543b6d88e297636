"""The benchmark's floor script writes the same records as the tap, so the ratio is fair."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from tests.conftest import ROOT, run_tap, tap_config
from tests.fake_wolkvox import generate_rows


def test_floor_and_tap_write_the_same_records(fake, tmp_path) -> None:
    fake.set_rows(generate_rows(dt.datetime(2026, 1, 5), dt.datetime(2026, 1, 6), per_day=500))
    fake.add_rows([{"session_id": "x", "date": "2026-01-05 12:00:00", "extra": "kept"}])
    floor = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "floor.py"),
            fake.base_url,
            fake.token,
            "20260105000000",
            "20260105235959",
            "America/Bogota",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    floor_records = [json.loads(line)["record"] for line in floor.stdout.splitlines()]
    tap = run_tap(tmp_path, tap_config(fake, start_date="2026-01-05", end_date="2026-01-06"))
    key = lambda record: record["record_key"]  # noqa: E731
    assert sorted(floor_records, key=key) == sorted(tap.records, key=key)
    assert len(floor_records) == len(fake.rows)
