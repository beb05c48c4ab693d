"""The typed readers both platform parsers share (modconsole/connectors/fields.py): the strict ones Vanilla's
typed API v2 gets, the lenient ones Discourse's version drift needs, and the one error for a missing value."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from modconsole.connectors import fields
from modconsole.connectors.discourse import parse as discourse_parse
from modconsole.connectors.vanilla import parse as vanilla_parse
from modconsole.errors import UnexpectedPayload


@pytest.mark.parametrize(
    ("value", "strict", "lenient"),
    [
        (7, 7, 7),
        (7.0, None, 7),
        (" 7 ", None, 7),
        ("seven", None, None),
        (True, None, None),
        (None, None, None),
    ],
)
def test_integers_strict_and_lenient(value: Any, strict: int | None, lenient: int | None) -> None:
    assert fields.integer(value) == strict
    assert fields.lenient_integer(value) == lenient


@pytest.mark.parametrize(
    ("value", "strict", "lenient"),
    [(True, True, True), (1, True, True), ("true", False, True), (0, False, False), (None, False, False)],
)
def test_flags_strict_and_lenient(value: Any, strict: bool, lenient: bool) -> None:
    assert fields.flag(value) is strict
    assert fields.lenient_flag(value) is lenient


def test_lenient_flag_default_and_number() -> None:
    assert fields.lenient_flag([], default=True) is True
    assert fields.lenient_number("2.5") == 2.5
    assert fields.lenient_number(False) is None


@pytest.mark.parametrize(
    "value", ["2026-03-01T14:05:09Z", " 2026-03-01T15:05:09+01:00 ", "2026-03-01T14:05:09"]
)
def test_timestamp_is_aware_utc(value: str) -> None:
    assert fields.timestamp(value) == datetime(2026, 3, 1, 14, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize("value", ["", "   ", "Z", "yesterday", 5, None])
def test_bad_timestamp_reads_as_missing(value: Any) -> None:
    assert fields.timestamp(value) is None


def test_required_names_the_route_and_what_is_wrong() -> None:
    assert fields.required(0, "GET /x", "x is missing") == 0  # a falsy value is still a value
    with pytest.raises(UnexpectedPayload) as info:
        fields.required(None, "GET /x", "x is missing")
    assert info.value.detail == "GET /x: x is missing"
    assert info.value.retryable is False


def test_both_parsers_keep_their_own_strictness_and_messages() -> None:
    """Vanilla takes an id only as an int; Discourse also takes its text. Each keeps its wording."""
    with pytest.raises(UnexpectedPayload) as info:
        vanilla_parse.user({"userID": "5"}, "GET /users")
    assert info.value.detail == "GET /users: userID is missing or not an integer"
    assert discourse_parse.parse_user({"user": {"id": "5", "username": "ann"}}, "GET /u/ann.json").id == 5
    with pytest.raises(UnexpectedPayload) as info:
        discourse_parse.parse_user({"user": {"username": "ann"}}, "GET /u/ann.json")
    assert info.value.detail == "GET /u/ann.json: answer.id missing or not a number"
