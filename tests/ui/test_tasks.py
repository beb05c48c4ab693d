"""TaskManager, ops and ChangeWatcher: where work runs, where results land, and what they say."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject, QThread
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from modconsole.changes import Changes
from modconsole.errors import Cancelled, NetworkError, NotFound
from modconsole.tasks import CancelToken, Progress, ProgressCallback
from tests.helpers.messagemock import MessageRecorder
from tests.helpers.waits import WAIT_MS
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, Lane, ProgressCoalescer, TaskManager


def on_gui_thread(app: QApplication) -> bool:
    return QThread.currentThread() is app.thread()


class Gate:
    """Holds a worker inside an op until the test releases it."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.release = threading.Event()

    def hold(self, token: CancelToken | None = None) -> None:
        self.entered.set()
        assert self.release.wait(WAIT_MS / 1000), "gate never released"


# ---------------------------------------------------------------- where things run


def test_query_runs_off_the_gui_thread_and_succeeds_on_it(
    qtbot: QtBot, qapp: QApplication, task_manager: TaskManager, messages: MessageRecorder
) -> None:
    main = threading.get_ident()
    op_threads: list[int] = []
    delivered: list[tuple[int, bool, int]] = []

    def op(token: CancelToken) -> int:
        op_threads.append(threading.get_ident())
        return 42

    def success(value: int) -> None:
        delivered.append((value, on_gui_thread(qapp), threading.get_ident()))

    QueryOp(None, op=op, success=success).run_in_background()
    qtbot.waitUntil(lambda: bool(delivered), timeout=WAIT_MS)
    assert delivered == [(42, True, main)]
    assert op_threads and op_threads[0] != main
    assert task_manager.active_count == 0
    assert messages.messages == []


def test_mutation_failure_is_delivered_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication, task_manager: TaskManager, app_signals: AppSignals
) -> None:
    main = threading.get_ident()
    op_threads: list[int] = []
    failures: list[tuple[BaseException, bool]] = []
    successes: list[Any] = []

    def op(token: CancelToken, progress: ProgressCallback) -> Changes:
        op_threads.append(threading.get_ident())
        raise NotFound("That topic is gone.")

    with qtbot.assertNotEmitted(app_signals.changes_applied):
        (
            MutationOp(None, op=op, success=successes.append)
            .failure(lambda exc: failures.append((exc, on_gui_thread(qapp))))
            .run_in_background()
        )
        qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert len(failures) == 1
    exc, on_gui = failures[0]
    assert isinstance(exc, NotFound)
    assert on_gui
    assert successes == []
    assert op_threads and op_threads[0] != main


def test_failures_go_to_present_failure_by_default(
    qtbot: QtBot, task_manager: TaskManager, messages: MessageRecorder
) -> None:
    def known(token: CancelToken) -> None:
        raise NotFound("That topic is gone.")

    def bug(token: CancelToken) -> None:
        raise ZeroDivisionError("oops")

    QueryOp(None, op=known).run_in_background()
    qtbot.waitUntil(lambda: bool(messages.messages), timeout=WAIT_MS)
    assert messages.getmsg("error").text == "That topic is gone."

    QueryOp(None, op=bug).run_in_background()
    qtbot.waitUntil(lambda: bool(messages.bugs), timeout=WAIT_MS)
    exc_type, _exc, tb = messages.bugs[0]
    assert exc_type is ZeroDivisionError
    assert tb is not None
    assert len(messages.messages) == 1  # a bug is not a status message


def test_run_on_main_from_a_worker_thread(
    qtbot: QtBot, qapp: QApplication, task_manager: TaskManager
) -> None:
    ran: list[bool] = []
    thread = threading.Thread(
        target=lambda: task_manager.run_on_main(lambda: ran.append(on_gui_thread(qapp)))
    )
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(ran), timeout=WAIT_MS)
    assert ran == [True]


# ---------------------------------------------------------------- the stress test


def test_a_thousand_ops_all_deliver(
    qtbot: QtBot, qapp: QApplication, task_manager: TaskManager, app_signals: AppSignals
) -> None:
    """PERFORMANCE/ARCHITECTURE: cross-thread delivery must never drop a result (PYSIDE-3124)."""
    n = 500
    queries: list[int] = []
    mutations: list[int] = []
    off_gui: list[object] = []
    applied: list[Changes] = []
    app_signals.changes_applied.connect(lambda changes, initiator: applied.append(changes))

    def query_success(value: int) -> None:
        if not on_gui_thread(qapp):
            off_gui.append(value)
        queries.append(value)

    def mutation_success(value: int) -> None:
        if not on_gui_thread(qapp):
            off_gui.append(value)
        mutations.append(value)

    def make_query(i: int) -> QueryOp[int]:
        return QueryOp(None, op=lambda token: i * 2, success=query_success)

    def make_mutation(i: int) -> MutationOp:
        return MutationOp(None, op=lambda token, progress: (Changes(topic_ids=frozenset({i})), i))

    for i in range(n):
        make_query(i).run_in_background()
        make_mutation(i).success(mutation_success).run_in_background(initiator="stress")
    qtbot.waitUntil(lambda: len(queries) + len(mutations) == 2 * n, timeout=WAIT_MS)

    assert sorted(queries) == [i * 2 for i in range(n)]
    assert mutations == list(range(n))  # one writer, FIFO delivery: submission order
    assert off_gui == []
    assert len(applied) == n
    assert set().union(*(c.topic_ids for c in applied)) == set(range(n))
    assert task_manager.active_count == 0
    assert task_manager.running_count == 0


# ---------------------------------------------------------------- progress


def test_progress_is_coalesced_and_delivered_on_the_gui_thread(
    qtbot: QtBot, qapp: QApplication, task_manager: TaskManager
) -> None:
    seen: list[tuple[str, int]] = []
    off_gui: list[Progress] = []
    done: list[str] = []

    def op(token: CancelToken, progress: ProgressCallback) -> Changes:
        for i in range(10_001):
            progress(Progress("fetch", i, 10_000, requests=i // 50))
        for i in range(5):
            progress(Progress("write", i, 4))
        return Changes.none()

    def on_progress(p: Progress) -> None:
        if not on_gui_thread(qapp):
            off_gui.append(p)
        seen.append((p.stage, p.done))

    MutationOp(None, op=op, success=lambda _: done.append("ok")).with_progress(
        on_progress
    ).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)

    expected = [("fetch", i * 100) for i in range(101)] + [("write", i) for i in range(5)]
    assert seen == expected  # 106 of 10,006 reports; every one arrived before success
    assert off_gui == []


def test_coalescer_with_unknown_total_passes_stage_and_message_changes() -> None:
    out: list[Progress] = []
    coalesce = ProgressCoalescer(out.append)
    for p in [
        Progress("topics", 1, None, message="page 1"),
        Progress("topics", 2, None, message="page 1"),
        Progress("topics", 3, None, message="page 2"),
        Progress("posts", 3, None, message="page 2"),
        Progress("posts", 0, 3),
        Progress("posts", 0, 3, message="ignored while the percent is known"),
    ]:
        coalesce(p)
    assert [(p.stage, p.done) for p in out] == [("topics", 1), ("topics", 3), ("posts", 3), ("posts", 0)]


def test_progress_is_optional(qtbot: QtBot, task_manager: TaskManager) -> None:
    done: list[int] = []

    def op(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, int]:
        progress(Progress("x", 1, 2))  # goes nowhere, must not fail
        return Changes.none(), 7

    MutationOp(None, op=op, success=done.append).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert done == [7]


# ---------------------------------------------------------------- cancellation


def test_cancelling_a_running_op_stops_it_between_steps(qtbot: QtBot, task_manager: TaskManager) -> None:
    steps: list[int] = []
    started = threading.Event()
    successes: list[object] = []
    failures: list[BaseException] = []

    def op(token: CancelToken, progress: ProgressCallback) -> Changes:
        for i in range(10_000):
            token.raise_if_cancelled()
            steps.append(i)
            started.set()
            token.wait(0.05)  # a paced step; returns at once when cancelled
        return Changes.of("posts")

    handle = (
        MutationOp(None, op=op, success=successes.append)
        .failure(failures.append)
        .cancellable()
        .run_in_background()
    )
    assert started.wait(WAIT_MS / 1000)
    handle.cancel()
    qtbot.waitUntil(lambda: bool(failures), timeout=WAIT_MS)
    assert isinstance(failures[0], Cancelled)
    assert successes == []
    assert 1 <= len(steps) < 10_000
    assert handle.finished


def test_a_non_cancellable_op_finishes_once_started(qtbot: QtBot, task_manager: TaskManager) -> None:
    gate = Gate()
    successes: list[object] = []

    def op(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, str]:
        gate.hold()
        token.raise_if_cancelled()
        return Changes.none(), "kept"

    handle = MutationOp(None, op=op, success=successes.append).run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    handle.cancel()
    assert not handle.token.cancelled
    gate.release.set()
    qtbot.waitUntil(lambda: bool(successes), timeout=WAIT_MS)
    assert successes == ["kept"]


def test_cancelling_a_queued_op_never_runs_it(qtbot: QtBot, task_manager: TaskManager) -> None:
    gate = Gate()
    ran: list[str] = []
    failures: list[BaseException] = []
    first_done: list[object] = []

    def blocker(token: CancelToken, progress: ProgressCallback) -> Changes:
        gate.hold()
        return Changes.none()

    def queued(token: CancelToken, progress: ProgressCallback) -> Changes:
        ran.append("queued")
        return Changes.none()

    MutationOp(None, op=blocker, success=first_done.append).run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    handle = MutationOp(None, op=queued).failure(failures.append).run_in_background()
    handle.cancel()
    gate.release.set()
    qtbot.waitUntil(lambda: bool(failures) and bool(first_done), timeout=WAIT_MS)
    assert isinstance(failures[0], Cancelled)
    assert ran == []


# ---------------------------------------------------------------- executors


def test_mutations_never_overlap(qtbot: QtBot, task_manager: TaskManager) -> None:
    lock = threading.Lock()
    inside = 0
    peak = 0
    done: list[int] = []

    def make(i: int) -> MutationOp:
        def op(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, int]:
            nonlocal inside, peak
            with lock:
                inside += 1
                peak = max(peak, inside)
            time.sleep(0.002)  # widen the window an overlap would need
            with lock:
                inside -= 1
            return Changes.none(), i

        return MutationOp(None, op=op, success=done.append)

    for i in range(30):
        make(i).run_in_background()
    qtbot.waitUntil(lambda: len(done) == 30, timeout=WAIT_MS)
    assert peak == 1
    assert done == list(range(30))


def test_queries_run_in_parallel(qtbot: QtBot, task_manager: TaskManager) -> None:
    barrier = threading.Barrier(2, timeout=WAIT_MS / 1000)
    done: list[int] = []

    def make(i: int) -> QueryOp[int]:
        def op(token: CancelToken) -> int:
            barrier.wait()  # passes only if both queries run at the same time
            return i

        return QueryOp(None, op=op, success=done.append)

    make(1).run_in_background()
    make(2).run_in_background()
    qtbot.waitUntil(lambda: len(done) == 2, timeout=WAIT_MS)
    assert sorted(done) == [1, 2]


def test_coalesce_by_key_does_not_queue_twice(qtbot: QtBot, task_manager: TaskManager) -> None:
    gate = Gate()
    calls: list[str] = []
    done: list[str] = []

    def sync(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, str]:
        calls.append("sync")
        gate.hold()
        return Changes.none(), "synced"

    def make() -> MutationOp:
        return MutationOp(None, op=sync, success=done.append).coalesce("sync")

    first = make().run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    assert task_manager.is_active("sync")
    second = make().run_in_background()  # while running
    assert second is first
    gate.release.set()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert calls == ["sync"]
    assert done == ["synced"]
    assert not task_manager.is_active("sync")

    third = make().run_in_background()  # after delivery, it runs again
    assert third is not first
    qtbot.waitUntil(lambda: len(done) == 2, timeout=WAIT_MS)
    assert calls == ["sync", "sync"]


def test_coalesce_while_queued(qtbot: QtBot, task_manager: TaskManager) -> None:
    gate = Gate()
    calls: list[str] = []
    done: list[object] = []

    def blocker(token: CancelToken, progress: ProgressCallback) -> Changes:
        gate.hold()
        return Changes.none()

    def sync(token: CancelToken, progress: ProgressCallback) -> Changes:
        calls.append("sync")
        return Changes.none()

    MutationOp(None, op=blocker).run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    a = MutationOp(None, op=sync, success=done.append).coalesce("periodic-sync").run_in_background()
    b = MutationOp(None, op=sync, success=done.append).coalesce("periodic-sync").run_in_background()
    assert a is b
    assert task_manager.active_count == 2
    gate.release.set()
    qtbot.waitUntil(lambda: task_manager.active_count == 0, timeout=WAIT_MS)
    assert calls == ["sync"]
    assert len(done) == 1


def test_running_and_active_counts(qtbot: QtBot, task_manager: TaskManager) -> None:
    gate = Gate()
    counts: list[int] = []
    task_manager.active_changed.connect(counts.append)

    def blocker(token: CancelToken, progress: ProgressCallback) -> Changes:
        gate.hold()
        return Changes.none()

    assert (task_manager.running_count, task_manager.active_count) == (0, 0)
    MutationOp(None, op=blocker).run_in_background()
    MutationOp(None, op=lambda token, progress: Changes.none()).run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    assert task_manager.running_count == 1  # the second waits for the writer
    assert task_manager.active_count == 2
    gate.release.set()
    qtbot.waitUntil(lambda: task_manager.active_count == 0, timeout=WAIT_MS)
    assert task_manager.running_count == 0
    assert counts == [1, 2, 1, 0]


# ---------------------------------------------------------------- shutdown


def test_shutdown_cancels_a_cooperative_running_op(qtbot: QtBot, qapp: QApplication) -> None:
    manager = TaskManager()
    started = threading.Event()
    stopped: list[bool] = []
    delivered: list[object] = []

    def op(token: CancelToken, progress: ProgressCallback) -> Changes:
        started.set()
        stopped.append(token.wait(600))
        token.raise_if_cancelled()
        return Changes.none()

    MutationOp(None, op=op, success=delivered.append).failure(delivered.append).run_in_background(
        tasks=manager
    )
    assert started.wait(WAIT_MS / 1000)
    assert manager.shutdown(timeout=WAIT_MS / 1000) is True
    assert stopped == [True]
    qapp.processEvents()
    assert delivered == []  # results after shutdown are dropped
    assert manager.active_count == 0


def test_shutdown_returns_within_its_timeout_when_an_op_ignores_cancel(
    qtbot: QtBot, qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    manager = TaskManager()
    gate = Gate()
    ran: list[str] = []

    def stubborn(token: CancelToken, progress: ProgressCallback) -> Changes:
        gate.hold()  # ignores the token
        return Changes.none()

    def queued(token: CancelToken, progress: ProgressCallback) -> Changes:
        ran.append("queued")
        return Changes.none()

    try:
        MutationOp(None, op=stubborn).run_in_background(tasks=manager)
        assert gate.entered.wait(WAIT_MS / 1000)
        queued_handle = MutationOp(None, op=queued).run_in_background(tasks=manager)
        with caplog.at_level("WARNING", logger="modconsole.ui.tasks"):
            assert manager.shutdown(timeout=0.2) is False
        assert "still running" in caplog.text
        assert queued_handle.token.cancelled
        assert queued_handle._future is not None and queued_handle._future.cancelled()
    finally:
        gate.release.set()
    assert manager.shutdown(timeout=WAIT_MS / 1000) is True
    assert ran == []


def test_submit_after_shutdown_runs_nothing(qapp: QApplication) -> None:
    manager = TaskManager()
    assert manager.shutdown(timeout=WAIT_MS / 1000) is True
    ran: list[str] = []
    handle = QueryOp(None, op=lambda token: ran.append("x")).run_in_background(tasks=manager)
    assert handle.finished
    assert handle.token.cancelled
    qapp.processEvents()
    assert ran == []


# ---------------------------------------------------------------- the inline manager


def test_inline_manager_runs_ops_synchronously_on_the_calling_thread(
    inline_tasks: InlineTaskManager, app_signals: AppSignals, qtbot: QtBot
) -> None:
    main = threading.get_ident()
    log: list[tuple[str, object]] = []

    def op(token: CancelToken, progress: ProgressCallback) -> tuple[Changes, str]:
        log.append(("op", threading.get_ident()))
        for i in range(201):
            progress(Progress("s", i, 200))
        return Changes.of("badges"), "granted"

    with qtbot.waitSignal(app_signals.changes_applied) as blocker:
        MutationOp(None, op=op, success=lambda v: log.append(("success", v))).with_progress(
            lambda p: log.append(("progress", p.done))
        ).run_in_background(initiator="me")
        assert log[0] == ("op", main)
        assert log[-1] == ("success", "granted")  # before run_in_background returned
    assert blocker.args == [Changes.of("badges"), "me"]
    assert len([e for e in log if e[0] == "progress"]) == 101
    QueryOp(None, op=lambda token: 1).run_in_background()
    assert inline_tasks.history == [(Lane.WRITER, None), (Lane.IO, None)]
    assert inline_tasks.active_count == 0


def test_inline_manager_delivers_failures(inline_tasks: InlineTaskManager, messages: MessageRecorder) -> None:
    def op(token: CancelToken) -> None:
        raise NetworkError("The community cannot be reached.")

    QueryOp(None, op=op, success=lambda v: pytest.fail("must not succeed")).run_in_background()
    msg = messages.getmsg("warning")
    assert msg.text == "The community cannot be reached."
    assert msg.replace == "retryable"


# ---------------------------------------------------------------- MutationOp and changes


def test_mutation_emits_changes_with_initiator_after_success(
    inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    order: list[str] = []
    app_signals.changes_applied.connect(lambda changes, initiator: order.append(f"changes:{initiator}"))
    MutationOp(
        None, op=lambda token, progress: Changes.of("users"), success=lambda c: order.append(repr(c))
    ).run_in_background(initiator="view-1")
    assert order == ["Changes(users)", "changes:view-1"]


def test_mutation_without_changes_emits_nothing(
    inline_tasks: InlineTaskManager, app_signals: AppSignals, qtbot: QtBot
) -> None:
    done: list[object] = []
    with qtbot.assertNotEmitted(app_signals.changes_applied):
        MutationOp(
            None, op=lambda token, progress: (Changes.none(), 3), success=done.append
        ).run_in_background()
    assert done == [3]


def test_mutation_returning_the_wrong_type_is_a_bug(
    inline_tasks: InlineTaskManager, app_signals: AppSignals, messages: MessageRecorder, qtbot: QtBot
) -> None:
    with qtbot.assertNotEmitted(app_signals.changes_applied):
        MutationOp(None, op=lambda token, progress: 5).run_in_background()  # type: ignore[arg-type,return-value]
    assert len(messages.bugs) == 1
    assert messages.bugs[0][0] is TypeError


def test_callbacks_skip_a_deleted_parent_but_changes_still_apply(
    qtbot: QtBot, task_manager: TaskManager, app_signals: AppSignals
) -> None:
    gate = Gate()
    parent = QObject()
    successes: list[object] = []

    def op(token: CancelToken, progress: ProgressCallback) -> Changes:
        gate.hold()
        return Changes.of("outbox")

    MutationOp(parent, op=op, success=successes.append).run_in_background()
    assert gate.entered.wait(WAIT_MS / 1000)
    shiboken6.delete(parent)
    with qtbot.waitSignal(app_signals.changes_applied, timeout=WAIT_MS) as blocker:
        gate.release.set()
    assert blocker.args == [Changes.of("outbox"), None]
    assert successes == []


# ---------------------------------------------------------------- ChangeWatcher


class _View(QWidget):
    def __init__(self, signals: AppSignals) -> None:
        super().__init__()
        self.refreshes: list[Changes] = []
        self.watcher = ChangeWatcher(
            self, kinds=("topics", "posts"), refresh=self.refreshes.append, signals=signals
        )


def test_a_visible_view_refreshes_at_once_for_its_kinds_only(qtbot: QtBot, app_signals: AppSignals) -> None:
    view = _View(app_signals)
    qtbot.addWidget(view)
    view.show()
    app_signals.changes_applied.emit(Changes.of("users"), None)
    assert view.refreshes == []
    app_signals.changes_applied.emit(Changes(topic_ids=frozenset({3})), None)
    assert view.refreshes == [Changes(topic_ids=frozenset({3}))]


def test_a_view_ignores_its_own_changes(qtbot: QtBot, app_signals: AppSignals) -> None:
    view = _View(app_signals)
    qtbot.addWidget(view)
    view.show()
    app_signals.changes_applied.emit(Changes.of("topics"), view)
    assert view.refreshes == []
    app_signals.changes_applied.emit(Changes.of("topics"), "someone else")
    assert len(view.refreshes) == 1


def test_a_hidden_view_defers_its_refresh_until_shown(qtbot: QtBot, app_signals: AppSignals) -> None:
    view = _View(app_signals)
    qtbot.addWidget(view)
    assert not view.isVisible()
    app_signals.changes_applied.emit(Changes(topic_ids=frozenset({1})), None)
    app_signals.changes_applied.emit(Changes(post_ids=frozenset({9})), None)
    app_signals.changes_applied.emit(Changes.of("badges"), None)
    assert view.refreshes == []
    assert view.watcher.refresh_needed is True

    view.show()
    assert view.refreshes == [Changes(topic_ids=frozenset({1}), post_ids=frozenset({9}))]  # once, merged
    assert not bool(view.watcher.refresh_needed)  # (bool(): no mypy narrowing across show())

    view.hide()
    view.show()
    assert len(view.refreshes) == 1  # nothing new: no second refresh


def test_a_view_in_a_hidden_parent_refreshes_when_the_parent_is_shown(
    qtbot: QtBot, app_signals: AppSignals
) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view = _View(app_signals)
    view.setParent(window)
    app_signals.changes_applied.emit(Changes.of("posts"), None)
    assert view.refreshes == []
    window.show()
    assert view.refreshes == [Changes.of("posts")]


def test_watcher_rejects_unknown_kinds(qtbot: QtBot, app_signals: AppSignals) -> None:
    view = QWidget()
    qtbot.addWidget(view)
    with pytest.raises(ValueError):
        ChangeWatcher(view, kinds=("topix",), refresh=lambda c: None, signals=app_signals)


def test_query_reporting_gets_a_progress_callback(qtbot: QtBot, task_manager: TaskManager) -> None:
    seen: list[int] = []
    done: list[str] = []

    def op(token: CancelToken, progress: ProgressCallback) -> str:
        for i in range(3):
            progress(Progress("read", i, 2))
        return "rows"

    QueryOp.reporting(None, op=op, success=done.append).with_progress(
        lambda p: seen.append(p.done)
    ).run_in_background()
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    assert seen == [0, 1, 2]
    assert done == ["rows"]
