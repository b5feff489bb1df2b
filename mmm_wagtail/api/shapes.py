"""What the API makes of each page type, declared once: the response schema's fields.

A ``Shape`` pairs a response schema (``schemas/``, the OpenAPI document's promise) with the
model it describes. Every field of the schema is either *copied* from the model's column of
the same name, as it is, or *computed* by the payload builders from the columns it names.
The columns the API reads (the ``values()`` of its queries, the rows a preview builds) and
the order of a payload's keys both follow from that, so a new field the API copies is one
line in the schema: nothing here, in ``cards`` or in ``payloads`` lists it again.

A schema field that is neither computed nor a concrete field of the model fails at import,
naming the field.
"""

from django.core.exceptions import ImproperlyConfigured

from ..models import DelegationPage, NewsPage
from .schemas.common import DelegationRef, NewsCard
from .schemas.resources import Delegation

__all__ = [
    "DELEGATION",
    "DELEGATION_COMPUTED",
    "DELEGATION_REF",
    "META_COLUMNS",
    "NEWS_CARD",
    "NEWS_CARD_COMPUTED",
    "Shape",
]

# The columns ``ApiContext.meta`` reads (``translations`` are keyed by ``pk``).
# ``content_type_id``: a page type that routes its pages itself is asked for its URL.
META_COLUMNS = ("pk", "slug", "url_path", "content_type_id", "first_published_at", "last_published_at")


class Shape:
    """A response schema read from one model.

    ``computed``: ``{schema field: the model's columns it is computed from}``; every other
    field of ``schema`` is copied from the model's column of the same name. ``columns`` is
    what a query of the model must select; ``build(row, **computed)`` the payload dict, keys
    in the schema's order.
    """

    def __init__(self, schema, model, computed):
        self.schema = schema
        self.model = model
        self.fields = tuple(schema.model_fields)
        unknown = set(computed) - set(self.fields)
        if unknown:
            raise ImproperlyConfigured(f"{schema.__name__} has no field {', '.join(sorted(unknown))}.")
        self.computed = frozenset(computed)
        self.copied = tuple(name for name in self.fields if name not in self.computed)
        model_columns = {field.name for field in model._meta.concrete_fields}
        for name in self.copied:
            if name not in model_columns:
                raise ImproperlyConfigured(
                    f"{schema.__name__}.{name} is neither computed nor a field of {model._meta.label}."
                )
        sources = (column for name in self.fields if name in self.computed for column in computed[name])
        # Ordered and without repeats: the tuple is part of compiled statements' keys.
        self.columns = tuple(dict.fromkeys((*sources, *self.copied)))

    def build(self, row, **computed):
        """The payload of ``row``: copied fields from the row, the others from ``computed``."""
        if computed.keys() != self.computed:
            name = self.schema.__name__
            raise TypeError(f"{name} computes {sorted(self.computed)}, got {sorted(computed)}.")
        return {name: computed[name] if name in computed else row[name] for name in self.fields}

    def __repr__(self):
        return f"<Shape {self.schema.__name__} of {self.model._meta.label}>"


# A delegation on a news card: ``build_cards`` matches it by translation key and sorts by
# path (read with its id).
DELEGATION_REF = Shape(DelegationRef, DelegationPage, {"id": ("pk", "path", "translation_key")})

# A delegation in ``delegations/`` and on the landing page (the detail adds its body and
# translations). ``latest_news`` reads the delegation's count and translation key; the
# columns of a card's delegation come first, so one query of the locale's delegations
# serves both (``cards.locale_delegations``).
DELEGATION_COMPUTED = {
    "id": DELEGATION_REF.columns,
    "meta": META_COLUMNS,
    "latest_news": ("latest_news_count", "translation_key"),
}
DELEGATION = Shape(Delegation, DelegationPage, DELEGATION_COMPUTED)

# A news card (``NewsDetail`` adds the resolved body and translations). ``delegations``
# reads the parent's translation key (an annotation on ``path``) and the related ones.
NEWS_CARD_COMPUTED = {
    "id": ("pk",),
    "meta": META_COLUMNS,
    "date_display": ("date",),
    "excerpt": ("excerpt", "body"),
    "tags": (),
    "delegations": ("path",),
    "image": ("image_id",),
}
NEWS_CARD = Shape(NewsCard, NewsPage, NEWS_CARD_COMPUTED)
