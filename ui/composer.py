"""The reply composer of the thread view, and the saved-replies dialog.

The moderator writes markdown; **Preview** shows it rendered by
:func:`modconsole.services.replies.preview_html` (markdown-it-py, then the same sanitizer as
every post). **Saved replies** are inserted with their placeholders filled from the cache (the
asker's name, links to similar solved questions …). **Whisper** (a staff-only note) is offered
only when the signed-in account may whisper on this site (``current_user.whisperer``, probed with
the key's permissions). **Send** queues the reply in the outbox (offline first) and pushes; the
outbox makes it land once. The draft is kept in the cache per topic while typing, so it survives
closing the thread or the app.

Keys: ``r`` opens the composer (the Thread menu's "Reply…"), Ctrl+Enter sends, Esc closes it
(the draft stays).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from modconsole import settings
from modconsole.changes import Changes
from modconsole.services import replies
from modconsole.tasks import CancelToken, ProgressCallback
from ui.i18n import current_language
from ui.ops import MutationOp, QueryOp
from ui.push import push_op

__all__ = ["ComposerSetup", "ReplyComposer", "SavedRepliesDialog", "SessionReplies", "replies_port"]

DRAFT_DELAY_MS = 700
"""Typing pauses this long before the draft is written to the cache."""


@dataclass(frozen=True)
class ComposerSetup:
    """What the composer needs for one topic, read from the cache in one go."""

    context: replies.ReplyContext
    saved: tuple[replies.SavedReply, ...]
    draft: replies.Draft | None
    can_whisper: bool


class SessionReplies:
    """The composer's side of a signed-in :class:`ui.services.Session` (cache, moderation service,
    push). Methods ending in ``_op`` run on worker threads (queries on ``io``, writes on ``writer``)."""

    def __init__(self, session: Any) -> None:
        self._session = session

    @property
    def _service(self) -> Any:
        return self._session.workspace.moderation

    def setup(self, topic_id: int) -> ComposerSetup:
        svc = self._service
        with self._session.cache.read() as conn:
            ctx = replies.reply_context(
                conn, topic_id, site_url=self._session.site_url, me=svc.me, link=self._session.topic_url
            )
            saved = settings.get(conn, replies.SAVED_REPLIES)
            draft = replies.get_draft(conn, topic_id)
        # whispers only where the platform has them (Capabilities.whispers), and the account may
        can_whisper = bool(self._session.capabilities.whispers) and bool(svc.permissions().whisperer)
        return ComposerSetup(ctx, tuple(saved), draft, can_whisper)

    def save_draft(self, topic_id: int, raw: str, whisper: bool) -> Changes:
        with self._session.cache.write() as conn:
            replies.save_draft(conn, topic_id, raw, whisper=whisper)
        return Changes()

    def saved_replies(self) -> tuple[replies.SavedReply, ...]:
        items: tuple[replies.SavedReply, ...] = settings.load(self._session.cache, replies.SAVED_REPLIES)
        return items

    def store_saved_replies(self, items: tuple[replies.SavedReply, ...]) -> Changes:
        settings.store(self._session.cache, replies.SAVED_REPLIES, items)
        return Changes()

    def send(self, topic_id: int, raw: str, whisper: bool) -> Changes:
        """Queue the reply, then forget the draft (the outbox holds the text from now on)."""
        queued = self._service.reply(topic_id, raw, whisper=whisper)
        with self._session.cache.write() as conn:
            replies.clear_draft(conn, topic_id)
        changes: Changes = queued.changes
        return changes

    def push_outbox(self, token: CancelToken, progress: ProgressCallback) -> Any:
        return self._session.push_outbox(token, progress)


def replies_port(backend: object | None) -> SessionReplies | None:
    """The composer's port for a thread backend: a signed-in session has one, a bare test double
    (no cache, no moderation service) has none, and the composer stays unavailable."""
    workspace = getattr(backend, "workspace", None)
    if backend is None or workspace is None or getattr(workspace, "moderation", None) is None:
        return None
    return SessionReplies(backend)


class ComposerEdit(QPlainTextEdit):
    """The text field: Ctrl+Enter sends, Esc closes — taken before the window's shortcuts (Esc
    otherwise closes the whole thread)."""

    submit = Signal()
    escape = Signal()

    @staticmethod
    def _ours(event: QKeyEvent) -> str | None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_Escape:
            return "escape"
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and mods & Qt.KeyboardModifier.ControlModifier:
            return "submit"
        return None

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent) and self._ours(e):
            e.accept()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        which = self._ours(e)
        if which == "submit":
            self.submit.emit()
        elif which == "escape":
            self.escape.emit()
        else:
            super().keyPressEvent(e)


class PreviewView(QTextBrowser):
    """Sanitized preview HTML; loads nothing by itself (no local files, no remote images)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyPreview")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def loadResource(self, _type: int, _name: QUrl | str) -> object:
        return None


class ReplyComposer(QFrame):
    """Write, preview and send one reply (or whisper) to the topic it was opened for."""

    closed = Signal()
    queued = Signal(int)  # topic id: the reply is in the outbox (a push follows)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyComposer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._port: SessionReplies | None = None
        self._topic_id: int | None = None
        self._setup: ComposerSetup | None = None
        self._loading = False
        self._sending = False

        self.heading = QLabel("")  # one line, elided to the pane's width (the title is on top already)
        self.heading.setObjectName("composerHeading")
        self.heading.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._heading_text = ""
        self.saved_box = QComboBox()
        self.saved_box.setObjectName("savedReplies")
        self.saved_box.setAccessibleName(self.tr("Insert a saved reply"))
        self.saved_box.activated.connect(self._insert_saved)
        self.manage_button = QPushButton(self.tr("Saved replies…"))
        self.manage_button.setToolTip(self.tr("Add, edit or delete saved replies"))
        self.manage_button.clicked.connect(self.manage_saved)
        self.whisper_box = QCheckBox(self.tr("Whisper (staff only)"))
        self.whisper_box.setToolTip(
            self.tr("A staff-only note in the thread: only staff who may see whispers can read it")
        )
        self.whisper_box.toggled.connect(self._whisper_toggled)
        self.saved_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.saved_box.setMinimumContentsLength(12)  # long titles must not widen a narrow thread pane
        tools = QHBoxLayout()
        tools.addWidget(self.saved_box, 1)
        tools.addWidget(self.manage_button)

        self.edit = ComposerEdit()
        self.edit.setObjectName("replyEdit")
        self.edit.setAccessibleName(self.tr("Reply text (markdown)"))
        self.edit.setPlaceholderText(self.tr("Write your reply (markdown) …"))
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.submit.connect(self.send)
        self.edit.escape.connect(self.close_composer)
        self.preview = PreviewView()
        self.preview.setAccessibleName(self.tr("Preview of the reply"))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.edit, self.tr("Write"))
        self.tabs.addTab(self.preview, self.tr("Preview"))
        self.tabs.currentChanged.connect(self._tab_changed)

        self.whisper_note = QLabel(self.tr("only staff will see this note"))
        self.whisper_note.setObjectName("whisperNote")
        self.whisper_note.setProperty("role", "warning")
        self.whisper_note.hide()
        whisper_row = QHBoxLayout()  # its own row: beside the saved replies it widened the pane
        whisper_row.addWidget(self.whisper_box)
        whisper_row.addWidget(self.whisper_note, 1)
        self.status = QLabel("")
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        keys = QKeySequence("Ctrl+Return").toString(QKeySequence.SequenceFormat.NativeText)
        self._hint = self.tr("{send} sends · Esc closes · the draft is kept until sent").format(send=keys)
        self.status.setText(self._hint)
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setToolTip(self.tr("Empty the composer and forget the draft"))
        self.discard_button.clicked.connect(self.discard)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Close the composer; the draft is kept (Esc)"))
        self.close_button.clicked.connect(self.close_composer)
        self.send_button = QPushButton(self.tr("Send reply"))
        self.send_button.setObjectName("sendReply")
        self.send_button.setDefault(True)
        self.send_button.setToolTip(
            self.tr("Saved locally first, then sent when online ({keys})").format(keys=keys)
        )
        self.send_button.clicked.connect(self.send)
        foot = QHBoxLayout()
        foot.addStretch(1)
        foot.addWidget(self.discard_button)
        foot.addWidget(self.close_button)
        foot.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.heading)
        layout.addLayout(tools)
        layout.addLayout(whisper_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(foot)

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._update_buttons()

    # ------------------------------------------------------------ state

    def set_port(self, port: SessionReplies | None) -> None:
        self._port = port
        if port is None:
            self.hide()

    @property
    def available(self) -> bool:
        return self._port is not None

    @property
    def topic_id(self) -> int | None:
        return self._topic_id

    def text(self) -> str:
        return self.edit.toPlainText()

    @property
    def whisper(self) -> bool:
        return self.whisper_box.isChecked() and not self.whisper_box.isHidden()

    def open_for(self, topic_id: int, title: str) -> None:
        """Show the composer for ``topic_id`` (its draft, if any) and focus the text."""
        port = self._port
        if port is None:
            return
        if self._topic_id is not None and self._topic_id != topic_id:
            self.save_draft()
        if self._topic_id == topic_id and self._setup is not None:
            self.show()
            self.tabs.setCurrentWidget(self.edit)
            self.edit.setFocus()
            return
        self._topic_id = topic_id
        self._setup = None
        self._heading_text = self.tr("Reply to “{title}”").format(title=title)
        self.heading.setToolTip(self._heading_text)
        self._elide_heading()
        self.status.setText(self._hint)
        self._loading = True
        self.edit.clear()
        self.whisper_box.setChecked(False)
        self.show()
        self.tabs.setCurrentWidget(self.edit)
        self.edit.setFocus()

        def arrived(setup: ComposerSetup) -> None:
            if self._topic_id == topic_id:
                self._apply(setup)

        def failed(exc: BaseException) -> None:
            from ui.messages import present_failure

            self._loading = False
            present_failure(exc, parent=self)

        QueryOp(self, op=lambda _t: port.setup(topic_id), success=arrived).failure(failed).run_in_background()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._draft_timer.isActive():  # the window closes mid-sentence: keep what was typed
            self.save_draft()
        super().hideEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide_heading()

    def _elide_heading(self) -> None:
        width = max(40, self.heading.width())
        fm = self.heading.fontMetrics()
        self.heading.setText(fm.elidedText(self._heading_text, Qt.TextElideMode.ElideRight, width))

    def _apply(self, setup: ComposerSetup) -> None:
        self._setup = setup
        self._fill_saved(setup.saved)
        self.whisper_box.setVisible(setup.can_whisper)
        if setup.draft is not None and not self.edit.toPlainText().strip():
            self.edit.setPlainText(setup.draft.raw)
            self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
            self.whisper_box.setChecked(setup.draft.whisper and setup.can_whisper)
            self.status.setText(self.tr("Draft restored."))
        self._loading = False
        self._update_buttons()

    def _fill_saved(self, saved: Sequence[replies.SavedReply]) -> None:
        self.saved_box.clear()
        self.saved_box.addItem(self.tr("Insert a saved reply…"), None)
        for r in replies.ordered(saved, current_language()):
            label = f"{r.title} ({r.language})" if r.language else r.title
            self.saved_box.addItem(label, r.id)

    # ------------------------------------------------------------ editing

    @Slot(int)
    def _insert_saved(self, index: int) -> None:
        rid = self.saved_box.itemData(index)
        setup = self._setup
        self.saved_box.setCurrentIndex(0)
        if rid is None or setup is None:
            return
        chosen = next((r for r in setup.saved if r.id == rid), None)
        if chosen is None:
            return
        body = replies.fill(chosen.body, setup.context)
        cursor = self.edit.textCursor()
        if self.edit.toPlainText().strip() and not cursor.atBlockStart():
            body = "\n\n" + body
        cursor.insertText(body)
        self.tabs.setCurrentWidget(self.edit)
        self.edit.setFocus()

    @Slot()
    def _text_changed(self) -> None:
        self._update_buttons()
        if not self._loading:
            self._draft_timer.start()

    @Slot(bool)
    def _whisper_toggled(self, on: bool) -> None:
        self.whisper_note.setVisible(on)
        self.setProperty("whisper", "true" if on else "false")
        self.style().unpolish(self)
        self.style().polish(self)
        self._update_buttons()
        if not self._loading:
            self._draft_timer.start()

    @Slot(int)
    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.preview:
            self.preview.setHtml(replies.preview_html(self.edit.toPlainText()))

    def _update_buttons(self) -> None:
        has_text = len(self.edit.toPlainText().strip()) >= 2
        self.send_button.setText(self.tr("Send whisper") if self.whisper else self.tr("Send reply"))
        self.send_button.setEnabled(has_text and not self._sending and self._setup is not None)
        self.discard_button.setEnabled(bool(self.edit.toPlainText()))

    # ------------------------------------------------------------ draft

    @Slot()
    def save_draft(self) -> None:
        """Write the draft now (typing pauses write it by themselves)."""
        self._draft_timer.stop()
        port, topic_id = self._port, self._topic_id
        if port is None or topic_id is None or self._loading or self._sending:
            return
        raw, whisper = self.edit.toPlainText(), self.whisper
        MutationOp(self, op=lambda _t, _p: port.save_draft(topic_id, raw, whisper)).run_in_background()

    @Slot()
    def close_composer(self) -> None:
        """Esc: close, keeping the draft."""
        if self.isHidden():
            return
        self.save_draft()
        self.hide()
        self.closed.emit()

    @Slot()
    def discard(self) -> None:
        self.edit.clear()  # the (debounced) draft write then forgets it
        self.save_draft()
        self.edit.setFocus()

    # ------------------------------------------------------------ send

    @Slot()
    def send(self) -> None:
        port, topic_id = self._port, self._topic_id
        if port is None or topic_id is None or not self.send_button.isEnabled():
            return
        raw, whisper = self.edit.toPlainText(), self.whisper
        self._draft_timer.stop()
        self._sending = True
        self._update_buttons()

        def done(_changes: Changes) -> None:
            self._sending = False
            if self._topic_id == topic_id:
                self._loading = True
                self.edit.clear()
                self._loading = False
                self.whisper_box.setChecked(False)
                self.status.setText(
                    self.tr("Queued; it is sent now, or as soon as the community is reachable.")
                )
                self.hide()
                self.closed.emit()
            self.queued.emit(topic_id)
            push_op(self, port.push_outbox).run_in_background(initiator=self)

        def failed(exc: BaseException) -> None:
            from ui.messages import present_failure

            self._sending = False
            self._update_buttons()
            present_failure(exc, parent=self)

        MutationOp(self, op=lambda _t, _p: port.send(topic_id, raw, whisper), success=done).failure(
            failed
        ).run_in_background(initiator=self)

    # ------------------------------------------------------------ saved replies

    @Slot()
    def manage_saved(self) -> None:
        port = self._port
        if port is None:
            return
        current = self._setup.saved if self._setup is not None else port.saved_replies()
        dialog = SavedRepliesDialog(current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        items = dialog.replies()

        def stored(_changes: Changes) -> None:
            if self._setup is not None:
                self._setup = replace(self._setup, saved=items)
                self._fill_saved(items)

        MutationOp(
            self, op=lambda _t, _p: port.store_saved_replies(items), success=stored
        ).run_in_background()


_LANGUAGES = ("", "en", "de")


class SavedRepliesDialog(QDialog):
    """Add, edit and delete saved replies; nothing is stored until Save."""

    def __init__(self, items: Sequence[replies.SavedReply], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("savedRepliesDialog")
        self.setWindowTitle(self.tr("Saved replies"))
        self._items: list[replies.SavedReply] = list(items)
        self._row = -1
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Saved replies"))
        self.list.currentRowChanged.connect(self._select)
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.clicked.connect(self._add)
        self.delete_button = QPushButton(self.tr("Delete"))
        self.delete_button.clicked.connect(self._delete)
        self.defaults_button = QPushButton(self.tr("Restore defaults"))
        self.defaults_button.setToolTip(self.tr("Add back the saved replies the console comes with"))
        self.defaults_button.clicked.connect(self._defaults)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        left.addWidget(self.defaults_button)

        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName(self.tr("Title"))
        self.title_edit.setPlaceholderText(self.tr("Title"))
        self.title_edit.setMaxLength(replies.MAX_TITLE_CHARS)
        self.language_box = QComboBox()
        self.language_box.setAccessibleName(self.tr("Language"))
        for code in _LANGUAGES:
            self.language_box.addItem(self._language_name(code), code)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName(self.tr("Text"))
        self.body_edit.setTabChangesFocus(True)
        help_lines = [
            f"<code>{p}</code> — {QCoreApplication.translate('core', what)}"
            for p, what in replies.PLACEHOLDERS
        ]
        self.help = QLabel(self.tr("Placeholders:") + "<br>" + "<br>".join(help_lines))
        self.help.setTextFormat(Qt.TextFormat.RichText)
        self.help.setWordWrap(True)
        self.help.setProperty("role", "muted")
        self.error = QLabel("")
        self.error.setProperty("role", "warning")
        self.error.setWordWrap(True)
        right = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.title_edit, 1)
        head.addWidget(self.language_box)
        right.addLayout(head)
        right.addWidget(self.body_edit, 1)
        right.addWidget(self.help)
        right.addWidget(self.error)
        for w in (self.title_edit,):
            w.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        self.language_box.activated.connect(self._edited)

        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(right, 3)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 480)
        self._reload(0)

    def _language_name(self, code: str) -> str:
        if code == "en":
            return self.tr("English")
        if code == "de":
            return self.tr("German")
        return self.tr("Any language")

    def replies(self) -> tuple[replies.SavedReply, ...]:
        return tuple(self._items)

    def _reload(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for r in self._items:
            label = f"{r.title} ({r.language})" if r.language else r.title
            self.list.addItem(QListWidgetItem(label or self.tr("(untitled)")))
        self.list.blockSignals(False)
        self._row = -1
        if self._items:
            self.list.setCurrentRow(max(0, min(select, len(self._items) - 1)))
        else:
            self._select(-1)

    @Slot(int)
    def _select(self, row: int) -> None:
        self._row = row
        item = self._items[row] if 0 <= row < len(self._items) else None
        for w in (self.title_edit, self.body_edit, self.language_box):
            w.blockSignals(True)
            w.setEnabled(item is not None)
        self.title_edit.setText(item.title if item else "")
        self.body_edit.setPlainText(item.body if item else "")
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(item.language if item else "")))
        for w in (self.title_edit, self.body_edit, self.language_box):
            w.blockSignals(False)
        self.delete_button.setEnabled(item is not None)

    def _edited(self, *_args: object) -> None:
        row = self._row
        if not 0 <= row < len(self._items):
            return
        r = replace(
            self._items[row],
            title=self.title_edit.text(),
            body=self.body_edit.toPlainText(),
            language=str(self.language_box.currentData() or ""),
        )
        self._items[row] = r
        item = self.list.item(row)
        if item is not None:
            item.setText((f"{r.title} ({r.language})" if r.language else r.title) or self.tr("(untitled)"))
        self.error.setText("")

    def _add(self) -> None:
        self._items.append(replies.new_saved_reply(self.tr("New saved reply"), self.tr("Hi {asker},\n\n")))
        self._reload(len(self._items) - 1)
        self.title_edit.setFocus()
        self.title_edit.selectAll()

    def _delete(self) -> None:
        row = self._row
        if 0 <= row < len(self._items):
            del self._items[row]
            self._reload(row)

    def _defaults(self) -> None:
        have = {r.id for r in self._items}
        self._items.extend(r for r in replies.DEFAULT_SAVED_REPLIES if r.id not in have)
        self._reload(self._row)

    def problem(self) -> str | None:
        """Why the list cannot be saved as it is (the first problem), or None."""
        for i, r in enumerate(self._items):
            if not r.title.strip():
                self.list.setCurrentRow(i)
                return self.tr("A saved reply needs a title.")
            if len(r.body.strip()) < 2:
                self.list.setCurrentRow(i)
                return self.tr("The saved reply “{title}” is empty.").format(title=r.title)
            if len(r.body) > replies.MAX_TEMPLATE_CHARS:
                self.list.setCurrentRow(i)
                return self.tr("A saved reply is at most {n} characters.").format(
                    n=replies.MAX_TEMPLATE_CHARS
                )
        return None

    def _save(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            return
        self.accept()
