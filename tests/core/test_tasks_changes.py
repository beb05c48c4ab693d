"""CancelToken, Progress and Changes: the Qt-free contracts the GUI's op layer relies on."""

from __future__ import annotations

import threading
import time

import pytest

from modconsole.changes import ID_KINDS, KINDS, Changes
from modconsole.errors import Cancelled, ModConsoleError
from modconsole.tasks import CancelToken, Progress, ignore_progress
from tests.helpers.waits import WAIT_S

# ---------------------------------------------------------------- CancelToken


def test_token_starts_uncancelled_and_cancel_is_sticky() -> None:
    token = CancelToken()
    assert not token.cancelled
    token.raise_if_cancelled()  # no error
    token.cancel()
    token.cancel()
    assert token.cancelled
    with pytest.raises(Cancelled) as info:
        token.raise_if_cancelled()
    assert isinstance(info.value, ModConsoleError)
    assert not info.value.retryable


def test_wait_runs_out_when_not_cancelled() -> None:
    token = CancelToken()
    assert token.wait(0.01) is False
    assert token.wait(0) is False


def test_wait_reports_an_already_cancelled_token() -> None:
    token = CancelToken()
    token.cancel()
    assert token.wait(0) is True
    assert token.wait(60) is True  # returns at once, or the test would hit its timeout


def test_wait_is_cut_short_by_cancel_from_another_thread() -> None:
    token = CancelToken()
    waiting = threading.Event()
    result: list[bool] = []

    def sleeper() -> None:
        waiting.set()
        result.append(token.wait(600))

    thread = threading.Thread(target=sleeper)
    thread.start()
    assert waiting.wait(WAIT_S)
    time.sleep(0.01)  # let the sleeper enter wait(); the result does not depend on it
    token.cancel()
    thread.join(WAIT_S)
    assert not thread.is_alive()
    assert result == [True]


# ---------------------------------------------------------------- Progress


def test_progress_is_frozen_with_defaults() -> None:
    p = Progress("topics")
    assert (p.stage, p.done, p.total, p.requests, p.message) == ("topics", 0, None, 0, "")
    with pytest.raises(AttributeError):
        p.done = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("done", "total", "percent", "fraction"),
    [
        (0, 10, 0, 0.0),
        (1, 3, 33, 1 / 3),
        (3, 3, 100, 1.0),
        (5, 3, 100, 1.0),
        (4, None, None, None),
        (4, 0, None, None),
    ],
)
def test_progress_percent(done: int, total: int | None, percent: int | None, fraction: float | None) -> None:
    p = Progress("s", done, total)
    assert p.percent == percent
    assert p.fraction == fraction


def test_ignore_progress_accepts_reports() -> None:
    assert ignore_progress(Progress("x")) is None


# ---------------------------------------------------------------- Changes


def test_none_and_everything() -> None:
    assert not Changes.none().any()
    assert not Changes.none()
    assert Changes.none().kinds() == frozenset()
    every = Changes.everything()
    assert every.any()
    assert every.kinds() == frozenset(KINDS)
    for kind in KINDS:
        assert every.touches(kind)
        assert every.touches(kind, 12345)


def test_each_kind_alone_counts_as_a_change() -> None:
    for kind in KINDS:
        c = Changes.of(kind)
        assert c.any()
        assert c.kinds() == {kind}
        assert c.touches(kind)
        assert not c.touches_any(set(KINDS) - {kind})


def test_ids_imply_their_flag_and_are_frozen() -> None:
    c = Changes(topic_ids={1, 2})  # type: ignore[arg-type]
    assert c.topics
    assert c.topic_ids == frozenset({1, 2})
    assert isinstance(c.topic_ids, frozenset)
    assert c.touches("topics", 1)
    assert not c.touches("topics", 3)
    assert not c.touches("posts")


def test_flag_without_ids_touches_every_id() -> None:
    c = Changes(users=True)
    assert c.touches("users", 77)


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError):
        Changes.of("toppics")
    with pytest.raises(ValueError):
        Changes().touches("nope")


def test_merge_unions_flags_and_ids() -> None:
    a = Changes(topic_ids=frozenset({1}), kpis=True)
    b = Changes(topic_ids=frozenset({2}), post_ids=frozenset({9}))
    m = a | b
    assert m == a.merge(b)
    assert m.kinds() == {"topics", "posts", "kpis"}
    assert m.topic_ids == {1, 2}
    assert m.post_ids == {9}
    assert not m.touches("topics", 3)


def test_merge_never_narrows_unknown_ids() -> None:
    specific = Changes(topic_ids=frozenset({1}))
    unknown = Changes(topics=True)
    for m in (specific | unknown, unknown | specific):
        assert m.topics
        assert m.topic_ids == frozenset()
        assert m.touches("topics", 999)


def test_merge_with_nothing_is_identity() -> None:
    c = Changes(post_ids=frozenset({4}), outbox=True)
    assert c | Changes.none() == c
    assert Changes.none() | c == c


def test_or_with_other_types_is_not_supported() -> None:
    with pytest.raises(TypeError):
        _ = Changes() | 3  # type: ignore[operator]


def test_changes_are_immutable_and_hashable() -> None:
    c = Changes(topics=True)
    with pytest.raises(AttributeError):
        c.topics = False  # type: ignore[misc]
    assert {c: 1}[Changes.of("topics")] == 1


def test_every_id_kind_is_a_kind() -> None:
    assert set(ID_KINDS) <= set(KINDS)


def test_repr_names_changed_kinds() -> None:
    assert repr(Changes()) == "Changes()"
    assert repr(Changes(topic_ids=frozenset({2, 1}), kpis=True)) == "Changes(topics=[1, 2], kpis)"
