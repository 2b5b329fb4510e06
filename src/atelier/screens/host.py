"""What screens need from the app, as a protocol: they never import the app.

:class:`atelier.app.AtelierApp` provides it (the open session, the one path for changes,
and the few Textual calls the shared helpers make); screens reach it as ``self.atelier``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from atelier.model import Operation, Session
    from atelier.store import OpenSession, SessionFolder
    from atelier.workshop import Workshop


class AppHost(Protocol):
    workshop: Workshop
    templates_dir: Path | None
    phones: Any  # screens.join.PhonesLink while phones are switched on

    @property
    def folder(self) -> SessionFolder: ...
    @property
    def handle(self) -> OpenSession | None: ...
    @property
    def session(self) -> Session: ...
    @property
    def read_only(self) -> bool: ...
    @property
    def unsaved(self) -> bool: ...

    def apply(
        self, operation: Operation, *args: Any, refresh: bool = True, **kwargs: Any
    ) -> bool: ...
    def refresh_screens(self) -> None: ...
    def goto_phase(self, phase: str) -> None: ...
    def open_session(self, session_id: str, read_only: bool = False) -> None: ...
    def close_session(self) -> None: ...

    # Textual's App, as far as the shared helpers (ballots, phones, paper) use it
    @property
    def screen(self) -> Any: ...
    @property
    def screen_stack(self) -> list[Any]: ...

    use_command_palette: bool

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...
    def switch_screen(self, screen: Any) -> Any: ...
    def pop_screen(self) -> Any: ...
    def refresh_bindings(self) -> None: ...
    def clear_notifications(self) -> None: ...
    def set_timer(self, delay: float, callback: Any = None) -> Any: ...
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
