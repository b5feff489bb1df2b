"""Admin hooks of the headless preview (imported by ``mmm_wagtail.wagtail_hooks``)."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_editor_js")
def headless_preview_js():
    # Editors of pages and snippets: live updates posted to the frontend instead of reloading it.
    return format_html('<script src="{}" defer></script>', static("mmm_wagtail/headless-preview.js"))
