"""Dependency tags: what a cached response depends on, what a change touches.

The same names go out in the ``Cache-Tag`` header (``CACHE_TAG_HEADER``) so a CDN can purge
by tag, and in webhook bodies. A response depends on:

- ``mmm``: everything (site structure, view restrictions, media, moves and deletions);
- ``mmm-page-<id>`` for each page it shows or links; a change to a page bumps the tag of
  every page sharing its translation key (details list their translations);
- ``mmm-list-<language>`` when it lists pages of that language (listings, latest news,
  feeds): a publish or unpublish in that language may add, drop or reorder items;
- ``mmm-feed-<id>`` per news feed it shows, ``mmm-feeds-<language>`` for the feeds of a
  language (their list, a feed found by slug);
- ``mmm-tags`` when it shows or filters by tags (tag and tag translation edits);
- ``mmm-sitemap`` for ``sitemap/`` and ``site/``, which show pages of every type: a page
  of another type (the site's blog, its home page) published, unpublished or deleted bumps
  only this tag.

One function per kind of response gives its tags, from what the request resolved (the
site's language when no ``locale`` is asked, the feed's language): ``of_api_response``
(the JSON API), ``of_feeds_list`` (``feeds/``, even while empty) and ``of_syndication``
(RSS, Atom, JSON Feed).
"""

from ..locales import fallback_codes

ALL = "mmm"
TAGS = "mmm-tags"
SITEMAP = "mmm-sitemap"
FEED_TYPE = "mmm_wagtail.NewsFeed"


def page(pk):
    return f"mmm-page-{pk}"


def listing(language):
    return f"mmm-list-{language}"


def feed(pk):
    return f"mmm-feed-{pk}"


def feeds(language):
    return f"mmm-feeds-{language}"


def listings(languages, site=None):
    """The listing tags of ``languages`` and their fallbacks on ``site`` (its default language)."""
    return {listing(code) for language in languages for code in fallback_codes(language, site=site)}


def of_syndication(language, *extra, site=None):
    """An RSS, Atom or JSON feed of ``site`` lists the news of its language (and fallbacks), with tags."""
    return {ALL, TAGS, *listings([language], site), *extra}


def of_feeds_list(payload, languages, site=None):
    """``feeds/`` of ``languages``: a new feed of them, or news they list, changes it."""
    return of_api_response(payload, languages, site=site) | {
        *map(feeds, languages),
        *listings(languages, site),
    }


def of_api_response(payload, languages, filters_tags=False, site=None):
    """The tags of an API payload: the pages it shows (found by walking it) and, when it lists
    pages, the listings of ``languages`` (those the request resolved: asked, or the site's),
    of the languages it shows, and their fallbacks on ``site``: a listing empty today lists a
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
                found.add(TAGS)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(payload)
    if lists:
        found |= listings({*languages, *seen_languages}, site)
    if filters_tags:
        found.add(TAGS)
    return found
