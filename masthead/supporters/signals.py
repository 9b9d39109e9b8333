"""Keep the public figures right when an editor changes what they are computed from."""

from django.db.models.signals import post_delete, post_save

from masthead.supporters import figures, links
from masthead.supporters.models import Campaign, SupportSettings


def refresh_figures(sender, **kwargs) -> None:
    figures.refresh_after_commit()


def connect() -> None:
    links.connect()
    for model in (Campaign, SupportSettings):
        post_save.connect(refresh_figures, sender=model, dispatch_uid=f"figures-{model.__name__}")
        post_delete.connect(
            refresh_figures, sender=model, dispatch_uid=f"figures-delete-{model.__name__}"
        )
