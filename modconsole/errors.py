"""Typed errors of the core.

Two families, after qutebrowser's ``KnownError``/``BugError``: every class below is a *known*
condition (a moderator can understand and often fix it) and carries ``user_message``, the
text the console shows, and ``retryable``, whether trying again later can help. Anything that
is not a ``ModConsoleError`` is a bug and reaches the error dialog with "Copy details".

No message or attribute of these errors may ever contain an API key.
"""

from __future__ import annotations


class ModConsoleError(Exception):
    """Base of every expected, explainable failure."""

    retryable: bool = False

    def __init__(self, user_message: str, *, detail: str | None = None, retryable: bool | None = None):
        super().__init__(user_message)
        self.user_message = user_message
        self.detail = detail
        if retryable is not None:
            self.retryable = retryable

    def __str__(self) -> str:
        if self.detail:
            return f"{self.user_message} ({self.detail})"
        return self.user_message


# ---------------------------------------------------------------- configuration and input


class InvalidInput(ModConsoleError):
    """Something the moderator typed or chose cannot be used (bad URL, unknown badge, …)."""


class InsecureConnectionRefused(InvalidInput):
    """Plain http to a host that is not on this machine, without the explicit opt-in."""


class SecretStoreUnavailable(ModConsoleError):
    """No usable OS keyring: the key can only be kept in memory for this session."""


# ---------------------------------------------------------------- the community API


class ApiError(ModConsoleError):
    """A request to the community failed. ``route`` names the endpoint (no secrets)."""

    def __init__(
        self,
        user_message: str,
        *,
        route: str | None = None,
        status: int | None = None,
        server_errors: tuple[str, ...] = (),
        error_type: str | None = None,
        detail: str | None = None,
        retryable: bool | None = None,
    ):
        super().__init__(user_message, detail=detail, retryable=retryable)
        self.route = route
        self.status = status
        self.server_errors = server_errors
        self.error_type = error_type


class AuthError(ApiError):
    """The key or username is not accepted (403 invalid_access / not_logged_in on every call)."""


class PermissionDenied(ApiError):
    """The key works, but this identity may not do this (403 on one action)."""


class NotFound(ApiError):
    """The thing is gone or never existed (404, 410)."""


class Conflict(ApiError):
    """The server state moved on (409 edit conflict)."""


class Rejected(ApiError):
    """The server refused the request as invalid (400, 422)."""


class RateLimited(ApiError):
    """429: wait ``retry_after`` seconds."""

    retryable = True

    def __init__(self, user_message: str, *, retry_after: float, code: str | None = None, **kw: object):
        super().__init__(user_message, **kw)  # type: ignore[arg-type]
        self.retry_after = retry_after
        self.code = code


class ServerUnavailable(ApiError):
    """5xx, or 503 read_only: the site is down or in maintenance."""

    retryable = True


class NetworkError(ApiError):
    """No answer at all: DNS, refused connection, timeout, dropped connection."""

    retryable = True


class UnexpectedPayload(ApiError):
    """The answer was not the JSON the contract describes (HTML page, truncated body, wrong shape)."""

    retryable = True


# ---------------------------------------------------------------- the local cache


class CacheError(ModConsoleError):
    """The local cache cannot be used as asked."""


class DiskFull(CacheError):
    """The disk (or the cache's page limit) is full: the write was rolled back, nothing was lost."""

    retryable = True


class CacheLocked(CacheError):
    """Another modconsole process holds the cache."""

    retryable = True


class CacheCorrupt(CacheError):
    """The cache file failed its integrity check (or is empty); it is never silently recreated."""


class StorageUnwritable(CacheError):
    """A folder or file modconsole keeps its data in cannot be written: it is on a read-only disk,
    or this account lacks the permission. Nothing was changed."""


class Cancelled(ModConsoleError):
    """The operation was cancelled by the user between two steps; nothing half-done was kept."""
