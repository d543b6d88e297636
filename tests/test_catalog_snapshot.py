"""The catalog users build on, pinned: renaming a stream or changing its keys orphans
their bookmarks and tables, so it must be a deliberate act.

After a deliberate change: ``.venv/bin/python -m tests.test_catalog_snapshot`` rewrites
``tests/catalog_snapshot.json``; say what changed in CHANGELOG.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tap_wolkvox.tap import TapWolkvox

SNAPSHOT = Path(__file__).with_name("catalog_snapshot.json")
CONFIG = {"server": "0032", "token": "t", "start_date": "2026-01-01"}


def catalog_summary() -> list[dict[str, Any]]:
    """What users depend on, stream by stream: names, keys, replication, selection."""
    summary = []
    for entry in TapWolkvox(config=CONFIG).catalog_dict["streams"]:
        (top,) = [m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == []]
        summary.append(
            {
                "stream": entry["tap_stream_id"],
                "key_properties": entry["key_properties"],
                "replication_key": entry["replication_key"],
                "replication_method": entry["replication_method"],
                "selected_by_default": top["selected-by-default"],
                "columns": sorted(entry["schema"]["properties"]),
            }
        )
    return sorted(summary, key=lambda stream: stream["stream"])


def test_the_catalog_matches_its_snapshot() -> None:
    pinned = json.loads(SNAPSHOT.read_text())
    current = catalog_summary()
    assert [s["stream"] for s in current] == [s["stream"] for s in pinned], (
        "streams added, removed or renamed: if deliberate, run "
        "`.venv/bin/python -m tests.test_catalog_snapshot` and record it in CHANGELOG.md"
    )
    for now, before in zip(current, pinned, strict=True):
        assert now == before, f"stream {now['stream']} changed; see this module's docstring"


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(catalog_summary(), indent=1, ensure_ascii=False) + "\n")
