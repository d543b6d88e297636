"""The lock that keeps this machine's calls with one Wolkvox token apart.

Wolkvox refuses simultaneous calls with one token, so every tap-wolkvox process of one
OS user that uses a token takes turns, call by call, through a lock file named after a
hash of the token in the user's own cache directory. The wait is bounded, and a
directory another user could tamper with is refused.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import filelock
import platformdirs

from tap_wolkvox.config import DEFAULT_REQUEST_TIMEOUT

_LOGGER = logging.getLogger("tap-wolkvox")


class TokenLockError(Exception):
    """The lock that keeps this machine's calls with one token apart cannot be used."""


class UnsafeLockDirectoryError(TokenLockError):
    """The lock directory cannot be made, or another user could tamper with it."""


class LockTimeoutError(TokenLockError):
    """Another process kept the token's lock for longer than this one may wait."""


_APP = "tap-wolkvox"
_POLL_SECONDS = 0.05  # how often a waiting process tries the lock
_NOTE_WAITING_SECONDS = 1.0  # how often it says so in the waiting file
_WAITER_FRESH_SECONDS = 2.0  # a waiting file younger than this means someone waits
_HANDOVER_SECONDS = 0.25  # several polls: enough for a waiter to take its turn
_UNSAFE_MODE_BITS = stat.S_IWGRP | stat.S_IWOTH


def default_lock_directory() -> Path:
    """This user's cache directory for tap-wolkvox, e.g. ``~/.cache/tap-wolkvox``.

    The runtime directory would be the textbook place on Linux, but without
    ``XDG_RUNTIME_DIR`` (containers, cron) platformdirs falls back to a name in the
    shared temp directory, with a warning; the cache directory is under the user's home
    on every system.
    """
    return Path(platformdirs.user_cache_dir(_APP, appauthor=False))


def _directory_problem(info: os.stat_result) -> str | None:
    """Why a directory is not this user's alone, with what to do; None when it is."""
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link; remove the link (tap-wolkvox makes a private directory)"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a directory; remove it (tap-wolkvox makes a private directory)"
    if sys.platform == "win32":
        return None  # the user's own AppData, guarded by ACLs rather than mode bits
    if info.st_uid != os.geteuid():
        return (
            f"belongs to another user (uid {info.st_uid}); remove it or set XDG_CACHE_HOME "
            "to a directory of your own"
        )
    if info.st_mode & _UNSAFE_MODE_BITS:
        return (
            f"is writable by other users (mode {stat.S_IMODE(info.st_mode):o}); "
            "run `chmod 700` on it"
        )
    return None


def private_directory(path: Path) -> None:
    """Make ``path`` with mode 0o700, or check that an existing one is this user's alone.

    Any local user could otherwise plant a symlink or a lock file there, or hold the
    lock to stall the tap.

    Raises:
        UnsafeLockDirectoryError: when it cannot be made, or another user could tamper
            with it.
    """
    try:
        if not os.path.lexists(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(FileExistsError):  # another process was quicker
                path.mkdir(mode=0o700)
        info = path.lstat()
    except OSError as exc:
        msg = (
            f"cannot make the lock directory {path} ({exc.strerror or type(exc).__name__}); "
            "set XDG_CACHE_HOME to a directory of your own"
        )
        raise UnsafeLockDirectoryError(msg) from None
    problem = _directory_problem(info)
    if problem:
        msg = f"refusing the lock directory {path}: it {problem}"
        raise UnsafeLockDirectoryError(msg)


class _Holder(NamedTuple):
    pid: int
    seconds: float  # how long it has held the lock


class TokenLock:
    """Serialises calls of every tap-wolkvox process on this machine that uses a token.

    Wolkvox refuses simultaneous calls with one token. The lock file lives in a
    directory only this user can write, and is named after a hash of the token, never
    the token itself. Beside it, the holder notes its pid and since when it holds the
    lock (so a waiting process can say whom it waits for), and a waiting process notes
    that it waits (so the holder lets it have a turn between two calls).
    """

    def __init__(
        self,
        token: str,
        directory: Path | None = None,
        *,
        wait: float = 3 * DEFAULT_REQUEST_TIMEOUT,
    ) -> None:
        """Lock on a file in ``directory`` (default: ``default_lock_directory()``).

        Args:
            token: the Wolkvox token; only a hash of it is used.
            directory: where the lock lives; made with mode 0o700 when missing.
            wait: the longest ``held()`` waits for another process, in seconds.
        """
        digest = hashlib.sha256(token.encode()).hexdigest()[:16]
        self.directory = directory or default_lock_directory()
        self.path = self.directory / f"{_APP}-{digest}.lock"
        self.wait = wait
        self._holder_path = self.path.with_suffix(".holder")
        self._waiting_path = self.path.with_suffix(".waiting")
        self._file_lock: filelock.BaseFileLock | None = None
        self._announced: set[int | None] = set()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock; waits at most ``wait`` seconds while another process holds it.

        Raises:
            LockTimeoutError: another process held the lock for the whole wait.
            UnsafeLockDirectoryError: the directory is unsafe or cannot be made.
            TokenLockError: the lock file cannot be used.
        """
        lock = self._lock()
        self._acquire(lock)
        try:
            self._note_holder()
            yield
        finally:
            lock.release()
            self._hand_over()

    def _lock(self) -> filelock.BaseFileLock:
        if self._file_lock is None:
            private_directory(self.directory)
            # No soft fallback: a marker file left by a killed process would stall every
            # later run, where flock is released by the kernel.
            self._file_lock = filelock.FileLock(
                self.path, mode=0o600, poll_interval=_POLL_SECONDS, fallback_to_soft=False
            )
        return self._file_lock

    def _acquire(self, lock: filelock.BaseFileLock) -> None:
        started = time.monotonic()
        timeout = 0.0  # one attempt first: the lock is usually free
        while True:
            try:
                lock.acquire(timeout=timeout)
            except filelock.Timeout:  # a TimeoutError, so an OSError: catch it first
                pass
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                # The file's name is a hash of the token: the message names only its folder.
                msg = (
                    f"cannot use this token's lock file in {self.path.parent} ({reason}); "
                    "remove what is there"
                )
                raise TokenLockError(msg) from None
            else:
                return
            if not timeout:
                self._announce()
            remaining = self.wait - (time.monotonic() - started)
            if remaining <= 0:
                raise self._timed_out()
            with contextlib.suppress(OSError):  # a courtesy; waiting works without it
                self._waiting_path.write_text(str(os.getpid()))
            timeout = min(_NOTE_WAITING_SECONDS, remaining)

    def _holder(self) -> _Holder | None:
        try:
            record = json.loads(self._holder_path.read_text())
            return _Holder(int(record["pid"]), max(0.0, time.time() - float(record["since"])))
        except (OSError, ValueError, TypeError, KeyError):
            return None  # not written yet, half-written or foreign: say less

    def _announce(self) -> None:
        holder = self._holder()
        pid = holder.pid if holder else None
        # Once per holder: processes that share a token take turns on every call.
        log = _LOGGER.debug if pid in self._announced else _LOGGER.info
        self._announced.add(pid)
        log(
            "Waiting for another tap-wolkvox process (%s) to finish its call with the same "
            "Wolkvox token, at most %g s: Wolkvox refuses two calls at once",
            f"pid {pid}" if pid else "pid unknown",
            self.wait,
        )

    def _timed_out(self) -> LockTimeoutError:
        holder = self._holder()
        remedy = "let it finish, or stop it if it hangs, then run again"
        if holder is None:
            story = "another tap-wolkvox process has held the Wolkvox token for at least"
        elif holder.seconds < self.wait:
            # Not one stuck holder: several processes took turns for the whole wait.
            story = (
                f"other tap-wolkvox processes (now pid {holder.pid}) kept the Wolkvox "
                "token busy for"
            )
            remedy = "let them finish, then run again"
        else:
            story = (
                f"another tap-wolkvox process (pid {holder.pid}) has held the Wolkvox "
                f"token for {holder.seconds:.0f} s, longer than"
            )
        return LockTimeoutError(f"{story} the {self.wait:g} s this run waits; {remedy}")

    def _note_holder(self) -> None:
        record = json.dumps({"pid": os.getpid(), "since": time.time()})
        scratch = self._holder_path.with_name(f"{self._holder_path.name}.{os.getpid()}")
        with contextlib.suppress(OSError):  # only a courtesy to whoever waits
            scratch.write_text(record)
            scratch.replace(self._holder_path)  # whole, so no reader sees half a record

    def _hand_over(self) -> None:
        # A polling waiter would rarely catch the moment between two calls of a busy
        # process: when another process says it waits, pause so it gets a turn.
        try:
            noted = self._waiting_path.stat().st_mtime
            waiter = self._waiting_path.read_text()
        except OSError:
            return
        if waiter != str(os.getpid()) and time.time() - noted < _WAITER_FRESH_SECONDS:
            time.sleep(_HANDOVER_SECONDS)
