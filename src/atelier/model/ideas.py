"""Operations of ideation and clustering: ideas, their authors, clusters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from atelier import clock
from atelier.errors import AtelierError
from atelier.i18n import N_, _
from atelier.model.records import (
    IDEA_MAX,
    LABEL_MAX,
    Action,
    Cluster,
    Idea,
    Session,
)
from atelier.model.registry import (
    _keep_labels,
    _moved,
    _next_id,
    _renumber,
    _replace_item,
    operation,
)
from atelier.model.text import (
    clean_text,
)

# ---- ideas


def _check_author(session: Session, author_id: int | None) -> None:
    if author_id is not None:
        session.participant(author_id)


@operation(N_("add an idea"))
def add_idea(session: Session, text: str, author_id: int | None = None) -> Session:
    clean = clean_text(text, N_("The idea"), max_len=IDEA_MAX)
    _check_author(session, author_id)
    number, seq = _next_id(session, "ideas")
    idea = Idea(number, clean, clock.now_iso(), author_id)
    return replace(session, ideas=(*session.ideas, idea), seq=seq)


@operation(N_("edit an idea"))
def edit_idea(session: Session, idea_id: int, text: str) -> Session:
    idea = session.idea(idea_id)
    clean = clean_text(text, N_("The idea"), max_len=IDEA_MAX)
    if clean == idea.text:
        return session
    return replace(session, ideas=_replace_item(session.ideas, idea_id, replace(idea, text=clean)))


@operation(N_("change the author of an idea"))
def set_idea_author(session: Session, idea_id: int, author_id: int | None) -> Session:
    idea = session.idea(idea_id)
    _check_author(session, author_id)
    new = replace(idea, author_id=author_id)
    return replace(session, ideas=_replace_item(session.ideas, idea_id, new))


@operation(N_("delete an idea"))
def delete_idea(session: Session, idea_id: int) -> Session:
    session.idea(idea_id)
    actions = tuple(
        replace(a, link=None) if a.link == f"idea:{idea_id}" else a for a in session.actions
    )
    return replace(
        session,
        ideas=_replace_item(session.ideas, idea_id, None),
        actions=actions,
        rounds=_keep_labels(session, f"idea:{idea_id}"),
    )


@operation(N_("merge two ideas"))
def merge_ideas(session: Session, keep_id: int, fold_id: int) -> Session:
    """Fold one idea into another: its text is kept in the survivor's ``merged`` list and
    its authors stay credited as co-authors."""
    keep, fold = session.idea(keep_id), session.idea(fold_id)
    if keep_id == fold_id:
        raise AtelierError(_("An idea cannot be merged with itself."))
    coauthors = tuple(dict.fromkeys(a for a in (*keep.authors, *fold.authors)))
    if keep.author_id is not None:
        coauthors = coauthors[1:]
    survivor = replace(
        keep, merged=(*keep.merged, fold.text, *fold.merged), coauthors=tuple(coauthors)
    )
    ideas = _replace_item(_replace_item(session.ideas, keep_id, survivor), fold_id, None)
    actions = tuple(
        replace(a, link=f"idea:{keep_id}") if a.link == f"idea:{fold_id}" else a
        for a in session.actions
    )
    rounds = _keep_labels(session, f"idea:{fold_id}")
    return replace(session, ideas=ideas, actions=actions, rounds=rounds)


@operation(N_("move an idea"))
def move_idea(session: Session, idea_id: int, cluster_id: int | None) -> Session:
    idea = session.idea(idea_id)
    if cluster_id is not None:
        session.cluster(cluster_id)
    if idea.cluster_id == cluster_id:
        return session
    new = replace(idea, cluster_id=cluster_id)
    return replace(session, ideas=_replace_item(session.ideas, idea_id, new))


@operation(N_("group ideas"))
def group_ideas(
    session: Session, idea_ids: Sequence[int], label: str, *, move_placed: bool = False
) -> Session:
    """Create a cluster for a group of ideas (an accepted suggestion). Ideas the facilitator
    already placed stay where they are unless ``move_placed``."""
    for idea_id in idea_ids:
        session.idea(idea_id)
    session = add_cluster(session, label)
    cluster_id = session.clusters[-1].id
    wanted = set(idea_ids)
    ideas = tuple(
        replace(i, cluster_id=cluster_id)
        if i.id in wanted and (i.cluster_id is None or move_placed)
        else i
        for i in session.ideas
    )
    return replace(session, ideas=ideas)


# ---- clusters


def _check_label_free(session: Session, label: str, except_id: int | None = None) -> None:
    if any(c.label.casefold() == label.casefold() and c.id != except_id for c in session.clusters):
        raise AtelierError(_("A cluster is already called “{label}”.").format(label=label))


@operation(N_("add a cluster"))
def add_cluster(session: Session, label: str) -> Session:
    clean = clean_text(label, N_("The cluster name"), max_len=LABEL_MAX)
    _check_label_free(session, clean)
    number, seq = _next_id(session, "clusters")
    cluster = Cluster(number, clean, len(session.clusters) + 1)
    return replace(session, clusters=(*session.clusters, cluster), seq=seq)


@operation(N_("rename a cluster"))
def rename_cluster(session: Session, cluster_id: int, label: str) -> Session:
    cluster = session.cluster(cluster_id)
    clean = clean_text(label, N_("The cluster name"), max_len=LABEL_MAX)
    _check_label_free(session, clean, cluster_id)
    new = replace(cluster, label=clean)
    return replace(session, clusters=_replace_item(session.clusters, cluster_id, new))


@operation(N_("move a cluster"))
def move_cluster(session: Session, cluster_id: int, delta: int) -> Session:
    session.cluster(cluster_id)
    return replace(session, clusters=_moved(session.clusters, cluster_id, delta))


def _relink(actions: tuple[Action, ...], old: str, new: str | None) -> tuple[Action, ...]:
    return tuple(replace(a, link=new) if a.link == old else a for a in actions)


@operation(N_("dissolve a cluster"))
def dissolve_cluster(session: Session, cluster_id: int) -> Session:
    """Remove a cluster; its ideas go back to « Unclassified », none is lost."""
    session.cluster(cluster_id)
    ideas = tuple(
        replace(i, cluster_id=None) if i.cluster_id == cluster_id else i for i in session.ideas
    )
    return replace(
        session,
        ideas=ideas,
        clusters=_renumber(_replace_item(session.clusters, cluster_id, None)),
        actions=_relink(session.actions, f"cluster:{cluster_id}", None),
        rounds=_keep_labels(session, f"cluster:{cluster_id}"),
    )


@operation(N_("merge clusters"))
def merge_clusters(session: Session, source_id: int, target_id: int) -> Session:
    """Move every idea of ``source`` into ``target`` and remove ``source``."""
    session.cluster(source_id)
    session.cluster(target_id)
    if source_id == target_id:
        raise AtelierError(_("A cluster cannot be merged with itself."))
    ideas = tuple(
        replace(i, cluster_id=target_id) if i.cluster_id == source_id else i for i in session.ideas
    )
    return replace(
        session,
        ideas=ideas,
        clusters=_renumber(_replace_item(session.clusters, source_id, None)),
        actions=_relink(session.actions, f"cluster:{source_id}", f"cluster:{target_id}"),
        rounds=_keep_labels(session, f"cluster:{source_id}"),
    )
