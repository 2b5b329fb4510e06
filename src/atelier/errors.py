"""The one error type of atelier: every refused input or failed operation raises it."""


class AtelierError(Exception):
    """A readable, already translated message for the facilitator (never a traceback)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
