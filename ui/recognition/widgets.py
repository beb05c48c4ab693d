"""Small shared pieces of the recognition pages: a configured table view, a member field with
completion, an inline error label, and running a write then pushing it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QObject, QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.errors import InvalidInput
from modconsole.services.recognition import MemberHit
from modconsole.tasks import CancelToken, ProgressCallback
from ui.messages import present_failure
from ui.ops import MutationOp
from ui.push import push_op
from ui.recognition.backend import RecognitionBackend
from ui.recognition.models import ROW_ROLE, RowTableModel

__all__ = [
    "ErrorLabel",
    "MemberField",
    "NoteDialog",
    "make_table",
    "push_in_background",
    "queue_and_push",
    "selected_rows",
]

log = logging.getLogger("modconsole.ui.recognition")

ROW_HEIGHT = 24
STRETCH_MIN_WIDTH = 160  # a stretching column (a name, a reason) never gets narrower than this


def make_table(
    model: RowTableModel[Any],
    parent: QWidget | None = None,
    *,
    multi: bool = False,
    stretch: int | None = None,
) -> QTableView:
    """A read-only, sortable, row-selecting table; columns at least as wide as their headers.
    ``stretch``: the column that takes the spare width (default: the last one)."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setWordWrap(False)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    vh = view.verticalHeader()
    vh.setVisible(False)
    vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vh.setDefaultSectionSize(ROW_HEIGHT)
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setStretchLastSection(stretch is None)
    fm = hh.fontMetrics()
    for i, col in enumerate(model.columns):
        header = QCoreApplication.translate("Columns", col.header)
        view.setColumnWidth(i, max(col.width, fm.horizontalAdvance(header) + 26))
    if stretch is not None:
        _StretchColumn(view, stretch, min(view.columnWidth(stretch), STRETCH_MIN_WIDTH))
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    return view


class _StretchColumn(QObject):
    """Column ``column`` takes the spare width but never shrinks below ``minimum``: Qt's own
    ``Stretch`` mode squeezes a name column to "…" when a laptop screen leaves little room; here
    the table scrolls sideways instead."""

    def __init__(self, view: QTableView, column: int, minimum: int) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        self.minimum = minimum
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            view = self.view
            others = sum(
                view.columnWidth(i)
                for i in range(view.model().columnCount())
                if i != self.column and not view.isColumnHidden(i)
            )
            view.setColumnWidth(self.column, max(self.minimum, view.viewport().width() - others))
        return False


def selected_rows(view: QTableView) -> list[Any]:
    sel = view.selectionModel()
    return [i.data(ROW_ROLE) for i in sorted(sel.selectedRows(0), key=QModelIndex.row)]


class ErrorLabel(QLabel):
    """An inline, red, word-wrapped message (empty: hidden)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setProperty("role", "error")
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class MemberField(QLineEdit):
    """A member field completing over username, name and e-mail (prefix search in the cache)."""

    member_chosen = Signal(object)  # MemberHit

    def __init__(self, backend: RecognitionBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.setPlaceholderText(self.tr("Username, name or e-mail…"))
        self._hits: dict[str, MemberHit] = {}
        self._list = QStringListModel(self)
        self._completer = QCompleter(self._list, self)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self._completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(self._completer)
        self.textEdited.connect(self.search)
        self._completer.activated.connect(self._chosen)
        self.chosen: MemberHit | None = None

    @Slot(str)
    def search(self, text: str) -> None:
        self.chosen = None
        hits = self.backend.rec.search_members(text, limit=15)
        self._hits = {h.label: h for h in hits}
        self._list.setStringList(list(self._hits))

    def completions(self) -> list[str]:
        return list(self._list.stringList())

    @Slot(str)
    def _chosen(self, label: str) -> None:
        hit = self._hits.get(label)
        if hit is None:
            return
        self.choose(hit)

    def choose(self, hit: MemberHit) -> None:
        self.chosen = hit
        self.setText("@" + hit.username)
        self.member_chosen.emit(hit)

    def username(self) -> str:
        if self.chosen is not None:
            return self.chosen.username
        return self.text().strip().split(" ")[0].lstrip("@")


Submit = Callable[[str, Callable[[str], None], Callable[[], None]], None]
"""``submit(text, refused, done)``: start the action; call ``refused(message)`` or ``done()``."""


class NoteDialog(QDialog):
    """Asks for a note or a reason and keeps it until the action took it: ``check(text)`` (the
    core's own rule) runs before the dialog closes, then ``submit`` (the action itself); a problem
    or a refusal shows inside the dialog, the typed text stays, the dialog stays open."""

    def __init__(
        self,
        title: str,
        prompt: str,
        confirm: str,
        *,
        check: Callable[[str], str | None],
        submit: Submit | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self._check = check
        self._submit = submit
        text = QLabel(prompt)
        text.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("noteEditor")
        self.editor.setAccessibleName(title)
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(90)
        self.error = ErrorLabel(self)
        self.error.setObjectName("noteError")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(lambda: self.error.show_message(""))
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def text(self) -> str:
        return self.editor.toPlainText().strip()

    @Slot()
    def submit(self) -> None:
        text = self.text()
        problem = self._check(text)
        if problem:
            self.error.show_message(problem)
            self.editor.setFocus()
            return
        if self._submit is None:
            self.accept()
            return
        self.ok.setEnabled(False)

        def refused(message: str) -> None:
            self.ok.setEnabled(True)
            self.error.show_message(message)

        self._submit(text, refused, self.accept)


def push_in_background(backend: RecognitionBackend, pushed: Callable[[], None] | None = None) -> None:
    """Send what is queued through the session's push (``ui.push``), as its own writer op: the
    form that queued it has already closed, and an offline push never holds up the moderator.
    ``pushed`` runs after it (the push's changes refresh the pages either way)."""
    op = push_op(None, backend.push)
    if pushed is not None:
        op.success(lambda _outcome: pushed())
    op.run_in_background()


def queue_and_push(
    parent: QWidget,
    backend: RecognitionBackend,
    action: Callable[[], Any],
    *,
    done: Callable[[Any], None],
    refused: Callable[[str], None] | None = None,
    pushed: Callable[[], None] | None = None,
) -> None:
    """Run ``action`` (an outbox enqueue returning something with ``changes``) on the writer
    thread; on success call ``done`` and then push in the background (``pushed`` after it).
    A refusal goes to ``refused`` (the form stays open)."""

    def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, Any]:
        result = action()
        return getattr(result, "changes", Changes()), result

    def ok(result: Any) -> None:
        done(result)
        push_in_background(backend, pushed)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, InvalidInput) and refused is not None:
            refused(exc.user_message)
        else:
            present_failure(exc, parent=parent)

    MutationOp(parent, op=op, success=ok).failure(failed).run_in_background(initiator=parent)
