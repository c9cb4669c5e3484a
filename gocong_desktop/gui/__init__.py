"""PySide6 user interface: app start, main window, pages, dialogs, table models."""
