"""Builds the demo page tree from ``seed.py``; existing pages are left as they are."""

from django.db import transaction
from wagtail.models import Locale, Site

from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage

from . import seed


class DemoLoader:
    def __init__(self, log=print):
        self.log = log
        self.created = 0
        self.kept = 0

    @transaction.atomic
    def run(self):
        site = Site.objects.get(is_default_site=True)
        home = site.root_page.specific
        locale = home.locale
        feed = self.feed(locale)
        index = self.page(home, DelegationIndexPage, seed.INDEX, news_feed=feed)
        delegations = {data["slug"]: self.page(index, DelegationPage, data) for data in seed.DELEGATIONS}
        for data in seed.NEWS:
            fields = {k: v for k, v in data.items() if k not in ("delegation", "related", "text", "tags")}
            fields["body"] = [("paragraph", f"<p>{data['text']}</p>")]
            self.page(
                delegations[data["delegation"]],
                NewsPage,
                fields,
                tags=data["tags"],
                related=[delegations[slug] for slug in data.get("related", [])],
            )
        self.log(f"Demo content: {self.created} created, {self.kept} already there.")
        return index

    def feed(self, locale: Locale):
        feed = NewsFeed.objects.filter(locale=locale, slug=seed.FEED["slug"]).first()
        if feed:
            self.kept += 1
            return feed
        self.created += 1
        return NewsFeed.objects.create(locale=locale, **seed.FEED)

    def page(self, parent, model, data, tags=(), related=(), **extra):
        existing = model.objects.child_of(parent).filter(slug=data["slug"]).first()
        if existing:
            self.kept += 1
            return existing
        page = model(**data, **extra)
        parent.add_child(instance=page)
        if tags:
            page.tags.add(*tags)
        if related:
            page.related_delegations.set(related)
        page.save_revision().publish()
        self.created += 1
        return page
