"""Bulk award: a selection of members or a CSV of usernames or e-mails → a dry-run preview with
each member's outcome → confirm → queued in the outbox (pushed when online) → a per-member report."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.services.recognition import BulkPreview, BulkQueued, ReportRow
from modconsole.tasks import CancelToken, ProgressCallback
from ui import messages
from ui.i18n import core_text
from ui.messages import present_failure
from ui.ops import MutationOp, QueryOp
from ui.recognition.backend import RecognitionBackend
from ui.recognition.models import PreviewModel, ReportModel, result_text
from ui.recognition.widgets import ErrorLabel, make_table, push_in_background

__all__ = ["BulkAwardDialog"]


class BulkAwardDialog(QDialog):
    def __init__(
        self,
        backend: RecognitionBackend,
        *,
        user_ids: Sequence[int] = (),
        badge_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bulk award"))
        self.backend = backend
        self.user_ids = tuple(int(u) for u in user_ids)
        self.preview: BulkPreview | None = None
        self.queued_result: BulkQueued | None = None
        self.report: list[ReportRow] = []

        self.badge = QComboBox(self)
        for b in backend.rec.catalog():
            if b.grantable:
                self.badge.addItem(
                    (
                        self.tr("{badge}  ({tier}, several times)")
                        if b.multiple
                        else self.tr("{badge}  ({tier})")
                    ).format(badge=b.name, tier=core_text(b.type_name)),
                    b.id,
                )
        # never a preselected badge (the first in the list is the gold "Superuser"): the moderator
        # picks one, unless the caller named it
        self.badge.setPlaceholderText(self.tr("Choose a badge…"))
        self.badge.setCurrentIndex(-1)
        if badge_id is not None and self.badge.findData(badge_id) >= 0:
            self.badge.setCurrentIndex(self.badge.findData(badge_id))
        self.from_selection = QRadioButton(self.tr("The %n selected member(s)", "", len(self.user_ids)), self)
        self.from_csv = QRadioButton(self.tr("A CSV with one username or e-mail per line"), self)
        group = QButtonGroup(self)
        group.addButton(self.from_selection)
        group.addButton(self.from_csv)
        self.from_selection.setEnabled(bool(self.user_ids))
        (self.from_selection if self.user_ids else self.from_csv).setChecked(True)
        self.csv = QPlainTextEdit(self)
        self.csv.setPlaceholderText(self.tr("alice\nbob@acme.example\n…  (paste here, or load a file)"))
        self.csv.setFixedHeight(72)
        self.load_button = QPushButton(self.tr("Load file…"), self)
        self.load_button.clicked.connect(self._load_file)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(
            self.tr("Link to the post or topic it is for (required for badges held several times)")
        )
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Why (kept in the audit log)"))
        self.preview_button = QPushButton(self.tr("Preview"), self)
        self.preview_button.setDefault(True)
        self.preview_button.clicked.connect(self.run_preview)

        csv_row = QHBoxLayout()
        csv_row.addWidget(self.csv, 1)
        csv_row.addWidget(self.load_button)
        form = QFormLayout()
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("Who"), self.from_selection)
        form.addRow("", self.from_csv)
        form.addRow("", csv_row)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Note"), self.note)

        self.preview_model = PreviewModel(parent=self)
        self.report_model = ReportModel(parent=self)
        self.tables = QStackedWidget(self)
        self.preview_table = make_table(self.preview_model, self, stretch=4)
        self.report_table = make_table(self.report_model, self, stretch=2)
        self.preview_table.setAccessibleName(self.tr("Dry run: what each member would get"))
        self.report_table.setAccessibleName(self.tr("Result for each member"))
        self.tables.addWidget(self.preview_table)
        self.tables.addWidget(self.report_table)
        self.summary = QLabel(self.tr("Nothing is queued until you confirm the preview."), self)
        self.summary.setWordWrap(True)
        self.problems = ErrorLabel(self)
        self.confirm = QPushButton(self.tr("Queue awards"), self)
        self.confirm.setEnabled(False)
        self.confirm.clicked.connect(self.run_enqueue)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.confirm)
        buttons.addWidget(self.close_button)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems)
        lay.addWidget(self.tables, 1)
        lay.addLayout(buttons)
        self.resize(820, 600)

    # ------------------------------------------------------------ input

    @Slot()
    def _load_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CSV of usernames or e-mails"), "", self.tr("CSV (*.csv *.txt);;All (*)")
        )
        if path:
            self.load_csv(Path(path))

    def load_csv(self, path: Path) -> None:
        self.csv.setPlainText(path.read_text(encoding="utf-8-sig", errors="replace"))
        self.from_csv.setChecked(True)

    # ------------------------------------------------------------ preview

    @Slot()
    def run_preview(self) -> None:
        badge_id = self.badge.currentData()
        if badge_id is None:
            self.problems.show_message(
                self.tr("Choose the badge to award first.")
                if self.badge.count()
                else self.tr("No badge can be awarded by hand on this community.")
            )
            return
        ids = self.user_ids if self.from_selection.isChecked() else ()
        csv_text = self.csv.toPlainText() if self.from_csv.isChecked() else None
        reason = self.reason.text().strip() or None
        self.confirm.setEnabled(False)
        QueryOp(
            self,
            op=lambda _t: self.backend.rec.preview_bulk(
                int(badge_id), user_ids=ids, csv_text=csv_text, reason=reason
            ),
            success=self._previewed,
        ).run_in_background()

    def _previewed(self, preview: BulkPreview) -> None:
        self.preview = preview
        self.tables.setCurrentWidget(self.preview_table)
        self.preview_model.set_rows(preview.rows)
        from_csv = any(r.line is not None for r in preview.rows)
        self.preview_table.setColumnHidden(0, not from_csv)  # CSV line numbers
        self.preview_table.setColumnHidden(1, not from_csv)  # the entry as written
        n = len(preview.grantable)
        text = self.tr("Preview for {badge}: {summary}.").format(
            badge=core_text(preview.badge_label), summary=core_text(preview.summary())
        )
        if preview.blocking:
            text += f"  {core_text(preview.blocking)}"
        self.summary.setText(text)
        probs = [
            self.tr("line {n}: “{text}” — {problem}").format(
                n=p.line, text=p.text, problem=core_text(p.message)
            )
            for p in preview.problems[:8]
        ]
        if len(preview.problems) > 8:
            probs.append(self.tr("… and {n} more").format(n=len(preview.problems) - 8))
        self.problems.show_message("\n".join(probs))
        self.confirm.setText(self.tr("Queue %n award(s)", "", n))
        self.confirm.setEnabled(n > 0 and not preview.blocking)

    # ------------------------------------------------------------ queue, push, report

    @Slot()
    def run_enqueue(self) -> None:
        preview = self.preview
        if preview is None:
            return
        note = self.note.text().strip() or None
        self.confirm.setEnabled(False)
        self.preview_button.setEnabled(False)

        def op(_t: CancelToken, _p: ProgressCallback) -> tuple[Changes, tuple[BulkQueued, list[ReportRow]]]:
            bulk = self.backend.rec.enqueue_bulk(preview, note=note)
            return bulk.changes, (bulk, self.backend.rec.bulk_report(bulk))

        def failed(exc: BaseException) -> None:
            self.preview_button.setEnabled(True)
            present_failure(exc, parent=self)

        MutationOp(self, op=op, success=self._queued).failure(failed).run_in_background(initiator=self)

    def _queued(self, result: tuple[BulkQueued, list[ReportRow]]) -> None:
        self._show_report(result)
        bulk = result[0]
        messages.info(
            self.tr("Bulk award of “{badge}”: {n} queued").format(badge=bulk.badge_name, n=len(bulk.queued))
        )
        push_in_background(self.backend, pushed=self.refresh_report)

    def refresh_report(self) -> None:
        """Re-read each member's outcome from the outbox (after a push)."""
        bulk = self.queued_result
        if bulk is None:
            return
        QueryOp(
            self, op=lambda _t: (bulk, self.backend.rec.bulk_report(bulk)), success=self._show_report
        ).run_in_background()

    def _show_report(self, result: tuple[BulkQueued, list[ReportRow]]) -> None:
        self.queued_result, self.report = result
        self.report_model.set_rows(self.report)
        self.tables.setCurrentWidget(self.report_table)
        counts: dict[str, int] = {}
        for r in self.report:
            counts[r.result] = counts.get(r.result, 0) + 1
        parts = ", ".join(f"{v} {result_text(k)}" for k, v in counts.items())
        self.summary.setText(
            self.tr("Bulk award of “{badge}”: {parts}.").format(badge=result[0].badge_name, parts=parts)
        )
        self.preview_button.setEnabled(True)
