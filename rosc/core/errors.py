"""Errors that actions raise for people to read."""


class ActionRefused(Exception):
    """The action cannot be done; the message says why in plain English."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
