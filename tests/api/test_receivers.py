"""Receivers per sender (defect 3 of issue #25): only our models' changes bump our tags and
send our webhooks; the host site's models keep Django's fast delete; ancestors of our pages
that move or change their slug still reach our tags. And the schedule memo under threads
(defect 7)."""

import sys
import threading

import pytest
from django.contrib.sessions.models import Session
from django.db.models.deletion import Collector
from wagtail.models import Page

from mmm_wagtail.cache import dependency_tags, versions
from mmm_wagtail.models import ContentTag

from .conftest import get_json, make_news


def _counter():
    return ContentTag.objects.filter(tag=versions.COUNTER).values_list("version", flat=True).first() or 0


@pytest.mark.django_db
def test_the_host_sites_models_keep_their_fast_delete():
    assert Collector(using="default").can_fast_delete(Session.objects.all())


def _bumped_since(version):
    bumped = ContentTag.objects.filter(version__gt=version).exclude(tag=versions.COUNTER)
    return set(bumped.values_list("tag", flat=True))


def test_a_live_page_of_another_type_bumps_only_the_sitemap(home, tree):
    # sitemap/ and site/ list pages of every type; nothing else of ours shows them.
    before = _counter()
    blog = home.add_child(instance=Page(title="Blog", slug="blog"))
    blog.title = "Blog, renamed"
    assert _counter() == before  # saves of other page types run nothing of ours
    blog.save_revision().publish()
    blog.delete()
    assert _bumped_since(before) == {dependency_tags.SITEMAP}


def test_a_renamed_ancestor_of_our_pages_reaches_our_tags(
    home, tree, client, django_capture_on_commit_callbacks
):
    index, eu, _ = tree
    make_news(eu, title="Under a renamed ancestor")
    section = home.add_child(instance=Page(title="Section", slug="section"))
    section.save_revision().publish()
    Page.objects.get(pk=index.pk).move(section, pos="last-child")
    url = get_json(client, "news/")["items"][0]["meta"]["html_url"]
    assert "/section/" in url
    section = Page.objects.get(pk=section.pk)  # of another type: Wagtail's own Page
    section.slug = "renamed"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail sends page_slug_changed then
        section.save_revision().publish()
    renamed = get_json(client, "news/")["items"][0]["meta"]["html_url"]
    assert renamed == url.replace("/section/", "/renamed/")


def test_a_moved_ancestor_of_our_pages_reaches_our_tags(home, tree, client):
    index, eu, _ = tree
    make_news(eu, title="Under a moved ancestor")
    section = home.add_child(instance=Page(title="Section", slug="section"))
    url = get_json(client, "news/")["items"][0]["meta"]["html_url"]
    before = _counter()
    section.move(home, pos="last-child")  # a move of a page holding none of ours: nothing
    assert _counter() == before
    Page.objects.get(pk=index.pk).move(section, pos="last-child")
    moved = get_json(client, "news/")["items"][0]["meta"]["html_url"]
    assert moved != url and "/section/" in moved
    # Now an ancestor of ours: moving it (of another type) reaches our tags.
    other = home.add_child(instance=Page(title="Other", slug="other"))
    Page.objects.get(pk=section.pk).move(other, pos="last-child")
    assert "/other/section/" in get_json(client, "news/")["items"][0]["meta"]["html_url"]


def test_the_schedule_memo_is_safe_under_threads(tree):
    # Another thread bumps (which forgets the schedule) between any two lines of a snapshot:
    # a thread switch can fall there. A dict cleared under a reader raised KeyError.
    def forget_in_another_thread():
        thread = threading.Thread(target=versions.forget_schedule)
        thread.start()
        thread.join()

    def at_every_line(frame, event, arg):
        if frame.f_code is versions.snapshot.__code__:
            if event == "line":
                forget_in_another_thread()
            return at_every_line
        return None

    versions.snapshot()  # the schedule is known: the next snapshot reads it
    sys.settrace(at_every_line)
    try:
        snapshot = versions.snapshot()
    finally:
        sys.settrace(None)
    assert snapshot.version == _counter()


def test_a_draft_save_of_a_live_news_item_bumps_nothing(tree, django_capture_on_commit_callbacks):
    """A draft save (Save draft, Wagtail 8's autosave) writes the page's bookkeeping fields alone:
    readers see none of it, so no tag is bumped (no purge, no webhook). The same rule
    (``basepage.only_bookkeeping``) keeps the listing's upkeep off it."""
    _, eu, _ = tree
    with django_capture_on_commit_callbacks(execute=True):  # its bumps done, none left pending
        news = make_news(eu, title="Published")
    before = _counter()
    news.title = "A draft"
    with django_capture_on_commit_callbacks(execute=True) as sent:
        news.save_revision()
        news.save_revision()  # an autosave after it
    assert _counter() == before and sent == []
    with django_capture_on_commit_callbacks(execute=True):
        news.save_revision().publish()
    assert dependency_tags.page(news.pk) in _bumped_since(before)
