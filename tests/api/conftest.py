import datetime
import itertools

import pytest
from django.core.cache import cache
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Site

from mmm_wagtail.basepage import Page
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage
from tests import db_snapshot

API = "/api/mmm/"
_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The shared response cache is a LocMemCache in tests: start every test empty.
    cache.clear()
    yield
    cache.clear()


def get_json(client, path, status=200, **extra):
    response = client.get(API + path, **extra)
    assert response.status_code == status, response.content[:500]
    return response.json()


def _build_tree():
    home = Site.objects.get(is_default_site=True).root_page.specific
    index = home.add_child(instance=DelegationIndexPage(title="Delegations", slug="deleg"))
    first = index.add_child(
        instance=DelegationPage(
            title="EU", slug="eu", organisation="European Union", acronym="EU", summary="s"
        )
    )
    second = index.add_child(
        instance=DelegationPage(
            title="UN", slug="un", organisation="United Nations", acronym="UN", summary="s"
        )
    )
    return index.pk, first.pk, second.pk


@pytest.fixture(scope="session")
def _tree_rows(django_db_setup, django_db_blocker):
    """The rows of ``tree``, built once per worker by the code above (tests/db_snapshot.py)."""
    with django_db_blocker.unblock():
        return db_snapshot.Snapshot.of(_build_tree)


@pytest.fixture
def tree(home, _tree_rows):
    """A small tree of our own: landing page -> two delegations."""
    _tree_rows.restore()
    home.refresh_from_db()  # its numchild: pages added under it go after the landing page
    return tuple(Page.objects.get(pk=pk).specific for pk in _tree_rows.value)


def site_with_a_delegation(hostname, slug, locale, title="UN", organisation="United Nations"):
    """Another Site, ``hostname``, its root page ``slug`` in ``locale`` with a landing page and one
    delegation (returned)."""
    from wagtail.models import Page, Site

    home = Page.get_first_root_node().add_child(instance=Page(title=hostname, slug=slug, locale=locale))
    Site.objects.create(hostname=hostname, root_page=home)
    index = home.add_child(
        instance=DelegationIndexPage(title="Delegations", slug="delegations", locale=locale)
    )
    return index.add_child(
        instance=DelegationPage(
            title=title,
            slug=title.lower(),
            organisation=organisation,
            acronym=title,
            summary="s",
            locale=locale,
        )
    )


def make_news(parent, date=datetime.date(2024, 1, 1), publish=True, tags=(), related=(), **fields):
    number = next(_slugs)
    fields.setdefault("title", f"News {number}")
    fields.setdefault("slug", f"news-{number}")
    page = parent.add_child(instance=NewsPage(date=date, live=publish, **fields))
    if tags:
        page.tags.add(*tags)
    if related:
        page.related_delegations.set(related)
    if tags or related:
        page.save()
    if publish:
        page.save_revision().publish()
    return page


def make_image(title="img", size=(640, 480)):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=size))
