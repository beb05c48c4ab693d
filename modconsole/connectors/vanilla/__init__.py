"""Higher Logic Vanilla (API v2, ``shared/vanilla/CONTRACT.md``): the console's second platform.

* ``endpoints`` — every Vanilla route the console uses, one function each (the only place a Vanilla
                  URL is spelled).
* ``parse``     — Vanilla's JSON (and its paging and auth headers) as frozen, typed values.
"""
