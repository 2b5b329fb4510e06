"""A real browser: Debian's Chromium driven by Playwright, three phones in one room.

Join, send an idea, the facilitator accepts it, the vote opens, each phone votes, a second
ballot replaces the first, results match the laptop path; no console error, no request
outside the laptop. Skipped (with the reason) when /usr/bin/chromium is missing, except in
CI (CI=true), where .ci/run installs it and a missing browser fails the test.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from test_phones_tui import until, with_phones

from atelier import model, voting
from atelier.store import SessionFolder

from uikit import make_session

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",  # no name leaves the laptop
]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    ARGS.append("--no-sandbox")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def _chromium() -> None:
    if not CHROMIUM.exists():
        reason = "Debian's chromium is not installed (/usr/bin/chromium): apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


def prepared(folder: SessionFolder) -> str:
    session_id = make_session(folder, people=())
    with folder.open(session_id) as handle:
        for text in ("Alpha", "Beta"):
            handle.apply(model.add_idea, text)
        handle.apply(model.configure_vote, target="ideas", mode="ballot", method="dot")
        handle.apply(model.set_phase, "ideation")
    return session_id


async def test_three_phones_in_a_real_browser(folder: SessionFolder) -> None:
    from playwright.async_api import async_playwright

    session_id = prepared(folder)
    app = with_phones(folder, session_id)
    errors: list[str] = []
    outside: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot, async_playwright() as playwright:
        await until(lambda: app.phones is not None and app.phones.server is not None, 5)
        await pilot.press("escape")
        url = app.phones.url
        base = app.phones.server.base_url
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        phones = []
        for name in ("Awa", "Bruno", "Chloé"):
            context = await browser.new_context(**PHONE)  # type: ignore[arg-type]
            context.on(
                "request",
                lambda request: (
                    None if request.url.startswith(base) else outside.append(request.url)
                ),
            )
            page = await context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            await page.goto(url)
            await page.fill("#name", name)
            await page.click("button[type=submit]")
            await page.wait_for_selector("textarea#idea")
            phones.append(page)
        # an idea from the first phone, accepted by the facilitator
        await phones[0].fill("#idea", "Gamma <b>depuis</b> un téléphone")
        await phones[0].click("button[type=submit]")
        await phones[0].wait_for_selector(".flash.ok")
        queue = app.screen.query_one("QueueList")
        await until(lambda: queue.option_count == 1, 2)
        await pilot.press("ctrl+g", "enter")
        await pilot.pause()
        ideas = [i.text for i in app.session.ideas]
        assert ideas == ["Alpha", "Beta", "Gamma <b>depuis</b> un téléphone"]
        # the vote opens: the phones follow (their script polls the state URL)
        await pilot.press("f8", "f8")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        vote_round = app.session.main_round
        assert vote_round is not None and vote_round.dots_per_voter == 1
        for page in phones:
            await page.wait_for_selector("form.dots", timeout=10_000)
        choices = [0, 1, 1]
        for page, choice in zip(phones, choices, strict=True):
            await page.click(f"button[value='plus:{choice}']")
            assert await page.text_content("#left") == "0"
            await page.click("button[name=cast]")
            await page.wait_for_selector(".flash.ok")
        # the first phone changes its mind: the new ballot replaces the old one
        await phones[0].click(
            "text=" + ("Modifier mon vote" if app.session.lang == "fr" else "Change my vote")
        )
        await phones[0].click("button[value='minus:0']")
        await phones[0].click("button[value='plus:2']")
        await phones[0].click("button[name=cast]")
        await phones[0].wait_for_selector(".flash.ok")
        final = [2, 1, 1]
        await browser.close()
        session = app.session
        ballots = session.ballots_of(vote_round.id)
        assert len(ballots) == 3 and session.round(vote_round.id).voted == ()
        options = vote_round.options
        phone_totals = voting.dot_totals(
            [[b.get(o, 0) for o in options] for b in ballots], len(options)
        )
        saved = folder.load(session_id)
        empty = replace(saved.round(vote_round.id), ballots=())  # the laptop path, same marks
        laptop = replace(
            saved, rounds=tuple(empty if r.id == empty.id else r for r in saved.rounds)
        )
        for choice in final:
            laptop = model.cast_ballot(laptop, vote_round.id, {options[choice]: 1})
        laptop_totals = voting.dot_totals(
            [[b.get(o, 0) for o in options] for b in laptop.ballots_of(vote_round.id)],
            len(options),
        )
        assert phone_totals == laptop_totals == [0, 2, 1]
        assert voting.rank_dots(phone_totals) == voting.rank_dots(laptop_totals)
    assert errors == []
    assert outside == []


async def test_a_phone_without_javascript(folder: SessionFolder) -> None:
    """Forms only (POST then redirect): join, an idea, then a dot ballot with +/−."""
    from playwright.async_api import async_playwright

    session_id = prepared(folder)
    app = with_phones(folder, session_id)
    async with app.run_test(size=(120, 40)) as pilot, async_playwright() as playwright:
        await until(lambda: app.phones is not None and app.phones.server is not None, 5)
        await pilot.press("escape")
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = await browser.new_context(java_script_enabled=False, **PHONE)  # type: ignore[arg-type]
        page = await context.new_page()
        await page.goto(app.phones.url)
        await page.fill("#name", "Dina")
        await page.click("button[type=submit]")
        await page.fill("#idea", "Sans JavaScript")
        await page.click("button[type=submit]")
        await page.wait_for_selector(".flash.ok")
        await until(lambda: len(app.phones.room.pending) == 1, 2)
        await pilot.press("f8", "f8")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        await page.reload()  # no script: the phone reloads by hand
        await page.click("button[value='plus:1']")  # a round trip to the server
        assert await page.text_content("#count-1") == "1"
        assert await page.text_content("#left") == "0"
        await page.click("button[name=cast]")
        await page.wait_for_selector(".flash.ok")
        await browser.close()
        vote_round = app.session.main_round
        assert vote_round is not None
        assert list(app.session.ballots) == [{vote_round.options[1]: 1}]
