"""Small page trees for the feed tests: a landing page, delegations and dated news."""

import datetime
import itertools

from wagtail.models import PageViewRestriction

from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsFeed, NewsPage

_counter = itertools.count()


def landing(home, **fields):
    page = DelegationIndexPage(title="Délégations", slug=f"delegations-{next(_counter)}", **fields)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def delegation(parent, acronym):
    page = DelegationPage(
        title=f"MMM {acronym}",
        slug=f"{acronym.lower()}-{next(_counter)}",
        organisation=acronym,
        acronym=acronym,
        summary=f"La délégation {acronym}.",
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def news(parent, title, date, tags=(), related=(), publish=True, excerpt="", **fields):
    page = NewsPage(
        title=title,
        slug=f"news-{next(_counter)}",
        date=date if isinstance(date, datetime.date) else datetime.date.fromisoformat(date),
        excerpt=excerpt or f"Résumé de « {title} » : des mères & des enfants.",
        live=publish,
        **fields,
    )
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    if related:
        page.related_delegations.set(related)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.save()
    return NewsPage.objects.get(pk=page.pk)


def feed(locale, slug="feed", delegations=(), tags=(), **fields):
    fields.setdefault("title", f"Feed {slug}")
    obj = NewsFeed.objects.create(locale=locale, slug=slug, **fields)
    if delegations:
        obj.delegations.set(delegations)
    if tags:
        from taggit.models import Tag

        obj.tags.set([Tag.objects.get(name=name) for name in tags])
    obj.save()
    return obj


def make_private(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="x")


def translate(page, locale):
    """An English (or other) published translation of ``page``, parents included."""
    copy = page.copy_for_translation(locale, copy_parents=True)
    copy.save_revision().publish()
    return type(page).objects.get(pk=copy.pk)


def titles(items):
    return [item.title for item in items]
