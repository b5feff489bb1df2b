"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as a Django feed generator.

Subclassing ``SyndicationFeed`` lets one ``django.contrib.syndication`` Feed class serve
RSS, Atom and JSON Feed alike: only ``feed_type`` differs.
"""

import json

from django.utils.feedgenerator import SyndicationFeed

VERSION = "https://jsonfeed.org/version/1.1"


class JSONFeed(SyndicationFeed):
    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=None).encode(encoding))

    def as_dict(self):
        feed = self.feed
        document = {
            "version": VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [_author(feed)] if feed["author_name"] else None,
            "items": [self.item_dict(item) for item in self.items],
        }
        return _without_empty(document)

    def item_dict(self, item):
        # ``content_text`` is the plain teaser: the RSS/Atom ``description`` is HTML-escaped.
        text = item.get("content_text", item["description"]) or ""
        return _without_empty(
            {
                "id": item["unique_id"] or item["link"],
                "url": item["link"],
                "title": item["title"],
                "content_text": text,
                "summary": text,
                "date_published": item["pubdate"].isoformat() if item["pubdate"] else None,
                "date_modified": item["updateddate"].isoformat() if item["updateddate"] else None,
                "image": item.get("image"),
                "tags": list(item["categories"]) or None,
                "language": item.get("language"),
                "authors": [_author(item)] if item["author_name"] else None,
            }
        )


def _author(data):
    return _without_empty({"name": data["author_name"], "url": data["author_link"]})


def _without_empty(mapping):
    # The spec marks most fields optional; leaving them out beats sending nulls. An empty
    # item list and an empty content_text stay: both are required.
    return {
        key: value for key, value in mapping.items() if value is not None or key in ("items", "content_text")
    }
