"""Typed readers for the JSON a community sends, shared by the platform parsers
(:mod:`modconsole.connectors.discourse.parse`, :mod:`modconsole.connectors.vanilla.parse`).

An optional value of the wrong type reads as missing (``None``) rather than failing a whole page; a value
the record cannot do without goes through :func:`required`, which raises :func:`bad_payload` naming the
route. Two strictnesses, because the platforms differ: Vanilla's API v2 types its fields, so its parser
takes an int only as an int (:func:`integer`) and a flag only as ``true``/``1`` (:func:`flag`); Discourse
sends some numbers and flags as text or floats across versions, so its parser reads them leniently
(:func:`lenient_integer`, :func:`lenient_number`, :func:`lenient_flag`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from modconsole.errors import UnexpectedPayload

T = TypeVar("T")


def bad_payload(route: str, what: str) -> UnexpectedPayload:
    return UnexpectedPayload(
        "The community sent data this version of the console does not understand.",
        route=route,
        detail=f"{route}: {what}",
        retryable=False,
    )


def required(value: T | None, route: str, what: str) -> T:
    """``value``, or :func:`bad_payload` saying ``what`` is wrong when it is None."""
    if value is None:
        raise bad_payload(route, what)
    return value


def timestamp(value: Any) -> datetime | None:
    """ISO-8601 / RFC 3339 with or without fractions, ``Z`` or an offset; naive means UTC. Bad → None."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("Z", "z"):
        text = text[:-1] + "+00:00"
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt).astimezone(UTC)


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def integer(value: Any) -> int | None:
    """An int, never a bool."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def lenient_integer(value: Any) -> int | None:
    """An int, a whole float or the text of an int (never a bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def lenient_number(value: Any) -> float | None:
    """An int, a float or the text of a number (never a bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def flag(value: Any) -> bool:
    """True only for ``true`` or ``1``."""
    return value is True or value == 1


def lenient_flag(value: Any, default: bool = False) -> bool:
    """A bool, a number (non-zero is True) or text (``true``/``t``/``1``/``yes``); else ``default``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return value.lower() in ("true", "t", "1", "yes")
    return default
