"""Dialogs: one module per record kind."""
