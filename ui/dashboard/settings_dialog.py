"""The "Analytics settings" dialog: who counts as an employee, and the ticket-deflection assumptions.

The stored settings and the cache's group names are read with a :class:`QueryOp`; Save validates
the form inline and writes through :func:`modconsole.analytics.settings.save_settings` in a
:class:`MutationOp` returning ``Changes(settings=True, kpis=True)``, so the dashboard refreshes
through its ChangeWatcher. Cancel discards. Settings the dialog does not show (the SLA calendar,
the company user field) are kept as stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from modconsole.analytics.settings import (
    AnalyticsSettings,
    EmployeeRule,
    group_choices,
    load_settings,
    save_settings,
)
from modconsole.cache.db import Cache
from modconsole.changes import Changes
from modconsole.errors import ModConsoleError
from modconsole.tasks import CancelToken, ProgressCallback
from ui.messages import present_failure
from ui.ops import MutationOp, QueryOp

__all__ = ["AnalyticsSettingsDialog", "parse_list", "parse_number"]

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$")
_USERNAME = re.compile(r"^[\w.\-]+$")
_SPLIT = re.compile(r"[,;\n]+")


def parse_list(text: str) -> list[str]:
    """Entries of a list field: one per line (commas and semicolons also separate);
    lower-cased, a leading ``@`` dropped, duplicates removed, order kept."""
    items = (part.strip().lower().lstrip("@") for part in _SPLIT.split(text))
    return list(dict.fromkeys(i for i in items if i))


def parse_number(text: str) -> float | None:
    """A decimal number as typed (``5``, ``5.5``, ``5,5``, ``1,250.00``, ``5 %``), or ``None``."""
    raw = text.strip().rstrip("%").strip().replace(" ", "").replace("\u00a0", "")
    if "," in raw and "." in raw:
        raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        return None
    return float(raw)


def _percent(rate: float) -> str:
    """``0.05`` → ``5``, ``0.025`` → ``2.5``."""
    return f"{round(rate * 100, 4):g}"


@dataclass(frozen=True)
class _Loaded:
    settings: AnalyticsSettings
    groups: tuple[tuple[str, int | None, bool], ...]  # name, members, automatic


def _groups_hint(groups: tuple[tuple[str, int | None, bool], ...]) -> str:
    if not groups:
        return QCoreApplication.translate(
            "AnalyticsSettingsDialog", "No groups in the cache yet (sync to see them)."
        )
    own = [name if count is None else f"{name} ({count})" for name, count, auto in groups if not auto]
    auto = [name for name, _count, a in groups if a]
    parts = []
    if own:
        parts.append(
            QCoreApplication.translate(
                "AnalyticsSettingsDialog", "Groups on this site (members): {list}."
            ).format(list=", ".join(own))
        )
    if auto:
        parts.append(
            QCoreApplication.translate("AnalyticsSettingsDialog", "Automatic groups: {list}.").format(
                list=", ".join(auto)
            )
        )
    return "  ".join(parts)


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


def _message_label() -> QLabel:
    label = QLabel("")
    label.setWordWrap(True)
    label.setProperty("role", "error")
    label.setVisible(False)
    return label


class AnalyticsSettingsDialog(QDialog):
    """``AnalyticsSettingsDialog(cache, parent)``: loads on construction, saves in the background.

    ``saved(AnalyticsSettings)`` is emitted once the settings are stored (then the dialog accepts).
    """

    saved = Signal(object)
    loaded = Signal()

    def __init__(self, cache: Cache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("analyticsSettingsDialog")
        self.setWindowTitle(self.tr("Analytics settings"))
        self.cache = cache
        self.settings: AnalyticsSettings | None = None
        self.group_names: tuple[str, ...] = ()
        self._saving = False

        # -- who counts as an employee
        who = QGroupBox(self.tr("Who counts as an employee"))
        wl = QVBoxLayout(who)
        wl.setSpacing(6)
        wl.addWidget(
            _muted(
                self.tr(
                    "Answers by employees are not peer-to-peer: this changes the peer-to-peer first "
                    "responses and solutions, and who counts as a customer contributor."
                )
            )
        )
        self.staff_box = QCheckBox(self.tr("Admins and moderators"))
        self.staff_domains_box = QCheckBox(
            self.tr(
                "Members whose e-mail domain is an admin's or moderator's (free-mail domains never count)"
            )
        )
        wl.addWidget(self.staff_box)
        wl.addWidget(self.staff_domains_box)
        lists = QGridLayout()
        lists.setHorizontalSpacing(10)
        lists.setVerticalSpacing(3)
        self.domains_edit = QPlainTextEdit()
        self.usernames_edit = QPlainTextEdit()
        self.groups_edit = QPlainTextEdit()
        self.domains_error = _message_label()
        self.usernames_error = _message_label()
        self.groups_error = _message_label()
        self.groups_note = _message_label()
        self.groups_note.setProperty("role", "warning")
        columns = (
            (self.tr("Also these e-mail domains"), self.domains_edit, "acme.com", self.domains_error),
            (self.tr("Also these usernames"), self.usernames_edit, "jane_doe", self.usernames_error),
            (
                self.tr("Also members of these groups"),
                self.groups_edit,
                self.tr("employees"),
                self.groups_error,
            ),
        )
        for col, (title, edit, example, error) in enumerate(columns):
            lists.addWidget(QLabel(title), 0, col)
            edit.setPlaceholderText(self.tr("One per line, e.g.\n{example}").format(example=example))
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(92)
            lists.addWidget(edit, 1, col)
            lists.addWidget(error, 2, col, Qt.AlignmentFlag.AlignTop)
            lists.setColumnStretch(col, 1)
        lists.addWidget(self.groups_note, 3, 2, Qt.AlignmentFlag.AlignTop)
        wl.addLayout(lists)
        self.groups_hint = _muted(self.tr("Groups on this site: loading…"))
        self.groups_hint.setProperty("role", "muted")
        self.groups_hint.setStyleSheet("font-size: 11px;")
        self.groups_hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        wl.addWidget(self.groups_hint)

        # -- ticket deflection
        impact = QGroupBox(self.tr("Ticket deflection"))
        il = QVBoxLayout(impact)
        il.setSpacing(6)
        il.addWidget(
            _muted(
                self.tr(
                    "Tickets deflected = views of the solved questions × the rate; "
                    "support cost avoided = tickets deflected × the cost per ticket."
                )
            )
        )
        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(3)
        self.rate_edit = QLineEdit()
        self.rate_edit.setFixedWidth(80)
        self.rate_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.cost_edit = QLineEdit()
        self.cost_edit.setFixedWidth(80)
        self.cost_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.currency_edit = QLineEdit()
        self.currency_edit.setFixedWidth(56)
        self.currency_edit.setMaxLength(8)
        self.currency_edit.setToolTip(self.tr("The currency shown with the cost figures, e.g. USD, EUR, €"))
        self.rate_error = _message_label()
        self.cost_error = _message_label()
        form.addWidget(QLabel(self.tr("Deflection rate")), 0, 0)
        form.addWidget(self.rate_edit, 0, 1)
        form.addWidget(
            _muted(self.tr("% of a solved question's views would otherwise have become a ticket")), 0, 2
        )
        form.addWidget(self.rate_error, 1, 1, 1, 2)
        form.addWidget(QLabel(self.tr("Cost per ticket")), 2, 0)
        form.addWidget(self.cost_edit, 2, 1)
        money = QHBoxLayout()
        money.setContentsMargins(0, 0, 0, 0)
        money.addWidget(self.currency_edit)
        currency_note = QLabel(self.tr("shown with the savings"))
        currency_note.setProperty("role", "muted")
        money.addWidget(currency_note)
        money.addStretch(1)
        form.addLayout(money, 2, 2)
        form.addWidget(self.cost_error, 3, 1, 1, 2)
        form.setColumnStretch(2, 1)
        il.addLayout(form)

        # -- buttons
        self.status = _message_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert isinstance(save, QPushButton)
        self.save_button = save
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 14, 16, 12)
        lay.setSpacing(10)
        lay.addWidget(who)
        lay.addWidget(impact)
        frozen = _muted(
            self.tr(
                "Closed months keep their frozen figures in reports; after saving, the dashboard offers "
                "to recompute them with these settings."
            )
        )
        frozen.setProperty("role", "muted")
        frozen.setStyleSheet("font-size: 11px;")
        lay.addWidget(frozen)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())

        self._form: tuple[QWidget, ...] = (
            self.staff_box,
            self.staff_domains_box,
            self.domains_edit,
            self.usernames_edit,
            self.groups_edit,
            self.rate_edit,
            self.cost_edit,
            self.currency_edit,
        )
        self._set_editable(False)
        self._load()

    # ------------------------------------------------------------ loading

    def _load(self) -> None:
        cache = self.cache

        def op(_token: CancelToken) -> _Loaded:
            with cache.read() as conn:
                settings = load_settings(conn)
                groups = group_choices(conn)
            return _Loaded(settings, tuple(groups))

        QueryOp(self, op=op, success=self._show).failure(self._load_failed).run_in_background()

    def _load_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, ModConsoleError):
            present_failure(exc, parent=self)
        self._show_message(self.status, self.tr("Could not read the settings: {error}").format(error=exc))
        self._fit()

    def _show(self, loaded: _Loaded) -> None:
        s = loaded.settings
        self.settings = s
        e = s.employees
        self.staff_box.setChecked(e.staff)
        self.staff_domains_box.setChecked(e.staff_domains)
        self.domains_edit.setPlainText("\n".join(e.domains))
        self.usernames_edit.setPlainText("\n".join(e.usernames))
        self.groups_edit.setPlainText("\n".join(e.groups))
        self.rate_edit.setText(_percent(s.deflection_rate))
        self.cost_edit.setText(f"{s.cost_per_ticket:.2f}")
        self.currency_edit.setText(s.currency)
        self.group_names = tuple(name.lower() for name, _c, _a in loaded.groups)
        self.groups_hint.setText(_groups_hint(loaded.groups))
        self._set_editable(True)
        self._fit()
        self.loaded.emit()

    def _fit(self, *, again: bool = False) -> None:
        """Grow to show wrapped labels and inline messages in full (never shrink under the user)."""
        layout = self.layout()
        if layout is None:
            return
        layout.invalidate()
        layout.activate()
        want = layout.totalHeightForWidth(self.width())
        if want > self.height():
            self.resize(self.width(), want)
        if not again:  # wrapped labels know their height only once laid out at the new width
            QTimer.singleShot(0, self, lambda: self._fit(again=True))

    def _set_editable(self, on: bool) -> None:
        for w in self._form:
            w.setEnabled(on)
        self.save_button.setEnabled(on and self.settings is not None)
        if self.save_button.isEnabled():
            self.save_button.setDefault(True)  # Enter saves (Qt picked Cancel while Save was disabled)

    # ------------------------------------------------------------ validation

    @staticmethod
    def _show_message(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def messages(self) -> dict[str, str]:
        """The inline messages now shown, by field (tests, accessibility)."""
        labels = {
            "domains": self.domains_error,
            "usernames": self.usernames_error,
            "groups": self.groups_error,
            "rate": self.rate_error,
            "cost": self.cost_error,
            "status": self.status,
        }
        return {k: v.text() for k, v in labels.items() if v.text()}

    def validate(self) -> AnalyticsSettings | None:
        """The settings the form describes, or ``None`` with the problems shown next to the fields."""
        base = self.settings
        if base is None:
            return None
        errors: dict[QLabel, str] = {}

        domains = parse_list(self.domains_edit.toPlainText())
        bad = [d for d in domains if not _DOMAIN.match(d)]
        if bad:
            errors[self.domains_error] = self.tr(
                "'{value}' is not an e-mail domain (expected something like acme.com)."
            ).format(value=bad[0])
        usernames = parse_list(self.usernames_edit.toPlainText())
        bad = [u for u in usernames if not _USERNAME.match(u)]
        if bad:
            errors[self.usernames_error] = self.tr(
                "'{value}' is not a username (letters, digits, _ . - only)."
            ).format(value=bad[0])
        groups = parse_list(self.groups_edit.toPlainText())
        unknown = [g for g in groups if g not in self.group_names]

        rate = parse_number(self.rate_edit.text())
        if rate is None:
            errors[self.rate_error] = self.tr("Enter the rate as a number of percent, e.g. 5.")
        elif not 0 <= rate <= 100:
            errors[self.rate_error] = self.tr("The rate must be between 0 and 100 %.")
        cost = parse_number(self.cost_edit.text())
        if cost is None:
            errors[self.cost_error] = self.tr("Enter the cost as a number, e.g. 25.00.")
        elif cost < 0:
            errors[self.cost_error] = self.tr("The cost per ticket cannot be negative.")
        currency = self.currency_edit.text().strip()
        if not currency and self.cost_error not in errors:
            errors[self.cost_error] = self.tr("Name the currency, e.g. USD.")

        for label in (self.domains_error, self.usernames_error, self.groups_error, self.rate_error):
            self._show_message(label, errors.get(label, ""))
        self._show_message(self.cost_error, errors.get(self.cost_error, ""))
        self._show_message(
            self.groups_note,
            self.tr("Not in the cache (yet): {list}. Saved anyway.").format(list=", ".join(unknown))
            if unknown
            else "",
        )
        if errors:
            self._show_message(
                self.status, self.tr("Nothing was saved: please correct the fields marked in red.")
            )
            self._fit()
            return None
        self._show_message(self.status, "")
        assert rate is not None and cost is not None
        return replace(
            base,
            employees=EmployeeRule(
                staff=self.staff_box.isChecked(),
                staff_domains=self.staff_domains_box.isChecked(),
                domains=tuple(domains),
                usernames=tuple(usernames),
                groups=tuple(groups),
            ),
            deflection_rate=rate / 100,
            cost_per_ticket=cost,
            currency=currency,
        )

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        """Validate, then store off the GUI thread; the dialog closes once the settings are saved."""
        if self._saving:
            return
        settings = self.validate()
        if settings is None:
            return
        self._saving = True
        self._set_editable(False)
        self._show_message(self.status, "")
        cache = self.cache

        def op(_token: CancelToken, _progress: ProgressCallback) -> tuple[Changes, AnalyticsSettings]:
            with cache.write() as conn:
                save_settings(conn, settings)
            return Changes(settings=True, kpis=True), settings

        MutationOp(self, op=op, success=self._saved).failure(self._save_failed).run_in_background(
            initiator=self
        )

    def _saved(self, settings: AnalyticsSettings) -> None:
        self._saving = False
        self.settings = settings
        self.saved.emit(settings)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._set_editable(True)
        if not isinstance(exc, ModConsoleError):
            present_failure(exc, parent=self)
        self._show_message(self.status, self.tr("Nothing was saved: {error}").format(error=exc))
        self._fit()
