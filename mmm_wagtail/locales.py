"""Locales without models: which languages a reader gets, and a site's root in each.

The lowest layer of the package's translation rules (``docs/development.md``, "Layers"):
it reads the ``UNTRANSLATED`` setting and Wagtail's cached site root paths, never a model
of the package, so the models' query vocabulary (``models.querysets``) and every face can
use it. Tag names per locale are ``tag_names``; making translations (relations re-pointed,
the ``PUBLISH_NEW_TRANSLATIONS`` switch) is ``translating``.
"""

from django.conf import settings
from django.db.models import Q
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site

from . import conf
from .basepage import Page

__all__ = [
    "as_locale",
    "default_language_code",
    "fallback_codes",
    "language_of",
    "locale_filter",
    "SiteRoots",
    "site_roots",
    "under_roots",
]


def as_locale(locale, required=True):
    """A ``Locale`` from a Locale, its primary key or its language code ("fr", "en"; Wagtail's
    ``get_for_language``, so a variant such as "fr-CA" finds "fr"): the package's one Locale
    finder. A missing one raises ``Locale.DoesNotExist``, or gives None with ``required=False``
    (a content language configured in settings but never created as a Locale)."""
    if isinstance(locale, Locale):
        return locale
    try:
        if isinstance(locale, int):
            return Locale.objects.get(pk=locale)
        return Locale.objects.get_for_language(locale)
    except (Locale.DoesNotExist, LookupError):
        if required:
            raise Locale.DoesNotExist(f"No locale {locale!r}.") from None
        return None


def language_of(locale):
    """The language code of a Locale or of a language code (itself); no query."""
    return locale.language_code if isinstance(locale, Locale) else locale


def locale_filter(locale, prefix=""):
    """Filter kwargs selecting ``locale`` without a query of its own (a code joins on Locale)."""
    if isinstance(locale, Locale):
        return {f"{prefix}locale_id": locale.pk}
    if isinstance(locale, int):
        return {f"{prefix}locale_id": locale}
    return {f"{prefix}locale__language_code": locale}


def default_language_code(site=None):
    """The default language of ``site``: that of its root page, the language a request that
    names none is answered in and the one untranslated pages fall back to (``UNTRANSLATED``),
    in the API, the feeds and the pages alike: the package's one default-language rule.

    ``site``: a ``sites.SiteRoute`` or :class:`SiteRoots` (which know it: no query), a Wagtail
    ``Site``, or a page (the site it is in). With no site, or a page in none, Wagtail's
    default Locale's (``LANGUAGE_CODE``), without a query."""
    if isinstance(site, Page):
        # Wagtail's answer (its cached root paths), with the root page's locale: one query.
        parts = site.get_url_parts()
        site = Site.objects.select_related("root_page__locale").filter(pk=parts[0]).first() if parts else None
    if site is not None:
        code = getattr(site, "language_code", None)
        if code is not None:
            return code
        if isinstance(site, Site):
            return site.root_page.locale.language_code
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def fallback_codes(locale, mode=None, site=None):
    """The language codes a reader of ``locale`` gets pages in on ``site`` (anything
    :func:`default_language_code` takes), per the ``UNTRANSLATED`` setting: ``[code]``, or
    ``[code, the site's default code]`` with ``"fallback"`` (no query for a ``SiteRoute`` or
    :class:`SiteRoots`)."""
    code = language_of(locale)
    mode = mode or conf.get("UNTRANSLATED")
    if mode != "fallback":
        return [code]
    default_code = default_language_code(site)
    return [code] if code == default_code else [code, default_code]


class SiteRoots(dict):
    """``{language code: url_path}`` of a site's root page in each language, knowing the
    site's own language (``language_code``): what scopes a listing to a site, and what its
    untranslated pages fall back to."""

    def __init__(self, paths, language_code):
        super().__init__(paths)
        self.language_code = language_code


def site_roots(site, root_paths=None):
    """:class:`SiteRoots` of ``site`` from Wagtail's cached site root paths (no query once
    cached, and none for the site's language with a ``sites.SiteRoute``): the ``root`` of the
    page querysets' ``localized()`` and of the read model's ``for_reader()`` that scopes a
    listing to a site. ``site``: a Site or a ``sites.SiteRoute``; None gives None.
    ``root_paths``: ``Site.get_site_root_paths()`` if the caller has it already."""
    if site is None:
        return None
    if root_paths is None:
        root_paths = Site.get_site_root_paths()
    paths = {rp.language_code: rp.root_path for rp in root_paths if rp.site_id == site.pk}
    return SiteRoots(paths, default_language_code(site))


def under_roots(roots):
    """A ``Q`` for pages under any of ``roots`` (``{language code: url_path}``, from
    :func:`site_roots`): a site's tree in all its languages. Empty roots match nothing."""
    match = Q(pk__in=[])
    for root_path in roots.values():
        match |= Q(url_path__startswith=root_path)
    return match
