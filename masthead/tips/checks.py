"""System checks for the tip box (`manage.py check`, `check --deploy`): a configured key that
cannot be used, and a production site whose codenames hang on SECRET_KEY."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.db import DatabaseError

from masthead.tips import encryption


@checks.register()
def configured_keys_are_usable(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    try:
        configured = encryption.configured_public_keys()
        if configured:
            encryption.parse_public_keys(configured)
    except OSError as error:
        return [
            checks.Error(
                f"MASTHEAD_TIPS_PUBLIC_KEYS_FILE cannot be read: {error.strerror}.",
                id="tips.E001",
            )
        ]
    except encryption.KeyRejected as error:
        return [
            checks.Error(
                f"A tip box key in the settings cannot be used: {error}",
                hint="Give MASTHEAD_TIPS_PUBLIC_KEYS(_FILE) the newsroom's armored public key.",
                id="tips.E002",
            )
        ]
    return []


@checks.register(deploy=True)
def codename_pepper_is_set(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.MASTHEAD_TIPS_PEPPER:
        return []
    return [
        checks.Warning(
            "MASTHEAD_TIPS_PEPPER is not set: codenames are salted with a value derived from "
            "SECRET_KEY, so changing SECRET_KEY would lock every source out of their tips.",
            hint="Set MASTHEAD_TIPS_PEPPER to a long random string and keep it with the backups.",
            id="tips.W001",
        )
    ]


@checks.register()
def demo_key_is_not_left_in_use(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from masthead.tips.demo import DEMO_KEY_LABEL, demo_secret_key_path

    if not demo_secret_key_path().exists():
        return []
    try:
        from masthead.tips.models import NewsroomKey

        in_use = NewsroomKey.objects.filter(label=DEMO_KEY_LABEL).exists()
    except DatabaseError:  # not migrated yet
        return []
    if not in_use:
        return []
    return [
        checks.Warning(
            "The tip box encrypts to the demo key, whose private half is in the data folder: "
            "anyone with this server's files can read the tips.",
            hint=f"Remove '{DEMO_KEY_LABEL}' in Tips -> Keys, add the newsroom's own public key, "
            f"and delete {demo_secret_key_path()}.",
            id="tips.W002",
        )
    ]
