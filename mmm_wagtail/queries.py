"""Every listing query of the package, written once.

Rules all listings follow (PRODUCT.md): only live, public, current pages of the requested
locale; news newest first with a stable tie-break; an item listed under several
delegations appears once. Delegations are matched by ``translation_key`` so a feed or a
news item pointing at the French delegation also matches its English translation.
"""

from django.db.models import Q
from django.utils import timezone

from .models import DelegationPage, NewsPage

NEWS_ORDER = ("-date", "-pk")


def current(queryset):
    """Live, public, not expired, not scheduled for later; aliases are left out."""
    now = timezone.now()
    return (
        queryset.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(alias_of__isnull=True)
    )


def within(queryset, root):
    """Restrict a page queryset to ``root`` and its descendants (None: no restriction)."""
    if root is None:
        return queryset
    return queryset.filter(path__startswith=root.path)


def news(locale, root=None):
    return within(current(NewsPage.objects.filter(locale=locale)), root).order_by(*NEWS_ORDER)


def delegations(locale, root=None):
    return within(current(DelegationPage.objects.filter(locale=locale)), root).order_by("path")


def delegation_filter(locale, delegation_pages):
    """A Q matching news whose parent or related delegations are any of ``delegation_pages``.

    The delegations may be of another locale; they are matched to ``locale``'s translations.
    """
    keys = {d.translation_key for d in delegation_pages}
    local_paths = DelegationPage.objects.filter(locale=locale, translation_key__in=keys).values_list(
        "path", "depth"
    )
    match = Q(
        pk__in=NewsPage.related_delegations.through.objects.filter(
            delegationpage__translation_key__in=keys
        ).values("newspage_id")
    )
    for path, depth in local_paths:
        match |= Q(path__startswith=path, depth=depth + 1)
    return match


def news_for_delegations(locale, delegation_pages, root=None):
    return news(locale, root).filter(delegation_filter(locale, delegation_pages))


def delegations_with_latest_news(locale, root=None):
    """Delegations of ``locale`` each with ``latest_news``: its N latest news (N from the page)."""
    result = list(delegations(locale, root))
    for delegation in result:
        count = delegation.latest_news_count
        delegation.latest_news = (
            list(news_for_delegations(locale, [delegation], root)[:count]) if count else []
        )
    return result


def resolve_feed(feed, root=None):
    """The news items a NewsFeed snippet currently lists, newest first."""
    queryset = news(feed.locale, root)
    chosen = list(feed.delegations.all())
    if chosen:
        queryset = queryset.filter(delegation_filter(feed.locale, chosen))
    tag_ids = [tag.pk for tag in feed.tags.all()]
    if tag_ids:
        queryset = queryset.filter(
            pk__in=NewsPage.tags.through.objects.filter(tag_id__in=tag_ids).values("content_object_id")
        )
    return queryset[: feed.item_count]
