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

from PySide6.QtCore import QCoreApplication, Qt
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

from modconsole.i18n import QT_TRANSLATE_NOOP

__all__ = [
    "ACTIONS",
    "ActionSpec",
    "CheatSheet",
    "make_action",
    "menu_title",
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
    the one menus show), where the keys work, and a one-line description for the cheat sheet.
    ``text`` and ``help`` are English, marked for the catalogue (context ``Actions``); the menus
    and the cheat sheet show them translated (:meth:`title`, :meth:`description`)."""

    id: str
    menu: str
    text: str
    keys: tuple[str, ...] = ()
    scope: Scope = "window"
    help: str = ""

    def title(self) -> str:
        return QCoreApplication.translate("Actions", self.text)

    def description(self) -> str:
        return QCoreApplication.translate("Actions", self.help) if self.help else ""

    def key_text(self) -> str:
        """The keys as a person reads them ("J", "Return / Enter")."""
        return " / ".join(QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in self.keys)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "file.sync",
        "File",
        QT_TRANSLATE_NOOP("Actions", "Sync now"),
        ("Ctrl+R",),
        help=QT_TRANSLATE_NOOP("Actions", "Fetch what changed on the community"),
    ),
    ActionSpec("file.sign_out", "File", QT_TRANSLATE_NOOP("Actions", "Sign out")),
    ActionSpec("file.quit", "File", QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",)),
    ActionSpec(
        "queue.next",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Next question"),
        ("J",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Highlight the next question"),
    ),
    ActionSpec(
        "queue.previous",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Previous question"),
        ("K",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Highlight the previous one"),
    ),
    ActionSpec(
        "queue.open",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Open thread"),
        ("Return", "Enter"),
        "table",
        QT_TRANSLATE_NOOP("Actions", "Open the highlighted question"),
    ),
    ActionSpec(
        "queue.close",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Close thread"),
        ("Esc",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Back to the full-width queue"),
    ),
    ActionSpec(
        "queue.browser",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Open in browser"),
        ("O",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "The question on the community"),
    ),
    ActionSpec(
        "queue.search",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Search"),
        ("/",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Jump to the search box"),
    ),
    ActionSpec(
        "queue.table",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Go to the question list"),
        ("Ctrl+L",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Focus the table"),
    ),
    ActionSpec(
        "queue.assign_me",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Assign to me"),
        ("M",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Take the highlighted question"),
    ),
    ActionSpec(
        "queue.assign",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Assign…"),
        ("Shift+M",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Assign it to a teammate or a group, or unassign it"),
    ),
    ActionSpec(
        "queue.mine",
        "Queue",
        QT_TRANSLATE_NOOP("Actions", "Mine"),
        ("Ctrl+Shift+M",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Show the open questions assigned to you or your groups"),
    ),
    ActionSpec(
        "thread.next",
        "Thread",
        QT_TRANSLATE_NOOP("Actions", "Next reply"),
        ("N",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Select the next reply"),
    ),
    ActionSpec(
        "thread.previous",
        "Thread",
        QT_TRANSLATE_NOOP("Actions", "Previous reply"),
        ("P",),
        "page",
        QT_TRANSLATE_NOOP("Actions", "Select the previous reply"),
    ),
    ActionSpec(
        "thread.accept",
        "Thread",
        QT_TRANSLATE_NOOP("Actions", "Accept / unaccept reply"),
        ("A",),
        "page",
        QT_TRANSLATE_NOOP(
            "Actions", "Accept the selected reply of the highlighted question (unaccept when accepted)"
        ),
    ),
    ActionSpec(
        "thread.reply",
        "Thread",
        QT_TRANSLATE_NOOP("Actions", "Reply…"),
        ("R",),
        "page",
        QT_TRANSLATE_NOOP(
            "Actions",
            "Write a reply or a staff-only whisper to the open question (Ctrl+Enter sends, Esc closes)",
        ),
    ),
    ActionSpec("settings.sla", "Settings", QT_TRANSLATE_NOOP("Actions", "Response-time targets…")),
    ActionSpec(
        "help.shortcuts",
        "Help",
        QT_TRANSLATE_NOOP("Actions", "Keyboard shortcuts"),
        ("F1", "?"),
        help=QT_TRANSLATE_NOOP("Actions", "This list"),
    ),
    ActionSpec("help.about", "Help", QT_TRANSLATE_NOOP("Actions", "About")),
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


_GO_HELP = QT_TRANSLATE_NOOP("Actions", "Show the {page} page")
MENU_TITLES = (
    QT_TRANSLATE_NOOP("Menus", "&File"),
    QT_TRANSLATE_NOOP("Menus", "&Go"),
    QT_TRANSLATE_NOOP("Menus", "&Queue"),
    QT_TRANSLATE_NOOP("Menus", "&Thread"),
    QT_TRANSLATE_NOOP("Menus", "&Settings"),
    QT_TRANSLATE_NOOP("Menus", "&Help"),
)


def menu_title(menu: str) -> str:
    """A menu's title with its mnemonic (``File`` → ``&File``, ``&Datei``)."""
    title = "&" + menu  # marked in MENU_TITLES
    return QCoreApplication.translate("Menus", title)


def _display(action: ActionSpec) -> tuple[str, str]:
    """(text, description) of ``action`` in the language in force; a page's "Go" entry names
    the page as the navigation does."""
    if action.id.startswith("go."):
        page = QCoreApplication.translate("Pages", action.text)
        return page, QCoreApplication.translate("Actions", _GO_HELP).format(page=page)
    return action.title(), action.description()


def make_action(
    action: ActionSpec, parent: QWidget, slot: Callable[[], Any], *, text: str | None = None
) -> QAction:
    """A ``QAction`` for ``action`` with its keys and scope, triggering ``slot``. Add it to the
    widget its scope refers to (``widget.addAction``) and to its menu."""
    title, help_text = _display(action)
    qa = QAction(text or title, parent)
    qa.setObjectName(f"action:{action.id}")
    if action.keys:
        qa.setShortcuts([QKeySequence(k) for k in action.keys])
        qa.setShortcutContext(_CONTEXT[action.scope])
    if help_text:
        qa.setStatusTip(help_text)
        qa.setToolTip(f"{help_text} ({action.key_text()})" if action.keys else help_text)
    qa.triggered.connect(lambda _checked=False: slot())
    return qa


class CheatSheet(QDialog):
    """The keyboard shortcuts, grouped by menu, read from the same specs that bind them."""

    def __init__(self, actions: Sequence[ActionSpec], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [a for a in actions if a.keys]
        extra = (
            (
                self.tr("Focus"),
                self.tr("Next / previous control"),
                self.tr("Tab / Shift+Tab"),
                self.tr("Navigation → filters → list → thread"),
            ),
        )
        self.table = QTableWidget(len(rows) + len(extra), 3)
        self.table.setObjectName("cheatSheetTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action"), self.tr("Menu")])
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)  # the whole list fits, no scrolling
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        entries = [(menu_title(a.menu).replace("&", ""), *_display(a)) for a in rows]
        entries = [(m, t, a.key_text(), h) for (m, t, h), a in zip(entries, rows, strict=True)] + list(extra)
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
        note = QLabel(self.tr("Single-letter keys work on the queue page, not while typing in a text field."))
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
