"""Donations in Wagtail: the live supporter count for editor's notes, and the Supporters
section of the admin."""

from wagtail import hooks

from masthead.supporters import figures


@hooks.register("masthead_supporter_count")
def supporter_count() -> int:
    return figures.supporter_count()
