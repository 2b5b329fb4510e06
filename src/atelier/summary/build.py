"""Building the one summary of a session, and the anonymous session an anonymous
export is built from."""

from __future__ import annotations

import re
from dataclasses import replace

from atelier.i18n import translator
from atelier.model import PHASE_LABELS, Session
from atelier.summary.parts import (
    _actions,
    _clusters,
    _date,
    _decisions,
    _hours,
    _labels,
    _participants,
    _phases,
    _rounds,
    _template_name,
    _time,
    _totals,
    clean,
)
from atelier.summary.ranking import last_vote
from atelier.summary.records import LANGUAGE_NAMES, Header, NoteLine, RuleLine, Rules, Summary


def build_summary(session: Session, *, lang: str | None = None, anonymous: bool = False) -> Summary:
    """The summary of a session in its language (or ``lang``, for a synthesis);
    ``anonymous``: of :func:`anonymized` (session), with no participant name anywhere."""
    if anonymous:
        session = anonymized(session)
    lang = lang or session.lang
    _ = translator(lang)
    labels = _labels(session)
    rounds = _rounds(session, labels, lang)
    deciding = last_vote(session)
    main = next((r for r in rounds if deciding and r.id == deciding.id), None)
    target = "clusters"
    if main and main.options and main.options[0].key.startswith("idea:"):
        target = "ideas"
    shown, iso = _date(session.date, lang)
    header = Header(
        title=clean(session.title),
        question=clean(session.question),
        date=shown,
        iso_date=iso,
        facilitator=clean(session.facilitator),
        template=_template_name(session.template, lang),
        language=LANGUAGE_NAMES.get(session.lang, session.lang),
        place=clean(session.place),
        hours=_hours(session, _),
        next_meeting=clean(session.next_meeting),
    )
    phases = _phases(session, _)
    clusters = _clusters(session, main, target, _)
    actions = _actions(session, labels, lang)
    return Summary(
        session_id=session.id,
        lang=lang,
        created_at=session.created_at,
        header=header,
        participants=_participants(session),
        rules=Rules(
            tuple(RuleLine(r.order, clean(r.title), clean(r.explanation)) for r in session.rules),
            session.rules_adopted_at is not None,
            _time(session.rules_adopted_at),
        ),
        clusters=clusters,
        rounds=rounds,
        actions=actions,
        phases=phases,
        totals=_totals(session, main, phases),
        closing=clean(session.closing_message),
        vote_target=target,
        decisions=_decisions(session, labels, actions, main),
        notes=tuple(
            NoteLine(
                n.kind, clean(n.text), _(PHASE_LABELS[n.phase]) if n.phase in PHASE_LABELS else ""
            )
            for n in session.notes
        ),
    )


ANONYMOUS_MARK = "[…]"


def anonymized(session: Session) -> Session:
    """The session as an anonymous report shows it: « ce qui se dit ici reste ici ».

    No participant list (only their count), no author, no action owner, no voter; a
    participant's name (or a part of it, 3 letters or more) written in any text is replaced
    by « […] », so the anonymous Markdown, HTML, ODT, CSV and JSON name nobody."""
    names = {clean(p.name).strip() for p in session.participants}
    names |= {part for name in names for part in re.split(r"[\s\-']+", name) if len(part) >= 3}
    names.discard("")
    pattern = None
    if names:
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def hide(text: str) -> str:
        return pattern.sub(ANONYMOUS_MARK, text) if pattern and text else text

    return replace(
        session,
        anonymous=True,
        participant_count=session.voter_count,
        participants=(),
        title=hide(session.title),
        question=hide(session.question),
        facilitator=hide(session.facilitator),
        place=hide(session.place),
        next_meeting=hide(session.next_meeting),
        closing_message=hide(session.closing_message),
        ideas=tuple(
            replace(
                i,
                text=hide(i.text),
                author_id=None,
                coauthors=(),
                merged=tuple(hide(t) for t in i.merged),
            )
            for i in session.ideas
        ),
        clusters=tuple(replace(c, label=hide(c.label)) for c in session.clusters),
        rounds=tuple(replace(r, voted=()) for r in session.rounds),
        actions=tuple(replace(a, what=hide(a.what), owner="") for a in session.actions),
        decisions=tuple(replace(d, text=hide(d.text)) for d in session.decisions),
        notes=tuple(replace(n, text=hide(n.text)) for n in session.notes),
        rules=tuple(
            replace(r, title=hide(r.title), explanation=hide(r.explanation)) for r in session.rules
        ),
    )
