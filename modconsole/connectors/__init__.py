"""Platform connectors: what the console needs from one community platform.

``modconsole/connectors/<platform>/`` holds that platform's endpoints (the only place its URLs
are spelled), its parsing into typed values, its sync stages and its outbox action adapters.
:mod:`.base` is the seam (the :class:`~.base.Connector` protocol, its capabilities and facets),
:mod:`.types` the platform-neutral values it hands over, :mod:`.sync_run` what every platform's sync
shares (options, report), and :mod:`.registry` the only module outside a platform's package that
names one.
"""
