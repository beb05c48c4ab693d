"""The Badges page: the catalog, a badge's grantees, award (member completion, reason picker,
note), bulk award and revoke. Every write is queued in the outbox and pushed when online."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.services.moderation import Queued
from modconsole.services.recognition import BadgeInfo, Grantee, MemberHit
from ui import messages, theme
from ui.i18n import core_text
from ui.ops import ChangeWatcher, QueryOp, first_load
from ui.recognition.backend import RecognitionBackend
from ui.recognition.models import BadgeModel, GranteeModel
from ui.recognition.widgets import ErrorLabel, MemberField, make_table, queue_and_push, selected_rows

__all__ = ["AwardDialog", "BadgesPage"]


class AwardDialog(QDialog):
    """Award one badge to one member: badge, member (completion), reason link, note."""

    def __init__(
        self,
        backend: RecognitionBackend,
        badges: Sequence[BadgeInfo],
        *,
        badge_id: int | None = None,
        member: MemberHit | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Award a badge"))
        self.backend = backend
        self.queued: Queued | None = None
        self.badge = QComboBox(self)
        for b in badges:
            if b.grantable:
                self.badge.addItem(
                    (
                        self.tr("{badge}  ({tier}, several times)")
                        if b.multiple
                        else self.tr("{badge}  ({tier})")
                    ).format(badge=b.name, tier=core_text(b.type_name)),
                    b.id,
                )
        if badge_id is not None:
            i = self.badge.findData(badge_id)
            if i >= 0:
                self.badge.setCurrentIndex(i)
        self.member = MemberField(backend, self)
        self.member.member_chosen.connect(self._load_reasons)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        le = self.reason.lineEdit()
        if le is not None:
            le.setPlaceholderText(self.tr("Pick a post of theirs, or paste a link to one (optional)"))
        # full titles: the labels share long beginnings ("✔ Accepted answer in “How do I …"), so a
        # middle elision (Qt's default in a combo's list) made them identical; cut at the end instead,
        # widen the list to the longest title the screen allows, and give each its full text as tooltip
        self.reason.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.reason.currentIndexChanged.connect(self._reason_tooltip)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Why (kept in the audit log)"))
        self.error = ErrorLabel(self)
        form = QFormLayout()
        form.addRow(self.tr("Badge"), self.badge)
        form.addRow(self.tr("Member"), self.member)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Note"), self.note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.addButton(self.tr("Queue award"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(560, 230)
        if member is not None:
            self.member.choose(member)

    @Slot(object)
    def _load_reasons(self, hit: MemberHit) -> None:
        self.reason.clear()
        self.reason.addItem("", None)
        for c in self.backend.rec.reason_candidates(hit.id):
            self.reason.addItem(core_text(c.label), c.url)
            self.reason.setItemData(
                self.reason.count() - 1, f"{core_text(c.label)}\n{c.url}", Qt.ItemDataRole.ToolTipRole
            )
        fm = self.reason.view().fontMetrics()
        widest = max(
            (fm.horizontalAdvance(self.reason.itemText(i)) for i in range(self.reason.count())), default=0
        )
        screen = self.screen().availableGeometry().width() if self.screen() is not None else 1024
        self.reason.view().setMinimumWidth(min(widest + 48, max(300, screen - 80)))

    @Slot(int)
    def _reason_tooltip(self, index: int) -> None:
        tip = self.reason.itemData(index, Qt.ItemDataRole.ToolTipRole) if index >= 0 else None
        self.reason.setToolTip(str(tip) if tip else "")

    def reason_url(self) -> str | None:
        i = self.reason.currentIndex()
        text = self.reason.currentText().strip()
        if i > 0 and text == self.reason.itemText(i):
            data = self.reason.itemData(i)
            return str(data) if data else None
        return text or None

    @Slot()
    def submit(self) -> None:
        badge_id = self.badge.currentData()
        username = self.member.username()
        if badge_id is None:
            self.error.show_message(self.tr("Choose a badge."))
            return
        if not username:
            self.error.show_message(self.tr("Enter the member's username."))
            return
        reason, note = self.reason_url(), self.note.text().strip() or None
        self.ok.setEnabled(False)
        self.error.show_message("")

        def refused(msg: str) -> None:
            self.ok.setEnabled(True)
            self.error.show_message(msg)

        def done(q: Queued) -> None:
            self.queued = q
            messages.info(self.tr("Queued: {action}").format(action=core_text(q.description)))
            self.accept()

        queue_and_push(
            self,
            self.backend,
            lambda: self.backend.rec.award(int(badge_id), username, reason=reason, note=note),
            done=done,
            refused=refused,
        )


class BadgesPage(QWidget):
    def __init__(self, backend: RecognitionBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        theme.follow(self.retheme)  # what it wrote in colours, re-written in the new palette
        self.backend = backend
        self.catalog = BadgeModel(parent=self)
        self.grantees = GranteeModel(parent=self)
        self.table = make_table(self.catalog, self, stretch=0)
        self.grantee_table = make_table(self.grantees, self, stretch=3)
        self.table.setAccessibleName(self.tr("Badges"))
        self.grantee_table.setAccessibleName(self.tr("Holders of the selected badge"))
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.meta = QLabel(self)
        self.meta.setProperty("role", "muted")
        self.award_button = QPushButton(self.tr("Award…"), self)
        self.bulk_button = QPushButton(self.tr("Bulk award…"), self)
        self.revoke_button = QPushButton(self.tr("Revoke…"), self)
        self.count = QLabel(self)
        self.count.setProperty("role", "muted")
        self.award_button.clicked.connect(lambda: self.open_award())
        self.bulk_button.clicked.connect(lambda: self.open_bulk())
        self.revoke_button.clicked.connect(lambda: self.revoke_selected())

        top = QHBoxLayout()
        heading = QLabel(self.tr("<b>Badges</b>"), self)
        heading.setStyleSheet("font-size: 15px;")
        top.addWidget(heading)
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.award_button)
        top.addWidget(self.bulk_button)

        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(8, 0, 0, 0)
        rl.addWidget(self.title)
        rl.addWidget(self.description)
        rl.addWidget(self.meta)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Holders"), self))
        row.addStretch(1)
        row.addWidget(self.revoke_button)
        rl.addLayout(row)
        rl.addWidget(self.grantee_table, 1)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        split.setSizes([560, 480])  # on a laptop the catalogue keeps its tier and count columns
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)

        sel = self.table.selectionModel()
        assert sel is not None
        sel.currentRowChanged.connect(lambda *_: self._show_current())
        ChangeWatcher(self, kinds=("badges", "user_badges", "outbox"), refresh=self.reload)
        self._badge_id: int | None = None
        self._update_buttons()
        first_load(self, self.reload)

    # ------------------------------------------------------------ loading

    def reload(self, _changes: Changes | None = None) -> None:
        QueryOp(self, op=lambda _t: self.backend.rec.catalog(), success=self._loaded).run_in_background()

    def _loaded(self, rows: list[BadgeInfo]) -> None:
        keep = self._badge_id
        self.catalog.set_rows(rows)
        manual = sum(1 for b in rows if b.grantable)
        self.count.setText(
            self.tr("%n badge(s)", "", len(rows))
            + " · "
            + self.tr("{n} can be awarded by hand").format(n=manual)
        )
        target = next((i for i, b in enumerate(rows) if b.id == keep), None)
        if target is None:
            target = next((i for i, b in enumerate(rows) if b.grantable), 0 if rows else None)
        if target is not None:
            self.table.selectRow(target)
        self._show_current()

    def current_badge(self) -> BadgeInfo | None:
        idx = self.table.currentIndex()
        return self.catalog.row_at(idx.row()) if idx.isValid() else None

    def select_badge(self, name: str) -> None:
        for i, b in enumerate(self.catalog.rows()):
            if b.name.lower() == name.lower():
                self.table.selectRow(i)
                return

    @Slot(object)
    def retheme(self, _palette: object) -> None:
        if hasattr(self, "title"):
            self._show_current()

    def _show_current(self) -> None:
        b = self.current_badge()
        self._badge_id = b.id if b else None
        if b is None:
            self.title.setText("")
            self.description.setText("")
            self.meta.setText("")
            self.grantees.set_rows([])
            self._update_buttons()
            return
        dot = theme.tier(b.type_name)
        self.title.setText(
            f'<span style="color:{dot}; font-size:16px">●</span> <b style="font-size:15px">{b.name}</b>'
        )
        self.description.setText(b.description or self.tr("No description."))
        bits = [
            core_text(b.type_name).capitalize(),
            self.tr("awarded by hand") if b.manual else self.tr("awarded automatically by the forum"),
            self.tr("can be held several times") if b.multiple else self.tr("held once"),
        ]
        if b.allow_title:
            bits.append(self.tr("usable as a title"))
        if not b.enabled:
            bits.append(self.tr("disabled"))
        self.meta.setText(" · ".join(bits))
        bid = b.id
        QueryOp(
            self, op=lambda _t: self.backend.rec.grantees(bid), success=self._grantees_loaded
        ).run_in_background()
        self._update_buttons()

    def _grantees_loaded(self, rows: list[Grantee]) -> None:
        self.grantees.set_rows(rows)
        self._update_buttons()

    def _update_buttons(self) -> None:
        b = self.current_badge()
        self.award_button.setEnabled(bool(b and b.grantable))
        self.bulk_button.setEnabled(bool(b and b.grantable))
        self.revoke_button.setEnabled(bool(b and b.manual and self.grantees.rowCount() > 0))

    # ------------------------------------------------------------ actions

    def open_award(self, member: MemberHit | None = None, *, show: bool = True) -> AwardDialog:
        b = self.current_badge()
        dlg = AwardDialog(
            self.backend, self.catalog.rows(), badge_id=b.id if b else None, member=member, parent=self
        )
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if show:
            dlg.open()
        return dlg

    def open_bulk(self, user_ids: Sequence[int] = (), *, show: bool = True) -> QDialog:
        from ui.recognition.bulk import BulkAwardDialog

        b = self.current_badge()
        dlg = BulkAwardDialog(self.backend, user_ids=user_ids, badge_id=b.id if b else None, parent=self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if show:
            dlg.open()
        return dlg

    def revoke_selected(self, reason: str | None = None) -> None:
        b = self.current_badge()
        rows = selected_rows(self.grantee_table)
        if b is None or not rows:
            messages.warning(self.tr("Select the holder whose badge you want to revoke."))
            return
        g: Grantee = rows[0]
        if reason is None:
            text, ok = QInputDialog.getText(
                self,
                self.tr("Revoke badge"),
                self.tr("Why revoke “{badge}” from @{user}?").format(badge=b.name, user=g.username),
            )
            if not ok:
                return
            reason = text
        why = reason
        badge_id = b.id

        def done(q: Any) -> None:
            messages.info(self.tr("Queued: {action}").format(action=core_text(q.description)))

        queue_and_push(
            self,
            self.backend,
            lambda: self.backend.rec.revoke(badge_id, g.username, reason=why),
            done=done,
            refused=lambda msg: messages.warning(msg),
        )
