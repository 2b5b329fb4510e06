"""Keys land where the facilitator meant them, however fast they come.

Textual forwards every key to the widget focused when the app reads it, and checks the
bindings (Enter → submit) only when the key bubbles back to the app, behind the keys already
queued: keys typed right after Enter (or while a dialog opens) reached the field that had
focus before, glued onto the idea just saved (« idée unidée deux »), and an 8-line list
typed by a terminal without bracketed paste became one idea.
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen


class KeysInOrder(App):  # type: ignore[type-arg]
    """App mixin: a key, its bindings and everything they cause (saved idea, moved focus,
    mounted dialog) are handled before the next key is dispatched."""

    KEY_SETTLE_SECONDS = 0.5
    _settling = False
    _held: list[events.Event]

    async def on_event(self, event: events.Event) -> None:
        """Handle each key completely before the next one is dispatched."""
        if not isinstance(event, events.Key) or event.is_forwarded or self._settling:
            await super().on_event(event)
            return
        self._settling = True
        self._held = []
        try:
            await super().on_event(event)
            await self._settle()
        finally:
            self._settling = False
            for message in self._held:  # left over after the time limit: keep their order
                super().post_message(message)
            self._held.clear()

    def _top_screen(self) -> Screen | None:  # type: ignore[type-arg]
        return self.screen_stack[-1] if self._running and self.screen_stack else None

    def post_message(self, message: Any) -> bool:
        """While a key settles, what it causes for the app (its bindings when it bubbles
        back, ``focus()`` and other ``call_later`` callbacks) is handled now, not behind the
        keys still queued."""
        if self._settling and (
            isinstance(message, events.Callback)
            or (isinstance(message, events.Key) and message.is_forwarded)
        ):
            self._held.append(message)
            return True
        return super().post_message(message)

    async def _settle(self) -> None:
        """Wait (bounded) until the key came back for its bindings and the screen on top
        and its widgets have had empty queues for a few turns of the event loop."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.KEY_SETTLE_SECONDS
        quiet = 0
        screen = self._top_screen()
        while quiet < 3 and loop.time() < deadline:
            await asyncio.sleep(0)
            busy = bool(self._held or self._next_callbacks) or screen is not self._top_screen()
            while self._held:
                await self._dispatch_message(self._held.pop(0))
            await self._flush_next_callbacks()
            screen = self._top_screen()
            if screen is None:  # quitting
                return
            busy = busy or any(
                node.message_queue_size for node in screen.walk_children(with_self=True)
            )
            quiet = 0 if busy else quiet + 1
