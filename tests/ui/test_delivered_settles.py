"""An action the moderator delivered shows in the cache at once, even where no incremental pull
would see it: an accepted answer does not bump its topic (CONTRACT §3.6), so after a push the
session re-reads exactly those targets — and the next sync does not make the accept vanish."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from modconsole.tasks import CancelToken
from ui.services import Session


@pytest.fixture
def synced(synced_session: Session) -> Session:
    return synced_session


def _accepted(session: Session, topic_id: int) -> int | None:
    with session.cache.read() as conn:
        row = conn.execute(
            text("SELECT post_id FROM solutions WHERE topic_id = :t AND gone_since IS NULL"), {"t": topic_id}
        ).first()
    return None if row is None else int(row[0])


def test_a_delivered_accept_is_in_the_cache_after_the_push_and_stays(synced: Session) -> None:
    with synced.cache.read() as conn:
        topic_id, post_id = conn.execute(
            text(
                "SELECT t.id, p.id FROM topics t JOIN categories c ON c.id = t.category_id "
                "JOIN posts p ON p.topic_id = t.id AND p.post_number > 1 AND p.post_type = 1 "
                "AND p.deleted_at IS NULL AND p.user_id IS NOT t.user_id "
                "WHERE c.accepts_answers = 1 AND t.has_accepted_answer = 0 AND t.closed = 0 "
                "AND t.gone_since IS NULL ORDER BY t.id LIMIT 1"
            )
        ).one()
    moderation = synced._moderation
    assert moderation is not None
    token = CancelToken()
    moderation.accept(post_id, topic_id, token, lambda _p: None)
    assert _accepted(synced, topic_id) is None  # queued: an overlay, the mirror is server truth

    outcome = synced.push_outbox(token)
    assert outcome.delivered == 1 and outcome.still_queued == 0 and outcome.online is True
    assert outcome.refreshed.topic_ids == {topic_id} and outcome.refresh_error is None
    assert outcome.changes.touches("topics", topic_id) and outcome.changes.outbox
    assert _accepted(synced, topic_id) == post_id  # re-read at once, no rescan needed
    assert moderation.service.unsettled() == []

    synced.sync_once(token)  # an incremental pull that never lists this topic
    assert _accepted(synced, topic_id) == post_id
    assert moderation.overlay_accepted() == {}
