"""tap-wolkvox: a Singer tap for the Wolkvox Reports Manager."""

from importlib.metadata import PackageNotFoundError, version

try:
    # Written once, in pyproject.toml; the installed package's metadata carries it.
    __version__ = version("tap-wolkvox")
except PackageNotFoundError:  # a source tree that was never installed,
    # e.g. the sandbox started from an unpacked sdist: `python -m tests.fake_wolkvox`.
    __version__ = "0+unknown"
