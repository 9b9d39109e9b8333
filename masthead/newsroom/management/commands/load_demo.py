"""`manage.py load_demo`: fill an empty site with the demo newsroom (safe to run again)."""

from django.core.management.base import BaseCommand

from masthead.newsroom.demo.loader import DemoNewsroom


class Command(BaseCommand):
    help = "Create the demo newsroom's sections, authors, articles and images where missing."

    def handle(self, *args, **options) -> None:
        created = DemoNewsroom().load()
        if created:
            self.stdout.write(f"Demo newsroom: created {len(created)} things.")
            for thing in created:
                self.stdout.write(f"  + {thing}", style_func=None)
        else:
            self.stdout.write("Demo newsroom: everything is in place already.")
