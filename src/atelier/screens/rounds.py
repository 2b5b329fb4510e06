"""Names of vote rounds and options, shared by the vote, ballot, results and clustering screens.

Kept apart from the vote screen so that the ballot screen, which the vote screen opens, does
not import it back.
"""

from __future__ import annotations

from atelier import summary
from atelier.i18n import _
from atelier.model import Session, VoteRound


def round_title(session: Session, vote_round: VoteRound) -> str:
    """« Main vote » (the only vote), « Vote 2 », or « Run-off 1 » (numbered in order)."""
    return summary.round_titles(session, _).get(vote_round.id, _("Main vote"))


def option_name(session: Session, key: str) -> str:
    """Plain text naming a vote option (cluster label, or « #12 idea »); show it literally."""
    label = session.option_label(key)
    if not label:
        return _("(deleted option)")
    kind, _sep, number = key.partition(":")
    return f"#{number} {label}" if kind == "idea" else label
