"""README's stream table is what ``scripts/stream_table.py`` prints from the registry."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from tap_wolkvox.reports import REPORTS
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "stream_table.py"
WRITE = ".venv/bin/python scripts/stream_table.py --write"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stream_table", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


stream_table = _load_script()


def _printed() -> str:
    """What the script prints, run from the repository root as the README says."""
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout.rstrip("\n")


def _first_cells(table: str) -> list[str]:
    rows = [line for line in table.splitlines() if line.startswith("|")][2:]
    return [row.split("|")[1].strip().strip("`") for row in rows]


def test_readme_block_is_what_the_script_prints() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    try:
        block = stream_table.readme_block(readme)
    except ValueError as error:
        pytest.fail(f"README.md: {error}; add the marker lines, then run `{WRITE}`")
    assert block == _printed(), f"README.md's stream table is stale: run `{WRITE}`"


def test_every_stream_appears_once_in_registry_order() -> None:
    streams = _first_cells(stream_table.stream_table())
    repeated = [name for name, count in Counter(streams).items() if count > 1]
    assert repeated == []
    assert streams == [report.stream for report in REPORTS]


def test_rows_show_the_registry_facts() -> None:
    rows = {
        cells[0]: cells
        for cells in (
            [cell.strip() for cell in line.split("|")[1:-1]]
            for line in stream_table.stream_table().splitlines()[2:]
        )
    }
    assert rows["`chatbot_interactions`"] == [
        "`chatbot_interactions`",
        "`diagram_9`",
        "one row per chatbot turn: a customer message and the routing point's answer",
        "`date`",
        "`record_key` from every documented field",
        "yes",
        "6,000 rows per call at most",
    ]
    chats = rows["`chats`"]
    assert chats[3] == "`date`, `date_close` (filter)"
    assert "`agent_anwers` with a trailing space" in chats[6]
    assert "`agent_anwers `" not in chats[6]
    assert rows["`whatsapp_campaign_records`"][4] == (
        "`record_key` from `campaing_id`, `telephone`, `date`"
    )
    assert "times always GMT-5" in rows["`campaign_attempts`"][6]
    assert rows["`ivr_calls`"][6] == "sends `customer_id=` (empty)"
    assert rows["`chat_cases`"][6] == "sends `attach_array=no`, `include_attachments=false`"
    assert rows["`calls`"][5:] == ["no", ""]


def test_write_rewrites_only_the_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    before, after = "# Title\n\nText.\n\n", "\nMore text.\n"
    markers = f"{stream_table.START_MARKER}\nold table\n{stream_table.END_MARKER}\n"
    readme.write_text(before + markers + after, encoding="utf-8")
    assert stream_table.main(["--write", "--readme", str(readme)]) == 0
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(before + stream_table.START_MARKER + "\n")
    assert text.endswith(stream_table.END_MARKER + "\n" + after)
    assert stream_table.readme_block(text) == stream_table.stream_table()
    assert stream_table.main(["--write", "--readme", str(readme)]) == 0
    assert readme.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "body",
    [
        "# Title\n\nNo markers.\n",
        "<!-- streams:start -->\nonly a start\n",
        "<!-- streams:end -->\n<!-- streams:start -->\n",
    ],
)
def test_write_without_markers_fails_clearly(
    tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(body, encoding="utf-8")
    assert stream_table.main(["--write", "--readme", str(readme)]) == 1
    assert readme.read_text(encoding="utf-8") == body
    error = capsys.readouterr().err
    assert "<!-- streams:start -->" in error
    assert "<!-- streams:end -->" in error
    assert "scripts/stream_table.py --write" in error
