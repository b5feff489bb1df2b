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
- ``mmm-tags`` when it shows or filters by tags (tag and tag translation edits).
"""

ALL = "mmm"
TAGS = "mmm-tags"
FEED_TYPE = "mmm_wagtail.NewsFeed"


def page(pk):
    return f"mmm-page-{pk}"


def listing(language):
    return f"mmm-list-{language}"


def feed(pk):
    return f"mmm-feed-{pk}"


def feeds(language):
    return f"mmm-feeds-{language}"


def of_payload(payload, languages=(), filters_tags=False):
    """The tags of an API payload, found by walking it.

    ``languages``: the languages the request reads (with their fallbacks), for a listing
    that may be empty today and list a page tomorrow.
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
        found.update(listing(code) for code in {*languages, *seen_languages})
    if filters_tags:
        found.add(TAGS)
    return found
