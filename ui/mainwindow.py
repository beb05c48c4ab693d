"""The main window: navigation, pages, status bar, sync scheduling, messages.

Pages come from :data:`PAGES`, a plain dict ``name -> factory(session) -> QWidget``. Pages not
built yet show :class:`ComingSoonPage`; replace their factory to plug a real one in. A window
builds the page it shows; every other page is built when first shown or asked for
(:class:`LazyPages`), so the window shows without building (and importing) all eight.

Nothing here blocks: syncs and pushes are ``MutationOp``s on the writer thread, coalesced under
one key so two never run at once; their progress appears after 600 ms.
"""

from __future__ import annotations

import importlib
import itertools
import logging
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDate,
    QEvent,
    QLocale,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QDesktopServices, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modconsole import APP_DISPLAY_NAME, clock
from modconsole import settings as registry
from modconsole.analytics.coverage import read_coverage
from modconsole.changes import Changes
from modconsole.connectors.base import Capabilities
from modconsole.errors import CacheCorrupt, Cancelled, ModConsoleError
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome
from modconsole.outbox.store import OutboxRow
from modconsole.paths import Paths
from modconsole.services.attention import DUE_SOON_FILTER, Attention
from modconsole.services.bulk import BulkResult
from modconsole.services.outbox_view import describe_action
from modconsole.services.sla import SlaSettings
from modconsole.sync.plan import SyncProgress
from modconsole.tasks import Progress
from ui import actions, messages, theme
from ui.assign import Assigner, AssignStrip
from ui.attention import Banner, UndoToast
from ui.bulk import ACTION_LABELS, BulkBar, result_text
from ui.i18n import LANGUAGE_NAMES, core_text, duration_text, fmt_date, fmt_datetime, fmt_number, resolve
from ui.live import LiveCounts
from ui.messages import Message, MessageLevel, global_bridge, present_failure
from ui.ops import MutationOp, QueryOp, pages_load_when_shown
from ui.outbox import outbox_page
from ui.push import push_op
from ui.queue.view import QueueView
from ui.reminders import reminders_page
from ui.resources import app_icon
from ui.review import review_page
from ui.services import SNOOZE_UNDO, Session, SyncOutcome, UndoOutcome
from ui.signals import current_app_signals
from ui.sla_dialog import SlaDialog, load_sla
from ui.tasks import TaskHandle, at_lowest_priority
from ui.thread import ThreadPanel

if TYPE_CHECKING:
    from modconsole.analytics.filters import DrillFilter

__all__ = [
    "LAST_APPEARANCE_KEY",
    "PAGES",
    "ComingSoonPage",
    "LazyPages",
    "MainWindow",
    "QueuePage",
    "ui_settings",
]

log = logging.getLogger("modconsole.ui.mainwindow")

SYNC_KEY = "sync"
ATTENTION_KEY = "attention"
ATTENTION_EVERY_S = 60  # the "due soon" part moves with the clock: counted again this often
PROGRESS_DELAY_MS = 600
FOLLOW_DELAY_MS = 150  # the thread follows the highlighted row once the keys rest this long
DEFAULT_SYNC_INTERVAL_MS = 5 * 60 * 1000
QUEUE_MIN_TABLE_WIDTH = 520  # below this, the saved views fold away while a thread is open
LAST_APPEARANCE_KEY = "appearance/last"  # ui.ini: the last appearance applied, for the sign-in screen
APPEARANCE_TEXT = {  # marked for the catalogue (context MainWindow); the menu shows them translated
    "system": QT_TRANSLATE_NOOP("MainWindow", "Follow the system"),
    "light": QT_TRANSLATE_NOOP("MainWindow", "Light"),
    "dark": QT_TRANSLATE_NOOP("MainWindow", "Dark"),
}


def ui_settings(paths: Paths) -> QSettings:
    """UI state (geometry, splitters, columns, filters) in ``<config>/ui.ini`` — never the
    platform's own settings store, so tests and ``--data-dir`` stay hermetic. Settings that
    must travel with a community's cache are not here: see :mod:`modconsole.settings`."""
    paths.config.mkdir(parents=True, exist_ok=True)
    return QSettings(str(Path(paths.config) / "ui.ini"), QSettings.Format.IniFormat)


class ComingSoonPage(QWidget):
    def __init__(self, name: str, blurb: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page{name}")
        title = QLabel(name)
        title.setProperty("role", "heading")
        text = QLabel(blurb + "\n\n" + self.tr("This page is coming soon."))
        text.setProperty("role", "muted")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addStretch(2)


class QueuePage(QWidget):
    """The queue (left) and the open thread (right)."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageQueue")
        self.session = session
        self.queue = QueueView()
        self.thread_panel = ThreadPanel()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("queueSplitter")
        self.splitter.addWidget(self.queue)
        self.splitter.addWidget(self.thread_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.queue.open_topic.connect(self.open_topic)
        self.queue.open_in_browser.connect(self.open_in_browser)
        self.thread_panel.open_topic.connect(self.open_topic)
        self.thread_panel.hide()  # the queue uses the whole width until a question is opened
        self.splitter.setCollapsible(0, False)  # the question column never disappears
        self.thread_split = 0.55  # the queue's share while a thread is open (remembered)
        self._folded_views = False  # the saved views were hidden for a thread, to show again

        # -- the keys (ui.actions): the page's own QActions, which the main window's menus show too
        slots: dict[str, Callable[[], object]] = {
            "queue.next": lambda: self.queue.move_selection(1),
            "queue.previous": lambda: self.queue.move_selection(-1),
            "queue.open": self.queue.open_current,
            "queue.close": self.close_thread,
            "queue.browser": self.queue.open_current_in_browser,
            "queue.search": self.queue.focus_search,
            "queue.table": self.queue.focus_table,
            "thread.next": lambda: self.thread_panel.select_reply(1),
            "thread.previous": lambda: self.thread_panel.select_reply(-1),
            "thread.accept": self.accept_selected,
            "thread.reply": self.reply_to_thread,
        }
        # -- Assign, where the platform has it (Capabilities.assign): its keys, the queue's
        # assignment filter and Mine, the open thread's line (who holds it; to me; Assign…)
        can_assign = session.capabilities.assign
        if can_assign:
            slots["queue.assign_me"] = lambda: self.assigner.assign_to_me(self.queue.current_topic_id())
            slots["queue.assign"] = self.pick_assignee
            slots["queue.mine"] = self.queue.show_mine
        service = getattr(session.workspace, "assign", None) if can_assign else None
        self.assigner = Assigner(self, service, session.push_outbox)
        self.assign_strip = AssignStrip(self.assigner)
        self.assign_strip.setVisible(can_assign)
        self.thread_panel.layout().insertWidget(2, self.assign_strip)  # under the title and meta
        self.assigner.done.connect(self._assignment_changed)
        self.queue.set_assign_available(can_assign)
        self.key_actions: dict[str, QAction] = {}
        for action_id, slot in slots.items():
            spec = actions.spec(action_id)
            qa = actions.make_action(spec, self, slot)
            (self.queue.table if spec.scope == "table" else self).addAction(qa)
            self.key_actions[action_id] = qa

        # -- the open thread follows the highlighted row (debounced: holding j loads one thread)
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self.follow_selection)
        self.queue.current_topic_changed.connect(self._on_highlight)

        # -- bulk actions on a multi-selection (ui.bulk): a bar between the filters and the table
        self.bulk_bar = BulkBar(session.bulk, self.queue.selected_topic_ids)
        self.bulk_bar.set_actions(
            [
                (name, QCoreApplication.translate("Bulk", label), {})
                for name, label in ACTION_LABELS.items()
                if name in session.bulk().actions
            ]
        )
        # in the footer, in the key hint's place while two or more are selected: the table never
        # moves under the pointer between a click and a Shift+click
        centre = self.queue.table_panel.layout()
        footer = (
            centre.itemAt(centre.indexOf(self.queue.table) + 1) if isinstance(centre, QVBoxLayout) else None
        )
        row = footer.layout() if footer is not None else None
        if isinstance(row, QHBoxLayout):
            hint = row.itemAt(1).widget() if row.count() > 1 else None
            row.insertWidget(1, self.bulk_bar, 1)
            if hint is not None:
                self.bulk_bar.shown.connect(lambda shown: hint.setVisible(not shown))

        self.queue.set_sla_settings(session.sla)
        self.queue.set_backend(session)
        self.thread_panel.set_backend(session)
        self.queue.table.selectionModel().selectionChanged.connect(lambda *_a: self.bulk_bar.update_count())
        self.queue.model.modelReset.connect(self.bulk_bar.update_count)
        QWidget.setTabOrder(self.queue.table, self.thread_panel.images_box)

    def _assignment_changed(self, _topic_id: int) -> None:
        """An assign was queued or pushed: the badges, the thread's line, the views' counts, and the
        list itself while it is filtered by assignment (Mine, Unassigned)."""
        self.assign_strip.reload()
        self.queue.model.refresh_pending()
        self.queue.refresh_counts()
        if self.queue.current_filter().assigned:
            self.queue.model.reload()

    def pick_assignee(self) -> None:
        """``Shift+M``: the picker for the highlighted question."""
        tid = self.queue.current_topic_id()
        row = self.queue.model.row_at(self.queue.model.row_of(tid)) if tid is not None else None
        self.assigner.pick(tid, row.title if row is not None else "")

    def _show_strip(self, topic_id: int) -> None:
        row = self.queue.model.row_at(self.queue.model.row_of(topic_id))
        self.assign_strip.set_topic(topic_id, row.title if row is not None else "")

    @Slot(int)
    def _on_highlight(self, _topic_id: int) -> None:
        if not self.thread_panel.isHidden():
            self._follow.start()

    @Slot()
    def follow_selection(self) -> None:
        """Show the highlighted question in the open thread pane (no-op while it is closed)."""
        self._follow.stop()
        tid = self.queue.current_topic_id()
        if tid is not None and not self.thread_panel.isHidden() and self.thread_panel.wanted_topic_id != tid:
            self.thread_panel.show_topic(tid)
            self._show_strip(tid)

    def accept_selected(self) -> bool:
        """The ``a`` key: accept (or unaccept) the selected reply — only when the thread on screen
        is the highlighted question, so a key never acts on a thread the moderator moved away from."""
        tid = self.queue.current_topic_id()
        panel = self.thread_panel
        if panel.isHidden() or tid is None:
            return False
        if not panel.shows(tid):
            self.follow_selection()
            messages.info(self.tr("The highlighted question is still loading; press a again once it shows."))
            return False
        return panel.toggle_accept_selected()

    def reply_to_thread(self) -> bool:
        """The ``r`` key: the reply composer for the question on screen (as ``a``: only when it is
        the highlighted question)."""
        tid = self.queue.current_topic_id()
        panel = self.thread_panel
        if panel.isHidden() or tid is None:
            return False
        if not panel.shows(tid):
            self.follow_selection()
            messages.info(self.tr("The highlighted question is still loading; press r again once it shows."))
            return False
        return panel.open_composer()

    @Slot(int)
    def open_topic(self, topic_id: int) -> None:
        self.queue.select_topic(topic_id)
        if not self.thread_panel.isVisible():
            total = max(1, sum(self.splitter.sizes()))
            queue_width = int(total * self.thread_split)
            self._fold_views_if_tight(queue_width)  # first: the views pane counts in the queue's minimum
            self.thread_panel.show()
            self.queue.select_replacement = False  # the highlight never leaves the thread on screen
            self.splitter.setSizes([queue_width, total - queue_width])
        self.thread_panel.show_topic(topic_id)
        self._show_strip(topic_id)

    def _fold_views_if_tight(self, queue_width: int) -> None:
        """On a small screen the saved-views pane gives its room to the question column while a
        thread is open; it comes back when the thread closes (or when dragged open)."""
        panel = self.queue.views_panel
        if panel.isVisible() and queue_width - panel.width() < QUEUE_MIN_TABLE_WIDTH:
            self._folded_views = True
            panel.hide()  # hidden, not collapsed: a collapsed pane still counts in the minimum width
            self.queue.splitter.updateGeometry()  # the queue's minimum width drops now, not at the next event
            layout = self.queue.layout()
            if layout is not None:
                layout.activate()

    @Slot()
    def close_thread(self) -> None:
        """Esc: back to the full-width queue."""
        self._follow.stop()
        if self.thread_panel.isVisible():
            sizes = self.splitter.sizes()
            if sum(sizes) > 0 and sizes[1] > 0:
                self.thread_split = min(0.8, max(0.3, sizes[0] / sum(sizes)))
        self.thread_panel.hide()
        self.queue.select_replacement = True
        if self._folded_views:
            self.queue.views_panel.show()
            self._folded_views = False
        self.queue.table.setFocus()

    @Slot(int)
    def open_in_browser(self, topic_id: int) -> None:
        row = self.queue.model.row_at(self.queue.model.row_of(topic_id))
        slug = row.slug if row is not None else "topic"
        QDesktopServices.openUrl(QUrl(self.session.topic_url(topic_id, slug)))

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("queue/splitter", self.splitter.saveState())
        settings.setValue("thread/helper_splitter", self.thread_panel.splitter.saveState())
        settings.setValue("queue/thread_split", self.thread_split)
        self.queue.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        for key, splitter in (
            ("queue/splitter", self.splitter),
            ("thread/helper_splitter", self.thread_panel.splitter),
        ):
            value = settings.value(key)
            if isinstance(value, QByteArray | bytes):
                splitter.restoreState(QByteArray(value))
        try:
            self.thread_split = min(0.8, max(0.3, float(str(settings.value("queue/thread_split", 0.55)))))
        except ValueError:
            pass
        self.queue.restore_state(settings)


PageFactory = Callable[[Session], QWidget]


class LazyPages(Mapping[str, QWidget]):
    """The window's pages by name, in navigation order; a page is built on first access.

    Iterating gives the names without building anything; ``pages[name]`` (and ``get``, ``items``,
    ``values``) builds what it returns. ``built()`` is what exists so far."""

    def __init__(
        self, factories: Mapping[str, PageFactory], build: Callable[[str, PageFactory], QWidget]
    ) -> None:
        self._factories = dict(factories)
        self._build = build
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, name: str) -> QWidget:
        page = self._built.get(name)
        if page is None:
            factory = self._factories[name]  # KeyError for an unknown page, as a dict
            page = self._built[name] = self._build(name, factory)
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories

    def built(self) -> dict[str, QWidget]:
        return dict(self._built)


def _coming(name: str, blurb: str) -> PageFactory:
    return lambda _session: ComingSoonPage(name, blurb)


def _imported(module: str, factory: str) -> PageFactory:
    """A factory imported when its page is first built (the analytics and recognition modules
    cost ~0.2 s of start-up otherwise)."""

    def build(session: Session) -> QWidget:
        made: QWidget = getattr(importlib.import_module(module), factory)(session)
        return made

    return build


PAGES: dict[str, PageFactory] = {
    "Queue": QueuePage,
    "Reminders": reminders_page,
    "Members": _imported("ui.recognition", "members_page"),
    "Badges": _imported("ui.recognition", "badges_page"),
    "Superusers": _imported("ui.recognition", "superusers_page"),
    "Dashboard": _imported("ui.dashboard", "dashboard_page"),
    "Outbox": outbox_page,
    "Review": review_page,
}
PAGE_TITLES = (
    QT_TRANSLATE_NOOP("Pages", "Queue"),
    QT_TRANSLATE_NOOP("Pages", "Reminders"),
    QT_TRANSLATE_NOOP("Pages", "Members"),
    QT_TRANSLATE_NOOP("Pages", "Badges"),
    QT_TRANSLATE_NOOP("Pages", "Superusers"),
    QT_TRANSLATE_NOOP("Pages", "Dashboard"),
    QT_TRANSLATE_NOOP("Pages", "Outbox"),
    QT_TRANSLATE_NOOP("Pages", "Review"),
)
"""The pages' names as the navigation shows them (``PAGES`` keys them in English, for code)."""

PAGE_NEEDS: dict[str, str] = {"Review": "review_queue"}
"""A page shown only where the platform declares this capability (:class:`Capabilities` field)."""


def pages_for(capabilities: Capabilities) -> dict[str, PageFactory]:
    """:data:`PAGES` less those whose feature the platform lacks (their ``Ctrl+N`` goes with them)."""
    return {
        name: factory
        for name, factory in PAGES.items()
        if name not in PAGE_NEEDS or getattr(capabilities, PAGE_NEEDS[name])
    }


def page_title(name: str) -> str:
    """A page's name in the language in force."""
    return QCoreApplication.translate("Pages", name)


class MainWindow(QMainWindow):
    """Navigation on the left, the page stack, the status bar."""

    sign_out_requested = Signal()
    language_changed = Signal(str)  # the new choice is stored; the app rebuilds the window in it

    def __init__(
        self,
        session: Session,
        paths: Paths,
        *,
        sync_interval_ms: int = DEFAULT_SYNC_INTERVAL_MS,
        settings: QSettings | None = None,
        pages: dict[str, PageFactory] | None = None,
        live_counts: bool = False,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.session = session
        self.paths = paths
        self.settings = settings if settings is not None else ui_settings(paths)
        self.setWindowTitle(f"{APP_DISPLAY_NAME} — {session.site_url}")
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)
        self._sync_handle: TaskHandle | None = None
        self._sync_started: datetime | None = None
        # the cache's own last sync: offline first, a restart must not claim it never synced
        self._last_sync: datetime | None = self._cached_last_sync(session)
        self._online: bool | None = None
        self._last_progress: Progress | None = None
        self._open_questions_shown = False
        self._budget_paused = False
        self._resumes_at: datetime | None = None  # the key's day budget is spent until then
        self._stopped = False

        # -- navigation and pages
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Pages"))
        self.nav.setFixedWidth(150)
        # a live count never widens the list (nor gives it a scroll bar): a long title gives way in
        # the middle, so the count at the end stays readable
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # one "needs you" count above the pages: conflicts, refused actions, questions due soon
        self.needs_button = QPushButton(self.tr("Needs you: {n}").format(n=0))
        self.needs_button.setObjectName("needsYou")
        self.needs_button.setFixedWidth(150)
        self.needs_button.setProperty("attention", False)
        self.needs_button.clicked.connect(self.show_what_needs_you)
        self._attention = Attention()
        self._attention_known = False
        self._attention_ticks = 0
        self._outbox_seen: int | None = None  # the newest outbox row already offered for undo
        self._trying = False
        self.storage_damaged: CacheCorrupt | None = None
        """Set when the deferred integrity check found the cache damaged (:meth:`verify_storage`)."""
        self.storage_dialog: QMessageBox | None = None
        self.stack = QStackedWidget()
        self.pages = LazyPages(pages or pages_for(session.capabilities), self._build_page)
        for name in self.pages:  # a stand-in each, until the page is first shown or asked for
            self.stack.addWidget(QWidget())
            self.nav.addItem(QListWidgetItem(page_title(name)))
        self.nav.currentRowChanged.connect(self._show_row)
        self.nav.setCurrentRow(0)
        # live counts between syncs in the navigation (modconsole.services.live): polled only while
        # this window is in front; the app turns them on (tests that count requests keep them off)
        self._review_cached: tuple[float, int] | None = None  # when read, the cache's pending count
        self.live: LiveCounts | None = None
        if live_counts and session.capabilities.live_counts:  # a platform without a live source: none
            self.live = LiveCounts(session.live_poller, self)
            self.live.changed.connect(self._show_live_counts)

        # -- banner for warnings, errors and "offline": in the header row, holding its room while
        # hidden, so it never moves the page (ui.attention.Banner)
        self.banner = Banner()
        self.banner_label = self.banner.label
        self.banner_close = self.banner.close_button
        self.try_button = self.banner.try_button
        self.banner.try_now.connect(self.try_now)

        # -- header with "Sync now"
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncNow")
        self.sync_button.setToolTip(self.tr("Fetch what changed on the community (Ctrl+R)"))
        self.sync_button.clicked.connect(self.sync_now)
        self.site_label = QLabel(f"{session.username} @ {session.site_url}")
        self.site_label.setProperty("role", "muted")
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.site_label)
        header.addWidget(self.banner, 1)
        header.addWidget(self.sync_button)
        self.sync_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.banner.shown.connect(lambda shown: self.site_label.setVisible(not shown))  # room for the message

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(header)
        right.addWidget(self.stack, 1)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.needs_button)
        left.addWidget(self.nav, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 4)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)

        # -- status bar
        sb = self.statusBar()
        self.message_label = QLabel("")
        self.message_label.setObjectName("statusMessage")
        self.sync_label = QLabel(self.tr("Not synced yet"))
        self.online_label = QLabel("")
        self.online_label.setObjectName("onlineStatus")
        self.budget_label = QLabel("")
        self.pending_label = QLabel("")
        self.needs_label = QToolButton()
        self.needs_label.setObjectName("statusNeedsYou")
        self.needs_label.setAutoRaise(True)
        self.needs_label.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the navigation's button is the keyboard's
        self.needs_label.setProperty("attention", False)
        self.needs_label.clicked.connect(self.show_what_needs_you)
        self.progress = QProgressBar()
        self.progress.setObjectName("syncProgress")
        self.progress.setMinimumWidth(80)  # a thin line (style.qss): never squeezed to a dot
        self.progress.setMaximumWidth(200)
        self.progress.setTextVisible(True)
        self.progress.hide()
        # the message place: the last message, or the offer to undo the last queued action
        self.message_place = QStackedWidget()
        self.message_place.setObjectName("statusMessagePlace")
        self.message_place.addWidget(self.message_label)
        self.undo_toast = UndoToast(self.message_place, self.message_label)
        self.undo_toast.undo.connect(self.undo_last)
        self.message_place.setCurrentWidget(self.message_label)
        # the place takes what the permanent read-outs leave (a sync's line is long in German)
        self.message_place.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        sb.addWidget(self.message_place, 1)
        sb.addPermanentWidget(self.progress)
        permanent = (
            self.needs_label,
            self.sync_label,
            self.online_label,
            self.budget_label,
            self.pending_label,
        )
        for w in permanent:
            sb.addPermanentWidget(w)
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_progress)

        # -- menus and keys, all from ui.actions (the cheat sheet lists the same specs)
        self.undo_action = QAction(self.tr("Undo the last queued action"), self)
        self.undo_action.setObjectName("undoLast")
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.undo_action.triggered.connect(self.undo_shortcut)
        self.addAction(self.undo_action)  # a text field's own Ctrl+Z wins while it has the focus
        queue_page = self.pages.get("Queue")
        if isinstance(queue_page, QueuePage):
            queue_page.bulk_bar.done.connect(self.offer_bulk_undo)
        self._build_menus()
        self._build_focus_path()

        # -- timers
        self.sync_timer = QTimer(self)
        self.sync_timer.setInterval(sync_interval_ms)
        self.sync_timer.timeout.connect(self.sync_now)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(1000)
        self.status_timer.timeout.connect(self.refresh_status)

        global_bridge().connect_receiver(self.show_message)
        signals = current_app_signals()
        if signals is not None:
            signals.changes_applied.connect(self._on_changes_applied)
            signals.auth_required.connect(self._on_auth_required)
            signals.outbox_changed.connect(self._on_outbox_changed)
            signals.online_changed.connect(self._show_online)
        self.restore_state()
        self.refresh_status()
        self.apply_appearance(session.appearance)
        self._show_attention(Attention())
        self.refresh_attention()

    # ------------------------------------------------------------ menus and keys

    def _build_menus(self) -> None:
        window_slots: dict[str, Callable[[], object]] = {
            "file.sync": self.sync_now,
            "file.sign_out": self.sign_out_requested.emit,
            "file.quit": self.close,
            "settings.sla": self.open_sla_dialog,
            "help.shortcuts": self.show_shortcuts,
            "help.about": self.show_about,
        }
        page_keys = getattr(self.pages.get("Queue"), "key_actions", {})
        self.action_specs: list[actions.ActionSpec] = []
        self.key_actions: dict[str, QAction] = {}
        go = actions.page_actions(self.pages)
        menus: dict[str, Any] = {}
        order = ["File", "Go", "Queue", "Thread", "Settings", "Help"]
        for name in order:
            menus[name] = self.menuBar().addMenu(actions.menu_title(name))
        self._page_menus = [menus["Queue"], menus["Thread"]]
        specs = [a for a in actions.ACTIONS if a.menu == "File"] + go
        specs += [a for a in actions.ACTIONS if a.menu != "File"]
        for spec in specs:
            if spec.id in window_slots or spec.id.startswith("go."):
                page = spec.id.removeprefix("go.")
                slot = window_slots.get(spec.id) or (lambda p=page: (self.show_page(p), self.focus_page(p)))
                text = (
                    self.tr("About {app}").format(app=APP_DISPLAY_NAME) if spec.id == "help.about" else None
                )
                qa = actions.make_action(spec, self, slot, text=text)
                self.addAction(qa)  # window-wide keys work with the menu bar hidden too
            elif spec.id in page_keys:
                qa = page_keys[spec.id]
            else:
                continue  # a page this window does not have
            if spec.id == "file.quit":
                menus["File"].addSeparator()
            menus[spec.menu].addAction(qa)
            self.action_specs.append(spec)
            self.key_actions[spec.id] = qa
        self.sla_action = self.key_actions["settings.sla"]
        # Settings → Appearance: follow the system, or always light or dark (ui.appearance)
        appearance = menus["Settings"].addMenu(self.tr("&Appearance"))
        appearance.setObjectName("appearanceMenu")
        self.appearance_group = QActionGroup(self)
        self.appearance_actions: dict[str, QAction] = {}
        for value in registry.APPEARANCES:
            qa = QAction(self.tr(APPEARANCE_TEXT[value]), self)
            qa.setObjectName(f"action:settings.appearance.{value}")
            qa.setCheckable(True)
            qa.setData(value)
            qa.triggered.connect(lambda _checked=False, v=value: self.set_appearance(v))
            self.appearance_group.addAction(qa)
            appearance.addAction(qa)
            self.appearance_actions[value] = qa
        self._build_language_menu(menus["Settings"])
        for name in ("Queue", "Thread"):
            if menus[name].isEmpty():
                menus[name].menuAction().setVisible(False)
        self.nav.currentRowChanged.connect(self._enable_page_menus)
        self._enable_page_menus(self.nav.currentRow())
        more = self.menuBar().findChild(QToolButton, "qt_menubar_ext_button")
        if more is not None:  # the » that shows menus a narrow window has no room for
            more.setAccessibleName(self.tr("More menus"))

    def _build_language_menu(self, settings_menu: Any) -> None:
        """Settings → Language: System / English / Deutsch (the community's ``ui.language``)."""
        menu = settings_menu.addMenu(self.tr("&Language"))
        menu.setObjectName("languageMenu")
        group = QActionGroup(menu)
        current = self.language_choice()
        self.language_actions: dict[str, QAction] = {}
        for choice in registry.LANGUAGES:
            name = (
                self.tr("System ({language})").format(language=LANGUAGE_NAMES[resolve("system")])
                if choice == "system"
                else LANGUAGE_NAMES[choice]
            )
            qa = QAction(name, menu)
            qa.setObjectName(f"action:language.{choice}")
            qa.setCheckable(True)
            qa.setChecked(choice == current)
            qa.triggered.connect(lambda _checked=False, c=choice: self.set_language(c))
            group.addAction(qa)
            menu.addAction(qa)
            self.language_actions[choice] = qa

    def language_choice(self) -> str:
        """The stored ``ui.language`` of this community (``system`` when never chosen)."""
        try:
            return registry.load(self.session.cache, registry.LANGUAGE)
        except ModConsoleError:
            return "system"

    def set_language(self, choice: str) -> None:
        """Store the choice with the community, then ask for the window in that language."""
        cache = self.session.cache

        def op(_t: object, _p: object) -> Changes:
            registry.store(cache, registry.LANGUAGE, choice)
            return Changes(settings=True)

        MutationOp(self, op=op, success=lambda _c: self.language_changed.emit(choice)).run_in_background()

    def _build_focus_path(self) -> None:
        """Tab walks navigation → search and filters → the question list → the thread (its
        buttons, each post's actions, the helper lists); the table hands Tab on instead of moving
        cell to cell."""
        page = self.pages.get("Queue")
        if not isinstance(page, QueuePage):
            return
        q = page.queue
        chain: list[QWidget] = [
            self.nav,
            q.search,
            q.state_box,
            q.sla_box,
            q.category_box,
            q.company_box,
            q.table,
            page.thread_panel.images_box,
        ]
        for a, b in itertools.pairwise(chain):
            QWidget.setTabOrder(a, b)

    def focus_page(self, name: str) -> None:
        """After a page switch from the keyboard: the queue's list takes the focus (so ``j`` works
        at once); elsewhere the navigation, from where Tab enters the page."""
        page = self.pages[name]
        if isinstance(page, QueuePage):
            page.queue.focus_table()
        else:
            self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot(int)
    def _enable_page_menus(self, row: int) -> None:
        """The Queue and Thread menus act on the queue page: enabled only while it shows."""
        on_queue = 0 <= row < len(self.pages) and list(self.pages)[row] == "Queue"
        for menu in self._page_menus:
            menu.setEnabled(on_queue)
            for qa in menu.actions():
                qa.setEnabled(on_queue)

    @Slot()
    def show_shortcuts(self) -> actions.CheatSheet:
        """F1 / ``?``: the keyboard shortcuts, from the same registry that binds them."""
        existing = self.findChild(actions.CheatSheet)
        if existing is not None and existing.isVisible():
            existing.raise_()
            existing.activateWindow()
            return existing
        sheet = actions.CheatSheet(self.action_specs, parent=self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.finished.connect(lambda _r: self.activateWindow())  # the keyboard back where it was
        sheet.open()
        sheet.activateWindow()
        return sheet

    # ------------------------------------------------------------ pages

    def _build_page(self, name: str, factory: PageFactory) -> QWidget:
        """Build ``name`` in place of its stand-in, with the pane sizes the moderator left it."""
        with pages_load_when_shown():  # a page built while hidden reads the cache when first shown
            widget = factory(self.session)
        index = list(self.pages).index(name)
        stand_in = self.stack.widget(index)
        current = self.stack.currentIndex() == index
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if current:
            self.stack.setCurrentIndex(index)
        if name != "Queue":  # the queue page restores its own panes (restore_state)
            for key, splitter in self._splitters_of(name, widget):
                value = self.settings.value(key)
                if isinstance(value, QByteArray | bytes):
                    splitter.restoreState(QByteArray(value))
        drill = getattr(widget, "drill_requested", None)
        if drill is not None:
            drill.connect(self.open_drill)
        bulk_done = getattr(widget, "bulk_done", None)  # the Review page's bulk actions
        if bulk_done is not None and name != "Queue":
            bulk_done.connect(self.offer_bulk_undo)
        return widget

    @Slot(int)
    def _show_row(self, row: int) -> None:
        names = list(self.pages)
        if 0 <= row < len(names):
            self.pages[names[row]]  # built before it shows
        self.stack.setCurrentIndex(row)

    @property
    def queue_page(self) -> QueuePage:
        page = self.pages["Queue"]
        assert isinstance(page, QueuePage)
        return page

    def show_page(self, name: str) -> QWidget:
        """Switch the navigation (and so the page stack) to ``name``."""
        self.nav.setCurrentRow(list(self.pages).index(name))
        return self.pages[name]

    @Slot(object)
    def open_drill(self, drill: DrillFilter) -> None:
        """A dashboard selection: open the matching questions in the queue, or members."""
        if drill.target == "members" and "Members" in self.pages:
            page = self.show_page("Members")
            show = getattr(page, "show_drill", None)
            if show is not None:
                show(drill)
                return
            messages.info(
                self.tr("{what}: the members list is not available with this key.").format(what=drill.label)
            )
            return
        self.show_page("Queue")
        self.queue_page.queue.open_drill(drill)

    def start(self, *, sync_now: bool = True) -> None:
        """Show the window, check the cache, start the timers and (by default) a first sync."""
        self.show()
        self.fit_to_screen()
        self.status_timer.start()
        if self.sync_timer.interval() > 0:
            self.sync_timer.start()
        self.verify_storage()  # the writer's first job: before any sync
        self.refresh_review_count()
        self._show_queue_coverage()  # a first sync stopped for the day goes on later
        if self.live is not None:
            self.live.set_front(self.isActiveWindow())
        if sync_now:
            self.sync_now()

    def verify_storage(self) -> TaskHandle:
        """The cache's integrity check, deferred at sign-in (seconds on a big cache) so this
        window shows first: the writer's first job, so every write (a sync, an action) waits for
        its result. A damaged cache is said in a dialog and the banner, and nothing is written
        into it (``Cache.ensure_integrity``); the queued actions stay listable (``modconsole
        outbox``)."""
        session = self.session

        def check(_token: Any, _progress: Any) -> Changes:
            # seconds of one core on a big cache, right when the window starts: the lowest priority
            at_lowest_priority(session.verify_storage)
            return Changes.none()

        return MutationOp(self, op=check).failure(self._storage_failed).run_in_background()

    def _storage_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CacheCorrupt):
            present_failure(exc, parent=self)
            return
        self.storage_damaged = exc
        self.sync_timer.stop()  # a sync would only fail again on its first write
        messages.error(exc.user_message)
        box = QMessageBox(QMessageBox.Icon.Critical, APP_DISPLAY_NAME, exc.user_message, parent=self)
        box.setObjectName("storageDamaged")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.storage_dialog = box

    # ------------------------------------------------------------ sync

    @property
    def syncing(self) -> bool:
        return self._sync_handle is not None and not self._sync_handle.finished

    @Slot()
    def sync_now(self) -> TaskHandle | None:
        """Start a sync unless one is running (coalesced); returns its handle."""
        if self.syncing:
            return self._sync_handle
        session = self.session
        self._sync_started = clock.now()
        self._last_progress = None
        self._open_questions_shown = False
        self.sync_label.setText(self.tr("Syncing…"))
        self.sync_button.setEnabled(False)
        self._progress_timer.start()

        def run(token: Any, progress: Any) -> tuple[Changes, SyncOutcome]:
            outcome = session.sync_once(token, progress)
            # what waits goes out through the one push policy (deliver, then re-read)
            pushed = session.push_outbox(token, progress).changes if session.pending_actions() else Changes()
            return outcome.changes | pushed, outcome

        self._sync_handle = (
            MutationOp(self, op=run, success=self._sync_done)
            .failure(self._sync_failed)
            .with_progress(self._on_progress)
            .live(("kpis",))  # the dashboard follows a long (first) sync as its pages land
            .cancellable()
            .coalesce(SYNC_KEY)
            .run_in_background(initiator=self)
        )
        return self._sync_handle

    def _on_progress(self, progress: Progress) -> None:
        self._last_progress = progress
        if not self._open_questions_shown and progress.stage not in ("", "site", "queue", "bulk"):
            self._show_open_questions(progress)
        if self.progress.isVisible():
            self._render_progress()

    def _show_open_questions(self, progress: Progress) -> None:
        """The sync has passed its first stage, the open questions: the pages that list them show
        them now (one refresh), not only when the whole sync ends — a first sync with a user key
        runs for hours (the dashboard follows every page through ``live``)."""
        changes = progress.changes  # what the run wrote so far, on the reports that carry it
        signals = current_app_signals()
        if changes is None or signals is None:
            return
        kinds = [k for k in ("topics", "posts", "users", "categories") if changes.touches(k)]
        if kinds:
            self._open_questions_shown = True
            signals.changes_applied.emit(Changes.of(*kinds), self)
            self._show_queue_coverage()

    def _show_queue_coverage(self) -> None:
        """While a first sync has not walked the whole history, questions whose replies have not
        arrived yet look unanswered (and overdue): the queue says so above its list."""
        try:
            with self.session.cache.read() as conn:
                cov = read_coverage(conn)
        except ModConsoleError:
            return
        text = ""
        if cov.syncing and not cov.history_complete:
            text = self.tr(
                "First sync in progress: older replies are still coming in, so some questions show as "
                "unanswered or overdue until theirs arrive."
            )
        self.queue_page.queue.set_sync_note(text)

    def _show_progress(self) -> None:
        if self.syncing:
            self.progress.show()
            self._render_progress()

    def _render_progress(self) -> None:
        p = self._last_progress
        if p is None or p.fraction is None:
            self.progress.setRange(0, 0)
            self.progress.setFormat(core_text(p.message) if p else self.tr("Syncing…"))
        else:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(p.fraction * 100))
            self.progress.setFormat(f"{self._stage_name(p.stage)} %p%")
        if isinstance(p, SyncProgress):
            self.sync_label.setText(self._plan_text(p))
            self._show_budget()  # the plan's "left today" stands for the key's day during the sync
        elif p is not None and p.message:
            self.sync_label.setText(core_text(p.message))

    def _stage_name(self, stage: str) -> str:
        names = {
            "site": self.tr("community"),
            "queue": self.tr("open questions"),
            "bulk": self.tr("bulk mirror"),
            "topics": self.tr("topics"),
            "activity": self.tr("activity"),
            "solutions": self.tr("answers"),
            "unsolved": self.tr("answers"),
            "solved": self.tr("answers"),
            "posts": self.tr("posts"),
            "reconcile": self.tr("checking topics"),
            "users": self.tr("members"),
            "badges": self.tr("badges"),
            "groups": self.tr("groups"),
            "reports": self.tr("reports"),
        }
        return names.get(stage, core_text(stage))

    def _plan_text(self, p: SyncProgress) -> str:
        """The status area during a sync: the phase, the stage and its counts, requests left today
        and the ETA (this run's requests in the tooltip)."""
        phases = {
            "queue": self.tr("Open questions"),
            "recent": self.tr("Recent months"),
            "history": self.tr("History"),
            "rest": self.tr("Members, badges and reports"),
        }
        stage = self._stage_name(p.stage)
        if p.total:
            what = self.tr("{stage} {done} of {total}").format(
                stage=stage, done=fmt_number(p.done), total=fmt_number(p.total)
            )
        elif p.done:
            what = f"{stage} {fmt_number(p.done)}"
        else:
            what = stage
        self.sync_label.setToolTip(what + " · " + self.tr("%Ln request(s) in this run", "", p.requests))
        if p.phase == "history" and p.history_to:
            parts = [self.tr("History to {month}").format(month=self._complete_month(p.history_to))]
        else:
            parts = [phases.get(p.phase, what)]
        if parts[0] != what and p.total and p.stage != "queue":
            # the stage and how far it is (the bar is a thin line); short: the status bar is narrow
            parts.append(
                self.tr("{stage} {done}/{total}").format(
                    stage=stage, done=fmt_number(p.done), total=fmt_number(p.total)
                )
            )
        if p.left_today is not None:
            parts.append(self.tr("%Ln left today", "", p.left_today))
        if p.eta_seconds is not None:
            parts.append(self.tr("{duration} to go").format(duration=duration_text(p.eta_seconds)))
        return " · ".join(parts)

    @staticmethod
    def _complete_month(reached: str) -> str:
        """The oldest month the posts walk (newest first) holds completely: the one after the month
        it has reached, named as the dashboard's "Sync in progress: history to <month>" names it."""
        try:
            year, month = (int(x) for x in reached.split("-")[:2])
        except ValueError:
            return reached
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return QLocale().toString(QDate(year, month, 1), "MMMM yyyy")

    def _show_budget(self) -> None:
        """While a planned sync shows its own "left today" (the key's day from the shared ledger,
        less the reserve) the pacer's read-out, counted differently, would stand beside it with
        another number: it steps aside then, unless the requests are paused."""
        planned = self.syncing and isinstance(self._last_progress, SyncProgress)
        self.budget_label.setVisible(not planned or self._budget_paused)

    def _finish_sync(self) -> None:
        self._progress_timer.stop()
        self.progress.hide()
        self.budget_label.setVisible(True)
        self.sync_button.setEnabled(True)
        self._show_queue_coverage()

    def _sync_done(self, outcome: SyncOutcome) -> None:
        self._finish_sync()
        self._last_sync = outcome.finished_at
        self._resumes_at = outcome.resumes_at
        if self.live is not None:
            self.live.mark_synced()  # what the sync brought in is no longer "new"
        self.refresh_review_count()
        self._set_online(True)
        self.refresh_status()
        if outcome.resumes_at is not None:
            messages.info(
                self.tr("Today's requests for the sync are spent; it resumes at {time}.").format(
                    time=fmt_datetime(outcome.resumes_at)
                ),
                replace="sync",
            )
            return
        messages.info(self.tr("Synced (%n request(s)).", "", outcome.requests), replace="sync")

    def _sync_failed(self, exc: BaseException) -> None:
        self._finish_sync()
        if isinstance(exc, Cancelled):
            self.sync_label.setText(self.tr("Sync cancelled"))
            return
        if isinstance(exc, ModConsoleError) and exc.retryable:
            self._set_online(False)
        self.sync_label.setText(self.tr("Sync paused"))
        present_failure(exc, parent=self, replace="sync")

    def _set_online(self, online: bool) -> None:
        if online != self._online:
            signals = current_app_signals()
            if signals is not None:
                signals.online_changed.emit(online)
        self._show_online(online)

    @Slot(bool)
    def _show_online(self, online: bool) -> None:
        """Online or offline in the status bar and the banner: after a sync, or a push
        (``AppSignals.online_changed``). Online again clears the offline banner and its warnings."""
        changed = online != self._online
        self._online = online
        self.online_label.setText(self.tr("● Online") if online else self.tr("○ Offline"))
        self.online_label.setProperty("role", "success" if online else "warning")
        _repolish(self.online_label)
        self._show_offline()
        if changed:
            self.refresh_attention()  # the next try changed

    def _show_offline(self) -> None:
        """The banner's offline line: since when nothing answers, and when the next try is."""
        if self._online is not False:
            self.banner.set_offline(None)
            return
        parts = [self.tr("Offline")]
        nxt = self.next_try_at()
        if nxt is not None:
            when = nxt.astimezone()
            today = clock.now().astimezone().date()
            if when.date() == today:
                parts.append(self.tr("next try at {time}").format(time=f"{when:%H:%M}"))
            else:
                parts.append(
                    self.tr("next try at {time} on {day}").format(
                        time=f"{when:%H:%M}", day=fmt_date(when.date())
                    )
                )
        waiting = self._attention.waiting
        if waiting:
            parts.append(self.tr("%n action(s) waiting to be sent", "", waiting))
        self.banner.set_offline(
            " · ".join(parts),
            self.tr(
                "The community could not be reached. Actions are kept and sent when it answers again; "
                "Try now sends them at once."
            ),
        )

    def next_try_at(self) -> datetime | None:
        """When the console next tries on its own: the earliest waiting action's retry, or the next
        scheduled sync (``None``: neither is scheduled)."""
        times = []
        if self._attention.next_retry_at is not None:
            times.append(self._attention.next_retry_at)
        if self.sync_timer.isActive() and not self.syncing:
            times.append(clock.now() + timedelta(milliseconds=max(0, self.sync_timer.remainingTime())))
        return min(times) if times else None

    @Slot()
    def try_now(self) -> None:
        """**Try now** (offline): make every waiting action due, push through the one push policy
        (``ui.push``); when nothing was there to send, a sync asks the community instead."""
        if self._trying:
            return
        self._trying = True
        self.try_button.setEnabled(False)
        session = self.session

        def pushed(outcome: PushOutcome) -> None:
            self._tried()
            if outcome.online is None and not self.syncing:
                self.sync_now()  # nothing was sent: whether the community answers, a sync finds out
            elif outcome.message:
                messages.info(outcome.message, replace="outbox-push")

        def failed(exc: BaseException) -> None:
            self._tried()
            present_failure(exc, parent=self, replace="outbox-push")

        def due(_changes: Changes) -> None:
            push = push_op(self, session.push_outbox).success(pushed).failure(failed)
            push.run_in_background(initiator=self)

        retry = MutationOp(self, op=lambda _t, _p: session.retry_waiting(), success=due).failure(failed)
        retry.run_in_background(initiator=self)

    def _tried(self) -> None:
        self._trying = False
        self.try_button.setEnabled(True)

    # ------------------------------------------------------------ status

    @staticmethod
    def _cached_last_sync(session: Session) -> datetime | None:
        try:
            return session.last_sync_at()
        except ModConsoleError:  # an unreadable cache says so elsewhere; the label just says "not yet"
            log.warning("could not read the last sync time", exc_info=True)
            return None

    @Slot()
    def refresh_status(self) -> None:
        if not self.syncing:
            self.sync_label.setToolTip("")
            if self._resumes_at is not None and clock.now() < self._resumes_at:
                self.sync_label.setText(
                    self.tr("Sync resumes at {time}").format(time=fmt_datetime(self._resumes_at))
                )
                self.sync_label.setToolTip(
                    self.tr(
                        "Today's requests for the sync are spent (the key's day limit, less the "
                        "reserve for your own actions); the sync goes on where it stopped."
                    )
                )
            elif self._last_sync is None:
                self.sync_label.setText(self.tr("Not synced yet"))
            else:
                ago = (clock.now() - self._last_sync).total_seconds()
                if ago < 60:
                    self.sync_label.setText(self.tr("Last sync just now"))
                else:
                    self.sync_label.setText(self.tr("Last sync {ago} ago").format(ago=duration_text(ago)))
        try:
            snap = self.session.pacer()
            parts = []
            if snap.remaining_minute is not None:
                parts.append(self.tr("%Ln request(s) left this minute", "", snap.remaining_minute))
            if snap.remaining_day is not None:
                parts.append(self.tr("%Ln today", "", snap.remaining_day))
            if snap.paused_for > 0:
                parts.append(self.tr("paused {duration}").format(duration=duration_text(snap.paused_for)))
            self.budget_label.setText(", ".join(parts) if parts else self.tr("No request limit"))
            self.budget_label.setToolTip(
                core_text(snap.pause_reason)
                if snap.pause_reason
                else self.tr("Requests the console still allows itself")
            )
            self._budget_paused = snap.paused_for > 0
            self._show_budget()
        except Exception:  # status is best effort
            self.budget_label.setText("")
        try:
            pending = self.session.pending_actions()
        except ModConsoleError:
            pending = 0
        self.pending_label.setText(self.tr("%Ln pending action(s)", "", pending))
        if self._online is None:
            self.online_label.setText("")
        elif self._online is False:
            self._show_offline()  # the next try comes closer
        self._attention_ticks += 1
        if self._attention_ticks >= ATTENTION_EVERY_S:
            self.refresh_attention()

    # ------------------------------------------------------------ attention

    @Slot()
    def refresh_attention(self) -> None:
        """Count what needs the moderator (off the GUI thread) and look for newly queued actions
        to offer an undo for."""
        self._attention_ticks = 0
        session, seen = self.session, self._outbox_seen

        def load(_t: Any) -> tuple[Attention, int, tuple[OutboxRow, ...]]:
            newest, rows = session.queued_after(seen)
            return session.attention(), newest, rows

        QueryOp(self, op=load, success=self._attention_loaded).failure(
            lambda exc: log.warning("could not count what needs you: %s", exc)
        ).coalesce(f"{ATTENTION_KEY}-{id(self)}").run_in_background()

    def _attention_loaded(self, result: tuple[Attention, int, tuple[OutboxRow, ...]]) -> None:
        attention, newest, rows = result
        first = self._outbox_seen is None
        if first or newest > (self._outbox_seen or 0):
            self._outbox_seen = newest
        if not first:
            self._offer_undo(rows)
        self._show_attention(attention)

    def _show_attention(self, attention: Attention) -> None:
        self._attention = attention
        n = attention.total
        what = self.attention_text(attention)
        tip = what + "."
        if attention.waiting:
            tip += " " + self.tr("%n action(s) waiting to be sent.", "", attention.waiting)
        self.needs_button.setText(self.tr("Needs you: {n}").format(n=n))
        self.needs_label.setText(self.tr("%n needs you", "", n) if n else self.tr("Nothing needs you"))
        for w in (self.needs_button, self.needs_label):
            w.setToolTip(tip)
            w.setAccessibleName(self.tr("Needs you: {what}").format(what=what))
            if w.property("attention") != bool(n):
                w.setProperty("attention", bool(n))
                _repolish(w)
        names = list(self.pages)
        if "Outbox" in names:
            item = self.nav.item(names.index("Outbox"))
            if item is not None:
                warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
                item.setIcon(warn if attention.outbox else QIcon())
                item.setToolTip(
                    self.tr("%n action(s) wait for your decision", "", attention.outbox)
                    if attention.outbox
                    else ""
                )
        self._show_offline()

    def attention_text(self, a: Attention) -> str:
        """``2 conflicts, 1 refused action, 3 questions due soon`` (``Attention.describe`` in the
        language in force)."""
        parts = []
        if a.conflicts:
            parts.append(self.tr("%n conflict(s)", "", a.conflicts))
        if a.refused:
            parts.append(self.tr("%n refused action(s)", "", a.refused))
        if a.due_soon:
            parts.append(self.tr("%n question(s) due soon", "", a.due_soon))
        return ", ".join(parts) if parts else self.tr("Nothing needs you")

    @Slot()
    def show_what_needs_you(self) -> None:
        """The count's button: decisions on the Outbox first, else the questions due soon."""
        a = self._attention
        if a.outbox and "Outbox" in self.pages:
            set_group = getattr(self.pages["Outbox"], "set_group", None)
            if set_group is not None:
                set_group("needs_you")  # first: the page shows the filter from its first paint
            self.show_page("Outbox")
            return
        self.show_page("Queue")
        self.queue_page.queue.set_filter(DUE_SOON_FILTER)

    # ------------------------------------------------------------ undo

    def _offer_undo(self, rows: tuple[OutboxRow, ...]) -> None:
        """Newly queued actions (the last action's, one or several rows): offer to undo them."""
        mine = [r for r in rows if r.state != "cancelled" and r.created_by == self.session.username]
        if not mine:
            return
        last = core_text(describe_action(mine[-1].kind, mine[-1].payload))
        if len(mine) == 1:
            text = self.tr("Queued: {action}").format(action=last)
        else:
            text = self.tr("Queued: %n action(s) ({action} …)", "", len(mine)).format(action=last)
        self.undo_toast.show_queued(text, tuple(r.op_uuid for r in mine))

    def offer_undo(self, text: str, ids: tuple[str, ...]) -> None:
        """Offer to undo a bulk action's result (outbox rows, or ``snooze:<id>`` entries)."""
        if ids:
            self.undo_toast.show_queued(text, ids)

    @Slot(object)
    def offer_bulk_undo(self, result: BulkResult) -> None:
        ids = tuple(result.op_uuids) + tuple(f"{SNOOZE_UNDO}{t}" for t in result.snoozed)
        text = result_text(result)
        messages.info(text)
        self.offer_undo(text, ids)

    @Slot()
    def undo_shortcut(self) -> None:
        """Ctrl+Z: undo the last queued action (or bulk action) while it is still queued; say what
        was already sent."""
        ops = self.undo_toast.op_uuids
        if not ops:
            messages.info(self.tr("Nothing to undo."))
            return
        self.undo_toast.undo_button.setEnabled(False)
        self.undo_last(ops)

    @Slot(tuple)
    def undo_last(self, op_uuids: tuple[str, ...]) -> None:
        """Cancel what is still queued of the last action (the outbox's Discard, journaled); say so
        when it already went out."""
        session = self.session

        def done(outcome: UndoOutcome) -> None:
            self.undo_toast.show_result(outcome.message())
            messages.info(outcome.message())

        MutationOp(self, op=lambda _t, _p: session.undo(op_uuids), success=done).run_in_background()

    @Slot(object)
    def show_message(self, message: Message) -> None:
        self.message_label.setText(message.text)
        self.banner.show_message(message)  # warnings and errors; an info with their key clears them

    @Slot(object, object)
    def _on_changes_applied(self, changes: Changes, _initiator: object) -> None:
        if changes.outbox:
            self.refresh_status()
            self.refresh_review_count()  # a review action queued or delivered: the nav's count follows
        if changes.settings:
            self.reload_sla()
            self.reload_appearance()
        if changes.touches_any(("outbox", "topics", "posts", "settings")):
            self.refresh_attention()

    @Slot(int)
    def _on_outbox_changed(self, pending: int) -> None:
        """The pending count (``AppSignals.outbox_changed``) in the status bar and on the Outbox entry."""
        self.pending_label.setText(self.tr("%Ln pending action(s)", "", pending))
        names = list(self.pages)
        if "Outbox" in names:
            item = self.nav.item(names.index("Outbox"))
            if item is not None:
                title = page_title("Outbox")
                item.setText(f"{title} ({pending})" if pending else title)

    @Slot()
    def _on_auth_required(self) -> None:
        self.sync_timer.stop()
        self.show_message(
            Message(
                MessageLevel.ERROR,
                self.tr("The community no longer accepts this key. Sign in again (File → Sign out)."),
            )
        )

    @Slot()
    def open_sla_dialog(self) -> SlaDialog:
        """Settings → Response-time targets…: edit the SLA calendar (stored in the cache's settings
        registry, where the dashboard reads it too); Save applies it to the queue at once."""
        dialog = SlaDialog(self.session.cache, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.apply_sla)
        dialog.open()
        return dialog

    def reload_sla(self) -> None:
        """Re-read the stored SLA calendar and follow it if it changed (another writer saved it)."""
        cache = self.session.cache
        QueryOp(self, op=lambda _t: load_sla(cache), success=self.apply_sla).failure(
            lambda exc: log.warning("could not re-read the SLA calendar: %s", exc)
        ).run_in_background()

    @Slot(object)
    def apply_sla(self, sla: SlaSettings) -> None:
        """Use the stored calendar ``sla`` for the session and re-render the queue."""
        if sla == self.session.sla:
            return
        self.session.sla = sla
        queue = self.queue_page.queue
        queue.set_sla_settings(sla)  # the SLA column, sort and filters
        queue.refresh_counts()  # the saved views' counts ("Overdue" …)
        self.refresh_attention()  # "due soon" follows the calendar

    # ------------------------------------------------------------ appearance

    def apply_appearance(self, appearance: str) -> theme.Palette:
        """Use ``appearance`` (``system``, ``light``, ``dark``) for the app, tick it in the menu and
        remember it on this machine for the next sign-in screen."""
        chosen = appearance if appearance in registry.APPEARANCES else "system"
        self.session.appearance = chosen
        self.appearance_actions[chosen].setChecked(True)
        manager = theme.installed()
        if manager is None:  # nothing manages the look (a test of something else)
            return theme.current()
        self.settings.setValue(LAST_APPEARANCE_KEY, chosen)
        return manager.set_preference(chosen)

    def set_appearance(self, appearance: str) -> None:
        """Settings → Appearance: store the choice in the community's settings, then apply it."""
        cache = self.session.cache

        def save(_token: Any, _progress: Any) -> tuple[Changes, str]:
            registry.store(cache, registry.APPEARANCE, appearance)
            return Changes(settings=True), appearance

        MutationOp(self, op=save, success=self.apply_appearance).run_in_background()

    def reload_appearance(self) -> None:
        """Re-read the stored appearance and follow it (``modconsole settings ui.appearance …``)."""
        cache = self.session.cache
        QueryOp(
            self, op=lambda _t: registry.load(cache, registry.APPEARANCE), success=self.apply_appearance
        ).failure(lambda exc: log.warning("could not re-read the appearance: %s", exc)).run_in_background()

    @Slot()
    def show_about(self) -> None:
        from ui.about import show_about

        show_about(self, self.paths)

    # ------------------------------------------------------------ persistence and shutdown

    def save_state(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/page", self.nav.currentRow())
        self.queue_page.save_state(s)
        for key, splitter in self._page_splitters():
            s.setValue(key, splitter.saveState())
        s.sync()

    def _page_splitters(self) -> list[tuple[str, QSplitter]]:
        """Every other page's splitters, keyed by page and position, so each pane keeps the size
        the moderator gave it (the queue page names its own)."""
        found: list[tuple[str, QSplitter]] = []
        for name, page in self.pages.built().items():  # a page never built keeps what was saved
            if name != "Queue":
                found.extend(self._splitters_of(name, page))
        return found

    @staticmethod
    def _splitters_of(name: str, page: QWidget) -> list[tuple[str, QSplitter]]:
        return [
            (f"splitters/{name}/{splitter.objectName() or i}", splitter)
            for i, splitter in enumerate(page.findChildren(QSplitter))
        ]

    def restore_state(self) -> None:
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        else:
            self.resize(1400, 860)
        state = s.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))
        self.fit_to_screen()
        self.queue_page.restore_state(s)
        for key, splitter in self._page_splitters():
            value = s.value(key)
            if isinstance(value, QByteArray | bytes):
                splitter.restoreState(QByteArray(value))
        page = s.value("window/page")
        try:
            self.nav.setCurrentRow(int(str(page)) if page is not None else 0)
        except ValueError:
            self.nav.setCurrentRow(0)

    def fit_to_screen(self) -> None:
        """Never larger than the screen's available area (a laptop's 1024×700, or a geometry saved
        on a bigger monitor): shrink, and move back inside it."""
        screen = self.screen()
        if screen is None or self.isMaximized() or self.isFullScreen():
            return
        avail = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.size()  # title bar and borders
        width = min(self.width(), avail.width() - frame.width())
        height = min(self.height(), avail.height() - frame.height())
        if (width, height) != (self.width(), self.height()):
            least = self.minimumSizeHint()
            self.resize(max(width, least.width()), max(height, least.height()))
        geo = self.frameGeometry()
        x = min(max(geo.x(), avail.x()), max(avail.x(), avail.right() - geo.width() + 1))
        y = min(max(geo.y(), avail.y()), max(avail.y(), avail.bottom() - geo.height() + 1))
        if (x, y) != (geo.x(), geo.y()):
            self.move(x, y)

    def stop(self) -> None:
        """Stop timers and cancel a running sync (the app then shuts the task manager down).
        Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        if self.live is not None:
            self.live.stop()  # joins the poller's thread: none is left behind
        self.sync_timer.stop()
        self.status_timer.stop()
        self._progress_timer.stop()
        if self._sync_handle is not None and not self._sync_handle.finished:
            self._sync_handle.cancel()
        try:
            global_bridge().disconnect_receiver(self.show_message)
        except (RuntimeError, TypeError):
            pass

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.stop()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.live is not None and not self._stopped:
            self.live.set_front(self.isActiveWindow())  # live counts only while the window is in front
        super().changeEvent(event)

    # ------------------------------------------------------------ live counts

    def refresh_review_count(self) -> None:
        """The cache's pending review count, for the navigation until a live count arrives."""
        if "Review" not in self.pages:
            return
        session = self.session

        def loaded(result: tuple[float, int]) -> None:
            self._review_cached = result
            self._update_nav_counts()

        QueryOp(self, op=lambda _t: (clock.timestamp(), session.review_pending()), success=loaded).failure(
            lambda exc: log.warning("could not count the review queue: %s", exc)
        ).coalesce(f"review-count-{id(self)}").run_in_background()

    @Slot(object)
    def _show_live_counts(self, _counts: object) -> None:
        self._update_nav_counts()

    def _update_nav_counts(self) -> None:
        """The navigation's live counts: "Review (12)", "Queue +3" (new questions since the last
        sync), with what they count in the tooltip."""
        names = list(self.pages)
        counts = self.live.counts if self.live is not None else None
        if "Review" in names:
            item = self.nav.item(names.index("Review"))
            # the server's live count once heard (the next poll follows a review action here);
            # until then the cache's (the Review page's last refresh)
            cached = self._review_cached[1] if self._review_cached is not None else None
            n = counts.review if counts is not None and counts.review is not None else cached
            if item is not None:
                title = page_title("Review")
                item.setText(f"{title} ({fmt_number(n)})" if n else title)
                item.setToolTip(self.tr("%n item(s) waiting for review", "", n) if n else "")
        if "Queue" in names and counts is not None:
            item = self.nav.item(names.index("Queue"))
            if item is not None:
                title = page_title("Queue")
                new = counts.new_count
                item.setText(self.tr("{title} +%n", "", new).format(title=title) if new else title)
                tip = [
                    self.tr("Since the last sync: %n new question(s)", "", new),
                    self.tr("%n topic(s) with new activity", "", len(counts.active_topics)),
                    self.tr("%n assignment change(s)", "", counts.assignments),
                ]
                item.setToolTip("\n".join(tip) + "\n" + self.tr("Sync now (Ctrl+R) to see them in the list"))


def _repolish(widget: QWidget) -> None:
    """Re-apply the stylesheet after a property its rules select on changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
