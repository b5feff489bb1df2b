"""The model every page of the site is a row of: Wagtail's ``Page``, or the site's own base page
model on Wagtail 8 (``WAGTAIL_PAGE_MODEL``, Wagtail's "custom base page models").

Wagtail's guide for reusable apps (``reusable_app_base_page``) names the active model with
``swapper``: ``PAGE_MODEL`` (``swapper.get_model_name``) for foreign keys and migrations, and the
class itself for queries. Once a site swaps it, ``wagtail.models.Page`` is a class without a table
or a manager (``Page.objects`` raises ``AttributeError``), so the package's queries and its page
types' parent links go through ``Page`` below. On Wagtail 7.4, and on Wagtail 8 without the
setting, ``Page`` *is* ``wagtail.models.Page`` and ``PAGE_MODEL`` is ``"wagtailcore.Page"``: the
tables, migrations and queries are those of before.
"""

from importlib import import_module

import swapper
import wagtail
from django.apps import apps
from django.utils.module_loading import module_has_submodule
from wagtail import models as wagtail_models

__all__ = ["PAGE_MODEL", "Page", "only_bookkeeping"]

# Wagtail reads WAGTAIL_PAGE_MODEL, not swapper's default WAGTAILCORE_PAGE_MODEL; its guide asks
# apps to repeat this call, in case they are imported before wagtail.models.
swapper.set_app_prefix("wagtailcore", "wagtail")

# Wagtail 8.0 made the page model swappable ("versionadded 8.0" in its docs; 7.4 has an AbstractPage too,
# not swappable): on 7.4 a WAGTAIL_PAGE_MODEL setting means nothing to Wagtail, so nothing here either.
SWAPPABLE = wagtail.VERSION >= (8, 0)
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page") if SWAPPABLE else "wagtailcore.Page"


def _active_page_model():
    """The site's base page class, while Django imports the apps' models (our page types subclass
    it, so it is needed before the registry is ready): the base page's app is imported first if
    it comes after this one in ``INSTALLED_APPS``."""
    if not SWAPPABLE or not swapper.is_swapped("wagtailcore", "Page"):
        return wagtail_models.Page
    config = apps.get_app_config(swapper.split(PAGE_MODEL)[0])
    if config.models_module is None and module_has_submodule(config.module, "models"):
        import_module(f"{config.name}.models")
    # require_ready=False: Django's documented way to look a model up while models are imported.
    return swapper.load_model("wagtailcore", "Page", require_ready=False)


Page = _active_page_model()


# Wagtail's bookkeeping of drafts, revisions and locks: ``save_revision`` saves the page with these
# alone (the comments relation it also names is written by modelcluster, which leaves it out of
# ``post_save``'s ``update_fields``), and so do a lock and an unlock.
_BOOKKEEPING = frozenset(
    {
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def only_bookkeeping(update_fields):
    """Whether a page save of ``update_fields`` (``post_save``'s) wrote Wagtail's bookkeeping of
    drafts and locks alone: nothing a reader gets changed (a draft save, an autosave, a lock).
    The one rule for the listing's upkeep and the response caches' bumps."""
    return update_fields is not None and _BOOKKEEPING.issuperset(update_fields)
