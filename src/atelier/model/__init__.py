"""The workshop, UI-free: immutable dataclasses and the named operations that change them.

Every change goes through an operation: a function ``op(session, ...) -> Session`` that
validates its input, raises :class:`AtelierError` with a readable message when it must
refuse, and returns a new session sharing every untouched record with the old one (so
the store can find what changed by identity, cheaply, even with thousands of ideas).

The package mirrors the workshop: :mod:`.records` (the dataclasses, phases and limits) and
:mod:`.text` (cleaning and parsing what people type), then the operations by phase —
:mod:`.setup` (setup, timers, participants, rules), :mod:`.ideas` (ideas and clusters),
:mod:`.votes` (votes and decisions), :mod:`.actions` (actions and notes) — all registered
by the decorator of :mod:`.registry`. Every public name is imported here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from atelier import lazy
from atelier.errors import AtelierError

if TYPE_CHECKING:
    from atelier.model.actions import (
        FieldError,
        add_action,
        add_note,
        delete_action,
        delete_note,
        edit_action,
        edit_note,
    )
    from atelier.model.ideas import (
        add_cluster,
        add_idea,
        delete_idea,
        dissolve_cluster,
        edit_idea,
        group_ideas,
        merge_clusters,
        merge_ideas,
        move_cluster,
        move_idea,
        rename_cluster,
        set_idea_author,
    )
    from atelier.model.phases import (
        DEFAULT_MINUTES,
        PHASE_LABELS,
        PHASES,
    )
    from atelier.model.records import (
        ACTION_MAX,
        DEFAULT_CLOSING,
        IDEA_MAX,
        LABEL_MAX,
        MAX_MINUTES,
        MAX_PARTICIPANTS,
        MESSAGE_MAX,
        NAME_MAX,
        NOTE_KINDS,
        NOTE_MAX,
        PLACE_MAX,
        QUESTION_MAX,
        RULE_TEXT_MAX,
        RULE_TITLE_MAX,
        TITLE_MAX,
        VOTE_METHODS,
        VOTE_MODES,
        VOTE_TARGETS,
        Action,
        Cluster,
        Decision,
        Idea,
        Note,
        Participant,
        PhaseTime,
        Rule,
        Session,
        VoteRound,
        VoteSettings,
        grades_for,
        vote_options_for,
    )
    from atelier.model.registry import (
        OPERATIONS,
        Operation,
        operation,
    )
    from atelier.model.setup import (
        add_participant,
        add_rule,
        adopt_rules,
        edit_rule,
        leave_phase,
        move_rule,
        new_session,
        remove_participant,
        remove_rule,
        rename_participant,
        set_phase,
        set_planned_minutes,
        timer_add_minute,
        timer_pause,
        timer_reset,
        timer_start,
        unadopt_rules,
        update_setup,
    )
    from atelier.model.text import (
        DATE_FORMATS,
        TIME_FORMAT,
        clean_text,
        parse_date,
        parse_time,
        strip_controls,
    )
    from atelier.model.votes import (
        ballot_key,
        cast_ballot,
        check_ballot,
        check_tally,
        close_round,
        configure_vote,
        current_round,
        delete_round,
        keep_tie,
        reopen_round,
        replace_ballot,
        reset_decisions,
        set_decisions,
        set_tally,
        set_voters,
        start_runoff,
        start_vote,
    )

#: the public names, by module (each loads when one of its names is first used)
EXPORTS: dict[str, tuple[str, ...]] = {
    "phases": (
        "DEFAULT_MINUTES",
        "PHASE_LABELS",
        "PHASES",
    ),
    "text": (
        "DATE_FORMATS",
        "TIME_FORMAT",
        "clean_text",
        "parse_date",
        "parse_time",
        "strip_controls",
    ),
    "records": (
        "ACTION_MAX",
        "DEFAULT_CLOSING",
        "IDEA_MAX",
        "LABEL_MAX",
        "MAX_MINUTES",
        "MAX_PARTICIPANTS",
        "MESSAGE_MAX",
        "NAME_MAX",
        "NOTE_KINDS",
        "NOTE_MAX",
        "PLACE_MAX",
        "QUESTION_MAX",
        "RULE_TEXT_MAX",
        "RULE_TITLE_MAX",
        "TITLE_MAX",
        "VOTE_METHODS",
        "VOTE_MODES",
        "VOTE_TARGETS",
        "Action",
        "Cluster",
        "Decision",
        "Idea",
        "Note",
        "Participant",
        "PhaseTime",
        "Rule",
        "Session",
        "VoteRound",
        "VoteSettings",
        "grades_for",
        "vote_options_for",
    ),
    "registry": (
        "OPERATIONS",
        "Operation",
        "operation",
    ),
    "setup": (
        "add_participant",
        "add_rule",
        "adopt_rules",
        "edit_rule",
        "leave_phase",
        "move_rule",
        "new_session",
        "remove_participant",
        "remove_rule",
        "rename_participant",
        "set_phase",
        "set_planned_minutes",
        "timer_add_minute",
        "timer_pause",
        "timer_reset",
        "timer_start",
        "unadopt_rules",
        "update_setup",
    ),
    "ideas": (
        "add_cluster",
        "add_idea",
        "delete_idea",
        "dissolve_cluster",
        "edit_idea",
        "group_ideas",
        "merge_clusters",
        "merge_ideas",
        "move_cluster",
        "move_idea",
        "rename_cluster",
        "set_idea_author",
    ),
    "votes": (
        "ballot_key",
        "cast_ballot",
        "check_ballot",
        "check_tally",
        "close_round",
        "configure_vote",
        "current_round",
        "delete_round",
        "keep_tie",
        "reopen_round",
        "replace_ballot",
        "reset_decisions",
        "set_decisions",
        "set_tally",
        "set_voters",
        "start_runoff",
        "start_vote",
    ),
    "actions": (
        "FieldError",
        "add_action",
        "add_note",
        "delete_action",
        "delete_note",
        "edit_action",
        "edit_note",
    ),
}

# OPERATIONS is filled as the modules of operations load: reading it loads them all.
__all__, __getattr__, __dir__ = lazy.attach(globals(), EXPORTS, needs_all={"OPERATIONS"})
__all__ += ["AtelierError"]
