"""Fixtures for every test: hermetic paths, an in-memory keyring, loopback-only network,
and the demo community (generated once per session, copied per test) behind a real server."""

from __future__ import annotations

import ipaddress
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

from tests.helpers.memkeyring import MemoryKeyring

if TYPE_CHECKING:
    from tests.core.community import Community

# ---------------------------------------------------------------- hermetic environment

TEST_NOW = datetime(2026, 11, 1, 13, 0, 0, tzinfo=UTC)
"""The instant every test starts at: an hour after the demo community was generated
(``modconsole.demo.generator.DEFAULT_NOW``), whatever the machine's date is."""


@pytest.fixture(autouse=True)
def test_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One clock for the test, the demo community and every process the test starts."""
    from modconsole import clock

    clock.set_now(TEST_NOW)
    monkeypatch.setenv(clock.ENV_VAR, clock.env_value())
    yield
    clock.set_now(TEST_NOW)


@pytest.fixture(autouse=True)
def hermetic_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every path the app writes (cache, settings, logs, demo data) goes below tmp_path."""
    home = tmp_path / "modconsole-home"
    monkeypatch.setenv("MODCONSOLE_DATA_DIR", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("MODCONSOLE_API_KEY", raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> object:
    if isinstance(address, tuple) and address and isinstance(address[0], str):
        host = address[0]
        try:
            ok = ipaddress.ip_address(host).is_loopback
        except ValueError:
            ok = host == "localhost"
        if not ok:
            raise OSError(f"tests may only talk to loopback, not {host!r}")
    return _real_connect(self, address)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


# ---------------------------------------------------------------- the demo community


@pytest.fixture(scope="session")
def tiny_community_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``tiny`` community, generated once per test session (never modified)."""
    from modconsole.demo.generator import generate

    path = tmp_path_factory.mktemp("demo-master") / "tiny.sqlite3"
    generate(path, size="tiny", seed=7)
    return path


def copy_db(src: Path, dst: Path) -> Path:
    """A consistent copy of a SQLite file (backup API, WAL included)."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    return dst


@pytest.fixture
def demo_db(tiny_community_master: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny community for one test."""
    return copy_db(tiny_community_master, tmp_path / "demo.sqlite3")


@pytest.fixture
def demo_server(demo_db: Path) -> Iterator[object]:
    """The demo server on a free loopback port, rate limits off, over the test's own copy."""
    from modconsole.demo.server import DemoServer

    server = DemoServer(demo_db)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def tiny_vanilla_master(tiny_community_master: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``tiny`` community with Vanilla's tables (tokens, answers, reactions), made once per session."""
    from modconsole.demo import store
    from modconsole.demo.vanilla.store import extend

    db = copy_db(tiny_community_master, tmp_path_factory.mktemp("vanilla-master") / "tiny-vanilla.sqlite3")
    con = store.connect(db)
    try:
        extend(con)
    finally:
        con.close()
    return db


@pytest.fixture
def vanilla_demo_db(tiny_vanilla_master: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny community with Vanilla's tables for one test."""
    return copy_db(tiny_vanilla_master, tmp_path / "vanilla-demo.sqlite3")


@pytest.fixture
def vanilla_demo_server(vanilla_demo_db: Path) -> Iterator[object]:
    """The Vanilla demo server (API v2) on a free loopback port, rate limits off."""
    from modconsole.demo.vanilla.server import VanillaDemoServer

    server = VanillaDemoServer(vanilla_demo_db)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=["discourse", "vanilla"])
def community(request: pytest.FixtureRequest, tmp_path: Path) -> Community:
    """The same tiny community behind either platform's demo server (issue #16: the integration
    suites run against both), with a driver for the test (tests/core/community.py). The server is
    the ``demo_server`` or ``vanilla_demo_server`` fixture's, stopped when the test ends."""
    from tests.core.community import Community

    platform = request.param
    server = request.getfixturevalue("demo_server" if platform == "discourse" else "vanilla_demo_server")
    return Community(platform, server, tmp_path)


__all__ = ["copy_db", "shutil"]
