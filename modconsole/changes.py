"""What a mutation or a sync changed, after Anki's ``OpChanges`` (Qt-free).

Every cache-writing operation returns a :class:`Changes`. The GUI broadcasts it once
(``AppSignals.changes_applied``) and each view refreshes only if a kind it shows was touched.

Each kind has a flag; most also have an id set. The id set is a *hint*: a set flag with an
empty id set means "some, unknown which" (refresh everything of that kind), and ids are only
meaningful while their flag is set. Use :meth:`Changes.touches` rather than reading the
fields when deciding whether to refresh one row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["ID_KINDS", "KINDS", "Changes", "ChangesThrottle"]

KINDS: tuple[str, ...] = (
    "topics",
    "posts",
    "users",
    "badges",
    "user_badges",
    "groups",
    "categories",
    "reports",
    "outbox",
    "settings",
    "kpis",
)
"""Every kind of change, by flag name."""

ID_KINDS: dict[str, str] = {
    "topics": "topic_ids",
    "posts": "post_ids",
    "users": "user_ids",
    "badges": "badge_ids",
    "user_badges": "user_badge_ids",
    "groups": "group_ids",
    "categories": "category_ids",
    "outbox": "outbox_ids",
}
"""Kinds that carry an id set: flag name → id field name."""

_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Changes:
    """An immutable change set. Combine with ``a | b`` (or ``a.merge(b)``)."""

    topics: bool = False
    posts: bool = False
    users: bool = False
    badges: bool = False
    user_badges: bool = False
    groups: bool = False
    categories: bool = False
    reports: bool = False
    outbox: bool = False
    settings: bool = False
    kpis: bool = False

    topic_ids: frozenset[int] = _EMPTY
    post_ids: frozenset[int] = _EMPTY
    user_ids: frozenset[int] = _EMPTY
    badge_ids: frozenset[int] = _EMPTY
    user_badge_ids: frozenset[int] = _EMPTY
    group_ids: frozenset[int] = _EMPTY
    category_ids: frozenset[int] = _EMPTY
    outbox_ids: frozenset[int] = _EMPTY

    def __post_init__(self) -> None:
        # Accept any iterable of ids; giving ids implies the flag.
        for kind, id_field in ID_KINDS.items():
            ids: Any = getattr(self, id_field)
            if not isinstance(ids, frozenset):
                ids = frozenset(ids)
                object.__setattr__(self, id_field, ids)
            if ids and not getattr(self, kind):
                object.__setattr__(self, kind, True)

    # ------------------------------------------------------------ constructors

    @classmethod
    def none(cls) -> Changes:
        """Nothing changed."""
        return cls()

    @classmethod
    def everything(cls) -> Changes:
        """Every kind changed, ids unknown (e.g. after a full resync or a cache reset)."""
        flags: dict[str, Any] = dict.fromkeys(KINDS, True)
        return cls(**flags)

    @classmethod
    def of(cls, *kinds: str) -> Changes:
        """Flags for ``kinds`` (no ids): ``Changes.of("topics", "kpis")``."""
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown change kinds: {sorted(unknown)}")
        flags: dict[str, Any] = dict.fromkeys(kinds, True)
        return cls(**flags)

    # ------------------------------------------------------------ queries

    def any(self) -> bool:
        """Whether anything at all changed."""
        return any(getattr(self, kind) for kind in KINDS)

    def kinds(self) -> frozenset[str]:
        """The names of the kinds whose flag is set."""
        return frozenset(kind for kind in KINDS if getattr(self, kind))

    def touches(self, kind: str, item_id: int | None = None) -> bool:
        """Whether ``kind`` changed; with ``item_id``, whether that item may have changed.

        An item may have changed when the flag is set and either the id set is empty
        (unknown which) or it contains ``item_id``.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown change kind: {kind!r}")
        if not getattr(self, kind):
            return False
        if item_id is None or kind not in ID_KINDS:
            return True
        ids: frozenset[int] = getattr(self, ID_KINDS[kind])
        return not ids or item_id in ids

    def touches_any(self, kinds: Iterable[str]) -> bool:
        """Whether any of ``kinds`` changed."""
        return any(self.touches(kind) for kind in kinds)

    # ------------------------------------------------------------ combining

    def merge(self, other: Changes) -> Changes:
        """The union of two change sets.

        Flags are or-ed. Ids are united, except that "unknown which" (a set flag with no ids)
        on either side wins, so merging never narrows what must be refreshed.
        """
        values: dict[str, Any] = {}
        for kind in KINDS:
            values[kind] = getattr(self, kind) or getattr(other, kind)
        for kind, id_field in ID_KINDS.items():
            mine: frozenset[int] = getattr(self, id_field)
            theirs: frozenset[int] = getattr(other, id_field)
            unknown = (getattr(self, kind) and not mine) or (getattr(other, kind) and not theirs)
            values[id_field] = _EMPTY if unknown else mine | theirs
        return Changes(**values)

    def __or__(self, other: object) -> Changes:
        if not isinstance(other, Changes):
            return NotImplemented
        return self.merge(other)

    def __bool__(self) -> bool:
        return self.any()

    def __repr__(self) -> str:
        if not self.any():
            return "Changes()"
        parts = []
        for kind in KINDS:
            if not getattr(self, kind):
                continue
            ids: frozenset[int] = getattr(self, ID_KINDS[kind]) if kind in ID_KINDS else _EMPTY
            parts.append(f"{kind}={sorted(ids)}" if ids else kind)
        return f"Changes({', '.join(parts)})"


class ChangesThrottle:
    """Lets changes through at most once per ``interval`` seconds, merging what it holds back.

    ``offer(changes, at)`` (``at``: the clock's seconds, an input) returns the changes to pass on
    now — everything offered since the last pass, merged by :meth:`Changes.merge` — or ``None``
    while the last pass is less than ``interval`` ago. Nothing is lost: held changes go with the
    next pass (or :meth:`flush`). Not thread-safe: one caller (or a caller's lock).
    """

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._held = Changes()
        self._last: float | None = None

    def offer(self, changes: Changes | None, at: float) -> Changes | None:
        if changes is not None:
            self._held = self._held | changes
        if not self._held or (self._last is not None and at - self._last < self.interval):
            return None
        out, self._held, self._last = self._held, Changes(), at
        return out

    def flush(self) -> Changes:
        """What is held back, now (e.g. when the work ends)."""
        out, self._held = self._held, Changes()
        return out
