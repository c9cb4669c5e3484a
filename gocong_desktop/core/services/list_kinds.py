"""What ``gocong-desktop list KIND`` can list: a constant the CLI parser needs,
kept apart from ``listing`` so building the parser imports no database code."""

from __future__ import annotations

KINDS = ("hamlets", "groups", "households", "meetings", "pledges", "models", "evaluations")
