"""/session/current.json tells a client whom its key acts as (needed for user API keys,
whose owner the console does not know until it asks)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.helpers.waits import WAIT_S


def test_session_current_names_the_key_owner(demo_server: Any) -> None:
    creds = demo_server.credentials
    with httpx.Client(base_url=demo_server.base_url, timeout=WAIT_S) as http:
        for ident, staff in ((creds.moderator, True), (creds.member, False), (creds.admin, True)):
            r = http.get("/session/current.json", headers=ident.headers())
            assert r.status_code == 200, r.text
            user = r.json()["current_user"]
            assert user["username"] == ident.username
            assert user["staff"] is staff
        anonymous = http.get("/session/current.json")
        assert anonymous.status_code == 404
        assert anonymous.json()["error_type"] == "not_found"
