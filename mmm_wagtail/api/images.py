"""Images with their renditions, for any number of images in one query.

Renditions are read with their image in one query (``select_related``); an image some of
whose renditions do not exist yet falls back to Wagtail, which creates them (once).
"""

from collections import defaultdict

from wagtail.images import get_image_model

from .. import conf


def _specs():
    return dict(conf.get("RENDITIONS"))


def images_by_id(image_ids, ctx):
    """{image id: image dict} for the ids that exist."""
    image_ids = {pk for pk in image_ids if pk}
    if not image_ids:
        return {}
    specs = _specs()
    Image = get_image_model()
    Rendition = Image.get_rendition_model()
    found = defaultdict(list)
    images = {}
    for rendition in Rendition.objects.filter(
        image_id__in=image_ids, filter_spec__in=list(specs.values())
    ).select_related("image"):
        images[rendition.image_id] = rendition.image
        found[rendition.image_id].append(rendition)
    missing = image_ids - set(images)
    if missing:
        images.update(Image.objects.in_bulk(missing))
    result = {}
    for pk, image in images.items():
        image.prefetched_renditions = found.get(pk, [])
        result[pk] = image_dict(image, specs, ctx)
    return result


def image_dict(image, specs, ctx, alt=None):
    renditions = image.get_renditions(*specs.values()) if specs else {}
    by_name = {}
    for name, spec in specs.items():
        rendition = renditions[spec]
        by_name[name] = {
            "url": ctx.absolute(rendition.url),
            "width": rendition.width,
            "height": rendition.height,
        }
    ratio = image.width / image.height if image.height else None
    # One candidate per width, and only of the original's proportions: a crop in a
    # srcset would change the picture with the viewport.
    srcset = {}
    for r in by_name.values():
        if ratio and r["height"] and abs(r["width"] / r["height"] - ratio) < 0.01:
            srcset.setdefault(r["width"], r["url"])
    return {
        "id": image.pk,
        "title": image.title,
        "alt": (getattr(image, "default_alt_text", None) or image.title) if alt is None else alt,
        "width": image.width,
        "height": image.height,
        "url": ctx.absolute(image.file.url),
        "renditions": by_name,
        "srcset": ", ".join(f"{srcset[width]} {width}w" for width in sorted(srcset)),
    }
