"""The "Response-time targets" dialog: edit the business-hours SLA (:class:`SlaSettings`).

The dialog only builds and validates a new :class:`SlaSettings`; whoever opens it decides what
saving means (the main window stores the JSON in QSettings ``sla/json``, sets ``session.sla``
and re-renders the queue). Problems are shown inline, under the form, and keep the dialog open.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import Qt, QTime, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from modconsole.errors import InvalidInput
from modconsole.services.sla import SlaSettings
from modconsole.services.triage import FilterOption

__all__ = ["COMMON_TIMEZONES", "SlaDialog"]

COMMON_TIMEZONES = (
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Amsterdam",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "America/Mexico_City",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Pacific/Auckland",
)

EXPLANATION = "The clock runs from a question to the first reply by someone else, in working hours only."

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


class SlaDialog(QDialog):
    """Edit working time and first-response targets. Emits :attr:`saved` with the new settings."""

    saved = Signal(object)  # SlaSettings

    def __init__(
        self,
        settings: SlaSettings,
        categories: Sequence[FilterOption] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slaDialog")
        self.setWindowTitle("Response-time targets")
        self._categories = list(categories)
        self._result: SlaSettings | None = None

        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setProperty("role", "muted")

        # -- working days
        self.day_boxes: list[QCheckBox] = []
        days_row = QHBoxLayout()
        days_row.setContentsMargins(0, 0, 0, 0)
        for i, name in enumerate(_DAYS):
            box = QCheckBox(name)
            box.setChecked(i in settings.workdays)
            self.day_boxes.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)
        days = QWidget()
        days.setLayout(days_row)

        # -- working hours
        self.start_edit = QTimeEdit(_qtime(settings.day_start))
        self.end_edit = QTimeEdit(_qtime(settings.day_end))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        hours_row = QHBoxLayout()
        hours_row.setContentsMargins(0, 0, 0, 0)
        hours_row.addWidget(self.start_edit)
        hours_row.addWidget(QLabel("to"))
        hours_row.addWidget(self.end_edit)
        hours_row.addStretch(1)
        hours = QWidget()
        hours.setLayout(hours_row)

        # -- time zone
        self.timezone_box = QComboBox()
        self.timezone_box.setObjectName("slaTimezone")
        self.timezone_box.setEditable(True)
        self.timezone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_box.addItems(list(COMMON_TIMEZONES))
        self.timezone_box.setCurrentText(settings.timezone)
        self.timezone_box.setToolTip("An IANA time zone name, such as Europe/Berlin")

        # -- holidays
        self.holidays_edit = QPlainTextEdit()
        self.holidays_edit.setObjectName("slaHolidays")
        self.holidays_edit.setPlaceholderText("One date per line, e.g. 2026-12-25")
        self.holidays_edit.setPlainText("\n".join(sorted(d.isoformat() for d in settings.holidays)))
        self.holidays_edit.setFixedHeight(80)

        # -- targets
        self.default_target = QDoubleSpinBox()
        self.default_target.setObjectName("slaDefaultTarget")
        self.default_target.setRange(0.25, 10_000)
        self.default_target.setDecimals(2)
        self.default_target.setSingleStep(1)
        self.default_target.setSuffix(" business hours")
        self.default_target.setValue(settings.default_target_hours)

        self.category_table = QTableWidget(len(self._categories), 2)
        self.category_table.setObjectName("slaCategoryTargets")
        self.category_table.setHorizontalHeaderLabels(["Category", "Target (hours; blank = default)"])
        self.category_table.verticalHeader().hide()
        self.category_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.category_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        for row, cat in enumerate(self._categories):
            name_cell = QTableWidgetItem(cat.name)
            name_cell.setFlags(name_cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name_cell.setData(Qt.ItemDataRole.UserRole, cat.id)
            hours_value = settings.category_targets.get(cat.id)
            target = QTableWidgetItem("" if hours_value is None else f"{hours_value:g}")
            self.category_table.setItem(row, 0, name_cell)
            self.category_table.setItem(row, 1, target)
        self.category_table.setMinimumHeight(120)
        # Targets for categories no longer in the cache are kept as they are.
        shown = {c.id for c in self._categories}
        self._hidden_targets = {k: v for k, v in settings.category_targets.items() if k not in shown}

        self.due_soon = QSpinBox()
        self.due_soon.setObjectName("slaDueSoon")
        self.due_soon.setRange(0, 99)
        self.due_soon.setSuffix(" % of the target left")
        self.due_soon.setValue(round(settings.due_soon_fraction * 100))

        form = QFormLayout()
        form.addRow("Working days", days)
        form.addRow("Working hours", hours)
        form.addRow("Time zone", self.timezone_box)
        form.addRow("Holidays", self.holidays_edit)
        form.addRow("First response within", self.default_target)
        form.addRow("Per category", self.category_table)
        form.addRow("“Due soon” from", self.due_soon)

        self.error_label = QLabel("")
        self.error_label.setObjectName("slaError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a12a1c;")
        self.error_label.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(560, 620)

        self.timezone_box.editTextChanged.connect(self._check_live)
        for edit in (self.start_edit, self.end_edit):
            edit.timeChanged.connect(self._check_live)
        for box in self.day_boxes:
            box.toggled.connect(self._check_live)

    # ------------------------------------------------------------ reading the form

    def settings(self) -> SlaSettings:
        """The settings the form describes; raises :class:`InvalidInput` with a message to show."""
        zone = self.timezone_box.currentText().strip()
        if not _valid_zone(zone):
            raise InvalidInput(f"“{zone}” is not a known time zone (use a name like Europe/Berlin).")
        holidays: set[date] = set()
        for n, line in enumerate(self.holidays_edit.toPlainText().splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                holidays.add(date.fromisoformat(text))
            except ValueError:
                raise InvalidInput(
                    f"Holiday line {n} (“{text}”) is not a date; write it as YYYY-MM-DD."
                ) from None
        targets: dict[int, float] = dict(self._hidden_targets)
        for row in range(self.category_table.rowCount()):
            name_item = self.category_table.item(row, 0)
            value_item = self.category_table.item(row, 1)
            if name_item is None:
                continue
            cid = int(name_item.data(Qt.ItemDataRole.UserRole))
            text = value_item.text().strip().replace(",", ".") if value_item is not None else ""
            if not text:
                targets.pop(cid, None)
                continue
            try:
                hours = float(text)
            except ValueError:
                hours = -1.0
            if not 0 < hours < float("inf"):
                raise InvalidInput(
                    f"The target for {name_item.text()} must be a positive number of hours, or blank."
                )
            targets[cid] = hours
        start, end = self.start_edit.time(), self.end_edit.time()
        return SlaSettings(
            timezone=zone,
            workdays=frozenset(i for i, box in enumerate(self.day_boxes) if box.isChecked()),
            day_start=time(start.hour(), start.minute()),
            day_end=time(end.hour(), end.minute()),
            default_target_hours=float(self.default_target.value()),
            category_targets=targets,
            due_soon_fraction=self.due_soon.value() / 100,
            holidays=frozenset(holidays),
        )

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot()
    def _check_live(self, *_args: object) -> None:
        """Quick checks while editing (the full check runs on Save)."""
        zone = self.timezone_box.currentText().strip()
        if not _valid_zone(zone):
            self._show_error(f"“{zone}” is not a known time zone.")
        elif not any(box.isChecked() for box in self.day_boxes):
            self._show_error("Choose at least one working day.")
        elif self.end_edit.time() <= self.start_edit.time():
            self._show_error("The working day must end after it starts.")
        else:
            self._show_error("")

    # ------------------------------------------------------------ result

    @property
    def result_settings(self) -> SlaSettings | None:
        """The saved settings (after Save), else ``None``."""
        return self._result

    @Slot()
    def accept(self) -> None:
        try:
            result = self.settings()
        except InvalidInput as exc:
            self._show_error(exc.user_message)
            return
        self._result = result
        self._show_error("")
        self.saved.emit(result)
        super().accept()
