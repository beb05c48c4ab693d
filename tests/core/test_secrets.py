"""Secret stores: OS keychain through keyring (an in-memory backend in tests), memory, and refusal
of keyring's fail/null backends — never a silent plaintext fallback."""

from __future__ import annotations

import logging

import keyring
import keyring.backends.fail
import keyring.backends.null
import pytest
from keyring.backend import KeyringBackend

from modconsole.errors import InvalidInput, SecretStoreUnavailable
from modconsole.secrets import (
    KeyringSecretStore,
    MemorySecretStore,
    SecretStore,
    backend_is_system,
    open_secret_store,
    service_name,
)
from tests.helpers.memkeyring import MemoryKeyring

KEY = "k3y-SECRET-0123456789abcdef"
SITE = "https://Forum.Example.com/"


@pytest.mark.parametrize("factory", [MemorySecretStore, KeyringSecretStore], ids=["memory", "keyring"])
def test_round_trip_per_site_and_user(factory: type) -> None:
    store: SecretStore = factory()
    assert isinstance(store, SecretStore)
    assert store.get(SITE, "alice") is None
    store.set(SITE, "alice", KEY)
    store.set("https://other.example.com", "alice", "other-key")
    # site URL is normalised (case, trailing slash); usernames are case-insensitive on Discourse
    assert store.get("https://forum.example.com", "Alice") == KEY
    assert store.get("https://other.example.com", "alice") == "other-key"
    store.delete(SITE, "alice")
    assert store.get(SITE, "alice") is None
    store.delete(SITE, "alice")  # deleting twice is fine
    assert KEY not in repr(store)


def test_keyring_store_writes_to_the_keyring_under_the_app_service(memory_keyring: MemoryKeyring) -> None:
    store = KeyringSecretStore()
    store.set(SITE, "alice", KEY)
    assert memory_keyring.store[(service_name(SITE), "alice")] == KEY
    assert store.is_system is False  # the test backend is not an OS keychain


@pytest.mark.parametrize("backend", [keyring.backends.fail.Keyring(), keyring.backends.null.Keyring()])
def test_fail_and_null_backends_are_refused(backend: KeyringBackend) -> None:
    keyring.set_keyring(backend)  # the autouse fixture restores the previous backend
    with pytest.raises(SecretStoreUnavailable) as info:
        KeyringSecretStore()
    assert "session" in info.value.user_message
    with pytest.raises(SecretStoreUnavailable):
        open_secret_store()


def test_open_secret_store_refuses_a_non_system_backend_unless_allowed() -> None:
    with pytest.raises(SecretStoreUnavailable):
        open_secret_store(prefer_system=True)
    assert isinstance(open_secret_store(prefer_system=True, allow_non_system=True), KeyringSecretStore)
    assert isinstance(open_secret_store(prefer_system=False), MemorySecretStore)


def test_system_backend_detection() -> None:
    class FakeSecretService(MemoryKeyring):
        pass

    FakeSecretService.__module__ = "keyring.backends.SecretService"
    assert backend_is_system(FakeSecretService())
    assert not backend_is_system(MemoryKeyring())
    keyring.set_keyring(FakeSecretService())
    store = open_secret_store()
    assert isinstance(store, KeyringSecretStore) and store.is_system


class BrokenKeyring(MemoryKeyring):
    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked(f"locked while storing {password}")

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.InitError("dbus gone")


def test_keychain_errors_become_secret_store_unavailable_without_the_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    store = KeyringSecretStore(BrokenKeyring())
    with pytest.raises(SecretStoreUnavailable) as info:
        store.set(SITE, "alice", KEY)
    exc = info.value
    assert KEY not in str(exc) and KEY not in repr(exc)
    assert exc.__cause__ is None and exc.__context__ is None
    with pytest.raises(SecretStoreUnavailable):
        store.get(SITE, "alice")
    assert all(KEY not in r.getMessage() for r in caplog.records)


def test_empty_inputs_are_rejected() -> None:
    store = MemorySecretStore()
    with pytest.raises(InvalidInput):
        store.set(SITE, "alice", "")
    with pytest.raises(InvalidInput):
        store.get("", "alice")
    with pytest.raises(InvalidInput):
        store.get(SITE, " ")
