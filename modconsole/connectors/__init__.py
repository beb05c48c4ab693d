"""Platform connectors: what the console needs from one community platform.

``modconsole/connectors/<platform>/`` holds that platform's endpoints (the only place its URLs
are spelled), its parsing into typed values, its sync stages and its outbox action adapters.
"""
