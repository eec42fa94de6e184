"""The kinds the ambassadors' ranking sums, and the weekly rows its partial index holds.

Import-free on purpose: recognition's tables (storage/recognition_tables.py, which every Plein
with recognition imports at start) define the index from it, and the report's queries repeat
its words, without either importing the other's module.
"""

from __future__ import annotations

HELP_KINDS = ("reply", "reaction_received", "prompt_answer", "hosted")
"""The help a member gives and the thanks it gets."""
HELP_ROWS = "kind IN (" + ", ".join(f"'{kind}'" for kind in HELP_KINDS) + ")"
"""The weekly rows in the partial index ix_contribution_weekly_help, in the words a query
repeats so that SQLite uses it (storage/helper_ranking.py)."""
