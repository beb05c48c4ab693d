"""One module per ``modconsole`` sub-command (the registry imports a module per command)."""
