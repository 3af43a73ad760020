"""Registers this part at start-up (filled in by the part)."""


def register() -> None:
    pass
