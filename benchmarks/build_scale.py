"""Build, in bulk, the issue #12 benchmark databases on PostgreSQL (2,000 and 100,000 news per language).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mmm_bench_100k \\
        .venv/bin/python benchmarks/build_scale.py --news 100000 [--reuse]

(``benchmarks/scale.py`` calls it for both sizes.) The skeleton is the demo site, made by the
demo loader through Wagtail and wagtail-localize (home, landing page, three delegations, the
combined feed, the seed's news, all in French and English). Then ``--news`` French news and
as many English translations (same ``translation_key``) are inserted with one
``INSERT … SELECT … FROM generate_series`` per table: treebeard paths computed from each
delegation's last child, URL paths, live and published, 20 tags (three per item, each tag on
15% of the items), a third of the items related to a second delegation, dates over ten
years, 20 images. Wagtail's search index entries are written the same way (one statement,
the backend's own weights and text search configuration), and checked against what Wagtail
writes for one page. Finally ``rebuild_news_listing`` fills the listing read model and
``ANALYZE`` refreshes the planner's statistics.

Not written: page revisions (no listing or API endpoint reads them; the admin would show
these pages as never edited).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "example_project")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

TAGS = [
    "éducation",
    "droits humains",
    "soins",
    "paix",
    "travail",
    "familles",
    "maternité",
    "petite enfance",
    "santé",
    "égalité",
    "climat",
    "pauvreté",
    "migration",
    "numérique",
    "violence",
    "économie du soin",
    "allaitement",
    "congé parental",
    "jeunesse",
    "objectifs de développement durable",
]
WORDS = {
    "fr": "Make Mothers Matter porte la voix des mères auprès des organisations internationales : "
    "travail de soin non rémunéré, éducation des enfants, santé maternelle et conciliation entre "
    "vie familiale et vie professionnelle. La délégation a présenté une déclaration écrite et pris "
    "la parole lors de la session, en rappelant que les politiques publiques doivent reconnaître "
    "le rôle des mères dans la société.",
    "en": "Make Mothers Matter brings the voice of mothers to international organisations: unpaid "
    "care work, children's education, maternal health and the balance between family and working "
    "life. The delegation submitted a written statement and spoke during the session, recalling "
    "that public policies must recognise the role of mothers in society.",
}
TITLES = {"fr": "Actualité {} : les mères et {}", "en": "News {}: mothers and {}"}
SLUGS = {"fr": "actualite-{}", "en": "news-{}"}
DATELINES = {"fr": "ONU, Genève", "en": "UN, Geneva"}
# The backend's text search configurations (None: the database's default, as Wagtail does).
CONFIG = "coalesce(%(config)s::regconfig, get_current_ts_config())"
AUTOCOMPLETE = "coalesce(%(autocomplete)s::regconfig, get_current_ts_config())"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's (Wagtail's) path alphabet, 4 per step


def _step(k):
    """SQL of the 4-character treebeard step of the child number ``k`` (an SQL expression)."""
    return " || ".join(f"substr('{ALPHABET}', mod(({k}) / {36**p}, 36) + 1, 1)" for p in (3, 2, 1, 0))


def skeleton():
    from taggit.models import Tag
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from demo.loader import DemoLoader

    DemoLoader(log=lambda *a: None).run()
    images = [
        get_image_model().objects.create(title=f"image {i}", file=get_test_image_file(size=(1600, 900)))
        for i in range(20)
    ]
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": _slug(name)})[0] for name in TAGS]
    return [image.pk for image in images], [tag.pk for tag in tags]


def _slug(name):
    from django.utils.text import slugify

    return slugify(name, allow_unicode=True)


def insert_news(cursor, count, language, first_id, image_ids, tag_ids):
    """``count`` news of ``language`` under its three delegations (one statement per table)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale

    from mmm_wagtail.models import DelegationPage, NewsPage

    locale = Locale.objects.get(language_code=language)
    delegations = list(DelegationPage.objects.filter(locale=locale).order_by("path")[:3])
    assert len(delegations) == 3, delegations
    ct = ContentType.objects.get_for_model(NewsPage).pk
    # Each delegation's children continue after its last child's step.
    starts = []
    for delegation in delegations:
        last = delegation.get_children().order_by("-path").values_list("path", flat=True).first()
        starts.append(int(last[-4:], 36) if last else 0)
    d = "mod(i, 3) + 1"  # which delegation (1-based, for SQL arrays)
    k = f"(ARRAY{starts})[{d}] + i / 3 + 1"
    params = {
        "paths": [x.path for x in delegations],
        "url_paths": [x.url_path for x in delegations],
        "depth": delegations[0].depth + 1,
        "ct": ct,
        "locale": locale.pk,
        "first_id": first_id,
        "n": count,
        "tags": TAGS,
    }
    title = f"format('{TITLES[language].replace('{}', '%%s')}', i, (%(tags)s::text[])[mod(i, 20) + 1])"
    slug = f"'{SLUGS[language].replace('{}', '')}' || i"
    day = "date '2016-01-01' + (i::bigint * 3650 / %(n)s)::int"
    published = f"({day}) + time '09:00' + mod(i, 600) * interval '1 second'"
    cursor.execute(
        f"""
        INSERT INTO wagtailcore_page (
            id, path, depth, numchild, title, draft_title, slug, live, has_unpublished_changes, url_path,
            seo_title, show_in_menus, search_description, expired, content_type_id, locked,
            first_published_at, last_published_at, latest_revision_created_at, translation_key, locale_id)
        SELECT %(first_id)s + i, (%(paths)s::text[])[{d}] || {_step(k)}, %(depth)s, 0, {title}, {title},
            {slug}, true, false, (%(url_paths)s::text[])[{d}] || {slug} || '/',
            '', false, '', false, %(ct)s, false,
            {published}, {published}, {published}, md5('mmm-bench-news-' || i)::uuid, %(locale)s
        FROM generate_series(0, %(n)s - 1) AS i
        """,
        params,
    )
    body = (
        "jsonb_build_array(jsonb_build_object('type', 'paragraph', 'id', md5('block-' || i)::uuid::text, "
        "'value', '<p>' || %(words)s || ' (' || i || ')</p>'))"
    )
    cursor.execute(
        f"""
        INSERT INTO mmm_wagtail_newspage (page_ptr_id, date, dateline, excerpt, body, image_id)
        SELECT %(first_id)s + i, {day},
            CASE WHEN mod(i, 2) = 1 THEN %(dateline)s ELSE '' END,
            CASE WHEN mod(i, 4) = 0 THEN %(words)s ELSE '' END,
            {body}, (%(images)s::int[])[mod(i, 20) + 1]
        FROM generate_series(0, %(n)s - 1) AS i
        """,
        {**params, "words": WORDS[language], "dateline": DATELINES[language], "images": image_ids},
    )
    cursor.execute(
        """
        INSERT INTO mmm_wagtail_newspagetag (content_object_id, tag_id)
        SELECT %(first_id)s + i, (%(tag_ids)s::int[])[mod(i + shift, 20) + 1]
        FROM generate_series(0, %(n)s - 1) AS i, (VALUES (0), (7), (13)) AS shifts(shift)
        """,
        {**params, "tag_ids": tag_ids},
    )
    cursor.execute(
        f"""
        INSERT INTO mmm_wagtail_newspage_related_delegations (newspage_id, delegationpage_id)
        SELECT %(first_id)s + i, (%(ids)s::int[])[mod({d}, 3) + 1]
        FROM generate_series(0, %(n)s - 1) AS i WHERE mod(i, 3) = 0
        """,
        {**params, "ids": [x.pk for x in delegations]},
    )
    for delegation in delegations:
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = (SELECT count(*) FROM wagtailcore_page c "
            "WHERE c.path LIKE %s AND c.depth = %s) WHERE id = %s",
            [delegation.path + "%", delegation.depth + 1, delegation.pk],
        )
    index_news(cursor, ct, first_id, count)


def index_news(cursor, ct, first_id, count):
    """Wagtail's search index entries of the inserted news, as its PostgreSQL backend writes them:
    title (boosted), autocomplete, body = excerpt, body, dateline and tag names with their weights."""
    from wagtail.search.backends import get_search_backend

    from mmm_wagtail.models import NewsPage

    try:
        from modelsearch.backends.database.postgres.weights import get_weight
    except ImportError:  # Wagtail 7.4 keeps the backend in wagtail.search
        from wagtail.search.backends.database.postgres.weights import get_weight

    backend = get_search_backend()
    weights = {}
    for field in NewsPage.get_search_fields():
        for sub in getattr(field, "fields", [field]):  # RelatedFields("tags", [SearchField("name")])
            if hasattr(sub, "boost"):
                weights[sub.field_name] = get_weight(sub.boost)
    tag_weight = weights["name"]
    body_text = "regexp_replace(n.body->0->>'value', '<[^>]*>', '', 'g')"
    parts = [
        ("n.excerpt", weights["excerpt"]),
        (body_text, weights["body"]),
        ("n.dateline", weights["dateline"]),
    ]
    vector = " || ".join(
        f"CASE WHEN trim({expr}) = '' THEN ''::tsvector"
        f" ELSE setweight(to_tsvector({CONFIG}, trim({expr})), '{w}') END"
        for expr, w in parts
    )
    cursor.execute(
        f"""
        INSERT INTO wagtailsearch_indexentry
            (content_type_id, object_id, title, autocomplete, body, title_norm, title_text, body_text)
        SELECT %(ct)s, p.id::text,
            setweight(to_tsvector({CONFIG}, p.title), '{weights["title"]}'),
            setweight(to_tsvector({AUTOCOMPLETE}, p.title), 'D'),
            {vector} || coalesce((
                SELECT tsvector_agg FROM (
                    SELECT string_agg(t.name, ' ' ORDER BY nt.id) AS names
                    FROM mmm_wagtail_newspagetag nt JOIN taggit_tag t ON t.id = nt.tag_id
                    WHERE nt.content_object_id = p.id
                ) names,
                LATERAL (SELECT setweight(to_tsvector({CONFIG}, names.names), '{tag_weight}') AS tsvector_agg)
                    AS v
            ), ''::tsvector),
            1.0, p.title,
            concat_ws(' ', nullif(trim(n.excerpt), ''), {body_text}, nullif(trim(n.dateline), ''))
        FROM wagtailcore_page p JOIN mmm_wagtail_newspage n ON n.page_ptr_id = p.id
        WHERE p.id >= %(first)s AND p.id < %(first)s + %(n)s
        """,
        {
            "ct": ct,
            "config": backend.config,
            "autocomplete": backend.autocomplete_config,
            "first": first_id,
            "n": count,
        },
    )


def check_index(pk):
    """Compare the entry written here with the one Wagtail writes for the same page."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.backends import get_search_backend

    from mmm_wagtail.models import NewsPage

    query = (
        "SELECT title::text, body::text FROM wagtailsearch_indexentry"
        " WHERE object_id = %s AND content_type_id = %s"
    )
    args = [str(pk), ContentType.objects.get_for_model(NewsPage).pk]
    with connection.cursor() as cursor:
        cursor.execute(query, args)
        ours = cursor.fetchone()
        get_search_backend().add(NewsPage.objects.get(pk=pk))
        cursor.execute(query, args)
        theirs = cursor.fetchone()
    lexemes = [{item.split(":")[0] for item in vector.split(" ")} for vector in (ours[1], theirs[1])]
    same = ours == theirs
    print(
        f"search index entry of page {pk}: "
        + (
            "identical to Wagtail's"
            if same
            else f"lexemes equal: {lexemes[0] == lexemes[1]}, positions differ"
        )
        + f"\n  ours:    {ours[1][:300]}\n  Wagtail: {theirs[1][:300]}",
        flush=True,
    )


def build(count, reuse):
    from mmm_wagtail.models import NewsPage

    call_command("migrate", verbosity=0)
    existing = NewsPage.objects.count()
    if existing and reuse:
        print(f"{connection.settings_dict['NAME']}: kept ({existing} news)", flush=True)
        return
    if existing:
        sys.exit(f"{connection.settings_dict['NAME']} holds {existing} news: drop it or pass --reuse.")
    started = time.perf_counter()
    # The skeleton commits first: its publishes' on-commit work (listing refreshes of whole
    # subtrees, redirects) must not run over the bulk news.
    with transaction.atomic():
        image_ids, tag_ids = skeleton()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM wagtailcore_page")
        first = cursor.fetchone()[0] + 1
        insert_news(cursor, count, "fr", first, image_ids, tag_ids)
        insert_news(cursor, count, "en", first + count, image_ids, tag_ids)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('wagtailcore_page', 'id'),"
            " (SELECT max(id) FROM wagtailcore_page))"
        )
    print(f"pages inserted: {time.perf_counter() - started:.0f} s", flush=True)
    from wagtail.search.backends import get_search_backend

    get_search_backend().get_index_for_model(NewsPage)._refresh_title_norms(full=True)
    check_index(first + 1)
    call_command("rebuild_news_listing", verbosity=0)
    print(f"listing rebuilt: {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {NewsPage.objects.count()} news in {time.perf_counter() - started:.0f} s", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--news", type=int, required=True, help="news per language, besides the seed's")
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the bulk builder writes PostgreSQL SQL.")
    build(args.news, args.reuse)


if __name__ == "__main__":
    main()
