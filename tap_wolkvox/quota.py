"""The quota reserve: token_info readings and the guard that keeps the last calls unspent.

Pure policy, no network: ``WolkvoxClient`` asks the guard before every call and tells it
after, and makes the token_info call itself when the guard says a reading is due.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from tap_wolkvox.errors import QuotaReserveReachedError, WolkvoxError

_LOGGER = logging.getLogger("tap-wolkvox")
# The key of a stream's state that keeps the last token_info reading (QuotaReading).
QUOTA_KEY = "quota_reading"
# A reading older than this is taken again before the next call: the operation's other
# integrations spend calls the tap cannot count.
READING_MAX_AGE = dt.timedelta(hours=1)
# A reading dated later than this past the host's clock is not trusted as recent.
_READING_CLOCK_TOLERANCE = dt.timedelta(minutes=1)
_CALL_COUNT = re.compile(r"[0-9]+(?:\.0+)?")

# More calls a day than any operation has (licenses x 1,000): a reading beyond it is damage.
MOST_DAILY_CALLS = 100_000_000


@dataclass(frozen=True)
class QuotaReading:
    """What token_info said about the operation's day, and this tap's calls since.

    ``calls_since`` counts the reading's own call too: the contract does not say whether
    ``all_token_today`` already includes it, so the count errs by one call on the safe
    side.
    """

    read_at: dt.datetime  # aware, UTC: when the answer arrived, by this host's clock
    limit: int  # token_limit: the operation's calls a day
    used: int  # all_token_today: the operation's calls that day so far, every token's
    calls_since: int = 1

    @property
    def left(self) -> int:
        """The calls of the day left, as far as this tap can tell (others may have spent some)."""
        return self.limit - self.used - self.calls_since

    def to_state(self) -> dict[str, Any]:
        """The reading as kept in a stream's state, under ``QUOTA_KEY``."""
        return {
            "read_at": self.read_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "limit": self.limit,
            "used": self.used,
            "calls_since": self.calls_since,
        }

    @classmethod
    def from_state(cls, value: object) -> QuotaReading | None:
        """The reading ``to_state`` wrote; None for anything else (a new reading is taken)."""
        if not isinstance(value, dict):
            return None
        read_at = value.get("read_at")
        numbers = [value.get(key) for key in ("limit", "used", "calls_since")]
        if not isinstance(read_at, str) or not all(
            isinstance(number, int) and not isinstance(number, bool) and number >= 0
            for number in numbers
        ):
            return None
        try:
            instant = dt.datetime.fromisoformat(read_at)
        except ValueError:
            return None
        if instant.tzinfo is None:
            return None
        limit, used, calls_since = (int(number) for number in numbers)  # type: ignore[arg-type]
        if not 0 < limit <= MOST_DAILY_CALLS or used > limit or calls_since > limit:
            return None  # not a reading Wolkvox could have given: take a new one
        return cls(instant.astimezone(dt.UTC), limit, used, calls_since)

    @classmethod
    def from_answer(cls, rows: list[dict[str, Any]], read_at: dt.datetime) -> QuotaReading:
        """Read token_info's answer: ``token_limit`` and ``all_token_today``, as text.

        The operation's use (``all_token_today``, every token's calls) is what the shared
        quota is spent by; ``token_use_today`` (this token's) is taken when larger.

        Raises:
            WolkvoxError: an answer without those numbers.
        """
        if len(rows) != 1:
            msg = f"token_info answered {len(rows)} rows instead of one"
            raise WolkvoxError(msg)
        row = rows[0]
        limit = _call_count(row.get("token_limit"))
        used = _call_count(row.get("all_token_today"))
        own = _call_count(row.get("token_use_today"))
        if limit is None or limit <= 0 or used is None:
            shown = {
                key: str(row.get(key))[:20]
                for key in ("token_limit", "all_token_today")
                if key in row
            }
            msg = (
                "token_info answered without a readable token_limit and all_token_today "
                f"(got {shown or 'neither'})"
            )
            raise WolkvoxError(msg)
        return cls(read_at, limit, max(used, own or 0))


def _call_count(value: object) -> int | None:
    """A number of calls sent as text (``"3000"``, ``"3,000"``, ``"3000.00"``), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace(",", "")
    if not _CALL_COUNT.fullmatch(text):
        return None
    return int(text.partition(".")[0])


class QuotaGuard:
    """Keeps the last ``reserve`` calls of the operation's day unspent.

    The client asks it before every call (``reading_due``, then ``check``) and tells it
    after every call (``count``). A reading is due when there is none, when it is from an
    earlier day of the operation (the quota resets at midnight in ``timezone``), when it
    is over an hour old, and at the run's first call when the run plans more calls than
    the reserve's margin. A same-day reading whose margin is spent is not taken again:
    within a day the calls left only go down, so it could only cost a call of the
    reserve. Every change is handed to ``store``, which keeps it in the state.
    """

    def __init__(
        self,
        reserve: int,
        timezone: zoneinfo.ZoneInfo,
        reading: QuotaReading | None,
        *,
        planned: int,
        store: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        """Keep ``reserve`` calls from ``reading`` (the state's) in a run of ``planned`` calls."""
        self.reserve = reserve
        self.timezone = timezone
        self.reading = reading
        self.planned = planned
        self.store = store
        self.failed = False  # token_info failed: no reserve for the rest of the run
        self.readings = 0  # readings taken this run
        self._first_call = True

    def reset_at(self, now: dt.datetime) -> dt.datetime:
        """When the operation's day after ``now`` starts: midnight in ``timezone``."""
        day = now.astimezone(self.timezone).date() + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.timezone)

    def is_current(self, now: dt.datetime) -> bool:
        """Whether the reading is of the operation's current day (and not from the future)."""
        reading = self.reading
        if reading is None or reading.read_at > now + _READING_CLOCK_TOLERANCE:
            return False
        local = self.timezone
        return reading.read_at.astimezone(local).date() == now.astimezone(local).date()

    @property
    def margin(self) -> int:
        """The calls that can still be made before the reserve; 0 without a reading."""
        return 0 if self.reading is None else self.reading.left - self.reserve

    def reading_due(self, now: dt.datetime) -> bool:
        """Whether token_info must be read before the next call."""
        first, self._first_call = self._first_call, False
        if self.failed:
            return False
        if self.reading is None or not self.is_current(now):
            return True
        if self.margin < 1:
            return False
        if now - self.reading.read_at > READING_MAX_AGE:
            return True
        return first and self.planned > self.margin

    def check(self, now: dt.datetime) -> None:
        """Stop before a call that would spend the reserve.

        Raises:
            QuotaReserveReachedError: saying how many calls are left and when the day resets.
        """
        if self.failed or self.reading is None or self.margin >= 1:
            return
        reset = self.reset_at(now)
        msg = (
            f"Quota reserve reached: about {max(self.reading.left, 0)} of the operation's "
            f"{self.reading.limit} calls for today are left and quota_reserve keeps "
            f"{self.reserve}, so the run stops here, everything read so far delivered and "
            f"bookmarked; the quota resets at {reset:%Y-%m-%d %H:%M} {self.timezone.key} "
            "(midnight in `timezone`), and the next run after that carries on"
        )
        raise QuotaReserveReachedError(msg)

    def take(self, reading: QuotaReading) -> None:
        """Use a new token_info reading from now on."""
        self.reading = reading
        self.readings += 1
        self._save()

    def fail(self, error: Exception) -> None:
        """token_info failed: say so in one line and go on without the reserve."""
        self.failed = True
        _LOGGER.warning(
            "token_info, which quota_reserve needs, failed (%s); this run goes on without "
            "the reserve",
            error,
        )

    def count(self) -> None:
        """One more call was made (whatever its answer): it counts against the day."""
        if self.reading is not None:
            self.reading = replace(self.reading, calls_since=self.reading.calls_since + 1)
            self._save()

    def left_today(self, now: dt.datetime) -> str | None:
        """``about 2891 of the operation's 3000 calls...`` for the summary; None if unknown."""
        reading = self.reading
        if self.failed or reading is None or not self.is_current(now):
            return None
        at = reading.read_at.astimezone(self.timezone)
        return (
            f"about {max(reading.left, 0)} of the operation's {reading.limit} calls for today "
            f"are left (token_info at {at:%H:%M} {self.timezone.key}, less this tap's "
            f"{reading.calls_since} calls since)"
        )

    def _save(self) -> None:
        if self.store is not None and self.reading is not None:
            self.store(self.reading.to_state())
