"""Issue #20, finding 4: two editors changing one news item at once on PostgreSQL.

Four threads, each with its own database connection (Django gives every thread one), hammer
the same news page and its delegation the way the admin does (no surrounding transaction):
publish, unpublish, save a draft, publish a translation, unpublish and republish the parent
delegation. Every operation must succeed (no ``IntegrityError`` on the listing's unique
constraints, no deadlock), and at the end the read model must equal what the page tables
call for (``listing.rows.drift``), with the last publish not lost.

PostgreSQL only (SQLite serialises writers on the whole database): ``DATABASE_URL=postgres://…``.
"""

import random
import threading

import pytest
from django.db import close_old_connections, connection
from wagtail.models import Locale, Page, Site

from mmm_wagtail.listing.rows import _stored, drift, expected
from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsListing, NewsPage

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"),
]

THREADS = 4
ROUNDS = 15


def _tree():
    home = Site.objects.get(is_default_site=True).root_page
    index = home.add_child(instance=DelegationIndexPage(title="Délégations", slug="delegations"))
    delegation = index.add_child(
        instance=DelegationPage(title="UE", slug="ue", organisation="UE", acronym="UE", summary="s")
    )
    other = index.add_child(
        instance=DelegationPage(title="ONU", slug="onu", organisation="ONU", acronym="ONU", summary="s")
    )
    news = delegation.add_child(instance=NewsPage(title="N", slug="n", date="2024-01-01", live=False))
    news.related_delegations.set([other])
    news.save_revision().publish()
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = news.copy_for_translation(english, copy_parents=True)
    translation.save_revision().publish()
    return delegation.pk, news.pk, translation.pk


def _operations(delegation_pk, news_pk, translation_pk):
    def publish():
        page = NewsPage.objects.get(pk=news_pk)
        page.title = random.choice(["A", "B"])
        page.save_revision().publish()

    def unpublish():
        page = NewsPage.objects.get(pk=news_pk)
        if page.live:
            page.unpublish()

    def save_draft():
        page = NewsPage.objects.get(pk=news_pk)
        page.title = random.choice(["C", "D"])
        page.save_revision()

    def publish_translation():
        page = NewsPage.objects.get(pk=translation_pk)
        page.save_revision().publish()

    def toggle_delegation():
        page = DelegationPage.objects.get(pk=delegation_pk)
        if page.live:
            page.unpublish()
        else:
            page.save_revision().publish()

    return [publish, unpublish, save_draft, publish_translation, toggle_delegation]


def _hammer(operations, seed, errors):
    rng = random.Random(seed)
    try:
        for _ in range(ROUNDS):
            operation = rng.choice(operations)
            try:
                operation()
            except Exception as error:  # every failure counts, whatever its kind
                errors.append(f"{operation.__name__}: {type(error).__name__}: {error}")
    finally:
        close_old_connections()
        connection.close()


def test_two_editors_on_one_page_never_fail_nor_lose_a_publish():
    delegation_pk, news_pk, translation_pk = _tree()
    operations = _operations(delegation_pk, news_pk, translation_pk)
    errors = []
    threads = [threading.Thread(target=_hammer, args=(operations, seed, errors)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    differ = drift()
    assert differ == [], {pk: (expected([pk]), _stored([pk])) for pk in differ}

    # A last publish after the storm is listed (none was lost to a racing draft save).
    delegation = DelegationPage.objects.get(pk=delegation_pk)
    if not delegation.live:
        delegation.save_revision().publish()
    NewsPage.objects.get(pk=news_pk).save_revision().publish()
    assert NewsListing.objects.filter(page_id=news_pk).exists()
    assert drift() == []
    assert Page.objects.filter(pk=news_pk, live=True).exists()
