"""modconsole desktop shell: PySide6 and pyqtgraph code; the only place Qt is imported."""
