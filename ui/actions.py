"""Every keyboard action of the console in one place: its menu, its text, its keys, its scope.

The menu bar, the shortcuts and the cheat sheet (F1 / ``?``) are all built from :data:`ACTIONS`
(plus one "Go" entry per page, :func:`page_actions`), so a key cannot be documented in one place
and bound differently in another.

Scopes say where a key works, so single-letter keys never fire while the moderator types:

- ``window``: anywhere in the main window (Ctrl+1…, F1, Ctrl+R);
- ``page``: anywhere on the page that owns the action, except in text fields, which take
  printable keys for themselves (``j``, ``a`` …);
- ``table``: only while the queue table has the focus (Enter, which lists use for themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "ACTIONS",
    "ActionSpec",
    "CheatSheet",
    "make_action",
    "page_actions",
    "spec",
]

Scope = Literal["window", "page", "table"]

_CONTEXT: dict[str, Qt.ShortcutContext] = {
    "window": Qt.ShortcutContext.WindowShortcut,
    "page": Qt.ShortcutContext.WidgetWithChildrenShortcut,
    "table": Qt.ShortcutContext.WidgetShortcut,
}


@dataclass(frozen=True)
class ActionSpec:
    """One action: ``id`` (``menu.name``), the menu it sits in, its text, its keys (the first is
    the one menus show), where the keys work, and a one-line description for the cheat sheet."""

    id: str
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    scope: Scope = "window"
    help: str = ""

    def key_text(self) -> str:
        """The keys as a person reads them ("J", "Return / Enter")."""
        return " / ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("file.sync", "File", "Sync now", ("Ctrl+R",), help="Fetch what changed on the community"),
    ActionSpec("file.sign_out", "File", "Sign out"),
    ActionSpec("file.quit", "File", "Quit", ("Ctrl+Q",)),
    ActionSpec("queue.next", "Queue", "Next question", ("J",), "page", "Highlight the next question"),
    ActionSpec("queue.previous", "Queue", "Previous question", ("K",), "page", "Highlight the previous one"),
    ActionSpec(
        "queue.open", "Queue", "Open thread", ("Return", "Enter"), "table", "Open the highlighted question"
    ),
    ActionSpec("queue.close", "Queue", "Close thread", ("Esc",), "page", "Back to the full-width queue"),
    ActionSpec("queue.browser", "Queue", "Open in browser", ("O",), "page", "The question on the community"),
    ActionSpec("queue.search", "Queue", "Search", ("/",), "page", "Jump to the search box"),
    ActionSpec("queue.table", "Queue", "Go to the question list", ("Ctrl+L",), "page", "Focus the table"),
    ActionSpec("thread.next", "Thread", "Next reply", ("N",), "page", "Select the next reply"),
    ActionSpec("thread.previous", "Thread", "Previous reply", ("P",), "page", "Select the previous reply"),
    ActionSpec(
        "thread.accept",
        "Thread",
        "Accept / unaccept reply",
        ("A",),
        "page",
        "Accept the selected reply of the highlighted question (unaccept when accepted)",
    ),
    ActionSpec("settings.sla", "Settings", "Response-time targets…"),
    ActionSpec("help.shortcuts", "Help", "Keyboard shortcuts", ("F1", "?"), help="This list"),
    ActionSpec("help.about", "Help", "About"),
)

_BY_ID = {a.id: a for a in ACTIONS}


def spec(action_id: str) -> ActionSpec:
    return _BY_ID[action_id]


def page_actions(names: Iterable[str]) -> list[ActionSpec]:
    """One "Go" entry per page: Ctrl+1 for the first, Ctrl+2 for the second, … (up to 9)."""
    out = []
    for i, name in enumerate(names, start=1):
        keys = (f"Ctrl+{i}",) if i <= 9 else ()
        out.append(ActionSpec(f"go.{name}", "Go", name, keys, "window", f"Show the {name} page"))
    return out


def make_action(
    action: ActionSpec, parent: QWidget, slot: Callable[[], Any], *, text: str | None = None
) -> QAction:
    """A ``QAction`` for ``action`` with its keys and scope, triggering ``slot``. Add it to the
    widget its scope refers to (``widget.addAction``) and to its menu."""
    qa = QAction(text or action.text, parent)
    qa.setObjectName(f"action:{action.id}")
    if action.keys:
        qa.setShortcuts([QKeySequence(k) for k in action.keys])
        qa.setShortcutContext(_CONTEXT[action.scope])
    if action.help:
        qa.setStatusTip(action.help)
        qa.setToolTip(f"{action.help} ({action.key_text()})" if action.keys else action.help)
    qa.triggered.connect(lambda _checked=False: slot())
    return qa


class CheatSheet(QDialog):
    """The keyboard shortcuts, grouped by menu, read from the same specs that bind them."""

    def __init__(self, actions: Sequence[ActionSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle("Keyboard shortcuts")
        rows = [a for a in actions if a.keys]
        extra = (
            ("Focus", "Next / previous control", "Tab / Shift+Tab", "Navigation → filters → list → thread"),
        )
        self.table = QTableWidget(len(rows) + len(extra), 3)
        self.table.setObjectName("cheatSheetTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(["Keys", "Action", "Menu"])
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)  # the whole list fits, no scrolling
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        entries = [(a.menu, a.text, a.key_text(), a.help) for a in rows] + list(extra)
        for r, (menu, text, keys, help_text) in enumerate(entries):
            for c, value in enumerate((keys, text, menu)):
                item = QTableWidgetItem(value)
                if help_text:
                    item.setToolTip(help_text)
                self.table.setItem(r, c, item)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("Single-letter keys work on the queue page, not while typing in a text field.")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        rows_height = (len(entries) + 1) * vh.defaultSectionSize() + 110
        self.resize(560, min(rows_height, 660))

    def shortcuts(self) -> list[tuple[str, str]]:
        """(keys, action) as listed, for tests and screen readers."""
        out = []
        for r in range(self.table.rowCount()):
            keys, text = self.table.item(r, 0), self.table.item(r, 1)
            if keys is not None and text is not None:
                out.append((keys.text(), text.text()))
        return out
