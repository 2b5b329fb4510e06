"""Keep the app alive: an unexpected error in a handler becomes a message, not a crash.

Everything is saved before the screen shows it, so recovering from a bug only means
telling the facilitator and carrying on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from atelier.app import AtelierApp


class Guarded:
    """Mixin for the app, screens and widgets: errors in message handlers are reported."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:  # noqa: BLE001 - this is the safety net
            app: AtelierApp | Any = getattr(self, "app", None)
            report = getattr(app, "report_unexpected", None)
            if report is None:
                raise
            report(error)
