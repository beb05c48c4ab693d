"""Stages over the people: members (with e-mail for moderators and the Company profile field),
badges and their holders, groups and their members."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.sync import rows
from modconsole.connectors.vanilla.sync.base import PAGE, VStage, chunks, csv
from modconsole.emails import company_domain

USERS_PAGE = 500
"""Users allow up to 5,000 a page (CONTRACT §8); 500 keeps one answer small."""


class UsersStage(VStage):
    """``GET /users?sort=userID&expand=profileFields`` (cursor paging). The company: the ``Company``
    profile field when set (a company of source ``user_field``), else the e-mail's domain (free-mail
    and the vendor's domains ignored) when the token may see e-mails."""

    def full(self) -> None:
        pass_id = uuid.uuid4().hex
        params = {"sort": "userID", "limit": USERS_PAGE, "expand": "profileFields"}
        listed: list[parse.User] = []
        for page in self.pages(ep.users(), params, parse.users):
            listed += page
            self.emit(len(listed))
        # written once every member is read: the vendor's domains (the staff's) must be known
        # before any company is derived from an e-mail domain
        staff = [u for u in listed if {"administrator", "moderator"} & {n.lower() for n in u.role_names}]
        for i in range(0, len(listed), USERS_PAGE):
            self.write(listed[i : i + USERS_PAGE], pass_id, staff=staff)
        with self.cache.write() as conn:
            self.changed("users", repo.mark_unseen_gone(conn, "users", pass_id, self.now()))

    def missing(self, ids: Iterable[int]) -> None:
        """Read the members these ids name that the cache does not know (new authors)."""
        want = {int(i) for i in ids if i}
        if not want:
            return
        with self.cache.read() as conn:
            known = {
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(:ids))"),
                    {"ids": json.dumps(sorted(want))},
                )
            }
        for part in chunks(want - known):
            params = {"userID": csv(part), "limit": PAGE, "expand": "profileFields"}
            for page in self.pages(ep.users(), params, parse.users):
                self.write(page)

    def write(
        self, page: Sequence[parse.User], pass_id: str | None = None, *, staff: Sequence[parse.User] = ()
    ) -> None:
        if not page:
            return
        with self.cache.write() as conn:
            vendor = self.vendor(conn, staff)
            out = []
            for u in page:
                row = rows.user_row(u)
                if u.email:
                    row["email"] = u.email
                company = self.company_id(conn, u, vendor)
                if company is not None or u.email:
                    row["company_id"] = company
                out.append(row)
            self.changed("users", repo.upsert_users(conn, out))
            if pass_id is not None:
                repo.mark_seen(conn, "users", [u.user_id for u in page], pass_id)

    def vendor(self, conn: Connection, staff: Sequence[parse.User]) -> frozenset[str]:
        """The vendor's own domains: as configured, else the staff's (listed now, or cached)."""
        if self.ctx.options.vendor_domains is not None:
            return self.ctx.options.vendor_domains
        cached = {
            str(r[0]).rsplit("@", 1)[1].lower()
            for r in conn.execute(
                text("SELECT email FROM users WHERE (admin = 1 OR moderator = 1) AND email LIKE '%@%'")
            )
        }
        return frozenset(cached | {d for u in staff if (d := u.email_domain)})

    def company_id(self, conn: Connection, u: parse.User, vendor: frozenset[str]) -> int | None:
        if u.company:
            row = conn.execute(
                text("SELECT id FROM companies WHERE name = :n COLLATE NOCASE ORDER BY id LIMIT 1"),
                {"n": u.company},
            ).first()
            if row is not None:
                return int(row[0])
            return int(
                conn.execute(
                    text(
                        "INSERT INTO companies (name, domain, source) "
                        "VALUES (:n, NULL, 'user_field') RETURNING id"
                    ),
                    {"n": u.company},
                ).scalar_one()
            )
        domain = company_domain(u.email, ignore=vendor, free_mail=self.ctx.options.free_mail_domains)
        if domain is None:
            return None
        row = conn.execute(text("SELECT id FROM companies WHERE domain = :d"), {"d": domain}).first()
        if row is not None:
            return int(row[0])
        name = domain.split(".")[0].replace("-", " ").title()
        return int(
            conn.execute(
                text(
                    "INSERT INTO companies (name, domain, source) "
                    "VALUES (:n, :d, 'email_domain') RETURNING id"
                ),
                {"n": name, "d": domain},
            ).scalar_one()
        )


class BadgesStage(VStage):
    """``GET /badges`` and every holder (``GET /badges/users``, ≤ 100 a page); holders not listed
    any more are marked gone (a revoke)."""

    def sync(self) -> None:
        pass_id = uuid.uuid4().hex
        for page in self.pages(ep.badges(), {"limit": PAGE}, parse.badges):
            with self.cache.write() as conn:
                self.changed("badges", repo.upsert_badges(conn, [rows.badge_row(b) for b in page]))
                repo.mark_seen(conn, "badges", [b.badge_id for b in page], pass_id)
        grants = uuid.uuid4().hex
        for held in self.pages(ep.badge_holders(), {"limit": PAGE}, parse.user_badges):
            with self.cache.write() as conn:
                got = [rows.user_badge_row(g) for g in held]
                self.changed("user_badges", repo.upsert_user_badges(conn, got))
                repo.mark_seen(conn, "user_badges", [g["id"] for g in got], grants)
        with self.cache.write() as conn:
            self.changed("badges", repo.mark_unseen_gone(conn, "badges", pass_id, self.now()))
            self.changed("user_badges", repo.mark_unseen_gone(conn, "user_badges", grants, self.now()))


class GroupsStage(VStage):
    """``GET /groups`` and each group's members (``GET /groups/{id}/members``, ≤ 100 a page)."""

    def sync(self) -> None:
        pass_id = uuid.uuid4().hex
        found: list[int] = []
        for page in self.pages(ep.groups(), {"limit": PAGE}, parse.groups):
            with self.cache.write() as conn:
                self.changed("groups", repo.upsert_groups(conn, [rows.group_row(g) for g in page]))
                repo.mark_seen(conn, "groups", [g.group_id for g in page], pass_id)
            found += [g.group_id for g in page]
        with self.cache.write() as conn:
            self.changed("groups", repo.mark_unseen_gone(conn, "groups", pass_id, self.now()))
        for gid in found:
            self.members(gid)

    def members(self, group_id: int) -> None:
        got: list[dict[str, Any]] = []
        for page in self.pages(ep.group_members(group_id), {"limit": PAGE}, parse.group_members):
            got += [rows.member_row(group_id, m) for m in page]
        with self.cache.write() as conn:
            changed = repo.upsert_group_members(conn, got)
            keep = json.dumps([m["user_id"] for m in got])
            removed = conn.execute(
                text(
                    "DELETE FROM group_members WHERE group_id = :g "
                    "AND user_id NOT IN (SELECT value FROM json_each(:keep))"
                ),
                {"g": group_id, "keep": keep},
            ).rowcount
        if changed or removed:
            self.changed("groups", [group_id])
            self.flag("group_members", len(changed) + (removed or 0))
