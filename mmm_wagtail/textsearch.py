"""Full-text search in each language's own text search configuration (PostgreSQL).

Wagtail's database backend indexes and searches every language with one configuration (its
``SEARCH_CONFIG``), and its index rows carry no language: French news are stemmed as English
(or not at all), and a reader of one language waits while every match of the others is read
and dropped. On PostgreSQL the listing read model therefore carries a search vector per news
item, made with the configuration of the item's language (``config_for``) from the texts
Wagtail itself indexes (``document``: the page type's ``search_fields``); ``queries`` matches
it with a query parsed by Wagtail's own query compiler in that same configuration.

This module holds the rules (which configuration, which texts, the SQL of a vector); the
rows are written by ``mmm_wagtail.listing``.
"""

from django.db import connections
from django.db.models import Manager
from django.utils.encoding import force_str
from wagtail.search import index

from . import conf

__all__ = ["LANGUAGE_CONFIGS", "config_for", "document", "vector_sql"]

# PostgreSQL's built-in text search configurations (PostgreSQL 14 and later), by language code.
# ``MMM_WAGTAIL["SEARCH_CONFIGS"]`` adds or replaces entries (e.g. an unaccented French
# configuration); a language found in neither is searched with "simple" (no stemming).
LANGUAGE_CONFIGS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}


def config_for(language):
    """The text search configuration of ``language`` (a code such as "fr" or "pt-br"): the
    setting's entry for the code or its primary subtag, else the built-in one, else "simple".

    Rows are written and searched with the same answer: after changing ``SEARCH_CONFIGS``, run
    ``manage.py rebuild_news_listing`` (``--check`` reports the rows written otherwise)."""
    configs = {**LANGUAGE_CONFIGS, **conf.get("SEARCH_CONFIGS")}
    code = language.lower()
    return configs.get(code) or configs.get(code.split("-")[0]) or "simple"


def vector_sql(config_sql, title_sql, body_sql):
    """SQL of a search vector from three SQL expressions: the configuration's name, the title
    and the rest (title ranked first, as Wagtail weighs it)."""
    config = f"({config_sql})::regconfig"
    return f"setweight(to_tsvector({config}, {title_sql}), 'A') || to_tsvector({config}, {body_sql})"


def _texts(obj, field):
    """The strings ``field`` (a Wagtail search field of ``obj``) gives to the index."""
    if isinstance(field, index.RelatedFields):
        related = field.get_value(obj)
        if related is None:
            return []
        if isinstance(related, Manager):
            # In a fixed order: a vector records each word's position.
            related = sorted(related.all(), key=lambda item: item.pk)
        elif callable(related):
            related = [related()]
        else:
            related = [related]
        return [text for item in related for sub in field.fields for text in _texts(item, sub)]
    if isinstance(field, index.SearchField):
        return _strings(field.get_value(obj))
    return []  # filter and autocomplete fields carry no searchable text


def _strings(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    return [force_str(value)]


def document(obj):
    """``(title, body)``: the texts Wagtail's index reads from ``obj``'s ``search_fields``, the
    ``title`` fields apart (StreamField blocks give their searchable content, tags their names)."""
    title, body = [], []
    for field in obj.get_search_fields():
        texts = [text.strip() for text in _texts(obj, field)]
        (title if getattr(field, "field_name", None) == "title" else body).extend(t for t in texts if t)
    return " ".join(title), "\n".join(body)


def searchable(queryset):
    """``queryset`` with what ``document`` reads fetched in bulk (its related search fields)."""
    for field in queryset.model.get_search_fields():
        if isinstance(field, index.RelatedFields):
            queryset = field.select_on_queryset(queryset)
    return queryset


def available_configs(using="default"):
    """The text search configurations the PostgreSQL database ``using`` has (a query)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        return {name for (name,) in cursor.fetchall()}
