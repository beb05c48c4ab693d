"""Staff notes on members in the console (issue 14 part 6, Discourse's User Notes).

* :class:`NotesPanel` — one member's notes, newest first (a queued note marked "waiting to be
  sent", one queued for deletion struck through), a box to write a new one and *Add note*
  (Ctrl+Enter), *Delete note* for the selected one. It sits under the member's profile and in the
  thread's notes dialog.
* :class:`NotesDialog` — the panel in a dialog, opened from the *Notes* button beside a post's
  author in the thread.

Notes are read when a member or a thread is opened (never by a sync), through
:class:`modconsole.services.user_notes.UserNotesService`, and added or deleted through the outbox.
Everything here is hidden when the platform has no user notes (``Capabilities.user_notes``), the
key is not staff, or the community said the plugin is off: a 404 for the moderator's own notes
(``UserNotesService.available``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.services.user_notes import Note, NotesView, UserNotesService
from modconsole.tasks import CancelToken, ProgressCallback
from ui.i18n import fmt_datetime
from ui.ops import MutationOp, QueryOp
from ui.push import PushFn, push_op

__all__ = ["NotesDialog", "NotesPanel", "notes_button_text"]


def notes_button_text(count: int | None) -> str:
    """The thread's button beside an author: "Notes (2)", or "Notes" when none are known."""
    if count:
        return QCoreApplication.translate("NotesPanel", "Notes ({n})").format(n=count)
    return QCoreApplication.translate("NotesPanel", "Notes")


def _item_text(n: Note) -> str:
    from modconsole.services.sla import parse_ts

    when = parse_ts(n.created_at)
    head = f"@{n.created_by or '?'}" + (f" · {fmt_datetime(when)}" if when is not None else "")
    if n.pending:
        head += " · " + QCoreApplication.translate("NotesPanel", "waiting to be sent")
    elif n.deleting:
        head += " · " + QCoreApplication.translate("NotesPanel", "deletion waiting to be sent")
    return f"{head}\n{n.raw}"


class NotesPanel(QWidget):
    """One member's staff notes: the list, a new note, delete (see the module docstring)."""

    changed = Signal()
    """A note was queued (added or deleted)."""

    def __init__(
        self, service: UserNotesService | None, push: PushFn | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("notesPanel")
        self.service = service
        self._push = push
        self._user_id: int | None = None
        self._post_id: int | None = None
        self._view: NotesView | None = None
        self.heading = QLabel(self.tr("Staff notes"))
        self.heading.setProperty("role", "heading")
        self.status = QLabel("")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("notesList")
        self.list.setAccessibleName(self.tr("Staff notes"))
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(self.tr("New staff note"))
        self.editor.setPlaceholderText(self.tr("A note only staff can see…"))
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.editor.textChanged.connect(self._update_buttons)
        self.add_button = QPushButton(self.tr("Add note"))
        self.add_button.setToolTip(self.tr("Saved locally first, then sent when online (Ctrl+Enter)"))
        self.add_button.clicked.connect(self.add_note)
        self.delete_button = QPushButton(self.tr("Delete note"))
        self.delete_button.clicked.connect(self.delete_selected)
        send = QShortcut(QKeySequence("Ctrl+Return"), self.editor)
        send.setContext(Qt.ShortcutContext.WidgetShortcut)
        send.activated.connect(self.add_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.heading)
        lay.addWidget(self.status)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.editor)
        lay.addLayout(buttons)
        QWidget.setTabOrder(self.list, self.editor)
        QWidget.setTabOrder(self.editor, self.add_button)
        QWidget.setTabOrder(self.add_button, self.delete_button)
        self.setVisible(False)
        self._update_buttons()

    # ------------------------------------------------------------ loading

    @property
    def user_id(self) -> int | None:
        return self._user_id

    def set_member(self, user_id: int | None, *, post_id: int | None = None) -> None:
        """Show ``user_id``'s notes: the cached ones at once, then (when due) read from the
        community. Hidden when notes are not available."""
        svc = self.service
        self._user_id, self._post_id = user_id, post_id
        if svc is None or user_id is None:
            self.setVisible(False)
            return
        uid = user_id
        # hidden while the site has the plugin off — but asked again once RECHECK has passed
        available = svc.available()
        self.setVisible(available)
        if available:
            self.reload()
        if svc.needs_read(uid):
            self.status.setText(self.tr("Reading notes…"))

            def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, NotesView]:
                return Changes(), svc.refresh(uid)

            MutationOp(self, op=op, success=self._loaded).failure(lambda _e: self.reload()).run_in_background(
                initiator=self
            )

    def reload(self) -> None:
        svc, uid = self.service, self._user_id
        if svc is None or uid is None:
            return
        QueryOp(self, op=lambda _t: svc.view(uid), success=self._loaded).run_in_background()

    def _loaded(self, view: NotesView) -> None:
        if view.user_id != self._user_id:
            return
        self._view = view
        available = self.service is not None and self.service.available()
        self.setVisible(available)  # hidden when the community said the plugin is off
        if not available:
            return
        who = f"@{view.username}" if view.username else ""
        self.heading.setText(self.tr("Staff notes on {who} ({n})").format(who=who, n=len(view.notes)))
        if view.error:
            self.status.setText(self.tr("Could not read the notes now: {why}").format(why=view.error))
        elif view.status == "gone":
            self.status.setText(self.tr("This member no longer exists on the community."))
        elif view.status == "forbidden":
            self.status.setText(self.tr("Only staff can read staff notes."))
        else:
            self.status.setText(self.tr("Only staff see these notes."))
        current = self.list.currentRow()
        self.list.clear()
        for n in view.notes:
            item = QListWidgetItem(_item_text(n))
            item.setData(Qt.ItemDataRole.UserRole, n.id)
            if n.pending or n.deleting:
                font = QFont(item.font())
                font.setItalic(n.pending)
                font.setStrikeOut(n.deleting)
                item.setFont(font)
            self.list.addItem(item)
        if not view.notes:
            empty = QListWidgetItem(self.tr("No notes yet."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
        elif 0 <= current < self.list.count():
            self.list.setCurrentRow(current)
        self._update_buttons()

    def notes(self) -> tuple[Note, ...]:
        return self._view.notes if self._view is not None else ()

    def _selected(self) -> Note | None:
        row = self.list.currentRow()
        notes = self.notes()
        return notes[row] if 0 <= row < len(notes) else None

    def _update_buttons(self) -> None:
        usable = self._view is not None and self._view.status in ("ok", "unread")
        self.add_button.setEnabled(usable and bool(self.editor.toPlainText().strip()))
        n = self._selected()
        self.delete_button.setEnabled(
            usable
            and n is not None
            and n.id is not None
            and not n.pending
            and not n.deleting
            and n.can_delete
        )

    # ------------------------------------------------------------ actions

    def add_note(self) -> None:
        svc, uid = self.service, self._user_id
        text = self.editor.toPlainText().strip()
        if svc is None or uid is None or not text or not self.add_button.isEnabled():
            return
        post_id = self._post_id

        def op(_token: CancelToken, _progress: ProgressCallback) -> Changes:
            return svc.add(uid, text, post_id=post_id).changes

        def queued(_changes: Changes) -> None:
            self.editor.clear()
            self._queued()

        MutationOp(self, op=op, success=queued).run_in_background(initiator=self)

    def delete_selected(self) -> None:
        svc, uid, n = self.service, self._user_id, self._selected()
        if svc is None or uid is None or n is None or n.id is None or not self.delete_button.isEnabled():
            return
        note_id = n.id
        MutationOp(
            self,
            op=lambda _t, _p: svc.delete(uid, note_id).changes,
            success=lambda _c: self._queued(),
        ).run_in_background(initiator=self)

    def _queued(self) -> None:
        self.reload()
        self.changed.emit()
        if self._push is not None:
            push_op(self, self._push).success(lambda _o: self._pushed()).failure(
                lambda _e: self.reload()
            ).run_in_background(initiator=self)

    def _pushed(self) -> None:
        self.reload()
        self.changed.emit()


class NotesDialog(QDialog):
    """The notes panel for one member, opened from the thread."""

    def __init__(
        self,
        service: UserNotesService,
        user_id: int,
        *,
        post_id: int | None = None,
        push: PushFn | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Staff notes"))
        self.panel = NotesPanel(service, push, self)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.panel, 1)
        lay.addWidget(box)
        self.resize(460, 420)
        self.panel.set_member(user_id, post_id=post_id)
        self.panel.editor.setFocus()  # first focus once shown: write a note at once

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.panel.editor.setFocus()
