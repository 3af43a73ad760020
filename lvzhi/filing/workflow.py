"""Filled in by its part."""


def register() -> None:
    """Registers this part at start-up."""
