"""modconsole: the Qt-free core of the moderator console.

Everything under this package is importable and testable without Qt: the API client, the
cache, sync, the outbox, services, and the demo community server. The desktop shell lives in
the top-level ``ui`` package, which depends on this one and never the other way round.
"""

from __future__ import annotations

from importlib import metadata as _metadata

APP_ID = "io.github.modconsole.ModConsole"
APP_NAME = "modconsole"
APP_DISPLAY_NAME = "Moderator Console"

try:
    __version__ = _metadata.version("modconsole")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

USER_AGENT = f"modconsole/{__version__} (+https://github.com/modconsole; desktop moderator console)"
