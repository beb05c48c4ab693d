"""Recognition safeguards (issue 15, point 6): approving a nomination needs the programme's seconds
(default one, from a teammate) unless an explicit override gives its reason — journaled with every
action; the bulk-award preview names the badge's tier; the verb forms in the lists are English."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from modconsole import settings as registry
from modconsole.demo.server import DemoServer
from modconsole.errors import InvalidInput
from modconsole.outbox import store
from modconsole.services.moderation import ActionRefused
from modconsole.services.recognition import _overlay_label
from modconsole.services.superusers import SUPERUSERS, ProgramSettings
from tests.core.test_recognition import DEMO_NOW, Console


@pytest.fixture
def mod1(demo_server: DemoServer, tmp_path: Path) -> Iterator[Console]:
    c = Console(tmp_path, demo_server, "moderator")
    c.sync()
    c.mod.probe_permissions()
    yield c
    c.close()


def _open_nomination(c: Console) -> int:
    cand = c.su.rank(now=DEMO_NOW).candidates[0]
    c.su.nominate(cand.user_id, "Answers payroll questions within hours, kindly.", now=DEMO_NOW)
    c.push()
    c.sync()
    n = c.su.list_nominations()[0]
    assert n.state == "open" and n.topic_id is not None and n.seconds == 0
    return n.topic_id


def test_the_nominator_cannot_approve_their_own_nomination_without_a_second(mod1: Console) -> None:
    assert mod1.su.settings().required_seconds == 1  # the default
    tid = _open_nomination(mod1)
    with pytest.raises(ActionRefused, match="0 of the 1 second"):
        mod1.su.approve(tid)
    with pytest.raises(ActionRefused, match="reason"):
        mod1.su.approve(tid, override="ok")  # an override needs a real reason
    assert mod1.su.list_nominations()[0].pending is None  # nothing queued by the refusals

    res = mod1.su.approve(tid, override="Board decision of 3 Nov, no teammate online this week")
    notes = [mod1.mod.get(q.op_uuid).note or "" for q in res.queued[:-1]]  # type: ignore[union-attr]
    assert notes and all("OVERRIDE by @" in x and "Board decision" in x for x in notes)  # journaled
    reply = mod1.mod.get(res.queued[-1].op_uuid)
    assert reply is not None
    raw = str(reply.payload.get("raw"))
    assert "without the required seconds (0 of 1)" in raw
    block = json.loads(raw.split("```modconsole-decision\n")[1].split("\n```")[0])
    assert block["override"] == {
        "seconds": 0,
        "required": 1,
        "reason": "Board decision of 3 Nov, no teammate online this week",
    }
    with mod1.cache.read() as conn:
        journal = [e["note"] for e in store.audit_entries(conn, None) if e["kind"] == "grant_badge"]
    assert any("OVERRIDE" in n and "Board decision" in n for n in journal)  # the audit CSV has it


def test_required_seconds_are_a_programme_setting(mod1: Console) -> None:
    mod1.su.save_settings(ProgramSettings(required_seconds=0))
    stored = registry.load(mod1.cache, SUPERUSERS)
    assert stored.required_seconds == 0
    assert ProgramSettings.from_dict({"required_seconds": 2}).required_seconds == 2
    assert ProgramSettings.from_dict({"required_seconds": "x"}).required_seconds == 1
    tid = _open_nomination(mod1)
    res = mod1.su.approve(tid)  # none needed: no override asked for, none journaled
    assert all("OVERRIDE" not in (mod1.mod.get(q.op_uuid).note or "") for q in res.queued)  # type: ignore[union-attr]
    mod1.su.save_settings(ProgramSettings(required_seconds=2))
    with pytest.raises(InvalidInput, match="negative"):
        registry.store(mod1.cache, SUPERUSERS, ProgramSettings(required_seconds=-1))


def test_bulk_preview_names_the_tier(mod1: Console) -> None:
    gold = mod1.rec.preview_bulk("Superuser", user_ids=[])
    assert gold.tier == "gold" and gold.badge_label == "“Superuser” (gold badge)"
    other = mod1.rec.preview_bulk("Community Champion", user_ids=[])
    assert other.tier in ("gold", "silver", "bronze") and f"({other.tier} badge)" in other.badge_label


def _row(kind: str, state: str) -> Any:
    return SimpleNamespace(kind=kind, state=state, payload={"user_id": 5, "badge_id": 7})


def test_overlay_verb_forms() -> None:
    assert _overlay_label([_row("revoke_badge", "done")], "revoke_badge", 5, 7) == "revoked, syncing"
    assert _overlay_label([_row("grant_badge", "done")], "grant_badge", 5, 7) == "awarded, syncing"
    assert _overlay_label([_row("revoke_badge", "pending")], "revoke_badge", 5, 7) == "revoke queued"
