"""Remove the package's content before uninstalling it (docs/installation.md, "Uninstalling").

Run while the package is still installed: once its code is gone, its pages cannot be opened in the admin
(``PageClassNotFoundError``) and the rows of ``wagtailcore_page`` that point at its content types keep
``remove_stale_contenttypes`` from removing them.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from wagtail.models import Revision, Site

from ...basepage import Page
from ...models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage, TagTranslation

PAGE_MODELS = (DelegationIndexPage, DelegationPage, NewsPage)


class Command(BaseCommand):
    help = (
        "List (or, with --delete, delete after asking) every page, feed, tag translation and Site "
        "that removing mmm_wagtail deletes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Delete them; without it, only list.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="With --delete: do not ask for confirmation.",
        )

    def handle(self, *args, delete=False, interactive=True, **options):
        content_types = list(ContentType.objects.get_for_models(*PAGE_MODELS, NewsFeed).values())
        pages = Page.objects.filter(content_type__in=content_types)
        # The top-most pages of ours: deleting one deletes its subtree (other page types under it too).
        paths = set(pages.values_list("path", flat=True))
        step = Page.steplen
        tops = [
            page
            for page in pages.order_by("path")
            if not any(page.path[:n] in paths for n in range(step, len(page.path), step))
        ]
        descendants = sum(page.get_descendants(inclusive=True).count() for page in tops)
        revisions = Revision.objects.filter(base_content_type__in=content_types)
        # A Site rooted at one of these pages (or under one) is deleted with it (on_delete=CASCADE).
        under = Q(pk__in=[])
        for page in tops:
            under |= Q(root_page__path__startswith=page.path)
        sites = list(Site.objects.filter(under).order_by("hostname", "port"))
        counts = {
            "pages (with every page under them)": descendants,
            "news feeds": NewsFeed.objects.count(),
            "tag translations": TagTranslation.objects.count(),
            "page revisions": revisions.count(),
            "Sites rooted at one of these pages": len(sites),
        }
        localize = apps.is_installed("wagtail_localize")
        if localize:
            from wagtail_localize.models import TranslationSource

            sources = TranslationSource.objects.filter(specific_content_type__in=content_types)
            counts["wagtail-localize translation sources"] = sources.count()
        for what, count in counts.items():
            self.stdout.write(f"{count:6d} {what}")
        for page in tops:
            self.stdout.write(f"       {page.url_path} ({page.specific_class._meta.verbose_name})")
        for site in sites:
            default = ", the default site" if site.is_default_site else ""
            self.stdout.write(
                f"       Site {site.hostname}:{site.port} ({site.site_name or 'no name'}{default})"
            )
        if not delete:
            self.stdout.write("Nothing deleted: run again with --delete to delete all of the above.")
            return
        if interactive:
            answer = input("Delete all of the above? This cannot be undone. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing deleted.")
        with transaction.atomic():
            for page in tops:
                page.specific.delete()
            NewsFeed.objects.all().delete()
            TagTranslation.objects.all().delete()
            revisions.delete()
            if localize:
                sources.delete()
        self.stdout.write(
            self.style.SUCCESS(
                "Deleted. Now: python manage.py migrate mmm_wagtail zero; remove mmm_wagtail from "
                "INSTALLED_APPS and urls.py; pip uninstall mmm-wagtail; "
                "python manage.py remove_stale_contenttypes."
            )
        )
