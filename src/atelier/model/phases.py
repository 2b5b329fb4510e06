"""The phases of a workshop, in order, with their names and default durations.

Kept apart from the records: the sessions list and the phase bar need these names
without loading every record class (start-up, issue 15)."""

from __future__ import annotations

from atelier.i18n import N_

PHASES: tuple[str, ...] = (
    "setup",
    "rules",
    "ideation",
    "clustering",
    "vote",
    "results",
    "actions",
    "summary",
)
PHASE_LABELS: dict[str, str] = {
    "setup": N_("Setup"),
    "rules": N_("Rules"),
    "ideation": N_("Ideation"),
    "clustering": N_("Clustering"),
    "vote": N_("Vote"),
    "results": N_("Results"),
    "actions": N_("Actions"),
    "summary": N_("Summary"),
}
DEFAULT_MINUTES: dict[str, int] = {
    "setup": 5,
    "rules": 5,
    "ideation": 20,
    "clustering": 15,
    "vote": 10,
    "results": 5,
    "actions": 20,
    "summary": 5,
}
