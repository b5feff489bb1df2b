"""Images carry their focal point and a signed URL template for any size IMAGE_SIZES allows;
the view behind it renders those sizes and refuses every other (issue #24)."""

from urllib.parse import quote

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from mmm_wagtail.api import image_sizes

from .conftest import API, get_json, make_image, make_news

SIZES = {"WIDTHS": [320, 640, 1280], "RATIOS": ["1:1", "16:9"], "FORMATS": ["webp"]}


@pytest.fixture
def sized(settings):
    settings.MMM_WAGTAIL = {"IMAGE_SIZES": SIZES}


def _renditions():
    return get_image_model().get_rendition_model().objects.count()


def _url(image_payload, spec):
    return image_payload["sizes"]["template"].replace("{filter}", quote(spec, safe=""))


def _focus(image, x, y, width, height):
    image.focal_point_x, image.focal_point_y = x, y
    image.focal_point_width, image.focal_point_height = width, height
    image.save()


def test_every_image_carries_its_focal_point_and_sizes(tree, client, sized):
    index, eu, un = tree
    image = make_image("Focused", size=(1000, 500))
    _focus(image, 800, 100, 200, 100)
    plain = make_image("Plain", size=(400, 300))
    body = [{"type": "image", "value": {"image": plain.pk, "alt_text": "", "caption": ""}}]
    page = make_news(eu, image=image, body=body)

    card = get_json(client, "news/")["items"][0]["image"]
    assert card["focal_point"] == {"x": 800, "y": 100, "width": 200, "height": 100}
    assert card["width"] == 1000 and card["height"] == 500
    sizes = card["sizes"]
    assert sizes["template"].startswith(f"http://localhost{API}images/")
    assert sizes["template"].endswith(f"/{image.pk}/{{filter}}/")
    assert sizes["widths"] == [320, 640]  # 1280 would be the original's 1000 again
    assert sizes["ratios"] == ["1:1", "16:9"] and sizes["formats"] == ["webp"]

    detail = get_json(client, f"news/{page.pk}/")
    assert detail["image"]["sizes"] == sizes
    block = detail["body"][0]["value"]["image"]
    assert block["focal_point"] is None  # no focal point set: Wagtail crops around the centre
    assert block["sizes"]["widths"] == [320]
    assert block["sizes"]["template"] != sizes["template"]  # signed per image


def test_an_allowed_size_redirects_to_its_rendition(tree, client, sized):
    index, eu, un = tree
    image = make_image("Wide", size=(1000, 500))
    _focus(image, 850, 250, 100, 100)
    make_news(eu, image=image)
    payload = get_json(client, "news/")["items"][0]["image"]
    before = _renditions()

    response = client.get(_url(payload, "width-320"))
    assert response.status_code == 302
    rendition = image.renditions.get(filter_spec="width-320")
    assert response["Location"] == rendition.url
    assert (rendition.width, rendition.height) == (320, 160)
    assert "public" in response["Cache-Control"] and response["Cache-Tag"] == "mmm"

    response = client.get(_url(payload, f"fill-640x{image_sizes.fill_height(640, '16:9')}|format-webp"))
    assert response.status_code == 302
    crop = image.renditions.get(filter_spec="fill-640x360|format-webp")
    assert crop.file.name.endswith(".webp") and (crop.width, crop.height) == (640, 360)
    assert response["Location"] == crop.url
    # Asked again: the same rendition, none made.
    assert client.get(_url(payload, "width-320"))["Location"] == rendition.url
    assert _renditions() == before + 2


def test_the_crop_follows_the_focal_point(tree, client, sized):
    index, eu, un = tree
    image = make_image("Wide", size=(1000, 500))
    make_news(eu, image=image)
    url = _url(get_json(client, "news/")["items"][0]["image"], "fill-320x320")
    centred = client.get(url)["Location"]
    _focus(image, 900, 250, 100, 100)
    # The URL in a response cached before the change still works, and crops at the new point.
    moved = client.get(url)
    assert moved.status_code == 302 and moved["Location"] != centred
    image.refresh_from_db()
    assert image.get_rendition("fill-320x320").url == moved["Location"]


def _gradient_image(width, height):
    """An image whose red channel grows left to right: where a crop lies shows in its pixels."""
    from io import BytesIO

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    picture = PILImage.new("RGB", (width, height))
    picture.putdata([(x * 255 // width, 0, 0) for y in range(height) for x in range(width)])
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    return get_image_model().objects.create(title="gradient", file=ImageFile(buffer, name="gradient.png"))


def _reds(rendition, size):
    from PIL import Image as PILImage

    with rendition.file.open("rb") as f, PILImage.open(f) as picture:
        return list(picture.convert("RGB").resize(size).split()[0].tobytes())


def test_every_width_of_a_crop_shows_the_same_picture(tree, client, sized):
    index, eu, un = tree
    image = _gradient_image(1000, 500)
    _focus(image, 900, 250, 60, 60)
    make_news(eu, image=image)
    payload = get_json(client, "news/")["items"][0]["image"]
    for spec in ("fill-320x320", "fill-640x640"):
        assert client.get(_url(payload, spec)).status_code == 302
    small, large = (image.renditions.get(filter_spec=spec) for spec in ("fill-320x320", "fill-640x640"))
    # Both the 500 × 500 square covering the focal point, on the right: the same red values.
    assert max(abs(a - b) for a, b in zip(_reds(small, (32, 32)), _reds(large, (32, 32)), strict=True)) <= 3
    assert min(_reds(small, (32, 32))) > 255 * 0.4  # the right half (a centred crop starts at 0.25)
    # What a crop closeness would do (hence not offered): each width cropped to its own size.
    tight = [image.get_rendition(f"fill-{w}x{w}-c100") for w in (320, 640)]
    differ = zip(_reds(tight[0], (32, 32)), _reds(tight[1], (32, 32)), strict=True)
    assert max(abs(a - b) for a, b in differ) > 10


@pytest.mark.parametrize(
    "spec",
    [
        "width-321",  # a width not listed
        "width-2000",
        "fill-320x321",  # a height that is not the ratio's
        "fill-320x240",  # 4:3 is not listed
        "fill-320x320-c100",  # a crop closeness: another framing per width
        "fill-320x320-c0",
        "width-320|format-gif",  # a format not listed
        "width-320|format-webp|jpegquality-1",
        "height-320",
        "max-320x320",
        "original",
        "width-320|width-640",
        " width-320",
    ],
)
def test_any_other_filter_is_refused_and_renders_nothing(tree, client, sized, spec):
    index, eu, un = tree
    make_news(eu, image=make_image(size=(1000, 500)))
    payload = get_json(client, "news/")["items"][0]["image"]
    before = _renditions()
    response = client.get(_url(payload, spec))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["parameter"] == "filter"
    assert _renditions() == before


def test_a_bad_signature_is_refused(tree, client, sized):
    index, eu, un = tree
    image, other = make_image(size=(800, 600)), make_image(size=(800, 600))
    make_news(eu, image=image)
    template = get_json(client, "news/")["items"][0]["image"]["sizes"]["template"]
    before = _renditions()
    # Another image's id under this image's signature, a forged one, an unsigned one.
    for url in (
        template.replace(f"/{image.pk}/", f"/{other.pk}/"),
        template.replace("/images/", "/images/x").replace("{filter}", "width-320"),
        f"{API}images/-/{other.pk}/width-320/",
    ):
        response = client.get(url.replace("{filter}", "width-320"))
        assert response.status_code == 403, url
        assert response.json()["errors"][0]["parameter"] == "signature"
    assert _renditions() == before


def test_a_deleted_image_is_a_404_and_other_methods_a_405(tree, client, sized):
    index, eu, un = tree
    image = make_image(size=(800, 600))
    make_news(eu, image=image)
    url = _url(get_json(client, "news/")["items"][0]["image"], "width-320")
    response = client.post(url)
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    image.delete()
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["errors"][0]["parameter"] == "image_id"


def test_the_allow_list_is_bounded_by_the_setting(sized):
    specs = image_sizes.allowed_specs()
    # widths × (plain + each ratio) × (original format + each format)
    assert len(specs) == 3 * (1 + 2) * (1 + 1)
    assert {"width-640", "fill-1280x720", "fill-320x320|format-webp"} <= specs
    assert image_sizes.fill_height(1000, "3:2") == 667  # half up, as Math.round
    assert image_sizes.fill_height(3, "2:1") == 2  # 1.5 rounds up


def test_images_cost_no_query_per_image(tree, client, settings):
    settings.MMM_WAGTAIL = {"CACHE_ALIAS": None, "IMAGE_SIZES": SIZES}
    index, eu, un = tree

    def count():
        client.get(API + "news/")  # the first request makes the renditions
        with CaptureQueriesContext(connection) as queries:
            data = get_json(client, "news/")
        assert all(item["image"]["sizes"] for item in data["items"])
        return len(queries)

    image = make_image(size=(900, 600))
    _focus(image, 10, 10, 5, 5)
    make_news(eu, image=image)
    one = count()
    for number in range(5):
        make_news(un, image=make_image(f"more {number}", size=(700 + number, 500)))
    assert count() == one
    # The same as with no sizes at all (the site routes only the API elsewhere).
    settings.ROOT_URLCONF = "tests.api.test_images_sizes"
    client.get("/v3-only/news/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/v3-only/news/")
    assert response.status_code == 200
    assert all(item["image"]["sizes"] is None for item in response.json()["items"])
    assert len(queries) == one


def test_a_focal_point_change_refreshes_cached_responses(tree, client, sized):
    index, eu, un = tree
    image = make_image(size=(800, 600))
    page = make_news(eu, image=image)
    paths = ("news/", f"news/{page.pk}/", f"delegations/{eu.pk}/")
    for path in paths:
        assert get_json(client, path)  # cached now
    with CaptureQueriesContext(connection) as queries:
        hit = get_json(client, "news/")
    assert len(queries) == 1  # a hit: the freshness query only
    template = hit["items"][0]["image"]["sizes"]["template"]
    _focus(image, 400, 300, 100, 100)
    assert get_json(client, "news/")["items"][0]["image"]["focal_point"]["x"] == 400
    assert get_json(client, f"news/{page.pk}/")["image"]["focal_point"]["x"] == 400
    # The image's URL template did not change with it: links cached anywhere stay valid.
    assert get_json(client, "news/")["items"][0]["image"]["sizes"]["template"] == template


@pytest.mark.parametrize(
    "value",
    [
        [320],
        {"WIDTHS": [0]},
        {"WIDTHS": ["320"]},
        {"RATIOS": ["4/3"]},
        {"RATIOS": ["4:0"]},
        {"FORMATS": "webp"},
        {"SIZES": [1]},
    ],
)
def test_a_bad_setting_is_named_by_a_check(settings, value):
    settings.MMM_WAGTAIL = {"IMAGE_SIZES": value}
    errors = [e for e in run_checks() if "IMAGE_SIZES" in e.msg]
    assert [e.id for e in errors] == ["mmm_wagtail.E003"]


def test_an_unknown_format_is_named_by_a_check(settings):
    settings.MMM_WAGTAIL = {"IMAGE_SIZES": {"WIDTHS": [320], "FORMATS": ["webp", "bmp"]}}
    errors = [e for e in run_checks() if "IMAGE_SIZES" in e.msg]
    assert [e.id for e in errors] == ["mmm_wagtail.E004"] and "'bmp'" in errors[0].msg


def test_the_openapi_document_types_them(db, client):
    schemas = client.get(API + "openapi.json").json()["components"]["schemas"]
    image = schemas["Image"]["properties"]
    assert {"focal_point", "sizes"} <= set(schemas["Image"]["required"])
    assert [s.get("$ref") for s in image["focal_point"]["anyOf"]] == ["#/components/schemas/FocalPoint", None]
    assert schemas["FocalPoint"]["properties"]["x"]["type"] == "integer"
    sizes = schemas["ImageSizes"]["properties"]
    assert sizes["template"]["type"] == "string"
    assert sizes["widths"] == {**sizes["widths"], "type": "array", "items": {"type": "integer"}}


# This module is also a URLconf: the API alone, as a site that mounts only our router in
# Wagtail's API v3 has it (no route to the sizes view).
def _v3_only():
    from django.urls import include, path

    from mmm_wagtail.api import image_sizes
    from mmm_wagtail.api import urls as api_urls

    # The API's own patterns, reused: asking ninja for ``api.urls`` a second time registers its
    # namespace twice (a ConfigError on django-ninja before 1.5).
    kept = [p for p in api_urls.urlpatterns if getattr(p, "name", None) != image_sizes.URL_NAME]
    return [path("v3-only/", include(kept))]


urlpatterns = _v3_only()
