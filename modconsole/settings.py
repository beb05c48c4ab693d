"""One settings registry: every setting that travels with a community's cache, declared once.

A :class:`Key` names a setting and says what it holds: its codec (stored value ⇄ JSON), its
default, one line of documentation and how a new value is checked. :func:`get` and :func:`put`
are the one reader and writer of the cache's ``settings`` table (key → JSON text, with
``updated_at``); no other module reads or writes that table. The UI (through its writer ops),
the services, the analytics and the headless commands all go through them, so a setting has one
source of truth: the cache of the community it belongs to, which travels with it.

A key is declared next to the type of value it holds (the SLA calendar and the sync summary
here; ``ANALYTICS`` in :mod:`modconsole.analytics.settings`, ``SUPERUSERS`` in
:mod:`modconsole.services.superusers`, ``REMINDERS`` and ``REMINDER_SNOOZES`` in
:mod:`modconsole.services.reminders`, ``PERMISSIONS`` in :mod:`modconsole.outbox.permissions`), so
this module never imports the floors above it. Whoever lists every key (the ``settings``
command) imports those owners first; :data:`REGISTRY` then holds them all.

Pure window state (geometry, splitters, column widths, the queue's filters and saved views) is
not here: it stays in the UI's QSettings file (``<config>/ui.ini``).

Reading never fails: a missing value is the key's default, and an unreadable one (hand-edited,
or written by an older version) is logged and read as the default too. Writing checks first:
:func:`put` raises :class:`~modconsole.errors.InvalidInput` and stores nothing when the value
does not pass the key's check.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy import Connection, text

from modconsole import clock
from modconsole.errors import InvalidInput
from modconsole.services.sla import SlaSettings

if TYPE_CHECKING:
    from modconsole.cache.db import Cache

__all__ = [
    "APPEARANCE",
    "APPEARANCES",
    "LANGUAGE",
    "LANGUAGES",
    "LAST_SYNC_RUN",
    "PLATFORM",
    "REGISTRY",
    "SLA",
    "SURVEY",
    "Key",
    "Stored",
    "get",
    "json_object",
    "key",
    "load",
    "put",
    "read_all",
    "remove",
    "store",
    "updated_at",
]

log = logging.getLogger("modconsole.settings")

T = TypeVar("T")

_UNREADABLE = (InvalidInput, ValueError, TypeError, KeyError, AttributeError, IndexError)


def _no_check(_value: Any) -> None:
    return None


@dataclass(frozen=True, eq=False)
class Key(Generic[T]):
    """A setting: its name in the ``settings`` table, one line of doc, and how it is stored.

    ``decode`` turns the stored JSON (already parsed) into the value and may raise on bad data;
    ``encode`` turns a value into JSON-able data; ``check`` raises :class:`InvalidInput` (with a
    message for a person) when a value must not be stored."""

    name: str
    doc: str
    default: Callable[[], T]
    decode: Callable[[Any], T]
    encode: Callable[[T], Any]
    check: Callable[[T], None] = _no_check

    def parse(self, raw: str) -> T:
        """The value of stored JSON text; raises (``InvalidInput``, ``ValueError`` …) when unreadable."""
        return self.decode(json.loads(raw))

    def dumps(self, value: T) -> str:
        return json.dumps(self.encode(value), sort_keys=True, ensure_ascii=False)


REGISTRY: dict[str, Key[Any]] = {}
"""Every declared key, by name (the order of declaration)."""


def key(
    name: str,
    doc: str,
    default: Callable[[], T],
    decode: Callable[[Any], T],
    encode: Callable[[T], Any],
    check: Callable[[T], None] = _no_check,
) -> Key[T]:
    """Declare a key (once: a second declaration of the same name is a bug)."""
    if name in REGISTRY:
        raise ValueError(f"setting {name!r} is declared twice")
    k = Key(name, doc, default, decode, encode, check)
    REGISTRY[name] = k
    return k


# ---------------------------------------------------------------- the one reader and writer


def _now_iso() -> str:
    d = clock.now().astimezone(UTC)
    return d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z"


def _raw(conn: Connection, name: str) -> str | None:
    row = conn.execute(text("SELECT value_json FROM settings WHERE key = :k"), {"k": name}).first()
    return None if row is None else str(row[0])


def get(conn: Connection, k: Key[T]) -> T:
    """The stored value of ``k``; its default when missing or unreadable (logged)."""
    raw = _raw(conn, k.name)
    if raw is None:
        return k.default()
    try:
        return k.parse(raw)
    except _UNREADABLE as exc:
        log.warning("setting %s is unreadable, using its default: %s", k.name, exc)
        return k.default()


def put(conn: Connection, k: Key[T], value: T) -> None:
    """Check ``value`` and store it under ``k`` (in the caller's write transaction)."""
    k.check(value)
    conn.execute(
        text(
            "INSERT INTO settings (key, value_json, updated_at) VALUES (:k, :v, :t) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, "
            "updated_at = excluded.updated_at"
        ),
        {"k": k.name, "v": k.dumps(value), "t": _now_iso()},
    )


def remove(conn: Connection, k: Key[Any]) -> bool:
    """Forget the stored value (reads give the default again); True when there was one."""
    return bool(conn.execute(text("DELETE FROM settings WHERE key = :k"), {"k": k.name}).rowcount)


def updated_at(conn: Connection, k: Key[Any]) -> str | None:
    """When ``k`` was last written (cache timestamp text), ``None`` when it never was."""
    row = conn.execute(text("SELECT updated_at FROM settings WHERE key = :k"), {"k": k.name}).first()
    return None if row is None else str(row[0])


def load(cache: Cache, k: Key[T]) -> T:
    """:func:`get` in a read transaction of its own."""
    with cache.read() as conn:
        return get(conn, k)


def store(cache: Cache, k: Key[T], value: T) -> None:
    """:func:`put` in a write transaction of its own."""
    with cache.write() as conn:
        put(conn, k, value)


@dataclass(frozen=True)
class Stored:
    """One row of the ``settings`` table as :func:`read_all` reports it."""

    name: str
    doc: str
    value: Any  # the stored JSON, parsed (None: never stored, or unreadable)
    updated_at: str | None
    known: bool  # declared in this registry
    readable: bool


def read_all(conn: Connection, keys: Mapping[str, Key[Any]] | None = None) -> list[Stored]:
    """Every key of ``keys`` (default: those declared so far, :data:`REGISTRY`), stored or not,
    and every stored row none of them declares, by name."""
    registry = REGISTRY if keys is None else keys
    rows = {
        str(r[0]): (str(r[1]), str(r[2]))
        for r in conn.execute(text("SELECT key, value_json, updated_at FROM settings"))
    }
    out = []
    for name in sorted(set(registry) | set(rows)):
        k = registry.get(name)
        raw, at = rows.get(name, (None, None))
        value: Any = None
        readable = True
        if raw is not None:
            try:
                value = json.loads(raw)
                if k is not None:
                    k.decode(value)
            except _UNREADABLE:
                readable = False
        out.append(
            Stored(name, k.doc if k else "(not declared by this version)", value, at, k is not None, readable)
        )
    return out


# ---------------------------------------------------------------- codecs


def json_object(value: Any, what: str) -> Mapping[str, Any]:
    """``value`` as a JSON object, or :class:`InvalidInput` naming ``what`` (for codecs)."""
    if not isinstance(value, Mapping):
        raise InvalidInput(f"The {what} must be a JSON object.")
    return value


def _json_object(value: Any) -> dict[str, Any]:
    return dict(json_object(value, "setting"))


def _same(value: dict[str, Any]) -> dict[str, Any]:
    return value


def _empty() -> dict[str, Any]:
    return {}


def _sla_decode(value: Any) -> SlaSettings:
    return SlaSettings.from_dict(json_object(value, "SLA calendar"))


def _sla_encode(value: SlaSettings) -> Any:
    return value.to_dict()


APPEARANCES = ("system", "light", "dark")


def _appearance_default() -> str:
    return "system"


def _appearance_decode(value: Any) -> str:
    if value not in APPEARANCES:
        raise InvalidInput(f"The appearance must be one of {', '.join(APPEARANCES)}, not {value!r}.")
    return str(value)


def _appearance_encode(value: str) -> Any:
    return value


def _appearance_check(value: str) -> None:
    _appearance_decode(value)


def _language_decode(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("The language must be a JSON string.")
    _language_check(value)
    return value


def _language_check(value: str) -> None:
    if value not in LANGUAGES:
        raise InvalidInput(f"Unknown language {value!r}: use one of {', '.join(LANGUAGES)}.")


def _language_encode(value: str) -> Any:
    return value


def _language_default() -> str:
    return "system"


def _platform_decode(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidInput("The platform setting is not a name.")
    return value.strip().lower()


def _platform_encode(value: str) -> Any:
    return value


def _platform_check(value: str) -> None:
    if not value.isidentifier():
        raise InvalidInput(f"“{value}” is not a platform name.")


LANGUAGES = ("system", "en", "de")
"""The console's languages: ``system`` follows the computer's locale (German when it is German,
else English)."""

# ---------------------------------------------------------------- the keys

SLA: Key[SlaSettings] = key(
    "sla",
    "Working hours, public and own holidays and first-response targets: the queue's SLA column "
    "and the dashboard's SLA figures.",
    SlaSettings,
    _sla_decode,
    _sla_encode,
)
SURVEY: Key[dict[str, Any]] = key(
    "analytics.survey",
    "The imported CSAT/effort survey (rows of day, CSAT, effort), replaced by each import.",
    _empty,
    _json_object,
    _same,
)
LAST_SYNC_RUN: Key[dict[str, Any]] = key(
    "sync.last_run",
    "A summary of the last sync run (when, finished, requests): `modconsole status`.",
    _empty,
    _json_object,
    _same,
)
PLATFORM: Key[str] = key(
    "site.platform",
    "The community platform this cache mirrors (discourse, vanilla): written by a sync, read when "
    "a site is opened with its platform left to detection.",
    str,
    _platform_decode,
    _platform_encode,
    _platform_check,
)
APPEARANCE: Key[str] = key(
    "ui.appearance",
    "Light or dark: system (follow the system's colour scheme), light or dark (Settings → Appearance).",
    _appearance_default,
    _appearance_decode,
    _appearance_encode,
    _appearance_check,
)
LANGUAGE: Key[str] = key(
    "ui.language",
    "The console's language for this community: system (follow the computer), en or de.",
    _language_default,
    _language_decode,
    _language_encode,
    _language_check,
)
