"""Where API keys live: the OS keychain, or memory for this session — never a plain file.

After Vorta's ``keyring/abc.py`` (a store interface plus ``is_primary``, telling whether the
backend is the system's real keychain), without Vorta's silent fallback to a database: when
``keyring`` has only its fail/null backend, :class:`KeyringSecretStore` raises
:class:`~modconsole.errors.SecretStoreUnavailable` and the login dialog offers
:class:`MemorySecretStore` ("keep for this session only").

Entries are keyed by site URL and username: service ``"<APP_ID>:<site url>"``, user name =
the account's username. No key value ever appears in a log line, exception or ``repr``.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Protocol, runtime_checkable

import keyring
import keyring.errors

from modconsole import APP_ID
from modconsole.errors import InvalidInput, SecretStoreUnavailable

log = logging.getLogger("modconsole.secrets")

SYSTEM_BACKEND_MODULES = (
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
)
"""keyring backends that store in a real OS keychain (everything else is not "system")."""

UNUSABLE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null")


@runtime_checkable
class SecretStore(Protocol):
    """Get/set/delete the API key of one account on one site."""

    @property
    def is_system(self) -> bool:
        """True when keys survive a restart in the OS keychain."""
        ...

    def get(self, site_url: str, username: str) -> str | None: ...

    def set(self, site_url: str, username: str, key: str) -> None: ...

    def delete(self, site_url: str, username: str) -> None:
        """Remove the key; no error if there is none."""
        ...


def _norm_site(site_url: str) -> str:
    site = (site_url or "").strip().rstrip("/").lower()
    if not site:
        raise InvalidInput("A site address is needed to store its key.")
    return site


def _norm_user(username: str) -> str:
    user = (username or "").strip()
    if not user:
        raise InvalidInput("A username is needed to store its key.")
    return user.lower()


def service_name(site_url: str) -> str:
    return f"{APP_ID}:{_norm_site(site_url)}"


class MemorySecretStore:
    """Keys kept in this process only (forgotten on exit). Thread-safe."""

    is_system = False

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def get(self, site_url: str, username: str) -> str | None:
        with self._lock:
            return self._keys.get((_norm_site(site_url), _norm_user(username)))

    def set(self, site_url: str, username: str, key: str) -> None:
        if not key:
            raise InvalidInput("The API key is empty.")
        with self._lock:
            self._keys[(_norm_site(site_url), _norm_user(username))] = key

    def delete(self, site_url: str, username: str) -> None:
        with self._lock:
            self._keys.pop((_norm_site(site_url), _norm_user(username)), None)

    def __repr__(self) -> str:
        return f"MemorySecretStore(entries={len(self._keys)})"


def _backend_modules(backend: Any) -> list[str]:
    """Module names of a backend, or of each backend inside keyring's chainer."""
    inner = getattr(backend, "backends", None)
    if type(backend).__module__ == "keyring.backends.chainer" and inner is not None:
        return [type(b).__module__ for b in inner]
    return [type(backend).__module__]


def backend_is_usable(backend: Any) -> bool:
    mods = _backend_modules(backend)
    return bool(mods) and any(m not in UNUSABLE_BACKEND_MODULES for m in mods)


def backend_is_system(backend: Any) -> bool:
    return any(m in SYSTEM_BACKEND_MODULES for m in _backend_modules(backend))


class KeyringSecretStore:
    """Keys in the OS keychain through ``keyring``.

    Raises :class:`SecretStoreUnavailable` at construction when only keyring's fail/null
    backend is available, and from any call the keychain refuses (locked, denied).
    """

    def __init__(self, backend: Any | None = None) -> None:
        self._backend = backend if backend is not None else keyring.get_keyring()
        if not backend_is_usable(self._backend):
            raise SecretStoreUnavailable(
                "No system keychain is available, so the API key cannot be saved. "
                "You can keep it for this session only.",
                detail=f"keyring backend {type(self._backend).__name__}",
            )

    @property
    def is_system(self) -> bool:
        return backend_is_system(self._backend)

    @property
    def backend_name(self) -> str:
        return type(self._backend).__module__ + "." + type(self._backend).__name__

    def _call(self, what: str, fn: Any, *args: str) -> Any:
        failure: str | None = None
        try:
            return fn(*args)
        except keyring.errors.PasswordDeleteError:
            return None
        except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
            failure = type(exc).__name__
        # Raised outside the except block: the backend's exception (whose message or args may
        # hold the key) is neither chained nor kept as context.
        log.warning("keychain %s failed: %s", what, failure)
        raise SecretStoreUnavailable(
            f"The system keychain refused to {what} the API key (it may be locked).",
            detail=failure,
        )

    def get(self, site_url: str, username: str) -> str | None:
        value = self._call("read", self._backend.get_password, service_name(site_url), _norm_user(username))
        return value if isinstance(value, str) and value else None

    def set(self, site_url: str, username: str, key: str) -> None:
        if not key:
            raise InvalidInput("The API key is empty.")
        self._call("save", self._backend.set_password, service_name(site_url), _norm_user(username), key)

    def delete(self, site_url: str, username: str) -> None:
        self._call("delete", self._backend.delete_password, service_name(site_url), _norm_user(username))

    def __repr__(self) -> str:
        return f"KeyringSecretStore(backend={self.backend_name!r}, is_system={self.is_system})"


def open_secret_store(prefer_system: bool = True, *, allow_non_system: bool = False) -> SecretStore:
    """The store the app should use.

    ``prefer_system=False`` → a :class:`MemorySecretStore`. Otherwise the keyring store; raises
    :class:`SecretStoreUnavailable` when there is no usable keychain — or, unless
    ``allow_non_system``, when the only backend is not a real OS keychain (e.g. a third-party
    file backend) — so the caller must ask the moderator before falling back to memory.
    """
    if not prefer_system:
        return MemorySecretStore()
    store = KeyringSecretStore()
    if not store.is_system and not allow_non_system:
        raise SecretStoreUnavailable(
            "Only a non-system key store is available; the API key would not be protected by the "
            "operating system. You can keep it for this session only.",
            detail=store.backend_name,
        )
    return store


__all__ = [
    "KeyringSecretStore",
    "MemorySecretStore",
    "SecretStore",
    "backend_is_system",
    "backend_is_usable",
    "open_secret_store",
    "service_name",
]


ENV_API_KEY = "MODCONSOLE_API_KEY"


def load_api_key(site_url: str, username: str) -> str:
    """The key for a headless command: ``MODCONSOLE_API_KEY`` (scripts), else the OS keyring.

    The key is registered with the log redaction before it is returned, so nothing a command
    logs afterwards can carry it.
    """
    import os

    from modconsole.log import register_secret

    key = (os.environ.get(ENV_API_KEY) or "").strip()
    if not key:
        try:
            key = open_secret_store(allow_non_system=True).get(site_url, username) or ""
        except SecretStoreUnavailable as exc:
            raise InvalidInput(
                f"No API key for {username} on {site_url}: set {ENV_API_KEY} (there is no usable "
                "system keychain to read it from).",
                detail=exc.detail,
            ) from None
    if not key:
        raise InvalidInput(
            f"No API key for {username} on {site_url}: sign in with the desktop app first, "
            f"or set {ENV_API_KEY} for scripts."
        )
    register_secret(key)
    return key
