"""The room, UI-free: tokens, devices, the moderation queue, phone ballots, rate limits."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atelier import model, voting
from atelier.errors import AtelierError
from atelier.lan.room import CODE_LENGTH, RateLimited, Room
from atelier.model import Session


class FakeHost:
    """The app's part, in memory: the session and the one path for changes."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.applied: list[str] = []

    @property
    def current_session(self) -> Session | None:
        return self.session

    def apply_operation(self, operation: model.Operation, *args: Any) -> Session:
        self.session = operation(self.session, *args)
        self.applied.append(operation.__name__)
        return self.session


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def ideation(**fields: Any) -> Session:
    session = model.new_session("s", "Atelier", lang="fr")
    session = replace(session, **fields)
    return model.set_phase(session, "ideation")


def voting_session(method: str = "dot", anonymous: bool = False) -> Session:
    session = model.new_session("s", "Atelier", lang="fr")
    session = replace(session, anonymous=anonymous)
    for text in ("Alpha", "Beta", "Gamma"):
        session = model.add_idea(session, text)
    session = model.configure_vote(session, target="ideas", mode="ballot", method=method)
    session = model.start_vote(session)
    return model.set_phase(session, "vote")


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_tokens_are_long_random_and_rotatable(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    assert len(room.token) >= 20  # 16 bytes, url-safe base64: 128 bits
    assert len(room.code) == CODE_LENGTH and room.code.islower() or room.code.isdigit()
    old = room.token
    assert room.token_matches(old) and not room.token_matches(old[:-1] + "x")
    room.rotate()
    assert room.token != old and not room.token_matches(old)
    assert room.code_matches(room.code.upper(), "10.0.0.2")
    assert not room.code_matches("zzzzzz", "10.0.0.2")


def test_code_attempts_are_rate_limited(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    for _i in range(10):
        room.code_matches("wrong1", "10.0.0.9")
    with pytest.raises(RateLimited):
        room.code_matches(room.code, "10.0.0.9")
    clock.now += 61
    assert room.code_matches(room.code, "10.0.0.9")


def test_a_name_is_needed_unless_the_session_is_anonymous(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    with pytest.raises(AtelierError):
        room.join("   ", "10.0.0.2")
    device = room.join("  Awa ", "10.0.0.2")
    assert device.name == "Awa" and room.device(device.id) is device
    assert room.connected() == 1
    clock.now += 301
    assert room.connected() == 0
    anonymous = Room(FakeHost(ideation(anonymous=True)), clock)
    assert anonymous.join("Awa", "10.0.0.3").name == ""


def test_pending_ideas_stay_in_the_room_until_accepted(clock: Clock) -> None:
    host = FakeHost(ideation())
    room = Room(host, clock)
    awa = room.join("Awa", "10.0.0.2")
    first = room.submit_idea(awa, "Des pauses plus longues")
    second = room.submit_idea(awa, "[/] <b>gras</b>")
    assert first and second and host.session.ideas == ()
    assert host.applied == []
    idea_id = room.accept(first.id, "Des pauses plus longues le matin")
    assert [i.text for i in host.session.ideas] == ["Des pauses plus longues le matin"]
    assert host.session.idea(idea_id).author_id == host.session.participants[0].id
    assert host.applied == ["add_participant", "add_idea"]
    room.reject(second.id)
    assert room.pending == [] and len(host.session.ideas) == 1
    with pytest.raises(AtelierError):
        room.accept(second.id)
    # the same name again: the same participant
    third = room.submit_idea(room.join("awa", "10.0.0.3"), "Encore")
    assert third is not None
    room.accept(third.id)
    assert len(host.session.participants) == 1


def test_accept_all_accepts_waiting_and_new_ideas(clock: Clock) -> None:
    host = FakeHost(ideation(anonymous=True))
    room = Room(host, clock)
    device = room.join("", "10.0.0.2")
    room.submit_idea(device, "Une")
    room.submit_idea(device, "Deux")
    assert room.set_accept_all(True) == 2
    assert room.submit_idea(device, "Trois") is None
    assert [i.text for i in host.session.ideas] == ["Une", "Deux", "Trois"]
    assert all(i.author_id is None for i in host.session.ideas)


def test_ideas_only_during_ideation(clock: Clock) -> None:
    host = FakeHost(model.new_session("s", "Atelier"))
    room = Room(host, clock)
    device = room.join("Awa", "10.0.0.2")
    with pytest.raises(AtelierError, match="not being collected"):
        room.submit_idea(device, "Trop tôt")


def test_the_sixth_idea_within_three_seconds_is_refused(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    device = room.join("Awa", "10.0.0.2")
    for n in range(5):
        room.submit_idea(device, f"Idée {n}")
    with pytest.raises(RateLimited) as refused:
        room.submit_idea(device, "Une de trop")
    assert 0 < refused.value.retry_after <= 3
    clock.now += 3.01
    room.submit_idea(device, "Plus tard")
    assert len(room.pending) == 6


def test_an_address_is_limited_across_its_devices(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    devices = [room.join(f"P{n}", "10.0.0.7") for n in range(5)]
    for n in range(20):
        room.submit_idea(devices[n % 5], f"Idée {n}")
    with pytest.raises(RateLimited):
        room.submit_idea(devices[0], "Une de trop")


def test_hostile_ideas_are_refused_with_a_message(clock: Clock) -> None:
    room = Room(FakeHost(ideation()), clock)
    device = room.join("Awa", "10.0.0.2")
    for bad in ("", "   ", "x" * 1001, "\ud800"):
        with pytest.raises(AtelierError):
            room.submit_idea(device, bad)
    assert room.pending == []
    pending = room.submit_idea(device, "a\x1b[31mb\x00c\nd")
    assert pending is not None and pending.text == "abc d"


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=1200), name=st.text(max_size=60))
def test_any_text_is_queued_cleanly_or_refused_with_a_message(text: str, name: str) -> None:
    host = FakeHost(ideation())
    room = Room(host, Clock())
    try:
        device = room.join(name, "10.0.0.2")
    except AtelierError:
        return
    try:
        item = room.submit_idea(device, text)
    except AtelierError as error:
        assert error.message and room.pending == []
        return
    assert item is not None and item.text == model.clean_text(text, "x", max_len=1000)
    assert host.session.ideas == ()  # nothing reaches the session before acceptance
    room.accept(item.id)
    assert host.session.ideas[-1].text == item.text


def test_a_phone_ballot_follows_the_laptop_rules_and_replaces_itself(clock: Clock) -> None:
    host = FakeHost(voting_session("dot"))
    room = Room(host, clock)
    vote_round = room.open_round()
    assert vote_round is not None and vote_round.dots_per_voter == 1
    a, b = room.join("Awa", "10.0.0.2"), room.join("Bob", "10.0.0.3")
    options = vote_round.options
    with pytest.raises(AtelierError, match="each voter has"):
        room.cast(a, vote_round.id, {options[0]: 1, options[1]: 1})
    room.cast(a, vote_round.id, {options[0]: 1})
    room.cast(b, vote_round.id, {options[1]: 1})
    room.cast(a, vote_round.id, {options[2]: 1})  # a second ballot replaces the first
    ballots = host.session.ballots_of(vote_round.id)
    assert len(ballots) == 2 and room.received(vote_round.id) == 2
    assert host.session.round(vote_round.id).voted == ()  # a phone names nobody
    totals = voting.dot_totals([[bl.get(o, 0) for o in options] for bl in ballots], 3)
    assert totals == [0, 1, 1]
    assert room.shared_addresses(vote_round.id) == 0
    assert room.state_for(a).voted and room.state_for(a).view == "ballot"


def test_majority_judgment_needs_every_grade(clock: Clock) -> None:
    host = FakeHost(voting_session("mj"))
    room = Room(host, clock)
    vote_round = room.open_round()
    assert vote_round is not None
    device = room.join("Awa", "10.0.0.2")
    first, *rest = vote_round.options
    with pytest.raises(AtelierError, match="every option"):
        room.cast(device, vote_round.id, {first: 2})
    with pytest.raises(AtelierError):
        room.cast(device, vote_round.id, dict.fromkeys(vote_round.options, 99))
    room.cast(device, vote_round.id, dict.fromkeys(vote_round.options, 1))
    assert len(host.session.ballots) == 1


def test_several_ballots_from_one_address_are_flagged(clock: Clock) -> None:
    host = FakeHost(voting_session("dot", anonymous=True))
    room = Room(host, clock)
    vote_round = room.open_round()
    assert vote_round is not None
    one, two = room.join("", "10.0.0.5"), room.join("", "10.0.0.5")
    room.cast(one, vote_round.id, {vote_round.options[0]: 1})
    assert room.shared_addresses(vote_round.id) == 0
    room.cast(two, vote_round.id, {vote_round.options[0]: 1})
    assert room.shared_addresses(vote_round.id) == 1


def test_closing_a_round_forgets_which_phone_cast_which_ballot(clock: Clock) -> None:
    host = FakeHost(voting_session("dot"))
    room = Room(host, clock)
    vote_round = room.open_round()
    assert vote_round is not None
    device = room.join("Awa", "10.0.0.2")
    room.cast(device, vote_round.id, {vote_round.options[0]: 1})
    host.apply_operation(model.close_round, vote_round.id)
    assert room.state_for(device).view == "wait"
    assert room.received(vote_round.id) == 0 and room._ballots == {}
    with pytest.raises(AtelierError, match="closed"):
        room.cast(device, vote_round.id, {vote_round.options[1]: 1})
    assert len(host.session.ballots) == 1


def test_the_phone_follows_the_phase(clock: Clock) -> None:
    host = FakeHost(model.new_session("s", "Atelier"))
    room = Room(host, clock)
    assert room.state_for(None).view == "join"
    device = room.join("Awa", "10.0.0.2")
    assert room.state_for(device).view == "wait"
    host.session = model.set_phase(host.session, "ideation")
    assert room.state_for(device).view == "ideas"
    host.session = model.add_idea(host.session, "Vue")
    assert room.state_for(device).ideas == ()
    room.show_accepted = True
    assert room.state_for(device).ideas == ("Vue",)
    host.session = model.set_phase(host.session, "results")
    assert room.state_for(device).view == "wait"
    host.session = model.set_phase(host.session, "summary")
    assert room.state_for(device).view == "end"


@settings(max_examples=150)
@given(
    method=st.sampled_from(["dot", "mj"]),
    marks=st.lists(st.one_of(st.none(), st.integers(-5, 12)), min_size=3, max_size=3),
    extra=st.booleans(),
)
def test_any_phone_ballot_is_stored_valid_or_refused(
    method: str, marks: list[int | None], extra: bool
) -> None:
    host = FakeHost(voting_session(method))
    room = Room(host, Clock())
    vote_round = room.open_round()
    assert vote_round is not None
    ballot: dict[str, int | None] = dict(zip(vote_round.options, marks, strict=True))
    if extra:
        ballot["idea:999"] = 1
    if method == "dot":
        ballot = {k: v for k, v in ballot.items() if v}
    try:
        room.cast(room.join("Awa", "10.0.0.2"), vote_round.id, ballot)
    except AtelierError as error:
        assert error.message and host.session.ballots == ()
        return
    (stored,) = host.session.ballots
    values = [stored.get(o) for o in vote_round.options]
    if method == "dot":
        voting.validate_dot_ballot(
            [v or 0 for v in values], vote_round.dots_per_voter, vote_round.max_per_option
        )
    else:
        assert None not in values
        voting.validate_mj_ballot(values, len(vote_round.grades))
