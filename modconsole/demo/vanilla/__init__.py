"""The Vanilla demo community: the generator's community served as Higher Logic Vanilla's API v2.

* ``store``         — Vanilla's tables beside the generated community (tokens, answer statuses,
                      question statuses, reactions) and the printed identities.
* ``api``           — error bodies, the request context, query parsing, paging, routing.
* ``shapes``        — rows as Vanilla JSON.
* ``routes_posts``  — discussions, comments, Q&A answers, reactions.
* ``routes_people`` — users, categories, badges, groups, tokens.
* ``server``        — the HTTP server: auth (guest on a bad token), limits, faults, control API.
"""
