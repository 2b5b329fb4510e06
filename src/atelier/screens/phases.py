"""The screen of each phase, imported when the phase is first shown (not at start-up)."""

from __future__ import annotations

import importlib

from textual.screen import Screen

SCREEN_CLASSES = {
    "setup": "setup.SetupScreen",
    "rules": "rules.RulesScreen",
    "ideation": "ideation.IdeationScreen",
    "clustering": "clustering.ClusteringScreen",
    "vote": "vote.VoteScreen",
    "results": "results.ResultsScreen",
    "actions": "actions.ActionsScreen",
    "summary": "summary.SummaryScreen",
}


def phase_screen(phase: str) -> Screen:  # type: ignore[type-arg]
    """A fresh screen for a phase (state lives in the session, so screens are cheap)."""
    module_name, class_name = SCREEN_CLASSES[phase].split(".")
    module = importlib.import_module(f"atelier.screens.{module_name}")
    return getattr(module, class_name)()
