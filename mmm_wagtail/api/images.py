"""Images with their renditions, for any number of images in one query.

Renditions are read with their image in one query (``select_related``); an image some of
whose renditions do not exist yet falls back to Wagtail, which creates them (once). Each image
also carries its focal point and ``sizes``, the signed URL template of any size the site
allows (``image_sizes``): computed from the same row, no query.
"""

from collections import defaultdict
from types import SimpleNamespace

from wagtail.images import get_image_model
from wagtail.images.models import Filter

from .. import conf, statements
from .image_sizes import Sizes

_IMAGE_FIELDS = (
    "title",
    "width",
    "height",
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
)


def _image_fields(Image):
    has_description = any(f.name == "description" for f in Image._meta.get_fields())
    return _IMAGE_FIELDS + (("description",) if has_description else ())


def _renditions_query(specs):
    Image = get_image_model()
    return (
        Image.get_rendition_model()
        .objects.filter(image_id__in=statements.IdList("ids"), filter_spec__in=specs)
        .values_list(
            "image_id",
            "filter_spec",
            "focal_point_key",
            "file",
            "width",
            "height",
            *(f"image__{f}" for f in _image_fields(Image)),
        )
    )


def images_by_id(image_ids, ctx):
    """{image id: image dict} for the ids that exist.

    Rows, not model instances: a listing of 20 cards reads 60 renditions, and building
    120 model objects to read a few columns was most of the time a card took.
    """
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    specs = dict(conf.get("RENDITIONS"))
    filters = {name: Filter(spec) for name, spec in specs.items()}
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    image_fields = _image_fields(Image)
    found = defaultdict(dict)
    images = {}
    rows = statements.fetch(_renditions_query, tuple(sorted(set(specs.values()))), ids=image_ids)
    for image_id, spec, key, file, width, height, *image_values in rows:
        if image_id not in images:
            images[image_id] = SimpleNamespace(
                pk=image_id, **dict(zip(image_fields, image_values, strict=True))
            )
        found[image_id][(spec, key)] = (file, width, height)
    result = {}
    sizes = Sizes(ctx)
    rendition_storage = Rendition._meta.get_field("file").storage
    image_storage = Image._meta.get_field("file").storage
    for pk, image in images.items():
        chosen = {}
        for name, image_filter in filters.items():
            existing = found[pk].get((image_filter.spec, image_filter.get_cache_key(image)))
            if existing is None:
                break  # a rendition to create: let Wagtail do it below
            file, width, height = existing
            chosen[name] = {
                "url": ctx.absolute(rendition_storage.url(file)),
                "width": width,
                "height": height,
            }
        else:
            alt = getattr(image, "description", "") or image.title
            url = ctx.absolute(image_storage.url(image.file))
            result[pk] = _image_payload(image, url, chosen, alt, sizes)
    missing = image_ids - set(result)
    for pk, image in Image.objects.in_bulk(missing).items():
        result[pk] = image_dict(image, filters, ctx, sizes=sizes)
    return result


def image_dict(image, filters, ctx, alt=None, sizes=None):
    """The payload of an Image instance; Wagtail finds or creates its renditions."""
    renditions = image.get_renditions(*(f.spec for f in filters.values())) if filters else {}
    chosen = {}
    for name, image_filter in filters.items():
        rendition = renditions[image_filter.spec]
        chosen[name] = {
            "url": ctx.absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    if alt is None:
        alt = getattr(image, "default_alt_text", None) or image.title
    return _image_payload(image, ctx.absolute(image.file.url), chosen, alt, sizes or Sizes(ctx))


def _focal_point(image):
    # Wagtail's fields: the centre and the size of the area, in the original's pixels; all
    # four or none (Wagtail's own ``get_focal_point`` rule).
    values = (image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height)
    if any(value is None for value in values):
        return None
    return dict(zip(("x", "y", "width", "height"), values, strict=True))


def _image_payload(image, url, renditions, alt, sizes):
    ratio = image.width / image.height if image.height else None
    # One candidate per width, and only of the original's proportions: a crop in a
    # srcset would change the picture with the viewport.
    srcset = {}
    for r in renditions.values():
        if ratio and r["height"] and abs(r["width"] / r["height"] - ratio) < 0.01:
            srcset.setdefault(r["width"], r["url"])
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt,
        "width": image.width,
        "height": image.height,
        "url": url,
        "renditions": renditions,
        "srcset": ", ".join(f"{srcset[width]} {width}w" for width in sorted(srcset)),
        "focal_point": _focal_point(image),
        "sizes": sizes.of(image.pk, image.width),
    }
