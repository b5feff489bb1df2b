"""Wagtail permanent redirects from a WordPress site's URLs to the imported pages.

A post answers at its permalink, at ``/?p=ID`` and ``/?page_id=ID``, and, with WPML or
Polylang, at the same under a language prefix (``/en/…``) or with ``?lang=en``: each gets a
redirect to its page. Category archives (``/category/slug/``, ``?cat=ID``) redirect to the
delegation they were mapped to, other categories and tags (``/tag/slug/``) to the filtered
listing when a URL for it is given; their pages (``/category/slug/page/2/``, as many as the
archive had at WordPress's posts per page) with them. An author's archive (``/author/name/``,
its pages, ``/?author=ID``) redirects to the delegation when all of the author's published
posts went under that one. Paths are stored as Wagtail's ``Redirect.normalise_path``
keeps them (query parameters sorted), which is what its middleware looks up.
"""

from urllib.parse import urlparse

from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect

__all__ = ["archive_paths", "author_paths", "author_slug", "page_count", "post_paths", "Redirects"]


def _prefix(export):
    """The path of the WordPress site under its domain ('' at the root, '/blog')."""
    return urlparse(export.site).path.rstrip("/")


def post_paths(export, item, language, languages):
    """Every old path of a post, before normalisation."""
    prefix = _prefix(export)
    permalink = urlparse(item.link)
    paths = {f"{prefix}/?p={item.wp_id}", f"{prefix}/?page_id={item.wp_id}"}
    if permalink.path or permalink.query:
        paths.add(permalink.path + (f"?{permalink.query}" if permalink.query else ""))
    for code in languages:
        for base in (f"{prefix}/?p={item.wp_id}", f"{prefix}/?page_id={item.wp_id}"):
            paths.add(f"{prefix}/{code}{base[len(prefix) :]}")
            if code == language:
                paths.add(f"{base}&lang={code}")
        path = permalink.path
        if path and not path.startswith(f"{prefix}/{code}/") and code == language:
            paths.add(f"{prefix}/{code}{path[len(prefix) :]}")
    return {path for path in paths if path.strip("/")}


def page_count(posts, per_page):
    """How many pages an archive of ``posts`` posts had at ``per_page`` a page (one at least)."""
    return max(1, -(-posts // per_page)) if per_page > 0 else 1


def _with_pages(paths, pages):
    """``paths`` (archive paths ending with a slash) and their pages 2 to ``pages``."""
    return {f"{path}page/{number}/" for path in paths for number in range(2, pages + 1)} | set(paths)


def archive_paths(export, taxonomy, slug, term_id, languages, pages=1):
    prefix = _prefix(export)
    base = "category" if taxonomy == "category" else "tag"
    paths = {f"{prefix}/{base}/{slug}/", *(f"{prefix}/{code}/{base}/{slug}/" for code in languages)}
    paths = _with_pages(paths, pages)
    paths.add(f"{prefix}/?cat={term_id}" if taxonomy == "category" and term_id else f"{prefix}/?tag={slug}")
    return paths


def author_slug(login):
    """The slug of an author's archive: WordPress's ``user_nicename``, which the export leaves out,
    is its ``sanitize_title`` of the login (lower case, dots and spaces to dashes)."""
    return slugify(login.replace(".", "-"))


def author_paths(export, author, pages=1, language=None):
    """An author's archive and its pages, under ``language``'s prefix (``/en/author/…``) or, with
    none, at the root, with ``/?author=ID``."""
    prefix = _prefix(export)
    slug = author_slug(author.login)
    if not slug:
        return set()
    base = f"{prefix}/{language}" if language else prefix
    paths = _with_pages({f"{base}/author/{slug}/"}, pages)
    if author.author_id and not language:
        paths.add(f"{prefix}/?author={author.author_id}")
    return paths


class Redirects:
    """Collects the wanted redirects, then writes the missing and changed ones at once."""

    def __init__(self, site):
        self.site = site
        self.wanted = {}  # normalised old path -> Page or URL

    def add(self, paths, target):
        for path in paths:
            self.wanted[Redirect.normalise_path(path)] = target

    def save(self, dry_run=False):
        """Returns (created, updated, unchanged)."""
        existing = {
            redirect.old_path: redirect
            for redirect in Redirect.objects.filter(site=self.site, old_path__in=list(self.wanted))
        }
        created, changed, unchanged = [], [], 0
        for path, target in self.wanted.items():
            is_page = not isinstance(target, str)
            redirect = existing.get(path)
            if redirect is None:
                created.append(
                    Redirect(
                        old_path=path,
                        site=self.site,
                        is_permanent=True,
                        redirect_page=target if is_page else None,
                        redirect_link="" if is_page else target,
                    )
                )
                continue
            same = (redirect.redirect_page_id == target.pk) if is_page else (redirect.redirect_link == target)
            if same and redirect.is_permanent:
                unchanged += 1
                continue
            redirect.is_permanent = True
            redirect.redirect_page = target if is_page else None
            redirect.redirect_link = "" if is_page else target
            changed.append(redirect)
        if not dry_run:
            Redirect.objects.bulk_create(created, batch_size=500)
            for redirect in changed:
                redirect.save()
        return len(created), len(changed), unchanged
