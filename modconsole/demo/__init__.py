"""The demo community: a synthetic B2B community and a server that speaks Discourse's API.

* ``store``     — the server's own SQLite schema (the community's state; persists across restarts).
* ``generator`` — a deterministic (by seed) community at sizes tiny / small / large, plus ground truth.
* ``server``    — the HTTP server: routes and JSON of ``shared/discourse/CONTRACT.md``, auth,
                  Discourse's rate limits (switchable, with a fast clock), fault injection, live mode.
"""
