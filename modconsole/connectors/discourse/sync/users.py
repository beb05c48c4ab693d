"""Stage ``users``: the staff's user list, e-mails and the company derived from them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, text

from modconsole.cache import repo
from modconsole.connectors.discourse import endpoints as ep
from modconsole.connectors.discourse.parse import bad_payload, parse_user_list
from modconsole.connectors.discourse.sync.base import Stage
from modconsole.connectors.discourse.sync.run import USER_KEYS, bool_row, pick
from modconsole.emails import company_domain
from modconsole.errors import NotFound, PermissionDenied


class UsersStage(Stage):
    """Stage ``users``."""

    def refresh_user(self, user_id: int, emails: bool) -> None:
        path = ep.admin_user(user_id).path

        def validate(data: Any, route: str) -> None:
            if not isinstance(data, Mapping) or not isinstance(data.get("id"), int):
                raise bad_payload(route, "expected a user object with an id")

        try:
            data = self._get(path, None, validate)
        except NotFound:
            with self._cache.write() as conn:
                n = conn.execute(
                    text("UPDATE users SET gone_since = :now WHERE id = :id AND gone_since IS NULL"),
                    {"now": self._now(), "id": user_id},
                ).rowcount
                if n:
                    self._changed("users", [user_id])
            return
        with self._cache.write() as conn:
            vendor_json = self._cursor(conn, "users").hw_value
            vendor = frozenset(json.loads(vendor_json)) if vendor_json else frozenset()
            rows = self.user_rows(conn, [data], emails and "email" in data, vendor)
            self._changed("users", repo.upsert_users(conn, rows))

    def company_id(self, conn: Connection, email: str | None, vendor: frozenset[str]) -> int | None:
        domain = company_domain(email, ignore=vendor, free_mail=self._opts.free_mail_domains)
        if domain is None:
            return None
        row = conn.execute(text("SELECT id FROM companies WHERE domain = :d"), {"d": domain}).first()
        if row is not None:
            return int(row[0])
        name = domain.split(".")[0].replace("-", " ").title()
        customer = conn.execute(
            text(
                "SELECT name FROM customer_accounts WHERE EXISTS "
                "(SELECT 1 FROM json_each(customer_accounts.domains) j WHERE lower(j.value) = :d)"
            ),
            {"d": domain},
        ).scalar()
        return int(
            conn.execute(
                text(
                    "INSERT INTO companies (name, domain, source, is_customer) "
                    "VALUES (:n, :d, 'email_domain', :c) "
                    "RETURNING id"
                ),
                {"n": customer or name, "d": domain, "c": customer is not None},
            ).scalar_one()
        )

    def user_rows(
        self, conn: Connection, items: Sequence[Mapping[str, Any]], emails: bool, vendor: frozenset[str]
    ) -> list[dict[str, Any]]:
        rows = []
        for u in items:
            row = bool_row(pick(u, USER_KEYS), "admin", "moderator", "silenced", "staged", "active")
            if row.get("active") is None:
                row.pop("active", None)
            if emails:
                row["email"] = u.get("email")
                row["company_id"] = self.company_id(conn, u.get("email"), vendor)
            rows.append(row)
        return rows

    def _users_page(self, flag: str, page: int, emails: bool) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"page": page, "order": "created"}
        if emails:
            params["show_emails"] = "true"
        data = self._get(ep.admin_user_list(flag).path, params, parse_user_list)
        return [u for u in data if isinstance(u, dict)]

    def sync_users(self, *, full: bool) -> None:
        run = self._run
        assert run is not None
        with self._cache.read() as conn:
            cur = self._cursor(conn, "users")
        caps_known = cur.hw_id is not None
        emails = bool(cur.hw_id) if caps_known else self._capability("admin") or not caps_known
        if cur.last_complete_pass_at is None or cur.pass_id is not None:
            full = True
        vendor = self._opts.vendor_domains
        if vendor is None and cur.hw_value and not full:
            vendor = frozenset(json.loads(cur.hw_value))
        if full or vendor is None:
            try:
                staff_list = self._users_page("staff", 1, emails)
            except PermissionDenied:
                if not emails:
                    raise
                emails = False
                staff_list = self._users_page("staff", 1, emails)
            if vendor is None:
                vendor = (
                    frozenset(
                        str(u["email"]).rsplit("@", 1)[1].lower()
                        for u in staff_list
                        if isinstance(u.get("email"), str) and "@" in str(u["email"])
                    )
                    - self._opts.free_mail_domains
                )
        vendor = vendor or frozenset()
        if emails:
            run.notes.append(
                "company: derived from e-mail domains (free-mail and the vendor's domains "
                f"{', '.join(sorted(vendor)) or 'none'} ignored)"
            )
        else:
            run.notes.append(
                "company: not derived (this key may not see e-mails; the 'Company' user field is not in "
                "the admin list, and an imported customer list needs e-mail domains)"
            )
        pass_id = cur.pass_id or uuid.uuid4().hex
        page = int(cur.pass_page_token or 1) if cur.pass_id else 1
        with self._cache.write() as conn:
            repo.put_cursor(
                conn,
                replace(
                    self._cursor(conn, "users"),
                    hw_id=1 if emails else 0,
                    hw_value=json.dumps(sorted(vendor)),
                    pass_id=pass_id if full else None,
                ),
            )
        unseen: set[int] = set()
        if full and page == 1 and run.bulk_source is not None:
            # the members query gives e-mails exactly when this key sees them over REST (``emails``,
            # probed above): admins, and moderators while moderators_view_emails is on
            from modconsole.connectors.discourse.sync import bulk

            listed = bulk.mirror_users(
                self, self._client, run.bulk_source, emails=emails, vendor=vendor, pass_id=pass_id
            )
            if listed is not None:
                for uid in sorted(listed):  # not listed: confirmed one by one, as after a REST walk
                    try:
                        self.refresh_user(uid, emails)
                    except PermissionDenied:
                        break
                return
        while True:
            items = self._users_page("new", page, emails)
            ids = [int(u["id"]) for u in items]
            with self._cache.write() as conn:
                known = {
                    int(r[0])
                    for r in conn.execute(
                        text("SELECT id FROM users WHERE id IN (SELECT value FROM json_each(:ids))"),
                        {"ids": json.dumps(ids)},
                    )
                }
                self._changed("users", repo.upsert_users(conn, self.user_rows(conn, items, emails, vendor)))
                if full:
                    repo.mark_seen(conn, "users", ids, pass_id)
                last = len(items) < 100 or (not full and len(known) > 0)
                c = self._cursor(conn, "users")
                if last:
                    if full:
                        unseen = repo.mark_unseen_gone(conn, "users", pass_id, self._now())
                        self._changed("users", unseen)
                    repo.put_cursor(conn, self._pass_done(c))
                else:
                    repo.put_cursor(conn, replace(c, pass_page_token=str(page + 1)))
            self._emit(page * 100, None)
            if last and full:
                # Not listed is not proof of deletion: a user deleted on a page already read shifts
                # one unread user across the page boundary. One request per unseen user (deletions
                # and such skips only) confirms it; a live one loses its ``gone_since`` again.
                for uid in sorted(unseen):
                    try:
                        self.refresh_user(uid, emails)
                    except PermissionDenied:
                        break
            if last and full and page > 1:
                # A full walk of several pages — or one resumed from an earlier, interrupted run —
                # read page 1 before users who signed up since existed: one newest page (the
                # incremental walk) catches them, so the run ends with nothing missing.
                full, page = False, 1
                continue
            if last:
                return
            page += 1
