# The listed news' search vectors, each in its language's text search configuration (issue #12, item 4).

from collections import defaultdict

import django.db.models.deletion
import swapper
from django.db import migrations, models

import mmm_wagtail.models.listing

# The site's page model: wagtailcore.Page, or WAGTAIL_PAGE_MODEL (Wagtail 8's custom base page).
PAGE_MODEL = swapper.get_model_name("wagtailcore", "Page")
INDEX = "mmm_listing_search"
BATCH = 2000


def create_index(apps, schema_editor):
    # GIN exists on PostgreSQL only; elsewhere the table stays empty (Wagtail's backend searches).
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name("mmm_wagtail_newslistingsearch")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON {table} USING gin (search_vector)")


def backfill(apps, schema_editor):
    """PostgreSQL only: the vector of every listed news item, from the texts its search fields
    held when this migration was written (title; excerpt, body, dateline and tag names), frozen
    here on historical models; the configuration and the vector's SQL are the package's rules
    (``textsearch``), which the search itself reads."""
    from mmm_wagtail.textsearch import config_for, vector_sql

    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    NewsListing = apps.get_model("mmm_wagtail", "NewsListing")
    NewsPage = apps.get_model("mmm_wagtail", "NewsPage")
    NewsPageTag = apps.get_model("mmm_wagtail", "NewsPageTag")
    body_field = NewsPage._meta.get_field("body")
    listed = list(NewsListing.objects.using(connection.alias).order_by("pk").values_list("pk", "language"))
    table = connection.ops.quote_name("mmm_wagtail_newslistingsearch")
    for start in range(0, len(listed), BATCH):
        languages = dict(listed[start : start + BATCH])
        tags = defaultdict(list)
        tagged = NewsPageTag.objects.using(connection.alias).filter(content_object_id__in=list(languages))
        for page_id, name in tagged.order_by("tag_id").values_list("content_object_id", "tag__name"):
            tags[page_id].append(name)
        pages = NewsPage.objects.using(connection.alias).filter(pk__in=list(languages))
        documents = []
        for page in pages.only("title", "excerpt", "body", "dateline"):
            texts = [page.excerpt, *body_field.get_searchable_content(page.body), page.dateline, *tags[page.pk]]
            body = "\n".join(text.strip() for text in texts if text and text.strip())
            language = languages[page.pk]
            documents.append((page.pk, language, config_for(language), page.title.strip(), body))
        if not documents:
            continue
        values = ", ".join(["(%s::integer, %s, %s, %s, %s)"] * len(documents))
        vector = vector_sql("doc.config", "doc.title", "doc.body")
        schema_editor.execute(
            f"INSERT INTO {table} (page_id, language, search_vector)"
            f" SELECT doc.page_id, doc.language, {vector}"
            f" FROM (VALUES {values}) AS doc (page_id, language, config, title, body)",
            [value for document in documents for value in document],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("mmm_wagtail", "0009_listing_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="NewsListingSearch",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=PAGE_MODEL,
                    ),
                ),
                ("language", models.CharField(max_length=100)),
                ("search_vector", mmm_wagtail.models.listing.SearchVectorField()),
            ],
        ),
        # Dropped with the table when unapplied.
        migrations.RunPython(create_index, migrations.RunPython.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
