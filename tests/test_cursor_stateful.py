"""Paging ``news/`` with cursors while news come and go (hypothesis stateful test).

A reader follows ``next`` from the first page to the last, one page per step, in an order
drawn for the pass, while other steps publish, unpublish, republish, re-date, rename and delete
news. When the pass ends, every item listed throughout the pass (from before its first page to
after its last, never unpublished, its date and title unchanged) was read exactly once, and no
item was read twice unless its place in the order changed. Then ``removed/`` lists, since the
pass began, every item that was read and is no longer listed (what a mirror must drop).

Marked ``stateful`` like ``test_listing_stateful.py`` and sized by the same variables
(``MMM_STATEFUL_EXAMPLES``, ``MMM_STATEFUL_STEPS``; ``MMM_STATEFUL_RANDOM=1`` hunts anew).
"""

import datetime
import os

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from hypothesis.stateful import run_state_machine_as_test as run
from wagtail.models import Locale, Site

from mmm_wagtail.models import DelegationIndexPage, DelegationPage, NewsPage

pytestmark = pytest.mark.stateful

API = "/api/mmm/"
ORIGIN = "http://localhost" + API
DATES = [datetime.date(2024, 1, day) for day in (1, 2, 3)]  # few dates: ties need the tie-break
ORDERS = ["-date", "date", "title", "-title"]


class CursorMachine(RuleBasedStateMachine):
    # Over every example: passes read to their end, and changes made while a pass was under
    # way (the test is about those: it needs some).
    passes = 0
    changes_while_reading = 0

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.fr = Locale.objects.get(language_code="fr")
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=DelegationIndexPage(title="Délégations", slug="delegations"))
        self.delegations = [
            index.add_child(
                instance=DelegationPage(
                    title=name, slug=name.lower(), organisation=name, acronym=name, summary="s"
                )
            )
            for name in ("UE", "ONU")
        ]
        self.client = Client()
        # Responses cached by an earlier example, whose content versions were rolled back.
        cache.clear()
        self.number = 0
        self.reading = None  # the pass under way: its next URL, what it read, what stayed listed

    def teardown(self):
        try:
            # A pass still under way reads its remaining pages, then is checked.
            while self.reading is not None:
                self.read_a_page()
        finally:
            transaction.set_rollback(True)
            self._atomic.__exit__(None, None, None)

    def _listed(self):
        """``{id: (date, title)}`` of what a French reader gets now, from the page tables."""
        readable = NewsPage.objects.readable(self.fr)
        return {pk: (date, title) for pk, date, title in readable.values_list("pk", "date", "title")}

    def _changed(self):
        # What is listed throughout keeps only the items still listed at the same place.
        if self.reading is not None:
            CursorMachine.changes_while_reading += 1
            now = self._listed()
            throughout = self.reading["throughout"]
            self.reading["throughout"] = {pk: key for pk, key in throughout.items() if now.get(pk) == key}
            for pk, key in now.items():
                # An item re-dated or renamed during the pass may come again after the cursor.
                if self.reading["keys"].setdefault(pk, key) != key:
                    self.reading["moved"].add(pk)

    def _news(self, index, live=None):
        found = NewsPage.objects.order_by("pk")
        if live is not None:
            found = found.filter(live=live)
        pks = list(found.values_list("pk", flat=True))
        return NewsPage.objects.get(pk=pks[index % len(pks)]) if pks else None

    @initialize(
        news=st.lists(
            st.tuples(st.integers(0, 1), st.sampled_from(DATES), st.sampled_from("ABC")), max_size=8
        ),
        order=st.sampled_from(ORDERS),
        limit=st.integers(1, 3),
    )
    def some_news_and_a_reader(self, news, order, limit):
        for parent, date, title in news:
            self.publish_new(parent, date, title)
        self.start_reading(order, limit)

    # -- the content changing ------------------------------------------------------------------

    @rule(parent=st.integers(0, 1), date=st.sampled_from(DATES), title=st.sampled_from("ABC"))
    def publish_new(self, parent, date, title):
        self.number += 1
        page = self.delegations[parent].add_child(
            instance=NewsPage(title=title, slug=f"n{self.number}", date=date, live=False)
        )
        page.save_revision().publish()
        self._changed()

    @rule(which=st.integers(0, 50))
    def unpublish(self, which):
        page = self._news(which, live=True)
        if page:
            page.unpublish()
            self._changed()

    @rule(which=st.integers(0, 50))
    def republish(self, which):
        page = self._news(which, live=False)
        if page:
            page.save_revision().publish()
            self._changed()

    @rule(which=st.integers(0, 50), date=st.sampled_from(DATES), title=st.sampled_from("ABC"))
    def edit(self, which, date, title):
        page = self._news(which, live=True)
        if page:
            page.date, page.title = date, title
            page.save_revision().publish()
            self._changed()

    @rule(which=st.integers(0, 50))
    def delete(self, which):
        page = self._news(which)
        if page:
            page.delete()
            self._changed()

    # -- the reader ----------------------------------------------------------------------------

    @rule(order=st.sampled_from(ORDERS), limit=st.integers(1, 3))
    def start_reading(self, order, limit):
        if self.reading is None:
            listed = self._listed()
            self.reading = {
                "next": f"news/?order={order}&limit={limit}",
                "read": [],
                "throughout": listed,
                "keys": dict(listed),
                "moved": set(),
                "since": timezone.now(),
            }

    @rule()
    def read_a_page(self):
        if self.reading is None:
            return
        response = self.client.get(API + self.reading["next"])
        assert response.status_code == 200, response.content[:300]
        page = response.json()
        self.reading["read"] += [item["id"] for item in page["items"]]
        # A pass reads each item about once: far more means it goes round in circles.
        assert len(self.reading["read"]) <= 2 * self.number + 3, self.reading
        if page["next"]:
            self.reading["next"] = page["next"].removeprefix(ORIGIN)
            return
        self._finish()

    def _finish(self):
        CursorMachine.passes += 1
        reading, self.reading = self.reading, None
        read = reading["read"]
        for pk in reading["throughout"]:
            assert read.count(pk) == 1, (pk, read, reading)
        twice = {pk for pk in read if read.count(pk) > 1}
        assert twice <= reading["moved"], (twice, reading)
        # A mirror built from the pass drops what removed/ lists since the pass began.
        since = reading["since"].isoformat().replace("+00:00", "Z")
        removed = self.client.get(API + f"removed/?changed_since={since}&limit=1000").json()
        gone = {item["page_id"] for item in removed["items"]}
        listed = self._listed()
        assert {pk for pk in read if pk not in listed} <= gone, (read, listed, gone)
        assert not gone & set(listed)


def test_cursor_paging_reads_what_stays_listed_exactly_once(db):
    run(
        CursorMachine,
        settings=settings(
            max_examples=int(os.environ.get("MMM_STATEFUL_EXAMPLES", 2)),
            stateful_step_count=int(os.environ.get("MMM_STATEFUL_STEPS", 25)) * 2,
            deadline=None,
            derandomize=not os.environ.get("MMM_STATEFUL_RANDOM"),
            database=None if not os.environ.get("MMM_STATEFUL_RANDOM") else settings.default.database,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
    assert CursorMachine.passes >= 2 and CursorMachine.changes_while_reading >= 5
