"""Telling the newsroom that a tip came: an e-mail to each active member of the Tips group with
the tip's number and a link to it in the admin. Nothing from the message, its files or its
sender is in it: mail servers keep copies of everything.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse

from masthead.tips.roles import TIPS


def tell_newsroom(tip_id: int) -> str:
    users = get_user_model().objects.filter(is_active=True, groups__name=TIPS).exclude(email="")
    addresses = sorted({user.email for user in users})
    if not addresses:
        return "No member of the Tips group has an e-mail address."
    link = settings.WAGTAILADMIN_BASE_URL + reverse("tips_admin:detail", args=[tip_id])
    subject = f"New message in the tip box (tip #{tip_id})"
    body = (
        f"Tip #{tip_id} has a new message. Read it in the admin:\n\n{link}\n\n"
        "This e-mail says nothing else about it, on purpose.\n"
    )
    # One message per member: nobody learns who else is on the tips desk.
    send_mass_mail(
        [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    )
    return f"Told {len(addresses)} member(s) of the Tips group about tip #{tip_id}."
