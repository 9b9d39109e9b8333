"""manage.py stripe_sync: re-read donations from Stripe and repair what webhooks missed."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.supporters import stripe_api
from masthead.supporters.reconcile import reconcile


class Command(BaseCommand):
    help = (
        "Re-read subscriptions, recent paid invoices and completed Checkout Sessions from "
        "Stripe and repair the local records (safe to run any number of times)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=35,
            help="How far back to look for payments (default 35 days).",
        )

    def handle(self, *args, days: int, **options) -> None:
        if not stripe_api.is_configured():
            raise CommandError("Stripe is not configured: set STRIPE_SECRET_KEY first.")
        try:
            report = reconcile(days=days)
        except stripe_api.StripeError as error:
            raise CommandError(f"Stripe could not be read: {error}") from error
        self.stdout.write(report.summary())
