"""``manage.py rebuild_news_listing [--check]``: rebuild the news listing read model, or
report where it has drifted from the page tree (exit status 1) without writing."""

from django.core.management.base import BaseCommand, CommandError

from ...cache import dependency_tags
from ...cache.changes import content_changed
from ...listing.rows import drift, rebuild


class Command(BaseCommand):
    help = "Rebuild the news listing rows from the page tree (--check: only report drift)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the stored rows with the page tree; exit with status 1 if they differ.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            differ = drift()
            if differ:
                shown = ", ".join(map(str, differ[:20])) + (" …" if len(differ) > 20 else "")
                raise CommandError(
                    f"The news listing differs from the page tree for {len(differ)} news page(s): {shown}. "
                    "Run `manage.py rebuild_news_listing`."
                )
            if options["verbosity"]:
                self.stdout.write("The news listing matches the page tree.")
            return
        written = rebuild()
        # Cached answers (and a CDN's, and frontends told by webhooks) were built from the rows
        # just repaired: which ones is not known, so everything.
        content_changed({dependency_tags.ALL}, "page.changed")
        if options["verbosity"]:
            self.stdout.write(f"Rebuilt the news listing: {written} row(s).")
