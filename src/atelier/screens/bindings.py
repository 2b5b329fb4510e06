"""Key descriptions in the interface language, for the app, every screen and dialog."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from atelier.i18n import N_, _

# Textual's own bindings (every screen inherits them) get our words, then translated
TEXTUAL_DESCRIPTIONS = {
    "Focus Next": N_("Next field"),
    "Focus Previous": N_("Previous field"),
    "Copy selected text": N_("Copy the selected text"),
    "palette": N_("palette"),
}


def translate_bindings(node: DOMNode) -> None:
    """Footer, help and palette show binding descriptions in the interface language."""
    mapping = node._bindings.key_to_bindings
    for key, bindings in mapping.items():
        mapping[key] = [
            replace(
                b,
                description=_(TEXTUAL_DESCRIPTIONS.get(b.description, b.description))
                if b.description
                else "",
            )
            for b in bindings
        ]
