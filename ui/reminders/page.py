"""The Reminders page: solved reminders with a human in the loop.

Left, the questions where others replied but the asker has not accepted an answer after N days
(longest waiting first). Right, the selected question: the asker, the candidate replies (newest
first; employees and peers), and the **rendered nudge** exactly as it will be posted. Actions:
**Send nudge** (Ctrl+Enter; a reply through the outbox, at most one per asker per week — the core
refuses a second and the page says why), **Accept reply…** (A; the outbox's accept on the asker's
behalf, after a confirmation) and **Snooze** (S; N days). Keyboard: Up/Down pick a question, J/K
pick a reply.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.errors import ModConsoleError
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.outbox.policy import PushOutcome
from modconsole.services.moderation import Queued
from modconsole.services.reminders import (
    PLACEHOLDERS,
    Candidate,
    CandidateReply,
    Nudge,
    ReminderService,
    ReminderSettings,
    render_template,
)
from modconsole.tasks import CancelToken, ProgressCallback
from ui import messages
from ui.i18n import core_text, day_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp, first_load
from ui.outbox.models import local_time
from ui.outbox.page import ChoiceDialog
from ui.push import PushFn, push_op
from ui.rowmodel import Col, RowsModel, make_view, remember_place, restore_place

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["CandidatesModel", "ReminderBackend", "RemindersPage", "RepliesModel", "TemplateDialog"]

log = logging.getLogger("modconsole.ui.reminders")


@dataclass(frozen=True)
class Loaded:
    candidates: tuple[Candidate, ...]
    settings: ReminderSettings


@dataclass
class ReminderBackend:
    service: ReminderService
    push_fn: PushFn | None = None

    @classmethod
    def from_session(cls, session: Session) -> ReminderBackend:
        """Bind to the signed-in session (its workspace's outbox and the one push policy)."""
        return cls(ReminderService(session.cache, session.workspace.moderation), session.push_outbox)

    def load(self) -> Loaded:
        return Loaded(tuple(self.service.candidates()), self.service.settings())

    def preview(self, topic_id: int) -> Nudge:
        return self.service.preview(topic_id)

    def push(self, token: CancelToken, progress: ProgressCallback) -> PushOutcome:
        """The session's push (``ui.push``): deliver, then re-read what was delivered."""
        if self.push_fn is None:
            return PushOutcome()
        return self.push_fn(token, progress)

    def send_nudge(self, topic_id: int) -> tuple[Changes, Queued]:
        q = self.service.send_nudge(topic_id)
        return q.changes, q

    def accept(self, post_id: int, note: str | None) -> tuple[Changes, Queued]:
        q = self.service.accept_for_asker(post_id, note=note)
        return q.changes, q

    def snooze(self, topic_id: int, days: int) -> Changes:
        return self.service.snooze(topic_id, days)

    def save_settings(self, settings: ReminderSettings) -> Changes:
        return self.service.save_settings(settings)


def _reminded(c: Candidate) -> str:
    if not c.nudged_at:
        return ""
    return QCoreApplication.translate("RemindersPage", "Reminded {when}").format(
        when=local_time(c.nudged_at).rsplit(" ", 1)[0]
    )


class CandidatesModel(RowsModel[Candidate]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col[Candidate](
                    QT_TRANSLATE_NOOP("Columns", "Question"),
                    lambda c: c.title,
                    width=230,
                    tip=lambda c: c.title,
                ),
                Col[Candidate](QT_TRANSLATE_NOOP("Columns", "Asker"), lambda c: f"@{c.asker}", width=132),
                Col[Candidate](
                    QT_TRANSLATE_NOOP("Columns", "Waiting"),
                    lambda c: self.tr("%n day(s)", "", c.days_waiting),
                    width=74,
                    numeric=True,
                ),
                Col[Candidate](
                    QT_TRANSLATE_NOOP("Columns", "Replies"),
                    lambda c: str(len(c.replies)),
                    width=62,
                    numeric=True,
                ),
                Col[Candidate](
                    QT_TRANSLATE_NOOP("Columns", "This week"),
                    _reminded,
                    width=116,
                    color=lambda c: "warning" if c.nudged_at else None,
                    tip=lambda c: (
                        QCoreApplication.translate(
                            "RemindersPage",
                            "Already reminded this week: the next reminder is possible from {day}",
                        ).format(day=day_text(c.next_nudge_at))
                        if c.nudged_at
                        else QCoreApplication.translate("RemindersPage", "Not reminded this week")
                    ),
                ),
            ],
            parent=parent,
        )

    def row_of(self, topic_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.topic_id == topic_id), -1)


class RepliesModel(RowsModel[CandidateReply]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col[CandidateReply](
                    QT_TRANSLATE_NOOP("Columns", "Reply by"), lambda r: f"@{r.username}", width=124
                ),
                Col[CandidateReply](
                    QT_TRANSLATE_NOOP("Columns", "Who"),
                    lambda r: (
                        QCoreApplication.translate("RemindersPage", "Employee")
                        if r.employee
                        else QCoreApplication.translate("RemindersPage", "Peer")
                    ),
                    width=84,
                    color=lambda r: "info" if r.employee else "success",
                ),
                Col[CandidateReply](
                    QT_TRANSLATE_NOOP("Columns", "Posted"), lambda r: local_time(r.created_at), width=112
                ),
                Col[CandidateReply](
                    QT_TRANSLATE_NOOP("Columns", "Reply"),
                    lambda r: r.excerpt,
                    width=180,
                    tip=lambda r: r.excerpt,
                ),
            ],
            parent=parent,
        )


class TemplateDialog(QDialog):
    """Edit the nudge text; placeholders are checked as you type."""

    def __init__(self, settings: ReminderSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderTemplateDialog")
        self.setWindowTitle(self.tr("Reminder message"))
        self._settings = settings
        self.editor = QPlainTextEdit(settings.template)
        self.editor.setMinimumSize(520, 200)
        names = ", ".join(f"{{{k}}} {v}" for k, v in PLACEHOLDERS.items())
        help_label = QLabel(
            self.tr("Placeholders: {names}. A line marking it as a reminder is added at the end.").format(
                names=names
            )
        )
        help_label.setWordWrap(True)
        help_label.setProperty("role", "muted")
        self.error = QLabel("")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.days = QSpinBox()
        self.days.setRange(0, 365)
        self.days.setValue(settings.after_days)
        self.days.setSuffix(self.tr(" days"))
        self.max_days = QSpinBox()
        self.max_days.setRange(0, 3650)
        self.max_days.setValue(settings.max_days)
        self.max_days.setSuffix(self.tr(" days"))
        self.max_days.setSpecialValueText(self.tr("no limit"))
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Remind when no answer is accepted after")))
        row.addWidget(self.days)
        row.addWidget(QLabel(self.tr("but not after")))
        row.addWidget(self.max_days)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        restore = self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.clicked.connect(lambda: self.editor.setPlainText(ReminderSettings().template))
        self.editor.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.editor, 1)
        layout.addWidget(help_label)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._check()

    def _check(self) -> None:
        sample = {"asker": "a", "topic_title": "t", "days": 3, "replies": 1, "moderator": "m"}
        try:
            render_template(self.editor.toPlainText(), sample)
            self.error.setText("")
            ok = bool(self.editor.toPlainText().strip())
        except ModConsoleError as exc:
            self.error.setText(core_text(exc.user_message))
            ok = False
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(ok)

    def result_settings(self) -> ReminderSettings:
        return ReminderSettings(
            after_days=self.days.value(),
            template=self.editor.toPlainText(),
            employee_group=self._settings.employee_group,
            max_days=self.max_days.value(),
        )


class RemindersPage(QWidget):
    def __init__(self, backend: ReminderBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageReminders")
        self.backend = backend
        self._selected: int | None = None
        self._nudge: Nudge | None = None
        self._settings = ReminderSettings()
        self._dialog: QDialog | None = None

        title = QLabel(self.tr("Reminders"))
        title.setProperty("role", "heading")
        self.blurb = QLabel("")
        self.blurb.setProperty("role", "muted")
        self.blurb.setWordWrap(True)
        self.template_button = QPushButton(self.tr("Message and timing…"))
        self.template_button.setObjectName("reminderTemplate")
        self.template_button.clicked.connect(self.edit_template)
        top = QHBoxLayout()
        top.addWidget(self.blurb, 1)
        top.addWidget(self.template_button)

        self.model = CandidatesModel(self)
        self.table = make_view(self.model)
        self.table.setObjectName("reminderTable")
        self.table.setAccessibleName(self.tr("Questions waiting for the asker"))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.empty_label = QLabel(self.tr("No question is waiting for its asker. Nice."))
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setWordWrap(True)  # its one line must not widen the page (German is longer)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.empty_label)

        self.topic_title = QLabel(self.tr("Select a question."))
        self.topic_title.setObjectName("reminderTitle")
        self.topic_title.setWordWrap(True)
        f = self.topic_title.font()
        f.setPointSizeF(f.pointSizeF() * 1.15)
        f.setBold(True)
        self.topic_title.setFont(f)
        self.meta = QLabel("")
        self.meta.setWordWrap(True)
        self.replies_model = RepliesModel(self)
        self.replies = make_view(self.replies_model)
        self.replies.setObjectName("reminderReplies")
        self.replies.setAccessibleName(self.tr("Replies from others"))
        self.replies.setMinimumHeight(150)
        self.replies.setMaximumHeight(230)
        self.replies.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        preview_label = QLabel(self.tr("The reminder, as it will be posted"))
        preview_label.setProperty("role", "muted")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("reminderPreview")
        self.preview.setReadOnly(True)
        self.preview.setMinimumHeight(150)
        self.preview.setMaximumHeight(240)
        self.refusal = QLabel("")
        self.refusal.setObjectName("reminderRefusal")
        self.refusal.setWordWrap(True)
        self.refusal.setProperty("role", "warning")
        self.send_button = QPushButton(self.tr("Send nudge"))
        self.send_button.setObjectName("reminderSend")
        self.send_button.setProperty("role", "primary")
        self.send_button.setToolTip(self.tr("Post this reminder as a reply (Ctrl+Enter)"))
        self.send_button.clicked.connect(self.send_nudge)
        self.accept_button = QPushButton(self.tr("Accept reply…"))
        self.accept_button.setObjectName("reminderAccept")
        self.accept_button.setToolTip(self.tr("Accept the selected reply on the asker's behalf (A)"))
        self.accept_button.clicked.connect(self.ask_accept)
        self.snooze_days = QSpinBox()
        self.snooze_days.setObjectName("reminderSnoozeDays")
        self.snooze_days.setAccessibleName(self.tr("Snooze for how many days"))
        self.snooze_days.setRange(1, 90)
        self.snooze_days.setValue(7)
        self.snooze_days.setSuffix(self.tr(" days"))
        self.snooze_button = QPushButton(self.tr("Snooze"))
        self.snooze_button.setObjectName("reminderSnooze")
        self.snooze_button.setToolTip(self.tr("Hide this question for a while (S)"))
        self.snooze_button.clicked.connect(self.snooze)
        actions = QHBoxLayout()
        actions.addWidget(self.send_button)
        actions.addWidget(self.accept_button)
        actions.addStretch(1)
        actions.addWidget(self.snooze_button)
        actions.addWidget(self.snooze_days)

        detail = QWidget()
        detail.setObjectName("reminderDetail")
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(14, 0, 0, 0)
        dl.addWidget(self.topic_title)
        dl.addWidget(self.meta)
        dl.addWidget(QLabel(self.tr("Replies from others, newest first")))
        dl.addWidget(self.replies, 1)
        dl.addSpacing(6)
        dl.addWidget(preview_label)
        dl.addWidget(self.preview, 1)
        dl.addWidget(self.refusal)
        dl.addLayout(actions)
        dl.addStretch(0)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("reminderSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([760, 580])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        for key, slot in (
            ("Ctrl+Return", self.send_nudge),
            ("Ctrl+Enter", self.send_nudge),
            ("A", self.ask_accept),
            ("S", self.snooze),
            ("J", lambda: self.select_reply(1)),
            ("K", lambda: self.select_reply(-1)),
        ):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)

        self._show(None)
        self.watcher = ChangeWatcher(
            self, kinds=("topics", "posts", "outbox", "settings"), refresh=lambda _c: self.reload()
        )
        first_load(self, self.reload)

    # ------------------------------------------------------------ loading

    @Slot()
    def reload(self) -> None:
        backend = self.backend
        QueryOp(self, op=lambda _t: backend.load(), success=self._apply).run_in_background()

    def _apply(self, loaded: Loaded) -> None:
        self._settings = loaded.settings
        n = len(loaded.candidates)
        cfg = loaded.settings
        window = (
            self.tr("{low} to {high} days").format(low=cfg.after_days, high=cfg.max_days)
            if cfg.max_days
            else self.tr("%n day(s) or more", "", cfg.after_days)
        )
        self.blurb.setText(
            self.tr(
                "%n question(s) where others replied {window} ago but the asker has not "
                "accepted an answer. Remind them kindly (at most once a week), accept a reply for them, "
                "or snooze.",
                "",
                n,
            ).format(window=window)
        )
        keep, place = self._selected, remember_place(self.table)
        self.model.set_rows(loaded.candidates)
        self.empty_label.setVisible(not loaded.candidates)
        # the same question, or (snoozed, reminded away) the one that took its row — never back to the top
        row = restore_place(self.table, place, self.model.row_of(keep) if keep is not None else -1)
        if row < 0 and loaded.candidates:
            row = 0
            self.table.selectRow(row)
        if row >= 0:
            self._show(self.model.row_at(row))
        else:
            self._selected = None
            self._show(None)

    @Slot(object, object)
    def _on_current(self, current: Any, _previous: Any) -> None:
        c = self.model.row_at(current.row()) if current.isValid() else None
        if c is not None and c.topic_id != self._selected:
            self._show(c)

    def current(self) -> Candidate | None:
        return next((c for c in self.model.rows() if c.topic_id == self._selected), None)

    def _show(self, c: Candidate | None) -> None:
        self._selected = c.topic_id if c is not None else None
        self._nudge = None
        if c is None:
            self.topic_title.setText(self.tr("Select a question."))
            self.meta.setText("")
            self.replies_model.set_rows(())
            self.preview.setPlainText("")
            self.refusal.setText("")
            self._update_buttons()
            return
        self.topic_title.setText(c.title)
        employees = sum(1 for r in c.replies if r.employee)
        self.meta.setText(
            self.tr(
                "Asked by <b>@{asker}</b> in {category} · first reply {first}, waiting <b>{days}</b> · "
                "%n reply(ies) ({employees} from employees, {peers} from peers)",
                "",
                len(c.replies),
            ).format(
                asker=html.escape(c.asker),
                category=html.escape(c.category),
                first=html.escape(local_time(c.first_reply_at)),
                days=self.tr("%n day(s)", "", c.days_waiting),
                employees=employees,
                peers=len(c.replies) - employees,
            )
        )
        self.replies_model.set_rows(c.replies)
        if c.replies:
            self.replies.selectRow(0)
        topic, backend = c.topic_id, self.backend
        QueryOp(self, op=lambda _t: backend.preview(topic), success=self._show_preview).run_in_background()
        self._update_buttons()

    def _show_preview(self, nudge: Nudge) -> None:
        if nudge.topic_id != self._selected:
            return
        self._nudge = nudge
        self.preview.setPlainText(nudge.text)
        self.refusal.setText(core_text(nudge.refusal or ""))
        self.refusal.setVisible(bool(nudge.refusal))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self._selected is not None
        self.send_button.setEnabled(has and self._nudge is not None and self._nudge.allowed)
        self.accept_button.setEnabled(has and self.selected_reply() is not None)
        self.snooze_button.setEnabled(has)

    def selected_reply(self) -> CandidateReply | None:
        idx = self.replies.currentIndex()
        return self.replies_model.row_at(idx.row()) if idx.isValid() else None

    def select_reply(self, step: int) -> None:
        n = self.replies_model.rowCount()
        if n == 0:
            return
        cur = self.replies.currentIndex().row()
        self.replies.selectRow(max(0, min(n - 1, (cur if cur >= 0 else -1) + step)))

    # ------------------------------------------------------------ actions

    @Slot()
    def send_nudge(self) -> None:
        """Queue the previewed reminder (the core checks the weekly limit again) and push it."""
        c = self.current()
        if c is None:
            return
        topic, backend = c.topic_id, self.backend

        def sent(q: Queued, outcome: PushOutcome) -> None:
            if q.op_uuid in outcome.done:
                messages.info(self.tr("Reminder to @{asker} sent.").format(asker=c.asker))
            else:
                messages.info(
                    self.tr(
                        "Reminder to @{asker} queued; it is sent when the community can be reached."
                    ).format(asker=c.asker)
                )

        self._queue_and_push(lambda: backend.send_nudge(topic), sent)

    @Slot()
    def ask_accept(self) -> None:
        c, r = self.current(), self.selected_reply()
        if c is None or r is None:
            return
        dialog = ChoiceDialog(
            self.tr("Accept this reply?"),
            self.tr("Accept @{author}'s reply as the answer to “{title}” on @{asker}'s behalf.").format(
                author=r.username, title=c.title, asker=c.asker
            ),
            self.tr("Accept reply"),
            self,
        )
        dialog.setObjectName("reminderAcceptDialog")
        post = r.post_id
        dialog.accepted.connect(lambda: self.accept(post, dialog.note_text()))
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self._dialog = dialog
        dialog.open()

    def accept(self, post_id: int, note: str | None) -> None:
        backend = self.backend

        def sent(q: Queued, outcome: PushOutcome) -> None:
            if q.op_uuid in outcome.done:
                messages.info(self.tr("Answer accepted."))
            else:
                messages.info(
                    self.tr("Accepted answer queued; it is sent when the community can be reached.")
                )

        self._queue_and_push(lambda: backend.accept(post_id, note), sent)

    def _queue_and_push(
        self, action: Callable[[], tuple[Changes, Queued]], sent: Callable[[Queued, PushOutcome], None]
    ) -> None:
        """Queue on the writer thread, then push (``ui.push``); offline it stays queued."""
        backend = self.backend

        def queued(q: Queued) -> None:
            push_op(self, backend.push).success(lambda outcome: sent(q, outcome)).run_in_background()

        MutationOp(self, op=lambda _t, _p: action(), success=queued).run_in_background()

    @Slot()
    def snooze(self) -> None:
        c = self.current()
        if c is None:
            return
        topic, days, backend = c.topic_id, self.snooze_days.value(), self.backend

        def done(_changes: Changes) -> None:
            messages.info(self.tr("Snoozed “{title}” for %n day(s).", "", days).format(title=c.title))

        MutationOp(self, op=lambda _t, _p: backend.snooze(topic, days), success=done).run_in_background()

    @Slot()
    def edit_template(self) -> None:
        dialog = TemplateDialog(self._settings, self)
        backend = self.backend

        def save() -> None:
            settings = dialog.result_settings()
            MutationOp(self, op=lambda _t, _p: backend.save_settings(settings)).run_in_background()

        dialog.accepted.connect(save)
        dialog.finished.connect(lambda _r: dialog.deleteLater())
        self._dialog = dialog
        dialog.open()
