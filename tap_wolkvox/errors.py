"""What can go wrong in a conversation with Wolkvox, as exception classes (no logic).

Every message is safe to show: no token, no personal data. ``client.classify_error``
tells them apart from an answer; streams and the tap decide what each one stops.
"""

from __future__ import annotations


class WolkvoxError(Exception):
    """An error whose message is safe to show: no token, no personal data."""


class FatalApiError(WolkvoxError):
    """Wolkvox refused the request in a way a retry cannot fix."""


class InvalidTokenError(FatalApiError):
    """The token is invalid, expired or belongs to another operation."""


class QuotaExhaustedError(WolkvoxError):
    """The operation's daily request quota is spent."""


class QuotaReserveReachedError(WolkvoxError):
    """The next call would spend calls ``quota_reserve`` keeps: a planned stop, not a failure."""


class TransientApiError(WolkvoxError):
    """A failure worth retrying after a wait."""


class MaintenanceError(TransientApiError):
    """Wolkvox has disabled API use for a while (maintenance or backups)."""


class ServerTimeoutError(TransientApiError):
    """The server or the connection gave up before the window was answered."""
