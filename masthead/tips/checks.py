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
    except encryption.KeyRejected as error:  # the key file cannot be read
        return [checks.Error(str(error), id="tips.E001")]
    if not configured:
        return []
    try:
        encryption.parse_public_keys(configured, skip_unusable=True)
    except encryption.KeyRejected as error:  # not a public key at all: a mistake to fix now
        return [
            checks.Error(
                f"A tip box key in the settings cannot be used: {error}",
                hint="Give MASTHEAD_TIPS_PUBLIC_KEYS(_FILE) the newsroom's armored public key; "
                "until then the tip box uses only the keys added in the admin.",
                id="tips.E002",
            )
        ]
    try:
        encryption.parse_public_keys(configured)
    except encryption.KeyRejected as error:  # expired or revoked: left out, site keeps running
        return [
            checks.Warning(
                f"A tip box key in the settings is left out: {error}",
                hint="Replace it with the newsroom's current public key.",
                id="tips.W003",
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


@checks.register(deploy=True)
def no_demo_key_in_production(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`check --deploy` fails outright while tips would go to the demo key."""
    return [
        checks.Error(warning.msg, hint=warning.hint, id="tips.E003")
        for warning in demo_key_is_not_left_in_use()
    ]
