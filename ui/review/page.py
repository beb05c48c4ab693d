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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
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

from modconsole.api.review import ReviewAction
from modconsole.changes import Changes
from modconsole.html import sanitize
from modconsole.services.review import ReviewEntry, ReviewService
from ui.ops import ChangeWatcher, MutationOp, QueryOp
from ui.push import PushFn, push_op
from ui.rowmodel import Col, RowsModel, make_view

if TYPE_CHECKING:
    from ui.services import Session

__all__ = ["ReviewBackend", "ReviewPage"]

TYPE_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("All items", None),
    ("Flagged posts", "flagged"),
    ("Queued posts", "queued"),
)
PRIORITY_FILTERS: tuple[tuple[str, str | None], ...] = (
    ("Any priority", None),
    ("Medium and high", "medium"),
    ("High only", "high"),
)
_KIND = {"ReviewableFlaggedPost": "Flag", "ReviewableQueuedPost": "Approval"}


@dataclass
class ReviewBackend:
    service: ReviewService
    push_fn: PushFn | None = None

    @classmethod
    def from_session(cls, session: Session) -> ReviewBackend:
        return cls(session.workspace.review, session.push_outbox)


def _reasons(e: ReviewEntry) -> str:
    if not e.item.reasons:
        return "Awaiting approval" if e.item.type == "ReviewableQueuedPost" else ""
    return ", ".join(f"{r.title} (@{r.username or '?'})" for r in e.item.reasons)


COLUMNS: tuple[Col[ReviewEntry], ...] = (
    Col("Score", lambda e: f"{e.item.score:g}", 52, numeric=True),
    Col("Kind", lambda e: _KIND.get(e.item.type, e.item.type), 84),
    Col("Reasons", _reasons, 180, tip=_reasons),
    Col(
        "Topic",
        lambda e: e.item.topic_title or f"topic {e.item.topic_id}",
        190,
        tip=lambda e: e.item.topic_title or "",
    ),
    Col("Author", lambda e: f"@{e.item.author}" if e.item.author else "", 110),
    Col(
        "Queued",
        lambda e: f"{e.queued_label} ({e.queued_state})" if e.queued_op else "",
        140,
        bold=lambda e: e.queued_state in ("conflict", "failed"),
    ),
)


class ReviewPage(QWidget):
    def __init__(self, backend: ReviewBackend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageReview")
        self.backend = backend
        self._entries: list[ReviewEntry] = []
        self._selected: int | None = None
        self.action_buttons: list[QPushButton] = []
        self.claim_button: QPushButton | None = None

        title = QLabel("Review")
        title.setProperty("role", "heading")
        blurb = QLabel(
            "Flagged posts and posts awaiting approval. Each action is saved to the outbox first and "
            "sent with the version you saw: if another moderator acted first, it waits in the Outbox."
        )
        blurb.setProperty("role", "muted")
        blurb.setWordWrap(True)

        self.type_filter = QComboBox()
        self.type_filter.setObjectName("reviewTypeFilter")
        self.type_filter.setAccessibleName("Kind of item")
        for label, _v in TYPE_FILTERS:
            self.type_filter.addItem(label)
        self.priority_filter = QComboBox()
        self.priority_filter.setObjectName("reviewPriorityFilter")
        self.priority_filter.setAccessibleName("Priority")
        for label, _v in PRIORITY_FILTERS:
            self.priority_filter.addItem(label)
        self.type_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.priority_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.count_label = QLabel("")
        self.count_label.setObjectName("reviewCount")
        self.count_label.setProperty("role", "muted")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setObjectName("reviewRefresh")
        self.refresh_button.setAccessibleName("Refresh the review queue")
        self.refresh_button.setToolTip("Read the review queue from the community")
        self.refresh_button.clicked.connect(self.refresh_from_community)
        bar = QHBoxLayout()
        bar.addWidget(self.type_filter)
        bar.addWidget(self.priority_filter)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.refresh_button)

        self.model: RowsModel[ReviewEntry] = RowsModel(COLUMNS, parent=self)
        self.table = make_view(self.model)
        self.table.setObjectName("reviewTable")
        self.table.setAccessibleName("Review items")
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.empty_label = QLabel("Nothing waits for review. Refresh reads the queue from the community.")
        self.empty_label.setProperty("role", "muted")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.empty_label)

        self.detail_title = QLabel("Select an item to see the post and the reasons.")
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
        self.post.setAccessibleName("Post under review")
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
        self._entries = list(entries)
        self.model.set_rows(self._entries)
        n = len(entries)
        self.count_label.setText(f"{n} item{'s' if n != 1 else ''} waiting")
        self.empty_label.setVisible(not entries)
        ids = [e.item.id for e in entries]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.table.selectRow(row)
            self._show(self._entries[row])
        else:
            self._selected = None
            self._show(None)

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
            self.detail_title.setText("Select an item to see the post and the reasons.")
            for w in (self.detail_meta, self.reasons_label, self.queued_label):
                w.setText("")
            self.post.setHtml("")
            self.post.setVisible(False)
            return
        it = entry.item
        self._selected = it.id
        kind = "Flagged post" if it.type == "ReviewableFlaggedPost" else "Post awaiting approval"
        self.detail_title.setText(f"{kind} in “{it.topic_title or f'topic {it.topic_id}'}”")
        where = f"post #{it.post_number} · " if it.post_number else ""
        claim = f" · claimed by @{it.claimed_by}" if it.claimed_by else ""
        self.detail_meta.setText(f"{where}by @{it.author or '?'} · score {it.score:g}{claim}")
        if it.reasons:
            lines = [f"{r.title} — reported by @{r.username or '?'} (+{r.score:g})" for r in it.reasons]
            self.reasons_label.setText("\n".join(lines))
        else:
            self.reasons_label.setText("Held for approval before it appears.")
        body = sanitize(it.cooked) if it.cooked else f"<p>{html.escape(it.raw or '')}</p>"
        self.post.setHtml(body)
        self.post.setVisible(True)
        if entry.queued_op:
            self.queued_label.setText(
                f"Queued: “{entry.queued_label}” ({entry.queued_state})."
                + (" Answer it on the Outbox page." if entry.queued_state in ("conflict", "failed") else "")
            )
            return
        self.queued_label.setText("")
        if it.claimable:
            self._claim_row(it.id, it.claimed_by)
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
            head.setFixedWidth(52)
            hl.addWidget(head)
            for a in acts:
                b = QPushButton(a.label)
                b.setObjectName(f"reviewAction_{a.id}")
                b.setAccessibleName(f"{bundle}: {a.label}" if head.text() else a.label)
                b.setToolTip(a.confirm_message or a.label)
                if a.client_action:
                    b.setEnabled(False)
                    b.setToolTip(
                        f"{a.label} needs a step only the community's site offers ({a.client_action})"
                    )
                b.clicked.connect(lambda _c=False, rid=it.id, act=a: self.perform(rid, act))
                hl.addWidget(b)
                self.action_buttons.append(b)
            hl.addStretch(1)
            self.actions_box.addWidget(line)
            self.action_rows.append(line)

    def _claim_row(self, reviewable_id: int, holder: str | None) -> None:
        """Where the community uses claiming: who holds the item, and Claim / Release."""
        line = QWidget()
        hl = QHBoxLayout(line)
        hl.setContentsMargins(0, 0, 0, 0)
        head = QLabel("Claim")
        head.setProperty("role", "muted")
        head.setFixedWidth(52)
        hl.addWidget(head)
        mine = bool(holder) and str(holder).lower() == self.backend.service.moderation.me.lower()
        b = QPushButton("Release claim" if mine else "Claim")
        b.setObjectName("reviewClaim")
        b.setAccessibleName("Release the claim on this item" if mine else "Claim this item")
        b.setToolTip("Tell the other moderators you are handling this item")
        b.setEnabled(mine or not holder)
        b.clicked.connect(lambda _c=False: self.claim(reviewable_id, release=mine))
        hl.addWidget(b)
        if holder and not mine:
            hl.addWidget(QLabel(f"held by @{holder}"))
        hl.addStretch(1)
        self.actions_box.addWidget(line)
        self.action_rows.append(line)
        self.claim_button = b

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
