"""Any size of an image the site allows, from one signed URL template per image.

Each image in a payload carries ``sizes.template``, ``…/images/<signature>/<id>/{filter}/``:
a frontend replaces ``{filter}`` with a Wagtail filter spec of the ``IMAGE_SIZES`` setting
(``width-640``, ``fill-640x480``, ``width-640|format-webp``…) and gets that rendition, with
no request to the API per image or per size.

Wagtail's own dynamic serve view (``wagtail.images.views.serve``) signs each image *and filter
spec* pair, so a frontend cannot build a URL the server did not sign: a payload would need one
signed URL per allowed size (``allowed_specs()``: 64 by default) for every image. Here the
signature covers the image only (so only images that some payload showed can be asked for, not
any id), and the filter spec is checked against the allow-list (so the URL cannot make the
server render unbounded variants); the rendition is Wagtail's, through ``image.get_rendition``.
"""

import functools

from django.core import signing
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.images.models import SourceImageIOError

from .. import conf
from ..cache import dependency_tags
from ..cache.responses import tag_header
from .errors import ALLOWED_METHODS, problem

__all__ = ["Sizes", "allowed_specs", "fill_height", "serve", "template_prefix"]

URL_NAME = "mmm_image_size"
FILTER = "{filter}"
# Crops keep Wagtail's default closeness (``c0``): the largest area of the ratio, moved to cover the
# focal point, the same framing at every width. A closeness (``c100``) would crop each width to
# its own size around the focal point: a srcset would show another picture per viewport.
_SIGNER_SALT = "mmm_wagtail.image_sizes"


def fill_height(width, ratio):
    """The height of a ``width``-wide crop of ``ratio`` ("4:3"), rounded half up as
    JavaScript's ``Math.round(width * 3 / 4)`` does."""
    across, down = (int(part) for part in ratio.split(":"))
    return (2 * width * down + across) // (2 * across)


@functools.lru_cache(maxsize=8)
def _specs(widths, ratios, formats):
    shapes = [f"width-{w}" for w in widths]
    shapes += [f"fill-{w}x{fill_height(w, ratio)}" for w in widths for ratio in ratios]
    return frozenset(shapes + [f"{shape}|format-{fmt}" for shape in shapes for fmt in formats])


def _setting():
    sizes = conf.get("IMAGE_SIZES")
    return (
        tuple(sorted(sizes.get("WIDTHS", ()))),
        tuple(sizes.get("RATIOS", ())),
        tuple(sizes.get("FORMATS", ())),
    )


def allowed_specs():
    """Every filter spec a client may ask for: ``width-W``, ``fill-WxH`` for each ratio
    (``fill_height``), each also ``|format-F``; ``len(WIDTHS) * (1 + len(RATIOS)) *
    (1 + len(FORMATS))`` of them, the most renditions the view makes of one image."""
    return _specs(*_setting())


def _signer():
    # Django's signing: SECRET_KEY, its fallbacks while a key is rotated, and a salt of ours,
    # so the signature is valid for nothing else.
    return signing.Signer(salt=_SIGNER_SALT)


def _signature(signer, pk):
    return signer.sign(str(pk)).rpartition(signer.sep)[2]


def _valid(signature, pk):
    signer = _signer()
    try:
        return signer.unsign(f"{pk}{signer.sep}{signature}") == str(pk)
    except signing.BadSignature:
        return False


def template_prefix(ctx):
    """The absolute URL of the view before its signature, or None when the site does not
    route it (it mounted only the router, in Wagtail's API v3). Reversed once per response."""
    try:
        path = reverse(URL_NAME, kwargs={"signature": "s", "image_id": 0, "filter_spec": "f"})
    except NoReverseMatch:
        return None
    return ctx.absolute(path.removesuffix("s/0/f/"))


class Sizes:
    """``sizes`` of the images of one response: the setting and the URL prefix read once."""

    def __init__(self, ctx):
        self.prefix = template_prefix(ctx)
        self.widths, self.ratios, self.formats = _setting()
        self.signer = _signer()

    def of(self, pk, width):
        if self.prefix is None:
            return None
        return {
            "template": f"{self.prefix}{_signature(self.signer, pk)}/{pk}/{FILTER}/",
            # Wagtail does not enlarge: wider sizes would be the original's width again.
            "widths": [w for w in self.widths if w <= width],
            "ratios": list(self.ratios),
            "formats": list(self.formats),
        }


def serve(request, signature, image_id, filter_spec):
    """A redirect to the ``filter_spec`` rendition of the image: Wagtail finds or makes it."""
    if request.method not in ALLOWED_METHODS:
        message = _("Method %(method)s is not allowed here; use GET or HEAD.") % {"method": request.method}
        return problem(405, [{"parameter": None, "message": message}], Allow=", ".join(ALLOWED_METHODS))
    if not _valid(signature, image_id):
        return problem(
            403, [{"parameter": "signature", "message": _("This signature is not valid for this image.")}]
        )
    if filter_spec not in allowed_specs():
        message = _(
            "Not a size this site serves; IMAGE_SIZES allows widths %(widths)s, "
            "ratios %(ratios)s and formats %(formats)s."
        )
        widths, ratios, formats = _setting()
        values = {
            "widths": list(widths),
            "ratios": list(ratios) or "none",
            "formats": list(formats) or "none",
        }
        return problem(400, [{"parameter": "filter", "message": message % values}])
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return problem(404, [{"parameter": "image_id", "message": _("No such image.")}], request)
    try:
        rendition = image.get_rendition(filter_spec)
    except SourceImageIOError:
        return problem(410, [{"parameter": "image_id", "message": _("The image's file is missing.")}])
    response = redirect(rendition.url)
    # The crop follows the image's focal point: a change bumps ``mmm`` (cache.receivers), whose
    # tag lets a CDN drop this redirect; old renditions stay, so a stale one still shows.
    patch_cache_control(
        response,
        public=True,
        max_age=conf.get("CACHE_MAX_AGE"),
        s_maxage=conf.get("CACHE_S_MAXAGE"),
        stale_while_revalidate=conf.get("CACHE_STALE_WHILE_REVALIDATE"),
    )
    header = conf.get("CACHE_TAG_HEADER")
    if header:
        response[header] = tag_header({dependency_tags.ALL})
    return response
