"""Builds WordPress exports (WXR) for the tests, the demo and the benchmark."""

from xml.sax.saxutils import escape

BASE = "https://www.makemothersmatter.org"


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def category(slug, name, term_id, parent=""):
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{slug}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent><wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>"
    )


def tag(slug, name, term_id):
    return (
        f"<wp:tag><wp:term_id>{term_id}</wp:term_id><wp:tag_slug>{slug}</wp:tag_slug>"
        f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>"
    )


def term_translations(slug, members, term_id):
    """Polylang's group of translated terms: ``members`` is ``{language: term_id}``."""
    pairs = "".join(f's:{len(code)}:"{code}";i:{pk};' for code, pk in members.items())
    description = f"a:{len(members)}:{{{pairs}}}"
    return (
        f"<wp:term><wp:term_id>{term_id}</wp:term_id><wp:term_taxonomy>term_translations</wp:term_taxonomy>"
        f"<wp:term_slug>{slug}</wp:term_slug><wp:term_name>{slug}</wp:term_name>"
        f"<wp:term_description>{_cdata(description)}</wp:term_description></wp:term>"
    )


def _meta(key, value):
    value = _cdata(str(value))
    return (
        f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:postmeta>"
    )


def post(
    wp_id,
    title,
    content,
    *,
    slug=None,
    status="publish",
    date="2024-12-14 10:00:00",
    categories=(),
    tags=(),
    language=None,
    group=None,
    wpml=None,
    excerpt="",
    meta=None,
    password="",
    post_type="post",
    link=None,
    base=BASE,
    author="admin",
):
    """A post; ``categories``/``tags``: ``[(slug, name)]``; ``language``/``group``: Polylang's;
    ``wpml``: ``(language, source language or "", group)``."""
    slug = slug if slug is not None else f"post-{wp_id}"
    link = link or f"{base}/{date[:4]}/{date[5:7]}/{date[8:10]}/{slug}/"
    terms = "".join(
        f'<category domain="category" nicename="{s}">{_cdata(n)}</category>' for s, n in categories
    ) + "".join(f'<category domain="post_tag" nicename="{s}">{_cdata(n)}</category>' for s, n in tags)
    if language:
        terms += f'<category domain="language" nicename="{language}">{language}</category>'
    if group:
        terms += f'<category domain="post_translations" nicename="{group}">{group}</category>'
    metas = dict(meta or {})
    if wpml:
        metas["_wpml_import_language_code"] = wpml[0]
        metas["_wpml_import_source_language_code"] = wpml[1]
        metas["_wpml_import_translation_group"] = wpml[2]
    return f"""<item>
<title>{escape(title)}</title><link>{escape(link)}</link>
<dc:creator>{_cdata(author)}</dc:creator><guid isPermaLink="false">{base}/?p={wp_id}</guid>
<content:encoded>{_cdata(content)}</content:encoded><excerpt:encoded>{_cdata(excerpt)}</excerpt:encoded>
<wp:post_id>{wp_id}</wp:post_id><wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{date}</wp:post_date_gmt>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status><wp:post_parent>0</wp:post_parent>
<wp:post_type>{post_type}</wp:post_type><wp:post_password>{escape(password)}</wp:post_password>
{terms}{"".join(_meta(k, v) for k, v in metas.items())}
</item>"""


def author(login, author_id, display_name=""):
    """A ``wp:author`` of the channel."""
    return (
        f"<wp:author><wp:author_id>{author_id}</wp:author_id><wp:author_login>{_cdata(login)}</wp:author_login>"
        f"<wp:author_display_name>{_cdata(display_name or login)}</wp:author_display_name></wp:author>"
    )


def attachment(wp_id, path, title="", alt="", base=BASE):
    url = f"{base}/wp-content/uploads/{path}"
    metas = _meta("_wp_attached_file", path) + (_meta("_wp_attachment_image_alt", alt) if alt else "")
    return f"""<item><title>{escape(title or path)}</title><link>{url}</link>
<wp:post_id>{wp_id}</wp:post_id><wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:post_name>att-{wp_id}</wp:post_name><wp:attachment_url>{url}</wp:attachment_url>{metas}</item>"""


def export(items, terms=(), *, base=BASE, version="1.2", prologue="", language="fr-FR"):
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
{prologue}<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/{version}/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/{version}/">
<channel><title>Make Mothers Matter</title><link>{base}</link><language>{language}</language>
<wp:wxr_version>{version}</wp:wxr_version><wp:base_site_url>{base}</wp:base_site_url>
<wp:base_blog_url>{base}</wp:base_blog_url>
{"".join(terms)}
{"".join(items)}
</channel></rss>
"""
