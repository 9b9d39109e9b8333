"""Bumping dependency tags when what pages show changes (filled in below)."""


def connect() -> None:
    pass
