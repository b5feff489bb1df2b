"""Display dates (``DATE_FORMATS``): unambiguous in English, whatever the English variant."""

import datetime

from django.template import Context, Template
from django.test import override_settings
from django.utils import translation

from mmm_wagtail.api.cards import date_display

SIXTH_OF_DECEMBER = datetime.date(2026, 12, 6)


@override_settings(
    LANGUAGE_CODE="en-us", LANGUAGES=[("en-us", "English")], WAGTAIL_CONTENT_LANGUAGES=[("en-us", "English")]
)
def test_an_en_us_site_spells_the_month():
    # Before: "06.12.26" (the default) for en-us, "06/12/2026" for en, read as 12 June in the US.
    assert date_display(SIXTH_OF_DECEMBER, "en-us") == "6 December 2026"
    assert date_display(SIXTH_OF_DECEMBER, "en") == "6 December 2026"
    with translation.override("en-us"):  # a page template without a page: the active language
        rendered = Template("{% load mmm_wagtail_layout %}{% display_date day %}").render(
            Context({"day": SIXTH_OF_DECEMBER})
        )
    assert rendered == "6 December 2026"


def test_month_names_follow_the_content_not_the_request():
    with translation.override("fr"):
        assert date_display(SIXTH_OF_DECEMBER, "en") == "6 December 2026"
    assert date_display(SIXTH_OF_DECEMBER, "fr") == "06.12.26"


@override_settings(MMM_WAGTAIL={"DATE_FORMATS": {"default": "d.m.y", "en-gb": "d/m/Y", "en": "F j, Y"}})
def test_a_regional_format_wins_over_its_language():
    assert date_display(SIXTH_OF_DECEMBER, "en-gb") == "06/12/2026"
    assert date_display(SIXTH_OF_DECEMBER, "en-us") == "December 6, 2026"
