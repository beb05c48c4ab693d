"""Stages over the people: members (with e-mail for moderators and the Company profile field),
badges and their holders, groups and their members."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.vanilla import endpoints as ep
from modconsole.connectors.vanilla import parse
from modconsole.connectors.vanilla.sync import rows
from modconsole.connectors.vanilla.sync.base import PAGE, SCHEMA_VERSION, VStage, chunks, csv
from modconsole.emails import company_domain

USERS_PAGE = 500
"""Users allow up to 5,000 a page (CONTRACT §8); 500 keeps one answer small."""


class UsersStage(VStage):
    """``GET /users?sort=userID&expand=profileFields`` (cursor paging). The company: the ``Company``
    profile field when set (a company of source ``user_field``), else the e-mail's domain (free-mail
    and the vendor's domains ignored) when the token may see e-mails."""

    def full(self) -> None:
        """Every member, a page at a time with its checkpoint. A company is derived from an e-mail's
        domain only outside the vendor's (the staff's) domains: staff listed on a later page than a
        colleague's e-mail, the last page's :meth:`vendor_fixup` unlinks what was derived early."""
        pass_id = self.pass_mark("users")
        params = {"sort": "userID", "limit": USERS_PAGE, "expand": "profileFields"}

        def apply(conn: Connection, page: tuple[parse.User, ...], last: bool) -> None:
            self.write_in(conn, page, pass_id, staff=[u for u in page if self.is_staff(u)])
            if last:
                self.vendor_fixup(conn)
                self.changed("users", repo.mark_unseen_gone(conn, "users", pass_id, self.now()))

        self.walk("users", ep.users(), params, parse.users, apply)

    @staticmethod
    def is_staff(u: parse.User) -> bool:
        return bool({"administrator", "moderator"} & {n.lower() for n in u.role_names})

    def vendor_fixup(self, conn: Connection) -> None:
        """Members linked to a company derived from a vendor's e-mail domain lose it (the company
        goes when nobody is left in it)."""
        vendor = sorted(self.vendor(conn, ()))
        if not vendor:
            return
        ids = json.dumps(vendor)
        fixed = {
            int(r[0])
            for r in conn.execute(
                text(
                    "UPDATE users SET company_id = NULL WHERE company_id IN (SELECT id FROM companies "
                    "WHERE source = 'email_domain' AND lower(domain) IN (SELECT value FROM json_each(:d))) "
                    "RETURNING id"
                ),
                {"d": ids},
            )
        }
        if fixed:
            conn.execute(
                text(
                    "DELETE FROM companies WHERE source = 'email_domain' "
                    "AND lower(domain) IN (SELECT value FROM json_each(:d)) "
                    "AND id NOT IN (SELECT company_id FROM users WHERE company_id IS NOT NULL)"
                ),
                {"d": ids},
            )
            self.changed("users", fixed)

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
        if page:
            with self.cache.write() as conn:
                self.write_in(conn, page, pass_id, staff=staff)

    def write_in(
        self,
        conn: Connection,
        page: Sequence[parse.User],
        pass_id: str | None = None,
        *,
        staff: Sequence[parse.User] = (),
    ) -> None:
        if not page:
            return
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
        pass_id = self.pass_mark("badges")
        grants = self.pass_mark("user_badges")

        def badges(conn: Connection, page: tuple[parse.Badge, ...], last: bool) -> None:
            self.changed("badges", repo.upsert_badges(conn, [rows.badge_row(b) for b in page]))
            repo.mark_seen(conn, "badges", [b.badge_id for b in page], pass_id)
            if last:
                self.changed("badges", repo.mark_unseen_gone(conn, "badges", pass_id, self.now()))

        def holders(conn: Connection, held: tuple[parse.UserBadge, ...], last: bool) -> None:
            got = [rows.user_badge_row(g) for g in held]
            self.changed("user_badges", repo.upsert_user_badges(conn, got))
            repo.mark_seen(conn, "user_badges", [g["id"] for g in got], grants)
            if last:
                self.changed("user_badges", repo.mark_unseen_gone(conn, "user_badges", grants, self.now()))

        self.walk("badges", ep.badges(), {"limit": PAGE}, parse.badges, badges)
        self.walk("badge_holders", ep.badge_holders(), {"limit": PAGE}, parse.user_badges, holders)


class GroupsStage(VStage):
    """``GET /groups`` and each group's members (``GET /groups/{id}/members``, ≤ 100 a page)."""

    def sync(self) -> None:
        pass_id = self.pass_mark("groups")

        def apply(conn: Connection, page: tuple[parse.Group, ...], last: bool) -> None:
            self.changed("groups", repo.upsert_groups(conn, [rows.group_row(g) for g in page]))
            repo.mark_seen(conn, "groups", [g.group_id for g in page], pass_id)
            if last:
                self.changed("groups", repo.mark_unseen_gone(conn, "groups", pass_id, self.now()))

        self.walk("groups", ep.groups(), {"limit": PAGE}, parse.groups, apply)
        with self.cache.read() as conn:
            found = [
                int(r[0])
                for r in conn.execute(
                    text("SELECT id FROM groups WHERE seen_in_pass = :p ORDER BY id"), {"p": pass_id}
                )
            ]
        done = self.members_done()
        for i, gid in enumerate(found):
            if gid not in done:
                self.members(gid)
            self.emit(i + 1, len(found))  # groups whose members are read, of all

    MEMBERS = "walk:members"

    def members_done(self) -> set[int]:
        """The groups whose members the full pass under way has already read."""
        cur = self.cursor(self.MEMBERS)
        if self.ctx.pass_id is None or cur.pass_id != self.ctx.pass_id or not cur.pass_page_token:
            return set()
        return {int(g) for g in json.loads(cur.pass_page_token)}

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
            if self.ctx.pass_id is not None:  # the checkpoint, with the rows
                cur = repo.get_cursor(conn, f"vanilla:{self.MEMBERS}")
                done = (
                    set(json.loads(cur.pass_page_token))
                    if cur is not None and cur.pass_id == self.ctx.pass_id and cur.pass_page_token
                    else set()
                )
                repo.put_cursor(
                    conn,
                    repo.CursorState(
                        f"vanilla:{self.MEMBERS}",
                        SCHEMA_VERSION,
                        pass_id=self.ctx.pass_id,
                        pass_page_token=json.dumps(sorted(done | {group_id})),
                    ),
                )
        if changed or removed:
            self.changed("groups", [group_id])
            self.flag("group_members", len(changed) + (removed or 0))
