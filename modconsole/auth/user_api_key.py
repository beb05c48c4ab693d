"""Discourse's User API key flow, the client side (CONTRACT.md §2.2), Qt-free.

1. :meth:`UserApiKeyRequest.create` makes a local RSA key pair (2048 bit), a random nonce and
   takes a stable ``client_id``;
2. :meth:`UserApiKeyRequest.authorization_url` is the ``/user-api-key/new`` address the
   moderator opens in a browser (``application_name``, ``client_id``, ``scopes``,
   ``public_key``, ``nonce`` and optionally ``auth_redirect``);
3. the site shows the encrypted payload (no redirect) or redirects to ``auth_redirect?payload=…``;
   the moderator pastes either back and :meth:`UserApiKeyRequest.decrypt` returns the key after
   checking the nonce. The payload is RSA PKCS#1 v1.5 (Ruby's default padding), Base64 with
   line breaks.

The private key lives only in memory, inside the request object; the payload holds the API key,
so neither appears in ``repr`` or in error messages.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from modconsole.connectors.base import UserKeyFlow
from modconsole.connectors.registry import default_connector
from modconsole.errors import InvalidInput

__all__ = ["DEFAULT_SCOPES", "UserApiKey", "UserApiKeyRequest", "extract_payload", "new_client_id"]

DEFAULT_SCOPES = ("read", "write")


def new_client_id() -> str:
    """A random, stable-per-installation client id (store it in the settings)."""
    return f"modconsole-{uuid.uuid4()}"


@dataclass(frozen=True)
class UserApiKey:
    key: str = field(repr=False)
    nonce: str
    api_version: int | None
    push: bool

    def __repr__(self) -> str:
        return f"UserApiKey(api={self.api_version}, key=<redacted>)"


@dataclass(frozen=True)
class UserApiKeyRequest:
    site_url: str
    client_id: str
    application_name: str
    scopes: tuple[str, ...]
    nonce: str
    _private_key: rsa.RSAPrivateKey = field(repr=False, compare=False)

    @classmethod
    def create(
        cls,
        site_url: str,
        *,
        client_id: str,
        application_name: str = "Moderator Console",
        scopes: tuple[str, ...] = DEFAULT_SCOPES,
        key_size: int = 2048,
    ) -> UserApiKeyRequest:
        private = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
        return cls(
            site_url=site_url.rstrip("/"),
            client_id=client_id,
            application_name=application_name,
            scopes=tuple(scopes),
            nonce=secrets.token_hex(16),
            _private_key=private,
        )

    @property
    def public_key_pem(self) -> str:
        return (
            self._private_key.public_key()
            .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
            .decode("ascii")
        )

    def params(self, auth_redirect: str | None = None) -> dict[str, str]:
        p = {
            "application_name": self.application_name,
            "client_id": self.client_id,
            "scopes": ",".join(self.scopes),
            "public_key": self.public_key_pem,
            "nonce": self.nonce,
        }
        if auth_redirect:
            p["auth_redirect"] = auth_redirect
        return p

    def authorization_url(self, auth_redirect: str | None = None, *, flow: UserKeyFlow | None = None) -> str:
        """The address to open in the browser (``flow``: the platform's; the default platform's,
        which declares user API keys, when not given)."""
        flow = flow or default_connector().user_keys
        if flow is None:
            raise InvalidInput("This community's platform has no per-user keys to authorise in a browser.")
        return flow.authorization_link(self.site_url, self.params(auth_redirect))

    def decrypt(self, pasted: str) -> UserApiKey:
        """Decrypt the payload (or the redirect URL carrying it) and check the nonce."""
        payload = extract_payload(pasted)
        try:
            raw = base64.b64decode("".join(payload.split()), validate=True)
        except (binascii.Error, ValueError):
            raise InvalidInput("That is not the text the community showed: it is not Base64.") from None
        try:
            plain = self._private_key.decrypt(raw, padding.PKCS1v15())
        except ValueError:
            raise InvalidInput(
                "The pasted text could not be decrypted. It belongs to another sign-in attempt; "
                "start again and paste the newest text."
            ) from None
        try:
            data = json.loads(plain.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise InvalidInput("The decrypted payload is not valid JSON.") from None
        if not isinstance(data, dict) or not isinstance(data.get("key"), str) or not data["key"]:
            raise InvalidInput("The payload holds no API key.")
        if data.get("nonce") != self.nonce:
            raise InvalidInput("The payload is for another sign-in attempt (nonce mismatch). Start again.")
        api = data.get("api")
        return UserApiKey(
            key=data["key"],
            nonce=str(data["nonce"]),
            api_version=int(api) if isinstance(api, int) else None,
            push=bool(data.get("push")),
        )


def extract_payload(pasted: str) -> str:
    """The Base64 payload from what the moderator pasted: the payload itself, or a redirect URL
    with ``?payload=…`` (URL-escaped)."""
    text = (pasted or "").strip()
    if not text:
        raise InvalidInput("Paste the text the community showed after you approved the access.")
    if "payload=" in text:
        query = urlsplit(text).query if "://" in text else text.split("?", 1)[-1]
        values = parse_qs(query, keep_blank_values=False).get("payload")
        if values:
            # parse_qs turns '+' into ' ': Base64 '+' must survive, so re-read it raw.
            for part in query.split("&"):
                if part.startswith("payload="):
                    return unquote(part[len("payload=") :])
            return values[0]
    return text
