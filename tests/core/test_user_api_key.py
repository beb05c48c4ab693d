"""The User API key flow's client side, against the demo community's real consent endpoint."""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding

from modconsole.auth.user_api_key import UserApiKeyRequest, extract_payload
from modconsole.errors import InvalidInput
from tests.helpers.waits import WAIT_S


def _encrypt(req: UserApiKeyRequest, data: dict[str, object]) -> str:
    pub = serialization.load_pem_public_key(req.public_key_pem.encode())
    raw = pub.encrypt(json.dumps(data).encode(), padding.PKCS1v15())  # type: ignore[union-attr,call-arg]
    return base64.encodebytes(raw).decode()  # MIME style, with line breaks, like Ruby


def test_authorization_url_carries_the_contract_parameters() -> None:
    req = UserApiKeyRequest.create("https://forum.example.com/", client_id="cid-1", key_size=1024)
    url = urlsplit(req.authorization_url(auth_redirect="modconsole://auth"))
    q = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/user-api-key/new" and url.netloc == "forum.example.com"
    assert q["client_id"] == "cid-1" and q["scopes"] == "read,write" and q["nonce"] == req.nonce
    assert q["application_name"] == "Moderator Console" and q["auth_redirect"] == "modconsole://auth"
    assert q["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in repr(req)


def test_decrypts_payload_and_redirect_url_and_checks_nonce() -> None:
    req = UserApiKeyRequest.create("https://f.example", client_id="c", key_size=1024)
    payload = _encrypt(req, {"key": "abc123", "nonce": req.nonce, "push": False, "api": 4})
    assert req.decrypt(payload).key == "abc123"
    redirect = f"modconsole://auth?payload={quote(payload, safe='')}"
    got = req.decrypt(redirect)
    assert got.key == "abc123" and got.api_version == 4 and "abc123" not in repr(got)
    assert extract_payload(redirect) == payload
    with pytest.raises(InvalidInput, match="nonce"):
        req.decrypt(_encrypt(req, {"key": "k", "nonce": "other"}))
    other = UserApiKeyRequest.create("https://f.example", client_id="c", key_size=1024)
    with pytest.raises(InvalidInput, match="decrypted"):
        other.decrypt(payload)
    with pytest.raises(InvalidInput):
        req.decrypt("%%% not base64 %%%")
    with pytest.raises(InvalidInput):
        req.decrypt("   ")


def test_flow_against_the_demo_community(demo_server: object) -> None:
    base = demo_server.base_url  # type: ignore[attr-defined]
    req = UserApiKeyRequest.create(base, client_id="modconsole-test")
    with httpx.Client(base_url=base, timeout=WAIT_S) as http:
        assert http.get(req.authorization_url()).status_code == 200
        consent = dict(req.params())
        consent.update(username=demo_server.credentials.moderator.username, password="demo")  # type: ignore[attr-defined]
        answer = http.post("/user-api-key.json", data=consent)
        assert answer.status_code == 200
        key = req.decrypt(answer.json()["payload"]).key
        me = http.get(f"/u/{consent['username']}.json", headers={"User-Api-Key": key})
    assert me.status_code == 200
