"""README's settings table is what ``tap-wolkvox --about --format=markdown`` prints."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT, TAP


def test_readme_settings_table_matches_about() -> None:
    about = subprocess.run(
        [*TAP, "--about", "--format=markdown"], capture_output=True, text=True, check=True
    ).stdout
    rows = [line for line in about.splitlines() if line.startswith("| ")]
    assert len(rows) > 10
    readme = (ROOT / "README.md").read_text()
    missing = [row for row in rows if row not in readme]
    assert missing == [], "update README.md from `tap-wolkvox --about --format=markdown`"
