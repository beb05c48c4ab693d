"""The dashboard during a first sync (issue 13 part 5): marked incomplete periods, "Sync in
progress: history to <month>", and live updates at most once a second through the op's progress.

``MODCONSOLE_SHOTS=/some/dir`` saves the page at 1024×700, light and dark, during the partial sync."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from modconsole import clock
from modconsole.changes import Changes
from modconsole.demo.server import DemoServer
from modconsole.errors import Cancelled
from modconsole.tasks import CancelToken, Progress, ProgressCallback
from tests.conftest import copy_db
from tests.core.sync_support import engine_for
from tests.helpers.waits import WAIT_MS
from ui import i18n, theme
from ui.dashboard import DashboardPage
from ui.ops import ChangeWatcher, MutationOp
from ui.signals import AppSignals
from ui.tasks import InlineTaskManager, ProgressCoalescer

from .test_dashboard import DEMO_NOW

SHOTS = os.environ.get("MODCONSOLE_SHOTS")


# ---------------------------------------------------------------- at most once a second


def test_the_coalescer_passes_changes_at_most_once_a_second_of_its_clock() -> None:
    now = [100.0]
    out: list[Progress] = []
    coalesce = ProgressCoalescer(out.append, now=lambda: now[0])
    page = Progress("posts", 1, 1000)  # the same look all along: only changes can pass it
    coalesce(page)
    coalesce(Progress("posts", 2, 1000, changes=Changes(post_ids={1})))
    coalesce(Progress("posts", 3, 1000, changes=Changes(post_ids={2})))
    now[0] += 0.5
    coalesce(Progress("posts", 4, 1000, changes=Changes(post_ids={3})))
    now[0] += 0.5
    coalesce(Progress("posts", 5, 1000, changes=Changes(post_ids={4})))
    coalesce(Progress("posts", 6, 1000, changes=Changes(post_ids={5})))
    live = [(p.done, p.changes) for p in out if p.changes]
    # the first changes pass at once, the next a second later with everything held back merged
    assert live == [(2, Changes(post_ids={1})), (5, Changes(post_ids={2, 3, 4}))]
    assert [p.done for p in out] == [1, 2, 5]


def test_a_sync_op_broadcasts_its_changes_while_it_runs(
    qtbot: QtBot, inline_tasks: InlineTaskManager, app_signals: AppSignals
) -> None:
    seen: list[tuple[Changes, float]] = []
    app_signals.changes_applied.connect(lambda c, _i: seen.append((c, clock.timestamp())))
    during: list[int] = []

    def op(_token: CancelToken, progress: ProgressCallback) -> Changes:
        for i in range(6):
            progress(Progress("posts", i, None, changes=Changes(post_ids={i}, topics=True)))
            if i % 2:
                clock.advance(1.0)  # time is an input: a second passes every other page
        during.append(len(seen))
        return Changes(post_ids=set(range(6)))

    MutationOp(None, op=op).with_progress(lambda _p: None).live(("kpis", "posts")).run_in_background()
    qtbot.waitUntil(lambda: len(seen) >= during[0] + 1 if during else False, timeout=WAIT_MS)
    live, final = seen[: during[0]], seen[during[0] :]
    assert len(live) >= 3  # the pages' changes arrived while the op ran, not only at its end
    assert all(c == Changes.of("posts") for c, _t in live)  # only the kinds asked for, as flags
    assert all(b - a >= 1.0 for (_c, a), (_d, b) in itertools.pairwise(live))
    assert final[0][0] == Changes(post_ids=set(range(6)))


# ---------------------------------------------------------------- the page during a first sync


class Partial:
    """A first sync of the tiny community stopped half-way through the posts walk."""

    def __init__(self, store: Path, cache_path: Path) -> None:
        self.server = DemoServer(store)
        self.server.start()
        try:
            self.engine, self.client, self.cache = engine_for(self.server, cache_path, report_days=800)
            token = CancelToken()

            def hook(p: Progress) -> None:
                if p.stage == "posts" and p.total and p.done >= 0.4 * p.total:
                    token.cancel()

            with pytest.raises(Cancelled):
                self.engine.run_once(token, hook)
        except BaseException:
            self.server.stop()
            raise

    def close(self) -> None:
        self.cache.close()
        self.client.close()
        self.server.stop()


@pytest.fixture
def partial(tiny_community_master: Path, tmp_path: Path) -> Iterator[Partial]:
    p = Partial(copy_db(tiny_community_master, tmp_path / "store.sqlite3"), tmp_path / "cache.sqlite3")
    yield p
    p.close()


def _shoot(page: DashboardPage, qapp: QApplication, name: str) -> None:
    if not SHOTS:
        return
    manager = theme.install(qapp)
    try:
        for mode in ("light", "dark"):
            manager.set_preference(mode)
            qapp.processEvents()
            bar = page._scroll.verticalScrollBar()
            bar.setValue(0)
            qapp.processEvents()
            page.grab().save(str(Path(SHOTS) / f"{name}-{mode}.png"))
            bar.setValue(page.charts_box.y() - 40)  # the charts, and the note above them
            qapp.processEvents()
            page.grab().save(str(Path(SHOTS) / f"{name}-charts-{mode}.png"))
            bar.setValue(0)
    finally:
        theme.uninstall()


def test_the_page_marks_what_a_running_first_sync_has_not_completed(
    qtbot: QtBot, partial: Partial, inline_tasks: InlineTaskManager, app_signals: AppSignals, qapp: Any
) -> None:
    page = DashboardPage(partial.cache, now=lambda: DEMO_NOW, signals=app_signals)
    qtbot.addWidget(page)
    page.resize(1024, 700)
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        page.show()
    data = page.data
    assert data is not None and data.coverage.syncing
    month = data.coverage.history_month
    assert month is not None
    assert page.sync_note.isVisibleTo(page)
    assert page.sync_note.text().startswith("Sync in progress: history to ")
    # who is an employee is not known yet: the questions tile is marked, with no change shown
    tile = page.tiles["questions_asked"]
    assert not tile.complete and tile.value.text().endswith(" *")
    assert tile.change.text() == "incomplete" and tile.current_change is None
    assert "Incomplete" in tile.toolTip()
    # new members are not synced yet: the whole chart is hatched; its contributors (posts alone)
    # are hollow only in the months the walk has not completed
    panel = page.charts["community"]
    assert panel.shows_incomplete
    r = data.result
    assert panel.incomplete_indexes() == list(range(len(r.buckets)))
    assert r.incomplete_points("active_contributors")[0] == [
        b.epoch
        for b, v in zip(r.buckets, r.series["active_contributors"], strict=True)
        if b.key < month and v is not None
    ]
    assert any(b.key >= month for b in r.buckets)
    assert "(incomplete: sync running)" in panel.readout_text(panel.incomplete_indexes()[0])
    assert panel.csv_text().splitlines()[1].endswith(",incomplete")
    # nothing is frozen from a half-synced cache
    with partial.cache.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM kpi_snapshots").scalar() == 0
    _shoot(page, qapp, "dashboard-partial-sync")
    if SHOTS:  # and in German (the page's texts are set when it is made)
        i18n.install("de")
        try:
            de = DashboardPage(partial.cache, now=lambda: DEMO_NOW, signals=app_signals)
            qtbot.addWidget(de)
            de.resize(1024, 700)
            with qtbot.waitSignal(de.refreshed, timeout=WAIT_MS):
                de.show()
            assert de.sync_note.text().startswith("Synchronisierung läuft: Verlauf bis ")
            _shoot(de, qapp, "dashboard-partial-sync-de")
            de.close()
        finally:
            i18n.install("en")

    # the sync goes on; its live changes refresh the page (the watcher's path), until it is complete
    count = page.refresh_count
    assert partial.engine.run_once(CancelToken()).finished
    with qtbot.waitSignal(page.refreshed, timeout=WAIT_MS):
        app_signals.changes_applied.emit(Changes.of("kpis"), None)
    assert page.refresh_count > count
    assert not page.sync_note.isVisibleTo(page)
    assert page.tiles["questions_asked"].complete
    assert not page.charts["community"].shows_incomplete
    assert isinstance(page.watcher, ChangeWatcher)
