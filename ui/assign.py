"""Claim / assign in the console (issue 14 part 2): who holds a question, and assigning it.

* :func:`holder_badge` — a small pill with the holder's name, drawn before a question's title in the
  queue (:mod:`ui.queue.model`); mine in the accent colour; a queued (not yet sent) one in italics.
* :class:`AssignDialog` — the picker: me, a teammate (staff, from the cache) or a group, typed to
  filter, Enter to assign; Unassign when someone holds it; an optional note for the assignee.
* :class:`Assigner` — the actions every page shares: assign to me (one key, ``M``), the picker
  (``Shift+M``); each is saved to the outbox and pushed through the one push policy.
* :class:`AssignStrip` — the thread's line: "Assigned to @alice" with *Assign to me* and *Assign…*.

Everything goes through :class:`modconsole.services.assign.AssignService` (offline first).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.assign import AssignService, Holder
from ui import theme
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.push import PushFn, push_op

__all__ = ["AssignDialog", "AssignStrip", "Assigner", "holder_badge", "holder_text"]

_BADGE_MAX = 110  # px: a long name is elided inside the pill
_badges: dict[tuple[str, str, bool, bool, str], QPixmap] = {}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Assign", text)


NOT_ASSIGNED = QT_TRANSLATE_NOOP("Assign", "Not assigned")
ASSIGNED_TO = QT_TRANSLATE_NOOP("Assign", "Assigned to {who}")
ASSIGNED_QUEUED = QT_TRANSLATE_NOOP("Assign", "Assigned to {who} — queued, not sent yet")
TOPIC_N = QT_TRANSLATE_NOOP("Assign", "topic {id}")


def holder_text(h: Holder | None) -> str:
    """ "Assigned to @alice" (and whether that is still queued), in words."""
    if h is None:
        return _tr(NOT_ASSIGNED)
    if h.pending:
        return _tr(ASSIGNED_QUEUED).format(who=h.label)
    return _tr(ASSIGNED_TO).format(who=h.label)


def holder_badge(h: Holder, font: QFont | None = None) -> QPixmap:
    """A rounded pill with the holder's name (cached per name, kind, state and palette)."""
    pal = theme.current()
    key = (h.label, pal.name, h.mine, h.pending, "g" if h.group else "u")
    hit = _badges.get(key)
    if hit is not None:
        return hit
    f = QFont(font) if font is not None else QFont()
    f.setPointSizeF(max(7.0, f.pointSizeF() * 0.85))
    f.setItalic(h.pending)
    fm = QFontMetrics(f)
    text = fm.elidedText(h.label, Qt.TextElideMode.ElideRight, _BADGE_MAX)
    w, ht = fm.horizontalAdvance(text) + 12, fm.height() + 4
    pm = QPixmap(w, ht)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(pal.accent if h.mine else pal.accent_soft)
    border = QColor(pal.accent)
    pen = QPen(border)
    if h.pending:
        pen.setStyle(Qt.PenStyle.DashLine)
    p.setPen(pen)
    p.setBrush(fill if not h.group or h.mine else QColor(pal.raised))
    p.drawRoundedRect(QRect(0, 0, w - 1, ht - 1), ht / 2, ht / 2)
    p.setPen(QColor(pal.on_accent if h.mine else pal.text))
    p.setFont(f)
    p.drawText(QRect(0, 0, w, ht), int(Qt.AlignmentFlag.AlignCenter), text)
    p.end()
    _badges[key] = pm
    return pm


# ---------------------------------------------------------------- the picker


class AssignDialog(QDialog):
    """Pick who takes a question: me, a teammate or a group. Type to filter; Enter assigns."""

    def __init__(
        self,
        title: str,
        *,
        me: str,
        teammates: list[str],
        groups: list[str],
        holder: Holder | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle(self.tr("Assign"))
        self.choice: tuple[str, str] | None = None  # ("user" | "group" | "unassign", name)
        heading = QLabel(self.tr("Who takes “{title}”?").format(title=title))
        heading.setWordWrap(True)
        self.current = QLabel(holder_text(holder))
        self.current.setProperty("role", "muted")
        self.filter = QLineEdit()
        self.filter.setObjectName("assignFilter")
        self.filter.setPlaceholderText(self.tr("Type a name or a group…"))
        self.filter.setAccessibleName(self.tr("Filter teammates and groups"))
        self.list = QListWidget()
        self.list.setObjectName("assignChoices")
        self.list.setAccessibleName(self.tr("Teammates and groups"))
        entries: list[tuple[str, str, str]] = [("user", me, self.tr("Me (@{name})").format(name=me))]
        entries += [("user", u, f"@{u}") for u in teammates if u.lower() != me.lower()]
        entries += [("group", g, self.tr("Group: {name}").format(name=g)) for g in groups]
        for kind, name, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (kind, name))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.note = QLineEdit()
        self.note.setObjectName("assignNote")
        self.note.setPlaceholderText(self.tr("Note for the assignee (optional)"))
        self.note.setAccessibleName(self.tr("Note for the assignee"))
        self.buttons = QDialogButtonBox()
        self.assign_button = self.buttons.addButton(self.tr("Assign"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.unassign_button = self.buttons.addButton(
            self.tr("Unassign"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.unassign_button.setEnabled(holder is not None)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.assign_button.setDefault(True)
        self.assign_button.clicked.connect(self._assign)
        self.unassign_button.clicked.connect(self._unassign)
        self.buttons.rejected.connect(self.reject)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)
        self.filter.returnPressed.connect(self._assign)  # Enter in the box assigns the highlighted one
        self.list.itemActivated.connect(lambda _i: self._assign())
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.current)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.resize(380, 420)
        self.filter.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up / Down in the filter move through the list (the keyboard never leaves the box)."""
        keys = (Qt.Key.Key_Down, Qt.Key.Key_Up)
        if watched is self.filter and isinstance(event, QKeyEvent) and event.key() in keys:
            if event.type() != QEvent.Type.KeyPress:
                return True
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            rows = [i for i in range(self.list.count()) if not self.list.item(i).isHidden()]
            if rows:
                cur = self.list.currentRow()
                at = rows.index(cur) if cur in rows else -1
                self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, at + step))])
            return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        needle = text.strip().lstrip("@").lower()
        first = -1
        for i in range(self.list.count()):
            item = self.list.item(i)
            _kind, name = item.data(Qt.ItemDataRole.UserRole)
            hidden = bool(needle) and needle not in name.lower() and needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first < 0:
                first = i
        if first >= 0:
            self.list.setCurrentRow(first)
        self.assign_button.setEnabled(first >= 0)

    def _assign(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden() or self.choice is not None:
            return
        self.choice = tuple(item.data(Qt.ItemDataRole.UserRole))  # type: ignore[assignment]
        self.accept()

    def _unassign(self) -> None:
        if self.choice is not None:
            return
        self.choice = ("unassign", "")
        self.accept()


# ---------------------------------------------------------------- the shared actions


class Assigner(QObject):
    """Assign a topic from any page: to me, or to whom the picker says; saved, then pushed."""

    done = Signal(int)  # the topic, once the action is queued, and again once the push is over

    def __init__(self, parent: QWidget, service: AssignService | None, push_fn: PushFn | None) -> None:
        super().__init__(parent)
        self.view = parent
        self.service = service
        self.push_fn = push_fn
        self.dialog: AssignDialog | None = None

    def assign_to_me(self, topic_id: int | None) -> bool:
        if topic_id is None or self.service is None:
            return False
        service = self.service
        self._run(topic_id, lambda: service.assign(topic_id))
        return True

    def pick(self, topic_id: int | None, title: str = "") -> AssignDialog | None:
        """Open the picker for ``topic_id`` (non-modal, so tests and the keyboard drive it)."""
        if topic_id is None or self.service is None:
            return None
        service = self.service
        dlg = AssignDialog(
            title or _tr(TOPIC_N).format(id=topic_id),
            me=service.me,
            teammates=service.teammates(),
            groups=service.groups(),
            holder=service.holder(topic_id),
            parent=self.view,
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def chosen(result: int) -> None:
            self.dialog = None
            choice, note = dlg.choice, dlg.note.text().strip() or None
            if result != QDialog.DialogCode.Accepted or choice is None:
                return
            kind, name = choice
            if kind == "unassign":
                self._run(topic_id, lambda: service.unassign(topic_id))
            elif kind == "group":
                self._run(topic_id, lambda: service.assign(topic_id, group=name, note=note))
            else:
                self._run(topic_id, lambda: service.assign(topic_id, to=name, note=note))

        dlg.finished.connect(chosen)
        self.dialog = dlg
        dlg.open()
        dlg.activateWindow()  # the keyboard goes to the picker's filter at once
        dlg.filter.setFocus(Qt.FocusReason.ActiveWindowFocusReason)
        return dlg

    def _run(self, topic_id: int, enqueue: Callable[[], Any]) -> None:
        push = self.push_fn

        def op(_token: Any, _progress: Any) -> tuple[Changes, Any]:
            q = enqueue()
            return q.changes, q

        def queued(_value: Any) -> None:
            self.done.emit(topic_id)
            if push is not None:
                push_op(self.view, push).success(lambda _o: self.done.emit(topic_id)).run_in_background(
                    initiator=self.view
                )

        MutationOp(self.view, op=op).success(queued).run_in_background(initiator=self.view)


# ---------------------------------------------------------------- the thread's line


class AssignStrip(QWidget):
    """Who holds the open question, with *Assign to me* and *Assign…* (the same keys as the menu)."""

    def __init__(self, assigner: Assigner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignStrip")
        self.assigner = assigner
        self.topic_id: int | None = None
        self.title = ""
        self.label = QLabel(holder_text(None))
        self.label.setObjectName("assignHolder")
        self.label.setProperty("role", "muted")
        self.label.setWordWrap(True)  # a narrow thread pane: the name wraps, the pane keeps its width
        self.me_button = QPushButton(self.tr("Assign to me"))
        self.me_button.setObjectName("assignMe")
        self.me_button.setToolTip(self.tr("Take this question (M)"))
        self.pick_button = QPushButton(self.tr("Assign…"))
        self.pick_button.setObjectName("assignPick")
        self.pick_button.setToolTip(self.tr("Assign it to a teammate or a group, or unassign it (Shift+M)"))
        self.me_button.clicked.connect(lambda: self.assigner.assign_to_me(self.topic_id))
        self.pick_button.clicked.connect(lambda: self.assigner.pick(self.topic_id, self.title))
        # the holder, then the buttons under it at the right: a narrow thread pane keeps its width
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(self.label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.me_button)
        buttons.addWidget(self.pick_button)
        col.addLayout(buttons)
        self.set_topic(None)
        self._watcher = ChangeWatcher(self, kinds=("topics", "outbox"), refresh=lambda _c: self.reload())

    def set_topic(self, topic_id: int | None, title: str = "") -> None:
        self.topic_id, self.title = topic_id, title
        enabled = topic_id is not None and self.assigner.service is not None
        self.me_button.setEnabled(enabled)
        self.pick_button.setEnabled(enabled)
        self.reload()

    def reload(self) -> None:
        service, topic_id = self.assigner.service, self.topic_id
        if service is None or topic_id is None:
            self.label.setText("")
            return

        def show(h: Holder | None) -> None:
            if self.topic_id == topic_id:
                self.label.setText(holder_text(h))
                self.label.setToolTip(holder_text(h))
                self.me_button.setEnabled(not (h is not None and h.mine and not h.group))

        QueryOp(self, op=lambda _t: service.holder(topic_id), success=show).run_in_background()
