"""The Outbox page.

Top: the state filter with counts (conflicted and failed first) and **Push now**. Tab *Actions*:
the table of actions and, for the selected one, its details (payload in words, precondition, every
attempt, the server's message) and the choices its state allows — Retry, Apply anyway, Discard —
each a ``MutationOp`` through ``ModerationService.resolve`` (the choice is recorded in the journal).
Tab *Journal*: every action with who, when, what, why, result and the server's response since a
date, and **Export CSV…** (``ModerationService.export_audit_csv``).

The page refreshes only on ``outbox`` changes (``ChangeWatcher``, deferred while hidden). It also
keeps ``AppSignals.outbox_changed`` current for the status bar and the navigation entry.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from modconsole import clock
from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome
from modconsole.services import outbox_view
from modconsole.services.outbox_view import GROUPS, OutboxDetail, OutboxEntry
from modconsole.tasks import CancelToken, ProgressCallback, ignore_progress
from ui import messages, theme
from ui.i18n import core_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.outbox.models import STATE_COLOURS, JournalModel, OutboxModel, local_time
from ui.push import PushFn, push_op
from ui.rowmodel import make_view, remember_place, restore_place, with_empty_state
from ui.signals import current_app_signals

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["ChoiceDialog", "OutboxBackend", "OutboxPage", "Snapshot"]

log = logging.getLogger("modconsole.ui.outbox")

FILTERS: tuple[tuple[str, str], ...] = (
    ("all", QT_TRANSLATE_NOOP("OutboxPage", "All")),
    ("needs_you", QT_TRANSLATE_NOOP("OutboxPage", "Needs you")),
    ("waiting", QT_TRANSLATE_NOOP("OutboxPage", "Waiting")),
    ("done", QT_TRANSLATE_NOOP("OutboxPage", "Done")),
    ("cancelled", QT_TRANSLATE_NOOP("OutboxPage", "Cancelled")),
)
CHOICE_HELP = {
    ("conflict", "changed_remotely"): QT_TRANSLATE_NOOP(
        "OutboxPage",
        "Someone changed this on the community after you queued it. "
        "Retry checks again; Apply anyway replaces their change; Discard keeps theirs.",
    ),
    ("conflict", "needs_confirmation"): QT_TRANSLATE_NOOP(
        "OutboxPage",
        "The community needs a confirmation for this. Apply anyway confirms it; Discard drops it.",
    ),
    ("conflict", "target_gone"): QT_TRANSLATE_NOOP(
        "OutboxPage",
        "The topic, post or member is gone from the community. Retry if it was restored; otherwise Discard.",
    ),
}


@dataclass(frozen=True)
class Snapshot:
    entries: tuple[OutboxEntry, ...]
    counts: dict[str, int]
    journal: tuple[dict[str, Any], ...]
    detail: OutboxDetail | None


@dataclass
class OutboxBackend:
    service: Any  # modconsole.services.moderation.ModerationService
    push_fn: PushFn | None = None

    @classmethod
    def from_session(cls, session: Session) -> OutboxBackend:
        """Bind to the signed-in session (its workspace's outbox and the one push policy)."""
        return cls(session.workspace.moderation, session.push_outbox)

    def snapshot(self, group: str, since: date | None, selected: str | None) -> Snapshot:
        with self.service.cache.read() as conn:
            states = GROUPS.get(group)
            return Snapshot(
                entries=tuple(outbox_view.load_entries(conn, states)),
                counts=outbox_view.group_counts(conn),
                journal=tuple(outbox_view.journal(conn, since)),
                detail=outbox_view.load_detail(conn, selected) if selected else None,
            )

    def detail(self, op_uuid: str) -> OutboxDetail | None:
        with self.service.cache.read() as conn:
            return outbox_view.load_detail(conn, op_uuid)

    def pending(self) -> int:
        counts = self.service.counts()
        return int(counts.get("pending", 0)) + int(counts.get("in_flight", 0))

    def push(self, token: CancelToken, progress: ProgressCallback = ignore_progress) -> PushOutcome:
        """The session's push (``ui.push``): deliver, then re-read what was delivered."""
        if self.push_fn is None:
            return PushOutcome()
        return self.push_fn(token, progress)

    def resolve(self, op_uuid: str, choice: str, note: str | None) -> Changes:
        """Record the choice (the page then pushes after Retry or Apply anyway)."""
        changes: Changes = self.service.resolve(op_uuid, choice, note=note)
        return changes

    def export(self, path: str | Path, since: date | None) -> int:
        start = datetime.combine(since, time(0), tzinfo=UTC) if since is not None else None
        return int(self.service.export_audit_csv(path, start))


class ChoiceDialog(QDialog):
    """Confirm a choice (Discard, Apply anyway) with an optional note for the journal."""

    def __init__(self, title: str, message: str, confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboxChoiceDialog")
        self.setWindowTitle(title)
        text = QLabel(message)
        text.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Note for the journal (optional), e.g. “handled by phone”"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = self.buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)

    def note_text(self) -> str | None:
        return self.note.text().strip() or None


class OutboxPage(QWidget):
    def __init__(self, backend: OutboxBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageOutbox")
        theme.follow(self.retheme)  # what it wrote in colours, re-written in the new palette
        self.backend = backend
        self._group = "all"
        self._selected: str | None = None
        self._detail: OutboxDetail | None = None
        self._dialog: ChoiceDialog | None = None
        self._file_dialog: QFileDialog | None = None
        self._loads = 0

        title = QLabel(self.tr("Outbox"))
        title.setProperty("role", "heading")
        blurb = QLabel(
            self.tr(
                "Every action is saved here first, then sent to the community. "
                "Your decisions are kept in the journal."
            )
        )
        blurb.setProperty("role", "muted")
        blurb.setWordWrap(True)

        # -- state filter with counts
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str, QToolButton] = {}
        filters = QHBoxLayout()
        filters.setSpacing(4)
        for key, label in FILTERS:
            b = QToolButton()
            b.setObjectName(f"outboxFilter_{key}")
            b.setText(label)
            b.setCheckable(True)
            b.setAutoRaise(False)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.clicked.connect(lambda _checked=False, k=key: self.set_group(k))
            self.filter_group.addButton(b)
            self.filter_buttons[key] = b
            filters.addWidget(b)
        self.filter_buttons["all"].setChecked(True)
        filters.addStretch(1)
        self.push_button = QPushButton(self.tr("Push now"))
        self.push_button.setObjectName("outboxPushNow")
        self.push_button.setProperty("role", "primary")
        self.push_button.setToolTip(self.tr("Send every waiting action now (Ctrl+P)"))
        self.push_button.clicked.connect(self.push_now)
        filters.addWidget(self.push_button)

        # -- actions tab: table + details
        self.model = OutboxModel(self)
        self.table = make_view(self.model)
        self.table.setObjectName("outboxTable")
        self.table.setAccessibleName(self.tr("Actions"))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        left, self.empty_label = with_empty_state(
            self.table,
            self.tr("Nothing here. Actions you take appear in this list until the community confirms them."),
        )

        self.detail_title = QLabel(self.tr("Select an action to see its details."))
        self.detail_title.setObjectName("outboxDetailTitle")
        self.detail_title.setWordWrap(True)
        f = self.detail_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.detail_title.setFont(f)
        self.detail_state = QLabel("")
        self.detail_state.setObjectName("outboxDetailState")
        self.detail_state.setWordWrap(True)
        self.detail_body = QLabel("")
        self.detail_body.setObjectName("outboxDetailBody")
        self.detail_body.setWordWrap(True)
        self.detail_body.setTextFormat(Qt.TextFormat.RichText)
        self.detail_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.choice_help = QLabel("")
        self.choice_help.setWordWrap(True)
        self.choice_help.setObjectName("outboxChoiceHelp")
        self.retry_button = QPushButton(self.tr("Retry"))
        self.retry_button.setObjectName("outboxRetry")
        self.retry_button.setToolTip(self.tr("Check the community again and send if it still applies"))
        self.apply_button = QPushButton(self.tr("Apply anyway"))
        self.apply_button.setObjectName("outboxApplyAnyway")
        self.apply_button.setToolTip(self.tr("Send it even though the community changed meanwhile"))
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.setObjectName("outboxDiscard")
        self.discard_button.setProperty("role", "danger")
        self.discard_button.setToolTip(self.tr("Drop this action (asks first; you can leave a note)"))
        self.retry_button.clicked.connect(lambda: self.choose("retry"))
        self.apply_button.clicked.connect(lambda: self.choose("apply_anyway"))
        self.discard_button.clicked.connect(lambda: self.choose("discard"))
        choices = QHBoxLayout()
        for choice_button in (self.retry_button, self.apply_button, self.discard_button):
            choices.addWidget(choice_button)
        choices.addStretch(1)
        detail = QWidget()
        detail.setObjectName("outboxDetail")
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(14, 6, 8, 8)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.detail_state)
        dl.addWidget(self.choice_help)
        dl.addLayout(choices)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        dl.addWidget(line)
        dl.addWidget(self.detail_body, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(detail)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("outboxSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 470])  # the detail keeps room for its three choices on a laptop

        # -- journal tab
        self.since_edit = QDateEdit()
        self.since_edit.setObjectName("journalSince")
        self.since_edit.setAccessibleName(self.tr("Journal since"))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat(QCoreApplication.translate("Dates", "d MMM yyyy"))
        today = clock.now().astimezone().date()
        self.since_edit.setDate(QDate(today.year, today.month, today.day).addDays(-30))
        self.since_edit.dateChanged.connect(lambda _d: self.reload())
        self.journal_count = QLabel("")
        self.journal_count.setProperty("role", "muted")
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setObjectName("journalExport")
        self.export_button.setToolTip(
            self.tr("Save the journal of actions queued since this date as a CSV file")
        )
        self.export_button.clicked.connect(self.ask_export)
        jbar = QHBoxLayout()
        jbar.addWidget(QLabel(self.tr("Actions queued since")))
        jbar.addWidget(self.since_edit)
        jbar.addWidget(self.journal_count)
        jbar.addStretch(1)
        jbar.addWidget(self.export_button)
        self.journal_model = JournalModel(self)
        self.journal_table = make_view(self.journal_model)
        self.journal_table.setObjectName("journalTable")
        self.journal_table.setAccessibleName(self.tr("Journal"))
        journal = QWidget()
        jl = QVBoxLayout(journal)
        jl.setContentsMargins(0, 6, 0, 0)
        jl.addLayout(jbar)
        jl.addWidget(self.journal_table, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("outboxTabs")
        self.tabs.addTab(self.splitter, self.tr("Actions"))
        self.tabs.addTab(journal, self.tr("Journal"))
        self.tabs.currentChanged.connect(self._on_tab)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(self.tabs, 1)

        push_sc = QShortcut(QKeySequence("Ctrl+P"), self)
        push_sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        push_sc.activated.connect(self.push_now)
        del_sc = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table)
        del_sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        del_sc.activated.connect(lambda: self.choose("discard"))

        self._show_detail(None)
        self.watcher = ChangeWatcher(self, kinds=("outbox",), refresh=lambda _c: self.reload())
        signals = current_app_signals()
        if signals is not None:
            signals.changes_applied.connect(self._on_any_changes)
        QTimer.singleShot(0, self.announce_count)
        self.reload()

    # ------------------------------------------------------------ loading

    def since(self) -> date:
        d = self.since_edit.date()
        return date(d.year(), d.month(), d.day())

    @Slot()
    def reload(self) -> None:
        group, since, selected, backend = self._group, self.since(), self._selected, self.backend
        self._loads += 1
        load = self._loads

        def apply(snap: Snapshot) -> None:
            if load == self._loads:  # an older read finishing late never overwrites a newer one
                self._apply(snap)

        QueryOp(
            self, op=lambda _t: backend.snapshot(group, since, selected), success=apply
        ).run_in_background()

    def _apply(self, snap: Snapshot) -> None:
        for key, label in FILTERS:
            n = snap.counts.get(key, 0)
            button = self.filter_buttons[key]
            button.setText(f"{self.tr(label)} ({n})")
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 30)
        self.filter_buttons["needs_you"].setProperty("attention", snap.counts.get("needs_you", 0) > 0)
        keep, place = self._selected, remember_place(self.table)
        self.model.set_rows(snap.entries)
        self.journal_model.set_rows(snap.journal)
        n = len(snap.journal)
        self.journal_count.setText(self.tr("%n action(s)", "", n))
        self.empty_label.setVisible(not snap.entries)
        # the same action, or (resolved away from this filter) the one that took its row
        row = restore_place(self.table, place, self.model.row_of(keep) if keep else -1)
        if row < 0 and snap.entries:
            row = 0
            self.table.selectRow(row)
        if row >= 0:
            entry = self.model.row_at(row)
            if entry is not None and entry.op_uuid == keep:
                self._show_detail(snap.detail)
        else:
            self._selected = None
            self._show_detail(None)

    @Slot(object, object)
    def _on_current(self, current: Any, _previous: Any) -> None:
        entry = self.model.row_at(current.row()) if current.isValid() else None
        if entry is None:
            return
        if entry.op_uuid == self._selected and self._detail is not None:
            return
        self._selected = entry.op_uuid
        op, backend = entry.op_uuid, self.backend
        QueryOp(self, op=lambda _t: backend.detail(op), success=self._show_detail).run_in_background()

    def selected_entry(self) -> OutboxEntry | None:
        return self._detail.entry if self._detail is not None else None

    # ------------------------------------------------------------ details

    @Slot(object)
    def retheme(self, _palette: object) -> None:
        detail = getattr(self, "_detail", None)
        if detail is not None:
            self._show_detail(detail)

    def _show_detail(self, detail: OutboxDetail | None) -> None:
        self._detail = detail
        buttons = {
            "retry": self.retry_button,
            "apply_anyway": self.apply_button,
            "discard": self.discard_button,
        }
        if detail is None:
            self.detail_title.setText(self.tr("Select an action to see its details."))
            self.detail_state.setText("")
            self.detail_body.setText("")
            self.choice_help.hide()
            for b in buttons.values():
                b.hide()
            return
        e = detail.entry
        self.detail_title.setText(core_text(e.action))
        pal = theme.current()
        colour = getattr(pal, STATE_COLOURS.get(e.state, "text"))
        self.detail_state.setText(
            f"<span style='color:{colour}; font-weight:600'>{html.escape(core_text(e.state_label))}</span>"
            " &nbsp;·&nbsp; "
            + self.tr("queued by @{who} on {when}").format(
                who=html.escape(e.created_by), when=html.escape(local_time(e.created_at))
            )
        )
        for name, b in buttons.items():
            b.setVisible(name in e.choices)
            b.setEnabled(name in e.choices)
        help_text = CHOICE_HELP.get((e.state, e.resolution or ""))
        if help_text is not None:
            help_text = self.tr(help_text)
        if help_text is None and e.state == "failed":
            help_text = self.tr("The community refused this action. Retry sends it again; Discard drops it.")
        if help_text is None and e.state == "pending" and "retry" in e.choices:
            help_text = self.tr(
                "Waiting to be tried again (the community asked us to wait, or could not be reached). "
                "Retry sends it now; Discard drops it."
            )
        if help_text is None and e.state == "pending":
            help_text = self.tr("Waiting to be sent. It goes with the next push or sync; Discard drops it.")
        self.choice_help.setText(help_text or "")
        self.choice_help.setVisible(bool(help_text))
        self.detail_body.setText(self._detail_html(detail))

    def _detail_html(self, d: OutboxDetail) -> str:
        def esc(text: str) -> str:
            return html.escape(core_text(text))

        muted = theme.current().muted
        # (the headings are translated first: lupdate does not look inside f-strings)
        h_message, h_sent = self.tr("Server's message"), self.tr("What will be sent")
        h_saw, h_note, h_decisions = (
            self.tr("What you saw when you queued it"),
            self.tr("Your note"),
            self.tr("Decisions"),
        )
        h_attempts, h_when, h_step = self.tr("Attempts"), self.tr("When"), self.tr("Step")
        h_request, h_answer, h_outcome = self.tr("Request"), self.tr("Answer"), self.tr("Outcome")
        not_sent = self.tr("Not sent yet.")
        action_id = self.tr("Action id {id}").format(id=html.escape(d.entry.op_uuid))
        parts: list[str] = []
        if d.entry.message:
            parts.append(f"<p><b>{h_message}</b><br>{esc(d.entry.message)}</p>")
        parts.append(f"<p><b>{h_sent}</b><br>" + "<br>".join(esc(x) for x in d.payload_lines) + "</p>")
        parts.append(f"<p><b>{h_saw}</b><br>{esc(d.precondition)}</p>")
        if d.note:
            parts.append(f"<p><b>{h_note}</b><br>{html.escape(d.note)}</p>")
        if d.decisions:
            parts.append(f"<p><b>{h_decisions}</b><br>" + "<br>".join(esc(x) for x in d.decisions) + "</p>")
        if d.attempts:
            rows = "".join(
                "<tr>"
                f"<td>{esc(local_time(a.started_at, seconds=True))}</td>"
                f"<td>{esc(a.kind)}</td><td>{esc(a.request)}</td>"
                f"<td>{esc(a.status)}</td><td>{esc(a.outcome)}</td>"
                "</tr>"
                + (
                    f"<tr><td></td><td colspan='4' style='color:{muted}'>{esc(a.response[:300])}</td></tr>"
                    if a.response
                    else ""
                )
                for a in d.attempts
            )
            parts.append(
                f"<p><b>{h_attempts}</b></p><table cellspacing='0' cellpadding='3'>"
                f"<tr style='color:{muted}'><td>{h_when}</td><td>{h_step}</td><td>{h_request}</td>"
                f"<td>{h_answer}</td><td>{h_outcome}</td></tr>"
                f"{rows}</table>"
            )
        else:
            parts.append(f"<p><b>{h_attempts}</b><br>{not_sent}</p>")
        parts.append(f"<p style='color:{muted}'>{action_id}</p>")
        return "".join(parts)

    # ------------------------------------------------------------ filter

    @Slot(int)
    def _on_tab(self, index: int) -> None:
        """The state filter applies to the actions; the journal has its own date filter."""
        for button in self.filter_buttons.values():
            button.setVisible(index == 0)

    def set_group(self, group: str) -> None:
        self._group = group
        self.filter_buttons[group].setChecked(True)
        self.reload()

    # ------------------------------------------------------------ choices

    def choose(self, choice: str) -> None:
        """Retry at once; Apply anyway and Discard ask first (with an optional note)."""
        entry = self.selected_entry()
        if entry is None or choice not in entry.choices:
            return
        if choice == "retry":
            self.resolve(entry.op_uuid, "retry", None)
            return
        if choice == "discard":
            dialog = ChoiceDialog(
                self.tr("Discard this action?"),
                self.tr("“{action}” will not be sent. The journal keeps it, with your note.").format(
                    action=core_text(entry.action)
                ),
                self.tr("Discard"),
                self,
            )
        else:
            dialog = ChoiceDialog(
                self.tr("Apply anyway?"),
                self.tr(
                    "“{action}” will be sent even though the community changed after you queued it."
                ).format(action=core_text(entry.action)),
                self.tr("Apply anyway"),
                self,
            )
        op = entry.op_uuid
        dialog.accepted.connect(lambda: self.resolve(op, choice, dialog.note_text()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self._dialog = dialog
        dialog.open()

    def resolve(self, op_uuid: str, choice: str, note: str | None) -> None:
        backend = self.backend
        label = {
            "retry": self.tr("Retrying"),
            "apply_anyway": self.tr("Applying anyway"),
            "discard": self.tr("Discarded"),
        }[choice]

        def done(_changes: Changes) -> None:
            what = core_text(self._detail.entry.action) if self._detail else self.tr("the action")
            messages.info(self.tr("{done}: {action}.").format(done=label, action=what))
            if choice != "discard":  # send it at once; offline it stays queued
                push_op(self, backend.push).run_in_background()

        MutationOp(
            self, op=lambda _t, _p: backend.resolve(op_uuid, choice, note), success=done
        ).run_in_background()

    @Slot()
    def push_now(self) -> None:
        backend = self.backend
        self.push_button.setEnabled(False)

        def finished(outcome: PushOutcome) -> None:
            self.push_button.setEnabled(True)
            messages.info(core_text(outcome.message) or self.tr("Nothing to send."), replace="outbox-push")

        def failed(exc: BaseException) -> None:
            self.push_button.setEnabled(True)
            messages.present_failure(exc, parent=self)

        push_op(self, backend.push).success(finished).failure(failed).run_in_background()

    # ------------------------------------------------------------ journal export

    @Slot()
    def ask_export(self) -> None:
        default = str(Path.home() / f"modconsole-journal-{clock.now().astimezone().date().isoformat()}.csv")
        dialog = QFileDialog(self, self.tr("Export the journal"), default, self.tr("CSV files (*.csv)"))
        dialog.setObjectName("journalExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(default)
        dialog.fileSelected.connect(self.export_csv)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self._file_dialog = dialog
        dialog.open()

    @Slot(str)
    def export_csv(self, path: str) -> None:
        if not path:
            return
        backend, since = self.backend, self.since()

        def done(n: int) -> None:
            messages.info(self.tr("Exported %n action(s) to {path}.", "", n).format(path=path))

        QueryOp(self, op=lambda _t: backend.export(path, since), success=done).run_in_background()

    # ------------------------------------------------------------ the pending count for the window

    @Slot(object, object)
    def _on_any_changes(self, changes: Changes, _initiator: object) -> None:
        if changes.outbox:
            self.announce_count()

    @Slot()
    def announce_count(self) -> None:
        signals = current_app_signals()
        if signals is None:
            return
        try:
            pending = self.backend.pending()
        except Exception:  # best effort: the status bar keeps its last value
            log.warning("could not count the outbox", exc_info=True)
            return
        signals.outbox_changed.emit(pending)
