"""What the newsletter listens to: a story's first publication queues its e-mail."""


def connect() -> None:
    """Connect the newsletter's signal handlers (called once, from the app's `ready`)."""
