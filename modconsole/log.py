"""Logging for modconsole: a rotating log file, named loggers, secret redaction, and a ring
buffer of recent lines for the error dialog's "Copy details".

Qt-free by rule (qutebrowser ``utils/log.py``): the UI passes its Qt version into
:func:`diagnostics_text` instead of this module importing Qt.

Every handler installed by :func:`setup_logging` carries a :class:`RedactingFilter`, which
rewrites the record itself (message, args, exception and stack text) before any formatter sees
it. What is redacted:

* values registered at runtime with :func:`register_secret` (the app registers the API key as
  soon as it loads it), also in their URL-encoded form;
* ``Api-Key: …`` / ``User-Api-Key: …`` header forms (also ``'Api-Key': '…'`` dict reprs);
* ``api_key=…`` / ``user_api_key=…`` query parameters;
* ``Authorization: Bearer …`` style credentials;
* any run of 32–64 hex characters (Discourse keys are 64, user API keys 32).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import logging.handlers
import platform
import re
import sys
import threading
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TypeAlias

from modconsole import APP_DISPLAY_NAME, __version__
from modconsole.paths import Paths

REDACTED = "[REDACTED]"
LOG_FILE_NAME = "modconsole.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUP_COUNT = 5
RING_CAPACITY = 500
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

ROOT_LOGGER = "modconsole"
api = logging.getLogger("modconsole.api")
sync = logging.getLogger("modconsole.sync")
cache = logging.getLogger("modconsole.cache")
outbox = logging.getLogger("modconsole.outbox")
ui = logging.getLogger("modconsole.ui")

ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]

# ---------------------------------------------------------------- redaction

_MIN_SECRET_LEN = 6
_secrets_lock = threading.Lock()
_secrets: tuple[str, ...] = ()

_HEADER_RE = re.compile(
    r"""(?ix)
    \b((?:user-)?api-key)            # header name
    (["']?\s*[:=]\s*["']?)           # separator, maybe inside a dict repr
    ([^\s"',;}&]+)                   # the value
    """
)
_QUERY_RE = re.compile(r"(?i)\b((?:user_)?api_key)=([^&\s#\"',;]+)")
_AUTH_RE = re.compile(r"(?i)\b(authorization[\"']?\s*[:=]\s*[\"']?(?:bearer|basic|token)?\s*)([^\s\"',;}]+)")
_HEX_RE = re.compile(r"(?<![0-9A-Fa-f])[0-9A-Fa-f]{32,64}(?![0-9A-Fa-f])")


def register_secret(value: str | None) -> None:
    """Make ``value`` (and its URL-encoded form) disappear from every log line from now on.

    Values shorter than a few characters are ignored: redacting them would mangle ordinary text.
    """
    if not value or len(value) < _MIN_SECRET_LEN:
        return
    global _secrets
    with _secrets_lock:
        forms = set(_secrets) | _forms(value)
        _secrets = tuple(sorted(forms, key=len, reverse=True))


def forget_secrets() -> None:
    """Drop every registered secret (tests, sign-out)."""
    global _secrets
    with _secrets_lock:
        _secrets = ()


def _forms(value: str) -> set[str]:
    from urllib.parse import quote, quote_plus

    return {value, quote(value, safe=""), quote_plus(value)}


def redact(text: str, also: Iterable[str] = ()) -> str:
    """``text`` with every known secret and secret-shaped token replaced by ``[REDACTED]``.

    The one redaction of the core: log records, and everything a server says before it is stored
    or shown (:func:`modconsole.api.client.error_for_response` passes the client's own key in
    ``also``, so its errors are clean even where nothing was registered)."""
    if not text:
        return text
    known: Iterable[str] = _secrets
    extra = {f for v in also if v and len(v) >= _MIN_SECRET_LEN for f in _forms(v)}
    if extra:
        known = sorted(extra.union(_secrets), key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _HEADER_RE.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    text = _QUERY_RE.sub(lambda m: m.group(1) + "=" + REDACTED, text)
    text = _AUTH_RE.sub(lambda m: m.group(1) + REDACTED, text)
    return _HEX_RE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record so that no handler downstream can see a secret.

    The message is rendered (``msg % args``) and redacted, ``args`` is cleared, and the
    exception and stack text are pre-formatted and redacted (``Formatter.format`` reuses
    ``record.exc_text`` when it is set). Never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_modconsole_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        setattr(record, "_modconsole_redacted", True)  # noqa: B010
        return True


# ---------------------------------------------------------------- ring buffer


class RingBufferHandler(logging.Handler):
    """Keeps the last ``capacity`` formatted (and redacted) log lines in memory."""

    def __init__(self, capacity: int = RING_CAPACITY, level: int = logging.DEBUG) -> None:
        super().__init__(level)
        self._lines: collections.deque[str] = collections.deque(maxlen=capacity)
        self._buffer_lock = threading.Lock()
        self.addFilter(RedactingFilter())

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = redact(self.format(record))
        except Exception:
            self.handleError(record)
            return
        with self._buffer_lock:
            self._lines.append(text)

    def lines(self, last: int | None = None) -> list[str]:
        with self._buffer_lock:
            items = list(self._lines)
        return items if last is None else items[-last:] if last > 0 else []

    def clear(self) -> None:
        with self._buffer_lock:
            self._lines.clear()


# ---------------------------------------------------------------- setup


@dataclass
class LoggingSetup:
    """What :func:`setup_logging` installed; ``close()`` removes and closes it again."""

    log_file: Path
    ring: RingBufferHandler
    handlers: list[logging.Handler] = field(default_factory=list)
    paths: Paths | None = None
    previous_level: int = logging.NOTSET

    def close(self) -> None:
        """Remove and close the handlers and restore the ``modconsole`` logger's level."""
        global _current
        logger = logging.getLogger(ROOT_LOGGER)
        for h in self.handlers:
            logger.removeHandler(h)
            h.close()
        if self.handlers:
            logger.setLevel(self.previous_level)
        self.handlers.clear()
        if _current is self:
            _current = None


_current: LoggingSetup | None = None


def setup_logging(paths: Paths, *, debug: bool = False, ring_capacity: int = RING_CAPACITY) -> LoggingSetup:
    """Install the rotating file handler (1 MB × 5 in ``paths.logs``), the ring buffer, and
    in debug a console handler on stderr, all on the ``modconsole`` logger and all redacting.

    Calling it again replaces what the previous call installed.
    """
    global _current
    if _current is not None:
        _current.close()
    previous_level = logging.getLogger(ROOT_LOGGER).level
    log_file = paths.logs / LOG_FILE_NAME
    formatter = logging.Formatter(LOG_FORMAT)

    ring = RingBufferHandler(ring_capacity)
    handlers: list[logging.Handler] = [ring]
    unwritable = _log_file_unwritable(log_file)
    if unwritable is None:
        file_handler = _LogFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8", delay=True
        )
        file_handler.setLevel(logging.DEBUG if debug else logging.INFO)
        handlers.insert(0, file_handler)
    else:  # one line now, then warnings on stderr only (never a logging traceback per record)
        print(f"modconsole: warning: {unwritable}; logging to the terminal only.", file=sys.stderr)
    if debug or unwritable is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.DEBUG if debug else logging.ERROR)
        handlers.append(console)
    logger = logging.getLogger(ROOT_LOGGER)
    for h in handlers:
        h.setFormatter(formatter)
        if not any(isinstance(f, RedactingFilter) for f in h.filters):
            h.addFilter(RedactingFilter())
        logger.addHandler(h)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    _current = LoggingSetup(
        log_file=log_file, ring=ring, handlers=handlers, paths=paths, previous_level=previous_level
    )
    return _current


class _LogFileHandler(logging.handlers.RotatingFileHandler):
    """The rotating log file; when a write fails (disk full, file made read-only) it says so in
    one line on stderr and stops writing, instead of logging's traceback for every record."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.failed:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        exc = sys.exc_info()[1]
        from modconsole.paths import storage_error

        why = (
            storage_error(exc, Path(self.baseFilename), what=f"the log file {self.baseFilename}").user_message
            if isinstance(exc, OSError)
            else f"the log file {self.baseFilename} cannot be written ({type(exc).__name__})"
        )
        with contextlib.suppress(Exception):
            print(f"modconsole: warning: {why.rstrip('.')}; nothing more is logged to it.", file=sys.stderr)


def _log_file_unwritable(log_file: Path) -> str | None:
    """Why the log file cannot be appended to (read-only disk, no permission, disk full), or None."""
    from modconsole.paths import storage_error

    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        return storage_error(exc, log_file, what=f"the log file {log_file}").user_message.rstrip(".")
    return None


def current() -> LoggingSetup | None:
    """The active setup, if :func:`setup_logging` was called."""
    return _current


# ---------------------------------------------------------------- diagnostics


def diagnostics_text(
    exc_info: ExcInfo | tuple[None, None, None] | None = None,
    *,
    qt_version: str | None = None,
    paths: Paths | None = None,
    last_lines: int = 50,
    extra: Mapping[str, str] | None = None,
) -> str:
    """A plain-text report for "Copy details": version, Python, platform, Qt (when the UI
    passes ``qt_version``), paths, the last log lines and the traceback. Fully redacted."""
    setup = _current
    if paths is None:
        paths = setup.paths if setup is not None and setup.paths is not None else Paths.default()
    rows: list[tuple[str, str]] = [
        (APP_DISPLAY_NAME, __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Platform", platform.platform()),
        ("Frozen", "yes" if getattr(sys, "frozen", False) else "no"),
    ]
    if qt_version is None:
        qt_version = _loaded_qt_version()
    if qt_version:
        rows.append(("Qt", qt_version))
    rows += [("Data", str(paths.data)), ("Logs", str(paths.logs)), ("Config", str(paths.config))]
    if extra:
        rows += list(extra.items())
    width = max(len(k) for k, _ in rows)
    parts = ["\n".join(f"{k + ':':<{width + 1}} {v}" for k, v in rows)]
    if exc_info is not None and exc_info[0] is not None:
        parts.append("".join(traceback.format_exception(*exc_info)).rstrip())
    recent: Iterable[str] = setup.ring.lines(last_lines) if setup is not None else ()
    recent = list(recent)
    parts.append(f"Recent log ({len(recent)} lines):\n" + ("\n".join(recent) if recent else "(none)"))
    return redact("\n\n".join(parts)) + "\n"


def _loaded_qt_version() -> str | None:
    """The Qt version if the UI already loaded PySide6 (never imports it)."""
    pyside = sys.modules.get("PySide6")
    qtcore = sys.modules.get("PySide6.QtCore")
    if pyside is None or qtcore is None:
        return None
    try:
        return f"PySide6 {pyside.__version__}, Qt {qtcore.qVersion()}"
    except Exception:
        return None


__all__ = [
    "REDACTED",
    "LoggingSetup",
    "RedactingFilter",
    "RingBufferHandler",
    "current",
    "diagnostics_text",
    "forget_secrets",
    "redact",
    "register_secret",
    "setup_logging",
]
