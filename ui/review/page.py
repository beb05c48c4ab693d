"""The Review page: pending flags and queued posts, with the post, the reasons, the reporters and
the score of each, and one button per action the community offered for the selected item.

**Refresh** reads the queue from the community into the cache (``ReviewService.sync``, a
``MutationOp``); the list itself always comes from the cache, so it shows offline too. A button
queues the action in the outbox (``ReviewService.perform``, with the version the item was read
at) and then pushes through the one push policy (:func:`ui.push.push_op`); a conflict (someone
acted first) is answered on the Outbox page like every other. Items with a queued action show it
instead of the buttons; delivered ones leave the list.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from modconsole.changes import Changes
from modconsole.connectors.types import ReviewAction
from modconsole.html import sanitize
from modconsole.i18n import QT_TRANSLATE_NOOP
from modconsole.services.assign import AssignService
from modconsole.services.bulk import BulkService
from modconsole.services.outbox_view import STATE_LABELS
from modconsole.services.review import ReviewEntry, ReviewService
from ui import actions as key_actions
from ui.assign import Assigner, holder_text
from ui.bulk import BulkBar
from ui.i18n import core_text
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.push import PushFn, push_op
from ui.rowmodel import Col, RowsModel, make_view, with_empty_state

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["ReviewBackend", "ReviewPage"]

# Texts outside a method are marked here and translated where shown (context "ReviewPage").
TYPE_FILTERS: tuple[tuple[str, str | None], ...] = (
    (QT_TRANSLATE_NOOP("ReviewPage", "All items"), None),
    (QT_TRANSLATE_NOOP("ReviewPage", "Flagged posts"), "flagged"),
    (QT_TRANSLATE_NOOP("ReviewPage", "Queued posts"), "queued"),
)
PRIORITY_FILTERS: tuple[tuple[str, str | None], ...] = (
    (QT_TRANSLATE_NOOP("ReviewPage", "Any priority"), None),
    (QT_TRANSLATE_NOOP("ReviewPage", "Medium and high"), "medium"),
    (QT_TRANSLATE_NOOP("ReviewPage", "High only"), "high"),
)
_KIND = {
    "ReviewableFlaggedPost": QT_TRANSLATE_NOOP("ReviewPage", "Flag"),
    "ReviewableQueuedPost": QT_TRANSLATE_NOOP("ReviewPage", "Approval"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewPage", text)


def _topic(e: ReviewEntry) -> str:
    return e.item.topic_title or QCoreApplication.translate("ReviewPage", "topic {id}").format(
        id=e.item.topic_id
    )


def _queued(e: ReviewEntry) -> str:
    """The queued action (the community's own label) and its outbox state, in words."""
    state = core_text(STATE_LABELS.get(e.queued_state or "", e.queued_state or ""))
    return QCoreApplication.translate("ReviewPage", "{action} ({state})").format(
        action=e.queued_label, state=state
    )


@dataclass
class ReviewBackend:
    service: ReviewService
    push_fn: PushFn | None = None
    bulk: Callable[[], BulkService] | None = None
    assign: AssignService | None = None  # Assign: who holds the item's topic

    @classmethod
    def from_session(cls, session: Session) -> ReviewBackend:
        return cls(
            session.workspace.review,
            session.push_outbox,
            session.bulk,
            getattr(session.workspace, "assign", None),
        )


def _reasons(e: ReviewEntry) -> str:
    if not e.item.reasons:
        return (
            QCoreApplication.translate("ReviewPage", "Awaiting approval")
            if e.item.type == "ReviewableQueuedPost"
            else ""
        )
    return ", ".join(f"{r.title} (@{r.username or '?'})" for r in e.item.reasons)


COLUMNS: tuple[Col[ReviewEntry], ...] = (  # headers: context "Columns" (translated by RowsModel)
    Col(QT_TRANSLATE_NOOP("Columns", "Score"), lambda e: f"{e.item.score:g}", 52, numeric=True),
    Col(
        QT_TRANSLATE_NOOP("Columns", "Kind"),
        lambda e: _tr(_KIND[e.item.type]) if e.item.type in _KIND else e.item.type,
        84,
    ),
    Col(QT_TRANSLATE_NOOP("Columns", "Reasons"), _reasons, 180, tip=_reasons),
    Col(QT_TRANSLATE_NOOP("Columns", "Topic"), _topic, 190, tip=lambda e: e.item.topic_title or ""),
    Col(QT_TRANSLATE_NOOP("Columns", "Author"), lambda e: f"@{e.item.author}" if e.item.author else "", 110),
    Col(
        QT_TRANSLATE_NOOP("Columns", "Queued"),
        lambda e: _queued(e) if e.queued_op else "",
        140,
        bold=lambda e: e.queued_state in ("conflict", "failed"),
    ),
)


class ReviewPage(QWidget):
    bulk_done = Signal(object)  # a BulkResult: the window offers to undo it

    def __init__(self, backend: ReviewBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageReview")
        self.backend = backend
        self._entries: list[ReviewEntry] = []
        self._selected: int | None = None
        self.action_buttons: list[QPushButton] = []
        self.claim_button: QPushButton | None = None

        title = QLabel(self.tr("Review"))
        title.setProperty("role", "heading")
        blurb = QLabel(
            self.tr(
                "Flagged posts and posts awaiting approval. Each action is saved to the outbox first and "
                "sent with the version you saw: if another moderator acted first, it waits in the Outbox."
            )
        )
        blurb.setProperty("role", "muted")
        blurb.setWordWrap(True)

        self.type_filter = QComboBox()
        self.type_filter.setObjectName("reviewTypeFilter")
        self.type_filter.setAccessibleName(self.tr("Kind of item"))
        for label, _v in TYPE_FILTERS:
            self.type_filter.addItem(self.tr(label))
        self.priority_filter = QComboBox()
        self.priority_filter.setObjectName("reviewPriorityFilter")
        self.priority_filter.setAccessibleName(self.tr("Priority"))
        for label, _v in PRIORITY_FILTERS:
            self.priority_filter.addItem(self.tr(label))
        self.type_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.priority_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.count_label = QLabel("")
        self.count_label.setObjectName("reviewCount")
        self.count_label.setProperty("role", "muted")
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.setObjectName("reviewRefresh")
        self.refresh_button.setAccessibleName(self.tr("Refresh the review queue"))
        self.refresh_button.setToolTip(self.tr("Read the review queue from the community"))
        self.refresh_button.clicked.connect(self.refresh_from_community)
        bar = QHBoxLayout()
        bar.addWidget(self.type_filter)
        bar.addWidget(self.priority_filter)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)
        self.filter_bar = bar  # the bulk bar goes in here (beside the count): the list never moves

        self.model: RowsModel[ReviewEntry] = RowsModel(COLUMNS, parent=self)
        self.table = make_view(self.model)
        self.table.setObjectName("reviewTable")
        self.table.setAccessibleName(self.tr("Review items"))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        # several items at once (Shift/Ctrl+click): one offered action for all, after a dry run
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.bulk_bar = BulkBar(
            lambda: backend.bulk() if backend.bulk else None, self.selected_ids, choice=True
        )
        self.bulk_bar.done.connect(self.bulk_done)
        self.filter_bar.insertWidget(3, self.bulk_bar, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._on_selection())
        left, self.empty_label = with_empty_state(
            self.table,
            self.tr("Nothing waits for review. Refresh reads the queue from the community."),
        )

        self.detail_title = QLabel(self.tr("Select an item to see the post and the reasons."))
        self.detail_title.setObjectName("reviewDetailTitle")
        self.detail_title.setWordWrap(True)
        f = self.detail_title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.1)
        self.detail_title.setFont(f)
        self.detail_meta = QLabel("")
        self.detail_meta.setObjectName("reviewDetailMeta")
        self.detail_meta.setWordWrap(True)
        self.detail_meta.setTextFormat(Qt.TextFormat.PlainText)
        self.post = QTextBrowser()
        self.post.setObjectName("reviewPost")
        self.post.setAccessibleName(self.tr("Post under review"))
        self.post.setOpenLinks(False)
        self.post.setOpenExternalLinks(False)
        self.post.setFrameShape(QFrame.Shape.StyledPanel)
        self.reasons_label = QLabel("")
        self.reasons_label.setObjectName("reviewReasons")
        self.reasons_label.setWordWrap(True)
        self.reasons_label.setTextFormat(Qt.TextFormat.PlainText)
        self.queued_label = QLabel("")
        self.queued_label.setObjectName("reviewQueued")
        self.queued_label.setWordWrap(True)
        self.actions_box = QVBoxLayout()  # one row per bundle: its label, then its actions
        self.actions_box.setSpacing(4)
        actions_widget = QWidget()
        actions_widget.setObjectName("reviewActions")
        ab = QVBoxLayout(actions_widget)
        ab.setContentsMargins(0, 0, 0, 0)
        ab.addLayout(self.actions_box)
        self.action_rows: list[QWidget] = []
        detail = QWidget()
        detail.setObjectName("reviewDetail")
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(12, 4, 6, 10)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.detail_meta)
        dl.addWidget(self.reasons_label)
        dl.addWidget(self.post, 1)
        dl.addWidget(self.queued_label)
        dl.addWidget(actions_widget)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("reviewSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([400, 460])  # the detail keeps room for a bundle of three actions

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(title)
        layout.addWidget(blurb)
        layout.addSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

        self.watcher = ChangeWatcher(self, kinds=("outbox",), refresh=lambda _c: self.reload())
        # Assign the item's topic: M to me, Shift+M the picker (the queue's keys, on this page)
        self.assigner = Assigner(self, backend.assign, backend.push_fn)
        self.assigner.done.connect(lambda _t: self.reload())
        self.assign_button: QPushButton | None = None
        self.assign_holder: QLabel | None = None
        for action_id, slot in (
            ("queue.assign_me", lambda: self.assigner.assign_to_me(self._selected_topic())),
            ("queue.assign", lambda: self.assigner.pick(self._selected_topic(), self._selected_title())),
        ):
            self.addAction(key_actions.make_action(key_actions.spec(action_id), self, slot))
        self._show(None)
        self.reload()

    # ------------------------------------------------------------ loading

    def filters(self) -> tuple[str | None, str | None]:
        return (
            TYPE_FILTERS[max(0, self.type_filter.currentIndex())][1],
            PRIORITY_FILTERS[max(0, self.priority_filter.currentIndex())][1],
        )

    @Slot()
    def reload(self) -> None:
        kind, priority = self.filters()
        service = self.backend.service
        QueryOp(
            self, op=lambda _t: tuple(service.entries(type=kind, priority=priority)), success=self._apply
        ).run_in_background()

    def _apply(self, entries: tuple[ReviewEntry, ...]) -> None:
        keep = self._selected
        others = self.selected_ids()
        self._entries = list(entries)
        self.model.set_rows(self._entries)
        n = len(entries)
        self.count_label.setText(self.tr("%n item(s) waiting", "", n))
        self.empty_label.setVisible(not entries)
        ids = [e.item.id for e in entries]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
            self._show(self._entries[row])
            if len(others) > 1:  # a multi-selection survives the refresh (a bulk action)
                sm = self.table.selectionModel()
                flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
                for rid in others:
                    if rid in ids:
                        sm.select(self.model.index(ids.index(rid), 0), flags)
        else:
            self._selected = None
            self._show(None)
        self._on_selection()

    # ------------------------------------------------------------ multi-selection

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [e.item.id for r in rows if (e := self.model.row_at(r)) is not None]

    def _on_selection(self) -> None:
        """The bulk bar's buttons: each action offered by a selected item (the community's label)."""
        chosen = set(self.selected_ids())
        offered: dict[str, str] = {}
        for e in self._entries:
            if e.item.id in chosen:
                for a in e.item.actions:
                    if not a.client_action:
                        offered.setdefault(a.id, a.label)
        if len(chosen) >= 2:
            self.bulk_bar.set_actions(
                [
                    (f"review_{i}", f"{label}…", {"action": "review", "action_id": i})
                    for i, label in offered.items()
                ]
            )
        self.bulk_bar.update_count()

    @Slot()
    def refresh_from_community(self) -> None:
        service = self.backend.service
        self.refresh_button.setEnabled(False)

        def done(_value: Any) -> None:
            self.refresh_button.setEnabled(True)
            self.reload()

        def failed(exc: BaseException) -> None:
            self.refresh_button.setEnabled(True)
            from ui.messages import present_failure

            present_failure(exc)

        (
            MutationOp(self, op=lambda token, _p: (lambda r: (r.changes, r))(service.sync(token)))
            .success(done)
            .failure(failed)
            .run_in_background(initiator=self)
        )

    @Slot(object, object)
    def _on_current(self, current: Any, _previous: Any) -> None:
        entry = self.model.row_at(current.row()) if current.isValid() else None
        if entry is not None:
            self._show(entry)

    # ------------------------------------------------------------ details

    def _show(self, entry: ReviewEntry | None) -> None:
        for w in self.action_rows:
            self.actions_box.removeWidget(w)
            w.deleteLater()
        self.action_buttons = []
        self.action_rows = []
        self.claim_button = None
        if entry is None:
            self._selected = None
            self.detail_title.setText(self.tr("Select an item to see the post and the reasons."))
            for w in (self.detail_meta, self.reasons_label, self.queued_label):
                w.setText("")
            self.post.setHtml("")
            self.post.setVisible(False)
            return
        it = entry.item
        self._selected = it.id
        topic = it.topic_title or self.tr("topic {id}").format(id=it.topic_id)
        if it.type == "ReviewableFlaggedPost":
            self.detail_title.setText(self.tr("Flagged post in “{topic}”").format(topic=topic))
        else:
            self.detail_title.setText(self.tr("Post awaiting approval in “{topic}”").format(topic=topic))
        meta = [self.tr("post #{n}").format(n=it.post_number)] if it.post_number else []
        meta.append(self.tr("by @{author}").format(author=it.author or "?"))
        meta.append(self.tr("score {score}").format(score=f"{it.score:g}"))
        if it.claimed_by:
            meta.append(self.tr("claimed by @{user}").format(user=it.claimed_by))
        self.detail_meta.setText(" · ".join(meta))
        if it.reasons:
            lines = [
                self.tr("{reason} — reported by @{user} (+{score})").format(
                    reason=r.title, user=r.username or "?", score=f"{r.score:g}"
                )
                for r in it.reasons
            ]
            self.reasons_label.setText("\n".join(lines))
        else:
            self.reasons_label.setText(self.tr("Held for approval before it appears."))
        body = sanitize(it.cooked) if it.cooked else f"<p>{html.escape(it.raw or '')}</p>"
        self.post.setHtml(body)
        self.post.setVisible(True)
        if entry.queued_op:
            state = core_text(STATE_LABELS.get(entry.queued_state or "", entry.queued_state or ""))
            if entry.queued_state in ("conflict", "failed"):
                text = self.tr("Queued: “{action}” ({state}). Answer it on the Outbox page.")
            else:
                text = self.tr("Queued: “{action}” ({state}).")
            self.queued_label.setText(text.format(action=entry.queued_label, state=state))
            return
        self.queued_label.setText("")
        if it.claimable:
            self._claim_row(it.id, it.claimed_by)
        if it.topic_id is not None and self.backend.assign is not None:
            self._assign_row(it.topic_id, it.topic_title or "")
        bundles: dict[str, list[ReviewAction]] = {}
        for a in it.actions:
            bundles.setdefault(a.bundle, []).append(a)
        for bundle, acts in bundles.items():
            line = QWidget()
            hl = QHBoxLayout(line)
            hl.setContentsMargins(0, 0, 0, 0)
            hl.setSpacing(6)
            head = QLabel(bundle if bundle and (len(acts) > 1 or bundle != acts[0].label) else "")
            head.setProperty("role", "muted")
            head.setFixedWidth(self._head_width())
            hl.addWidget(head)
            for a in acts:
                b = QPushButton(a.label)
                b.setObjectName(f"reviewAction_{a.id}")
                b.setAccessibleName(f"{bundle}: {a.label}" if head.text() else a.label)
                b.setToolTip(a.confirm_message or a.label)
                if a.client_action:
                    b.setEnabled(False)
                    b.setToolTip(
                        self.tr("{action} needs a step only the community's site offers ({step})").format(
                            action=a.label, step=a.client_action
                        )
                    )
                b.clicked.connect(lambda _c=False, rid=it.id, act=a: self.perform(rid, act))
                hl.addWidget(b)
                self.action_buttons.append(b)
            hl.addStretch(1)
            self.actions_box.addWidget(line)
            self.action_rows.append(line)

    def _head_width(self) -> int:
        """The rows' label column: 52 px, or wider for the claim row's label (German is longer)."""
        claim = self.tr("Claim", "the label of the claim row")
        assign = self.tr("Assign", "the label of the assign row")
        return max(
            52,
            self.fontMetrics().horizontalAdvance(claim) + 6,
            self.fontMetrics().horizontalAdvance(assign) + 6,
        )

    def _claim_row(self, reviewable_id: int, holder: str | None) -> None:
        """Where the community uses claiming: who holds the item, and Claim / Release."""
        line = QWidget()
        hl = QHBoxLayout(line)
        hl.setContentsMargins(0, 0, 0, 0)
        head = QLabel(self.tr("Claim", "the label of the claim row"))
        head.setProperty("role", "muted")
        head.setFixedWidth(self._head_width())
        hl.addWidget(head)
        mine = bool(holder) and str(holder).lower() == self.backend.service.moderation.me.lower()
        b = QPushButton(self.tr("Release claim") if mine else self.tr("Claim"))
        b.setObjectName("reviewClaim")
        b.setAccessibleName(self.tr("Release the claim on this item") if mine else self.tr("Claim this item"))
        b.setToolTip(self.tr("Tell the other moderators you are handling this item"))
        b.setEnabled(mine or not holder)
        b.clicked.connect(lambda _c=False: self.claim(reviewable_id, release=mine))
        hl.addWidget(b)
        if holder and not mine:
            hl.addWidget(QLabel(self.tr("held by @{user}").format(user=holder)))
        hl.addStretch(1)
        self.actions_box.addWidget(line)
        self.action_rows.append(line)
        self.claim_button = b

    def _assign_row(self, topic_id: int, title: str) -> None:
        """Who holds the item's topic (Assign), with To me (M) and Assign… (Shift+M)."""
        assert self.backend.assign is not None
        line = QWidget()
        hl = QHBoxLayout(line)
        hl.setContentsMargins(0, 0, 0, 0)
        head = QLabel(self.tr("Assign", "the label of the assign row"))
        head.setProperty("role", "muted")
        head.setFixedWidth(self._head_width())
        hl.addWidget(head)
        me = QPushButton(self.tr("To me"))
        me.setObjectName("reviewAssignMe")
        me.setAccessibleName(self.tr("Assign this topic to me"))
        me.setToolTip(self.tr("Take this item's topic (M)"))
        me.clicked.connect(lambda _c=False: self.assigner.assign_to_me(topic_id))
        pick = QPushButton(self.tr("Assign…"))
        pick.setObjectName("reviewAssignPick")
        pick.setToolTip(self.tr("Assign it to a teammate or a group, or unassign it (Shift+M)"))
        pick.clicked.connect(lambda _c=False: self.assigner.pick(topic_id, title))
        hl.addWidget(me)
        hl.addWidget(pick)
        holder = self.backend.assign.holder(topic_id)
        label = QLabel(holder_text(holder))
        label.setObjectName("reviewAssignHolder")
        label.setProperty("role", "muted")
        me.setEnabled(not (holder is not None and holder.mine and not holder.group))
        hl.addWidget(label)
        hl.addStretch(1)
        self.actions_box.addWidget(line)
        self.action_rows.append(line)
        self.assign_button = pick
        self.assign_holder = label

    def _current_entry(self) -> ReviewEntry | None:
        return next((e for e in self._entries if e.item.id == self._selected), None)

    def _selected_topic(self) -> int | None:
        e = self._current_entry()
        return e.item.topic_id if e is not None else None

    def _selected_title(self) -> str:
        e = self._current_entry()
        return (e.item.topic_title or "") if e is not None else ""

    def claim(self, reviewable_id: int, *, release: bool = False) -> None:
        service = self.backend.service

        def op(_token: Any, _progress: Any) -> tuple[Changes, Any]:
            q = service.claim(reviewable_id, release=release)
            return q.changes, q

        def pushed(_outcome: Any) -> None:
            MutationOp(self, op=lambda _t, _p: service.refresh([reviewable_id])).success(
                lambda _v: self.reload()
            ).run_in_background(initiator=self)

        def queued(_value: Any) -> None:
            if self.backend.push_fn is not None:
                push_op(self, self.backend.push_fn).success(pushed).run_in_background(initiator=self)

        MutationOp(self, op=op).success(queued).run_in_background(initiator=self)

    def perform(self, reviewable_id: int, action: ReviewAction) -> None:
        """Queue the action (the outbox), then push through the one push policy."""
        service = self.backend.service

        def queued(_value: Any) -> None:
            self.reload()
            if self.backend.push_fn is not None:
                push_op(self, self.backend.push_fn).success(lambda _outcome: self.reload()).run_in_background(
                    initiator=self
                )

        def op(_token: Any, _progress: Any) -> tuple[Changes, Any]:
            q = service.perform(reviewable_id, action.id)
            return q.changes, q

        MutationOp(self, op=op).success(queued).run_in_background(initiator=self)

    def entries(self) -> list[ReviewEntry]:
        return list(self._entries)
