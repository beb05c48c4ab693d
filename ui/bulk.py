"""Bulk actions on a multi-selection (issue #14.4): the bar over a list, the dry-run question, the
queueing, and the undo offer.

``BulkBar`` shows "12 selected" and one button per bulk action when two or more rows are selected.
A button asks the core for a dry run (:meth:`modconsole.services.bulk.BulkService.plan`, local,
off the GUI thread) and shows it — "Nudge 9 askers? 3 skipped: already reminded this week (3)" —
before anything is queued; **Queue** queues (a ``MutationOp``, so the views refresh from its
``Changes``), nothing is sent at once: the next push delivers it, and until then the undo toast
and Ctrl+Z take it back (the outbox's Discard, in the journal). Snoozes are local: undone by
unsnoozing.

The actions listed are the ones the service has registered (``BulkService.actions``), so an action
added there (assign) gets its button once its label is in :data:`ACTION_LABELS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.bulk import BulkPlan, BulkResult, BulkService
from ui.i18n import core_text
from ui.ops import MutationOp, QueryOp

__all__ = ["ACTION_LABELS", "BulkBar", "BulkTexts", "confirm_text", "result_text"]

ACTION_LABELS: dict[str, str] = {
    "assign": QT_TRANSLATE_NOOP("Bulk", "Assign…"),
    "nudge": QT_TRANSLATE_NOOP("Bulk", "Nudge…"),
    "snooze": QT_TRANSLATE_NOOP("Bulk", "Snooze 7 days…"),
    "close": QT_TRANSLATE_NOOP("Bulk", "Close…"),
}
"""Button labels of the question actions, in the order shown (context "Bulk")."""


class BulkTexts(QObject):
    """The counted texts (lupdate finds plural forms only in a QObject's ``self.tr``)."""

    def confirm(self, plan: BulkPlan, action_label: str) -> str:
        n = len(plan.targets)
        if plan.action == "nudge":
            head = self.tr("Nudge %n asker(s)?", "", n)
        elif plan.action == "snooze":
            head = self.tr("Snooze %n question(s) for {days} days?", "", n).format(
                days=plan.params.get("days", 7)
            )
        elif plan.action == "close":
            head = self.tr("Close %n topic(s)?", "", n)
        elif plan.action == "review":
            head = self.tr("“{action}” for %n item(s)?", "", n).format(action=action_label)
        else:
            head = self.tr("{action} for %n item(s)?", "", n).format(action=action_label or plan.action)
        if not plan.skipped:
            return head
        reasons = ", ".join(f"{core_text(reason)} ({count})" for reason, count in plan.reasons())
        return head + " " + self.tr("%n skipped: {reasons}.", "", len(plan.skipped)).format(reasons=reasons)

    def result(self, result: BulkResult) -> str:
        if result.snoozed:
            text = self.tr("Snoozed %n question(s).", "", len(result.snoozed))
        else:
            text = self.tr("Queued %n action(s); they are sent with the next push.", "", len(result.op_uuids))
        if result.refused:
            text += " " + self.tr("%n refused (the state changed meanwhile).", "", len(result.refused))
        return text

    def selected(self, n: int) -> str:
        return self.tr("%n selected", "", n)


_TEXTS: list[BulkTexts] = []


def _texts() -> BulkTexts:
    if not _TEXTS:
        _TEXTS.append(BulkTexts())
    return _TEXTS[0]


def confirm_text(plan: BulkPlan, action_label: str = "") -> str:
    """The dry run in words: "Nudge 9 askers? 3 skipped: already reminded this week (3)."."""
    return _texts().confirm(plan, action_label)


def result_text(result: BulkResult) -> str:
    return _texts().result(result)


class BulkBar(QFrame):
    """``n selected`` and one button per bulk action; hidden below two selected rows.

    ``selection`` returns the selected targets (topic or review item ids); ``params`` gives an
    action's parameters (the review action chosen, …). ``done(BulkResult)`` follows a queueing."""

    done = Signal(object)
    shown = Signal(bool)

    def __init__(
        self,
        service: Callable[[], BulkService | None],
        selection: Callable[[], Sequence[int]],
        parent: QWidget | None = None,
        *,
        choice: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("bulkBar")
        self._service = service
        self._selection = selection
        self.count_label = QLabel("")
        self.count_label.setObjectName("bulkCount")
        self.buttons: dict[str, QPushButton] = {}
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self._layout.addWidget(self.count_label)
        self._layout.addStretch(1)
        # choice=True: the actions in a list and one Apply… button (many actions, little room)
        self.choice: QComboBox | None = None
        self.apply_button: QPushButton | None = None
        self._actions: list[tuple[str, str, dict[str, Any]]] = []
        if choice:
            self.choice = QComboBox()
            self.choice.setObjectName("bulkChoice")
            self.choice.setAccessibleName(self.tr("Action for the selected items"))
            self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.choice.setMinimumContentsLength(8)
            self.apply_button = QPushButton(self.tr("Apply…"))
            self.apply_button.setObjectName("bulkApply")
            self.apply_button.clicked.connect(self._apply_choice)
            self._layout.addWidget(self.choice)
            self._layout.addWidget(self.apply_button)
        self.last_plan: BulkPlan | None = None
        self.confirm: Callable[[str], bool] = self._ask
        """Asks the dry-run question; tests replace it to answer."""
        self.hide()

    def set_actions(self, actions: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        """The buttons: (key, label shown, parameters); the key's action is ``params["action"]``
        or the key itself."""
        self._actions = list(actions)
        if self.choice is not None:
            current = self.choice.currentData()
            self.choice.clear()
            for key, label, _params in actions:
                self.choice.addItem(label.rstrip("…"), key)
            self.choice.setCurrentIndex(max(0, self.choice.findData(current)))
            return
        for b in self.buttons.values():
            b.deleteLater()
        self.buttons = {}
        for key, label, params in actions:
            b = QPushButton(label)
            b.setObjectName(f"bulk_{key}")
            b.clicked.connect(lambda _c=False, k=key, lb=label, p=params: self.run(k, lb, p))
            self._layout.addWidget(b)
            self.buttons[key] = b

    def choose(self, key: str) -> None:
        if self.choice is not None:
            self.choice.setCurrentIndex(self.choice.findData(key))

    @Slot()
    def _apply_choice(self) -> None:
        key = self.choice.currentData() if self.choice is not None else None
        for k, label, params in self._actions:
            if k == key:
                self.run(k, label, params)

    def update_count(self) -> None:
        n = len(self._selection())
        self.count_label.setText(_texts().selected(n))
        visible = n >= 2
        self.setVisible(visible)
        self.shown.emit(visible)

    # ------------------------------------------------------------ dry run, then queue

    def run(self, key: str, label: str, params: dict[str, Any]) -> None:
        service = self._service()
        ids = list(self._selection())
        if service is None or not ids:
            return
        action = str(params.get("action", key))
        options = {k: v for k, v in params.items() if k != "action"}
        QueryOp(
            self,
            op=lambda _t: service.plan(action, ids, **options),
            success=lambda plan: self._planned(service, plan, label),
        ).run_in_background()

    def _planned(self, service: BulkService, plan: BulkPlan, label: str) -> None:
        self.last_plan = plan
        question = confirm_text(plan, label.rstrip("…"))
        if not plan.targets:
            QMessageBox.information(self, self.tr("Nothing to do"), question)
            return
        if not self.confirm(question):
            return

        def apply(_t: Any, _p: Any) -> tuple[Any, BulkResult]:
            result = service.apply(plan)
            return result.changes, result

        MutationOp(self, op=apply, success=self.done.emit).run_in_background(initiator=self)

    @Slot(str)
    def _ask(self, question: str) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Bulk action"),
            question,
            parent=self,
        )
        queue = box.addButton(self.tr("Queue"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(queue)
        box.exec()
        return box.clickedButton() is queue
