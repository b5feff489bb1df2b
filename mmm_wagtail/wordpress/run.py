"""One import run: an export's posts into news pages of delegations, again and again.

Pages go through Wagtail's own API (``add_child``, ``save_revision``, ``publish``); the
search index, the reference index and the news listing are brought up to date once, for
every page written, at the end of the run (``upkeep.py``).
A run is one transaction (rolled back with ``dry_run``), each post a savepoint in it: a post
that fails is reported and the others are imported.

WordPress pages given with ``--page`` become the body of their delegation (in the page's
language), saved as a revision and published when both are live.

Run again, a post whose content hash is unchanged is not touched; a changed one is updated
unless its page was edited in Wagtail since (its latest revision is not the one the import
saved): that is reported and skipped, unless ``overwrite``.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import parse_qs, urlparse

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from taggit.models import Tag
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale

from ..models import DelegationPage, NewsPage, TagTranslation
from ..translating import localize_objects
from . import body, redirects, translations
from .media import Media
from .records import Records
from .upkeep import Upkeep

__all__ = ["ImportError", "Importer", "Options", "Report"]

# Bump when the conversion changes, so the next run re-imports what it would now convert differently.
CONVERSION_VERSION = "1"
_SKIPPED_STATUSES = {"trash": "in the trash", "auto-draft": "an automatic draft", "inherit": "a revision"}
_DEFAULT_CATEGORIES = {"uncategorized", "non-classe", "uncategorised"}


class ImportError(ValueError):  # noqa: A001  (ours, raised before anything is written)
    pass


@dataclass
class Options:
    delegations: dict  # WordPress category slug -> delegation slug
    pages: dict = field(default_factory=dict)  # WordPress page slug -> delegation slug
    per_page: int = 10  # WordPress's "Blog pages show at most": how many pages an archive had
    uploads: str | None = None
    download: bool = False
    timeout: float = 10.0
    dry_run: bool = False
    overwrite: bool = False
    listing_url: str | None = None  # e.g. "/frontend/?tag={slug}"
    dateline_meta: str = "dateline"
    progress: object = None  # progress(done, total)


@dataclass
class Report:
    counts: Counter = field(default_factory=Counter)
    bodies: Counter = field(default_factory=Counter)
    files: Counter = field(default_factory=Counter)
    redirects: tuple = (0, 0, 0)
    warnings: list = field(default_factory=list)
    dry_run: bool = False

    def warn(self, wp_id, text):
        self.warnings.append((wp_id, text))

    def file(self, what):
        """Count a file imported ("imported") or, in a dry run, to be ("would import")."""
        self.files[what] += 1

    def lines(self):
        head = "Dry run, nothing written. " if self.dry_run else ""
        c = self.counts
        lines = [
            f"{head}Posts: {c['created']} created, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['skipped']} skipped.",
            f"Files: {self.files['imported']} imported"
            + (f", {self.files['would import']} would be imported" if self.files["would import"] else "")
            + ".",
            "Redirects: {} created, {} updated, {} unchanged.".format(*self.redirects),
        ]
        if self.bodies:
            counts = (self.bodies[what] for what in ("updated", "unchanged", "skipped"))
            lines.insert(1, "Delegation bodies: {} updated, {} unchanged, {} skipped.".format(*counts))
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines.extend(f"  post {wp_id}: {text}" if wp_id else f"  {text}" for wp_id, text in self.warnings)
        return lines


class _Resolver:
    """What body conversion asks of the import, for one post."""

    def __init__(self, importer, item):
        self.importer = importer
        self.item = item

    def warn(self, text):
        self.importer.report.warn(self.item.wp_id, text)

    def page_id(self, href):
        return self.importer.page_id_for(href)

    def image(self, attachment_id, url):
        return self.importer.media.image(attachment_id, url, self.item.wp_id)

    def document(self, url):
        return self.importer.media.document(url, self.item.wp_id)


def _hash(item, extra):
    data = {
        "version": CONVERSION_VERSION,
        "title": item.title,
        "slug": item.slug,
        "content": item.content,
        "excerpt": item.excerpt,
        "date": item.date.isoformat() if item.date else None,
        "status": item.status,
        "terms": sorted((t.taxonomy, t.slug, t.name) for t in item.terms),
        "meta": sorted(item.meta.items()),
        **extra,
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


class Importer:
    def __init__(self, export, options):
        self.export = export
        self.options = options
        self.report = Report(dry_run=options.dry_run)
        self.pages = {}  # wp id -> NewsPage, for every post that has one after phase 1
        self.bodies = {}  # wp id -> DelegationPage, for every WordPress page given with --page
        self.homes = {}  # wp id -> the default-language delegation a post goes under
        self.tags = {}
        self._translated = {}
        self.permalinks = {}
        host = urlparse(export.site).netloc.lower()
        self.hosts = {host, host.removeprefix("www."), "www." + host.removeprefix("www.")} - {"", "www."}
        for item in export.items:
            if item.post_type == "post":
                self._permalink(item)

    def _permalink(self, item):
        path = urlparse(item.link).path.rstrip("/")
        if path:
            self.permalinks[path] = item.wp_id

    # Entry point ------------------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            self._run()
            if self.options.dry_run:
                transaction.set_rollback(True)
        return self.report

    def _run(self):
        default = Locale.get_default()
        self.locales = {locale.language_code: locale for locale in Locale.objects.all()}
        self.grouping = translations.Grouping(self.export, default.language_code)
        self.records = Records(self.export.site)
        self.media = Media(
            self.export,
            self.records,
            self.report,
            uploads=self.options.uploads,
            download=self.options.download,
            timeout=self.options.timeout,
            dry_run=self.options.dry_run,
        )
        self.delegations = self._delegations(default)
        self.upkeep = Upkeep()
        posts = [item for item in self.export.items if item.post_type == "post"]
        wp_pages = self._bodies(default)
        by_id = {item.wp_id: item for item in posts}
        # Sources before their translations: a translation is made from its source's page.
        posts.sort(key=lambda item: self.grouping.placement(item).source_id is not None)
        with self.upkeep.run():
            self._write_all(posts, wp_pages, by_id)
        self._redirects(posts, wp_pages)

    def _write_all(self, posts, wp_pages, by_id):
        existing = self._existing_pages()
        to_write = []
        for item in posts:
            planned = self._allocate(item, by_id, existing)
            if planned is not None:
                to_write.append(planned)
        for done, (item, page, created, content_hash) in enumerate(to_write, 1):
            try:
                with transaction.atomic():
                    self._write(item, page, content_hash, by_id)
            except Exception as error:  # noqa: BLE001  (reported, the other posts go on)
                self.report.warn(item.wp_id, f"not imported: {type(error).__name__}: {error}")
                self.report.counts["skipped"] += 1
                self.pages.pop(item.wp_id, None)
            else:
                self.report.counts["created" if created else "updated"] += 1
            if self.options.progress:
                self.options.progress(done, len(to_write))
        for item in wp_pages:
            self._write_body(item)

    # Delegations ------------------------------------------------------------------------

    def _delegations(self, default):
        """``{category slug: DelegationPage}`` (default locale), translated categories included."""
        mapping = {}
        for category, slug in self.options.delegations.items():
            mapping[category] = self._find_delegation("--delegation", category, slug, default)
        groups = self.grouping.term_groups
        for category, delegation in list(mapping.items()):
            group = groups.get(("category", category))
            for (taxonomy, slug), other in groups.items():
                if taxonomy == "category" and other == group and group is not None:
                    mapping.setdefault(slug, delegation)
        return mapping

    def _find_delegation(self, option, key, slug, default):
        found = list(DelegationPage.objects.filter(slug=slug).select_related("locale"))
        if not found:
            raise ImportError(f"{option} {key}={slug}: no delegation page has the slug {slug!r}.")
        found.sort(key=lambda page: page.locale_id != default.pk)
        return found[0]

    def _mapped(self, item):
        return [self.delegations[t.slug] for t in item.terms_of("category") if t.slug in self.delegations]

    def _localized(self, pages, locale):
        """``pages`` in ``locale``, those without a translation there left out (remembered per run)."""
        key = (tuple(page.pk for page in pages), locale.pk)
        if key not in self._translated:
            found = localize_objects(pages, locale)
            self._translated[key] = [page for page in found if page.locale_id == locale.pk]
        return self._translated[key]

    # WordPress pages: delegation bodies -----------------------------------------------

    def _bodies(self, default):
        """The WordPress pages given with ``--page`` and their translations (Polylang's or WPML's
        group), each with its delegation in its own language (``self.bodies``); the other pages
        are reported in one line."""
        wp_pages = [item for item in self.export.items if item.post_type == "page"]
        chosen = {}
        for slug, delegation_slug in self.options.pages.items():
            named = [item for item in wp_pages if item.slug == slug]
            if not named:
                raise ImportError(
                    f"--page {slug}={delegation_slug}: the export has no page with the slug {slug!r}."
                )
            delegation = self._find_delegation("--page", slug, delegation_slug, default)
            groups = {self.grouping.placement(item).group for item in named}
            for item in wp_pages:
                if item.slug == slug or self.grouping.placement(item).group in groups:
                    chosen.setdefault(item.wp_id, (item, delegation))
        left = len(wp_pages) - len(chosen)
        if left:
            self.report.warn(
                None,
                f"{left} WordPress page(s) not imported: posts become news, and only the pages given "
                "with --page (and their translations) delegation bodies.",
            )
        mapped = []
        for item, delegation in chosen.values():
            target = self._body_target(item, delegation)
            if target is not None:
                self.bodies[item.wp_id] = target
                self._permalink(item)  # links to it become links to its delegation
                mapped.append(item)
        return mapped

    def _skip_body(self, item, reason):
        self.report.warn(item.wp_id, f"page {item.slug!r}: {reason}")
        self.report.bodies["skipped"] += 1

    def _body_target(self, item, delegation):
        if item.status in _SKIPPED_STATUSES:
            return None
        if item.password:
            self._skip_body(item, "password-protected: skipped")
            return None
        language = self.grouping.placement(item).language
        if language is None or language not in self.locales:
            self._skip_body(item, "its language is not a content language of this site: skipped")
            return None
        found = self._localized([delegation], self.locales[language])
        if not found:
            self._skip_body(item, f"delegation {delegation.slug!r} has no {language} translation: skipped")
            return None
        return found[0]

    def _write_body(self, item):
        """The page's content as its delegation's body: a revision, published when the page is
        published in WordPress and the delegation live in Wagtail (a draft otherwise)."""
        target = self.bodies[item.wp_id]
        delegation = DelegationPage.objects.get(pk=target.pk)
        content_hash = _hash(item, {"delegation": delegation.pk})
        record = self.records.get(("post", str(item.wp_id)))
        ours = record is not None and record.object_id == delegation.pk
        if ours and record.content_hash == content_hash:
            self.report.bodies["unchanged"] += 1
            return
        # Edited in Wagtail since the last import, or, the first time, a draft of an editor's.
        edited = (
            delegation.latest_revision_id != record.revision_id
            if ours
            else delegation.has_unpublished_changes
        )
        if edited and not self.options.overwrite:
            self._skip_body(
                item,
                f"delegation {delegation.pk} has changes made in Wagtail since: skipped "
                "(--overwrite replaces its body)",
            )
            return
        if translations.is_synced(delegation):
            self.report.warn(
                item.wp_id,
                f"page {item.slug!r}: delegation {delegation.pk} is a synced translation: its next sync "
                "replaces this body (Stop synced translation keeps it)",
            )
        live = item.status == "publish" and delegation.live
        try:
            with transaction.atomic():
                latest = delegation.get_latest_revision_as_object()
                latest.body = body.stream_json(body.convert(item.content, _Resolver(self, item)))
                revision = latest.save_revision(clean=not live)
                if live:
                    revision.publish()
                self.records.remember("post", str(item.wp_id), delegation, content_hash, revision)
        except Exception as error:  # noqa: BLE001  (reported, the others go on)
            self._skip_body(item, f"not imported: {type(error).__name__}: {error}")
        else:
            self.report.bodies["updated"] += 1

    # Phase 1: a page for every post -----------------------------------------------------

    def _existing_pages(self):
        ids = [
            row.object_id
            for (kind, _key), row in self.records.rows.items()
            if kind == "post" and row.content_type.model_class() is NewsPage
        ]
        return NewsPage.objects.in_bulk(ids)

    def _skip(self, item, reason):
        self.report.warn(item.wp_id, reason)
        self.report.counts["skipped"] += 1

    def _allocate(self, item, by_id, existing):
        if item.status in _SKIPPED_STATUSES:
            self.report.counts["skipped"] += 1
            return None
        if item.password:
            self._skip(item, "password-protected: skipped")
            return None
        placement = self.grouping.placement(item)
        if placement.language is None or placement.language not in self.locales:
            self._skip(item, "its language is not a content language of this site: skipped")
            return None
        locale = self.locales[placement.language]
        source_item = by_id.get(placement.source_id)
        source_page = self.pages.get(placement.source_id)
        if source_item is not None and source_page is None:
            self.report.warn(
                item.wp_id, f"its source, post {placement.source_id}, is not imported: kept on its own"
            )
        if source_page is not None and source_page.locale_id == locale.pk:
            self.report.warn(
                item.wp_id, f"same language as its source, post {placement.source_id}: kept on its own"
            )
            source_page = None
        delegations = self._mapped(source_item if source_page is not None else item)
        self.homes[item.wp_id] = delegations[0] if delegations else None
        content_hash = _hash(
            item, {"delegations": [d.pk for d in delegations], "source": placement.source_id}
        )
        record = self.records.get(("post", str(item.wp_id)))
        page = existing.get(record.object_id) if record is not None else None
        if record is not None and page is None and not self.options.overwrite:
            self._skip(
                item,
                "its page was deleted in Wagtail since the last import: skipped "
                "(--overwrite imports it again)",
            )
            return None
        if page is not None:
            self.pages[item.wp_id] = page
            if record.content_hash == content_hash:
                self.report.counts["unchanged"] += 1
                return None
            if page.latest_revision_id != record.revision_id and not self.options.overwrite:
                self._skip(
                    item,
                    f"changed in WordPress, but page {page.pk} was edited in Wagtail since the last "
                    "import: skipped (--overwrite replaces the edit)",
                )
                return None
            return (item, page, False, content_hash)
        localized = self._localized(delegations, locale)
        if not localized:
            if not delegations:
                self._skip(item, "none of its categories is mapped to a delegation (--delegation): skipped")
            else:
                self._skip(
                    item,
                    f"delegation {delegations[0].slug!r} has no {locale.language_code} translation: skipped",
                )
            return None
        parent = localized[0]
        page = NewsPage(
            title=item.title or f"WordPress {item.wp_id}",
            slug=find_available_slug(parent, self._slug(item)),
            locale=locale,
            live=False,
            has_unpublished_changes=True,
            date=self._date(item).date() if item.date else timezone.localdate(),
        )
        if source_page is not None:
            if NewsPage.objects.filter(translation_key=source_page.translation_key, locale=locale).exists():
                self._skip(
                    item,
                    f"post {placement.source_id} already has a {locale.language_code} translation: skipped",
                )
                return None
            page.translation_key = source_page.translation_key
        with self.upkeep.paused(page):
            parent.add_child(instance=page)
        self.pages[item.wp_id] = page
        return (item, page, True, content_hash)

    def _slug(self, item):
        slug = slugify(item.slug or item.title, allow_unicode=True)[:200]
        return slug or f"post-{item.wp_id}"

    def _date(self, item):
        date = item.date
        if timezone.is_naive(date):
            date = timezone.make_aware(date)
        return timezone.localtime(date)

    # Phase 2: content -------------------------------------------------------------------

    def page_id_for(self, href):
        """The page of an imported post that ``href`` (a WordPress URL) names, or None."""
        url = urlparse(href)
        if url.scheme not in ("", "http", "https") or (url.netloc and url.netloc.lower() not in self.hosts):
            return None
        query = parse_qs(url.query)
        wp_id = None
        for key in ("p", "page_id"):
            if query.get(key, [""])[0].isdigit():
                wp_id = int(query[key][0])
        if wp_id is None:
            wp_id = self.permalinks.get(url.path.rstrip("/"))
        page = self.pages.get(wp_id) or self.bodies.get(wp_id)
        return page.pk if page is not None else None

    def _write(self, item, page, content_hash, by_id):
        placement = self.grouping.placement(item)
        source_page = self.pages.get(placement.source_id)
        if source_page is not None and source_page.translation_key != page.translation_key:
            source_page = None
        source_item = by_id.get(placement.source_id) if source_page is not None else None
        live = item.status == "publish"
        page.title = item.title or page.title
        page.body = body.stream_json(body.convert(item.content, _Resolver(self, item)))
        page.excerpt = unescape(strip_tags(item.excerpt)).strip()
        page.dateline = item.meta.get(self.options.dateline_meta, "").strip()[:255]
        if item.date:
            page.date = self._date(item).date()
        thumbnail = item.meta.get("_thumbnail_id", "")
        found = self.media.image(int(thumbnail), "", item.wp_id) if thumbnail.isdigit() else None
        page.image = found[0] if found else None
        delegations = self._mapped(source_item or item)
        page.related_delegations.set(self._localized(delegations[1:], page.locale))
        page.tags.set(self._tags(item, source_item, page.locale))
        if live and page.first_published_at is None and item.date:
            page.first_published_at = self._date(item)
        with self.upkeep.paused(page):
            # A live page is validated by publish()'s save: once is enough.
            revision = page.save_revision(clean=not live)
            if live:
                revision.publish()
                page.live = True  # publish() saved a copy of the page made from the revision
            elif page.live:
                page.unpublish()
        if source_page is not None:
            translations.link(source_page, page)
        self.records.remember("post", str(item.wp_id), page, content_hash, revision)

    # Tags -------------------------------------------------------------------------------

    def _terms(self, item):
        return [
            term
            for term in item.terms_of("category", "post_tag")
            if not (
                term.taxonomy == "category"
                and (term.slug in self.delegations or term.slug in _DEFAULT_CATEGORIES)
            )
        ]

    def _tag(self, term):
        key = f"{term.taxonomy}:{term.slug}"
        if self.tags.get(key) is not None:
            return self.tags[key]
        record = self.records.get(("term", key))
        tag = Tag.objects.filter(pk=record.object_id).first() if record is not None else None
        name = term.name.strip()[:100] or term.slug
        if tag is None:
            tag = Tag.objects.filter(name=name).first() or Tag.objects.filter(slug=slugify(name)).first()
        if tag is None:
            tag = Tag.objects.create(name=name)
        if record is None or record.object_id != tag.pk:
            self.records.remember("term", key, tag)
        self.tags[key] = tag
        return tag

    def _known_tag(self, term):
        key = f"{term.taxonomy}:{term.slug}"
        if key not in self.tags:
            record = self.records.get(("term", key))
            self.tags[key] = Tag.objects.filter(pk=record.object_id).first() if record is not None else None
        return self.tags[key]

    def _tags(self, item, source_item, locale):
        """The post's tags; a translation shares its source's (named in its language by TagTranslation)."""
        terms = self._terms(item)
        if source_item is None:
            return [self._tag(term) for term in terms]
        source_terms = self._terms(source_item)
        tags = [self._tag(term) for term in source_terms]
        groups = self.grouping.term_groups
        pairs = []
        for term in terms:
            group = groups.get((term.taxonomy, term.slug))
            match = next(
                (s for s in source_terms if group is not None and groups.get((s.taxonomy, s.slug)) == group),
                None,
            )
            if match is not None:
                pairs.append((match, term))
        if not pairs and len(terms) == len(source_terms):
            pairs = list(zip(source_terms, terms, strict=True))  # no term groups: same order, same count
        elif not pairs and terms:
            self.report.warn(
                item.wp_id, "its terms could not be paired with its source's: names not translated"
            )
        for source_term, term in pairs:
            self._name_tag(item, self._tag(source_term), locale, term.name.strip())
        return tags

    def _name_tag(self, item, tag, locale, name):
        if not name or name == tag.name:
            return
        if TagTranslation.objects.filter(tag=tag, locale=locale).exists():
            return  # named already, by an earlier run or an editor
        slug = slugify(name, allow_unicode=True)[:100]
        taken = Tag.objects.filter(slug=slug).exclude(pk=tag.pk).exists()
        taken = taken or TagTranslation.objects.filter(locale=locale, slug=slug).exists()
        if taken or not slug:
            self.report.warn(
                item.wp_id, f"tag name {name!r} ({locale.language_code}) not kept: its slug is taken"
            )
            return
        TagTranslation.objects.create(tag=tag, locale=locale, name=name[:100], slug=slug)

    # Redirects --------------------------------------------------------------------------

    def _redirects(self, posts, wp_pages):
        first = next(iter(self.delegations.values()), None)
        site = first.get_site() if first is not None else None
        wanted = redirects.Redirects(site)
        languages = sorted(self.locales)
        for item in posts:
            page = self.pages.get(item.wp_id)
            if page is None or not page.live:
                continue  # drafts have no public address to send readers to
            language = self.grouping.placement(item).language
            wanted.add(redirects.post_paths(self.export, item, language, languages), page)
        for item in wp_pages:
            target = self.bodies[item.wp_id]
            if item.status == "publish" and target.live:
                language = self.grouping.placement(item).language
                wanted.add(redirects.post_paths(self.export, item, language, languages), target)
        published = [item for item in posts if item.status == "publish" and not item.password]
        per_term = Counter(
            (t.taxonomy, t.slug) for item in published for t in item.terms_of("category", "post_tag")
        )
        for term in self.export.terms:
            if term.taxonomy not in ("category", "post_tag") or term.slug in _DEFAULT_CATEGORIES:
                continue
            target = self.delegations.get(term.slug) if term.taxonomy == "category" else None
            if target is not None:
                language = self.grouping.term_language(term)
                if language and language in self.locales:
                    target = next(iter(self._localized([target], self.locales[language])), target)
                if not target.live:
                    continue
            elif self.options.listing_url:
                tag = self._known_tag(term)
                if tag is None:
                    continue  # no imported post carries it
                language = self.grouping.term_language(term) or ""
                target = self.options.listing_url.format(slug=tag.slug, language=language)
            else:
                continue
            pages = redirects.page_count(per_term[(term.taxonomy, term.slug)], self.options.per_page)
            wanted.add(
                redirects.archive_paths(
                    self.export, term.taxonomy, term.slug, term.term_id, languages, pages
                ),
                target,
            )
        self._author_redirects(wanted, published, languages)
        self.report.redirects = wanted.save(dry_run=self.options.dry_run)

    def _author_redirects(self, wanted, published, languages):
        """An author's archive to the delegation all their published posts went under, if one did."""
        by_author = {}
        for item in published:
            by_author.setdefault(item.author, []).append(item)
        for author in self.export.authors:
            items = by_author.get(author.login, [])
            homes = {self.homes.get(item.wp_id) for item in items}
            imported = all(
                self.pages.get(item.wp_id) is not None and self.pages[item.wp_id].live for item in items
            )
            if not items or len(homes) != 1 or None in homes or not imported:
                continue
            home = homes.pop()
            pages = redirects.page_count(len(items), self.options.per_page)
            if home.live:
                wanted.add(redirects.author_paths(self.export, author, pages), home)
            for code in languages:
                localized = self._localized([home], self.locales[code])
                if localized and localized[0].live:
                    wanted.add(redirects.author_paths(self.export, author, pages, code), localized[0])
