"""ui.messages: buffering until a display connects, levels and replace keys, and how
present_failure routes each class of failure."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole.errors import (
    ApiError,
    AuthError,
    CacheCorrupt,
    Cancelled,
    Conflict,
    DiskFull,
    InvalidInput,
    ModConsoleError,
    NetworkError,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerUnavailable,
)
from tests.helpers.messagemock import MessageRecorder
from ui import messages as msgapi
from ui.messages import Message, MessageBridge, MessageLevel, present_failure
from ui.signals import AppSignals

# ---------------------------------------------------------------- the bridge


def test_bridge_buffers_until_a_display_connects_then_flushes_in_order(qapp: QApplication) -> None:
    bridge = MessageBridge()
    shown: list[Message] = []
    bridge.publish(Message(MessageLevel.INFO, "one"))
    bridge.publish(Message(MessageLevel.ERROR, "two"))
    assert shown == []
    assert bridge.connected is False
    assert [m.text for m in bridge.buffered()] == ["one", "two"]

    bridge.connect_receiver(shown.append)
    assert bool(bridge.connected)  # (bool(): no mypy narrowing across connect)
    assert [(m.level, m.text) for m in shown] == [(MessageLevel.INFO, "one"), (MessageLevel.ERROR, "two")]
    assert bridge.buffered() == []

    bridge.publish(Message(MessageLevel.WARNING, "three"))
    assert [m.text for m in shown] == ["one", "two", "three"]


def test_buffer_keeps_only_the_latest_message_per_replace_key(qapp: QApplication) -> None:
    bridge = MessageBridge()
    bridge.publish(Message(MessageLevel.WARNING, "offline (1)", replace="retryable"))
    bridge.publish(Message(MessageLevel.INFO, "hello"))
    bridge.publish(Message(MessageLevel.WARNING, "offline (2)", replace="retryable"))
    assert [m.text for m in bridge.buffered()] == ["hello", "offline (2)"]


def test_buffer_is_bounded(qapp: QApplication) -> None:
    bridge = MessageBridge(buffer_size=3)
    for i in range(10):
        bridge.publish(Message(MessageLevel.INFO, str(i)))
    assert [m.text for m in bridge.buffered()] == ["7", "8", "9"]


def test_module_functions_publish_levels_and_replace_keys(messages: MessageRecorder) -> None:
    msgapi.info("Synced 3 topics.", replace="sync")
    msgapi.warning("Slow down.")
    msgapi.error("Could not save.", replace="save")
    assert messages.messages == [
        Message(MessageLevel.INFO, "Synced 3 topics.", "sync"),
        Message(MessageLevel.WARNING, "Slow down.", None),
        Message(MessageLevel.ERROR, "Could not save.", "save"),
    ]
    assert messages.texts("warning") == ["Slow down."]


def test_messages_before_the_recorder_are_buffered_by_the_global_bridge(qapp: QApplication) -> None:
    fresh = MessageBridge()
    previous = msgapi.set_global_bridge(fresh)
    try:
        msgapi.error("early")
        assert [m.text for m in fresh.buffered()] == ["early"]
        shown: list[Message] = []
        fresh.connect_receiver(shown.append)
        assert [m.text for m in shown] == ["early"]
    finally:
        msgapi.set_global_bridge(previous)


def test_getmsg_insists_on_exactly_one_message_of_the_level(messages: MessageRecorder) -> None:
    with pytest.raises(AssertionError):
        messages.getmsg()
    messages.messages.append(Message(MessageLevel.INFO, "a"))
    assert messages.getmsg(MessageLevel.INFO).text == "a"
    with pytest.raises(AssertionError):
        messages.getmsg("error")
    messages.messages.append(Message(MessageLevel.INFO, "b"))
    with pytest.raises(AssertionError):
        messages.getmsg()


# ---------------------------------------------------------------- present_failure


def test_cancelled_shows_nothing(messages: MessageRecorder, app_signals: AppSignals, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(app_signals.auth_required):
        present_failure(Cancelled("The operation was cancelled."))
    assert messages.messages == []
    assert messages.bugs == []


@pytest.mark.parametrize(
    "exc",
    [
        NetworkError("The community cannot be reached."),
        RateLimited("The community asks us to slow down.", retry_after=30),
        ServerUnavailable("The community is in maintenance."),
        DiskFull("The disk is full."),
        ApiError("Something transient.", retryable=True),
    ],
    ids=lambda e: type(e).__name__,
)
def test_retryable_errors_are_a_replaceable_warning(exc: ModConsoleError, messages: MessageRecorder) -> None:
    present_failure(exc)
    present_failure(exc)
    assert messages.messages == [Message(MessageLevel.WARNING, exc.user_message, "retryable")] * 2
    assert messages.bugs == []


def test_retryable_replace_key_can_be_chosen(messages: MessageRecorder) -> None:
    present_failure(NetworkError("offline"), replace="sync")
    assert messages.getmsg("warning").replace == "sync"


def test_auth_error_requests_login_once(
    messages: MessageRecorder, app_signals: AppSignals, qtbot: QtBot
) -> None:
    emitted: list[bool] = []
    app_signals.auth_required.connect(lambda: emitted.append(True))
    present_failure(AuthError("The API key is not accepted."))
    present_failure(AuthError("The API key is not accepted."))
    assert emitted == [True]
    assert app_signals.auth_pending
    assert messages.messages == []

    app_signals.clear_auth_required()  # after a successful login
    present_failure(AuthError("The API key is not accepted."))
    assert emitted == [True, True]


def test_auth_error_without_a_hub_is_still_shown(messages: MessageRecorder) -> None:
    from ui import signals

    previous = signals.current_app_signals()
    signals.set_app_signals(None)
    try:
        present_failure(AuthError("The API key is not accepted."))
    finally:
        signals.set_app_signals(previous)
    assert messages.getmsg("error").text == "The API key is not accepted."


@pytest.mark.parametrize(
    "exc",
    [
        NotFound("That topic is gone."),
        PermissionDenied("You may not grant this badge."),
        Conflict("Someone else edited this."),
        InvalidInput("That is not a URL."),
        CacheCorrupt("The local cache is damaged."),
        ModConsoleError("Plain known error.", detail="internal detail"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_other_known_errors_show_their_user_message(exc: ModConsoleError, messages: MessageRecorder) -> None:
    present_failure(exc)
    msg = messages.getmsg(MessageLevel.ERROR)
    assert msg.text == exc.user_message
    assert "internal detail" not in msg.text
    assert msg.replace is None
    assert messages.bugs == []


def test_anything_else_is_a_bug_for_the_hook(messages: MessageRecorder) -> None:
    parent = QObject()
    try:
        raise KeyError("surprise")
    except KeyError as exc:
        caught = exc
    present_failure(caught, parent=parent)
    assert messages.messages == []
    assert len(messages.bugs) == 1
    exc_type, exc_value, tb = messages.bugs[0]
    assert exc_type is KeyError
    assert exc_value is caught
    assert tb is caught.__traceback__ and tb is not None


def test_bug_hook_receives_the_parent(qapp: QApplication) -> None:
    seen: list[QObject | None] = []
    parent = QObject()
    previous = msgapi.set_bug_hook(lambda p, exc_info: seen.append(p))
    try:
        present_failure(RuntimeError("bug"), parent=parent)
    finally:
        msgapi.set_bug_hook(previous)
    assert seen == [parent]


def test_default_bug_hook_logs_the_traceback(qapp: QApplication, caplog: pytest.LogCaptureFixture) -> None:
    previous = msgapi.set_bug_hook(None)
    try:
        with caplog.at_level(logging.ERROR, logger="modconsole.ui.messages"):
            present_failure(ValueError("a bug"))
    finally:
        msgapi.set_bug_hook(previous)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.exc_info is not None
    assert record.exc_info[0] is ValueError
