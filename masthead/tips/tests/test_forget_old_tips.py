"""Old tips are deleted: nothing new from the source and no reply for MASTHEAD_TIPS_KEEP_DAYS
days. A recent reply keeps a tip; 0 keeps every tip until someone deletes it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.tips import submissions
from masthead.tips.models import Tip, TipMessage, TipReply
from masthead.tips.tasks import forget_old_tips

pytestmark = pytest.mark.django_db


@pytest.fixture
def tips(newsroom_key, django_user_model):
    """Three tips: one quiet for 100 days, one quiet for 100 days but answered 10 days ago,
    and one written to 10 days ago."""
    now = timezone.now()
    journalist = django_user_model.objects.create_user(username="ana")
    made = {name: submissions.open_tip(name, []).tip for name in ("quiet", "answered", "recent")}
    for name, days in (("quiet", 100), ("answered", 100), ("recent", 10)):
        Tip.objects.filter(pk=made[name].pk).update(last_message_at=now - timedelta(days=days))
    submissions.send_reply(made["answered"], journalist, "Still there?")
    TipReply.objects.update(sent_at=now - timedelta(days=10))
    return made


def test_tips_with_nothing_new_for_the_kept_days_are_deleted(tips, settings):
    settings.MASTHEAD_TIPS_KEEP_DAYS = 90
    summary = submissions.forget_old_tips()
    assert summary == "Deleted 1 tip(s) with nothing new for 90 days."
    assert set(Tip.objects.values_list("pk", flat=True)) == {tips["answered"].pk, tips["recent"].pk}
    assert not TipMessage.objects.filter(tip_id=tips["quiet"].pk).exists()


def test_a_shorter_window_deletes_more(tips, settings):
    settings.MASTHEAD_TIPS_KEEP_DAYS = 5
    forget_old_tips.enqueue()  # the daily task, run at once in tests
    assert not Tip.objects.exists() and not TipReply.objects.exists()


def test_zero_keeps_every_tip(tips, settings):
    settings.MASTHEAD_TIPS_KEEP_DAYS = 0
    later = timezone.now() + timedelta(days=3650)
    assert "kept until someone deletes them" in submissions.forget_old_tips(now=later)
    assert Tip.objects.count() == 3
