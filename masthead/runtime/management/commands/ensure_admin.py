"""`manage.py ensure_admin`: make sure someone can sign in to the editor.

With MASTHEAD_ADMIN_USERNAME and MASTHEAD_ADMIN_PASSWORD (and optionally MASTHEAD_ADMIN_EMAIL)
set, that account exists with that password. Without them, the first run creates `admin` with a
random password and prints it once; later runs leave existing accounts alone.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Create the first editor account (or the one named by MASTHEAD_ADMIN_*)."

    def handle(self, *args, **options) -> None:
        User = get_user_model()
        username = os.environ.get("MASTHEAD_ADMIN_USERNAME", "").strip()
        password = os.environ.get("MASTHEAD_ADMIN_PASSWORD", "")
        email = os.environ.get("MASTHEAD_ADMIN_EMAIL", "").strip()
        if bool(username) != bool(password):
            raise CommandError(
                "Set both MASTHEAD_ADMIN_USERNAME and MASTHEAD_ADMIN_PASSWORD, or neither."
            )

        with transaction.atomic():
            if username:
                user, created = User.objects.get_or_create(
                    username=username, defaults={"email": email}
                )
                if created or not user.check_password(password):
                    user.set_password(password)
                user.is_staff = user.is_superuser = user.is_active = True
                if email:
                    user.email = email
                user.save()
                verb = "Created" if created else "Using"
                self.stdout.write(f"{verb} the admin account {username!r} from MASTHEAD_ADMIN_*.")
                return

            if User.objects.filter(is_superuser=True).exists():
                self.stdout.write(
                    "An admin account exists already "
                    "(forgot the password? `manage.py changepassword <username>`)."
                )
                return
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username="admin", email=email or "admin@localhost", password=password
            )
        self.stdout.write(
            self.style.SUCCESS("Created the admin account. Note this down; it is shown only once:")
        )
        self.stdout.write(f"    username: admin\n    password: {password}")
