"""A signed-in console session against the demo server, as the UI tests need it."""

from __future__ import annotations

from typing import Any

from modconsole.api.client import Credentials
from modconsole.api.ratelimit import Budget
from modconsole.outbox.dispatcher import DispatchOptions
from modconsole.paths import Paths
from modconsole.secrets import MemorySecretStore
from ui.app import open_session
from ui.services import Session
from ui.signin import SignInResult


def demo_session(server: Any, paths: Paths | None = None, *, role: str = "moderator") -> Session:
    """Open the cache and client for ``role``'s user API key, unpaced (loopback) and with pushes
    that give up at the first wait, so a test never sits out a retry back-off."""
    who = getattr(server.credentials, role)
    creds = Credentials.user(who.key, username=who.username)
    result = SignInResult(server.base_url, who.username, creds, False, MemorySecretStore())
    return open_session(
        paths or Paths.default().ensure(),
        result,
        budget=Budget.unlimited(),
        dispatch_options=DispatchOptions(max_wait=0.0),
    )


def vanilla_session(server: Any, paths: Paths | None = None, *, role: str = "moderator") -> Session:
    """As :func:`demo_session`, on the Vanilla demo: ``role``'s personal access token."""
    who = getattr(server.credentials, role)
    creds = Credentials.token(who.token, username=who.username)
    result = SignInResult(
        server.base_url, who.username, creds, False, MemorySecretStore(), platform="vanilla"
    )
    return open_session(
        paths or Paths.default().ensure(),
        result,
        budget=Budget.unlimited(),
        dispatch_options=DispatchOptions(max_wait=0.0),
    )
