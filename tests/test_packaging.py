"""The sdist and the wheel: what they carry, their metadata, and one version everywhere.

Both are built as the release workflow's build action builds them (``uv build``: the sdist,
then the wheel from the sdist), so the wheel also proves the sdist is complete.
"""

from __future__ import annotations

import email.message
import email.parser
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

import tap_wolkvox
from tests.conftest import ROOT
from tests.fake_wolkvox import TOKEN

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
VERSION = PYPROJECT["version"]
REPOSITORY = "https://github.com/tap-wolkvox/tap-wolkvox"

# Besides the package: what a user needs to build it and to try the tap.
SDIST_FILES = {
    "PKG-INFO",
    "pyproject.toml",
    ".gitignore",  # hatchling always adds it
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "tap-wolkvox.yml",
    "tests/__init__.py",
    "tests/fake_wolkvox.py",
    "tests/fake_summaries.py",  # the fake serves summary reports from it
}


def package_files() -> set[str]:
    """The package's files in this checkout, as paths relative to the repository."""
    package = ROOT / "tap_wolkvox"
    return {f"tap_wolkvox/{path.name}" for path in package.glob("*.py")} | {"tap_wolkvox/py.typed"}


@dataclass(frozen=True)
class Built:
    sdist: Path
    wheel: Path

    def sdist_files(self) -> set[str]:
        with tarfile.open(self.sdist) as archive:
            names = [member.name for member in archive.getmembers() if member.isfile()]
        top = f"tap_wolkvox-{VERSION}/"
        assert all(name.startswith(top) for name in names), names
        return {name.removeprefix(top) for name in names}

    def wheel_files(self) -> set[str]:
        with zipfile.ZipFile(self.wheel) as archive:
            return set(archive.namelist())

    def metadata(self) -> email.message.Message:
        with zipfile.ZipFile(self.wheel) as archive:
            text = archive.read(f"tap_wolkvox-{VERSION}.dist-info/METADATA").decode()
        return email.parser.Parser().parsestr(text)


def uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert found, (
        "uv is missing: it comes with the test dependency group (pip install --group test)"
    )
    return found


def build(out: Path) -> Built:
    """The sdist and the wheel of this checkout, built into ``out``."""
    subprocess.run(
        [uv(), "build", "--quiet", "--python", sys.executable, "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return Built(sdist, wheel)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("dist"))


def test_both_are_named_after_the_version_in_pyproject(built) -> None:
    assert built.sdist.name == f"tap_wolkvox-{VERSION}.tar.gz"
    assert built.wheel.name == f"tap_wolkvox-{VERSION}-py3-none-any.whl"


def test_the_sdist_carries_the_package_and_what_a_user_needs_to_try_it(built) -> None:
    files = built.sdist_files()
    assert files == package_files() | SDIST_FILES
    # Named on purpose: the stray files an unanchored include pattern picked up.
    assert "benchmarks/README.md" not in files


def test_the_wheel_carries_the_package_only(built) -> None:
    info = f"tap_wolkvox-{VERSION}.dist-info"
    assert built.wheel_files() == package_files() | {
        f"{info}/METADATA",
        f"{info}/WHEEL",
        f"{info}/RECORD",
        f"{info}/entry_points.txt",
        f"{info}/licenses/LICENSE",
    }
    with zipfile.ZipFile(built.wheel) as archive:
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "tap-wolkvox = tap_wolkvox.tap:main" in entry_points


def test_the_metadata_links_the_repository_issues_and_changelog(built) -> None:
    urls = dict(value.split(", ", 1) for value in built.metadata().get_all("Project-URL", []))
    assert urls == {
        "Homepage": REPOSITORY,
        "Repository": REPOSITORY,
        "Issues": f"{REPOSITORY}/issues",
        "Changelog": f"{REPOSITORY}/blob/main/CHANGELOG.md",
    }


def test_the_classifiers_say_what_users_look_for(built) -> None:
    metadata = built.metadata()
    classifiers = set(metadata.get_all("Classifier", []))
    assert {
        "Development Status :: 4 - Beta",
        "Operating System :: OS Independent",
        "Typing :: Typed",
        "Topic :: Database",
    } <= classifiers
    # The licence is the SPDX expression (PEP 639), which supersedes licence classifiers.
    assert metadata["License-Expression"] == "Apache-2.0"
    assert not [c for c in classifiers if c.startswith("License ::")]


def test_python_classifiers_are_exactly_the_versions_requires_python_allows(built) -> None:
    metadata = built.metadata()
    allowed = SpecifierSet(metadata["Requires-Python"])
    assert allowed == SpecifierSet(">=3.11,<3.15")
    named = {
        c.rsplit(" :: ", 1)[1]
        for c in metadata.get_all("Classifier", [])
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert named == {f"3.{minor}" for minor in range(30) if f"3.{minor}.0" in allowed}
    assert "3.14" in named


def _without_code(markdown: str) -> str:
    """Markdown without fenced blocks and inline code, whose brackets are not links."""
    markdown = re.sub(r"^(```|~~~).*?^\1", "", markdown, flags=re.DOTALL | re.MULTILINE)
    return re.sub(r"`[^`\n]*`", "", markdown)


def link_targets(markdown: str) -> list[str]:
    """Targets of Markdown links and images, reference definitions and HTML href/src."""
    text = _without_code(markdown)
    inline = re.findall(r"\]\(\s*<?([^)\s>]+)", text)
    references = re.findall(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", text, flags=re.MULTILINE)
    html = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)""", text)
    return [*inline, *references, *html]


def test_link_targets_are_found_outside_code() -> None:
    markdown = (
        "[a](https://x.org/a) ![b](img/b.png) [c][ref]\n\n[ref]: docs/c.md\n"
        '<a href="#anchor">d</a>\n\n```bash\n[not](a-link)\n```\n`[nor](this)`\n'
    )
    assert link_targets(markdown) == ["https://x.org/a", "img/b.png", "docs/c.md", "#anchor"]


def test_the_pypi_description_has_no_link_that_breaks_outside_github(built) -> None:
    metadata = built.metadata()
    assert metadata["Description-Content-Type"] == "text/markdown"
    description = metadata.get_payload()
    assert description.strip() == (ROOT / "README.md").read_text(encoding="utf-8").strip()
    # Relative paths and #anchors only resolve on GitHub; PyPI shows them broken.
    relative = [url for url in link_targets(description) if not url.startswith("https://")]
    assert relative == [], (
        f"README.md links {relative}: PyPI cannot follow them; link {REPOSITORY}/blob/main/<path>"
    )


def test_the_version_is_read_from_the_package_metadata() -> None:
    assert importlib.metadata.version("tap-wolkvox") == VERSION, (
        "the installed metadata is stale: reinstall with `pip install -e . --group dev`"
    )
    assert tap_wolkvox.__version__ == VERSION
    # Nowhere else in the package is the version written.
    written = [
        path.name
        for path in (ROOT / "tap_wolkvox").glob("*.py")
        if f'"{VERSION}"' in path.read_text(encoding="utf-8")
    ]
    assert written == []


SANDBOX_ARGS = ("--port", "0", "--weeks", "1", "--trickle-seconds", "0")


@contextmanager
def sandbox(directory: Path) -> Iterator[str]:
    """Start ``python -m tests.fake_wolkvox`` in ``directory``; yield its base URL."""
    process = subprocess.Popen(
        # -S: no site-packages at all, so only the standard library and the files here.
        [sys.executable, "-S", "-E", "-m", "tests.fake_wolkvox", *SANDBOX_ARGS],
        cwd=directory,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        found = re.search(r"on (http://127\.0\.0\.1:\d+)", first)
        if found is None:
            process.kill()
            _, errors = process.communicate(timeout=30)
            pytest.fail(f"the sandbox did not start: {first!r}\n{errors}")
        yield found.group(1)
    finally:
        process.kill()
        process.communicate(timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="zoneinfo needs the tzdata package on Windows")
def test_the_sandbox_runs_from_the_unpacked_sdist_with_the_standard_library_only(
    built, tmp_path
) -> None:
    with tarfile.open(built.sdist) as archive:
        archive.extractall(tmp_path, filter="data")
    with sandbox(tmp_path / f"tap_wolkvox-{VERSION}") as base_url:
        day = time.strftime("%Y%m%d", time.localtime(time.time() - 86400))
        request = urllib.request.Request(  # noqa: S310 - http on loopback
            f"{base_url}/api/v2/reports_manager.php?api=diagram_9"
            f"&date_ini={day}000000&date_end={day}235959",
            headers={"wolkvox-token": TOKEN},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            body = response.read().decode()
        assert '"code"' in body
        assert '"data"' in body
