"""Dependency tags: what a cached response depends on, what a change touches.

The same names go out in the ``Cache-Tag`` header (``CACHE_TAG_HEADER``) so a CDN can purge
by tag, and in webhook bodies. A response depends on:

- ``mmm``: everything (site structure, view restrictions, media, moves and deletions);
- ``mmm-page-<id>`` for each page it shows or links; a change to a page bumps the tag of
  every page sharing its translation key (details list their translations);
- ``mmm-list-<language>`` (``lists``) when it lists pages of that language (``news/``, latest
  news, feeds): a publish or unpublish in that language may add, drop or reorder items;
- ``mmm-feed-<id>`` per news feed it shows, ``mmm-feeds-<language>`` for the feeds of a
  language (their list, a feed found by slug);
- ``mmm-tags`` (``TAG_NAMES``) when it shows or filters by tags (taggit tags: a tag's or a tag
  translation's edit or deletion changes the names and slugs readers see);
- ``mmm-sitemap`` for ``sitemap/`` and ``site/``, which show pages of every type: a page
  of another type (the site's blog, its home page) published, unpublished or deleted bumps
  only this tag.

One function per kind of response gives its tags, from what the request resolved (the
site's language when no ``locale`` is asked, the feed's language): ``of_api_response``
(the JSON API), ``of_feeds_list`` (``feeds/``, even while empty) and ``of_syndication``
(RSS, Atom, JSON Feed).

"Tag" alone means a news item's taggit tag elsewhere in the package (docs/tags.md); here every
name is a dependency tag. Their versions are ``ContentTag`` rows (``cache.versions``).
"""

from ..locales import fallback_codes

ALL = "mmm"
TAG_NAMES = "mmm-tags"
SITEMAP = "mmm-sitemap"
FEED_TYPE = "mmm_wagtail.NewsFeed"


def page(pk):
    return f"mmm-page-{pk}"


def lists(language):
    """The tag of the lists of pages of ``language`` (``news/``, latest news, feeds)."""
    return f"mmm-list-{language}"


def feed(pk):
    return f"mmm-feed-{pk}"


def feeds(language):
    return f"mmm-feeds-{language}"


def lists_for_readers(languages, site=None):
    """The list tags of what readers of ``languages`` get on ``site``: their languages' and the
    fallbacks' (the site's default language, per ``UNTRANSLATED``)."""
    return {lists(code) for language in languages for code in fallback_codes(language, site=site)}


def of_syndication(language, *extra, site=None):
    """An RSS, Atom or JSON feed of ``site`` lists the news of its language (and fallbacks), with tags."""
    return {ALL, TAG_NAMES, *lists_for_readers([language], site), *extra}


def of_feeds_list(payload, languages, site=None):
    """``feeds/`` of ``languages``: a new feed of them, or news they list, changes it."""
    return of_api_response(payload, languages, site=site) | {
        *map(feeds, languages),
        *lists_for_readers(languages, site),
    }


def of_api_response(payload, languages, filters_tags=False, site=None):
    """The tags of an API payload: the pages it shows (found by walking it) and, when it lists
    pages, the lists of ``languages`` (those the request resolved: asked, or the site's),
    of the languages it shows, and their fallbacks on ``site``: a list empty today lists a
    page tomorrow.
    """
    found = {ALL}
    seen_languages = set()
    lists = False

    def walk(node):
        nonlocal lists
        if isinstance(node, dict):
            meta = node.get("meta")
            kind = meta.get("type") if isinstance(meta, dict) else None
            pk = node.get("id")
            if kind == FEED_TYPE:
                found.add(feed(pk))
                lists = True
            elif isinstance(pk, int) and not ("alt" in node or "renditions" in node):
                # A page: a card, a detail, a translation, a link, a delegation of a card.
                found.add(page(pk))
            if kind and isinstance(meta.get("locale"), str):
                seen_languages.add(meta["locale"])
            if "latest_news" in node or ("count" in node and "items" in node):
                lists = True
            if node.get("tags"):
                found.add(TAG_NAMES)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    if lists:
        found |= lists_for_readers({*languages, *seen_languages}, site)
    if filters_tags:
        found.add(TAG_NAMES)
    return found
