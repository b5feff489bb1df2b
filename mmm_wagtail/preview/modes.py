"""The admin side: a "frontend" preview mode that shows the object in the headless frontend.

Wagtail's preview (the side panel, "preview in new tab", auto-update while typing) builds the
object from the editor's form without saving it and calls ``serve_preview``. In the frontend
mode we store that object (``PreviewState``), sign a token for it and answer a page that
frames the site's frontend at its preview route with ``content_type`` and ``token``: the
frontend fetches ``preview/`` from the API and renders what the editor typed. Each
auto-update reloads the panel, so a new state and token each time. The server-rendered
templates stay available as the "server" mode.
"""

from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .. import conf
from ..sites import find_site

FRONTEND_MODE = "frontend"
# Named: wagtail-localize builds a URL per mode and takes an empty name for the default one only.
SERVER_MODE = "server"


def client_url(site):
    """The frontend's preview route for ``site`` (a ``sites.SiteRoute`` or Wagtail ``Site``:
    its ``hostname`` and ``root_url``) per ``PREVIEW_CLIENT_URLS``, or None.

    As in wagtail-headless-preview: the site's hostname picks an entry, else "default",
    in which ``{SITE_ROOT_URL}`` stands for the site's root URL; always a trailing slash.
    """
    urls = conf.get("PREVIEW_CLIENT_URLS") or {}
    url = urls.get(site.hostname) if site is not None else None
    if url is None:
        url = urls.get("default")
        if url is None:
            return None
        url = url.format(SITE_ROOT_URL=site.root_url if site is not None else "")
    return url.rstrip("/") + "/"


def preview_url(base, obj, token):
    from .tokens import content_type_label

    return base + "?" + urlencode({"content_type": content_type_label(type(obj)), "token": token})


class HeadlessPreviewMixin:
    """Put first in the bases of a previewable model (a Page or a ``PreviewableMixin``)."""

    @property
    def preview_modes(self):
        if not conf.get("PREVIEW_CLIENT_URLS"):
            return super().preview_modes  # Wagtail's own single mode, as without this mixin
        return [(FRONTEND_MODE, _("Headless frontend")), (SERVER_MODE, _("Server-rendered"))]

    def serve_preview(self, request, mode_name):
        if mode_name != FRONTEND_MODE:
            # Our templates ignore the mode: Wagtail's default one renders them.
            return super().serve_preview(request, "")
        from .models import PreviewState
        from .tokens import issue

        base = client_url(find_site(request))
        if base is None:  # no entry for this site and no "default"
            return super().serve_preview(request, "")
        token = issue(PreviewState.capture(self))
        response = TemplateResponse(
            request, "mmm_wagtail/preview/frontend.html", {"preview_url": preview_url(base, self, token)}
        )
        # The token is a credential: no shared cache may keep the page holding it.
        response["Cache-Control"] = "no-store"
        return response
