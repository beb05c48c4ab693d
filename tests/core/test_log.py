"""Logging: secrets never reach the log file or the ring buffer; rotation; diagnostics."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from modconsole import __version__
from modconsole import log as mlog
from modconsole.paths import Paths

KEY = "3f9c2a7be41d08c6f5a2e9b7d3c1a0f48e6b2d9c7a5f3e1b0d8c6a4f2e0b9d7c"  # 64 hex, like Discourse
USER_KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90"  # 32 hex, like a user API key
ODD_KEY = "sk_live-NotHexAtAll_42"  # not secret-shaped: only registration can catch it


@pytest.fixture
def paths(hermetic_paths: Path) -> Paths:
    return Paths.default().ensure()


@pytest.fixture
def logging_setup(paths: Paths) -> Iterator[mlog.LoggingSetup]:
    setup = mlog.setup_logging(paths, debug=False)
    yield setup
    setup.close()
    mlog.forget_secrets()


def _log_everything(key: str) -> None:
    api = logging.getLogger("modconsole.api")
    api.info("loaded key %s for admin", key)
    api.info(f"inline key {key}")
    api.info("headers %r", {"Api-Key": key, "Api-Username": "system"})
    api.info("raw header line Api-Key: %s", key)
    api.info("raw header line User-Api-Key: %s", key)
    api.info("GET https://forum.example.com/latest.json?api_key=%s&api_username=system", key)
    api.info("GET https://forum.example.com/latest.json?user_api_key=%s", key)
    api.info("args as tuple %s / %s", ("x", key), [key])
    try:
        raise RuntimeError(f"request failed with key={key}")
    except RuntimeError:
        # INFO with exc_info: the exception text is formatted and must be redacted too.
        logging.getLogger("modconsole.sync").info("sync step failed", exc_info=True)
    logging.getLogger("modconsole.cache").info("stack", stack_info=True, extra={"k": key})


def _file_text(setup: mlog.LoggingSetup) -> str:
    for h in setup.handlers:
        h.flush()
    return "".join(p.read_text("utf-8") for p in sorted(setup.log_file.parent.glob("modconsole.log*")))


@pytest.mark.parametrize("key", [KEY, USER_KEY, KEY.upper()])
def test_secret_shaped_keys_never_reach_file_or_ring(logging_setup: mlog.LoggingSetup, key: str) -> None:
    _log_everything(key)
    text = _file_text(logging_setup)
    ring = "\n".join(logging_setup.ring.lines())
    for out in (text, ring):
        assert key not in out
        assert key.lower() not in out
        assert mlog.REDACTED in out
    # the records are still there, only the secret is gone
    assert "loaded key [REDACTED] for admin" in text
    assert "api_key=[REDACTED]&api_username=system" in text
    assert "user_api_key=[REDACTED]" in text
    assert "RuntimeError: request failed with key=[REDACTED]" in text
    assert "Traceback (most recent call last)" in ring


def test_registered_secret_that_is_not_hex_is_redacted(logging_setup: mlog.LoggingSetup) -> None:
    mlog.register_secret(ODD_KEY)
    _log_everything(ODD_KEY)
    logging.getLogger("modconsole.api").info("encoded %s", "sk_live-NotHexAtAll_42".replace("_", "%5F"))
    text = _file_text(logging_setup)
    ring = "\n".join(logging_setup.ring.lines())
    assert ODD_KEY not in text and ODD_KEY not in ring
    assert text.count(mlog.REDACTED) >= 10
    # the URL-encoded form of a registered secret is caught too
    from urllib.parse import quote

    mlog.register_secret("p@ss word/with&specials")
    logging.getLogger("modconsole.api").info("GET /x?k=%s", quote("p@ss word/with&specials", safe=""))
    assert quote("p@ss word/with&specials", safe="") not in _file_text(logging_setup)


def test_short_values_are_not_registered(logging_setup: mlog.LoggingSetup) -> None:
    mlog.register_secret("a")
    mlog.register_secret("")
    mlog.register_secret(None)
    logging.getLogger("modconsole.ui").info("a banana")
    assert logging_setup.ring.lines()[-1].endswith("modconsole.ui: a banana")


def test_redact_unit_cases() -> None:
    assert mlog.redact("Authorization: Bearer abc.def-ghi") == "Authorization: Bearer [REDACTED]"
    assert mlog.redact("{'User-Api-Key': 'zzz'}") == "{'User-Api-Key': '[REDACTED]'}"
    assert mlog.redact("topic 12345 by sam") == "topic 12345 by sam"
    # a 31-hex run is left alone, 32 is not; a 65+ run is not a key shape
    assert mlog.redact("x" + "a" * 31 + "x") == "x" + "a" * 31 + "x"
    assert mlog.redact("id=" + "b" * 32) == "id=[REDACTED]"


def test_ring_buffer_keeps_last_n(paths: Paths) -> None:
    setup = mlog.setup_logging(paths, ring_capacity=5)
    try:
        for i in range(12):
            logging.getLogger("modconsole.outbox").info("item %d", i)
        lines = setup.ring.lines()
        assert len(lines) == 5
        assert lines[0].endswith("item 7") and lines[-1].endswith("item 11")
        assert setup.ring.lines(2)[0].endswith("item 10")
        assert setup.ring.lines(0) == []
    finally:
        setup.close()


def test_rotation_keeps_five_backups(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mlog, "LOG_MAX_BYTES", 2_000)
    setup = mlog.setup_logging(paths)
    try:
        logger = logging.getLogger("modconsole.sync")
        for i in range(400):
            logger.info("line %04d %s", i, "x" * 60)
        for h in setup.handlers:
            h.flush()
        files = sorted(p.name for p in paths.logs.iterdir())
        assert files == ["modconsole.log"] + [f"modconsole.log.{n}" for n in range(1, 6)]
        for name in files:
            assert (paths.logs / name).stat().st_size <= 2_000
        # the newest line is in the live file, the oldest ones have rotated away
        live = (paths.logs / "modconsole.log").read_text("utf-8")
        assert "line 0399" in live
        everything = "".join((paths.logs / n).read_text("utf-8") for n in files)
        assert "line 0000" not in everything
    finally:
        setup.close()


def test_setup_twice_replaces_handlers(paths: Paths) -> None:
    first = mlog.setup_logging(paths)
    second = mlog.setup_logging(paths, debug=True)
    try:
        root = logging.getLogger("modconsole")
        assert not any(h in root.handlers for h in first.handlers)
        assert all(h in root.handlers for h in second.handlers)
        assert len(second.handlers) == 3  # file, ring, console
        assert all(any(isinstance(f, mlog.RedactingFilter) for f in h.filters) for h in second.handlers)
        assert mlog.current() is second
        assert root.level == logging.DEBUG
    finally:
        second.close()
    assert mlog.current() is None
    assert root.level == logging.NOTSET  # the level from before the first setup
    assert not root.handlers


def test_diagnostics_text_is_complete_and_redacted(logging_setup: mlog.LoggingSetup, paths: Paths) -> None:
    mlog.register_secret(ODD_KEY)
    logging.getLogger("modconsole.api").info("calling with %s and %s", KEY, ODD_KEY)
    try:
        raise ValueError(f"bad key {KEY} / {ODD_KEY}")
    except ValueError:
        exc_info = sys.exc_info()
    text = mlog.diagnostics_text(exc_info, qt_version="PySide6 9.9.9 (Qt 9.9.9)")
    assert __version__ in text
    assert "Python:" in text and "Platform:" in text
    assert "Qt:" in text and "9.9.9" in text
    assert str(paths.logs) in text and str(paths.data) in text
    assert "ValueError: bad key [REDACTED] / [REDACTED]" in text
    assert "calling with [REDACTED] and [REDACTED]" in text
    assert KEY not in text and ODD_KEY not in text


def test_diagnostics_without_setup_or_exception(paths: Paths, monkeypatch: pytest.MonkeyPatch) -> None:
    # The core never imports Qt; it only reports a Qt that the UI already loaded.
    monkeypatch.delitem(sys.modules, "PySide6", raising=False)
    monkeypatch.delitem(sys.modules, "PySide6.QtCore", raising=False)
    assert mlog.current() is None
    text = mlog.diagnostics_text()
    assert "Traceback" not in text
    assert "Recent log (0 lines)" in text
    assert "Qt:" not in text
