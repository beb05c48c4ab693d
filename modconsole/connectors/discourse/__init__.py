"""The Discourse connector: :mod:`.endpoints` (every route, the only place a Discourse URL is
spelled), :mod:`.parse` (tolerant JSON → typed values), typed calls per area (:mod:`.topics`,
:mod:`.posts`, :mod:`.users`, :mod:`.badges`, :mod:`.groups`, :mod:`.solved`, :mod:`.reports`,
:mod:`.review`, :mod:`.site`, :mod:`.session`)."""
