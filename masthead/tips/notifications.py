"""Telling the newsroom that tips came: once an hour at most, an e-mail to each active member
of the Tips group listing the numbers of the tips with new messages, with links to them in the
admin. Nothing from the messages, their files or their senders is in it: mail servers keep
copies of everything. Sent by the worker on a timer, not when a tip arrives, so neither the
e-mail nor the task queue records the minute a source wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse

from masthead.tips.models import Tip
from masthead.tips.roles import TIPS


def tell_newsroom() -> str:
    if not settings.MASTHEAD_TIPS_NOTIFY:
        return "Notices are off (MASTHEAD_TIPS_NOTIFY=0)."
    with transaction.atomic():
        numbers = list(
            Tip.objects.select_for_update()
            .filter(awaiting_notice=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not numbers:
            return "No new tip messages."
        users = get_user_model().objects.filter(is_active=True, groups__name=TIPS)
        addresses = sorted({user.email for user in users.exclude(email="")})
        if addresses:
            _send(numbers, addresses)
        Tip.objects.filter(pk__in=numbers).update(awaiting_notice=False)
    if not addresses:
        return "No member of the Tips group has an e-mail address."
    return f"Told {len(addresses)} member(s) of the Tips group about {len(numbers)} tip(s)."


def _send(numbers: list[int], addresses: list[str]) -> None:
    base = settings.WAGTAILADMIN_BASE_URL
    links = "\n".join(
        f"Tip #{number}: {base}{reverse('tips_admin:detail', args=[number])}" for number in numbers
    )
    subject = (
        f"New message in the tip box (tip #{numbers[0]})"
        if len(numbers) == 1
        else f"New messages in the tip box ({len(numbers)} tips)"
    )
    body = (
        f"These tips have new messages. Read them in the admin:\n\n{links}\n\n"
        "This e-mail says nothing else about them, on purpose.\n"
    )
    # One message per member: nobody learns who else is on the tips desk.
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    )
