"""The outbox's side of the Vanilla connector — not built yet (issue #16 part 4, a later layer).

Every write the outbox would send answers one clear line instead of reaching Discourse's routes:
the sync (:mod:`.sync`) works on Vanilla, moderation actions do not yet. What exactly-once will
mean here is in the contract (CONTRACT §9: accept/reject/react idempotent; badge grant and group
add check-then-act; comments not idempotent)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from modconsole.api.client import ApiClient
from modconsole.api.ratelimit import CancelLike
from modconsole.connectors.base import ProbeResult, Request
from modconsole.connectors.vanilla import session
from modconsole.errors import InvalidInput

NOT_YET = "Sending moderation actions to a Vanilla community is not available in this version yet."


class VanillaActions:
    """An :class:`~modconsole.connectors.base.ActionAdapter` that refuses every action (one line)."""

    TOKEN_KINDS: frozenset[str] = frozenset()
    USER_KINDS: frozenset[str] = frozenset()
    REVIEW_NOTHING = "Vanilla has no review queue in the console."
    REVIEW_NO_LONGER_OFFERED = REVIEW_NOTHING
    ASSIGN_KINDS: frozenset[str] = frozenset()

    def _refuse(self) -> InvalidInput:
        return InvalidInput(NOT_YET)

    def request_for(self, kind: str, p: Mapping[str, Any]) -> Request:
        raise self._refuse()

    def probe(self, client: ApiClient, kind: str, p: Mapping[str, Any], *, me: str) -> ProbeResult:
        raise self._refuse()

    def success_resolution(
        self, kind: str, p: Mapping[str, Any], value: Any, *, my_user_id: int | None
    ) -> tuple[str, Any]:
        raise self._refuse()

    def token_for(self, op_uuid: str, raw: str) -> str | None:
        return None

    def verify(self, client: ApiClient, *, cancel: CancelLike | None = None) -> dict[str, Any]:
        return session.verify(client, cancel=cancel)

    def read_label(self, what: str, ident: int | str | None = None) -> str:
        return f"read {what}" + ("" if ident is None else f" {ident}")

    def admin_user(self, client: ApiClient, user_id: int) -> dict[str, Any] | None:
        raise self._refuse()

    def user_list(self, client: ApiClient, flag: str) -> Any:
        raise self._refuse()

    def user_grants(self, client: ApiClient, badge_id: int, username: str) -> list[dict[str, Any]]:
        raise self._refuse()

    def topic_view(self, client: ApiClient, topic_id: int) -> dict[str, Any] | None:
        raise self._refuse()

    def accepted_post_numbers(self, view: Mapping[str, Any]) -> set[int]:
        raise self._refuse()

    def unaccept_state(self, view: Mapping[str, Any], p: Mapping[str, Any]) -> ProbeResult:
        raise self._refuse()

    def review_item(self, client: ApiClient, reviewable_id: int) -> Any:
        raise self._refuse()

    def review_state(self, item: Any, p: Mapping[str, Any], *, me: str) -> ProbeResult:
        raise self._refuse()

    def assign_state(self, kind: str, view: Mapping[str, Any] | None, p: Mapping[str, Any]) -> ProbeResult:
        raise self._refuse()


ACTIONS = VanillaActions()
