"""Keep the app alive: an unexpected error in a handler becomes a message, not a crash.

Everything is saved before the screen shows it, so recovering from a bug only means
telling the facilitator and carrying on.
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel

from atelier.errorlog import log_error
from atelier.i18n import _


class Guarded:
    """Mixin for the app, screens and widgets: errors in message handlers are reported."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)  # type: ignore[misc]
        except Exception as error:  # noqa: BLE001 - this is the safety net
            app: Any = getattr(self, "app", None)
            report = getattr(app, "report_unexpected", None)
            if report is None:
                raise
            report(error)


class GuardedApp(Guarded, App[int]):
    """The app's safety net: messages never parse the room's words as markup, an error in
    a handler becomes a message, an error outside one ends the app with a readable line."""

    unexpected_errors: list[BaseException]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Messages often quote the room's words (« [/] »): never parse them as markup."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def report_unexpected(self, error: BaseException) -> None:
        """An unexpected error: logged, shown readably; the data is already on disk."""
        self.unexpected_errors.append(error)
        log = log_error(error)
        message = (
            _("Unexpected error ({kind}). The last changes are not saved yet: retrying.")
            if getattr(self, "unsaved", False)
            else _("Unexpected error ({kind}). Nothing is lost: everything is saved.")
        ).format(kind=type(error).__name__)
        details = " " + _("Details: {file}").format(file=log) if log else ""
        self.notify(message + details, severity="error", timeout=10)

    def _handle_exception(self, error: Exception) -> None:
        if self.is_headless:  # tests want to see the failure
            super()._handle_exception(error)
            return
        log = log_error(error)
        self.unexpected_errors.append(error)
        message = _(
            "atelier stopped after an unexpected error ({kind}); everything "
            "saved so far is on disk."
        ).format(kind=type(error).__name__)
        if log:
            message += " " + _("Details: {file}").format(file=log)
        self.exit(1, return_code=1, message=message)
