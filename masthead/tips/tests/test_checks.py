"""`manage.py check` stops an operator who configured a key the tip box cannot use."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from masthead.testing.tips import make_key_pair

# `check` runs every check, some of which read the database.
pytestmark = pytest.mark.django_db


def test_a_private_key_in_the_settings_fails_the_check():
    private = str(make_key_pair().secret)
    with (
        override_settings(MASTHEAD_TIPS_PUBLIC_KEYS=private),
        pytest.raises(SystemCheckError, match=r"tips\.E002"),
    ):
        call_command("check")


def test_an_unreadable_key_file_fails_the_check(tmp_path):
    with (
        override_settings(MASTHEAD_TIPS_PUBLIC_KEYS_FILE=str(tmp_path / "missing.asc")),
        pytest.raises(SystemCheckError, match=r"tips\.E001"),
    ):
        call_command("check")


def test_a_public_key_passes(newsroom_key):
    call_command("check")


def test_the_demo_key_left_in_use_is_pointed_out(settings, tmp_path):
    from masthead.tips.checks import demo_key_is_not_left_in_use
    from masthead.tips.demo import load_demo_tips
    from masthead.tips.models import NewsroomKey

    settings.DATA_DIR = tmp_path
    settings.MASTHEAD_TIPS_PUBLIC_KEYS = ""
    settings.MASTHEAD_TIPS_PUBLIC_KEYS_FILE = ""
    assert demo_key_is_not_left_in_use() == []
    load_demo_tips()
    assert [warning.id for warning in demo_key_is_not_left_in_use()] == ["tips.W002"]
    NewsroomKey.objects.all().delete()
    assert demo_key_is_not_left_in_use() == []
