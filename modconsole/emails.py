"""E-mail domains: the one list of free-mail providers, and what a member's domain says.

A member's e-mail domain names their company (sync: ``users.company_id``) and can make them an
employee of the vendor (analytics: members sharing a staff e-mail domain) — unless anyone can
have an address there. Both ask :func:`company_domain`, so they never disagree about a domain.
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["FREE_MAIL_DOMAINS", "company_domain", "email_domain", "is_free_mail"]

FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # web mail anyone can sign up for
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "mail.com",
        "yandex.ru",
        "zoho.com",
        "fastmail.com",
        "hey.com",
        # reserved example domains (RFC 2606) and the demo community's free-mail stand-ins
        "example.com",
        "mail.example",
        "freemail.example",
        "webmail.example",
    }
)
"""Domains anyone can have an address at: they name no company and make nobody an employee."""


def email_domain(email: str | None) -> str | None:
    """The lower-cased domain of ``email`` (``None`` when there is none)."""
    if not email or "@" not in email:
        return None
    return email.rsplit("@", 1)[1].strip().lower() or None


def is_free_mail(domain: str) -> bool:
    return domain.strip().lower() in FREE_MAIL_DOMAINS


def company_domain(
    email: str | None, *, ignore: Collection[str] = (), free_mail: Collection[str] = FREE_MAIL_DOMAINS
) -> str | None:
    """The domain of ``email`` when it can name a company: not free mail, not in ``ignore``
    (for example the vendor's own domains). ``None`` otherwise."""
    domain = email_domain(email)
    if domain is None or domain in free_mail or domain in ignore:
        return None
    return domain
