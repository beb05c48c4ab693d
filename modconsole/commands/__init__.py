"""The top floor: the ``modconsole`` command and its sub-commands.

Every entry point lives here and only here (the desktop app's is :func:`main` with no sub-command,
which hands over to ``ui.app``). Commands open a community through the front door,
:class:`modconsole.workspace.Workspace`; nothing below this package imports it.
``main`` keeps the registry; one module per sub-command provides ``add_arguments(parser)`` and
``run(args) -> int``.
"""
