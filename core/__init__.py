"""The ground package: plumbing every app uses, importing no app of the project.

Scoped-admin helpers (``core.admin``), API plumbing and the one JSON error rendering
(``core.api``), the one error type (``core.errors``), role checks (``core.roles``), money
formatting (``core.money``) and environment reading (``core.env``). An import-linter contract
(``make lint``) keeps it at the bottom of the layers.
"""
