"""``manage.py import_wordpress EXPORT.xml``: a WordPress export into delegations' news.

See docs/import.md; the work is done by ``mmm_wagtail.wordpress.run``.
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from ...wordpress.run import Importer, Options
from ...wordpress.run import ImportError as WordPressImportError
from ...wordpress.wxr import WXRError, parse


def _mapping(values, option="--delegation", form="WP_CATEGORY=DELEGATION_SLUG"):
    mapping = {}
    for value in values or ():
        category, sep, delegation = value.partition("=")
        if not sep or not category.strip() or not delegation.strip():
            raise CommandError(f"{option} {value!r}: expected {form}.")
        mapping.setdefault(category.strip(), delegation.strip())
    return mapping


class Command(BaseCommand):
    help = "Import a WordPress export (WXR 1.1/1.2): posts become news of delegations, with translations."

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file (Tools → Export in WordPress).")
        parser.add_argument(
            "--delegation",
            action="append",
            default=[],
            metavar="WP_CATEGORY=DELEGATION_SLUG",
            help="Posts of this category (its slug) go under this delegation; repeatable. A post in "
            "several mapped categories goes under the first and is related to the others.",
        )
        parser.add_argument(
            "--page",
            action="append",
            default=[],
            metavar="WP_PAGE_SLUG=DELEGATION_SLUG",
            help="This WordPress page (its slug) becomes the body of this delegation, its translations "
            "the bodies of the delegation's translations; repeatable.",
        )
        parser.add_argument(
            "--per-page",
            type=int,
            default=10,
            help="WordPress's posts per archive page (Settings → Reading; default 10): how many "
            "/category/…/page/N/ addresses get a redirect.",
        )
        parser.add_argument(
            "--uploads", help="A copy of wp-content/uploads: images and documents are read there."
        )
        parser.add_argument(
            "--download", action="store_true", help="Download files missing from --uploads by their URL."
        )
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds per download (default 10).")
        parser.add_argument(
            "--listing-url",
            help='Where tag and unmapped category archives redirect, e.g. "/frontend/?tag={slug}" '
            "({slug}: the tag's slug, {language}: its language).",
        )
        parser.add_argument(
            "--dateline-meta",
            default="dateline",
            help="The post meta key holding the dateline (default dateline).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Update pages edited in Wagtail since the last import too.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be done; write nothing."
        )
        parser.add_argument("--no-input", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, **options):
        try:
            export = parse(options["export"])
        except (WXRError, OSError) as error:
            raise CommandError(f"{options['export']}: {error}") from error
        posts = sum(item.post_type == "post" for item in export.items)
        mapping = _mapping(options["delegation"])
        pages = _mapping(options["page"], "--page", "WP_PAGE_SLUG=DELEGATION_SLUG")
        if options["per_page"] < 1:
            raise CommandError(f"--per-page {options['per_page']}: expected a number of posts, 1 or more.")
        if not mapping:
            raise CommandError("Give at least one --delegation WP_CATEGORY=DELEGATION_SLUG.")
        if not (options["dry_run"] or options["no_input"]) and sys.stdin.isatty():
            answer = input(f"Import {posts} post(s) from {export.site}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes", "o", "oui"):
                raise CommandError("Import cancelled.")
        verbosity = options["verbosity"]
        show_progress = verbosity >= 1 and getattr(self.stdout, "isatty", lambda: False)()

        def progress(done, total):
            self.stdout.write(f"\rImporting: {done}/{total}", ending="\n" if done == total else "")
            self.stdout.flush()

        importer = Importer(
            export,
            Options(
                delegations=mapping,
                pages=pages,
                per_page=options["per_page"],
                uploads=options["uploads"],
                download=options["download"],
                timeout=options["timeout"],
                dry_run=options["dry_run"],
                overwrite=options["overwrite"],
                listing_url=options["listing_url"],
                dateline_meta=options["dateline_meta"],
                progress=progress if show_progress else None,
            ),
        )
        try:
            report = importer.run()
        except WordPressImportError as error:
            raise CommandError(str(error)) from error
        if verbosity:
            for line in report.lines():
                self.stdout.write(line)
        return None
