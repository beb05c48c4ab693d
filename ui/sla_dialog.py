"""The "Response-time targets" dialog: edit the business-hours SLA (:class:`SlaSettings`).

The calendar lives in the settings registry (:data:`modconsole.settings.SLA`, in the community's
cache), so the queue and the dashboard read the same one. The dialog loads it (and the categories)
with a :class:`QueryOp`; Save validates the form and stores it in a :class:`MutationOp` on the
writer that returns ``Changes(settings=True, kpis=True)`` — the dashboard refreshes through its
ChangeWatcher, and :attr:`SlaDialog.saved` lets the main window re-render the queue at once.
Problems are shown inline, under the form, and keep the dialog open.

Public holidays come from the ``holidays`` package: pick a country and, where its regions differ,
a region; the calendar stores the codes and the days are computed for the years needed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication, QDate, QLocale, QSettings, Qt, QTime, Signal, Slot
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
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from modconsole import clock
from modconsole import settings as registry
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.errors import InvalidInput, ModConsoleError
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services import triage
from modconsole.services.sla import SlaSettings, countries, public_holidays, subdivisions
from modconsole.services.triage import FilterOption
from modconsole.tasks import CancelToken, ProgressCallback
from ui.i18n import core_text
from ui.messages import present_failure
from ui.ops import MutationOp, QueryOp

__all__ = ["COMMON_TIMEZONES", "LEGACY_KEY", "SlaDialog", "load_sla", "migrate_legacy_sla", "save_sla"]

LEGACY_KEY = "sla/json"
"""Where versions before the settings registry kept the calendar (QSettings, ``ui.ini``)."""

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

log = logging.getLogger("modconsole.ui.sla")

EXPLANATION = QT_TRANSLATE_NOOP(
    "SlaDialog", "The clock runs from a question to the first reply by someone else, in working hours only."
)


def _qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


@dataclass(frozen=True)
class _Loaded:
    settings: SlaSettings
    categories: tuple[FilterOption, ...]


def load_sla(cache: Cache) -> SlaSettings:
    """The stored SLA calendar (worker thread)."""
    return registry.load(cache, registry.SLA)


def migrate_legacy_sla(ui: QSettings, cache: Cache) -> bool:
    """Move a calendar that an older version kept in ``ui.ini`` (``sla/json``) into ``cache``'s
    registry, once: the first cache opened after the update takes it unless it already has a
    calendar of its own, and the old entry is removed either way, so it is never read again.
    True when a calendar was moved. Runs on the worker that opens the session."""
    raw = ui.value(LEGACY_KEY)
    if raw is None:
        return False
    moved = False
    try:
        sla = SlaSettings.from_json(str(raw))
    except InvalidInput as exc:
        log.warning("the SLA calendar in ui.ini is not valid and was dropped: %s", exc.user_message)
    else:
        with cache.write() as conn:
            if registry.updated_at(conn, registry.SLA) is None:
                registry.put(conn, registry.SLA, sla)
                moved = True
    ui.remove(LEGACY_KEY)
    ui.sync()
    return moved


def save_sla(cache: Cache, sla: SlaSettings) -> Changes:
    """Store ``sla`` in the registry (writer thread); the dashboard's figures change with it."""
    registry.store(cache, registry.SLA, sla)
    return Changes(settings=True, kpis=True)


class SlaDialog(QDialog):
    """``SlaDialog(cache, parent)``: edit working time, holidays and first-response targets.

    Loads the stored calendar on construction; :attr:`saved` carries the new settings once they
    are stored (then the dialog accepts)."""

    saved = Signal(object)  # SlaSettings
    loaded = Signal()

    def __init__(self, cache: Cache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("slaDialog")
        self.setWindowTitle(self.tr("Response-time targets"))
        self.cache = cache
        self.loaded_settings: SlaSettings | None = None
        self._categories: list[FilterOption] = []
        self._hidden_targets: dict[int, float] = {}
        self._result: SlaSettings | None = None
        self._saving = False

        explanation = QLabel(self.tr(EXPLANATION))
        explanation.setWordWrap(True)
        explanation.setProperty("role", "muted")

        # -- working days
        self.day_boxes: list[QCheckBox] = []
        days_row = QHBoxLayout()
        days_row.setContentsMargins(0, 0, 0, 0)
        for day in range(1, 8):  # Monday … Sunday, as the language abbreviates them
            box = QCheckBox(QLocale().dayName(day, QLocale.FormatType.ShortFormat))
            self.day_boxes.append(box)
            days_row.addWidget(box)
        days_row.addStretch(1)
        days = QWidget()
        days.setLayout(days_row)

        # -- working hours
        self.start_edit = QTimeEdit()
        self.end_edit = QTimeEdit()
        self.start_edit.setAccessibleName(self.tr("Working day starts at"))
        self.end_edit.setAccessibleName(self.tr("Working day ends at"))
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        hours_row = QHBoxLayout()
        hours_row.setContentsMargins(0, 0, 0, 0)
        hours_row.addWidget(self.start_edit)
        hours_row.addWidget(QLabel(self.tr("to")))
        hours_row.addWidget(self.end_edit)
        hours_row.addStretch(1)
        hours = QWidget()
        hours.setLayout(hours_row)

        # -- time zone
        self.timezone_box = QComboBox()
        self.timezone_box.setAccessibleName(self.tr("Time zone"))
        self.timezone_box.setObjectName("slaTimezone")
        self.timezone_box.setEditable(True)
        self.timezone_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.timezone_box.addItems(list(COMMON_TIMEZONES))
        self.timezone_box.setToolTip(self.tr("An IANA time zone name, such as Europe/Berlin"))

        # -- public holidays (the holidays package): country, then region
        self.country_box = QComboBox()
        self.country_box.setAccessibleName(self.tr("Public holidays of"))
        self.country_box.setObjectName("slaCountry")
        self.country_box.addItem(self.tr("None"), None)
        for code, name in countries():
            self.country_box.addItem(f"{name} ({code})", code)
        self.country_box.setToolTip(self.tr("Whose public holidays are days off (type to jump to a country)"))
        self.region_box = QComboBox()
        self.region_box.setAccessibleName(self.tr("Holidays of the region"))
        self.region_box.setObjectName("slaRegion")
        self.region_box.setToolTip(self.tr("Regions whose public holidays differ from the country's"))
        self.region_box.setMinimumContentsLength(18)
        place_row = QHBoxLayout()
        place_row.setContentsMargins(0, 0, 0, 0)
        place_row.addWidget(self.country_box, 2)
        region_label = QLabel(self.tr("&Region"))
        region_label.setBuddy(self.region_box)
        place_row.addWidget(region_label)
        place_row.addWidget(self.region_box, 1)
        place = QWidget()
        place.setLayout(place_row)
        self.holiday_preview = QLabel("")
        self.holiday_preview.setObjectName("slaHolidayPreview")
        self.holiday_preview.setWordWrap(True)
        self.holiday_preview.setProperty("role", "muted")

        # -- extra days off
        self.holidays_edit = QPlainTextEdit()
        self.holidays_edit.setObjectName("slaHolidays")
        self.holidays_edit.setPlaceholderText(self.tr("One date per line, e.g. 2026-12-24"))
        self.holidays_edit.setTabChangesFocus(True)
        self.holidays_edit.setFixedHeight(64)

        # -- targets
        self.default_target = QDoubleSpinBox()
        self.default_target.setObjectName("slaDefaultTarget")
        self.default_target.setRange(0.25, 10_000)
        self.default_target.setDecimals(2)
        self.default_target.setSingleStep(1)
        self.default_target.setSuffix(self.tr(" business hours"))

        self.category_table = QTableWidget(0, 2)
        self.category_table.setObjectName("slaCategoryTargets")
        self.category_table.setHorizontalHeaderLabels(
            [self.tr("Category"), self.tr("Target (hours; blank = default)")]
        )
        self.category_table.verticalHeader().hide()
        self.category_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.category_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.category_table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.category_table.setMinimumHeight(120)

        self.due_soon = QSpinBox()
        self.due_soon.setObjectName("slaDueSoon")
        self.due_soon.setRange(0, 99)
        self.due_soon.setSuffix(self.tr(" % of the target left"))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for w in (place, self.holiday_preview, self.holidays_edit, self.category_table):
            w.setSizePolicy(QSizePolicy.Policy.Expanding, w.sizePolicy().verticalPolicy())
        self.timezone_box.setMinimumContentsLength(24)
        for text, widget, buddy in (
            (self.tr("Working &days"), days, self.day_boxes[0]),
            (self.tr("Working &hours"), hours, self.start_edit),
            (self.tr("Time &zone"), self.timezone_box, self.timezone_box),
            (self.tr("&Public holidays"), place, self.country_box),
            ("", self.holiday_preview, None),
            (self.tr("&Extra days off"), self.holidays_edit, self.holidays_edit),
            (self.tr("&First response within"), self.default_target, self.default_target),
            (self.tr("Per &category"), self.category_table, self.category_table),
            (self.tr("“Due soon” fr&om"), self.due_soon, self.due_soon),
        ):
            label = QLabel(text)
            if buddy is not None:
                label.setBuddy(buddy)
            form.addRow(label, widget)

        self.error_label = QLabel("")
        self.error_label.setObjectName("slaError")
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "error")
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
        self.resize(620, 660)

        self._form: tuple[QWidget, ...] = (
            days,
            hours,
            self.timezone_box,
            place,
            self.holidays_edit,
            self.default_target,
            self.category_table,
            self.due_soon,
        )
        self._set_editable(False)

        self.timezone_box.editTextChanged.connect(self._check_live)
        for edit in (self.start_edit, self.end_edit):
            edit.timeChanged.connect(self._check_live)
        for box in self.day_boxes:
            box.toggled.connect(self._check_live)
        self.country_box.currentIndexChanged.connect(self._country_changed)
        self.region_box.currentIndexChanged.connect(self._update_preview)
        self._load()

    # ------------------------------------------------------------ loading

    def _load(self) -> None:
        cache = self.cache

        def op(_token: CancelToken) -> _Loaded:
            with cache.read() as conn:
                return _Loaded(registry.get(conn, registry.SLA), tuple(triage.categories(conn)))

        QueryOp(self, op=op, success=self._show).failure(self._load_failed).run_in_background()

    def _load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ModConsoleError):
            present_failure(exc, parent=self)
        self._show_error(self.tr("Could not read the targets: {error}").format(error=core_text(str(exc))))

    def _show(self, loaded: _Loaded) -> None:
        settings = loaded.settings
        self.loaded_settings = settings
        self._categories = list(loaded.categories)
        for i, box in enumerate(self.day_boxes):
            box.setChecked(i in settings.workdays)
        self.start_edit.setTime(_qtime(settings.day_start))
        self.end_edit.setTime(_qtime(settings.day_end))
        self.timezone_box.setCurrentText(settings.timezone)
        self.country_box.setCurrentIndex(max(0, self.country_box.findData(settings.country)))
        self._fill_regions(settings.subdivision)
        self.holidays_edit.setPlainText("\n".join(sorted(d.isoformat() for d in settings.holidays)))
        self.default_target.setValue(settings.default_target_hours)
        self.category_table.setRowCount(len(self._categories))
        for row, cat in enumerate(self._categories):
            name_cell = QTableWidgetItem(cat.name)
            name_cell.setFlags(name_cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            name_cell.setData(Qt.ItemDataRole.UserRole, cat.id)
            hours_value = settings.category_targets.get(cat.id)
            target = QTableWidgetItem("" if hours_value is None else f"{hours_value:g}")
            self.category_table.setItem(row, 0, name_cell)
            self.category_table.setItem(row, 1, target)
        # Targets for categories no longer in the cache are kept as they are.
        shown = {c.id for c in self._categories}
        self._hidden_targets = {k: v for k, v in settings.category_targets.items() if k not in shown}
        self.due_soon.setValue(round(settings.due_soon_fraction * 100))
        self._set_editable(True)
        self._check_live()
        self.loaded.emit()

    def _set_editable(self, on: bool) -> None:
        for w in self._form:
            w.setEnabled(on)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(on and self.loaded_settings is not None)
            if save.isEnabled():
                save.setDefault(True)
        if on:
            self.region_box.setEnabled(self.region_box.count() > 1)

    # ------------------------------------------------------------ public holidays

    @Slot()
    def _country_changed(self, *_args: object) -> None:
        self._fill_regions(None)

    def _fill_regions(self, selected: str | None) -> None:
        country = self.country_box.currentData()
        self.region_box.blockSignals(True)
        try:
            self.region_box.clear()
            regions = subdivisions(country) if country else ()
            self.region_box.addItem(self.tr("Whole country") if regions else "—", None)
            for code, name in regions:
                self.region_box.addItem(name if name == code else f"{name} ({code})", code)
            self.region_box.setCurrentIndex(max(0, self.region_box.findData(selected)))
        finally:
            self.region_box.blockSignals(False)
        self.region_box.setEnabled(self.country_box.isEnabled() and self.region_box.count() > 1)
        self._update_preview()

    @Slot()
    def _update_preview(self, *_args: object) -> None:
        country, region = self.country_box.currentData(), self.region_box.currentData()
        if not country:
            self.holiday_preview.setText(self.tr("Only the extra days off below are holidays."))
            return
        today = clock.now().date()
        try:
            days = public_holidays(country, region, [today.year, today.year + 1])
        except InvalidInput as exc:
            self.holiday_preview.setText(core_text(exc.user_message))
            return
        this_year = sum(1 for d in days if d.year == today.year)
        country_name = dict(countries()).get(country, country)
        place = country_name
        if region:
            place = f"{dict(subdivisions(country)).get(region, region)}, {country_name}"
        coming = [(d, n) for d, n in sorted(days.items()) if d >= today][:3]
        pattern = QCoreApplication.translate("Dates", "ddd dd MMM yyyy")
        nxt = "; ".join(
            f"{QLocale().toString(QDate(d.year, d.month, d.day), pattern)} {n}" for d, n in coming
        )
        text = self.tr("%n public holiday(s) in {year} for {place}.", "", this_year).format(
            year=today.year, place=place
        )
        self.holiday_preview.setText(
            text + (" " + self.tr("Next: {dates}.").format(dates=nxt) if nxt else "")
        )

    # ------------------------------------------------------------ reading the form

    def settings(self) -> SlaSettings:
        """The settings the form describes; raises :class:`InvalidInput` with a message to show."""
        zone = self.timezone_box.currentText().strip()
        if not _valid_zone(zone):
            raise InvalidInput(
                self.tr("“{zone}” is not a known time zone (use a name like Europe/Berlin).").format(
                    zone=zone
                )
            )
        holidays: set[date] = set()
        for n, line in enumerate(self.holidays_edit.toPlainText().splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                holidays.add(date.fromisoformat(text))
            except ValueError:
                raise InvalidInput(
                    self.tr(
                        "Extra day off line {n} (“{text}”) is not a date; write it as YYYY-MM-DD."
                    ).format(n=n, text=text)
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
                    self.tr("The target for {category} must be a positive number of hours, or blank.").format(
                        category=name_item.text()
                    )
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
            country=self.country_box.currentData(),
            subdivision=self.region_box.currentData(),
        )

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    @Slot()
    def _check_live(self, *_args: object) -> None:
        """Quick checks while editing (the full check runs on Save)."""
        zone = self.timezone_box.currentText().strip()
        if not _valid_zone(zone):
            self._show_error(self.tr("“{zone}” is not a known time zone.").format(zone=zone))
        elif not any(box.isChecked() for box in self.day_boxes):
            self._show_error(self.tr("Choose at least one working day."))
        elif self.end_edit.time() <= self.start_edit.time():
            self._show_error(self.tr("The working day must end after it starts."))
        else:
            self._show_error("")

    # ------------------------------------------------------------ saving

    @property
    def result_settings(self) -> SlaSettings | None:
        """The saved settings (after Save), else ``None``."""
        return self._result

    @Slot()
    def accept(self) -> None:
        """Validate, then store on the writer; the dialog closes once the calendar is saved."""
        if self._saving or self.loaded_settings is None:
            return
        try:
            result = self.settings()
        except InvalidInput as exc:
            self._show_error(core_text(exc.user_message))
            return
        self._saving = True
        self._set_editable(False)
        self._show_error("")
        cache = self.cache

        def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, SlaSettings]:
            return save_sla(cache, result), result

        MutationOp(self, op=op, success=self._saved).failure(self._save_failed).run_in_background(
            initiator=self
        )

    def _saved(self, result: SlaSettings) -> None:
        self._saving = False
        self._result = result
        self.saved.emit(result)
        super().accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._set_editable(True)
        if not isinstance(exc, ModConsoleError):
            present_failure(exc, parent=self)
        self._show_error(self.tr("Nothing was saved: {error}").format(error=core_text(str(exc))))
